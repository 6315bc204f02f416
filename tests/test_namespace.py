"""The namespace module and the ontology must agree: a typo fails here."""
import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS

from kg.rdf.graph import ontology_graph
from kg.vocab.namespace import MEASURE_TERMS, WF, WF_TERMS


@pytest.fixture(scope="module")
def onto():
    return ontology_graph()


def test_every_wf_term_in_the_namespace_module_is_declared_in_the_ontology(onto):
    declared = {s for s in onto.subjects() if isinstance(s, rdflib.URIRef) and str(s).startswith(str(WF))}
    missing = [t for t in WF_TERMS if WF[t] not in declared]
    assert missing == []


def test_a_misspelt_term_raises():
    with pytest.raises(AttributeError):
        WF.Programm  # noqa: B018


def test_contract_classes_and_properties_are_typed(onto):
    for cls in ("Report", "Agency", "Programme", "BeneficiaryGroup", "Region", "Figure"):
        assert (WF[cls], RDF.type, OWL.Class) in onto
    for prop in ("region", "periodStart", "periodEnd", "mentions", "text", "quote", "value", "unit", "per",
                 "measure", "programme", "group", "previousValue", "approximate", "redacted"):
        types = set(onto.objects(WF[prop], RDF.type))
        assert types & {OWL.ObjectProperty, OWL.DatatypeProperty}, prop


def test_every_contract_term_has_chinese_and_english_labels(onto):
    for term in ("Report", "Figure", "quote", "value", "measure"):
        langs = {l.language for l in onto.objects(WF[term], RDFS.label)}
        assert {"zh", "en"} <= langs, term


def test_measures_are_the_six_of_the_contract(onto):
    assert set(MEASURE_TERMS) == {"standard", "spending", "recipients", "count", "share", "other"}
    for term in MEASURE_TERMS.values():
        assert (term, RDF.type, WF.Measure) in onto
