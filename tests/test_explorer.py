"""The figures explorer (kg.out.explorer) in real headless Chromium, launched as
tests/test_browser.py launches it (Debian's /usr/bin/chromium, network blocked):
search, table, quotes, chart and neighbours on the seeds, checked against the
graph; nothing fetched, no report text run; and it opens in under 3 s at 2,000
reports, a product requirement (issue 18), measured on a generated corpus."""
from __future__ import annotations

import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from kg.out.explorer import MEASURES, PAGE, explorer_data, render_explorer

from test_browser import browser  # noqa: F401  (the module-scoped Chromium fixture)
from test_network import EVIL_REPORT, cli_build_evil

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
LOAD_LIMIT_S = 3.0  # issue 18: "opens in under 3 s in Chromium at 2,000 reports"
CORPUS_REPORTS = 2000

PREFIXES = """PREFIX wf: <https://w3id.org/welfare-kg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


class Explorer:
    """explorer.html opened with every request, console message, error and dialog recorded."""

    def __init__(self, context, path: Path):
        self.path = path
        self.requests, self.console, self.errors, self.dialogs = [], [], [], []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        # navigation start (0 on the page's clock) to the page's own ready mark
        self.ready_ms = self.page.evaluate("performance.getEntriesByName('kg-ready')[0].startTime")

    def search(self, words: str) -> list[str]:
        """Type into the search box; the hits' texts, best first."""
        self.page.fill("#kg-search", words)
        return self.page.locator("#kg-results li").all_inner_texts()

    def choose(self, words: str) -> None:
        """Search and take the first hit with Enter, as a user would."""
        self.search(words)
        self.page.keyboard.press("Enter")
        self.page.wait_for_selector("#kg-view:not([hidden])")

    def column(self, name: str) -> list[str]:
        k = self.page.evaluate("n => Array.from(document.querySelectorAll('#kg-table th')).findIndex("
                               "th => th.dataset.col === n)", name)
        return self.page.evaluate("k => Array.from(document.querySelectorAll('#kg-table tr.kg-row'))"
                                  ".map(tr => tr.children[k].textContent)", k)

    def offline(self) -> bool:
        return self.requests == [self.path.as_uri()]


def _number(shown: str) -> Decimal | None:
    """A value cell as shown (约 2,000 / 1,904.2 / XX) back to its number."""
    shown = shown.replace("约", "").replace(",", "").strip()
    return None if shown == "XX" else _canonical(Decimal(shown))


def _canonical(d: Decimal) -> Decimal:
    """One spelling per number (2089000, not 2.089E+6), so lists of them compare and sort alike."""
    return Decimal(format(d.normalize(), "f"))


def _figures_of(graph: Graph, label: str) -> list[tuple]:
    """(value, unit, report source, quote) of every figure whose programme or group is the
    concept with this prefLabel or one narrower than it, read from the graph by SPARQL."""
    rows = graph.query(PREFIXES + """
        SELECT ?f ?value ?unit ?source ?quote WHERE {
          ?c skos:prefLabel ?label . FILTER(STR(?label) = ?want)
          ?n skos:broader* ?c .
          ?f wf:programme|wf:group ?n ; prov:wasDerivedFrom/dcterms:source ?source ; wf:quote ?quote ;
             wf:unit/rdfs:label ?unit .
          OPTIONAL { ?f wf:value ?value }
        }""", initBindings={"want": Literal(label)})
    seen = {}
    for f, value, unit, source, quote in rows:
        seen[f] = (_canonical(Decimal(str(value))) if value is not None else None, str(unit), str(source), str(quote))
    return sorted(seen.values(), key=lambda r: (r[2], str(r[0]), r[3]))


@pytest.fixture(scope="module")
def seeds_explorer(browser, seeds_built):  # noqa: F811
    visit = Explorer(browser, seeds_built / PAGE)
    print(f"\nseeds explorer: {(seeds_built / PAGE).stat().st_size} bytes, ready in {visit.ready_ms:.0f} ms")
    yield visit, Graph().parse(seeds_built / "welfare.ttl", format="turtle")
    visit.page.close()


def test_searching_临时救助_lists_the_seeds_figures_with_their_values(seeds_explorer):
    visit, graph = seeds_explorer
    hits = visit.search("临时救助")
    assert hits[0].startswith("临时救助") and "programme" in hits[0]
    assert any(h.startswith("临时救助对象") and "group" in h for h in hits)  # groups are found too
    visit.choose("临时救助")
    expected = _figures_of(graph, "临时救助")
    assert len(expected) > 5
    values = sorted((_number(v) for v in visit.column("value")), key=str)
    assert values == sorted((e[0] for e in expected), key=str)
    assert sorted(visit.column("report")) == sorted(e[2] for e in expected)
    assert sorted(visit.column("unit")) == sorted(e[1] for e in expected)
    shown = visit.page.inner_text("#kg-count")
    assert shown.startswith(f"{len(expected)} figures")
    # the seed's own sentence: 共发放临时救助资金75.63万元
    assert "756,300" in visit.column("value")
    assert visit.errors == [] and visit.offline()


def test_clicking_a_row_shows_its_quote(seeds_explorer):
    visit, graph = seeds_explorer
    visit.choose("临时救助")
    page = visit.page
    row = page.locator("#kg-table tr.kg-row", has_text="756,300")
    row.click()
    detail = page.locator("#kg-table tr.kg-detail")
    assert detail.count() == 1
    quote = next(e[3] for e in _figures_of(graph, "临时救助") if e[0] == Decimal(756300))
    assert quote == "共发放临时救助资金75.63万元"
    assert quote in detail.inner_text()
    assert page.locator("#kg-table tr.kg-detail mark").inner_text() == "75.63万元"  # the figure, marked in its clause
    row.click()  # and away again
    assert page.locator("#kg-table tr.kg-detail").count() == 0


def test_an_altlabel_an_english_label_and_a_region_are_found(seeds_explorer):
    visit, graph = seeds_explorer
    assert visit.search("临救")[0].startswith("临时救助")  # an altLabel leads to its concept
    assert visit.search("temporary assistance")[0].startswith("临时救助")
    visit.choose("吕梁市")
    page = visit.page
    assert page.inner_text("#kg-title h2") == "吕梁市"
    regions = set(visit.column("region"))
    # the city's own figures and those of the places within it, and no others
    within = {str(r) for (r,) in graph.query(PREFIXES + """
        SELECT ?name WHERE { ?c rdfs:label "吕梁市" . ?r wf:within* ?c ; rdfs:label ?name }""")}
    assert "吕梁市" in regions and regions <= within


def test_the_table_sorts_by_a_column(seeds_explorer):
    visit, _ = seeds_explorer
    visit.choose("临时救助")
    page = visit.page
    page.click("#kg-table th[data-col='value']")
    numbers = [n for n in map(_number, visit.column("value")) if n is not None]
    assert numbers == sorted(numbers, reverse=True) and numbers[0] > numbers[-1]
    assert visit.column("value")[-1] == "XX"  # redacted figures last either way
    page.click("#kg-table th[data-col='value']")
    numbers = [n for n in map(_number, visit.column("value")) if n is not None]
    assert numbers == sorted(numbers)
    page.click("#kg-table th[data-col='report']")
    reports = visit.column("report")
    assert reports == sorted(reports)


def test_the_chart_draws_a_series_over_years_and_across_regions(seeds_explorer):
    visit, _ = seeds_explorer
    visit.choose("临时救助")
    page = visit.page
    series = page.locator("#kg-series").input_value()
    measure, programme = page.evaluate("""k => { const D = JSON.parse(document.getElementById('kg-data').textContent),
        p = k.split('|').map(Number); return [D.measures[p[0]], D.concepts[p[3]][1]]; }""", series)
    rows = page.evaluate("""s => { const D = JSON.parse(document.getElementById('kg-data').textContent);
        return kgExplorer.state.rows.filter(i => D.f.v[i] !== null && [D.f.m[i], D.f.u[i], D.f.pe[i], D.f.p[i]].join('|') === s)
          .map(i => [D.f.v[i], D.f.t[i] < 0 ? null : D.periods[D.f.t[i]][1], D.f.r[i]]); }""", series)
    years = {y for _, y, _ in rows if y is not None}
    assert measure in MEASURES and programme == "临时救助" and len(rows) >= 3  # the most frequent series
    svg = page.locator("#kg-chart-svg[data-mode='years']")
    assert svg.locator("circle").count() == len([r for r in rows if r[1] is not None]) + len(years)  # dots + medians
    page.click("#kg-chart-controls button[data-mode='regions']")
    bars = page.locator("#kg-chart-svg[data-mode='regions'] rect")
    assert bars.count() == len({r for _, _, r in rows if r >= 0})
    assert visit.errors == []


def test_neighbours_are_the_graphs_and_lead_on(seeds_explorer):
    visit, graph = seeds_explorer
    visit.choose("临时救助")
    page = visit.page
    drawn = set(page.evaluate("Array.from(document.querySelectorAll('#kg-net g.kg-node title'))"
                              ".map(t => t.textContent.split(' · ')[0])"))
    related = {str(x) for (x,) in graph.query(PREFIXES + """
        SELECT ?name WHERE { ?c skos:prefLabel "临时救助"@zh .
          { ?c skos:broader ?n } UNION { ?n skos:broader ?c } UNION { ?c wf:servesGroup ?n } UNION { ?n wf:servesGroup ?c }
          ?n skos:prefLabel ?name . FILTER(LANG(?name) = "zh") }""")}
    assert drawn == related | {"临时救助"}
    assert "社会救助" in drawn
    page.click("#kg-net g.kg-node:has(title:text-matches('^社会救助 ·'))")
    assert page.inner_text("#kg-title h2") == "社会救助"
    page.go_back()  # the address keeps each choice
    page.wait_for_function("document.querySelector('#kg-title h2').textContent === '临时救助'")


def test_a_reports_script_and_onerror_run_nothing(browser, tmp_path_factory):  # noqa: F811
    out, _ = cli_build_evil(tmp_path_factory)  # EVIL_REPORT through the real kg build
    assert "<script>" in EVIL_REPORT and "onerror" in EVIL_REPORT
    visit = Explorer(browser, out / PAGE)
    page = visit.page
    visit.choose("临时救助")
    rows = page.locator("#kg-table tr.kg-row")
    assert rows.count() >= 1
    for i in range(rows.count()):
        rows.nth(i).click()
    shown = page.inner_text("#kg-table")
    assert "<script>alert(1)</script>" in shown  # the report's title, as text
    visit.choose("城市低保")
    page.locator("#kg-table tr.kg-row").first.click()
    assert "onerror=" in page.inner_text("#kg-table")  # the clause, as text
    assert page.evaluate("window.kgPwned") is None and visit.dialogs == [] and visit.errors == []
    assert page.locator("img").count() == 0 and page.locator("script").count() == 3
    assert [m for m in visit.console if m[0] == "error"] == []  # nothing even tried (CSP would log it)
    assert visit.offline()
    page.close()


def test_report_text_cannot_end_the_data_block():
    hostile = "</script><script>alert(1)</script><!-- &amp; \u2028 __SCRIPT__"
    data = {"concepts": [[0, hostile, "", [hostile], [], []]], "regions": [], "reports": [[hostile, hostile, ""]],
            "units": [""], "pers": [""], "measures": ["other"], "periods": [],
            "f": {k: [] for k in ("v", "u", "pe", "m", "p", "g", "r", "t", "d", "x")}}
    page = render_explorer(data, {"text": [], "q": [], "prev": [], "quotes": [hostile]}).decode("utf-8")
    assert page.count("<script") == 3 and page.count("</script>") == 3
    assert "<!--" not in page and "\u2028" not in page
    script = re.search(r"<script>(.*?)</script>", page, flags=re.S).group(1)
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "document.write" not in script
    assert "default-src 'none'" in page


def test_same_graph_same_page_from_turtle_or_nquads(seeds_built, tmp_path):
    ttl = render_explorer(*explorer_data(seeds_built / "welfare.ttl"))
    nq = render_explorer(*explorer_data(seeds_built / "welfare.nq"))
    assert ttl == nq == (seeds_built / PAGE).read_bytes()
    run = subprocess.run([sys.executable, "-m", "kg.cli", "explore", str(seeds_built / "welfare.nq"),
                          "--out", str(tmp_path / "e.html")], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "e.html").read_bytes() == ttl


def test_explore_names_the_file_and_problem_on_bad_input(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle <<", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "kg.cli", "explore", str(bad), "--out", str(tmp_path / "e.html")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1 and not (tmp_path / "e.html").exists()
    assert run.stderr.startswith(f"kg explore: {bad}: not a readable turtle graph") and run.stderr.count("\n") == 1


def test_a_figures_own_region_wins_over_its_reports(seeds_built, tmp_path):
    """A figure whose wf:region is not its report's (a clause or table row about one county)
    is placed there and marked so; the others take their report's region. The seeds' graph
    with one figure's region replaced."""
    graph = Graph().parse(seeds_built / "welfare.ttl", format="turtle")
    q = PREFIXES + """SELECT ?f ?rname ?other ?oname WHERE {
        ?f prov:wasDerivedFrom ?r ; wf:text ?t . ?r wf:region ?reg . ?reg rdfs:label ?rname .
        ?other a wf:Region ; rdfs:label ?oname . FILTER(?other != ?reg) } ORDER BY ?f ?other LIMIT 1"""
    figure, report_region, other, other_name = next(iter(graph.query(q)))
    region = URIRef("https://w3id.org/welfare-kg/ontology#region")
    graph.remove((figure, region, None))  # kg.rdf gives every figure its report's place unless it has its own
    graph.add((figure, region, other))
    graph.serialize(tmp_path / "g.ttl", format="turtle")
    data, details = explorer_data(tmp_path / "g.ttl")
    plain, _ = explorer_data(seeds_built / "welfare.ttl")
    names = [r[0] for r in data["regions"]]
    text = str(graph.value(figure, URIRef("https://w3id.org/welfare-kg/ontology#text")))
    changed = [i for i, (a, b) in enumerate(zip(data["f"]["r"], plain["f"]["r"])) if a != b]
    assert len(changed) == 1
    i = changed[0]
    assert details["text"][i] == text
    assert names[data["f"]["r"][i]] == str(other_name) and names[plain["f"]["r"][i]] == str(report_region)
    assert data["f"]["x"][i] & 4 and not plain["f"]["x"][i] & 4  # shown as its own place, not the report's


# ---------------------------------------------------------------- 2,000 reports


@pytest.fixture(scope="session")
def corpus_built(tmp_path_factory):
    """A generated corpus of 2,000 reports (kg.bench.corpus), built once per session (a minute or more)."""
    from kg.bench.corpus import generate
    from kg.build.run import build

    base = tmp_path_factory.mktemp("explorer-corpus")
    generate(CORPUS_REPORTS, base / "reports")
    t = time.perf_counter()
    result = build([base / "reports"], base / "out", jobs=2, check=False, store=None)
    print(f"\n{CORPUS_REPORTS} reports built in {time.perf_counter() - t:.0f} s ({result.triples:,} triples)")
    return base / "out"


@pytest.mark.slow
def test_the_explorer_opens_in_under_3_s_at_2000_reports(browser, corpus_built):  # noqa: F811
    path = corpus_built / PAGE
    visit = Explorer(browser, path)
    page = visit.page
    reports, figures = page.evaluate("(() => { const D = JSON.parse(document.getElementById('kg-data').textContent);"
                                     " return [D.reports.length, D.f.v.length]; })()")
    t = time.perf_counter()
    visit.choose("社会救助")  # the widest programme: every assistance figure beneath it
    chosen_s = time.perf_counter() - t
    count = page.inner_text("#kg-count")
    print(f"\nexplorer at {reports} reports, {figures} figures, {path.stat().st_size / 1e6:.1f} MB: "
          f"ready {visit.ready_ms / 1000:.2f} s after navigation start; 社会救助 ({count}) shown in {chosen_s:.2f} s")
    assert reports == CORPUS_REPORTS and figures > 50_000
    assert page.locator("#kg-table tr.kg-row").count() == 200  # the first rows only, the rest on demand
    assert visit.ready_ms / 1000 < LOAD_LIMIT_S
    assert visit.errors == [] and visit.offline()
    page.close()
