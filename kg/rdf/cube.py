"""The RDF Data Cube view of the figures: exports/cube.trig.

Every figure is also a ``qb:Observation`` of the data set ``wfq:figures``, whose structure
(dimensions, measure, attributes, code lists) is ``ontology/cube.ttl``; that file's comments
give the mapping from a figure's fields to the cube's components and why a figure that lacks a
dimension gets an explicit code from ``wfq:notStated``. The observations are written fully
normalised, so the W3C integrity constraints apply to the file as written (tests/test_cube.py).

Records in, sorted N-Triples lines out, like ``kg.rdf.graph.report_rows``: the same records give
the same bytes in any order.
"""
from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import Graph

from kg.rdf.graph import (LABEL, PREF_LABEL, TYPE, _bool, _concept, _decimal, _iri, _region, _str,
                          MEASURE_N3, WF_N3)
from kg.rdf.iris import mint_str
from kg.records import Figure, Region, ReportRecord
from kg.vocab.ontology import ONTOLOGY_DIR, load_lexicon

CUBE_TTL = ONTOLOGY_DIR / "cube.ttl"
WFQ = "https://w3id.org/welfare-kg/cube#"
QB = "http://purl.org/linked-data/cube#"
SDMX_DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
SDMX_ATT = "http://purl.org/linked-data/sdmx/2009/attribute#"
SDMX_MEA = "http://purl.org/linked-data/sdmx/2009/measure#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"

OBSERVATION, DATASET = f"<{QB}Observation>", f"<{QB}dataSet>"
FIGURES = f"<{WFQ}figures>"
REF_AREA, REF_PERIOD = f"<{SDMX_DIM}refArea>", f"<{SDMX_DIM}refPeriod>"
OBS_VALUE, UNIT_MEASURE = f"<{SDMX_MEA}obsValue>", f"<{SDMX_ATT}unitMeasure>"
P = {name: f"<{WFQ}{name}>" for name in ("programme", "group", "measure", "figure", "per", "approximate", "redacted")}
UNKNOWN_AREA, UNKNOWN_PERIOD = f"<{WFQ}unknownArea>", f"<{WFQ}unknownPeriod>"
NO_PROGRAMME, NO_GROUP = f"<{WFQ}noProgramme>", f"<{WFQ}noGroup>"
CODES = {"programme": f"<{WFQ}programmeCodes>", "group": f"<{WFQ}groupCodes>"}
SKOS_CONCEPT, IN_SCHEME = f"<{SKOS}Concept>", f"<{SKOS}inScheme>"
MEASURE_SCHEME = WF_N3["MeasureScheme"]
PERIOD_OF_TIME = f"<{DCTERMS}PeriodOfTime>"
# SDMX's missing value: a redacted (XX万元) or unparsed figure still needs one (IC-14).
NAN = '"NaN"^^<http://www.w3.org/2001/XMLSchema#double>'


def period_label(start: date, end: date) -> str:
    """2023 for a calendar year, 2023-H1 / 2023-Q3 for its halves and quarters, else START/END."""
    if start.year == end.year and start.day == 1:
        last = {3: 31, 6: 30, 9: 30, 12: 31}
        if end.month in last and end.day == last[end.month]:
            if (start.month, end.month) == (1, 12):
                return str(start.year)
            if (start.month, end.month) in ((1, 6), (7, 12)):
                return f"{start.year}-H{1 if start.month == 1 else 2}"
            if end.month - start.month == 2 and start.month in (1, 4, 7, 10):
                return f"{start.year}-Q{(start.month + 2) // 3}"
    return f"{start.isoformat()}/{end.isoformat()}"


def figure_region(rec: ReportRecord, f: Figure) -> Region | None:
    """The figure's own place where its clause names one, else its report's."""
    return f.region or rec.region


def cube_rows(records: list[ReportRecord], ontology_dir: str | None = None) -> list[str]:
    """The observations of every figure (plus the nodes they name) as sorted, distinct N-Triples lines."""
    return sorted(_cube_lines(records, ontology_dir))


def report_cube_lines(rec: ReportRecord, ontology_dir: str | None = None) -> set[str]:
    """One report's observations and the nodes they name. The whole cube's lines are the union of
    its reports' and ``base_cube_lines()``: a node's lines depend on the node alone, so a build can
    take each report's as its record passes (kg.build.fold) and merge them sorted."""
    return _cube_lines([rec], ontology_dir)


def base_cube_lines(ontology_dir: str | None = None) -> set[str]:
    """The lines every cube holds, whatever its figures: the measure codes and ontology/cube.ttl."""
    lines = _cube_lines([], ontology_dir)
    lines.update(structure_rows())
    return lines


def _cube_lines(records: list[ReportRecord], ontology_dir: str | None = None) -> set[str]:
    """``cube_rows`` unsorted. A region, period or code is written once and its node remembered:
    thousands of figures name the same few (their lines are the same each time)."""
    lex = load_lexicon(ontology_dir)
    rows: set[str] = set()

    def add(s: str, p: str, o: str) -> None:
        rows.add(f"{s} {p} {o} .\n")

    codes: dict = {}

    def code(kind: str, c) -> str:
        node = codes.get((kind, c))
        if node is not None:
            return node
        node = codes[(kind, c)] = _concept(add, c, lex)
        add(node, TYPE, SKOS_CONCEPT)
        add(node, IN_SCHEME, CODES[kind])
        known = lex.concepts.get(c.key) if c.key else None
        if known:  # labelled here too, so the cube file reads on its own
            add(node, PREF_LABEL, _str(known.pref_zh) + "@zh")
            add(node, PREF_LABEL, _str(known.pref_en) + "@en")
        return node

    regions: dict = {}

    def region(reg: Region | None) -> str:
        if reg is None:
            return UNKNOWN_AREA
        node = regions.get(reg)
        if node is None:
            node = regions[reg] = _region(add, reg)
        return node

    periods: dict = {}

    def period(start: date | None, end: date | None) -> str:
        node = periods.get((start, end))
        if node is None:
            node = periods[(start, end)] = _period(add, start, end)
        return node

    for m in sorted(MEASURE_N3.values()):
        add(m, TYPE, SKOS_CONCEPT)
        add(m, IN_SCHEME, MEASURE_SCHEME)
    p_programme, p_group, p_measure, p_figure, p_per, p_approximate, p_redacted = (
        P["programme"], P["group"], P["measure"], P["figure"], P["per"], P["approximate"], P["redacted"])
    unit_iris = lex.unit_iris
    for rec in sorted(records, key=lambda r: r.source):
        for f in rec.figures:
            span = f"{f.start}-{f.end}"
            obs = _iri(mint_str("observation", rec.source, span))
            rows.update((
                f"{obs} {TYPE} {OBSERVATION} .\n",
                f"{obs} {DATASET} {FIGURES} .\n",
                f"{obs} {REF_AREA} {region(figure_region(rec, f))} .\n",
                f"{obs} {REF_PERIOD} {period(f.period_start, f.period_end)} .\n",
                f"{obs} {p_programme} {code('programme', f.programme) if f.programme else NO_PROGRAMME} .\n",
                f"{obs} {p_group} {code('group', f.group) if f.group else NO_GROUP} .\n",
                f"{obs} {p_measure} {MEASURE_N3[f.measure]} .\n",
                f"{obs} {p_figure} {_iri(mint_str('figure', rec.source, span))} .\n",
                f"{obs} {OBS_VALUE} {_decimal(f.value) if f.value is not None else NAN} .\n",
                f"{obs} {UNIT_MEASURE} {_iri(unit_iris[f.unit])} .\n",
                f"{obs} {p_approximate} {_bool(f.approximate)} .\n",
                f"{obs} {p_redacted} {_bool(f.redacted)} .\n",
            ))
            if f.per:
                add(obs, p_per, _str(f.per))
    return rows


def _period(add, start: date | None, end: date | None) -> str:
    if not (start and end):
        return UNKNOWN_PERIOD
    node = _iri(mint_str("period", start.isoformat(), end.isoformat()))
    add(node, TYPE, PERIOD_OF_TIME)
    add(node, LABEL, _str(period_label(start, end)))
    add(node, WF_N3["periodStart"], f'"{start.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>')
    add(node, WF_N3["periodEnd"], f'"{end.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>')
    return node


def structure_rows(path: Path = CUBE_TTL) -> list[str]:
    """ontology/cube.ttl (the data set, its structure and code lists) as N-Triples lines."""
    return list(_structure_rows(str(path), path.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _structure_rows(path: str, mtime_ns: int) -> tuple[str, ...]:
    g = Graph().parse(path, format="turtle")
    return tuple(sorted({line + "\n" for line in g.serialize(format="nt").splitlines() if line.strip()}))


def cube_ntriples(records: list[ReportRecord], ontology_dir: str | None = None) -> bytes:
    """The whole cube, structure and observations, as sorted N-Triples."""
    lines = _cube_lines(records, ontology_dir)
    lines.update(structure_rows())
    return "".join(sorted(lines)).encode("utf-8")


PREFIXES = {"qb": QB, "sdmx-dimension": SDMX_DIM, "sdmx-attribute": SDMX_ATT, "sdmx-measure": SDMX_MEA,
            "wfq": WFQ, "wf": "https://w3id.org/welfare-kg/ontology#", "skos": SKOS, "dcterms": DCTERMS,
            "rdfs": "http://www.w3.org/2000/01/rdf-schema#", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "wfp": "https://w3id.org/welfare-kg/programme/", "wfg": "https://w3id.org/welfare-kg/group/",
            "wfu": "https://w3id.org/welfare-kg/unit/", "data": "https://w3id.org/welfare-kg/data/"}


def cube_turtle(records: list[ReportRecord], ontology_dir: str | None = None) -> bytes:
    """exports/cube.trig: the sorted N-Triples written as Turtle by Oxigraph (streaming, so a corpus of
    thousands of reports costs no rdflib graph; sorted input gives the same bytes every time)."""
    import io

    import pyoxigraph as ox

    out = io.BytesIO()
    ox.serialize(ox.parse(io.BytesIO(cube_ntriples(records, ontology_dir)), format=ox.RdfFormat.N_TRIPLES), out,
                 format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return out.getvalue()


def cube_turtle_file(sorted_nt: Path, trig: Path) -> None:
    """``cube_turtle`` from a file of the cube's sorted, distinct N-Triples lines to ``trig``, streaming
    (Oxigraph reads and writes the files itself: no copy of the cube in memory)."""
    import pyoxigraph as ox

    ox.serialize(ox.parse(path=str(sorted_nt), format=ox.RdfFormat.N_TRIPLES), str(trig),
                 format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
