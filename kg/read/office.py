"""DOC, WPS, ODT and RTF reports through headless LibreOffice.

``soffice --headless --convert-to docx`` turns the file into a .docx, which
kg.read.word then reads like any other (tables kept as tables). Each
conversion runs in its own process group with its own temporary profile
(``-env:UserInstallation``), so conversions never share or lock a profile
and a user's running LibreOffice is untouched; one that takes longer than
``TIMEOUT`` seconds (``KG_SOFFICE_TIMEOUT``) is killed, group and all, and
the file is skipped. ``KG_SOFFICE`` names another LibreOffice command.

Where LibreOffice is not installed the file is skipped with the command that
installs it.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from kg.errors import InputError

#: Seconds one conversion may take: a 100-page .doc converts in a few seconds.
TIMEOUT = 120
INSTALL = "apt-get install libreoffice-writer-nogui (Debian/Ubuntu), or install LibreOffice"
_MAGIC = {"doc": (b"\xd0\xcf\x11\xe0",), "wps": (b"\xd0\xcf\x11\xe0",), "rtf": (b"{\\rtf",),
          "odt": (b"PK\x03\x04",)}


def soffice() -> str | None:
    """LibreOffice's command: ``KG_SOFFICE`` if set (a path or a name on PATH), else soffice/libreoffice."""
    named = os.environ.get("KG_SOFFICE")
    if named:
        return shutil.which(named)
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout_seconds() -> float:
    """``KG_SOFFICE_TIMEOUT`` seconds if set, else ``TIMEOUT``."""
    try:
        return float(os.environ.get("KG_SOFFICE_TIMEOUT", TIMEOUT))
    except ValueError:
        return TIMEOUT


def read_office(data: bytes, name: str, fmt: str, timeout: float | None = None) -> "Document":
    from dataclasses import replace

    from kg.read.word import read_docx

    timeout = timeout_seconds() if timeout is None else timeout
    exe = soffice()
    if exe is None:
        raise InputError(f"{name}: LibreOffice missing: a .{fmt} file is read through LibreOffice; {INSTALL}")
    magic = _MAGIC.get(fmt)
    if magic and data and not data.lstrip()[:8].startswith(magic):
        raise InputError(f"{name}: corrupt .{fmt} file (not a {fmt.upper()} document)")
    if fmt == "odt":
        from kg.read.word import check_zip

        check_zip(data, name, "OpenDocument text")
    with tempfile.TemporaryDirectory(prefix="kg-soffice-") as tmp:
        src = Path(tmp) / f"report.{fmt}"
        src.write_bytes(data)
        outdir = Path(tmp) / "out"
        profile = Path(tmp) / "profile"
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                env={**os.environ, "SAL_USE_VCLPLUGIN": "svp"})
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise InputError(f"{name}: LibreOffice timed out converting it (more than {timeout:g} s); skipped")
        finally:
            if proc.poll() is None:
                _kill(proc)
        produced = outdir / "report.docx"
        if proc.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise InputError(f"{name}: corrupt .{fmt} file: LibreOffice could not convert it"
                             + (f" ({detail[0]})" if detail else ""))
        doc = read_docx(produced.read_bytes(), name)
    return replace(doc, format=fmt, encoding=fmt)


def _kill(proc: subprocess.Popen) -> None:
    """The conversion and every process it started (soffice forks oosplash and soffice.bin)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        pass
