"""Chinese and Arabic numerals to exact decimals.

The numeral tables stay here, not in kg/resources: they are grammar, not vocabulary. Each
character carries the value the parser computes with (三百二十一 = 3×100 + 2×10 + 1), the class is
closed, and nothing about welfare or a report's wording could add to it; a word list is looked up,
these are calculated with (tests/test_word_lists.py names them as its exceptions)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000,
               "百万": 1_000_000, "千万": 10_000_000, "万亿": 10**12}
CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def parse_chinese(s: str) -> int:
    """``两万`` → 20000, ``三百二十一`` → 321, ``十五`` → 15, ``百`` → 100.

    Raises ValueError on anything that is not a well-formed numeral.
    """
    if not s or any(c not in CN_CHARS for c in s):
        raise ValueError(f"not a Chinese numeral: {s!r}")
    total, section, digit = 0, 0, None
    for c in s:
        if c in DIGITS:
            if digit is not None and digit != 0 and DIGITS[c] != 0:
                # 一二三 (a run of digits) is a digit string, e.g. 二〇二〇
                digit = digit * 10 + DIGITS[c]
            else:
                digit = DIGITS[c] if digit in (None, 0) else digit * 10 + DIGITS[c]
        elif c in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[c]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            if section == 0:
                section = 1
            total = (total + section) * BIG_UNITS[c] if BIG_UNITS[c] > 10_000 else total + section * BIG_UNITS[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_number(num: str, multiplier: str = "") -> Decimal:
    """A numeral as written plus an optional 万/亿 multiplier, exactly.

    ``208.9`` + ``万`` → 2089000; ``5.27`` + ``亿`` → 527000000; ``1,234`` → 1234.
    """
    num = num.replace(",", "").replace("，", "")
    try:
        value = Decimal(num)
    except InvalidOperation:
        value = Decimal(parse_chinese(num))
    if multiplier:
        value *= MULTIPLIERS[multiplier]
    # Normalise 2089000.0 → 2089000 but keep real fractions (84.48).
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def parse_chinese_strict(s: str) -> int:
    """Like parse_chinese, but only for quantities: two digits in a row (十四五,
    唯一一, 二〇二〇) are a name, a word or a year, never a count."""
    for a, b in zip(s, s[1:]):
        if a in DIGITS and b in DIGITS and DIGITS[a] != 0:
            raise ValueError(f"not a quantity: {s!r}")
    return parse_chinese(s)
