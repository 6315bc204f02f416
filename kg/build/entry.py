"""A cache entry's record as data (JSON), never code (issue 20).

The cache held pickles, and a file planted in ``OUT/.cache`` ran ``os.system``
during an ordinary build: unpickling runs whatever the file names. This format
is JSON: a record's dataclasses (kg.records) are ``{"$c": class, "v": [fields in
order]}``, a Decimal ``{"$d": "208.9"}``, a date ``{"$t": "2020-01-01"}``, tuples
lists. Decoding builds only the classes of kg.records, from values that are
plain JSON; anything else is a ``BadEntry``, which the cache treats as a miss
and reports. Fields are positional: the cache key covers records.py, so an entry
written with other fields is never looked up.
"""
from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal

from kg import records

#: The classes an entry may hold, by name, and their fields in order.
CLASSES = {name: cls for name, cls in vars(records).items() if isinstance(cls, type) and is_dataclass(cls)
           and cls.__module__ == records.__name__}
FIELDS = {cls: tuple(f.name for f in fields(cls)) for cls in CLASSES.values()}


class BadEntry(ValueError):
    """Bytes that are not a record in this format (damaged, foreign or planted)."""


def encode(rec: records.ReportRecord) -> bytes:
    # json writes str, numbers, None, lists and tuples itself (in C) and asks _plain for the rest.
    return json.dumps(rec, default=_plain, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> records.ReportRecord:
    try:
        rec = json.loads(data, object_hook=_object)
    except (ValueError, TypeError, KeyError, RecursionError) as e:  # JSONDecodeError is a ValueError
        raise BadEntry(f"not a cache entry ({type(e).__name__}: {e})") from None
    if not isinstance(rec, records.ReportRecord):
        raise BadEntry("not a cache entry (no report record)")
    return rec


def _plain(v):
    cls = type(v)
    if cls in FIELDS:
        return {"$c": cls.__name__, "v": [getattr(v, name) for name in FIELDS[cls]]}
    if cls is Decimal:
        return {"$d": str(v)}
    if cls is date:
        return {"$t": v.isoformat()}
    raise TypeError(f"cannot write a {cls.__name__} into a cache entry")


def _object(d: dict):
    if "$c" in d:
        cls = CLASSES[d["$c"]]
        names, values = FIELDS[cls], d["v"]
        if len(values) != len(names):
            raise ValueError(f"{cls.__name__} with {len(values)} fields, not {len(names)}")
        # As unpickling does: the frozen dataclass's __init__ (a setattr per field) would double the time.
        obj = object.__new__(cls)
        obj.__dict__.update(zip(names, [_tuples(x) if type(x) is list else x for x in values]))
        return obj
    if "$d" in d:
        return Decimal(d["$d"])
    if "$t" in d:
        return date.fromisoformat(d["$t"])
    raise ValueError(f"unexpected object {sorted(d)[:3]}")


def _tuples(v: list) -> tuple:
    return tuple(_tuples(x) if type(x) is list else x for x in v)
