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
    "gold": {"figure_f1": 0.98, "fact_f1": 0.65, "programme_link_f1": 0.75, "group_link_f1": 0.78,
             "agencies_f1": 0.85, "programmes_f1": 0.75, "groups_f1": 0.85, "issuer_acc": 1.0},
    "gold-blind": {"figure_f1": 0.93, "fact_f1": 0.55, "agencies_f1": 0.80, "groups_f1": 0.85},
}


@pytest.mark.parametrize("gold", sorted(FLOORS))
def test_scores_stay_above_their_floors(seeds_built, gold):
    out = subprocess.run([sys.executable, str(HERE / "eval" / "score.py"), str(seeds_built / "welfare.ttl"),
                          "--gold", str(HERE / gold)], capture_output=True, text=True, check=True).stdout
    scores = dict(kv.split("=") for kv in out.strip().splitlines()[-1].split())
    low = {k: (float(scores[k]), v) for k, v in FLOORS[gold].items() if float(scores[k]) < v}
    assert not low, f"below floor (got, floor): {low}\n{out}"
