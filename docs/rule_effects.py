"""Measure what each named rule contributes and write the tables into README.md.

    PYTHONPATH=. python docs/rule_effects.py            # all rules, about 10 s a rule
    PYTHONPATH=. python docs/rule_effects.py --print    # print the tables, README untouched

Fact F1 (strict reading) on each gold set with every rule, and with the rule
switched off (kg eval --without). The registry's rules (kg.nlp.rules) are measured on
the prose gold sets, between the README's ``<!-- rule-effects -->`` markers; the table
stage's rules (kg.nlp.tables.RULES) on the table batches, between the
``<!-- table-rule-effects -->`` markers.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kg.eval import GoldSet, rule_effects
from kg.nlp.rules import RULES, table_rules
from kg.nlp.tables import FALLBACKS

ROOT = Path(__file__).resolve().parents[1]
SETS = (GoldSet("seeds (tests/gold)", "seeds", "tests/gold"),  # the strict reading: texts are the reports
        GoldSet("seeds (tests/gold-blind)", "seeds", "tests/gold-blind"),
        GoldSet("new reports (tests/gold-new)", "tests/new-reports", "tests/gold-new"))
# The blind table batches 6–21: batch 6 is tests/gold-tables, batch N (N ≥ 7) tests/gold-tables-(N-5).
TABLE_SETS = tuple(GoldSet(f"table batch {b} (tests/gold-tables{s})", f"tests/table-reports{s}", f"tests/gold-tables{s}")
                   for b, s in ((b, "" if b == 6 else f"-{b - 5}") for b in range(6, 22)))
MARKERS = {"rules": ("<!-- rule-effects -->", "<!-- /rule-effects -->"),
           "tables": ("<!-- table-rule-effects -->", "<!-- /table-rule-effects -->")}


def header(first: dict, sets) -> list[str]:
    names = [s.name for s in sets]
    return ["| rule | stage | slot | " + " | ".join(f"fact F1 without, {n}" for n in names) + " |",
            "|---|---|---|" + "---:|" * len(names),
            "| *(all rules)* | | | " + " | ".join(f"{first[n][0]:.3f}" for n in names) + " |"]


def row(name: str, by_set: dict, sets) -> str:
    stage, slot = (RULES[name].stage, RULES[name].slot) if name in RULES else ("table", table_rules()[name][0])
    cells = [f"{b:.3f} ({b - a:+.3f})" for a, b in (by_set[s.name] for s in sets)]
    return f"| `{name}` | {stage} | {slot} | " + " | ".join(cells) + " |"


def table(effects: dict, sets) -> str:
    return "\n".join(header(next(iter(effects.values())), sets) + [row(n, b, sets) for n, b in effects.items()])


def measure(rules, sets) -> str:
    effects = rule_effects([GoldSet(s.name, str(ROOT / s.reports), str(ROOT / s.gold)) for s in sets], rules,
                           progress=lambda rule, by_set: print(row(rule, by_set, sets), file=sys.stderr, flush=True))
    return table(effects, sets)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--print", action="store_true", help="print the tables; leave README.md as it is")
    ap.add_argument("--rules", nargs="*", help="only these rules (with --print)")
    a = ap.parse_args(argv)
    wanted = set(a.rules) if a.rules else None
    prose = [n for n, r in RULES.items() if not r.fallback and (wanted is None or n in wanted)]
    cells = [n for n in table_rules() if n not in FALLBACKS and (wanted is None or n in wanted)]
    texts = {}
    if prose:
        texts["rules"] = measure(prose, SETS)
    if cells:
        texts["tables"] = measure(cells, TABLE_SETS)
    if a.print:
        print("\n\n".join(texts.values()))
        return 0
    readme = ROOT / "README.md"
    body = readme.read_text(encoding="utf-8")
    for key, text in texts.items():
        start, end = MARKERS[key]
        if start not in body:
            sys.exit(f"README.md has no {start} marker")
        body = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: f"{start}\n{text}\n{end}", body,
                      flags=re.S)
    readme.write_text(body, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
