"""Records to triples, under the contract vocabulary (CONTRACT.md).

No spaCy here: this module sees only ``kg.records`` and the ontology files.
"""
from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral

from .iris import mint
from .namespace import DCTERMS, MEASURE_TERMS, ORG, PROV, RDF, RDFS, SKOS, WF, WFG, WFP, XSD
from .ontology import FILES, ONTOLOGY_DIR, load_lexicon
from .records import ConceptRef, Region, ReportRecord

ONTOLOGY_GRAPH = URIRef("https://w3id.org/welfare-kg/graph/ontology")
PREFIXES = {"wf": WF, "dcterms": DCTERMS, "prov": PROV, "skos": SKOS, "rdfs": RDFS, "xsd": XSD,
            "org": ORG, "wfp": WFP, "wfg": WFG}


def bind_prefixes(g: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, replace=True)
    g.bind("wfu", "https://w3id.org/welfare-kg/unit/")
    g.bind("wfa", "https://w3id.org/welfare-kg/agency-type/")
    g.bind("data", "https://w3id.org/welfare-kg/data/")
    return g


def ontology_graph(directory: Path = ONTOLOGY_DIR) -> Graph:
    g = bind_prefixes(Graph())
    for name in FILES:
        if (directory / name).exists():
            g.parse(directory / name, format="turtle")
    return g


def report_graph(rec: ReportRecord, ontology_dir: str | None = None) -> Graph:
    """The triples one report contributes (its named graph)."""
    g = bind_prefixes(Graph())
    for t in report_triples(rec, ontology_dir):
        g.add(t)
    return g


def report_triples(rec: ReportRecord, ontology_dir: str | None = None) -> set[tuple]:
    """``report_graph``'s triples as a plain set: rdflib's store costs more than
    making the terms, and a corpus build only needs them serialised."""
    lex = load_lexicon(ontology_dir)
    g: set[tuple] = set()
    r = mint("report", rec.source)
    g.add((r, RDF.type, WF.Report))
    g.add((r, DCTERMS.source, Literal(rec.source)))
    g.add((r, DCTERMS.title, Literal(rec.title)))
    g.add((r, WF.sha256, Literal(rec.sha256)))
    for w in rec.warnings:
        g.add((r, WF.warning, Literal(w)))
    _period(g, r, rec.period_start, rec.period_end)
    if rec.region:
        g.add((r, WF.region, _region(g, rec.region)))

    agencies: dict[str, URIRef] = {}

    def agency(name: str) -> URIRef:
        if name not in agencies:
            a = mint("agency", rec.source, name)
            agencies[name] = a
            g.add((a, RDF.type, WF.Agency))
            g.add((a, RDFS.label, Literal(name)))
        return agencies[name]

    if rec.publisher:
        pub = agency(rec.publisher)
        g.add((r, DCTERMS.publisher, pub))
        for alias in rec.publisher_aliases:
            g.add((pub, SKOS.altLabel, Literal(alias)))
        if rec.region:
            g.add((pub, WF.region, _region(g, rec.region)))
        g.add((r, WF.mentions, pub))

    for m in rec.mentions:
        if m.kind == "agency":
            a = agency(m.name or m.text)
            g.add((r, WF.mentions, a))
        elif m.kind == "region":
            from .regions import gazetteer

            reg = gazetteer().resolve(m.text, {rec.region.code} if rec.region and rec.region.code else set())
            if reg:
                g.add((r, WF.mentions, _region(g, reg)))
        elif m.concept is not None:
            g.add((r, WF.mentions, _concept(g, m.concept, lex)))

    for f in rec.figures:
        node = mint("figure", rec.source, f"{f.start}-{f.end}")
        g.add((node, RDF.type, WF.Figure))
        g.add((node, PROV.wasDerivedFrom, r))
        g.add((node, WF.text, Literal(f.text)))
        g.add((node, WF.quote, Literal(f.quote)))
        if f.value is not None:
            g.add((node, WF.value, Literal(f.value, datatype=XSD.decimal)))
        g.add((node, WF.unit, URIRef(lex.unit_iris[f.unit])))
        if f.per:
            g.add((node, WF.per, Literal(f.per)))
        g.add((node, WF.measure, MEASURE_TERMS[f.measure]))
        if f.programme:
            g.add((node, WF.programme, _concept(g, f.programme, lex)))
        if f.group:
            g.add((node, WF.group, _concept(g, f.group, lex)))
        if f.previous is not None:
            g.add((node, WF.previousValue, Literal(f.previous, datatype=XSD.decimal)))
        g.add((node, WF.approximate, Literal(f.approximate)))
        g.add((node, WF.redacted, Literal(f.redacted)))
        if f.unparsed:
            g.add((node, WF.unparsed, Literal(True)))
        g.add((node, WF.startOffset, Literal(f.start)))
        g.add((node, WF.endOffset, Literal(f.end)))
        _period(g, node, f.period_start, f.period_end)
    return g


def ntriples_rows(triples) -> list[str]:
    """Sorted, distinct N-Triples lines, written exactly as rdflib's N-Quads
    serializer writes them (minus the graph name)."""
    return sorted({f"{s.n3()} {p.n3()} {_quoteLiteral(o) if isinstance(o, Literal) else o.n3()} .\n"
                   for s, p, o in triples})


def _period(g, node, start, end) -> None:
    if start:
        g.add((node, WF.periodStart, Literal(start.isoformat(), datatype=XSD.date)))
    if end:
        g.add((node, WF.periodEnd, Literal(end.isoformat(), datatype=XSD.date)))


def _region(g, reg: Region) -> URIRef:
    node = mint("region", reg.code or reg.name)
    g.add((node, RDF.type, WF.Region))
    g.add((node, RDFS.label, Literal(reg.name)))
    if reg.code:
        g.add((node, WF.divisionCode, Literal(reg.code)))
    if reg.level:
        g.add((node, WF.level, Literal(reg.level)))
    if reg.parent:
        g.add((node, WF.within, _region(g, reg.parent)))
    return node


def _concept(g, c: ConceptRef, lex) -> URIRef:
    """A known concept's IRI, or a new concept for a wording the ontology lacks."""
    if c.key:
        return URIRef(c.key)
    cls, scheme = (WF.Programme, WF.ProgrammeScheme) if c.kind == "programme" else (WF.BeneficiaryGroup, WF.GroupScheme)
    node = mint(c.kind, c.label)
    g.add((node, RDF.type, cls))
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.inScheme, scheme))
    g.add((node, SKOS.prefLabel, Literal(c.label, lang="zh")))
    if c.broader and c.broader in lex.concepts:
        b = lex.concepts[c.broader]
        g.add((node, SKOS.broader, URIRef(c.broader)))
        g.add((node, SKOS.prefLabel, Literal(f"{b.pref_en} ({c.label})", lang="en")))
    else:
        g.add((node, SKOS.prefLabel, Literal(f"{'Programme' if c.kind == 'programme' else 'Group'} ({c.label})",
                                             lang="en")))
    return node


def build_dataset(records: list[ReportRecord], ontology_dir: str | None = None) -> Dataset:
    """One named graph per report plus the ontology in its own graph."""
    ds = Dataset()
    bind_prefixes(ds)
    onto = ds.graph(ONTOLOGY_GRAPH)
    for t in ontology_graph(Path(ontology_dir) if ontology_dir else ONTOLOGY_DIR):
        onto.add(t)
    for rec in sorted(records, key=lambda r: r.source):
        named = ds.graph(mint("report", rec.source))
        for t in report_graph(rec, ontology_dir):
            named.add(t)
    return ds


def merged_graph(ds: Dataset) -> Graph:
    g = bind_prefixes(Graph())
    for q in ds.quads((None, None, None, None)):
        g.add(q[:3])
    return g
