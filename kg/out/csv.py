"""exports/figures.csv: one row per figure, the table a pandas or R user loads in one line.

Computed from the records the build just made (the same records the graph is written from), so
its rows are the graph's wf:Figure nodes one for one. Sorted by report and offset, written with
``\\n`` line ends and UTF-8: the same input gives the same bytes. The columns are documented in
the README ("figures.csv") and in ``COLUMNS`` below.
"""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from kg.records import ConceptRef, Figure, Region, ReportRecord
from kg.vocab.ontology import Lexicon, load_lexicon

#: (column, what it holds); the README's table is checked against this list (tests/test_figures_csv.py).
COLUMNS = (
    ("report", "the input file's name (dcterms:source of the report)"),
    ("issuer", "the agency that wrote the report (dcterms:publisher), as resolved"),
    ("region", "the figure's place: the unit its clause names, else the report's; a former unit's current name"),
    ("region_code", "that place's six-digit division code (GB/T 2260, current)"),
    ("province", "the province the place lies in"),
    ("period_start", "first day of the period the figure covers (ISO date)"),
    ("period_end", "last day of that period"),
    ("programme_zh", "the programme's Chinese preferred label"),
    ("programme_en", "its English preferred label"),
    ("programme_top", "the top concept of its hierarchy (社会救助, 社会福利 ...), Chinese label"),
    ("group_zh", "the beneficiary group's Chinese preferred label"),
    ("measure", "standard, spending, recipients, count, share or other"),
    ("value", "the number in base units (208.9万元 -> 2089000); empty when redacted or unparsed"),
    ("unit", "the base unit: 元, 人, 户, 人次, %, 个 ..."),
    ("per", "for a rate, what it is per: 月, 年, 人/月, 人/年 ..."),
    ("previous_value", "the old value a change states (由原630元调整至670元 -> 630)"),
    ("approximate", "true for 余, 多, 近, 约, 以上"),
    ("redacted", "true when the digits are hidden (XX万元)"),
    ("text", "the figure as written"),
    ("quote", "the clause it was read from"),
    ("page", "page of the source document, where the reader knows pages"),
    ("offset", "character offset of the figure in the source file (start)"),
)


def _num(d: Decimal | None) -> str:
    return "" if d is None else f"{d:f}"


def _bool(b: bool) -> str:
    return "true" if b else "false"


def _province(reg: Region | None) -> str:
    while reg is not None:
        if reg.level == "province":
            return reg.name
        reg = reg.parent
    return ""


def _labels(c: ConceptRef | None, lex: Lexicon) -> tuple[str, str, str]:
    """Chinese and English labels of a concept and the Chinese label of its top concept."""
    if c is None:
        return "", "", ""
    known = lex.concepts.get(c.key) if c.key else None
    if known:
        zh, en, base = known.pref_zh, known.pref_en, c.key
    else:  # a wording the ontology lacks: labelled as the graph labels it (kg.rdf.graph._concept)
        broader = lex.concepts.get(c.broader) if c.broader else None
        zh = c.label
        en = f"{broader.pref_en} ({c.label})" if broader else f"{'Programme' if c.kind == 'programme' else 'Group'} ({c.label})"
        base = c.broader if broader else None
    if base is None:
        return zh, en, zh
    chain = [base, *lex.ancestors(base)]
    tops = [i for i in chain if not any(b in lex.concepts for b in lex.concepts[i].broader)]
    top = lex.concepts[tops[0]].pref_zh if tops else lex.concepts[chain[-1]].pref_zh
    return zh, en, top


def figure_rows(records: list[ReportRecord], ontology_dir: str | None = None) -> list[list[str]]:
    lex = load_lexicon(ontology_dir)
    rows = []
    for rec in sorted(records, key=lambda r: r.source):
        for f in sorted(rec.figures, key=lambda f: (f.start, f.end)):
            rows.append(_row(rec, f, lex))
    return rows


def _row(rec: ReportRecord, f: Figure, lex: Lexicon) -> list[str]:
    reg = f.region or rec.region
    pzh, pen, ptop = _labels(f.programme, lex)
    gzh, _, _ = _labels(f.group, lex)
    return [rec.source, rec.publisher or "", reg.name if reg else "", (reg.code or "") if reg else "", _province(reg),
            f.period_start.isoformat() if f.period_start else "", f.period_end.isoformat() if f.period_end else "",
            pzh, pen, ptop, gzh, f.measure, _num(f.value), f.unit, f.per or "", _num(f.previous),
            _bool(f.approximate), _bool(f.redacted), f.text, f.quote, "" if f.page is None else str(f.page), str(f.start)]


def figures_csv(records: list[ReportRecord], ontology_dir: str | None = None) -> bytes:
    return header_csv() + b"".join(report_csv(rec, ontology_dir) for rec in sorted(records, key=lambda r: r.source))


def header_csv() -> bytes:
    """The file's first line, the column names."""
    return _csv([[name for name, _ in COLUMNS]])


def report_csv(rec: ReportRecord, ontology_dir: str | None = None) -> bytes:
    """One report's rows, as they stand in the file: a row's bytes depend on the row alone, so a
    build can write each report's part as its record passes and join the parts in report order
    (kg.build.fold) without keeping the records."""
    lex = load_lexicon(ontology_dir)
    return _csv([_row(rec, f, lex) for f in sorted(rec.figures, key=lambda f: (f.start, f.end))])


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")
