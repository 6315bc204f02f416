"""The build keeps no records (kg.build.fold, issue 17): figures.csv, cube.trig, the summary and
the warnings are made as each record passes, the explorer page is capped, and all of it is the
same bytes and numbers as made from every record held at once."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.build.fold as fold
import kg.build.run as kb
from kg.build.cache import pipeline_key
from kg.errors import InputError
from kg.out.csv import figures_csv
from kg.out.explorer import add_explorer, explorer_data
from kg.rdf.cube import cube_turtle
from kg.rdf.iris import mint_str

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
NEW = ROOT / "tests" / "new-reports"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seeds and the new reports built with a cube batch of 2 reports, so the cube is merged
    from several chunks; reports from two folders, so sources and file order differ."""
    out = tmp_path_factory.mktemp("fold") / "out"
    mp = pytest.MonkeyPatch()
    mp.setattr(fold, "CUBE_BATCH", 2)
    try:
        res = kb.build([SEEDS, NEW], out, use_cache=False, check=False)
    finally:
        mp.undo()
    return out, res


def test_tables_streamed_from_each_report_are_the_bytes_made_from_all_records(built):
    out, res = built
    records = list(res.records)
    assert len(records) > 5
    assert (out / "figures.csv").read_bytes() == figures_csv(records)
    assert (out / "cube.trig").read_bytes() == cube_turtle(records)
    # and in any order the records arrive
    assert figures_csv(records[::-1]) == figures_csv(records)


def test_folded_summary_and_warnings_equal_those_counted_from_the_records(built):
    _, res = built
    whole = kb.BuildResult(list(res.records), res.written, res.triples, res.skipped, extracted=res.extracted,
                           cached=res.cached)
    assert res.folded is not None
    assert res.summary() == whole.summary()
    assert res.report_warnings() == whole.report_warnings()
    assert any(w for _, w in res.report_warnings())  # the corpus has warnings to compare


def test_records_read_back_from_the_spill_in_input_order(built, tmp_path):
    _, res = built
    again = kb.build([SEEDS, NEW], tmp_path / "again", use_cache=False, check=False)
    assert again.records == res.records and len(again.records) == len(res.records)
    assert [r.source for r in res.records[:3]] == [res.records[i].source for i in range(3)]
    assert res.records[-1] == list(res.records)[-1]


def test_a_report_changed_after_its_key_was_taken_stops_the_build_naming_it(tmp_path):
    src = tmp_path / "c.txt"
    shutil.copy(next(SEEDS.glob("*.txt")), src)
    pkey = pipeline_key(None)
    data = src.read_bytes()
    task = kb._Task(str(src), b"", kb.entry_key("c.txt", data, pkey), str(tmp_path), None, False, source="c.txt")
    assert [t.data for t in kb._loaded([task], None, pkey)] == [data]
    src.write_bytes(data + "又及。".encode())
    with pytest.raises(InputError, match="c.txt: changed while the build was running"):
        list(kb._loaded([task], None, pkey))


def test_explorer_capped_holds_the_first_reports_and_says_so(built, tmp_path):
    out, res = built
    sources = sorted(r.source for r in res.records)
    iris = [mint_str("report", s) for s in sources]
    whole, _ = explorer_data(out / "welfare.ttl")
    work = tmp_path / "page"
    work.mkdir()
    shutil.copy(out / "welfare.ttl", work / "welfare.ttl")
    add_explorer(work, [], iris, max_reports=len(iris))
    assert (work / "explorer.html").read_bytes() == (out / "explorer.html").read_bytes()  # not capped: as before
    add_explorer(work, [], iris, max_reports=2)
    page = (work / "explorer.html").read_text(encoding="utf-8")
    assert f"the first 2 of the {len(iris)} reports" in page
    capped, details = explorer_data(work / "welfare.ttl", set(iris[:2]))
    assert [r[0] for r in capped["reports"]] == sources[:2]
    kept = {i for i, r in enumerate(whole["reports"]) if r[0] in sources[:2]}
    assert len(capped["f"]["v"]) == sum(1 for d in whole["f"]["d"] if d in kept) > 0
    assert len(details["text"]) == len(capped["f"]["v"])
    assert capped["concepts"] == whole["concepts"] and capped["regions"] == whole["regions"]  # the vocabulary stays


def test_no_record_outlives_its_fold_during_a_build(tmp_path, monkeypatch):
    """The build keeps no record once it is folded in: memory flat in the corpus (issue 17)."""
    import gc
    import weakref

    refs = []
    add = fold.Fold.add

    def watched(self, position, rec, encoded):
        refs.append(weakref.ref(rec))
        return add(self, position, rec, encoded)

    monkeypatch.setattr(fold.Fold, "add", watched)
    res = kb.build([SEEDS], tmp_path / "out", use_cache=False, check=False)
    gc.collect()
    assert len(refs) == len(res.records) == 5
    assert [r for r in refs if r() is not None] == []
