"""Queries with bounds (issue 20): a timeout, Ctrl-C honoured, and a row cap that is said.

A query over a cartesian product never ended, ignored Ctrl-C, and ``SELECT *``
grew memory ~35 MB/s. Oxigraph has no way to cancel a query, but it releases
Python's lock while it computes: the query runs in a daemon thread, which takes
rows one at a time and stops at the cap or when told to; the calling thread
waits for it in short steps, so Ctrl-C (KeyboardInterrupt) and the timeout
reach it even while Oxigraph computes one answer for a long time (an ORDER BY or
COUNT over a product). On timeout or interrupt the call returns at once; a
thread still inside Oxigraph finishes its current step in the background, and
the ``kg`` process exits without waiting for it.

The cap is never silent (Virtuoso's 10,000-row cap is the anti-example): the
result says it was reached, ``kg query`` says so on stderr with how to lift it.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from kg.stores.query import QueryError, Term, start_query

#: Seconds a ``kg query`` may run (``--timeout``; 0 for no limit): enough for any
#: shipped query over thousands of reports, short enough to notice a runaway one.
DEFAULT_TIMEOUT = 60.0
#: Rows ``kg query`` keeps (``--max-rows``; 0 for all): bounded memory, more than a table one reads.
DEFAULT_MAX_ROWS = 100_000


class QueryTimeout(QueryError):
    """The query ran past its timeout."""


@dataclass(frozen=True)
class Bounded:
    names: list[str]
    rows: list[tuple[Term | None, ...]]
    capped: bool  # more rows were there than max_rows: ``rows`` holds the first max_rows


def run_bounded(source: str | Path, sparql: str, params: dict | None = None,
                timeout: float | None = DEFAULT_TIMEOUT, max_rows: int | None = DEFAULT_MAX_ROWS) -> Bounded:
    """``run_query`` within ``timeout`` seconds (None or 0: none) keeping at most ``max_rows`` rows
    (None or 0: all). Raises QueryTimeout, QueryError, or KeyboardInterrupt on Ctrl-C."""
    timeout = timeout or None
    max_rows = max_rows or None
    stop = threading.Event()
    box: dict = {}

    def work() -> None:
        try:
            names, it = start_query(source, sparql, params, timeout=timeout)
            rows = []
            for row in it:
                if stop.is_set():
                    return
                if max_rows is not None and len(rows) >= max_rows:
                    box["capped"] = True
                    break
                rows.append(row)
            box["result"] = (names, rows)
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    worker = threading.Thread(target=work, name="kg-query", daemon=True)
    started = time.monotonic()
    worker.start()
    try:
        while worker.is_alive():
            left = None if timeout is None else timeout - (time.monotonic() - started)
            if left is not None and left <= 0:
                raise QueryTimeout(f"stopped after {timeout:g} s (--timeout); narrow the query "
                                   f"(a LIMIT, a FILTER, fewer unbound patterns) or raise --timeout")
            worker.join(0.1 if left is None else min(0.1, left))
    except BaseException:
        stop.set()  # the thread stops at its next row
        raise
    if "error" in box:
        raise box["error"]
    names, rows = box["result"]
    return Bounded(names, rows, box.get("capped", False))
