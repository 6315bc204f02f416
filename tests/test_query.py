"""kg query: the shipped questions answered on the seeds, parameters bound as terms, output formats."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.stores.query import (QueryError, bind_values, display, format_rows, named_queries, parse_term, run_query,
                      width, _where_brace)

SEED_SOURCES = {"000_d6bae9ba1e592f06.txt", "001_95d81fb4b8856ce5.txt", "002_fcd62b2b2fc2b1bd.txt",
                "003_732ef90900c28abd.txt", "004_aa630b486087a770.txt"}


def records(seeds_built, name, params=None, source="store"):
    names, rows = run_query(seeds_built / source, named_queries()[name].text, params)
    return [dict(zip(names, (display(t) for t in row))) for row in rows]


def test_every_named_query_has_a_question():
    queries = named_queries()
    assert {"reports", "standards", "spending", "programme-groups", "changes", "redacted",
            "quote-search"} <= set(queries)
    for q in queries.values():
        assert q.text.startswith("# Question: ") and q.question.endswith("?"), q.name


@pytest.mark.parametrize("source", ["store", "welfare.nq", "welfare.ttl"])
def test_reports_from_every_kind_of_source(seeds_built, source):
    rows = records(seeds_built, "reports", source=source)
    assert {r["source"] for r in rows} == SEED_SOURCES
    by = {r["source"]: r for r in rows}
    assert by["002_fcd62b2b2fc2b1bd.txt"]["region"] == "吕梁市"
    assert by["004_aa630b486087a770.txt"]["region"] == "环翠区"
    assert (by["000_d6bae9ba1e592f06.txt"]["start"], by["000_d6bae9ba1e592f06.txt"]["end"]) == ("2020-01-01",
                                                                                              "2020-06-30")
    assert all(int(r["figures"]) > 0 for r in rows)


def test_standards_include_670_yuan_for_000(seeds_built):
    rows = records(seeds_built, "standards")
    hit = [r for r in rows if r["source"] == "000_d6bae9ba1e592f06.txt" and r["value"] == "670"]
    assert hit and hit[0]["unit"] == "元" and hit[0]["text"] == "670元/月"
    # Reached through skos:broader*: a programme's field is the root above it.
    assert any(r["field"] and r["programme"] for r in rows)


def test_changes_630_to_670(seeds_built):
    rows = records(seeds_built, "changes")
    assert any(r["previous"] == "630" and r["new"] == "670" and r["unit"] == "元" for r in rows)
    assert all(r["previous"] for r in rows)


def test_spending_sums_money_per_report(seeds_built):
    rows = records(seeds_built, "spending")
    assert rows and all(Decimal(r["total"]) > 0 and int(r["figures"]) >= 1 for r in rows)
    assert {r["source"] for r in rows} <= SEED_SOURCES
    # 共发放临时救助资金75.63万元 is spending on 临时救助 in report 000.
    assert any(r["source"].startswith("000_") and r["programme"] == "临时救助" and Decimal(r["total"]) >= 756300
               for r in rows)


def test_redacted_figures_are_the_xx_ones(seeds_built):
    rows = records(seeds_built, "redacted")
    assert len(rows) >= 10
    assert all("X" in r["text"] for r in rows)
    assert {r["source"] for r in rows} == {"001_95d81fb4b8856ce5.txt"}


def test_programme_groups(seeds_built):
    rows = records(seeds_built, "programme-groups")
    assert rows and {r["via"] for r in rows} <= {"ontology", "figures"}
    assert all(r["programme"] and r["group"] for r in rows)


def test_quote_search_binds_the_word(seeds_built):
    rows = records(seeds_built, "quote-search", {"word": "临时救助"})
    assert all("临时救助" in r["quote"] and r["word"] == "临时救助" for r in rows)
    assert any(r["text"] == "75.63万元" and r["value"] == "756300" for r in rows)


INJECTION = '临时救助" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("'


def test_parameter_is_a_literal_not_query_text(seeds_built):
    text = named_queries()["quote-search"].text
    assert run_query(seeds_built / "store", text, {"word": INJECTION})[1] == []
    # For endpoints the term goes into a VALUES block, escaped by pyoxigraph's serialiser.
    bound = bind_values(text, {"word": parse_term(INJECTION)})
    assert "DROP" in bound and run_query(seeds_built / "welfare.nq", bound)[1] == []
    assert run_query(seeds_built / "store", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[1][0][0].value != "0"


def test_values_binding_matches_substitution(seeds_built):
    text = named_queries()["quote-search"].text
    direct = run_query(seeds_built / "store", text, {"word": "临时救助"})
    bound = run_query(seeds_built / "store", bind_values(text, {"word": ox.Literal("临时救助")}))
    assert sorted(map(str, direct[1])) == sorted(map(str, bound[1])) and direct[1]


def test_where_brace_skips_comments_strings_and_iris():
    q = '# { not here\nPREFIX a: <http://x/{y}#>\nSELECT ?s WHERE { ?s ?p "{" }'
    assert q[_where_brace(q):].startswith('{ ?s ?p "{"')
    c = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert _where_brace(c) == c.index("WHERE {") + 6


def test_parse_term_kinds():
    assert parse_term("路桥区") == ox.Literal("路桥区")
    assert parse_term("https://w3id.org/welfare-kg/ontology#Standard") == ox.NamedNode(
        "https://w3id.org/welfare-kg/ontology#Standard")
    assert parse_term("<urn:x>") == ox.NamedNode("urn:x")
    assert parse_term('"标准"@zh') == ox.Literal("标准", language="zh")
    assert parse_term('"2020-06-30"^^xsd:date') == ox.Literal(
        "2020-06-30", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    with pytest.raises(QueryError):
        parse_term('"1"^^nope:x')


def test_plain_language_and_typed_parameters(seeds_built):
    store = seeds_built / "store"
    q = "SELECT ?source ?region WHERE { ?r dcterms:source ?source ; wf:region/rdfs:label ?region }"
    assert [display(t) for t in run_query(store, q, {"region": "吕梁市"})[1][0]] == ["002_fcd62b2b2fc2b1bd.txt",
                                                                                   "吕梁市"]
    q = "SELECT ?label WHERE { wf:Standard skos:prefLabel ?label }"
    assert len(run_query(store, q, {"label": '"标准"@zh'})[1]) == 1
    assert run_query(store, q, {"label": "标准"})[1] == []  # prefLabels are @zh: a plain literal differs
    q = "SELECT ?source ?end WHERE { ?r dcterms:source ?source ; wf:periodEnd ?end }"
    rows = run_query(store, q, {"end": '"2020-06-30"^^xsd:date'})[1]
    assert [display(r[0]) for r in rows] == ["000_d6bae9ba1e592f06.txt"]


def test_formats():
    names = ["programme", "value"]
    rows = [(ox.Literal("城市最低生活保障", language="zh"), ox.Literal("670.0", datatype=ox.NamedNode(
        "http://www.w3.org/2001/XMLSchema#decimal"))), (ox.NamedNode("https://w3id.org/welfare-kg/unit/yuan"), None)]
    table = format_rows(names, rows).splitlines()
    # The second column starts at the same screen column on every line, CJK counted double.
    starts = {width(table[0][:table[0].index("value")]), width(table[1][:table[1].rindex(" ") + 1]),
              width(table[2][:table[2].index("670")])}
    assert len(starts) == 1
    assert "wfu:yuan" in table[3] and table[-1] == "(2 rows)"
    parsed = list(csv.reader(io.StringIO(format_rows(names, rows, "csv"))))
    assert parsed == [names, ["城市最低生活保障", "670"], ["https://w3id.org/welfare-kg/unit/yuan", ""]]
    assert format_rows(names, rows, "tsv").splitlines()[1] == "城市最低生活保障\t670"
    data = json.loads(format_rows(names, rows, "json"))
    assert data["head"]["vars"] == names
    assert data["results"]["bindings"][0]["programme"] == {"type": "literal", "value": "城市最低生活保障",
                                                          "xml:lang": "zh"}
    assert "value" not in data["results"]["bindings"][1]


def test_cli_named_query_and_list(seeds_built):
    r = CliRunner().invoke(main, ["query", str(seeds_built / "store"), "--name", "changes", "--format", "csv"])
    assert r.exit_code == 0, r.output
    assert "630,670" in r.output
    r = CliRunner().invoke(main, ["query", "--list"])
    assert r.exit_code == 0 and all(name in r.output for name in named_queries())


def test_cli_file_query_and_errors(seeds_built, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?reports) WHERE { ?r a wf:Report }", encoding="utf-8")
    r = CliRunner().invoke(main, ["query", str(seeds_built / "welfare.ttl"), "--file", str(rq), "--format", "tsv"])
    assert r.exit_code == 0 and r.output.splitlines() == ["reports", "5"]
    r = CliRunner().invoke(main, ["query", str(seeds_built / "store"), "--name", "quote-search"])
    assert r.exit_code == 2 and "--param word" in r.output
    r = CliRunner().invoke(main, ["query", str(seeds_built / "store"), "SELECT ?x WHERE { ?x"])
    assert r.exit_code == 1 and "syntax" in r.output.lower()
    r = CliRunner().invoke(main, ["query", str(tmp_path / "missing.ttl"), "SELECT * {}"])
    assert r.exit_code == 1 and "missing.ttl" in r.output
    r = CliRunner().invoke(main, ["query", str(seeds_built / "store"), "SELECT ?s WHERE { ?s ?p ?o }",
                                  "--param", "word=x"])
    assert r.exit_code == 1 and "SELECT" in r.output
