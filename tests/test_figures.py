from decimal import Decimal

import pytest

from kg.nlp.figures import find_figures
from kg.nlp.normalize import normalize
from kg.vocab.ontology import load_lexicon

from seedtext import seed_line


@pytest.fixture(scope="module")
def lex():
    return load_lexicon()


def figs(text, lex):
    return [(f.text, f.unit, f.value, f.per) for f in find_figures(normalize(text).text, lex)]


def test_wan_and_yi_are_exact_base_units(lex):
    assert figs("共发放城市低保208.9万元", lex) == [("208.9万元", "元", Decimal("2089000"), None)]
    assert figs("累计发放资金5.27亿元", lex) == [("5.27亿元", "元", Decimal("527000000"), None)]


def test_bare_wan_before_a_group_counts_people(lex):
    (f,) = find_figures("保障困难群众58.4298万困难群众", lex)
    assert (f.value, f.unit) == (Decimal("584298"), "人")


def test_rates_carry_what_they_are_per(lex):
    assert figs("每人每月900元", lex)[0][3] == "人/月"
    assert figs("护理补贴810元/人/月", lex)[0][3] == "人/月"
    assert figs("人均救助1904.2元/人次", lex)[0][3] == "人次"


def test_adjustment_from_old_to_new_is_one_figure_with_a_previous_value(lex):
    line = seed_line("000", "630元/月")
    out = [f for f in find_figures(normalize(line).text, lex) if f.unit == "元" and f.per == "月"]
    assert (out[0].text, out[0].value, out[0].previous) == ("670元/月", Decimal("670"), Decimal("630"))


def test_raise_from_x_to_y_keeps_the_per_of_the_old_value(lex):
    (f,) = find_figures("标准由每人每月2002元提高到2124元", lex)
    assert (f.value, f.previous, f.per) == (Decimal("2124"), Decimal("2002"), "人/月")


def test_fenbie_gives_one_figure_per_item_with_the_shared_rate(lex):
    out = find_figures("城市、农村低保标准分别提高到每人每月800元、600元", lex)
    assert [(f.value, f.per) for f in out] == [(Decimal("800"), "人/月"), (Decimal("600"), "人/月")]


def test_redacted_figures_have_no_value(lex):
    (f,) = find_figures("使用资金XX万元", lex)
    assert f.redacted and f.value is None and f.unit == "元"


def test_chinese_numerals_and_approximation(lex):
    (f,) = find_figures("覆盖两万余人", lex)
    assert (f.value, f.unit, f.approximate) == (Decimal("20000"), "人", True)


@pytest.mark.parametrize("text", ["1-6月共办理", "十四五期间", "建设5G基站", "拨打12345热线", "〔2020〕43号文件",
                                  "第五批试点", "2020年工作总结", "4月1日起"])
def test_dates_ordinals_document_numbers_and_names_are_not_figures(lex, text):
    assert find_figures(text, lex) == []


def test_percent_and_lower_bounds(lex):
    (p,) = find_figures("占比84.48%", lex)
    assert (p.value, p.unit) == (Decimal("84.48"), "%")
    (b,) = find_figures("不少于3个", lex)
    assert b.approximate and b.value == 3


def test_per_capita_provision_is_per_thousand_people(lex):
    (f,) = find_figures("每千名老年人拥有养老床位60张", lex)
    assert (f.value, f.unit, f.per) == (Decimal("60"), "张", "千人")


def test_age_thresholds_are_approximate_figures(lex):
    (f,) = find_figures("60岁以上老年人", lex)
    assert f.approximate and f.value == 60


def test_every_figure_in_a_traditional_seed_line_maps_back_to_the_original(lex):
    line = seed_line("000", "208.9")
    n = normalize(line)
    spans = [line[slice(*n.original_span(f.start, f.end))] for f in find_figures(n.text, lex)]
    assert "208.9萬元" in spans and "670元/月" in spans


def test_a_range_states_two_figures_but_a_month_range_none(lex):
    out = find_figures("为户籍60-80周岁的48981名老年人", lex)
    assert [(f.value, f.unit) for f in out] == [(Decimal("60"), "岁"), (Decimal("80"), "岁"), (Decimal("48981"), "人")]
    assert find_figures("1-6月共办理", lex) == []


def test_a_count_of_counties_is_a_figure_but_a_hidden_county_name_is_not():
    # 002: 全市13县(市、区)都建成…; a redacted copy writes XX县民政局.
    from kg.nlp.pipeline import extract

    figs = extract("2020年工作总结\n全市13县(市、区)都建成护理型中心敬老院,XX县民政局发放资金XX万元。", "x.txt").figures
    assert [(f.text, f.value, f.unit, f.redacted) for f in figs] == [
        ("13县", 13, "个", False), ("XX万元", None, "元", True)]


@pytest.mark.parametrize("text, expected", [
    ("利用三年时间完成改造。", [("三年", 3, "年", False)]),   # 002
    ("近5年来累计投入。", [("近5年", 5, "年", True)]),
    ("2020年完成。", []),                                  # a date
    ("20XX年度工作总结", []),                              # a hidden year
    ("庆祝建党百年。", []),
    ("持续推进敬老院提升改造三年工作计划。", []),            # 003: a plan's name
    ("1-3年级", []),
    ("附件：1.2022年全县养老服务机构和床位情况", []),     # a list item's number before a year
    ("服务期限延长1.5年。", [("1.5年", 1.5, "年", False)]),
])
def test_a_span_of_years_is_a_figure_and_a_date_is_not(text, expected):
    from kg.nlp.pipeline import extract

    figs = extract("2020年工作总结\n" + text, "x.txt").figures
    assert [(f.text, f.value, f.unit, f.approximate) for f in figs] == expected
    assert all(f.measure == "other" for f in figs)


def test_hundred_alone_is_an_idiom_unless_approximate():
    from kg.nlp.pipeline import extract

    figs = extract("2020年工作总结\n为百岁老人发放补贴,组织近百名社工参加培训。", "x.txt").figures
    assert [(f.text, f.value) for f in figs] == [("近百名", 100)]


def test_parallel_old_and_new_values_pair_up_in_order():
    from kg.nlp.pipeline import extract

    figs = extract("2021年工作总结\n城市、农村低保标准分别由每人每月980元、790元提高到1030元、840元。", "x.txt").figures
    assert [(f.text, f.value, f.previous, f.per) for f in figs] == [
        ("1030元", 1030, 980, "人/月"), ("840元", 840, 790, "人/月")]


def test_a_table_row_flattened_to_labelled_cells_keeps_its_figures(lex):
    # Tables pasted as text: 户数：1,234户 is a figure; a clock time or a code is not.
    row = "项目：城市低保｜户数：1,234户｜人数：2,345人｜金额：1,234.5万元"
    assert [(t, v) for t, _, v, _ in figs(row, lex)] == [
        ("1,234户", Decimal("1234")), ("2,345人", Decimal("2345")), ("1,234.5万元", Decimal("12345000"))]
    assert figs("会议于10:30召开,编号NO:12个", lex) == []


def test_a_web_pages_own_counters_are_not_figures(lex):
    assert figs("发布时间：2024-01-05 浏览次数：1234次 字号：大 中 小", lex) == []
    assert figs("访问量:345次", lex) == []


def test_trusts_filed_are_counted_in_dan_and_organisations_in_danwei(lex):
    # 备案慈善信托18单 (a blind report); 单 does not cut 单位 in two
    assert [(t, u) for t, u, _, _ in figs("备案慈善信托18单、信托财产规模1.36亿元", lex)] == [("18单", "笔"), ("1.36亿元", "元")]
    assert [(t, u) for t, u, _, _ in figs("共15单位参与", lex)] == [("15单位", "个")]


def test_money_per_bed_or_per_meal_is_a_rate(lex):
    # a blind report: 对新增养老床位给予每张床位1万元的建设补贴; 困难老年人每餐补贴标准为5元
    assert figs("对新增养老床位给予每张床位1万元的建设补贴", lex)[0][3] == "张"
    assert figs("困难老年人每餐补贴标准为5元", lex)[0][3] == "餐"


def test_working_days_percentage_points_and_remains_are_units(lex):
    # blind reports: 审核确认时限压缩至20个工作日; 比上年提高1.6个百分点; 撒海骨灰168具
    assert [(t, u) for t, u, _, _ in figs("审核确认时限压缩至20个工作日", lex)] == [("20个工作日", "工作日")]
    assert [(t, u) for t, u, _, _ in figs("比上年提高1.6个百分点", lex)] == [("1.6个百分点", "百分点")]
    assert [(t, u) for t, u, _, _ in figs("上半年组织海葬撒海骨灰168具", lex)] == [("168具", "具")]
    (f,) = find_figures(normalize("平均办理时限由15个工作日压缩至8个工作日").text, lex)
    assert (f.text, f.previous) == ("8个工作日", Decimal("15"))


def test_a_numbered_rule_or_slogan_is_not_a_count(lex):
    assert figs("深入贯彻中央八项规定精神", lex) == []
    assert figs("严格落实过渡期内“四个不摘”要求", lex) == []


def test_runs_rounds_and_establishment_visits_are_counts(lex):
    # 浦城县 2022 / 邢台市 2019 / 綦江区 2023 (tests/table-reports-3)
    got = {(text, unit) for text, unit, _, _ in figs("举办社会救助业务培训班12期，全年开展养老机构安全隐患排查整治4轮，"
                                         "全年检查养老机构180家次。", lex)}
    assert got == {("12期", "期"), ("4轮", "轮"), ("180家次", "家次")}


def test_the_docs_figure_and_entity_spans_are_spacys_char_spans():
    """The pipeline's Doc has one token per character; its spans, made without spaCy's
    offset search, are the ones ``doc.char_span`` gives."""
    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp()
    doc = nlp("2021年工作总结\n路桥区民政局为城市低保对象1200人发放低保金208.9万元,每人每月980元。")
    assert [s.text for s in doc.spans["figures"]] == ["1200人", "208.9万元", "每人每月980元"]
    assert "路桥区民政局" in [s.text for s in doc.spans["entities"]]
    for key in ("figures", "entities"):
        for s in doc.spans[key]:
            same = doc.char_span(s.start_char, s.end_char, label=s.label_, alignment_mode="expand")
            assert (s.start, s.end, s.label_) == (same.start, same.end, same.label_)


def test_the_char_tokenizer_gives_one_token_per_character_as_words_would():
    """CharTokenizer hands spaCy string ids, not strings: the tokens are those of the words."""
    from spacy.tokens import Doc

    from kg.nlp.pipeline import build_nlp

    nlp = build_nlp()
    for text in ("路桥区民政局 发放低保金208.9万元。\n", "區(qū)民政局\t新字𠀀", ""):
        ours, words = nlp.make_doc(text), Doc(nlp.vocab, words=list(text), spaces=[False] * len(text))
        assert ours.text == text
        assert [(t.orth_, t.idx, t.is_space) for t in ours] == [(t.orth_, t.idx, t.is_space) for t in words]
