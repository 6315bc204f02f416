"""The graph as one self-contained HTML page, drawn with pyvis (vis-network).

Decisions, so the page stays explorable, offline and safe:

- **Figures are folded.** A corpus states hundreds of figures; as loose nodes
  they bury everything else. Each figure node is contracted into its home: its
  programme, else its group, else its report. Its other edges move to the home
  (so a 低保 figure counting 低保对象 draws 最低生活保障 -group-> 低保对象), and
  its details (text, value, unit, measure, period, quote, report) are listed in
  the home's tooltip (the first few) and in the side panel on click (all).
- **Offline.** pyvis's own template pulls Bootstrap from a CDN even with
  ``cdn_resources='in_line'`` (pyvis #228/#229). This module renders pyvis's
  network data into its own template that inlines the assets pyvis ships
  (vis-network, tom-select, pyvis's highlight bindings) and needs no Bootstrap.
  A Content-Security-Policy with ``default-src 'none'`` makes the browser refuse
  any request that might slip in.
- **Safe.** Report text is untrusted. Every string from the graph is
  ``html.escape``d before it goes into a tooltip's HTML; the page parses those
  tooltips into elements itself (vis-network would show a string title as raw
  markup text), so the escaped text shows as text. Canvas labels are drawn, not
  parsed, and the search list is autoescaped by Jinja. Inline scripts are
  allowed by their SHA-256 in the CSP, so an injected ``<script>`` or
  ``onerror=`` attribute would not run even if escaping failed.
- **Settles.** Physics runs a fixed number of stabilisation iterations, then is
  switched off; ``layout.randomSeed`` is fixed.
- **Deterministic.** Nodes and edges in sorted order with counter ids, no
  timestamps, no uuids: the same graph gives the same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from markupsafe import Markup

from kg.out.network import to_networkx
from kg.errors import InputError

HOMES = ("programme", "group", "report")  # where a figure folds, first present wins
# kind -> (colour, vis shape, legend name)
STYLE = {
    "report": ("#1f4e79", "diamond", "Report"),
    "agency": ("#e67e22", "triangle", "Agency"),
    "region": ("#27ae60", "square", "Region"),
    "programme": ("#c0392b", "dot", "Programme"),
    "field": ("#e8a39a", "dot", "Field of work"),
    "group": ("#8e44ad", "hexagon", "Beneficiary group"),
}
TOOLTIP_FIGURES = 4  # more are in the side panel
LABEL_CHARS = 16


def load_graph(path: str | Path):
    """A built graph file (.ttl, .nq, .nt, .trig) as one merged rdflib Graph."""
    from rdflib import Dataset, Graph
    from rdflib.util import guess_format

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    fmt = guess_format(str(path)) or "turtle"
    try:
        if fmt in ("nquads", "trig"):
            ds = Dataset()
            ds.parse(path, format=fmt)
            g = Graph()
            for q in ds.quads((None, None, None, None)):
                g.add(q[:3])
            return g
        return Graph().parse(path, format=fmt)
    except Exception as e:  # rdflib raises many kinds; the user needs the file and the reason
        raise InputError(f"{path}: not a readable {fmt} graph ({e})") from e


PAGE_MAX_TRIPLES = 30_000  # ~20 reports: the page settles in a few seconds and costs the build
# a few seconds more (rdflib parsing dominates); beyond, `kg viz` draws it on demand
PAGE = "welfare.html"


def add_page(out_dir: str | Path, files: list[Path], triples: int, shown: str | Path | None = None) -> tuple[list[Path], dict]:
    """Write OUT/welfare.html from the just-written OUT/welfare.ttl, for ``kg build``
    (``shown``: the folder the exports are committed to, named in the message when the page is skipped).

    Returns the written files plus the page, and the graph statistics
    (kg.out.network.graph_stats; ``{"page": "skipped: ..."}`` when the graph is
    too big to draw, in which case a stale page from an earlier build is removed)."""
    from rdflib import Graph

    from kg.out.export import write_atomic
    from kg.out.network import graph_stats

    out = Path(out_dir)
    if triples > PAGE_MAX_TRIPLES:
        (out / PAGE).unlink(missing_ok=True)
        return list(files), {"page": f"skipped: {triples} triples is over the build's limit of {PAGE_MAX_TRIPLES}; "
                                     f"draw it with kg viz {Path(shown or out) / 'welfare.ttl'} --out FILE"}
    projection = to_networkx(Graph().parse(out / "welfare.ttl", format="turtle"))
    write_atomic(out / PAGE, render_html(projection))
    return [*files, out / PAGE], graph_stats(projection)


def fold_figures(nx_graph):
    """The drawn graph: every figure contracted into its home node.

    Returns ``(drawn, figures)`` where ``figures`` maps a home node to the
    attribute dicts of the figures folded into it, in node order.
    """
    drawn = nx_graph.copy()
    figures: dict[str, list[dict]] = {}
    for f, attrs in sorted(nx_graph.nodes(data=True)):
        if attrs["kind"] != "figure":
            continue
        targets = {k: v for _, v, k in nx_graph.out_edges(f, keys=True)}
        home = next((targets[k] for k in ("programme", "group", "wasDerivedFrom") if k in targets), None)
        drawn.remove_node(f)
        if home is None:
            continue
        figures.setdefault(home, []).append(attrs)
        for key, other in sorted(targets.items()):
            if other != home and not drawn.has_edge(home, other, key):
                drawn.add_edge(home, other, key=key, label=key)
    return drawn, figures


# ---- tooltips: HTML built only from escaped strings ---------------------------------

def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _grouped(value: str) -> str:
    """2089000 -> 2,089,000 for reading; anything unparsable as it is."""
    try:
        return format(Decimal(value), ",f")
    except InvalidOperation:
        return value


def _json(obj) -> Markup:
    """JSON safe inside <script>, with Chinese as UTF-8 rather than \\u escapes (a third the size)."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(ch, esc)
    return Markup(text)


def _figure_html(f: dict, reports: dict[str, str]) -> str:
    amount = f"{_grouped(f['value'])} {f['unit']}" if f["value"] else f["unit"]
    if f["per"]:
        amount += f"/{f['per']}"
    bits = [f"<b>{_e(f['text'])}</b>", _e(amount.strip()), _e(f["measure"])]
    if f["period"]:
        bits.append(_e(f["period"]))
    src = reports.get(f["report"], "")
    # Why it is linked as it is: the rules that decided, each with its reason on hover.
    rules = ", ".join(f"<abbr title='{_e(why)}'>{_e(name)}</abbr>" for name, why in f.get("rules", ()))
    return (f"<li>{' · '.join(b for b in bits if b)}<br><q>{_e(f['quote'])}</q>"
            + (f" <small>({_e(src)})</small>" if src else "")
            + (f"<br><small class=kg-rules>decided by: {rules}</small>" if rules else "") + "</li>")


def _node_html(n: str, a: dict, drawn, figures: list[dict], reports: dict[str, str], limit: int | None) -> str:
    kind = a["kind"]
    rows = [f"<b>{_e(a['label'])}</b> <span class=kg-kind>{_e(STYLE[kind][2])}</span>"]
    if kind in ("programme", "field", "group"):
        rows.append(f"zh: {_e(a['label_zh'])}")
        rows.append(f"en: {_e(a['label_en'] or '—')}")
        rows.append(f"broader: {_e(', '.join(a['broader']) or '—')}")
    elif kind == "report":
        rows.append(f"file: {_e(a['source'])}")
        if a["period"]:
            rows.append(f"period: {_e(a['period'])}")
    elif kind == "region" and a["code"]:
        rows.append(f"code: {_e(a['code'])} {_e(a['level'])}")
    links: dict[str, list[str]] = {}
    for _, v, k in drawn.out_edges(n, keys=True):
        if k != "broader":  # a concept's broader is listed above
            links.setdefault(k, []).append(drawn.nodes[v]["label"])
    for k in sorted(links):
        shown = sorted(links[k])
        more = f" … +{len(shown) - 8}" if len(shown) > 8 else ""
        rows.append(f"{_e(k)}: {_e(', '.join(shown[:8]))}{more}")
    out = "<br>".join(rows)
    if figures:
        shown = figures if limit is None else figures[:limit]
        out += f"<div class=kg-figs>{len(figures)} figure{'s' if len(figures) != 1 else ''}</div><ul>"
        out += "".join(_figure_html(f, reports) for f in shown) + "</ul>"
        if len(shown) < len(figures):
            out += f"<i>… {len(figures) - len(shown)} more: click the node</i>"
    return out


# ---- the page -----------------------------------------------------------------------

def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def network_of(graph):
    """The pyvis Network for a graph (rdflib Graph or its networkx projection)."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    full = graph if hasattr(graph, "out_edges") else to_networkx(graph)
    drawn, figures = fold_figures(full)
    reports = {n: a["source"] for n, a in full.nodes(data=True) if a["kind"] == "report"}
    net = Network(directed=True, select_menu=True, filter_menu=True, cdn_resources="in_line")
    # Node/Edge directly: Network.add_node/add_edge check membership in lists, quadratic
    # on a big corpus.
    for n in sorted(drawn):
        a = drawn.nodes[n]
        colour, shape, _ = STYLE[a["kind"]]
        figs = figures.get(n, [])
        node = Node(n, shape, _short(a["label"]), color=colour, kind=a["kind"], name=a["label"],
                    value=round(math.sqrt(full.degree(n) + 1), 2),  # sqrt: reports would dwarf the rest
                    title=_node_html(n, a, drawn, figs, reports, TOOLTIP_FIGURES))
        if len(figs) > TOOLTIP_FIGURES:
            node.options["details"] = _node_html(n, a, drawn, figs, reports, None)
        net.nodes.append(node.options)
        net.node_ids.append(n)
        net.node_map[n] = node.options
    for i, (u, v, k) in enumerate(sorted(drawn.edges(keys=True))):
        net.edges.append(Edge(u, v, True, id=f"e{i}", label=k).options)
    options = json.loads(json.dumps(OPTIONS))
    # fewer iterations as the graph grows: each costs ~n log n, and a bigger page must still settle in seconds
    options["physics"]["stabilization"]["iterations"] = max(100, min(300, 120_000 // max(1, len(drawn))))
    net.set_options(json.dumps(options))
    return net, full, drawn, figures


OPTIONS = {
    "layout": {"randomSeed": 1, "improvedLayout": False},
    "physics": {
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 25, "fit": True},
    },
    "nodes": {"scaling": {"min": 8, "max": 42, "label": {"enabled": True, "min": 11, "max": 20}},
              "font": {"size": 12, "face": "sans-serif"}},
    "edges": {"color": {"color": "#b5b5b5", "highlight": "#555"}, "width": 0.8,
              "font": {"size": 8, "color": "#888", "strokeWidth": 0, "align": "middle"},
              "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
              "smooth": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True, "navigationButtons": False},
}


def render_html(graph) -> bytes:
    """One self-contained page (UTF-8 bytes) for a graph: an rdflib Graph or
    the networkx projection from ``kg.out.network.to_networkx``."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    import pyvis

    net, full, drawn, figures = network_of(graph)
    nodes, edges, _, _, _, options = net.get_network_data()
    nodes_json, edges_json = _json(nodes), _json(edges)
    kinds = [(k, *STYLE[k], sum(1 for _, a in drawn.nodes(data=True) if a["kind"] == k)) for k in STYLE]
    edge_labels = sorted({k for _, _, k in drawn.edges(keys=True)})
    search = sorted(((a["label"], STYLE[a["kind"]][2], n) for n, a in drawn.nodes(data=True)))
    env = Environment(loader=FileSystemLoader(Path(pyvis.__file__).parent / "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    page = env.from_string(TEMPLATE).render(
        nodes=nodes, edges=edges, nodes_json=nodes_json, edges_json=edges_json, options=options,
        kinds=kinds, edge_labels=edge_labels, search=search,
        reports=sum(1 for _, a in full.nodes(data=True) if a["kind"] == "report"),
        figures=sum(len(v) for v in figures.values()))
    return _with_csp(page).encode("utf-8")


def _with_csp(page: str) -> str:
    """Allow exactly the page's own inline scripts, by hash; nothing from the network."""
    hashes = sorted({"'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
                     for body in re.findall(r"<script>(.*?)</script>", page, flags=re.S)})
    csp = (f"default-src 'none'; script-src {' '.join(hashes)}; style-src 'unsafe-inline'; "
           "img-src data:; font-src data:; base-uri 'none'; form-action 'none'")
    return page.replace("__CSP__", csp, 1)


TEMPLATE = r"""<!DOCTYPE html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Welfare knowledge graph</title>
<style>{% include 'lib/vis-9.1.2/vis-network.css' %}</style>
<style>{% include 'lib/tom-select/tom-select.css' %}</style>
<style>
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; color: #222; }
body { display: flex; flex-direction: column; }
#kg-bar { display: flex; flex-wrap: wrap; gap: 6px 18px; align-items: center; padding: 6px 10px;
          border-bottom: 1px solid #ddd; background: #fafafa; }
#kg-bar h1 { font-size: 15px; margin: 0; }
#kg-find, .ts-wrapper { width: 320px; }
#kg-bar button { font: inherit; padding: 3px 10px; }
.kg-legend label { margin-right: 10px; white-space: nowrap; cursor: pointer; }
.kg-sym { display: inline-block; font-size: 15px; vertical-align: -1px; }
#kg-main { flex: 1; display: flex; min-height: 0; }
#mynetwork { flex: 1; position: relative; }
#kg-details { width: 340px; overflow-y: auto; border-left: 1px solid #ddd; padding: 8px 10px; }
#kg-details:empty::before { content: "Click a node for its details; hover for a summary."; color: #888; }
#kg-status { color: #888; }
div.vis-tooltip { max-width: 460px; white-space: normal; font: 12px/1.35 system-ui, sans-serif; }
.kg-tip ul { margin: 4px 0; padding-left: 18px; } .kg-tip li { margin-bottom: 3px; }
.kg-tip q { color: #555; } .kg-kind { color: #888; font-size: 11px; } .kg-figs { margin-top: 4px; font-weight: bold; }
</style>
<script>{% include 'lib/vis-9.1.2/vis-network.min.js' %}</script>
<script>{% include 'lib/tom-select/tom-select.complete.min.js' %}</script>
<script>{% include 'lib/bindings/utils.js' %}</script>
</head>
<body>
<div id="kg-bar">
  <h1>Welfare knowledge graph</h1>
  <span>{{ reports }} reports · {{ nodes|length }} nodes · {{ edges|length }} edges · {{ figures }} figures folded into their programme, group or report</span>
  <select id="kg-find" placeholder="Find a programme, group, region, agency…">
    <option value="">Find a programme, group, region, agency…</option>
    {%- for label, kind, id in search %}
    <option value="{{ id }}">{{ label }} · {{ kind }}</option>
    {%- endfor %}
  </select>
  <button id="kg-reset" type="button">Reset</button>
  <span id="kg-status">laying out…</span>
  <div class="kg-legend" id="kg-legend">
    {%- for kind, colour, shape, name, count in kinds %}
    <label><input type="checkbox" checked data-kind="{{ kind }}"> <span class="kg-sym" style="color: {{ colour }}">{{ {'dot': '●', 'diamond': '◆', 'square': '■', 'triangle': '▲', 'hexagon': '⬢'}[shape] }}</span> {{ name }} ({{ count }})</label>
    {%- endfor %}
    · edges:
    {%- for label in edge_labels %}
    <label><input type="checkbox" checked data-edge="{{ label }}"> {{ label }}</label>
    {%- endfor %}
  </div>
</div>
<div id="kg-main"><div id="mynetwork"></div><div id="kg-details"></div></div>
<script>
"use strict";
var nodes, edges, allNodes, allEdges, nodeColors, network, data, options;
var highlightActive = false, filterActive = false;  // read by pyvis's bindings (utils.js)
(function () {
  // Tooltips are HTML made of html.escape()d strings; parsing them here keeps the
  // markup and shows report text as text (vis would print a string title raw).
  function asElement(markup) {
    var div = document.createElement("div");
    div.className = "kg-tip";
    div.innerHTML = markup;
    return div;
  }
  var nodeList = {{ nodes_json }};
  nodeList.forEach(function (n) {
    n.details = n.details || n.title;
    n.title = asElement(n.title);
  });
  nodes = new vis.DataSet(nodeList);
  edges = new vis.DataSet({{ edges_json }});
  nodeColors = {};
  allNodes = nodes.get({ returnType: "Object" });
  for (var id in allNodes) { nodeColors[id] = allNodes[id].color; }
  allEdges = edges.get({ returnType: "Object" });
  data = { nodes: nodes, edges: edges };
  options = {{ options|safe }};
  network = new vis.Network(document.getElementById("mynetwork"), data, options);
  window.kgNetwork = network;

  var status = document.getElementById("kg-status");
  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    status.textContent = "";
    document.body.setAttribute("data-stabilised", "1");
  });

  var details = document.getElementById("kg-details");
  function show(id) {
    details.replaceChildren();
    if (id !== null && nodes.get(id)) { details.appendChild(asElement(nodes.get(id).details)); }
  }
  network.on("click", function (p) {
    neighbourhoodHighlight(p);
    show(p.nodes.length ? p.nodes[0] : null);
  });

  var find = new TomSelect("#kg-find", {
    create: false, maxOptions: 200, sortField: [{ field: "$score", direction: "desc" }, { field: "text" }],
    score: function (query) {  // a match at the start of a short label first: 临时救助 before 急难型临时救助
      var q = query.toLowerCase();
      return function (item) {
        var t = item.text.toLowerCase(), i = t.indexOf(q);
        return i < 0 ? 0 : 1 / (1 + i + 0.01 * t.length);
      };
    }
  });
  find.on("change", function (id) {
    if (!id) { return; }
    selectNode([id]);
    network.focus(id, { scale: 1.1, animation: false });
    show(id);
  });
  document.getElementById("kg-reset").addEventListener("click", function () {
    find.clear(true);
    network.unselectAll();
    neighbourhoodHighlight({ nodes: [] });
    show(null);
    network.fit();
  });

  document.getElementById("kg-legend").addEventListener("change", function (ev) {
    var box = ev.target, kind = box.getAttribute("data-kind"), label = box.getAttribute("data-edge");
    if (kind) {
      nodes.update(nodes.get({ filter: function (n) { return n.kind === kind; } })
        .map(function (n) { return { id: n.id, hidden: !box.checked }; }));
    } else if (label) {
      edges.update(edges.get({ filter: function (e) { return e.label === label; } })
        .map(function (e) { return { id: e.id, hidden: !box.checked }; }));
    }
  });
})();
</script>
</body>
</html>
"""
