"""One build per output folder (issue 20): a lock file, and an output folder that can be written.

Two builds into one ``--out`` at once crashed the first (the second removed its
temporary folder as a killed build's leftovers). ``kg build`` now holds
``OUT/.kg-build.lock`` for its whole run: a POSIX record lock (``fcntl.lockf``)
on the file, which the kernel drops when the holding process ends however it
ends (``kill -9`` included), so a dead build never leaves a stale lock behind;
the file's text (pid, host, start time) only names the holder in the message a
second build gives. Record locks belong to the process, not to its forked
workers, so a worker outliving its build cannot keep the lock either. The file
is removed when the build ends (a killed build's stays, unlocked, and is taken
over); a waiter that locked a file just removed sees it is not the one at the
path any more and tries again.

A second build waits up to ``wait`` seconds for the lock, then refuses with
``OutputBusy`` naming the holder. On a network file system without POSIX locks
the lock cannot be taken and the build says so rather than run unguarded.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import threading
import time
from pathlib import Path

from kg.errors import shown

LOCK_NAME = ".kg-build.lock"
#: Output folders this process holds: POSIX record locks do not exclude the process's own threads.
_HELD: set[str] = set()
_HELD_GUARD = threading.Lock()


class OutputError(Exception):
    """The output folder cannot be used: it is a file, cannot be created, or cannot be written."""


class OutputBusy(OutputError):
    """Another build holds the output folder."""


class BuildLock:
    """Held by ``hold``; ``release`` (or the process ending) frees it."""

    def __init__(self, fd: int, path: Path, key: str) -> None:
        self.fd, self.path, self.key = fd, path, key

    def release(self) -> None:
        with _HELD_GUARD:
            if self.fd < 0:
                return
            try:
                self.path.unlink()  # while still locked: a waiter then finds its file gone and retries
            except OSError:
                pass
            os.close(self.fd)  # closing drops the record lock
            self.fd = -1
            _HELD.discard(self.key)

    def __enter__(self) -> "BuildLock":
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def prepare(out: Path) -> None:
    """Create ``out`` if needed; a one-line OutputError if it is a file or cannot be created."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{shown(out)}: exists and is not a folder; give --out a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{shown(out)}: cannot create the output folder ({e.strerror or e})") from e


def hold(out: Path, wait: float = 0.0) -> BuildLock:
    """Prepare ``out`` and take its lock, waiting up to ``wait`` seconds for another build to finish."""
    prepare(out)
    path = out / LOCK_NAME
    key = os.path.realpath(out)
    deadline = time.monotonic() + wait
    while True:
        # One attempt at a time in this process: closing any of its descriptors of the file
        # would drop a lock another of its threads holds.
        with _HELD_GUARD:
            holder = "another build in this process" if key in _HELD else None
            if holder is None:
                fd, holder = _try_lock(out, path)
                if fd is not None:
                    _HELD.add(key)
                    break
        if holder is not None and time.monotonic() >= deadline:
            raise OutputBusy(f"{shown(out)}: another kg build is writing here ({holder}); "
                             f"wait for it, or give --wait SECONDS")
        if holder is not None:
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    lock = BuildLock(fd, path, key)
    try:
        _describe(fd)
    except OSError as e:  # a full or read-only file system: say so before any work is done
        lock.release()
        raise OutputError(f"{shown(out)}: cannot write in the output folder ({e.strerror or e})") from e
    return lock


def _try_lock(out: Path, path: Path) -> tuple[int | None, str | None]:
    """(fd, None) with the lock taken; (None, holder) if another process holds it; (None, None) if
    the file was removed by its holder meanwhile (try again)."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"{shown(out)}: cannot write in the output folder ({e.strerror or e})") from e
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        holder = _holder(fd)
        os.close(fd)
        if e.errno not in (errno.EACCES, errno.EAGAIN):
            raise OutputError(f"{shown(path)}: cannot lock the output folder ({e.strerror or e}); "
                              f"a file system without POSIX locks?") from e
        return None, holder
    if _same_file(fd, path):
        return fd, None
    os.close(fd)  # locked a file its holder removed on the way out: take the one at the path now
    return None, None


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)


def _describe(fd: int) -> None:
    info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "started": time.strftime("%Y-%m-%d %H:%M:%S%z")}).encode()
    os.ftruncate(fd, 0)
    os.pwrite(fd, info + b"\n", 0)
    os.fsync(fd)


def _holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0) or b"{}")
        return f"pid {info['pid']} on {info['host']}, since {info['started']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"
