"""Report-level facts: title, publisher, region and the period covered."""
from __future__ import annotations

import calendar
import re
from collections import Counter
from datetime import date

from kg.nlp.entities import RawMention
from kg.vocab.ontology import Lexicon
from kg.vocab.regions import Gazetteer
from kg.records import Region

META_LINE = re.compile(r"^(索引号|发布机构|公开方式|公开日期|有效性|文件编号|发布日期|来源|信息来源|更新时间|打印本页|访问次数|关闭窗口)")
SOURCE = re.compile(r"(?:信息来源|来源|发布机构|发文机关)\s*[:：]\s*([\u4e00-\u9fff]{2,20}?(?:局|厅|部|委|政府|办))")
TITLE_WORDS = re.compile(r"总结|计划|报告|思路|要点|打算|情况")
SUMMARY_YEAR = re.compile(r"(20\d\d|20[Xx×]{2})年度?(上半年|上年|下半年|前三季度|1\s*[-—~至到]\s*(\d{1,2})月(?:份)?)?"
                          r"(?:[\u4e00-\u9fff]{0,6}工作)?(?:总结|情况|报告)")
CN_YEAR = re.compile(r"[二〇零一三四五六七八九]{4}(?=年)")
CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
PLAN_YEAR = re.compile(r"(20\d\d)年(?:度)?(?:工作)?(?:计划|思路|打算|谋划|重点|要点|安排)")
PUBLISHED = re.compile(r"(?:更新时间|公开日期|发布日期)\s*[:：]\s*(20\d\d)-(\d\d)-(\d\d)")
CIVIL_AFFAIRS = re.compile(r"民政(?:局|厅|部|所|办)$")
SIGNATURE = re.compile(r"([\u4e00-\u9fff]{0,12}民政(?:局|厅|部|所|办))\s*$")


def title_of(text: str) -> str:
    lines = [l.strip() for l in text.split("\n") if l.strip()]
    for line in lines[:8]:
        if not META_LINE.match(line) and len(line) <= 60 and TITLE_WORDS.search(line):
            return line
    for line in lines[:8]:
        if not META_LINE.match(line) and len(line) <= 60:
            return line
    first = lines[0] if lines else ""
    return first if len(first) <= 40 else first[:40] + "…"


def period_of(text: str) -> tuple[date | None, date | None]:
    # 二〇二二年 is 2022年 (same length, so nothing else moves).
    text = CN_YEAR.sub(lambda y: y.group(0).translate(CN_DIGITS), text)
    head = text[:3000]
    m = SUMMARY_YEAR.search(head)
    year = None
    if m and m.group(1).isdigit():
        year = int(m.group(1))
        half = m.group(2) or ""
        if half in ("上半年", "上年"):
            return date(year, 1, 1), date(year, 6, 30)
        if m.group(3) and 1 <= int(m.group(3)) <= 12:  # 1-9月, 1至11月
            last = int(m.group(3))
            return date(year, 1, 1), date(year, last, calendar.monthrange(year, last)[1])
        if half == "下半年":
            return date(year, 7, 1), date(year, 12, 31)
        if half == "前三季度":
            return date(year, 1, 1), date(year, 9, 30)
        return date(year, 1, 1), date(year, 12, 31)
    p = PLAN_YEAR.search(text)
    if p:
        year = int(p.group(1)) - 1
        return date(year, 1, 1), date(year, 12, 31)
    pub = PUBLISHED.search(head)
    if pub:
        y, mo = int(pub.group(1)), int(pub.group(2))
        year = y - 1 if mo <= 3 else y
        return date(year, 1, 1), date(year, 12, 31)
    years = Counter(int(y) for y in re.findall(r"(20\d\d)年", text))
    if years:
        year = years.most_common(1)[0][0]
        return date(year, 1, 1), date(year, 12, 31)
    return None, None


def publisher_of(text: str, mentions: list[RawMention], lex: Lexicon) -> tuple[str | None, tuple[str, ...]]:
    """The issuing bureau's name and the other names it goes by in the report."""
    agencies = [m for m in mentions if m.kind == "agency"]
    names = [m.text for m in agencies if not m.text.startswith(("我", "本"))]
    candidates = []
    src = SOURCE.search(text[:600]) or SOURCE.search(text[-300:])
    if src:
        candidates.append(src.group(1))
    title = title_of(text)
    for m in agencies:
        if m.text in title and CIVIL_AFFAIRS.search(m.text):
            candidates.append(m.text)
    candidates += [n for n in names if CIVIL_AFFAIRS.search(n)]
    # The signature line at the end: 吕梁市民政局 on a line of its own.
    for line in reversed([l.strip() for l in text.split("\n")[-4:] if l.strip()]):
        sig = SIGNATURE.search(line)
        if sig and len(line) <= 24:  # 吕梁市民政局, 信息来源: 区民政局
            candidates.append(sig.group(1))
    if not candidates:
        candidates = names[:1]
    if not candidates:
        return None, ()
    first = candidates[0]
    # The same bureau under a fuller name: 区民政局 → 路桥区民政局.
    fuller = sorted({n for n in names + candidates if n.endswith(first) and n != first}, key=len)
    canonical = fuller[-1] if fuller else first
    aliases = {first} | {n for n in candidates if canonical.endswith(n)}
    aliases |= {m.text for m in agencies if m.text in lex.self_references}  # 我局: the publisher itself
    aliases.discard(canonical)
    return canonical, tuple(sorted(aliases))


def region_of(publisher: str | None, mentions: list[RawMention], gaz: Gazetteer) -> Region | None:
    """The place the issuer serves: named in its name, or the report's most
    named region of the issuer's level (a 区民政局 serves a 区)."""
    codes = set()
    named = Counter()
    for m in mentions:
        if m.kind == "region":
            r = gaz.resolve(m.text)
            if r:
                codes.add(r.code)
                named[m.text] += 1
    if publisher:
        for k in range(len(publisher), 1, -1):
            head = publisher[:k]
            if head in gaz.by_name or head in gaz.short:
                return gaz.resolve(head, codes)
        level = publisher[0] if publisher[0] in "省市区县" else None
        if level:
            same = [(n, c) for n, c in named.most_common() if n.endswith(level)]
            if same:
                return gaz.resolve(same[0][0], codes)
    return None
