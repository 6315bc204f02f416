"""A reader's ``Document`` through layout repair and the pipeline into a ``ReportRecord``.

The record's offsets point into ``Document.text``, the text the reader
returned: for a .txt or web page that is the file's text (as always), for a
PDF its text layer page after page, for Word the body's paragraphs and tables.
Layout repair (kg.read.layout) hands the pipeline a repaired text with a map
back into it, so a figure rejoined from ``12.⏎5万人`` spans the wrap in the
reader's text while its quote reads as the repaired sentence. The reader's
tables go to the pipeline's table stage in the repaired text's offsets and come
back in the reader's. The record's ``sha256`` is of the reader's text, and each
figure's ``page`` is the page its start (or its table) stands on
(``Document.page_starts``).
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import replace

from kg.nlp.pipeline import extract
from kg.read.layout import Repaired, repair
from kg.records import Document, ReportRecord, Table


def extract_document(doc: Document, source: str, ontology_dir: str | None = None,
                     timings: dict[str, float] | None = None,
                     disabled_rules: frozenset[str] = frozenset()) -> ReportRecord:
    fixed = repair(doc)
    tables = tuple(_to_repaired(t, fixed) for t in doc.tables) if fixed.changed else doc.tables
    rec = extract(fixed.text, source, ontology_dir, doc.encoding, doc.warnings, timings=timings, tables=tables,
                  disabled_rules=disabled_rules)
    changes: dict = {}
    figures, out_tables = rec.figures, rec.tables
    if fixed.changed:
        figures = tuple(replace(f, start=s, end=e) if f.start >= 0 else f for f in figures
                        for s, e in [fixed.original(f.start, f.end) if f.start >= 0 else (f.start, f.end)])
        changes["mentions"] = tuple(replace(m, start=s, end=e) for m in rec.mentions
                                    for s, e in [fixed.original(m.start, m.end)])
        out_tables = tuple(_to_reader(t, fixed) for t in rec.tables)
        changes["sha256"] = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    if doc.page_starts or doc.format == "pdf":  # a one-page PDF has no page starts, and its page is 1
        pages = list(doc.page_starts)

        def page(f) -> int | None:
            if f.start >= 0:
                return bisect.bisect_right(pages, f.start) + 1
            if f.table is not None and f.table < len(out_tables) and out_tables[f.table].start >= 0:
                return bisect.bisect_right(pages, out_tables[f.table].start) + 1
            return None

        figures = tuple(replace(f, page=page(f)) for f in figures)
    if figures is not rec.figures:
        changes["figures"] = figures
    if out_tables is not rec.tables:
        changes["tables"] = out_tables
    if fixed.doc_number:
        changes["doc_number"] = fixed.doc_number
    if fixed.issued:
        changes["issued"] = fixed.issued
    if rec.publisher is None and fixed.issuer:  # the 红头 names the issuer where the text does not
        changes["publisher"] = fixed.issuer
    if doc.format != "txt":
        changes["format"] = doc.format
    return replace(rec, **changes) if changes else rec


def _to_repaired(t: Table, fixed: Repaired) -> Table:
    """A reader's table in the repaired text's offsets (repair keeps every row's line)."""
    def at(offset: int) -> int:
        return bisect.bisect_left(fixed.offsets, offset)

    return replace(t, start=at(t.start), end=at(t.end), row_starts=tuple(at(p) for p in t.row_starts))


def _to_reader(t: Table, fixed: Repaired) -> Table:
    if t.start < 0:
        return t
    return replace(t, start=fixed.offsets[t.start], end=fixed.original(t.start, t.end)[1],
                   row_starts=tuple(fixed.offsets[p] for p in t.row_starts))
