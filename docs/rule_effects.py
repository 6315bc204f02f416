"""Measure what each named rule contributes and write the table into README.md.

    PYTHONPATH=. python docs/rule_effects.py            # all rules, about 10 s a rule
    PYTHONPATH=. python docs/rule_effects.py --print    # print the table, README untouched

Fact F1 (strict reading) on each gold set with every rule, and with the rule
switched off (kg eval --without). The table goes between the README's
``<!-- rule-effects -->`` markers.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kg.eval import GoldSet, rule_effects
from kg.nlp.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
SETS = (GoldSet("seeds (tests/gold)", "seeds", "tests/gold"),  # the strict reading: texts are the reports
        GoldSet("seeds (tests/gold-blind)", "seeds", "tests/gold-blind"),
        GoldSet("new reports (tests/gold-new)", "tests/new-reports", "tests/gold-new"))
START, END = "<!-- rule-effects -->", "<!-- /rule-effects -->"


def header(first: dict) -> list[str]:
    names = [s.name for s in SETS]
    return ["| rule | stage | slot | " + " | ".join(f"fact F1 without, {n}" for n in names) + " |",
            "|---|---|---|" + "---:|" * len(names),
            "| *(all rules)* | | | " + " | ".join(f"{first[n][0]:.3f}" for n in names) + " |"]


def row(name: str, by_set: dict) -> str:
    r = RULES[name]
    cells = [f"{b:.3f} ({b - a:+.3f})" for a, b in (by_set[s.name] for s in SETS)]
    return f"| `{name}` | {r.stage} | {r.slot} | " + " | ".join(cells) + " |"


def table(effects: dict) -> str:
    return "\n".join(header(next(iter(effects.values()))) + [row(n, b) for n, b in effects.items()])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--print", action="store_true", help="print the table; leave README.md as it is")
    ap.add_argument("--rules", nargs="*", help="only these rules (with --print)")
    a = ap.parse_args(argv)
    rules = a.rules or [n for n, r in RULES.items() if not r.fallback]
    effects = rule_effects([GoldSet(s.name, str(ROOT / s.reports), str(ROOT / s.gold)) for s in SETS], rules,
                           progress=lambda rule, by_set: print(row(rule, by_set), file=sys.stderr, flush=True))
    text = table(effects)
    if a.print:
        print(text)
        return 0
    readme = ROOT / "README.md"
    body = readme.read_text(encoding="utf-8")
    if START not in body:
        sys.exit(f"README.md has no {START} marker")
    body = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{text}\n{END}", body, flags=re.S)
    readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
