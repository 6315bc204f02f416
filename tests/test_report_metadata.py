from datetime import date

from kg.nlp.normalize import normalize
from kg.nlp.report import period_of, title_of

from seedtext import seed


def text(prefix):
    return normalize(seed(prefix)).text


def test_first_half_summary_with_the_shang_nian_typo_is_january_to_june():
    assert period_of("2020年上年工作总结\n今年以来") == (date(2020, 1, 1), date(2020, 6, 30))


def test_a_redacted_year_title_with_a_next_year_plan_is_the_year_before():
    assert period_of("20XX年工作总结和2024年工作计划\n") == (date(2023, 1, 1), date(2023, 12, 31))


def test_titles_skip_header_junk():
    t = title_of(text("002"))
    assert "工作总结" in t and not t.startswith("来源")


def test_the_traditional_seed_covers_2020():
    assert period_of(text("002")) == (date(2020, 1, 1), date(2020, 12, 31))


def test_the_publisher_takes_its_fullest_name_and_keeps_the_header_one_as_alias():
    from kg.nlp.pipeline import extract

    rec = extract(seed("003"), "003.txt")
    assert rec.publisher == "路桥区民政局" and "区民政局" in rec.publisher_aliases
    assert (rec.region.name, rec.region.code, rec.region.parent.name) == ("路桥区", "331004", "台州市")


def test_a_source_line_names_the_publisher_of_a_traditional_report():
    from kg.nlp.pipeline import extract

    rec = extract(seed("002"), "002.txt")
    assert rec.publisher == "吕梁市民政局" and rec.region.name == "吕梁市"


def test_month_ranges_and_chinese_numeral_years_in_titles():
    assert period_of("2021年1-9月工作总结\n") == (date(2021, 1, 1), date(2021, 9, 30))
    assert period_of("2022年1至11月民政工作总结\n") == (date(2022, 1, 1), date(2022, 11, 30))
    assert period_of("二〇二二年工作总结\n") == (date(2022, 1, 1), date(2022, 12, 31))
