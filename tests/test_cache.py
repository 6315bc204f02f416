"""Incremental builds: a cache keyed by file content and the pipeline/ontology version."""
from __future__ import annotations

import shutil
from pathlib import Path

from kg.build import build

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
    victim.write_bytes(b"not a pickle")
    again = build([SEEDS], tmp_path, check=False)
    assert (again.extracted, again.cached) == (1, 4)
