"""A concept-centred explorer page for a corpus of any size: OUT/explorer.html.

The network page (kg.out.viz) draws every node and is skipped above ~30,000
triples; this page draws only what the user asks for. They choose a programme,
group or region (searching its Chinese labels, altLabels, English label or
division code) and see its figures as a sortable table and a chart over years
or across regions, its neighbours (broader and narrower concepts, the groups a
programme serves and the programmes serving a group, a region's parent and
sub-regions) as a small network, and any figure's quote by expanding its row.

Decisions, so it opens fast, stays offline and runs no report text:

- **Read from the graph**, not the records, so ``kg explore GRAPH`` and the
  build give the same page: one pass over the quads with pyoxigraph (an
  rdflib parse of 2 M triples would take minutes). A figure's region is its own
  ``wf:region`` where the graph has one, else its report's.
- **Compact, columnar data.** Figures are parallel arrays of small integers
  (indexes into tables of units, periods, concepts, regions, reports); quotes
  and figure texts sit in a second JSON block that is parsed only when a row is
  first expanded. Tables and charts are drawn for the chosen concept only, and
  a table shows its first rows until asked for more.
- **Offline and safe.** Both data blocks are ``<script type="application/json">``
  with ``<``, ``>`` and ``&`` written as ``\\u003c`` etc., so report text cannot
  close the element; the page reads them with ``JSON.parse`` and puts every
  string on screen with ``textContent`` or SVG text nodes (the page's script
  never assigns ``innerHTML``). A Content-Security-Policy with
  ``default-src 'none'`` and the one inline script allowed by its SHA-256
  refuses any request and any injected script.
- **Deterministic.** Everything sorted, no timestamps: same graph, same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg.errors import InputError

PAGE = "explorer.html"

_WF = "https://w3id.org/welfare-kg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_DCT = "http://purl.org/dc/terms/"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"

# class -> kind, first wins for a node typed twice (as kg.out.network does)
CONCEPT_KINDS = {_WF + "Programme": "programme", _WF + "FieldOfWork": "field", _WF + "BeneficiaryGroup": "group"}
KIND_CODES = {"programme": 0, "field": 1, "group": 2}
MEASURES = ("standard", "spending", "recipients", "count", "share", "other")

# predicate IRI -> short name; every other triple is skipped on the one pass
_WANTED = {
    _RDF_TYPE: "type", _SKOS + "prefLabel": "pref", _SKOS + "altLabel": "alt", _SKOS + "broader": "broader",
    _RDFS + "label": "label", _WF + "servesGroup": "serves", _WF + "within": "within",
    _WF + "divisionCode": "code", _WF + "level": "level", _WF + "region": "region",
    _WF + "periodStart": "start", _WF + "periodEnd": "end", _DCT + "source": "source", _DCT + "title": "title",
    _DCT + "publisher": "publisher", _PROV_DERIVED: "report", _WF + "value": "value", _WF + "unit": "unit",
    _WF + "per": "per", _WF + "measure": "measure", _WF + "programme": "programme", _WF + "group": "group",
    _WF + "text": "text", _WF + "quote": "quote", _WF + "previousValue": "previous",
    _WF + "approximate": "approximate", _WF + "redacted": "redacted", _WF + "startOffset": "offset",
}
_LANG = {"pref", "alt", "label", "title"}  # several values, kept with their language: {(text, lang)}
_MULTI = {"broader", "serves", "within", "region"}  # several values: {value}
_CLASSES = {_WF + "Figure", _WF + "Report", _WF + "Region", *CONCEPT_KINDS}

_REPORT = "https://w3id.org/welfare-kg/data/report/"  # kg.rdf.iris: every report's nodes lie under its IRI
_FORMATS = {".nq": "N_QUADS", ".nt": "N_TRIPLES", ".ttl": "TURTLE", ".trig": "TRIG"}


def _read(path: Path, reports: set[str] | None = None) -> dict[str, dict]:
    """One pass over the graph file: {short predicate: {subject: value}}, where a value is
    the IRI or literal text, a set of them (_MULTI), a set of (text, language) (_LANG), or,
    for ``type``, {class: set of subjects}. The loop is the cost of a corpus page (2 M
    triples at 2,000 reports), so it does as little as it can per triple.

    ``reports``: the IRIs of the reports whose nodes are read (a report's nodes are the report
    and the IRIs under it); None: all. Every other node (regions, concepts, the vocabulary) is read.

    pyoxigraph makes a new string for each term of each triple: a subject is kept as the one
    string it was first seen as (its triples come together in a sorted file), a value as the one
    string of that value (units, measures, "true", a clause quoted for each of its figures), so
    2,000 reports cost 136 MiB of Python objects at the peak instead of 520 MiB of memory."""
    from pyoxigraph import NamedNode, RdfFormat, parse

    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: not a graph file (expected {', '.join(sorted(_FORMATS))})")
    props: dict[str, dict] = {name: {} for name in _WANTED.values()}
    types: dict[str, set] = {cls: set() for cls in _CLASSES}
    single = {iri: props[name] for iri, name in _WANTED.items() if name not in _LANG | _MULTI | {"type"}}
    multi = {iri: props[name] for iri, name in _WANTED.items() if name in _MULTI}
    lang = {iri: props[name] for iri, name in _WANTED.items() if name in _LANG}
    iris: dict[str, str] = {}
    owned, cut = _REPORT, len(_REPORT)
    prev, keep = None, True
    try:
        for q in parse(path=str(path), format=getattr(RdfFormat, fmt)):
            p = q.predicate.value
            table = single.get(p)
            if table is None and p != _RDF_TYPE and p not in multi and p not in lang:
                continue
            s = q.subject.value
            if s == prev:
                s = prev
            else:
                prev = s
                keep = reports is None or not s.startswith(owned) or owned + s[cut:].split("/", 1)[0] in reports
            if not keep:
                continue
            o = q.object
            if table is not None:
                v = o.value
                table[s] = iris.setdefault(v, v)
            elif p == _RDF_TYPE:
                members = types.get(o.value)
                if members is not None:
                    members.add(s)
            elif p in multi:
                v = o.value
                multi[p].setdefault(s, set()).add(iris.setdefault(v, v) if type(o) is NamedNode else v)
            else:
                lang[p].setdefault(s, set()).add((o.value, getattr(o, "language", None) or ""))
    except (SyntaxError, ValueError, OSError) as e:  # pyoxigraph's parse errors are SyntaxError
        raise InputError(f"{path}: not a readable {fmt.lower().replace('_', '-')} graph ({e})") from e
    props["type"] = types
    return props


def _lit(values, lang: str | None = None) -> str:
    """One literal's text, picked deterministically: language first (then untagged), then smallest."""
    if not values:
        return ""
    lits = list(values)
    if lang is not None:
        lits = [v for v in lits if v[1] == lang] or [v for v in lits if not v[1]]
    return min((v[0] for v in lits), default="")


def _number(text: str):
    """A decimal literal as a JSON number with its own digits (2089000, 0.5), or None."""
    try:
        d = Decimal(text).normalize()
    except (InvalidOperation, TypeError):
        return None
    if not d.is_finite():
        return None
    return int(d) if d == d.to_integral_value() else float(format(d, "f"))


def _period_label(start: str, end: str) -> str:
    if not start:
        return ""
    if end and start[5:] == "01-01" and end[5:] == "12-31":
        return start[:4] if start[:4] == end[:4] else f"{start[:4]}–{end[:4]}"
    return f"{start}/{end}" if end and end != start else start


class _Table:
    """Strings to small integers, first come first numbered (callers add in sorted order)."""

    def __init__(self):
        self.index: dict = {}
        self.items: list = []

    def __call__(self, key, item=None) -> int:
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(key if item is None else item)
        return self.index[key]


def explorer_data(path: str | Path, reports: set[str] | None = None) -> tuple[dict, dict]:
    """The page's two data blocks from a built graph file: ``(data, details)``.

    ``data`` holds concepts, regions, reports and the figures' columns;
    ``details`` each figure's text, quote (as an index into a list of distinct
    quotes) and previous value, in the same order. ``reports``: only these reports'
    figures (their IRIs; None: all)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    P = _read(path, reports)
    types = P["type"]
    kind = {}
    for cls, k in reversed(CONCEPT_KINDS.items()):  # the first class wins, so it is written last
        for c in types[cls]:
            kind[c] = k
    concepts = sorted(kind)
    cidx = {c: i for i, c in enumerate(concepts)}
    regions = sorted(types[_WF + "Region"])
    ridx = {r: i for i, r in enumerate(regions)}
    source = P["source"]
    reports = sorted(types[_WF + "Report"], key=lambda n: (source.get(n, ""), n))
    pidx = {r: i for i, r in enumerate(reports)}

    def refs(node: str, name: str, index: dict) -> list[int]:
        return sorted(index[o] for o in P[name].get(node, ()) if o in index)

    concept_rows = []
    for c in concepts:
        pref, alts = P["pref"].get(c, set()), P["alt"].get(c, set())
        zh = _lit(pref, "zh") or _lit(P["label"].get(c)) or c.rsplit("/", 1)[-1]
        en = min((t for t, lang in pref if lang == "en"), default="")
        words = sorted({t for t, lang in pref | alts if lang != "en" and t != zh})
        concept_rows.append([KIND_CODES[kind[c]], zh, en, words, refs(c, "broader", cidx), refs(c, "serves", cidx)])

    region_rows = []
    for r in regions:
        parents = refs(r, "within", ridx)
        region_rows.append([_lit(P["label"].get(r)) or r.rsplit("/", 1)[-1], P["code"].get(r, ""),
                            P["level"].get(r, ""), parents[0] if parents else -1])

    def first_region(node: str) -> int:
        found = refs(node, "region", ridx)
        return found[0] if found else -1

    start_of, end_of = P["start"], P["end"]
    report_rows, report_region, report_period = [], [], []
    for r in reports:
        publisher = P["publisher"].get(r)
        report_rows.append([source.get(r, ""), _lit(P["title"].get(r)), _lit(P["label"].get(publisher)) if publisher else ""])
        report_region.append(first_region(r))
        report_period.append((start_of.get(r, ""), end_of.get(r, "")))

    derived, offset = P["report"], P["offset"]
    n_reports = len(reports)
    figures = sorted(types[_WF + "Figure"], key=lambda f: (pidx.get(derived.get(f, ""), n_reports),
                                                           int(offset.get(f) or -1), f))
    units, pers, periods, quotes = _Table(), _Table(), _Table(), _Table()
    units(""), pers("")  # index 0: none
    cols = {k: [] for k in ("v", "u", "pe", "m", "p", "g", "r", "t", "d", "x")}
    det = {"text": [], "q": [], "prev": []}
    unit_label = {u: _lit(P["label"].get(u)) for u in set(P["unit"].values())}
    measure_code = {_WF + m.capitalize(): i for i, m in enumerate(MEASURES)}
    other = MEASURES.index("other")
    value_of, unit_of, per_of, measure_of = P["value"], P["unit"], P["per"], P["measure"]
    programme_of, group_of, approx_of, redacted_of = P["programme"], P["group"], P["approximate"], P["redacted"]
    text_of, quote_of, previous_of, region_of = P["text"], P["quote"], P["previous"], P["region"]
    for f in figures:
        rep = pidx.get(derived.get(f, ""), -1)
        own_region = first_region(f) if f in region_of else -1
        start, end = start_of.get(f, ""), end_of.get(f, "")
        if not start and rep >= 0:
            start, end = report_period[rep]
        label = _period_label(start, end)
        value, prev = value_of.get(f), previous_of.get(f)
        cols["v"].append(_number(value) if value is not None else None)
        cols["u"].append(units(unit_label.get(unit_of.get(f), "")))
        cols["pe"].append(pers(per_of.get(f, "")))
        cols["m"].append(measure_code.get(measure_of.get(f), other))
        cols["p"].append(cidx.get(programme_of.get(f, ""), -1))
        cols["g"].append(cidx.get(group_of.get(f, ""), -1))
        cols["r"].append(own_region if own_region >= 0 else (report_region[rep] if rep >= 0 else -1))
        cols["t"].append(periods(label, [label, int(start[:4]) if start[:4].isdigit() else None]) if label else -1)
        cols["d"].append(rep)
        # 4: placed apart from its report (a clause or table row naming its own place); a figure
        # that carries its report's region, as kg.rdf writes for all, is not
        apart = own_region >= 0 and (rep < 0 or own_region != report_region[rep])
        cols["x"].append((1 if approx_of.get(f) == "true" else 0) | (2 if redacted_of.get(f) == "true" else 0)
                         | (4 if apart else 0))
        det["text"].append(text_of.get(f, ""))
        det["q"].append(quotes(quote_of.get(f, "")))
        det["prev"].append(_number(prev) if prev is not None else None)
    det["quotes"] = quotes.items
    data = {"concepts": concept_rows, "regions": region_rows, "reports": report_rows, "units": units.items,
            "pers": pers.items, "measures": list(MEASURES), "periods": periods.items, "f": cols}
    return data, det


def _json_block(obj) -> str:
    """JSON that cannot end its <script> element or open a comment: <, > and & as \\u escapes."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def render_explorer(data: dict, details: dict, note: str | None = None) -> bytes:
    """The page (UTF-8 bytes) for ``explorer_data``'s blocks; ``note``, plain text, is shown at the top."""
    script = SCRIPT.strip()
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    parts = {"__CSP__": csp, "__DATA__": _json_block(data), "__DETAILS__": _json_block(details), "__SCRIPT__": script,
             "__NOTE__": f'<span class="kg-note" style="color: #8a5a00">{html.escape(note)}</span>' if note else ""}
    # one pass over the template: a report's text that happens to read __SCRIPT__ is never substituted
    return _TAG.sub(lambda m: parts[m.group(0)], TEMPLATE).encode("utf-8")


def write_explorer(graph: str | Path, out_file: str | Path) -> dict:
    """Render ``graph`` (a .ttl/.nq/.nt/.trig file) to ``out_file``; returns counts for a summary line."""
    from kg.out.export import write_atomic

    data, details = explorer_data(graph)
    write_atomic(Path(out_file), render_explorer(data, details))
    return _counts(data)


#: The most reports whose figures ``kg build`` puts in the page. The page holds every figure it
#: shows (2,000 reports: 138,007 figures, a 9.9 MB page, ~170 MiB to make), so a corpus's page
#: cannot grow with the corpus and still open in a browser or be made in bounded memory; above
#: this the page shows the first reports in file-name order and says so at its top.
#: ``kg explore GRAPH`` draws a whole graph of any size.
EXPLORER_MAX_REPORTS = 2_000


def add_explorer(out_dir: str | Path, files: list[Path], reports: list[str] | None = None,
                 max_reports: int = EXPLORER_MAX_REPORTS) -> list[Path]:
    """Write OUT/explorer.html from the just-written OUT/welfare.ttl, for ``kg build``
    (the merged Turtle: a third of welfare.nq's bytes, each triple once). ``reports``: the
    built reports' IRIs in file-name order; past ``max_reports`` of them the page holds the first."""
    from kg.out.export import write_atomic

    out = Path(out_dir)
    shown = set(reports[:max_reports]) if reports is not None and len(reports) > max_reports else None
    data, details = explorer_data(out / "welfare.ttl", shown)
    note = (f"This page holds the figures of the first {max_reports:,} of the {len(reports):,} reports "
            f"(in file-name order): kg build caps it so it opens in a browser. All reports are in welfare.ttl; "
            f"kg explore welfare.ttl --out FILE draws them all.") if shown is not None else None
    write_atomic(out / PAGE, render_explorer(data, details, note))
    return [*files, out / PAGE]


def _counts(data: dict) -> dict:
    return {"reports": len(data["reports"]), "figures": len(data["f"]["v"]), "concepts": len(data["concepts"]),
            "regions": len(data["regions"])}


_TAG = re.compile(r"__[A-Z]+__")

TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Welfare figures explorer</title>
<style>
html, body { margin: 0; font: 13px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; color: #222; background: #fff; }
header { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; padding: 8px 12px;
         border-bottom: 1px solid #ddd; background: #fafafa; position: sticky; top: 0; z-index: 2; }
header h1 { font-size: 15px; margin: 0; }
#kg-stats { color: #666; }
#kg-searchbox { position: relative; }
#kg-search { width: 340px; font: inherit; padding: 4px 8px; }
#kg-results { position: absolute; top: 100%; left: 0; width: 420px; max-height: 60vh; overflow-y: auto; margin: 0;
              padding: 0; list-style: none; background: #fff; border: 1px solid #bbb; box-shadow: 0 2px 8px #0002; }
#kg-results:empty { display: none; }
#kg-results li { padding: 4px 8px; cursor: pointer; display: flex; gap: 8px; justify-content: space-between; }
#kg-results li.active, #kg-results li:hover { background: #e8f0fb; }
.kg-kind { font-size: 11px; color: #fff; border-radius: 3px; padding: 0 5px; white-space: nowrap; }
.k0 { background: #c0392b; } .k1 { background: #d98880; } .k2 { background: #8e44ad; } .k3 { background: #27ae60; }
.kg-dim { color: #888; font-size: 12px; }
main { padding: 10px 14px; }
#kg-overview section { margin-bottom: 10px; }
#kg-overview h2, #kg-view h2 { font-size: 14px; margin: 6px 0; }
.kg-chip { display: inline-block; margin: 2px 6px 2px 0; padding: 1px 8px; border: 1px solid #ccc; border-radius: 10px;
           background: #fff; font: inherit; cursor: pointer; }
.kg-chip:hover { background: #eef; }
#kg-title { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
#kg-title h2 { font-size: 18px; margin: 0; }
#kg-top { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0; }
.kg-panel { border: 1px solid #ddd; border-radius: 4px; padding: 6px 8px; }
.kg-panel h3 { font-size: 13px; margin: 0 0 4px; }
#kg-chart-controls { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
#kg-chart-controls select, #kg-chart-controls button { font: inherit; }
#kg-chart-controls button[aria-pressed="true"] { background: #1f4e79; color: #fff; }
svg text { font: 11px system-ui, "Noto Sans CJK SC", sans-serif; fill: #333; }
svg .kg-node { cursor: pointer; }
svg .kg-node:hover circle { stroke: #000; stroke-width: 2; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f4f4f4; cursor: pointer; user-select: none; white-space: nowrap; position: sticky; top: 45px; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.kg-num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.kg-row { cursor: pointer; } tr.kg-row:hover { background: #f6f9ff; } tr.kg-open { background: #eef4ff; }
tr.kg-detail td { background: #fbfbf4; padding: 6px 12px 10px; }
.kg-quote { font-size: 14px; } .kg-quote mark { background: #ffe58a; }
#kg-more { margin: 8px 0; font: inherit; }
</style>
</head>
<body>
<header>
  <h1>Welfare figures explorer</h1>
  <div id="kg-searchbox">
    <input id="kg-search" type="search" autocomplete="off" spellcheck="false"
           placeholder="搜索 programme, group or region (临时救助, 低保对象, 西昌市, 513401…)" aria-label="Search">
    <ul id="kg-results" role="listbox"></ul>
  </div>
  <span id="kg-stats"></span>__NOTE__
</header>
<main>
  <div id="kg-overview"></div>
  <div id="kg-view" hidden>
    <div id="kg-title"></div>
    <div id="kg-top">
      <div class="kg-panel"><h3>Neighbours</h3><div id="kg-net"></div></div>
      <div class="kg-panel"><h3>Chart</h3><div id="kg-chart-controls"></div><div id="kg-chart"></div></div>
    </div>
    <div id="kg-table-head"></div>
    <table id="kg-table"><thead></thead><tbody></tbody></table>
    <button id="kg-more" type="button" hidden></button>
  </div>
</main>
<script type="application/json" id="kg-data">__DATA__</script>
<script type="application/json" id="kg-details">__DETAILS__</script>
<script>__SCRIPT__</script>
</body>
</html>
"""

SCRIPT = r"""
"use strict";
(function () {
  var SVG = "http://www.w3.org/2000/svg";
  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var F = D.f, N = F.v.length, C = D.concepts, R = D.regions, REP = D.reports;
  var KIND = ["programme", "field of work", "group", "region"];
  var MEASURE_ZH = { standard: "标准", spending: "资金", recipients: "对象", count: "数量", share: "比例", other: "其他" };
  var PAGE = 200;
  var details = null;  // the quotes block, parsed on the first expanded row
  function detail() {
    if (!details) { details = JSON.parse(document.getElementById("kg-details").textContent); }
    return details;
  }

  // ---- elements, built from text only ------------------------------------------------
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") { e.textContent = attrs[k]; } else if (k === "cls") { e.className = attrs[k]; }
      else { e.setAttribute(k, attrs[k]); }
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) { continue; }
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } return node; }

  // ---- indexes ---------------------------------------------------------------------------
  // targets: concepts 0..C.length-1, regions C.length..; one id space for search and selection
  var NC = C.length;
  function name(t) { return t < NC ? C[t][1] : R[t - NC][0]; }
  function kindOf(t) { return t < NC ? C[t][0] : 3; }
  var narrower = C.map(function () { return []; }), servedBy = C.map(function () { return []; });
  C.forEach(function (c, i) {
    c[4].forEach(function (b) { narrower[b].push(i); });
    c[5].forEach(function (g) { servedBy[g].push(i); });
  });
  var children = R.map(function () { return []; });
  R.forEach(function (r, i) { if (r[3] >= 0) { children[r[3]].push(i); } });
  var own = [];  // figures naming each target directly
  for (var t = 0; t < NC + R.length; t++) { own.push([]); }
  for (var i = 0; i < N; i++) {
    if (F.p[i] >= 0) { own[F.p[i]].push(i); }
    if (F.g[i] >= 0 && F.g[i] !== F.p[i]) { own[F.g[i]].push(i); }
    if (F.r[i] >= 0) { own[NC + F.r[i]].push(i); }
  }
  function below(t) {  // t and everything narrower (concepts) or within it (regions)
    var seen = {}, out = [], todo = [t];
    while (todo.length) {
      var x = todo.pop();
      if (seen[x]) { continue; }
      seen[x] = 1; out.push(x);
      var next = x < NC ? narrower[x] : children[x - NC].map(function (r) { return NC + r; });
      for (var j = 0; j < next.length; j++) { todo.push(next[j]); }
    }
    return out;
  }
  function figuresOf(t, deep) {
    var ts = deep ? below(t) : [t], seen = new Uint8Array(N), out = [];
    ts.forEach(function (x) { own[x].forEach(function (f) { if (!seen[f]) { seen[f] = 1; out.push(f); } }); });
    return out.sort(function (a, b) { return a - b; });
  }
  // search entries: [text as matched (lower case), target, is the preferred label]
  var entries = [];
  C.forEach(function (c, i) {
    entries.push([c[1].toLowerCase(), i, 1]);
    if (c[2]) { entries.push([c[2].toLowerCase(), i, 0]); }
    c[3].forEach(function (w) { entries.push([w.toLowerCase(), i, 0]); });
  });
  R.forEach(function (r, i) {
    entries.push([r[0].toLowerCase(), NC + i, 1]);
    if (r[1]) { entries.push([r[1], NC + i, 0]); }
  });
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) { return []; }
    var best = {};
    entries.forEach(function (e) {
      var at = e[0].indexOf(q);
      if (at < 0) { return; }
      // exact, then a match at the start, then a short label, then the preferred label
      var score = (e[0] === q ? 0 : at === 0 ? 1 : 2) * 1000 + e[0].length - e[2] * 0.5;
      if (!(e[1] in best) || score < best[e[1]][0]) { best[e[1]] = [score, e[0]]; }
    });
    return Object.keys(best).map(Number).sort(function (a, b) {
      return best[a][0] - best[b][0] || own[b].length - own[a].length || a - b;
    }).slice(0, 30).map(function (t) { return [t, best[t][1]]; });
  }

  // ---- formatting ------------------------------------------------------------------------
  function grouped(v) {
    if (v === null) { return "XX"; }
    var s = String(v), neg = s[0] === "-"; if (neg) { s = s.slice(1); }
    var dot = s.indexOf("."), int = dot < 0 ? s : s.slice(0, dot), frac = dot < 0 ? "" : s.slice(dot);
    return (neg ? "-" : "") + int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + frac;
  }
  function short(v) {  // axis ticks: 1.2亿, 3.5万
    var a = Math.abs(v);
    if (a >= 1e8) { return +(v / 1e8).toFixed(2) + "亿"; }
    if (a >= 1e4) { return +(v / 1e4).toFixed(2) + "万"; }
    return String(+v.toFixed(2));
  }
  function regionName(r) { return r < 0 ? "" : R[r][0]; }
  function conceptName(c) { return c < 0 ? "" : C[c][1]; }
  function period(i) { return F.t[i] < 0 ? "" : D.periods[F.t[i]][0]; }
  function year(i) { return F.t[i] < 0 ? null : D.periods[F.t[i]][1]; }
  function report(i) { return F.d[i] < 0 ? "" : REP[F.d[i]][0]; }
  var COLS = [
    { key: "value", title: "value", num: true, get: function (i) { return F.v[i]; },
      show: function (i) { return ((F.x[i] & 1) ? "约 " : "") + grouped(F.v[i]); } },
    { key: "unit", title: "unit", get: function (i) { return D.units[F.u[i]]; } },
    { key: "per", title: "per", get: function (i) { return D.pers[F.pe[i]]; } },
    { key: "measure", title: "measure", get: function (i) { return D.measures[F.m[i]]; } },
    { key: "programme", title: "programme", get: function (i) { return conceptName(F.p[i]); } },
    { key: "group", title: "group", get: function (i) { return conceptName(F.g[i]); } },
    { key: "region", title: "region", get: function (i) { return regionName(F.r[i]); } },
    { key: "period", title: "period", get: period },
    { key: "report", title: "report", get: report }
  ];

  // ---- the view of one target --------------------------------------------------------------
  var state = { target: null, deep: true, rows: [], sort: null, dir: 1, shown: 0, series: null, mode: "years", year: "", log: false };
  var view = document.getElementById("kg-view"), overview = document.getElementById("kg-overview");

  function select(t) {
    state.target = t; state.sort = null; state.dir = 1; state.series = null; state.year = "";
    state.mode = t >= NC && children[t - NC].length ? "regions" : "years";  // a place with places within: side by side
    location.hash = (t < NC ? "c" : "r") + (t < NC ? t : t - NC);
    overview.hidden = true; view.hidden = false;
    refresh();
  }
  function refresh() {
    var t = state.target;
    state.rows = figuresOf(t, state.deep);
    drawTitle(t); drawNetwork(t); drawChart(); drawTable(true);
  }

  function drawTitle(t) {
    var box = clear(document.getElementById("kg-title")), k = kindOf(t);
    box.appendChild(el("h2", { text: name(t) }));
    box.appendChild(el("span", { cls: "kg-kind k" + k, text: KIND[k] }));
    if (t < NC) {
      if (C[t][2]) { box.appendChild(el("span", { text: C[t][2] })); }
      if (C[t][3].length) { box.appendChild(el("span", { cls: "kg-dim", text: "also: " + C[t][3].slice(0, 12).join("、") + (C[t][3].length > 12 ? " …" : "") })); }
    } else {
      var r = R[t - NC];
      box.appendChild(el("span", { cls: "kg-dim", text: [r[1], r[2]].filter(Boolean).join(" · ") }));
    }
    var deep = el("input", { type: "checkbox", id: "kg-deep" });
    deep.checked = state.deep;
    deep.addEventListener("change", function () { state.deep = deep.checked; refresh(); });
    var n = own[t].length, all = state.rows.length;
    box.appendChild(el("label", {}, deep, t < NC ? " include narrower concepts" : " include places within it"));
    box.appendChild(el("span", { id: "kg-count", text: all + " figures" + (all !== n ? " (" + n + " directly)" : "") }));
  }

  // neighbours: a small radial network, the chosen node in the middle
  var REL = [["broader", "#1f4e79"], ["narrower", "#5d8aa8"], ["serves group", "#8e44ad"], ["served by", "#c0392b"],
             ["within", "#1e8449"], ["contains", "#82c596"]];
  function neighbours(t) {
    var out = [];
    function add(list, rel, off) { list.forEach(function (x) { out.push([x + off, rel]); }); }
    if (t < NC) {
      add(C[t][4], 0, 0); add(narrower[t], 1, 0); add(C[t][5], 2, 0); add(servedBy[t], 3, 0);
    } else {
      var r = t - NC;
      if (R[r][3] >= 0) { out.push([NC + R[r][3], 4]); }
      add(children[r], 5, NC);
    }
    return out;
  }
  function drawNetwork(t) {
    var box = clear(document.getElementById("kg-net")), all = neighbours(t), MAX = 24;
    var shown = all.slice().sort(function (a, b) { return a[1] - b[1] || own[b[0]].length - own[a[0]].length || a[0] - b[0]; });
    var more = shown.length - MAX; shown = shown.slice(0, MAX);
    var W = 460, H = 300, cx = W / 2, cy = H / 2, s = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, role: "img" });
    s.appendChild(svg("title", {}, "Neighbours of " + name(t)));
    var pos = shown.map(function (n, i) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / Math.max(1, shown.length);
      return [cx + 170 * Math.cos(a), cy + 115 * Math.sin(a)];
    });
    shown.forEach(function (n, i) {
      s.appendChild(svg("line", { x1: cx, y1: cy, x2: pos[i][0], y2: pos[i][1], stroke: REL[n[1]][1], "stroke-width": 1.5 }));
    });
    function node(x, y, target, r) {
      var g = svg("g", { "class": "kg-node", "data-target": target });
      g.appendChild(svg("title", {}, name(target) + " · " + KIND[kindOf(target)] + " · " + own[target].length + " figures"));
      g.appendChild(svg("circle", { cx: x, cy: y, r: r, fill: ["#c0392b", "#d98880", "#8e44ad", "#27ae60"][kindOf(target)] }));
      var label = name(target);
      g.appendChild(svg("text", { x: x, y: y + r + 11, "text-anchor": "middle" }, label.length > 9 ? label.slice(0, 8) + "…" : label));
      g.addEventListener("click", function () { select(target); });
      s.appendChild(g);
    }
    shown.forEach(function (n, i) { node(pos[i][0], pos[i][1], n[0], 6); });
    node(cx, cy, t, 11);
    box.appendChild(s);
    var used = {};
    shown.forEach(function (n) { used[n[1]] = 1; });
    var legend = el("div", { cls: "kg-dim" });
    REL.forEach(function (r, i) {
      if (used[i]) { legend.appendChild(el("span", { style: "color:" + r[1] + "; margin-right: 10px" }, "— " + r[0])); }
    });
    if (!shown.length) { legend.appendChild(document.createTextNode("no broader, narrower or related nodes in this graph")); }
    if (more > 0) { legend.appendChild(document.createTextNode(" +" + more + " more not drawn")); }
    box.appendChild(legend);
  }

  // ---- chart: one series (measure, unit, per) over years or across regions ----------------
  // a series is one programme's figures of one measure, unit and per: the urban and the rural
  // 低保 standard are two lines, never one median
  function seriesKey(i) { return F.m[i] + "|" + F.u[i] + "|" + F.pe[i] + "|" + F.p[i]; }
  function seriesName(key) {
    var p = key.split("|").map(Number), m = D.measures[p[0]];
    return (p[3] >= 0 ? C[p[3]][1] : "no programme") + " · " + m + " (" + MEASURE_ZH[m] + ") · " +
      (D.units[p[1]] || "—") + (D.pers[p[2]] ? "/" + D.pers[p[2]] : "");
  }
  function drawChart() {
    var controls = clear(document.getElementById("kg-chart-controls")), box = clear(document.getElementById("kg-chart"));
    var counts = {};
    state.rows.forEach(function (i) { if (F.v[i] !== null) { var k = seriesKey(i); counts[k] = (counts[k] || 0) + 1; } });
    var keys = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    if (!keys.length) { box.appendChild(el("p", { cls: "kg-dim", text: "No figures with a value to chart." })); return; }
    if (!state.series || !(state.series in counts)) { state.series = keys[0]; }
    var pick = el("select", { id: "kg-series", "aria-label": "Series" });
    keys.forEach(function (k) { var o = el("option", { value: k, text: seriesName(k) + " — " + counts[k] }); pick.appendChild(o); });
    pick.value = state.series;
    pick.addEventListener("change", function () { state.series = pick.value; drawChart(); });
    controls.appendChild(pick);
    [["years", "over years"], ["regions", "across regions"]].forEach(function (m) {
      var b = el("button", { type: "button", "aria-pressed": String(state.mode === m[0]), "data-mode": m[0], text: m[1] });
      b.addEventListener("click", function () { state.mode = m[0]; drawChart(); });
      controls.appendChild(b);
    });
    var logBox = el("input", { type: "checkbox", id: "kg-log" });
    logBox.checked = state.log;
    logBox.addEventListener("change", function () { state.log = logBox.checked; drawChart(); });
    if (state.mode === "years") { controls.appendChild(el("label", {}, logBox, " log scale")); }
    var rows = state.rows.filter(function (i) { return F.v[i] !== null && seriesKey(i) === state.series; });
    if (state.mode === "years") { chartYears(box, rows); } else { chartRegions(controls, box, rows); }
  }
  function median(xs) {
    xs = xs.slice().sort(function (a, b) { return a - b; });
    var m = xs.length >> 1;
    return xs.length % 2 ? xs[m] : (xs[m - 1] + xs[m]) / 2;
  }
  function ticks(max) {  // 0, a round step, ... up to the first tick at or above max
    if (!(max > 0)) { return [0, 1]; }
    var step = Math.pow(10, Math.floor(Math.log10(max))), out = [];
    if (max / step < 2) { step /= 5; } else if (max / step < 5) { step /= 2; }
    for (var k = 0; ; k++) { out.push(k * step); if (k * step >= max) { break; } }
    return out;
  }
  function chartYears(box, rows) {
    var log = state.log;
    var pts = rows.filter(function (i) { return year(i) !== null && (!log || F.v[i] > 0); });
    if (!pts.length) { box.appendChild(el("p", { cls: "kg-dim", text: "No dated figures in this series." })); return; }
    var years = pts.map(year), y0 = Math.min.apply(null, years), y1 = Math.max.apply(null, years);
    var vals = pts.map(function (i) { return F.v[i]; });
    var max = Math.max.apply(null, vals), min = Math.min.apply(null, vals);
    var W = 560, H = 280, L = 64, B = 28, T = 10, Rm = 14, tk, Y;
    if (log) {
      var e0 = Math.floor(Math.log10(min)), e1 = Math.max(e0 + 1, Math.ceil(Math.log10(max)));
      tk = []; for (var e = e0; e <= e1; e++) { tk.push(Math.pow(10, e)); }
      Y = function (v) { return H - B - (Math.log10(v) - e0) / (e1 - e0) * (H - B - T); };
    } else {
      tk = ticks(max);
      var top = tk[tk.length - 1];
      Y = function (v) { return H - B - v / top * (H - B - T); };
    }
    function X(y) { return y1 === y0 ? (L + W - Rm) / 2 : L + (y - y0) / (y1 - y0) * (W - L - Rm); }
    var s = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, id: "kg-chart-svg", "data-mode": "years" });
    tk.forEach(function (v) {
      s.appendChild(svg("line", { x1: L, x2: W - Rm, y1: Y(v), y2: Y(v), stroke: "#eee" }));
      s.appendChild(svg("text", { x: L - 4, y: Y(v) + 4, "text-anchor": "end" }, short(v)));
    });
    for (var y = y0; y <= y1; y++) { s.appendChild(svg("text", { x: X(y), y: H - 8, "text-anchor": "middle" }, String(y))); }
    var step = Math.max(1, Math.ceil(pts.length / 3000)), byYear = {};
    pts.forEach(function (i, n) {
      (byYear[year(i)] = byYear[year(i)] || []).push(F.v[i]);
      if (n % step) { return; }
      var c = svg("circle", { cx: X(year(i)) + ((i * 7919) % 13 - 6), cy: Y(F.v[i]), r: 2.6, fill: "#1f4e79", "fill-opacity": 0.45 });
      c.appendChild(svg("title", {}, regionName(F.r[i]) + " " + period(i) + ": " + grouped(F.v[i])));
      s.appendChild(c);
    });
    var med = Object.keys(byYear).map(Number).sort(function (a, b) { return a - b; });
    if (med.length > 1) {
      s.appendChild(svg("polyline", { fill: "none", stroke: "#e67e22", "stroke-width": 2,
        points: med.map(function (y) { return X(y) + "," + Y(median(byYear[y])); }).join(" ") }));
    }
    med.forEach(function (y) {
      var c = svg("circle", { cx: X(y), cy: Y(median(byYear[y])), r: 4, fill: "#e67e22" });
      c.appendChild(svg("title", {}, y + " median of " + byYear[y].length + ": " + grouped(median(byYear[y]))));
      s.appendChild(c);
    });
    box.appendChild(s);
    box.appendChild(el("div", { cls: "kg-dim", text: pts.length + " figures (blue), median per year (orange)" + (log ? ", log scale" : "") + (step > 1 ? "; 1 in " + step + " drawn" : "") }));
  }
  function chartRegions(controls, box, rows) {
    var years = {};
    rows.forEach(function (i) { if (year(i) !== null) { years[year(i)] = 1; } });
    var pick = el("select", { id: "kg-year", "aria-label": "Year" }, el("option", { value: "", text: "all years" }));
    Object.keys(years).sort().forEach(function (y) { pick.appendChild(el("option", { value: y, text: y })); });
    if (!(state.year in years)) { state.year = ""; }  // a year the new series lacks: all years
    pick.value = state.year;
    pick.addEventListener("change", function () { state.year = pick.value; drawChart(); });
    controls.appendChild(pick);
    var by = {};
    rows.forEach(function (i) {
      if (F.r[i] < 0 || (state.year && String(year(i)) !== state.year)) { return; }
      (by[F.r[i]] = by[F.r[i]] || []).push(F.v[i]);
    });
    var bars = Object.keys(by).map(Number).map(function (r) { return [r, median(by[r]), by[r].length]; })
      .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    if (!bars.length) { box.appendChild(el("p", { cls: "kg-dim", text: "No figures with a region in this series." })); return; }
    var MAX = 25, more = bars.length - MAX; bars = bars.slice(0, MAX);
    var W = 560, row = 17, L = 110, H = bars.length * row + 10, top = ticks(bars[0][1]).pop() || 1;
    var s = svg("svg", { width: W, height: H, viewBox: "0 0 " + W + " " + H, id: "kg-chart-svg", "data-mode": "regions" });
    bars.forEach(function (b, k) {
      var y = 4 + k * row, w = Math.max(1, b[1] / top * (W - L - 90));
      s.appendChild(svg("text", { x: L - 6, y: y + 11, "text-anchor": "end" }, regionName(b[0])));
      var rect = svg("rect", { x: L, y: y + 2, width: w, height: row - 5, fill: "#27ae60" });
      rect.appendChild(svg("title", {}, regionName(b[0]) + ": median of " + b[2] + " = " + grouped(b[1])));
      s.appendChild(rect);
      s.appendChild(svg("text", { x: L + w + 4, y: y + 11 }, short(b[1]) + (b[2] > 1 ? " (" + b[2] + ")" : "")));
    });
    box.appendChild(s);
    box.appendChild(el("div", { cls: "kg-dim", text: "median per region" + (state.year ? " in " + state.year : " over all years") + (more > 0 ? "; top " + MAX + " of " + (MAX + more) : "") }));
  }

  // ---- table: sortable, first rows only until asked ----------------------------------------
  var thead = document.querySelector("#kg-table thead"), tbody = document.querySelector("#kg-table tbody");
  var more = document.getElementById("kg-more");
  (function () {
    var tr = el("tr");
    COLS.forEach(function (c, k) {
      var th = el("th", { text: c.title, "data-col": c.key, scope: "col" });
      th.addEventListener("click", function () {
        state.dir = state.sort === k ? -state.dir : (c.num ? -1 : 1);
        state.sort = k;
        drawTable(true);
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
  })();
  function sorted() {
    if (state.sort === null) { return state.rows; }
    var c = COLS[state.sort], dir = state.dir;
    var keyed = state.rows.map(function (i) { return [c.get(i), i]; });
    keyed.sort(function (a, b) {
      var x = a[0], y = b[0];
      if (x === y) { return a[1] - b[1]; }
      if (x === null || x === "") { return 1; }  // blanks last either way
      if (y === null || y === "") { return -1; }
      return (x < y ? -1 : 1) * dir;
    });
    return keyed.map(function (p) { return p[1]; });
  }
  function drawTable(reset) {
    Array.prototype.forEach.call(thead.querySelectorAll("th"), function (th, k) {
      if (k === state.sort) { th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending"); }
      else { th.removeAttribute("aria-sort"); }
    });
    if (reset) { state.order = sorted(); state.shown = 0; clear(tbody); }
    var end = Math.min(state.order.length, state.shown + PAGE);
    var frag = document.createDocumentFragment();
    for (var n = state.shown; n < end; n++) {
      var i = state.order[n], tr = el("tr", { cls: "kg-row", "data-figure": i });
      COLS.forEach(function (c) { tr.appendChild(el("td", { cls: c.num ? "kg-num" : "", text: c.show ? c.show(i) : c.get(i) })); });
      frag.appendChild(tr);
    }
    tbody.appendChild(frag);
    state.shown = end;
    var rest = state.order.length - end;
    more.hidden = rest <= 0;
    more.textContent = "show " + Math.min(rest, PAGE) + " more (" + rest + " not shown)";
  }
  more.addEventListener("click", function () { drawTable(false); });
  tbody.addEventListener("click", function (ev) {
    var tr = ev.target.closest("tr.kg-row");
    if (!tr) { return; }
    var next = tr.nextElementSibling;
    if (next && next.classList.contains("kg-detail")) { tbody.removeChild(next); tr.classList.remove("kg-open"); return; }
    tr.classList.add("kg-open");
    tr.parentNode.insertBefore(figureDetail(Number(tr.getAttribute("data-figure"))), tr.nextSibling);
  });
  function figureDetail(i) {
    var d = detail(), quote = d.quotes[d.q[i]], text = d.text[i], at = text ? quote.indexOf(text) : -1;
    var q = el("div", { cls: "kg-quote" }, "“");
    if (at >= 0) {
      q.appendChild(document.createTextNode(quote.slice(0, at)));
      q.appendChild(el("mark", { text: text }));
      q.appendChild(document.createTextNode(quote.slice(at + text.length)));
    } else { q.appendChild(document.createTextNode(quote)); }
    q.appendChild(document.createTextNode("”"));
    var rep = F.d[i] >= 0 ? REP[F.d[i]] : ["", "", ""], facts = [];
    if (text) { facts.push("as written: " + text); }
    if (d.prev[i] !== null) { facts.push("previous value: " + grouped(d.prev[i])); }
    if (F.x[i] & 1) { facts.push("approximate"); }
    if (F.x[i] & 2) { facts.push("redacted in the report"); }
    if (F.r[i] >= 0) { facts.push("region: " + regionName(F.r[i]) + ((F.x[i] & 4) ? " (its own clause's or table row's, not the report's)" : "")); }
    var src = el("div", { cls: "kg-dim", text: "report " + rep[0] + (rep[1] ? " · " + rep[1] : "") + (rep[2] ? " · " + rep[2] : "") });
    return el("tr", { cls: "kg-detail" }, el("td", { colspan: COLS.length }, q, el("div", { text: facts.join(" · ") }), src));
  }

  // ---- search box ---------------------------------------------------------------------------
  var input = document.getElementById("kg-search"), list = document.getElementById("kg-results"), hits = [], active = 0;
  function showHits() {
    clear(list);
    hits.forEach(function (h, k) {
      var t = h[0], label = name(t), li = el("li", { role: "option", "data-target": t, cls: k === active ? "active" : "" });
      var words = el("span", {}, label);
      if (h[1] !== label.toLowerCase()) { words.appendChild(el("span", { cls: "kg-dim", text: " ← " + h[1] })); }
      li.appendChild(words);
      li.appendChild(el("span", {}, el("span", { cls: "kg-dim", text: own[t].length + " " }), el("span", { cls: "kg-kind k" + kindOf(t), text: KIND[kindOf(t)] })));
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(t); });
      list.appendChild(li);
    });
  }
  function choose(t) { hits = []; showHits(); input.value = name(t); input.blur(); select(t); }
  input.addEventListener("input", function () { hits = search(input.value); active = 0; showHits(); });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      active = Math.max(0, Math.min(hits.length - 1, active + (ev.key === "ArrowDown" ? 1 : -1)));
      showHits(); ev.preventDefault();
    } else if (ev.key === "Enter" && hits.length) { choose(hits[active][0]); }
    else if (ev.key === "Escape") { hits = []; showHits(); }
  });
  input.addEventListener("blur", function () { hits = []; showHits(); });

  // ---- start: the most-figured targets as a way in ---------------------------------------------
  document.getElementById("kg-stats").textContent =
    REP.length + " reports · " + N + " figures · " + NC + " concepts · " + R.length + " regions";
  [["Programmes", function (t) { return t < NC && C[t][0] !== 2; }], ["Groups", function (t) { return t < NC && C[t][0] === 2; }],
   ["Regions", function (t) { return t >= NC; }]].forEach(function (part) {
    var ts = [];
    for (var t = 0; t < own.length; t++) { if (part[1](t) && own[t].length) { ts.push(t); } }
    ts.sort(function (a, b) { return own[b].length - own[a].length || a - b; });
    var sec = el("section", {}, el("h2", { text: part[0] + " with the most figures" }));
    ts.slice(0, 30).forEach(function (t) {
      var b = el("button", { type: "button", cls: "kg-chip", "data-target": t }, name(t) + " ", el("span", { cls: "kg-dim", text: String(own[t].length) }));
      b.addEventListener("click", function () { select(t); });
      sec.appendChild(b);
    });
    overview.appendChild(sec);
  });
  function fromAddress() {  // #c12 / #r3: a bookmark, a reload, the back button
    var m = /^#([cr])(\d+)$/.exec(location.hash);
    if (!m) { return; }
    var t0 = Number(m[2]) + (m[1] === "r" ? NC : 0);
    if (t0 < own.length && t0 !== state.target) { select(t0); }
  }
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
  window.kgExplorer = { select: select, search: search, name: name, state: state };
  performance.mark("kg-ready");
  document.body.setAttribute("data-ready", "1");
})();
"""
