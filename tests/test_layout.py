"""Layout repair on text shaped like a PDF's: wraps, running headers, page numbers, 公文 furniture."""
from __future__ import annotations

from datetime import date

import pytest

from kg.read.document import read_document
from kg.read.layout import PAGE_NUMBER, repair
from kg.records import Document, Table

PARAGRAPHS = [
    "一、社会救助",
    "全年累计发放城乡低保金3.46亿元，同比增长4.3%，其中城市低保金1.2亿元、农村低保金2.26亿元，惠及困难群众12.5万人。",
    "城市低保标准由每人每月580元提高到每人每月610元，农村低保标准由每人每年4800元提高到每人每年5200元，均高于省定标准。",
    "二、养老服务",
    "（一）居家养老",
    "新建社区养老服务中心12个、农村互助养老点86个，为特殊困难老年人家庭适老化改造560户，每户补助3000元左右，惠及老年人4.6万人次。",
    "1.高龄津贴。全年为80周岁以上老年人发放高龄津贴1186万元，惠及老年人2.3万人，其中百岁老人每人每月500元。",
    "2.养老机构。全市养老机构37家、床位4260张，护理型床位占比达到42.96%，全年培训养老护理员320人次。",
]


def pasted(paragraphs, width=20, per_page=9, header="某某市民政局2023年工作总结", number="— {} —"):
    """Paragraphs as a PDF viewer's copy gives them: wrapped every ``width`` characters,
    a running header on top of each page and a page number at its foot."""
    lines = []
    for p in paragraphs:
        lines += [p[i:i + width] for i in range(0, len(p), width)]
    out, page = [], 1
    for i in range(0, len(lines), per_page):
        out += [header] + lines[i:i + per_page] + [number.format(page)]
        page += 1
    return "\n".join(out) + "\n"


def _fixed(text: str, name="pasted.txt"):
    doc = read_document(text.encode("utf-8"), name)
    return doc, repair(doc)


@pytest.mark.parametrize("number", ["— {} —", "-{}-", "第{}页 共4页", "{}/4", "- {} -"])
def test_pasted_pdf_text_becomes_its_paragraphs_again(number):
    text = pasted(PARAGRAPHS, number=number)
    doc, fixed = _fixed(text)
    assert fixed.changed
    assert fixed.text == "\n".join(PARAGRAPHS) + "\n"


def test_figures_split_by_a_wrap_or_a_page_break_are_whole_again():
    text = pasted(PARAGRAPHS)
    split = ["12.5万人", "4260张", "2.3万人"]
    assert not any(figure in text for figure in split)  # the wraps of this shape fall inside them
    _, fixed = _fixed(text)
    for figure in split + ["3.46亿元", "由每人每月580元", "1186万元", "42.96%，"]:
        assert figure in fixed.text
    # The issue's own three: a wrap after the decimal point, before the unit, inside a rate.
    lines = ["全年累计发放城乡低保金2860.5万元，惠及困难群众12.",
             "5万人，全年累计支出各类临时救助资金合计达3.46亿",
             "元，全市城市低保标准由每人每月580元提高到由每",
             "人每月610元，农村低保标准提高到每人每年5200元。"]
    text = "\n".join(["某某市民政局"] + lines * 3 + ["— 1 —"]) + "\n"
    assert "12.\n5万人" in text and "3.46亿\n元" in text and "由每\n人每月610元" in text
    _, fixed = _fixed(text)
    for figure in ("12.5万人", "3.46亿元", "由每人每月610元"):
        assert figure in fixed.text


def test_a_number_cut_at_its_decimal_point_is_whole_even_where_digits_make_the_line_look_short():
    # Wrapped by characters, not by width: a line with many (narrow) digits stands short of the
    # measure, but no line of prose ends on a decimal point.
    lines = ["　　（一）低保提标扩面。城乡低保标准由每人每月720元提",
             "高到每人每月760元，实现城乡统筹。截至12月底，全县在",
             "册低保对象3615户5972人，全年发放低保金4186.",
             "3万元。全年新增低保对象412人，低保边缘家庭纳入监测范",
             "围1046户。深化社会救助领域群众身边腐败和作风问题专项",
             "整治，对全县低保对象开展全覆盖排查，清退不符合条件对象1",
             "27户。"]
    prose = "持续深化社会救助领域群众身边腐败和作风问题专项整治，健全完善困难群众动态监测机制和主动发现机制，" * 3
    wrapped = [prose[i: i + 28] for i in range(0, len(prose), 28)]  # 28 characters a line, as a PDF's measure
    text = "\n".join(["某某县民政局2022年工作总结"] + lines + wrapped + ["— 1 —"]) + "\n"
    _, fixed = _fixed(text)
    assert "低保金4186.3万元" in fixed.text and "对象127户" in fixed.text


def test_each_repaired_character_maps_to_the_same_character_of_the_pasted_text():
    text = pasted(PARAGRAPHS)
    _, fixed = _fixed(text)
    assert len(fixed.offsets) == len(fixed.text) + 1
    for i, c in enumerate(fixed.text):
        if c != "\n":
            assert text[fixed.offsets[i]] == c
    start = fixed.text.index("12.5万人")
    s, e = fixed.original(start, start + len("12.5万人"))
    assert "\n" in text[s:e] and text[s:e].replace("\n", "") == "12.5万人"  # it spans the wrap


def test_headings_list_items_and_table_rows_are_never_joined():
    text = pasted(PARAGRAPHS)
    _, fixed = _fixed(text)
    lines = fixed.text.split("\n")
    for heading in ("一、社会救助", "二、养老服务", "（一）居家养老"):
        assert heading in lines
    assert any(line.startswith("1.高龄津贴") for line in lines)
    rows = "地区 | 人数 | 标准\n临湘市 | 735 | 590\n"
    body = "全县城乡低保保障情况如下表所列，各乡镇（街道）保障人数和标准见下表中各行数"
    doc = Document(body + "\n" + rows + body + "\n", "pdf", "pdf",
                   tables=(Table(len(body) + 1, len(body) + len(rows), (("地区", "人数", "标准"), ("临湘市", "735", "590")),
                                 row_starts=(len(body) + 1, len(body) + 1 + 12)),))
    assert rows in repair(doc).text


def test_a_running_header_is_dropped_only_where_it_repeats_at_page_edges():
    text = pasted(PARAGRAPHS, header="苍溪县民政局 工作总结")
    _, fixed = _fixed(text)
    assert "苍溪县民政局 工作总结" not in fixed.text
    assert fixed.dropped["running header or footer"] == text.count("苍溪县民政局 工作总结")


def test_page_number_forms():
    for line in ("— 3 —", "-3-", "- 12 -", "第3页 共10页", "第 3 页", "3/10", "Page 3 of 9", "·3·"):
        assert PAGE_NUMBER.match(line), line
    for line in ("3.46亿元", "2023年", "一、社会救助", "-3.5%", "第3季度"):
        assert not PAGE_NUMBER.match(line), line


def test_gongwen_furniture_becomes_metadata_and_leaves_the_text():
    paragraphs = ["某某市民政局文件", "某民发〔2024〕12号", "某某市民政局关于2023年工作情况的报告"] + PARAGRAPHS + [
        "某某市民政局", "2024年1月8日", "抄送：市委办公室，市人大常委会办公室，市政府办公室。",
        "某某市民政局办公室 2024年1月10日印发"]
    text = pasted(paragraphs, header="某某市民政局")
    _, fixed = _fixed(text)
    assert fixed.doc_number == "某民发〔2024〕12号"
    assert fixed.issued == date(2024, 1, 10)
    assert fixed.issuer == "某某市民政局"
    for gone in ("文件", "〔2024〕", "抄送", "印发"):
        assert gone not in fixed.text
    assert "某某市民政局关于2023年工作情况的报告" in fixed.text and "2024年1月8日" in fixed.text


def test_the_signature_date_is_the_date_of_issue_without_a_printing_line():
    _, fixed = _fixed("\n".join(PARAGRAPHS + ["某某市民政局", "2024年1月8日"]) + "\n")
    assert fixed.issued == date(2024, 1, 8) and not fixed.changed


def test_prose_reports_and_word_paragraphs_are_left_alone():
    text = "\n".join(PARAGRAPHS) + "\n"
    doc, fixed = _fixed(text)
    assert fixed.text == text and not fixed.changed
    word = Document(text, "docx", "docx")
    assert repair(word).text == text
