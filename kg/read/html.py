"""Web pages saved from a browser, reduced to the report's text.

The stdlib ``html.parser`` is enough: we need text and block breaks, not a
DOM, and it never raises on broken markup. Dropped: ``<head>``, scripts,
styles, forms and other non-text elements, and the site's chrome (``<nav>``,
``<aside>``, and ``<header>``/``<footer>`` outside the article). Block
elements (p, div, li, h1 ...) and ``<br>`` end a line; character references
are resolved (``&amp;`` → ``&``).

A data ``<table>`` is kept as a table (kg.read.textbuild): one line per row,
cells joined by `` | ``, and a ``kg.records.Table`` with the cells, a
``colspan``/``rowspan`` cell repeated over its span. A table that lays out the
page rather than data (a cell holding a long text or another table, as old
government sites do) is read as the blocks it holds.

Offsets of figures in a report read from HTML point into the text this
returns (the "original" of such a report), not into the markup.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Never text: their content is code, data or page furniture.
DROP = {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "select", "button", "textarea", "form", "nav", "aside", "map", "audio", "video"}
# Page chrome, unless inside the article (where <header> holds its title).
CHROME = {"header", "footer"}
ARTICLE = {"article", "main"}
BLOCK = {"address", "article", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div",
         "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
         "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
         "thead", "title", "tr", "ul"}
CELL = {"td", "th"}
TABLE_PARTS = {"table", "tr", "td", "th", "thead", "tbody", "tfoot", "caption", "colgroup", "col"}
#: A cell longer than this holds prose: its table lays out the page.
LAYOUT_CELL_CHARS = 200
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[tuple[list[str], int, int]]] = []  # cells: (text parts, colspan, rowspan)
        self.cell: list[str] | None = None
        self.layout = False  # holds prose or another table: read as blocks, not as a table
        self.caption: list[str] | None = None


class _Text(HTMLParser):
    def __init__(self, keep_chrome: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_chrome = keep_chrome
        self.parts: list = []  # strings, and finished data tables (lists of rows)
        self.open: list[str] = []  # element stack, as far as the markup lets us know it
        self.dropping = 0  # depth inside dropped elements
        self.pre = 0
        self.tables: list[_Table] = []  # open tables, innermost last

    def _out(self) -> list:
        """Where text goes now: the open cell (or caption) of the innermost table, or the page."""
        if self.tables:
            t = self.tables[-1]
            if t.cell is not None:
                return t.cell
            if t.caption is not None:
                return t.caption
            return []  # text between cells is whitespace or junk markup
        return self.parts

    def _dropped(self, tag: str, attrs) -> bool:
        if tag in DROP or any(k == "hidden" for k, _ in attrs):
            return True
        return tag in CHROME and not self.keep_chrome and not ARTICLE.intersection(self.open)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in BLOCK and not self.dropping:
                self._out().append("\n")
            return
        self.open.append(tag)
        if self.dropping or self._dropped(tag, attrs):
            self.dropping += 1
            return
        if tag == "pre":
            self.pre += 1
        if tag == "table":
            if self.tables:
                self.tables[-1].layout = True
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self._close_cell()
            self.tables[-1].rows.append([])
        elif tag in CELL and self.tables:
            t = self.tables[-1]
            self._close_cell()
            if not t.rows:
                t.rows.append([])
            t.cell = []
            t.rows[-1].append((t.cell, _span(attrs, "colspan"), _span(attrs, "rowspan")))
        elif tag == "caption" and self.tables:
            self.tables[-1].caption = []
        elif tag in BLOCK:
            self._out().append("\n")

    def _close_cell(self) -> None:
        if self.tables:
            self.tables[-1].cell = None

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK and not self.dropping:
            self._out().append("\n")

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.open:
            return  # a stray end tag changes nothing
        # Close everything opened after it too (browsers do the same for <p><b></p>).
        while self.open:
            t = self.open.pop()
            if self.dropping:
                self.dropping -= 1
            else:
                if t == "pre":
                    self.pre -= 1
                if t == "table" and self.tables:
                    self._end_table(self.tables.pop())
                elif t in CELL:
                    self._close_cell()
                elif t == "caption" and self.tables:
                    cap = self.tables[-1].caption or []
                    self.tables[-1].caption = None
                    self._out_for_table().extend(["\n", *cap, "\n"])
                elif t in BLOCK and t not in TABLE_PARTS:
                    self._out().append("\n")
            if t == tag:
                break

    def _out_for_table(self) -> list:
        """Where a table's own text goes: the enclosing cell, or the page (a caption stands above)."""
        if len(self.tables) > 1:
            outer = self.tables[-2]
            return outer.cell if outer.cell is not None else []
        return self.parts

    def _end_table(self, table: _Table) -> None:
        texts = [[_inline("".join(c)) for c, _, _ in row] for row in table.rows]
        out = self._out() if self.tables else self.parts
        if self.tables or table.layout or any(len(c) > LAYOUT_CELL_CHARS for r in texts for c in r):
            # A layout table, or a table inside a cell: its cells are blocks of text.
            for row in table.rows:
                for cell, _, _ in row:
                    out.extend(["\n", *cell, "\n"])
            return
        if table.caption:
            out.extend(["\n", *table.caption, "\n"])
        out.append(_grid(table.rows))

    def handle_data(self, data):
        if not self.dropping:
            self._out().append(data if self.pre else _SPACE.sub(" ", data))

    def close(self):
        super().close()
        while self.tables:  # tables the markup never closed
            self._end_table(self.tables.pop())


def _span(attrs, name: str) -> int:
    for k, v in attrs:
        if k == name:
            try:
                return max(1, min(int(str(v).strip()), 100))
            except ValueError:
                return 1
    return 1


def _inline(text: str) -> str:
    return " ".join(text.split())


def _grid(rows) -> list[list[str]]:
    """Rows of cell texts on the table's grid, a spanning cell repeated over its span."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for parts, colspan, rowspan in row:
            while (r, c) in grid:
                c += 1
            text = "\n".join(line.strip() for line in "".join(parts).split("\n") if line.strip())
            for dr in range(rowspan if rowspan > 1 and r + rowspan <= len(rows) else 1):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    if not grid:
        return []
    height = max(r for r, _ in grid) + 1
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def html_to_text(markup: str) -> str:
    """The readable text of a page: one line per block, no markup, entities resolved."""
    return html_document(markup).text


def html_document(markup: str):
    """The page as a ``Document``: its text, and its data tables as ``Table`` records."""
    doc = _extract(markup, keep_chrome=False)
    if not doc.text.strip():  # a page that is all "chrome" (an unclosed <header>): keep it rather than nothing
        doc = _extract(markup, keep_chrome=True)
    return doc


def _extract(markup: str, keep_chrome: bool):
    from kg.read.textbuild import TextBuilder

    parser = _Text(keep_chrome)
    parser.feed(markup)
    parser.close()
    out = TextBuilder("html")
    blank = True
    text: list[str] = []

    def flush() -> None:
        nonlocal blank
        for line in "".join(text).split("\n"):
            line = line.strip(" ")
            if line.strip():
                out.line(line)
                blank = False
            elif not blank:
                out.line("")
                blank = True
        text.clear()

    for part in parser.parts:
        if isinstance(part, str):
            text.append(part)
        else:
            text.append("\n")
            flush()
            if out.table(part, header_rows=1, origin="html") is not None:
                blank = False
    flush()
    doc = out.document()
    body = doc.text.strip("\n")
    lead = len(doc.text) - len(doc.text.lstrip("\n"))
    from dataclasses import replace

    tables = tuple(replace(t, start=t.start - lead, end=t.end - lead, row_starts=tuple(p - lead for p in t.row_starts))
                   for t in doc.tables)
    return replace(doc, text=body + "\n", tables=tables)
