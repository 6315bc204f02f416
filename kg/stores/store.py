"""The embedded on-disk store: an Oxigraph (RocksDB) folder, one named graph per report.

``kg build --store DIR`` writes it; ``kg query DIR`` reads it. A fresh store is
bulk-loaded into a temporary sibling folder and renamed into place, so a
failed build never leaves a half-written store. ``write_store`` updates an
existing store graph by graph: each graph in the new data is cleared and
reloaded, other graphs stay as they were. ``kg build`` (``sync_store``) makes
the store mirror its exports: graphs of reports no longer in the input go.

``kg build`` calls ``sync_store``: the store keeps a manifest
(``kg-graphs.json``, beside RocksDB's files) of each graph's digest, the
cache keys it was made from, so a rebuild reloads only the graphs whose
report changed instead of every quad (at 2,000 reports, 0.1 s instead of
two minutes). Delete the folder to have it written afresh.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


MANIFEST = "kg-graphs.json"
#: Reloading graph by graph costs ~50 ms each (two minutes for 2,000 reports); a new
#: store bulk-loaded from the N-Quads ~10 ms. Above this many changed graphs (and a
#: quarter of them), ``sync_store`` writes a new store (carrying the others over with mirror=False).
RELOAD_MAX = 64


class StoreError(Exception):
    """The store folder cannot be written (locked by another process, not a store)."""


@dataclass(frozen=True)
class StoreResult:
    path: Path
    graphs: dict[str, int]  # graph IRI -> triples written
    fresh: bool
    kept: int = 0  # named graphs kept that are not in the build (sync_store with mirror=False)


@dataclass(frozen=True)
class GraphSource:
    """One named graph as ``kg build`` has it: sorted N-Triples files whose union it is."""

    iri: str
    digest: str  # equal digests, equal triples (kg.build: a hash of the chunks' cache keys)
    paths: tuple[Path, ...]
    triples: int


def read_quads(data) -> list[ox.Quad]:
    """Quads from an rdflib Dataset, N-Quads text or bytes, or a .nq/.trig file."""
    if isinstance(data, (str, Path)) and Path(data).suffix in (".nq", ".trig") and Path(data).is_file():
        fmt = ox.RdfFormat.TRIG if Path(data).suffix == ".trig" else ox.RdfFormat.N_QUADS
        return list(ox.parse(path=str(data), format=fmt))
    if hasattr(data, "serialize") and not isinstance(data, (str, bytes)):
        data = data.serialize(format="nquads")
    if isinstance(data, str):
        data = data.encode("utf-8")
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


def by_graph(quads: list[ox.Quad]) -> dict[ox.NamedNode | ox.DefaultGraph, list[ox.Quad]]:
    out: dict = defaultdict(list)
    for q in quads:
        out[q.graph_name].append(q)
    return dict(out)


def open_store(directory: str | Path) -> ox.Store:
    """A read-write store; a clear StoreError when another process holds it."""
    try:
        return ox.Store(str(directory))
    except OSError as e:
        if "lock" in str(e).lower():
            raise StoreError(f"{directory}: the store is in use by another process (a running `kg build` "
                             f"or `oxigraph serve`?); stop it or choose another --store folder") from e
        raise StoreError(f"{directory}: cannot open the store: {e}") from e


def write_store(data, directory: str | Path) -> StoreResult:
    """Write ``data`` (Dataset, N-Quads or a .nq/.trig file) into the store at ``directory``."""
    directory = Path(directory)
    groups = by_graph(read_quads(data))
    counts = {_name(g): len(qs) for g, qs in groups.items()}
    if directory.exists() and any(directory.iterdir()):
        if not (directory / "CURRENT").is_file():
            raise StoreError(f"{directory}: exists and is not an Oxigraph store; refusing to write into it")
        store = open_store(directory)
        try:
            _forget(directory, set(counts))  # its digests no longer describe these graphs
            for g, qs in groups.items():
                if isinstance(g, ox.DefaultGraph) or store.contains_named_graph(g):
                    store.clear_graph(g)
                store.extend(qs)  # one transaction per graph
            store.flush()
        finally:
            del store  # releases the RocksDB lock now, not at garbage collection
        return StoreResult(directory, counts, fresh=False)

    _fresh(directory, lambda store: store.bulk_extend([q for qs in groups.values() for q in qs]), {})
    return StoreResult(directory, counts, fresh=True)


def sync_store(directory: str | Path, graphs: list[GraphSource], nquads: Path, mirror: bool = True) -> StoreResult:
    """Make the store at ``directory`` hold ``graphs``, reloading only those whose digest changed.

    ``nquads`` is the same data as one N-Quads file, bulk-loaded (streaming)
    when the store is new. The store mirrors the exports: a named graph not in
    ``graphs`` (a report dropped from the input) is removed (issue 20); with
    ``mirror=False`` (``kg build --keep-dropped``) it stays, and ``kept`` counts them."""
    staged = stage_store(directory, graphs, nquads, mirror)
    if staged is not None:
        return publish_store(staged)
    return update_store(directory, graphs, mirror)


@dataclass(frozen=True)
class StagedStore:
    """A whole new store written beside ``directory`` (in ``tmp``), not yet in its place:
    ``publish_store`` renames it there, ``discard_store`` removes it."""

    directory: Path
    tmp: Path
    result: StoreResult
    replaces: bool  # an existing store is swapped out (else the folder was empty or absent)


def stage_store(directory: str | Path, graphs: list[GraphSource], nquads: Path, mirror: bool = True,
                decided: bool = False) -> StagedStore | None:
    """The costly part of ``sync_store``, leaving ``directory`` as it is: when the store is new,
    or most of its graphs changed, a new store bulk-loaded from ``nquads`` beside it. None when
    the store is to be updated graph by graph (``update_store``, a few changed graphs: cheap).

    ``kg build`` runs this in a child process while it writes its other exports (kg.build.storeload),
    and publishes the result after the exports are committed. ``decided``: the caller found
    ``bulk_needed`` true (the child then writes the new store without deciding again)."""
    directory = Path(directory)
    new = {g.iri: g.digest for g in graphs}
    if not (directory.exists() and any(directory.iterdir())):
        def load(store: ox.Store) -> None:
            _bulk_load(store, nquads)

        tmp = _write_new(directory, load, new, ".tmp")
        return StagedStore(directory, tmp, StoreResult(directory, {g.iri: g.triples for g in graphs}, fresh=True),
                           replaces=False)
    if not decided and not bulk_needed(directory, graphs):
        return None
    return _replace(directory, graphs, nquads, _manifest(directory), mirror)


def bulk_needed(directory: str | Path, graphs: list[GraphSource]) -> bool:
    """Whether ``sync_store`` writes a whole new store (none yet, or most graphs changed)."""
    directory = Path(directory)
    if not (directory.exists() and any(directory.iterdir())):
        return True
    if not (directory / "CURRENT").is_file():
        raise StoreError(f"{directory}: exists and is not an Oxigraph store; refusing to write into it")
    manifest = _manifest(directory)
    todo = [g for g in graphs if manifest.get(g.iri) != g.digest]
    return len(todo) > max(RELOAD_MAX, len(graphs) // 4)


def publish_store(staged: StagedStore) -> StoreResult:
    """Put a staged store in its place (``stage_store``)."""
    directory, tmp = staged.directory, staged.tmp
    if not staged.replaces:
        try:
            if directory.exists():  # an empty folder: rename replaces it on POSIX
                directory.rmdir()
            os.rename(tmp, directory)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return staged.result
    gone = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".old", dir=directory.parent))
    os.rename(directory, gone / "store")
    os.rename(tmp, directory)  # a crash between the renames leaves no store: the next build writes it afresh
    shutil.rmtree(gone, ignore_errors=True)
    return staged.result


def discard_store(staged: StagedStore) -> None:
    shutil.rmtree(staged.tmp, ignore_errors=True)


def update_store(directory: str | Path, graphs: list[GraphSource], mirror: bool = True) -> StoreResult:
    """``sync_store`` for a store that ``stage_store`` leaves alone: the changed graphs reloaded one by one."""
    directory = Path(directory)
    manifest = _manifest(directory)
    todo = [g for g in graphs if manifest.get(g.iri) != g.digest]
    store = open_store(directory)
    try:
        kept = _others(store, {g.iri for g in graphs})
        if mirror:
            _drop(store, directory, kept, manifest)
            kept = []
        if todo:
            _forget(directory, {g.iri for g in todo})  # first: a crash part-way leaves them marked for reloading
            for g in todo:
                node = ox.NamedNode(g.iri)
                if store.contains_named_graph(node):
                    store.clear_graph(node)
                for p in g.paths:
                    store.load(path=str(p), format=ox.RdfFormat.N_TRIPLES, to_graph=node)
            store.flush()
            manifest.update({g.iri: g.digest for g in todo})
            _write_manifest(directory, manifest)
    finally:
        del store  # releases the RocksDB lock now
    return StoreResult(directory, {g.iri: g.triples for g in todo}, fresh=False, kept=len(kept))


def _replace(directory: Path, graphs: list[GraphSource], nquads: Path, manifest: dict[str, str],
             mirror: bool = True) -> StagedStore:
    """Most graphs changed: a new store from ``nquads``, plus the old one's default graph (kg build
    writes none; whatever a user put there stays) and, unless ``mirror``, its graphs not in ``graphs``."""
    ours = {g.iri for g in graphs}
    old = open_store(directory)  # holds the lock while the new one is written
    try:
        others = [] if mirror else _others(old, ours)

        def load(store: ox.Store) -> None:
            _bulk_load(store, nquads)
            for g in others + [ox.DefaultGraph()]:
                store.bulk_extend(old.quads_for_pattern(None, None, None, g))
                if isinstance(g, ox.NamedNode):
                    store.add_graph(g)  # an empty graph stays a graph

        kept = {k: v for k, v in manifest.items() if k not in ours and not mirror}
        tmp = _write_new(directory, load, {**kept, **{g.iri: g.digest for g in graphs}}, ".new")
    finally:
        del old
    return StagedStore(directory, tmp, StoreResult(directory, {g.iri: g.triples for g in graphs}, fresh=False,
                                                   kept=len(others)), replaces=True)


def _others(store: ox.Store, ours: set[str]) -> list[ox.NamedNode]:
    """The store's named graphs that are not ``ours``."""
    return [g for g in store.named_graphs() if g.value not in ours]


def _drop(store: ox.Store, directory: Path, others: list[ox.NamedNode], manifest: dict[str, str]) -> None:
    """Remove ``others`` (graphs of reports no longer in the build), from the manifest first."""
    if not others:
        return
    for g in others:
        manifest.pop(g.value, None)
    _write_manifest(directory, manifest)
    for g in others:
        store.remove_graph(g)
    store.flush()


def _fresh(directory: Path, load, manifest: dict[str, str]) -> Path:
    """A new store, written beside ``directory`` and renamed into place."""
    tmp = _write_new(directory, load, manifest, ".tmp")
    return publish_store(StagedStore(directory, tmp, StoreResult(directory, {}, fresh=True), replaces=False)).path


def _bulk_load(store: ox.Store, nquads: Path) -> None:
    """Load the build's own welfare.nq. ``lenient``: Oxigraph skips re-validating IRIs and language
    tags (14 % of the load: 3.45 -> 2.96 s CPU at 300 reports, the same quads); every line was
    written by kg (IRIs from kg.rdf.iris, the ontology through rdflib) and checked against the
    shapes before the store is filled."""
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS, lenient=True)


def _write_new(directory: Path, load, manifest: dict[str, str], suffix: str) -> Path:
    """A new store filled by ``load``, in a fresh folder beside ``directory``; returns that folder."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=suffix, dir=directory.parent))
    try:
        store = ox.Store(str(tmp))
        load(store)
        store.flush()
        store.optimize()
        del store
        if manifest:
            _write_manifest(tmp, manifest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def _manifest(directory: Path) -> dict[str, str]:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # none, or damaged: every graph is reloaded
    return data if isinstance(data, dict) else {}


def _write_manifest(directory: Path, manifest: dict[str, str]) -> None:
    tmp = directory / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, sort_keys=True, indent=0), encoding="utf-8")
    os.replace(tmp, directory / MANIFEST)


def _forget(directory: Path, iris: set[str]) -> None:
    manifest = _manifest(directory)
    if iris & manifest.keys():
        _write_manifest(directory, {k: v for k, v in manifest.items() if k not in iris})


def graph_counts(directory: str | Path) -> dict[str, int]:
    """Triples per graph in a store (read-only, works beside a writer)."""
    store = ox.Store.read_only(str(directory))
    counts: dict[str, int] = defaultdict(int)
    for q in store.quads_for_pattern(None, None, None, None):
        counts[_name(q.graph_name)] += 1
    return dict(counts)


def _name(g) -> str:
    return "" if isinstance(g, ox.DefaultGraph) else g.value
