"""Recognise agencies, programmes, beneficiary groups and regions.

Two sources of patterns, both data:
- the ontology's labels (every prefLabel/altLabel of a programme or group
  concept, every agency-type label, every gazetteer name), matched longest
  first;
- productive rules for wordings no list has: a head word from the ontology
  (…补贴, …救助, …对象, …人员) with the modifiers to its left, cut at the
  last function word (kg/resources/function_words.txt). A new wording
  becomes a new concept under the known concept it contains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.nlp import postag
from kg.vocab.ontology import Lexicon
from kg.vocab.regions import Gazetteer

CJK = re.compile(r"[\u3400-\u9fff]")

# The recognition rules' names (kg.nlp.rules holds why, and their examples).
SHORT_LABEL_ON_WORDS = "two-character-label-on-word-boundaries"
INSTITUTION = "institution-name-is-no-programme"
QUOTED_MODIFIER = "quoted-name-is-the-modifier"
HEAD_ALONE = "head-word-alone-is-too-generic"
PLACE_AND_HEAD = "place-and-head-word-name-nothing"
STAFF = "staff-are-not-beneficiaries"
GENERIC_MODIFIER = "generic-modifier-names-a-kind"
RATE_UNIT = "rate-unit-is-no-modifier"
ADMINISTRATION = "administration-is-no-programme"
WEAK_HEAD = "weak-head-needs-a-welfare-word"
PAYMENT_WORD_ALONE = "payment-word-alone-names-no-programme"
MAX_LEFT = 10  # how far a productive rule reaches left of its head word
LEVEL_CHARS = "区市省县州镇乡"


@dataclass(frozen=True)
class RawMention:
    kind: str  # agency | programme | group | region
    start: int
    end: int
    text: str
    key: str | None = None  # concept IRI / agency-type IRI / region code
    broader: str | None = None  # for a new concept wording


@lru_cache(maxsize=4)
def _function_word_set(lex: Lexicon) -> frozenset[str]:
    return frozenset(lex.function_words)


class LabelIndex:
    """Leftmost-longest lookup of many labels at once (an Aho-Corasick automaton,
    pyahocorasick: one pass over the text whatever the number of labels)."""

    def __init__(self, labels: dict[str, object]):
        import ahocorasick

        self.labels = labels
        self.automaton = ahocorasick.Automaton()
        for label in labels:
            if len(label) >= 2:
                self.automaton.add_word(label, label)
        if len(self.automaton):
            self.automaton.make_automaton()

    def scan(self, text: str, blocked: bytearray | None = None):
        """(start, end, label, value) of non-overlapping matches, left to right,
        the longest at each start. ``blocked`` characters belong to no label."""
        if not len(self.automaton):
            return
        if blocked is not None:
            runs = [(m.start(), m.end()) for m in re.finditer(rb"\x01+", blocked)]
            if runs:  # mask the blocked stretches (figures) with NULs, which no label holds
                parts, last = [], 0
                for a, b in runs:
                    parts += [text[last:a], "\0" * (b - a)]
                    last = b
                text = "".join(parts) + text[last:]
        for end, label in self.automaton.iter_long(text):
            yield end + 1 - len(label), end + 1, label, self.labels[label]


@lru_cache(maxsize=4)
def _indexes(lex: Lexicon) -> tuple[LabelIndex, LabelIndex]:
    concept_labels = {}
    for label, iri in lex.label_index.items():
        concept_labels[label] = iri
    return LabelIndex(concept_labels), LabelIndex(lex.agency_types)


def find_mentions(text: str, lex: Lexicon, gaz: Gazetteer, figures: list[tuple[int, int]] = (),
                  disabled: frozenset[str] = frozenset()) -> list[RawMention]:
    """All mentions in normalised ``text``; figure spans bound every name.
    ``disabled`` names recognition rules switched off (kg.nlp.rules)."""
    hard = bytearray(len(text))
    for s, e in figures:
        hard[s:e] = b"\x01" * (e - s)
    concepts, agency_types = _indexes(lex)
    taken = bytearray(len(text))
    out: list[RawMention] = []

    def add(m: RawMention) -> None:
        out.append(m)
        taken[m.start: m.end] = b"\x01" * (m.end - m.start)

    # Agencies first: 区残疾人康复技术指导中心 holds the group label 残疾人.
    for s, e, label, (type_iri, needs) in agency_types.scan(text, hard):
        m = _agency(text, s, e, type_iri, needs, gaz, hard, lex, taken)
        if m is not None and not any(taken[m.start: m.end]):
            for part in _coordinated(text, m, label, hard, gaz, lex):
                add(part)
    for m in _listed_agencies(text, lex, hard, taken):
        add(m)
    # Regions: full gazetteer names, not inside an agency name already taken
    # (the agency keeps its region through the name itself).
    for s, e, name in _regions(text, gaz):
        # A former unit's name must stand as a word: 新增|城市低保 holds 增城市 (a city until 2014).
        if gaz.only_former(name) and not _on_word_boundaries(text, s, e):
            continue
        if not any(taken[s:e]):
            out.append(RawMention("region", s, e, name, key=None))
    # Known concept labels, longest first.
    for s, e, label, iri in concepts.scan(text, hard):
        if any(taken[s:e]) or (e - s <= 2 and SHORT_LABEL_ON_WORDS not in disabled
                               and not _on_word_boundaries(text, s, e)):
            continue
        kind = lex.concepts[iri].kind
        if kind == "programme" and INSTITUTION not in disabled and text.startswith(lex.institution_heads, e):
            continue  # 志愿服务|组织68个: an institution's name, not the programme
        m = None
        if label in lex.suffixes.get(kind, ()):
            # 老年人 is a group, but 特困老年人 is a narrower wording of it, even
            # where its modifier (特困) is a programme's label of its own.
            free = bytearray(taken)
            for o in out:
                if o.kind == "programme" and o.end == s:
                    free[o.start: o.end] = bytes(o.end - o.start)
            m = _productive(text, s, e, kind, lex, hard, free, gaz, disabled)
        add(m or RawMention(kind, s, e, text[s:e], key=iri))
    # Productive rules for wordings no list has; the longest wording wins.
    candidates = []
    # A programme's wording may hold a group's (特困人员|政策, 流浪乞讨人员|照料服务):
    # both are kept, the group nested in the programme.
    not_groups = bytearray(taken)
    for m in out:
        if m.kind == "group":
            not_groups[m.start: m.end] = bytes(m.end - m.start)
    for kind in ("programme", "group"):
        for sfx in lex.suffixes.get(kind, ()):
            for hit in re.finditer(re.escape(sfx), text):
                m = _productive(text, hit.start(), hit.end(), kind, lex, hard,
                                not_groups if kind == "programme" else taken, gaz, disabled)
                if m is not None:
                    candidates.append(m)
    for m in sorted(candidates, key=lambda m: (m.start - m.end, m.start, m.kind)):
        if not any((not_groups if m.kind == "programme" else taken)[m.start: m.end]):
            add(m)
            not_groups[m.start: m.end] = b"\x01" * (m.end - m.start)
    out += _nested_groups(out, concepts, lex)
    out.sort(key=lambda m: (m.start, m.end, m.kind))
    return [m for m in _expand_ellipsis(text, out, lex)
            if PAYMENT_WORD_ALONE in disabled or not _payment_word_alone(text, m, lex.payment_words)]


def _payment_word_alone(text: str, m: RawMention, payment_words: frozenset[str]) -> bool:
    """筹集公益金, 发放基本生活补贴: a payment word as written, with nothing before it
    that names whose or what for (基本 is no modifier: 基本|生活补贴 is bare)."""
    if m.kind != "programme":
        return False
    return m.text in payment_words or (text[max(0, m.start - 2): m.start] == "基本"
                                        and "基本" + m.text in payment_words)


def _on_word_boundaries(text: str, s: int, e: int) -> bool:
    """A two-character label must not straddle words: 护工 is not in 守护|工程,
    but 低保 in 低保金 is fine."""
    import jieba

    _posseg()
    lo, hi = max(0, s - 4), min(len(text), e + 4)
    bounds, pos = {lo}, lo
    for n in postag.word_lengths(jieba.dt, text[lo:hi]):  # jieba.dt.cut(..., HMM=False)'s words
        pos += n
        bounds.add(pos)
    straddles = any(s < b < e for b in bounds)
    return not straddles or (s in bounds and e in bounds)


def _nested_groups(mentions: list[RawMention], concepts: "LabelIndex", lex: Lexicon) -> list[RawMention]:
    """A programme named after its group names the group too: 特困人员政策 → 特困人员,
    孤儿养育费 → 孤儿. GOLD.md's readers list both."""
    out, seen = [], set(mentions)
    for m in mentions:
        if m.kind != "programme":
            continue
        i, n = 0, len(m.text)
        while i < n - 1:
            for j in range(n if i else n - 1, i + 1, -1):  # longest group label at i, never the whole
                iri = lex.label_index.get(m.text[i:j])
                if iri and lex.concepts[iri].kind == "group":
                    nested = RawMention("group", m.start + i, m.start + j, m.text[i:j], key=iri)
                    if nested not in seen:
                        seen.add(nested)
                        out.append(nested)
                    i = j - 1
                    break
            i += 1
    return out


def _left_edge(text: str, end: int, hard: bytearray, taken: bytearray, lex: Lexicon, limit: int = MAX_LEFT) -> int:
    """Leftmost start of a CJK run ending at ``end``, cut after the last function word."""
    s = end
    while s > 0 and end - s < limit and CJK.match(text[s - 1]) and not hard[s - 1] and not taken[s - 1]:
        s -= 1
    if end - s == limit and s > 0 and CJK.match(text[s - 1]) and not hard[s - 1] and not taken[s - 1]:
        # The limit cut the run, maybe inside a word (发|放贫困重度残疾人生活补贴):
        # start at the first word boundary instead.
        i = max(0, s - 4)
        dt = _posseg().dt
        for w in postag.cut(dt, postag.blocks(dt, text[i: end]), hmm=False):  # jieba's cut, in one pass
            if i >= s:
                break
            i += len(w.word)
        s = i
    # Cut after the last function word inside [s, end) (leftmost, longest first).
    cut = 0
    for m in _function_word_pattern(lex).finditer(text, s, end):
        cut = m.end() - s
    return s + cut


@lru_cache(maxsize=4)
def _function_word_pattern(lex: Lexicon) -> re.Pattern:
    return re.compile("|".join(map(re.escape, lex.function_words)))  # sorted longest first


def _productive(text, hs, he, kind, lex: Lexicon, hard, taken, gaz: Gazetteer | None = None,
                disabled: frozenset[str] = frozenset()) -> RawMention | None:
    """A new wording: the head word text[hs:he] with the modifiers on its left, unless
    a veto (the rules named in the comments, kg.nlp.rules) says it names nothing."""
    if any(taken[hs:he]) or any(hard[hs:he]):
        return None
    s = _trim_left(text, _left_edge(text, hs, hard, taken, lex), hs, gaz, lex.label_index)
    quoted = re.search(r"“[\u3400-\u9fff][\u3400-\u9fff0-9+·]{0,9}”$", text[max(0, hs - 12): hs])
    if quoted and s == hs and QUOTED_MODIFIER not in disabled:  # “解四难”人员: a quoted name is the modifier
        s = hs - len(quoted.group(0))
    wording, modifier, head = text[s:he], text[s:hs], text[hs:he]
    on = lambda rule: rule not in disabled  # noqa: E731
    if len(wording) - (he - hs) < 2 and on(HEAD_ALONE):
        return None  # the head word alone (救助, 对象) is too generic
    if gaz is not None and (modifier in gaz.by_name or modifier in gaz.short) and on(PLACE_AND_HEAD):
        return None  # 中阳|项目: a place and a head word name no programme
    if kind == "group" and on(STAFF) and any(c in wording for c in lex.cues.get("count", ()) if len(c) >= 2):
        return None  # staff (社区工作者, 医务人员) are not beneficiaries
    if modifier in lex.generic_modifiers and on(GENERIC_MODIFIER):
        return None  # 专项救助, 试点项目: a kind of head word, not a programme
    if modifier in lex.units and on(RATE_UNIT):
        return None  # 每人次|救助2026元: a rate's unit, not a programme's name
    if kind == "programme" and on(ADMINISTRATION) and _longest_part(wording, "admin", lex):
        return None  # 社会组织年检工作: administration (wf:AdministrativeWork), not a programme
    if head in lex.weak_suffixes.get(kind, ()) and on(WEAK_HEAD) and not _has_vocabulary(modifier, lex):
        return None  # 优质服务, 相关政策: no welfare word, no programme
    iri = lex.label_index.get(wording) or _without_generic(wording, kind, lex)
    broader = None if iri else _best_broader(wording, kind, lex)
    return RawMention(kind, s, he, wording, key=iri, broader=broader)


def _without_generic(wording: str, kind: str, lex: Lexicon) -> str | None:
    """社区综合养老服务 is 社区养老服务: a known label with a generic modifier
    (综合, 专项) written inside it."""
    for g in lex.generic_modifiers:
        k = wording.find(g, 1)
        if k > 0:
            iri = lex.label_index.get(wording[:k] + wording[k + len(g):])
            if iri and lex.concepts[iri].kind == kind:
                return iri
    return None


# Leading words a wording sheds: adverbs, prepositions, conjunctions, pronouns,
# numerals, and one verb of two or more characters (打造|关爱守护工程, 就符合|救助).
_LEAD_TAGS = ("d", "p", "c", "r", "m", "q", "u", "ad")


# Tags that end a wording on its left wherever they stand in it: conjunctions,
# adverbs, prepositions, pronouns, particles, numerals (息息相关但未达到|登记).
_CUT_TAGS = ("c", "d", "p", "r", "u", "y", "m", "q")


def _inside_label(text: str, at: int, s: int, e: int, labels) -> bool:
    """Does a known label within text[s:e] hold position ``at`` inside it?"""
    return any(text[i:j] in labels for i in range(s, at) for j in range(at + 1, e + 1))


def _trim_left(text: str, s: int, hs: int, gaz: Gazetteer | None, labels=None) -> int:
    if hs - s < 2:
        return s
    # Dictionary words are what is shed here (verbs, adverbs): no need for the
    # HMM that guesses unknown words, which costs more than the rest.
    dt = _posseg().dt
    toks = postag.cut(dt, postag.blocks(dt, text[s:hs]), hmm=False)
    for k in range(len(toks) - 1, -1, -1):
        if toks[k].flag in _CUT_TAGS:
            s += sum(len(w) for w, _ in toks[: k + 1])
            toks = toks[k + 1:]
            break
    # 重点|抓好|老人, 机构|接待|祭扫群众: a verb after another word starts a predicate;
    # what it governs begins after it.
    for k in range(len(toks) - 2, 0, -1):
        at = s + sum(len(w) for w, _ in toks[:k])
        if toks[k].flag == "v" and len(toks[k].word) >= 2 and toks[k - 1].flag != "v" \
                and not (labels and _inside_label(text, at, s, hs, labels)):  # 农村|留守|儿童牵手行动
            s += sum(len(w) for w, _ in toks[: k + 1])
            toks = toks[k + 1:]
            break
    i, verb_shed = 0, False
    while i < len(toks):
        word, flag = toks[i]
        if flag in _LEAD_TAGS:
            i += 1
        elif flag == "v" and len(word) >= 2 and not verb_shed:
            i, verb_shed = i + 1, True
        elif gaz is not None and (word in gaz.by_name or word in gaz.short) and i + 1 < len(toks):
            i += 1  # 路桥区|大救助: the place is the report's, not the programme's
        else:
            break
    return s + sum(len(w) for w, _ in toks[:i])


def _has_vocabulary(modifier: str, lex: Lexicon) -> bool:
    """Does the modifier hold a programme or group label (流浪乞讨人员|照料服务)?"""
    return any(modifier[i:j] in lex.label_index and lex.concepts[lex.label_index[modifier[i:j]]].kind != "staff"
               for i in range(len(modifier)) for j in range(i + 2, len(modifier) + 1))


def _best_broader(wording: str, kind: str, lex: Lexicon) -> str | None:
    """The known concept of the same kind whose label is the longest part of the
    wording; for a programme named after its group (特困人员政策), the programme
    that serves that group."""
    best = _longest_part(wording, kind, lex)
    if best is None and kind == "programme":
        group = _longest_part(wording, "group", lex)
        # the most general programme serving the group (特困人员救助供养, not its care homes)
        serving = sorted((len(lex.ancestors(iri)), iri) for iri, c in lex.concepts.items()
                         if group in c.serves) if group else []
        serving = [iri for _, iri in serving]
        best = serving[0] if serving else None
    return best


def _longest_part(wording: str, kind: str, lex: Lexicon) -> str | None:
    best, best_len = None, 0
    for i in range(len(wording)):
        for j in range(len(wording), i + 1, -1):
            if j - i <= best_len:
                break
            iri = lex.label_index.get(wording[i:j])
            if iri and lex.concepts[iri].kind == kind:
                best, best_len = iri, j - i
                break
    return best


def _agency(text, s, e, type_iri, needs, gaz: Gazetteer, hard, lex: Lexicon, taken=None) -> RawMention | None:
    """The organisation whose type word is text[s:e], or None for a generic use.

    ``needs`` is what the type word needs before it to name one organisation:
    "" (民政局, 残联: the type word alone names a body), "region" (政府 needs
    区/市/路桥区 before it), "name" (社区, 公司 need a proper name) or
    "either" (区福利中心, 蓬街敬老院).
    """
    start = s
    # A region name or level char right before the type: 路桥区民政局, 区民政局.
    for k in range(min(s, 8), 1, -1):
        if (text[s - k: s] in gaz.by_name or text[s - k: s] in gaz.short) and _level_char_ok(text, s - k):
            start = s - k
            break
    else:
        if s > 0 and text[s - 1] in LEVEL_CHARS and _level_char_ok(text, s - 1):
            start = s - 1
            if start > 0 and text[start - 1] in "我本":
                start -= 1
    named = start < s
    if needs == "region" and not named:
        return None
    if needs == "either" and named:
        return RawMention("agency", start, e, text[start:e], key=type_iri)  # 区福利中心
    if needs in ("name", "either"):
        # 离石区中央公园社区 is named; 吕梁市社区 (the city's communities) is not.
        left = _proper_name_start(text, s, hard, gaz, lex, taken)
        named = left is not None and left < s and text[left:s] not in gaz.by_name and text[left:s] not in gaz.short
        if named and start < s and left >= start:
            left = start  # keep the region before the name
        if named:
            start = min(start, left)
        if not named or lex.label_index.get(text[start:e]):
            return None  # 智慧社区 is a programme, not an organisation
    return RawMention("agency", start, e, text[start:e], key=type_iri)


@lru_cache(maxsize=4)
def _vocabulary_text(lex: Lexicon) -> frozenset[str]:
    """Every part of every concept and agency-type label: ``in`` tells vocabulary words.
    (A set, not a substring test on the labels joined, which took 25 µs for a word
    not in them: most of the names tested.)"""
    return _parts(set(lex.label_index) | set(lex.agency_types))


def _parts(labels) -> frozenset[str]:
    """Every substring of the labels, the empty one included (it is in any string)."""
    return frozenset({""} | {w[i:j] for w in labels for i in range(len(w)) for j in range(i + 1, len(w) + 1)})


def _level_char_ok(text: str, i: int) -> bool:
    """Is text[i] (区, 市 ...) a level prefix, not the end of a word (城乡, 全市)?"""
    if i == 0 or not CJK.match(text[i - 1]) or text[i - 1] in "我本各该":
        return True
    dt = _posseg().dt
    dt.check_initialized()
    return not dt.FREQ.get(text[i - 1: i + 1])


# jieba part-of-speech tags that end a proper name on its left: verbs,
# prepositions, conjunctions, adverbs, numerals, measure words, pronouns,
# particles, locatives of time, adjectives of scope (省级, 专职).
_STOP_TAGS = ("v", "p", "c", "d", "m", "q", "r", "u", "y", "e", "f", "t", "b", "ad", "l", "i", "k")
# Tags of the words a proper name is made of: places, person names,
# organisation names, abbreviations, words jieba does not know.
_NAME_TAGS = ("ns", "nr", "nrt", "nrfg", "nt", "nz", "j", "x", "g", "eng")


@lru_cache(maxsize=1)
def _posseg():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.ERROR)
    return jieba.posseg  # its HMM runs through kg.nlp.postag (kg.nlp.viterbi's faster decoder), unpatched


def pos_cut(s: str) -> list:
    """jieba's part-of-speech cut, paying for its HMM only where it can change
    anything: jieba applies it to runs of single characters its dictionary
    does not join, so a cut without such a run is already the answer."""
    dt = _posseg().dt
    parts = postag.blocks(dt, s)  # one route for both cuts (kg.nlp.postag)
    toks = postag.cut(dt, parts, hmm=False)
    if any(len(a.word) == 1 and len(b.word) == 1 for a, b in zip(toks, toks[1:])):
        return postag.cut(dt, parts, hmm=True)
    return toks


def pos_cut_backwards(s: str):
    """``reversed(pos_cut(s))``, decoding the HMM's runs only as far as the reader goes."""
    dt = _posseg().dt
    parts = postag.blocks(dt, s)
    toks = postag.cut(dt, parts, hmm=False)
    if any(len(a.word) == 1 and len(b.word) == 1 for a, b in zip(toks, toks[1:])):
        return postag.cut_backwards(dt, parts)
    return reversed(toks)


def _proper_name_start(text: str, end: int, hard, gaz: Gazetteer, lex: Lexicon, taken=None) -> int | None:
    """Start of the proper name ending at ``end`` (六泉湖|社区, 上海亲和源|有限公司).

    jieba's dictionary tells a name (ns/nr/nt/j, or unknown characters) from
    the verbs and common nouns that precede a generic use (巩固社区,
    城乡社区, 公益性公墓). A name must hold at least one name-like word.
    """
    s = end
    while (s > 0 and end - s < 14 and re.match(r"[\u3400-\u9fffA-Za-z]", text[s - 1]) and not hard[s - 1]
           and not (taken and taken[s - 1])):  # 竹岛街道|陶家夼公墓: another agency ends the name
        s -= 1
    if s == end:
        return None
    fws = _function_word_set(lex)
    kept: list[tuple[str, str]] = []
    for word, flag in pos_cut_backwards(text[s:end]):  # the words left of a stop are never needed
        single_verb = len(word) == 1 and flag == "v"  # 石板冲, 古老背: a verb char inside a name
        stop = flag.startswith(_STOP_TAGS) and flag != "vn" and flag not in _NAME_TAGS
        if word in fws or (stop and not single_verb):
            break
        kept.insert(0, (word, flag))
    while kept and kept[0][1] == "v":  # a name does not start with a verb
        kept.pop(0)
    if not kept:
        return None
    prefix = "".join(w for w, _ in kept)
    if len(prefix) < 2:
        return None
    # 区社会矛盾|调解中心: a level char of its own heads a body of that level.
    if kept[0][0] in LEVEL_CHARS and _level_char_ok(text, end - len(prefix)):
        covered = _longest_label_inside(prefix, lex) >= max(2, len(prefix) - 2)
        return None if covered else end - len(prefix)
    # A word of the welfare vocabulary (养老, 城市) is not evidence of a name,
    # whatever tag jieba's dictionary gives it.
    vocab = _vocabulary_text(lex)
    name_like = (any(f in _NAME_TAGS and w not in vocab for w, f in kept) or prefix in gaz.by_name
                 or (prefix[-1] in lex.name_endings and not any(w in vocab for w, _ in kept)))
    if any(t in prefix for t in _name_type_words(lex)):
        return None  # 和兴社区城市|社区: a name does not hold another type word
    if not name_like or _generic_prefix(prefix, lex):
        return None
    return end - len(prefix)


@lru_cache(maxsize=4)
def _name_type_words(lex: Lexicon) -> tuple[str, ...]:
    """Agency-type words that need a proper name before them (社区, 公司)."""
    return tuple(t for t, (_, needs) in lex.agency_types.items() if needs == "name")


def _longest_label_inside(s: str, lex: Lexicon) -> int:
    """Length of the longest concept label that occurs in ``s`` (0 if none)."""
    automaton = _indexes(lex)[0].automaton
    return max((len(label) for _, label in automaton.iter(s)), default=0) if len(automaton) else 0


def _generic_prefix(prefix: str, lex: Lexicon) -> bool:
    """A prefix made of welfare vocabulary (居家养老服务中心) names a kind, not an organisation."""
    if _longest_label_inside(prefix, lex) >= len(prefix) - 1:
        return True
    return bool(re.search(r"示范|综合|区域性|护理型|县级|乡镇|专业|中心$|各类|有关|相关|基层|社会", prefix))


# 联合发改、司法等六部门; 山东健康、万福苑2家养老机构: the items of a list that
# a count of bodies sums up are bodies themselves.
_LISTED = re.compile(
    r"(?:联合|会同|协调|与|同|和)?((?:[\u4e00-\u9fff]{2,5}[、和及与])+[\u4e00-\u9fff]{2,5})"
    r"(?:等[\d一二三四五六七八九十]*个?(?:部门|单位)|[\d一二三四五六七八九十两]+家(?:养老)?(?:机构|企业|公司|医院|单位))")

# A list is written in Chinese characters, 、 and digits, and ends on 等… or …家: the
# stretches that can hold one, searched apart (_LISTED alone tries every character).
_LISTED_RUN = re.compile(r"(?<![\u4e00-\u9fff、\d])(?:(?![等家])[\u4e00-\u9fff、\d])*+[等家][\u4e00-\u9fff、\d]*+")


def _listed_agencies(text: str, lex: Lexicon, hard, taken) -> list[RawMention]:
    out = []
    concepts = _concept_text(lex)
    for m in (m for run in _LISTED_RUN.finditer(text) for m in _LISTED.finditer(text, run.start(), run.end())):
        departments = "部门" in m.group(0) or "单位" in m.group(0)
        items, pos = [], m.start(1)
        for item in re.split(r"[、和及与]", m.group(1)):
            s, e = pos, pos + len(item)
            pos = e + 1
            lead = _function_word_pattern(lex).match(item)
            if lead and not items and len(item) - lead.end() >= 2:  # 已有|山东健康
                s, item = s + lead.end(), item[lead.end():]
            items.append((s, e, item))
        # 发改, 司法: abbreviations of department names; 山东健康: a name no concept holds.
        if departments:
            ok = all(any(t.startswith(i) for t in lex.agency_types) for _, _, i in items)
        else:
            ok = all(len(i) >= 2 and i not in concepts for _, _, i in items)
        if ok:
            out += [RawMention("agency", s, e, i, key=None) for s, e, i in items
                    if not any(hard[s:e]) and not any(taken[s:e])]
    return out


@lru_cache(maxsize=4)
def _concept_text(lex: Lexicon) -> frozenset[str]:
    """Every part of every programme and group label: ``in`` tells welfare vocabulary."""
    return _parts(lex.label_index)


def _coordinated(text: str, m: RawMention, type_word: str, hard, gaz: Gazetteer, lex: Lexicon) -> list[RawMention]:
    """云池和虎牙街道 names two agencies: the first conjunct shares the type word."""
    out = [m]
    if m.start > 2 and text[m.start - 1] in "和及、与" and m.text.endswith(type_word) and len(m.text) > len(type_word):
        left = _proper_name_start(text, m.start - 1, hard, gaz, lex)
        if left is not None and m.start - 1 - left <= 6:
            out.insert(0, RawMention("agency", left, m.start - 1, text[left: m.start - 1] + type_word, key=m.key))
    return out


def _regions(text: str, gaz: Gazetteer):
    """Full gazetteer names (three characters or more), leftmost-longest."""
    automaton = _region_index(gaz).automaton
    if not len(automaton):
        return
    # The automaton's root has some 900 first characters, looked up one by one for every
    # character of the text (250 ns each, 0.3 s at 300 reports). A character of no name
    # sends it back to the root with nothing pending, so the stretches of name characters
    # are searched apart, and only those holding a character a name ends with.
    for stretch in _region_stretches(gaz).finditer(text):
        for end, name in automaton.iter_long(text, stretch.start(), stretch.end()):
            yield end + 1 - len(name), end + 1, name


@lru_cache(maxsize=4)
def _region_index(gaz: Gazetteer) -> LabelIndex:
    return LabelIndex({k: k for k in gaz.by_name if len(k) >= 3})


@lru_cache(maxsize=4)
def _region_stretches(gaz: Gazetteer) -> re.Pattern:
    """A whole run of characters that names are made of, holding one a name ends with."""
    names = list(_region_index(gaz).labels)
    chars, last = set("".join(names)), {n[-1] for n in names}

    def one_of(cs) -> str:
        return "[" + "".join(re.escape(c) for c in sorted(cs)) + "]" if cs else "(?!)"

    return re.compile(f"(?<!{one_of(chars)}){one_of(chars - last)}*+{one_of(last)}{one_of(chars)}*+")


def _expand_ellipsis(text: str, mentions: list[RawMention], lex: Lexicon) -> list[RawMention]:
    """城市、农村低保: the first conjunct shares the second's head (城市低保)."""
    out = list(mentions)
    for m in mentions:
        if m.kind not in ("programme", "group") or m.start < 2:
            continue
        before = text[max(0, m.start - 5): m.start]
        hit = re.search(r"([\u4e00-\u9fff]{2,4})、$", before)
        if not hit:
            continue
        found = None
        for x in (hit.group(1)[-n:] for n in range(2, len(hit.group(1)) + 1)):  # 对|城市、
            for k in range(1, len(m.text)):
                cand = x + m.text[k:]
                iri = lex.label_index.get(cand)
                if iri and lex.concepts[iri].kind == m.kind:
                    found = (x, cand, iri)
                    break
            if found:
                break
        if found:
            x, cand, iri = found
            s = m.start - 1 - len(x)
            if not any(o.start < s + len(x) and s < o.end for o in mentions):
                out.append(RawMention(m.kind, s, s + len(x), cand, key=iri))
    out.sort(key=lambda m: (m.start, m.end, m.kind))
    return out
