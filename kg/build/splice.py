"""Rebuild the merged exports by splicing, when only a few reports changed.

A full build k-way merges every report's sorted N-Triples chunk into the
merged triples and streams them through Oxigraph into ``welfare.ttl``
(kg.build.run). At 2,000 reports that is most of a rebuild that re-extracts one
report. Both files are ordered by subject, and Oxigraph writes each
subject's triples as one block that depends on nothing but those triples
and the prefixes (we have no blank nodes). So a rebuild copies the byte
ranges of the previous files that did not change and re-serialises only
the subjects whose triples did. The result is byte-identical to a fresh
build (tests/test_cache.py).

``welfare.nq`` is spliced the same way, one named graph at a time: a graph
whose chunks did not change is copied from the previous file.

Unchanged byte ranges are copied by the kernel (``os.copy_file_range``):
at 2,000 reports the files are ~1 GB, and reading and writing them through
Python costs several times more.

The state lives in ``OUT/.cache/merged/`` and is replaced as a whole after
the exports are: ``merged.nt`` (the previous merged triples) and
``state.json`` (the chunk keys it was made from, the triple count, how
often each triple that is in more than one chunk occurs, each graph's place in
welfare.nq, and both exports' size and mtime, so an edited or replaced export
is never spliced) with ``offsets.bin`` (the offset of each subject in both
files, 8-byte integers). Data, never code (issue 20: a planted pickle ran code).
Anything unexpected means a full merge.
"""
from __future__ import annotations

import mmap
import os
import json
import sys
import shutil
from array import array
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

STATE_DIR = "merged"
VERSION = 2
#: Splice when at most this share of the chunks changed; above it a full merge costs about the same.
MAX_CHANGED_SHARE = 0.05


@dataclass
class State:
    keys: list[str]  # chunk keys (file stems), sorted
    triples: int
    shared: dict[bytes, int]  # triples in more than one chunk -> how many
    nt_off: array  # per subject, in order: offset of its first line in merged.nt
    ttl_off: array  # per subject: offset of its block in welfare.ttl
    graphs: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)  # welfare.nq: iri -> (digest, offset, length, triples)
    ttl_stat: tuple[int, int] = (0, 0)  # welfare.ttl (size, mtime_ns) once committed
    nq_stat: tuple[int, int] = (0, 0)
    oxigraph: str = field(default_factory=lambda: _oxigraph_version())
    version: int = VERSION


def _oxigraph_version() -> str:
    import pyoxigraph

    return pyoxigraph.__version__


def subject(line: bytes) -> bytes:
    return line[: line.index(b" ")]


def subject_offsets(nt: Path, start: int = 0, end: int | None = None) -> array:
    """Offset of each subject's first line in a sorted N-Triples file (in its bytes [start, end))."""
    out, last, pos = array("q"), None, start
    with open(nt, "rb") as fh:
        fh.seek(start)
        for line in fh:
            if end is not None and pos >= end:
                break
            s = line[: line.index(b" ")]
            if s != last:
                out.append(pos)
                last = s
            pos += len(line)
    return out


def block_offsets(ttl: Path) -> array:
    """Offset of each subject's block in Oxigraph's Turtle: lines that start a statement."""
    out = array("q")
    with open(ttl, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        pos = 0
        while pos < len(mm):
            if mm[pos] not in (0x09, 0x40):  # not a continuation (tab) nor "@prefix"
                out.append(pos)
            nl = mm.find(b"\n", pos)
            pos = len(mm) if nl < 0 else nl + 1
    return out


def new_state(keys: list[str], triples: int, shared: dict[bytes, int], nt: Path, ttl: Path,
              offsets: tuple[array, array] | None = None) -> State | None:
    """``offsets``: the subjects' offsets in both files when the writer already has them (kg.build.run)."""
    nt_off, ttl_off = offsets or (subject_offsets(nt), block_offsets(ttl))
    if len(nt_off) != len(ttl_off):  # not one block per subject (a blank node, a new writer): never splice
        return None
    return State(sorted(keys), triples, shared, nt_off, ttl_off)


def _stat(path: Path) -> tuple[int, int]:
    s = path.stat()
    return s.st_size, s.st_mtime_ns


def load(cache_dir: Path, out: Path) -> State | None:
    """The previous build's state, if it still describes the exports in ``out``."""
    try:
        st = _read_state(cache_dir / STATE_DIR)
        if st is None or st.version != VERSION or st.oxigraph != _oxigraph_version():
            return None
        if (_stat(out / "welfare.ttl"), _stat(out / "welfare.nq")) != (st.ttl_stat, st.nq_stat):
            return None
    except OSError:
        return None
    return st if (cache_dir / STATE_DIR / "merged.nt").is_file() else None


def stage(st: State, nt: Path, tmp: Path) -> Path:
    """Put the state and its merged.nt into a folder under ``tmp``, to be installed after the commit."""
    d = tmp / STATE_DIR
    d.mkdir()
    os.replace(nt, d / "merged.nt")
    _write_state(st, d)
    return d


def install(staged: Path, cache_dir: Path, out: Path) -> None:
    """Record the committed exports in the staged state and move it into the cache."""
    st = _read_state(staged)
    st.ttl_stat, st.nq_stat = _stat(out / "welfare.ttl"), _stat(out / "welfare.nq")
    _write_state(st, staged)
    target = cache_dir / STATE_DIR
    shutil.rmtree(target, ignore_errors=True)  # a crash between these two lines leaves no state: a full merge next time
    os.replace(staged, target)


def _write_state(st: State, d: Path) -> None:
    head = {"version": st.version, "oxigraph": st.oxigraph, "keys": st.keys, "triples": st.triples,
            # N-Triples lines are UTF-8 text; surrogateescape keeps any other byte exactly
            "shared": [[line.decode("utf-8", "surrogateescape"), n] for line, n in st.shared.items()],
            "graphs": st.graphs, "ttl_stat": st.ttl_stat, "nq_stat": st.nq_stat,
            "subjects": len(st.nt_off), "byteorder": sys.byteorder}
    (d / "offsets.bin").write_bytes(st.nt_off.tobytes() + st.ttl_off.tobytes())
    (d / "state.json").write_text(json.dumps(head), encoding="utf-8")  # ASCII: surrogates as \udcxx


def _read_state(d: Path) -> State | None:
    """The state in folder ``d``, or None if it is not one this version wrote."""
    try:
        head = json.loads((d / "state.json").read_text(encoding="utf-8"))
        offsets = array("q")
        offsets.frombytes((d / "offsets.bin").read_bytes())
        n = head["subjects"]
        if head["byteorder"] != sys.byteorder or len(offsets) != 2 * n:
            return None
        return State(keys=[str(k) for k in head["keys"]], triples=int(head["triples"]),
                     shared={str(line).encode("utf-8", "surrogateescape"): int(c) for line, c in head["shared"]},
                     nt_off=offsets[:n], ttl_off=offsets[n:],
                     graphs={str(k): (str(v[0]), int(v[1]), int(v[2]), int(v[3])) for k, v in head["graphs"].items()},
                     ttl_stat=(int(head["ttl_stat"][0]), int(head["ttl_stat"][1])),
                     nq_stat=(int(head["nq_stat"][0]), int(head["nq_stat"][1])),
                     oxigraph=str(head["oxigraph"]), version=int(head["version"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def drop(cache_dir: Path) -> None:
    shutil.rmtree(cache_dir / STATE_DIR, ignore_errors=True)


class Output:
    """A file written from new bytes and from ranges of older files."""

    def __init__(self, path: Path) -> None:
        self.fh = open(path, "wb", buffering=0)
        self.pos = 0

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            n = self.fh.write(view)
            view = view[n:]
        self.pos += len(data)

    def copy(self, src, offset: int, length: int) -> None:
        """``length`` bytes of the open file ``src`` from ``offset``, copied in the kernel where it can."""
        end = offset + length
        try:
            while offset < end:
                n = os.copy_file_range(src.fileno(), self.fh.fileno(), end - offset, offset)
                if n <= 0:
                    break
                offset += n
                self.pos += n
        except (AttributeError, OSError):  # not Linux, or not between these files
            pass
        while offset < end:
            data = os.pread(src.fileno(), min(1 << 23, end - offset), offset)
            if not data:
                raise OSError(f"{src.name}: shorter than expected")
            self.write(data)
            offset += len(data)

    def close(self) -> None:
        self.fh.close()

    def __enter__(self) -> "Output":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Subjects:
    """The subjects of a merged file, by ordinal, for bisect."""

    def __init__(self, mm, offsets: array) -> None:
        self.mm, self.off = mm, offsets

    def __len__(self) -> int:
        return len(self.off)

    def __getitem__(self, i: int) -> bytes:
        start = self.off[i]
        return self.mm[start: self.mm.find(b" ", start)]


def splice(st: State, cache_dir: Path, chunks: dict[str, Path], tmp: Path, old_ttl: Path,
           turtle) -> tuple[Path, Path, State] | None:
    """merged.nt and welfare.ttl for ``chunks`` (key -> sorted N-Triples file) written into ``tmp``
    from the previous build's (``old_ttl`` and the state), or None when a full merge is the way
    (too many changes, missing files).

    ``turtle(lines) -> bytes`` serialises one subject's sorted lines, prefixes included."""
    old_keys, new_keys = set(st.keys), set(chunks)
    removed, added = sorted(old_keys - new_keys), sorted(new_keys - old_keys)
    if len(removed) + len(added) > max(1, MAX_CHANGED_SHARE * len(new_keys)) or not st.nt_off:
        return None
    gone, came = Counter(), Counter()
    for keys, counter, where in ((removed, gone, lambda k: cache_dir / f"{k}.nt"), (added, came, chunks.get)):
        for k in keys:
            path = where(k)
            if path is None or not path.is_file():
                return None  # an old chunk already pruned: nothing to subtract
            with open(path, "rb") as fh:
                counter.update(fh)
    by_subject: dict[bytes, list[bytes]] = {}
    for line in gone.keys() | came.keys():
        if line.startswith(b"_:"):
            return None
        by_subject.setdefault(subject(line), []).append(line)

    old_nt = cache_dir / STATE_DIR / "merged.nt"
    with open(old_nt, "rb") as fn, open(old_ttl, "rb") as ft, \
            mmap.mmap(fn.fileno(), 0, access=mmap.ACCESS_READ) as nt, \
            mmap.mmap(ft.fileno(), 0, access=mmap.ACCESS_READ) as tt:
        subjects, n = _Subjects(nt, st.nt_off), len(st.nt_off)

        def span(off: array, i: int, size: int) -> tuple[int, int]:
            return off[i], off[i + 1] if i + 1 < n else size

        shared, triples = dict(st.shared), st.triples
        changes = []  # (ordinal, found, new lines) in subject order
        for s in sorted(by_subject):
            i = bisect_left(subjects, s)
            found = i < n and subjects[i] == s
            old = set(nt[slice(*span(st.nt_off, i, len(nt)))].splitlines(keepends=True)) if found else set()
            lines = set(old)
            for line in by_subject[s]:
                before = shared.get(line, 1) if line in old else 0
                after = before - gone[line] + came[line]
                if after < 0:
                    return None  # the state does not describe these chunks
                if after > 1:
                    shared[line] = after
                else:
                    shared.pop(line, None)
                (lines.add if after else lines.discard)(line)
            if lines != old:
                triples += len(lines) - len(old)
                changes.append((i, found, sorted(lines)))

        nt_path, ttl_path = tmp / "merged.nt", tmp / "welfare.ttl"
        nt_off, ttl_off = array("q"), array("q")
        header = tt[: st.ttl_off[0]]
        with Output(nt_path) as on, Output(ttl_path) as ot:
            ot.write(header)
            cur = 0

            def copy(upto: int) -> None:  # unchanged subjects [cur, upto): bytes and shifted offsets
                if upto <= cur:
                    return
                a, ta = st.nt_off[cur], st.ttl_off[cur]
                b = st.nt_off[upto] if upto < n else len(nt)
                tb = st.ttl_off[upto] if upto < n else len(tt)
                dn, dt = on.pos - a, ot.pos - ta
                nt_off.extend(x + dn for x in st.nt_off[cur:upto])
                ttl_off.extend(x + dt for x in st.ttl_off[cur:upto])
                on.copy(fn, a, b - a)
                ot.copy(ft, ta, tb - ta)

            for i, found, lines in changes:
                copy(i)
                if lines:
                    block = turtle(lines)
                    if not block.startswith(header):
                        return None
                    nt_off.append(on.pos)
                    ttl_off.append(ot.pos)
                    on.write(b"".join(lines))
                    ot.write(block[len(header):])
                cur = i + 1 if found else i
            copy(n)
    return nt_path, ttl_path, State(sorted(new_keys), triples, shared, nt_off, ttl_off)
