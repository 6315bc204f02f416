"""Stage 1, candidates: the mentions of a report indexed for range queries, the names
each figure of a list claims for itself, and the facts about each figure's stretch of
text that the rules read (``_Report`` for the report, ``_Figure`` for one figure,
with its decision so far)."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from kg.nlp.entities import RawMention
from kg.nlp.figures import RawFigure
from kg.nlp.linking.names import COUNT_CLAIMS_NAME_AFTER, GROUP_BEFORE_COUNT, ITEM_CLAIMS_NAME_BEFORE
from kg.nlp.linking.structure import Structure
from kg.vocab.ontology import Lexicon

REFERENCE = re.compile(r"(?:保障|救助|供养)?(?:标准|水平)的(?=[\dXx一二两三四五六七八九十百])")
# 中 as "among": before a comma or the verb that takes the part (纳入, 有, 共...);
# not the 中 of 集中, 工作中, 中心.
TOTAL_AMONG = re.compile(r"[^,;。,;、\d]{0,14}?(?<!集)中(?=[,,:：]|纳入|有|共|已|累计|\d)")

# 238名|分散|特困对象: a word or two of modifier between a count and its name.
MODIFIER = re.compile(r"[\u4e00-\u9fff]{1,2}")
#: How far after a figure a name it counts may start (770名|低保、…) and how far before
#: it a group written right before it may (安排825名牵手人|帮扶儿童|1253名).
AFTER_REACH, BEFORE_REACH = 16, 24
LIST_JOINERS = ("、", "和")

#: How far each kind of link may look for its concept, nearest first (GOLD.md:
#: clause, then sentence, then numbered item or section heading).
LEVELS = ("clause", "sentence", "item", "section")
HEADING_LEVELS = ("item", "section")
DEFAULT_LEVELS = {"programme": LEVELS, "group": ("clause",), "standard_group": ("clause", "sentence")}
SLOTS = ("programme", "group")


class Link(NamedTuple):
    """A figure's programme and group, and the names of the rules that decided them."""

    programme: RawMention | None
    group: RawMention | None
    decided_by: tuple[str, ...]


class Mentions:
    """Mentions sorted by start, for range queries by bisection, with what the pick
    rules need to know about each (nested in a group's name, a yardstick)."""

    def __init__(self, mentions: list[RawMention], text: str, lex: Lexicon, disabled: frozenset[str] = frozenset()):
        self.items = sorted(mentions, key=lambda m: (m.start, m.end, m.kind))
        self.text, self.lex, self.disabled = text, lex, disabled
        self.starts = [m.start for m in self.items]
        # 特困 inside 特困老年人: a programme named only as part of a group's
        # name yields to a programme named in its own right (…居家适老化改造).
        self.nested, reach = set(), -1  # reach: the furthest end of a group begun so far
        for m in sorted(self.items, key=lambda m: (m.start, m.kind != "group")):
            if m.kind == "group":
                reach = max(reach, m.end)
            elif m.kind == "programme" and m.end <= reach:
                self.nested.add(id(m))
        # 按照不低于低保标准的1.3倍提高特困人员供养标准: a programme whose
        # standard is the yardstick of a figure is not what the figure is about.
        self.references = {id(m) for m in self.items
                           if m.kind == "programme" and text and REFERENCE.match(text, m.end)}

    def on(self, rule: str) -> bool:
        return rule not in self.disabled

    def within(self, s: int, e: int, kind: str | None = None) -> list[RawMention]:
        out = []
        for j in range(bisect_left(self.starts, s), bisect_left(self.starts, e)):
            m = self.items[j]
            if m.end <= e and (kind is None or m.kind == kind):
                out.append(m)
        return out


class _ClaimedByOthers:
    """The mentions another figure of a list has claimed (a view, not a copy:
    a list of 10,000 figures must not cost 10,000 sets)."""

    def __init__(self, claimed: dict[int, tuple[int, str]], i: int):
        self.claimed, self.i = claimed, i

    def __contains__(self, key: int) -> bool:
        owner = self.claimed.get(key)
        return owner is not None and owner[0] != self.i

    def rule(self, key: int) -> str:
        """The claim rule that keeps the mention from this figure."""
        return self.claimed[key][1]


@dataclass
class _Report:
    """What every rule may read about the report, and the decisions made so far."""

    text: str
    figs: list[RawFigure]
    index: Mentions
    st: Structure
    levels: dict[str, tuple[str, ...]]
    lex: Lexicon
    disabled: frozenset[str]
    claimed: dict[int, int]
    clause_last_end: dict[int, int]
    out: list[Link] = field(default_factory=list)
    named_after: list[int] = field(default_factory=list)  # figures whose programme a group's name gave
    composed: dict[int, RawMention] = field(default_factory=dict)  # figures whose programme group + benefit made

    def on(self, rule: str) -> bool:
        return rule not in self.disabled


@dataclass
class _Figure:
    """One figure's candidates (the facts about its stretch of text) and its decision so far."""

    i: int
    f: RawFigure
    segment: tuple[int, int]  # from the clause's previous figure (or the clause's start) to this one's end
    enumerated: bool  # written after 、 or 和: an item of a list
    post: list[RawMention]  # names written right after it (770名|低保)
    seg_has_group: bool  # its own stretch names a group
    total: bool  # a total "among which" (…户中纳入低保…)
    listed: bool  # a count so named heading a list (770名低保、…)
    skip: _ClaimedByOthers
    value: dict[str, RawMention | None] = field(default_factory=lambda: {"programme": None, "group": None})
    by: dict[str, list[str]] = field(default_factory=lambda: {"programme": [], "group": []})
    level_of: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)  # slot -> the veto that stops the search beyond
    passed: dict[str, list[str]] = field(default_factory=lambda: {"programme": [], "group": []})  # claims passed over

    @property
    def clause(self) -> tuple[int, int]:
        return self.f.clause_start, self.f.clause_end

    def set(self, slot: str, value: RawMention | None, rule: str | tuple[str, ...], keep: bool = False) -> None:
        """Decide a slot; ``keep`` adds the rule to those already deciding it (a veto's fallback)."""
        rules = (rule,) if isinstance(rule, str) else rule
        self.value[slot] = value
        self.by[slot] = (self.by[slot] if keep else []) + list(rules)


def _claims(r: _Report) -> dict[int, tuple[int, str]]:
    """Mentions a figure of a list claims for itself (id -> (figure, rule)): another figure does not take them."""
    text, figs, index = r.text, r.figs, r.index
    claimed: dict[int, tuple[int, str]] = {}
    for i, f in enumerate(figs):
        if r.on(COUNT_CLAIMS_NAME_AFTER):
            # 770名低保、238名分散特困对象: in a list, a name right after a count is that count's own.
            named = [m for m in index.within(f.end, f.end + AFTER_REACH)
                     if m.start == f.end and m.kind in SLOTS]
            if named and text[max(m.end for m in named): max(m.end for m in named) + 1] in LIST_JOINERS:
                claimed.update((id(m), (i, COUNT_CLAIMS_NAME_AFTER)) for m in named)
        same_list = i > 0 and figs[i - 1].clause_start == f.clause_start \
            and text[figs[i - 1].end: f.start].startswith(LIST_JOINERS)
        if same_list:
            if r.on(ITEM_CLAIMS_NAME_BEFORE):  # 城乡低保483户、五保对象67户: so is a name between a list's comma and its count
                claimed.update((id(m), (i, ITEM_CLAIMS_NAME_BEFORE)) for m in index.within(figs[i - 1].end, f.start)
                               if id(m) not in claimed)
        elif r.on(GROUP_BEFORE_COUNT) and any(g is not f and g.clause_start == f.clause_start
                                              for g in figs[max(0, i - 1): i + 2]):
            # 安排825名牵手人帮扶儿童1253名: a group written right before a count of a clause with others is that count's.
            claimed.update((id(m), (i, GROUP_BEFORE_COUNT))
                           for m in index.within(max(f.clause_start, f.start - BEFORE_REACH), f.start)
                           if m.end == f.start and m.kind == "group" and id(m) not in claimed)
    return claimed


def _candidates(r: _Report, i: int) -> _Figure:
    text, figs, index, f = r.text, r.figs, r.index, r.figs[i]
    prev_end = f.clause_start
    if i > 0 and figs[i - 1].clause_start == f.clause_start:
        prev_end = figs[i - 1].end
        after_prev = [m for m in index.within(prev_end, f.start) if m.start == prev_end]
        if after_prev:  # 770名低保、…: 低保 belongs to the figure before
            prev_end = max(m.end for m in after_prev)
    post = [m for m in index.within(f.end, f.end + AFTER_REACH) if m.kind in SLOTS
            and (m.start == f.end or m.start - f.end <= 2 and MODIFIER.fullmatch(text, f.end, m.start))]
    after, j = f.end, i
    while j + 1 < len(figs) and figs[j + 1].start == after:  # 5882户13787人…中
        after, j = figs[j + 1].end, j + 1
    return _Figure(
        i, f, segment=(prev_end, f.end), enumerated=text[prev_end: f.start].startswith(LIST_JOINERS), post=post,
        seg_has_group=any(m.kind == "group" for m in post)
        or any(m.kind == "group" for m in index.within(prev_end, f.start)),
        total=bool(TOTAL_AMONG.match(text, after)),
        listed=bool(post) and text[max(m.end for m in post): max(m.end for m in post) + 1] in LIST_JOINERS,
        skip=_ClaimedByOthers(r.claimed, i))


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))
