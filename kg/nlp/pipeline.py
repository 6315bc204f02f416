"""The spaCy pipeline: text in, a ``ReportRecord`` out.

``spacy.blank("zh")`` with character segmentation (no model download exists
here, and characters align with every offset), then three components
registered with ``@Language.factory``:

- ``welfare_figures``: quantities with units (kg.nlp.figures)
- ``welfare_entities``: agencies, programmes, groups, regions (kg.nlp.entities)
- ``welfare_linker``: figure → programme, group, measure, period (kg.nlp.linking)

The components hand each other typed records (``DocRecords``, one per Doc as the
extension ``doc._.welfare``, registered once) and expose spans in ``doc.spans``;
``extract`` maps them back to the original file's offsets.
"""
from __future__ import annotations

import bisect
import hashlib
import time
from dataclasses import dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.nlp.entities import RawMention, find_mentions
from kg.nlp.figures import RawFigure, find_figures
from kg.nlp.linking import DEFAULT_LEVELS, Link, Structure, figure_period, link, measure_of, structure, refine_groups
from kg.nlp.normalize import Normalized, normalize
from kg.nlp.place import figure_region
from kg.vocab.ontology import load_lexicon
from kg.read.text import MAX_CHARS
from kg.nlp.rules import describe
from kg.records import ConceptRef, Figure, Mention, ReportRecord, RuleNote, Table
from kg.nlp.tables import Located, all_tables, table_figures
from kg.vocab.regions import gazetteer
from kg.nlp.report import period_of, publisher_of, region_of, title_of

PIPELINE_VERSION = "1"


@dataclass
class DocRecords:
    """What the components hand each other on one Doc (``doc._.welfare``)."""

    text: str  # doc.text, once: spaCy rebuilds it token by token on every access
    table_spans: list[tuple[int, int]] = field(default_factory=list)  # the table stage's text: no prose figures
    figures: list[RawFigure] = field(default_factory=list)
    mentions: list[RawMention] = field(default_factory=list)
    structure: Structure | None = None
    links: list[Link] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    one_per_char: bool = False  # made by CharTokenizer: token i is character i


if not Doc.has_extension("welfare"):
    Doc.set_extension("welfare", default=None)


def records_of(doc) -> DocRecords:
    """The Doc's records, made on first use (a Doc not made by CharTokenizer)."""
    if doc._.welfare is None:
        doc._.welfare = DocRecords(doc.text)
    return doc._.welfare


def doc_text(doc) -> str:
    """``doc.text``, computed once."""
    return records_of(doc).text


@Language.factory("welfare_figures", default_config={"ontology_dir": None})
def make_figures(nlp: Language, name: str, ontology_dir: str | None):
    lex = load_lexicon(ontology_dir)

    def component(doc):
        figs = find_figures(doc_text(doc), lex)
        # The table stage owns the text its tables stand on: their numbers are read as cells, not prose.
        spans = records_of(doc).table_spans
        if spans:
            figs = [f for f in figs if not any(s <= f.start < e for s, e in spans)]
        records_of(doc).figures = figs
        doc.spans["figures"] = _char_spans(doc, [(f.start, f.end, f.unit) for f in figs])
        return doc

    return component


@Language.factory("welfare_entities", default_config={"ontology_dir": None, "disabled_rules": []})
def make_entities(nlp: Language, name: str, ontology_dir: str | None, disabled_rules: list[str]):
    lex = load_lexicon(ontology_dir)
    gaz = gazetteer()
    disabled = frozenset(disabled_rules)

    def component(doc):
        figs = records_of(doc).figures
        mentions = find_mentions(doc_text(doc), lex, gaz, [(f.start, f.end) for f in figs], disabled)
        # Numbers inside a name are not figures (残疾人两项补贴, 十四五).
        named = sorted((m.start, m.end) for m in mentions if m.kind != "region")
        records_of(doc).figures = [f for f in figs if not _inside_a_name(f, named)]
        records_of(doc).mentions = mentions
        doc.spans["entities"] = _char_spans(doc, [(m.start, m.end, m.kind.upper()) for m in mentions])
        return doc

    return component


def _char_spans(doc, spans: list[tuple[int, int, str]]) -> list[Span]:
    """``doc.char_span(start, end, label, alignment_mode="expand")`` for each, the empty ones
    left out. On a Doc of one token per character (CharTokenizer) character and token
    offsets are the same: no search for the tokens."""
    if records_of(doc).one_per_char:
        return [s for start, end, label in spans if (s := Span(doc, start, end, label=label))]
    return [s for start, end, label in spans if (s := doc.char_span(start, end, label=label, alignment_mode="expand"))]


def _inside_a_name(f, named: list[tuple[int, int]]) -> bool:
    """Does a longer name overlap the figure? ``named`` is sorted; names are short,
    so only those starting a little before the figure can reach it."""
    i = bisect.bisect_left(named, (f.start - 64, 0))
    while i < len(named) and named[i][0] < f.end:
        s, e = named[i]
        if s < f.end and f.start < e and (e - s) > (f.end - f.start):
            return True
        i += 1
    return False


@Language.factory("welfare_linker", default_config={
    "ontology_dir": None,
    # How far a figure looks for its programme / group (kg.nlp.linking.LEVELS).
    "programme_levels": list(DEFAULT_LEVELS["programme"]),
    "group_levels": list(DEFAULT_LEVELS["group"]),
    # A benefit standard (每人每月300元) may name whom it is for earlier in its sentence.
    "standard_group_levels": list(DEFAULT_LEVELS["standard_group"]),
    # Rules switched off by name (kg.nlp.rules; kg eval --without).
    "disabled_rules": [],
})
def make_linker(nlp: Language, name: str, ontology_dir: str | None, programme_levels: list[str],
                group_levels: list[str], standard_group_levels: list[str], disabled_rules: list[str]):
    lex = load_lexicon(ontology_dir)
    disabled = frozenset(disabled_rules)
    levels = {"programme": tuple(programme_levels), "group": tuple(group_levels),
              "standard_group": tuple(standard_group_levels)}

    def component(doc):
        rec = records_of(doc)
        figs, mentions = rec.figures, rec.mentions
        text = doc_text(doc)
        st = structure(text)
        links = link(text, figs, mentions, st, levels, lex, disabled)
        rec.structure = st
        decided = [measure_of(text, f, g, lex, disabled) for f, (_, g, _) in zip(figs, links)]
        measures = [m for m, _ in decided]
        rec.links = [link._replace(decided_by=link.decided_by + (rule,)) for link, (_, rule) in zip(
            refine_groups(text, figs, links, measures, mentions, st, levels, lex, disabled), decided)]
        rec.measures = measures
        return doc

    return component


class CharTokenizer:
    """One token per character, whitespace included, so token offsets are text
    offsets. spaCy's own ``zh`` char segmenter aligns its words back to the text
    with repeated slicing, which grows with the square of the length."""

    def __init__(self, vocab):
        self.vocab = vocab
        self.orth: dict[str, int] = {}  # character -> its id in the vocabulary's strings

    def __call__(self, text: str) -> Doc:
        # Words given as string ids: spaCy then skips hashing each character again
        # (a report is some 4,000 characters of a few hundred distinct ones).
        orth = self.orth
        if not orth.keys() >= set(text):
            orth.update((c, self.vocab.strings.add(c)) for c in set(text) - orth.keys())
        doc = Doc(self.vocab, words=[orth[c] for c in text], spaces=[False] * len(text))
        doc._.welfare = DocRecords(text, one_per_char=True)  # doc.text would join 100,000 tokens again
        return doc

    def to_bytes(self, **kwargs) -> bytes:  # nothing to save: no settings, no data
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        pass

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        return self


@spacy.registry.tokenizers("welfare_char_tokenizer.v1")
def create_char_tokenizer():
    return lambda nlp: CharTokenizer(nlp.vocab)


@lru_cache(maxsize=2)
def build_nlp(ontology_dir: str | None = None, disabled_rules: tuple[str, ...] = ()) -> Language:
    # Character tokens: no model to download, and every offset is a text offset.
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "welfare_char_tokenizer.v1"}}})
    nlp.max_length = MAX_CHARS
    cfg = {"ontology_dir": ontology_dir}
    rules = {"disabled_rules": list(disabled_rules)}
    nlp.add_pipe("welfare_figures", config=cfg)
    nlp.add_pipe("welfare_entities", config=cfg | rules)
    nlp.add_pipe("welfare_linker", config=cfg | rules)
    return nlp


def extract(original: str, source: str, ontology_dir: str | None = None, encoding: str = "utf-8",
            warnings: tuple[str, ...] = (), timings: dict[str, float] | None = None,
            tables: tuple[Table, ...] = (), disabled_rules: frozenset[str] = frozenset()) -> ReportRecord:
    """Read one report's decoded text into a ``ReportRecord``.

    ``tables``: those the document's reader found (``Document.tables``, offsets into
    ``original``); tables written as lines of text are found here.
    ``timings``, when given, accumulates seconds per stage (kg.bench.run);
    ``disabled_rules`` names rules switched off (kg.nlp.rules)."""
    if timings is not None:
        return _timed_extract(original, source, ontology_dir, encoding, warnings, timings, tables)
    norm = normalize(original)
    nlp = build_nlp(ontology_dir, tuple(sorted(disabled_rules)))
    found = all_tables(original, load_lexicon(ontology_dir), tables, disabled_rules)
    doc = nlp.make_doc(norm.text)
    records_of(doc).table_spans = _normalised_spans(norm, found)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return record_from_doc(doc, norm, original, source, encoding, warnings, ontology_dir, found, disabled_rules)


def _normalised_spans(norm: Normalized, found) -> list[tuple[int, int]]:
    """Each table's stretch of the original text, in the normalised text's offsets."""
    return [(bisect.bisect_left(norm.offsets, t.start), bisect.bisect_left(norm.offsets, t.end))
            for t, _ in found]


def _timed_extract(original, source, ontology_dir, encoding, warnings, timings, tables=()) -> ReportRecord:
    """``extract`` with a clock around each stage; the same calls as ``nlp(text)``."""
    clock = time.perf_counter
    t = clock()
    norm = normalize(original)
    nlp = build_nlp(ontology_dir)
    found = all_tables(original, load_lexicon(ontology_dir), tables)
    stages = [("normalise", None), ("segment", None)] + list(nlp.pipeline) + [("record", None)]
    doc = None
    for name, proc in stages:
        if name == "normalise":
            pass
        elif name == "segment":
            doc = nlp.make_doc(norm.text)
            records_of(doc).table_spans = _normalised_spans(norm, found)
        elif name == "record":
            rec = record_from_doc(doc, norm, original, source, encoding, warnings, ontology_dir, found)
        else:
            doc = proc(doc)
        now = clock()
        timings[name] = timings.get(name, 0.0) + now - t
        t = now
    return rec


def record_from_doc(doc, norm: Normalized, original: str, source: str, encoding: str,
                    warnings: tuple[str, ...], ontology_dir: str | None = None,
                    tables: list[tuple[Table, Located]] = (),
                    disabled_rules: frozenset[str] = frozenset()) -> ReportRecord:
    lex = load_lexicon(ontology_dir)
    gaz = gazetteer()
    text = doc_text(doc)
    rec = records_of(doc)
    figs, mentions, links, measures, st = rec.figures, rec.mentions, rec.links, rec.measures, rec.structure

    publisher, aliases = publisher_of(text, mentions, lex)
    region = region_of(publisher, mentions, gaz)
    period = period_of(text)

    refs: dict[int, ConceptRef] = {}  # by the mention's id: figures share a few mentions

    def concept(m: RawMention | None) -> ConceptRef | None:
        if m is None:
            return None
        ref = refs.get(id(m))
        if ref is None:
            ref = refs[id(m)] = ConceptRef(m.kind, m.text, key=m.key, broader=m.broader)
        return ref

    out_figs = []
    places = [m for m in mentions if m.kind == "region"]  # what figure_region reads, for every figure
    for f, (prog, grp, decided_by), meas in zip(figs, links, measures):
        s, e = norm.original_span(f.start, f.end)
        ps, pe = figure_period(text, f, st, period)
        place = figure_region(f.clause_start, f.start, places, region, gaz)
        out_figs.append(Figure(
            text=f.text, unit=f.unit, value=f.value, start=s, end=e,
            quote=text[f.clause_start: f.clause_end].strip(), measure=meas, per=f.per,
            previous=f.previous, approximate=f.approximate, redacted=f.redacted, unparsed=f.unparsed,
            programme=concept(prog), group=concept(grp), period_start=ps, period_end=pe, region=place,
            decided_by=decided_by))

    # Table cells: offsets are already the original text's (the tables were found in it).
    named = frozenset(m.key for m in mentions if m.kind == "programme" and m.key)
    for i, (_, loc) in enumerate(tables):
        out_figs += table_figures(i, loc, lex, gaz, region, period, named, disabled_rules)
    out_figs.sort(key=lambda f: (f.start, f.end, f.table if f.table is not None else -1,
                                 f.row or 0, f.column or 0))

    out_mentions = []
    for m in mentions:
        s, e = norm.original_span(m.start, m.end)
        name = m.text
        if m.kind == "agency" and (m.text in aliases or m.text == publisher):
            name = publisher
        out_mentions.append(Mention(m.kind, m.text, s, e, concept=concept(m) if m.kind in ("programme", "group", "staff", "admin", "field")
                                    else None, name=name))
    return ReportRecord(
        source=source, sha256=hashlib.sha256(original.encode("utf-8")).hexdigest(),
        title=title_of(text), publisher=publisher, publisher_aliases=aliases, region=region,
        period_start=period[0], period_end=period[1], mentions=tuple(out_mentions),
        figures=tuple(out_figs), warnings=tuple(warnings) + norm.warnings, encoding=encoding,
        tables=tuple(t for t, _ in tables),
        rules=tuple(RuleNote(*r) for r in describe(n for f in out_figs for n in f.decided_by)))


__all__ = ["build_nlp", "extract", "PIPELINE_VERSION", "CharTokenizer"]
