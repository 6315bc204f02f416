"""Scale benchmark (issue 17): ``python -m kg.bench.scale --sizes 200 2000 --workers 1 2 4``.

For each size N a generated corpus (kg.bench.corpus) is built, each build in a fresh
process, no cache, validation on (as ``kg build`` does):

- ``--jobs 1``: the reference bytes, the validation share, the store load time;
- ``--engine dask`` on a LocalCluster of 1, 2, 4 workers: wall time, throughput per
  worker as a ratio to bare ``jieba.cut`` over the same text in the same run, the
  parent's and the largest worker's peak memory, and whether the exports are
  byte-identical to ``--jobs 1``;

and, once, the whole ``kg build`` command (process start, model loading, validation,
store) against a bare jieba process over the same 300 reports, side by side.
The tables and the decisions go into bench/SCALE.md, which bench/RESULTS.md includes.
"""
from __future__ import annotations

import argparse
import filecmp
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

EXPORTS = ("welfare.ttl", "welfare.nq")
SECTION = "## Scale: the Dask engine, validation and stores (issue 17)"


def measure(corpus: Path, out: Path, engine: str, workers: int, store: bool, address: str | None = None) -> dict:
    """One build in this process (the child); the pipeline is loaded before the clock."""
    from kg.build.run import _warm, build

    _warm(None)
    t, cpu = time.perf_counter(), time.process_time()
    res = build([corpus], out, jobs=workers, use_cache=False, check=True, engine=engine, address=address,
                store=out / "store" if store else None)
    wall = time.perf_counter() - t
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, reaped when the build closed them
    return {"seconds": wall, "cpu_seconds": time.process_time() - cpu,
            "children_cpu_seconds": children.ru_utime + children.ru_stime, "reports": len(res.records),
            "triples": res.triples, "timings": res.timings, "validated": res.validated,
            "parent_maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "worker_maxrss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def jieba_reference(corpus: Path) -> dict:
    """Bare jieba.cut over the corpus's text, dictionary loaded before the clock (as our pipeline is)."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    t, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        for _ in jieba.cut(text):
            pass
    return {"chars": sum(map(len, texts)), "jieba_seconds": time.perf_counter() - t,
            "jieba_cpu_seconds": time.process_time() - cpu}


JIEBA_PROCESS = """
import sys, pathlib, jieba
jieba.setLogLevel(60)
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    for _ in jieba.cut(p.read_text(encoding="utf-8")):
        pass
"""


def _child(*args: str) -> dict:
    # Run from /: with ``-m`` the working directory comes first on sys.path, before PYTHONPATH, and a
    # checkout there would be imported (and its ontology read) instead of the code being measured.
    proc = subprocess.run([sys.executable, "-m", "kg.bench.scale", *args], capture_output=True, text=True, cwd="/")
    if proc.returncode != 0:
        raise RuntimeError(f"kg.bench.scale {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd="/")  # as _child
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t


def _same(a: Path, b: Path) -> bool:
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in EXPORTS)


def cluster_threads(address: str) -> int:
    """Worker threads the scheduler at ``address`` has now."""
    from distributed import Client

    with Client(address, timeout="20s") as client:
        return sum(client.nthreads().values())


def run(sizes: list[int], workers: list[int], work: Path, cli_reports: int = 300, log=print,
        address: str | None = None) -> dict:
    """``address``: dask rows on that scheduler (its workers as they are) instead of LocalClusters."""
    from kg.bench.corpus import generate
    from kg.bench.run import machine, versions

    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    res: dict = {"machine": machine(), "versions": versions(), "sizes": {}, "address": address}
    if address:
        workers = [cluster_threads(address)]
    for n in sorted(sizes):
        corpus = work / f"corpus-{n}"
        generate(n, corpus)
        row: dict = {"reference": _child("jieba", str(corpus))}
        ref = work / f"out-{n}-jobs1"
        shutil.rmtree(ref, ignore_errors=True)
        log(f"N={n}: --jobs 1 (validation, store) ...")
        row["jobs1"] = _child("measure", str(corpus), str(ref), "processes", "1", "--store")
        for w in workers:
            out = work / f"out-{n}-dask{w}"
            shutil.rmtree(out, ignore_errors=True)
            log(f"N={n}: --engine dask, {w} workers ...")
            row[f"dask{w}"] = m = _child("measure", str(corpus), str(out), "dask", str(w),
                                          *(["--address", address] if address else []))
            m["identical"] = _same(ref, out)
            shutil.rmtree(out, ignore_errors=True)
        res["sizes"][n] = row
    corpus = work / f"corpus-{cli_reports}"
    generate(cli_reports, corpus)
    out = work / f"out-{cli_reports}-cli"
    shutil.rmtree(out, ignore_errors=True)
    log(f"N={cli_reports}: the kg build command against a bare jieba process ...")
    env_py = [sys.executable]
    res["cli"] = {"reports": cli_reports,
                  "kg_build_seconds": _wall(env_py + ["-m", "kg.cli", "build", str(corpus), "--out", str(out)]),
                  "jieba_process_seconds": _wall(env_py + ["-c", JIEBA_PROCESS, str(corpus)])}
    return res


def render(res: dict) -> str:
    m = res["machine"]
    lines = [SECTION, "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; load average at the start "
             f"{m.get('load', '-')} (shared with other jobs). Date: {m['date']}. "
             "Reproduce: `python -m kg.bench.scale --sizes 200 2000 --workers 1 2 4` (part of `make bench`).",
             "Every build: a fresh process, no cache, validation on (per report in the workers, the shared part "
             "once), exports compared byte for byte with `--jobs 1`. Throughput per worker is chars/s ÷ workers, "
             "as a ratio to bare `jieba.cut` in one process over the same text in the same run.", "",
             "CPU ratio: bare jieba's chars per CPU second over ours (the parent's and all workers' CPU time), "
             "robust to other jobs on the machine.", "",
             "| reports | build | s | chars/s | per worker / jieba | CPU ratio | validation % | parent peak MiB "
             "| largest worker peak MiB | store s | same bytes as --jobs 1 |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for n in sorted(res["sizes"], key=int):
        row = res["sizes"][n]
        chars, jcps = row["reference"]["chars"], row["reference"]["chars"] / row["reference"]["jieba_seconds"]
        for name, r in row.items():
            if name == "reference":
                continue
            w = 1 if name == "jobs1" else int(name[4:])
            cps = chars / r["seconds"]
            share = 100 * r["timings"].get("validate", 0) / r["seconds"] if name == "jobs1" else None
            label = "--jobs 1" if name == "jobs1" else \
                f"{'dask cluster' if res.get('address') else 'dask'}, {w} worker{'s' if w > 1 else ''}"
            store = f"{r['timings']['store']:.2f}" if "store" in r["timings"] else ""
            same = "yes (reference)" if name == "jobs1" else "yes" if r.get("identical") else "**NO**"
            jcpu = row["reference"].get("jieba_cpu_seconds")
            ours = r["cpu_seconds"] + r.get("children_cpu_seconds", 0.0) if "children_cpu_seconds" in r else None
            cpu_ratio = f"{jcpu / ours:.2f}" if jcpu and ours else "-"
            lines.append(f"| {int(n):,} | {label} | {r['seconds']:.1f} | {cps:,.0f} | {cps / w / jcps:.2f} | {cpu_ratio} "
                         f"| {'' if share is None else f'{share:.1f}'} | {r['parent_maxrss_mib']:.0f} "
                         f"| {r['worker_maxrss_mib']:.0f} | {store} | {same} |")
    c = res["cli"]
    ratio = c["jieba_process_seconds"] / c["kg_build_seconds"]
    lines += ["", f"Whole `kg build` command (process start, model loading, validation, store, page) on "
                  f"{c['reports']} generated reports: {c['kg_build_seconds']:.1f} s; a bare jieba process over the "
                  f"same files (import, dictionary, cut): {c['jieba_process_seconds']:.1f} s; "
                  f"throughput ratio {ratio:.2f}× bare jieba (issue floor 0.5, aim 1.0).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["measure"]:
        corpus, out, engine, workers = argv[1:5]
        address = argv[argv.index("--address") + 1] if "--address" in argv else None
        print(json.dumps(measure(Path(corpus), Path(out), engine, int(workers), "--store" in argv, address)))
        return 0
    if argv[:1] == ["jieba"]:
        print(json.dumps(jieba_reference(Path(argv[1]))))
        return 0
    ap = argparse.ArgumentParser(prog="python -m kg.bench.scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--cli-reports", type=int, default=300)
    ap.add_argument("--address", help="a running Dask scheduler (tcp://HOST:8786) for the dask rows")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-scale"))
    ap.add_argument("--out", type=Path, default=Path("bench/SCALE.md"))
    ap.add_argument("--render", type=Path, help="only re-render --out from a scale.json")
    a = ap.parse_args(argv)
    if a.render:
        res = json.loads(a.render.read_text(encoding="utf-8"))
    else:
        res = run(a.sizes, a.workers, a.work, a.cli_reports, log=lambda s: print(s, file=sys.stderr, flush=True),
                  address=a.address)
        a.out.parent.mkdir(parents=True, exist_ok=True)
        (a.out.parent / "scale.json").write_text(json.dumps(res, indent=1, default=str), encoding="utf-8")
    notes = a.out.parent / "SCALE-DECISIONS.md"
    text = render(res) + ("\n" + notes.read_text(encoding="utf-8").strip() + "\n" if notes.exists() else "")
    a.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
