"""Push the graph into any SPARQL 1.1 store: the library of ``kg load``.

One HTTP PUT per named graph (SPARQL 1.1 Graph Store HTTP Protocol), so a
store can replace one report without touching the others; then one
``COUNT`` query per graph through the query endpoint to check what arrived.
Counting, never fetching rows: Virtuoso silently caps a SELECT at 10,000 rows.

Endpoints seen on this machine (see README "Loading into a triple store"):
- Oxigraph server: query ``/query``, graph store ``/store``, no auth;
- Virtuoso 7: query ``/sparql``, graph store ``/sparql-graph-crud-auth`` with
  DIGEST auth (basic gets 401; the unauthenticated ``/sparql-graph-crud`` 403s on writes).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.stores.query import QueryError, is_store_dir, run_query
from kg.stores.store import by_graph, read_quads

CONTENT_TYPES = {"turtle": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
                 "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES)}
TIMEOUT = 300


class LoadError(Exception):
    """The endpoint refused or could not be reached (exit 2)."""


@dataclass(frozen=True)
class GraphLoad:
    graph: str
    sent: int  # triples sent
    counted: int | None  # triples the endpoint reports afterwards
    status: int  # HTTP status of the PUT

    @property
    def ok(self) -> bool:
        return self.counted == self.sent


@dataclass(frozen=True)
class LoadResult:
    endpoint: str
    gsp: str
    graphs: tuple[GraphLoad, ...]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(g.ok for g in self.graphs)

    def table(self) -> str:
        w = max([5] + [len(g.graph) for g in self.graphs])
        lines = [f"{'graph':<{w}}  {'sent':>7}  {'counted':>7}  ok", f"{'-' * w}  {'-' * 7}  {'-' * 7}  --"]
        for g in self.graphs:
            lines.append(f"{g.graph:<{w}}  {g.sent:>7}  {'' if g.counted is None else g.counted:>7}  "
                         f"{'yes' if g.ok else 'NO'}")
        total_sent = sum(g.sent for g in self.graphs)
        total_counted = sum(g.counted or 0 for g in self.graphs)
        lines.append(f"{'total':<{w}}  {total_sent:>7}  {total_counted:>7}  {'yes' if self.ok else 'NO'}")
        return "\n".join(lines) + "\n"


def default_gsp(endpoint: str, authenticated: bool) -> str:
    """The Graph Store endpoint next to a query endpoint, for the two stores we know."""
    base, _, last = endpoint.rstrip("/").rpartition("/")
    if last == "query":  # Oxigraph
        return f"{base}/store"
    if last == "sparql":  # Virtuoso
        return f"{base}/sparql-graph-crud-auth" if authenticated else f"{base}/sparql-graph-crud"
    raise LoadError(f"{endpoint}: cannot guess the Graph Store endpoint; give --gsp URL")


def graphs_of(source: str | Path) -> dict[str, list[ox.Triple]]:
    """Named graph IRI -> triples, from a .nq/.trig file or an Oxigraph store folder."""
    path = Path(source)
    if is_store_dir(path):
        store = ox.Store.read_only(str(path))
        quads = list(store.quads_for_pattern(None, None, None, None))
    elif path.is_file() and path.suffix in (".nq", ".trig"):
        quads = _read_graph_file(path)
    else:
        raise QueryError(f"{path}: kg load needs named graphs: a .nq or .trig file or a store folder "
                         f"(welfare.ttl has none; use exports/welfare.nq)")
    out = {}
    for g, qs in by_graph(quads).items():
        if isinstance(g, ox.DefaultGraph):
            raise QueryError(f"{path}: has triples outside any named graph; kg load sends named graphs only")
        out[g.value] = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in qs}, key=str)
    if not any(out.values()):
        raise QueryError(f"{path}: no triples in any named graph; nothing to load (is it the right file?)")
    return dict(sorted(out.items()))


def _read_graph_file(path: Path) -> list:
    """The quads of a .nq/.trig file; a file that does not parse is a one-line QueryError naming it."""
    try:
        return read_quads(path)
    except (SyntaxError, ValueError) as e:
        raise QueryError(f"{path}: not valid {path.suffix[1:].upper()}: " + " ".join(str(e).split())) from e
    except OSError as e:
        raise QueryError(f"{path}: cannot read ({e.strerror or e})") from e


def _stopped(gsp: str, reason: str, done: list[str], total: int) -> LoadError:
    """A PUT failed part-way: say which graphs were already replaced and how to go on."""
    if not done:
        return LoadError(f"{reason}; no graph was replaced")
    landed = done[0] if len(done) == 1 else f"{done[0]} … {done[-1]}"
    return LoadError(f"{reason}; {len(done)} of {total} graphs were already replaced in {gsp} ({landed}), "
                     f"the other {total - len(done)} not; run the same kg load again to finish "
                     f"(each PUT replaces its graph whole, so repeating one is harmless)")


def count_triples(endpoint: str, graph: str) -> int:
    _, rows = run_query(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0][0].value) if rows and rows[0][0] is not None else 0


def load(source: str | Path, endpoint: str, gsp: str | None = None, user: str | None = None,
         password: str | None = None, auth: str = "digest", content: str = "turtle",
         progress: bool = True) -> LoadResult:
    import time

    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth
    from tqdm import tqdm

    graphs = graphs_of(source)
    gsp = gsp or default_gsp(endpoint, user is not None)
    credentials = None
    if user is not None:
        credentials = (HTTPDigestAuth if auth == "digest" else HTTPBasicAuth)(user, password or "")
    ctype, fmt = CONTENT_TYPES[content]
    started = time.perf_counter()
    statuses = {}
    with requests.Session() as http:
        for iri, triples in tqdm(graphs.items(), desc="kg load", unit="graph", disable=not progress):
            body = ox.serialize(triples, format=fmt)
            done = list(statuses)
            try:
                resp = http.put(gsp, params={"graph": iri}, data=body, auth=credentials, timeout=TIMEOUT,
                                headers={"Content-Type": ctype})
            except requests.RequestException as e:
                raise _stopped(gsp, f"{gsp}: cannot reach the Graph Store endpoint: {e}", done, len(graphs)) from e
            if resp.status_code in (401, 403):
                hint = (" (Virtuoso wants --auth digest and the /sparql-graph-crud-auth endpoint)"
                        if resp.status_code == 401 or "virtuoso" in resp.headers.get("Server", "").lower() else "")
                raise _stopped(gsp, f"{gsp}: HTTP {resp.status_code}, not allowed to write graph {iri}{hint}",
                               done, len(graphs))
            if resp.status_code not in (200, 201, 204):
                text = " ".join(resp.text.split())[:300]
                raise _stopped(gsp, f"{gsp}: HTTP {resp.status_code} for graph {iri}: {text}", done, len(graphs))
            statuses[iri] = resp.status_code
    seconds = time.perf_counter() - started
    try:
        results = tuple(GraphLoad(iri, len(t), count_triples(endpoint, iri), statuses[iri])
                        for iri, t in graphs.items())
    except QueryError as e:
        raise LoadError(f"loaded, but cannot count through {endpoint}: {e}") from e
    return LoadResult(endpoint, gsp, results, seconds)
