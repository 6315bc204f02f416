"""The embedded Oxigraph store written by kg build: one named graph per report, replaced one at a time."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.stores.load import graphs_of
from kg.stores.query import run_query
from kg.stores.store import StoreError, graph_counts, write_store

REPORT_000 = "https://w3id.org/welfare-kg/data/report/000_d6bae9ba1e592f06.txt"
ONTOLOGY = "https://w3id.org/welfare-kg/graph/ontology"


def test_store_holds_the_named_graphs_of_the_nquads(seeds_built):
    expected = {iri: len(t) for iri, t in graphs_of(seeds_built / "welfare.nq").items()}
    assert ONTOLOGY in expected and REPORT_000 in expected and len(expected) == 6
    assert graph_counts(seeds_built / "store") == expected
    # No temporary folder left beside it.
    assert [p.name for p in seeds_built.iterdir() if p.name.startswith(".store")] == []


def test_rewriting_one_report_replaces_only_its_graph(seeds_built, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(seeds_built / "store", store)
    before = graph_counts(store)
    # Report 000 rebuilt with one figure fewer: its graph is cleared, then loaded.
    quads = [q for q in ox.parse(path=str(seeds_built / "welfare.nq"), format=ox.RdfFormat.N_QUADS)
             if q.graph_name.value == REPORT_000]
    gone = next(q.subject for q in quads if q.object == ox.Literal("670元/月"))
    kept = [q for q in quads if q.subject != gone]
    result = write_store(ox.serialize(kept, format=ox.RdfFormat.N_QUADS), store)
    assert not result.fresh and result.graphs == {REPORT_000: len(kept)}
    after = graph_counts(store)
    assert after[REPORT_000] == len(kept) < before[REPORT_000]
    assert {k: v for k, v in after.items() if k != REPORT_000} == {k: v for k, v in before.items() if k != REPORT_000}
    q = f"ASK {{ GRAPH ?g {{ <{gone.value}> ?p ?o }} }}"
    assert run_query(store, q)[1][0][0].value == "false"


def test_build_of_one_report_with_keep_dropped_keeps_the_others(seeds_built, tmp_path):
    from conftest import SEEDS

    out = tmp_path / "out"
    shutil.copytree(seeds_built, out)  # cache included: no extraction
    before = graph_counts(out / "store")
    r = CliRunner().invoke(main, ["build", str(SEEDS / "000_d6bae9ba1e592f06.txt"), "--out", str(out),
                                  "--keep-dropped"])
    assert r.exit_code == 0, r.output
    assert "the store also keeps 4 graphs of reports not in this build" in r.output
    assert graph_counts(out / "store") == before  # same report, same triples; the other four untouched
    names, rows = run_query(out / "store", "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a wf:Report }")
    assert rows[0][0].value == "5"


def test_the_store_mirrors_the_exports_when_reports_leave_the_input(seeds_built, tmp_path):
    """Issue 20: the store held 205 reports while the exports held 200."""
    from conftest import SEEDS

    out = tmp_path / "out"
    shutil.copytree(seeds_built, out)
    r = CliRunner().invoke(main, ["build", str(SEEDS / "000_d6bae9ba1e592f06.txt"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "keeps" not in r.output
    in_store = set(graph_counts(out / "store")) - {""}
    in_nq = {line.rsplit(b" ", 2)[-2].strip(b"<>").decode() for line in (out / "welfare.nq").read_bytes().splitlines()}
    assert in_store == in_nq and len(in_nq) == 2  # the ontology and report 000


def test_fresh_store_is_renamed_into_place(seeds_built, tmp_path):
    target = tmp_path / "new" / "store"
    result = write_store(seeds_built / "welfare.nq", target)
    assert result.fresh and (target / "CURRENT").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == ["store"]


def test_refuses_a_folder_that_is_not_a_store(seeds_built, tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(StoreError, match="not an Oxigraph store"):
        write_store(seeds_built / "welfare.nq", tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.fixture
def locked_store(seeds_built, tmp_path):
    """A copy of the store held open read-write by another process, stopped by PID afterwards."""
    store = tmp_path / "store"
    shutil.copytree(seeds_built / "store", store)
    holder = subprocess.Popen([sys.executable, "-c", "import sys, pyoxigraph as ox\n"
                               f"s = ox.Store({str(store)!r}); print('held', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield store
    finally:
        os.kill(holder.pid, signal.SIGTERM)
        holder.wait(10)


def test_locked_store_is_a_clear_error(seeds_built, locked_store, tmp_path):
    with pytest.raises(StoreError, match="in use by another process"):
        write_store(seeds_built / "welfare.nq", locked_store)
    from conftest import SEEDS

    out = tmp_path / "out"
    shutil.copytree(seeds_built, out, ignore=shutil.ignore_patterns("store"))
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--store", str(locked_store),
                                  "--no-validate"])
    assert r.exit_code == 2
    assert "in use by another process" in r.output
    # Reading still works beside the writer (read-only open).
    assert run_query(locked_store, "ASK { ?s a wf:Report }")[1][0][0].value == "true"


@pytest.mark.parametrize("keep", [True, False])
def test_a_build_that_changes_most_graphs_writes_a_new_store(seeds_built, tmp_path, monkeypatch, keep):
    """Past kg.store.RELOAD_MAX changed graphs the store is bulk-loaded anew; graphs of
    reports not in this build are carried over with keep_dropped, and each graph equals a fresh build's."""
    import kg.stores.store as st
    from conftest import SEEDS
    from kg.build.run import build

    out = tmp_path / "out"
    shutil.copytree(seeds_built, out)
    extra = "https://w3id.org/welfare-kg/data/report/other.txt"
    write_store(f'<{extra}> <{extra}#p> "kept" <{extra}> .\n', out / "store")
    (out / "store" / st.MANIFEST).unlink(missing_ok=True)  # no digests: every graph counts as changed
    monkeypatch.setattr(st, "RELOAD_MAX", 0)
    result = build([SEEDS], out, check=False, store=out / "store", keep_dropped=keep)
    counts = graph_counts(out / "store")
    assert counts.pop(extra, 0) == (1 if keep else 0)
    assert result.store_kept == (1 if keep else 0)
    assert counts == graph_counts(seeds_built / "store")
    assert sum(1 for s in result.written if s.name == "store") == 1
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".store")) == []


@pytest.mark.parametrize("child", [True, False])
def test_a_store_held_by_another_process_stops_the_build_before_any_export_is_replaced(
        seeds_built, locked_store, tmp_path, monkeypatch, child):
    """A new store is loaded beside the old one, by a child process while the build writes its other
    exports (kg.build.storeload) or, when small, by the build itself before its commit; when the old
    one cannot be opened the build fails with the store's message, the exports stay the previous
    build's files, and no half-written store is left."""
    import kg.build.storeload as sl
    import kg.stores.store as st
    from conftest import SEEDS

    monkeypatch.setattr(sl, "CHILD_MIN_BYTES", 0 if child else 1 << 40)

    out = tmp_path / "out"
    shutil.copytree(seeds_built, out, ignore=shutil.ignore_patterns("store"))
    before = {p.name: p.stat().st_ino for p in out.iterdir() if p.is_file()}
    (locked_store / st.MANIFEST).unlink(missing_ok=True)  # every graph counts as changed ...
    monkeypatch.setattr(st, "RELOAD_MAX", 0)  # ... and is more than reloading one by one is worth
    r = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out), "--store", str(locked_store), "--no-cache"])
    assert r.exit_code == 2
    assert "in use by another process" in r.output
    assert {p.name: p.stat().st_ino for p in out.iterdir() if p.is_file()} == before  # nothing renamed into place
    assert [p.name for p in locked_store.parent.iterdir() if p.name.startswith(".store")] == []
    assert run_query(locked_store, "ASK { ?s a wf:Report }")[1][0][0].value == "true"



def test_a_store_loaded_by_the_child_process_equals_one_loaded_in_process(seeds_built, tmp_path, monkeypatch):
    """kg.build.storeload's child (a new interpreter) and the build itself write the same store."""
    import kg.build.storeload as sl
    from conftest import SEEDS
    from kg.build.run import build

    stores = {}
    for child in (True, False):
        monkeypatch.setattr(sl, "CHILD_MIN_BYTES", 0 if child else 1 << 40)
        out = tmp_path / f"child-{child}"
        result = build([SEEDS], out, check=False, store=out / "store")
        assert result.timings["store"] > 0
        stores[child] = sorted(str(q) for q in ox.Store.read_only(str(out / "store")).quads_for_pattern(None, None, None))
        assert [p.name for p in out.iterdir() if p.name.startswith((".store", ".kg-build"))] == []
    assert stores[True] == stores[False] and len(stores[True]) > 10_000
