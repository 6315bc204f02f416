"""Read the ontology into plain lookup tables for the recognisers.

The ontology in ``ontology/`` is the single source of truth for labels,
hierarchy, units, measure cues and productive suffixes. This module is the
one place that reads it; what it returns holds no rdflib objects, so the NLP
stages never touch RDF.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.data import data_dir
from kg.vocab.words import TableWords, longest_first, read_rows, read_words, table_words

ONTOLOGY_DIR = data_dir("ontology")
FILES = ("welfare.ttl", "programmes.ttl", "groups.ttl", "rules.ttl")  # rules.ttl: kg.build.rulefile

KINDS = {"Programme": "programme", "BeneficiaryGroup": "group", "ServiceWorker": "staff",
         "AdministrativeWork": "admin", "FieldOfWork": "field"}
MEASURE_NAMES = {"Standard": "standard", "Spending": "spending", "Recipients": "recipients",
                 "Count": "count", "Share": "share", "Other": "other"}


@dataclass(frozen=True)
class Concept:
    iri: str
    kind: str  # programme | group | staff | admin | field
    pref_zh: str
    pref_en: str
    labels: tuple[str, ...]  # every Simplified wording, prefLabel first (the text is simplified first)
    broader: tuple[str, ...] = ()
    area: str | None = None  # "urban" | "rural"
    serves: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # hashed by identity: one per ontology load
class Lexicon:
    concepts: dict[str, Concept]
    label_index: dict[str, str]  # wording -> concept IRI
    suffixes: dict[str, tuple[str, ...]]  # agency | programme | group -> head words
    units: dict[str, str]  # surface classifier -> base unit label
    unit_kinds: dict[str, str]  # base unit label -> kind (Money, People ...)
    kind_measures: dict[str, str]  # unit kind -> default measure
    cues: dict[str, tuple[str, ...]]  # measure -> cue words
    version: str = ""
    unit_iris: dict[str, str] = field(default_factory=dict)  # base label -> unit IRI
    agency_types: dict[str, tuple[str, str]] = field(default_factory=dict)
    weak_suffixes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # need welfare words before them
    institution_heads: tuple[str, ...] = ()  # 志愿服务|组织: a programme's label names an institution
    payment_words: frozenset[str] = frozenset()  # 保障金, 补贴: money paid, no programme by itself (GOLD.md decision 1)
    function_words: tuple[str, ...] = ()  # kg/resources: words that end a name on its left, longest first
    generic_modifiers: frozenset[str] = frozenset()  # kg/resources: 专项, 相关: a kind, not a programme
    approximate_before: tuple[str, ...] = ()  # kg/resources: 将近, 不少于: before an approximate figure, in order
    per_containers: tuple[str, ...] = ()  # kg/resources: 社区, 县: what a per-capita standard is stated per
    name_endings: frozenset[str] = frozenset()  # characters that end a place name (交通路, 生态园)
    per_spellings: dict[str, str] = field(default_factory=dict)  # kg/resources: 人每月 → 人/月, 日 → 天
    per_periods: frozenset[str] = frozenset()  # kg/resources: 年, 月: a rate per these is paid so often
    staff_cues: tuple[str, ...] = ()  # the count cues that name workers (社工, 护理员), not what people do (培训)
    coordinators: frozenset[str] = frozenset()  # kg/resources: 和, 及: words that join the names of a list
    self_references: frozenset[str] = frozenset()  # kg/resources: 我局, 本厅: how a bureau names itself
    table: TableWords | None = None  # kg/resources/table_*.txt: the words a table's layout is read by

    def ancestors(self, iri: str) -> list[str]:
        """The concept's broader chain (nearest first), without cycles."""
        out, todo, seen = [], [iri], {iri}
        while todo:
            current = self.concepts.get(todo.pop(0))
            for b in current.broader if current else ():
                if b not in seen and b in self.concepts:
                    seen.add(b)
                    out.append(b)
                    todo.append(b)
        return out


def ontology_version(directory: Path = ONTOLOGY_DIR) -> str:
    """Hash of the ontology files: part of every cache key."""
    h = hashlib.sha256()
    for name in FILES:
        p = directory / name
        if p.exists():
            h.update(name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def parsed_ontology(directory: str | None = None):
    """The ontology files as one rdflib Graph, parsed once per version of them: the
    lexicon and the build's ontology graph read the same parse. Shared: do not change it."""
    d = Path(directory) if directory else ONTOLOGY_DIR
    return _parsed(d, ontology_version(d))


@lru_cache(maxsize=4)
def _parsed(d: Path, version: str):
    import rdflib

    from kg.vocab.traditional import add_traditional_labels

    g = rdflib.Graph()
    for name in FILES:
        if (d / name).exists():
            g.parse(d / name, format="turtle")
    add_traditional_labels(g)  # stored Simplified only: the Traditional variants are for display
    return g


def load_lexicon(directory: str | None = None) -> Lexicon:
    """The ontology's lexicon, parsed once per folder. ``load_lexicon()`` and
    ``load_lexicon(None)`` are the same entry: lru_cache keys them apart, and
    a second parse costs a build a second and a half."""
    return _load_lexicon(directory)


@lru_cache(maxsize=4)
def _load_lexicon(directory: str | None) -> Lexicon:
    import rdflib
    from rdflib.namespace import RDF, RDFS, SKOS

    from kg.vocab.namespace import WF

    d = Path(directory) if directory else ONTOLOGY_DIR
    g = parsed_ontology(directory)

    concepts: dict[str, Concept] = {}
    for cls, kind in KINDS.items():
        for s in sorted(set(g.subjects(RDF.type, WF[cls]))):
            pref = {l.language: str(l) for l in g.objects(s, SKOS.prefLabel)}
            zh = pref.get("zh") or next(iter(pref.values()), "")
            # Traditional variants are for display: the text is simplified before it is matched.
            labels = [zh] + sorted({str(l) for l in g.objects(s, SKOS.altLabel) if l.language != "zh-Hant"}
                                   | {str(l) for lang, l in pref.items() if lang in ("zh", "zh-Hans")})
            area = g.value(s, WF.area)
            concepts[str(s)] = Concept(
                iri=str(s), kind=kind, pref_zh=zh, pref_en=pref.get("en", zh),
                labels=tuple(dict.fromkeys(l for l in labels if l)),
                broader=tuple(sorted(str(b) for b in g.objects(s, SKOS.broader))),
                area=None if area is None else str(area).rsplit("#", 1)[-1].lower(),
                serves=tuple(sorted(str(o) for o in g.objects(s, WF.servesGroup))),
            )
    label_index: dict[str, str] = {}
    for iri, c in sorted(concepts.items()):
        for label in c.labels:
            label_index.setdefault(label, iri)

    suffixes, weak = {}, {}
    for cls, kind in (("Programme", "programme"), ("BeneficiaryGroup", "group")):
        weak[kind] = tuple(sorted(str(o) for o in g.objects(WF[cls], WF.weakSuffix)))
        suffixes[kind] = tuple(sorted({str(o) for o in g.objects(WF[cls], WF.productiveSuffix)} | set(weak[kind]),
                                      key=lambda x: (-len(x), x)))

    units, unit_kinds, unit_iris = {}, {}, {}
    for u in g.subjects(RDF.type, WF.Unit):
        base = str(g.value(u, RDFS.label))
        kind = str(g.value(u, WF.unitKind)).rsplit("#", 1)[-1]
        unit_kinds[base] = kind
        unit_iris[base] = str(u)
        units[base] = base
        for alt in g.objects(u, SKOS.altLabel):
            units[str(alt)] = base
    kind_measures = {}
    for k in set(unit_kinds.values()):
        m = g.value(WF[k], WF.defaultMeasure)
        kind_measures[k] = MEASURE_NAMES[str(m).rsplit("#", 1)[-1]] if m else "other"
    cues = {}
    for name, measure in MEASURE_NAMES.items():
        cues[measure] = tuple(sorted({str(o) for o in g.objects(WF[name], WF.cue)}, key=lambda x: (-len(x), x)))
    agency_types = {}
    for t in sorted(g.subjects(RDF.type, WF.AgencyType)):
        name, region = bool(g.value(t, WF.needsName)), bool(g.value(t, WF.needsRegion))
        needs = "either" if name and region else "name" if name else "region" if region else ""
        for label in g.objects(t, SKOS.altLabel):
            agency_types[str(label)] = (str(t), needs)
    return Lexicon(concepts, label_index, suffixes, units, unit_kinds, kind_measures, cues,
                   version=ontology_version(d), unit_iris=unit_iris, agency_types=agency_types, weak_suffixes=weak,
                   name_endings=frozenset(str(o) for o in g.objects(None, WF.nameEnding)),
                   institution_heads=tuple(sorted({str(o) for o in g.objects(WF.Programme, WF.institutionHead)},
                                                  key=lambda x: (-len(x), x))),
                   payment_words=frozenset(str(o) for o in g.objects(WF.Programme, WF.paymentWord)),
                   function_words=longest_first(read_words("function_words.txt")),
                   generic_modifiers=frozenset(read_words("generic_modifiers.txt")),
                   approximate_before=read_words("approximate_before.txt"),
                   per_containers=read_words("per_containers.txt"),
                   per_spellings={w: to[0] for w, to in read_rows("per_spellings.txt")},
                   per_periods=frozenset(read_words("per_periods.txt")),
                   # a staff word is at least two characters: one character is part of too many words
                   staff_cues=tuple(c for c in cues["count"] if len(c) >= 2
                                    and c not in set(read_words("not_staff_cues.txt"))),
                   coordinators=frozenset(read_words("coordinators.txt")),
                   self_references=frozenset(read_words("self_references.txt")),
                   table=table_words())
