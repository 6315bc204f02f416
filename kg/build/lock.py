"""One build per output folder (issue 20): a lock file, and an output folder that can be written.

Two builds into one ``--out`` at once crashed the first (the second removed its
temporary folder as a killed build's leftovers). ``kg build`` now holds
``OUT/.kg-build.lock`` for its whole run: a POSIX record lock (``fcntl.lockf``)
on the file, which the kernel drops when the holding process ends however it
ends (``kill -9`` included), so a dead build never leaves a stale lock behind;
the file's text (pid, host, start time) only names the holder in the message a
second build gives. Record locks belong to the process, not to its forked
workers, so a worker outliving its build cannot keep the lock either.

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
import time
from pathlib import Path

from kg.errors import shown

LOCK_NAME = ".kg-build.lock"


class OutputError(Exception):
    """The output folder cannot be used: it is a file, cannot be created, or cannot be written."""


class OutputBusy(OutputError):
    """Another build holds the output folder."""


class BuildLock:
    """Held by ``hold``; ``release`` (or the process ending) frees it."""

    def __init__(self, fd: int, path: Path) -> None:
        self.fd, self.path = fd, path

    def release(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)  # closing drops the record lock; the file stays (unlinking would race a waiter)
            self.fd = -1

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
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise OutputError(f"{shown(out)}: cannot write in the output folder ({e.strerror or e})") from e
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError as e:
            if e.errno not in (errno.EACCES, errno.EAGAIN):
                os.close(fd)
                raise OutputError(f"{shown(path)}: cannot lock the output folder ({e.strerror or e}); "
                                  f"a file system without POSIX locks?") from e
            if time.monotonic() >= deadline:
                holder = _holder(fd)
                os.close(fd)
                raise OutputBusy(f"{shown(out)}: another kg build is writing here ({holder}); "
                                 f"wait for it, or give --wait SECONDS") from None
            time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
    try:
        _describe(fd)
    except OSError as e:  # a full or read-only file system: say so before any work is done
        os.close(fd)
        raise OutputError(f"{shown(out)}: cannot write in the output folder ({e.strerror or e})") from e
    return BuildLock(fd, path)


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
