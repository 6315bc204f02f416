from decimal import Decimal

import pytest

from kg.nlp.numbers import parse_chinese, parse_number


@pytest.mark.parametrize("s,v", [("两万", 20000), ("一千二百三十四", 1234), ("十", 10), ("十五", 15),
                                 ("三百零五", 305), ("一亿二千万", 120000000)])
def test_chinese_numerals(s, v):
    assert parse_chinese(s) == v


@pytest.mark.parametrize("num,mult,v", [("208.9", "万", "2089000"), ("5.27", "亿", "527000000"),
                                        ("58.4298", "万", "584298"), ("0.14", "万", "1400"), ("670", "", "670")])
def test_multipliers_are_exact_decimals(num, mult, v):
    assert parse_number(num, mult) == Decimal(v)
