"""Nothing lost, nothing wrong, whatever the user does (issue 20).

Each test does what the issue's careless or hostile user did, with the real
command or library call on reports made from the seeds: same-named reports in two
folders, a build into its own input folder, reports dropped from the input, hostile
file names, planted cache entries, two builds at once, kill -9 of a build (and of
its parent) at random moments, runaway queries. Reports are the first lines of a
seed, so a build takes a second or two.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS

from kg.build.run import build
from kg.cli import main
from kg.errors import InputError
from kg.rdf.graph import ONTOLOGY_GRAPH
from kg.rdf.iris import mint
from seedtext import seed

ROOT = Path(__file__).resolve().parent.parent


def _head(text: str, chars: int) -> str:
    return text[: text.index("\n", chars) + 1]


SHORT_A = _head(seed("001"), 500)  # 市民政局 …: a few figures
SHORT_B = _head(seed("003"), 500)  # 路桥区民政局 …


def _sources(ttl: Path) -> dict[str, str]:
    """report IRI -> dcterms:source of a built welfare.ttl."""
    g = Graph().parse(ttl)
    return {str(s): str(o) for s, o in g.subject_objects(DCTERMS.source)}


# ---------------------------------------------------------------- identity


def test_same_file_name_in_two_folders_gives_two_reports(tmp_path):
    (tmp_path / "in" / "a").mkdir(parents=True)
    (tmp_path / "in" / "b").mkdir()
    (tmp_path / "in" / "a" / "report.txt").write_text(SHORT_A, encoding="utf-8")
    (tmp_path / "in" / "b" / "report.txt").write_text(SHORT_B, encoding="utf-8")
    result = build([tmp_path / "in"], tmp_path / "out")  # validated: two titles on one report broke the shapes
    assert len(result.records) == 2 and result.validated
    assert _sources(tmp_path / "out" / "welfare.ttl") == {
        str(mint("report", "a/report.txt")): "a/report.txt", str(mint("report", "b/report.txt")): "b/report.txt"}
    # Two folders given side by side: each name takes its folder's name, as it must to stay two.
    again = build([tmp_path / "in" / "a", tmp_path / "in" / "b"], tmp_path / "out2", check=False)
    assert sorted(r.source for r in again.records) == ["a/report.txt", "b/report.txt"]
    # The cache keys them apart too: a rebuild reads nothing and changes nothing.
    before = (tmp_path / "out" / "welfare.nq").read_bytes()
    rebuilt = build([tmp_path / "in"], tmp_path / "out")
    assert (rebuilt.extracted, rebuilt.cached) == (0, 2)
    assert (tmp_path / "out" / "welfare.nq").read_bytes() == before


def test_inputs_from_different_places_keep_short_names(tmp_path):
    """A seed named directly and a folder elsewhere: names as each input gives them, no machine paths."""
    from kg.build.inputs import collect

    (tmp_path / "mine" / "sub").mkdir(parents=True)
    (tmp_path / "mine" / "sub" / "q.txt").write_text(SHORT_A, encoding="utf-8")
    seed_file = ROOT / "seeds" / "000_d6bae9ba1e592f06.txt"
    found, _ = collect([seed_file, tmp_path / "mine"])
    assert [i.source for i in found] == ["000_d6bae9ba1e592f06.txt", "sub/q.txt"]


def test_a_flat_folder_keeps_file_names_as_identity(tmp_path):
    """The seeds' IRIs and sources (and so their exports) are what they were: the file name."""
    from kg.build.inputs import collect

    found, skipped = collect([ROOT / "seeds"], tmp_path)
    assert [i.source for i in found] == sorted(p.name for p in (ROOT / "seeds").glob("*.txt")) and not skipped
    one, _ = collect([ROOT / "seeds" / "003_732ef90900c28abd.txt"])
    assert [i.source for i in one] == ["003_732ef90900c28abd.txt"]


@pytest.mark.parametrize("twice", [1, 2])
def test_a_build_into_its_own_input_folder_reads_only_reports(tmp_path, twice):
    io = tmp_path / "io"
    io.mkdir()
    (io / "report.txt").write_text(SHORT_A, encoding="utf-8")
    for _ in range(twice):
        r = CliRunner().invoke(main, ["build", str(io), "--out", str(io)])
        assert r.exit_code == 0, r.output
        assert "Built 1 reports" in r.output
    assert set(_sources(io / "welfare.ttl").values()) == {"report.txt"}
    # A report folder with the exports inside it: the same.
    r = CliRunner().invoke(main, ["build", str(io), "--out", str(io / "exports")])
    assert r.exit_code == 0 and "Built 1 reports" in r.output, r.output
    r = CliRunner().invoke(main, ["build", str(io), "--out", str(io / "exports")])
    assert "Built 1 reports" in r.output, r.output


def test_an_export_named_as_input_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "report.txt").write_text(SHORT_A, encoding="utf-8")
    build([tmp_path / "report.txt"], tmp_path, check=False)
    r = CliRunner().invoke(main, ["build", str(tmp_path / "report.txt"), str(tmp_path / "welfare.html"),
                                  "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert f"skipped {tmp_path / 'welfare.html'}: written by kg build" in r.output


def test_file_names_that_are_not_utf8_build_with_escaped_names(tmp_path):
    """A Latin-1 file name stopped the corpus with UnicodeEncodeError in the IRI slug."""
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    for name, text in ((b"caf\xe9.txt", SHORT_A), ("民政.txt".encode("gb18030"), SHORT_B)):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(text.encode("utf-8"))
    r = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    sources = set(_sources(tmp_path / "out" / "welfare.ttl").values())
    assert sources == {"caf\\xe9.txt", "\\xc3\\xf1\\xd5\\xfe.txt"}


def test_names_that_read_the_same_once_escaped_are_not_merged(tmp_path):
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    for name in (b"caf\xe9.txt", b"caf\\xe9.txt"):
        with open(os.path.join(folder, name), "wb") as fh:
            fh.write(SHORT_A.encode("utf-8"))
    r = CliRunner().invoke(main, ["build", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-validate"])
    assert r.exit_code == 0, r.output
    assert "Built 1 reports" in r.output
    assert "once undecodable bytes are escaped (caf\\xe9.txt); rename one of them" in r.output


def test_hostile_characters_in_a_name_stay_one_report_with_that_name(tmp_path):
    (tmp_path / "in").mkdir()
    name = 'a "q" <x> #%E9 {y}\\ z?.txt'
    (tmp_path / "in" / name).write_text(SHORT_A, encoding="utf-8")
    build([tmp_path / "in"], tmp_path / "out")
    assert _sources(tmp_path / "out" / "welfare.ttl") == {str(mint("report", name)): name}
    ds = Dataset().parse(tmp_path / "out" / "welfare.nq", format="nquads")
    assert {str(c) for _, _, _, c in ds.quads((None, DCTERMS.source, None, None))} == {str(mint("report", name))}


# ---------------------------------------------------------------- the store mirrors the exports


def test_reports_dropped_from_the_input_leave_the_store(tmp_path):
    from kg.stores.store import graph_counts

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(SHORT_A, encoding="utf-8")
    (tmp_path / "in" / "two.txt").write_text(SHORT_B, encoding="utf-8")
    build([tmp_path / "in"], tmp_path / "out", check=False, store=tmp_path / "out" / "store")
    (tmp_path / "in" / "two.txt").unlink()
    result = build([tmp_path / "in"], tmp_path / "out", check=False, store=tmp_path / "out" / "store")
    assert set(graph_counts(tmp_path / "out" / "store")) - {""} == {
        str(mint("report", "one.txt")), str(ONTOLOGY_GRAPH)} and result.store_kept == 0


# ---------------------------------------------------------------- every failure a message


def _kg(*args, cwd=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    """The real ``kg`` command in a new process (this checkout's code)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kg.cli", *map(str, args)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, **kw)


def _one_line_error(proc: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    # kg load's progress bar (tqdm) writes "kg load:  50%|█████     | 1/2" lines too
    lines = [line for line in proc.stderr.replace("\r", "\n").splitlines() if line.startswith("kg ") and "%|" not in line]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def small_build(tmp_path_factory):
    """One report built into a folder (exports and store), for the commands that read a graph."""
    d = tmp_path_factory.mktemp("small")
    (d / "in").mkdir()
    (d / "in" / "report.txt").write_text(SHORT_A, encoding="utf-8")
    build([d / "in"], d / "out", check=False, store=d / "out" / "store")
    return d


def test_out_naming_a_file_is_a_message(small_build, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("mine", encoding="utf-8")
    _one_line_error(_kg("build", small_build / "in", "--out", target), 2, str(target), "is not a folder")
    assert target.read_text(encoding="utf-8") == "mine"


def test_an_output_folder_that_cannot_be_written_is_a_message(small_build, tmp_path):
    if os.geteuid() == 0:  # root writes into any folder it may not: a file system that takes no new files
        folder = Path("/sys/kernel")
    else:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
    _one_line_error(_kg("build", small_build / "in", "--out", folder), 2, str(folder), "cannot write")
    _one_line_error(_kg("build", small_build / "in", "--out", folder / "new"), 2, str(folder / "new"),
                    "cannot create the output folder")


def test_a_malformed_iri_in_a_param_is_a_message(small_build):
    proc = _kg("query", small_build / "out" / "welfare.ttl", "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1",
               "--param", "x=<not an iri>")
    _one_line_error(proc, 1, "--param x=<not an iri>", "not a valid RDF term")


@pytest.mark.parametrize("content, problem", [("garbage <<\n", "not valid NQ"),
                                              ("", "no triples in any named graph")])
def test_kg_load_refuses_a_malformed_or_empty_graph_file(tmp_path, content, problem):
    bad = tmp_path / "graph.nq"
    bad.write_text(content, encoding="utf-8")
    _one_line_error(_kg("load", bad, "--endpoint", "http://127.0.0.1:9/query"), 1, str(bad), problem)


def test_kg_viz_out_naming_a_folder_is_a_message(small_build, tmp_path):
    _one_line_error(_kg("viz", small_build / "out" / "welfare.ttl", "--out", tmp_path), 2, str(tmp_path),
                    "is a folder")


def test_a_load_failing_midway_says_which_graphs_landed_and_how_to_resume(small_build):
    """A real HTTP Graph Store that takes the first PUT and fails the second."""
    import http.server
    import threading

    puts = []

    class Store(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            puts.append(self.path)
            self.send_response(204 if len(puts) == 1 else 500)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Store)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        port = server.server_address[1]
        proc = _kg("load", small_build / "out" / "welfare.nq", "--endpoint", f"http://127.0.0.1:{port}/query")
    finally:
        server.shutdown()
    _one_line_error(proc, 2, "HTTP 500", "1 of 2 graphs were already replaced",
                    "https://w3id.org/welfare-kg/data/report/report.txt", "run the same kg load again")


# ---------------------------------------------------------------- one build per output folder


def test_a_second_build_into_a_busy_folder_refuses_naming_the_holder(small_build, tmp_path):
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import sys; from pathlib import Path; "
                               "from kg.build.lock import hold; hold(Path(sys.argv[1])); print('held', flush=True); "
                               "sys.stdin.read()", str(out)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = _kg("build", small_build / "in", "--out", out, "--wait", "0.5")
        _one_line_error(proc, 2, str(out), f"another kg build is writing here (pid {holder.pid} on")
    finally:
        holder.kill()  # a holder killed outright: its lock goes with it
        holder.wait()
    proc = _kg("build", small_build / "in", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert not (out / ".kg-build.lock").exists()


def test_two_concurrent_builds_never_crash_and_leave_valid_exports(small_build, tmp_path):
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(small_build / "in"), "--out", str(out),
                               "--wait", "300"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs)
    for name in ("welfare.ttl", "welfare.nq"):
        assert (out / name).read_bytes() == (small_build / "out" / name).read_bytes()


# ---------------------------------------------------------------- planted cache entries


def test_a_planted_pickle_in_the_cache_runs_nothing_and_is_named(small_build, tmp_path):
    """The issue's attack: a pickle in OUT/.cache that runs os.system during an ordinary build."""
    import pickle

    out = tmp_path / "out"
    shutil.copytree(small_build / "out", out)
    proof = tmp_path / "ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {proof}",))

    entries = sorted((out / ".cache").glob("*.rec"))
    assert entries
    for entry in entries:
        entry.write_bytes(pickle.dumps(Payload()))
    state = out / ".cache" / "merged"
    if state.is_dir():
        for f in state.iterdir():
            if f.name != "merged.nt":
                f.write_bytes(pickle.dumps(Payload()))
    proc = _kg("build", small_build / "in", "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert not proof.exists(), "a cache entry ran code"
    assert f"warning cache entry {entries[0]}: not a cache entry" in proc.stderr
    assert (out / "welfare.nq").read_bytes() == (small_build / "out" / "welfare.nq").read_bytes()


# ---------------------------------------------------------------- bounded queries

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_a_runaway_query_stops_at_its_timeout_with_a_message(small_build):
    import time

    started = time.monotonic()
    proc = _kg("query", small_build / "out" / "welfare.nq", RUNAWAY, "--timeout", "2")
    _one_line_error(proc, 1, "stopped after 2 s (--timeout)")
    assert time.monotonic() - started < 60


def test_ctrl_c_stops_a_runaway_query(small_build):
    import signal
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", str(small_build / "out" / "welfare.nq"),
                             RUNAWAY, "--timeout", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    time.sleep(4)  # started, loaded, computing
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130 and "kg query: interrupted" in err, err


def test_a_capped_result_says_so(small_build):
    from kg.stores.bounded import run_bounded

    proc = _kg("query", small_build / "out" / "welfare.nq", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
               "--max-rows", "7", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1 + 7
    assert "stopped at 7 rows (--max-rows); there are more" in proc.stderr
    whole = run_bounded(small_build / "out" / "welfare.nq", "SELECT ?s WHERE { ?s a wf:Report }", max_rows=1)
    assert not whole.capped and len(whole.rows) == 1  # exactly the cap: nothing left out, nothing said


# ---------------------------------------------------------------- kill -9 at random moments

#: How ``kg build`` is started, per engine. Another engine's options go here (the Dask
#: engine's helper adds e.g. ``"dask": ["--engine", "dask"]``) and every kill test runs with it.
BUILD_ENGINES = {"one process": [], "--jobs 2": ["--jobs", "2"]}


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux /proc), found before it is killed."""
    kids = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids |= {int(k) for k in (task / "children").read_text().split()}
        except OSError:
            pass
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its exit status waits to be collected


def _export_bytes(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in ("welfare.ttl", "welfare.nq", "welfare.html") if (out / n).exists()}


@pytest.mark.slow
@pytest.mark.parametrize("engine", list(BUILD_ENGINES))
def test_kill_9_at_random_moments_loses_nothing_and_leaves_no_worker(engine, tmp_path):
    import random
    import signal
    import time

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i, code in enumerate(("000", "001", "003")):
        (corpus / f"r{i}.txt").write_text(_head(seed(code), 900), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "kg.cli", "build", str(corpus), *BUILD_ENGINES[engine], "--no-validate"]
    started = time.monotonic()
    subprocess.run(args + ["--out", str(tmp_path / "reference")], env=env, check=True, capture_output=True)
    full = time.monotonic() - started
    new = _export_bytes(tmp_path / "reference")
    out = tmp_path / "out"
    (corpus / "r2.txt").rename(tmp_path / "r2.txt")  # the previous exports: two of the three reports
    subprocess.run(args + ["--out", str(out)], env=env, check=True, capture_output=True)
    (tmp_path / "r2.txt").rename(corpus / "r2.txt")
    old = _export_bytes(out)
    rng = random.Random(20)  # fixed: a failure replays
    for delay in sorted(rng.uniform(0.2, full) for _ in range(3)):
        proc = subprocess.Popen(args + ["--out", str(out), "--no-cache"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        workers = _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _export_bytes(out) in (old, new), f"killed at {delay:.1f} s: a mix of old and new exports"
        deadline = time.monotonic() + 10
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), f"workers {workers} outlived the build killed at {delay:.1f} s"
    done = subprocess.run(args + ["--out", str(out)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _export_bytes(out) == new
    assert not (out / ".kg-build.lock").exists()
    assert not [p for p in out.iterdir() if p.name.startswith(".kg-build-")]


# ---------------------------------------------------------------- properties of names and text

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WHOLE_BUILD = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])
NAMES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\0"), min_size=1, max_size=24)


@WHOLE_BUILD
@given(name=NAMES, folder=st.one_of(st.none(), NAMES))
def test_any_file_name_is_one_report_known_by_its_path(name, folder):
    import tempfile

    name += ".txt"
    with tempfile.TemporaryDirectory(prefix="kg-robust-") as d:
        root = Path(d) / "in"
        target = root / folder / name if folder not in (None, ".", "..") else root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(SHORT_A, encoding="utf-8")
        result = build([root], Path(d) / "out", check=False)
        source = target.relative_to(root).as_posix()
        assert [r.source for r in result.records] == [source] and not result.skipped
        assert _sources(Path(d) / "out" / "welfare.ttl") == {str(mint("report", source)): source}


@WHOLE_BUILD
@given(junk=st.text(max_size=200), where=st.integers(0, 10))
def test_any_text_in_a_report_builds_and_rebuilds_from_the_cache_identically(junk, where):
    """Whatever the text holds (control characters, lone marks, any script), the build runs, or
    refuses the file with a message naming it; and the record read back from the JSON cache gives
    the very same exports as the fresh one."""
    import tempfile

    lines = SHORT_A.splitlines(keepends=True)
    text = "".join(lines[:where]) + junk + "".join(lines[where:])
    with tempfile.TemporaryDirectory(prefix="kg-robust-") as d:
        (Path(d) / "in").mkdir()
        (Path(d) / "in" / "report.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            first = build([Path(d) / "in"], Path(d) / "out", check=False)
        except InputError as e:  # text the reader refuses (NUL characters: binary): said, naming the file
            assert f"{Path(d) / 'in' / 'report.txt'}: " in str(e)
            return
        exports = _export_bytes(Path(d) / "out")
        (Path(d) / "out" / "welfare.nq").unlink()  # the rebuild must write it again, from the cache
        again = build([Path(d) / "in"], Path(d) / "out", check=False)
        assert (again.extracted, again.cached) == (0, len(first.records))
        assert _export_bytes(Path(d) / "out") == exports
        assert again.records == first.records


@pytest.mark.slow
def test_workers_die_with_a_build_killed_while_they_work(tmp_path):
    """Issue 20: after kill -9 of a --jobs 2 build both workers stayed alive for minutes."""
    import signal
    import time

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(6):
        (corpus / f"r{i}.txt").write_text(seed(("000", "001", "003")[i % 3]), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(tmp_path / "out"),
                             "--jobs", "2", "--no-cache"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(workers := _children(proc.pid)) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the pool never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_query_file_missing_or_not_utf8_is_a_message(small_build, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_bytes(b"\xff\xfe SELECT")
    _one_line_error(_kg("query", small_build / "out" / "store", "--file", bad), 1, str(bad), "not UTF-8 text")
    _one_line_error(_kg("query", small_build / "out" / "store", "--file", tmp_path / "none.rq"), 1,
                    str(tmp_path / "none.rq"), "No such file")
