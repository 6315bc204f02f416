#!/usr/bin/env python3
"""Render the table reports (tests/table-reports) as bureaus publish them, with real Word tables.

    python tests/render_table_documents.py [OUT]   # default: tests/documents/tables
    python tests/render_table_documents.py OUT SOURCE GOLD   # another batch of reports and its gold
    python tests/render_table_documents.py --html OUT SOURCE GOLD   # only the web pages (no LibreOffice)

For each report NAME of tests/table-reports/*.txt (gold: tests/gold-tables) writes

- ``NAME.docx``: python-docx on an A4 page, one paragraph per text line, each text table
  (pipe ``a | b``, tab-separated or space-aligned) a Word table with grid lines; two header
  rows over merged cells (601's 表1) become merged Word cells (a horizontal span for the
  group, a vertical one for the row-label column); captions, unit lines and notes stay
  paragraphs where they stand; a page header (the bureau) and a ``— N —`` footer;
- ``NAME.pdf``: LibreOffice's PDF of that DOCX (A4);
- ``NAME.narrow.pdf``: the same report on an 11 cm page, where long cells wrap inside
  their cell and tables are cut by page breaks;
- ``NAME.doc``: LibreOffice's Word 97 file of the A4 DOCX;
- ``NAME.html``: the report as a bureau's web page: site chrome (navigation, breadcrumb,
  share links, footer), one ``<p>`` per line, each table an HTML ``<table>`` whose merged
  header cells are ``colspan``/``rowspan`` cells, as content systems publish them.

The text tables are parsed here with a parser of its own (not kg's table detector, so the
test of the readers is not circular); ``check()`` holds it to the gold: every gold table
quote is one parsed row joined by `` | ``. Needs python-docx and LibreOffice (``soffice``).
The outputs are checked in; rerun after changing a source report.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import unicodedata
from html import escape
from pathlib import Path

from docx import Document
from docx.shared import Cm

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_documents import _font, add_table, page_furniture, soffice  # noqa: E402

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "table-reports"
GOLD = HERE / "gold-tables"
# A line of a space-aligned table: cells are separated by two or more ASCII spaces.
GAP = re.compile(r" {2,}")
TOKEN = re.compile(r"[^ \t]+(?: [^ \t]+)*")


def width(s: str) -> int:
    """Display columns of a string as a monospaced editor aligns it (CJK wide = 2)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def kind(line: str) -> str | None:
    if re.match(r"^\s*(?:附|续)?表\s*[0-9一二三四五六七八九十]+", line):
        return None  # a caption stays a paragraph, however it is spaced
    if " | " in line or re.fullmatch(r"\|[\s|:\-]+\|", line.strip()):
        return "pipe"
    if "\t" in line:
        return "tab"
    if len(TOKEN.findall(line.strip(" "))) >= 2 and GAP.search(line.strip(" ")):
        return "space"
    return None


def _space_rows(lines: list[str]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Rows of a space-aligned block, cells placed by display column; header cells that
    span columns (or an empty header cell under a label) become merges."""
    toks = []
    for line in lines:
        row, col, pos = [], 0, 0
        for m in TOKEN.finditer(line):
            col += width(line[pos:m.start()])
            row.append((col, m.group()))
            col += width(m.group())
            pos = m.end()
        toks.append(row)
    widest = max(toks, key=len)
    starts = [c for c, _ in widest]
    spans = [(c, c + width(t)) for c, t in widest]
    n = len(starts)
    rows, merges = [], []

    def column(c: int, t: str) -> int:
        # The column whose widest-row cell the token overlaps most (a number right-aligned under a
        # wide header starts far from the header's start), else the nearest.
        a, b = c, c + width(t)
        overlap = [max(0, min(b, e) - max(a, s)) for s, e in spans]
        if max(overlap) > 0:
            return overlap.index(max(overlap))
        return min(range(n), key=lambda k: min(abs(spans[k][0] - a), abs(spans[k][1] - b)))

    for r, row in enumerate(toks):
        cells = [""] * n
        at = []
        for c, t in row:
            j = column(c, t)
            cells[j] = t
            at.append(j)
        rows.append(cells)
        # A header row naming fewer columns than the body: each name spans to the next.
        if r == 0 and len(row) < n and not any(re.fullmatch(r"[\d.,]+", t) for _, t in row):
            for a, b in zip(at, at[1:] + [n]):
                if b - a > 1:
                    merges.append((0, a, 0, b - 1))
    # A second header row with an empty label cell: the label spans both rows.
    if len(rows) > 1 and merges and rows[1][0] == "" and rows[0][0]:
        merges.append((0, 0, 1, 0))
    return rows, merges


def _section(lines: list[str], j: int, k: str) -> bool:
    """A short line between rows of a tab or pipe table (一、社会救助): a section row of it."""
    t = lines[j].strip()
    return bool(t) and len(t) <= 16 and not re.search(r"[。，；:：\d]", t) and j + 1 < len(lines) \
        and kind(lines[j + 1]) == k


def parse(text: str) -> list:
    """The report as a list of parts: a line (str) or a table ({"rows", "merge"})."""
    lines = text.split("\n")
    parts, i = [], 0
    while i < len(lines):
        k = kind(lines[i])
        j = i
        while j < len(lines) and k and (kind(lines[j]) == k or (k == "space" and lines[j].startswith("  ")
                                                                 and kind(lines[j]) == "space")
                                         or (k in ("tab", "pipe") and j > i and _section(lines, j, k))):
            j += 1
        if k and j - i >= 2:
            block = lines[i:j]
            if k == "space":
                rows, merges = _space_rows(block)
            else:
                if k == "pipe":
                    # | a | b |: markdown's frame and its |---| rule hold no cells
                    block = [ln for ln in block if not re.fullmatch(r"\|[\s|:\-]+\|", ln.strip())]
                    framed = all(ln.strip().startswith("|") and ln.strip().endswith("|") for ln in block)
                    rows = [[c.strip() for c in (ln.strip()[1:-1] if framed else ln).split("|")] for ln in block]
                else:
                    rows = [[c.strip() for c in line.split("\t")] for line in block]
                n = max(map(len, rows))
                rows = [r + [""] * (n - len(r)) for r in rows]
                merges = []
            parts.append({"rows": rows, "merge": merges})
            i = j
        else:
            parts.append(lines[i])
            i += 1
    return parts


def check(name: str, parts: list) -> None:
    """Every gold table quote is a parsed row: the parser reads the tables as the gold does."""
    gold = json.loads((GOLD / f"{name}.txt.json").read_text(encoding="utf-8"))
    rows = {" | ".join(r) for p in parts if isinstance(p, dict) for r in p["rows"]}
    missing = {f["quote"] for f in gold["figures"] if f.get("table")} - rows
    if missing:
        sys.exit(f"render_table_documents: {name}: gold table rows not parsed: {sorted(missing)[:3]}")


def to_docx(name: str, parts: list, path: Path, page: tuple[float, float], margin: float) -> Path:
    doc = Document()
    _font(doc)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(page[0]), Cm(page[1])
    sec.left_margin = sec.right_margin = sec.top_margin = sec.bottom_margin = Cm(margin)
    first = next(p for p in parts if isinstance(p, str) and p.strip())
    page_furniture(sec, first.split("20")[0])
    for part in parts:
        if isinstance(part, dict):
            add_table(doc, part)
        elif part.strip():
            doc.add_paragraph(part.strip(" \u3000"))
    doc.save(path)
    return path


def _html_table(part: dict) -> str:
    """``part`` as an HTML table: a merge is one cell with its span, the cells it covers are left out."""
    rows, covered, span = part["rows"], set(), {}
    for r0, c0, r1, c1 in part.get("merge", ()):
        span[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    out = ['<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">', "<tbody>"]
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            if (i, j) in covered:
                continue
            rs, cs = span.get((i, j), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            tag = "th" if i == 0 else "td"
            cells.append(f'<{tag}{attrs}><p style="text-align:center"><span>{escape(cell) or "&nbsp;"}'
                         f"</span></p></{tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def to_html(name: str, parts: list, path: Path) -> Path:
    """The report as its bureau's web page: chrome the reader must drop around the article."""
    first = next(p for p in parts if isinstance(p, str) and p.strip())
    bureau = first.split("20")[0]
    body = []
    for part in parts:
        if isinstance(part, dict):
            body.append(_html_table(part))
        elif part.strip():
            line = escape(part.strip(" \u3000"))
            body.append(f'<p style="text-indent:2em">{line}</p>')
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(first.strip())}_{escape(bureau)}</title>
<script>var _hmt = _hmt || [];</script></head>
<body>
<div class="top"><a href="/">首页</a> | <a href="/zwgk/">政务公开</a> | <a href="/bsfw/">办事服务</a> | <a href="/hdjl/">互动交流</a></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 工作总结</div>
<div class="article">
<h1>{escape(first.strip())}</h1>
<div class="info">发布时间：2024-01-15 来源：{escape(bureau)} 浏览次数：1024 【字体：大 中 小】</div>
<div class="content">
{chr(10).join(body[1:])}
</div>
<div class="share">分享到：微信 微博 【打印本页】 【关闭窗口】</div>
</div>
<div class="footer">主办单位：{escape(bureau)} 地址：人民路1号 网站标识码：4300000001 ICP备案号：湘ICP备12345678号</div>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    global SOURCE, GOLD
    html_only = bool(argv) and argv[0] == "--html"
    if html_only:
        argv = argv[1:]
    out = Path(argv[0]) if argv else HERE / "documents" / "tables"
    if len(argv) == 3:  # another batch: OUT SOURCE GOLD
        SOURCE, GOLD = Path(argv[1]), Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if html_only:
        for src in sorted(SOURCE.glob("*.txt")):
            parts = parse(src.read_text(encoding="utf-8"))
            check(src.stem, parts)
            to_html(src.stem, parts, out / f"{src.stem}.html")
            print(f"wrote {src.stem}.html ({sum(isinstance(p, dict) for p in parts)} tables)")
        return 0
    if not shutil.which("soffice"):
        sys.exit("render_table_documents: needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    for src in sorted(SOURCE.glob("*.txt")):
        name = src.stem
        parts = parse(src.read_text(encoding="utf-8"))
        check(name, parts)
        to_html(name, parts, out / f"{name}.html")
        docx = to_docx(name, parts, out / f"{name}.docx", (21.0, 29.7), 2.5)
        soffice(docx, "pdf", out)
        soffice(docx, "doc", out)
        with tempfile.TemporaryDirectory() as tmp:
            narrow = to_docx(name, parts, Path(tmp) / f"{name}.narrow.docx", (11.0, 16.0), 1.8)
            shutil.copy(soffice(narrow, "pdf", Path(tmp)), out / f"{name}.narrow.pdf")
        print(f"wrote {name}.docx .pdf .narrow.pdf .doc .html ({sum(isinstance(p, dict) for p in parts)} tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
