"""A reader's ``Document`` through layout repair and the pipeline into a ``ReportRecord``.

The record's offsets point into ``Document.text``, the text the reader
returned: for a .txt or web page that is the file's text (as always), for a
PDF its text layer page after page, for Word the body's paragraphs and tables.
Layout repair (kg.read.layout) hands the pipeline a repaired text with a map
back into it, so a figure rejoined from ``12.⏎5万人`` spans the wrap in the
reader's text while its quote reads as the repaired sentence. The record's
``sha256`` is of that same text, and each figure's ``page`` is the page its
start stands on (``Document.page_starts``).
"""
from __future__ import annotations

import bisect
import hashlib
from dataclasses import replace

from kg.nlp.pipeline import extract
from kg.read.layout import repair
from kg.records import Document, ReportRecord


def extract_document(doc: Document, source: str, ontology_dir: str | None = None,
                     timings: dict[str, float] | None = None) -> ReportRecord:
    fixed = repair(doc)
    rec = extract(fixed.text, source, ontology_dir, doc.encoding, doc.warnings, timings=timings)
    changes: dict = {}
    if fixed.changed:
        changes["figures"] = tuple(replace(f, start=s, end=e) for f in rec.figures
                                   for s, e in [fixed.original(f.start, f.end)])
        changes["mentions"] = tuple(replace(m, start=s, end=e) for m in rec.mentions
                                    for s, e in [fixed.original(m.start, m.end)])
        changes["sha256"] = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()
    if doc.page_starts:
        pages = list(doc.page_starts)
        changes["figures"] = tuple(replace(f, page=bisect.bisect_right(pages, f.start) + 1)
                                   for f in changes.get("figures", rec.figures))
    if fixed.doc_number:
        changes["doc_number"] = fixed.doc_number
    if fixed.issued:
        changes["issued"] = fixed.issued
    if rec.publisher is None and fixed.issuer:  # the 红头 names the issuer where the text does not
        changes["publisher"] = fixed.issuer
    if doc.format != "txt":
        changes["format"] = doc.format
    if doc.tables:
        changes["tables"] = doc.tables
    return replace(rec, **changes) if changes else rec
