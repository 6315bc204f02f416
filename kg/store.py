"""The embedded on-disk store: an Oxigraph (RocksDB) folder, one named graph per report.

``kg build --store DIR`` writes it; ``kg query DIR`` reads it. A fresh store is
bulk-loaded into a temporary sibling folder and renamed into place, so a
failed build never leaves a half-written store. An existing store is updated
graph by graph: each graph in the new data is cleared and reloaded, graphs of
reports not in this build stay as they were.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


class StoreError(Exception):
    """The store folder cannot be written (locked by another process, not a store)."""


@dataclass(frozen=True)
class StoreResult:
    path: Path
    graphs: dict[str, int]  # graph IRI -> triples written
    fresh: bool


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
            for g, qs in groups.items():
                if isinstance(g, ox.DefaultGraph) or store.contains_named_graph(g):
                    store.clear_graph(g)
                store.extend(qs)  # one transaction per graph
            store.flush()
        finally:
            del store  # releases the RocksDB lock now, not at garbage collection
        return StoreResult(directory, counts, fresh=False)

    directory.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=directory.parent))
    try:
        store = ox.Store(str(tmp))
        store.bulk_extend([q for qs in groups.values() for q in qs])
        store.flush()
        store.optimize()
        del store
        if directory.exists():  # an empty folder: rename replaces it on POSIX
            directory.rmdir()
        os.rename(tmp, directory)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return StoreResult(directory, counts, fresh=True)


def graph_counts(directory: str | Path) -> dict[str, int]:
    """Triples per graph in a store (read-only, works beside a writer)."""
    store = ox.Store.read_only(str(directory))
    counts: dict[str, int] = defaultdict(int)
    for q in store.quads_for_pattern(None, None, None, None):
        counts[_name(q.graph_name)] += 1
    return dict(counts)


def _name(g) -> str:
    return "" if isinstance(g, ox.DefaultGraph) else g.value
