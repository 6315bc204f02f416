"""`kg load` at scale (issue 17): bounded requests, retries, and a resumable position.

Against a real `oxigraph serve`; failures come from a small HTTP relay on loopback in front
of it that answers 503 to chosen requests (the way a loaded or restarting store does)."""
from __future__ import annotations

import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from math import ceil

import pytest
import requests
from click.testing import CliRunner

from kg.cli import main
from kg.stores.load import LoadError, count_triples, graph_sizes, load, state_path

pytestmark = pytest.mark.server


class Relay:
    """Forwards Graph Store requests to ``upstream``; request numbers in ``fail`` (1-based), or
    every one from ``down_from`` on, get HTTP 503 instead. Records each body's line count."""

    def __init__(self, upstream: str) -> None:
        self.upstream, self.fail, self.down_from, self.seen, self.lines = upstream, set(), None, 0, []
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                relay.seen += 1
                if relay.seen in relay.fail or (relay.down_from is not None and relay.seen >= relay.down_from):
                    self.send_response(503)
                    self.end_headers()
                    return
                relay.lines.append(body.count(b"\n"))
                query = self.path.partition("?")[2]
                resp = requests.request(self.command, f"{relay.upstream}?{query}", data=body, timeout=60,
                                        headers={"Content-Type": self.headers["Content-Type"]})
                self.send_response(resp.status_code)
                self.send_header("Content-Length", str(len(resp.content)))
                self.end_headers()
                self.wfile.write(resp.content)

            do_PUT = do_POST = _forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def relay(oxigraph_server):
    r = Relay(oxigraph_server.gsp)
    yield r
    r.close()


@pytest.fixture
def nq(seeds_built, tmp_path):
    path = tmp_path / "welfare.nq"
    shutil.copy(seeds_built / "welfare.nq", path)
    return path


def test_a_graph_larger_than_a_chunk_lands_whole_in_bounded_requests(oxigraph_server, relay, nq):
    sizes = graph_sizes(nq)
    assert max(sizes.values()) > 1000
    result = CliRunner().invoke(main, ["load", str(nq), "--endpoint", oxigraph_server.query, "--gsp", relay.url,
                                       "--chunk", "500", "--content", "ntriples"])
    assert result.exit_code == 0, result.output
    assert relay.seen == sum(ceil(n / 500) for n in sizes.values())
    assert max(relay.lines) <= 500
    for iri, n in sizes.items():
        assert count_triples(oxigraph_server.query, iri) == n
    assert f"Landed: {len(sizes)} graphs, {sum(sizes.values()):,} triples; {relay.seen} requests." in result.output
    assert not state_path(nq).exists()  # all landed: nothing to resume


def test_requests_that_fail_for_a_while_are_retried(oxigraph_server, relay, nq):
    relay.fail = {2, 3}
    result = load(nq, oxigraph_server.query, relay.url, progress=False, retries=2, backoff=0.01)
    assert result.ok and result.retried == 2 and result.requests == len(graph_sizes(nq)) + 2


def test_an_interrupted_load_resumes_after_the_last_graph_that_landed(oxigraph_server, relay, nq):
    sizes = graph_sizes(nq)
    relay.down_from = 3  # the store goes away after two graphs
    with pytest.raises(LoadError, match="HTTP 503"):
        load(nq, oxigraph_server.query, relay.url, progress=False, retries=1, backoff=0.01)
    assert state_path(nq).exists()
    relay.down_from, relay.seen = None, 0
    result = load(nq, oxigraph_server.query, relay.url, progress=False, backoff=0.01)
    assert result.ok and result.resumed == 2
    assert relay.seen == len(sizes) - 2  # the two graphs that had landed are not sent again
    assert result.triples == sum(sizes.values())
    assert not state_path(nq).exists()


def test_a_changed_source_is_not_resumed(oxigraph_server, relay, nq):
    relay.down_from = 2
    with pytest.raises(LoadError):
        load(nq, oxigraph_server.query, relay.url, progress=False, retries=0)
    st = nq.stat()
    os.utime(nq, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # rewritten since: maybe other graphs
    relay.down_from, relay.seen = None, 0
    result = load(nq, oxigraph_server.query, relay.url, progress=False)
    assert result.ok and result.resumed == 0 and relay.seen == len(graph_sizes(nq))
