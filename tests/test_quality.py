"""Extraction quality on the hand-made gold, through the public vocabulary.

Floors, not targets: they catch a change that breaks extraction, and the
README's "Extraction quality" section reports the current numbers.
"""
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# Scored the strict way (--texts): an altLabel earns credit only where the report uses that
# wording, as the hidden set is scored.
FLOORS = {
    "gold": {"figure_f1": 0.98, "fact_f1": 0.84, "programme_link_f1": 0.88, "group_link_f1": 0.90,
             "agencies_f1": 0.92, "programmes_f1": 0.84, "groups_f1": 0.95, "issuer_acc": 1.0},
    "gold-blind": {"figure_f1": 0.95, "fact_f1": 0.71, "agencies_f1": 0.88, "groups_f1": 0.92},
    "gold-new": {"figure_f1": 0.95, "fact_f1": 0.79, "agencies_f1": 0.88, "programmes_f1": 0.83, "groups_f1": 0.91,
                 "issuer_acc": 1.0},
    "gold-tables": {"figure_f1": 0.97, "fact_f1": 0.80, "programme_link_f1": 0.85, "measure_acc": 0.98,
                    "issuer_acc": 1.0},
    "gold-tables-2": {"figure_f1": 0.97, "fact_f1": 0.83, "programme_link_f1": 0.88, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    "gold-tables-3": {"figure_f1": 0.97, "fact_f1": 0.80, "programme_link_f1": 0.85, "measure_acc": 0.95,
                      "issuer_acc": 1.0},
    # Batches 9 and 10 (held out: first contact 0.728 and 0.816 fact F1, 66 % and 88 % of cells).
    "gold-tables-4": {"figure_f1": 0.96, "fact_f1": 0.82, "programme_link_f1": 0.82, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    "gold-tables-5": {"figure_f1": 0.97, "fact_f1": 0.85, "programme_link_f1": 0.88, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    # Batch 11 (held out until 9 and 10 were fixed: first contact 0.760, 72 % of cells).
    "gold-tables-6": {"figure_f1": 0.98, "fact_f1": 0.86, "programme_link_f1": 0.90, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    # Batch 12 (held out until 9–11 were fixed: first contact 0.719, 64 % of cells).
    "gold-tables-7": {"figure_f1": 0.98, "fact_f1": 0.86, "programme_link_f1": 0.88, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    # Batch 13 (held out to the end: first contact 0.868, 87 % of cells).
    "gold-tables-8": {"figure_f1": 0.98, "fact_f1": 0.86, "programme_link_f1": 0.90, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    # Batches 14 and 15 (first contact 0.786 / 88 % of cells, and, held out until 14 was fixed,
    # 0.780 / 76 %). Their writers give section headings that name a field (三、儿童福利) to the
    # figures under them, which the shared gold does not: their fact F1 stays lower.
    "gold-tables-9": {"figure_f1": 0.98, "fact_f1": 0.78, "programme_link_f1": 0.85, "measure_acc": 0.98,
                      "issuer_acc": 1.0},
    "gold-tables-10": {"figure_f1": 0.98, "fact_f1": 0.77, "programme_link_f1": 0.90, "measure_acc": 0.97,
                       "issuer_acc": 1.0},
    # Batches 16 and 17 (written together, after 14 and 15 were fixed; first contact in .txt 0.867 / 94 %
    # and 0.786 / 87 % of cells; their DOCX/PDF/DOC/HTML 83 % and 81 % until unmerged header cells were read).
    "gold-tables-11": {"figure_f1": 0.98, "fact_f1": 0.85, "programme_link_f1": 0.90, "measure_acc": 0.98,
                       "issuer_acc": 1.0},
    "gold-tables-12": {"figure_f1": 0.98, "fact_f1": 0.77, "programme_link_f1": 0.85, "measure_acc": 0.95,
                       "issuer_acc": 1.0},
    # Batches 18 and 19 (written after 16 and 17 were fixed; first contact, the same in every format:
    # 0.835 / 94 % of cells and 0.762 / 80 %).
    "gold-tables-13": {"figure_f1": 0.98, "fact_f1": 0.82, "programme_link_f1": 0.88, "measure_acc": 0.97,
                       "issuer_acc": 1.0},
    "gold-tables-14": {"figure_f1": 0.98, "fact_f1": 0.82, "programme_link_f1": 0.88, "measure_acc": 0.97,
                       "issuer_acc": 1.0},
    # Batches 20 and 21 (written after 18 and 19 were fixed; 20 held out until 21 was: first contact
    # 21: 0.825 / 90 % in .txt, 98 % in its renderings; 20: a report skipped by a crash, then 37 %).
    "gold-tables-15": {"figure_f1": 0.98, "fact_f1": 0.74, "programme_link_f1": 0.87, "measure_acc": 0.94,
                       "issuer_acc": 1.0},
    "gold-tables-16": {"figure_f1": 0.98, "fact_f1": 0.87, "programme_link_f1": 0.90, "measure_acc": 0.96,
                       "issuer_acc": 1.0},
}
# Which build each gold scores (the seeds, or the reports written after the rules), and where its texts are.
BUILT_FROM = {"gold": "seeds", "gold-blind": "seeds", "gold-new": "new-reports", "gold-tables": "table-reports",
              "gold-tables-2": "table-reports-2", "gold-tables-3": "table-reports-3",
              "gold-tables-4": "table-reports-4", "gold-tables-5": "table-reports-5",
              "gold-tables-6": "table-reports-6", "gold-tables-7": "table-reports-7",
              "gold-tables-8": "table-reports-8", "gold-tables-9": "table-reports-9",
              "gold-tables-10": "table-reports-10", "gold-tables-11": "table-reports-11",
              "gold-tables-12": "table-reports-12", "gold-tables-13": "table-reports-13",
              "gold-tables-14": "table-reports-14", "gold-tables-15": "table-reports-15",
              "gold-tables-16": "table-reports-16"}
TEXTS = {"gold": HERE.parent / "seeds", "gold-blind": HERE.parent / "seeds", "gold-new": HERE / "new-reports",
         "gold-tables": HERE / "table-reports", "gold-tables-2": HERE / "table-reports-2",
         "gold-tables-3": HERE / "table-reports-3", "gold-tables-4": HERE / "table-reports-4",
         "gold-tables-5": HERE / "table-reports-5", "gold-tables-6": HERE / "table-reports-6",
         "gold-tables-7": HERE / "table-reports-7", "gold-tables-8": HERE / "table-reports-8",
         "gold-tables-9": HERE / "table-reports-9", "gold-tables-10": HERE / "table-reports-10",
         "gold-tables-11": HERE / "table-reports-11", "gold-tables-12": HERE / "table-reports-12",
         "gold-tables-13": HERE / "table-reports-13", "gold-tables-14": HERE / "table-reports-14",
         "gold-tables-15": HERE / "table-reports-15", "gold-tables-16": HERE / "table-reports-16"}
# Of the gold's table cells (``"table": true``), the share that must be facts: value, unit,
# programme, group and measure all right.
# Batch 8 (gold-tables-3) reads a row 特困人员救助供养 with no group, where batches 7 and 11 and the prose
# gold read the group inside the programme's name (特困人员): the code follows the majority.
# Batch 15 (gold-tables-10) reads the group inside a COLUMN's programme (困难残疾人生活补贴 | 人数 →
# 困难残疾人), which batches 9 and 12 do not (特困人员供养 | … → no group): again the majority.
# Batch 17 (gold-tables-12) gives the group inside a caption's programme (特困人员救助供养情况 → 特困人员)
# to rows naming another programme (集中供养), but none to a row 特困人员救助供养: it splits with itself.
TABLE_CELL_FLOOR = {"gold-tables": 0.95, "gold-tables-2": 0.90, "gold-tables-3": 0.85, "gold-tables-4": 0.92,
                    "gold-tables-5": 0.95, "gold-tables-6": 0.95, "gold-tables-7": 0.95, "gold-tables-8": 0.95,
                    "gold-tables-9": 0.92, "gold-tables-10": 0.75, "gold-tables-11": 0.92, "gold-tables-12": 0.85,
                    "gold-tables-13": 0.92, "gold-tables-14": 0.90, "gold-tables-15": 0.88, "gold-tables-16": 0.97}


@pytest.fixture(scope="module")
def built_folder(tmp_path_factory):
    """A report folder under tests/ built once per module: folder name -> its output folder."""
    from kg.build.run import build

    outs: dict[str, Path] = {}

    def get(folder: str) -> Path:
        if folder not in outs:
            outs[folder] = tmp_path_factory.mktemp(f"{folder}-build")
            build([HERE / folder], outs[folder])
        return outs[folder]

    return get


def built_for(request, gold: str) -> Path:
    folder = BUILT_FROM[gold]
    return request.getfixturevalue("seeds_built") if folder == "seeds" else request.getfixturevalue("built_folder")(folder)


@pytest.mark.parametrize("gold_dir", sorted(TABLE_CELL_FLOOR))
def test_table_cells_become_facts(request, gold_dir):
    import json

    sys.path.insert(0, str(HERE / "eval"))
    import score

    g = score.load([str(built_for(request, gold_dir) / "welfare.ttl")])
    core, alt, idx = score.core_labels(g), score.alt_labels(g), score.report_index(g)
    cells = right = 0
    for p in sorted((HERE / gold_dir).glob("*.json")):
        doc = json.loads(p.read_text(encoding="utf-8"))
        doc["figures"] = [f for f in doc["figures"] if f.get("table")]
        # The strict reading, as the hidden set is scored: a label counts where the report uses it.
        lab = score.strict_labels(core, alt, score.report_text([str(TEXTS[gold_dir])], doc["doc"]))
        res = score.score_doc(g, idx[doc["doc"]], doc, lab)
        cells += len(doc["figures"])
        right += res["facts_ok"]
    assert cells >= 90 and right / cells >= TABLE_CELL_FLOOR[gold_dir], (right, cells)


@pytest.mark.parametrize("gold", sorted(FLOORS))
def test_scores_stay_above_their_floors(request, gold):
    built = built_for(request, gold)
    out = subprocess.run([sys.executable, str(HERE / "eval" / "score.py"), str(built / "welfare.ttl"),
                          "--gold", str(HERE / gold), "--texts", str(TEXTS[gold])], capture_output=True, text=True, check=True).stdout
    scores = dict(kv.split("=") for kv in out.strip().splitlines()[-1].split())
    low = {k: (float(scores[k]), v) for k, v in FLOORS[gold].items() if float(scores[k]) < v}
    assert not low, f"below floor (got, floor): {low}\n{out}"
