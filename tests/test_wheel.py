"""The package installs and works outside the repository (issue 19, part 6).

The wheel is built from a copy of the project's files (so no build/ folder of the
checkout leaks into it), installed with ``--no-deps --no-index`` into a new virtual
environment in a temporary folder, and run from a folder outside the repository.
No network: the new environment sees the dependencies already installed for the
tests through a ``.pth`` line naming their site-packages (a path line only, so the
editable install of the checkout there is not activated; the test checks that
``kg`` is imported from the new environment). Building the wheel needs setuptools
from the configured package index (pip's build isolation), as any wheel build does.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

def _run(args: list, cwd: Path, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{args} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, env): the wheel installed into a fresh virtual environment outside the repository."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("kg", "ontology", "queries"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, src], base, env)
    wheel = next(dist.glob("welfare_kg-*.whl"))

    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], base, env)
    py = venv / "bin" / "python"
    purelib = Path(_run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base, env)
                   .stdout.strip())
    # The dependencies the tests run with, by path (see the module docstring).
    (purelib / "_welfare_kg_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--python", py, "install", "-q", "--no-deps", "--no-index", wheel], base, env)
    return venv, env, wheel


@pytest.mark.slow
def test_wheel_carries_every_file_of_kg_and_the_ontology_and_queries(installed):
    _, _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    files = {p.relative_to(ROOT).as_posix() for p in (ROOT / "kg").rglob("*")
             if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert files - names == set(), "pyproject.toml [tool.setuptools] packages or package-data misses these"
    for folder, suffix in (("ontology", ".ttl"), ("queries", ".rq")):
        for p in (ROOT / folder).glob(f"*{suffix}"):
            assert f"kg/data/{folder}/{p.name}" in names
            assert zipfile.ZipFile(wheel).read(f"kg/data/{folder}/{p.name}") == p.read_bytes()


@pytest.mark.slow
def test_installed_kg_builds_validates_and_queries_outside_the_repository(installed, tmp_path):
    venv, env, _ = installed
    work = tmp_path / "elsewhere"
    (work / "reports").mkdir(parents=True)
    for p in sorted(SEEDS.glob("*.txt"))[:2]:
        shutil.copy2(p, work / "reports" / p.name)
    py, kg = venv / "bin" / "python", venv / "bin" / "kg"

    where = _run([py, "-c", "import kg.cli, kg.vocab.ontology as o, kg.stores.query as q; "
                            "print(kg.cli.__file__); print(o.ONTOLOGY_DIR); print(q.QUERIES_DIR)"], work, env).stdout
    assert all(line.startswith(str(venv)) for line in where.split()), where

    built = _run([kg, "build", "reports", "--out", "out"], work, env)
    assert "Built 2 reports" in built.stdout
    assert "meets the contract shapes" in built.stdout
    valid = _run([kg, "validate", "out/welfare.nq"], work, env)
    assert "Conforms: True" in valid.stdout or "conforms" in valid.stdout.lower()
    rows = _run([kg, "query", "out/store", "--name", "reports", "--format", "csv"], work, env).stdout
    assert sum(p.name in rows for p in (work / "reports").iterdir()) == 2

    # The installed package extracts exactly what the checkout does.
    from kg.build.run import build

    here = tmp_path / "checkout"
    build([work / "reports"], here, check=False)
    assert (work / "out" / "welfare.ttl").read_bytes() == (here / "welfare.ttl").read_bytes()
    assert (work / "out" / "welfare.nq").read_bytes() == (here / "welfare.nq").read_bytes()


def test_cache_key_covers_every_library_the_extraction_imports():
    """Every third-party module imported by a part that shapes a cache entry is a library
    whose version is in the key (kg.build.cache.LIBRARIES), so an upgrade misses the cache."""
    import ast
    from importlib import metadata

    from kg.build.cache import EXTRACTION_PARTS, LIBRARIES

    dists = metadata.packages_distributions()
    imported = set()
    for part in EXTRACTION_PARTS:
        for path in (ROOT / "kg" / part).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported |= {a.name.split(".")[0] for a in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    imported.add(node.module.split(".")[0])
    third_party = {d.lower() for m in imported - set(sys.stdlib_module_names) - {"kg"} for d in dists.get(m, [m])}
    assert third_party, "no imports found: the scan is broken"
    assert third_party - {lib.lower() for lib in LIBRARIES} == set()
