"""Which files a build reads, and the name each report is known by (issue 20).

A report's identity (``ReportRecord.source``: its IRI, ``dcterms:source`` and its
cache entry) is its path relative to the input it was found under: the folder
given (``kg build seeds`` → ``000_x.txt``; ``a/report.txt`` and ``b/report.txt``
under it stay two reports), or the file's name for a file named directly. Where
two inputs give the same name (``kg build x/a x/b``, each holding ``report.txt``),
each takes as many of its input folder's own parts as tell them apart
(``a/report.txt``, ``b/report.txt``); names no other input shares stay short, so
a name does not depend on where the folders are. The file name is always the
last part, so a flat folder's reports keep the names they always had.

A file name that is not valid UTF-8 keeps its undecodable bytes as ``\\xNN``
(as Python prints them), so the name is text an IRI and a literal can carry.
Two files whose names meet that way (``caf\\xe9.txt`` spelt out, beside the
Latin-1 name) cannot both be one report: the second is skipped with a message.

What a build writes into its output folder (the exports, the page, the store,
the cache, temporary folders, the lock) is never read as a report, even when
the output folder is an input folder too (``kg build io --out io``); nor is it
in any other folder holding a ``welfare.nq`` (an earlier build's output).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError, shown

#: Names ``kg build`` writes in an output folder (kg.out.export, kg.out.viz, kg.build.lock).
OUTPUT_NAMES = ("welfare.ttl", "welfare.nq", "welfare.html", "explorer.html", "cube.trig", "figures.csv", "store",
                ".cache", ".kg-build.lock")
OUTPUT_PREFIXES = (".kg-build-", ".welfare.", ".store.")


@dataclass(frozen=True)
class Input:
    path: Path
    source: str  # the report's identity (module docstring)


def collect(inputs: list[str | Path], out_dir: str | Path | None = None,
            elsewhere: list[str | Path | None] = ()) -> tuple[list[Input], list[str]]:
    """The files of ``inputs`` (files named, and every file inside folders) and the
    files skipped as "path: reason", in identity order. What kg writes into ``out_dir``
    and into ``elsewhere`` (a store or cache folder given by path) is not read."""
    out = os.path.realpath(out_dir) if out_dir is not None else None
    other = [os.path.realpath(w) for w in elsewhere if w is not None]
    skipped: list[str] = []
    found: list[tuple[Path, str]] = []  # (file, the input folder it was found under)
    for item in map(Path, inputs):
        if item.is_dir():
            root = os.path.abspath(item)
            # Every file, of any type (one kg cannot read is named "unsupported type" by the build
            # rather than passed over); hidden files and folders (.git, .DS_Store) are no reports.
            found += [(p, root) for p in sorted(item.rglob("*")) if p.is_file()
                      and not any(part.startswith(".") for part in p.relative_to(item).parts)
                      and not _is_written(p, out, other)]
        elif not item.is_file():
            raise InputError(f"{shown(item)}: no such file or folder")
        elif _is_written(item, out, other):
            skipped.append(f"{shown(item)}: written by kg build (an export of this output folder), not a report")
        else:
            found.append((item, os.path.dirname(os.path.abspath(item))))
    seen: set[str] = set()
    files, rels, roots = [], [], []
    for f, root in found:
        real = os.path.realpath(f)
        if real in seen:
            continue  # named twice (a file and its folder): one report
        seen.add(real)
        files.append(f)
        rels.append(Path(os.path.relpath(os.path.abspath(f), root)).parts)
        roots.append(Path(root).parts[1:])  # without the anchor ("/")
    depth = [0] * len(files)  # how many of its input folder's own parts a name takes, to tell it apart
    alive = list(range(len(files)))

    def name(i: int) -> str:
        return _text("/".join(roots[i][len(roots[i]) - depth[i]:] + rels[i]))

    while True:
        groups: dict[str, list[int]] = {}
        for i in alive:
            groups.setdefault(name(i), []).append(i)
        same = [g for g in groups.values() if len(g) > 1]
        if not same:
            break
        for g in same:
            if len({roots[i] for i in g}) == 1 or all(depth[i] >= len(roots[i]) for i in g):
                # One input folder (only escaping made the names equal): no folder tells them apart.
                for i in g[1:]:
                    skipped.append(f"{shown(files[i])}: its name reads the same as {shown(files[g[0]])} once "
                                   f"undecodable bytes are escaped ({name(i)}); rename one of them")
                    alive.remove(i)
                continue
            for i in g:
                depth[i] = min(depth[i] + 1, len(roots[i]))
    return sorted((Input(files[i], name(i)) for i in alive), key=lambda x: x.source), skipped


def _text(name: str) -> str:
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _is_written(path: Path, out: str | None, elsewhere: list[str]) -> bool:
    """Whether ``path`` is something kg build writes: below a store or cache folder given by path
    (``elsewhere``), or a name of OUTPUT_NAMES / OUTPUT_PREFIXES (or below one) in the output folder
    or in any folder holding a ``welfare.nq`` (the exports of an earlier build into it)."""
    real = os.path.realpath(path)
    if any(real == w or real.startswith(w.rstrip(os.sep) + os.sep) for w in elsewhere):
        return True
    parts = Path(real).parts
    for i in range(len(parts) - 1, 0, -1):
        folder, name = os.path.join(*parts[:i]), parts[i]
        if (name in OUTPUT_NAMES or name.startswith(OUTPUT_PREFIXES)) and (folder == out or _holds_exports(folder)):
            return True
    return False


@lru_cache(maxsize=1024)
def _holds_exports(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "welfare.nq"))
