"""A figure's measure (GOLD.md): the measure rules in order, the first that holds, from
the unit's kind and the cue words around the figure (both read from the ontology)."""
from __future__ import annotations

import re

from kg.nlp.entities import RawMention
from kg.nlp.figures import RawFigure
from kg.nlp.linking.names import (BOUND_ON_ANOTHER_NOUN, GROUP_RECIPIENTS, HOURS, KIND_DEFAULT, MONEY_SPENT,
                                  MONEY_STANDARD, OTHER_CUE, PEOPLE_RECIPIENTS, RATE_STANDARD, SHARE_UNIT,
                                  STAFF_COUNTED, TAKING_PART, THRESHOLD, TRAINEES, VISITORS)
from kg.vocab.ontology import Lexicon

CUE_WINDOW = 200


def measure(text: str, f: RawFigure, group: RawMention | None, lex: Lexicon) -> str:
    """GOLD.md's measure for a figure, from its unit's kind and the cues around it."""
    return measure_of(text, f, group, lex)[0]


def measure_of(text: str, f: RawFigure, group: RawMention | None, lex: Lexicon,
               disabled: frozenset[str] = frozenset()) -> tuple[str, str]:
    """The measure and the rule that decided it: the measure rules in order, the first that holds."""
    kind = lex.unit_kinds.get(f.unit, "Thing")
    default = lex.kind_measures.get(kind, "other")
    # Cues are read within a window of the clause: a clause that lists thousands
    # of figures must not make every figure read all of it.
    cs, ce = max(f.clause_start, f.start - CUE_WINDOW), min(f.clause_end, f.end + CUE_WINDOW)
    clause = text[cs: ce]
    before = text[cs: f.start]
    after = text[f.end: ce]
    cues = lex.cues

    def on(rule: str) -> bool:
        return rule not in disabled

    if default == "share" and on(SHARE_UNIT):
        return "share", SHARE_UNIT
    if f.text.endswith(("以上", "以下")) and text[f.end: f.end + 1] == "的" and on(THRESHOLD):
        return "other", THRESHOLD  # a threshold: 300户以上的行政村, 200人以下的行政村
    if BOUND_WORDS.search(f.text) and f.per is None and NOUN_THEN_DE.match(text, f.end) \
            and on(BOUND_ON_ANOTHER_NOUN):
        return "other", BOUND_ON_ANOTHER_NOUN  # 建设不少于150张床位的县级失能照护中心
    if f.unit == "小时" and on(HOURS):
        # 提供上门服务3.6万小时 (GOLD.md decision 4); 每人每月服务时长不少于8小时 is provision per unit
        return ("standard" if f.per else "count"), HOURS
    # The cue stands before the figure it measures (面积2000平方米, 为期5天): 60家…为企业减负XX万元
    # makes the money other, not the 60 associations counted before the cue.
    if any(c in before for c in cues["other"]) and on(OTHER_CUE):
        return "other", OTHER_CUE
    time_per = f.per in lex.per_periods
    if kind == "Money":
        if (f.per or any(c in clause for c in cues["standard"])) and on(MONEY_STANDARD):
            return "standard", MONEY_STANDARD
        return "spending", MONEY_SPENT
    if kind in ("Duration", "Age", "Extent"):
        return default, KIND_DEFAULT
    if f.per and not time_per and on(RATE_STANDARD):
        return "standard", RATE_STANDARD
    if kind == "People":
        if _staff_near(before, after, lex) and on(STAFF_COUNTED):  # read for a count of people only
            return "count", STAFF_COUNTED
        if "接待" in before and on(VISITORS):
            return "count", VISITORS  # 接待祭扫群众18.6万人次: visitors received, not people helped
        if "培训" in clause and on(TRAINEES):
            return "count", TRAINEES  # 开展退役士兵参加职业技能培训15人: trainees, whoever they are
        if group is not None and on(GROUP_RECIPIENTS):
            return "recipients", GROUP_RECIPIENTS
        if re.search(r"参加|参与|活动", clause) and on(TAKING_PART):
            return "count", TAKING_PART
        return "recipients", PEOPLE_RECIPIENTS
    return default, KIND_DEFAULT


#: A bound written into a figure (GOLD.md decision 3), and a noun and 的 after it: the phrase describes
#: another noun (不少于200张|床位的|敬老院), so the figure is its threshold.
BOUND_WORDS = re.compile(r"^(?:不少于|至少|不低于|超过)|(?:以上|以下)$")
NOUN_THEN_DE = re.compile(r"[\u4e00-\u9fff]{1,4}的")


def _staff_near(before: str, after: str, lex: Lexicon) -> bool:
    staff = lex.staff_cues
    head = after[:STAFF_WORD]
    # 持证社会工作者(总数)达到6200余人: the verb between staff and count.
    tail = STAFF_VERB.sub("", before[-STAFF_REACH:])[-STAFF_WORD:]
    return any(c in head for c in staff) or any(tail.endswith(c) or tail[:-1].endswith(c) for c in staff)


#: How far before a count a staff word and its verb may stand, and how long a staff word is at most.
STAFF_REACH, STAFF_WORD = 24, 8
STAFF_VERB = re.compile(r"(?:总数|总量|人数)?(?:已|共)?(?:达到|达|超过|增至|增加到|共有|有|为)?(?:约|近)?$")
