"""Reports as bureaus publish them (tests/documents, made by tests/render_documents.py):
each format reads as well as the report's own .txt, tables stay tables, pages and
公文 furniture are known, and offsets point into the text the reader returned."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build.run import build
from kg.nlp.normalize import normalize
from kg.read.document import read_document
from kg.read.layout import repair

HERE = Path(__file__).resolve().parent
DOCS = HERE / "documents"
REPORTS = ["100_cangxi_county_2022", "102_guizhou_province_2019", "402_congjiang_county_2021"]
FORMATS = ["pdf", "docx", "doc", "pdf.txt"]
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice not installed (tests/setup_system.sh installs it)")


def _read(name: str):
    return read_document((DOCS / name).read_bytes(), name)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The .txt reports and every rendering of them, built together."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed: the .doc renderings need it")
    src = tmp_path_factory.mktemp("documents-in")
    for n in REPORTS:
        shutil.copy(HERE / "new-reports" / f"{n}.txt", src / f"{n}.txt")
        for fmt in FORMATS:
            shutil.copy(DOCS / f"{n}.{fmt}", src / f"{n}.{fmt}")
    out = tmp_path_factory.mktemp("documents-out")
    result = build([src], out, jobs=2, store=None, check=False)
    return out, result, {r.source: r for r in result.records}


def _score(out: Path, tmp: Path, fmt: str) -> dict:
    """score.py on the reports in one format: the .txt's gold, its ``doc`` renamed to the
    document, and the .txt itself under the document's name for the strict reading."""
    gold, texts = tmp / fmt / "gold", tmp / fmt / "texts"
    gold.mkdir(parents=True)
    texts.mkdir(parents=True)
    for n in REPORTS:
        name = f"{n}.{fmt}"
        g = json.loads((HERE / "gold-new" / f"{n}.txt.json").read_text(encoding="utf-8"))
        g["doc"] = name
        (gold / f"{name}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
        shutil.copy(HERE / "new-reports" / f"{n}.txt", texts / name)
    report = tmp / fmt / "score.json"
    subprocess.run([sys.executable, str(HERE / "eval" / "score.py"), str(out / "welfare.ttl"), "--gold", str(gold),
                    "--texts", str(texts), "--json", str(report)], check=True, capture_output=True)
    return json.loads(report.read_text())["summary"]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "doc", "pdf.txt"])
def test_each_format_scores_within_0_02_of_the_reports_own_text(built, tmp_path, fmt):
    out, result, _ = built
    base = _score(out, tmp_path, "txt")
    got = _score(out, tmp_path, fmt)
    assert got["missing_reports"] == 0
    assert got["figure_f1"] >= 0.95
    assert abs(got["fact_f1"] - base["fact_f1"]) <= 0.02, (fmt, got["fact_f1"], base["fact_f1"])


def test_the_build_counts_reports_by_format(built):
    _, result, _ = built
    assert result.formats() == {"doc": 3, "docx": 3, "pdf": 3, "txt": 6}
    assert not result.skipped


def test_pdf_figures_carry_their_page_and_point_into_the_text_layer(built):
    _, _, recs = built
    rec = recs["100_cangxi_county_2022.pdf"]
    doc = _read("100_cangxi_county_2022.pdf")
    assert len(doc.page_starts) >= 4 and rec.format == "pdf"
    for f in rec.figures:
        seen = normalize(re.sub(r"\s+", "", doc.text[f.start:f.end])).text
        assert seen == re.sub(r"\s+", "", f.text), (seen, f.text)
        assert f.page == 1 + sum(1 for p in doc.page_starts if p <= f.start)
    assert {f.page for f in rec.figures} >= {1, 2, 3}


def test_a_figure_split_by_a_wrap_is_read_whole_and_its_offsets_span_the_wrap(built):
    _, _, recs = built
    doc = _read("100_cangxi_county_2022.pdf")
    rec = recs["100_cangxi_county_2022.pdf"]
    # 重度残疾人护理补贴1630.8万⏎元: the wrap falls between the number and its unit
    assert "1630.8万\n元" in doc.text
    (fig,) = [f for f in rec.figures if f.text == "1630.8万元"]
    assert "重度残疾人护理补贴1630.8万元" in fig.quote
    assert doc.text[fig.start:fig.end] == "1630.8万\n元"
    split = [f for f in rec.figures if "\n" in doc.text[f.start:f.end]]
    assert {"每人每月680元", "每人每月50元", "6875人次", "1.65万户"} <= {f.text for f in split}


def test_gongwen_furniture_is_metadata_not_figures(built):
    _, _, recs = built
    for fmt in ("pdf", "docx", "doc", "pdf.txt"):
        rec = recs[f"100_cangxi_county_2022.{fmt}"]
        assert rec.doc_number == "苍民发〔2023〕5号", fmt
        assert str(rec.issued) == "2023-01-10", fmt
        assert rec.publisher == "苍溪县民政局"
        assert not [f for f in rec.figures if "2023〕" in f.quote or f.text in ("5号", "10日")], fmt


def test_pasted_pdf_text_loses_its_headers_page_numbers_and_wraps():
    raw = (DOCS / "402_congjiang_county_2021.pdf.txt").read_text(encoding="utf-8")
    doc = read_document(raw.encode("utf-8"), "402.txt")
    fixed = repair(doc)
    assert fixed.changed and "— 3 —" in raw and "— 3 —" not in fixed.text
    assert "从江县民政局 工作总结" in raw and "从江县民政局 工作总结" not in fixed.text
    source = (HERE / "new-reports" / "402_congjiang_county_2021.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in source.split("\n") if len(p) > 60]
    # Most long paragraphs of the source are one line again (a sentence ending at the
    # right margin may be taken for a paragraph end).
    lines = set(fixed.text.split("\n"))
    assert sum(p in lines for p in paragraphs) >= 0.6 * len(paragraphs)


def test_a_plain_report_is_not_touched_by_layout_repair():
    for n in REPORTS:
        doc = read_document((HERE / "new-reports" / f"{n}.txt").read_bytes(), f"{n}.txt")
        assert repair(doc).text == doc.text


@pytest.mark.parametrize("fmt", ["docx", "pdf", "doc"])
def test_word_tables_become_table_records_and_pipe_lines(fmt):
    if fmt == "doc" and shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    doc = _read(f"900_linxiang_tables_2023.{fmt}")
    first = doc.tables[0]
    assert first.rows == (("地区", "城市低保人数", "城市低保标准"), ("临湘市", "735", "590"),
                          ("长安街道", "312", "590"), ("五里牌街道", "208", "590"))
    assert re.sub(r"\s", "", first.caption) == "表12023年各地城乡低保保障情况" and first.unit == "人、元/人/月"
    assert "\n临湘市 | 735 | 590\n" in doc.text
    for t in doc.tables:
        assert doc.text[t.start:t.end].split("\n") == [" | ".join(r) for r in t.rows]
        assert [doc.text[p:].split("\n")[0] for p in t.row_starts] == [" | ".join(r) for r in t.rows]
    assert all(t.origin == ("docx" if fmt == "doc" else fmt) for t in doc.tables)


def test_merged_cells_repeat_over_their_span():
    doc = _read("900_linxiang_tables_2023.docx")
    assert doc.tables[1].rows[:2] == (("项目", "数量", "数量"), ("项目", "2022年", "2023年"))
    assert [t.header_rows for t in doc.tables] == [1, 2]  # the rows before the first bare number
    html = read_document("<table><tr><th rowspan=2>地区</th><th colspan=2>城市低保</th></tr><tr><th>人数</th>"
                         "<th>标准</th></tr><tr><td>临湘市</td><td>735</td><td>590</td></tr></table>".encode(),
                         "t.html")
    assert html.tables[0].rows == (("地区", "城市低保", "城市低保"), ("地区", "人数", "标准"), ("临湘市", "735", "590"))


def test_docx_body_is_read_in_order_without_its_header_and_footer():
    doc = _read("900_linxiang_tables_2023.docx")
    text = doc.text
    assert "工作总结\n" in text and "临湘市民政局 工作总结" not in text and "—" not in text
    order = [text.index(s) for s in ("一、社会救助", "表1", "临湘市 | 735", "全年累计发放", "表2", "养老机构（个） | 18",
                                     "全年为80周岁")]
    assert order == sorted(order)


def test_table_figures_keep_the_row_text_as_their_quote(built):
    doc = _read("900_linxiang_tables_2023.docx")
    from kg.nlp.document import extract_document

    rec = extract_document(doc, "900.docx")
    assert rec.tables == doc.tables and rec.format == "docx"
    assert any("2860.5万元" == f.text for f in rec.figures)


def test_pdf_figures_are_written_with_wf_page_and_meet_the_shapes(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DOCS / "102_guizhou_province_2019.pdf", src)
    result = build([src], tmp_path / "out", store=None, check=True)
    assert result.validated
    from rdflib import Graph, Namespace

    wf = Namespace("https://w3id.org/welfare-kg/ontology#")
    g = Graph().parse(tmp_path / "out" / "welfare.ttl")
    pages = {int(p) for p in g.objects(None, wf.page)}
    assert len(list(g.subjects(wf.page, None))) == len(result.records[0].figures)
    assert pages == {f.page for f in result.records[0].figures} and min(pages) == 1 and max(pages) >= 3


@needs_soffice
def test_odt_rtf_and_wps_are_read_through_libreoffice_with_their_tables(tmp_path):
    src = DOCS / "900_linxiang_tables_2023.docx"
    for fmt in ("odt", "rtf"):
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", fmt,
                        "--outdir", str(tmp_path), str(src)], check=True, capture_output=True, timeout=180)
    # WPS Writer's .wps is a Word 97 document under its own name.
    shutil.copy(DOCS / "900_linxiang_tables_2023.doc", tmp_path / "900_linxiang_tables_2023.wps")
    want = _read("900_linxiang_tables_2023.docx")
    for fmt in ("odt", "rtf", "wps"):
        path = tmp_path / f"900_linxiang_tables_2023.{fmt}"
        doc = read_document(path.read_bytes(), path.name)
        assert doc.format == fmt
        assert doc.text == want.text and [t.rows for t in doc.tables] == [t.rows for t in want.tables], fmt


def test_a_table_offset_names_its_row_and_column():
    from kg.read.textbuild import cell_at

    doc = _read("900_linxiang_tables_2023.docx")
    table = doc.tables[0]
    at = doc.text.index("临湘市 | 735 | 590")
    assert cell_at(table, doc.text, at) == (1, 0)
    assert cell_at(table, doc.text, at + len("临湘市 | ")) == (1, 1)
    assert cell_at(table, doc.text, at + len("临湘市 | 735 | 5")) == (1, 2)
    assert cell_at(table, doc.text, table.start - 2) is None


@needs_soffice
def test_an_unruled_pdf_table_is_found_by_its_columns(tmp_path):
    """python-docx's default table has no borders: its PDF draws no lines for pdfplumber,
    so the columns are found from the gaps between the cells' characters."""
    from docx import Document as Docx

    d = Docx()
    d.add_paragraph("表1 2023年各地城乡低保保障情况")
    d.add_paragraph("单位：人、元/人/月")
    rows = [["地区", "城市低保人数", "城市低保标准"], ["临湘市", "735", "590"], ["长安街道", "312", "590"],
            ["五里牌街道", "208", "590"]]
    table = d.add_table(rows=len(rows), cols=3)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    d.add_paragraph("全年累计发放城乡低保金2860.5万元，同比增长4.3%，惠及困难群众1.2万人。")
    d.save(tmp_path / "plain.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "plain.docx")], check=True, capture_output=True,
                   timeout=180)
    doc = read_document((tmp_path / "plain.pdf").read_bytes(), "plain.pdf")
    (t,) = doc.tables
    assert t.rows == tuple(map(tuple, rows)) and t.unit == "人、元/人/月" and t.caption.startswith("表1")
    assert "\n临湘市 | 735 | 590\n" in doc.text
    assert "全年累计发放城乡低保金2860.5万元，同比增长4.3%，惠及困难群众1.2万人。" in doc.text


@needs_soffice
def test_a_table_broken_by_a_page_is_one_table_without_the_page_furniture(tmp_path):
    from docx import Document as Docx

    d = Docx()
    d.sections[0].header.paragraphs[0].text = "某县民政局 工作总结"
    d.add_paragraph("表1 各乡镇低保情况")
    rows = [["乡镇", "低保人数", "低保金（万元）"]] + [[f"第{i}镇", str(100 + i), str(20 + i)] for i in range(60)]
    table = d.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            table.cell(i, j).text = cell
    d.add_paragraph("全年累计发放城乡低保金2860.5万元。")
    d.save(tmp_path / "long.docx")
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(tmp_path / "long.docx")], check=True, capture_output=True,
                   timeout=180)
    doc = read_document((tmp_path / "long.pdf").read_bytes(), "long.pdf")
    assert len(doc.page_starts) >= 1
    (t,) = doc.tables
    assert t.rows == tuple(map(tuple, rows))
    assert [doc.text[p:].split("\n")[0] for p in t.row_starts] == [" | ".join(r) for r in rows]
    fixed = repair(doc)
    assert "某县民政局" not in fixed.text and "第59镇 | 159 | 79\n全年累计" in fixed.text
