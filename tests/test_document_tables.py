"""The table reports (tests/table-reports, -4 … -8, gold tests/gold-tables, -4 … -8) as bureaus publish them:
real Word tables in DOCX, LibreOffice's PDF on A4 and on a narrow page, Word 97 DOC, and a web
page with HTML tables (tests/documents/tables, made by tests/render_table_documents.py). Each format reads as well
as the report's own .txt: its table cells become right facts, and a place row's cells carry
that place with its six-digit division code."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
DOCS = HERE / "documents" / "tables"
# Each batch: its reports, its gold, its renderings, and the fewest gold table cells it holds.
BATCHES = {"tables": ("table-reports", "gold-tables", "tables", 140),     # developed on
           "tables-4": ("table-reports-4", "gold-tables-4", "tables-4", 140),  # held out, then tuned on
           "tables-5": ("table-reports-5", "gold-tables-5", "tables-5", 140),
           "tables-6": ("table-reports-6", "gold-tables-6", "tables-6", 120),
           "tables-7": ("table-reports-7", "gold-tables-7", "tables-7", 140),
           "tables-8": ("table-reports-8", "gold-tables-8", "tables-8", 140)}
# Batches 14–21 (tests/documents/tables-9 … -16) are rendered the same way; their formats were scored
# by hand (README), not here: twice the documents made this module too slow and too large for CI.
REPORTS = sorted(p.stem for p in (HERE / "table-reports").glob("*.txt"))
# File name suffix of each rendering; "txt" is the report's own text, the reference.
FORMATS = {"txt": ".txt", "docx": ".docx", "pdf": ".pdf", "pdf-narrow": ".narrow.pdf", "doc": ".doc",
           "html": ".html"}
# Of the gold's table cells, the share that must be right facts (value, unit, programme,
# group, measure) in every format: issue 16's check.
TABLE_CELL_FLOOR = 0.90
# Batch 15 reads the group inside a column's programme (困难残疾人生活补贴 | 人数 → 困难残疾人), which
# the other batches do not (tests/test_quality.py says more): every format must still read it as its .txt does.
BATCH_CELL_FLOOR = {"tables-10": 0.75}
# How far a format's strict fact F1 may fall below the .txt's (the aim is 0.02).
FACT_F1_SLACK = 0.05

sys.path.insert(0, str(HERE / "eval"))
import score  # noqa: E402


def _reports(batch: str) -> list[str]:
    return sorted(p.stem for p in (HERE / BATCHES[batch][0]).glob("*.txt"))


def _file(name: str, fmt: str, batch: str = "tables") -> Path:
    src, _, docs, _ = BATCHES[batch]
    return (HERE / src if fmt == "txt" else HERE / "documents" / docs) / f"{name}{FORMATS[fmt]}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Every report of every batch in every format, built together."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed: the .doc renderings need it")
    from kg.build.run import build

    src = tmp_path_factory.mktemp("table-documents-in")
    for batch in BATCHES:
        for n in _reports(batch):
            for fmt in FORMATS:
                shutil.copy(_file(n, fmt, batch), src / _file(n, fmt, batch).name)
    out = tmp_path_factory.mktemp("table-documents-out")
    result = build([src], out, jobs=2, store=None, check=False)
    return out, result


def _golds(tmp: Path, fmt: str, batch: str) -> tuple[Path, Path]:
    """The .txt's gold with its ``doc`` renamed to the rendering, and the .txt under the
    rendering's name for the strict reading (an altLabel counts where the report uses it)."""
    src, gold_dir, _, _ = BATCHES[batch]
    gold, texts = tmp / batch / fmt / "gold", tmp / batch / fmt / "texts"
    gold.mkdir(parents=True)
    texts.mkdir(parents=True)
    for n in _reports(batch):
        name = _file(n, fmt, batch).name
        g = json.loads((HERE / gold_dir / f"{n}.txt.json").read_text(encoding="utf-8"))
        g["doc"] = name
        (gold / f"{name}.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
        shutil.copy(HERE / src / f"{n}.txt", texts / name)
    return gold, texts


def format_scores(graph: Path, tmp: Path, fmt: str, batch: str) -> dict:
    """score.py's summary for one format, plus the share of the gold's table cells that
    are right facts and the place-row cells whose place or division code is wrong."""
    gold, texts = _golds(tmp, fmt, batch)
    report = tmp / batch / fmt / "score.json"
    subprocess.run([sys.executable, str(HERE / "eval" / "score.py"), str(graph), "--gold", str(gold),
                    "--texts", str(texts), "--json", str(report)], check=True, capture_output=True)
    summary = json.loads(report.read_text())["summary"]
    g = score.load([str(graph)])
    core, alt, idx = score.core_labels(g), score.alt_labels(g), score.report_index(g)
    cells = right = 0
    misplaced = []
    for p in sorted(gold.glob("*.json")):
        gd = json.loads(p.read_text(encoding="utf-8"))
        gd["figures"] = [f for f in gd["figures"] if f.get("table")]
        lab = score.strict_labels(core, alt, score.report_text([str(texts)], gd["doc"]))
        res = score.score_doc(g, idx[gd["doc"]], gd, lab)
        cells += len(gd["figures"])
        right += res["facts_ok"]
        misplaced += _misplaced(g, idx[gd["doc"]], gd)
    summary["table_cells"], summary["table_cells_right"] = cells, right
    summary["table_cell_acc"] = right / cells if cells else 0.0
    summary["misplaced"] = misplaced
    return summary


def _misplaced(g, report, gold: dict) -> list:
    """Gold place-row cells with no table figure of the same value in the same row that
    carries that place (by name) with a six-digit wf:divisionCode."""
    q = """SELECT ?value ?quote ?name ?code WHERE {
      ?f a wf:Figure ; prov:wasDerivedFrom ?r ; wf:inTable ?t ; wf:value ?value ; wf:quote ?quote .
      OPTIONAL { ?f wf:region ?reg . ?reg rdfs:label ?name OPTIONAL { ?reg wf:divisionCode ?code } } }"""
    cells = [(float(v), score.norm(qt), str(n or ""), str(c or ""))
             for v, qt, n, c in g.query(score.PREFIXES + q, initBindings={"r": report})]
    bad = []
    for f in gold["figures"]:
        if not f.get("region"):
            continue
        ok = any(score.same_value(v, f["value"]) and qt == score.norm(f["quote"])
                 and score.norm(f["region"]) in score.norm(name) and re.fullmatch(r"\d{6}", code)
                 for v, qt, name, code in cells)
        if not ok:
            bad.append((f["quote"], f["text"], f["region"]))
    return bad


@pytest.fixture(scope="module")
def scores(built, tmp_path_factory):
    out, _ = built
    tmp = tmp_path_factory.mktemp("table-documents-score")
    return {(batch, fmt): format_scores(out / "welfare.ttl", tmp, fmt, batch) for batch in BATCHES for fmt in FORMATS}


def test_every_rendering_is_read_and_counted_by_format(built):
    _, result = built
    n = sum(len(_reports(b)) for b in BATCHES)
    assert result.formats() == {"txt": n, "docx": n, "pdf": 2 * n, "doc": n, "html": n}
    assert not result.skipped


@pytest.mark.parametrize("batch", list(BATCHES))
@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "txt"])
def test_each_format_reads_its_tables_as_well_as_the_reports_own_text(scores, batch, fmt):
    base, got = scores[batch, "txt"], scores[batch, fmt]
    assert got["missing_reports"] == 0
    assert got["figure_f1"] >= 0.95, (fmt, got["figure_f1"])
    assert base["fact_f1"] - got["fact_f1"] <= FACT_F1_SLACK, (fmt, got["fact_f1"], base["fact_f1"])


@pytest.mark.parametrize("batch", list(BATCHES))
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_table_cells_become_right_facts_in_each_format(scores, batch, fmt):
    got = scores[batch, fmt]
    assert got["table_cells"] >= BATCHES[batch][3]
    assert got["table_cell_acc"] >= BATCH_CELL_FLOOR.get(batch, TABLE_CELL_FLOOR), (fmt, got["table_cells_right"], got["table_cells"])


@pytest.mark.parametrize("batch", list(BATCHES))
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_cell_of_a_place_row_carries_that_place_and_its_division_code(scores, batch, fmt):
    assert scores[batch, fmt]["misplaced"] == [], fmt


def test_merged_header_cells_are_read_as_two_header_rows():
    from kg.read.document import read_document

    for fmt in ("docx", "pdf", "pdf-narrow", "doc"):
        path = _file("601_zunyi_city_2022", fmt)
        doc = read_document(path.read_bytes(), path.name)
        first = doc.tables[0]
        assert first.rows[:2] == (("县（市、区）", "低保标准（元/人/月）", "低保标准（元/人/月）", "保障人数（人）", "保障人数（人）"),
                                  ("县（市、区）", "城市", "农村", "城市", "农村")), fmt
        assert first.header_rows == 2 and first.rows[-1] == ("全市", "", "", "37700", "215600"), fmt


def test_a_row_a_page_break_cuts_is_one_row_and_a_number_wrapped_in_its_cell_is_whole():
    from kg.read.document import read_document

    path = _file("601_zunyi_city_2022", "pdf-narrow")
    doc = read_document(path.read_bytes(), path.name)
    first, second = doc.tables[:2]
    # On the 11 cm page 务川仡佬族苗族自治县 wraps in its cell and the page breaks inside the row;
    # 215600 and 10871.76 wrap inside their narrow cells.
    assert first.page != doc.tables[1].page and len(doc.page_starts) >= 3
    assert ("务川仡佬族苗族自治县", "740", "450", "1274", "15320") in first.rows and len(first.rows) == 17
    assert "\n务川仡佬族苗族自治县 | 740 | 450 | 1274 | 15320\n" in doc.text
    assert second.rows[0] == ("年龄段", "享受人数（人）", "补贴标准（元/人/月）", "发放资金（万元）")
    assert second.rows[-1] == ("合计", "160932", "—", "10871.76")


def test_a_row_of_its_own_at_the_top_of_a_page_is_not_joined_to_the_row_before():
    from kg.read.textbuild import TextBuilder

    out = TextBuilder("pdf")
    out.new_page()
    out.table([["县", "城市", "农村"], ["仁怀市", "770", "465"], ["赤水市", "—", "—"]])
    out.new_page()
    out.line("— 2 —")
    for row in (["全市", "", "37700"], ["合计", "—", "—"], ["一、养老", "一、养老", "一、养老"]):
        assert out.continues_table([row])
        t = out.table([row], continued=True)
        assert t.rows[-1] == tuple(row) and len(t.rows) > 3
    # Only the first row at the top of a page can be the rest of a cut row.
    out.new_page()
    cut = [["", "", "（续）"], ["城镇", "12", "13"]]
    t = out.table(cut, continued=out.continues_table(cut))
    assert t.rows[-2:] == (("一、养老", "一、养老", "一、养老（续）"), ("城镇", "12", "13"))


def main(argv: list[str]) -> int:
    """Print each format's scores for a graph built from tests/documents/tables and the .txt:
    ``python tests/test_document_tables.py OUT_DIR`` (builds into OUT_DIR)."""
    import tempfile

    from kg.build.run import build

    out = Path(argv[0])
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for n in REPORTS:
            for fmt in FORMATS:
                shutil.copy(_file(n, fmt), src / _file(n, fmt).name)
        build([src], out, jobs=2, store=None, check=False)
        for fmt in FORMATS:
            s = format_scores(out / "welfare.ttl", Path(tmp), fmt)
            print(f"{fmt:11} figF1={s['figure_f1']:.3f} factF1={s['fact_f1']:.3f} "
                  f"cells={s['table_cells_right']}/{s['table_cells']}={s['table_cell_acc']:.3f} "
                  f"misplaced={len(s['misplaced'])} {s['misplaced'][:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


def test_a_sentence_ending_in_a_table_reference_is_no_caption_and_the_words_in_the_top_row_are():
    # LibreOffice's PDF of 951: the paragraph wraps before "表1。", and the caption's words come
    # out as a row spanning the table's top.
    from kg.nlp.tables import locate
    from kg.read.textbuild import TextBuilder
    from kg.vocab.ontology import load_lexicon

    out = TextBuilder("pdf")
    out.new_page()
    out.line("对遭遇突发事件的困难群众做到“先行救助”。分月实施情况见")
    out.line("表1。")
    title = "2023年临时救助分月实施情况"
    t = out.table([[title] * 3, ["月份", "救助人次", "救助金额（万元）"], ["1月", "168", "27.4"], ["2月", "142", "22.6"]])
    assert t.caption is None
    assert locate(t, out.document().text, load_lexicon()).table.caption == title
    out.line("表2　2023年养老机构情况")
    assert out.table([["类型", "机构数（个）"], ["公办", "12"]]).caption == "表2　2023年养老机构情况"


def test_a_number_wrapped_at_its_thousands_separator_in_a_narrow_cell_is_whole():
    from kg.read.textbuild import cell_text

    assert [cell_text(x) for x in ("28,\n416.3", "119\n,367.0", "21560\n0", "城乡低保\n资金")] == \
        ["28,416.3", "119,367.0", "215600", "城乡低保资金"]


def test_a_word_tables_caption_below_it_is_its_caption_unless_a_table_follows():
    from kg.nlp.tables import locate
    from kg.read.textbuild import TextBuilder
    from kg.vocab.ontology import load_lexicon

    out = TextBuilder("docx")
    out.line("各县（市、区）保障情况如下：")
    first = out.table([["县（市、区）", "特困人员人数"], ["顺庆区", "2,184人"]])
    out.line("表2  2022年各县（市、区）社会救助兜底保障情况")
    out.line("表3  2022年高龄补贴情况")
    second = out.table([["年龄段", "发放人数（人）"], ["80—89周岁", "112,460"]])
    text, lex = out.document().text, load_lexicon()
    assert locate(first, text, lex).table.caption == "表2 2022年各县(市、区)社会救助兜底保障情况"
    assert locate(second, text, lex).table.caption.startswith("表3")


def test_a_caption_in_a_word_tables_top_row_is_its_caption():
    from kg.nlp.tables import locate
    from kg.read.textbuild import TextBuilder
    from kg.vocab.ontology import load_lexicon

    out = TextBuilder("docx")
    title = "2022年全县养老服务机构及床位情况"
    t = out.table([["表2", title, title], ["举办主体", "机构数（个）", "床位数（张）"], ["公办", "23", "1,540"]])
    assert locate(t, out.document().text, load_lexicon()).table.caption == f"表2 {title}"
