"""Worker processes die with the build that started them, however it dies (issue 20).

After ``kill -9`` of a ``--jobs 2`` build both workers stayed alive (~230 MB each)
for minutes: a pool's workers notice their parent is gone only when they next
talk to it. Every worker runs ``die_with_parent`` first (the pool's initializer;
another engine's workers can use it the same way):

- on Linux, ``prctl(PR_SET_PDEATHSIG, SIGKILL)``: the kernel kills the worker
  the moment its parent ends;
- everywhere, a daemon thread that checks every ``WATCH_SECONDS`` whether the
  parent is still its parent (a dead parent's children are adopted by another
  process) and ends the worker if not.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

WATCH_SECONDS = 0.5
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this (worker) process end when process ``parent`` ends."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl: the watch below still ends the worker
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="kg-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if os.getppid() != parent:
            os._exit(1)
