"""Records to triples, under the contract vocabulary (CONTRACT.md).

No spaCy here: this module sees only ``kg.records`` and the ontology files.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quote_encode, _quoteLiteral

from kg.rdf.iris import mint_str
from kg.rdf.tables import cell_rows, figure_part, table_rows
from kg.vocab.namespace import DCTERMS, MEASURE_TERMS, ORG, PROV, RDF, RDFS, SKOS, WF, WF_TERMS, WFG, WFP, XSD
from kg.vocab.ontology import FILES, ONTOLOGY_DIR, load_lexicon
from kg.records import ConceptRef, Region, ReportRecord

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
    """``report_rows`` as rdflib terms (read back from the lines: one definition of the graph)."""
    g = Graph()
    g.parse(data="".join(report_rows(rec, ontology_dir)), format="nt")
    return set(g)


def report_rows(rec: ReportRecord, ontology_dir: str | None = None) -> list[str]:
    """A report's named graph as sorted, distinct N-Triples lines, written exactly
    as rdflib's N-Quads serializer writes them (minus the graph name).

    The lines are made straight from the record: building an rdflib term per
    node and value and then asking each for its N-Triples form cost a corpus
    build a third of its time. The helpers below write the strings rdflib
    writes (tests/test_determinism.py reads the lines back and writes them again)."""
    lex = load_lexicon(ontology_dir)
    rows: set[str] = set()

    def add(s: str, p: str, o: str) -> None:
        rows.add(f"{s} {p} {o} .\n")

    regions: dict = {}

    def region(reg) -> str:
        """``_region``, its lines written once: most figures carry their report's region."""
        node = regions.get(reg)
        if node is None:
            node = regions[reg] = _region(add, reg)
        return node

    rules: dict = {}

    def rule(name: str) -> str:
        node = rules.get(name)
        if node is None:
            node = rules[name] = _iri(mint_str("rule", name))
        return node

    r = _iri(mint_str("report", rec.source))
    add(r, TYPE, WF_N3["Report"])
    add(r, SOURCE, _str(rec.source))
    add(r, TITLE, _str(rec.title))
    add(r, WF_N3["sha256"], _str(rec.sha256))
    for w in rec.warnings:
        add(r, WF_N3["warning"], _str(w))
    _period(add, r, rec.period_start, rec.period_end)
    if rec.region:
        add(r, WF_N3["region"], region(rec.region))

    agencies: dict[str, str] = {}

    def agency(name: str) -> str:
        if name not in agencies:
            a = _iri(mint_str("agency", rec.source, name))
            agencies[name] = a
            add(a, TYPE, WF_N3["Agency"])
            add(a, LABEL, _str(name))
        return agencies[name]

    if rec.publisher:
        pub = agency(rec.publisher)
        add(r, PUBLISHER, pub)
        for alias in rec.publisher_aliases:
            add(pub, ALT_LABEL, _str(alias))
        if rec.region:
            add(pub, WF_N3["region"], region(rec.region))
        add(r, WF_N3["mentions"], pub)

    for m in rec.mentions:
        if m.kind == "agency":
            a = agency(m.name or m.text)
            add(r, WF_N3["mentions"], a)
        elif m.kind == "region":
            from kg.vocab.regions import gazetteer

            reg = gazetteer().resolve(m.text, {rec.region.code} if rec.region and rec.region.code else set())
            if reg:
                add(r, WF_N3["mentions"], region(reg))
        elif m.concept is not None:
            add(r, WF_N3["mentions"], _concept(add, m.concept, lex))

    tables = table_rows(add, rec, r, lambda *p: _iri(mint_str(*p)), _str, _int, WF_N3, TYPE, DERIVED_FROM)
    for f in rec.figures:
        node = _iri(mint_str("figure", rec.source, figure_part(f)))
        add(node, TYPE, WF_N3["Figure"])
        add(node, DERIVED_FROM, r)
        add(node, WF_N3["text"], _str(f.text))
        add(node, WF_N3["quote"], _str(f.quote))
        if f.value is not None:
            add(node, WF_N3["value"], _decimal(f.value))
        add(node, WF_N3["unit"], _iri(lex.unit_iris[f.unit]))
        if f.per:
            add(node, WF_N3["per"], _str(f.per))
        add(node, WF_N3["measure"], MEASURE_N3[f.measure])
        if f.programme:
            add(node, WF_N3["programme"], _concept(add, f.programme, lex))
        if f.group:
            add(node, WF_N3["group"], _concept(add, f.group, lex))
        if f.previous is not None:
            add(node, WF_N3["previousValue"], _decimal(f.previous))
        add(node, WF_N3["approximate"], _bool(f.approximate))
        add(node, WF_N3["redacted"], _bool(f.redacted))
        if f.unparsed:
            add(node, WF_N3["unparsed"], _bool(True))
        for name in f.decided_by:
            add(node, WF_N3["decidedBy"], rule(name))
        if f.start >= 0:  # a reader's table cell the text does not hold has no offsets
            add(node, WF_N3["startOffset"], _int(f.start))
            add(node, WF_N3["endOffset"], _int(f.end))
        if f.page is not None:
            add(node, WF_N3["page"], _page(f.page))
        _period(add, node, f.period_start, f.period_end)
        place = f.region or rec.region  # its clause's or table row's own place, else its report's
        if place:
            add(node, WF_N3["region"], region(place))
        if f.table is not None:
            cell_rows(add, node, f, tables, _int, _str, WF_N3)
    # the wf:Rule nodes themselves are vocabulary: once, in the ontology graph (ontology/rules.ttl)
    return sorted(rows)


def ntriples_rows(triples) -> list[str]:
    """Sorted, distinct N-Triples lines, written exactly as rdflib's N-Quads
    serializer writes them (minus the graph name)."""
    return sorted({f"{s.n3()} {p.n3()} {_quoteLiteral(o) if isinstance(o, Literal) else o.n3()} .\n"
                   for s, p, o in triples})


# ------------------------------------------------------------ terms as N-Triples text
# What rdflib's ``term.n3()`` / ``_quoteLiteral(term)`` return, without making the term.
# The constant terms are written once, here.

WF_N3 = {name: WF[name].n3() for name in WF_TERMS}
MEASURE_N3 = {name: term.n3() for name, term in MEASURE_TERMS.items()}
TYPE, LABEL, ALT_LABEL, COMMENT = RDF.type.n3(), RDFS.label.n3(), SKOS.altLabel.n3(), RDFS.comment.n3()
PREF_LABEL, BROADER, IN_SCHEME, SKOS_CONCEPT = (SKOS.prefLabel.n3(), SKOS.broader.n3(), SKOS.inScheme.n3(),
                                                SKOS.Concept.n3())
SOURCE, TITLE, PUBLISHER, DERIVED_FROM = (DCTERMS.source.n3(), DCTERMS.title.n3(), DCTERMS.publisher.n3(),
                                          PROV.wasDerivedFrom.n3())
REPLACES = DCTERMS.replaces.n3()
_TRUE, _FALSE = _quoteLiteral(Literal(True)), _quoteLiteral(Literal(False))
# Written once: rdflib's namespace attribute lookup (XSD.integer) costs more than the f-string around it.
_INTEGER, _DECIMAL, _DATE = f"^^<{XSD.integer}>", f"^^<{XSD.decimal}>", f"^^<{XSD.date}>"


def _iri(iri: str) -> str:
    return f"<{iri}>"  # our IRIs are minted percent-encoded (kg.rdf.iris) or read from the ontology


def _str(s: str) -> str:
    return _quote_encode(s)


def _bool(b: bool) -> str:
    return _TRUE if b else _FALSE


_POSITIVE = f"^^<{XSD.positiveInteger}>"


def _page(n: int) -> str:
    return f'"{int(n)}"{_POSITIVE}'


def _int(n: int) -> str:
    if type(n) is not int:
        return _quoteLiteral(Literal(n))
    return f'"{n}"{_INTEGER}'


def _decimal(d) -> str:
    if type(d) is not Decimal:  # anything else the way rdflib writes it
        return _quoteLiteral(Literal(d, datatype=XSD.decimal))
    return f'"{d:f}"{_DECIMAL}'  # rdflib's lexical form of a Decimal


def _date(d) -> str:
    return f'"{d.isoformat()}"{_DATE}'


def _period(add, node: str, start, end) -> None:
    if start:
        add(node, WF_N3["periodStart"], _date(start))
    if end:
        add(node, WF_N3["periodEnd"], _date(end))


def _region(add, reg: Region) -> str:
    node = _iri(mint_str("region", reg.code or reg.name))
    add(node, TYPE, WF_N3["Region"])
    add(node, LABEL, _str(reg.name))
    if reg.code:
        add(node, WF_N3["divisionCode"], _str(reg.code))
    if reg.level:
        add(node, WF_N3["level"], _str(reg.level))
    if reg.parent:
        add(node, WF_N3["within"], _region(add, reg.parent))
    for old in reg.former:  # the report named a unit since merged, split or renamed into this one
        add(node, WF_N3["formerName"], _str(old.name))
        if old.code and old.code != reg.code:
            was = _iri(mint_str("region", old.code))
            add(node, REPLACES, was)
            add(was, LABEL, _str(old.name))
            add(was, WF_N3["divisionCode"], _str(old.code))
    return node


def _concept(add, c: ConceptRef, lex) -> str:
    """A known concept's IRI, or a new concept for a wording the ontology lacks."""
    if c.key:
        return _iri(c.key)
    cls, scheme = ("Programme", "ProgrammeScheme") if c.kind == "programme" else ("BeneficiaryGroup", "GroupScheme")
    node = _iri(mint_str(c.kind, c.label))
    add(node, TYPE, WF_N3[cls])
    add(node, TYPE, SKOS_CONCEPT)
    add(node, IN_SCHEME, WF_N3[scheme])
    add(node, PREF_LABEL, _str(c.label) + "@zh")
    if c.broader and c.broader in lex.concepts:
        b = lex.concepts[c.broader]
        add(node, BROADER, _iri(c.broader))
        add(node, PREF_LABEL, _str(f"{b.pref_en} ({c.label})") + "@en")
    else:
        add(node, PREF_LABEL, _str(f"{'Programme' if c.kind == 'programme' else 'Group'} ({c.label})") + "@en")
    return node
