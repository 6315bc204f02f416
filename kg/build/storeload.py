"""The store of ``kg build``, filled in a child process while the build writes its other exports.

Bulk-loading a corpus into Oxigraph is the largest single part of a build after the extraction
(3.4 s CPU, 5.5 s wall at 300 reports: RocksDB's indexes and files, of which parsing the
N-Quads is 0.6 s), and pyoxigraph holds the GIL while it loads, so a thread would not run
beside it. A child process started once welfare.nq is written and checked loads it into a new
store beside the store folder (kg.stores.store.stage_store) while this process writes the
explorer page, the cube and figures.csv. The build waits for it before committing any export
and puts the new store in place after the commit (``publish``): a store that cannot be written
(held by another process) stops the build before any export is replaced, and a failed build
never leaves a half-written store. The CPU is the same; the wall time is shorter on a machine
with a second core. A store updated graph by graph (a rebuild that changed few reports) is
cheap and stays in this process, after the commit, as before; so does a small store
(``CHILD_MIN_BYTES``), loaded where the build waits for it.

The child is a new interpreter (``python -m kg.build.storeload``), not a fork: a process that
has opened an Oxigraph store has RocksDB threads, and a child forked beside them can hang on a
lock one of them held (it did, in the tests).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from kg.stores.store import (GraphSource, StagedStore, StoreError, StoreResult, bulk_needed, discard_store,
                             publish_store, stage_store, update_store)

#: The child's exit code for a StoreError (its message on stderr).
STORE_ERROR = 3
#: A new interpreter costs ~0.1 s CPU to start; a welfare.nq smaller than this (some 20,000
#: quads, a dozen reports) loads in about that time, so it is loaded here, when the build waits.
CHILD_MIN_BYTES = 4 << 20


class StoreLoad:
    """``start`` the staging; ``wait`` for it (raises what it raised); ``publish`` after the commit."""

    def __init__(self, directory: str | Path, graphs: list[GraphSource], nquads: Path, mirror: bool) -> None:
        self.directory, self.graphs, self.nquads, self.mirror = Path(directory), graphs, Path(nquads), mirror
        self._child: subprocess.Popen | None = None
        self._request: Path | None = None
        self._staged: StagedStore | None = None
        self._done = False
        self.seconds = 0.0  # the staging's own time (in the child)

    def start(self) -> "StoreLoad":
        # A rebuild that changed a few reports updates the store graph by graph, after the commit: no child.
        if bulk_needed(self.directory, self.graphs) and self.nquads.stat().st_size >= CHILD_MIN_BYTES:
            self._request = self.nquads.with_name(self.nquads.name + ".store.json")
            self._request.write_text(json.dumps(_encode(self.directory, self.graphs, self.nquads, self.mirror)),
                                     encoding="utf-8")
            code = str(Path(__file__).resolve().parents[2])  # this checkout's kg, whatever the child's cwd
            env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [code, os.environ.get("PYTHONPATH")]))}
            self._child = subprocess.Popen([sys.executable, "-m", "kg.build.storeload", str(self._request),
                                            str(os.getpid())], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                           env=env, cwd="/")
        return self

    def wait(self) -> None:
        """The staged store, or the error staging it raised (StoreError: locked, not a store)."""
        if self._done:
            return
        self._done = True
        if self._child is None:
            self._staged, self.seconds = _stage(self.directory, self.graphs, self.nquads, self.mirror)
            return
        out, err = self._child.communicate()
        if self._request is not None:
            self._request.unlink(missing_ok=True)
        if self._child.returncode == STORE_ERROR:
            raise StoreError(err.decode("utf-8", "replace").strip().splitlines()[-1])
        if self._child.returncode != 0:
            raise RuntimeError(f"loading the store failed (exit {self._child.returncode}):\n"
                               + err.decode("utf-8", "replace")[-3000:])
        answer = json.loads(out.decode("utf-8"))
        self.seconds = answer["seconds"]
        if answer["staged"] is not None:
            s = answer["staged"]
            r = s["result"]
            self._staged = StagedStore(Path(s["directory"]), Path(s["tmp"]),
                                       StoreResult(Path(r["path"]), r["graphs"], r["fresh"], r["kept"]), s["replaces"])

    def publish(self) -> StoreResult:
        self.wait()
        staged, self._staged = self._staged, None
        if staged is not None:
            return publish_store(staged)
        return update_store(self.directory, self.graphs, self.mirror)

    def abandon(self) -> None:
        """The build failed: let the child finish (a killed one would leave its half-written
        store folder behind) and drop what it staged."""
        try:
            self.wait()
        except Exception:
            pass  # the build's own error is the one to report
        if self._staged is not None:
            discard_store(self._staged)
            self._staged = None


def _stage(directory: Path, graphs: list[GraphSource], nquads: Path, mirror: bool,
           decided: bool = False) -> tuple[StagedStore | None, float]:
    t = time.perf_counter()
    staged = stage_store(directory, graphs, nquads, mirror, decided)
    return staged, time.perf_counter() - t


def _encode(directory: Path, graphs: list[GraphSource], nquads: Path, mirror: bool) -> dict:
    return {"directory": str(directory), "nquads": str(nquads), "mirror": mirror,
            "graphs": [[g.iri, g.digest, [str(p) for p in g.paths], g.triples] for g in graphs]}


def main(argv: list[str]) -> int:
    """The child: stage the store described by the request file (its parent found a whole new
    store needed, and the child does not decide again), print the staged store as JSON."""
    from kg.build.procs import die_with_parent

    die_with_parent(int(argv[1]))
    req = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    graphs = [GraphSource(iri, digest, tuple(Path(p) for p in paths), n) for iri, digest, paths, n in req["graphs"]]
    try:
        staged, seconds = _stage(Path(req["directory"]), graphs, Path(req["nquads"]), req["mirror"], decided=True)
    except StoreError as e:
        print(str(e).replace("\n", " "), file=sys.stderr)
        return STORE_ERROR
    out = None
    if staged is not None:
        r = staged.result
        out = {"directory": str(staged.directory), "tmp": str(staged.tmp), "replaces": staged.replaces,
               "result": {"path": str(r.path), "graphs": r.graphs, "fresh": r.fresh, "kept": r.kept}}
    print(json.dumps({"staged": out, "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
