"""The span of time a figure covers: 1-6月, 截至10月底, 上半年, or its section's year."""
from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from kg.nlp.figures import RawFigure
from kg.nlp.linking.structure import Structure

#: A month range (1-6月), 截至 or 起 is said this near before its figures.
PERIOD_REACH = 300
MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-—~至]\s*(\d{1,2})月")
UNTIL = re.compile(r"截[至止](?:(\d{1,2})月(?:底|末|份)?|目前|今年)")
SINCE = re.compile(r"(\d{1,2})月(\d{1,2})日起")
HALF = re.compile(r"(上|下)半年")
YEAR = re.compile(r"(20\d\d)年")


@lru_cache(maxsize=4)
def _body_start(text: str) -> int:
    """Where the first line with a sentence in it starts: once per text, not once per figure."""
    body = re.search(r"[^\n]*[。;][^\n]*", text)
    return body.start() if body else 0


def figure_period(text: str, f: RawFigure, st: Structure, report: tuple[date | None, date | None]
                  ) -> tuple[date | None, date | None]:
    """The span a figure covers: 1-6月, 截至10月底, 上半年, or the section's year."""
    start, end = report
    year = start.year if start else None
    # A section or item about another year (二、2021年工作打算; 十四五期间) sets the year;
    # the title above the body (20XX年度工作总结和2024年工作计划) does not.
    body_start = _body_start(text)
    for hs, he in st.section_headings(f.start):
        if hs < body_start:
            continue
        heading = text[hs:he]
        if "十四五" in heading:
            return date(2021, 1, 1), date(2025, 12, 31)
        y = YEAR.search(heading)
        if y:
            year = int(y.group(1))
            start, end = date(year, 1, 1), date(year, 12, 31)
            break
    if year is None:
        return start, end
    ss, _ = st.sentence(f.start)
    context = text[max(ss, f.start - PERIOD_REACH): f.start]  # a list of thousands stays linear
    m = None
    for m in MONTH_RANGE.finditer(context):
        pass
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1 <= a <= b <= 12:
            return date(year, a, 1), date(year, b, calendar.monthrange(year, b)[1])
    m = None
    for m in UNTIL.finditer(context):
        pass
    if m and m.group(1) and 1 <= int(m.group(1)) <= 12:
        mo = int(m.group(1))
        return date(year, 1, 1), date(year, mo, calendar.monthrange(year, mo)[1])
    m = None
    for m in SINCE.finditer(context):
        pass
    if m and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= calendar.monthrange(year, int(m.group(1)))[1]:
        return date(year, int(m.group(1)), int(m.group(2))), end
    h = HALF.search(context)
    if h:
        return (date(year, 1, 1), date(year, 6, 30)) if h.group(1) == "上" else (date(year, 7, 1), date(year, 12, 31))
    return start, end
