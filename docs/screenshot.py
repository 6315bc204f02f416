"""Regenerate docs/graph.png or docs/explorer.png from a built page, in Debian's headless Chromium.

    make demo && .venv/bin/python docs/screenshot.py exports/welfare.html docs/graph.png
    make demo && .venv/bin/python docs/screenshot.py exports/explorer.html docs/explorer.png

The network page: the seeds after a search for 临时救助, its neighbourhood
highlighted, its details in the side panel and its tooltip open. The explorer:
临时救助 chosen by a search, its table with the first row's quote open.
"""
from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--host-resolver-rules=MAP * ~NOTFOUND"]


def explorer(page_path: str, png: str, query: str = "临时救助") -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        page.fill("#kg-search", query)
        page.keyboard.press("Enter")
        page.locator("#kg-table tr.kg-row").first.click()
        page.screenshot(path=png)
        browser.close()


def main(page_path: str, png: str, query: str = "临时救助") -> None:
    if Path(page_path).name.startswith("explorer"):
        explorer(page_path, png, query)
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 900})
        page.goto(Path(page_path).resolve().as_uri())
        page.wait_for_selector("body[data-stabilised='1']", timeout=60_000)
        page.locator("#kg-find-ts-control").fill(query)
        page.keyboard.press("Enter")
        node = page.evaluate("kgNetwork.getSelectedNodes()[0]")
        page.evaluate("kgNetwork.fit({animation: false})")
        page.evaluate("id => kgNetwork.moveTo({position: kgNetwork.getPositions([id])[id], scale: 0.9 * "
                      "kgNetwork.getScale(), animation: false})", node)
        pos = page.evaluate("id => kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id])", node)
        box = page.locator("#mynetwork").bounding_box()
        page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
        page.locator("div.vis-tooltip").wait_for(state="visible")
        page.screenshot(path=png)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
