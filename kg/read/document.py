"""One interface over every reader: a report file's bytes in, a ``kg.records.Document`` out.

The format is told by the file's suffix (``FORMATS``); a file whose bytes say
otherwise (a PDF saved as .doc, a .docx renamed .doc) is read as what its
bytes are. Every refusal is an ``InputError`` whose message names the file and
one of the reasons a build summary counts: unsupported type, no text layer,
encrypted, corrupt, too big, LibreOffice missing or timed out.
"""
from __future__ import annotations

from pathlib import Path

from kg.errors import InputError
from kg.records import Document

#: Suffix → format. Text formats are decoded (kg.read.text), the rest parsed.
FORMATS = {".txt": "txt", ".md": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
           ".doc": "doc", ".wps": "wps", ".odt": "odt", ".rtf": "rtf"}
TEXT_FORMATS = ("txt", "html")
#: Documents carry fonts and images besides their text: they may be this many
#: times ``--max-bytes`` (a text file's limit) before they are refused unread.
DOCUMENT_BYTES_FACTOR = 20


def format_of(name: str) -> str | None:
    return FORMATS.get(Path(name).suffix.lower())


def sniff(data: bytes, fmt: str) -> str:
    """The format the bytes show, where they contradict the suffix."""
    head = data[:8]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if fmt in ("doc", "wps", "rtf") and head.startswith(b"PK\x03\x04"):
        return "docx"  # a .docx saved under an old name
    if fmt in ("docx", "wps") and head.startswith(b"{\\rtf"):
        return "rtf"
    if fmt == "docx" and head.startswith(b"\xd0\xcf\x11\xe0") and b"E\x00n\x00c\x00r\x00y\x00p\x00t" not in data[:65536]:
        return "doc"  # an old Word file named .docx (encrypted .docx are OLE too: kg.read.word says so)
    return fmt


def max_bytes_for(name: str, max_bytes: int | None) -> int | None:
    fmt = format_of(name)
    if max_bytes is None or fmt in TEXT_FORMATS or fmt is None:
        return max_bytes
    return max_bytes * DOCUMENT_BYTES_FACTOR


def read_document(data: bytes, name: str) -> Document:
    """The report in ``data`` (the bytes of file ``name``), as its reader sees it."""
    fmt = format_of(name)
    if fmt is None:
        raise InputError(f"{name}: unsupported type ({Path(name).suffix or 'no suffix'}); kg reads "
                         + " ".join(sorted(FORMATS)))
    if fmt in TEXT_FORMATS:
        from kg.read.text import decode

        decoded = decode(data, name)
        return Document(decoded.text, decoded.encoding, "html" if decoded.encoding.endswith("+html") else "txt",
                        decoded.warnings, tables=decoded.tables)
    if not data:
        raise InputError(f"{name}: empty file, no report text")
    fmt = sniff(data, fmt)
    if fmt == "pdf":
        from kg.read.pdf import read_pdf

        doc = read_pdf(data, name)
    elif fmt == "docx":
        from kg.read.word import read_docx

        doc = read_docx(data, name)
    else:
        from kg.read.office import read_office

        doc = read_office(data, name, fmt)
    if not doc.text.strip():
        raise InputError(f"{name}: no report text in the {fmt.upper()} document")
    from kg.read.text import MAX_CHARS

    if len(doc.text) > MAX_CHARS:
        raise InputError(f"{name}: too big: {len(doc.text):,} characters of text, more than the pipeline reads "
                         f"in one report ({MAX_CHARS:,}); split the file")
    return doc
