"""Web pages saved from a browser, reduced to the report's text.

The stdlib ``html.parser`` is enough: we need text and block breaks, not a
DOM, and it never raises on broken markup. Dropped: ``<head>``, scripts,
styles, forms and other non-text elements, and the site's chrome (``<nav>``,
``<aside>``, and ``<header>``/``<footer>`` outside the article). Block
elements (p, div, li, tr, h1 ...) and ``<br>`` end a line; cells in a row are
separated by a tab; character references are resolved (``&amp;`` → ``&``).

Offsets of figures in a report read from HTML point into the text this
returns (the "original" of such a report), not into the markup.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Never text: their content is code, data or page furniture.
DROP = {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
        "canvas", "select", "button", "textarea", "form", "nav", "aside", "map", "audio", "video"}
# Page chrome, unless inside the article (where <header> holds its title).
CHROME = {"header", "footer"}
ARTICLE = {"article", "main"}
BLOCK = {"address", "article", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog", "div",
         "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
         "hr", "html", "li", "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
         "thead", "title", "tr", "ul"}
CELL = {"td", "th"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


class _Text(HTMLParser):
    def __init__(self, keep_chrome: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.keep_chrome = keep_chrome
        self.parts: list[str] = []
        self.open: list[str] = []  # element stack, as far as the markup lets us know it
        self.dropping = 0  # depth inside dropped elements
        self.pre = 0

    def _dropped(self, tag: str, attrs) -> bool:
        if tag in DROP or any(k == "hidden" for k, _ in attrs):
            return True
        return tag in CHROME and not self.keep_chrome and not ARTICLE.intersection(self.open)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            if tag in BLOCK and not self.dropping:
                self.parts.append("\n")
            return
        self.open.append(tag)
        if self.dropping or self._dropped(tag, attrs):
            self.dropping += 1
            return
        if tag == "pre":
            self.pre += 1
        if tag in CELL:
            self.parts.append("\t")
        elif tag in BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK and not self.dropping:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.open:
            return  # a stray end tag changes nothing
        # Close everything opened after it too (browsers do the same for <p><b></p>).
        while self.open:
            t = self.open.pop()
            if self.dropping:
                self.dropping -= 1
            else:
                if t == "pre":
                    self.pre -= 1
                if t in BLOCK and t not in CELL:
                    self.parts.append("\n")
            if t == tag:
                break

    def handle_data(self, data):
        if not self.dropping:
            self.parts.append(data if self.pre else _SPACE.sub(" ", data))


def html_to_text(markup: str) -> str:
    """The readable text of a page: one line per block, no markup, entities resolved."""
    text = _extract(markup, keep_chrome=False)
    if not text.strip():  # a page that is all "chrome" (an unclosed <header>): keep it rather than nothing
        text = _extract(markup, keep_chrome=True)
    return text


def _extract(markup: str, keep_chrome: bool) -> str:
    parser = _Text(keep_chrome)
    parser.feed(markup)
    parser.close()
    lines = (line.strip(" ") for line in "".join(parser.parts).split("\n"))
    out, blank = [], True
    for line in lines:
        if line.strip():
            out.append(line)
            blank = False
        elif not blank:
            out.append("")
            blank = True
    return "\n".join(out).strip("\n") + "\n"
