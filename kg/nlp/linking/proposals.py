"""Stage 2, proposals: the steps that propose a concept for a slot, or veto the search,
in ``PROPOSALS`` order (the first that names a concept decides the slot)."""
from __future__ import annotations

from kg.nlp.entities import RawMention
from kg.nlp.figures import RawFigure
from kg.nlp.linking.candidates import LEVELS, Mentions, _Figure, _Report
from kg.nlp.linking.names import (GROUP_ITEM_BORROWS_NOTHING, LEVEL_RULES, LIST_CLOSING_PROGRAMME,
                                  LISTED_COUNT_BORROWS_NOTHING, NAME_AFTER_COUNT, OWN_STRETCH, RESPECTIVELY,
                                  RESPECTIVELY_BEFORE, SPEND_FOR_PURPOSE, TOTAL_AMONG_RULE)
from kg.nlp.linking.scopes import _at_level, _pick, _purpose
from kg.nlp.linking.structure import SENTENCE_END, Structure

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
