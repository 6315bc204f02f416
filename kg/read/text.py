"""Decode report files into text.

Bureaus publish in UTF-8, GB18030/GBK, Big5 and UTF-16, as plain text or as
web pages saved from a browser. Decoding is decided in this order, and the
first that holds wins:

1. a byte-order mark (UTF-8, UTF-16 LE/BE): the bytes say it themselves;
2. strict UTF-8 (a UTF-8 file cut in its last character keeps the rest, with
   a warning);
3. UTF-16 without a BOM, told by NUL bytes on every other position;
4. a ``<meta charset>`` of a saved web page, when it names a CJK encoding;
5. charset-normalizer's guesses (a maintained detector, not guesswork),
   restricted to GB18030 (a superset of GBK/GB2312) and Big5 (with the
   cp950/HKSCS extensions), best first.

Every candidate text is checked before it is accepted: no NUL or other C0
control beyond layout, and mostly CJK, ASCII and common punctuation. A file no
candidate passes (binary data, images, archives) is an ``InputError`` naming
the file and the reason; ``kg build`` skips it with a warning.

A web page (``.html``/``.htm``, or content that starts like HTML) is reduced to
its text by :mod:`kg.read.html`; its figures' offsets then point into that
extracted text, and the record's ``encoding`` ends in ``+html``.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, shown  # InputError re-exported: the reader's failure

#: Default ``--max-bytes``: a hundred times a large real report. The pipeline
#: is linear (about 65,000 characters a second), so 5 MB takes about half a
#: minute; a 50 MB file is refused with a message rather than read for ten.
MAX_BYTES = 5_000_000
#: ``nlp.max_length`` (kg.nlp.pipeline): a longer text is refused; no file under
#: MAX_BYTES reaches it in any encoding we read except single-byte ASCII.
MAX_CHARS = 5_000_000
CJK_CANDIDATES = ["gb18030", "big5", "cp950", "big5hkscs"]
# Codec names as reported in records: one name per encoding, whatever alias found it.
CANONICAL = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "cp950": "big5", "big5hkscs": "big5"}

# Characters a report is made of: ASCII, CJK ideographs and punctuation,
# full-width forms, general punctuation (“”—…), Latin-1 and pinyin tone letters.
_REPORT_CHAR = re.compile(
    "[\t\n\r\x0c\x20-\x7e\u00a0-\u024f\u02c7-\u02dd\u0300-\u036f\u2000-\u206f\u2100-\u218f\u2190-\u23ff"
    "\u2460-\u27bf\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ef\u3200-\u33ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f]"
)
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_IDEOGRAPH_IN_WORD = re.compile("(?<=[A-Za-z])[\u3400-\u4dbf\u4e00-\u9fff](?=[A-Za-z])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
#: Share of characters that must be report characters for a guess to be accepted.
MIN_REPORT_SHARE = 0.95
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HTML_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # codec name, plus "+html" when the text was extracted from a web page
    warnings: tuple[str, ...] = ()
    tables: tuple = ()  # a web page's data tables (kg.records.Table), offsets into ``text``


def decode(data: bytes, name: str = "<bytes>", max_bytes: int | None = None) -> Decoded:
    """Bytes of one report file to its text; see the module docstring."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(too_big(name, len(data), max_bytes))
    text, encoding, warnings = _decode_bytes(data, name)
    tables = ()
    if is_html(name, text):
        from kg.read.html import html_document

        page = html_document(text)
        text, encoding, tables = page.text, encoding + "+html", page.tables
        if not text.strip():
            raise InputError(f"{name}: a web page with no body text")
    if not text.strip():
        raise InputError(f"{name}: empty file, no report text")
    if len(text) > MAX_CHARS:
        raise InputError(f"{name}: {len(text):,} characters, more than the pipeline reads in one report "
                         f"({MAX_CHARS:,}); split the file")
    return Decoded(text, encoding, tuple(warnings), tables)


def read_bytes(path: str | Path, max_bytes: int | None = MAX_BYTES) -> bytes:
    """A report file's bytes, refusing (before reading) a file over ``max_bytes``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(too_big(shown(path), size, max_bytes))
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{shown(path)}: cannot read ({e.strerror or e})") from e


def read_report(path: str | Path, max_bytes: int | None = MAX_BYTES) -> Decoded:
    return decode(read_bytes(path, max_bytes), str(path))


def too_big(name: str, size: int, max_bytes: int) -> str:
    return (f"{name}: {size:,} bytes, more than --max-bytes {max_bytes:,}; "
            f"split the file or raise the limit")


def is_html(name: str, text: str) -> bool:
    """A web page by its name, or by how it starts (a page saved as .txt)."""
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(text[:4096]))


def _decode_bytes(data: bytes, name: str) -> tuple[str, str, list[str]]:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError as e:
                return _damaged(body, codec, name, e)
            _check(text, name, codec)
            return text, codec, []
    if not data.strip():
        return "", "utf-8", []
    kind = _binary_kind(data)
    if kind:
        raise InputError(f"{name}: {kind}, not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.end >= len(data) - 3 and _utf8_except_tail(data):
            return _damaged(data, "utf-8", name, e)
    else:
        _check(text, name, "utf-8")
        return text, "utf-8", []
    if b"\0" in data:
        codec = _utf16_without_bom(data)
        if codec is None:
            raise InputError(f"{name}: binary data (NUL bytes), not a text file")
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: looks like {codec} but is not valid {codec} ({e.reason})") from e
        _check(text, name, codec)
        return text, codec, []
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        codec = CANONICAL.get(meta.group(1).decode("ascii").lower(), meta.group(1).decode("ascii").lower())
        if codec in CJK_CANDIDATES:
            try:
                text = data.decode(codec)
                if _plausible(text):
                    return text, CANONICAL.get(codec, codec), []
            except UnicodeDecodeError:
                pass
    return _guess(data, name)


def _guess(data: bytes, name: str) -> tuple[str, str, list[str]]:
    from charset_normalizer import from_bytes

    for match in from_bytes(data, cp_isolation=CJK_CANDIDATES):
        text = str(match)
        if _plausible(text):
            return text, CANONICAL.get(match.encoding, match.encoding), []
    raise InputError(f"{name}: not text in any encoding we read (UTF-8, UTF-16, GB18030/GBK, Big5)")


def _damaged(data: bytes, codec: str, name: str, err: UnicodeDecodeError) -> tuple[str, str, list[str]]:
    """A file in a known encoding with a few bad bytes (typically cut short):
    keep the text, mark the bad bytes with U+FFFD, and say so."""
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad > max(3, len(text) // 1000):
        raise InputError(f"{name}: starts as {codec} but {bad} places are not valid {codec}")
    _check(text, name, codec)
    where = "its last character is cut off" if err.end >= len(data) - 3 and bad == 1 else f"{bad} undecodable places"
    return text, codec, [f"{codec} text damaged: {where} (shown as U+FFFD)"]


def _utf8_except_tail(data: bytes) -> bool:
    for cut in (1, 2, 3):
        try:
            data[:-cut].decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text has a NUL in every ASCII character: on odd positions (LE)
    or even ones (BE), hardly ever on the other."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if odd > 4 * even and odd >= len(data) // 100:
        return "utf-16-le"
    if even > 4 * odd and even >= len(data) // 100:
        return "utf-16-be"
    return None


def _check(text: str, name: str, codec: str) -> None:
    """Text that decoded cleanly may still be binary (NULs, control bytes)."""
    if "\0" in text:
        raise InputError(f"{name}: binary data (NUL characters in {codec} text), not a text file")
    if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
        raise InputError(f"{name}: binary data (control characters in {codec} text), not a text file")


def _plausible(text: str) -> bool:
    """A decoding guess reads as a report: no controls, mostly report characters."""
    if not text or "\0" in text or len(_CONTROL.findall(text)) > len(text) // 1000:
        return False
    if len(_REPORT_CHAR.findall(text)) < MIN_REPORT_SHARE * len(text):
        return False
    # Western bytes read as GB18030/Big5 put lone ideographs inside Latin words
    # (Beschäftigung → Besch輎tigung); Chinese text keeps its ideographs together.
    cjk = len(_IDEOGRAPH.findall(text))
    return cjk == 0 or len(_IDEOGRAPH_IN_WORD.findall(text)) <= cjk // 10


MAGIC = ((b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
         (b"PK\x03\x04", "a zip archive (or .docx/.xlsx)"), (b"%PDF-", "a PDF document"),
         (b"\x1f\x8b", "gzip data"), (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"))


def _binary_kind(data: bytes) -> str | None:
    """Common binary files by their magic bytes, to name them in the message."""
    return next((kind for magic, kind in MAGIC if data.startswith(magic)), None)
