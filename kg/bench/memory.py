"""Memory at scale (issue 17): ``python -m kg.bench.memory --sizes 200 2000 20000 --workers 2``.

For each size N a generated corpus (kg.bench.corpus) is built through ``--engine dask`` on a
LocalCluster of ``--workers`` workers, each build in a fresh process, no cache, validation on
(as ``kg build``), by ``kg.bench.scale measure``: how long it took, the parent's peak RSS and the
largest worker's. ``--before DIR`` measures the same builds with the code checked out in DIR too
(PYTHONPATH=DIR for those children), so before and after come from one run on one machine.
``--reference-max N``: up to N reports, a ``--jobs 1`` build is made as well and every export
(welfare.ttl, welfare.nq, cube.trig, figures.csv, explorer.html) compared with the dask build's;
with ``--before``, the two codes' exports are compared at every size.

The issue's target: the parent's peak at 20,000 reports within 1.5× of its peak at 2,000.
Results in bench/memory.json and bench/MEMORY.md, which bench/RESULTS.md includes; this code's
builds also sample the parent's and the largest worker's RSS every 5 s (bench/memory-trace-N.tsv).
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

EXPORTS = ("welfare.ttl", "welfare.nq", "cube.trig", "figures.csv", "explorer.html")
SECTION = "## Memory at scale: the Dask parent from 200 to 20,000 reports (issue 17)"


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "-"


def _child(args: list[str], code: str | None = None, trace: Path | None = None) -> dict:
    env = dict(os.environ)
    if code:
        env["PYTHONPATH"] = code
    # This code's builds run through ``measure`` below, which also samples memory into ``trace``;
    # another checkout's through its own kg.bench.scale.
    module = ["kg.bench.scale"] if code or trace is None else ["kg.bench.memory", "--trace", str(trace)]
    # From /: with -m the working directory comes first on sys.path (kg.bench.scale._child).
    proc = subprocess.run([sys.executable, "-m", *module, *args], capture_output=True, text=True,
                          cwd="/", env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"kg.bench.scale {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _same(a: Path, b: Path) -> bool:
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in EXPORTS)


def run(sizes: list[int], workers: int, work: Path, before: str | None = None, reference_max: int = 200,
        log=print, results: Path | None = None) -> dict:
    from kg.bench.corpus import generate
    from kg.bench.run import machine, versions

    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {"machine": machine(), "versions": versions(), "workers": workers, "before": before, "sizes": {}}
    kept_before: dict = {}  # without --before, an earlier run's "before" rows stay
    if results is not None and results.exists():  # sizes measured by an earlier run (one size at a time)
        old = json.loads(results.read_text(encoding="utf-8"))
        if old.get("workers") == workers:
            res["sizes"] = {k: v for k, v in old.get("sizes", {}).items() if int(k) not in sizes}
            kept_before = {k: v["before"] for k, v in old.get("sizes", {}).items() if "before" in v}
    for n in sorted(sizes):
        corpus = work / f"corpus-{n}"
        if len(list(corpus.glob("*.txt"))) != n:  # generated afresh only when missing: the same N, the same files
            shutil.rmtree(corpus, ignore_errors=True)
            generate(n, corpus)
        row: dict = {"files": len(list(corpus.glob("*.txt")))}
        if not before and str(n) in kept_before:
            row["before"] = kept_before[str(n)]
        for name, code in (("before", before), ("after", None)):
            if name == "before" and not before:
                continue
            out = work / f"out-{n}-{name}"
            shutil.rmtree(out, ignore_errors=True)
            log(f"N={n}: --engine dask, {workers} workers ({name}) ...")
            load = _load()
            t = time.perf_counter()
            m = _child(["measure", str(corpus), str(out), "dask", str(workers)], code, work / f"trace-{n}-{name}.tsv")
            m["process_seconds"] = time.perf_counter() - t
            trace = work / f"trace-{n}-{name}.tsv"
            if name == "after" and results is not None and trace.exists():  # the memory over time, kept
                shutil.copy(trace, results.parent / f"memory-trace-{n}.tsv")
            m["load_at_start"], m["load_at_end"] = load, _load()
            row[name] = m
            if name == "after" and before:
                m["identical_to_before"] = _same(work / f"out-{n}-before", out)
            if name == "after" and n <= reference_max:
                ref = work / f"out-{n}-jobs1"
                shutil.rmtree(ref, ignore_errors=True)
                log(f"N={n}: --jobs 1 reference ...")
                _child(["measure", str(corpus), str(ref), "processes", "1"])
                m["identical_to_jobs1"] = _same(ref, out)
                shutil.rmtree(ref, ignore_errors=True)
            if name == "after":
                shutil.rmtree(out, ignore_errors=True)
        if before:
            shutil.rmtree(work / f"out-{n}-before", ignore_errors=True)
        res["sizes"][str(n)] = row
        if results is not None:  # after each size: a 20,000-report run is long
            results.write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")
    return res


def render(res: dict) -> str:
    m = res["machine"]
    w = res["workers"]
    lines = [SECTION, "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, shared with other jobs. "
             f"Date: {m['date']}. Reproduce: `python -m kg.bench.memory --sizes 200 2000 20000 --workers {w}` "
             "(part of `make bench`; add `--before DIR` to measure a checkout of older code beside it).",
             f"Each build: a fresh process, `--engine dask` on a LocalCluster of {w} workers, no cache, validation "
             "on, no store; the parent loads the pipeline before forking the workers (~250 MiB of the parent's "
             "peak). Peak RSS is the process's `ru_maxrss`; the worker column is the largest of its child processes' (the Dask workers, and the merge's two processes forked from the parent after the extraction, whose pages it shares). "
             "Seconds: the build, pipeline loaded (the child process's whole life in brackets).", "",
             "| reports | code | s | reports/s | parent peak MiB | largest worker peak MiB | triples "
             "| load average at start → end | same bytes |",
             "|---:|---|---:|---:|---:|---:|---:|---|---|"]
    sizes = sorted(res["sizes"], key=int)
    for n in sizes:
        row = res["sizes"][n]
        for name in ("before", "after"):
            r = row.get(name)
            if r is None:
                continue
            same = {True: "as --jobs 1", False: "**not as --jobs 1**", None: ""}[r.get("identical_to_jobs1")]
            if r.get("identical_to_before") is not None:
                same += f"{'; ' if same else ''}{'same' if r['identical_to_before'] else '**not the same**'} as before"
            lines.append(f"| {int(n):,} | {name} | {r['seconds']:.0f} ({r['process_seconds']:.0f}) "
                         f"| {r['reports'] / r['seconds']:.1f} | {r['parent_maxrss_mib']:.0f} "
                         f"| {r['worker_maxrss_mib']:.0f} | {r['triples']:,} "
                         f"| {r['load_at_start']} → {r['load_at_end']} | {same} |")
    after = {int(n): res["sizes"][n]["after"]["parent_maxrss_mib"] for n in sizes if "after" in res["sizes"][n]}
    if 2000 in after and 20000 in after:
        ratio = after[20000] / after[2000]
        lines += ["", f"Parent peak at 20,000 reports / at 2,000: {after[20000]:.0f} / {after[2000]:.0f} MiB = "
                      f"×{ratio:.2f} (target ≤ ×1.5: {'met' if ratio <= 1.5 else 'NOT met'})."]
    elif len(after) > 1:
        lo, hi = min(after), max(after)
        lines += ["", f"Parent peak at {hi:,} reports / at {lo:,}: ×{after[hi] / after[lo]:.2f}."]
    return "\n".join(lines) + "\n"


def _rss_mib(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20
    except (OSError, ValueError, IndexError):
        return 0.0


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = []
        for task in Path(f"/proc/{p}/task").glob("*"):  # a child is listed under the thread that started it
            try:
                kids += [int(x) for x in (task / "children").read_text().split()]
            except OSError:
                pass
        found += kids
        todo += kids
    return found


def traced_measure(trace: Path, args: list[str]) -> dict:
    """kg.bench.scale.measure, with the parent's and the largest worker's RSS and the shards
    written so far sampled every 5 s into ``trace`` (tab-separated), so a long run shows how the
    memory moved while it went, and what it had reached if it is stopped."""
    import threading

    from kg.bench.scale import measure

    corpus, out, engine, workers = args[1:5]
    t0 = time.perf_counter()
    done = threading.Event()

    def sample() -> None:
        with open(trace, "w", encoding="utf-8") as fh:
            fh.write("seconds\tparent_rss_mib\tlargest_worker_rss_mib\tshards_written\n")
            while not done.wait(5.0):
                shards = sum(1 for d in Path(out).glob(".kg-*") if d.is_dir() for _ in d.glob("*.nt"))
                workers_rss = max((_rss_mib(p) for p in _descendants(os.getpid())), default=0.0)
                fh.write(f"{time.perf_counter() - t0:.0f}\t{_rss_mib(os.getpid()):.0f}\t{workers_rss:.0f}\t{shards}\n")
                fh.flush()

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        return measure(Path(corpus), Path(out), engine, int(workers), "--store" in args)
    finally:
        done.set()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--trace"] and argv[2:3] == ["measure"]:  # a child of run()
        print(json.dumps(traced_measure(Path(argv[1]), argv[2:])))
        return 0
    ap = argparse.ArgumentParser(prog="python -m kg.bench.memory", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 20000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--before", help="a checkout of older code: its builds measured beside this code's")
    ap.add_argument("--reference-max", type=int, default=200, help="compare with --jobs 1 up to this many reports")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-memory"))
    ap.add_argument("--out", type=Path, default=Path("bench/MEMORY.md"))
    ap.add_argument("--render", action="store_true", help="only re-render --out from memory.json beside it")
    a = ap.parse_args(argv)
    results = a.out.parent / "memory.json"
    if not a.render:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        run(a.sizes, a.workers, a.work, a.before, a.reference_max,
            log=lambda s: print(s, file=sys.stderr, flush=True), results=results)
    text = render(json.loads(results.read_text(encoding="utf-8")))
    notes = a.out.parent / "MEMORY-NOTES.md"  # what the numbers led to, kept by hand
    if notes.exists():
        text += "\n" + notes.read_text(encoding="utf-8").strip() + "\n"
    a.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
