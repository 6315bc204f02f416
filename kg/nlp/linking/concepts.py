"""What the ontology says between two mentions: a programme named inside a group's name,
a programme that serves a group, a concept narrower than another."""
from __future__ import annotations

from kg.nlp.entities import RawMention
from kg.vocab.ontology import Lexicon


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


def _narrows(n: RawMention, m: RawMention, lex: Lexicon) -> bool:
    """Is n's concept strictly narrower than m's?"""
    a, b = n.key or n.broader, m.key
    return bool(a and b and a != b and b in lex.ancestors(a))
