"""Typed records passed between pipeline stages.

The NLP stages produce these; the graph stage turns them into triples. They
hold plain Python values only (no spaCy, no rdflib), so either side can be
tested, cached and pickled across processes on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

#: Measures a figure can have (GOLD.md); the ontology names them wf:Standard etc.
MEASURES = ("standard", "spending", "recipients", "count", "share", "other")


@dataclass(frozen=True)
class ConceptRef:
    """A programme or beneficiary-group concept a mention resolves to.

    ``key`` is the concept's IRI in the ontology, or ``None`` for a wording no
    concept knows yet: the graph mints a new concept for it under ``broader``.
    """

    kind: str  # "programme" | "group"
    label: str  # the wording as written (simplified)
    key: str | None = None
    broader: str | None = None  # IRI of the best broader concept for a new wording


@dataclass(frozen=True)
class Mention:
    """An agency, programme, group or region named in a report."""

    kind: str  # "agency" | "programme" | "group" | "region"
    text: str  # simplified surface form
    start: int  # offsets into the ORIGINAL file text
    end: int
    concept: ConceptRef | None = None  # programmes and groups
    name: str | None = None  # agencies: the resolved full name; regions: the canonical name


@dataclass(frozen=True)
class Region:
    name: str  # canonical name, e.g. 路桥区
    code: str | None = None  # six-digit administrative-division code
    level: str | None = None  # province | city | county
    parent: "Region | None" = None
    former: tuple["Region", ...] = ()  # the former unit(s) the report named, which became this one (kg/vocab/data)


@dataclass(frozen=True)
class Table:
    """A table as a reader sees it, wherever it was found (a DOCX or HTML table, a PDF's
    columns, pipe/tab/space-aligned lines in text).

    ``rows`` are the cell texts, header rows first; a merged cell's text is repeated over
    every column (and row) it spans, so each row has one text per column.
    """

    start: int  # offsets into the report's text (as read) where the table stands
    end: int
    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1
    caption: str | None = None  # 表1 2023年各县（市、区）城乡低保标准
    unit: str | None = None  # a unit line: 单位：元/人/月
    row_starts: tuple[int, ...] = ()  # offset of each row in the text, where known
    page: int | None = None
    origin: str = "text"  # text | docx | html | pdf


@dataclass(frozen=True)
class Document:
    """What a reader returns: the report's text as a reader sees it, plus the layout it knows."""

    text: str
    encoding: str  # codec name (text formats) or the format read (pdf, docx, ...)
    format: str = "txt"  # txt | html | pdf | docx | doc | wps | odt | rtf
    warnings: tuple[str, ...] = ()
    page_starts: tuple[int, ...] = ()  # offsets where pages 2, 3, ... begin (page 1 starts at 0)
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A quantity stated in a report, normalised (GOLD.md's fields)."""

    text: str  # as written, simplified (e.g. 208.9万元, 每人每月900元)
    unit: str  # base unit label: 元, 人, 户, 人次, %, 个 ...
    value: Decimal | None  # in base units; None when redacted or unparsed
    start: int  # offsets into the ORIGINAL file text
    end: int
    quote: str  # the clause it was read from, simplified
    measure: str = "other"
    per: str | None = None
    previous: Decimal | None = None
    approximate: bool = False
    redacted: bool = False
    unparsed: bool = False  # a number we saw but could not normalise
    programme: ConceptRef | None = None
    group: ConceptRef | None = None
    period_start: date | None = None
    period_end: date | None = None
    region: Region | None = None  # the figure's own place, where its clause or table row names one
    page: int | None = None  # page of the source document, where the reader knows pages
    qualifier: str | None = None  # a table row's or column's category (民办, 70-79岁, 二季度)
    table: int | None = None  # index into ReportRecord.tables, for a table cell
    row: int | None = None  # the cell's row and column in that table
    column: int | None = None
    decided_by: tuple[str, ...] = ()  # names of the rules that decided its links (kg.nlp rules)


@dataclass(frozen=True)
class RuleNote:
    """A rule named in a figure's ``decided_by``, as the graph describes it (kg.nlp.rules)."""

    name: str
    slot: str  # what it decides: programme | group | measure | unit/per | period | region
    why: str


@dataclass(frozen=True)
class ReportRecord:
    """Everything read from one input file."""

    source: str  # file name
    sha256: str
    title: str
    publisher: str | None = None  # agency name as resolved (e.g. 路桥区民政局)
    publisher_aliases: tuple[str, ...] = ()  # other names of the same bureau in the report
    region: Region | None = None
    period_start: date | None = None
    period_end: date | None = None
    mentions: tuple[Mention, ...] = ()
    figures: tuple[Figure, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    encoding: str = "utf-8"
    format: str = "txt"  # the input's format (Document.format)
    tables: tuple[Table, ...] = ()
    doc_number: str | None = None  # 文号 of a 公文 (X民发〔2024〕12号)
    issued: date | None = None  # date of issue from a 公文's furniture
    rules: tuple[RuleNote, ...] = ()  # the rules its figures' decided_by name, by name
