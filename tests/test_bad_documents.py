"""Broken and hostile documents: each is named with its reason and the rest still builds.

The fixtures are made here (small, nothing checked in): an encrypted PDF (LibreOffice's
export with a password), truncated and random-bytes PDF/DOCX, a DOCX zip bomb, a PDF of
thousands of pages, an image-only PDF (a scan), a .doc whose conversion hangs, and a
file of a type kg does not read."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from kg.build.run import StrictError, build
from kg.errors import InputError
from kg.read.document import read_document

HERE = Path(__file__).resolve().parent
DOCS = HERE / "documents"
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice not installed (tests/setup_system.sh installs it)")


def pages_pdf(n: int) -> bytes:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    for _ in range(n):
        pdf.new_page(200, 200)
    buf = io.BytesIO()
    pdf.save(buf)
    return buf.getvalue()


def scan_pdf() -> bytes:
    """A page that is a picture of text: what a scanner makes."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(img).rectangle((50, 50, 550, 120), fill="black")
    buf = io.BytesIO()
    img.save(buf, "PDF")
    return buf.getvalue()


def zip_bomb() -> bytes:
    """A .docx whose document.xml would unpack to 100 MB (it zips to about 100 KB)."""
    good = zipfile.ZipFile(DOCS / "900_linxiang_tables_2023.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for item in good.infolist():
            if item.filename == "word/document.xml":
                with z.open("word/document.xml", "w", force_zip64=True) as out:
                    chunk = b" " * 1_000_000
                    for _ in range(100):
                        out.write(chunk)
            else:
                z.writestr(item, good.read(item.filename))
    return buf.getvalue()


def encrypted_pdf(tmp: Path) -> bytes:
    src = tmp / "secret.docx"
    shutil.copy(DOCS / "900_linxiang_tables_2023.docx", src)
    opts = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
            '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", opts,
                    "--outdir", str(tmp), str(src)], check=True, capture_output=True, timeout=180)
    return (tmp / "secret.pdf").read_bytes()


def _reason(name: str, data: bytes) -> str:
    with pytest.raises(InputError) as e:
        read_document(data, name)
    msg = str(e.value)
    assert msg.startswith(name + ":") and "\n" not in msg
    return msg


def test_random_bytes_and_truncated_files_are_corrupt():
    pdf = (DOCS / "100_cangxi_county_2022.pdf").read_bytes()
    docx = (DOCS / "100_cangxi_county_2022.docx").read_bytes()
    noise = bytes((i * 7919 + 13) % 256 for i in range(50_000))
    assert "corrupt" in _reason("cut.pdf", pdf[: len(pdf) // 2])
    assert "corrupt" in _reason("noise.pdf", b"%PDF-1.7\n" + noise)
    assert "corrupt" in _reason("cut.docx", docx[: len(docx) // 2])
    assert "corrupt" in _reason("noise.docx", noise)


def test_a_docx_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_bomb()
    assert len(bomb) < 2_000_000
    t = time.perf_counter()
    msg = _reason("bomb.docx", bomb)
    assert "too big" in msg and "zip bomb" in msg
    assert time.perf_counter() - t < 2  # the sizes are read from the archive's directory, nothing unpacked


def test_a_pdf_of_thousands_of_pages_is_refused_with_its_page_count():
    msg = _reason("huge.pdf", pages_pdf(3000))
    assert "too big" in msg and "3,000 pages" in msg


def test_a_scanned_pdf_says_to_ocr_it_first():
    msg = _reason("scan.pdf", scan_pdf())
    assert "no text layer" in msg and "OCR it first" in msg and "images" in msg
    assert "no text layer" in _reason("blank.pdf", pages_pdf(3))


@needs_soffice
def test_an_encrypted_pdf_says_it_needs_a_password(tmp_path):
    assert "encrypted" in _reason("secret.pdf", encrypted_pdf(tmp_path))


def test_without_libreoffice_a_doc_is_skipped_with_how_to_install_it(monkeypatch):
    monkeypatch.setenv("KG_SOFFICE", "no-such-soffice-here")
    msg = _reason("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "LibreOffice missing" in msg and "apt-get install libreoffice-writer-nogui" in msg


def test_a_hanging_conversion_is_killed_with_everything_it_started(monkeypatch, tmp_path):
    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    # A converter that never finishes, and a child of it that would outlive a plain kill.
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {pidfile}\nwait\n")
    fake.chmod(0o755)
    monkeypatch.setenv("KG_SOFFICE", str(fake))
    monkeypatch.setenv("KG_SOFFICE_TIMEOUT", "2")
    t = time.perf_counter()
    msg = _reason("hangs.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "LibreOffice timed out" in msg and time.perf_counter() - t < 20
    child = int(pidfile.read_text())
    time.sleep(0.2)
    assert _gone(child)


def _gone(pid: int) -> bool:
    """Dead: no such process, or a zombie waiting for a parent (a container's init may not reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_a_mixed_folder_builds_the_good_documents_and_names_every_other_file(tmp_path, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("100_cangxi_county_2022.pdf", "900_linxiang_tables_2023.docx", "102_guizhou_province_2019.pdf.txt"):
        shutil.copy(DOCS / name, src / name)
    pdf = (DOCS / "100_cangxi_county_2022.pdf").read_bytes()
    bad = {
        "cut.pdf": (pdf[: len(pdf) // 2], "corrupt"),
        "noise.docx": (os.urandom(4096), "corrupt"),
        "bomb.docx": (zip_bomb(), "too big"),
        "huge.pdf": (pages_pdf(1500), "too big"),
        "scan.pdf": (scan_pdf(), "no text layer; OCR it first"),
        "figures.xlsx": (b"PK\x03\x04" + bytes(100), "unsupported type"),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "LibreOffice missing"),
    }
    for name, (data, _) in bad.items():
        (src / name).write_bytes(data)
    monkeypatch.setenv("KG_SOFFICE", "no-such-soffice-here")
    out = tmp_path / "out"
    result = build([src], out, store=None, check=False)
    assert sorted(r.source for r in result.records) == ["100_cangxi_county_2022.pdf", "102_guizhou_province_2019.pdf.txt",
                                                        "900_linxiang_tables_2023.docx"]
    assert result.formats() == {"docx": 1, "pdf": 1, "txt": 1}
    named = {Path(s.split(": ")[0]).name: s for s in result.skipped}
    assert set(named) == set(bad)
    for name, (_, reason) in bad.items():
        assert reason in named[name], named[name]
    # --strict: any skipped file fails the build and leaves the exports as they were.
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (src / "100_cangxi_county_2022.pdf").unlink()
    with pytest.raises(StrictError):
        build([src], out, store=None, check=False, strict=True)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_the_cli_summary_counts_formats_and_names_skipped_files(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(DOCS / "900_linxiang_tables_2023.docx", src)
    (src / "scan.pdf").write_bytes(scan_pdf())
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    run = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(tmp_path / "out"),
                          "--no-validate", "--store", str(tmp_path / "store")], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "reports by format: 1 docx; 1 file not built" in run.stdout
    assert "scan.pdf: no text layer" in run.stderr
    strict = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(src), "--out", str(tmp_path / "out2"),
                             "--strict", "--no-validate"], capture_output=True, text=True, env=env)
    assert strict.returncode == 1 and "scan.pdf" in strict.stderr
    assert not (tmp_path / "out2" / "welfare.ttl").exists()
