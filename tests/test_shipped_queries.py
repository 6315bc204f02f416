"""The shipped queries answer a researcher's questions without SPARQL, in labels and quotes,
and the README lists every one of them with commands that run as written."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.stores.query import display, named_queries, run_query

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
IRI = re.compile(r"^(https?|urn):")


def rows(seeds_built, name, **params):
    names, found = run_query(seeds_built / "store", named_queries()[name].text, params or None)
    return [dict(zip(names, (display(t) for t in row))) for row in found]


def test_every_shipped_query_has_a_question_and_a_row_in_the_readme():
    for name, q in named_queries().items():
        assert re.search(r"^# Question: .+\?", q.text, re.M), name
        assert f"| `{name}` |" in README, f"queries/{name}.rq is not in the README's list of shipped queries"


def test_readme_query_commands_run_as_written_and_print_the_columns_shown(seeds_built):
    shown = re.findall(r"^\$ \.venv/bin/kg (query exports/store [^\n]+)\n([^\n]+)", README, re.M)
    assert len(shown) >= 4
    for command, header in shown:
        args = shlex.split(command)
        args[1] = str(seeds_built / "store")
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 0, (command, r.output)
        assert r.output.splitlines()[0].split() == header.split(), command
    for line in re.findall(r"^\.venv/bin/kg query [^\n#]*--name (\S+)", README, re.M):
        assert line in named_queries(), line


def test_figures_of_a_group_by_a_wording_include_narrower_groups_with_quote_and_source(seeds_built):
    found = rows(seeds_built, "figures", concept="孤儿")
    assert {r["group"] for r in found} >= {"孤儿", "社会散居孤儿"}  # 社会散居孤儿 is narrower than 孤儿
    assert all(r["quote"] and r["source"] and r["measure"] for r in found)


def test_figures_of_a_programme_by_its_short_wording(seeds_built):
    found = rows(seeds_built, "figures", concept="低保")
    assert {"城市最低生活保障", "农村最低生活保障"} <= {r["programme"] for r in found}
    assert any(r["value"] == "670" and r["quote"] == "对城市低保由原630元/月调整至670元/月" for r in found)


def test_standard_by_year_gives_each_place_its_code_year_value_previous_value_and_quote(seeds_built):
    found = rows(seeds_built, "standard-by-year", concept="最低生活保障")
    luqiao = [r for r in found if r["code"] == "331004"]
    assert luqiao and all(r["region"] == "路桥区" and r["year"] == "2020" for r in luqiao)
    assert any(r["value"] == "6000" and r["previous"] == "5280" and r["quote"] for r in found)


def test_regions_by_year_sets_one_years_standards_side_by_side(seeds_built):
    found = rows(seeds_built, "regions-by-year", year="2020")
    assert {"吕梁市", "路桥区"} <= {r["region"] for r in found}
    assert all(r["year"] == "2020" and r["quote"] for r in found)
    assert not any(r["source"].startswith("004_") for r in found)  # a 2024 report


def test_unfigured_programmes_are_mentioned_and_have_no_figure_in_that_report(seeds_built):
    found = rows(seeds_built, "unfigured-programmes")
    assert found
    figured = {(r["source"], r["programme"]) for r in rows(seeds_built, "figures", concept="社会救助")}
    assert not figured & {(r["source"], r["programme"]) for r in found}


def test_reports_show_the_division_code_and_province(seeds_built):
    by = {r["source"]: r for r in rows(seeds_built, "reports")}
    assert (by["002_fcd62b2b2fc2b1bd.txt"]["code"], by["002_fcd62b2b2fc2b1bd.txt"]["province"]) == ("141100", "山西省")


def test_no_shipped_query_answers_with_a_bare_iri(seeds_built):
    params = {"figures": {"concept": "低保"}, "standard-by-year": {"concept": "低保"},
              "regions-by-year": {"year": "2020"}, "quote-search": {"word": "临时救助"}}
    for name in named_queries():
        for r in rows(seeds_built, name, **params.get(name, {})):
            assert not any(IRI.match(v or "") for v in r.values()), (name, r)
