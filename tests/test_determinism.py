"""Same inputs, same bytes (issue 7): Turtle, N-Quads and the HTML page are
byte-identical across builds, processes (another hash seed), input order and
worker count. Inputs: two seed reports plus the same kinds of hostile files the
other tests use (GB18030, Windows line endings, a saved web page)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build.run import build
from seedtext import SEEDS, seed

EXPORTS = ("welfare.ttl", "welfare.nq", "welfare.html", "explorer.html", "cube.trig", "figures.csv")
KG = Path(sys.executable).with_name("kg")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> list[Path]:
    src = tmp_path_factory.mktemp("det-in")
    text = seed("004")
    head = text[: text.index("\n", 1500) + 1]
    files = [SEEDS / "000_d6bae9ba1e592f06.txt", SEEDS / "003_732ef90900c28abd.txt"]
    for name, data in {
        "004-gb18030.txt": head.encode("gb18030"),
        "004-crlf.txt": head.replace("\n", "\r\n").encode("utf-8"),
        "004-page.html": ("<html><body><nav>首页</nav><article>"
                          + "".join(f"<p>{line}</p>\n" for line in head.splitlines())
                          + "</article></body></html>").encode("utf-8"),
    }.items():
        (src / name).write_bytes(data)
        files.append(src / name)
    return files


@pytest.fixture(scope="module")
def first(inputs, tmp_path_factory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("det-a")
    build(inputs, out, use_cache=False, store=None)
    return _exports(out)


def _exports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in EXPORTS if (out / name).exists()}


def test_first_build_has_the_exports(first):
    assert {"welfare.ttl", "welfare.nq", "explorer.html"} <= set(first)
    assert all(first.values())


def test_rebuild_in_a_new_process_gives_the_same_bytes(inputs, first, tmp_path):
    """Another process with another hash seed, no cache: set and dict order cannot leak into the files."""
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = tmp_path / "out"
    subprocess.run([str(KG), "build", *map(str, inputs), "--out", str(out), "--no-cache",
                    "--store", str(tmp_path / "store")], check=True, env=env, capture_output=True)
    assert _exports(out) == first


def test_reversed_input_order_and_workers_give_the_same_bytes(inputs, first, tmp_path):
    build(list(reversed(inputs)), tmp_path / "out", use_cache=False, store=None, jobs=2)
    assert _exports(tmp_path / "out") == first


def test_report_lines_are_what_rdflib_writes(inputs, tmp_path):
    """kg.rdf.graph writes each report's N-Triples itself, without rdflib terms: read
    back by rdflib and written again by rdflib, the lines come out the same."""
    from decimal import Decimal

    from kg.rdf.graph import _decimal, _int, ntriples_rows, report_rows, report_triples

    records = build(inputs, tmp_path, use_cache=False, check=False).records
    assert records
    for rec in records:
        assert report_rows(rec) == ntriples_rows(report_triples(rec))
    # Values no seed may hold: exponents, trailing zeros, negatives.
    from rdflib import Literal
    from rdflib.namespace import XSD
    from rdflib.plugins.serializers.nt import _quoteLiteral

    for d in ("1E+4", "0.50", "-3.2", "1.2E-7", "-0", "12345678901234567890.5"):
        assert _decimal(Decimal(d)) == _quoteLiteral(Literal(Decimal(d), datatype=XSD.decimal))
    for n in (0, -5, 10 ** 20):
        assert _int(n) == _quoteLiteral(Literal(n))
