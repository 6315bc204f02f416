"""Every IRI the graph mints, from one function.

IRIs depend only on the input (file names, names, offsets, labels), never on
run order or time, so the same input gives the same graph byte for byte.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

from kg.vocab.namespace import BASE

KINDS = ("report", "figure", "agency", "region", "programme", "group", "table", "observation", "period", "rule")


@lru_cache(maxsize=8192)
def _slug(s: str) -> str:
    # Cached: a report's file name is quoted again for each of its figures.
    return quote(s.strip(), safe="-._~")


def mint(kind: str, *parts: str) -> URIRef:
    """The IRI of a node.

    - ``mint("report", "000_x.txt")``: one per input file (named by its file name)
    - ``mint("figure", "000_x.txt", "120-127")``: a figure at its original offsets
    - ``mint("table", "000_x.txt", "0")``: a report's tables, by their order in it
    - ``mint("agency", "000_x.txt", "区民政局")``: one organisation within one report
    - ``mint("region", "331004")``: a region by division code (or by name without one)
    - ``mint("rule", "clause-names-it")``: an extraction rule by its name (kg.nlp.rules)
    - ``mint("observation", "000_x.txt", "120-127")``: the cube observation of that figure (kg.rdf.cube)
    - ``mint("period", "2023-01-01", "2023-12-31")``: a period by its first and last day
    - ``mint("programme", "城市低保金")``: a concept for a wording the ontology lacks;
      the same wording in any report is the same node
    """
    return URIRef(mint_str(kind, *parts))


def mint_str(kind: str, *parts: str) -> str:
    """``mint`` as a plain string, for the graph stage, which writes N-Triples text."""
    if kind not in KINDS or not parts or any(not p for p in parts):
        raise ValueError(f"cannot mint a {kind!r} IRI from {parts!r}")
    if kind == "report":
        return f"{BASE}data/report/{_slug(parts[0])}"
    if kind == "figure":
        return f"{BASE}data/report/{_slug(parts[0])}/figure/{_slug(parts[1])}"
    if kind == "table":
        return f"{BASE}data/report/{_slug(parts[0])}/table/{_slug(parts[1])}"
    if kind == "agency":
        return f"{BASE}data/report/{_slug(parts[0])}/agency/{_slug(parts[1])}"
    if kind == "observation":
        return f"{BASE}data/report/{_slug(parts[0])}/observation/{_slug(parts[1])}"
    if kind == "period":
        return f"{BASE}data/period/{_slug(parts[0])}/{_slug(parts[1])}"
    if kind == "region":
        return f"{BASE}data/region/{_slug(parts[0])}"
    if kind == "rule":
        return f"{BASE}rule/{_slug(parts[0])}"
    digest = hashlib.sha1(parts[0].encode("utf-8")).hexdigest()[:12]
    return f"{BASE}{kind}/new-{digest}"
