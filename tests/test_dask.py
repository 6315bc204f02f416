"""`kg build --engine dask`: the extraction on a real Dask cluster, the same bytes as `--jobs 1`.

The cluster test starts a `dask scheduler` and two `dask worker` processes on 127.0.0.1
(free ports, stopped afterwards) and builds through `--address`, as on a real cluster."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg.build.run as kb
from conftest import free_port
from kg.bench.corpus import generate
from kg.build.cache import Cache, entry_key, pipeline_key
from kg.build.engines import EngineError, extract_on_worker

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EXPORTS = ("welfare.ttl", "welfare.nq")


def _exports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in EXPORTS}


def _kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=600)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Dask scheduler and two single-threaded workers, each its own process group, on loopback."""
    from distributed import Client

    logs = tmp_path_factory.mktemp("dask-logs")
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    procs = []

    def start(name: str, *args: str) -> None:
        log = open(logs / f"{name}.log", "wb")
        procs.append(subprocess.Popen([sys.executable, "-m", "dask", *args], stdout=log, stderr=subprocess.STDOUT,
                                      env=env, start_new_session=True))

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
        for i in range(2):
            start(f"worker{i}", "worker", address, "--host", "127.0.0.1", "--nthreads", "1", "--no-dashboard",
                  "--name", f"kg-test-{i}", "--death-timeout", "60")
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
            except (OSError, TimeoutError):
                if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                    text = "\n".join((logs / f).read_text(errors="replace")[-1500:] for f in os.listdir(logs))
                    pytest.fail(f"the Dask cluster did not start:\n{text}", pytrace=False)
                time.sleep(1)
        yield address
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.mark.slow
def test_a_scheduler_and_two_workers_write_the_same_bytes_as_one_process(cluster, tmp_path):
    corpus = tmp_path / "corpus"
    generate(24, corpus)
    for name, inputs in (("seeds", [SEEDS]), ("corpus", [corpus])):
        one = kb.build(inputs, tmp_path / f"{name}-one", jobs=1, use_cache=False, check=False)
        dask = kb.build(inputs, tmp_path / f"{name}-dask", engine="dask", address=cluster, check=False)
        assert _exports(tmp_path / f"{name}-one") == _exports(tmp_path / f"{name}-dask"), name
        assert one.records == dask.records and dask.extracted == len(one.records)
        # Every report's entry was written into the build's cache by the workers.
        assert len(list((tmp_path / f"{name}-dask" / ".cache").glob("*.rec"))) == len(one.records)


@pytest.mark.slow
def test_the_cache_written_on_the_cluster_serves_a_rebuild_in_one_process(cluster, tmp_path):
    out = tmp_path / "out"
    kb.build([SEEDS], out, engine="dask", address=cluster, check=False)
    again = kb.build([SEEDS], out, jobs=1, check=False)
    assert again.extracted == 0 and again.cached == 5


@pytest.mark.slow
def test_kg_build_engine_dask_on_a_local_cluster_matches_the_shipped_seed_exports(tmp_path):
    """No --address: a LocalCluster of --jobs workers; the command line as a user runs it."""
    proc = _kg("build", str(SEEDS), "--out", str(tmp_path / "out"), "--engine", "dask", "--jobs", "2", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    one = kb.build([SEEDS], tmp_path / "one", jobs=1, use_cache=False, check=False)
    assert one.extracted == 5
    assert _exports(tmp_path / "out") == _exports(tmp_path / "one")
    assert "the graph meets the contract shapes" in proc.stdout


def test_an_unreachable_scheduler_is_a_one_line_usage_error(tmp_path):
    port = free_port()  # nothing listens there
    proc = _kg("build", str(SEEDS / sorted(os.listdir(SEEDS))[0]), "--out", str(tmp_path / "out"), "--engine", "dask",
               "--address", f"tcp://127.0.0.1:{port}", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"kg build: --address tcp://127.0.0.1:{port}: cannot reach a Dask scheduler")
    assert not (tmp_path / "out" / "welfare.ttl").exists()


def test_address_without_the_dask_engine_is_refused(tmp_path):
    proc = _kg("build", str(SEEDS), "--out", str(tmp_path / "out"), "--address", "tcp://127.0.0.1:8786", cwd=tmp_path)
    assert proc.returncode == 2 and "--engine dask" in proc.stderr


def _task(tmp_path: Path, cache_dir: Path):
    path = sorted(SEEDS.glob("*.txt"))[0]
    data = path.read_bytes()
    return kb._Task(str(path), data, entry_key(path.name, data, pipeline_key()), str(cache_dir), None, False)


def test_a_worker_without_the_cache_folder_sends_the_entry_back(tmp_path):
    """A cluster without a shared filesystem: the worker's probe token does not match, so it
    writes nothing into the (to it foreign) cache folder and returns the entry instead."""
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    task = _task(tmp_path, cache_dir)
    blob, reason, _, entry = extract_on_worker(task, pipeline_key(), token="not-the-parents")
    assert reason is None and entry is not None
    assert list(cache_dir.iterdir()) == []
    rows, record = entry
    assert record == blob and rows.endswith(b" .\n") and rows.count(b"\n") > 100
    # ... and what it sends back is the entry it would have written.
    (cache_dir / ".kg-engine-probe").write_text("token", encoding="ascii")
    extract_on_worker(task, pipeline_key(), token="token")
    assert Cache(cache_dir).triples_path(task.key).read_bytes() == rows


def test_a_worker_running_other_code_refuses_the_task(tmp_path):
    task = _task(tmp_path, tmp_path)
    with pytest.raises(EngineError, match="runs other kg code"):
        extract_on_worker(task, "0" * 20, token=None)
