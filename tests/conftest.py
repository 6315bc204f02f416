"""Shared pytest fixtures. Each helper's fixtures sit under their own heading;
add yours below with clearly named fixtures rather than changing these."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SETUP_HINT = "run `bash tests/setup_system.sh` (as root) to install it; CI runs it before pytest"


# ---------------------------------------------------------------- SPARQL and triple stores (issue 4)


@pytest.fixture(scope="session")
def seeds_built(tmp_path_factory):
    """The seeds built once per session: out/welfare.ttl, out/welfare.nq and the store out/store."""
    from kg.build.run import build

    out = tmp_path_factory.mktemp("seeds-build")
    build([SEEDS], out, store=out / "store")
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require(binary: str) -> str:
    """The path of a system binary the tests start, or a failure saying how to get it (never a skip)."""
    path = shutil.which(binary) or (str(ROOT / ".venv/bin" / binary) if (ROOT / ".venv/bin" / binary).exists() else None)
    if not path:
        pytest.fail(f"{binary} not found: {SETUP_HINT}", pytrace=False)
    return path


def wait_http(url: str, proc: subprocess.Popen, seconds: float = 60, log: Path | None = None) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text()[-2000:] if log else ''}")
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready at {url} after {seconds} s")


def stop(proc: subprocess.Popen, seconds: float = 30) -> None:
    """Stop a server we started, by its PID, and wait until it is gone."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(seconds)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


class Server:
    def __init__(self, name: str, query: str, gsp: str, user: str | None = None, password: str | None = None):
        self.name, self.query, self.gsp, self.user, self.password = name, query, gsp, user, password


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory):
    """`oxigraph serve` (PyPI package oxigraph) on a free loopback port, union default graph."""
    binary = require("oxigraph")
    d = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    log = d / "server.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([binary, "serve", "--location", str(d / "db"), "--bind", f"127.0.0.1:{port}",
                                 "--union-default-graph"], stdout=fh, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc, 30, log)
        yield Server("oxigraph", f"http://127.0.0.1:{port}/query", f"http://127.0.0.1:{port}/store")
    finally:
        stop(proc)


VIRTUOSO_PASSWORD = "kgTest42"  # letters and digits only: isql-vt's SET PASSWORD takes no quotes


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A private Virtuoso 7 (Debian virtuoso-opensource) in a temp dir, free ports, a new dba password."""
    virtuoso, isql, inifile = require("virtuoso-t"), require("isql-vt"), require("inifile")
    d = tmp_path_factory.mktemp("virtuoso")
    ini = d / "virtuoso.ini"
    shutil.copy("/etc/virtuoso-opensource-7/virtuoso.ini", ini)
    sql_port, http_port = free_port(), free_port()
    settings = {
        "Database": {"DatabaseFile": d / "virtuoso.db", "ErrorLogFile": d / "virtuoso.log",
                     "LockFile": d / "virtuoso.lck", "TransactionFile": d / "virtuoso.trx",
                     "xa_persistent_file": d / "virtuoso.pxa"},
        "TempDatabase": {"DatabaseFile": d / "virtuoso-temp.db", "TransactionFile": d / "virtuoso-temp.trx"},
        "Parameters": {"ServerPort": f"127.0.0.1:{sql_port}", "DirsAllowed": f"., {d}"},
        "HTTPServer": {"ServerPort": f"127.0.0.1:{http_port}"},
    }
    for section, keys in settings.items():
        for key, value in keys.items():
            subprocess.run([inifile, "+inifile", str(ini), "+section", section, "+key", key, "+value", str(value)],
                           check=True)
    log = d / "stdout.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen([virtuoso, "+foreground", "+configfile", str(ini)], cwd=d,
                                stdout=fh, stderr=subprocess.STDOUT)
    try:
        wait_http(f"http://127.0.0.1:{http_port}/sparql?query=ASK%7B%7D", proc, 90, log)
        # Without checkpoint the new password is lost if the server is stopped before its own checkpoint.
        subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", "dba",
                        f"EXEC=SET PASSWORD dba {VIRTUOSO_PASSWORD}; checkpoint;"],
                       check=True, capture_output=True, timeout=60)
        base = f"http://127.0.0.1:{http_port}"
        yield Server("virtuoso", f"{base}/sparql", f"{base}/sparql-graph-crud-auth", "dba", VIRTUOSO_PASSWORD)
    finally:
        stop(proc, 60)


JENA_JARS = ("jena-*.jar", "commons-cli.jar", "commons-codec.jar", "commons-compress.jar", "commons-csv.jar",
             "commons-io.jar", "commons-lang3.jar", "dexx.collection.jar", "gson.jar", "guava.jar",
             "httpclient.jar", "httpcore.jar", "jackson-core.jar", "jackson-databind.jar",
             "jackson-annotations.jar", "jsonld-java.jar", "jakarta.json-api.jar", "protobuf*.jar", "libthrift*.jar",
             "thrift*.jar", "titanium-json-ld*.jar", "slf4j-api.jar", "slf4j-simple.jar")


@pytest.fixture(scope="session")
def jena_classpath(tmp_path_factory) -> str:
    """A classpath on which Debian's Jena 4.5 commands start (see shared/notes/triple-stores.md):
    Jena's xerces message files extracted first (a packaging bug breaks XSD datatypes without them),
    and only one slf4j binding."""
    require("java")
    java_dir = Path("/usr/share/java")
    core = java_dir / "jena-core.jar"
    if not core.exists():
        pytest.fail(f"{core} not found (Debian libapache-jena-java): {SETUP_HINT}", pytrace=False)
    fix = tmp_path_factory.mktemp("jena-fix")
    # The classes were relocated to package ``xerces`` but their message files were not:
    # copy org/apache/jena/ext/xerces/**.properties to xerces/** where the classes look.
    prefix = "org/apache/jena/ext/"
    with zipfile.ZipFile(core) as z:
        for name in z.namelist():
            if name.startswith(prefix + "xerces/") and name.endswith(".properties"):
                target = fix / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(z.read(name))
    jars: list[str] = []
    for pattern in JENA_JARS:
        for jar in sorted(java_dir.glob(pattern)):
            # Unversioned names only (Debian symlinks), so each jar is on the path once.
            if not re.search(r"-\d[\d.]*$", jar.stem) and str(jar) not in jars:
                jars.append(str(jar))
    return os.pathsep.join([str(fix)] + jars)
