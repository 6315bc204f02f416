"""Tables in reports, read cell by cell the way a person reads them.

Each shape a report writes a table in: pipe-separated with a caption and a unit line,
tab-separated with a 合计 row, space-aligned (what PDF text extraction leaves) with two
header rows over merged cells, ``户数：1,036户`` cells naming their own column, a unit
line below listing one unit per column; and a table a document reader hands over.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from kg.nlp.pipeline import extract
from kg.nlp.tables import RULE_NAMES, RULES
from kg.records import Table
from kg.vocab.regions import gazetteer
from concepts import label, cells

HERE = Path(__file__).resolve().parent

COUNTY_STANDARDS = """岳阳市民政局2023年工作总结

一、兜牢民生底线
全市城乡低保标准稳步提高，各县（市、区）标准如下：
表1 2023年各县（市、区）城乡低保标准
单位：元/人/月
县（市、区） | 城市低保标准 | 农村低保标准 | 特困人员基本生活标准
岳阳楼区 | 780 | — | 1014
临湘市 | 735 | 590 | 956
平江县 | 720 | 575 | 936
全市平均 | 745 | 583 | 969
注：岳阳楼区无农村低保对象。
全年发放临时救助资金3874.6万元。

岳阳市民政局
2024年1月10日
"""

INSTITUTIONS = """安吉县民政局2024年上半年工作总结

（二）聚焦老有所养
全县现有养老机构73家。
表2 2024年上半年养老机构情况
类型\t机构数（个）\t床位数（张）\t入住老人（人）
公办\t45\t3,200\t1,856
民办\t28\t2,150\t
合计\t73\t5,350\t—

安吉县民政局
"""

# Space-aligned, as PDF text extraction leaves a ruled table: the merged header cells
# 低保标准（元/人/月） and 保障人数（人） stand centred over their 城市 / 农村 columns.
SPACE_ALIGNED = """遵义市民政局2022年工作总结

表1  2022年各县（市、区）低保标准和保障人数
县（市、区）      低保标准（元/人/月）          保障人数（人）
                  城市          农村            城市          农村
红花岗区          760           —               5230          —
汇川区            760           640             4120          8340
全市                                            37700         215600

遵义市民政局
"""

KEYED = """从江县民政局2021年工作总结

2021年社会救助资金发放情况统计表
项目：城市低保｜户数：1,036户｜人数：1,872人｜金额：1,384.6万元
项目：农村低保｜户数：9,245户｜人数：23,418人｜金额：10,562.3万元
合计｜户数：10,281户｜人数：25,290人｜金额：11,946.9万元

从江县民政局
"""

UNITS_BELOW = """天水市民政局2021年工作总结

表1　2021年天水市社会救助主要指标
项目 | 保障人数 | 发放金额
城市低保 | 34800 | 22100
临时救助（人次） | 28400 | 3100
单位：人、万元

天水市民政局
"""

QUARTERS = """岳阳市民政局2023年工作总结

表2 2023年全市临时救助实施情况
季度\t救助人次（人次）\t救助资金（万元）
第一季度\t5326\t812.4
第二季度\t6108\t967.3

岳阳市民政局
"""

YEARS_AND_PLACES = """岳阳市民政局2023年工作总结

表3 2022—2023年低保标准对比
序号 | 指标 | 2022年 | 2023年
1 | 城市低保标准（元/人/月） | 720 | 745
2 | 农村低保标准（元/人/年） | 6600 | 6960

表4 部分县市城市低保标准
指标 | 临湘市 | 汨罗市
城市低保标准（元/人/月） | 735 | 740

岳阳市民政局
"""

# PDF text read without its layout: one space between cells.
PDF_WORDS = """岳阳市民政局2023年工作总结

表1 2023年各县（市、区）城乡低保标准
金额单位：元/人/月
县（市、区） 城市低保标准 农村低保标准
临湘市 735 590
汨罗市 740 600
全年临时救助3874.6万元。
"""


@pytest.fixture(scope="module")
def county():
    return extract(COUNTY_STANDARDS, "county.txt")


def test_a_pipe_table_keeps_its_caption_unit_line_and_header(county):
    (t,) = county.tables
    assert t.caption == "表1 2023年各县(市、区)城乡低保标准"
    assert t.unit == "元/人/月"
    assert t.header_rows == 1 and len(t.rows) == 5 and t.origin == "text"
    assert t.rows[2] == ("临湘市", "735", "590", "956")


def test_a_county_row_gives_each_cell_the_county_its_unit_line_and_column_programme(county):
    c = cells(county)
    rural = c[(0, 2, 2)]
    assert (rural.value, rural.unit, rural.per, rural.measure) == (Decimal(590), "元", "人/月", "standard")
    assert label(rural.programme) == "农村最低生活保障"
    assert (rural.region.name, rural.region.code) == ("临湘市", "430682")
    assert rural.quote == "临湘市 | 735 | 590 | 956"
    assert COUNTY_STANDARDS[rural.start:rural.end] == "590"
    assert {"table-unit-line", "table-column-header-programme", "table-row-place"} <= set(rural.decided_by)


def test_a_group_column_does_not_take_the_captions_programme(county):
    tekun = cells(county)[(0, 2, 3)]
    assert label(tekun.group) == "特困人员" or "特困" in tekun.group.label
    assert tekun.programme is None or "低保" not in label(tekun.programme)


def test_a_dash_cell_is_no_figure_and_a_whole_city_row_counts_in_the_city(county):
    c = cells(county)
    assert (0, 1, 2) not in c  # 岳阳楼区 | 780 | — | 1014
    avg = c[(0, 4, 1)]
    assert (avg.region.name, avg.region.code, avg.qualifier) == ("岳阳市", "430600", "平均")


def test_table_numbers_are_not_read_again_as_prose(county):
    t = county.tables[0]
    inside = [f for f in county.figures if t.start <= f.start < t.end]
    assert inside and all(f.table == 0 for f in inside)
    assert len(inside) == 11  # 12 numeric cells less the — one
    prose = [f for f in county.figures if f.table is None]
    assert [f.text for f in prose] == ["3874.6万元"]


def test_a_tab_table_keeps_types_as_qualifiers_and_skips_empty_cells():
    rec = extract(INSTITUTIONS, "inst.txt")
    c = cells(rec)
    beds = c[(0, 2, 2)]
    assert (beds.value, beds.unit, beds.measure, beds.qualifier) == (Decimal(2150), "张", "count", "民办")
    assert (0, 2, 3) not in c and (0, 3, 3) not in c  # the empty and the — cell
    residents = c[(0, 1, 3)]
    assert (residents.unit, residents.measure) == ("人", "recipients")
    total = c[(0, 3, 1)]
    assert (total.value, total.qualifier, total.region) == (Decimal(73), None, None)


def test_space_aligned_columns_under_two_header_rows_read_their_merged_header():
    rec = extract(SPACE_ALIGNED, "zunyi.txt")
    (t,) = rec.tables
    assert t.header_rows == 2
    assert t.rows[0][1] == t.rows[0][2] == "低保标准(元/人/月)"
    assert t.rows[1][1:] == ("城市", "农村", "城市", "农村")
    c = cells(rec)
    std = c[(0, 3, 2)]
    assert (std.value, std.per, std.measure, label(std.programme)) == (Decimal(640), "人/月", "standard",
                                                                         "农村最低生活保障")
    people = c[(0, 3, 4)]
    assert (people.value, people.unit, people.measure, label(people.programme)) == (
        Decimal(8340), "人", "recipients", "农村最低生活保障")
    # 全市 | (empty) | (empty) | 37700 | 215600: the empty cells stay empty, the others keep their columns.
    whole = [f for k, f in c.items() if k[1] == 4]
    assert sorted((f.column, f.value) for f in whole) == [(3, Decimal(37700)), (4, Decimal(215600))]
    assert all(f.region.code == "520300" for f in whole)


def test_keyed_cells_name_their_column_and_a_total_row_counts_the_shared_programme():
    rec = extract(KEYED, "keyed.txt")
    c = cells(rec)
    assert rec.tables[0].rows[0] == ("项目", "户数", "人数", "金额")
    money = c[(0, 1, 3)]
    assert (money.value, money.unit, money.measure, label(money.programme)) == (
        Decimal(13846000), "元", "spending", "城市最低生活保障")
    total = c[(0, 3, 1)]
    assert (total.value, total.unit, label(total.programme)) == (Decimal(10281), "户", "最低生活保障")
    assert "table-total-row-programme" in total.decided_by


def test_a_unit_line_below_gives_one_unit_per_column_and_a_row_its_own_count():
    rec = extract(UNITS_BELOW, "units.txt")
    assert rec.tables[0].unit == "人、万元"
    c = cells(rec)
    assert (c[(0, 1, 1)].value, c[(0, 1, 1)].unit) == (Decimal(34800), "人")
    assert (c[(0, 1, 2)].value, c[(0, 1, 2)].unit, c[(0, 1, 2)].measure) == (Decimal(221000000), "元", "spending")
    assert (c[(0, 2, 1)].unit, label(c[(0, 2, 1)].programme)) == ("人次", "临时救助")
    assert c[(0, 2, 2)].unit == "元"


def test_a_quarter_row_is_kept_and_gives_its_quarter_as_the_period():
    rec = extract(QUARTERS, "quarters.txt")
    f = cells(rec)[(0, 2, 2)]
    assert (f.value, f.qualifier, label(f.programme)) == (Decimal(9673000), "第二季度", "临时救助")
    assert (f.period_start.isoformat(), f.period_end.isoformat()) == ("2023-04-01", "2023-06-30")


def test_a_readers_table_is_read_once_from_its_rows_in_the_text():
    # What a DOCX reader hands over: the table, and its rows written into the text with ` | `.
    rows = (("县（市、区）", "城市低保标准（元/人/月）"), ("临湘市", "735"), ("汨罗市", "740"))
    head = "岳阳市民政局2023年工作总结\n全市低保标准如下。\n"
    body = "\n".join(" | ".join(r) for r in rows)
    text = head + body + "\n岳阳市民政局\n"
    starts, at = [], len(head)
    for r in rows:
        starts.append(at)
        at += len(" | ".join(r)) + 1
    given = Table(start=len(head), end=len(head) + len(body), rows=rows, row_starts=tuple(starts), origin="docx")
    rec = extract(text, "docx-like.docx", tables=(given,))
    assert rec.tables == (given,)
    figs = [f for f in rec.figures if f.value is not None]
    assert [(f.value, f.region.name, f.table, f.row, f.column) for f in figs] == [
        (Decimal(735), "临湘市", 0, 1, 1), (Decimal(740), "汨罗市", 0, 2, 1)]
    assert text[figs[0].start:figs[0].end] == "735"


def test_every_cell_of_a_place_row_carries_the_place_with_its_code():
    gaz = gazetteer()
    seen = 0
    for path in sorted((HERE / "table-reports").glob("*.txt")):
        rec = extract(path.read_text(encoding="utf-8"), path.name)
        own = rec.region.code[:4] if rec.region.level == "city" else rec.region.code[:2]
        for f in rec.figures:
            if f.table is None:
                continue
            name = rec.tables[f.table].rows[f.row][0]
            if name in gaz.by_name:
                seen += 1
                assert f.region is not None and f.region.name == name, (path.name, f.quote)
                assert re.fullmatch(r"\d{6}", f.region.code) and f.region.code.startswith(own), (path.name, f.quote)
    assert seen >= 40


def test_rules_are_named_data_and_every_cell_names_only_those():
    assert len({r.name for r in RULES}) == len(RULES)
    assert all(r.name and r.slot and r.why for r in RULES)
    for text in (COUNTY_STANDARDS, INSTITUTIONS, SPACE_ALIGNED, KEYED, UNITS_BELOW, QUARTERS):
        for f in extract(text, "x.txt").figures:
            if f.table is not None:
                assert f.decided_by and set(f.decided_by) <= RULE_NAMES


def test_the_table_query_prints_a_table_back_from_the_graph():
    from kg.rdf.graph import ontology_graph, report_graph
    from kg.stores.query import named_query

    g = report_graph(extract(COUNTY_STANDARDS, "county.txt")) + ontology_graph()  # unit labels live there
    rows = list(g.query(named_query("table").text))
    printed = {(int(r.row), int(r.column)): (str(r.rowLabel), str(r.text), str(r.unit)) for r in rows}
    assert printed[(2, 2)] == ("临湘市", "590", "元")
    assert len(printed) == 11
    (code,) = {str(r.code) for r in rows if int(r.row) == 2}
    assert code == "430682"


def test_a_year_column_is_its_year_an_index_column_counts_nothing_and_a_place_column_is_its_place():
    rec = extract(YEARS_AND_PLACES, "years.txt")
    c = cells(rec)
    assert sorted(k for k in c if k[0] == 0) == [(0, 1, 2), (0, 1, 3), (0, 2, 2), (0, 2, 3)]  # no 序号 figures
    f = c[(0, 1, 3)]
    assert (f.value, f.unit, f.per, f.measure, label(f.programme)) == (Decimal(745), "元", "人/月", "standard",
                                                                        "城市最低生活保障")
    assert (f.period_start.isoformat(), f.period_end.isoformat(), f.qualifier) == ("2023-01-01", "2023-12-31", None)
    assert c[(0, 1, 2)].period_start.isoformat() == "2022-01-01"
    assert c[(0, 2, 3)].per == "人/年" and "table-row-header-unit" in c[(0, 2, 3)].decided_by
    g = c[(1, 1, 2)]
    assert (g.value, g.region.name, g.region.code) == (Decimal(740), "汨罗市", "430681")


def test_pdf_text_without_layout_keeps_its_table_by_single_spaces():
    rec = extract(PDF_WORDS, "pdf-words.txt")
    (t,) = rec.tables
    assert (t.rows[0], t.unit) == (("县(市、区)", "城市低保标准", "农村低保标准"), "元/人/月")
    c = cells(rec)
    f = c[(0, 2, 2)]
    assert (f.value, f.per, label(f.programme), f.region.code) == (Decimal(600), "人/月", "农村最低生活保障", "430681")
    assert [x.text for x in rec.figures if x.table is None] == ["3874.6万元"]


def test_an_age_band_column_names_its_rows_and_counts_nothing():
    text = ("遵义市民政局2022年工作总结\n表2 2022年全市高龄津贴发放情况\n"
            "年龄段 | 享受人数（人） | 补贴标准（元/人/月）\n80-89岁 | 142316 | 50\n100岁以上 | 412 | 300\n"
            "合计 | 142728 | —\n")
    rec = extract(text, "ages.txt")
    figs = [f for f in rec.figures if f.table == 0]
    assert [(f.row, f.column) for f in figs] == [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
    assert [f.qualifier for f in figs] == ["80-89岁", "80-89岁", "100岁以上", "100岁以上", None]
    assert {label(f.programme) for f in figs} == {"高龄津贴"}


def test_a_readers_cell_the_text_does_not_hold_is_named_by_its_table_row_and_column():
    from kg.rdf.graph import report_rows

    text = "岳阳市民政局2023年工作总结\n全市低保标准见附表。\n岳阳市民政局\n"
    given = Table(start=0, end=0, rows=(("县（市、区）", "城市低保标准（元/人/月）"), ("临湘市", "735")),
                  origin="html")
    rec = extract(text, "x.html", tables=(given,))
    (f,) = [f for f in rec.figures if f.table == 0]
    assert (f.value, f.start, f.region.code) == (Decimal(735), -1, "430682")
    lines = [x for x in report_rows(rec) if x.startswith("<https://w3id.org/welfare-kg/data/report/x.html/figure/")]
    assert lines and all("/figure/table0-r1-c1>" in x for x in lines)
    assert not any("startOffset" in x for x in lines)
    assert any("/table/0> <https://w3id.org/welfare-kg/ontology#origin> \"html\"" in x for x in report_rows(rec))


def test_a_readers_table_with_its_caption_row_and_two_header_rows_reads_like_the_text_one():
    # A DOCX table: a title row merged across the table, 低保标准 merged over 城市 | 农村, 地区
    # merged down two rows (each merged cell's text repeated over its span), one header row declared.
    rows = (("表1 2023年各县低保标准", "表1 2023年各县低保标准", "表1 2023年各县低保标准"),
            ("地区", "低保标准（元/人/月）", "低保标准（元/人/月）"),
            ("地区", "城市", "农村"),
            ("临湘市", "735", "590"))
    text = "岳阳市民政局2023年工作总结\n" + "\n".join(" | ".join(r) for r in rows) + "\n岳阳市民政局\n"
    given = Table(start=15, end=len(text) - 8, rows=rows, origin="docx")
    rec = extract(text, "t.docx", tables=(given,))
    (f,) = [f for f in rec.figures if (f.table, f.row, f.column) == (0, 3, 2)]
    assert (f.value, f.per, label(f.programme), f.region.code) == (Decimal(590), "人/月", "农村最低生活保障", "430682")
    assert text[f.start:f.end] == "590"
    assert len([f for f in rec.figures if f.table == 0]) == 2


def test_a_captions_part_of_the_year_is_its_cells_period():
    text = ("安吉县民政局2024年上半年工作总结\n表2 2024年上半年社会救助资金发放情况\n"
            "项目 | 保障人数（人） | 发放金额（万元）\n最低生活保障 | 3256 | 1862.7\n特困人员救助供养 | 612 | 587.5\n")
    rec = extract(text, "h1.txt")
    f = cells(rec)[(0, 1, 2)]
    assert (f.value, label(f.programme)) == (Decimal(18627000), "最低生活保障")
    assert (f.period_start.isoformat(), f.period_end.isoformat()) == ("2024-01-01", "2024-06-30")
    assert "table-caption-period" in f.decided_by


def test_a_pipe_header_with_fewer_cells_spreads_over_the_columns_below():
    text = ("岳阳市民政局2023年工作总结\n"
            "地区 | 低保标准（元/人/月） | 特困供养标准（元/人/月）\n"
            " | 城市 | 农村 | 城市 | 农村\n"
            "临湘市 | 735 | 590 | 956 | 767\n")
    rec = extract(text, "spread.txt")
    t = rec.tables[0]
    assert t.header_rows == 2 and t.rows[0][1:] == ("低保标准(元/人/月)",) * 2 + ("特困供养标准(元/人/月)",) * 2
    c = cells(rec)
    assert [label(c[(0, 2, k)].programme) for k in (1, 2)] == ["城市最低生活保障", "农村最低生活保障"]
    assert c[(0, 2, 4)].per == "人/月" and "特困" in label(c[(0, 2, 4)].programme)


def test_a_web_pages_table_as_the_html_reader_writes_it_is_read():
    from kg.read.html import html_to_text

    page = ("<html><body><p>岳阳市民政局2023年工作总结</p><p>表1 2023年各县（市、区）城乡低保标准</p>"
            "<table><tr><td>县（市、区）</td><td>城市低保标准（元/人/月）</td><td>农村低保标准（元/人/月）</td></tr>"
            "<tr><td>临湘市</td><td>735</td><td>590</td></tr><tr><td>汨罗市</td><td>740</td><td>600</td></tr>"
            "</table><p>岳阳市民政局</p></body></html>")
    text = html_to_text(page)
    rec = extract(text, "page.html")
    (t,) = rec.tables
    assert t.caption == "表1 2023年各县(市、区)城乡低保标准" and len(t.rows) == 3
    c = cells(rec)
    assert (c[(0, 2, 2)].value, c[(0, 2, 2)].region.code, label(c[(0, 2, 2)].programme)) == (
        Decimal(600), "430681", "农村最低生活保障")
    assert len([f for f in rec.figures if f.table is None]) == 0
