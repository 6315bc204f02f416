"""Write exports so that readers see the old set or the new set, never a mix.

Every export is first written in full to a temporary file in the same folder
(or a temporary folder inside it), flushed and fsynced; only then are all of
them renamed into place, one ``os.replace`` each, back to back, with Ctrl-C
(SIGINT) and SIGTERM held off until the last rename is done. So:

- a build that fails or is interrupted before the renames leaves every previous
  export byte-identical, and its temporary files are removed on the way out;
- a build killed outright (SIGKILL, power loss) before the renames leaves the
  previous exports intact plus temporary files, which the next build removes
  (``clean_stale``); killed *during* the renames (microseconds) it may leave
  some new and some old files: POSIX has no rename of several files at once.
"""
from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

#: Name prefixes of our temporary files and folders in an output folder.
TMP_FILE_PREFIX = "."
TMP_FILE_SUFFIX = ".tmp"
TMP_DIR_PREFIX = ".kg-build-"


def write_atomic(path: str | Path, data: bytes) -> None:
    """One file: written to a temporary file beside it, then renamed into place."""
    write_all({Path(path): data})


def write_all(files: dict[Path, bytes]) -> None:
    """Several files, all or nothing: every temporary file is written first,
    then all are renamed into place together (see the module docstring)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f"{TMP_FILE_PREFIX}{path.name}.", suffix=TMP_FILE_SUFFIX,
                                       dir=path.parent)
            staged.append((Path(tmp), path))
            os.fchmod(fd, _mode_for(path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
        commit(staged)
    except BaseException:  # KeyboardInterrupt too: no temporary file outlives a failed write
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise


def commit(staged: list[tuple[Path, Path]], remove: list[Path] = ()) -> None:
    """Rename each written temporary file onto its target, all together.

    Files are fsynced first (the slow part, still interruptible); the renames
    and the removal of ``remove`` (stale outputs the new set does not have)
    then run with interrupts held off, followed by an fsync of the folders."""
    for tmp, _ in staged:
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
    with interrupts_deferred():
        for tmp, target in staged:
            os.replace(tmp, target)
        for path in remove:
            Path(path).unlink(missing_ok=True)
    for folder in sorted({str(target.parent) for _, target in staged}):
        _fsync_dir(folder)


def clean_stale(out_dir: str | Path) -> list[Path]:
    """Remove temporary files and folders a killed build left in ``out_dir``.

    Only names this module and ``kg build`` create are touched: ``.kg-build-*``
    folders and ``.<export name>.*.tmp`` files. Two builds must not share an
    output folder at the same time (the later would remove the earlier's)."""
    out = Path(out_dir)
    removed: list[Path] = []
    if not out.is_dir():
        return removed
    for p in sorted(out.iterdir()):
        if p.name.startswith(TMP_DIR_PREFIX) and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
        elif p.name.startswith(TMP_FILE_PREFIX) and p.name.endswith(TMP_FILE_SUFFIX) and p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p)
    return removed


@contextmanager
def interrupts_deferred():
    """Hold SIGINT and SIGTERM until the block ends, then deliver them.

    Only the main thread can set signal handlers; elsewhere the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    sigs = [signal.SIGINT, signal.SIGTERM]
    previous = {s: signal.signal(s, lambda signum, frame: caught.append(signum)) for s in sigs}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler if handler is not None else signal.SIG_DFL)
        for s in dict.fromkeys(caught):
            signal.raise_signal(s)


def _mode_for(path: Path) -> int:
    """The replaced file's permissions, or rw-r--r-- (mkstemp's 0600 would hide exports from other users)."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _fsync_dir(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a folder; the renames are still atomic
    finally:
        os.close(fd)
