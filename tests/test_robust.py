"""Nothing lost, nothing wrong, whatever the user does (issue 20).

Each test does what the issue's careless or hostile user did, with the real
command or library call on reports made from the seeds: same-named reports in two
folders, a build into its own input folder, reports dropped from the input, hostile
file names, planted cache entries, two builds at once, kill -9 of a build (and of
its parent) at random moments, runaway queries. Reports are the first lines of a
seed, so a build takes a second or two.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.build.run import build
from kg.cli import main
from kg.rdf.iris import mint
from seedtext import seed

ROOT = Path(__file__).resolve().parent.parent


def _head(text: str, chars: int) -> str:
    return text[: text.index("\n", chars) + 1]


SHORT_A = _head(seed("001"), 500)  # 市民政局 …: a few figures
SHORT_B = _head(seed("003"), 500)  # 路桥区民政局 …


def _sources(ttl: Path) -> dict[str, str]:
    """report IRI -> dcterms:source of a built welfare.ttl."""
    g = Graph().parse(ttl)
    return {str(s): str(o) for s, o in g.subject_objects(DCTERMS.source)}


# ---------------------------------------------------------------- identity


def test_same_file_name_in_two_folders_gives_two_reports(tmp_path):
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    (tmp_path / "in" / "a" / "report.txt").write_text(SHORT_A, encoding="utf-8")
    (tmp_path / "in" / "b" / "report.txt").write_text(SHORT_B, encoding="utf-8")
    result = build([tmp_path / "in"], tmp_path / "out")  # validated: two titles on one report broke the shapes
    assert len(result.records) == 2 and result.validated
    assert _sources(tmp_path / "out" / "welfare.ttl") == {
        str(mint("report", "a/report.txt")): "a/report.txt", str(mint("report", "b/report.txt")): "b/report.txt"}
    # Two folders given side by side: named from their common folder, still two.
    again = build([tmp_path / "in" / "a", tmp_path / "in" / "b"], tmp_path / "out2", check=False)
    assert sorted(r.source for r in again.records) == ["a/report.txt", "b/report.txt"]
    # The cache keys them apart too: a rebuild reads nothing and changes nothing.
    before = (tmp_path / "out" / "welfare.nq").read_bytes()
    rebuilt = build([tmp_path / "in"], tmp_path / "out")
    assert (rebuilt.extracted, rebuilt.cached) == (0, 2)
    assert (tmp_path / "out" / "welfare.nq").read_bytes() == before


def test_a_flat_folder_keeps_file_names_as_identity(tmp_path):
    """The seeds' IRIs and sources (and so their exports) are what they were: the file name."""
    from kg.build.inputs import collect

    found, skipped = collect([ROOT / "seeds"], tmp_path)
    assert [i.source for i in found] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt")) and not skipped
    one, _ = collect([ROOT / "seeds" / "003_732ef90900c28abd.txt"])
    assert [i.source for i in one] == ["003_732ef90900c28abd.txt"]


@pytest.mark.parametrize("twice", [1, 2])
def test_a_build_into_its_own_input_folder_reads_only_reports(tmp_path, twice):
    io = tmp_path / "io"
    io.mkdir()
    (io / "report.txt").write_text(SHORT_A, encoding="utf-8")
    for _ in range(twice):
        r = CliRunner().invoke(main, ["build", str(io), "--out", str(io)])
        assert r.exit_code == 0, r.output
        assert "Built 1 reports" in r.output
    assert set(_sources(io / "welfare.ttl").values()) == {"report.txt"}
    # A report folder with the exports inside it: the same.
    r = CliRunner().invoke(main, ["build", str(io), "--out", str(io / "exports")])
    assert r.exit_code == 0 and "Built 1 reports" in r.output, r.output
    r = CliRunner().invoke(main, ["build", str(io), "--out", str(io / "exports")])
    assert "Built 1 reports" in r.output, r.output


def test_an_export_named_as_input_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "report.txt").write_text(SHORT_A, encoding="utf-8")
    build([tmp_path / "report.txt"], tmp_path, check=False)
    r = CliRunner().invoke(main, ["build", str(tmp_path / "report.txt"), str(tmp_path / "welfare.html"),
                                  "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert f"skipped {tmp_path / 'welfare.html'}: written by kg build" in r.output


def test_file_names_that_are_not_utf8_build_with_escaped_names(tmp_path):
    """A Latin-1 file name stopped the corpus with UnicodeEncodeError in the IRI slug."""
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    for name, text in ((b"caf\xe9.txt", SHORT_A), ("民政.txt".encode("gb18030"), SHORT_B)):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(text.encode("utf-8"))
    r = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    sources = set(_sources(tmp_path / "out" / "welfare.ttl").values())
    assert sources == {"caf\\xe9.txt", "\\xc3\\xf1\\xd5\\xfe.txt"}


def test_names_that_read_the_same_once_escaped_are_not_merged(tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    for name in (b"caf\xe9.txt", b"caf\\xe9.txt"):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(SHORT_A.encode("utf-8"))
    r = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-validate"])
    assert r.exit_code == 0, r.output
    assert "Built 1 reports" in r.output
    assert "once undecodable bytes are escaped (caf\\xe9.txt); rename one of them" in r.output


def test_hostile_characters_in_a_name_stay_one_report_with_that_name(tmp_path):
    (tmp_path / "in").mkdir()
    name = 'a "q" <x> #%E9 {y}\\ z?.txt'
    (tmp_path / "in" / name).write_text(SHORT_A, encoding="utf-8")
    build([tmp_path / "in"], tmp_path / "out")
    assert _sources(tmp_path / "out" / "welfare.ttl") == {str(mint("report", name)): name}
    ds = Dataset().parse(tmp_path / "out" / "welfare.nq", format="nquads")
    assert {str(c) for _, _, _, c in ds.quads((None, DCTERMS.source, None, None))} == {str(mint("report", name))}
