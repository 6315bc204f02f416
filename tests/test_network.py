"""The networkx projection (kg.out.network) and the page built from it (kg.out.viz),
checked against SPARQL over the same graph built from the seeds."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from kg.out.network import EDGE_PROPERTIES, format_stats, graph_stats, to_networkx
from kg.out.viz import PAGE_MAX_TRIPLES, add_page, fold_figures, load_graph, render_html

ROOT = Path(__file__).resolve().parent.parent
WF = Namespace("https://w3id.org/welfare-kg/ontology#")
PREFIXES = """PREFIX wf: <https://w3id.org/welfare-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


EVIL_REPORT = """<script>alert(1)</script>区民政局2023年工作总结
2023年，区民政局发放临时救助金208.9万元<script>window.kgPwned=1;alert(1)</script>，救助困难群众<img src=x onerror="window.kgPwned=2;alert(2)">483户。
城市低保标准由原630元/月调整至670元/月<img src=x onerror=alert(3)>。
"""


def cli_build_evil(tmp_path_factory) -> tuple[Path, str]:
    """A generated report with script tags, built once per session by the real ``kg build``."""
    base = tmp_path_factory.getbasetemp() / "evil"
    log = base / "build-stdout.txt"
    if not log.exists():
        (base / "reports").mkdir(parents=True, exist_ok=True)
        (base / "reports" / "evil.txt").write_text(EVIL_REPORT, encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(base / "reports"), "--out", str(base / "out")],
                             capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 0, run.stderr
        log.write_text(run.stdout, encoding="utf-8")
    return base / "out", log.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seeds(seeds_built):
    graph = load_graph(seeds_built / "welfare.ttl")
    return seeds_built, graph, to_networkx(graph)


def count(graph: Graph, where: str) -> int:
    rows = list(graph.query(PREFIXES + f"SELECT (COUNT(DISTINCT ?n) AS ?c) WHERE {{ {where} }}"))
    return int(rows[0][0])


def test_node_counts_per_kind_equal_sparql_counts(seeds):
    _, graph, g = seeds
    kinds = graph_stats(g)["kinds"]
    used = "?x wf:mentions|wf:programme|wf:group ?u . ?u skos:broader* ?n ."
    assert kinds == {
        "report": count(graph, "?n a wf:Report"),
        "agency": count(graph, "?n a wf:Agency"),
        "region": count(graph, "?n a wf:Region"),
        "programme": count(graph, used + " ?n a wf:Programme"),
        "field": count(graph, used + " ?n a wf:FieldOfWork"),
        "group": count(graph, used + " ?n a wf:BeneficiaryGroup"),
        "figure": count(graph, "?n a wf:Figure"),
    }
    assert kinds["report"] == 5 and kinds["figure"] > 100 and kinds["programme"] > 10


def test_edges_are_labelled_with_contract_property_names(seeds):
    _, graph, g = seeds
    labels = {k for _, _, k in g.edges(keys=True)}
    assert labels <= set(EDGE_PROPERTIES.values())
    assert {"publisher", "mentions", "programme", "group", "wasDerivedFrom", "broader"} <= labels
    assert all(d["label"] == k for _, _, k, d in g.edges(keys=True, data=True))
    by_label = {k: 0 for k in labels}
    for _, _, k in g.edges(keys=True):
        by_label[k] += 1
    assert by_label["publisher"] == count(graph, "?n dcterms:publisher ?a")
    assert by_label["wasDerivedFrom"] == count(graph, "?n prov:wasDerivedFrom ?r")
    assert by_label["programme"] == len(list(graph.subject_objects(WF.programme)))
    # every figure hangs off its report
    for f, d in g.nodes(data=True):
        if d["kind"] == "figure":
            assert [v for _, v, k in g.out_edges(f, keys=True) if k == "wasDerivedFrom"] == [d["report"]]


def test_figure_and_concept_attributes_come_from_the_graph(seeds):
    _, graph, g = seeds
    figures = [(n, d) for n, d in g.nodes(data=True) if d["kind"] == "figure"]
    for n, d in figures:
        node = URIRef(n)
        assert d["text"] == str(graph.value(node, WF.text))
        assert d["quote"] == str(graph.value(node, WF.quote))
        assert d["unit"] == str(graph.value(graph.value(node, WF.unit), RDFS.label))
        assert d["measure"] == str(graph.value(node, WF.measure)).split("#")[1]
    assert any(d["value"] and d["per"] and d["period"] for _, d in figures)  # e.g. 670元/月
    concepts = [d for _, d in g.nodes(data=True) if d["kind"] in ("programme", "group")]
    assert all(d["label_zh"] and d["label_en"] for d in concepts)
    assert any(d["broader"] for d in concepts)
    linjiu = [d for d in concepts if d["label_zh"] == "临时救助"]
    assert linjiu and linjiu[0]["kind"] == "programme"


def test_stats_and_summary_line(seeds, tmp_path_factory):
    _, _, g = seeds
    stats = graph_stats(g)
    assert stats["nodes"] == g.number_of_nodes() and stats["edges"] == g.number_of_edges()
    assert stats["components"] == nx.number_weakly_connected_components(g)
    degrees = [deg for _, deg in stats["programmes"]]
    assert degrees == sorted(degrees, reverse=True) and len(degrees) == 5
    top = max((g.degree(n), d["label"]) for n, d in g.nodes(data=True) if d["kind"] == "programme")
    assert stats["programmes"][0] == (top[1], top[0])
    # kg build prints the same line, and names the page it wrote
    out, stdout = cli_build_evil(tmp_path_factory)
    assert format_stats(graph_stats(to_networkx(load_graph(out / "welfare.ttl")))) in stdout.splitlines()
    assert re.search(r"^graph: \d+ nodes, \d+ edges, \d+ components; most connected programmes: .+ \(\d+\)",
                     stdout, re.M)
    assert f"  wrote {out / 'welfare.html'}" in stdout.splitlines()


def test_stats_on_a_small_graph():
    """Two islands, and degree ranking with a tie broken by label."""
    g = Graph()
    d = Namespace("https://w3id.org/welfare-kg/data/")
    for name in ("r1", "r2"):
        g.add((d[name], RDF.type, WF.Report))
        g.add((d[name], DCTERMS.title, Literal(name)))
    for name, label in (("p1", "临时救助"), ("p2", "最低生活保障"), ("p3", "未用")):
        g.add((d[name], RDF.type, WF.Programme))
        g.add((d[name], SKOS.prefLabel, Literal(label, lang="zh")))
    g.add((d.r1, WF.mentions, d.p1))
    g.add((d.r2, WF.mentions, d.p2))
    g.add((d.f1, RDF.type, WF.Figure))
    g.add((d.f1, WF.text, Literal("483户")))
    g.add((d.f1, WF.value, Literal("483.0", datatype=XSD.decimal)))
    g.add((d.f1, PROV.wasDerivedFrom, d.r2))
    g.add((d.f1, WF.programme, d.p2))
    stats = graph_stats(to_networkx(g))
    assert stats["kinds"] == {"report": 2, "agency": 0, "region": 0, "programme": 2, "field": 0, "group": 0, "figure": 1}
    assert stats["components"] == 2
    assert stats["programmes"] == [("最低生活保障", 2), ("临时救助", 1)]
    assert to_networkx(g).nodes[str(d.f1)]["value"] == "483"  # canonical, not "483.0"


def test_folding_keeps_every_figure_once(seeds):
    _, _, g = seeds
    drawn, figures = fold_figures(g)
    n_figures = sum(1 for _, d in g.nodes(data=True) if d["kind"] == "figure")
    assert drawn.number_of_nodes() == g.number_of_nodes() - n_figures
    assert sum(len(v) for v in figures.values()) == n_figures
    assert all(drawn.nodes[home]["kind"] in ("programme", "group", "report") for home in figures)


def test_page_is_offline_and_deterministic(seeds):
    out, _, g = seeds
    page = (out / "welfare.html").read_bytes()
    assert page == render_html(g) == render_html(load_graph(out / "welfare.nq"))
    text = page.decode("utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert not re.search(r"<(link|script)\b[^>]*\b(src|href)=", text, re.I)
    assert "default-src 'none'" in text
    own = text.rsplit("<script>", 1)[1]  # the page's own script, after the inlined libraries
    assert "nodeList" in own and not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", own)  # no uuids


def test_report_strings_are_escaped():
    g = Graph()
    d = Namespace("https://w3id.org/welfare-kg/data/")
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    g.add((d.r, RDF.type, WF.Report))
    g.add((d.r, DCTERMS.title, Literal("标题" + evil)))
    g.add((d.f, RDF.type, WF.Figure))
    g.add((d.f, PROV.wasDerivedFrom, d.r))
    g.add((d.f, WF.text, Literal("5户")))
    g.add((d.f, WF.quote, Literal("救助" + evil)))
    page = render_html(g).decode("utf-8")
    assert "<script>alert" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the search list, autoescaped


def test_viz_command(tmp_path, seeds):
    out, _, _ = seeds
    target = tmp_path / "page.html"
    ok = subprocess.run([sys.executable, "-m", "kg.cli", "viz", str(out / "welfare.nq"), "--out", str(target)],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert target.read_bytes() == (out / "welfare.html").read_bytes()
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all", encoding="utf-8")
    for path in (bad, tmp_path / "missing.ttl"):
        run = subprocess.run([sys.executable, "-m", "kg.cli", "viz", str(path), "--out", str(tmp_path / "x.html")],
                             capture_output=True, text=True, cwd=ROOT)
        assert run.returncode == 1 and str(path) in run.stderr
        assert not (tmp_path / "x.html").exists()


def test_build_skips_the_page_for_a_graph_too_big_to_draw(tmp_path):
    stale = tmp_path / "welfare.html"
    stale.write_text("an old page", encoding="utf-8")
    files, stats = add_page(tmp_path, [tmp_path / "welfare.ttl"], PAGE_MAX_TRIPLES + 1)
    assert files == [tmp_path / "welfare.ttl"] and not stale.exists()
    assert format_stats(stats).startswith("graph: page skipped: ")


def test_a_skipped_page_names_the_output_folder_not_the_build_s_staging_folder(tmp_path):
    """kg build stages its exports in a temporary folder inside OUT; the advice to draw the graph
    must name OUT/welfare.ttl, the file the user has once the build is done."""
    staging = tmp_path / ".kg-build-x"
    staging.mkdir()
    _, stats = add_page(staging, [staging / "welfare.ttl"], PAGE_MAX_TRIPLES + 1, shown=tmp_path)
    assert f"kg viz {tmp_path / 'welfare.ttl'} --out FILE" in stats["page"]
    assert ".kg-build-x" not in stats["page"]
