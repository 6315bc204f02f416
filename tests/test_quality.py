"""Extraction quality on the hand-made gold, through the public vocabulary.

Floors, not targets: they catch a change that breaks extraction, and the
README's "Extraction quality" section reports the current numbers.
"""
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FLOORS = {
    "gold": {"figure_f1": 0.98, "fact_f1": 0.86, "programme_link_f1": 0.91, "group_link_f1": 0.90,
             "agencies_f1": 0.92, "programmes_f1": 0.85, "groups_f1": 0.95, "issuer_acc": 1.0},
    "gold-blind": {"figure_f1": 0.95, "fact_f1": 0.72, "agencies_f1": 0.88, "groups_f1": 0.93},
    "gold-new": {"figure_f1": 0.95, "fact_f1": 0.83, "agencies_f1": 0.88, "programmes_f1": 0.86, "groups_f1": 0.91,
                 "issuer_acc": 1.0},
    "gold-tables": {"figure_f1": 0.97, "fact_f1": 0.85, "programme_link_f1": 0.90, "measure_acc": 0.98,
                    "issuer_acc": 1.0},
}
# Which build each gold scores: the seeds, or the reports written after the rules.
BUILT_FROM = {"gold": "seeds_built", "gold-blind": "seeds_built", "gold-new": "new_reports_built",
              "gold-tables": "table_reports_built"}
# Of the gold's table cells (``"table": true``), the share that must be facts: value, unit,
# programme, group and measure all right.
TABLE_CELL_FLOOR = 0.95


@pytest.fixture(scope="module")
def new_reports_built(tmp_path_factory):
    from kg.build.run import build

    out = tmp_path_factory.mktemp("new-reports-build")
    build([HERE / "new-reports"], out)
    return out


@pytest.fixture(scope="module")
def table_reports_built(tmp_path_factory):
    from kg.build.run import build

    out = tmp_path_factory.mktemp("table-reports-build")
    build([HERE / "table-reports"], out)
    return out


def test_table_cells_become_facts(table_reports_built):
    import json

    sys.path.insert(0, str(HERE / "eval"))
    import score

    g = score.load([str(table_reports_built / "welfare.ttl")])
    lab, idx = score.labels(g), score.report_index(g)
    cells = right = 0
    for p in sorted((HERE / "gold-tables").glob("*.json")):
        gold = json.loads(p.read_text(encoding="utf-8"))
        gold["figures"] = [f for f in gold["figures"] if f.get("table")]
        res = score.score_doc(g, idx[gold["doc"]], gold, lab)
        cells += len(gold["figures"])
        right += res["facts_ok"]
    assert cells >= 100 and right / cells >= TABLE_CELL_FLOOR, (right, cells)


@pytest.mark.parametrize("gold", sorted(FLOORS))
def test_scores_stay_above_their_floors(request, gold):
    built = request.getfixturevalue(BUILT_FROM[gold])
    out = subprocess.run([sys.executable, str(HERE / "eval" / "score.py"), str(built / "welfare.ttl"),
                          "--gold", str(HERE / gold)], capture_output=True, text=True, check=True).stdout
    scores = dict(kv.split("=") for kv in out.strip().splitlines()[-1].split())
    low = {k: (float(scores[k]), v) for k, v in FLOORS[gold].items() if float(scores[k]) < v}
    assert not low, f"below floor (got, floor): {low}\n{out}"
