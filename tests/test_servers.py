"""The graph in real triple stores: `kg load` into an Oxigraph server and a Virtuoso
started here, then every named query answered the same as by the embedded store."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.stores.query import named_queries, normalised, run_query

pytestmark = pytest.mark.server

PARAMS = {"quote-search": {"word": "临时救助"}, "figures": {"concept": "低保"}, "standard-by-year": {"concept": "低保"},
          "regions-by-year": {"year": "2020"}, "rule-figures": {"rule": "total-of-the-parts"}}
# Queries about what the seeds do not hold (no seed has a table): the server and the embedded
# store must agree on their empty answer; tests/test_tables.py runs them where rows exist.
NOT_IN_SEEDS = {"table"}


def as_set(rows):
    return {tuple(normalised(t) for t in row) for row in rows}


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def loaded_server(request, seeds_built):
    """A server with the seeds' named graphs loaded through `kg load`, and that command's output."""
    server = request.getfixturevalue(f"{request.param}_server")
    args = ["load", str(seeds_built / "welfare.nq"), "--endpoint", server.query]
    env = {}
    if server.user:
        args += ["--gsp", server.gsp, "--user", server.user, "--password-env", "KG_TEST_PW", "--auth", "digest"]
        env["KG_TEST_PW"] = server.password
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    return server, result.output


def test_load_counts_every_graph(loaded_server, seeds_built):
    server, output = loaded_server
    from kg.stores.load import graphs_of

    graphs = graphs_of(seeds_built / "welfare.nq")
    assert len(graphs) == 6  # five reports and the ontology
    for iri, triples in graphs.items():
        line = next(l for l in output.splitlines() if l.startswith(iri))
        assert line.split()[1:] == [str(len(triples)), str(len(triples)), "yes"], line
    assert "total" in output


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_query_same_as_embedded(loaded_server, seeds_built, name):
    server, _ = loaded_server
    text = named_queries()[name].text
    names, embedded = run_query(seeds_built / "store", text, PARAMS.get(name))
    remote_names, remote = run_query(server.query, text, PARAMS.get(name))
    assert remote_names == names
    assert embedded or name in NOT_IN_SEEDS, f"{name} returns no rows on the seeds"
    assert as_set(remote) == as_set(embedded)


def test_reload_replaces_graphs(loaded_server, seeds_built):
    """Loading again replaces each graph (PUT), so the counts stay the same."""
    server, _ = loaded_server
    from kg.stores.load import count_triples, graphs_of, load

    result = load(seeds_built / "welfare.nq", server.query, server.gsp, server.user, server.password,
                  progress=False)
    assert result.ok
    for iri, triples in graphs_of(seeds_built / "welfare.nq").items():
        assert count_triples(server.query, iri) == len(triples)


def test_wrong_password_is_a_clear_error(virtuoso_server, seeds_built):
    result = CliRunner().invoke(main, ["load", str(seeds_built / "welfare.nq"), "--endpoint", virtuoso_server.query,
                                       "--gsp", virtuoso_server.gsp, "--user", "dba", "--password-env", "KG_BAD"],
                                env={"KG_BAD": "wrong"})
    assert result.exit_code == 2
    assert "HTTP 401" in result.output


def test_basic_auth_refused_by_virtuoso(virtuoso_server, seeds_built):
    result = CliRunner().invoke(main, ["load", str(seeds_built / "welfare.nq"), "--endpoint", virtuoso_server.query,
                                       "--gsp", virtuoso_server.gsp, "--user", "dba", "--password-env", "KG_PW",
                                       "--auth", "basic"], env={"KG_PW": virtuoso_server.password})
    assert result.exit_code == 2
    assert "digest" in result.output
