"""Check a graph against the contract's SHACL shapes (ontology/shapes.ttl) with pyshacl.

No inference: the shapes are SHACL Core over the triples as written. The
ontology (measure scheme, unit nodes) is part of every built graph; only a
graph without it gets the ontology files mixed in (``ont_graph``), which
costs a copy of the data graph.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from kg.vocab.ontology import ONTOLOGY_DIR

SHAPES = ONTOLOGY_DIR / "shapes.ttl"
MEASURE_SCHEME = URIRef("https://w3id.org/welfare-kg/ontology#MeasureScheme")
FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig"}


class GraphFileError(Exception):
    """The graph file cannot be read."""


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    value: str = ""


@dataclass(frozen=True)
class ValidationResult:
    conforms: bool
    text: str  # readable report, one violation a line
    count: int  # violations
    violations: tuple[Violation, ...] = ()


def load_graph(source) -> Graph:
    """A Graph from a Graph, a Dataset (merged) or a .ttl/.nt/.nq/.trig file."""
    if isinstance(source, Dataset):
        g = Graph()
        for q in source.quads((None, None, None, None)):
            g.add(q[:3])
        return g
    if isinstance(source, Graph):
        return source
    path = Path(source)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None or not path.is_file():
        raise GraphFileError(f"{path}: not a graph file ({', '.join(FORMATS)})")
    try:
        if fmt in ("nquads", "trig"):
            return Graph().parse(data=_union_ntriples(path), format="nt")
        return Graph().parse(path, format=fmt)
    except Exception as e:  # rdflib raises many kinds on bad syntax
        raise GraphFileError(f"{path}: cannot parse: " + " ".join(str(e).split())) from e


def _union_ntriples(path: Path) -> bytes:
    """The union of a dataset file's graphs as N-Triples: Oxigraph parses quads ~10x faster than rdflib."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.TRIG if path.suffix.lower() == ".trig" else ox.RdfFormat.N_QUADS
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=fmt)}
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)


def _shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def validate(graph, shapes: Graph | None = None) -> ValidationResult:
    import pyshacl

    data = load_graph(graph)
    ont = None
    if (MEASURE_SCHEME, None, None) not in data:
        from kg.rdf.graph import ontology_graph

        ont = ontology_graph()
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes or _shapes(), ont_graph=ont,
                                           inference="none", advanced=False, allow_warnings=True)
    violations = tuple(sorted(_violations(report, data), key=lambda v: (v.focus, v.path, v.message)))
    lines = [f"{v.focus}\n    {v.path or '(node)'}: {v.message}" + (f" [value: {v.value}]" if v.value else "")
             for v in violations]
    text = ("Conforms: the graph meets the contract shapes." if conforms
            else f"{len(violations)} violation(s) of the contract shapes:\n" + "\n".join(lines))
    return ValidationResult(conforms, text, len(violations), violations)


def _violations(report: Graph, data: Graph):
    from kg.stores.query import PREFIXES

    # Only vocabulary IRIs get prefixes; focus nodes stay whole so they can be pasted into a query.
    vocab = {p: iri for p, iri in PREFIXES.items() if p != "data"}

    def short(node) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            for p, iri in vocab.items():
                if str(node).startswith(iri) and "/" not in str(node)[len(iri):]:
                    return f"{p}:{str(node)[len(iri):]}"
            return f"<{node}>"
        return str(node)

    for r in report.subjects(RDF.type, SH.ValidationResult):
        msgs = sorted(str(m) for m in report.objects(r, SH.resultMessage))
        yield Violation(short(report.value(r, SH.focusNode)), short(report.value(r, SH.resultPath)),
                        "; ".join(msgs) or "violates " + short(report.value(r, SH.sourceConstraintComponent)),
                        short(report.value(r, SH.value)))


class GraphInvalid(Exception):
    """A built graph breaks the contract shapes: a bug in the code that built it."""

    def __init__(self, result: ValidationResult):
        super().__init__(result.text)
        self.result = result

    def __reduce__(self):  # raised in a worker process, re-raised in the build's
        return (GraphInvalid, (self.result,))


def check_file(path: str | Path) -> None:
    """Raise GraphInvalid when the graph file breaks the shapes (``kg build`` calls this)."""
    result = validate(path)
    if not result.conforms:
        raise GraphInvalid(result)
