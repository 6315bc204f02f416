"""Cost of reading the build cache, this checkout against another (issue 20: JSON entries
replaced pickles, which could run code). Rerun:

    python bench/cache_format.py 200 --reference /path/to/checkout-with-pickles

Generates N reports (kg.bench.corpus) once, builds them once with each code version (the
cache written), then times fully cached rebuilds with each, alternating, in fresh processes;
prints each run and the ratio of the best times (this checkout / reference), for reading
the cache and for the whole rebuild. The machine is shared: compare the ratio, not seconds.
"""
import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
PROG = ("import sys, time, json; from kg.build.run import build, _warm; _warm(None); "
        "t=time.perf_counter(); r=build([sys.argv[1]], sys.argv[2], check=False, profile=True); "
        "print(json.dumps({'s': time.perf_counter()-t, 'cache read': r.timings.get('cache read'), 'cached': r.cached}))")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--reference", required=True, help="a checkout of the code to compare with")
    ap.add_argument("--work", default="/tmp/kg-cache-bench")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    code = {"reference": a.reference, "this checkout": str(HERE)}
    corpus = work / f"corpus-{a.n}"
    if not corpus.exists():
        subprocess.run([sys.executable, "-c", f"from kg.bench.corpus import generate; generate({a.n}, {str(corpus)!r})"],
                       env={**os.environ, "PYTHONPATH": str(HERE)}, check=True)

    def run(name: str) -> dict:
        out = work / f"out-{a.n}-{name.replace(' ', '-')}"
        p = subprocess.run([sys.executable, "-c", PROG, str(corpus), str(out)],
                           env={**os.environ, "PYTHONPATH": code[name]}, check=True, capture_output=True, text=True)
        return json.loads(p.stdout.strip().splitlines()[-1])

    for name in code:
        run(name)  # the cache written
    res = {name: [] for name in code}
    for _ in range(a.rounds):
        for name in code:
            res[name].append(run(name))
    for name, runs in res.items():
        print(f"{name}: cached {runs[0]['cached']}, rebuild s {[round(r['s'], 2) for r in runs]}, "
              f"cache read s {[round(r['cache read'], 2) for r in runs]}")
    best = {n: min(r["cache read"] for r in runs) for n, runs in res.items()}
    whole = {n: min(r["s"] for r in runs) for n, runs in res.items()}
    print(f"this checkout / reference: cache read {best['this checkout'] / best['reference']:.2f}, "
          f"whole rebuild {whole['this checkout'] / whole['reference']:.2f}")


if __name__ == "__main__":
    main()
