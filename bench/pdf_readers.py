#!/usr/bin/env python3
"""Measure PDF text extraction for Chinese reports: pypdfium2 against pdfplumber.

    python bench/pdf_readers.py [FOLDER]        # default: tests/documents

For every NAME.pdf in FOLDER (and in more FOLDERs given after it) whose source text is known (tests/new-reports/NAME.txt,
or FOLDER/NAME.txt), extracts the text layer with each library, drops the page
furniture the renderer added (running header, ``— N —`` lines) and all
whitespace, and compares with the source's characters (whitespace dropped too):

- character accuracy: 1 - edit distance / source length (difflib opcodes);
- seconds per page, best of 3 runs, and the ratio to pypdfium2 in the same run.

Then tables: for each NAME.pdf with a NAME.docx beside it, the share of the
DOCX's table rows (python-docx: the truth) that the PDF reading gives whole,
(a) by kg.read.pdf (pdfplumber's table finder on ruled pages, columns found
from the gaps between characters elsewhere), and (b) by splitting the text
layer's lines at spaces (what a reader without tables gets).
"""
from __future__ import annotations

import difflib
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WS = re.compile(r"\s+")
_FURNITURE = re.compile(r"^(?:.*工作总结|[—-]\s*\d+\s*[—-])$")


def with_pdfium(path: Path) -> tuple[list[str], int]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    pages = [doc[i].get_textpage().get_text_bounded() for i in range(len(doc))]
    return pages, len(pages)


def with_kg(path: Path) -> tuple[list[str], int]:
    """kg.read.pdf: PDFium's characters, lines rebuilt from their boxes, ruled tables by pdfplumber."""
    sys.path.insert(0, str(ROOT))
    from kg.read.pdf import read_pdf

    doc = read_pdf(path.read_bytes(), path.name)
    cuts = (0,) + doc.page_starts + (len(doc.text),)
    pages = [doc.text[a:b].replace(" | ", "") for a, b in zip(cuts, cuts[1:])]
    return pages, len(pages)


def with_pdfplumber(path: Path) -> tuple[list[str], int]:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        pages = [p.extract_text() or "" for p in pdf.pages]
    return pages, len(pages)


def body(pages: list[str]) -> str:
    lines = [l.strip() for p in pages for l in p.splitlines()]
    return _WS.sub("", "".join(l for l in lines if not _FURNITURE.match(l)))


def accuracy(got: str, want: str) -> float:
    errors = 0
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, want, got, autojunk=False).get_opcodes():
        if op != "equal":
            errors += max(a2 - a1, b2 - b1)
    return 1 - errors / len(want)


def main(argv: list[str]) -> int:
    folders = [Path(a) for a in argv] or [ROOT / "tests" / "documents"]
    folder = folders[0]
    libs = {"pypdfium2": with_pdfium, "pdfplumber": with_pdfplumber, "kg.read.pdf": with_kg}
    totals = {k: [0.0, 0.0, 0] for k in libs}  # accuracy sum, seconds, pages
    n = 0
    for pdf in sorted(p for f in folders for p in f.glob("*.pdf")):
        src = next((p for p in (ROOT / "tests" / "new-reports" / f"{pdf.stem}.txt", pdf.with_suffix(".txt"))
                    if p.exists()), None)
        if src is None:
            continue
        want = _WS.sub("", src.read_text(encoding="utf-8").replace(" | ", ""))
        n += 1
        row = [pdf.name]
        for lib, fn in libs.items():
            best = None
            for _ in range(3):
                t = time.perf_counter()
                pages, npages = fn(pdf)
                dt = time.perf_counter() - t
                best = dt if best is None else min(best, dt)
            acc = accuracy(body(pages), want)
            totals[lib][0] += acc
            totals[lib][1] += best
            totals[lib][2] += npages
            row.append(f"{lib} {acc:.4f} {best / npages * 1000:.1f} ms/page")
        print("  ".join(row))
    tables(folders)
    ref = totals["pypdfium2"][1] / max(1, totals["pypdfium2"][2])
    for lib, (acc, sec, pages) in totals.items():
        per = sec / max(1, pages)
        print(f"{lib:12} mean accuracy {acc / max(1, n):.4f}  {per * 1000:.1f} ms/page  ×{per / ref:.1f} pypdfium2")
    return 0


def tables(folders: list[Path]) -> None:
    sys.path.insert(0, str(ROOT))
    from kg.read.pdf import read_pdf
    from kg.read.word import read_docx

    squash = lambda row: "|".join(_WS.sub("", c) for c in row)  # noqa: E731
    found = {"kg.read.pdf": 0, "spaces": 0}
    total = 0
    for pdf in sorted(p for f in folders for p in f.glob("*.pdf")):
        docx = pdf.with_suffix(".docx")
        if not docx.exists():
            continue
        truth = [squash(r) for t in read_docx(docx.read_bytes(), docx.name).tables for r in t.rows]
        if not truth:
            continue
        total += len(truth)
        doc = read_pdf(pdf.read_bytes(), pdf.name)
        finder = {squash(r) for t in doc.tables for r in t.rows}
        pages, _ = with_pdfium(pdf)
        columns = {squash(re.split(r"\s{1,}", l.strip())) for p in pages for l in p.splitlines() if l.strip()}
        found["kg.read.pdf"] += sum(r in finder for r in truth)
        found["spaces"] += sum(r in columns for r in truth)
    for how, n in found.items():
        print(f"tables by {how:11} {n}/{total} rows whole ({n / max(1, total):.0%})")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
