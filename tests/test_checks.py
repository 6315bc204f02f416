"""Validation that keeps up (issue 17): the shapes checked per report where it is built and on the
shared part once, by the compiled checker kg.stores.shacl, which must find what pySHACL finds."""
from __future__ import annotations

from pathlib import Path

import pytest

import kg.build.run as kb
from kg.bench.shacl import MUTATIONS, by_kg, by_pyshacl, merged_lines
from kg.build.checks import REPORT_OWNED, is_checked, require_shared
from kg.stores.shacl import Unsupported, check_lines, load_shapes
from kg.stores.validate import SHAPES, GraphInvalid

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def seeds_lines(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("seeds")
    kb.build([SEEDS], out, use_cache=False, check=False, store=None)
    return merged_lines(out / "welfare.nq")


def test_the_compiled_checker_finds_nothing_in_the_seeds(seeds_lines):
    result = check_lines(seeds_lines)
    assert result.conforms, result.text


@pytest.mark.parametrize("defect", sorted(MUTATIONS))
def test_the_compiled_checker_finds_what_pyshacl_finds(seeds_lines, defect):
    broken = MUTATIONS[defect](list(seeds_lines))
    expected = by_pyshacl(broken)
    assert expected, f"{defect}: pySHACL finds nothing, the mutation broke nothing"
    assert by_kg(broken) == expected


def test_each_report_owns_the_subjects_under_its_iri(tmp_path):
    """The split's premise: a subject under data/report/ appears in exactly one graph, its own report's."""
    kb.build([SEEDS], tmp_path, use_cache=False, check=False, store=None)
    graphs_of: dict[str, set[str]] = {}
    for line in (tmp_path / "welfare.nq").read_text(encoding="utf-8").splitlines():
        subject, graph = line.split(" ", 1)[0], line[line.rindex(" <"):-2].strip()
        graphs_of.setdefault(subject, set()).add(graph)
    owned = {s: g for s, g in graphs_of.items() if s.startswith(REPORT_OWNED)}
    assert len(owned) > 300
    for subject, graphs in owned.items():
        (graph,) = graphs
        assert subject == graph or subject.startswith(graph[:-1] + "/"), (subject, graph)


def test_a_report_whose_graph_breaks_the_shapes_fails_the_build_and_is_not_cached(tmp_path, monkeypatch):
    """A bug that drops one figure's quote in one report: the build names that report, keeps the
    previous exports and caches nothing for it (the next build checks it again)."""
    out = tmp_path / "out"
    kb.build([SEEDS], out, store=None)
    before = (out / "welfare.nq").read_bytes()
    real = kb.report_rows
    victim = sorted(p.name for p in SEEDS.glob("*.txt"))[2]

    def buggy(rec, ontology_dir=None):
        rows = real(rec, ontology_dir)
        if rec.source != victim:
            return rows
        quote = next(r for r in rows if "/figure/" in r.split(" ", 1)[0] and "#quote>" in r)
        return [r for r in rows if r != quote]

    monkeypatch.setattr(kb, "report_rows", buggy)
    changed = tmp_path / "in"
    changed.mkdir()
    for p in SEEDS.glob("*.txt"):
        text = p.read_text(encoding="utf-8")
        (changed / p.name).write_text(text + ("\n补充。" if p.name == victim else ""), encoding="utf-8")
    with pytest.raises(GraphInvalid) as err:
        kb.build([changed], out, store=None)
    assert str(err.value).startswith(f"{victim}: 1 violation(s)") and "wf:quote" in str(err.value)
    assert (out / "welfare.nq").read_bytes() == before
    monkeypatch.setattr(kb, "report_rows", real)
    again = kb.build([changed], out, store=None)
    assert again.extracted == 1 and again.validated


def test_entries_built_without_validation_are_checked_by_the_next_build(tmp_path):
    out = tmp_path / "out"
    kb.build([SEEDS], out, check=False, store=None)
    entries = sorted((out / ".cache").glob("*.nt"))
    assert entries and not any(is_checked(p) for p in entries if not p.name.startswith("ontology-"))
    res = kb.build([SEEDS], out, store=None)
    assert res.extracted == 0 and res.validated and res.timings["validate"] > 0
    assert all(is_checked(p) for p in sorted((out / ".cache").glob("*.nt")) if not p.name.startswith("ontology-"))


def test_what_spans_reports_is_checked_on_the_merged_part(seeds_lines, tmp_path):
    """Two reports each giving a concept its one Chinese label, different ones: each report alone
    conforms, the merged graph breaks sh:uniqueLang, and the shared check finds it."""
    concept = next(l.split(" ", 1)[0] for l in seeds_lines
                   if "/programme/new-" in l.split(" ", 1)[0] and "#prefLabel>" in l)
    extra = f'{concept} <http://www.w3.org/2004/02/skos/core#prefLabel> "又一名称"@zh .\n'
    merged = tmp_path / "merged.nt"
    merged.write_text("".join(sorted(set(seeds_lines) | {extra})), encoding="utf-8")
    with pytest.raises(GraphInvalid, match="sh:uniqueLang|prefLabel"):
        require_shared(merged)
    merged.write_text("".join(seeds_lines), encoding="utf-8")
    checked = require_shared(merged)
    assert checked == sum(1 for l in seeds_lines if not l.startswith(REPORT_OWNED))  # the shared part only
    assert checked < len(seeds_lines)


def test_shapes_with_a_feature_the_checker_lacks_are_refused(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(SHAPES.read_text(encoding="utf-8") + """
wfsh:Code a sh:NodeShape ; sh:targetClass wf:Region ;
    sh:property [ sh:path wf:code ; sh:pattern "^[0-9]{6}$" ] .
""", encoding="utf-8")
    with pytest.raises(Unsupported, match="sh:pattern"):
        load_shapes(shapes)
    assert load_shapes(SHAPES).targeted
