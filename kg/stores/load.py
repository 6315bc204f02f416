"""Push the graph into any SPARQL 1.1 store: the library of ``kg load``.

One HTTP PUT per named graph (SPARQL 1.1 Graph Store HTTP Protocol), so a
store can replace one report without touching the others; then one
``COUNT`` query per graph through the query endpoint to check what arrived.
Counting, never fetching rows: Virtuoso silently caps a SELECT at 10,000 rows.

At scale (issue 17): the source is streamed graph by graph, never held whole; a
graph larger than ``chunk`` triples goes as a PUT of its first chunk and POSTs
(appends) of the rest, so no request is unbounded. A request that fails for a
reason that may pass (no connection, a timeout, HTTP 429/5xx) is retried with a
growing pause. Each graph that landed is recorded in a small state file beside
the source (``welfare.nq.kg-load.json``), so the same command after a failure
resumes after the last graph that landed; the file is removed once all have.

Endpoints seen on this machine (see README "Loading into a triple store"):
- Oxigraph server: query ``/query``, graph store ``/store``, no auth;
- Virtuoso 7: query ``/sparql``, graph store ``/sparql-graph-crud-auth`` with
  DIGEST auth (basic gets 401; the unauthenticated ``/sparql-graph-crud`` 403s on writes).
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.stores.query import QueryError, is_store_dir, run_query
from kg.stores.store import by_graph, read_quads

CONTENT_TYPES = {"turtle": ("text/turtle; charset=utf-8", ox.RdfFormat.TURTLE),
                 "ntriples": ("application/n-triples", ox.RdfFormat.N_TRIPLES)}
TIMEOUT = 300
#: Triples per request: a graph above it is sent as a PUT and then POSTs of this many.
CHUNK = 50_000
#: Attempts per request after the first, for failures that may pass; pauses of BACKOFF·2^k s.
RETRIES = 4
BACKOFF = 1.0
RETRY_STATUS = (408, 429, 500, 502, 503, 504)


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
    resumed: int = 0  # graphs a previous, interrupted run had loaded (recorded in the state file)
    requests: int = 0  # HTTP requests that carried triples, retries included
    retried: int = 0  # of which retries

    @property
    def triples(self) -> int:
        return sum(g.counted or 0 for g in self.graphs)

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


# ------------------------------------------------------------------ the source, streamed


def graph_sizes(source: str | Path) -> dict[str, int]:
    """Each named graph's triple count, in the order the source holds them (one streaming pass).

    A .nq/.trig file must hold each graph's quads together (as ``kg build`` writes
    them); a file that does not is grouped in memory instead (``_interleaved``)."""
    path = Path(source)
    sizes: dict[str, int] = {}
    for iri, chunk in _stream(path, CHUNK):
        sizes[iri] = sizes.get(iri, 0) + len(chunk)
    return sizes


def _stream(path: Path, chunk: int):
    """(graph IRI, up to ``chunk`` triples) in the source's order, each graph's chunks together."""
    if is_store_dir(path):
        store = ox.Store.read_only(str(path))
        for g in sorted(store.named_graphs(), key=lambda n: n.value):
            yield from _chunks(g.value, (ox.Triple(q.subject, q.predicate, q.object)
                                         for q in store.quads_for_pattern(None, None, None, g)), chunk)
        if next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            raise QueryError(f"{path}: has triples outside any named graph; kg load sends named graphs only")
        return
    if not (path.is_file() and path.suffix in (".nq", ".trig")):
        raise QueryError(f"{path}: kg load needs named graphs: a .nq or .trig file or a store folder "
                         f"(welfare.ttl has none; use exports/welfare.nq)")
    fmt = ox.RdfFormat.TRIG if path.suffix == ".trig" else ox.RdfFormat.N_QUADS
    done: set[str] = set()
    current, batch = None, []
    for q in ox.parse(path=str(path), format=fmt):
        if isinstance(q.graph_name, ox.DefaultGraph):
            raise QueryError(f"{path}: has triples outside any named graph; kg load sends named graphs only")
        iri = q.graph_name.value
        if iri != current:
            if batch:
                yield current, batch
            if iri in done:
                raise _Interleaved(iri)
            if current is not None:
                done.add(current)
            current, batch = iri, []
        batch.append(ox.Triple(q.subject, q.predicate, q.object))
        if len(batch) >= chunk:
            yield current, batch
            batch = []
    if batch:
        yield current, batch


class _Interleaved(Exception):
    """A graph's quads are not together in the file."""


def _chunks(iri: str, triples, chunk: int):
    batch = []
    for t in triples:
        batch.append(t)
        if len(batch) >= chunk:
            yield iri, batch
            batch = []
    if batch:
        yield iri, batch


def _grouped(path: Path, chunk: int):
    """``_stream`` for a file whose graphs are interleaved: grouped (and made distinct) in memory."""
    for iri, triples in graphs_of(path).items():
        yield from _chunks(iri, triples, chunk)


# ------------------------------------------------------------------ the state file


def state_path(source: str | Path) -> Path:
    path = Path(source).resolve()
    return path.with_name(path.name + ".kg-load.json")


def _identity(source: Path) -> list:
    """What changes when the source does: size and mtime of the file, or of a store's files
    (but its LOG, which RocksDB writes on every opening)."""
    files = [source] if source.is_file() else sorted(f for f in source.iterdir()
                                                      if f.is_file() and not f.name.startswith("LOG"))
    return [[f.name, f.stat().st_size, f.stat().st_mtime_ns] for f in files]


def _read_state(path: Path, source: Path, gsp: str) -> dict[str, list]:
    """Graphs an earlier run of the same load recorded: IRI -> [triples, status]; {} if none or another load's."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("source") != str(source.resolve()) or state.get("gsp") != gsp \
            or state.get("identity") != _identity(source):
        return {}
    done = state.get("done")
    return done if isinstance(done, dict) else {}


def _write_state(path: Path, source: Path, gsp: str, done: dict[str, list]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"source": str(source.resolve()), "gsp": gsp, "identity": _identity(source),
                               "done": done}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


# ------------------------------------------------------------------ sending


@dataclass
class _Sender:
    http: object
    gsp: str
    credentials: object
    ctype: str
    fmt: object
    retries: int = RETRIES
    backoff: float = BACKOFF
    requests: int = 0
    retried: int = 0

    def send(self, iri: str, triples: list, first: bool) -> int:
        """PUT (the graph's first chunk: replaces it) or POST (appends); the status, after retries."""
        import requests

        body = ox.serialize(triples, format=self.fmt)
        method = self.http.put if first else self.http.post
        for attempt in range(self.retries + 1):
            self.requests += 1
            self.retried += attempt > 0
            try:
                resp = method(self.gsp, params={"graph": iri}, data=body, auth=self.credentials, timeout=TIMEOUT,
                              headers={"Content-Type": self.ctype})
            except requests.RequestException as e:
                if attempt == self.retries:
                    raise LoadError(f"{self.gsp}: cannot reach the Graph Store endpoint: {e}") from e
            else:
                if resp.status_code not in RETRY_STATUS or attempt == self.retries:
                    return _checked(resp, self.gsp, iri)
            time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")


def _checked(resp, gsp: str, iri: str) -> int:
    if resp.status_code in (401, 403):
        hint = (" (Virtuoso wants --auth digest and the /sparql-graph-crud-auth endpoint)"
                if resp.status_code == 401 or "virtuoso" in resp.headers.get("Server", "").lower() else "")
        raise LoadError(f"{gsp}: HTTP {resp.status_code}, not allowed to write graph {iri}{hint}")
    if resp.status_code not in (200, 201, 204):
        raise LoadError(f"{gsp}: HTTP {resp.status_code} for graph {iri}: {resp.text.strip()[:300]}")
    return resp.status_code


def load(source: str | Path, endpoint: str, gsp: str | None = None, user: str | None = None,
         password: str | None = None, auth: str = "digest", content: str = "turtle",
         progress: bool = True, chunk: int = CHUNK, retries: int = RETRIES, backoff: float = BACKOFF,
         state: str | Path | None = None, restart: bool = False) -> LoadResult:
    """Send every named graph of ``source`` to the Graph Store at ``gsp`` and count each back.

    ``state`` (default beside the source, ``state_path``) records the graphs that landed;
    a later call with the same source and endpoint skips them unless ``restart``."""
    import requests
    from requests.auth import HTTPBasicAuth, HTTPDigestAuth
    from tqdm import tqdm

    path = Path(source)
    try:
        sizes = graph_sizes(path)
        stream = _stream
    except _Interleaved:
        stream = _grouped
        sizes = {iri: len(t) for iri, t in graphs_of(path).items()}
    except (SyntaxError, ValueError) as e:
        raise QueryError(f"{path}: not valid {path.suffix[1:].upper()}: " + " ".join(str(e).split())) from e
    except OSError as e:
        raise QueryError(f"{path}: cannot read ({e.strerror or e})") from e
    if not any(sizes.values()):
        raise QueryError(f"{path}: no triples in any named graph; nothing to load (is it the right file?)")
    gsp = gsp or default_gsp(endpoint, user is not None)
    state_file = Path(state) if state else state_path(path)
    done = {} if restart else {k: v for k, v in _read_state(state_file, path, gsp).items() if k in sizes}
    resumed = len(done)
    credentials = None
    if user is not None:
        credentials = (HTTPDigestAuth if auth == "digest" else HTTPBasicAuth)(user, password or "")
    ctype, fmt = CONTENT_TYPES[content]
    started = time.perf_counter()
    with requests.Session() as http, tqdm(total=sum(sizes.values()), desc="kg load", unit="triple",
                                          disable=not progress) as bar:
        sender = _Sender(http, gsp, credentials, ctype, fmt, retries, backoff)
        bar.update(sum(sizes[k] for k in done))
        status, sent = 0, 0
        previous = None
        for iri, triples in stream(path, chunk):
            if iri in done:
                continue
            if iri != previous:
                if previous is not None:  # the previous graph has landed whole
                    done[previous] = [sent, status]
                    _write_state(state_file, path, gsp, done)
                previous, sent = iri, 0
            try:
                status = sender.send(iri, triples, first=sent == 0)
            except LoadError as e:  # say which graphs landed (the state file lets a rerun resume after them)
                raise _stopped(gsp, str(e), [k for k in sizes if k in done], len(sizes)) from e
            sent += len(triples)
            bar.update(len(triples))
        if previous is not None:
            done[previous] = [sent, status]
            _write_state(state_file, path, gsp, done)
    seconds = time.perf_counter() - started
    try:
        results = tuple(GraphLoad(iri, sizes[iri], count_triples(endpoint, iri), done[iri][1]) for iri in sizes)
    except QueryError as e:
        raise LoadError(f"loaded, but cannot count through {endpoint}: {e}") from e
    result = LoadResult(endpoint, gsp, results, seconds, resumed, sender.requests, sender.retried)
    if result.ok:
        state_file.unlink(missing_ok=True)  # all landed: a next run starts afresh
    return result
