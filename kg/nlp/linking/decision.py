"""Stage 4, the decision: for each figure, candidates, then the proposals for each slot
in order, then the revisions in order; what decided each slot is recorded by name."""
from __future__ import annotations

from kg.nlp.entities import RawMention
from kg.nlp.figures import RawFigure
from kg.nlp.linking.candidates import (DEFAULT_LEVELS, SLOTS, Link, Mentions, _candidates, _claims, _Figure,
                                       _Report, _unique)
from kg.nlp.linking.names import NO_GROUP, NO_PROGRAMME, TWO_UNITS
from kg.nlp.linking.proposals import PROPOSALS
from kg.nlp.linking.revisions import REVISIONS
from kg.nlp.linking.structure import Structure
from kg.vocab.ontology import Lexicon

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
