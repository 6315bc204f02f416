"""Find and normalise figures: every quantity with a unit (GOLD.md).

``find_figures`` is a pure function from normalised text to ``RawFigure``
records; the spaCy component at the bottom only wraps it. Units come from the
ontology's unit scheme, so a new classifier is a line of Turtle, not code.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache

from kg.nlp.numbers import CN_CHARS, SMALL_UNITS, parse_chinese_strict, parse_number
from kg.vocab.ontology import Lexicon
from kg.vocab.regions import SUFFIXES as PLACE_SUFFIXES

MAX_BLOCKED = 64  # longest name or quoted slogan whose numbers are not figures
# Not the comma of a thousands separator (每人每月1,900元).
CLAUSE_BREAK = re.compile(r"(?!(?<=\d),\d{3}(?!\d))[,;。!?:\n，；！？：]")
# A rate written before the number: 每人每月900元, 每餐不低于3元 (GOLD.md decision 5: text with its qualifiers).
PER_PREFIX = re.compile(r"(每(?:人|户)?每?(?:月|年|天|日)|每(?:人|户)次?|每(?:餐|例))$")
PER_SUFFIX = r"/(?:人/月|人/年|人·月|人·年|人\.月|人次|人|户|月|年|天|日|次)"
# From/to wording that turns two figures into one with a previous value.
CHANGE_LINK = re.compile(r"^(?:调整|提高|提升|增加|增长|减少|下降|降低|上调|下调|调增|调减|压缩|缩短|缩减)?(?:至|到|为)$")
CHANGE_FROM = re.compile(r"(?:由|从)原?[^,;。]{0,12}$")
CN_NUM = f"[{CN_CHARS}]+"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
REDACTED = r"[Xx×＊*]+"


@dataclass(frozen=True)
class RawFigure:
    """A figure as found in normalised text (offsets are normalised-text offsets)."""

    start: int
    end: int
    text: str
    unit: str
    value: Decimal | None
    per: str | None = None
    previous: Decimal | None = None
    approximate: bool = False
    redacted: bool = False
    unparsed: bool = False
    clause_start: int = 0
    clause_end: int = 0


@lru_cache(maxsize=4)
def _pattern(unit_surfaces: tuple[str, ...], approximate_before: tuple[str, ...]) -> re.Pattern:
    """``approximate_before``: the words before a number that make it approximate or a bound
    (kg/resources/approximate_before.txt, in the order written)."""
    units = "|".join(re.escape(u) for u in sorted(unit_surfaces, key=lambda u: (-len(u), u)))
    return re.compile(
        # What a match starts with, tested first: the regex engine then skips the other
        # characters of the text at once instead of trying every alternative at each.
        rf"(?=(?:{'|'.join(approximate_before)})|\d|{REDACTED}|{CN_NUM})"
        rf"(?P<pre>{'|'.join(approximate_before)})?"
        rf"(?P<num>{ARABIC}|{REDACTED}|{CN_NUM})"
        rf"(?P<a1>余|多)?(?P<mult>千万|百万|万亿|万|亿|千)?(?P<a2>余|多)?"
        rf"(?P<unit>{units})"
        rf"(?P<rate>{PER_SUFFIX})?"
        rf"(?P<post>以上|以下|左右|以内)?"
    )


# A 万/亿 number with no classifier, followed by who it counts: 58.4298万建档立卡贫困对象.
BARE_BIG = re.compile(rf"(?=近|约|超过|\d)(?P<pre>近|约|超过)?(?P<num>{ARABIC})(?P<a1>余|多)?(?P<mult>万|亿)(?P<a2>余|多)?"
                      r"(?=[^\d,;。,]{0,12}?(?:对象|人口|群众|居民|老年人|儿童|残疾人))")
# Numbers seen with a unit that no rule above normalises: malformed digits
# (1.2.3万元, 12,34万元) and vague counts (十几万元, 数百人). Kept, flagged unparsed, with no value.
UNPARSED_NUM = rf"\d[\d.,]*\d|[{CN_CHARS}]+几[{CN_CHARS}]*|几[{CN_CHARS}]+|(?<![人户次总件个岁])数[十百千万亿]+"


@lru_cache(maxsize=4)
def _unparsed_pattern(unit_surfaces: tuple[str, ...]) -> re.Pattern:
    units = "|".join(re.escape(u) for u in sorted(unit_surfaces, key=lambda u: (-len(u), u)))
    return re.compile(rf"(?=\d|[{CN_CHARS}几数])(?P<num>{UNPARSED_NUM})(?P<mult>千万|百万|万亿|万|亿|千)?(?P<unit>{units})")


# 60-80周岁, 3-5万元: a range states two figures (a month range, 1-6月, is a period).
RANGE = re.compile(rf"(?P<a>{ARABIC})\s*[-—~～至到]\s*(?P<b>{ARABIC})(?P<mult>万|亿)?(?P<unit>周岁|岁|元|人|户|张|个|家)")
PERCENT_CN = re.compile(r"百分之(?P<num>[\d.]+|[" + CN_CHARS + r"]+)")


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause (between , ; 。 and line breaks) that holds [start, end)."""
    breaks = _clause_breaks(text)
    i = bisect.bisect_left(breaks, start)
    left = breaks[i - 1] + 1 if i > 0 else 0
    j = bisect.bisect_left(breaks, end, i)
    right = breaks[j] if j < len(breaks) else len(text)
    return left, right


@lru_cache(maxsize=4)
def _clause_breaks(text: str) -> list[int]:
    """Offsets of the clause breaks, found once per text: every figure asks for its clause."""
    return [m.start() for m in CLAUSE_BREAK.finditer(text)]


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Short “…” stretches: names and slogans, whose numbers are not figures."""
    return [(m.start(), m.end()) for m in re.finditer(r"[“\"「『][^”\"」』\n]{1,12}[”\"」』]", text)]


# A web page's own counters (浏览次数:1234次, 点击量:88) are no figure of the report.
PAGE_COUNTER = re.compile(r"(?:浏览|访问|点击|阅读)(?:次数|量|数)?\s*:\s*\d+\s*次?")


def find_figures(text: str, lex: Lexicon, blocked: list[tuple[int, int]] = ()) -> list[RawFigure]:
    """Every figure in ``text``; ``blocked`` spans (names) hold none."""
    pat = _pattern(tuple(lex.units), lex.approximate_before)
    # Long quotations are not names; a quote longer than this blocks nothing.
    counters = [(m.start(), m.end()) for m in PAGE_COUNTER.finditer(text)]
    blocked = sorted(b for b in list(blocked) + quoted_spans(text) + counters if b[1] - b[0] <= MAX_BLOCKED)
    found: list[RawFigure] = []
    for m in pat.finditer(text):
        fig = _from_match(text, m, lex)
        if fig is not None and not _inside(fig, blocked):
            found.append(fig)
    taken = [(f.start, f.end) for f in found]
    for m in BARE_BIG.finditer(text):
        if _inside_any(m.start("num"), m.end(), taken) or _inside(m, blocked):
            continue
        if not _boundary_ok(text, m.start("num"), m.end("mult")):
            continue
        approx = bool(m.group("pre") or m.group("a1") or m.group("a2"))
        value = parse_number(m.group("num"), m.group("mult"))
        found.append(_with_clause(text, RawFigure(m.start(), m.end(), m.group(0), "人", value, approximate=approx)))
    for m in RANGE.finditer(text):
        if _inside(m, blocked) or not _boundary_ok(text, m.start(), m.end()):
            continue
        unit = lex.units.get(m.group("unit"), m.group("unit"))
        if unit not in lex.unit_kinds:
            continue
        a, b = (parse_number(m.group(k), m.group("mult") or "") for k in ("a", "b"))
        found.append(_with_clause(text, RawFigure(m.start("a"), m.end("a"), m.group("a"), unit, a)))
        found.append(_with_clause(text, RawFigure(m.start("b"), m.end(), text[m.start("b"): m.end()], unit, b)))
    for m in PERCENT_CN.finditer(text):
        try:
            value = parse_number(m.group("num"))
        except Exception:
            continue
        found.append(_with_clause(text, RawFigure(m.start(), m.end(), m.group(0), "%", value)))
    covered = bytearray(len(text) + 1)  # a mask, not a list scan: 10,000 figures in a line stay linear
    for f in found:
        covered[f.start: f.end] = b"\x01" * (f.end - f.start)
    for m in _unparsed_pattern(tuple(lex.units)).finditer(text):
        if any(covered[m.start(): m.end()]) or _inside(m, blocked) or not _boundary_ok(text, m.start(), m.end()):
            continue
        if lex.unit_kinds.get(lex.units[m.group("unit")]) == "TimeSpan":
            continue  # 2020年 is a date, rejected above on purpose
        found.append(_with_clause(text, RawFigure(m.start(), m.end(), m.group(0), lex.units[m.group("unit")], None,
                                                  unparsed=True)))
    found.sort(key=lambda f: (f.start, f.end))
    return merge_changes(text, found)


def _inside(span, blocked: list[tuple[int, int]]) -> bool:
    """Is the span inside (or overlapped by a longer) blocked span? ``blocked`` is
    sorted; only spans starting shortly before this one can reach it."""
    s, e = (span.start, span.end) if isinstance(span, RawFigure) else (span.start(), span.end())
    i = bisect.bisect_left(blocked, (s - MAX_BLOCKED, -1))
    while i < len(blocked) and blocked[i][0] < e:
        bs, be = blocked[i]
        if bs <= s and e <= be or (bs < e and s < be and (be - bs) > (e - s)):
            return True
        i += 1
    return False


def _inside_any(s: int, e: int, spans) -> bool:
    return any(bs < e and s < be for bs, be in spans)


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """Reject numbers glued to codes, dates, versions and ordinals."""
    before = text[start - 1] if start > 0 else ""
    if before and (before.isascii() and (before.isalnum() or before in ".-/_~#")):
        return False
    if before == ":" and start >= 2 and text[start - 2].isascii() and text[start - 2].isalnum():
        return False  # 10:30, ID:123; but a table's 户数:1,234户 is a figure
    if before in ("第", "—", "－", "~", "～", "至") and not text[start].isdigit():
        return False
    if before == "第":
        return False
    if before in ",." and start >= 2 and text[start - 2].isdigit():
        return False  # the tail of a malformed number (12,34万元): not 34万元
    after = text[end] if end < len(text) else ""
    return not (after.isascii() and after.isalpha())


def _from_match(text: str, m: re.Match, lex: Lexicon) -> RawFigure | None:
    num, mult, unit_surface = m.group("num"), m.group("mult") or "", m.group("unit")
    start = m.start("num")
    if not _boundary_ok(text, start, m.end("num")):
        return None
    redacted = bool(re.fullmatch(REDACTED, num))
    if redacted and unit_surface in PLACE_SUFFIXES:
        return None  # XX县: a hidden place name, not a count of counties (13县 is one)
    if lex.unit_kinds.get(lex.units[unit_surface]) == "TimeSpan" and not _span_ok(text, m, redacted):
        return None
    is_cn = not redacted and not num[0].isdigit()
    if is_cn and not _cn_figure_ok(text, m, lex):
        return None
    # 60-80周岁, 1-6月: ranges are not figures (the second number is glued to '-').
    if start > 0 and text[start - 1] in "-—~～" and text[start - 2: start - 1].isdigit():
        return None
    base = lex.units[unit_surface]
    unparsed = False
    value = None
    if not redacted:
        try:
            value = parse_number(num, mult)
        except (ValueError, ArithmeticError):
            unparsed = True
    pre = m.group("pre") or ""
    if pre == "约" and start >= 2 and text[start - 2] in WORD_BEFORE_YUE:
        pre = ""  # 公约32篇: the 约 belongs to the word before
    approx = bool(pre or m.group("a1") or m.group("a2") or m.group("post"))
    fig_start = m.start("pre") if pre else start
    per = None
    rate = m.group("rate")
    if rate:
        per = _normalise_per(rate[1:], lex)
    if per is None:
        cs, _ = clause_bounds(text, fig_start, m.end())
        cs = max(cs, start - 200)  # a rate is stated near its figure; a long list stays linear
        per = context_per(text[cs:start], lex)
        if per is None and lex.unit_kinds.get(base) == "Money":
            per = context_per(text[cs:start], lex, MONEY_PER_CONTEXT)
    # 每人每月900元: the rate and its prefix belong to the figure's text.
    prefix = PER_PREFIX.search(text, max(0, fig_start - 5), fig_start)
    if prefix and prefix.end() == fig_start:
        per = per or _normalise_per(prefix.group(1)[1:], lex)
        fig_start = prefix.start()
    cs, ce = clause_bounds(text, fig_start, m.end())  # _with_clause, without making the figure twice
    return RawFigure(fig_start, m.end(), text[fig_start: m.end()], base, value, per=per,
                     approximate=approx, redacted=redacted, unparsed=unparsed, clause_start=cs, clause_end=ce)


# Words ending in 约 (公约, 节约 ...): a 约 after them is not "about".
WORD_BEFORE_YUE = set("公条契节预签合制规婚邀特履违守民")
PER_CONTEXT = (
    (re.compile(r"每(人|户)每(月|年|天)"), lambda m: f"{m.group(1)}/{m.group(2)}"),
    (re.compile(r"(年|月)人均|人均(月|年)"), lambda m: "人/" + (m.group(1) or m.group(2))),
    (re.compile(r"每([千万百])(?:名|个|位)?[^每,;。]*?(?:拥有|有|配备|建有|设有|至少|不少于|不低于|达到|达)"),
     lambda m: m.group(1) + "人"),
)
# 每个社区专职社工不少于6人: per the container named (its words: lex.per_containers).
PER_CONTAINER = re.compile(r"每(?:个|名|位)?(?P<x>[^每,;。\d]{1,12}?)(?:均|都)?"
                           r"(?:拥有|有|配备|建有|设有|建设|建成|至少|不少于|不低于|培育)")


# Money paid per head or household: 人均救助约5066元, 每户补助3000元, 平均每人次救助2026元.
MONEY_PER_CONTEXT = [
    (re.compile(r"(人次|户次|人|户|次)均"), lambda m: "人次" if m.group(1) == "次" else m.group(1)),  # 次均救助: per case
    (re.compile(r"每(人次|户次|人|户)(?=[^\d每,;。]{0,8}$)"), lambda m: m.group(1)),
    # 每张床位1万元的建设补贴, 每餐补贴标准为5元: per bed, per meal
    (re.compile(r"每(?:张)?(床位|床|张|餐)(?=[^\d每,;。]{0,8}$)"), lambda m: "餐" if m.group(1) == "餐" else "张"),
]


@lru_cache(maxsize=4)
def _per_patterns(lex: Lexicon) -> tuple:
    """PER_CONTEXT, then the rates stated per a container (lex.per_containers), in that order."""
    containers = lex.per_containers
    # 全市13县(市、区)都建成一所: each of the places counted has one (GOLD.md decision 2).
    counted = re.compile(r"\d+个?(?P<x>" + "|".join(containers) + r")(?:[(（][^)）]{0,8}[)）])?(?:均|都)"
                         r"(?:拥有|有|配备|建有|设有|建设|建成|建)$")
    return PER_CONTEXT + ((PER_CONTAINER, lambda m: _container(m.group("x"), containers)),
                          (counted, lambda m: m.group("x")))


def context_per(before: str, lex: Lexicon, patterns=None) -> str | None:
    """A rate stated earlier in the clause: 人均月补差687元, 每千名老年人拥有养老床位60张.
    ``patterns``: other rates to look for (MONEY_PER_CONTEXT) instead of the per-capita ones."""
    for pat, make in patterns if patterns is not None else _per_patterns(lex):
        found = list(pat.finditer(before))
        if found:
            return make(found[-1])
    return None


def _container(x: str, containers: tuple[str, ...]) -> str:
    best = -1
    for word in containers:
        i = x.rfind(word)
        if i >= 0:
            best = max(best, i + len(word))
    if best < 0:
        return x
    if x[best: best + 1] == "(" and ")" in x[best:]:
        best = x.index(")", best) + 1
    return x[:best]


# 1.2022年, 2.2023年: a numbered list's item followed by a year (spans of years are whole or halves).
LIST_NUMBER_YEAR = re.compile(r"\d{1,2}\.(?:19|20)\d\d")

# 三年行动计划, 三年级, 2020年度: a name, a grade, a year.
NOT_A_SPAN = re.compile(r"级|度|攻坚|工程|(?:工作|专项)?(?:行动|计划|规划|方案)")


def _span_ok(text: str, m: re.Match, redacted: bool) -> bool:
    """Is N年 a span of years (利用三年时间) rather than a date (2020年, 20XX年)?"""
    if redacted or m.group("mult"):
        return False
    try:
        years = parse_number(m.group("num"), "")
    except (ValueError, ArithmeticError):
        return False
    if LIST_NUMBER_YEAR.fullmatch(m.group("num")):
        return False  # 附件：1.2022年…情况: a list item's number before a year, not 1.2 years
    return 0 < years < 100 and not NOT_A_SPAN.match(text, m.end("unit"))


# What a Chinese numeral and its classifier name rather than count (八项|规定).
CN_NAMED = re.compile(r"规定|原则|不摘|服务圈")


# 每县有|建设 (一所): one per unit provided, the only place 一 is a figure.
PER_UNIT_ONE = re.compile(r"(?:每[^每,;。，；\d一]{1,6}?(?:均|都)?|[)）]?(?:均|都))(?:拥有|有|配备|建有|设有|建设|建成|建)$")


def _cn_figure_ok(text: str, m: re.Match, lex: Lexicon) -> bool:
    """Chinese numerals count only in well-formed quantities, never in names."""
    num, start = m.group("num"), m.start("num")
    if num == "一" and PER_UNIT_ONE.search(text, max(0, start - 12), start):
        pass  # 每县有一所中心敬老院: provision per unit (GOLD.md decision 2), a figure
    elif num in ("一", "〇", "零"):
        return False  # 一批, 一所, 一次办好: an article, not a count
    if all(c in "十百千万亿" for c in num) and num not in SMALL_UNITS:  # 百 alone may count; 百万 not
        return False
    if num in ("百", "千") and not m.group("pre"):
        return False  # 百岁老人, 千家万户: idioms; 近百名 is a count
    if start > 0 and text[start - 1] in "每第唯":
        return False  # 每千名 is a rate base; 第五批 an ordinal; 唯一
    try:
        parse_chinese_strict(num)
    except ValueError:
        return False  # 十四五: a name
    after = text[m.end("unit"): m.end("unit") + 2]
    if any(after.startswith(sfx) for sfx in lex.suffixes.get("programme", ())):
        return False  # 两项补贴
    if CN_NAMED.match(text, m.end("unit")):
        return False  # 中央八项规定, 四个不摘: a numbered rule or slogan, not a count
    # Inside any quotation a Chinese numeral is part of a slogan or name.
    line_start = text.rfind("\n", 0, start) + 1
    opened = text.count("“", line_start, start) - text.count("”", line_start, start)
    return opened <= 0


def _normalise_per(s: str, lex: Lexicon) -> str:
    s = s.replace("·", "/").replace(".", "/")
    if s.startswith("每"):
        s = s[1:]
    return lex.per_spellings.get(s, s)


def _with_clause(text: str, fig: RawFigure) -> RawFigure:
    cs, ce = clause_bounds(text, fig.start, fig.end)
    return replace(fig, clause_start=cs, clause_end=ce)


def _run(text: str, figs: list[RawFigure], i: int) -> int:
    """The end (exclusive) of the list of figures starting at i (980元、790元)."""
    j = i + 1
    while (j < len(figs) and figs[j].clause_start == figs[i].clause_start and figs[j].unit == figs[i].unit
           and text[figs[j - 1].end: figs[j].start] in ("、", "和", "及")):
        j += 1
    return j


def _parallel_changes(text: str, figs: list[RawFigure]) -> list[RawFigure]:
    """城市、农村低保标准分别由每人每月980元、790元提高到1030元、840元: each new
    value takes the old one in the same place of the list before it."""
    out, i = [], 0
    while i < len(figs):
        a_end = _run(text, figs, i)
        n = a_end - i
        if (n >= 2 and a_end < len(figs) and _run(text, figs, a_end) - a_end == n
                and figs[a_end].unit == figs[i].unit and figs[a_end].clause_start == figs[i].clause_start
                and CHANGE_LINK.match(text[figs[a_end - 1].end: figs[a_end].start])
                and CHANGE_FROM.search(text[figs[i].clause_start: figs[i].start])
                and not any(f.redacted for f in figs[i:a_end])):
            per = figs[i].per
            for old, new in zip(figs[i:a_end], figs[a_end: a_end + n]):
                out.append(replace(new, previous=old.value, per=new.per or old.per or per))
            i = a_end + n
            continue
        out.append(figs[i])
        i += 1
    return out


def merge_changes(text: str, figs: list[RawFigure]) -> list[RawFigure]:
    """``由原630元/月调整至670元/月`` is one figure (670) with a previous value (630)."""
    out: list[RawFigure] = []
    for f in _parallel_changes(text, figs):
        prev = out[-1] if out else None
        # 分别提高到每人每月800元、600元: list members share the first one's rate.
        if (prev is not None and f.per is None and prev.per and prev.unit == f.unit
                and prev.clause_start == f.clause_start and text[prev.end: f.start] in ("、", "和", "及")
                and "分别" in text[f.clause_start: prev.start]):
            f = replace(f, per=prev.per)
        # 每千名老年人拥有养老床位60张,其中护理床位达到30张: 其中 keeps the rate.
        if (prev is not None and f.per is None and prev.per and prev.unit == f.unit
                and text.startswith("其中", f.clause_start) and prev.clause_end + 1 == f.clause_start):
            f = replace(f, per=prev.per)
        prev = out[-1] if out else None
        if (prev is not None and prev.unit == f.unit and prev.clause_start == f.clause_start
                and CHANGE_LINK.match(text[prev.end: f.start])
                and CHANGE_FROM.search(text[prev.clause_start: prev.start])
                and not prev.redacted):
            out[-1] = replace(f, previous=prev.value, per=f.per or prev.per)
            continue
        out.append(f)
    return out
