"""One province over several years (kg.bench.corpus.panel): the standard-by-year query and
figures.csv give each place its series with the values the generated reports state, a former
district lining up with the one it merged into; the across-years notebook answers the same."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.bench.corpus import PANEL_PLACES, panel
from kg.build.run import build
from kg.stores.query import display, named_query, run_query

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def panel_built(tmp_path_factory):
    home = tmp_path_factory.mktemp("panel")
    truth = panel(home / "reports")
    build([home / "reports"], home / "exports", store=home / "exports" / "store")
    return truth, home / "exports"


def series(exports, concept):
    names, rows = run_query(exports / "store", named_query("standard-by-year").text, {"concept": concept})
    out = {}
    for row in rows:
        r = dict(zip(names, (display(t) for t in row)))
        out[(r["code"], int(r["year"]))] = (int(r["value"]), int(r["previous"]), r["quote"])
    return out


def test_the_panel_has_every_place_in_every_year(panel_built):
    truth, _ = panel_built
    assert len(truth) == len(PANEL_PLACES) * 7
    assert {t.name for t in truth if t.code == "330105"} == {"下城区", "拱墅区"}


@pytest.mark.parametrize("concept, field", [("城市低保", "urban"), ("农村最低生活保障", "rural")])
def test_standard_by_year_returns_each_places_series_with_the_stated_values(panel_built, concept, field):
    truth, exports = panel_built
    got = series(exports, concept)
    want = {(t.code, t.year): (getattr(t, field), getattr(t, f"{field}_previous")) for t in truth}
    assert {k: v[:2] for k, v in got.items()} == want
    assert all(f"{v[0]}元" in v[2] for v in got.values())  # the quote shows the value


def test_the_former_xiacheng_reports_line_up_with_gongshu(panel_built):
    truth, exports = panel_built
    years = sorted(y for (code, y) in series(exports, "城市低保") if code == "330105")
    assert years == sorted(t.year for t in truth if t.code == "330105") and len(years) == 7


def test_figures_csv_gives_the_same_series_and_the_relief_spending(panel_built):
    pd = pytest.importorskip("pandas")
    truth, exports = panel_built
    df = pd.read_csv(exports / "figures.csv", dtype={"region_code": str})
    df["year"] = df.period_start.str[:4].astype(int)
    urban = df[(df.programme_zh == "城市最低生活保障") & (df.measure == "standard")]
    assert {(r.region_code, r.year): (int(r.value), int(r.previous_value)) for r in urban.itertuples()} == \
        {(t.code, t.year): (t.urban, t.urban_previous) for t in truth}
    relief = df[(df.programme_zh == "临时救助") & (df.measure == "spending")]
    assert {(r.region_code, r.year): int(r.value) for r in relief.itertuples()} == \
        {(t.code, t.year): t.relief * 10000 for t in truth}
    assert set(df.province) == {"浙江省"}


def test_the_panels_cube_passes_the_integrity_constraints(panel_built):
    from test_cube import load, violations

    _, exports = panel_built
    assert violations(load((exports / "cube.trig").read_bytes())) == []


def test_the_across_years_notebook_charts_the_true_series(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    path = ROOT / "notebooks" / "across-years.ipynb"
    book = nbformat.read(path, as_version=4)
    for c in book.cells:  # stored without outputs
        assert c.cell_type != "code" or (c.outputs == [] and c.execution_count is None)
    old = os.environ.get("KG_PANEL_OUT")
    os.environ["KG_PANEL_OUT"] = str(tmp_path)  # the kernel inherits it
    try:
        NotebookClient(book, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        os.environ.pop("KG_PANEL_OUT") if old is None else os.environ.__setitem__("KG_PANEL_OUT", old)
    text = "\n".join(o.text for c in book.cells for o in c.get("outputs", []) if o.output_type == "stream")
    shown = text.split("RURAL SERIES\n", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    truth = panel(tmp_path / "check")
    assert sorted(shown) == sorted(f"{t.code},{t.year},{t.rural}" for t in truth)
    assert "previous value == last year's standard: True" in text
    plots = [c for c in book.cells if c.cell_type == "code" and "plt.show()" in c.source]
    assert len(plots) >= 4
    assert all(any("image/png" in o.get("data", {}) for o in c.outputs) for c in plots)
