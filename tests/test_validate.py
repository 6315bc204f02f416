"""The exports checked by independent tools: Apache Jena's riot parser and SHACL (pyshacl,
Jena's shacl) against ontology/shapes.ttl; broken graphs fail with messages that name the problem."""
from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from kg.cli import main
from kg.stores.validate import SHAPES, load_graph, validate

WF = Namespace("https://w3id.org/welfare-kg/ontology#")
FIGURE = URIRef("https://w3id.org/welfare-kg/data/report/000_d6bae9ba1e592f06.txt/figure/323-329")  # 670元/月


def riot(classpath: str, *files) -> subprocess.CompletedProcess:
    return subprocess.run(["java", "-cp", classpath, "riotcmd.riot", "--validate", *map(str, files)],
                          capture_output=True, text=True, timeout=120)


def test_jena_riot_accepts_the_exports(seeds_built, jena_classpath):
    r = riot(jena_classpath, seeds_built / "welfare.ttl", seeds_built / "welfare.nq")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ERROR" not in r.stderr


@pytest.mark.parametrize("name, text, expect", [
    ("bad-iri.ttl", '<http://example.org/a b> <http://example.org/p> "x" .\n', "IRI"),
    ("unterminated.nq", '<http://example.org/a> <http://example.org/p> "never closed <http://example.org/g> .\n',
     "Broken token"),
])
def test_jena_riot_rejects_a_broken_file(jena_classpath, tmp_path, name, text, expect):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    r = riot(jena_classpath, path)
    assert r.returncode != 0
    assert expect in r.stderr + r.stdout


def test_seeds_conform(seeds_built):
    result = validate(seeds_built / "welfare.ttl")
    assert result.conforms and result.count == 0, result.text
    r = CliRunner().invoke(main, ["validate", str(seeds_built / "welfare.nq")])
    assert r.exit_code == 0 and "Conforms" in r.output


@pytest.fixture
def broken_ttl(seeds_built, tmp_path):
    """The seeds' graph with bugs a pipeline could make: a figure without quote and unit, a value
    given as a string, a redacted figure with a value, a programme without a Chinese prefLabel."""
    g = load_graph(seeds_built / "welfare.nq")
    assert (FIGURE, WF.quote, None) in g
    g.remove((FIGURE, WF.quote, None))
    g.remove((FIGURE, WF.unit, None))
    hidden = next(g.subjects(WF.redacted, Literal(True)))
    g.add((hidden, WF.value, Literal("12")))
    programme = next(g.subjects(RDF.type, WF.Programme))
    g.remove((programme, SKOS.prefLabel, None))
    path = tmp_path / "broken.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    return path, hidden, programme


def test_pyshacl_names_each_violation(broken_ttl):
    path, hidden, programme = broken_ttl
    result = validate(path)
    assert not result.conforms
    found = {(v.focus.strip("<>"), v.path) for v in result.violations}
    assert (str(FIGURE), "wf:quote") in found and (str(FIGURE), "wf:unit") in found
    assert (str(hidden), "wf:value") in found  # a string, and a value where digits are hidden
    assert any(v.focus.strip("<>").endswith(programme.split("/")[-1]) and "prefLabel" in v.path
               for v in result.violations)
    assert "quote" in result.text and "unit" in result.text
    r = CliRunner().invoke(main, ["validate", str(path)])
    assert r.exit_code == 1
    assert str(FIGURE) in r.output and "wf:quote" in r.output


def test_jena_shacl_agrees(jena_classpath, tmp_path):
    """An independent SHACL engine reads our shapes the same way."""
    data = tmp_path / "small.ttl"
    data.write_text("""
@prefix wf: <https://w3id.org/welfare-kg/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<urn:r> a wf:Report ; dcterms:source "r.txt" ; dcterms:title "t" .
<urn:f> a wf:Figure ; prov:wasDerivedFrom <urn:r> ; wf:text "670元" ; wf:value 670.0 ;
    wf:approximate false ; wf:redacted false .
""", encoding="utf-8")
    r = subprocess.run(["java", "-cp", jena_classpath, "shacl.shacl", "validate", "--shapes", str(SHAPES),
                        "--data", str(data)], capture_output=True, text=True, timeout=120)
    report = r.stdout
    assert "sh:conforms  false" in report or "sh:conforms false" in report, report + r.stderr
    for message in ("wf:quote", "wf:unit", "wf:measure"):
        assert message in report
    assert not validate(data).conforms


def test_build_refuses_a_graph_that_breaks_the_shapes(seeds_built, tmp_path, monkeypatch):
    """A violation stops kg build with exit 1 and leaves the previous exports and store as they were."""
    import shutil

    from conftest import SEEDS
    from kg.stores.store import graph_counts

    out = tmp_path / "out"
    shutil.copytree(seeds_built, out)  # with its cache, so these builds take no extraction
    before = {p.name: p.read_bytes() for p in out.glob("welfare.*")}
    counts = graph_counts(out / "store")
    strict = tmp_path / "strict.ttl"
    # Stricter than the contract: every figure needs wf:per, which most do not have.
    strict.write_text(SHAPES.read_text(encoding="utf-8") + """
wfsh:FigurePer a sh:NodeShape ; sh:targetClass wf:Figure ;
    sh:property [ sh:path wf:per ; sh:minCount 1 ; sh:message "test: every figure needs wf:per" ] .
""", encoding="utf-8")
    monkeypatch.setattr("kg.stores.validate.SHAPES", strict)
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert r.exit_code == 1
    assert "every figure needs wf:per" in r.output and "previous exports kept" in r.output
    assert {p.name: p.read_bytes() for p in out.glob("welfare.*")} == before
    assert graph_counts(out / "store") == counts
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--no-validate"])
    assert r.exit_code == 0, r.output
