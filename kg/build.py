"""Build a corpus of reports into exports: the library entry point of ``kg build``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .export import write_all
from .graph import build_dataset, merged_graph
from .pipeline import extract
from .reading import InputError, read_report
from .records import ReportRecord

SUFFIXES = (".txt", ".html", ".htm", ".md")


@dataclass
class BuildResult:
    records: list[ReportRecord]
    written: list[Path]
    triples: int
    skipped: list[str] = field(default_factory=list)  # "file: reason"

    def summary(self) -> dict:
        kinds = {"agency": set(), "programme": set(), "group": set()}
        for r in self.records:
            for m in r.mentions:
                if m.kind in kinds:
                    kinds[m.kind].add((r.source, m.name or m.text) if m.kind == "agency" else (m.concept.key or m.text))
        return {
            "reports": len(self.records),
            "agencies": len(kinds["agency"]),
            "programmes": len(kinds["programme"]),
            "groups": len(kinds["group"]),
            "figures": sum(len(r.figures) for r in self.records),
            "triples": self.triples,
            "warnings": sum(len(r.warnings) for r in self.records),
            "skipped": len(self.skipped),
            "written": [str(p) for p in self.written],
        }


def collect_inputs(inputs: list[str | Path]) -> list[Path]:
    """Files named directly, and report files inside folders, in a stable order."""
    files: list[Path] = []
    for item in map(Path, inputs):
        if item.is_dir():
            files += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif item.is_file():
            files.append(item)
        else:
            raise InputError(f"{item}: no such file or folder")
    seen, out = set(), []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            out.append(f)
    return sorted(out, key=lambda p: (p.name, str(p)))


def build(inputs: list[str | Path], out_dir: str | Path, ontology_dir: str | None = None) -> BuildResult:
    out = Path(out_dir)
    records, skipped = [], []
    for path in collect_inputs(inputs):
        try:
            decoded = read_report(path)
        except InputError as e:
            skipped.append(str(e))
            continue
        records.append(extract(decoded.text, path.name, ontology_dir, decoded.encoding, decoded.warnings))
    ds = build_dataset(records, ontology_dir)
    merged = merged_graph(ds)
    files = {
        out / "welfare.ttl": merged.serialize(format="turtle").encode("utf-8"),
        out / "welfare.nq": sorted_lines(ds.serialize(format="nquads")),
    }
    write_all(files)
    return BuildResult(records, list(files), len(merged), skipped)


def sorted_lines(text: str) -> bytes:
    """N-Quads in a fixed order, so the same input gives the same bytes."""
    return "".join(sorted(set(l + "\n" for l in text.splitlines() if l.strip()))).encode("utf-8")
