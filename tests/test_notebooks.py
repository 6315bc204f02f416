"""The notebooks in notebooks/ run top to bottom in a real Jupyter kernel, as a researcher runs them.

Each is executed with nbclient in the kernel named in the notebook ("python3", the
kernelspec ipykernel installs into .venv). The explore notebook reads the session's build
of seeds/ (conftest ``seeds_built``, a temporary folder) through KG_NOTEBOOK_OUT, so the
repository's exports/ is never read or written; add-your-reports builds into its own temp folder.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="pip install -e .[notebooks]")
from nbclient import NotebookClient  # noqa: E402

from kg.stores import query as kq  # noqa: E402
from kg.nlp.normalize import normalize  # noqa: E402
from kg.read.text import read_report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SEEDS = ROOT / "seeds"
CELL_TIMEOUT = 300  # seconds; a cold build of seeds/ takes ~15 s on a busy 2-core machine


def execute(path: Path, timeout: int = CELL_TIMEOUT):
    book = nbformat.read(path, as_version=4)
    # Jupyter starts a kernel in the notebook's folder; so do we.
    NotebookClient(book, timeout=timeout, kernel_name=book.metadata.kernelspec.name,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return book


def outputs_text(book) -> str:
    parts = []
    for c in book.cells:
        for o in c.get("outputs", []):
            if o.output_type == "stream":
                parts.append(o.text)
            elif "data" in o:
                parts += [o.data.get("text/plain", ""), o.data.get("text/html", "")]
    return "\n".join(parts)


def snapshot(*folders: Path) -> dict:
    return {str(p): (p.stat().st_mtime_ns, p.stat().st_size)
            for d in folders if d.exists() for p in d.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def executed(seeds_built):
    """Every notebook executed once, with the repository's exports/ and notebooks/ checked untouched."""
    out = seeds_built
    before = snapshot(ROOT / "exports", NOTEBOOKS)
    old = os.environ.get("KG_NOTEBOOK_OUT")
    os.environ["KG_NOTEBOOK_OUT"] = str(out)  # the kernel inherits it
    try:
        books = {p.name: execute(p) for p in sorted(NOTEBOOKS.glob("*.ipynb"))}
    finally:
        if old is None:
            del os.environ["KG_NOTEBOOK_OUT"]
        else:
            os.environ["KG_NOTEBOOK_OUT"] = old
    assert snapshot(ROOT / "exports", NOTEBOOKS) == before, "running the notebooks changed files in the repository"
    return books, out


def test_the_notebooks_are_there_and_stored_without_outputs():
    names = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    assert {"explore.ipynb", "add-your-reports.ipynb"} <= set(names)
    for name in names:
        book = nbformat.read(NOTEBOOKS / name, as_version=4)
        nbformat.validate(book)
        assert book.metadata.kernelspec.name == "python3"
        for c in book.cells:
            if c.cell_type == "code":
                assert c.outputs == [] and c.execution_count is None, f"{name}: outputs not cleared"


def test_the_python3_kernel_is_this_venv(tmp_path):
    """nbclient finds ipykernel's "python3" kernelspec and starts it with the interpreter running the tests."""
    import sys

    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys, kg; print(sys.prefix)")])
    book.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "probe.ipynb"
    nbformat.write(book, path)
    ran = execute(path, timeout=60)
    assert ran.cells[0].outputs[0].text.strip() == sys.prefix


def test_explore_answers_from_the_seeds(executed):
    books, out = executed
    book = books["explore.ipynb"]
    text = outputs_text(book)
    graph = out / "welfare.ttl"
    assert str(graph) in text, "the notebook should read the graph named by KG_NOTEBOOK_OUT"

    # Standards in the graph whose text, as written, is in the report they came from: real values.
    names, rows = kq.run_query(graph, kq.named_query("standards").text)
    col = {n: i for i, n in enumerate(names)}
    seed_text = {p.name: normalize(read_report(p).text).text for p in SEEDS.glob("*.txt")}
    real = {kq.display(r[col["text"]]) for r in rows
            if r[col["value"]] is not None and kq.display(r[col["text"]]) in seed_text[kq.display(r[col["source"]])]}
    assert real, "no standard with a value from the seeds"
    shown = {t for t in real if t in text}
    assert shown, f"none of the seeds' standards {sorted(real)} appear in the notebook's outputs"
    # The urban 低保 standard of 000_*: 由原630元/月调整至670元/月, shown as a standard and as a change.
    assert "670元/月" in seed_text["000_d6bae9ba1e592f06.txt"] and "670元/月" in text
    assert "由原630元/月调整至670元/月" in text

    # Every cell that draws a plot produced an image.
    plot_cells = [c for c in book.cells if c.cell_type == "code" and "plt.show()" in c.source]
    assert len(plot_cells) >= 5
    for c in plot_cells:
        assert any("image/png" in o.get("data", {}) for o in c.outputs), f"no plot from:\n{c.source[:200]}"
    # The interactive page is embedded at the end.
    assert "vis-network" in book.cells[-1].outputs[-1].data["text/html"]


def test_add_your_reports_reads_both_encodings_and_checks_offsets(executed):
    books, _ = executed
    text = outputs_text(books["add-your-reports.ipynb"])
    assert "qingtian-2023.txt: gb18030" in text and "wencheng-2022.txt: big5" in text
    assert "scan.txt: binary data" in text  # skipped, named, and the build went on
    assert "文成县民政局" in text  # the Big5 report's publisher, read through OpenCC
    assert "3265萬元" in text and "3265万元" in text  # as written and as normalised, side by side
    # the notebook asserts every figure of its own report; for the seed it prints the counts
    m = re.search(r"(\d+) figures, (\d+) match the text as written, (\d+) quotes found", text)
    assert m and int(m.group(1)) > 0 and m.group(1) == m.group(2) == m.group(3), m and m.group(0)
