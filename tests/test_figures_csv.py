"""exports/figures.csv loads in pandas in one line, one row per figure of the graph, columns as documented."""
from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.out.csv import COLUMNS, figures_csv
from kg.records import ConceptRef, Figure, Region, ReportRecord

pd = pytest.importorskip("pandas", reason="pip install -e .[notebooks]")
ROOT = Path(__file__).resolve().parent.parent


def test_pandas_loads_one_row_per_figure_of_the_graph(seeds_built):
    table = pd.read_csv(seeds_built / "figures.csv", dtype={"region_code": str})
    store = ox.Store()
    store.load(path=str(seeds_built / "welfare.ttl"), format=ox.RdfFormat.TURTLE)
    rows = list(store.query("""PREFIX wf: <https://w3id.org/welfare-kg/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?source ?start WHERE { ?f a wf:Figure ; wf:startOffset ?start ; prov:wasDerivedFrom/dcterms:source ?source }"""))
    assert len(table) == len(rows) > 300
    assert sorted(zip(table["report"], table["offset"])) == sorted((r["source"].value, int(r["start"].value)) for r in rows)
    assert list(table.columns) == [name for name, _ in COLUMNS]
    assert table["approximate"].dtype == bool and table["value"].dtype == float


def test_a_row_carries_the_programme_its_top_concept_the_region_and_the_province():
    luqiao = Region("路桥区", "331004", "county", Region("台州市", "331000", "city", Region("浙江省", "330000", "province")))
    f = Figure(text="810元", unit="元", value=None, start=5, end=9, quote="城市低保标准提高到每人每月810元", measure="standard",
               per="人/月", redacted=True,
               programme=ConceptRef("programme", "城市低保", "https://w3id.org/welfare-kg/programme/urban-dibao"))
    rec = ReportRecord("a.txt", "0" * 64, "t", publisher="路桥区民政局", region=luqiao, figures=(f,))
    header, row = figures_csv([rec]).decode().splitlines()
    cells = dict(zip(header.split(","), row.split(",")))
    assert cells["region_code"] == "331004" and cells["province"] == "浙江省"
    assert cells["programme_zh"] == "城市最低生活保障" and cells["programme_top"] == "社会救助"
    assert cells["value"] == "" and cells["redacted"] == "true" and cells["offset"] == "5"


def test_every_column_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", readme, flags=re.M))
    assert {name for name, _ in COLUMNS} <= documented
