"""Property tests (hypothesis) for the normaliser and the figure parser (issue 7).

- ``normalize`` never raises, and every offset maps back inside the original;
- ``find_figures`` never raises, and each figure's span holds its text;
- a generated figure (decimal × 万/亿/none, with a unit) is recovered exactly.

Example counts are kept moderate so the suite stays fast; hypothesis' own
database remembers any failure it found.
"""
from __future__ import annotations

import unicodedata
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.nlp.figures import find_figures
from kg.nlp.normalize import _t2s_chars, normalize
from kg.vocab.ontology import load_lexicon
from kg.nlp.pipeline import extract
from seedtext import seed_line

LEX = load_lexicon()
T2S = _t2s_chars()
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces a hostile report is made of: real seed words, Traditional and
# full-width forms, pinyin glosses, mojibake, line breaks of every kind,
# controls, numbers and multipliers, units and rate words.
PIECES = [
    "区", "區(qū)", "（qū）", "民政局", "發放", "资金", "低保", "每人每月", "约", "近", "余", "多", "以上", "万", "亿",
    "千万", "十", "两", "〇", "元", "人", "户", "人次", "%", "％", "，", "。", "、", ",", ".", ";", "由", "调整至",
    "１２３", "４５.６", "0", "7", "208.9", "1,234", "XX", "×", "?!", "？！", "\ufffd", "\x00", "\x07", "\x1b",
    "\r\n", "\r", "\n", "\t", " ", "\u3000", "\u00a0", "\ufeff", "“", "”", "<script>", "&amp;", "十几", "数百", "𠀀",
    "😀", "ǘ", "Ⅻ", "㎡", "ﬁ",
]
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=3)), max_size=60).map("".join),
)


@FAST
@given(hostile_text)
def test_normalize_never_raises_and_offsets_stay_inside(original):
    norm = normalize(original)
    assert len(norm.offsets) == len(norm.text) + 1
    assert norm.offsets[-1] == len(original)
    assert all(0 <= o < len(original) for o in norm.offsets[:-1])
    assert list(norm.offsets) == sorted(norm.offsets)  # order is kept: spans never turn inside out
    for start in range(len(norm.text) + 1):
        for end in (start, min(start + 1, len(norm.text)), len(norm.text)):
            if end < start:
                continue
            s, e = norm.original_span(start, end)
            assert 0 <= s <= e <= len(original)


@FAST
@given(hostile_text)
def test_original_span_round_trips_each_character(original):
    """Each normalised character comes from the original character it maps to."""
    norm = normalize(original)
    for i, ch in enumerate(norm.text):
        s, e = norm.original_span(i, i + 1)
        assert e == s + 1
        source = original[s]
        nfkc = unicodedata.normalize("NFKC", source)
        if source.isascii() and not source.isspace():
            assert ch == source  # ASCII is never changed, only tidied
        elif ch in (" ", "\n"):
            assert source.isspace() or " " in nfkc  # a tidied space, or NFKC's (¨ is " ̈")
        else:  # the character itself, its NFKC form, or its Simplified form
            assert ch == source or ch in nfkc or ord(source) in T2S or any(ord(c) in T2S for c in nfkc)


@FAST
@given(st.text(alphabet="发放救助资金低保人户元万亿。、0123456789.,", max_size=80))
def test_plain_text_maps_to_itself(original):
    """Text that needs no normalising maps every span onto the same span."""
    norm = normalize(original)
    assert norm.text == original
    assert norm.original_span(0, len(original)) == (0, len(original))
    for i in range(len(original)):
        assert norm.original_span(i, i + 1) == (i, i + 1)


@FAST
@given(hostile_text)
def test_figure_parser_never_raises(original):
    text = normalize(original).text
    for f in find_figures(text, LEX):
        assert 0 <= f.start <= f.end <= len(text)
        assert text[f.start: f.end] == f.text
        assert f.unit in set(LEX.units.values())
        assert (f.value is None) == (f.redacted or f.unparsed)


MULT = {"": 1, "万": 10_000, "亿": 100_000_000}
UNITS = ["元", "人", "户", "人次"]
amount = st.builds(
    lambda whole, frac, digits: Decimal(whole) + (Decimal(frac) / (10 ** digits) if digits else 0),
    st.integers(0, 10**9), st.integers(0, 9999), st.integers(0, 4),
).map(lambda d: d if d.as_tuple().exponent >= -4 else d.quantize(Decimal("0.0001")))


def written(n: Decimal, grouped: bool) -> str:
    text = format(n, "f")
    if grouped:
        whole, _, frac = text.partition(".")
        text = f"{int(whole):,}" + ("." + frac if frac else "")
    return text


@FAST
@given(amount, st.sampled_from(sorted(MULT)), st.sampled_from(UNITS), st.booleans())
def test_generated_figure_recovered_exactly(n, mult, unit, grouped):
    number = written(n, grouped)
    sentence = f"发放救助资金{number}{mult}{unit}"
    (fig,) = find_figures(normalize(sentence).text, LEX)
    assert fig.text == f"{number}{mult}{unit}"
    assert fig.unit == unit and not fig.unparsed
    assert fig.value == n * MULT[mult]


@SLOW
@given(amount, st.sampled_from(sorted(MULT)), st.sampled_from(UNITS))
def test_generated_figure_reaches_the_record(n, mult, unit):
    """Through the whole pipeline, inside a real seed sentence, with offsets into the original."""
    line = seed_line("003", "路桥区民政局")
    number = written(n, False)
    original = f"{line}\n全年发放救助资金{number}{mult}{unit}。\n"
    rec = extract(original, "generated.txt")
    (fig,) = [f for f in rec.figures if f.start >= len(line)]
    assert original[fig.start: fig.end] == f"{number}{mult}{unit}"
    assert fig.value == n * MULT[mult]


@SLOW
@given(hostile_text)
def test_pipeline_never_raises_and_offsets_stay_inside(original):
    rec = extract(original, "hostile.txt")
    for span in [*rec.figures, *rec.mentions]:
        assert 0 <= span.start <= span.end <= len(original)
