"""ontology/rules.ttl is generated from the rule registry (kg.build.rulefile) and must match it."""
import rdflib

from kg.build.rulefile import RULES_TTL, rules_turtle
from kg.nlp.rules import RULES, table_rules

WF = rdflib.Namespace("https://w3id.org/welfare-kg/ontology#")


def test_rules_ttl_is_in_sync_with_the_registry():
    assert RULES_TTL.read_text(encoding="utf-8") == rules_turtle(), "run: python -m kg.build.rulefile"


def test_every_rule_is_a_node_of_the_ontology_with_its_why_and_slot():
    g = rdflib.Graph().parse(data=rules_turtle(), format="turtle")
    names = {str(g.value(r, rdflib.RDFS.label)): r for r in g.subjects(rdflib.RDF.type, WF.Rule)}
    assert set(names) == set(RULES) | set(table_rules())
    rule = RULES["total-of-the-parts"]
    node = names["total-of-the-parts"]
    assert str(g.value(node, WF.slot)) == rule.slot
    assert str(g.value(node, rdflib.RDFS.comment)) == rule.why


def test_a_report_graph_links_its_rules_but_does_not_repeat_them():
    from kg.nlp.pipeline import extract
    from kg.rdf.graph import report_rows

    rec = extract("2023年，全市城乡低保对象共1200人，其中城市低保对象500人，农村低保对象700人。", "example.txt")
    rows = report_rows(rec)
    assert any("ontology#decidedBy>" in r for r in rows)
    assert not any("ontology#Rule>" in r for r in rows)
