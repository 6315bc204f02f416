"""The corpus-scale benchmark runs end to end at N=50 (numbers are not asserted: no timed tests)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.bench.run import run
from kg.bench.corpus import generate


def test_corpus_is_deterministic_varied_and_in_both_scripts(tmp_path):
    a = [p.read_text(encoding="utf-8") for p in generate(12, tmp_path / "a")]
    b = [p.read_text(encoding="utf-8") for p in generate(12, tmp_path / "b")]
    assert a == b
    assert len(set(a)) == 12  # no two reports alike, even from the same seed
    names = [p.name for p in generate(12, tmp_path / "a")]
    assert any(n.endswith("_hant.txt") for n in names) and any(not n.endswith("_hant.txt") for n in names)
    assert [p.name for p in generate(5, tmp_path / "c")] == names[:5]  # smaller corpora are prefixes


@pytest.mark.slow
def test_benchmark_at_fifty_reports_writes_a_results_table(tmp_path):
    out = tmp_path / "RESULTS.md"
    res = run([50], out, tmp_path / "work", jobs=2, log=lambda s: None, extras=False, cli=False)
    text = out.read_text(encoding="utf-8")
    assert "| reports | chars | build s | chars/s | bare jieba chars/s | pipeline / jieba |" in text
    assert re.search(r"^\| 50 \| [\d,]+ \| [\d.]+ \| [\d,]+ \| [\d,]+ \| [\d.]+ \|", text, re.M)
    for stage in ("normalise", "segment", "recognise figures", "recognise entities", "link", "graph", "serialise"):
        assert re.search(rf"^\| {stage} \| [\d.]+ \|", text, re.M), stage
    assert "Machine:" in text and "cores" in text
    r = res["sizes"][50]
    assert r["reports"] == 50 and r["triples"] > 0 and r["extracted"] == 50
    assert res["parallel"]["rebuild"]["extracted"] == 1 and res["parallel"]["rebuild"]["cached"] == 49
    assert res["parallel"]["rebuild"]["timings"]["store"] > 0  # the store was updated, as kg build does
    assert Path(r["code"]) == tmp_path / "work" / "code" / "kg"  # the children ran the snapshot


@pytest.mark.slow
def test_scale_benchmark_compares_dask_with_one_process_and_jieba(tmp_path):
    """kg.bench.scale at 6 reports, one Dask worker: every row measured, the bytes compared (issue 17)."""
    from kg.bench.scale import render, run as run_scale

    res = run_scale([6], [1], tmp_path / "work", cli_reports=6, log=lambda s: None)
    row = res["sizes"][6]
    assert row["dask1"]["identical"] and row["dask1"]["reports"] == row["jobs1"]["reports"] == 6
    assert row["jobs1"]["validated"] and row["jobs1"]["timings"]["validate"] > 0 and row["jobs1"]["timings"]["store"] > 0
    assert row["dask1"]["worker_maxrss_mib"] > 0  # the worker process was measured, not only the parent
    text = render(res)
    assert re.search(r"^\| 6 \| dask, 1 worker \| [\d.]+ \| [\d,]+ \| [\d.]+ \| [\d.]+ \| +\| \d+ \| \d+ \| +\| yes \|$", text, re.M)
    assert "bare jieba process" in text and res["cli"]["kg_build_seconds"] > 0


def test_memory_benchmark_measures_the_dask_parent_and_workers_at_each_size(tmp_path):
    """kg.bench.memory at 4 and 6 reports, one Dask worker, this checkout as "before" too: each size's
    peaks and seconds, the exports compared with --jobs 1 and with the other code (issue 17)."""
    import os

    from kg.bench.memory import render, run as run_memory

    here = os.environ.get("PYTHONPATH") or str(Path(__file__).resolve().parent.parent)
    res = run_memory([6, 4], 1, tmp_path / "work", before=here, reference_max=4, log=lambda s: None,
                     results=tmp_path / "memory.json")
    small, big = res["sizes"]["4"], res["sizes"]["6"]
    assert small["after"]["identical_to_jobs1"] and small["after"]["identical_to_before"]
    assert big["after"]["identical_to_before"] and "identical_to_jobs1" not in big["after"]
    for row in (small, big):
        for name in ("before", "after"):
            assert row[name]["parent_maxrss_mib"] > 0 and row[name]["worker_maxrss_mib"] > 0
            assert row[name]["seconds"] > 0 and row[name]["reports"] == row["files"]
    text = render(res)
    assert re.search(r"^\| 4 \| after \| \d+ \(\d+\) \| [\d.]+ \| \d+ \| \d+ \| [\d,]+ \| .+ \| as --jobs 1; same as before \|$",
                     text, re.M)
    assert "Parent peak at 6 reports / at 4" in text


@pytest.mark.slow
def test_whole_process_benchmark_measures_kg_build_beside_bare_jieba(tmp_path):
    """kg.bench.whole at 4 reports, one round, another checkout as the reference (here the same one):
    both builds and the jieba process measured, in CPU and wall, the table and the parts written."""
    from kg.bench.whole import CODE, main

    out = tmp_path / "WHOLE.md"
    (tmp_path / "WHOLE-NOTES.md").write_text("what was decided", encoding="utf-8")
    assert main(["--reports", "4", "--runs", "1", "--parts", "--reference-code", str(CODE), "--work",
                 str(tmp_path / "work"), "--json", str(tmp_path / "whole.json"), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for label in ("before", "this checkout"):
        assert re.search(rf"^\| 1 \| [\d. ]+ \| {label} \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+× \| [\d.]+× \|$",
                         text, re.M), label
    assert "Seconds per part" in text and "welfare_entities" in text
    assert text.rstrip().endswith("what was decided")
    assert (tmp_path / "work" / "out" / "store" / "CURRENT").is_file()  # the build it measured wrote the store
