"""Assemble a reader's text line by line, with its pages and tables.

Every reader of a laid-out format (PDF, DOCX, HTML) writes the report through
a ``TextBuilder``, so all of them put tables into the text the same way: one
line per row, the cells joined by `` | `` (``临湘市 | 735 | 590``), which is
what a reader sees and what a quote of a row reads. The ``Table`` record keeps
the same cells, with the offsets of the table and of each row in the text.
"""
from __future__ import annotations

import re

from kg.records import Document, Table

CELL_SEP = " | "
# A caption just above a table (表1 …, 附表2 …) and a unit line (单位：元/人/月).
# 见⏎表1。 is the end of a sentence that points at the table, not its caption.
CAPTION = re.compile(r"^\s*(?:附\s*)?表\s*[0-9一二三四五六七八九十]+[\s.．:：、]*[^\s。，；,;）)]")
UNIT = re.compile(r"^\s*[（(]?\s*单位\s*[:：]\s*(.+?)\s*[)）]?\s*$")
_NUMBER = re.compile(r"^\s*[-+]?\d[\d,，.]*\s*[%‰]?\s*$")
# A cell that is a number with its unit (850元/人·月, 1.79万人, 2,968.3万元): a data row's cell;
# a year (2022年, 2023年度) heads a column. The NLP stage, which knows the units, counts any
# row read here as data but holding no figure back into the header.
_MEASURED = re.compile(r"^\s*(?!(?:19|20)\d\d\s*年)[-+＋]?\d[\d,，.]*\s*"
                       r"(?:[%‰]|[万亿千]?[\u4e00-\u9fff]{1,2}(?:/[\u4e00-\u9fff·]{1,4})?)?\s*$")
_CJK = "\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_WRAP_IN_CELL = re.compile(rf"(?<=[{_CJK}])\s*\n\s*|\s*\n\s*(?=[{_CJK}])|(?<=[\d.,，])\s*\n\s*(?=[\d.,，%‰])")
_BARE = re.compile(r"[-—–－/、\s]*")


def cell_text(text: str | None) -> str:
    """A cell's lines as one: wrapped Chinese and a number wrapped in a narrow column
    (``21560⏎0``, ``28,⏎416.3``, ``119⏎,367.0``) join without a space, other words with one.
    A ``|`` in a cell would read as a column break, so it becomes the full-width ``｜``."""
    text = _WRAP_IN_CELL.sub("", (text or "").strip())
    return " ".join(text.split()).replace("|", "｜")


class TextBuilder:
    def __init__(self, fmt: str, encoding: str | None = None) -> None:
        self.format = fmt
        self.encoding = encoding or fmt
        self.parts: list[str] = []
        self.pos = 0
        self.page_starts: list[int] = []
        self.tables: list[Table] = []
        self.warnings: list[str] = []
        self._lines: list[tuple[int, str]] = []  # (start, text) of the last few lines written
        self.page = 1
        self._since_table: list[str] | None = None  # lines written since the last table

    def line(self, text: str) -> None:
        """One line of text (a paragraph, or a line of a page); newlines inside become line breaks."""
        for piece in text.split("\n"):
            piece = piece.rstrip()
            if piece.strip():  # blank lines between a caption and its table do not part them
                self._lines = (self._lines + [(self.pos, piece)])[-3:]
                if self._since_table is not None:
                    self._since_table.append(piece)
            self._write(piece + "\n")

    def new_page(self) -> None:
        if self.pos and (not self.page_starts or self.page_starts[-1] != self.pos):
            self.page_starts.append(self.pos)
            self.page += 1

    def continues_table(self, rows: list[list[str]], furniture: int = 4, chars: int = 30) -> bool:
        """Would ``rows``, met at the top of a page, continue the table that ended the page
        before? Only page furniture (at most ``furniture`` short lines) stands between, and
        the column count is the same."""
        if not self.tables or self._since_table is None or not rows or self.tables[-1].page == self.page:
            return False
        last = self.tables[-1]
        return (len(self._since_table) <= furniture and all(len(l.strip()) <= chars for l in self._since_table)
                and len(rows[0]) == len(last.rows[0]))

    def table(self, rows: list[list[str]], header_rows: int = 1, origin: str = "text",
              continued: bool = False) -> Table | None:
        """Write a table, one line per row, and record it. Rows are padded to one width;
        a table with no text in any cell is left out. ``continued``: the rows go on the
        table before (a table broken by a page): its record grows, its header repeated on
        the new page is left out, and the furniture lines between stay outside its rows."""
        rows = [[cell_text(c) for c in r] for r in rows]
        rows = [r for r in rows if any(r)]
        if not rows:
            return None
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if continued and self.tables and len(self.tables[-1].rows[0]) == width:
            return self._continue(rows)
        caption, unit = self._caption_and_unit()
        # Header rows: those given, or more: the leading rows without a bare number
        # (a two-row header 项目 | 数量 / 项目 | 2022年 has none; 临湘市 | 735 and 城市低保 | 850元 have one).
        leading = next((i for i, r in enumerate(rows) if any(_MEASURED.match(c) for c in r)), len(rows))
        header_rows = max(header_rows, min(leading, len(rows) - 1))
        start = self.pos
        starts = []
        for r in rows:
            starts.append(self.pos)
            self._write(CELL_SEP.join(r) + "\n")
        self._lines = []
        self._since_table = []
        table = Table(start=start, end=self.pos - 1, rows=tuple(tuple(r) for r in rows),
                      header_rows=min(header_rows, len(rows)), caption=caption, unit=unit,
                      row_starts=tuple(starts), page=self.page if self.page_starts or self.format == "pdf" else None,
                      origin=origin)
        self.tables.append(table)
        return table

    def _continue(self, rows: list[list[str]]) -> Table:
        from dataclasses import replace

        last = self.tables[-1]
        header = [list(r) for r in last.rows[:last.header_rows]]
        if rows[:len(header)] == header:
            rows = rows[len(header):]
        if rows and _split_row(last.rows[-1], rows[0]):
            last = self._rejoin(last, rows.pop(0))
        starts = []
        for r in rows:
            starts.append(self.pos)
            self._write(CELL_SEP.join(r) + "\n")
        self._lines = []
        self._since_table = []
        table = replace(last, end=self.pos - 1, rows=last.rows + tuple(tuple(r) for r in rows),
                        row_starts=last.row_starts + tuple(starts))
        self.tables[-1] = table
        return table

    def _rejoin(self, last: Table, rest: list[str]) -> Table:
        """The table's last row, its line rewritten with the rest of its cells (a row a
        page break cut in two); the text after it (page furniture) moves along."""
        from dataclasses import replace

        row = [cell_text(a + "\n" + b) if a and b else a or b for a, b in zip(last.rows[-1], rest)]
        text = "".join(self.parts)
        at = last.row_starts[-1]
        old_end = text.index("\n", at)
        new = CELL_SEP.join(row)
        delta = len(new) - (old_end - at)
        self.parts = [text[:at], new, text[old_end:]]
        self.pos += delta
        self.page_starts = [p + delta if p > at else p for p in self.page_starts]
        self._lines = []
        return replace(last, end=last.end + delta, rows=last.rows[:-1] + (tuple(row),))

    def _caption_and_unit(self) -> tuple[str | None, str | None]:
        caption = unit = None
        for _, text in reversed(self._lines[-2:]):
            if unit is None and caption is None and (m := UNIT.match(text)):
                unit = m.group(1)
            elif caption is None and CAPTION.match(text):
                caption = text.strip()
            elif text.strip():
                break
        return caption, unit

    def _write(self, s: str) -> None:
        self.parts.append(s)
        self.pos += len(s)

    def document(self) -> Document:
        text = "".join(self.parts)
        starts = tuple(p for p in self.page_starts if 0 < p < len(text))
        return Document(text=text, encoding=self.encoding, format=self.format, warnings=tuple(self.warnings),
                        page_starts=starts, tables=tuple(self.tables))


def _split_row(last: tuple[str, ...], first: list[str]) -> bool:
    """Is ``first``, the top row of a table going on after a page break, the rest of the row
    the page cut (a cell wrapped onto the next page: ``务川仡佬族苗族自`` / ``治县``)? It fills
    only columns the row before fills, leaves some of them empty, and holds no number or dash,
    so a row of its own (全市 |  |  | 37700, 合计 | — | —, a section row merged over every column)
    is not one. A section row written in its first cell alone (一、养老 |  | ) would be taken
    for one: the text does not tell them apart."""
    filled = [bool(c.strip()) for c in first]
    # A dash (—, -) is a cell's whole value, never the wrapped end of one.
    return (any(filled) and len(first) == len(last) and not any(_NUMBER.match(c) for c in first)
            and not any(f and _BARE.fullmatch(c) for f, c in zip(filled, first))
            and all(l or not f for l, f in zip(last, filled))
            and any(l and not f for l, f in zip(last, filled)))


def cell_at(table: Table, text: str, offset: int) -> tuple[int, int] | None:
    """The (row, column) of ``table`` that offset ``offset`` of ``text`` (the text the table's
    offsets point into, ``Document.text``) falls in; None outside the table's rows."""
    import bisect

    if not table.row_starts or not table.start <= offset < table.end:
        return None
    row = bisect.bisect_right(table.row_starts, offset) - 1
    if row < 0 or row >= len(table.rows):
        return None
    line = text[table.row_starts[row]:offset + 1]
    return row, line.count(CELL_SEP)
