"""Every IRI the graph mints, from one function.

IRIs depend only on the input (file names, names, offsets, labels), never on
run order or time, so the same input gives the same graph byte for byte.
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import URIRef

from .namespace import BASE

KINDS = ("report", "figure", "agency", "region", "programme", "group")


def _slug(s: str) -> str:
    return quote(s.strip(), safe="-._~")


def mint(kind: str, *parts: str) -> URIRef:
    """The IRI of a node.

    - ``mint("report", "000_x.txt")``: one per input file (named by its file name)
    - ``mint("figure", "000_x.txt", "120-127")``: a figure at its original offsets
    - ``mint("agency", "000_x.txt", "区民政局")``: one organisation within one report
    - ``mint("region", "331004")``: a region by division code (or by name without one)
    - ``mint("programme", "城市低保金")``: a concept for a wording the ontology lacks;
      the same wording in any report is the same node
    """
    if kind not in KINDS or not parts or any(not p for p in parts):
        raise ValueError(f"cannot mint a {kind!r} IRI from {parts!r}")
    if kind == "report":
        return URIRef(f"{BASE}data/report/{_slug(parts[0])}")
    if kind == "figure":
        return URIRef(f"{BASE}data/report/{_slug(parts[0])}/figure/{_slug(parts[1])}")
    if kind == "agency":
        return URIRef(f"{BASE}data/report/{_slug(parts[0])}/agency/{_slug(parts[1])}")
    if kind == "region":
        return URIRef(f"{BASE}data/region/{_slug(parts[0])}")
    digest = hashlib.sha1(parts[0].encode("utf-8")).hexdigest()[:12]
    return URIRef(f"{BASE}{kind}/new-{digest}")
