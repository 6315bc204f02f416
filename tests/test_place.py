"""Where a figure is: its report's region, or the unit its own clause names; former units tied
to the unit they became, so reports of one place line up across years."""
from __future__ import annotations

import csv
import pytest

from kg.nlp.pipeline import extract
from kg.rdf.graph import report_graph
from kg.vocab.namespace import DCTERMS, RDFS, WF
from kg.vocab.regions import CHANGES, gazetteer

TAIZHOU_2024H1 = """台州市民政局2024年上半年工作总结
一、社会救助
2024年上半年，全市城乡低保对象得到保障。路桥区城市低保标准提高到每人每月1000元，全市共发放临时救助资金1200万元。赴杭州市考察学习，支出经费2万元。
"""
XIACHENG_2020 = """杭州市下城区民政局2020年工作总结
一、社会救助
全区城市低保标准由每人每月1017元提高到每人每月1060元，共发放临时救助资金300万元。
"""
GONGSHU_2022 = """杭州市拱墅区民政局2022年工作总结
一、社会救助
全区城市低保标准由每人每月1119元提高到每人每月1202元，共发放临时救助资金500万元。
"""


def by_text(rec):
    return {f.text: f for f in rec.figures}


def test_a_county_named_in_the_clause_of_a_city_report_is_the_figures_place_and_the_half_year_its_period():
    rec = extract(TAIZHOU_2024H1, "taizhou.txt")
    assert rec.region.code == "331000"
    figs = by_text(rec)
    luqiao = figs["每人每月1000元"]
    assert (luqiao.region.name, luqiao.region.code) == ("路桥区", "331004")
    assert (str(luqiao.period_start), str(luqiao.period_end)) == ("2024-01-01", "2024-06-30")
    assert figs["1200万元"].region is None  # 全市: the report's own place, inherited in the graph


def test_a_place_outside_the_reports_region_is_not_the_figures_place():
    assert by_text(extract(TAIZHOU_2024H1, "taizhou.txt"))["2万元"].region is None  # 赴杭州市考察


def test_the_graph_writes_every_figure_its_place_own_or_inherited():
    rec = extract(TAIZHOU_2024H1, "taizhou.txt")
    g = report_graph(rec)
    places = {str(g.value(f, WF.text)): str(g.value(g.value(f, WF.region), WF.divisionCode))
              for f in g.subjects(WF.quote, None)}
    assert places == {"每人每月1000元": "331004", "1200万元": "331000", "2万元": "331000"}


def test_a_report_of_the_former_xiacheng_district_lines_up_with_one_of_gongshu_which_absorbed_it():
    old, new = extract(XIACHENG_2020, "xiacheng-2020.txt"), extract(GONGSHU_2022, "gongshu-2022.txt")
    assert old.region.code == new.region.code == "330105"
    assert [(r.name, r.code) for r in old.region.former] == [("下城区", "330103")]
    g = report_graph(old)
    gongshu = next(s for s in g.subjects(WF.divisionCode, None) if str(g.value(s, WF.divisionCode)) == "330105")
    assert str(g.value(gongshu, RDFS.label)) == "拱墅区" and str(g.value(gongshu, WF.formerName)) == "下城区"
    assert str(g.value(g.value(gongshu, DCTERMS.replaces), WF.divisionCode)) == "330103"
    standards = {(rec.period_start.year, f.value, f.previous) for rec in (old, new) for f in rec.figures
                 if f.measure == "standard"}
    assert standards == {(2020, 1060, 1017), (2022, 1202, 1119)}


@pytest.mark.parametrize("former, current", [("江干区", "330102"), ("崇文区", "110101"), ("宣武区", "110102"),
                                             ("莱芜市", "370116"), ("莱城区", "370116"), ("襄樊市", "420600"),
                                             ("无为县", "340281"), ("吴江市", "320509")])
def test_a_former_unit_resolves_to_the_current_unit_it_became(former, current):
    reg = gazetteer().resolve(former)
    assert reg.code == current and reg.former[0].name == former


def test_a_former_name_inside_other_words_is_no_place():
    rec = extract("区民政局2020年工作总结\n新增城市低保8户13人。\n", "x.txt")
    assert [m.text for m in rec.mentions if m.kind == "region"] == []  # 新增|城市: not 增城市 (增城区 since 2014)


def test_every_change_leads_to_a_current_unit_under_its_current_name_and_names_its_source():
    current = gazetteer().names
    rows = list(csv.DictReader(open(CHANGES, encoding="utf-8"), delimiter="\t"))
    assert len(rows) >= 40
    for r in rows:
        assert r["source"] and r["year"].isdigit() and r["kind"]
        if r["new_code"] in current:
            assert current[r["new_code"]] == r["new_name"], r
        else:  # a step of a chain (无为县 340225 -> 无为市 340281)
            assert any(s["old_code"] == r["new_code"] for s in rows), r
        assert r["old_code"] not in current or r["old_code"] == r["new_code"], r
