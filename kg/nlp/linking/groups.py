"""Stage 5, groups once measures are known (``refine_groups``)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right

from kg.nlp.entities import RawMention
from kg.nlp.figures import RawFigure
from kg.nlp.linking.candidates import Link, Mentions, _unique
from kg.nlp.linking.concepts import _serves
from kg.nlp.linking.names import GROUP_BEFORE_IN_SENTENCE, NO_GROUP, NO_GROUP_IN_A_NAME
from kg.nlp.linking.structure import Structure
from kg.vocab.ontology import Lexicon

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
            # starts another part. But back over a full stop into the sentence a 其中 goes on from.
            ss = max(st.sentence(f.start, continued=True)[0], text.rfind(";", 0, f.start) + 1)
            before = [g for g in index.within(ss, f.start, "group") if g.end <= f.start]
            k = len(before) - 1
            # 为孤儿和事实无人抚养儿童发放…,惠及2,150人: a coordination counts its first (GOLD.md)
            while k > 0 and text[before[k - 1].end: before[k].start] in lex.coordinators:
                k -= 1
            group = before[k] if before and (m == "standard" or _lends_group(before[k], f, prog, index, lex)) else None
            if group is not None:
                by = _unique(tuple(n for n in by if n != NO_GROUP) + (GROUP_BEFORE_IN_SENTENCE,))
        out.append(Link(prog, group, by))
    return out
