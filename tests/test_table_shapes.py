"""Table shapes of the seventh batch (tests/table-reports-2), each read as a person reads it.

A space-aligned table inside text pasted from a PDF (hard wraps, running header, page
numbers), a table cut by a page break, a transposed table (quarters or age bands as
columns, the measure and its unit in the row label), a key–value table with no header
row, two header rows whose second row is years, a markdown pipe table with a
provision-per-unit column.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.nlp.document import extract_document
from kg.nlp.pipeline import extract
from kg.read.document import read_document
from kg.read.layout import repair
from kg.read.textgrid import table_lines
from concepts import label, cells


def wrap(paragraph: str, width: int = 28) -> list[str]:
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)]


HEADER = "曲靖市民政局2022年工作总结"
INTRO = ("　　（一）特困人员救助供养。全市特困人员基本生活标准同步提高，城市特困人员基本生活标准平均达到每人每月"
         "1021元，农村特困人员平均达到每人每月541元。年末全市共有特困人员2.93万人，其中集中供养5168人，"
         "全年发放特困人员救助供养金3.12亿元。各县（市、区）标准见表1。")
TABLE = ["表1　2022年各县（市、区）特困人员基本生活标准",
         "单位：元/人/月",
         "县（市、区）    城市特困人员      农村特困人员",
         "麒麟区          1040              560",
         "沾益区          1030              550",
         "马龙区          1020              540",
         "宣威市          1014              535"]
AFTER = ("　　（二）最低生活保障。全市城市低保平均标准达到每人每月785元，农村低保平均标准达到每人每年5160元。"
         "截至12月底，全市共有城乡低保对象39.86万人，全年累计支出城乡低保资金19.74亿元。")
LAST = ("　　（四）低收入人口动态监测。依托云南省低收入人口动态监测信息平台，全市共录入低收入人口数据62.4万人，"
        "全年向乡村振兴部门推送预警信息3.6万条，核查处置率达到100%。对受疫情影响的困难群众，及时发放一次性"
        "临时生活补助，全年共发放1870万元。")


def pasted_pdf(table: list[str]) -> str:
    lines = [HEADER] + wrap(INTRO) + table + wrap(AFTER) + wrap(LAST)
    return "\n".join(lines) + "\n"


def test_a_space_aligned_table_in_pasted_pdf_text_is_left_as_it_stands():
    text = pasted_pdf(TABLE)
    fixed = repair(read_document(text.encode("utf-8"), "700.txt"))
    assert fixed.changed  # the prose around it is rejoined ...
    assert "全市特困人员基本生活标准同步提高，城市特困人员" in fixed.text
    assert "\n".join(TABLE) in fixed.text  # ... its rows are not: no joining, no de-spacing


def test_the_table_of_pasted_pdf_text_gives_every_cell_its_county_column_group_and_unit_line():
    text = pasted_pdf(TABLE)
    rec = extract_document(read_document(text.encode("utf-8"), "700.txt"), "700.txt")
    c = cells(rec)
    assert len(c) == 8
    rural = c[(0, 2, 2)]  # 沾益区 | 1030 | 550
    assert (rural.value, rural.unit, rural.per, rural.measure) == (Decimal(550), "元", "人/月", "standard")
    assert "特困人员救助供养" in label(rural.programme)
    assert (label(rural.group), rural.region.name) == ("农村特困人员", "沾益区")
    assert text[rural.start:rural.end] == "550"


def test_a_table_cut_by_a_page_break_and_its_running_header_is_one_table():
    page_end = ["", "— 1 —", "", HEADER]
    text = pasted_pdf(TABLE[:5] + page_end + TABLE[5:])
    fixed = repair(read_document(text.encode("utf-8"), "700.txt"))
    assert "\n".join(TABLE) in fixed.text
    rec = extract_document(read_document(text.encode("utf-8"), "700.txt"), "700.txt")
    (t,) = rec.tables
    assert [r[0] for r in t.rows[1:]] == ["麒麟区", "沾益区", "马龙区", "宣威市"]


def test_a_sentence_over_a_page_break_and_an_indented_paragraph_after_a_full_heading_are_read_whole():
    heading = "　　三、突出改革创新，基层治理和社会事务管理水平不断提升"
    body = "　　全市登记社会组织3378个，其中社会团体1465个、民办非企业单位1913个。建成乡镇（街道）社会工作服务站135个。"
    lines = [HEADER] + wrap(INTRO) + wrap(LAST)[:3] + ["", "— 1 —", "", HEADER] + wrap(LAST)[3:] \
        + [heading] + wrap(body) + ["", "— 2 —", "", HEADER] + wrap(AFTER)
    text = "\n".join(lines) + "\n"
    fixed = repair(read_document(text.encode("utf-8"), "700.txt"))
    assert LAST.strip() in fixed.text  # joined over the page's number, header and blank lines
    assert heading + "\n" + body in fixed.text


TRANSPOSED = """东台市民政局2023年度工作总结

　　3.临时救助快速响应。全年共实施临时救助2718人次，发放临时救助金689.3万元，分季度情况见表1。
表1　2023年东台市临时救助分季度实施情况
指标\t一季度\t二季度\t三季度\t四季度\t全年
救助人次（人次）\t612\t705\t648\t753\t2718
救助资金（万元）\t151.6\t182.4\t163.8\t191.5\t689.3
其中：急难型救助（人次）\t97\t126\t104\t131\t458

表2　2022—2023年东台市孤儿和困境儿童基本生活保障情况
类别 | 保障标准（元/人/月） |  | 保障人数（人） | 
 | 2022年 | 2023年 | 2022年 | 2023年
集中养育孤儿 | 2170 | 2300 | 12 | 10
事实无人抚养儿童 | 1650 | 1750 | 138 | 152
重病重残儿童 | — | 600 | — | 87
"""


@pytest.fixture(scope="module")
def transposed():
    return extract(TRANSPOSED, "701.txt")


def test_a_transposed_table_reads_measure_and_unit_from_the_row_and_the_quarter_from_the_column(transposed):
    money = cells(transposed)[(0, 2, 2)]  # 救助资金（万元） under 二季度
    assert (money.value, money.unit, money.measure, label(money.programme)) == (
        Decimal(1824000), "元", "spending", "临时救助")
    assert money.qualifier == "二季度"
    assert (money.period_start.isoformat(), money.period_end.isoformat()) == ("2023-04-01", "2023-06-30")
    among = cells(transposed)[(0, 3, 1)]  # 其中：急难型救助（人次）: a row naming its own programme
    assert (among.value, among.unit, among.measure) == (Decimal(97), "人次", "recipients")
    assert "急难" in among.programme.label


def test_a_caption_on_two_groups_gives_its_programme_to_each_kind_of_child_under_year_columns(transposed):
    c = cells(transposed)
    # 事实无人抚养儿童 is neither 孤儿 nor 困境儿童 but a kind of child the caption is about; 重病重残儿童
    # is no group the ontology knows, and contradicts nothing.
    for key in ((1, 3, 1), (1, 4, 2)):
        std = c[key]
        assert std.programme.label == "困境儿童基本生活保障", std
    std = c[(1, 2, 1)]  # 集中养育孤儿 | 2170 under 保障标准（元/人/月） / 2022年
    assert (std.value, std.per, std.measure, label(std.group)) == (Decimal(2170), "人/月", "standard", "集中养育孤儿")
    assert std.period_start.year == 2022
    people = c[(1, 3, 4)]
    assert (people.value, people.unit, people.measure, people.period_start.year) == (
        Decimal(152), "人", "recipients", 2023)
    assert (1, 4, 1) not in c and (1, 4, 3) not in c  # the — cells of a category new in 2023


LIAOCHENG = """聊城市民政局2021年工作总结

表1　2021年聊城市社会救助主要数据
城市低保标准（元/人/月）      780
农村低保标准（元/人/年）      6600
低保资金支出（万元）          81460
特困人员（人）                31420
临时救助（人次）              18650

表2　2021年各县（市、区）养老服务设施情况
| 县（市、区） | 养老机构（家） | 养老床位（张） | 每千名老年人拥有养老床位（张） |
|---|---|---|---|
| 东昌府区 | 32 | 6120 | 31.5 |
| 茌平区 | 14 | 2380 | 24.6 |
| 全市 | 138 | 23300 | 26.8 |

表3　2021年聊城市高龄津贴发放情况
项目                    80-89周岁   90-99周岁   100周岁及以上   合计
享受人数（人）          142900      14600       500             158000
补贴标准（元/人/月）    50          150         300             —
发放金额（万元）        8326.5      2691.2      176.4           11194.1
"""


@pytest.fixture(scope="module")
def liaocheng():
    return extract(LIAOCHENG, "702.txt")


def test_a_key_value_table_without_a_header_reads_each_row_label_with_its_unit(liaocheng):
    c = cells(liaocheng)
    rural = [f for k, f in c.items() if k[0] == 0 and f.value == Decimal(6600)][0]
    assert (rural.unit, rural.per, rural.measure, label(rural.programme)) == ("元", "人/年", "standard",
                                                                                "农村最低生活保障")
    money = [f for k, f in c.items() if k[0] == 0 and f.value == Decimal(814600000)][0]
    assert (money.unit, money.measure) == ("元", "spending")
    # A bare group names no programme of its own: the caption's (社会救助) is the cell's.
    tekun = [f for k, f in c.items() if k[0] == 0 and f.value == Decimal(31420)][0]
    assert (tekun.unit, tekun.measure, label(tekun.programme), label(tekun.group)) == (
        "人", "recipients", "社会救助", "特困人员")
    assert "table-caption-programme" in tekun.decided_by


def test_a_provision_per_unit_column_is_a_standard_per_thousand_people(liaocheng):
    c = cells(liaocheng)
    beds = c[(1, 1, 3)]  # 东昌府区 | … | 31.5
    assert (beds.value, beds.unit, beds.per, beds.measure) == (Decimal("31.5"), "张", "千人", "standard")
    assert (label(beds.programme), beds.group.label, beds.region.name) == ("养老服务", "老年人", "东昌府区")
    assert "table-header-per-unit" in beds.decided_by
    plain = c[(1, 1, 2)]  # 养老床位（张）: a count
    assert (plain.per, plain.measure) == (None, "count")
    assert c[(1, 3, 3)].region.name == "聊城市"  # the 全市 row


def test_a_transposed_age_band_table_keeps_the_bands_as_qualifiers(liaocheng):
    c = cells(liaocheng)
    std = c[(2, 2, 2)]  # 补贴标准（元/人/月） under 90-99周岁
    assert (std.value, std.per, std.measure, label(std.programme), std.qualifier) == (
        Decimal(150), "人/月", "standard", "高龄津贴", "90-99周岁")
    assert (2, 2, 4) not in c  # —
    assert not any(f.value in (Decimal(80), Decimal(89)) for f in liaocheng.figures)  # bands are no figures


def test_table_lines_tell_table_rows_from_prose():
    lines = ["全年共实施临时救助2718人次，发放临时救助金689.3万元。", "表1　临时救助情况", "单位：万元",
             "项目      一季度    二季度", "人次      612       705", "资金      151.6     182.4",
             "全 年 累 计 发 放 城 乡 低 保 金", "发布时间：2024-01-15　　来源：东台市民政局"]
    assert table_lines(lines) == {1, 2, 3, 4, 5}


# ------------------------------------------------------------------ batch 8 (tests/table-reports-3)

XINGTAI = """邢台市民政局2019年工作总结

表1  2019年各县（市、区）城乡低保和特困人员供养标准
县（市、区） | 低保标准（元/人/月） |  | 特困人员供养标准（元/人/年）
 | 城市 | 农村 | 
桥东区 | 650 | — | 8400
邢台县 | 620 | 375 | 5900
全市 | 620 | 375 | 5900
"""


def test_a_second_header_row_opening_with_a_bar_keeps_its_empty_cell_under_the_row_labels():
    c = cells(extract(XINGTAI, "800.txt"))
    city, rural, tekun = c[(0, 3, 1)], c[(0, 3, 2)], c[(0, 3, 3)]  # 邢台县 | 620 | 375 | 5900
    assert (city.value, label(city.programme), city.per) == (Decimal(620), "城市最低生活保障", "人/月")
    assert (rural.value, label(rural.programme), rural.per) == (Decimal(375), "农村最低生活保障", "人/月")
    assert (tekun.value, tekun.per) == (Decimal(5900), "人/年")
    assert (0, 2, 2) not in c  # 桥东区's — under 农村


QIJIANG = ("綦江区民政局2023年工作总结\n\n"
           "表1 2023年临时救助分季度实施情况\n"
           "指标\t一季度\t二季度\t三季度\t四季度\t全年\n"
           "救助人次（人次）\t2105\t1872\t1936\t2513\t8426\n"
           "其中：急难型（人次）\t684\t591\t620\t905\t2800\n"
           "支出型（人次）\t1421\t1281\t1316\t1608\t5626\n"
           "救助金额\t298.6\t261.3\t274.8\t361.7\t1196.4\n"
           "单位：万元\n\n"
           "表2 2022—2023年綦江区民政事业主要指标\n"
           "年份\t养老机构（个）\t养老床位（张）\t社区养老服务站（个）\t登记社会组织（个）\t婚姻登记（对）\t民政事业费支出（亿元）\n"
           "2022年\t42\t5860\t218\t612\t5320\t6.85\n"
           "2023年\t45\t6120\t236\t638\t5186\t7.12\n"
           "增长（%）\t7.1\t4.4\t8.3\t4.2\t-2.5\t3.9\n")


@pytest.fixture(scope="module")
def qijiang():
    return extract(QIJIANG, "802.txt")


def test_a_row_counted_in_person_times_is_recipients_though_its_label_says_spending(qijiang):
    c = cells(qijiang)
    spent = c[(0, 3, 1)]  # 支出型（人次） | 1421
    assert (spent.value, spent.unit, spent.measure) == (Decimal(1421), "人次", "recipients")
    money = c[(0, 4, 5)]  # 救助金额 | … | 1196.4, 单位：万元 below the table
    assert (money.value, money.unit, money.measure) == (Decimal("11964000"), "元", "spending")


def test_a_row_of_rates_of_change_is_in_percent_whatever_its_columns_count(qijiang):
    c = cells(qijiang)
    beds, marriages, budget = c[(1, 3, 2)], c[(1, 3, 5)], c[(1, 3, 6)]
    assert (beds.value, beds.unit, beds.measure) == (Decimal("4.4"), "%", "share")
    assert (marriages.value, marriages.text, marriages.unit) == (Decimal("-2.5"), "-2.5", "%")
    assert (budget.value, budget.unit) == (Decimal("3.9"), "%")  # not 3.9 亿元
    assert c[(1, 2, 6)].value == Decimal("712000000")  # the year rows keep their columns' units


PUCHENG_BEDS = ["表1  2022年全县养老服务机构和床位情况",
                "类型             机构数（个）   床位数（张）   护理型床位（张）   收住老年人（人）",
                "县社会福利中心   1              220            132                168",
                "乡镇敬老院       16             1120           286                512",
                "农村幸福院       58             —              —                  —",
                "全县合计         78             1750           623                943"]


def test_a_space_aligned_row_of_dashes_is_a_table_row_not_spaced_out_prose():
    assert table_lines(PUCHENG_BEDS) == set(range(len(PUCHENG_BEDS)))
    # Through layout repair (hard wraps every 28 characters), the rows keep their own lines.
    text = "\n".join(["浦城县民政局2022年工作总结"] + wrap("　　二、养老服务体系持续完善。全县共有养老机构20家，床位1750张，"
                                                        "其中护理型床位623张，详见表1。") + PUCHENG_BEDS) + "\n"
    rec = extract_document(read_document(text.encode(), "801.txt"), "801.txt")
    c = cells(rec)
    nursing, total = c[(0, 1, 3)], c[(0, 4, 4)]  # 县社会福利中心 | … | 132 ; 全县合计 | … | 943
    assert (nursing.value, nursing.unit, nursing.measure) == (Decimal(132), "张", "count")
    assert (total.value, total.unit, total.measure) == (Decimal(943), "人", "recipients")
    assert c[(0, 3, 1)].value == Decimal(58) and (0, 3, 2) not in c


PUCHENG_FUNDS = """浦城县民政局2022年工作总结

表2  2022年社会救助资金筹集及支出情况
单位：万元
项目               上级补助   县级配套   合计
城乡低保           3512.6     673.7      4186.3
临时救助           186.0      126.6      312.6
孤儿基本生活保障   98.4                  98.4
合计               5580.8     1502.7     7083.5
"""


def test_a_funding_source_column_names_no_programme_so_the_row_or_caption_gives_it():
    c = cells(extract(PUCHENG_FUNDS, "801.txt"))
    assert label(c[(0, 1, 1)].programme) == "最低生活保障"  # 城乡低保 under 上级补助
    assert label(c[(0, 2, 1)].programme) == "临时救助"
    assert (c[(0, 3, 3)].value, label(c[(0, 3, 3)].programme)) == (Decimal(984000), "孤儿基本生活保障")
    assert label(c[(0, 4, 1)].programme) == "社会救助"  # 合计: the caption's
    assert c[(0, 1, 1)].measure == "spending"


ROW_SPANNED = """福州市民政局2022年工作总结

　　2022年，全市城市低保和农村低保标准稳步提高，各县（市、区）标准见表1，临时救助分月情况见表2。

表1 2022年各县（市、区）低保标准
单位：元/人/月
县（市、区） | 类别 | 低保标准
鼓楼区 | 城市 | 760
 | 农村 | 610
闽侯县 | 城市 | 720
 | 农村 | 590

表2 2022年临时救助分月情况
月份 | 救助人次（人次） | 救助金额（万元）
1月 | 320 | 45.6
2月份 | 280 | 38.2
"""


def test_a_place_written_once_over_two_rows_holds_for_both_and_the_category_narrows_the_programme():
    rec = extract(ROW_SPANNED, "fuzhou.txt")
    got = [(f.text, f.region.name if f.region else None, f.region.code if f.region else None, label(f.programme),
            f.measure, f.per) for f in rec.figures if f.table == 0]
    assert got == [("760", "鼓楼区", "350102", "城市最低生活保障", "standard", "人/月"),
                   ("610", "鼓楼区", "350102", "农村最低生活保障", "standard", "人/月"),
                   ("720", "闽侯县", "350121", "城市最低生活保障", "standard", "人/月"),
                   ("590", "闽侯县", "350121", "农村最低生活保障", "standard", "人/月")]
    assert "table-row-spans-rows" in rec.figures[1].decided_by
    assert "table-row-narrows-programme" in rec.figures[1].decided_by


def test_a_month_row_is_that_month_of_the_report_year():
    rec = extract(ROW_SPANNED, "fuzhou.txt")
    got = [(f.text, f.value, f.unit, f.measure, label(f.programme), str(f.period_start), str(f.period_end))
           for f in rec.figures if f.table == 1]
    assert got == [("320", 320, "人次", "recipients", "临时救助", "2022-01-01", "2022-01-31"),
                   ("45.6", Decimal("456000"), "元", "spending", "临时救助", "2022-01-01", "2022-01-31"),
                   ("280", 280, "人次", "recipients", "临时救助", "2022-02-01", "2022-02-28"),
                   ("38.2", Decimal("382000"), "元", "spending", "临时救助", "2022-02-01", "2022-02-28")]


BULLETIN = """某某市民政局2023年民政事业发展统计公报

　　2023年，全市民政事业稳步发展，主要指标见表1、表2。

表1 2023年主要民政指标
指标 | 单位 | 数值
城市低保对象 | 万人 | 1.25
城乡低保资金支出 | 亿元 | 3.2

表2 主要指标对比
指标 | 2022年 | 2023年 | 增减（%）
城市低保对象（万人） | 1.31 | 1.25 | -4.6
"""


def test_a_column_headed_unit_gives_each_row_its_unit():
    rec = extract(BULLETIN, "bulletin.txt")
    got = [(f.text, f.value, f.unit, f.measure, label(f.programme)) for f in rec.figures if f.table == 0]
    assert got == [("1.25", 12500, "人", "recipients", "城市最低生活保障"),
                   ("3.2", 320000000, "元", "spending", "最低生活保障")]
    assert all("table-unit-column" in f.decided_by and f.qualifier is None for f in rec.figures if f.table == 0)


def test_a_change_column_in_percent_is_a_share_beside_year_columns():
    rec = extract(BULLETIN, "bulletin.txt")
    got = [(f.text, f.value, f.unit, f.measure, str(f.period_start)) for f in rec.figures if f.table == 1]
    assert got == [("1.31", 13100, "人", "recipients", "2022-01-01"), ("1.25", 12500, "人", "recipients", "2023-01-01"),
                   ("-4.6", Decimal("-4.6"), "%", "share", "2023-01-01")]


TAB_SPANS = ("丹东市民政局2020年工作总结\n\n　　全市城市低保、农村低保标准稳步提高。\n\n表1 2020年各县（市、区）城乡低保和特困人员供养标准\n"
             "县（市、区）\t类别\t低保标准（元/人/月）\t特困人员供养标准（元/人/月）\n"
             "元宝区\t城市\t700\t910\n"
             "东港市\t城市\t640\t832\n"
             "\t农村\t440\t572\n"
             "凤城市\t城市\t630\t819\n"
             "\t农村\t430\t559\n")


def test_a_row_opening_with_a_tab_among_rows_that_do_not_has_an_empty_first_cell():
    rec = extract(TAB_SPANS, "dandong.txt")
    got = [(f.text, f.region.name, label(f.programme)) for f in rec.figures if f.table == 0 and f.row in (3, 5)]
    # 凤城市 | 农村: the 城市 inside the place's name is no category; 特困人员供养 stays as the report
    # writes it (it never names 农村特困人员救助供养).
    assert got == [("440", "东港市", "农村最低生活保障"), ("572", "东港市", "特困人员救助供养"),
                   ("430", "凤城市", "农村最低生活保障"), ("559", "凤城市", "特困人员救助供养")]


RECIPIENT_KINDS = """北流市民政局2023年工作总结

表1 2023年临时救助情况（单位：万元、人次）
救助对象类别        救助人次      救助金额      金额占比（%）
低保对象               3,862         412.6            38.9
特困人员                 927          98.4             9.3
其他困难群众           2,418         363.2            34.2
合计                   7,207         874.2           100.0
"""


def test_rows_of_recipient_kinds_take_the_captions_programme_and_each_column_its_listed_unit():
    rec = extract(RECIPIENT_KINDS, "beiliu.txt")
    got = [(f.text, f.value, f.unit, f.measure, label(f.programme)) for f in rec.figures if f.row == 1]
    assert got == [("3,862", 3862, "人次", "recipients", "临时救助"), ("412.6", 4126000, "元", "spending", "临时救助"),
                   ("38.9", Decimal("38.9"), "%", "share", "临时救助")]
    assert {label(f.programme) for f in rec.figures} == {"临时救助"}  # 合计 too
    assert label(rec.figures[0].group) == "低保对象"


INVENTORY = """定西市民政局2021年民政事业发展统计公报

表1 2021年末全市提供住宿的民政服务机构情况
机构类型                    机构数（个）  床位数（张）  比上年增长（%）
养老机构                        86          7,460          6.2
其中：特困人员供养服务设施      58          4,120          1.8
儿童福利机构                     2            180          —
精神卫生福利机构                 1            200          —
全市合计                        96          7,936          5.7

表2 2021年养老服务机构情况
类型             机构数（个）   床位数（张）   护理员（人）
乡镇敬老院       16             1120           48
民办养老机构     3              410            37
农村幸福院       58             —              —
"""


def test_institutions_of_several_fields_name_kinds_of_institution_and_of_one_field_that_field():
    rec = extract(INVENTORY, "dingxi.txt")
    first = [f for f in rec.figures if f.table == 0 and f.row in (1, 2, 3)]
    assert {(label(f.programme), label(f.group)) for f in first} == {(None, None)}
    assert first[0].qualifier == "养老机构" and "table-institution-inventory" in first[0].decided_by
    second = [(f.text, label(f.programme), f.measure) for f in rec.figures if f.table == 1]
    assert second == [("16", "养老服务", "count"), ("1120", "养老服务", "count"), ("48", "养老服务", "count"),
                      ("3", "养老服务", "count"), ("410", "养老服务", "count"), ("37", "养老服务", "count"),
                      ("58", "养老服务", "count")]  # 护理员: workers are counted; 农村幸福院 one more kind


CAPTION_BELOW = """南充市民政局2022年工作总结

　　各县（市、区）城乡低保和特困人员保障情况如下：

| 县（市、区） | 城乡低保对象数 | 特困人员人数 | 保障资金（亿元） |
| --- | ---: | ---: | ---: |
| 顺庆区 | 1.26万人 | 2,184人 | 1.05 |
| 全市 | 19.81万人 | 3.59万人 | 16.02 |

表2  2022年各县（市、区）社会救助兜底保障情况
注：保障资金含城乡低保资金和特困人员供养资金。

表3  2022年高龄补贴分年龄段发放情况
序号 | 年龄段 | 补贴标准（元/人/月） | 发放人数（人） | 发放金额（万元）
1 | 80—89周岁 | 50 | 112,460 | 6,747.60
2 | 90—99周岁 | 100 | 18,235 | 2,188.20

| 项目 | 单位 | 一季度 | 全年 |
| --- | --- | ---: | ---: |
| 特困人员供养资金 | 万元 | 9,826.4 | 40,811.0 |
"""


def test_a_caption_below_its_table_is_its_caption_and_not_the_next_tables():
    rec = extract(CAPTION_BELOW, "nanchong.txt")
    assert rec.tables[0].caption.startswith("表2") and rec.tables[1].caption.startswith("表3")
    first = [(f.text, label(f.programme), f.region.name) for f in rec.figures if f.table == 0 and f.row == 1]
    # 特困人员人数 and 保障资金 under a caption on 社会救助兜底保障: the caption's programme
    assert first == [("1.26万人", "最低生活保障", "顺庆区"), ("2,184人", "社会救助兜底保障", "顺庆区"),
                     ("1.05", "社会救助兜底保障", "顺庆区")]


def test_the_last_measure_word_of_a_header_is_its_head():
    rec = extract(CAPTION_BELOW, "nanchong.txt")
    got = [(f.text, f.measure) for f in rec.figures if f.table == 1 and f.row == 1]
    assert got == [("50", "standard"), ("112,460", "recipients"), ("6,747.60", "spending")]  # 发放人数: people


def test_a_group_inside_a_row_naming_a_programme_is_the_rows_group_as_in_prose():
    rec = extract(CAPTION_BELOW, "nanchong.txt")
    got = {(label(f.programme), label(f.group)) for f in rec.figures if f.table == 2}
    assert got == {("特困人员救助供养", "特困人员")}


BULLETIN_SECTIONS = ("莆田市民政局2023年民政事业发展统计公报\n\n"
                     "表1  2023年末各县（区）城乡低保和特困供养情况\n"
                     "县（区）\t城市低保对象数\t特困供养人数\t低保资金支出\n"
                     "\t人\t人\t万元\n"
                     "城厢区\t812\t486\t1,986.4\n"
                     "全市\t2,946\t6,320\t20,300.0\n\n"
                     "表2  2023年莆田市民政事业主要指标\n"
                     "指标\t单位\t2023年\t2022年\t比上年增减（%）\n"
                     "一、社会救助\n"
                     "临时救助人次\t人次\t9,842\t11,260\t-12.6\n"
                     "二、养老服务\n"
                     "养老床位数\t张\t12,460\t11,830\t5.3\n"
                     "　　其中：护理型床位数\t张\t7,102\t6,271\t13.3\n"
                     "享受高龄补贴老年人数\t万人\t4.62\t4.41\t4.8\n")


def test_a_header_row_of_units_gives_each_column_its_unit():
    rec = extract(BULLETIN_SECTIONS, "putian.txt")
    got = [(f.text, f.value, f.unit, f.measure) for f in rec.figures if f.table == 0 and f.row == 2]
    assert got == [("812", 812, "人", "recipients"), ("486", 486, "人", "recipients"),
                   ("1,986.4", 19864000, "元", "spending")]


def test_a_section_row_inside_a_table_heads_the_rows_under_it():
    rec = extract(BULLETIN_SECTIONS, "putian.txt")
    second = [f for f in rec.figures if f.table == 1]
    assert len(second) == 12  # the section rows broke nothing
    by_row = {}
    for f in second:
        by_row.setdefault(f.quote.split(" | ")[0], set()).add(label(f.programme))
    assert by_row["养老床位数"] == {"养老服务"} and by_row["其中:护理型床位数"] == {"养老服务"}
    assert by_row["临时救助人次"] == {"临时救助"}  # a row naming its own keeps it
    assert {f.group.label for f in second if f.quote.startswith("享受")} == {"老年人"}  # not 高龄补贴老年人


CONTINUED = """梨树县民政局2022年工作总结

表2  2022年全县养老机构情况
类型          机构数（个）   床位数（张）
公办          23             1,540
公建民营      4              520

续表2
类型          机构数（个）   床位数（张）
民办          10             1,060
全县合计      37             3,120
"""


def test_a_continued_table_takes_the_caption_of_the_table_it_continues():
    rec = extract(CONTINUED, "lishu.txt")
    assert [t.caption for t in rec.tables] == ["表2 2022年全县养老机构情况"] * 2
    assert {label(f.programme) for f in rec.figures} == {"养老服务"}


NOTES_AND_INSTITUTIONS = """汉中市民政局2022年工作总结

表2 2022年高龄补贴分年龄段发放情况
| 年龄段 | 补贴标准（元/人/月） | 享受人数（人） | 发放金额 |
| 80—89周岁 | 50 | 52,860 | 3,171.6 |
| 90—99周岁 | 100 | 8,126 | 975.12 |
注：1.发放金额单位为万元。
2.享受人数为年末在册人数。

表3 2022年养老机构情况
类型\t机构数（个）\t床位数（张）
乡镇福利院\t18\t1,620
医养结合机构\t4\t620

表4 2021年各旗区民政主要指标
旗区\t低保对象（人）\t养老机构（个）
东胜区\t3,215\t18
达拉特旗\t1,586\t12
"""


def test_a_note_under_a_table_can_give_a_columns_unit():
    rec = extract(NOTES_AND_INSTITUTIONS, "hanzhong.txt")
    got = [(f.text, f.value, f.unit, f.measure) for f in rec.figures if f.table == 0 and f.column == 3]
    assert got == [("3,171.6", 31716000, "元", "spending"), ("975.12", 9751200, "元", "spending")]
    assert "table-note-unit" in [f for f in rec.figures if f.table == 0 and f.column == 3][0].decided_by


def test_an_institution_named_after_its_programme_keeps_it_and_a_column_of_institutions_names_none():
    rec = extract(NOTES_AND_INSTITUTIONS, "hanzhong.txt")
    rows = {f.quote.split(" | ")[0]: label(f.programme) for f in rec.figures if f.table == 1}
    assert rows == {"乡镇福利院": "养老服务", "医养结合机构": "医养结合"}
    assert {label(f.programme) for f in rec.figures if f.table == 2 and f.column == 2} == {None}


def test_a_cell_reading_the_caption_does_not_change_how_the_next_cell_is_narrowed():
    # The first cell's count (保障人数) takes the caption's programme; the next cell's 低保标准 is
    # narrowed by its row's 城市. A name reused between the two once made the second raise TypeError.
    text = ("某市民政局2022年工作总结\n\n　　全市城市低保、农村低保标准稳步提高。\n\n表1 2022年城乡低保情况\n"
            "地区 | 类别 | 保障人数（人） | 低保标准（元/人/月）\n全市 | 城市 | 1,200 | 700\n全市 | 农村 | 3,400 | 520\n")
    rec = extract(text, "x.txt")
    assert [(f.text, label(f.programme)) for f in rec.figures] == [
        ("1,200", "城市最低生活保障"), ("700", "城市最低生活保障"), ("3,400", "农村最低生活保障"), ("520", "农村最低生活保障")]


# Shapes of the fourteenth and fifteenth batches (tests/table-reports-9, -10).

CHANGES = """某县民政局2023年工作总结

全县民政主要指标与上年对比见表1。

表1 2022—2023年民政主要指标对比
指标\t2022年\t2023年\t增减
城市低保标准（元/人/月）\t760\t800\t+40
农村低保对象（人）\t12,406\t11,934\t-472
社会救助资金支出（万元）\t9,812\t10,246\t＋434
"""


def test_a_change_column_written_with_signs_is_read_in_its_rows_unit_and_measure():
    rec = extract(CHANGES, "changes.txt")
    got = [(f.text, f.value, f.unit, f.measure) for f in rec.figures if f.table == 0 and f.column == 3]
    assert got == [("+40", 40, "元", "standard"), ("-472", -472, "人", "recipients"),
                   ("+434", 4340000, "元", "spending")]  # full-width ＋ is normalised


def test_a_web_tables_cells_that_carry_their_units_are_data_not_header_rows():
    # 850元/人·月 is no bare number, but a reader sees a data row: only the first row heads the table.
    page = ("<html><body><p>某市民政局2023年工作总结</p><p>表2 2023年社会救助保障情况</p><table>"
            "<tr><th>救助项目</th><th>保障标准</th><th>保障对象</th><th>全年支出</th></tr>"
            "<tr><td>城市低保</td><td>850元/人·月</td><td>2,954人</td><td>2,968.3万元</td></tr>"
            "<tr><td>农村低保</td><td>660元/人·月</td><td>1.79万人</td><td>1.42亿元</td></tr>"
            "</table></body></html>")
    rec = extract_document(read_document(page.encode("utf-8"), "page.html"), "page.html")
    (t,) = rec.tables
    assert t.header_rows == 1
    got = [(f.value, f.unit, f.per, f.measure, label(f.programme)) for f in rec.figures if f.table == 0]
    assert got == [(850, "元", "人/月", "standard", "城市最低生活保障"), (2954, "人", None, "recipients", "城市最低生活保障"),
                   (29683000, "元", None, "spending", "城市最低生活保障"),
                   (660, "元", "人/月", "standard", "农村最低生活保障"), (17900, "人", None, "recipients", "农村最低生活保障"),
                   (142000000, "元", None, "spending", "农村最低生活保障")]



CHILDREN = """某市民政局2024年工作总结

全年发放孤儿和事实无人抚养儿童基本生活费961.4万元，见表2。

表2 2024年儿童基本生活保障情况
类别\t保障方式\t人数（人）\t基本生活费标准（元/人/月）
孤儿\t集中供养\t38\t2,180
\t社会散居\t126\t1,640
事实无人抚养儿童\t\t312\t1,640
"""


def test_a_column_headed_manner_of_provision_qualifies_its_rows_and_names_no_programme():
    rec = extract(CHILDREN, "children.txt")
    got = [(f.text, label(f.programme), label(f.group), f.qualifier) for f in rec.figures if f.table == 0]
    assert got == [("38", "儿童基本生活保障", "孤儿", "集中供养"), ("2,180", "儿童基本生活保障", "孤儿", "集中供养"),
                   ("126", "儿童基本生活保障", "孤儿", "社会散居"), ("1,640", "儿童基本生活保障", "孤儿", "社会散居"),
                   ("312", "儿童基本生活保障", "事实无人抚养儿童", None),
                   ("1,640", "儿童基本生活保障", "事实无人抚养儿童", None)]


def test_a_web_tables_unmerged_spanning_header_heads_the_columns_under_its_blank_neighbour():
    # The header cell over 人数 | 金额 left unmerged, a blank cell beside it: as in a text table,
    # the blank continues the name on its left, so 金额 is that subsidy's money, not the pair's.
    page = ("<html><body><p>某市民政局2022年工作总结</p><p>全年发放残疾人两项补贴3742.12万元。</p>"
            "<p>表2 2022年各区（县）残疾人两项补贴发放情况</p><table>"
            "<tr><td>区（县）</td><td>困难残疾人生活补贴</td><td></td><td>重度残疾人护理补贴</td><td></td></tr>"
            "<tr><td></td><td>人数（人）</td><td>金额（万元）</td><td>人数（人）</td><td>金额（万元）</td></tr>"
            "<tr><td>碧江区</td><td>3,126</td><td>131.29</td><td>4,085</td><td>196.08</td></tr>"
            "</table></body></html>")
    rec = extract_document(read_document(page.encode("utf-8"), "page.html"), "page.html")
    got = [(f.text, f.unit, f.measure, label(f.programme)) for f in rec.figures if f.table == 0]
    assert got == [("3,126", "人", "recipients", "困难残疾人生活补贴"), ("131.29", "元", "spending", "困难残疾人生活补贴"),
                   ("4,085", "人", "recipients", "重度残疾人护理补贴"), ("196.08", "元", "spending", "重度残疾人护理补贴")]


MONTHS_AND_PARTS = """某区民政局2024年上半年工作总结

上半年共实施临时救助1037人次，分月情况如下：

表2 2024年1—6月临时救助实施情况
单位：人次；元
月份 | 救助人次 | 其中：急难型 | 救助金额
1月 | 168 | 41 | 402,350
2月 | 213 | 57 | 538,900

表3 2022年全市社会救助主要指标
项目 | 保障人数（人、人次） | 比上年增减（人、人次） | 资金支出（万元） | 比上年增减（%）
城市低保 | 19,632 | -1,214 | 16,880.5 | -2.3
农村低保 | 95,168 | 2,856 | 36,719.2 | 8.6
"""


def test_a_part_or_a_signed_change_of_the_column_on_its_left_counts_in_its_unit():
    rec = extract(MONTHS_AND_PARTS, "parts.txt")
    c = cells(rec)
    # 其中：急难型: of the 救助人次 before it (the unit line lists one unit for two columns)
    assert [(c[(0, r, 2)].value, c[(0, r, 2)].unit) for r in (1, 2)] == [(41, "人次"), (57, "人次")]
    assert (c[(0, 1, 3)].value, c[(0, 1, 3)].unit) == (402350, "元")
    assert "table-part-of-left-column" in c[(0, 1, 2)].decided_by
    # 比上年增减 in signed numbers, its unit only a list: the change of 保障人数
    assert [(c[(1, r, 2)].value, c[(1, r, 2)].unit, c[(1, r, 2)].measure) for r in (1, 2)] == [
        (-1214, "人", "recipients"), (2856, "人", "recipients")]
    assert (c[(1, 1, 4)].value, c[(1, 1, 4)].unit) == (Decimal("-2.3"), "%")


INSTITUTIONS_FOR_THE_OLD = """某市民政局2022年民政事业发展统计公报

表1 2022年末全市养老服务机构、床位及在院老年人情况
类别\t机构数（个）\t床位数（张）\t年末在院人数（人）
公办养老机构\t34\t4,862\t2,318
民办养老机构\t45\t6,972\t4,385
"""


def test_a_count_of_institutions_or_beds_takes_no_group_from_the_caption():
    rec = extract(INSTITUTIONS_FOR_THE_OLD, "old.txt")
    got = {(f.column, f.measure, label(f.group)) for f in rec.figures if f.table == 0}
    assert got == {(1, "count", None), (2, "count", None), (3, "recipients", "老年群体")}  # 老年人's concept


# Shapes of batches 20 and 21 (tests/table-reports-15, -16).

NAMED_UNITS = """某县民政局2024年工作总结

表1  2024年高龄津贴发放情况
单位：发放标准为元/人·月，享受人数为人，发放金额为万元
年龄段           发放标准    享受人数    发放金额
80—84周岁        30          5,912       212.8
85—89周岁        60          3,768       271.3
"""


def test_a_unit_line_naming_each_columns_unit_gives_each_column_its_own():
    # Once a TypeError-like crash (a unit list with a part that is no unit): the report was skipped.
    rec = extract(NAMED_UNITS, "named.txt")
    got = [(f.column, f.value, f.unit, f.per, f.measure) for f in rec.figures if f.table == 0 and f.row == 1]
    assert got == [(1, 30, "元", "人/月", "standard"), (2, 5912, "人", None, "recipients"),
                   (3, 2128000, "元", None, "spending")]


LISTED_IN_A_NOTE = """某市民政局2023年工作总结

表1  2023年各县（市、区）城乡低保和特困人员基本生活标准
县（市、区） | 城市低保 | 农村低保 | 城市特困供养 | 农村特困供养
桃城区 | 840 | 6,300 | 1,092 | 8,190
冀州区 | 810 | 6,120 | 1,053 | 7,956
注：城市低保、城市特困供养标准单位为元/人·月，农村低保、农村特困供养标准单位为元/人·年。
"""


def test_a_note_listing_columns_gives_each_listed_column_the_unit_and_a_caption_group_stays_with_the_caption():
    rec = extract(LISTED_IN_A_NOTE, "listed.txt")
    got = [(f.column, f.value, f.unit, f.per, label(f.group)) for f in rec.figures if f.table == 0 and f.row == 1]
    assert got == [(1, 840, "元", "人/月", None), (2, 6300, "元", "人/年", None),
                   (3, 1092, "元", "人/月", None), (4, 8190, "元", "人/年", None)]


CAPTION_WITH_A_TAB = """某区民政局2023年社会救助统计

二、分季度救助情况

表1\t2023年分季度社会救助情况
季度\t低保户数（户）\t低保人数（人）\t次均救助（元）
第一季度\t1,498\t2,431\t1,500
第二季度\t1,521\t2,460\t1,520
"""


def test_a_caption_written_with_the_tables_tab_is_its_caption_and_a_header_word_is_not_cut_into_a_group():
    rec = extract(CAPTION_WITH_A_TAB, "tab.txt")
    (t,) = rec.tables
    assert t.caption == "表1 2023年分季度社会救助情况" and t.rows[0][1] == "低保户数(户)"
    got = [(f.column, label(f.programme), label(f.group), f.measure, f.per) for f in rec.figures if f.row == 1]
    assert got == [(1, "最低生活保障", None, "recipients", None), (2, "最低生活保障", None, "recipients", None),
                   (3, "社会救助", None, "standard", "人次")]  # 低保户数: 低保 and 户数; 次均救助: per case


WELFARE_AND_CARE_INSTITUTIONS = """某盟民政局2022年民政事业发展统计公报

表2  2022年末全盟社会福利和养老机构情况
机构类型 | 机构数（个） | 床位数（张） | 年末在院人数（人）
养老机构 | 86 | 7,420 | 4,315
儿童福利机构 | 2 | 260 | 118
精神卫生福利机构 | 1 | 300 | 236
光荣院 | 3 | 180 | 97
合计 | 92 | 8,160 | 4,766
"""


def test_an_inventory_under_a_caption_naming_institutions_gives_no_programme():
    rec = extract(WELFARE_AND_CARE_INSTITUTIONS, "inventory.txt")
    assert {label(f.programme) for f in rec.figures if f.table == 0} == {None}
