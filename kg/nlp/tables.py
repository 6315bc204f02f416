"""Tables: found in text, or given by a document reader, read cell by cell into figures.

A table states its facts in its layout: the number in a cell is measured by its
column's header (户数（万户）), belongs to the programme its column or row names
(城市低保标准 | 农村低保标准, or a row per programme), counts in the place its row
names (临湘市) or the category it names (民办, 70-79岁, 二季度). Read as prose, a
flattened table is a run of numbers with no words between them, so the table
stage owns the text a table stands on: the prose figure finder reads none of it.

Two halves:

- ``find_tables(text)``: pipe-separated (``|``, ``｜``), tab-separated and
  space-aligned lines (what PDF text extraction leaves) with a caption line
  (``表1 …``) above and a unit line (``单位：元/人/月``) above or below, one or
  two header rows (a merged header cell spans the columns under it), ``项目：城市低保｜户数：1,036户``
  rows whose cells name their own column.
- ``table_figures(...)``: each numeric cell of a ``kg.records.Table`` (found here
  or by a reader) to a ``kg.records.Figure``, by the named rules in ``RULES``.

Offsets: tables are found in the report's text as read (the normaliser folds the runs of
spaces and the tabs a table's columns stand on), so every table and cell offset is an
offset into that text, like a figure's; cell texts are normalised as the prose is (simplified,
NFKC) before they are read. The pipeline maps each table's stretch into the normalised text
to keep the prose figure finder out of it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
import unicodedata

from kg.nlp.entities import RawMention, find_mentions
from kg.nlp.figures import MONEY_PER_CONTEXT, context_per
from kg.nlp.linking import _programme_in_name, _serves
from kg.nlp.normalize import normalize
from kg.nlp.numbers import parse_number
from kg.records import ConceptRef, Figure, Region, Table
from kg.vocab.ontology import Lexicon
from kg.vocab.regions import Gazetteer


@dataclass(frozen=True)
class Rule:
    """A named reading rule, as data: the rule registry lists these."""

    name: str
    slot: str  # unit | programme | group | measure | region | qualifier | period | layout
    why: str
    example: str


RULES = (
    Rule("table-layout-pipe", "layout", "lines of cells split by | or ｜ are a table's rows",
         "县（市、区）| 城市低保标准（元/人/月）| 农村低保标准（元/人/年）"),
    Rule("table-layout-tab", "layout", "lines of cells split by tabs are a table's rows", "临湘市\t735\t590"),
    Rule("table-layout-spaces", "layout",
         "lines of short cells split by runs of spaces, in the same columns, are a table (PDF text)",
         "临湘市      735      590"),
    Rule("table-layout-words", "layout",
         "lines of short tokens split by single spaces, as many in each line, are a table (PDF text without layout)",
         "临湘市 735 590 956"),
    Rule("table-layout-keyed-cells", "layout", "a cell 户数：1,036户 names its own column",
         "项目：城市低保｜户数：1,036户｜人数：1,872人"),
    Rule("table-merged-header", "layout", "a header cell over several columns heads each of them",
         "低保标准（元/人/月） over 城市 | 农村"),
    Rule("table-cell-unit", "unit", "a cell that writes its unit (1,036户) has that unit", "1,036户"),
    Rule("table-column-header-unit", "unit", "a unit in the column header's brackets is every cell's",
         "户数（万户）: 1.2 → 12000 户"),
    Rule("table-row-header-unit", "unit", "a unit in the row name's brackets is its cells'",
         "医疗救助（万人次）| 3.2"),
    Rule("table-unit-column", "unit", "a column headed 单位 gives each row's unit", "指标 | 单位 | 数值 ⏎ 城市低保对象 | 万人 | 1.25"),
    Rule("table-unit-line", "unit", "a 单位： line above or below the table gives the unit left",
         "单位：元/人/月"),
    Rule("table-caption-below", "layout", "a 表N line just below a table with no caption above is its caption",
         "…rows… ⏎ 表2  2022年各县（市、区）社会救助兜底保障情况"),
    Rule("table-caption-unit", "unit", "a unit in the caption's brackets", "表2 临时救助情况（单位：万元）"),
    Rule("table-header-word-unit", "unit", "a header naming what is counted gives its classifier",
         "人数 → 人, 户数 → 户, 床位数 → 张"),
    Rule("table-column-header-programme", "programme", "a column header naming a programme",
         "城市低保标准（元/人/月）"),
    Rule("table-row-header-programme", "programme", "a row name naming a programme", "临时救助 | 3,862 | 612.4"),
    Rule("table-caption-programme", "programme", "a caption naming a programme gives it to cells with none",
         "表1 2023年各县（市、区）低保标准"),
    Rule("table-header-narrows-caption-programme", "programme",
         "a header word before the caption's programme names a narrower one", "农村 under 城乡低保… → 农村低保"),
    Rule("table-row-narrows-programme", "programme",
         "a row's category word before the column's programme names a narrower one",
         "低保标准 over 鼓楼区 | 城市 | 760 → 城市低保"),
    Rule("table-row-spans-rows", "region",
         "a blank first label under a filled one is one cell spanning both rows (a merged cell written as text)",
         "鼓楼区 | 城市 | 760 ⏎  | 农村 | 610 → both 鼓楼区"),
    Rule("table-institution-inventory", "programme",
         "rows of institutions of several fields under a caption naming no programme name kinds of institution",
         "养老机构 | 86 ⏎ 儿童福利机构 | 2 ⏎ 精神卫生福利机构 | 1 → no programme, qualifier 养老机构"),
    Rule("table-institution-programme", "programme",
         "institutions and their beds count for the service delivered in them, the broader programme",
         "公办养老机构 | 12 → 养老服务 (qualifier 公办养老机构)"),
    Rule("table-section-row-programme", "programme",
         "a row naming only a part of the table (二、养老服务) gives its programme to the rows under it",
         "二、养老服务 ⏎ 养老床位数 | 张 | 12,460 → 养老服务"),
    Rule("table-note-unit", "unit", "a note under the table naming a column's unit (注：发放金额单位为万元)",
         "发放金额 | 3,171.6 ⏎ 注：1.发放金额单位为万元。 → 31,716,000 元"),
    Rule("table-unit-row", "unit", "a header row of bare units gives each column its unit", "县（区） | 人数 ⏎  | 人"),
    Rule("table-total-row-programme", "programme",
         "a 合计 row counts the programme the rows above it share", "合计 under 城市低保, 农村低保 → 最低生活保障"),
    Rule("table-manner-column", "qualifier",
         "a label column headed …方式 (保障方式, 供养方式) says how a row's people are provided for, "
         "not a programme: its cells are the row's qualifier",
         "类别 | 保障方式 | 人数（人） ⏎ 孤儿 | 集中供养 | 38 → qualifier 集中供养, no programme 集中供养"),
    Rule("table-part-of-left-column", "unit",
         "a column that is a part (其中：急难型) or a signed change (比上年增减 | -1,214) of the column on its "
         "left, with no unit of its own, counts in that column's unit",
         "单位：人次；元 ⏎ 月份 | 救助人次 | 其中：急难型 | 救助金额 ⏎ 1月 | 168 | 41 | 402,350 → 41 人次"),
    Rule("table-count-no-group", "group",
         "a count of institutions, beds or other things is of no beneficiary group, even under a caption "
         "naming one (GOLD.md: a group is whom a figure counts or serves)",
         "表1 养老机构、床位及在院老年人情况 ⏎ 类别 | 机构数（个） | 床位数（张） ⏎ 公办养老机构 | 34 | 4,862 → no group"),
    Rule("table-column-header-group", "group", "a column header naming a group", "孤儿人数"),
    Rule("table-row-header-group", "group",
         "a row name naming a group, also inside a programme's name as the prose reads it (特困人员供养资金 → 特困人员)",
         "困难残疾人 | 3,612"),
    Rule("table-caption-group", "group", "a caption naming a group", "表3 高龄老年人津贴发放情况"),
    Rule("table-header-measure", "measure",
         "the header's word says what the cell measures: 标准 standard, 资金/支出/金额 spending, "
         "人数/户数/人次 recipients, 机构数/床位数 count, 比例/% share", "低保标准 → standard"),
    Rule("table-staff-counted", "measure", "a row or column naming workers (护理员, 儿童主任, 社工) counts them",
         "护理员（人） | 48 → count"),
    Rule("table-header-per-unit", "measure",
         "a header stating provision per unit (每千名老年人拥有…) makes the cell a standard per that unit",
         "每千名老年人拥有养老床位（张）| 31.5 → standard, per 千人"),
    Rule("table-unit-measure", "measure", "no header word: the unit's kind decides (a rate is a standard)",
         "元/人/月 → standard"),
    Rule("table-row-place", "region", "a row naming a place counts in that place, under the report's region",
         "临湘市 | 735 → 临湘市 430682"),
    Rule("table-total-row-place", "region", "a 全市/全县 row counts in the report's own region", "全市 | 812"),
    Rule("table-column-place", "region", "a column per place: its cells count in that place",
         "指标 | 临湘市 | 汨罗市"),
    Rule("table-row-qualifier", "qualifier", "a row naming a category keeps it", "民办 | 45 | 3,200"),
    Rule("table-column-qualifier", "qualifier", "a column naming a category keeps it", "一季度 | 二季度"),
    Rule("table-caption-period", "period", "a year in the caption is the cells' year", "表1 2023年…"),
    Rule("table-quarter-period", "period", "a quarter or half-year row/column is that part of the year",
         "二季度 → 04-01..06-30"),
    Rule("table-month-period", "period", "a month row/column (1月, 3月份) is that month of the year",
         "1月 | 2月 | 3月 → 01-01..01-31, …"),
    Rule("table-column-year-period", "period", "a column headed by a year is that year", "指标 | 2022年 | 2023年"),
    Rule("table-report-period", "period", "otherwise the report's period", ""),
)
RULE_NAMES = frozenset(r.name for r in RULES)
# What holds where no rule before it does: switched off, nothing else would decide the slot.
FALLBACKS = frozenset({"table-unit-measure", "table-report-period"})

EMPTY = frozenset({"", "—", "-", "－", "——", "--", "/", "无", "…", "...", "x", "X", "*"})
CAPTION_NUMBER_ONLY = re.compile(r"^(?:附|续)?表\s*[\d一二三四五六七八九十]+\s*$")
CAPTION_HEAD = re.compile(r"^(?:附|续)?表\s*[\d一二三四五六七八九十]+(?:[.:：、\s]|$)")
UNIT_LIST_IN = re.compile(r"[(（]\s*单位\s*[:：]\s*(?P<spec>[^()（）]{1,24})[)）]")
UNIT_IN = re.compile(r"[(（]\s*(?:单位\s*[:：]\s*)?(?P<spec>[^()（）]{1,10})[)）]")
YEAR = re.compile(r"(20\d\d)年")
MONTHS = re.compile(r"(\d{1,2})\s*[-—~至到]\s*(\d{1,2})月")
MONTH_LABEL = re.compile(r"^(?P<a>\d{1,2})(?:\s*[-—~至到]\s*(?P<b>\d{1,2}))?\s*月份?$")
LIFTED = -2  # the start of a programme read through the institution it is delivered in
YEAR_LABEL = re.compile(r"^(?P<y>(?:19|20)\d\d)年(?:度|末|底)?$")
# The header words (合计, 序号, 户数 → 户, 二季度 …) are lex.table, read from kg/resources/table_*.txt.
# Columns that say how a row is provided (保障方式): they qualify the rows, naming no programme.
MANNER_HEADER = re.compile(r"方式$")


# ------------------------------------------------------------------ finding tables in text

@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str
    cells: tuple[tuple[str, int, int], ...]  # cell text (stripped), start, end in the text
    kind: str  # pipe | tab | spaces


def _display(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _split(line: str, at: int, kind: str, open_left: bool = False) -> tuple[tuple[str, int, int], ...]:
    if kind == "pipe":
        pieces, pos = [], 0
        for part in re.split(r"[|｜]", line):
            pieces.append((part, pos, pos + len(part)))
            pos += len(part) + 1

    elif kind == "tab":
        pieces, pos = [], 0
        for part in line.split("\t"):
            pieces.append((part, pos, pos + len(part)))
            pos += len(part) + 1
        if line.startswith("\t") and not open_left:
            pieces = pieces[1:]  # \t县\t城市低保标准: a web page's cells each open with a tab
    elif kind == "words":
        pieces = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    else:
        pieces = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+(?: \S+)*", line)]
    out = []
    for text, s, e in pieces:
        lead = len(text) - len(text.lstrip())
        t = text.strip()
        out.append((_norm(t), at + s + lead, at + s + lead + len(t)))
    if kind == "pipe":
        framed = not open_left and line.strip().startswith(("|", "｜")) and line.strip().endswith(("|", "｜"))
        # | a | b |: the outer bars frame the row and hold no cell; | 城市 | 农村 (open on the right)
        # starts with an empty cell under the row labels' column.
        if framed:
            out = out[1:] if out and not out[0][0] else out
            out = out[:-1] if out and not out[-1][0] else out
        else:
            while out and not out[-1][0] and line.rstrip().endswith(("|", "｜")):
                out.pop()
    return tuple(out)


@lru_cache(maxsize=4096)
def _norm(s: str) -> str:
    """A cell's text as the rest of the pipeline reads text (simplified, NFKC)."""
    return normalize(s).text.strip() if s else s


def _kind(line: str) -> str | None:
    s = line.strip()
    if not s or "。" in s:
        return None
    if ("|" in s or "｜" in s) and len([c for c in re.split(r"[|｜]", s) if c.strip()]) >= 2:
        return "pipe"
    if "\t" in s and len([c for c in s.split("\t") if c.strip()]) >= 2:
        return "tab"
    if CAPTION_HEAD.match(s):
        return None  # 表3  2023年…: a caption, whatever its spacing
    cells = re.split(r" {2,}|\u3000+", s)
    if len(cells) >= 2 and all(len(c) <= 24 for c in cells):
        return "spaces"
    # PDF text without its layout: cells split by single spaces (临湘市 735 590 956). Chinese
    # prose puts no spaces between words, so short tokens in a row are cells.
    words = s.split(" ")
    if len(words) >= 3 and all(0 < len(w) <= 20 for w in words) and not re.search(r"[，。；、：:,;]$", words[0]):
        return "words"
    return None


def _is_rule_line(s: str) -> bool:
    """A markdown or box-drawing separator: |---|:--:| or ─────."""
    return bool(s.strip()) and bool(re.fullmatch(r"[\s|｜:：\-—─━=+┼├┤┌┐└┘┬┴]+", s.strip()))


def find_tables(text: str, lex: Lexicon, disabled: frozenset[str] = frozenset()) -> list["Located"]:
    """Tables written as lines of text (offsets into ``text``), with each cell's span;
    ``disabled`` names rules switched off (kg eval --without)."""
    def kind_of(line: str) -> str | None:  # a layout switched off finds no table
        k = _kind(line)
        return None if k is None or f"table-layout-{k}" in disabled else k
    lines, pos = [], 0
    for raw in text.split("\n"):
        lines.append((pos, raw.rstrip("\r")))
        pos += len(raw) + 1
    tables: list[Located] = []
    i = 0
    while i < len(lines):
        kind = kind_of(lines[i][1])
        if kind is None:
            i += 1
            continue
        block: list[_Line] = []
        j = i
        while j < len(lines):
            at, raw = lines[j]
            if _is_rule_line(raw) and block:
                j += 1
                continue
            if not raw.strip() and block and kind in ("tab", "pipe"):
                # A web page's rows come out a blank line apart (kg.read.html): the table goes
                # on where the next line is a row of as many cells.
                n = j
                while n < len(lines) and not lines[n][1].strip():
                    n += 1
                if n < len(lines) and kind_of(lines[n][1]) == kind and \
                        len(_split(lines[n][1], lines[n][0], kind)) == len(block[-1].cells):
                    j = n
                    continue
                break
            k = kind_of(raw)
            if k is None and block and kind in ("tab", "pipe") and _section_row(raw, lines, j, kind, len(block[-1].cells), lex):
                # 一、社会救助 alone on its line between rows of cells: a section row of the table
                t = raw.strip()
                lead = raw.find(t)
                block.append(_Line(at, at + len(raw), raw, ((_norm(t), at + lead, at + lead + len(t)),), kind))
                j += 1
                continue
            if k != kind or (k == "words" and block and len(raw.split()) != len(block[0].cells)):
                break  # single-space rows line up by their count of cells only
            block.append(_Line(at, at + len(raw), raw, _split(raw, at, k), k))
            j += 1
        if kind == "pipe":
            # Rows written without outer bars (县 | 低保标准 |  | 特困…): a line among them that
            # opens with a bar ( | 城市 | 农村 | ) has an empty first cell under the row labels.
            opened = [l.text.strip().startswith(("|", "｜")) for l in block]
            if any(opened) and 2 * sum(opened) < len(block):
                block = [_Line(l.start, l.end, l.text, _split(l.text, l.start, "pipe", open_left=True), l.kind)
                         if o else l for l, o in zip(block, opened)]
        if kind == "tab":
            # Only some rows open with a tab (元宝区\t城市\t700 ⏎ \t农村\t460): theirs is an empty
            # first cell (a place written once over its two rows), not a web page's leading tab.
            opened = [l.text.startswith("\t") for l in block]
            if any(opened) and not all(opened):
                block = [_Line(l.start, l.end, l.text, _split(l.text, l.start, "tab", open_left=True), l.kind)
                         if o else l for l, o in zip(block, opened)]
        t = _table(block, lines, i, j, text, lex, disabled)
        if t is not None:
            tables.append(t)
            i = j
        else:
            i += 1
    return tables


LINE_NAMED_UNIT = re.compile(r"(?P<col>[\u4e00-\u9fff]{2,12}?)(?:为|是|[:：])(?P<spec>[^，。；,;、\s]{1,8})")
NOTE_UNIT = re.compile(r"(?P<col>[\u4e00-\u9fff、]{2,30}?)(?:的)?(?:计量)?单位(?:均)?(?:为|是|[:：])(?P<spec>[^，。；,;）)\s]{1,8})")


def _note_units(after: str) -> tuple[tuple[str, str], ...]:
    """Units a note under a table gives its columns (注：1.发放金额单位为万元。2.…): the notes are the
    lines just below, the first opening with 注."""
    out: list[tuple[str, str]] = []
    lines = [l.strip() for l in after.split("\n")[1:6]]
    while lines and not lines[0]:
        lines.pop(0)
    if not lines or not lines[0].startswith("注"):
        return ()
    for k, line in enumerate(lines):
        if not line or (k and not re.match(r"^(?:注|\d+[.．、]|[（(]\d+[)）])", line)):
            break
        # 城市低保、城市特困供养标准单位为元/人·月: each column listed takes the unit
        out += [(col, m.group("spec")) for m in NOTE_UNIT.finditer(_norm(line))
                for col in m.group("col").split("、") if len(col) >= 2]
    return tuple(out)


def _section_row(raw: str, lines, j: int, kind: str, width: int, lex: Lexicon) -> bool:
    """Is the short line at ``j`` a section row inside a table (一、社会救助), the table going
    on right after it with rows of as many cells?"""
    t = raw.strip()
    if not t or len(t) > 16 or re.search(r"[。，；,;:：\d]", t) or CAPTION_HEAD.match(t) or lex.table.unit_line.match(t):
        return False
    n = j + 1
    while n < len(lines) and not lines[n][1].strip():
        n += 1
    return n < len(lines) and _kind(lines[n][1]) == kind and len(_split(lines[n][1], lines[n][0], kind)) == width


def _numeric(cell: str, lex: Lexicon) -> bool:
    return _parse_cell(cell, lex) is not None


def _table(block: list[_Line], lines, i: int, j: int, text: str, lex: Lexicon,
           disabled: frozenset[str] = frozenset()) -> "Located | None":
    if len(block) < 2:
        return None
    kind = block[0].kind
    keyed = kind == "pipe" and "table-layout-keyed-cells" not in disabled and _keyed(block)
    lead_caption = None
    if keyed:
        rows, header, starts = keyed
    else:
        grid = _columns(block) if kind == "spaces" else [list(l.cells) for l in block]
        if grid is None:
            return None
        width = max(len(r) for r in grid)
        rows = [list(r) + [("", -1, -1)] * (width - len(r)) for r in grid]
        starts = [l.start for l in block]
        top = [c for c in rows[0] if c[0]]
        if len(rows) > 2 and len(top) == 2 and CAPTION_NUMBER_ONLY.match(top[0][0]) and top[0] is rows[0][0]:
            # 表1⇥2023年分季度社会救助情况: a caption written with the table's separator is its caption
            # (as a reader's table's top row 表1 | 2022年…情况 is), not a header over every column.
            lead_caption = (f"{top[0][0]} {top[1][0]}", block[0].start)
            rows, starts, block = rows[1:], starts[1:], block[1:]
        header = 0
        for r in rows:
            if any(_numeric(c[0], lex) for c in r[1:]):
                break
            header += 1
        if header == len(rows):
            return None
        if "table-merged-header" not in disabled:
            rows = _spread_headers(rows, header, block if kind == "spaces" else None)
    data = rows[header:]
    if not any(_numeric(c[0], lex) for r in data for c in r):
        return None
    if kind in ("spaces", "words") and sum(any(_numeric(c[0], lex) for c in r) for r in data) < 2:
        return None  # two lines that happen to have spaces in them are not a table
    caption, unit, start, end = None, None, block[0].start, block[-1].end
    if lead_caption:
        caption, start = lead_caption
    # A caption and a unit line above (in either order), a unit line or a note below.
    k = i - 1
    while k >= 0 and not lines[k][1].strip():
        k -= 1
    for _ in range(2):
        if k < 0:
            break
        s = _norm(lines[k][1].strip())
        m = lex.table.unit_line.match(s)
        if m and unit is None:
            unit, start = m.group("spec"), lines[k][0]
        elif caption is None and _caption_line(s, lex):
            caption, start = s, lines[k][0]
        else:
            break
        k -= 1
        while k >= 0 and not lines[k][1].strip():
            k -= 1
    k = j
    while k < len(lines) and not lines[k][1].strip():
        k += 1
    if k < len(lines) and unit is None and (m := lex.table.unit_line.match(_norm(lines[k][1].strip()))):
        unit, end = m.group("spec"), lines[k][0] + len(lines[k][1])
    if caption is None and "table-caption-below" not in disabled:
        # 表2 … under the table (some bureaus caption below): a 表N line just below, unless a
        # table follows it, whose caption it is.
        k = j
        while k < len(lines) and not lines[k][1].strip():
            k += 1
        if k < len(lines) and lex.table.unit_line.match(_norm(lines[k][1].strip())):
            k += 1
        if k < len(lines) and CAPTION_HEAD.match(_norm(lines[k][1].strip())):
            n = k + 1
            while n < len(lines) and not lines[n][1].strip():
                n += 1
            after = _norm(lines[n][1].strip()) if n < len(lines) else ""
            if not (_kind(after) or lex.table.unit_line.match(after)):
                caption, end = _norm(lines[k][1].strip()), lines[k][0] + len(lines[k][1])
    if unit is None and caption and (m := re.search(r"单位\s*[:：]\s*([^)）\s]+)", caption)):
        unit = m.group(1)
    table = Table(start=start, end=end, rows=tuple(tuple(c[0] for c in r) for r in rows), header_rows=header,
                  caption=caption, unit=unit, row_starts=tuple(starts), origin="text")
    # The row as a reader sees it: its cells in column order, empty ones too (全市 |  | 37700).
    texts = [" | ".join(c[0] for c in r) for r in rows]
    if keyed:
        texts = [" | ".join(c[0] for c in rows[0])] + [_norm(l.text.strip()) for l in block]
    return Located(table, tuple(tuple((c[1], c[2]) if c[1] >= 0 else None for c in r) for r in rows), tuple(texts),
                   _note_units(text[block[-1].end:]))


def _caption_line(s: str, lex: Lexicon) -> bool:
    if len(s) > 60 or re.search(r"[。;；!！]", s) or _kind(s):
        return False
    return bool(lex.table.caption.match(s.rstrip(":：")))


def _keyed(block: list[_Line]):
    """项目：城市低保｜户数：1,036户 rows: the keys are the header."""
    keys: list[str] = []
    for line in block:
        for c, _, _ in line.cells:
            m = re.match(r"^([^:：\d]{1,12})[:：]", c)
            if m and m.group(1) not in keys:
                keys.append(m.group(1))
    if not keys or sum(bool(re.match(r"^[^:：\d]{1,12}[:：]", c)) for l in block for c, _, _ in l.cells) < len(block):
        return None
    rows = [[(k, -1, -1) for k in keys]]
    for line in block:
        row = [("", -1, -1)] * len(keys)
        for n, (c, s, e) in enumerate(line.cells):
            m = re.match(r"^([^:：\d]{1,12})[:：]\s*", c)
            if m:
                row[keys.index(m.group(1))] = (c[m.end():], s + m.end(), e)
            elif n == 0:
                row[0] = (c, s, e)  # 合计｜户数：… : the row's own name, under the first key
        rows.append(row)
    return rows, 1, [-1] + [l.start for l in block]


def _columns(block: list[_Line]):
    """Space-aligned lines to a grid: columns from the display positions of the cells
    of the fullest rows; a header cell over several columns (merged) heads each."""
    # The lines in the original text give each cell a display column.
    width = max(len(l.cells) for l in block)
    full = [l for l in block if len(l.cells) == width]
    if not full:
        return None

    def cols(line: _Line):
        # Display columns: a CJK character is two wide where the text was aligned on screen.
        out = []
        for c, s, e in line.cells:
            a = _display(line.text[: s - line.start])
            out.append((a, a + _display(c)))
        return out
    bounds = [[(a, b)] for a, b in cols(full[0])]
    for l in full[1:]:
        for n, (a, b) in enumerate(cols(l)):
            bounds[n].append((a, b))
    col_spans = [(min(a for a, _ in bs), max(b for _, b in bs)) for bs in bounds]
    grid = []
    for l in block:
        if len(l.cells) == width:
            grid.append(list(l.cells))
            continue
        row: list = [None] * width
        for (c, s, e), (a, b) in zip(l.cells, cols(l)):
            hits = [n for n, (x, y) in enumerate(col_spans) if a < y and x < b]
            if not hits:  # between columns: the nearest one
                centre = (a + b) / 2
                hits = [min(range(width), key=lambda n: abs((col_spans[n][0] + col_spans[n][1]) / 2 - centre))]
            for n in hits:
                row[n] = (c, s, e) if row[n] is None else row[n]
        grid.append([x if x is not None else ("", -1, -1) for x in row])
    return grid


def _spread_headers(rows, header: int, block) -> list:
    """A header cell over several columns heads each of them (低保标准 over 城市 | 农村).
    Written as text, such a row has fewer cells than the table, or empty cells where
    the row below has words: the cells written one after another spread evenly over
    the columns after the row labels' (地区 | 城乡低保标准 | 特困供养标准 over
    | 城市 | 农村 | 城市 | 农村); an empty cell among them continues the one on its left."""
    width = len(rows[0])
    out = [list(r) for r in rows]
    for h in range(header - 1):
        r = out[h]
        under = [any(out[k][n][0] for k in range(h + 1, header)) for n in range(width)]
        empty_over_words = [n for n in range(1, width) if not r[n][0] and under[n]]
        if not empty_over_words:
            continue
        filled = [n for n, c in enumerate(r) if c[0]]
        # Space-aligned cells already sit over the columns they overlap; only the spill
        # past their edge (a centred title shorter than its span) is left to continue.
        if block is None and filled == list(range(len(filled))) and len(filled) >= 2:
            cells = [r[n] for n in filled]
            rest = cells[1:]
            span = (width - 1) // len(rest)
            new = cells[:1]
            for c in rest:
                new += [c] * span
            out[h] = new + [rest[-1]] * (width - len(new))
        else:
            for n in range(2, width):
                if not r[n][0] and under[n] and r[n - 1][0]:
                    r[n] = r[n - 1]
    return out


# ------------------------------------------------------------------ cells to figures

@dataclass(frozen=True)
class _Spec:
    unit: str
    mult: str = ""
    per: str | None = None


@lru_cache(maxsize=4)
def _cell_pattern(units: tuple[str, ...]) -> re.Pattern:
    alt = "|".join(re.escape(u) for u in sorted(units, key=lambda u: (-len(u), u)))
    return re.compile(rf"^(?P<pre>约|近|超过)?(?P<sign>[-−+＋])?(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?|[Xx×＊*]{{2,}})"
                      rf"(?P<mult>千万|百万|万|亿|千)?(?P<unit>{alt})?(?P<rate>/[^\d]{{1,6}})?(?P<post>以上|左右|余)?$")


def _parse_cell(cell: str, lex: Lexicon):
    s = re.sub(r"\s+", "", cell)
    if s in EMPTY or YEAR_LABEL.match(s):
        return None  # 2023年, 2023年度: a year heads a column or names a row; it counts nothing
    return _cell_pattern(tuple(lex.units)).match(s)


def _spec(s: str | None, lex: Lexicon) -> _Spec | None:
    """元/人/月, 万户, 亿元, %, 元/人·年 → unit, multiplier, per."""
    if not s:
        return None
    s = re.sub(r"\s+", "", s).replace("·", "/").replace("．", "/")
    m = re.match(r"^(?P<mult>千万|百万|万|亿|千)?(?P<unit>[^/]+?)(?P<rate>/.+)?$", s)
    if not m or m.group("unit") not in lex.units:
        return None
    per = _per(m.group("rate")[1:], lex) if m.group("rate") else None
    return _Spec(lex.units[m.group("unit")], m.group("mult") or "", per)


def _per(s: str, lex: Lexicon) -> str:
    s = s.replace("·", "/").replace("每", "")
    return lex.per_spellings.get(s, s)


def _bracket_spec(label: str, lex: Lexicon) -> _Spec | None:
    for m in UNIT_IN.finditer(label or ""):
        sp = _spec(m.group("spec"), lex)
        if sp:
            return sp
    return None


def _bare(label: str) -> str:
    """A label without its bracketed unit: 户数（万户） → 户数."""
    return UNIT_IN.sub("", label or "").strip()


@dataclass(frozen=True)
class _Names:
    programme: object | None = None  # RawMention
    group: object | None = None
    # The programme is only the one a bare group is named in (特困人员 → 特困人员救助供养): a
    # programme the caption names outright says more.
    implied: bool = False
    from_group: bool = False  # the programme is only the one the group's name carries (低保对象 → 低保)
    staff: bool = False  # names the workers of a service (护理员, 儿童主任): counted, not served


def _names(text: str, lex: Lexicon, gaz: Gazetteer, lifted: tuple[str, ...] | None = None,
           inner_groups: bool = False) -> _Names:
    if not text:
        return _Names()
    words = lex.table
    lifted = words.lifted if lifted is None else lifted  # 机构: a label naming the places a service is delivered in
    ms = find_mentions(text, lex, gaz)
    progs = [m for m in ms if m.kind == "programme"]
    # 特困人员救助供养 names a programme; the 特困人员 inside it is no group of the cell's own.
    grps = [m for m in ms if m.kind == "group" and not any(p.start <= m.start and m.end <= p.end for p in progs)] \
        or [m for m in ms if m.kind == "group" and inner_groups]  # a row 城市特困人员供养: as in prose, 城市特困人员
    longest = lambda xs: max(xs, key=lambda m: (m.end - m.start, -m.start)) if xs else None  # noqa: E731
    prog, grp = longest(progs), longest(grps)
    if grp is not None and prog is not None and prog.start == grp.start and prog.end < grp.end:
        # 享受高龄补贴老年人数: the programme is what the people get, not a kind of them (老年人).
        rest = lex.label_index.get(grp.text[prog.end - grp.start:])
        if rest is not None and lex.concepts[rest].kind == "group":
            grp = RawMention("group", prog.end, grp.end, grp.text[prog.end - grp.start:], key=rest)
    implied = from_group = False
    if prog is None and grp is not None:
        prog = _programme_in_name(grp, lex)  # 城市低保对象 → 城市低保
        implied = prog is not None and bool(prog.key) and any(grp.text in x for x in lex.concepts[prog.key].labels)
        from_group = prog is not None
    elif prog is not None and grp is not None and grp.start <= prog.start and prog.end <= grp.end:
        from_group = True  # 低保对象: the 低保 inside the group's name
    suffix = next((x for x in words.institution_kinds if prog is not None and prog.text.endswith(x)), None)
    own = lex.label_index.get(prog.text[: -len(suffix)]) if suffix and prog.key else None
    if own is not None and lex.concepts[own].kind == "programme":
        # 医养结合机构 | 4: the institutions of a programme the ontology knows by name (医养结合)
        prog = RawMention("programme", prog.start, prog.end - len(suffix), prog.text[: -len(suffix)], key=own)
    elif prog is not None and suffix in words.lifted and not lifted and prog.key:
        prog = None  # 养老机构（个）: a column counting institutions names no programme by that
    elif prog is not None and prog.text.endswith(lifted) and prog.key:
        # 公办养老机构 | 12 | 1460: institutions and their beds count for the service delivered
        # in them (GOLD.md: 全区共运营养老机构16家 → 养老服务), not for 机构养老 as a programme.
        up = next((b for b in lex.ancestors(prog.key)
                   if lex.concepts[b].kind == "programme"), None)
        if up is not None:
            prog = RawMention("programme", LIFTED, LIFTED, lex.concepts[up].pref_zh, key=up)
    staff = any(m.kind == "staff" for m in ms)
    return _Names(prog, grp, implied, from_group, staff)


def _concept(m) -> ConceptRef | None:
    return None if m is None else ConceptRef(m.kind, m.text, key=m.key, broader=m.broader)


def _measure_word(text: str, lex: Lexicon) -> str | None:
    """The measure the header's head word says: the last one written (发放人数 counts people,
    人数 is its head; 床位使用率 is a rate), the longer where two end together."""
    best, where = None, (-1, 0)
    for name, words in lex.table.measure_words:
        for w in words:
            k = text.rfind(w)
            if k >= 0 and (k + len(w), len(w)) > where:
                best, where = name, (k + len(w), len(w))
    return best


def _header_unit(text: str, lex: Lexicon) -> str | None:
    for word, unit in lex.table.header_units:
        if word in text:
            return unit
    return None


def _place(label: str, gaz: Gazetteer, region: Region | None) -> Region | None:
    name = re.sub(r"\s+", "", label)
    codes = gaz.by_name.get(name)
    if not codes:
        return None
    ctx = {region.code} if region and region.code else set()
    if region and region.code:
        own = region.code[:2] if region.level == "province" else region.code[:4]
        inside = [c for c in codes if c.startswith(own) and c != region.code]
        if inside:
            return gaz.region(sorted(inside)[0])
    return gaz.resolve(name, ctx)


@dataclass(frozen=True)
class Located:
    """A table as the pipeline hands it over: the record's table, and each cell's span in
    the normalised text (None where the text does not hold it), and each row's line."""

    table: Table
    cells: tuple[tuple[tuple[int, int] | None, ...], ...]
    lines: tuple[str, ...]  # each row as a reader sees it (the quote)
    # (header words, unit) from a note under the table: 注：发放金额单位为万元
    note_units: tuple[tuple[str, str], ...] = ()


def table_figures(index: int, loc: Located, lex: Lexicon, gaz: Gazetteer, region: Region | None,
                  period: tuple[date | None, date | None], named: frozenset[str] = frozenset(),
                  disabled: frozenset[str] = frozenset()) -> list[Figure]:
    """Each numeric cell of the table as a figure, offsets into the report's text as read.
    ``named``: the programmes the report's text names (their keys); ``disabled``: rules
    switched off (kg eval --without).
    A cell the text does not hold (a reader's table not written into it) gets -1..-1; the
    graph names it by its table, row and column (kg.rdf.tables.figure_part)."""
    on = lambda rule: rule not in disabled  # noqa: E731
    t = loc.table
    rows = t.rows
    h = t.header_rows
    width = max((len(r) for r in rows), default=0)
    data = [r for r in rows[h:]]
    index_cols = {c for c in range(width) if any(lex.table.index_header.match(_bare(rows[r][c])) for r in range(h)
                                                 if c < len(rows[r]))}
    # A column of numbers, not a column of names that holds one (80-89岁, 90-99岁, 100岁以上).
    value_cols = set()
    for c in range(width):
        filled = [r[c] for r in data if c < len(r) and re.sub(r"\s+", "", r[c]) not in EMPTY]
        numeric = [x for x in filled if _parse_cell(x, lex)]
        if c not in index_cols and numeric and 2 * len(numeric) > len(filled):
            value_cols.add(c)
    label_cols = [c for c in range(width) if c not in value_cols and c not in index_cols]
    # 指标 | 单位 | 数值: a column of units says each row's unit; it names nothing.
    unit_cols = [c for c in label_cols if any(lex.table.unit_header.match(_bare(rows[r][c])) for r in range(h)
                                              if c < len(rows[r]))]
    label_cols = [c for c in label_cols if c not in unit_cols]
    manner_cols = {c for c in label_cols if "table-manner-column" not in disabled and any(
        MANNER_HEADER.search(_bare(rows[r][c])) for r in range(h) if c < len(rows[r]))}
    cap = t.caption or ""
    # 单位：人、万元: one unit per value column, in order; 单位：元/人/月: one for all.
    line_specs = [_spec(x, lex) for x in re.split(r"[、,，;；]", t.unit)] if t.unit else []
    # 单位：发放标准为元/人·月，享受人数为人，发放金额为万元: the unit line names each column's unit,
    # read as a note's (注：发放金额单位为万元) is; a list with any part that is no unit says none.
    line_named = tuple((m.group("col"), m.group("spec")) for m in LINE_NAMED_UNIT.finditer(t.unit or "")
                       if _spec(m.group("spec"), lex))
    if None in line_specs:
        line_specs = []
    unit_line = line_specs[0] if len(line_specs) == 1 else None
    cap_spec = _bracket_spec(cap, lex)
    if cap_spec is None and not line_specs:
        listed = next((m.group("spec") for m in UNIT_LIST_IN.finditer(cap)), None)
        line_specs = [_spec(x, lex) for x in re.split(r"[、,，;；]", listed)] if listed else []
        if None in line_specs:
            line_specs = []
    cap_text = re.sub(r"^(?:附)?表\s*[\d一二三四五六七八九十]+", "", cap)
    cap_names = _names(cap_text, lex, gaz)
    cap_groups = _groups_covered(cap_text, lex, gaz)
    year = YEAR.search(cap) if on("table-caption-period") else None
    base_period = ((date(int(year.group(1)), 1, 1), date(int(year.group(1)), 12, 31)) if year else period)
    if year:
        # 2024年上半年, 2023年1-9月, 2023年第二季度: the caption's part of its year.
        y = int(year.group(1))
        months = MONTHS.match(cap, year.end())
        part = next((v for k, v in lex.table.quarters if cap.startswith(k, year.end()) or
                     cap.startswith("第" + k, year.end())), None)
        if months and 1 <= int(months.group(1)) <= int(months.group(2)) <= 12:
            part = (int(months.group(1)), int(months.group(2)))
        if part:
            base_period = (date(y, part[0], 1), _month_end(y, part[1]))
    base_rule = "table-caption-period" if year else "table-report-period"

    col_layers = []
    spanning = {r for r in range(h) if len(rows[r]) > 1 and len(set(rows[r])) == 1}  # a caption or unit row
    # A header row of bare units under the names (县（区） | 城市低保对象数 ⏎  | 人 | 万元): each column's unit.
    unit_row: dict[int, _Spec] = {}
    for r in range(h):
        filled = [(c, x) for c, x in enumerate(rows[r]) if x.strip()]
        specs = {c: _spec(x.strip(), lex) for c, x in filled}
        if r > 0 and filled and all(specs.values()):
            unit_row.update(specs)
            spanning.add(r)
    for c in range(width):
        layers = []
        for r in range(h):
            if r in spanning:
                continue
            v = rows[r][c] if c < len(rows[r]) else ""
            if v and v not in layers:
                layers.append(v)
        col_layers.append(layers)
    col_info = [_column(layers, lex, gaz, region) for layers in col_layers]

    row_names = {}
    manners: dict[int, str] = {}  # 集中供养 under 保障方式: how, kept as the row's qualifier
    spanned: set[int] = set()
    above: dict[int, str] = {}
    for r in range(h, len(rows)):
        cells = [rows[r][c] if c < len(rows[r]) else "" for c in label_cols]
        if cells and not cells[0].strip() and any(x.strip() for x in cells[1:]) and above.get(0):
            # 鼓楼区 | 城市 | 760 ⏎  | 农村 | 610: a blank leading label under a filled one is a cell
            # spanning both rows (a merged cell written as text), so the row is still 鼓楼区's.
            cells = [above.get(k, "") if not x.strip() and k == 0 else x for k, x in enumerate(cells)]
            spanned.add(r)
        elif cells and cells[0].strip():
            above = dict(enumerate(cells))
        else:
            above = {}
        row_names[r] = [x for k, x in enumerate(cells) if x and label_cols[k] not in manner_cols]
        manners[r] = " ".join(_bare(x) for k, x in enumerate(cells) if x and label_cols[k] in manner_cols)
    row_progs = {r: _names(" ".join(_bare(x) for x in labels), lex, gaz, lex.table.institution_kinds, inner_groups=True)
                 for r, labels in row_names.items()}
    mixed_rows: set[int] = set()

    # 养老机构 | 儿童福利机构 | 精神卫生福利机构 under a caption naming no programme: an inventory of
    # institutions of several fields names kinds of institution, not programmes or the groups in
    # their names (特困人员供养服务设施); institutions of one field (公办/民办养老机构) are that field's.
    # A caption naming institutions too (社会福利和养老机构情况) says no more than its rows do.
    inventory = False
    if cap_names.programme is None or cap_names.programme.start == LIFTED:
        kinds = {r: lex.table.among.sub("", " ".join(_bare(x) for x in row_names[r])) for r in row_progs}
        institutions = [r for r, k in kinds.items() if lex.table.institution_row.search(k) and not lex.table.total.match(k)]
        fields = {row_progs[r].programme.key if row_progs[r].programme is not None else None for r in institutions}
        if len(institutions) >= 3 and len(fields) > 1 and on("table-institution-inventory"):
            inventory = True
            for r in institutions:
                row_progs[r] = _Names()
                mixed_rows.add(r)
    # Rows naming only people, with no word for what is measured (低保对象, 特困人员, 其他困难群众 | 2,418):
    # the kinds of recipient a caption's programme reached.
    recipient_rows = {r for r, rn in row_progs.items()
                      if (rn.programme is None or rn.from_group) and (rn.group is not None or rn.programme is None)
                      and not any(_measure_word(_bare(x), lex) not in (None, "recipients") or lex.table.total.match(x)
                                  for x in row_names[r])
                      and any(row_names[r])}
    # 一、社会救助 | | | : a row naming only a part of the table heads the rows under it (a section row).
    section_of: dict[int, _Names] = {}
    current = None
    for r in range(h, len(rows)):
        cells = [x.strip() for x in rows[r]]
        if cells and cells[0] and not any(cells[1:]) and not _parse_cell(cells[0], lex) and len(rows[r]) > 1:
            current = _names(_bare(re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", cells[0])), lex, gaz)
            continue
        if current is not None:
            section_of[r] = current
    # 救助人次 | 其中：急难型, 保障人数 | 比上年增减 (-1,214, 417): a column that is a part or a signed
    # change of the value column on its left, and has no unit of its own, counts in that one's unit.
    vcols = sorted(value_cols)
    dependent: dict[int, int] = {}
    for k, c in enumerate(vcols):
        if k == 0 or col_info[c]["spec"] is not None or c in unit_row or "table-part-of-left-column" in disabled:
            continue
        filled = [re.sub(r"\s+", "", r[c]) for r in data if c < len(r) and _parse_cell(r[c], lex)]
        signed = any(x[:1] in "-−+" for x in filled) and not any(_parse_cell(x, lex).group("unit") for x in filled)
        if lex.table.among.match(col_info[c]["bare"]) or signed:
            dependent[c] = vcols[k - 1]
    independent = [c for c in vcols if c not in dependent]
    out: list[Figure] = []
    for r in range(h, len(rows)):
        labels = row_names[r]
        label_text = " ".join(labels)
        total = any(lex.table.total.match(x) for x in labels)
        rn = row_progs[r]
        rspec = next((s for s in (_spec(rows[r][c].strip(), lex) for c in unit_cols if c < len(rows[r])) if s), None) \
            or next((s for s in (_bracket_spec(x, lex) for x in labels) if s), None)
        unit_cell = rspec is not None and any(c < len(rows[r]) and rows[r][c].strip() for c in unit_cols)
        place = None
        place_rule = None
        place_label = None
        if labels and any(lex.table.whole_place.match(x) for x in labels) and region is not None and on("table-total-row-place"):
            place, place_rule = region, "table-total-row-place"
        else:
            for x in labels if on("table-row-spans-rows" if r in spanned else "table-row-place") else ():
                place = _place(lex.table.among.sub("", _bare(x)), gaz, region)
                if place:
                    place_rule = "table-row-spans-rows" if r in spanned else "table-row-place"
                    place_label = x
                    break
        row_qual = "平均" if any("平均" in x for x in labels) else None
        if rn.programme is not None and rn.programme.start == LIFTED and not total:
            row_qual = " ".join(_bare(x) for x in labels)  # 公办养老机构: a kind of institution
        if not total and not place and rn.programme is None and rn.group is None:
            q = [x for x in labels if _bare(x) and not _measure_word(_bare(x), lex)]
            row_qual = " ".join(_bare(x) for x in q) or None
        if r in mixed_rows:
            row_qual = lex.table.among.sub("", " ".join(_bare(x) for x in labels))  # 其中：特困人员供养服务设施
        if manners.get(r):
            row_qual = " ".join(x for x in (row_qual, manners[r]) if x)
        row_specs: dict[int, _Spec] = {}
        for c in sorted(value_cols):
            if c >= len(rows[r]):
                continue
            m = _parse_cell(rows[r][c], lex)
            if m is None:
                continue
            ci = col_info[c]
            rules: list[str] = []
            # unit and per, in the reader's order: the cell, the column, the row, the unit line, the caption
            spec = None
            if m.group("unit") and on("table-cell-unit"):
                spec = _Spec(lex.units[m.group("unit")], m.group("mult") or "",
                             _per(m.group("rate")[1:], lex) if m.group("rate") else None)
                rules.append("table-cell-unit")
            cspec = ci["spec"] or unit_row.get(c)
            note = None
            if cspec is None and ci["bare"]:
                note = next((sp for col, u in loc.note_units + line_named
                             if (col in ci["bare"] or ci["bare"] in col) and (sp := _spec(u, lex))), None)
                cspec = note
            if len(line_specs) > 1 and cspec is None:
                # 单位：万元、人次 over 救助人次 | 救助金额: the unit whose kind the header's word
                # counts (人次 → people, 金额 → money), else the one in the column's place.
                said = _header_unit(ci["bare"], lex)
                fits = [x for x in line_specs if said and lex.unit_kinds.get(x.unit) == lex.unit_kinds.get(said)]
                if len(fits) == 1:
                    cspec = fits[0]
                elif len(line_specs) == len(value_cols):
                    cspec = line_specs[sorted(value_cols).index(c)]
                elif len(line_specs) == len(independent) and c in independent:
                    cspec = line_specs[independent.index(c)]  # 单位：人次；元 over 人次 | 其中：急难型 | 金额
            row_rate = rspec is not None and rspec.unit == "%" and (cspec is None or cspec.unit != "%")
            if cspec is not None and rspec is not None and \
                    (lex.unit_kinds.get(cspec.unit) == lex.unit_kinds.get(rspec.unit) or row_rate):
                # 临时救助（万人次） under 人数（万人）: the row's own count says more; 增长（%） under
                # 养老床位（张）: a row of rates of change is in % whatever its columns count.
                cspec = None
            for cand, rule in ((cspec, "table-unit-row" if cspec is not None and cspec is unit_row.get(c)
                                else "table-note-unit" if note is not None and cspec is note
                                else "table-column-header-unit"),
                               (rspec, "table-unit-column" if unit_cell else "table-row-header-unit"),
                               (unit_line, "table-unit-line"), (cap_spec, "table-caption-unit")):
                if spec is None and cand is not None and on(rule):
                    spec = cand if not m.group("mult") else replace(cand, mult=m.group("mult"))
                    rules.append(rule)
            if spec is None and c in dependent and dependent[c] in row_specs:
                left = row_specs[dependent[c]]
                spec = left if not m.group("mult") else replace(left, mult=m.group("mult"))
                rules.append("table-part-of-left-column")
            if spec is None:
                word_unit = _header_unit(ci["bare"], lex) or _header_unit(" ".join(_bare(x) for x in labels), lex)
                if word_unit is None or not on("table-header-word-unit"):
                    continue  # a number with nothing to say what it counts: not a fact we can state
                spec = _Spec(word_unit, m.group("mult") or "")
                rules.append("table-header-word-unit")
            row_specs[c] = replace(spec, mult="") if m.group("mult") else spec  # the column's, not the cell's 万
            per = spec.per
            # 每千名老年人拥有养老床位（张）: provision per unit, the header says per what.
            per_unit = None if per or not on("table-header-per-unit") else (
                context_per(ci["bare"], lex) or context_per(" ".join(_bare(x) for x in labels), lex)
                # 次均救助（元）, 户均补助（元）: money per case or household, as the prose reads it
                or (lex.unit_kinds.get(spec.unit) == "Money" and context_per(ci["bare"], lex, MONEY_PER_CONTEXT)
                    or None))
            per = per or per_unit
            num = m.group("num")
            redacted = bool(re.fullmatch(r"[Xx×＊*]+", num))
            value = None if redacted else parse_number(num, spec.mult)
            if value is not None and m.group("sign") in ("-", "−"):
                value = -value  # 增长（%） | -2.5: a fall; 增减 | +40: a rise, written with its sign
            # programme and group: column or row, whichever names one (the narrower if both), then caption
            prog, prule = _choose(ci["names"].programme if on("table-column-header-programme") else None,
                                  rn.programme if on("table-row-header-programme") else None, lex, "programme")
            recipients = r in recipient_rows and cap_names.programme is not None and not cap_names.implied \
                and not (rn.programme is not None and rn.programme.key and cap_names.programme.key
                         and cap_names.programme.key in lex.ancestors(rn.programme.key))
            if recipients and prog is rn.programme:
                # 低保对象 | 3,862 | 412.6 under a caption on 临时救助: a kind of its recipients (but
                # 城市低保对象 under one on 社会救助 names a programme within the caption's: its own).
                prog = None
            if prog is not None and cap_names.programme is not None and not cap_names.implied and \
                    ((prog is rn.programme and rn.implied) or (prog is ci["names"].programme and ci["names"].implied)) \
                    and _caption_covers(cap_names, cap_groups, ci["names"].group or rn.group, lex):
                prog = None  # 特困人员（人） under a caption on 社会救助: the caption's programme
            if prog is None and r in section_of and section_of[r].programme is not None \
                    and on("table-section-row-programme"):
                prog, prule = section_of[r].programme, "table-section-row-programme"
            if prog is None and total and on("table-total-row-programme") and not (cap_names.programme is not None and row_progs.keys() - {r} <= recipient_rows):
                prog = _shared_programme([row_progs[k].programme for k in row_progs if k != r], lex)
                prule = "table-total-row-programme" if prog is not None else None
            if prog is None and cap_names.programme is not None and not inventory and on("table-caption-programme"):
                cell_group = ci["names"].group or rn.group
                # 特困人员基本生活标准 under a caption on 低保: the caption's programme does not serve that group.
                if _caption_covers(cap_names, cap_groups, cell_group, lex) or recipients:
                    prog, prule = cap_names.programme, "table-caption-programme"
                    narrower = _narrowed(cap_names.programme, ci["layers"] + [_bare(x) for x in labels], lex, gaz)
                    if narrower is not None and on("table-header-narrows-caption-programme"):
                        prog, prule = narrower, "table-header-narrows-caption-programme"
            if prog is not None and prule not in (None, "table-caption-programme",
                                                  "table-header-narrows-caption-programme"):
                # 低保标准 over a row 鼓楼区 | 城市: the row's 城市 makes the column's 低保 城市低保.
                # Only to a programme the report names (城市低保 in its text), and never through a
                # place's name (凤城市 | 农村: the 城市 inside 凤城市 is no category).
                narrower = _narrowed(prog, [_bare(x) for x in labels if x != place_label], lex, gaz)
                if narrower is not None and narrower.key in named and on("table-row-narrows-programme"):
                    prog, prule = narrower, "table-row-narrows-programme"
            if prog is not None and prog.start == LIFTED:
                if on("table-institution-programme"):
                    rules.append("table-institution-programme")
                else:
                    prog, prule = None, None
            grp, grule = _choose(ci["names"].group if on("table-column-header-group") else None,
                                 rn.group if on("table-row-header-group") else None, lex, "group")
            if grp is None and cap_names.group is not None and on("table-caption-group") and \
                    (prule in (None, "table-caption-programme", "table-total-row-programme")
                     or prog is not None and prog.start == LIFTED):
                # 城乡低保和特困人员基本生活标准 over 城市低保 | 城市特困供养: a column naming its own programme
                # or a row naming its own is not about the caption's group: only cells the caption speaks for
                # are (and rows of institutions, 公办养老机构, whose service the caption's people are in).
                grp, grule = cap_names.group, "table-caption-group"
            rules += [x for x in (prule, grule) if x]
            head = ci["bare"] + " " + " ".join(_bare(x) for x in labels)  # where 标准 makes money a standard
            row_meas = _measure_word(" ".join(_bare(x) for x in labels), lex)
            if row_meas == "spending" and lex.unit_kinds.get(spec.unit) != "Money":
                row_meas = None  # 支出型（人次）: a kind of case named after spending, counted in people
            meas = row_meas if row_rate else _measure_word(ci["bare"], lex)
            if meas is None and ci["names"].group is not None and lex.unit_kinds.get(spec.unit) == "People":
                meas = "recipients"  # 入住老人（人）: people of a group the column names
            meas = meas or row_meas
            if meas is not None and not (meas == "share" and spec.unit != "%") and on("table-header-measure"):
                rules.append("table-header-measure")
            else:
                kind = lex.unit_kinds.get(spec.unit, "Thing")
                if kind == "Money":
                    meas = "standard" if per or "标准" in head + cap else "spending"
                elif per and per not in lex.per_periods:
                    meas = "standard"
                else:
                    meas = lex.kind_measures.get(kind, "other")
                    if meas == "other" and kind == "People":
                        meas = "recipients"
                rules.append("table-unit-measure")
            if meas == "spending" and per:
                meas = "standard"
            if (rn.staff or ci["names"].staff) and lex.unit_kinds.get(spec.unit) == "People" and meas != "share" \
                    and on("table-staff-counted"):
                meas = "count"  # 护理员（人） | 48: workers are counted (GOLD.md), they receive nothing
                rules.append("table-staff-counted")
            if per_unit:
                meas = "standard"
                rules.append("table-header-per-unit")
            if meas == "count" and grp is not None and on("table-count-no-group"):
                grp = None  # 机构数（个） under …在院老年人情况: institutions and beds are no one's
                rules = [x for x in rules if x != grule] + ["table-count-no-group"]
            qual = row_qual if on("table-row-qualifier") else None
            if qual:
                rules.append("table-row-qualifier")
            if manners.get(r):
                rules.append("table-manner-column")
            if ci["qualifier"] and on("table-column-qualifier"):
                qual = f"{qual} {ci['qualifier']}" if qual else ci["qualifier"]
                rules.append("table-column-qualifier")
            cell_place, cell_place_rule = place, place_rule
            if cell_place is None and ci["place"] is not None and on("table-column-place"):
                cell_place, cell_place_rule = ci["place"], "table-column-place"
            if cell_place_rule:
                rules.append(cell_place_rule)
            ps, pe = base_period
            prule2 = base_rule
            if ci["year"] and on("table-column-year-period"):
                ps, pe = date(ci["year"], 1, 1), date(ci["year"], 12, 31)
                prule2 = "table-column-year-period"
            for q in (row_qual or "", ci["qualifier"] or "") if on("table-quarter-period") else ():
                for word, (a, b) in lex.table.quarters:
                    if q.endswith(word) or q.startswith(word) or q == "第" + word:
                        y = (ps or pe).year if (ps or pe) else None
                        prule2 = prule2 if y is None else "table-quarter-period"
                        if y:
                            ps, pe = date(y, a, 1), _month_end(y, b)
            for q in (row_qual or "", ci["qualifier"] or "") if on("table-month-period") else ():
                mo = MONTH_LABEL.match(q)
                y = (ps or pe).year if (ps or pe) else None
                if mo and y and 1 <= int(mo.group("a")) <= int(mo.group("b") or mo.group("a")) <= 12:
                    ps, pe = date(y, int(mo.group("a")), 1), _month_end(y, int(mo.group("b") or mo.group("a")))
                    prule2 = "table-month-period"
            if r in mixed_rows:
                rules.append("table-institution-inventory")
            rules.append(prule2)
            span = loc.cells[r][c] if r < len(loc.cells) and c < len(loc.cells[r]) else None
            s, e = span if span else (-1, -1)
            out.append(Figure(
                text=re.sub(r"\s+", "", rows[r][c]), unit=spec.unit, value=value, start=s, end=e,
                quote=loc.lines[r] if r < len(loc.lines) else " | ".join(rows[r]),
                measure=meas, per=per, approximate=bool(m.group("pre") or m.group("post")), redacted=redacted,
                programme=_concept(prog), group=_concept(grp), period_start=ps, period_end=pe,
                region=cell_place, qualifier=qual, table=index, row=r, column=c,
                decided_by=tuple(dict.fromkeys(rules))))
    return out


def _month_end(y: int, m: int) -> date:
    return date(y, 12, 31) if m == 12 else date.fromordinal(date(y, m + 1, 1).toordinal() - 1)


def _column(layers: list[str], lex: Lexicon, gaz: Gazetteer, region: Region | None = None) -> dict:
    """What a column's header cells say, read bottom-up: 城市 under 低保标准（元/人/月） reads 城市低保标准."""
    spec = None
    for x in reversed(layers):
        spec = _bracket_spec(x, lex)
        if spec:
            break
    bare = [_bare(x) for x in layers]
    composed = "".join(reversed(bare)) if len(bare) > 1 else (bare[0] if bare else "")
    read = composed
    names = _names(composed, lex, gaz, lifted=())
    if len(bare) > 1 and names.programme is None and names.group is None:
        read = " ".join(bare)
        names = _names(read, lex, gaz, lifted=())
    g = names.group
    if g is not None and g.start >= 0 and any(k < g.end < k + len(w) for w, _ in lex.table.header_units
                                              for k in (read.find(w, max(0, g.end - len(w))),) if k >= 0):
        # 低保户数（户）: 低保 and the header word 户数, not the group 低保户 and 数 (the header word
        # says what is counted; a group whose name ends inside it is not named).
        names = replace(names, group=None)
    if names.programme is not None and not names.programme.key and lex.table.payment_tail.search(names.programme.text):
        # 上级补助 | 县级配套: where the money came from, no programme (GOLD.md decided case 1: a bare
        # 补助/资金/补贴 names none); the row's 城乡低保 or the caption's programme is the cell's.
        names = replace(names, programme=None, implied=False)
    qual = None
    if bare and names.programme is None and names.group is None:
        last = bare[-1]
        if last and not _measure_word(last, lex) and not _header_unit(last, lex) and not lex.table.total.match(last) \
                and last not in lex.table.label_words and spec is None and not re.search(r"[(（]", layers[-1]):
            qual = last
    place = _place(bare[-1], gaz, region) if bare else None
    year = YEAR_LABEL.match(bare[-1]) if bare else None
    if place is not None or year is not None:
        qual = None  # a column per county or per year says where or when, not what kind
    return {"spec": spec, "bare": " ".join(bare), "names": names, "qualifier": qual, "layers": bare[::-1],
            "place": place, "year": int(year.group("y")) if year else None}


def _narrowed(prog, words: list[str], lex: Lexicon, gaz: Gazetteer):
    """A header word that makes the caption's programme narrower (农村 under a caption on
    城乡低保 reads 农村低保): the word before the programme's own wording names a concept
    under it."""
    if not prog.key:
        return None
    stem = prog.text
    for w in words:
        for cut in (stem, stem[2:] if stem.startswith(("城乡", "城镇")) else None):
            if not w or not cut or len(w) > 6:
                continue
            m = _names(w + cut, lex, gaz).programme
            if m is not None and m.key and m.key != prog.key and prog.key in lex.ancestors(m.key):
                return m
    return None


def _choose(col, row, lex: Lexicon, kind: str):
    if col is not None and row is not None:
        # Both name one: the narrower (a row 城市低保 under a column 低保资金 is 城市低保).
        if col.key and row.key and col.key in lex.ancestors(row.key):
            return row, f"table-row-header-{kind}"
        return col, f"table-column-header-{kind}"
    if col is not None:
        return col, f"table-column-header-{kind}"
    if row is not None:
        return row, f"table-row-header-{kind}"
    return None, None


def _groups_covered(caption: str, lex: Lexicon, gaz: Gazetteer) -> frozenset[str]:
    """The groups a caption is about: those it names, and where it names several
    (孤儿和困境儿童…), every group under their nearest common broader one (未成年人)."""
    keys = list(dict.fromkeys(m.key for m in find_mentions(caption, lex, gaz)
                              if m.kind == "group" and m.key in lex.concepts)) if caption else []
    if len(keys) < 2:
        return frozenset(keys)
    chains = [[k] + lex.ancestors(k) for k in keys]
    common = next((c for c in chains[0] if all(c in ch for ch in chains[1:])), None)
    return frozenset(keys + ([common] if common else []))


def _caption_covers(cap: "_Names", cap_groups: frozenset[str], group, lex: Lexicon) -> bool:
    """Does the caption's programme reach a cell whose header names ``group``? Not where the
    ontology says the programme serves other people (特困人员基本生活标准 under a caption on 低保);
    yes where the caption is about that group or a broader one (孤儿和困境儿童基本生活保障 over
    集中养育孤儿 and 事实无人抚养儿童, ``_groups_covered``), where the programme serves just that group (养老服务 and 老年人), or where the
    ontology does not know the group (it contradicts nothing)."""
    prog = cap.programme
    if group is None or not group.key or group.key not in lex.concepts:
        return True
    if any(k == group.key or k in lex.ancestors(group.key) for k in cap_groups):
        return True
    p = prog.key or prog.broader
    if p in lex.concepts:
        served = next((set(lex.concepts[q].serves) for q in [p] + lex.ancestors(p)
                       if q in lex.concepts and lex.concepts[q].serves), set())
        if group.key in served:
            return True
    return _serves(prog, group, lex, strict=True)


def _shared_programme(progs, lex: Lexicon):
    """The nearest concept every named programme falls under (合计 of 城市低保 and 农村低保)."""
    keys = [p for p in progs if p is not None and p.key]
    if len(keys) < 2:
        return None
    chains = [[k.key] + lex.ancestors(k.key) for k in keys]
    for cand in chains[0]:
        if all(cand in ch for ch in chains[1:]):
            c = lex.concepts.get(cand)
            if c is None:
                return None
            return RawMention("programme", -1, -1, c.pref_zh, key=cand)
    return None





def locate(t: Table, original: str, lex: Lexicon, disabled: frozenset[str] = frozenset()) -> Located:
    """A reader's table (DOCX, HTML, PDF) in the terms ``table_figures`` reads: cell texts
    normalised as the prose is, each cell's span where the report's text holds it (a reader
    writes each row into the text as its cells joined by `` | ``), each row as a reader sees it."""
    rows = tuple(tuple(_norm(c) for c in r) for r in t.rows)
    spans, lines = [], []
    pos = t.start
    for r, raw in enumerate(t.rows):
        if r < len(t.row_starts):
            at = t.row_starts[r]
        else:  # no row offsets: the row's line is the next one holding its first cell
            first = next((c.strip() for c in raw if c.strip()), "")
            k = original.find(first, pos) if first else -1
            at = original.rfind("\n", 0, k) + 1 if k >= 0 else pos
        line_end = original.find("\n", at)
        line_end = len(original) if line_end < 0 else line_end
        row = []
        for c in raw:
            k = original.find(c.strip(), at, line_end) if c.strip() else -1
            if k >= 0:
                row.append((k, k + len(c.strip())))
                at = k + len(c.strip())
            else:
                row.append(None)
        spans.append(tuple(row))
        # The row as the reader wrote it, empty cells too (全市 |  | 37700), as a text table's.
        lines.append(" | ".join(rows[r]))
        pos = line_end + 1
    caption, unit = (_norm(t.caption) if t.caption else None), (_norm(t.unit) if t.unit else None)
    if t.start >= 0 and (caption is None or unit is None):
        # A caption or unit line the reader did not see as one (表2 … wrapped over two lines
        # of a narrow page) reads whole in the repaired text just above the table.
        for above in [l for l in original[:t.start].rsplit("\n", 4)[-4:-1] if l.strip()][::-1][:2]:
            s = _norm(above.strip())
            if unit is None and (m := lex.table.unit_line.match(s)):
                unit = m.group("spec")
            elif caption is None and _caption_line(s, lex):
                caption = s
            else:
                break
    if unit is None and t.end >= 0:
        # A unit line just below the table (单位：人、万元), as a text table's may stand.
        below = next((l for l in original[t.end:].split("\n", 4)[1:4] if l.strip()), "")
        if m := lex.table.unit_line.match(_norm(below.strip())):
            unit = m.group("spec")
    if caption is None and t.end >= 0 and "table-caption-below" not in disabled:
        # A 表N caption just below (table-caption-below), unless a table follows: then it is that one's.
        below = [_norm(l.strip()) for l in original[t.end:].split("\n", 6)[1:6] if l.strip()]
        below = below[1:] if below and lex.table.unit_line.match(below[0]) else below
        if below and CAPTION_HEAD.match(below[0]) and not (len(below) > 1 and (_kind(below[1]) or lex.table.unit_line.match(below[1]))):
            caption = below[0]
    # A row merged across the whole table above its header (表1 …, 单位：元) is its caption or
    # unit line, not a header over each column.
    header = t.header_rows
    for r in rows[: max(1, header)]:
        if len(r) > 2 and CAPTION_NUMBER_ONLY.match(r[0]) and len(set(r[1:])) == 1 and r[1] and caption is None:
            caption = f"{r[0]} {r[1]}"  # 表1 | 2022年…情况 (merged over the rest): the caption, in the table's top row
            continue
        if len(r) > 1 and len(set(r)) == 1 and r[0]:
            m = lex.table.unit_line.match(r[0])
            if m and unit is None:
                unit = m.group("spec")
            elif not m and (caption is None or CAPTION_NUMBER_ONLY.match(caption)):
                caption = f"{caption} {r[0]}" if caption else r[0]  # 表1 above, its words in the table's top row
    # The reader may count one header row where there are two (低保标准 over 城市 | 农村):
    # every leading row with no number in it heads the columns.
    lead = 0
    while lead < len(rows) - 1 and not any(_numeric(c, lex) for c in rows[lead][1:]):
        lead += 1
    if "table-merged-header" not in disabled and max(header, lead) > 1:
        # 困难残疾人生活补贴 |  | 重度残疾人护理补贴 |  over 人数 | 金额 | 人数 | 金额: a Word or web table
        # whose spanning header cells were left unmerged reads as a text table's does.
        rows = tuple(tuple(c for c, _, _ in r) for r in _spread_headers(
            [[(c, -1, -1) for c in r] for r in rows], max(header, lead), None))
    norm = replace(t, rows=rows, caption=caption, unit=unit, header_rows=max(header, lead))
    return Located(norm, tuple(spans), tuple(lines), _note_units(original[t.end:]) if t.end >= 0 else ())


def all_tables(original: str, lex: Lexicon, given: tuple[Table, ...] = (),
               disabled: frozenset[str] = frozenset()) -> list[tuple[Table, Located]]:
    """The report's tables: those its reader gave (kept as given), then those written as
    lines of text that no given table already covers; in the order they stand."""
    out = [(t, locate(t, original, lex, disabled)) for t in given]
    for loc in find_tables(original, lex, disabled):
        if not any(t.start < loc.table.end and loc.table.start < t.end for t in given):
            out.append((loc.table, loc))
    out.sort(key=lambda x: (x[0].start, x[0].end))
    # 续表2 after a page break: the rest of 表2, whose caption (and unit line) it goes on under.
    numbered: dict[str, Table] = {}
    for k, (t, loc) in enumerate(out):
        cap = loc.table.caption or ""
        head = CAPTION_HEAD.match(cap)
        if head and cap.startswith("续"):
            first = numbered.get(_table_number(cap))
            if first is not None:
                nt = replace(loc.table, caption=first.caption, unit=loc.table.unit or first.unit)
                out[k] = (replace(t, caption=nt.caption, unit=nt.unit), replace(loc, table=nt))
        elif head:
            numbered[_table_number(cap)] = loc.table
    return out


def _table_number(caption: str) -> str:
    m = re.match(r"^(?:附|续)?表\s*([\d一二三四五六七八九十]+)", caption)
    return m.group(1) if m else ""
__all__ = ["RULES", "RULE_NAMES", "Rule", "Located", "all_tables", "find_tables", "locate", "table_figures"]
