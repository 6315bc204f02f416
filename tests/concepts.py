"""What tests compare a figure's links by: a concept's Chinese preferred label (a new
wording, with no concept, by its own text), and a table's cells by (table, row, column)."""
from kg.vocab.ontology import load_lexicon


def label(ref):
    if ref is None:
        return None
    lex = load_lexicon()
    return lex.concepts[ref.key].pref_zh if ref.key else ref.label


def cells(rec):
    return {(f.table, f.row, f.column): f for f in rec.figures if f.table is not None}
