"""PDF reports: the text layer with pypdfium2, ruled tables with pdfplumber.

pypdfium2 (PDFium, BSD/Apache) reads the characters and their boxes, and the
lines are rebuilt from the boxes (PDFium's own text order is the order of
drawing, which misplaces quote marks set in another font): more accurate than
pdfplumber on the Chinese PDFs we render and 8 times faster (README,
"Libraries, and why"; ``bench/pdf_readers.py``). Pages are read in order, one
line of the page per line, each page starting a new entry of
``Document.page_starts``; the wraps and page furniture stay in and are
repaired by kg.read.layout.

Tables: a page that draws lines is given to pdfplumber's table finder (ruled
tables, which is how 公文 print tables). Each table found is written as one
line per row (cells joined by `` | ``) where it stands on the page, and its
cells are read from PDFium in the cells' boxes; a merged cell's text is repeated
over every column and row its box covers. Pages with no lines never load
pdfplumber. A table without rules is found by its columns: consecutive lines
that gaps of ``COLUMN_GAP`` line heights cut into pieces standing in two or
more columns (prose never has such gaps). A table a page break cuts is one
table when the next page goes on with the same columns after no more than the
page furniture (TextBuilder.continues_table).

Refused with a message: an encrypted PDF, a damaged one, one of more than
``MAX_PAGES`` pages, and one with no text layer (a scan: "OCR it first").
"""
from __future__ import annotations

from kg.errors import InputError
from kg.read.textbuild import TextBuilder

#: A work report is tens of pages; thousands are a compilation (or an attack on memory).
MAX_PAGES = 1000
#: Fewer characters than this a page, on average, is no text layer (a scan).
MIN_CHARS_PER_PAGE = 5
#: Path objects a page must draw before its tables are looked for (a ruled table has several).
MIN_RULES = 4
_PDFIUM_ERRORS = {1: "corrupt", 2: "not found", 3: "corrupt (not a readable PDF)", 4: "encrypted",
                  5: "encrypted (a security handler we cannot open)", 6: "corrupt (a damaged page)"}


def read_pdf(data: bytes, name: str, max_pages: int = MAX_PAGES) -> "Document":
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        reason = _PDFIUM_ERRORS.get(getattr(e, "err_code", None) or 0, f"corrupt ({e})")
        if reason == "encrypted":
            reason = "encrypted (needs a password to open); save it without a password"
        raise InputError(f"{name}: {reason}") from e
    try:
        n = len(doc)
        if n == 0:
            raise InputError(f"{name}: corrupt (a PDF with no pages)")
        if n > max_pages:
            raise InputError(f"{name}: too big: {n:,} pages, more than kg reads in one report ({max_pages:,}); "
                             f"split the file")
        out = TextBuilder("pdf")
        plumber = None
        chars = 0
        images = 0
        for i in range(n):
            page = doc[i]
            try:
                out.new_page()
                kinds = [o.type for o in page.get_objects()]
                images += kinds.count(raw.FPDF_PAGEOBJ_IMAGE)
                tables = []
                if kinds.count(raw.FPDF_PAGEOBJ_PATH) >= MIN_RULES:
                    plumber = plumber or _open_plumber(data)
                    tables = _find_tables(plumber, i) if plumber is not None else []
                chars += _page(page, tables, out)
            except pdfium.PdfiumError as e:
                out.warnings.append(f"page {i + 1} could not be read ({e}); left out")
            finally:
                page.close()
        if plumber is not None:
            plumber.close()
    finally:
        doc.close()
    if chars < MIN_CHARS_PER_PAGE * n:
        what = f"{n} page{'s' if n > 1 else ''}" + (f" of images" if images else "")
        raise InputError(f"{name}: no text layer; OCR it first ({what}, {chars} characters of text)")
    return out.document()


def _open_plumber(data: bytes):
    try:
        import io

        import pdfplumber

        return pdfplumber.open(io.BytesIO(data))
    except Exception:  # pdfminer is stricter than PDFium on damaged files: read the text without tables
        return None


def _find_tables(plumber, index: int) -> list[tuple[tuple[float, float, float, float], list[tuple]]]:
    """(bbox, cells) of each ruled table on a page, in pdfplumber's top-left coordinates."""
    try:
        page = plumber.pages[index]
        found = page.find_tables()
    except Exception:  # a table finder failing on odd drawings costs the tables, not the text
        return []
    out = []
    for t in found:
        cells = [c for c in t.cells if c]
        if len(cells) >= 2:
            out.append((t.bbox, cells))
    return sorted(out, key=lambda t: t[0][1])


def _page(page, tables, out: TextBuilder) -> int:
    """Write one page: its text in bands between tables, each table as rows. Returns characters read."""
    textpage = page.get_textpage()
    try:
        width, height = page.get_size()
        chars = _chars(textpage, height)
        read = 0
        top = 0.0
        for k, (bbox, cells) in enumerate(tables):
            x0, t0, x1, b0 = bbox
            read += _band(chars, top, t0, out)
            rows = _grid(chars, cells)
            out.table(rows, header_rows=1, origin="pdf", continued=k == 0 and out.continues_table(rows))
            read += sum(len(c) for r in rows for c in r)
            top = b0
        read += _band(chars, top, height + 1, out)
        return read
    finally:
        textpage.close()


def _chars(textpage, height: float) -> list[tuple[str, float, float, float, float]]:
    """The page's characters with their boxes, in top-left coordinates: (char, x0, top, x1, bottom).

    The text layer's own order is the order of drawing, not of reading: a PDF that
    sets quote marks in another font draws them after the words (``救“”急难`` for
    ``救“急难”``). Lines are therefore rebuilt from the boxes (kg.read.pdf._lines)."""
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    out = []
    for i, c in enumerate(text[:n]):
        if c.isspace() or c == "\x00" or c == "\ufffe":
            continue  # spaces and line ends PDFium made up: we make our own from the boxes
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        if right - left <= 0 and top - bottom <= 0:
            continue
        out.append((c, left, height - top, right, height - bottom))
    return out


def _rows_of_chars(chars, top: float, bottom: float, left: float = -1e9, right: float = 1e9) -> list[list]:
    """The characters whose centre lies in a box, grouped into lines (top to bottom), each
    left to right. A character joins the line whose vertical centre is within half its height."""
    picked = [c for c in chars if top <= (c[2] + c[4]) / 2 < bottom and left <= (c[1] + c[3]) / 2 < right]
    picked.sort(key=lambda c: ((c[2] + c[4]) / 2, c[1]))
    lines: list[list] = []
    for c in picked:
        mid, h = (c[2] + c[4]) / 2, max(c[4] - c[2], 0.1)
        if lines and abs(lines[-1][0] - mid) <= h / 2:
            lines[-1][1].append(c)
        else:
            lines.append([mid, [c]])
    for line in lines:
        line[1].sort(key=lambda c: c[1])
    return [cs for _, cs in lines]


def _height(cs) -> float:
    return sorted(c[4] - c[2] for c in cs)[len(cs) // 2]


def _text(cs) -> str:
    """A line's characters as text: a gap wider than a third of the line's height is a space."""
    h = _height(cs)
    parts = [cs[0][0]]
    for prev, c in zip(cs, cs[1:]):
        if c[1] - prev[3] > h / 3:
            parts.append(" ")
        parts.append(c[0])
    return "".join(parts)


def _lines(chars, top: float, bottom: float, left: float = -1e9, right: float = 1e9) -> list[str]:
    return [_text(cs) for cs in _rows_of_chars(chars, top, bottom, left, right)]


#: A gap this many times the line's height splits a line into cells (an unruled table's columns).
COLUMN_GAP = 1.5


def _segments(cs) -> list[tuple[float, float, list]]:
    """A line cut at gaps wider than COLUMN_GAP heights: (x0, x1, chars) of each piece."""
    h = _height(cs)
    out = [[cs[0]]]
    for prev, c in zip(cs, cs[1:]):
        if c[1] - prev[3] > COLUMN_GAP * h:
            out.append([c])
        else:
            out[-1].append(c)
    return [(seg[0][1], seg[-1][3], seg) for seg in out]


def _columns(block: list[list]) -> list[list[str]] | None:
    """Rows of cells if consecutive lines are an unruled table: the x-extents of their pieces,
    merged where they overlap, make two or more columns and no line has two pieces in one."""
    spans: list[list[float]] = []
    for x0, x1, _ in sorted((s for segs in block for s in segs), key=lambda s: s[0]):
        if spans and x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    if len(spans) < 2:
        return None
    rows = []
    for segs in block:
        row = [""] * len(spans)
        for x0, x1, seg in segs:
            k = next(i for i, (a, b) in enumerate(spans) if a <= x0 <= b)
            if row[k]:
                return None
            row[k] = _text(seg)
        rows.append(row)
    return rows


def _band(chars, top: float, bottom: float, out: TextBuilder) -> int:
    """The text between two heights of a page (top-left coordinates), line by line; runs of
    lines whose pieces stand in columns are written as a table."""
    if bottom - top < 0.5:
        return 0
    lines = _rows_of_chars(chars, top, bottom)
    segs = [_segments(cs) for cs in lines]
    read = 0
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(segs[j]) >= 2:
            j += 1
        rows = _columns(segs[i:j]) if j - i >= 2 else None
        if rows is not None:
            out.table(rows, header_rows=1, origin="pdf", continued=out.continues_table(rows))
            read += sum(len(c) for r in rows for c in r)
            i = j
            continue
        text = _text(lines[i])
        out.line(text)
        read += len(text.strip())
        i += 1
    return read


def _grid(chars, cells: list[tuple]) -> list[list[str]]:
    """Cells on the table's grid: a cell whose box spans several columns or rows is
    repeated in each of them."""
    def snap(values):
        out = []
        for v in sorted(values):
            if not out or v - out[-1] > 1.0:
                out.append(v)
        return out

    xs = snap([c[0] for c in cells] + [c[2] for c in cells])
    ys = snap([c[1] for c in cells] + [c[3] for c in cells])

    def index(edges, v):
        return min(range(len(edges)), key=lambda k: abs(edges[k] - v))

    grid = [[""] * (len(xs) - 1) for _ in range(len(ys) - 1)]
    for x0, t, x1, b in cells:
        text = "\n".join(_lines(chars, t, b, x0, x1))
        for r in range(index(ys, t), index(ys, b)):
            for c in range(index(xs, x0), index(xs, x1)):
                grid[r][c] = text
    return grid
