"""kg eval (kg/eval.py): the shared scorer's numbers from the package, rules switched
off by name, and every figure explained by the rules that decided it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.eval import EvalError, build_graph, evaluate, evaluate_without, score, read_gold
from kg.nlp.rules import RULES
from kg.out.network import to_networkx
from kg.out.viz import fold_figures, load_graph, render_html
from kg.stores.query import named_queries, run_query

ROOT = Path(__file__).resolve().parent.parent
SCORER = ROOT / "tests" / "eval" / "score.py"


@pytest.mark.parametrize("gold", ["tests/gold", "tests/gold-blind"])
@pytest.mark.parametrize("strict", [True, False])
def test_kg_eval_gives_the_shared_scorers_json(seeds_built, tmp_path, gold, strict):
    texts = ["--texts", str(ROOT / "seeds")] if strict else []
    ours, theirs = tmp_path / "ours.json", tmp_path / "theirs.json"
    r = CliRunner().invoke(main, ["eval", str(seeds_built / "welfare.ttl"), "--gold", str(ROOT / gold),
                                  "--json", str(ours), *texts])
    assert r.exit_code == 0, r.output
    run = subprocess.run([sys.executable, str(SCORER), str(seeds_built / "welfare.ttl"), "--gold", str(ROOT / gold),
                          "--json", str(theirs), *texts], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert json.loads(ours.read_text(encoding="utf-8")) == json.loads(theirs.read_text(encoding="utf-8"))
    assert r.output.splitlines()[-1] == run.stdout.splitlines()[-1]  # the summary line, to three decimals


def test_the_strict_reading_credits_an_altlabel_only_where_the_report_writes_it(seeds_built):
    loose = evaluate([seeds_built / "welfare.ttl"], ROOT / "tests/gold")
    strict = evaluate([seeds_built / "welfare.ttl"], ROOT / "tests/gold", ROOT / "seeds")
    assert strict.summary["fact_f1"] < loose.summary["fact_f1"]
    assert strict.summary["figure_f1"] == loose.summary["figure_f1"]  # units are not read through altLabels


def test_switching_a_rule_off_changes_the_score_it_earns():
    cmp = evaluate_without(ROOT / "tests/new-reports", ROOT / "tests/gold-new", ["programme-in-the-group-name"],
                           docs=["101_jiangmen_city_2021h1.txt", "103_putuo_district_2023.txt"])
    assert cmp.reduced.summary["fact_f1"] < cmp.full.summary["fact_f1"]
    assert any("fact_f1" in line and "-0." in line for line in cmp.lines())


def test_switching_a_table_rule_off_changes_the_score_it_earns():
    # Without the caption's programme, cells whose headers name none lose the one the gold gives them.
    cmp = evaluate_without(ROOT / "tests/table-reports", ROOT / "tests/gold-tables", ["table-caption-programme"])
    assert cmp.reduced.summary["fact_f1"] < cmp.full.summary["fact_f1"] - 0.05


def test_the_in_memory_build_scores_as_kg_build_does(seeds_built):
    gold = read_gold(ROOT / "tests/gold")
    built = score(load_graph(seeds_built / "welfare.ttl"), gold, ROOT / "seeds")
    in_memory = score(build_graph(ROOT / "seeds"), gold, ROOT / "seeds")
    assert built.summary == in_memory.summary


def test_the_in_memory_build_reads_reports_as_kg_build_does(tmp_path):
    # Table batch 7 holds a report pasted from a PDF: kg build repairs its layout before reading it,
    # and so must kg eval --reports (it read the raw text, 0.830 where the build scores 0.895).
    from kg.build.run import build

    reports = ROOT / "tests/table-reports-2"
    build([reports], tmp_path / "out")
    gold = read_gold(ROOT / "tests/gold-tables-2")
    built = score(load_graph(tmp_path / "out" / "welfare.ttl"), gold, reports)
    assert score(build_graph(reports), gold, reports).summary == built.summary


def test_bad_arguments_fail_with_one_line(tmp_path):
    r = CliRunner().invoke(main, ["eval", "--reports", str(ROOT / "seeds"), "--gold", str(ROOT / "tests/gold"),
                                  "--without", "no-such-rule"])
    assert r.exit_code == 1 and "no rule named no-such-rule" in r.output
    r = CliRunner().invoke(main, ["eval", str(tmp_path / "missing.ttl"), "--gold", str(ROOT / "tests/gold")])
    assert r.exit_code == 1 and "missing.ttl" in r.output
    r = CliRunner().invoke(main, ["eval", str(ROOT / "exports/welfare.ttl"), "--gold", str(tmp_path)])
    assert r.exit_code == 1 and "no gold annotations" in r.output
    with pytest.raises(EvalError, match="strict reading"):
        evaluate([ROOT / "exports/welfare.ttl"], ROOT / "tests/gold", tmp_path)


# ---------------------------------------------------------------- every figure explained

def test_every_figure_is_decided_by_a_described_rule(seeds_built):
    graph = load_graph(seeds_built / "welfare.ttl")
    prefixes = """PREFIX wf: <https://w3id.org/welfare-kg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"""
    figures = len(list(graph.query(prefixes + " SELECT ?f WHERE { ?f a wf:Figure }")))
    explained = len(list(graph.query(prefixes + """ SELECT DISTINCT ?f WHERE { ?f a wf:Figure ; wf:decidedBy ?r .
        ?r a wf:Rule ; rdfs:label ?name ; rdfs:comment ?why ; wf:slot ?slot }""")))
    assert figures > 300 and explained == figures


def test_rule_figures_query_finds_what_a_rule_decided(seeds_built):
    # 1-6月共办理婚姻登记489对,其中…补发结(离)婚 243对: the total's programme, by total-of-the-parts.
    names, rows = run_query(seeds_built / "store", named_queries()["rule-figures"].text, {"rule": "total-of-the-parts"})
    got = [dict(zip(names, map(str, row))) for row in rows]
    assert any("243对" in r["text"] and "婚姻登记" in r["programme"] for r in got)
    assert all("total-of-the-parts" in r["rule"] for r in got)


def test_the_page_lists_the_rules_behind_each_figure(seeds_built):
    graph = load_graph(seeds_built / "welfare.ttl")
    projection = to_networkx(graph)
    _, figures = fold_figures(projection)
    folded = [f for fs in figures.values() for f in fs]
    assert folded and all(f["rules"] for f in folded)
    assert all(name in RULES for f in folded for name, _ in f["rules"])
    page = render_html(projection).decode("utf-8")
    assert "decided by: " in page and RULES["total-of-the-parts"].why.split(",")[0] in page
