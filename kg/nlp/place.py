"""A figure's own place: the unit its clause names, where that overrides the report's region.

A county's standard stated in a prefecture's report (凉山州: 西昌市城市低保标准提高到每人每月
700元) is about 西昌市, not the prefecture. The figure keeps the report's region (kg.rdf.graph
writes it on the figure) unless its own clause, before the figure, names a unit that lies
inside the report's region: a place outside it (赴杭州市考察, 对口帮扶X县) is a destination or a
partner, not what the figure measures, and a report with no region of its own gives no frame
to tell the two apart, so its figures keep no place of their own.
"""
from __future__ import annotations

from kg.records import Region
from kg.vocab.regions import Gazetteer


def inside(reg: Region, outer: Region) -> bool:
    """``reg`` lies strictly within ``outer`` (a county of its city or province)."""
    p = reg.parent
    while p is not None:
        if p.code == outer.code:
            return True
        p = p.parent
    return False


def figure_region(clause_start: int, figure_start: int, mentions, report: Region | None,
                  gaz: Gazetteer) -> Region | None:
    """The unit named last in the figure's clause before it, if it lies inside the report's region.

    ``mentions`` are the report's mentions (kind, text, start in the normalised text)."""
    if report is None or not report.code:
        return None
    named = None
    for m in mentions:
        if m.kind == "region" and clause_start <= m.start and m.end <= figure_start:
            if named is None or m.start > named.start:
                named = m
    if named is None:
        return None
    reg = gaz.resolve(named.text, {report.code})
    if reg is None or not reg.code or not inside(reg, report):
        return None
    return reg
