"""What a build keeps of each report once its record has passed, so the parent's memory stays
flat as the corpus grows (issue 17).

The records used to stay in the building process until the end, for figures.csv, cube.trig,
the summary and the warnings: measured on the Dask parent, +670 MiB by the end of the
extraction at 2,000 generated reports, and +740 MiB more while cube.trig and figures.csv were
made from them (bench/RESULTS.md). Now each record is folded in as it arrives, in any order:

- its figures.csv rows go to a spill file; at the end they are copied out in report order (by
  source, as ``kg.out.csv.figures_csv`` sorts them), so the file is the same bytes;
- its cube lines join a batch; each ``CUBE_BATCH`` reports the batch is written sorted as one
  chunk, and the chunks (with the lines every cube holds) are merged sorted and distinct, then
  written as Turtle by Oxigraph from file to file: the same bytes as ``kg.rdf.cube.cube_turtle``;
- its encoded bytes (kg.build.entry) go to a second, unnamed spill file, from which
  ``BuildResult.records`` (a ``RecordList``) decodes a record when one is asked for;
- the summary's counts and the warnings are kept.

What stays per report is an index entry (offsets, the source) of a few hundred bytes.
"""
from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from kg.build.entry import decode
from kg.records import ReportRecord

#: Reports whose cube lines are gathered before they are written out as one sorted chunk:
#: ~200 reports' lines is a few MB, and 20,000 reports make 100 chunks, one merge level.
CUBE_BATCH = 200


class RecordList(Sequence):
    """The build's records in input order, read back one at a time from a spill file."""

    def __init__(self, spill, where: list[tuple[int, int]]) -> None:
        self._spill, self._where = spill, where

    def __len__(self) -> int:
        return len(self._where)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        offset, length = self._where[i]
        self._spill.seek(offset)
        return decode(self._spill.read(length))

    def __eq__(self, other) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None

    def __repr__(self) -> str:
        return f"<RecordList of {len(self)} records>"


class Fold:
    """Records in, in any order, each with its position in the input; see the module docstring."""

    def __init__(self, tmp: Path, spill_dir: Path, ontology_dir: str | None) -> None:
        self.tmp, self.ontology_dir = tmp, ontology_dir
        # Unnamed (O_TMPFILE): gone when the last RecordList reading it is.
        self._records = tempfile.TemporaryFile(dir=spill_dir)
        self._csv = open(tmp / "figures.csv.parts", "w+b")
        self._where: dict[int, tuple[int, int]] = {}  # position -> (offset, length) in the record spill
        self._csv_at: list[tuple[str, int, int, int]] = []  # (source, position, offset, length) in the csv spill
        self._cube: set[str] = set()
        self._cube_reports = 0
        self._cube_chunks: list[Path] = []
        self.figures = self.agencies = self.warning_count = 0
        self.concepts: dict[str, set] = {"programme": set(), "group": set()}
        self.formats: Counter = Counter()
        self._warnings: list[tuple[int, str, tuple[str, ...]]] = []  # (position, source, warnings)

    def add(self, position: int, rec: ReportRecord, encoded: bytes) -> None:
        from kg.out.csv import report_csv
        from kg.rdf.cube import report_cube_lines

        self._records.seek(0, 2)
        self._where[position] = (self._records.tell(), len(encoded))
        self._records.write(encoded)
        rows = report_csv(rec, self.ontology_dir)
        self._csv_at.append((rec.source, position, self._csv.tell(), len(rows)))
        self._csv.write(rows)
        self._cube |= report_cube_lines(rec, self.ontology_dir)
        self._cube_reports += 1
        if self._cube_reports >= CUBE_BATCH:
            self._flush_cube()
        self.figures += len(rec.figures)
        agencies = set()
        for m in rec.mentions:
            if m.kind == "agency":
                agencies.add(m.name or m.text)
            elif m.kind in self.concepts:
                self.concepts[m.kind].add(m.concept.key or m.text)
        self.agencies += len(agencies)  # per report: the summary counts (report, agency) pairs
        self.formats[rec.format] += 1
        if rec.warnings:
            self._warnings.append((position, rec.source, tuple(rec.warnings)))
            self.warning_count += len(rec.warnings)

    def _flush_cube(self) -> None:
        if not self._cube:
            return
        path = self.tmp / f"cube-{len(self._cube_chunks)}.nt"
        path.write_bytes("".join(sorted(self._cube)).encode("utf-8"))
        self._cube_chunks.append(path)
        self._cube, self._cube_reports = set(), 0

    def records(self) -> RecordList:
        """The records in input order."""
        self._records.flush()
        return RecordList(self._records, [self._where[p] for p in sorted(self._where)])

    def warnings(self) -> list[tuple[str, tuple[str, ...]]]:
        """(source, warnings) of each report that has any, in input order."""
        return [(source, w) for _, source, w in sorted(self._warnings, key=lambda x: x[0])]

    def stats(self) -> dict:
        return {"reports": len(self._where), "agencies": self.agencies, "programmes": len(self.concepts["programme"]),
                "groups": len(self.concepts["group"]), "figures": self.figures, "warnings": self.warning_count,
                "formats": dict(sorted(self.formats.items()))}

    def write_tables(self, merge) -> list[Path]:
        """tmp/cube.trig and tmp/figures.csv; ``merge(paths, target)`` merges sorted files sorted and distinct."""
        from kg.out.csv import header_csv
        from kg.rdf.cube import base_cube_lines, cube_turtle_file

        self._flush_cube()
        base = self.tmp / "cube-base.nt"
        base.write_bytes("".join(sorted(base_cube_lines(self.ontology_dir))).encode("utf-8"))
        merged = self.tmp / "cube.nt"
        merge([base, *self._cube_chunks], merged)
        cube = self.tmp / "cube.trig"
        cube_turtle_file(merged, cube)
        for p in (base, merged, *self._cube_chunks):
            p.unlink()
        csv_path = self.tmp / "figures.csv"
        self._csv.flush()
        with open(csv_path, "wb") as out:
            out.write(header_csv())
            # Sorted by source as figures_csv sorts its records; a tie keeps input order, as sorted() does.
            for _, _, offset, length in sorted(self._csv_at, key=lambda x: (x[0], x[1])):
                self._csv.seek(offset)
                out.write(self._csv.read(length))
        self._csv.close()
        (self.tmp / "figures.csv.parts").unlink()
        return [cube, csv_path]

    def close(self) -> None:
        if not self._csv.closed:
            self._csv.close()
