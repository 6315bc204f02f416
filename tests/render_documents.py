#!/usr/bin/env python3
"""Render test reports as bureaus publish them: DOCX (real Word tables), PDF and DOC.

    python tests/render_documents.py [OUT [NAME ...]]   # default: tests/documents, the reports below

Takes three reports of tests/new-reports (their gold is in tests/gold-new) and
one report with tables (written here, its text in tests/documents/), and writes

- ``NAME.docx``: python-docx, one paragraph per line, a page header (the bureau's
  name) and a footer with the page number, neither of them report text;
  the 苍溪 report also carries 公文 furniture (红头, 文号, 版记);
- ``NAME.pdf``: LibreOffice's PDF of that DOCX on a narrow page, so lines are
  hard-wrapped every 20-odd characters and each page has the running header and
  a ``— N —`` page number: the shape of a bureau's PDF;
- ``NAME.doc``: LibreOffice's Word 97 file of the same DOCX;
- ``NAME.pdf.txt``: the PDF's text layer as a PDF viewer copies it (page by
  page, wraps and furniture left in), the "pasted from a PDF" input.

Needs python-docx, pypdfium2 and LibreOffice (``soffice``). The outputs are
checked in; rerun after changing a source report.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
REPORTS = ["100_cangxi_county_2022", "102_guizhou_province_2019",
           "402_congjiang_county_2021"]
TABLE_REPORT = "900_linxiang_tables_2023"
# 公文 furniture for one report: it carries digits (〔2023〕, 5号, dates) that are not figures.
FURNITURE = {
    "100_cangxi_county_2022": {
        "head": "苍溪县民政局文件",
        "number": "苍民发〔2023〕5号",
        "tail": ["抄送：县委办公室，县人大常委会办公室，县政府办公室，县政协办公室。",
                 "苍溪县民政局办公室                2023年1月10日印发"],
    },
}


def table_report() -> list:
    """A short report whose figures stand in tables: a list of lines and tables."""
    return [
        "临湘市民政局2023年工作总结",
        "",
        "2023年，市民政局坚持以人民为中心，兜牢民生底线，各项民政工作稳步推进。现将有关情况总结如下。",
        "一、社会救助",
        "全市城乡低保标准稳步提高，各乡镇（街道）保障人数见下表。",
        "表1 2023年各地城乡低保保障情况",
        "单位：人、元/人/月",
        {"rows": [["地区", "城市低保人数", "城市低保标准"],
                  ["临湘市", "735", "590"],
                  ["长安街道", "312", "590"],
                  ["五里牌街道", "208", "590"]]},
        "全年累计发放城乡低保金2860.5万元，同比增长4.3%。",
        "二、养老服务",
        "表2 养老服务设施建设情况",
        {"rows": [["项目", "数量", "数量"],
                  ["项目", "2022年", "2023年"],
                  ["养老机构（个）", "18", "21"],
                  ["护理型床位（张）", "1260", "1420"],
                  ["农村互助养老服务点（个）", "86", "112"]],
         "merge": [(0, 1, 0, 2), (0, 0, 1, 0)]},
        "全年为80周岁以上老年人发放高龄津贴1186万元，惠及老年人2.3万人。",
        "",
        "临湘市民政局",
        "2024年1月12日",
    ]


def _field(paragraph, instr: str) -> None:
    """A Word field (PAGE) in a paragraph: LibreOffice fills it in per page."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instr), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == instr:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = instr
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _font(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = "WenQuanYi Micro Hei"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "WenQuanYi Micro Hei")


def page_furniture(sec, bureau: str) -> None:
    """A bureau's running header and a ``— N —`` page-number footer on every page of ``sec``."""
    sec.header.paragraphs[0].text = f"{bureau} 工作总结"
    sec.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("— ")
    _field(foot, "PAGE")
    foot.add_run(" —")


def add_table(doc, part: dict) -> None:
    """A real Word table of ``part["rows"]``; ``part["merge"]`` lists (r0, c0, r1, c1) cells to merge."""
    rows = part["rows"]
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    for r0, c0, r1, c1 in part.get("merge", ()):
        text = table.cell(r0, c0).text
        table.cell(r0, c0).merge(table.cell(r1, c1)).text = text


def to_docx(name: str, parts: list, out: Path) -> Path:
    doc = Document()
    _font(doc)
    sec = doc.sections[0]
    # A narrow page: about 22 characters a line, as a 公文's wrapped lines.
    sec.page_width, sec.page_height = Cm(11), Cm(16)
    sec.left_margin = sec.right_margin = Cm(1.8)
    sec.top_margin = sec.bottom_margin = Cm(1.8)
    first = next((p for p in parts if isinstance(p, str) and p.strip() and not p.startswith("来源")), name)
    bureau = first.split("20")[0] if "20" in first else first
    page_furniture(sec, bureau)
    furniture = FURNITURE.get(name)
    if furniture:
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(furniture["head"])
        r.font.size, r.font.bold, r.font.color.rgb = Pt(20), True, RGBColor(0xC0, 0, 0)
        doc.add_paragraph(furniture["number"]).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in parts:
        if isinstance(part, dict):
            add_table(doc, part)
        elif part.strip():
            doc.add_paragraph(part)
    if furniture:
        for line in furniture["tail"]:
            doc.add_paragraph(line)
    path = out / f"{name}.docx"
    doc.save(path)
    return path


def soffice(src: Path, fmt: str, out: Path) -> Path:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
                        "--outdir", str(out), str(src)], check=True, capture_output=True, timeout=180)
    return out / f"{src.stem}.{fmt.split(':')[0]}"


def pdf_text(pdf: Path) -> str:
    """The text layer page by page, as a viewer's copy gives it (wraps and furniture kept)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = [doc[i].get_textpage().get_text_bounded().replace("\r\n", "\n") for i in range(len(doc))]
    return "\n".join(p.rstrip("\n") for p in pages) + "\n"


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else HERE / "documents"
    out.mkdir(parents=True, exist_ok=True)
    if not shutil.which("soffice"):
        sys.exit("render_documents: needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    names = argv[1:] or REPORTS
    sources = {n: (HERE / "new-reports" / f"{n}.txt").read_text(encoding="utf-8").split("\n") for n in names}
    if not argv[1:]:
        sources[TABLE_REPORT] = table_report()
    # The table report's text as a reader writes its tables: one line per row, cells joined by " | ".
    if TABLE_REPORT in sources:
        (out / f"{TABLE_REPORT}.txt").write_text(
            "\n".join(" | ".join(r) for p in sources[TABLE_REPORT] for r in (p["rows"] if isinstance(p, dict) else [[p]]))
            + "\n", encoding="utf-8")
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    for name, parts in sources.items():
        docx = to_docx(name, parts, out)
        pdf = soffice(docx, "pdf", out)
        soffice(docx, "doc", out)
        (out / f"{name}.pdf.txt").write_text(pdf_text(pdf), encoding="utf-8")
        print(f"wrote {name}.docx .pdf .doc .pdf.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
