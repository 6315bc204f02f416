"""The scopes a proposal reads (clause, sentence, numbered item, section heading) and the
pick rules that choose one mention of a kind inside a scope."""
from __future__ import annotations

import re
from collections.abc import Container

from kg.nlp.entities import RawMention
from kg.nlp.figures import RawFigure
from kg.nlp.linking.candidates import HEADING_LEVELS, LEVELS, Mentions
from kg.nlp.linking.concepts import _narrows
from kg.nlp.linking.names import NARROWER, NESTED, UMBRELLA, YARDSTICK
from kg.nlp.linking.structure import SENTENCE_END, Structure

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
            _narrows(n, m, mentions.lex) and not (text and text[m.end: n.start] in mentions.lex.coordinators) for n in inside)),
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


LISTING = re.compile(r"[^,;。,;]*等$")


def _umbrella(mentions: Mentions, inside: list[RawMention]) -> RawMention | None:
    """助餐、助洁等居家上门服务: a list closed by 等 and a name is about that name."""
    text, first = mentions.text, inside[0]
    if not text:
        return None
    for m in inside[1:]:
        if m.start > first.end and text[m.start - 1] == "等" and LISTING.match(text, first.start, m.start):
            return m
    return None


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
