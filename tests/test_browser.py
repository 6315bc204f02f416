"""The seeds' page in real headless Chromium (Debian's /usr/bin/chromium, driven
over the DevTools protocol by Playwright, which never downloads a browser here),
with the network blocked: it draws, stays offline, shows quotes, runs no report text."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from kg.out.network import to_networkx
from kg.out.viz import fold_figures, load_graph

from test_network import cli_build_evil

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # nothing may leave the machine: no name resolves, and any proxied request dies
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not Path(CHROMIUM).exists() or not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} is missing: run `bash tests/setup_system.sh` (as root) to install Debian's chromium")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1400, "height": 900})
        yield context
        context.close()


class Visit:
    """A page opened with every request, console message, error and dialog recorded."""

    def __init__(self, context, path: Path):
        self.requests, self.console, self.errors, self.dialogs = [], [], [], []
        self.page = context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        start = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-stabilised='1']", timeout=60_000)
        self.stabilised_after = time.perf_counter() - start

    def hover(self, node_id: str) -> str:
        """Move the mouse onto a node and return its tooltip's text."""
        self.page.evaluate("id => kgNetwork.focus(id, {scale: 1.5, animation: false})", node_id)
        pos = self.page.evaluate("id => kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id])", node_id)
        box = self.page.locator("#mynetwork").bounding_box()
        self.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        tip = self.page.locator("div.vis-tooltip")
        tip.wait_for(state="visible", timeout=10_000)
        return tip.inner_text()


@pytest.fixture(scope="module")
def seeds_page(browser, seeds_built):
    out = seeds_built
    visit = Visit(browser, out / "welfare.html")
    print(f"\nseeds page: {(out / 'welfare.html').stat().st_size} bytes, stabilised in "
          f"{visit.stabilised_after:.2f} s")
    yield visit, out, to_networkx(load_graph(out / "welfare.ttl"))
    visit.page.close()


def test_page_draws_offline_without_errors(seeds_page):
    visit, out, projection = seeds_page
    drawn, _ = fold_figures(projection)
    page = visit.page
    assert page.locator("#mynetwork canvas").count() == 1
    assert page.evaluate("nodes.length") == drawn.number_of_nodes()
    assert page.evaluate("edges.length") == drawn.number_of_edges()
    assert page.evaluate("kgNetwork.body.nodeIndices.length") == drawn.number_of_nodes()
    assert visit.errors == []
    assert [m for m in visit.console if m[0] in ("error", "warning")] == []
    assert visit.requests == [(out / "welfare.html").as_uri()]
    assert page.evaluate("kgNetwork.physics.physicsEnabled") is False  # settled and stopped


def test_tooltip_shows_a_figures_quote(seeds_page):
    visit, _, projection = seeds_page
    drawn, figures = fold_figures(projection)
    home = next(n for n in sorted(figures) if drawn.nodes[n]["kind"] == "programme")
    figure = figures[home][0]
    text = visit.hover(home)
    assert figure["quote"] in text and figure["text"] in text
    assert drawn.nodes[home]["label_zh"] in text and "broader:" in text


def test_search_finds_a_programme_and_its_neighbourhood(seeds_page):
    visit, _, projection = seeds_page
    page = visit.page
    target = next(n for n, d in projection.nodes(data=True) if d["kind"] == "programme" and d["label"] == "临时救助")
    page.locator("#kg-find-ts-control").fill("临时救助")
    page.keyboard.press("Enter")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == [target]
    assert "临时救助" in page.inner_text("#kg-details")
    greyed = page.evaluate("nodes.get().filter(n => n.color === 'rgba(200,200,200,0.5)').length")
    assert 0 < greyed < page.evaluate("nodes.length")  # the rest fades, the neighbourhood stays
    page.click("#kg-reset")
    assert page.evaluate("kgNetwork.getSelectedNodes()") == []


def test_script_in_a_report_is_shown_not_run(browser, tmp_path_factory):
    out, _ = cli_build_evil(tmp_path_factory)  # EVIL_REPORT through the real kg build
    visit = Visit(browser, out / "welfare.html")
    page = visit.page
    assert visit.dialogs == [] and visit.errors == []
    assert page.evaluate("window.kgPwned") is None
    assert page.locator("img").count() == 0
    assert [m for m in visit.console if m[0] == "error"] == []  # nothing even tried (CSP would log it)
    report = page.evaluate("nodes.get({filter: n => n.kind === 'report'})[0].id")
    text = visit.hover(report)
    assert "<script>alert(1)</script>" in text  # shown as text
    programme = page.evaluate(
        "nodes.get({filter: n => n.title.textContent.includes('onerror')}).map(n => n.id)[0]")
    assert '<img src=x onerror="window.kgPwned=2;alert(2)">' in visit.hover(programme) or \
        "<img src=x onerror=alert(3)>" in visit.hover(programme)
    assert page.evaluate("window.kgPwned") is None and visit.dialogs == []
    assert visit.requests == [(out / "welfare.html").as_uri()]
    page.close()
