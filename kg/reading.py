"""Decode report files into text.

Bureaus publish in UTF-8, GB18030/GBK, Big5 and UTF-16; charset-normalizer
(a maintained detector) decides where the bytes do not say it themselves.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class InputError(Exception):
    """A file that cannot be read as a report; the message names it and why."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode(data: bytes, name: str = "<bytes>") -> Decoded:
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16"), "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None:
        raise InputError(f"{name}: not text in any encoding we read (UTF-8, UTF-16, GB18030, Big5)")
    return Decoded(str(best), best.encoding)


def read_report(path: Path) -> Decoded:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from e
    return decode(data, str(path))
