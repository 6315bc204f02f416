"""Tables written as lines of text, told apart from prose before layout repair touches them.

Text copied out of a PDF keeps a table's rows as lines whose cells stand apart by
runs of spaces (what the page's columns became), tabs, or `` | ``. Layout repair
(kg.read.layout) joins hard-wrapped prose lines and takes out a PDF's spaces
between Chinese characters; done to a table, that glues its header to its first
row and its columns to each other (``县（市、区）城市特困人员农村特困人员麒麟区1040``),
and the table stage finds no table. This module says which lines are a table's:
its rows (the same way of splitting cells over several lines, at least two of
them holding numbers), the markdown rule under a header (``|---|---|``), the
caption (``表1 …``) and unit line (``单位：元/人/月``) around them, and a row
carried over a page break (the running header and page number between are the
page's, not the table's).

Pure text, no NLP: the table stage (kg.nlp.tables) reads the cells later.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

PIPES = re.compile(r"[|｜]")
# Cells of a space-aligned row: two or more spaces, or an ideographic space, between them.
SPACE_GAP = re.compile(r" {2,}|\u3000+|\u00a0{2,}")
CAPTION = re.compile(r"^(?:附)?表\s*[\d一二三四五六七八九十]+(?:[.:：、\s\u3000]|$)")
UNIT_LINE = re.compile(r"^[(（]?\s*(?:计量|金额|数量|货币)?单位\s*[:：]")
RULE_LINE = re.compile(r"^[\s|｜:：\-—─━=+┼├┤┌┐└┘┬┴]+$")
NUMBER = re.compile(r"^[约近]?[-+]?\d[\d,]*(?:\.\d+)?\s*[%‰]?[\u4e00-\u9fff/]{0,6}$")
DASHES = "—–-－―─/／"
#: A cell longer than this is a sentence, not a table's cell.
MAX_CELL = 24
#: Lines of page furniture (blank, page number, running header) a table may run across.
MAX_BREAK = 4


def _cells(line: str) -> tuple[str, list[str]] | None:
    """How the line splits into cells (pipe, tab or spaces) and its cells, if it reads as a row."""
    s = line.strip(" \t\u3000\u00a0\r")
    if not s or "。" in s:
        return None
    if PIPES.search(s):
        cells = [c.strip() for c in PIPES.split(s)]
        if s[0] in "|｜":
            cells = cells[1:]
        if s[-1] in "|｜":
            cells = cells[:-1]
        if sum(bool(c) for c in cells) >= 2:
            return "pipe", cells
    if "\t" in s:
        cells = [c.strip() for c in s.split("\t")]
        if sum(bool(c) for c in cells) >= 2:
            return "tab", cells
    if CAPTION.match(s):
        return None  # 表1　2022年…: a caption, whatever its spacing
    cells = [c.strip() for c in SPACE_GAP.split(s)]
    if len(cells) >= 2 and all(0 < len(c) <= MAX_CELL for c in cells):
        # Justified prose spaced out character by character (全  年  累  计) is no table.
        # A dash (农村幸福院  58  —  —  —) is an empty cell, no spaced-out character.
        if 2 * sum(len(c) == 1 and not c.isdigit() and c not in DASHES for c in cells) <= len(cells):
            return "spaces", cells
    return None


def _numeric(cells: list[str]) -> bool:
    return any(NUMBER.match(c) for c in cells[1:])


def _furniture(line: str) -> bool:
    """A line that may stand between two rows of one table: blank, or short and no row of its own
    (a page number, a running header)."""
    s = line.strip(" \t\u3000\u00a0\r")
    return not s or (len(s) <= 40 and "。" not in s and "，" not in s)


def table_lines(lines: Sequence[str]) -> set[int]:
    """Indices of the lines that are a table's rows, its markdown rule, caption or unit line."""
    rows = [_cells(x) for x in lines]
    out: set[int] = set()
    i = 0
    while i < len(lines):
        if rows[i] is None:
            i += 1
            continue
        kind = rows[i][0]
        block = [i]
        j = i + 1
        while j < len(lines):
            if rows[j] is not None and rows[j][0] == kind:
                block.append(j)
            elif not (kind == "pipe" and RULE_LINE.match(lines[j].strip() or "x")):
                break
            j += 1
        numeric = sum(_numeric(rows[k][1]) for k in block if rows[k] is not None)
        # Pipes and tabs say they are cells; spaces only where the lines hold numbers.
        if len(block) >= 2 and (numeric >= 2 if kind == "spaces" else numeric >= 1):
            out.update(range(block[0], j))
            _around(lines, rows, block[0], j, out)
            i = j
        else:
            i += 1
    return out


def _around(lines: Sequence[str], rows, first: int, end: int, out: set[int]) -> None:
    """The caption and unit line above a table, a unit line below, and rows the table goes on
    with after a page break."""
    k = first - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    for _ in range(2):
        if k >= 0 and (CAPTION.match(lines[k].strip()) or UNIT_LINE.match(lines[k].strip())) \
                and len(lines[k].strip()) <= 60:
            out.add(k)
            k -= 1
        else:
            break
    kind, width = rows[end - 1][0], len(rows[end - 1][1])
    k = end
    while k < len(lines):
        n = k
        while n < len(lines) and n - k < MAX_BREAK and rows[n] is None and _furniture(lines[n]):
            n += 1
        if n < len(lines) and n > k and rows[n] is not None and rows[n][0] == kind \
                and len(rows[n][1]) == width and _numeric(rows[n][1]):
            # The table goes on past the page's foot: its rows after the break are rows too.
            while n < len(lines) and rows[n] is not None and rows[n][0] == kind:
                out.add(n)
                n += 1
            k = n
            continue
        break
    if k < len(lines) and UNIT_LINE.match(lines[k].strip()):
        out.add(k)
