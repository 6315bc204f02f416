"""The whole ``kg build`` process against a bare jieba process, side by side (issue 17):
``python -m kg.bench.whole --reports 300 --runs 2``.

The floor of issue 17 is about the command a user runs, not the extraction alone: process
start, imports, model loading, per-report checks, the merged exports, the explorer page, the
cube, figures.csv and the store all count. So both sides are separate processes over the same
generated files (kg.bench.corpus), started one after the other, ``--runs`` times in turn, so
a change in the machine's load falls on both:

- ``kg build CORPUS --out OUT --no-cache`` (as ``python -m kg.cli``; the store is OUT/store,
  the default);
- a bare jieba process: import, dictionary, ``jieba.cut`` over every file.

CPU is user + system time of the process and anything it started (``getrusage`` of the
reaped children); it is what to trust on a shared machine. Wall is reported too: ``kg build``
may use a second core (it loads the store in a child process while it writes the other
exports), bare jieba never does, so the wall ratio can be better than the CPU ratio.

``--reference-code CHECKOUT`` builds with another checkout's kg too in each round (main before a
change: before and after measured side by side). ``--parts`` also builds once in this process with ``profile=True`` and prints the seconds of
each part (BuildResult.timings), to say where the time goes. Nothing here asserts a time.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

CODE = Path(__file__).resolve().parents[2]  # this checkout

JIEBA_PROCESS = """
import sys, pathlib, jieba
jieba.setLogLevel(60)
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.txt")):
    for _ in jieba.cut(p.read_text(encoding="utf-8")):
        pass
"""


def timed(cmd: list[str], code: Path | None = None) -> dict:
    """Wall and CPU (user + system, the process and its children) of one command; ``code``:
    the checkout whose kg it imports (else this one's)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code or CODE)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    # From /: with ``-m`` the working directory would come first on sys.path, before PYTHONPATH.
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd="/", env=env)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def side_by_side(corpus: Path, out: Path, runs: int, reference: Path | None = None, log=print) -> list[dict]:
    """``runs`` rounds of: kg build (this checkout), kg build (``reference``, another checkout, if
    given), bare jieba; one after the other, so each round meets the same load."""
    rows = []
    build = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--no-cache"]
    for i in range(runs):
        row: dict = {"run": i + 1, "load": _load()}
        shutil.rmtree(out, ignore_errors=True)
        row["kg"] = timed(build)
        if reference is not None:
            shutil.rmtree(out, ignore_errors=True)
            row["reference"] = timed(build, reference)
        row["jieba"] = ref = timed([sys.executable, "-c", JIEBA_PROCESS, str(corpus)])
        for name in ("kg", "reference"):
            if name in row:
                row[name]["cpu_ratio"] = ref["cpu"] / row[name]["cpu"]
                row[name]["wall_ratio"] = ref["wall"] / row[name]["wall"]
        log(f"run {i + 1}: " + "; ".join(f"{name} {r['cpu']:.2f} s CPU, {r['wall']:.2f} s wall"
                                         + (f" ({r['cpu_ratio']:.2f}x CPU, {r['wall_ratio']:.2f}x wall)" if name != "jieba" else "")
                                         for name, r in row.items() if isinstance(r, dict)))
        rows.append(row)
    return rows


def parts(corpus: Path, out: Path) -> dict:
    """One build in a fresh process, each part's seconds (wall, one process: ~CPU but for the store)."""
    code = ("import json, sys, time; from pathlib import Path; from kg.build.run import _warm, build; "
            "_warm(None); warm = time.process_time(); "
            "t, c = time.perf_counter(), time.process_time(); "
            "r = build([sys.argv[1]], sys.argv[2], use_cache=False, store=Path(sys.argv[2]) / 'store', profile=True); "
            "print(json.dumps({'warm_cpu': warm, 'build_wall': time.perf_counter() - t, "
            "'build_cpu': time.process_time() - c, 'timings': r.timings}))")
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([sys.executable, "-c", code, str(corpus), str(out)], capture_output=True, text=True, cwd="/",
                          env={**os.environ, "PYTHONPATH": str(CODE)})
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "-"


SECTION = "## The whole `kg build` process against bare jieba (issue 17)"


def render(res: dict) -> str:
    ref = res.get("reference_code")
    lines = [SECTION, "", f"Measured {res.get('date', '')} with `python -m kg.bench.whole` (part of `make bench`). "
             f"{res['reports']} generated reports; `kg build --no-cache` (validation, store, page, cube, CSV) "
             + (f"of this checkout and of {ref} (`{res.get('reference_commit', '?')}`), " if ref else "")
             + "and a bare jieba process (import, dictionary, cut), in turn; CPU = user + sys of the process and "
             "its children.", "",
             "| run | load | build | build CPU s | build wall s | jieba CPU s | jieba wall s | ratio CPU | ratio wall |",
             "|---:|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in res["runs"]:
        j = r["jieba"]
        for name, label in (("reference", "before"), ("kg", "this checkout")):
            if name in r:
                k = r[name]
                lines.append(f"| {r['run']} | {r['load']} | {label} | {k['cpu']:.2f} | {k['wall']:.2f} | {j['cpu']:.2f} "
                             f"| {j['wall']:.2f} | {k['cpu_ratio']:.2f}× | {k['wall_ratio']:.2f}× |")
    if len(res["runs"]) > 1:
        from statistics import median

        med = {name: (median(r[name]["cpu"] for r in res["runs"]), median(r[name]["cpu_ratio"] for r in res["runs"]),
                      median(r[name]["wall_ratio"] for r in res["runs"]))
               for name in ("kg", "reference") if name in res["runs"][0]}
        lines += ["", f"Median of {len(res['runs'])} rounds: bare jieba {median(r['jieba']['cpu'] for r in res['runs']):.2f} s CPU; "
                  + "; ".join(f"{'before' if name == 'reference' else 'this checkout'} {c:.2f} s CPU, {cr:.2f}× in CPU, "
                              f"{wr:.2f}× in wall" for name, (c, cr, wr) in med.items()) + "."]
    if res.get("parts"):
        p = res["parts"]
        lines += ["", f"In one process: imports and model loading {p['warm_cpu']:.2f} s CPU; the build "
                      f"{p['build_cpu']:.2f} s CPU (this process; the store's child apart), {p['build_wall']:.2f} s wall. "
                      "Seconds per part (wall, `BuildResult.timings`): "
                  + ", ".join(f"{k} {v:.2f}" for k, v in p["timings"].items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.bench.whole", description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=300)
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--parts", action="store_true", help="also time each part of one build in one process")
    ap.add_argument("--reference-code", type=Path, help="another checkout (e.g. main before a change), built in each run too")
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-whole"))
    ap.add_argument("--json", type=Path, help="write the numbers here too")
    ap.add_argument("--out", type=Path, help="write the table here (bench/WHOLE.md, which bench/RESULTS.md "
                                              "includes), followed by bench/WHOLE-NOTES.md if there is one")
    ap.add_argument("--render", type=Path, help="only re-render --out from a --json file")
    a = ap.parse_args(argv)
    if a.render:
        res = json.loads(a.render.read_text(encoding="utf-8"))
    else:
        res = measure(a)
    text = render(res)
    if a.out:
        notes = a.out.with_name(a.out.stem + "-NOTES.md")
        a.out.write_text(text + ("\n\n" + notes.read_text(encoding="utf-8").strip() if notes.exists() else "") + "\n",
                         encoding="utf-8")
    print(text)
    return 0


def measure(a) -> dict:
    import datetime as dt

    from kg.bench.corpus import generate

    work = a.work.resolve()
    corpus = work / f"corpus-{a.reports}"
    generate(a.reports, corpus)
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    res: dict = {"reports": a.reports, "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    if a.reference_code:
        res["reference_code"] = str(a.reference_code)
        head = subprocess.run(["git", "-C", str(a.reference_code), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True)
        res["reference_commit"] = head.stdout.strip() or "?"
    res["runs"] = side_by_side(corpus, work / "out", a.runs, a.reference_code, log)
    if a.parts:
        res["parts"] = parts(corpus, work / "out-parts")
    if a.json:
        a.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return res


if __name__ == "__main__":
    sys.exit(main())
