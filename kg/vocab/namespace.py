"""The project's RDF namespaces.

``WF`` is closed: using a term the ontology does not declare raises at import
or call time, and tests/test_namespace.py checks that every term listed here
is declared in ontology/welfare.ttl, so a typo fails a test.
"""
from rdflib import Namespace
from rdflib.namespace import ClosedNamespace, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/welfare-kg/"

WF_TERMS = (
    # classes
    "Report", "Agency", "Programme", "BeneficiaryGroup", "ServiceWorker", "AdministrativeWork", "FieldOfWork", "Region", "Figure", "Measure", "Unit",
    "Area", "Urban", "Rural", "AgencyType", "AgencyTypeScheme", "agencyType", "needsName", "needsRegion", "nameEnding",
    # unit kinds
    "Money", "People", "Ratio", "Duration", "TimeSpan", "Age", "Extent", "Thing",
    # measures
    "MeasureScheme", "Standard", "Spending", "Recipients", "Count", "Share", "Other",
    # schemes
    "ProgrammeScheme", "GroupScheme", "UnitScheme",
    # contract properties
    "region", "periodStart", "periodEnd", "mentions", "text", "quote", "value", "unit", "per",
    "measure", "programme", "group", "previousValue", "approximate", "redacted",
    # extensions
    "unparsed", "startOffset", "endOffset", "warning", "sha256", "servesGroup", "area",
    "divisionCode", "formerName", "level", "within", "productiveSuffix", "weakSuffix", "institutionHead", "paymentWord", "cue", "unitKind",
    "defaultMeasure", "page",
    # tables
    "Table", "inTable", "row", "column", "qualifier", "caption", "unitLine", "rowCount", "columnCount", "headerRows",
    "rowText", "origin",
    # explanations: the extraction rule that decided a figure's links
    "Rule", "decidedBy", "slot",
)
WF = ClosedNamespace(uri=BASE + "ontology#", terms=list(WF_TERMS))
WFU = Namespace(BASE + "unit/")  # unit nodes, declared in welfare.ttl
WFP = Namespace(BASE + "programme/")  # programme concepts (ontology/programmes.ttl)
WFG = Namespace(BASE + "group/")  # group concepts (ontology/groups.ttl)
DATA = Namespace(BASE + "data/")  # reports, figures, agencies, regions minted by kg.iris
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

MEASURE_TERMS = {
    "standard": WF.Standard, "spending": WF.Spending, "recipients": WF.Recipients,
    "count": WF.Count, "share": WF.Share, "other": WF.Other,
}

__all__ = ["BASE", "WF", "WF_TERMS", "WFU", "WFP", "WFG", "DATA", "ORG", "SCHEMA", "MEASURE_TERMS",
           "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD"]
