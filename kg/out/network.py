"""The RDF graph as a networkx graph: one node per report, agency, region,
programme, group and figure; one edge per contract property between them.

Pure: rdflib in, networkx out. It feeds the browser page (kg.out.viz), the build
summary's statistics, and notebook users who want networkx algorithms.

Concepts: the ontology declares many more programmes and groups than a corpus
names, so only the concepts the data uses (mentioned by a report, or the
programme or group of a figure) and their broader concepts are projected;
an unused corner of the ontology would only add islands.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef

from kg.vocab.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, WF

# class -> kind, in priority order (a node typed twice takes the first)
KINDS = {WF.Report: "report", WF.Agency: "agency", WF.Region: "region",
         WF.Programme: "programme", WF.FieldOfWork: "field", WF.BeneficiaryGroup: "group", WF.Figure: "figure"}
# edges are labelled with the property's local name
EDGE_PROPERTIES = {
    DCTERMS.publisher: "publisher", WF.region: "region", WF.mentions: "mentions",
    WF.programme: "programme", WF.group: "group", PROV.wasDerivedFrom: "wasDerivedFrom",
    SKOS.broader: "broader", WF.servesGroup: "servesGroup", WF.within: "within",
}
# what puts a programme or group in the picture: the data naming it (the ontology's own
# servesGroup links are drawn between concepts in the picture but pull in none)
_USES = (WF.mentions, WF.programme, WF.group)


def to_networkx(graph: Graph):
    """Project ``graph`` to a ``networkx.MultiDiGraph``.

    Node ids are IRIs (strings). Every node has ``kind`` (report, agency,
    region, programme, field, group, figure), ``cls`` (the class's local name) and
    ``label``; concepts add ``label_zh``, ``label_en`` and ``broader`` (labels);
    figures add text, value, unit, measure, per, period, quote, report and rules
    ((name, why) of the rules that decided its links).
    Edge keys and ``label`` attributes are the property's local name.
    """
    import networkx as nx

    g = nx.MultiDiGraph()
    kinds = _kinds(graph)
    for node in sorted(kinds, key=str):
        g.add_node(str(node), **_attrs(graph, node, kinds[node]))
    for node in sorted(kinds, key=str):
        for prop, name in EDGE_PROPERTIES.items():
            for obj in sorted(graph.objects(node, prop), key=str):
                if obj in kinds:
                    g.add_edge(str(node), str(obj), key=name, label=name)
    return g


def _kinds(graph: Graph) -> dict[URIRef, str]:
    kinds: dict[URIRef, str] = {}
    for cls, kind in KINDS.items():
        for s in graph.subjects(RDF.type, cls):
            if isinstance(s, URIRef) and s not in kinds:
                kinds[s] = kind
    used = {o for p in _USES for o in graph.objects(None, p)}
    keep = set()
    concept_kinds = ("programme", "field", "group")
    todo = [c for c in used if kinds.get(c) in concept_kinds]
    while todo:  # the used concepts and everything broader
        c = todo.pop()
        if c not in keep:
            keep.add(c)
            todo += [b for b in graph.objects(c, SKOS.broader) if kinds.get(b) in concept_kinds]
    return {n: k for n, k in kinds.items() if k not in concept_kinds or n in keep}


def _text(graph: Graph, node, prop, lang: str | None = None) -> str:
    """One literal's text, picked deterministically (language first, then smallest)."""
    values = [o for o in graph.objects(node, prop) if isinstance(o, Literal)]
    if lang is not None:
        values = [o for o in values if o.language == lang] or [o for o in values if not o.language]
    return min((str(v) for v in values), default="")


def _label(graph: Graph, node) -> str:
    return (_text(graph, node, SKOS.prefLabel, "zh") or _text(graph, node, RDFS.label)
            or _text(graph, node, DCTERMS.title) or _text(graph, node, DCTERMS.source))


def _decimal(lit) -> str:
    """A number's canonical text (5, 2089000, 0.5), whatever the serialisation wrote (5.0)."""
    if lit is None:
        return ""
    try:
        return format(Decimal(str(lit)).normalize(), "f")
    except InvalidOperation:
        return str(lit)


def _period(graph: Graph, node) -> str:
    start, end = _text(graph, node, WF.periodStart), _text(graph, node, WF.periodEnd)
    return f"{start}/{end}" if start != end else start


def _attrs(graph: Graph, node: URIRef, kind: str) -> dict:
    cls = next(c for c, k in KINDS.items() if k == kind)
    a = {"kind": kind, "cls": cls.split("#")[-1]}
    if kind == "figure":
        unit = graph.value(node, WF.unit)
        measure = graph.value(node, WF.measure)
        report = graph.value(node, PROV.wasDerivedFrom)
        a.update(label=_text(graph, node, WF.text), text=_text(graph, node, WF.text),
                 value=_decimal(graph.value(node, WF.value)), unit=_text(graph, unit, RDFS.label) if unit else "",
                 measure=str(measure).split("#")[-1] if measure else "", per=_text(graph, node, WF.per),
                 period=_period(graph, node), quote=_text(graph, node, WF.quote),
                 report=str(report) if report else "",
                 rules=sorted((_text(graph, r, RDFS.label), _text(graph, r, RDFS.comment))
                              for r in graph.objects(node, WF.decidedBy)))
        return a
    a["label"] = _label(graph, node)
    if kind in ("programme", "field", "group"):
        a.update(label_zh=_text(graph, node, SKOS.prefLabel, "zh"), label_en=_text(graph, node, SKOS.prefLabel, "en"),
                 broader=sorted(_label(graph, b) for b in graph.objects(node, SKOS.broader)))
    elif kind == "report":
        a.update(source=_text(graph, node, DCTERMS.source), period=_period(graph, node))
    elif kind == "region":
        a.update(code=_text(graph, node, WF.divisionCode), level=_text(graph, node, WF.level))
    return a


def graph_stats(nx_graph, top: int = 5) -> dict:
    """Weakly connected components, the most connected programmes and groups
    (by degree, ties by label), and node counts per kind."""
    import networkx as nx

    def most(kind: str) -> list[tuple[str, int]]:
        ranked = sorted(((-nx_graph.degree(n), d["label"]) for n, d in nx_graph.nodes(data=True)
                         if d["kind"] == kind))
        return [(label, -deg) for deg, label in ranked[:top]]

    counts = {k: 0 for k in KINDS.values()}
    for _, d in nx_graph.nodes(data=True):
        counts[d["kind"]] += 1
    return {
        "nodes": nx_graph.number_of_nodes(),
        "edges": nx_graph.number_of_edges(),
        "components": nx.number_weakly_connected_components(nx_graph) if len(nx_graph) else 0,
        "programmes": most("programme"),
        "groups": most("group"),
        "kinds": counts,
    }


def format_stats(stats: dict) -> str:
    """The build summary's one line about the graph."""
    if "nodes" not in stats:
        return f"graph: page {stats.get('page', 'not drawn')}"
    def names(pairs):
        return ", ".join(f"{label} ({deg})" for label, deg in pairs) or "none"

    return (f"graph: {stats['nodes']} nodes, {stats['edges']} edges, {stats['components']} components; "
            f"most connected programmes: {names(stats['programmes'])}; groups: {names(stats['groups'])}")
