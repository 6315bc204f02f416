"""Incremental builds: a cache keyed by file content and the pipeline/ontology version."""
from __future__ import annotations

import shutil
from pathlib import Path

from kg.build.run import build

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _bytes(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in ("welfare.ttl", "welfare.nq")}


def test_second_build_takes_every_report_from_the_cache(tmp_path):
    first = build([SEEDS], tmp_path, check=False)
    assert (first.extracted, first.cached) == (5, 0)
    before = _bytes(tmp_path)
    second = build([SEEDS], tmp_path, check=False)
    assert (second.extracted, second.cached) == (0, 5)
    assert _bytes(tmp_path) == before
    assert second.records == first.records


def test_changing_one_report_re_reads_exactly_that_one(tmp_path):
    corpus = tmp_path / "in"
    shutil.copytree(SEEDS, corpus)
    build([corpus], tmp_path / "out", check=False)
    target = sorted(corpus.glob("*.txt"))[3]
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("。", "。全年新增养老床位120张。", 1), encoding="utf-8")
    again = build([corpus], tmp_path / "out", check=False)
    assert (again.extracted, again.cached) == (1, 4)
    changed = next(r for r in again.records if r.source == target.name)
    assert any(f.text == "120张" for f in changed.figures)
    # Only the current versions stay in the cache: five records and the ontology.
    assert len(list((tmp_path / "out" / ".cache").glob("*.rec"))) == 5


def test_a_new_ontology_version_invalidates_every_entry(tmp_path):
    onto = tmp_path / "ontology"
    shutil.copytree(ROOT / "ontology", onto)
    build([SEEDS], tmp_path / "out", ontology_dir=str(onto), check=False)
    with open(onto / "welfare.ttl", "a", encoding="utf-8") as fh:
        fh.write("\n# a new ontology version\n")
    again = build([SEEDS], tmp_path / "out", ontology_dir=str(onto), check=False)
    assert (again.extracted, again.cached) == (5, 0)


def test_no_cache_re_reads_everything_and_leaves_the_cache_alone(tmp_path):
    build([SEEDS], tmp_path, check=False)
    entries = sorted(p.name for p in (tmp_path / ".cache").iterdir())
    fresh = build([SEEDS], tmp_path, use_cache=False, check=False)
    assert (fresh.extracted, fresh.cached) == (5, 0)
    assert sorted(p.name for p in (tmp_path / ".cache").iterdir()) == entries


def test_a_damaged_entry_is_a_miss_not_an_error(tmp_path):
    build([SEEDS], tmp_path, check=False)
    victim = sorted((tmp_path / ".cache").glob("*.rec"))[0]
    victim.write_bytes(b"not a record")
    again = build([SEEDS], tmp_path, check=False)
    assert (again.extracted, again.cached) == (1, 4)
    assert again.cache_warnings == [f"{victim}: not a cache entry (JSONDecodeError: Expecting value: line 1 column 1 "
                                    f"(char 0)); ignored, the report is read again"]


def test_spliced_rebuilds_equal_fresh_builds_byte_for_byte(tmp_path, monkeypatch):
    """A rebuild splices the previous merged triples and Turtle (kg.build.splice); the result,
    and the store it updates graph by graph, must equal a build from scratch."""
    import kg.build.run as kb
    import kg.build.splice as ks
    from kg.stores.store import graph_counts

    monkeypatch.setattr(kb, "RDFLIB_TURTLE_MAX", 0)  # Oxigraph's Turtle, as above 20,000 triples
    monkeypatch.setattr(ks, "MAX_CHANGED_SHARE", 1.0)  # five reports: any change is "a few"
    merges = []
    full_merge = kb._merge_files
    monkeypatch.setattr(kb, "_merge_files", lambda *a, **k: merges.append(1) or full_merge(*a, **k))
    corpus, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(SEEDS, corpus)
    build([corpus], out, check=False, store=out / "store")
    assert (out / ".cache" / "merged" / "state.json").is_file() and len(merges) == 1
    target = sorted(corpus.glob("*.txt"))[2]
    text = target.read_text(encoding="utf-8")
    steps = [
        lambda: target.write_text(text.replace("。", "。全年新增养老床位120张,临时救助35户。", 1), encoding="utf-8"),
        lambda: target.write_text(text[: len(text) // 2], encoding="utf-8"),  # triples (and shared ones) go
        lambda: target.rename(corpus / "new_report.txt"),  # one graph gone, one new
        lambda: None,  # nothing changed
    ]
    for i, step in enumerate(steps):
        step()
        merges.clear()
        again = build([corpus], out, check=False, store=out / "store")
        assert not merges, f"step {i}: merged afresh instead of splicing"
        fresh = build([corpus], tmp_path / f"fresh{i}", use_cache=False, check=False, store=tmp_path / f"fresh{i}" / "store")
        assert _bytes(out) == _bytes(tmp_path / f"fresh{i}"), f"step {i}"
        assert again.triples == fresh.triples
        fresh_counts = graph_counts(tmp_path / f"fresh{i}" / "store")
        # Graphs of reports no longer built stay in the store (kg.stores.store); the others match.
        assert {k: graph_counts(out / "store")[k] for k in fresh_counts} == fresh_counts


def test_an_edited_export_is_merged_afresh_not_spliced(tmp_path, monkeypatch):
    import kg.build.run as kb

    monkeypatch.setattr(kb, "RDFLIB_TURTLE_MAX", 0)
    build([SEEDS], tmp_path, check=False)
    before = _bytes(tmp_path)
    with open(tmp_path / "welfare.ttl", "ab") as fh:
        fh.write(b"# my note\n")
    build([SEEDS], tmp_path, check=False)
    assert _bytes(tmp_path) == before
