"""Build a corpus of reports into exports: the library entry point of ``kg build``.

Scale (issue 6): reports are extracted in a process pool (``jobs``), each
report's record and N-Triples lines are cached by content hash and pipeline
key (kg.build.cache), and the exports are streamed from those per-report chunks,
so memory holds records, never the whole graph.

- ``welfare.nq``: the ontology graph, then one named graph per report in
  file-name order; lines sorted and distinct within each graph.
- ``welfare.ttl``: the merged graph. Up to ``RDFLIB_TURTLE_MAX`` triples it is
  rdflib's readable Turtle; above, rdflib's serializer is superlinear
  (rdflib #2135), so it is Oxigraph's streaming Turtle over the sorted triples.
  A rebuild after a few reports changed splices the previous merged triples
  and Turtle instead of merging them all again (kg.build.splice), byte-identical.
- the store (``store=``): only the graphs whose report changed are reloaded (kg.stores.store.sync_store).
"""
from __future__ import annotations

import gc
import hashlib
import io
import os
import shutil
import tempfile
import time
from array import array
from bisect import bisect_right
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, closing, nullcontext
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from pathlib import Path

from kg.build import splice
from kg.build.inputs import collect
from kg.build.lock import hold
from kg.build.procs import die_with_parent
from kg.build.cache import Cache, _write, encoded, entry_key, pipeline_key
from kg.build.entry import decode as decode_record
from kg.build.fold import Fold
from kg.out.export import TMP_DIR_PREFIX, clean_stale, commit
from kg.rdf.graph import ONTOLOGY_GRAPH, bind_prefixes, ntriples_rows, report_rows
from kg.rdf.iris import mint
from kg.vocab.ontology import parsed_ontology
from kg.nlp.document import extract_document
from kg.nlp.pipeline import extract
from kg.read.document import FORMATS, format_of, max_bytes_for, read_document
from kg.read.text import MAX_BYTES, InputError, read_bytes
from kg.errors import shown
from kg.records import ReportRecord
from kg.out.viz import PAGE, add_page
from kg.out.explorer import add_explorer

SUFFIXES = tuple(FORMATS)  # .pdf .docx .doc .wps .odt .rtf .html .htm .txt .md (kg.read.document)
# Above this many triples welfare.ttl is written by Oxigraph (bench/RESULTS.md:
# rdflib's Turtle costs ~150 µs a triple and grows; Oxigraph's ~1 µs, flat).
RDFLIB_TURTLE_MAX = 20_000
MERGE_FAN_IN = 200  # chunk files open at once while merging
#: pyshacl checks about 3,500 triples a second; above this size (some 150
#: reports) ``kg build`` leaves validation to ``kg validate`` and says so,
#: rather than spend most of a corpus build in it (bench/RESULTS.md).
VALIDATE_MAX_TRIPLES = 250_000


@dataclass
class BuildResult:
    records: list[ReportRecord]
    written: list[Path]
    triples: int
    skipped: list[str] = field(default_factory=list)  # "file: reason"
    extracted: int = 0  # reports run through the pipeline in this build
    cached: int = 0  # reports taken from the cache
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage (per NLP stage with profile=True, jobs=1)
    graph_stats: dict = field(default_factory=dict)  # kg.network.graph_stats of the page's projection
    validated: bool = False  # checked against ontology/shapes.ttl in this build
    store_kept: int = 0  # graphs of reports not in this build the store keeps (keep_dropped=True)
    cache_warnings: list[str] = field(default_factory=list)  # cache entries ignored (damaged or planted)
    # The summary's counts and the reports' warnings, taken as the records passed (kg.build.fold), so
    # neither reads the records back; None: computed from ``records``.
    folded: dict | None = None
    warned: list[tuple[str, tuple[str, ...]]] | None = None

    def formats(self) -> dict[str, int]:
        """Reports built, by the format they were read from (pdf, docx, txt ...)."""
        if self.folded is not None:
            return dict(self.folded["formats"])
        return dict(sorted(Counter(r.format for r in self.records).items()))

    def report_warnings(self) -> list[tuple[str, tuple[str, ...]]]:
        """(source, warnings) of each report that has any, in input order."""
        if self.warned is not None:
            return list(self.warned)
        return [(r.source, tuple(r.warnings)) for r in self.records if r.warnings]

    def summary(self) -> dict:
        if self.folded is not None:
            counts = {k: self.folded[k] for k in ("reports", "agencies", "programmes", "groups", "figures")}
            return {**counts, "triples": self.triples, "warnings": self.folded["warnings"], "skipped": len(self.skipped),
                    "formats": self.formats(), "extracted": self.extracted, "cached": self.cached,
                    "written": [str(p) for p in self.written]}
        kinds = {"agency": set(), "programme": set(), "group": set()}
        for r in self.records:
            for m in r.mentions:
                if m.kind in kinds:
                    kinds[m.kind].add((r.source, m.name or m.text) if m.kind == "agency" else (m.concept.key or m.text))
        return {
            "reports": len(self.records),
            "agencies": len(kinds["agency"]),
            "programmes": len(kinds["programme"]),
            "groups": len(kinds["group"]),
            "figures": sum(len(r.figures) for r in self.records),
            "triples": self.triples,
            "warnings": sum(len(r.warnings) for r in self.records),
            "skipped": len(self.skipped),
            "formats": self.formats(),
            "extracted": self.extracted,
            "cached": self.cached,
            "written": [str(p) for p in self.written],
        }


class StrictError(InputError):
    """``--strict`` and the build had warnings: nothing was replaced; ``result`` says what was found."""

    def __init__(self, message: str, result: BuildResult) -> None:
        super().__init__(message)
        self.result = result


def collect_inputs(inputs: list[str | Path]) -> list[Path]:
    """Files named directly, and report files inside folders, in identity order (kg.build.inputs)."""
    return [i.path for i in collect(inputs)[0]]


@dataclass(frozen=True)
class _Task:
    path: str
    data: bytes
    key: str
    cache_dir: str
    ontology_dir: str | None
    timed: bool
    keep_record: bool = True  # False: the cache is never read (--no-cache), the triples alone are written
    check: bool = False  # the report's shapes checked here, before its entry is written (kg.build.checks)
    source: str = ""  # the report's identity (kg.build.inputs); "" for the file's name


def _process(task: _Task) -> tuple[ReportRecord | None, str | None, dict[str, float]]:
    """One report: decode, extract, triples, cache entry."""
    rec, _, reason, timings = _extract_one(task, encode_record=task.keep_record)
    return rec, reason, timings


def _process_in_worker(task: _Task) -> tuple[bytes | None, str | None, dict[str, float]]:
    """``_process`` in a worker: the record goes back as the bytes written to the cache,
    rather than being encoded a second time to cross to the parent."""
    _, blob, reason, timings = _extract_one(task, encode_record=True)
    return blob, reason, timings


def _extract_one(task: _Task, encode_record: bool) -> tuple[ReportRecord | None, bytes | None, str | None,
                                                            dict[str, float]]:
    timings: dict[str, float] = {}
    clock = time.perf_counter
    t = clock()
    try:
        document = read_document(task.data, shown(task.path))
    except InputError as e:
        return None, None, str(e), timings
    timings["read"] = clock() - t
    try:
        rec = extract_document(document, task.source or Path(task.path).name, task.ontology_dir,
                               timings=timings if task.timed else None)
    except Exception as e:  # a bug met on one file must not stop the corpus; it is reported as skipped
        return None, None, f"{shown(task.path)}: could not be processed, a bug in kg ({type(e).__name__}: {e})", timings
    if not rec.figures:
        rec = replace(rec, warnings=rec.warnings + ("no figures found: headers only, or not a work report?",))
    t = clock()
    lines = report_rows(rec, task.ontology_dir)
    if task.check:
        from kg.build.checks import require_report

        tv = clock()
        require_report(lines, task.ontology_dir, Path(task.path).name)  # GraphInvalid: nothing cached
        timings["validate"] = clock() - tv
    t2 = clock()
    rows = "".join(lines).encode("utf-8", "replace")
    t3 = clock()
    blob = encoded(rec) if encode_record else None
    cache = Cache(Path(task.cache_dir))
    cache.put(task.key, rows, blob if task.keep_record else None)
    if task.check:
        from kg.build.checks import mark_checked

        mark_checked(cache.triples_path(task.key))
    timings["graph"] = t2 - t - timings.get("validate", 0.0)
    timings["serialise"] = clock() - t2
    timings["cache write"] = clock() - t3
    timings["serialise"] -= timings["cache write"]
    return rec, blob, None, timings


WARM_TEXT = "路桥区民政局联合六泉湖社区和上海亲和源有限公司,为困难群众1200人发放城市低保金208.9万元。"


def _warm(ontology_dir: str | None) -> None:
    """Load the pipeline before forking, so workers share it instead of each loading it."""
    from kg.vocab.ontology import load_lexicon
    from kg.nlp.pipeline import build_nlp
    from kg.vocab.regions import gazetteer

    build_nlp(ontology_dir)
    load_lexicon(ontology_dir)
    gazetteer()
    # Whatever loads lazily on first use (jieba's tagger for agency names) loads now.
    extract(WARM_TEXT, "warm.txt", ontology_dir)


class _Workers:
    """A build's process pool (``jobs`` > 1), started on first use and kept after the
    extraction: the merge and the Turtle of the exports are split among the same workers,
    which would otherwise wait while this process does them alone."""

    def __init__(self, jobs: int, ontology_dir: str | None) -> None:
        self.jobs, self.ontology_dir, self._pool = jobs, ontology_dir, None

    def pool(self, extraction: bool = False) -> ProcessPoolExecutor | None:
        if self.jobs <= 1:
            return None
        if self._pool is None:
            import multiprocessing as mp

            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
            if ctx is not None and extraction:
                _warm(self.ontology_dir)
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=ctx, initializer=die_with_parent,
                                             initargs=(os.getpid(),))  # kg.build.procs
        return self._pool

    def running(self) -> ProcessPoolExecutor | None:
        """The pool if the extraction started it (none is started for a rebuild's little work)."""
        return self._pool

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown()


def _loaded(tasks: list[_Task], max_bytes: int | None, pkey: str):
    """Each task with its report's bytes, read when it is about to be sent, so the corpus's text
    is never held at once; a file that changed since its key was taken stops the build."""
    for t in tasks:
        path = Path(t.path)
        data = read_bytes(path, max_bytes_for(path.name, max_bytes))
        if entry_key(t.source, data, pkey) != t.key:
            raise InputError(f"{shown(path)}: changed while the build was running; exports not replaced, build again")
        yield replace(t, data=data)


def _run(tasks, n: int, workers: _Workers, engine: str = "processes", address: str | None = None):
    """Each task's result as it is ready: (index, record or None, encoded record or None, skip reason,
    timings); in input order except on Dask, where they come as the workers finish."""
    if engine == "dask":  # kg.build.engines: the same map on a Dask cluster
        from kg.build.engines import run_dask

        for i, blob, reason, timings in run_dask(tasks, address, workers.jobs, workers.ontology_dir):
            yield i, None, blob, reason, timings
        return
    pool = workers.pool(extraction=True) if n > 1 else None
    if pool is None:
        for i, t in enumerate(tasks):
            rec, blob, reason, timings = _extract_one(t, encode_record=True)
            yield i, rec, blob, reason, timings
        return
    chunk = max(1, min(16, n // (workers.jobs * 8)))
    # Executor.map would submit every task at once, each with its report's bytes: chunks are
    # submitted as earlier ones are taken, IN_FLIGHT_CHUNKS per worker, and taken in input order.
    window: deque = deque()
    i = 0
    tasks = iter(tasks)
    while True:
        group = list(islice(tasks, chunk))
        if group:
            window.append(pool.submit(_process_chunk, group))
        if window and (not group or len(window) >= workers.jobs * IN_FLIGHT_CHUNKS):
            for blob, reason, timings in window.popleft().result():
                yield i, None, blob, reason, timings
                i += 1
        elif not group:
            return


#: Chunks of reports queued per worker process with --jobs N: enough that none waits.
IN_FLIGHT_CHUNKS = 4


def _process_chunk(tasks: list[_Task]) -> list[tuple[bytes | None, str | None, dict[str, float]]]:
    return [_process_in_worker(t) for t in tasks]


def build(inputs: list[str | Path], out_dir: str | Path, ontology_dir: str | None = None, jobs: int = 1,
          use_cache: bool = True, cache_dir: str | Path | None = None, store: str | Path | None = None,
          check: bool = True, profile: bool = False, max_bytes: int | None = MAX_BYTES,
          strict: bool = False, engine: str = "processes", address: str | None = None,
          keep_dropped: bool = False, wait: float = 0.0) -> BuildResult:
    """Build the reports in ``inputs`` into ``out_dir``, holding its lock (kg.build.lock: another
    build there is waited for up to ``wait`` seconds, then refused with OutputBusy)."""
    with hold(Path(out_dir), wait):
        return _build(inputs, out_dir, ontology_dir, jobs, use_cache, cache_dir, store, check, profile, max_bytes,
                      strict, engine, address, keep_dropped)


def _build(inputs: list[str | Path], out_dir: str | Path, ontology_dir: str | None = None, jobs: int = 1,
           use_cache: bool = True, cache_dir: str | Path | None = None, store: str | Path | None = None,
           check: bool = True, profile: bool = False, max_bytes: int | None = MAX_BYTES,
           strict: bool = False, engine: str = "processes", address: str | None = None,
           keep_dropped: bool = False) -> BuildResult:
    """Build the reports in ``inputs`` into ``out_dir``; see the module docstring.

    ``use_cache=False`` (``--no-cache``) re-extracts every report and leaves
    the cache untouched. Unreadable files are skipped (``BuildResult.skipped``);
    with ``strict`` any skip or warning raises ``StrictError`` instead and no
    export is replaced. All exports are renamed into place together (kg.out.export).
    ``engine="dask"`` extracts on Dask (kg.build.engines): a local cluster of ``jobs``
    workers, or the scheduler at ``address``; the same bytes.
    The store mirrors the exports; ``keep_dropped`` keeps the graphs of reports not in
    this build there (``BuildResult.store_kept`` counts them)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    clean_stale(out)  # temporary files of a build that was killed
    pkey = pipeline_key(ontology_dir)
    with tempfile.TemporaryDirectory(prefix=TMP_DIR_PREFIX, dir=out) as tmp, _SetAside() as set_aside, \
            ExitStack() as stack:
        cache = Cache(Path(cache_dir) if cache_dir else out / ".cache") if use_cache else Cache(Path(tmp), read=False)
        cache.directory.mkdir(parents=True, exist_ok=True)
        clean_stale(cache.directory)  # its half-written entries, likewise
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        # Each record is folded in as it arrives and not kept (kg.build.fold): the build's memory
        # does not grow with the corpus beyond a few hundred bytes of index a report.
        fold = Fold(Path(tmp), out, ontology_dir)
        slots: list[str] = []  # each input's cache key, "" for one not built
        reasons: dict[int, str] = {}  # input position -> why it was not built
        chunks: list[tuple[str, Path]] = []  # (source, triples file) of each report built
        built: set[int] = set()  # positions of the reports built
        cached_entries: list[tuple[str, Path]] = []
        per_report = check and _checks_split()
        tasks: list[tuple[int, _Task]] = []  # (position, task); a task's bytes are read when it is sent

        def skip(reason: str) -> None:
            reasons[len(slots)] = reason
            slots.append("")

        # Decoding thousands of records makes millions of objects; the cyclic GC would
        # scan them again and again (3 of 4 s at 2,000 reports) and they hold no cycles.
        gc_was_on = gc.isenabled()
        gc.disable()
        try:
            found, not_reports = collect(inputs, out, [store, cache_dir])
            for reason in not_reports:
                skip(reason)
            for item in found:
                path = item.path
                if format_of(path.name) is None:
                    try:
                        read_document(b"", shown(path))
                    except InputError as e:  # "unsupported type", said the one way the readers say it
                        skip(str(e))
                    continue
                try:
                    data = read_bytes(path, max_bytes_for(path.name, max_bytes))
                except InputError as e:
                    skip(str(e))
                    continue
                key = entry_key(item.source, data, pkey)
                del data
                pos = len(slots)
                slots.append(key)
                entry = cache.entry(key)
                if entry is not None:
                    rec, blob = entry
                    fold.add(pos, rec, blob)
                    built.add(pos)
                    chunks.append((rec.source, cache.triples_path(key)))
                    cached_entries.append((rec.source, cache.triples_path(key)))
                else:
                    tasks.append((pos, _Task(str(path), b"", key, str(cache.directory), ontology_dir,
                                             profile and jobs <= 1, keep_record=cache.read, check=per_report,
                                             source=item.source)))
        finally:
            if gc_was_on:
                gc.enable()
        set_aside()  # ... and would keep scanning them while the changed reports are extracted
        cached = len(cached_entries)
        timings["cache read"] = time.perf_counter() - t0
        if per_report:  # cached entries not yet checked against these shapes (--no-validate, new shapes)
            from kg.build.checks import recheck

            t = time.perf_counter()
            recheck(cached_entries, ontology_dir)
            timings["validate"] = time.perf_counter() - t
        del cached_entries
        workers = _Workers(jobs, ontology_dir)
        stack.enter_context(workers)
        n_extracted = 0
        feed = _loaded([t for _, t in tasks], max_bytes, pkey)
        with closing(_run(feed, len(tasks), workers, engine, address)) as results:
            for i, rec, blob, reason, tm in results:
                pos, task = tasks[i]
                for stage, sec in tm.items():
                    timings[stage] = timings.get(stage, 0.0) + sec
                if reason is not None:
                    reasons[pos] = reason
                    continue
                if rec is None:
                    rec = decode_record(blob)
                fold.add(pos, rec, blob)
                built.add(pos)
                chunks.append((rec.source, cache.triples_path(task.key)))
                rec = None
                n_extracted += 1
        skipped = [reasons[p] for p in sorted(reasons)]
        keys = {slots[p] for p in built}
        records = fold.records()
        folded = {**fold.stats(), "skipped": len(skipped)}
        warned = fold.warnings()
        if skipped and not built:
            raise InputError(f"none of the {len(skipped)} input files could be read; exports not replaced:\n  "
                             + "\n  ".join(skipped))
        if strict and (skipped or warned):
            n = len(skipped) + folded["warnings"]
            raise StrictError(f"--strict: {n} warnings; exports not replaced",
                              BuildResult(records, [], 0, skipped, extracted=len(tasks), cached=cached,
                                          folded=folded, warned=warned))
        t = time.perf_counter()
        loading = None

        def load_store(graphs) -> None:
            """One named graph per report in an Oxigraph store, loaded beside the rest (kg.build.storeload)
            from the moment welfare.nq is written."""
            nonlocal loading
            if store is not None:
                from kg.build.storeload import StoreLoad

                loading = StoreLoad(store, graphs, Path(tmp) / "welfare.nq", mirror=not keep_dropped).start()

        try:
            staged, triples, graphs, state = _write_exports(out, Path(tmp), chunks,
                                                            _ontology_rows(cache, pkey, ontology_dir), check,
                                                            cache.directory if use_cache else None, workers, timings,
                                                            load_store)
            stack.close()  # the workers are done
            staged, graph_stats = add_page(tmp, staged, triples, out)  # welfare.html (kg.out.viz), staged with the rest
            te = time.perf_counter()
            staged = add_explorer(tmp, staged, [g.iri for g in graphs if g.iri != str(ONTOLOGY_GRAPH)])  # explorer.html (kg.out.explorer), capped
            timings["explorer page"] = time.perf_counter() - te
            t += timings["explorer page"]  # not serialisation: kept apart in the benchmark's stage shares
            staged += fold.write_tables(lambda paths, target: _merge_tables(paths, target, Path(tmp)))  # cube.trig, figures.csv
            files = [out / p.name for p in staged]
            if loading is not None:  # a store that cannot be written stops the build before any export is replaced
                tw = time.perf_counter()
                loading.wait()
                timings["store wait"] = time.perf_counter() - tw
                t += timings["store wait"]
            commit(list(zip(staged, files)), remove=[out / PAGE] if out / PAGE not in files else [])
        except BaseException:
            if loading is not None:
                loading.abandon()
            raise
        if use_cache:  # the splice state follows the exports it describes
            if state is not None:
                splice.install(state, cache.directory, out)
            else:
                splice.drop(cache.directory)
        timings["serialise"] = timings.get("serialise", 0.0) + time.perf_counter() - t
        if use_cache:
            cache.prune(keys | {f"ontology-{pkey}"})
        store_kept = 0
        if loading is not None:  # chunks still here (a store updated graph by graph reads them)
            t = time.perf_counter()
            synced = loading.publish()
            files.append(synced.path)
            store_kept = synced.kept
            timings["store"] = loading.seconds + time.perf_counter() - t
    return BuildResult(records, files, triples, skipped, extracted=n_extracted, cached=cached, timings=timings,
                       graph_stats=graph_stats, folded=folded, warned=warned,
                       validated=check and (_checks_split() or triples <= VALIDATE_MAX_TRIPLES),
                       store_kept=store_kept, cache_warnings=cache.problems)


class _SetAside:
    """``gc.freeze()`` the objects made so far (the cached records) for the rest of the build."""

    def __enter__(self):
        self.frozen = False
        return self

    def __call__(self) -> None:
        if gc.isenabled() and (self.frozen or gc.get_freeze_count() == 0):  # not if the caller froze objects of its own
            gc.freeze()
            self.frozen = True

    def __exit__(self, *exc) -> None:
        if self.frozen:
            gc.unfreeze()


def _ontology_rows(cache: Cache, pkey: str, ontology_dir: str | None) -> Path:
    path = cache.directory / f"ontology-{pkey}.nt"
    if not path.exists():  # the parse the lexicon was read from, not another one
        _write(path, "".join(ntriples_rows(parsed_ontology(ontology_dir))).encode("utf-8", "replace"))
    return path


def _checks_split() -> bool:
    """Whether the shapes are checked per report and on the shared part (kg.build.checks), or,
    for shapes the compiled checker does not interpret, by pySHACL on the merged graph."""
    from kg.build.checks import supported

    return supported()


def _write_exports(out: Path, tmp: Path, chunks: list[tuple[str, Path]], onto: Path, check: bool = False,
                   cache_dir: Path | None = None, workers: _Workers | None = None, timings: dict | None = None,
                   nquads_written=None):
    """Stream welfare.nq and welfare.ttl from the per-report chunks into ``tmp``; ``nquads_written``
    is called with the named graphs as soon as welfare.nq is whole.

    Returns the staged files, the merged triple count, each named graph as a
    kg.store.GraphSource, and the splice state to install after the commit
    (None without a cache, or for a graph rdflib writes)."""
    by_source: dict[str, list[Path]] = {}
    for source, path in chunks:
        by_source.setdefault(source, []).append(path)
    graphs = [(ONTOLOGY_GRAPH, [onto])] + [(mint("report", s), sorted(set(by_source[s]))) for s in sorted(by_source)]

    prev = splice.load(cache_dir, out) if cache_dir else None
    nq_tmp = tmp / "welfare.nq"
    nq_args = (nq_tmp, graphs, prev.graphs if prev else None, out / "welfare.nq")
    running = workers.running() if workers is not None else None
    # A worker writes welfare.nq while the others and this process merge the triples.
    nquads = running.submit(_write_nquads, *nq_args) if running is not None else None
    if nquads is None:
        placed, sources = _write_nquads(*nq_args)
        if nquads_written is not None:
            nquads_written(sources)

    keyed = {p.stem: p for _, paths in graphs for p in paths}  # a chunk's stem is its cache key
    nt_tmp, ttl_tmp = tmp / "merged.nt", tmp / "welfare.ttl"
    state = None
    try:
        spliced = prev and splice.splice(prev, cache_dir, keyed, tmp, out / "welfare.ttl", _turtle_block)
    except (OSError, ValueError):  # a damaged state: merge afresh
        spliced = None
    if spliced and spliced[2].triples > RDFLIB_TURTLE_MAX:
        state = spliced[2]
        triples = state.triples
    else:
        shared: Counter = Counter()
        pool = workers.pool() if workers is not None and len(keyed) > 1 else None
        triples = _merge_files(list(keyed.values()), nt_tmp, tmp, shared, pool=pool)
        if triples <= RDFLIB_TURTLE_MAX:
            from rdflib import Graph

            g = bind_prefixes(Graph())
            g.parse(nt_tmp, format="nt")
            ttl_tmp.write_bytes(g.serialize(format="turtle").encode("utf-8"))
        else:
            offsets = _turtle(nt_tmp, ttl_tmp, pool, offsets=cache_dir is not None)
            if cache_dir is not None:
                state = splice.new_state(list(keyed), triples, {k: n + 1 for k, n in shared.items()}, nt_tmp, ttl_tmp,
                                         offsets)
    t = time.perf_counter()
    # SHACL before anything is replaced: a violation is a bug and keeps the previous exports.
    if check and _checks_split():  # each report's part was checked where it was built
        from kg.build.checks import require_shared

        require_shared(nt_tmp)
    elif check and triples <= VALIDATE_MAX_TRIPLES:
        from kg.stores.validate import check_file

        check_file(nt_tmp)
    if timings is not None and check:
        timings["validate"] = timings.get("validate", 0.0) + time.perf_counter() - t
    if nquads is not None:
        placed, sources = nquads.result()
        if nquads_written is not None:
            nquads_written(sources)
    if state is not None:
        state.graphs = placed
    staged_state = splice.stage(state, nt_tmp, tmp) if state is not None else None
    return [ttl_tmp, nq_tmp], triples, sources, staged_state  # renamed into place by build(), with the page


def _write_nquads(nq: Path, graphs: list, prev_graphs: dict | None, old_nq: Path):
    """welfare.nq: each graph's lines, or its bytes in the previous file if its chunks are the same.
    Returns where each graph is (for the splice state) and the graphs as kg.store.GraphSource."""
    from kg.stores.store import GraphSource

    sources, placed = [], {}
    with splice.Output(nq) as fh, (open(old_nq, "rb") if prev_graphs else nullcontext()) as old:
        for graph, paths in graphs:
            iri = str(graph)
            digest = hashlib.sha256("\0".join(p.stem for p in paths).encode()).hexdigest()
            start, was = fh.pos, prev_graphs.get(iri) if prev_graphs else None
            if was and was[0] == digest:  # the same chunks: the same lines as last time
                fh.copy(old, was[1], was[2])
                n = was[3]
            else:
                rows = paths[0].read_bytes() if len(paths) == 1 else b"".join(_merge_distinct(paths))
                # Every N-Triples line, and only its end, is " .\n" (a newline in a literal is escaped).
                fh.write(rows.replace(b" .\n", f" {graph.n3()} .\n".encode("utf-8")))
                n = rows.count(b"\n")
            placed[iri] = (digest, start, fh.pos - start, n)
            sources.append(GraphSource(iri, digest, tuple(paths), n))
    return placed, sources


def _merge_distinct(paths: list[Path], extra: Counter | None = None):
    """The sorted, distinct lines of sorted files; ``extra`` counts each line's repeats."""
    for batch in _merge_batches(paths, extra):
        yield from batch


#: Bytes of lines read from each file at a time while merging (MERGE_FAN_IN files: 13 MB at most),
#: unless all the files together are this small: then at once, in one batch. Larger buffers
#: were no faster and raised the peak memory of a 2,000-report build by ~100 MB.
MERGE_READ = 1 << 16
MERGE_IN_MEMORY = 8 << 20


def _merge_batches(paths: list[Path], extra: Counter | None = None):
    """``_merge_distinct`` a batch of lines at a time. Comparing lines one by one in
    heapq.merge is Python and cost 1 µs a line (2.1 s for the last merge at 2,000
    reports); here each file's buffered lines up to the smallest of their last lines
    (the cut) are taken together and sorted, counted and written by C code.

    Every line up to the cut is buffered (each file is sorted and distinct, and no
    buffer ends before the cut), and every line after it is greater: so the batches
    are sorted, distinct and in order, and each line's copies meet in one batch."""
    handles = [open(p, "rb") for p in paths]
    try:
        if len(handles) == 1:  # a chunk is already sorted and distinct
            yield from iter(lambda: handles[0].readlines(MERGE_READ), [])
            return
        if sum(os.fstat(h.fileno()).st_size for h in handles) <= MERGE_IN_MEMORY:  # a few small chunks
            yield _distinct_sorted([line for h in handles for line in h.readlines()], extra)
            return
        bufs = [h.readlines(MERGE_READ) for h in handles]
        live = [i for i, b in enumerate(bufs) if b]
        while live:
            cut = min(bufs[i][-1] for i in live)
            batch: list[bytes] = []
            sources = 0
            for i in live:
                buf = bufs[i]
                k = bisect_right(buf, cut)
                if k:
                    batch += buf[:k]
                    sources += 1
                    bufs[i] = buf[k:] or handles[i].readlines(MERGE_READ)
            live = [i for i in live if bufs[i]]
            # one file's lines (a stretch of one report's subjects) are sorted and distinct already
            yield batch if sources == 1 else _distinct_sorted(batch, extra)
    finally:
        for h in handles:
            h.close()


def _distinct_sorted(lines: list[bytes], extra: Counter | None) -> list[bytes]:
    counts = Counter(lines)
    if extra is not None and len(counts) < len(lines):
        extra.update({line: n - 1 for line, n in counts.items() if n > 1})
    return sorted(counts)


def _merge_files(paths: list[Path], target: Path, tmp: Path, extra: Counter | None = None,
                 pool: ProcessPoolExecutor | None = None) -> int:
    """Merge sorted files into ``target`` (sorted, distinct); a few at a time so
    thousands of reports never hold thousands of files open. Returns the line count.
    With a ``pool`` the workers merge the groups of the first levels.

    ``extra[line]`` ends as the number of files holding ``line`` minus one
    (repeats met at each level add up), which kg.splice needs."""
    level = 0
    while len(paths) > MERGE_FAN_IN:
        groups = [paths[i: i + MERGE_FAN_IN] for i in range(0, len(paths), MERGE_FAN_IN)]
        merged = [tmp / f"merge-{level}-{i}.nt" for i in range(len(groups))]
        for repeats in (pool.map if pool else map)(_merge_group, groups, merged):
            if extra is not None:
                extra.update(repeats)
        paths, level = merged, level + 1
    return _write_merged(paths, target, extra)


#: The same merge for the cube's chunks (kg.build.fold): a name of its own, so what counts or
#: replaces the graph's merge (the splice tests) does not see the cube's.
_merge_tables = _merge_files


def _merge_group(paths: list[Path], target: Path) -> Counter:
    """One group of a merge level (in a worker): returns each line's repeats."""
    repeats: Counter = Counter()
    _write_merged(paths, target, repeats)
    return repeats


def _write_merged(paths: list[Path], target: Path, extra: Counter | None) -> int:
    n = 0
    with open(target, "wb") as fh:
        for batch in _merge_batches(paths, extra):
            fh.write(b"".join(batch))  # writelines() writes line by line
            n += len(batch)
    return n


def oxigraph_turtle(nt_path: Path, ttl_path: Path) -> None:
    """Sorted N-Triples to Turtle through Oxigraph, streaming, with our prefixes.

    Sorted input keeps each subject's triples together, which is what lets the
    streaming serializer group them (``;`` and ``,``) as a readable file does."""
    _turtle_part(nt_path, 0, None, ttl_path)


def _turtle_part(nt_path: Path, start: int, end: int | None, ttl_path: Path, offsets: bool = False):
    """Turtle of the bytes [start, end) of sorted N-Triples, whole subjects, prefixes first;
    with ``offsets`` the subjects' offsets in both files (kg.build.splice), else None."""
    import pyoxigraph as ox

    with open(nt_path, "rb") as fh:
        fh.seek(start)
        src = fh if end is None else io.BufferedReader(_Bounded(fh, end - start), 1 << 20)
        # A file name to write to: Oxigraph then writes it itself, not through Python calls.
        ox.serialize(ox.parse(src, format=ox.RdfFormat.N_TRIPLES), str(ttl_path), format=ox.RdfFormat.TURTLE,
                     prefixes=_prefixes())
    if offsets:
        return splice.subject_offsets(nt_path, start, end), splice.block_offsets(ttl_path)
    return None


class _Bounded(io.RawIOBase):
    """The next ``size`` bytes of an open file."""

    def __init__(self, fh, size: int) -> None:
        self.fh, self.left = fh, size

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = self.fh.readinto(memoryview(buf)[: min(len(buf), self.left)])
        self.left -= n
        return n


def _turtle(nt: Path, ttl: Path, pool: ProcessPoolExecutor | None, offsets: bool):
    """welfare.ttl from the merged triples; with a pool, the second half of the subjects is
    written by a worker at the same time. Oxigraph writes each subject's block from its
    triples and the prefixes alone (kg.splice relies on it too), so the halves joined
    without the second's prefixes are the same bytes. Returns the subjects' offsets
    in both files when ``offsets`` (the splice state), else None."""
    split = _subject_boundary(nt, nt.stat().st_size // 2) if pool is not None else None
    if split is None:
        return _turtle_part(nt, 0, None, ttl, offsets)
    tail = ttl.with_name(ttl.name + ".tail")
    later = pool.submit(_turtle_part, nt, split, None, tail, offsets)
    head_off = _turtle_part(nt, 0, split, ttl, offsets)
    tail_off = later.result()
    header = _turtle_header(ttl)
    if _turtle_header(tail) != header:  # never seen; one writer then, to be sure of the bytes
        return _turtle_part(nt, 0, None, ttl, offsets)
    size = ttl.stat().st_size
    with open(tail, "rb") as src, open(ttl, "ab") as dst:
        src.seek(len(header))
        shutil.copyfileobj(src, dst, 1 << 22)
    tail.unlink()
    if not offsets:
        return None
    shift = size - len(header)
    return head_off[0] + tail_off[0], head_off[1] + array("q", [x + shift for x in tail_off[1]])


def _subject_boundary(nt: Path, pos: int) -> int | None:
    """Offset of the first subject that starts after ``pos`` in sorted N-Triples (None: none does)."""
    with open(nt, "rb") as fh:
        fh.seek(pos)
        fh.readline()  # the rest of a line
        first = fh.readline()
        if not first:
            return None
        subject, at = splice.subject(first), fh.tell()
        for line in fh:
            if splice.subject(line) != subject:
                return at
            at += len(line)
    return None


def _turtle_header(ttl: Path) -> bytes:
    """The prefix lines Oxigraph starts a Turtle file with."""
    out = []
    with open(ttl, "rb") as fh:
        for line in fh:
            if not line.startswith(b"@"):
                break
            out.append(line)
    return b"".join(out)


def _turtle_block(lines: list[bytes]) -> bytes:
    """One subject's sorted lines as Oxigraph writes them in welfare.ttl (prefixes first)."""
    import pyoxigraph as ox

    return ox.serialize(ox.parse(b"".join(lines), format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                        prefixes=_prefixes())


@lru_cache(maxsize=1)
def _prefixes() -> dict[str, str]:
    from rdflib import Graph

    prefixes = {p: str(ns) for p, ns in bind_prefixes(Graph()).namespaces() if p and p != "xml"}
    return dict(sorted(prefixes.items()))
