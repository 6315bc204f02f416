"""Stage 3, revisions: the rules that revise a figure's proposals, in ``REVISIONS`` order,
and what they read in the text (a programme group and benefit make, the total of parts,
the group of a total, a clause that says more)."""
from __future__ import annotations

import re

from kg.nlp.entities import CJK, RawMention, pos_cut
from kg.nlp.figures import RawFigure
from kg.nlp.linking.candidates import HEADING_LEVELS, LEVELS, Mentions, _Figure, _Report
from kg.nlp.linking.concepts import _narrows, _programme_in_name, _serves
from kg.nlp.linking.names import (COMPOSED_CARRIES_ON, GROUP_AND_BENEFIT, GROUP_OF_TOTAL, INSTITUTIONS_SERVE,
                                  LATER_CLAUSE_ANOTHER_ACTION, LEVEL_RULES, LIST_SHARES_BORROWED, MUST_SERVE_GROUP,
                                  PAYMENT_WORD, PROGRAMME_IN_GROUP_NAME, TOTAL_OF_PARTS, YARDSTICK)
from kg.nlp.linking.scopes import _at_level
from kg.nlp.linking.structure import Structure
from kg.vocab.ontology import Lexicon

#: A label naming the places a service is delivered in (养老机构), not the service.
INSTITUTION_WORDS = ("机构",)


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


CHANGE = re.compile(r"(?:同比|环比|比上年|比去年|较上年|较去年|较|比)")

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
