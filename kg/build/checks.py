"""The build's SHACL validation, split where the graph splits (issue 17).

Every node a report mints (the report, its figures, its agencies) has its IRI under
that report's own (``data/report/<file>``), so its triples are all in that report's
graph: the shapes of those nodes are checked where the report is built, on its graph
with the ontology as background (for the classes and schemes its values point to).
What spans reports (regions, concepts, the vocabulary) is checked once on the merged
triples whose subjects no report owns: a small part of the whole, however large the
corpus. Both with kg.stores.shacl, the compiled checker of our shapes.

A cache entry that was checked carries a marker (``<key>.shacl``) holding the digest
of the shapes it met, so a cached report is checked again only when the shapes
changed or it was built with ``--no-validate``.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from kg.rdf.graph import ntriples_rows
from kg.rdf.iris import mint_str
from kg.stores.shacl import Data, Unsupported, check_lines, load_shapes, shapes_path
from kg.stores.validate import GraphInvalid, ValidationResult
from kg.vocab.ontology import parsed_ontology

#: Subjects starting so belong to one report; the rest are shared by the corpus.
REPORT_OWNED = "<" + mint_str("report", "x")[:-1]
MARKER = ".shacl"


def shapes_digest() -> str:
    path = shapes_path()
    return _digest(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:20]


def supported() -> bool:
    """Whether kg.stores.shacl interprets every feature of the shapes (else pySHACL, whole graph)."""
    try:
        load_shapes()
    except Unsupported:
        return False
    return True


@lru_cache(maxsize=2)
def _background(ontology_dir: str | None) -> Data:
    """The ontology, once per process: what a report's values point to."""
    return Data(ntriples_rows(parsed_ontology(ontology_dir)))


def check_report(lines, ontology_dir: str | None) -> ValidationResult:
    """One report's N-Triples lines (str or bytes) against the shapes, the ontology as background."""
    return check_lines(lines, _background(ontology_dir))


def require_report(lines, ontology_dir: str | None, source: str) -> None:
    """Raise GraphInvalid (naming the report) if the report's graph breaks the shapes."""
    result = check_report(lines, ontology_dir)
    if not result.conforms:
        raise GraphInvalid(ValidationResult(False, f"{source}: {result.text}", result.count, result.violations))


def marker_path(triples_path: Path) -> Path:
    return triples_path.with_suffix(MARKER)


def is_checked(triples_path: Path) -> bool:
    try:
        return marker_path(triples_path).read_text(encoding="ascii") == shapes_digest()
    except (OSError, UnicodeDecodeError):
        return False


def mark_checked(triples_path: Path) -> None:
    from kg.build.cache import _write

    _write(marker_path(triples_path), shapes_digest().encode("ascii"))


def recheck(entries: list[tuple[str, Path]], ontology_dir: str | None) -> int:
    """Check the cached (source, triples file) entries that carry no marker for these shapes;
    returns how many were checked."""
    n = 0
    for source, path in entries:
        if not is_checked(path):
            require_report(path.read_bytes().splitlines(keepends=True), ontology_dir, source)
            mark_checked(path)
            n += 1
    return n


def require_shared(merged_nt: Path) -> int:
    """Check the merged triples whose subject no report owns; returns how many were checked."""
    prefix = REPORT_OWNED.encode("utf-8")
    with open(merged_nt, "rb") as fh:
        lines = [line for line in fh if not line.startswith(prefix)]
    result = check_lines(lines)
    if not result.conforms:
        raise GraphInvalid(result)
    return len(lines)
