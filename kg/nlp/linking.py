"""Link each figure to its programme, group, measure and period.

Scope follows GOLD.md's conventions: the programme (or group) named in the
figure's own stretch of the clause, else in its clause, else in its
sentence, else in its numbered item's heading, else in its section heading.
Measures come from the unit's kind and cue words, both read from the ontology.

How ``link`` decides, one figure at a time (kg.nlp.rules lists every rule in this order):

1. claims: in a list, the names each figure claims for itself (``_claims``);
2. candidates: the facts about the figure's stretch of text (``_candidates``);
3. proposals for each slot, in ``PROPOSALS`` order, until one names a concept; a veto
   marks the slot blocked and stops the stoppable proposals after it; the scopes
   (clause, sentence, item, section) pick with the pick rules (``_pick``);
4. revisions, in ``REVISIONS`` order;
5. ``refine_groups`` once measures are known (``measure_of``, its rules in order).

Every rule is a name from kg.nlp.rules; ``disabled`` switches rules off by name, and
each figure's ``Link.decided_by`` names the rules that decided it.
"""
from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from kg.nlp.entities import CJK, RawMention, pos_cut
from kg.nlp.figures import RawFigure
from kg.vocab.ontology import Lexicon

# The rules' names (kg.nlp.rules holds what each decides, why, and its examples).
TWO_UNITS = "two-units-one-thing"
RESPECTIVELY = "respectively"
RESPECTIVELY_BEFORE = "respectively-after-the-clauses-before"
OWN_STRETCH = "own-stretch-names-it"
TOTAL_AMONG_RULE = "a-total-among-which-has-no-programme"
NAME_AFTER_COUNT = "name-after-the-count"
LIST_CLOSING_PROGRAMME = "programme-closing-a-list"
GROUP_ITEM_BORROWS_NOTHING = "group-item-of-a-list-borrows-no-programme"
LISTED_COUNT_BORROWS_NOTHING = "named-count-heading-a-list-borrows-nothing"
SPEND_FOR_PURPOSE = "spending-for-the-purpose-named-next"
LEVEL_RULES = {"clause": "clause-names-it", "sentence": "sentence-names-it",
               "item": "item-heading-names-it", "section": "section-heading-names-it"}
LIST_SHARES_BORROWED = "list-items-share-a-borrowed-programme"
LATER_CLAUSE_ANOTHER_ACTION = "a-later-clause-is-another-action"
PROGRAMME_IN_GROUP_NAME = "programme-in-the-group-name"
GROUP_AND_BENEFIT = "group-and-benefit-make-a-programme"
PAYMENT_WORD = "a-payment-paid-to-a-group-names-no-programme"
COMPOSED_CARRIES_ON = "made-programme-carries-on"
TOTAL_OF_PARTS = "total-of-the-parts"
GROUP_OF_TOTAL = "group-of-the-total"
YARDSTICK = "yardstick-is-not-the-subject"
MUST_SERVE_GROUP = "borrowed-programme-must-serve-the-group"
INSTITUTIONS_SERVE = "institutions-count-for-the-service-in-them"
#: A label naming the places a service is delivered in (养老机构), not the service.
INSTITUTION_WORDS = ("机构",)
NO_GROUP_IN_A_NAME = "no-group-from-a-name-for-counts-and-shares"
GROUP_BEFORE_IN_SENTENCE = "group-named-before-in-the-sentence"
NESTED = "programme-in-a-group-name-yields"
UMBRELLA = "list-closed-by-deng-names-its-kind"
NARROWER = "narrower-beside-broader"
COUNT_CLAIMS_NAME_AFTER = "count-claims-the-name-after-it"
ITEM_CLAIMS_NAME_BEFORE = "list-item-claims-the-name-before-it"
GROUP_BEFORE_COUNT = "group-right-before-a-count-is-its-own"
NO_PROGRAMME = "no-programme-in-reach"
# measure (measure_of)
SHARE_UNIT = "a-share-unit-is-a-share"
THRESHOLD = "a-threshold-is-other"
BOUND_ON_ANOTHER_NOUN = "a-bound-describing-another-noun-is-other"
HOURS = "hours-of-service-are-counted"
OTHER_CUE = "other-cue-word"
MONEY_STANDARD = "money-per-unit-or-standard-cue-is-a-standard"
MONEY_SPENT = "money-is-spending"
RATE_STANDARD = "a-rate-per-person-is-a-standard"
STAFF_COUNTED = "staff-are-counted"
GROUP_RECIPIENTS = "people-of-a-group-are-recipients"
TAKING_PART = "people-taking-part-are-counted"
VISITORS = "visitors-received-are-counted"
TRAINEES = "trainees-are-counted"
PEOPLE_RECIPIENTS = "people-are-recipients"
KIND_DEFAULT = "the-unit-kind-decides"
NO_GROUP = "no-group-in-the-clause"

SENTENCE_END = re.compile(r"[。!?\n！？]")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+部分|\d+[、.．])")
ITEM = re.compile(r"(?:^|(?<=[。;\n]))\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+要|\d+[)）]|[(（]\d+[)）])")


@dataclass(frozen=True)
class Structure:
    """Where headings, items and sentences start in a text (sorted, for bisection:
    a long report must not cost the square of its length)."""

    headings: list[tuple[int, int, int]]  # (start, end, depth)
    items: list[tuple[int, int]]  # (start, end of its first sentence)
    text: str
    ends: list[int] = field(default_factory=list)  # offsets of sentence-ending characters

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect_left(self.ends, pos)
        start = self.ends[i - 1] + 1 if i > 0 else 0
        end = self.ends[i] if i < len(self.ends) else len(self.text)
        return start, end

    def item_heading(self, pos: int) -> tuple[int, int] | None:
        i = bisect_right(self._item_starts, pos)
        if i == 0:
            return None
        best = self.items[i - 1]
        # An item ends at the next heading line.
        j = bisect_right(self._heading_starts, best[0])
        if j < len(self.headings) and self.headings[j][0] <= pos:
            return None
        return best

    def __post_init__(self):
        object.__setattr__(self, "_item_starts", [s for s, _ in self.items])
        object.__setattr__(self, "_heading_starts", [h[0] for h in self.headings])

    def section_headings(self, pos: int) -> list[tuple[int, int]]:
        """Enclosing headings, nearest first (一、 then its (一) ...)."""
        out, depth_seen = [], set()
        for hs, he, depth in reversed(self.headings[: bisect_right(self._heading_starts, pos)]):
            if depth not in depth_seen and (not depth_seen or depth < min(depth_seen)):
                out.append((hs, he))
                depth_seen.add(depth)
        return out


#: A heading line (or a numbered paragraph's title sentence) is at most this long;
#: a line without punctuation at most HEADING_PLAIN is a heading too.
HEADING_MAX, HEADING_PLAIN = 60, 30


def structure(text: str) -> Structure:
    headings = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        m = HEADING.match(stripped)
        # 2．推进养老服务高质量发展。全年新增…: a numbered paragraph's title is its first sentence.
        title = len(line) if len(stripped) <= HEADING_MAX else line.find("。") + 1
        if m and 0 < title <= HEADING_MAX + len(line) - len(stripped):
            depth = 0 if "、" in m.group(0) and not m.group(0)[0].isdigit() else 1
            if m.group(0).startswith("第"):
                depth = -1
            headings.append((pos, pos + title, depth))
        elif stripped and len(stripped) <= HEADING_PLAIN and not re.search(r"[,。;]", stripped) and pos > 0:
            # A short line without punctuation is a heading too (2024年工作谋划:), of
            # what follows it up to the next heading of any depth: a table's title
            # (2021年社会救助资金发放情况统计表) heads no later numbered section.
            headings.append((pos, pos + len(line), 2))
        pos += len(line) + 1
    ends = [m.start() for m in SENTENCE_END.finditer(text)]
    items = []
    for m in ITEM.finditer(text):
        start = m.end() - len(m.group(0).lstrip())
        i = bisect_left(ends, start)
        items.append((start, ends[i] if i < len(ends) else len(text)))
    return Structure(headings, items, text, ends)


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


#: What a pick returns: the mention (or None) and the pick rules that chose it over the others.
Pick = tuple[RawMention | None, tuple[str, ...]]


def _pick(mentions: Mentions, kind: str, s: int, e: int, near: int | None = None,
          skip: Container[int] = ()) -> Pick:
    """One mention of ``kind`` in text[s:e]: the first (GOLD.md), or with ``near`` the
    nearest before it, else the first ahead as far as a semicolon; the pick rules
    (kg.nlp.rules, order 100s) prefer one over another."""
    inside = mentions.within(s, e, kind)
    claimed = [m for m in inside if id(m) in skip]
    inside = [m for m in inside if id(m) not in skip]
    why: list[str] = list(dict.fromkeys(skip.rule(id(m)) for m in claimed))  # type: ignore[attr-defined]
    if not inside:
        return None, tuple(why)  # the claims decided: nothing left for this figure
    yielding = {rule: ids for rule, ids in ((NESTED, mentions.nested), (YARDSTICK, mentions.references))
                if mentions.on(rule)}
    own = [m for m in inside if not any(id(m) in ids for ids in yielding.values())]
    if own and len(own) < len(inside):
        why += [rule for rule, ids in yielding.items() if any(id(m) in ids for m in inside)]
    inside = own or inside
    if near is None:
        # 助餐、助洁等居家上门服务 is about the service; 为低保对象、特困人员等困难群众 counts
        # the first group named (GOLD.md: the first).
        umbrella = _umbrella(mentions, inside) if kind == "programme" and mentions.on(UMBRELLA) else None
        if umbrella is not None:
            return umbrella, (*why, UMBRELLA)
        if not mentions.on(NARROWER):
            return inside[0], tuple(why)
        # A broader concept (优抚, of 优抚医院) yields to a narrower one named beside it (短期疗养).
        # Not within a coordination (高龄津贴和长寿补贴: the first, as GOLD.md says).
        text = mentions.text
        chosen = next((m for m in inside if not any(
            _narrows(n, m, mentions.lex) and not (text and text[m.end: n.start] in COORDINATORS) for n in inside)),
            inside[0])
        return chosen, (*why, NARROWER) if chosen is not inside[0] else tuple(why)
    before = [m for m in inside if m.end <= near]
    if before:
        return before[-1], tuple(why)
    # Ahead only as far as the semicolon (…志愿者,对辖区残疾人开展免费体检服务 names
    # the purpose; a programme past a ";" is the next part's).
    stop = mentions.text.find(";", near, e) if mentions.text else -1
    ahead = [m for m in inside if stop < 0 or m.end <= stop]
    return (ahead[0], tuple(why)) if ahead else (None, ())


# 238名|分散|特困对象: a word or two of modifier between a count and its name.
MODIFIER = re.compile(r"[\u4e00-\u9fff]{1,2}")
COORDINATORS = ("和", "及", "与", "、", "以及")
LISTING = re.compile(r"[^,;。,;]*等$")
#: How far after a figure a name it counts may start (770名|低保、…) and how far before
#: it a group written right before it may (安排825名牵手人|帮扶儿童|1253名).
AFTER_REACH, BEFORE_REACH = 16, 24
LIST_JOINERS = ("、", "和")


def _umbrella(mentions: Mentions, inside: list[RawMention]) -> RawMention | None:
    """助餐、助洁等居家上门服务: a list closed by 等 and a name is about that name."""
    text, first = mentions.text, inside[0]
    if not text:
        return None
    for m in inside[1:]:
        if m.start > first.end and text[m.start - 1] == "等" and LISTING.match(text, first.start, m.start):
            return m
    return None


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


# ------------------------------------------------------------ candidates

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


# ------------------------------------------------------------ the decision

def link(text: str, figs: list[RawFigure], mentions: list[RawMention], st: Structure,
         levels: dict[str, tuple[str, ...]] | None, lex: Lexicon, disabled: frozenset[str] = frozenset()
         ) -> list[Link]:
    """Programme and group for every figure, in order, with the rules that decided them.

    For each figure: its candidates (the facts about its stretch of text), then
    the proposals for each slot in order until one names a concept (a veto may
    stop the search), then the rules that revise a proposal, in the order of
    ``REVISIONS``. ``disabled`` names rules to switch off (kg.nlp.rules);
    ``refine_groups`` finishes the group once measures are known.
    """
    index = Mentions(mentions, text, lex, disabled)
    clause_last_end: dict[int, int] = {}
    for f in figs:
        clause_last_end[f.clause_start] = max(clause_last_end.get(f.clause_start, 0), f.end)
    r = _Report(text, figs, index, st, levels or DEFAULT_LEVELS, lex, disabled, {}, clause_last_end)
    r.claimed = _claims(r)
    for i, f in enumerate(figs):
        # 纳入特困198户198人, 3885人次588.21万元: figures written back to back
        # count one thing in two units and share its links.
        if r.on(TWO_UNITS) and i > 0 and figs[i - 1].clause_start == f.clause_start \
                and not text[figs[i - 1].end: f.start].strip():
            prev = r.out[-1]
            r.out.append(prev._replace(decided_by=_unique((TWO_UNITS,) + prev.decided_by)))
            if r.named_after[-1:] == [i - 1]:
                r.named_after.append(i)
            continue
        d = _candidates(r, i)
        for slot in SLOTS:
            for rule, propose, stoppable in PROPOSALS:
                if d.value[slot] is None and (rule is None or r.on(rule)) and not (stoppable and d.blocked.get(slot)):
                    propose(r, d, slot)
        for rule, revise in REVISIONS:
            if r.on(rule):
                revise(r, d)
        r.out.append(Link(d.value["programme"], d.value["group"], _explain(d)))
    return r.out


def _explain(d: _Figure) -> tuple[str, ...]:
    """The rules behind both slots; a slot left empty by no rule says so."""
    by = []
    for slot, none in ((("programme", NO_PROGRAMME), ("group", NO_GROUP))):
        if d.by[slot]:
            by += d.by[slot]
        elif d.value[slot] is None:
            by += [d.blocked[slot]] if slot in d.blocked else d.passed[slot] or [none]
    return _unique(tuple(by))


def _unique(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


# ------------------------------------------------------------ proposals, in order (first found wins)

def _propose_respectively(r: _Report, d: _Figure, slot: str) -> None:
    found = _respectively(r.text, r.figs, d.i, r.index, slot)
    if found is not None:
        d.set(slot, found, RESPECTIVELY)


def _propose_respectively_before(r: _Report, d: _Figure, slot: str) -> None:
    if slot == "programme":
        found = _respectively_before(r.text, r.figs, d.i, r.out, r.index, r.st)
        if found is not None:
            d.set(slot, found, RESPECTIVELY_BEFORE)


def _propose_own_stretch(r: _Report, d: _Figure, slot: str) -> None:
    found, why = _pick(r.index, slot, *d.segment)  # GOLD.md: where a clause names two, the first
    if found is not None:
        d.set(slot, found, (OWN_STRETCH, *why))


def _veto_total_among(r: _Report, d: _Figure, slot: str) -> None:
    # 5882户13787人脱贫不稳定户中纳入低保2511户: a total "among which" the
    # programme applies to a part; the total itself has none.
    if slot == "programme" and d.total:
        d.blocked[slot] = TOTAL_AMONG_RULE


def _propose_name_after(r: _Report, d: _Figure, slot: str) -> None:
    # 770名低保、238名分散特困对象: a name right after a count is what it counts.
    found = next((m for m in d.post if m.kind == slot), None)
    if found is not None:
        d.set(slot, found, NAME_AFTER_COUNT)


def _propose_list_closing(r: _Report, d: _Figure, slot: str) -> None:
    # …90周岁以上老年人按每人每月100元、百岁老人按每人每月300元标准发放高龄津贴:
    # a programme after the list's last figure is every item's.
    if slot == "programme" and d.enumerated and d.seg_has_group:
        found = next(iter(r.index.within(r.clause_last_end[d.f.clause_start], d.f.clause_end, "programme")), None)
        if found is not None:
            d.set(slot, found, LIST_CLOSING_PROGRAMME)


def _veto_group_item(r: _Report, d: _Figure, slot: str) -> None:
    # …483户、五保对象67户: a figure of a list whose own stretch names a group does
    # not borrow the clause's programme.
    if slot == "programme" and d.enumerated and d.seg_has_group:
        d.blocked[slot] = GROUP_ITEM_BORROWS_NOTHING


def _veto_listed(r: _Report, d: _Figure, slot: str) -> None:
    # 770名低保、…: a count so named, heading a list, borrows nothing from the clause.
    if d.listed:
        d.blocked[slot] = LISTED_COUNT_BORROWS_NOTHING


def _propose_in_reach(r: _Report, d: _Figure, slot: str) -> None:
    """The scopes of GOLD.md, nearest first (clause, sentence, item, section)."""
    for level in r.levels.get(slot, LEVELS):
        if level == "sentence" and slot == "programme" and r.on(SPEND_FOR_PURPOSE):
            found, why = _purpose(r.text, d.f, r.index)
            if found is not None:
                d.level_of[slot] = level
                d.set(slot, found, (SPEND_FOR_PURPOSE, *why))
                return
        if not r.on(LEVEL_RULES[level]):
            continue
        found, why = _at_level(level, r.index, slot, d.f, r.st, d.clause, d.skip)
        if found is not None:
            d.level_of[slot] = level
            d.set(slot, found, (LEVEL_RULES[level], *why))
            return
        d.passed[slot] += why


# ------------------------------------------------------------ revisions, in order

def _revise_list_shares_borrowed(r: _Report, d: _Figure) -> None:
    # 惠及困难残疾人63.2万人、重度残疾人72.8万人: items alike share what the first
    # borrowed from beyond the clause (not a programme the first names itself:
    # 770名低保、238名分散特困对象).
    f, i = d.f, d.i
    if d.value["programme"] is None and d.enumerated and d.seg_has_group and r.out \
            and r.figs[i - 1].clause_start == f.clause_start:
        before_prog = r.out[-1].programme
        ss, se = r.st.sentence(f.start)
        if before_prog is not None and not f.clause_start <= before_prog.start < f.clause_end \
                and ss <= before_prog.start < se \
                and any(m.kind == "group" for m in r.index.within(r.figs[i - 1].clause_start, r.figs[i - 1].end)):
            d.set("programme", before_prog, LIST_SHARES_BORROWED)


def _revise_later_action(r: _Report, d: _Figure) -> None:
    # A clause that goes on to say what was done (清明期间57个单位4000余人到烈士陵园开展…活动)
    # is complete: a programme named in a later clause (全面推进…安葬) is not its own;
    # a clause ending in its figure (路桥区现有低保2214户2836人,现行低保标准…) reads on.
    # The heading's programme, if any, is the figure's.
    prog, f = d.value["programme"], d.f
    if prog is not None and d.level_of.get("programme") == "sentence" and prog.start >= f.end \
            and (_says_more(r.text, f) or _opens_new_action(r.text, prog)):
        d.set("programme", None, LATER_CLAUSE_ANOTHER_ACTION)
        levels = r.levels.get("programme", LEVELS)
        for level in levels[levels.index("sentence") + 1:]:
            if not r.on(LEVEL_RULES[level]):
                continue
            found, why = _at_level(level, r.index, "programme", f, r.st, d.clause, d.skip)
            if found is not None:
                d.level_of["programme"] = level
                d.set("programme", found, (LEVEL_RULES[level], *why), keep=True)
                break


def _revise_programme_in_group_name(r: _Report, d: _Figure) -> None:
    # 全县共有城乡低保对象1.86万户. In a list, only where the item before was named so too
    # (其中农村低保对象151.8万人、城市低保对象15.5万人); after a programme (城乡低保483户、
    # 五保对象67户) the item is a group.
    prog, group, lv = d.value["programme"], d.value["group"], d.level_of
    if group is not None and (prog is None or lv.get("programme", "clause") in HEADING_LEVELS
                              or lv.get("programme") == "sentence" and prog.start > d.f.end) \
            and lv.get("group", "clause") == "clause" \
            and (not d.enumerated or d.segment[0] <= group.start and r.named_after[-1:] == [d.i - 1]):
        by_name = _programme_in_name(group, r.lex)
        if by_name is not None:
            d.set("programme", by_name, PROGRAMME_IN_GROUP_NAME)
            r.named_after.append(d.i)


def _revise_composed(r: _Report, d: _Figure) -> None:
    # 为孤儿和事实无人抚养儿童发放基本生活费: the group and the benefit paid make a
    # programme's name (孤儿基本生活费) though the text never writes it whole.
    prog, group, lv = d.value["programme"], d.value["group"], d.level_of
    if group is not None and (prog is None or lv.get("programme", "clause") != "clause"):
        made = _composed(r.text, d.f, group, r.lex, r.index if r.on(PAYMENT_WORD) else None)
        if made is None and r.on(PAYMENT_WORD) and _composed(r.text, d.f, group, r.lex) is not None:
            # 为孤儿…发放基本生活费: the bare payment word names nothing (GOLD.md decision 1).
            d.set("programme", prog, PAYMENT_WORD, keep=True)
        if made is not None:
            d.set("programme", made, GROUP_AND_BENEFIT)
            r.composed[d.i] = made
    elif r.composed and (prog is None or lv.get("programme") in HEADING_LEVELS) and r.on(COMPOSED_CARRIES_ON):
        # 集中养育孤儿基本生活保障标准…,发放基本生活费2913万元: the next clauses of the
        # sentence are about the programme it names (GOLD.md decision 1), as far as another is named.
        j = max(r.composed)
        if r.st.sentence(r.figs[j].start) == r.st.sentence(d.f.start) \
                and not r.index.within(r.figs[j].end, d.f.start, "programme"):
            d.set("programme", r.composed[j], COMPOSED_CARRIES_ON)


def _revise_total_of_parts(r: _Report, d: _Figure) -> None:
    prog = d.value["programme"]
    if prog is not None and d.level_of.get("programme") == "sentence":
        total = _total_of_parts(r.text, d.f, prog, r.index, r.st)
        if total is not prog:
            d.set("programme", total, TOTAL_OF_PARTS)


def _revise_group_of_total(r: _Report, d: _Figure) -> None:
    if d.value["group"] is None:
        group = _group_of_total(r.text, d.f, r.index, r.st)
        if group is not None:
            d.set("group", group, GROUP_OF_TOTAL)


def _revise_yardstick(r: _Report, d: _Figure) -> None:
    # The clause's own programme, if it names one besides the yardstick.
    prog = d.value["programme"]
    if prog is not None and id(prog) in r.index.references and d.level_of.get("programme", "clause") == "clause":
        own = next((m for m in r.index.within(*d.clause, "programme") if id(m) not in r.index.references), prog)
        if own is not prog:
            d.set("programme", own, YARDSTICK)


def _revise_serves_group(r: _Report, d: _Figure) -> None:
    # A programme borrowed from beyond the clause must serve the clause's
    # group (为城乡特困人员发放… after a 低保 clause is not 低保's money):
    # another programme there that does, or none.
    prog, group = d.value["programme"], d.value["group"]
    level = d.level_of.get("programme", "clause")
    if prog is not None and group is not None and level != "clause" and not _serves(prog, group, r.lex):
        span = r.st.sentence(d.f.start) if level == "sentence" else None
        candidates = r.index.within(*span, "programme") if span else []
        d.set("programme", next((m for m in candidates if _serves(m, group, r.lex, strict=True)), None),
              MUST_SERVE_GROUP)


def _revise_institution(r: _Report, d: _Figure) -> None:
    # 全区共运营养老机构16家: institutions and their beds count for the service delivered in
    # them (养老服务, as the table stage reads 公办养老机构 | 12), not for 机构养老 as a programme.
    prog = d.value["programme"]
    if prog is not None and prog.key and prog.text.endswith(INSTITUTION_WORDS):
        # …2家养老机构建成认知障碍照护床位30张: a programme the clause names in its own right comes first.
        own = next((m for m in r.index.within(*d.clause, "programme")
                    if m is not prog and not m.text.endswith(INSTITUTION_WORDS)), None)
        if own is not None and d.level_of.get("programme", "clause") == "clause":
            d.set("programme", own, INSTITUTIONS_SERVE, keep=True)
            return
        up = next((b for b in r.lex.ancestors(prog.key)
                   if r.lex.concepts[b].kind == "programme"), None)
        if up is not None:
            d.set("programme", RawMention("programme", prog.start, prog.end, r.lex.concepts[up].pref_zh, key=up),
                  INSTITUTIONS_SERVE, keep=True)


SPEND_ONLY = re.compile(r"(?:累计|共|共计|全年|上半年)?(?:投入|使用|支出|安排|筹集|下拨|拨付)(?:资金|经费|款物)?(?:约|近)?$")
PURPOSE = re.compile(r"[,;]?(?:为|用于|帮助|对)")


def _purpose(text: str, f: RawFigure, index: Mentions) -> Pick:
    """投入84.326万元,为2197人次分散特困对象提供照料服务: a sum whose clause says
    only that it was spent is for the programme the next clause names."""
    if not SPEND_ONLY.search(text, f.clause_start, f.start) or text[f.end: f.clause_end].strip():
        return None, ()
    nxt = f.clause_end
    if not PURPOSE.match(text, nxt):
        return None, ()
    end = SENTENCE_END.search(text, nxt + 1)
    stop = text.find(",", nxt + 1, end.start() if end else len(text))
    return _pick(index, "programme", nxt, stop if stop > 0 else (end.start() if end else len(text)))


REFERENCE = re.compile(r"(?:保障|救助|供养)?(?:标准|水平)的(?=[\dXx一二两三四五六七八九十百])")
# 中 as "among": before a comma or the verb that takes the part (纳入, 有, 共...);
# not the 中 of 集中, 工作中, 中心.
TOTAL_AMONG = re.compile(r"[^,;。,;、\d]{0,14}?(?<!集)中(?=[,,:：]|纳入|有|共|已|累计|\d)")
#: How far around a group a programme's name holding it may start and end (…重度残疾人护理补贴).
NAME_REACH_BEFORE, NAME_REACH_AFTER = 16, 32


def _lends_group(group: RawMention, f: RawFigure, prog: RawMention | None, index: Mentions,
                 lex: Lexicon) -> bool:
    """共救助流浪乞讨人员…,护送返乡41人次: people counted in a later clause are the
    group named before, unless the programme says otherwise: one that does not
    serve the group, or another programme named between the two
    (为700多名老年人提供居家养老上门服务,为1317人累计发放高龄补贴)."""
    if any(p.start <= group.start and group.end <= p.end
           for p in index.within(group.start - NAME_REACH_BEFORE, group.end + NAME_REACH_AFTER, "programme")):
        return False  # …重度残疾人护理补贴1630.8万元,分别惠及…: part of a programme's name
    if prog is None:
        return True
    between = index.within(group.end, f.clause_start, "programme")
    if any(p.key != prog.key or p.text != prog.text for p in between if p is not prog):
        return False
    return _serves(prog, group, lex)


def refine_groups(text: str, figs: list[RawFigure], links: list[Link], measures: list[str],
                  mentions: list[RawMention], st: Structure, levels: dict[str, tuple[str, ...]], lex: Lexicon,
                  disabled: frozenset[str] = frozenset()) -> list[Link]:
    """Groups once measures are known. 为百岁老人发放长寿补贴,每人每月300元: a
    standard with no group in its clause is for the group named before it in its
    sentence; so are people counted (救助流浪乞讨人员236人次,护送返乡41人次) unless
    the programme says otherwise (see _lends_group). Not counts or sums: those in
    the next clause are as often about something else. A count takes no group
    from inside a programme's name, nor does a share. Config ``standard_group_levels`` turns the
    sentence level off."""
    index = Mentions(mentions, text, lex, disabled)
    widen = "sentence" in levels.get("standard_group", ()) and GROUP_BEFORE_IN_SENTENCE not in disabled
    programmes = [m for m in index.items if m.kind == "programme"]
    starts = [p.start for p in programmes]
    out = []
    for f, (prog, group, by), m in zip(figs, links, measures):
        if group is not None and m in ("count", "share") and NO_GROUP_IN_A_NAME not in disabled and any(
                group.end <= p.end and p.end - p.start > group.end - group.start
                for p in programmes[bisect_left(starts, group.start - NAME_REACH_BEFORE): bisect_right(starts, group.start)]):
            # 长者饭堂146个, 残疾人两项补贴发放率100%: the group in a name is not whom a count or a share is of
            group, by = None, _unique(by + (NO_GROUP_IN_A_NAME,))
        # 保障孤儿2794人,累计发放资金XX万元: a sum whose clause names no programme of its
        # own is paid to the people just named (but 保障低保对象XX万人,发放低保资金XX亿元 is not).
        lend = m in ("standard", "recipients") or m == "spending" and not index.within(f.clause_start, f.clause_end, "programme")
        if widen and group is None and lend:
            # Not past a semicolon: 保障低保对象XX万人…;城市特困供养标准达到900元
            # starts another part.
            ss = max(st.sentence(f.start)[0], text.rfind(";", 0, f.start) + 1)
            before = [g for g in index.within(ss, f.start, "group") if g.end <= f.start]
            k = len(before) - 1
            # 为孤儿和事实无人抚养儿童发放…,惠及2,150人: a coordination counts its first (GOLD.md)
            while k > 0 and text[before[k - 1].end: before[k].start] in COORDINATORS:
                k -= 1
            group = before[k] if before and (m == "standard" or _lends_group(before[k], f, prog, index, lex)) else None
            if group is not None:
                by = _unique(tuple(n for n in by if n != NO_GROUP) + (GROUP_BEFORE_IN_SENTENCE,))
        out.append(Link(prog, group, by))
    return out


#: The proposals for a slot, in order: (rule, step, stoppable). The first that names a
#: concept decides the slot; a veto marks the slot ``blocked``, which stops the
#: stoppable proposals after it. The scopes' rules are LEVEL_RULES (in _propose_in_reach).
PROPOSALS = (
    (RESPECTIVELY, _propose_respectively, False),
    (RESPECTIVELY_BEFORE, _propose_respectively_before, False),
    (OWN_STRETCH, _propose_own_stretch, False),
    (TOTAL_AMONG_RULE, _veto_total_among, False),
    (NAME_AFTER_COUNT, _propose_name_after, True),
    (LIST_CLOSING_PROGRAMME, _propose_list_closing, False),
    (GROUP_ITEM_BORROWS_NOTHING, _veto_group_item, False),
    (LISTED_COUNT_BORROWS_NOTHING, _veto_listed, False),
    (None, _propose_in_reach, True),
)
#: The rules that revise a figure's proposals, in order.
REVISIONS = (
    (LIST_SHARES_BORROWED, _revise_list_shares_borrowed),
    (LATER_CLAUSE_ANOTHER_ACTION, _revise_later_action),
    (PROGRAMME_IN_GROUP_NAME, _revise_programme_in_group_name),
    (GROUP_AND_BENEFIT, _revise_composed),
    (TOTAL_OF_PARTS, _revise_total_of_parts),
    (GROUP_OF_TOTAL, _revise_group_of_total),
    (YARDSTICK, _revise_yardstick),
    (MUST_SERVE_GROUP, _revise_serves_group),
    (INSTITUTIONS_SERVE, _revise_institution),
)


CHANGE = re.compile(r"(?:同比|环比|比上年|比去年|较上年|较去年|较|比)")


def _programme_in_name(group: RawMention, lex: Lexicon) -> RawMention | None:
    """全县共有城乡低保对象1.86万户: a clause naming no programme but a group
    named after one (城乡低保|对象) is about that programme."""
    w = group.text
    for n in range(len(w) - 1, 1, -1):
        for i in range(len(w) - n + 1):
            iri = lex.label_index.get(w[i: i + n])
            if iri and lex.concepts[iri].kind == "programme":
                return RawMention("programme", group.start + i, group.start + i + n, w[i: i + n], key=iri)
    return None


#: At most this many characters of a benefit's name before its head word (基本生活|费).
BENEFIT_MODIFIER = 4
#: A clause that goes on this many characters after its figure may say more (a verb of its own).
SAYS_MORE = 4


def _composed(text: str, f: RawFigure, group: RawMention, lex: Lexicon,
              index: Mentions | None = None) -> RawMention | None:
    """The programme named by the group and a benefit word written after it in
    the figure's clause (孤儿 … 基本生活费 → 孤儿基本生活费), if the ontology has
    that name. With ``index``, only where the benefit word is the group's own
    compound (孤儿和事实无人抚养儿童基本生活费): what stands between them is other
    groups and coordinators, not a verb (为孤儿…发放基本生活费 pays a bare payment word)."""
    if not f.clause_start <= group.start < f.clause_end:
        return None
    names = (group.text,) + (lex.concepts[group.key].labels if group.key in lex.concepts else ())
    best = None
    for head in lex.suffixes.get("programme", ()):
        k = text.find(head, group.end, f.clause_end)
        while k >= 0:
            end = k + len(head)
            if end < len(text) and CJK.match(text[end]) and text[end] not in "等和及与" and end != f.start \
                    and not text.startswith(("标准", "水平"), end):
                k = text.find(head, k + 1, f.clause_end)
                continue  # 保障|金, 救助|金: the benefit word goes on
            for s in range(max(group.end, k - BENEFIT_MODIFIER), k):  # a bare 补贴 or 救助 says too little
                word = text[s: end]
                if index is not None and not _only_groups_between(text, group.end, s, index):
                    continue
                if "每" in text[group.end: s]:
                    break  # 困难老年人每餐补贴标准: a rate's subsidy, not the group's programme
                for n in names:
                    iri = lex.label_index.get(n + word)
                    if iri and lex.concepts[iri].kind == "programme" and (best is None or s < best.start):
                        best = RawMention("programme", s, k + len(head), word, key=iri)
            k = text.find(head, k + 1, f.clause_end)
    return best


def _only_groups_between(text: str, s: int, e: int, index: Mentions) -> bool:
    """Is text[s:e] only group names and coordinators (和事实无人抚养儿童)?"""
    rest = list(text[s:e])
    for g in index.within(s, e, "group"):
        rest[max(g.start, s) - s: min(g.end, e) - s] = [""] * (min(g.end, e) - max(g.start, s))
    return all(c in "和及与、等" for c in "".join(rest))


def _opens_new_action(text: str, prog: RawMention) -> bool:
    """Does the clause naming the programme start with a verb or an adverb of its own
    (…50家以上,持续做好乡村地名设标工作), i.e. report another action?"""
    start = max(text.rfind(",", 0, prog.start), text.rfind(";", 0, prog.start)) + 1
    toks = pos_cut(text[start: prog.start]) if prog.start > start else []
    return bool(toks) and toks[0].flag in ("v", "vd", "d", "ad")


def _says_more(text: str, f: RawFigure) -> bool:
    """Does the clause go on after the figure with a verb of its own?"""
    rest = text[f.end: f.clause_end]
    return len(rest) >= SAYS_MORE and any(t.flag == "v" for t in pos_cut(rest))


def _total_of_parts(text: str, f: RawFigure, prog: RawMention, index: Mentions, st: Structure) -> RawMention:
    """婚姻登记489对,其中结婚登记166对,离婚登记80对,补发结(离)婚243对: a clause
    after 其中 that names none of the parts is about the total, not the part before it."""
    ss, _ = st.sentence(f.start)
    k = text.rfind("其中", ss, f.clause_start)
    if k < 0 or prog.start < k or CHANGE.match(text, f.clause_start):
        return prog  # …其中结婚登记5340对,同比上升27.3%: a change of the part before
    total = [m for m in index.within(ss, k, "programme") if _narrows(prog, m, index.lex)]
    return total[-1] if total else prog


AMONG_BEFORE = re.compile(r"中[,:：]\s*$")


def _group_of_total(text: str, f: RawFigure, index: Mentions, st: Structure) -> RawMention | None:
    """58.4298万建档立卡贫困对象中,纳入低保7.6806万人 (and …对象X人,其中…): the
    parts after a total "among which" count the total's group."""
    ss, _ = st.sentence(f.start)
    if text.startswith("其中", f.clause_start):
        # …城乡低保对象1.86万户,其中城市低保2136户: the part of the clause before's total
        # (that clause's, not one further back: 发放低保金X万元,其中城市低保金… counts no one).
        prev = max(text.rfind(",", ss, f.clause_start - 1), text.rfind(";", ss, f.clause_start - 1), ss - 1) + 1
        before = index.within(prev, f.clause_start, "group")
        return before[-1] if before else None
    m = AMONG_BEFORE.search(text, ss, f.clause_start)
    if not m:
        return None
    # The group must end at the 中 (贫困对象中,), not merely precede it (…群众服务工作中,).
    before = index.within(ss, f.clause_start, "group")
    return before[-1] if before and before[-1].end == m.start() else None


def _serves(prog: RawMention, group: RawMention, lex: Lexicon, strict: bool = False) -> bool:
    """Does the programme (or a broader one) serve the group (or a broader one)?
    Where the ontology says nothing about the programme: True, or False if ``strict``
    (the ontology must say so)."""
    p = prog.key or prog.broader
    g = group.key or group.broader
    if p not in lex.concepts or g not in lex.concepts or not lex.concepts[g].broader:
        return not strict  # unknown, or a group as wide as 困难群众 contradicts no programme
    if group.text in lex.suffixes.get("group", ()):
        return True  # nor does a bare head word (牵手行动…帮扶儿童1253名)
    # The nearest programme in the chain that says whom it serves (城市低保 → 最低生活保障).
    served = next((set(lex.concepts[q].serves) for q in [p] + lex.ancestors(p)
                   if q in lex.concepts and lex.concepts[q].serves), set())
    if not served:
        return not strict
    # The same group, a broader one, or a narrower one (牵手行动 serves 农村留守儿童, a kind of 儿童).
    return any(x == g or x in lex.ancestors(g) or g in lex.ancestors(x) for x in served)


def _respectively(text: str, figs: list[RawFigure], i: int, mentions, kind: str) -> RawMention | None:
    """城市、农村低保标准分别提高到800元、600元: the n-th figure after 分别 takes
    the n-th concept named before it."""
    f = figs[i]
    k = text.find("分别", f.clause_start, f.start)
    if k < 0:
        return None
    group = [g for g in figs if g.clause_start == f.clause_start and g.start > k]
    named = mentions.within(f.clause_start, k, kind)
    if kind == "programme" and not named:
        # 发放A补贴…、B补贴…,分别惠及1.28万人、1.51万人; 城市、农村低保标准分别达到745元、515元,
        # 月人均补助水平分别达到498元、336元: the names are in the clause before.
        before = [g for g in figs if g.clause_end <= f.clause_start]
        if before and not SENTENCE_END.search(text, before[-1].clause_start, f.clause_start):
            named = mentions.within(before[-1].clause_start, f.clause_start, kind)
    if len(named) != len(group) or len(group) < 2:
        return None
    return sorted(named, key=lambda m: m.start)[group.index(f)]


def _respectively_before(text: str, figs: list[RawFigure], i: int, out: list, index: Mentions,
                         st: Structure) -> RawMention | None:
    """城市低保标准…提高到665元,农村低保标准…提高到5,790元,分别增长5.1%和5.7%: a
    分别 clause naming nothing takes, in order, the programmes of as many figures
    just before it in the sentence, one per clause."""
    f = figs[i]
    k = text.find("分别", f.clause_start, f.start)
    if k < 0 or index.within(f.clause_start, k, "programme"):
        return None
    group = [g for g in figs if g.clause_start == f.clause_start and g.start > k]
    ss, _ = st.sentence(f.start)
    before = [j for j in range(i) if ss <= figs[j].start and figs[j].clause_end <= f.clause_start]
    n = len(group)
    if n < 2 or len(before) < n:
        return None
    last = before[-n:]
    progs = [out[j][0] for j in last]
    if len({figs[j].clause_start for j in last}) != n or any(p is None for p in progs) \
            or len({p.key or p.text for p in progs}) != n:
        return None
    return progs[group.index(f)]


def _narrows(n: RawMention, m: RawMention, lex: Lexicon) -> bool:
    """Is n's concept strictly narrower than m's?"""
    a, b = n.key or n.broader, m.key
    return bool(a and b and a != b and b in lex.ancestors(a))


def _at_level(level: str, mentions: Mentions, kind: str, f: RawFigure, st: Structure,
              clause: tuple[int, int], skip: Container[int] = ()) -> Pick:
    if level == "clause":
        return _pick(mentions, kind, *clause, skip=skip)
    if level == "sentence":
        ss, se = st.sentence(f.start)
        return _pick(mentions, kind, ss, se, near=f.start)
    # A heading names a field of work (二、儿童福利) as often as a programme: a field is
    # mentioned as one (wf:FieldOfWork), never picked here, so a heading naming it gives none.
    spans = ([st.item_heading(f.start)] if level == "item" else st.section_headings(f.start)) \
        if level in HEADING_LEVELS else []
    for span in spans:
        if span is None:
            continue
        found, why = _pick(mentions, kind, *span)
        if found is not None:
            return found, why
    if level in HEADING_LEVELS:
        return None, ()
    raise ValueError(f"unknown link level {level!r}; expected one of {LEVELS}")


CUE_WINDOW = 200


def measure(text: str, f: RawFigure, group: RawMention | None, lex: Lexicon) -> str:
    """GOLD.md's measure for a figure, from its unit's kind and the cues around it."""
    return measure_of(text, f, group, lex)[0]


def measure_of(text: str, f: RawFigure, group: RawMention | None, lex: Lexicon,
               disabled: frozenset[str] = frozenset()) -> tuple[str, str]:
    """The measure and the rule that decided it: the measure rules in order, the first that holds."""
    kind = lex.unit_kinds.get(f.unit, "Thing")
    default = lex.kind_measures.get(kind, "other")
    # Cues are read within a window of the clause: a clause that lists thousands
    # of figures must not make every figure read all of it.
    cs, ce = max(f.clause_start, f.start - CUE_WINDOW), min(f.clause_end, f.end + CUE_WINDOW)
    clause = text[cs: ce]
    before = text[cs: f.start]
    after = text[f.end: ce]
    cues = lex.cues

    def on(rule: str) -> bool:
        return rule not in disabled

    if default == "share" and on(SHARE_UNIT):
        return "share", SHARE_UNIT
    if f.text.endswith(("以上", "以下")) and text[f.end: f.end + 1] == "的" and on(THRESHOLD):
        return "other", THRESHOLD  # a threshold: 300户以上的行政村, 200人以下的行政村
    if BOUND_WORDS.search(f.text) and f.per is None and NOUN_THEN_DE.match(text, f.end) \
            and on(BOUND_ON_ANOTHER_NOUN):
        return "other", BOUND_ON_ANOTHER_NOUN  # 建设不少于150张床位的县级失能照护中心
    if f.unit == "小时" and on(HOURS):
        # 提供上门服务3.6万小时 (GOLD.md decision 4); 每人每月服务时长不少于8小时 is provision per unit
        return ("standard" if f.per else "count"), HOURS
    # The cue stands before the figure it measures (面积2000平方米, 为期5天): 60家…为企业减负XX万元
    # makes the money other, not the 60 associations counted before the cue.
    if any(c in before for c in cues["other"]) and on(OTHER_CUE):
        return "other", OTHER_CUE
    time_per = f.per in ("年", "月", "天")
    if kind == "Money":
        if (f.per or any(c in clause for c in cues["standard"])) and on(MONEY_STANDARD):
            return "standard", MONEY_STANDARD
        return "spending", MONEY_SPENT
    if kind in ("Duration", "Age", "Extent"):
        return default, KIND_DEFAULT
    if f.per and not time_per and on(RATE_STANDARD):
        return "standard", RATE_STANDARD
    staff = _staff_near(before, after, lex)
    if kind == "People":
        if staff and on(STAFF_COUNTED):
            return "count", STAFF_COUNTED
        if "接待" in before and on(VISITORS):
            return "count", VISITORS  # 接待祭扫群众18.6万人次: visitors received, not people helped
        if "培训" in clause and on(TRAINEES):
            return "count", TRAINEES  # 开展退役士兵参加职业技能培训15人: trainees, whoever they are
        if group is not None and on(GROUP_RECIPIENTS):
            return "recipients", GROUP_RECIPIENTS
        if re.search(r"参加|参与|活动", clause) and on(TAKING_PART):
            return "count", TAKING_PART
        return "recipients", PEOPLE_RECIPIENTS
    return default, KIND_DEFAULT


#: A bound written into a figure (GOLD.md decision 3), and a noun and 的 after it: the phrase describes
#: another noun (不少于200张|床位的|敬老院), so the figure is its threshold.
BOUND_WORDS = re.compile(r"^(?:不少于|至少|不低于|超过)|(?:以上|以下)$")
NOUN_THEN_DE = re.compile(r"[\u4e00-\u9fff]{1,4}的")


def _staff_near(before: str, after: str, lex: Lexicon) -> bool:
    staff = _staff_words(lex)
    head = after[:STAFF_WORD]
    # 持证社会工作者(总数)达到6200余人: the verb between staff and count.
    tail = STAFF_VERB.sub("", before[-STAFF_REACH:])[-STAFF_WORD:]
    return any(c in head for c in staff) or any(tail.endswith(c) or tail[:-1].endswith(c) for c in staff)


#: How far before a count a staff word and its verb may stand, and how long a staff word is at most.
STAFF_REACH, STAFF_WORD = 24, 8
STAFF_VERB = re.compile(r"(?:总数|总量|人数)?(?:已|共)?(?:达到|达|超过|增至|增加到|共有|有|为)?(?:约|近)?$")


@lru_cache(maxsize=4)
def _staff_words(lex: Lexicon) -> tuple[str, ...]:
    return tuple(c for c in lex.cues["count"] if len(c) >= 2 and c not in ("培训", "参加", "参与", "登记"))


# ---------------------------------------------------------------- periods

#: A month range (1-6月), 截至 or 起 is said this near before its figures.
PERIOD_REACH = 300
MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-—~至]\s*(\d{1,2})月")
UNTIL = re.compile(r"截[至止](?:(\d{1,2})月(?:底|末|份)?|目前|今年)")
SINCE = re.compile(r"(\d{1,2})月(\d{1,2})日起")
HALF = re.compile(r"(上|下)半年")
YEAR = re.compile(r"(20\d\d)年")


@lru_cache(maxsize=4)
def _body_start(text: str) -> int:
    """Where the first line with a sentence in it starts: once per text, not once per figure."""
    body = re.search(r"[^\n]*[。;][^\n]*", text)
    return body.start() if body else 0


def figure_period(text: str, f: RawFigure, st: Structure, report: tuple[date | None, date | None]
                  ) -> tuple[date | None, date | None]:
    """The span a figure covers: 1-6月, 截至10月底, 上半年, or the section's year."""
    start, end = report
    year = start.year if start else None
    # A section or item about another year (二、2021年工作打算; 十四五期间) sets the year;
    # the title above the body (20XX年度工作总结和2024年工作计划) does not.
    body_start = _body_start(text)
    for hs, he in st.section_headings(f.start):
        if hs < body_start:
            continue
        heading = text[hs:he]
        if "十四五" in heading:
            return date(2021, 1, 1), date(2025, 12, 31)
        y = YEAR.search(heading)
        if y:
            year = int(y.group(1))
            start, end = date(year, 1, 1), date(year, 12, 31)
            break
    if year is None:
        return start, end
    ss, _ = st.sentence(f.start)
    context = text[max(ss, f.start - PERIOD_REACH): f.start]  # a list of thousands stays linear
    m = None
    for m in MONTH_RANGE.finditer(context):
        pass
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1 <= a <= b <= 12:
            return date(year, a, 1), date(year, b, calendar.monthrange(year, b)[1])
    m = None
    for m in UNTIL.finditer(context):
        pass
    if m and m.group(1) and 1 <= int(m.group(1)) <= 12:
        mo = int(m.group(1))
        return date(year, 1, 1), date(year, mo, calendar.monthrange(year, mo)[1])
    m = None
    for m in SINCE.finditer(context):
        pass
    if m and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= calendar.monthrange(year, int(m.group(1)))[1]:
        return date(year, int(m.group(1)), int(m.group(2))), end
    h = HALF.search(context)
    if h:
        return (date(year, 1, 1), date(year, 6, 30)) if h.group(1) == "上" else (date(year, 7, 1), date(year, 12, 31))
    return start, end
