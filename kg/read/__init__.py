"""Reading: one module per input format, returning a report's text and what layout it knows.

``kg.read.document.read_document(data, name)`` is the one entry point: it picks
the reader by suffix (or by the bytes) and returns a ``kg.records.Document``:

- ``text.py``: plain text in any encoding we read; ``html.py``: web pages;
- ``pdf.py``: PDF (pypdfium2 text, pdfplumber ruled tables);
- ``word.py``: .docx (python-docx); ``office.py``: .doc/.wps/.odt/.rtf via LibreOffice;
- ``textbuild.py``: how every reader writes lines, pages and tables (`` | `` rows);
- ``layout.py``: the repair between reading and normalising (wraps, page furniture, 公文).

Imports no NLP and no RDF."""
