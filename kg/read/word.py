"""Word (.docx) reports with python-docx.

The body is walked in document order, paragraphs and tables interleaved, so a
table stands in the text where it stands on the page. Page headers and footers,
comments, footnotes and text boxes are not the report's text and are not read.
A merged cell's text is repeated over every column and row it spans (python-docx
gives the spanning cell at each grid position).

A .docx is a zip of XML: before python-docx (lxml) parses anything, the
archive's declared sizes are checked, so a few kilobytes that would expand to
gigabytes (a zip bomb) are refused rather than unpacked.
"""
from __future__ import annotations

import io
import zipfile

from kg.errors import InputError
from kg.read.textbuild import TextBuilder

#: Decompressed size a .docx may declare in all: a 300-page report with its
#: XML is under 20 MB; the figures and fonts it embeds are not read.
MAX_UNZIPPED = 200_000_000
#: The XML parts python-docx parses (document, styles, numbering ...), together.
MAX_XML = 60_000_000
#: Compression ratio past which a part is a bomb, not a document (XML compresses ~10:1).
MAX_RATIO = 200


def check_zip(data: bytes, name: str, kind: str = "Word document") -> zipfile.ZipFile:
    """The archive, once its declared sizes are safe to unpack."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        # An OLE container named .docx: Office saves password-protected files this way.
        raise InputError(f"{name}: encrypted (a password-protected {kind}); save it without a password")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as e:
        raise InputError(f"{name}: corrupt {kind} (not a readable zip archive: {e})") from e
    total = sum(i.file_size for i in infos)
    xml = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
    worst = max(((i.file_size / max(1, i.compress_size), i) for i in infos if i.file_size > 1_000_000),
                default=(0, None), key=lambda t: t[0])
    if total > MAX_UNZIPPED or xml > MAX_XML or worst[0] > MAX_RATIO:
        raise InputError(f"{name}: too big: its XML would unpack to {max(total, xml):,} bytes "
                         f"(a zip bomb, or not a report); not read")
    return zf


def read_docx(data: bytes, name: str) -> "Document":
    check_zip(data, name)
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise InputError(f"{name}: reading .docx needs python-docx (pip install python-docx)") from e
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as e:  # python-docx raises KeyError, ValueError, lxml errors ... on damaged parts
        raise InputError(f"{name}: corrupt Word document ({type(e).__name__}: {e})") from e
    out = TextBuilder("docx")
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            out.line(Paragraph(child, document).text)
        elif child.tag == qn("w:tbl"):
            _table(DocxTable(child, document), out)
        elif child.tag == qn("w:sdt"):  # a content control: its paragraphs are body text
            for p in child.iter(qn("w:p")):
                out.line(Paragraph(p, document).text)
    return out.document()


def _table(table, out: TextBuilder) -> None:
    rows = []
    header_rows = 0
    for i, row in enumerate(table.rows):
        try:
            cells = row.cells
        except (IndexError, ValueError):  # a malformed grid: read what the row holds
            cells = [c for c in row._tr.tc_lst]
            rows.append([_cell_text(c) for c in cells])
            continue
        rows.append([c.text for c in cells])
        if row._tr.trPr is not None and row._tr.trPr.find(_qn("w:tblHeader")) is not None and i == header_rows:
            header_rows += 1
    # Rows marked as repeating headers are the header; otherwise the first row is.
    out.table(rows, header_rows=header_rows or 1, origin="docx")


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _cell_text(tc) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(_qn("w:t"))) for p in tc.iter(_qn("w:p")))
