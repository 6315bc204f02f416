"""``kg build --engine dask``: the per-report extraction as a map on Dask ``distributed``.

The extraction of one report is pure (its bytes in, its cache entry out), so it maps
onto any Dask cluster: a ``LocalCluster`` of ``jobs`` worker processes when no address
is given, or the scheduler at ``address`` (``tcp://HOST:8786``) with whatever workers
it has. Each worker loads the pipeline once (kg.build.dask_plugin, a worker plugin) and writes each
report's cache entry (its sorted N-Triples and record) into the build's cache folder
when it can see that folder (a shared filesystem: the same machine, NFS); a worker that
cannot sends the entry back and the parent writes it. Either way the parent merges
the exports from the cache's chunk files in file-name order, exactly as for ``--jobs``,
so the output is byte-identical to ``--jobs 1``.

Only a bounded window of reports is in flight at once (``IN_FLIGHT`` per worker),
so neither the scheduler nor this process holds the whole corpus's text at once.

Dask is an optional extra (``pip install welfare-kg[dask]``); ``--jobs`` needs none of it.
"""
from __future__ import annotations

import os

import secrets
import threading
from itertools import chain
from pathlib import Path

from kg.build.cache import Cache, pipeline_key
from kg.stores.validate import GraphInvalid

#: Reports queued per worker thread: enough that none waits for the next, few enough that
#: the text in flight stays small however large the corpus.
IN_FLIGHT = 8
#: A probe file in the cache folder: a worker that reads back the token sees the same filesystem.
PROBE = ".kg-engine-probe"


class EngineError(Exception):
    """Dask is missing, the scheduler cannot be reached, or a worker runs other code (exit 2)."""


def _client(address: str | None, workers: int, ontology_dir: str | None):
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise EngineError("--engine dask needs Dask: pip install 'welfare-kg[dask]' "
                          "(or use --jobs N, which needs nothing more)") from e
    if address:
        try:
            return Client(address, timeout="20s"), None
        except (OSError, TimeoutError) as e:
            raise EngineError(f"--address {address}: cannot reach a Dask scheduler there ({e})") from e
    import multiprocessing as mp

    import dask

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    if method == "fork":  # the workers start with the pipeline this process loaded, not each loading it anew
        from kg.build.run import _warm

        _warm(ontology_dir)
    # One thread a process: the pipeline is Python and holds the GIL, threads would only queue.
    with dask.config.set({"distributed.worker.multiprocessing-method": method}):
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
    return Client(cluster), cluster


# A worker may run several threads (``dask worker --nthreads 4``); the pipeline's caches and
# spaCy's objects are not made for concurrent use, and threads could not run Python faster anyway.
_LOCK = threading.Lock()
_KEYS: dict[str | None, str] = {}  # ontology folder -> pipeline key, as this worker computed it


def extract_on_worker(task, expected_key: str, token: str | None):
    """One report on a worker: (encoded record or None, skip reason, timings, entry or None).

    ``entry`` is (triples, encoded record) when the worker cannot see the cache folder
    (``token`` not found there): the parent writes it."""
    from kg.build.run import _Task, _extract_one

    with _LOCK:
        # Once per worker and build: hashing the ontology files costs ~1.6 ms, 5 % of a report.
        mine = _KEYS.get(task.ontology_dir)
        if mine != expected_key:  # not yet computed here, or computed for another build
            mine = _KEYS[task.ontology_dir] = pipeline_key(task.ontology_dir)
        if mine != expected_key:
            raise EngineError(f"a Dask worker (pid {os.getpid()}) runs other kg code or another ontology "
                              f"(pipeline key {mine}, the build's {expected_key}); install the same version "
                              f"on every worker")
        shared = token is not None and _reads(Path(task.cache_dir) / PROBE, token)
        if shared:
            _, blob, reason, timings = _extract_one(task, encode_record=True)
            return blob, reason, timings, None
        import tempfile

        with tempfile.TemporaryDirectory(prefix="kg-entry-") as tmp:
            local = _Task(task.path, task.data, task.key, tmp, task.ontology_dir, task.timed, keep_record=True)
            _, blob, reason, timings = _extract_one(local, encode_record=True)
            rows_path = Cache(Path(tmp)).triples_path(task.key)
            entry = (rows_path.read_bytes(), blob) if reason is None else None
        return blob, reason, timings, entry


def _reads(path: Path, token: str) -> bool:
    try:
        return path.read_text(encoding="ascii") == token
    except (OSError, UnicodeDecodeError):
        return False


def run_dask(tasks, address: str | None, workers: int, ontology_dir: str | None):
    """``tasks`` (kg.build.run._Task, any iterable: each is taken only when a worker has room for
    it) through Dask. Yields (index, encoded record or None, skip reason, timings) for each, as
    the workers finish them; nothing of a report stays here once it is yielded."""
    pending = iter(enumerate(tasks))
    first = _take(pending, 1)
    if not first:
        return
    pending = chain(first, pending)
    expected = pipeline_key(ontology_dir)
    cache_dir = Path(first[0][1].cache_dir)
    token = secrets.token_hex(16)
    probe = cache_dir / PROBE
    probe.write_text(token, encoding="ascii")
    client, cluster = _client(address, workers, ontology_dir)
    try:
        from distributed import as_completed

        if address:
            n = sum(client.nthreads().values())
            if n == 0:
                client.wait_for_workers(1, timeout=60)
                n = sum(client.nthreads().values())
        else:
            n = max(1, workers)
        from kg.build.dask_plugin import Warm

        client.register_plugin(Warm(ontology_dir), name=Warm.name)
        in_flight: dict = {}  # future key -> (index, task)

        def submit(i, task):
            # ``pure=False``: two builds of the same report (another out folder) are two tasks.
            fut = client.submit(extract_on_worker, task, expected, token, pure=False, key=f"kg-report-{i}-{token}")
            in_flight[fut.key] = (i, task)
            return fut

        window = as_completed([submit(i, t) for i, t in _take(pending, IN_FLIGHT * n)])
        for fut in window:
            i, task = in_flight.pop(fut.key)
            try:
                blob, reason, timings, entry = fut.result()
            except (EngineError, GraphInvalid):  # a worker's own clear message
                raise
            except Exception as e:  # a worker lost for good, or a bug outside the per-report guard
                raise EngineError(f"{task.path}: the Dask task failed: {type(e).__name__}: {e}") from e
            fut.release()
            if entry is not None:
                rows, record = entry
                Cache(cache_dir).put(task.key, rows, record if task.keep_record else None)
                if task.check:
                    from kg.build.checks import mark_checked

                    mark_checked(Cache(cache_dir).triples_path(task.key))
            del task, fut
            for j, t in _take(pending, 1):
                window.add(submit(j, t))
            yield i, blob, reason, timings
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        probe.unlink(missing_ok=True)


def _take(it, n: int) -> list:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out
