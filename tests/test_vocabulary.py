"""The programme and group vocabularies obey the rules the recognisers rely on.

Every label is a literal recognition pattern, so a label shared by two concepts
or equal to a bare head word (救助, 补贴 ...) would mis-tag report text; a
broken hierarchy would break roll-ups such as 城市低保 → 社会救助.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from kg.vocab.ontology import load_lexicon
from kg.vocab.namespace import WF, WFG, WFP

ONTOLOGY = Path(__file__).resolve().parent.parent / "ontology"
# Head words too generic to be a concept's label. 儿童, 老人 and 老年人 are
# not here: they are groups in their own right (GOLD.md lists them), and the
# recogniser still extends them leftwards (特困老年人 is a narrower wording).
GENERIC = set("救助 补贴 津贴 服务 保障 供养 对象 人员 政府 民政 养老 福利 工作 家庭 群众".split())
# Service workers (社工, 护理员) sit in the group scheme but are their own class:
# figures count them; they are never a programme's beneficiaries.
KINDS = {WF.Programme: WF.ProgrammeScheme, WF.BeneficiaryGroup: WF.GroupScheme, WF.ServiceWorker: WF.GroupScheme,
         WF.AdministrativeWork: WF.ProgrammeScheme, WF.FieldOfWork: WF.ProgrammeScheme}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for name in ("welfare.ttl", "programmes.ttl", "groups.ttl"):
        g.parse(ONTOLOGY / name, format="turtle")
    return g


@pytest.fixture(scope="module")
def concepts(graph) -> dict[URIRef, URIRef]:
    """Concept IRI -> its class (wf:Programme or wf:BeneficiaryGroup)."""
    out = {}
    for cls in KINDS:
        for s in graph.subjects(RDF.type, cls):
            assert s not in out, f"{s} is both a programme and a group"
            out[s] = cls
    return out


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def _is_zh(lit) -> bool:
    return isinstance(lit, Literal) and bool(lit.language) and lit.language.lower().startswith("zh")


def test_coverage(concepts):
    programmes = [c for c, k in concepts.items() if k == WF.Programme]
    groups = [c for c, k in concepts.items() if k == WF.BeneficiaryGroup]
    staff = [c for c, k in concepts.items() if k == WF.ServiceWorker]
    assert len(programmes) >= 150, len(programmes)
    assert len(groups) >= 70 and len(staff) >= 8, (len(groups), len(staff))
    for c, cls in concepts.items():
        ns = WFP if KINDS[cls] == WF.ProgrammeScheme else WFG
        assert str(c).startswith(str(ns)), c
        slug = str(c)[len(str(ns)):]
        assert slug and slug.isascii() and slug == slug.lower() and " " not in slug, c


def test_each_concept_is_well_formed(graph, concepts):
    for c, cls in concepts.items():
        assert (c, RDF.type, SKOS.Concept) in graph, c
        prefs = list(graph.objects(c, SKOS.prefLabel))
        langs = sorted(p.language for p in prefs)
        assert langs == ["en", "zh"], (c, prefs)
        schemes = list(graph.objects(c, SKOS.inScheme))
        assert schemes == [KINDS[cls]], (c, schemes)
        for alt in graph.objects(c, SKOS.altLabel):
            # every altLabel is a pattern: English ones would be matched in Chinese text
            assert _is_zh(alt) and alt.language in ("zh", "zh-Hant"), (c, alt)


def test_schemes_are_declared(graph):
    for scheme in KINDS.values():
        assert (scheme, RDF.type, SKOS.ConceptScheme) in graph


def test_labels_are_unique_and_specific(graph, concepts):
    owner: dict[str, URIRef] = {}
    for c in concepts:
        labels = [l for l in graph.objects(c, SKOS.prefLabel) if _is_zh(l)]
        labels += list(graph.objects(c, SKOS.altLabel))
        for label in labels:
            text = str(label)
            assert len(text) >= 2, (c, text)
            assert text not in GENERIC, (c, text)
            assert text == text.strip() and " " not in text, (c, text)
            assert owner.setdefault(text, c) == c, f"{text!r} used by {owner[text]} and {c}"


def test_labels_are_stored_in_simplified_and_shown_in_traditional(graph, concepts):
    import opencc

    from kg.vocab.ontology import parsed_ontology

    assert not [o for o in graph.objects(None, SKOS.altLabel) if o.language == "zh-Hant"]  # stored: Simplified only
    shown = parsed_ontology()  # what the build exports, the checks and kg eval read
    lex = load_lexicon()
    s2t = opencc.OpenCC("s2t")
    for c in concepts:
        zh = {str(l) for p in (SKOS.prefLabel, SKOS.altLabel) for l in graph.objects(c, p) if l.language == "zh"}
        hant = {str(l) for l in shown.objects(c, SKOS.altLabel) if l.language == "zh-Hant"}
        assert hant == {s2t.convert(x) for x in zh} - zh, c  # every wording in Traditional, none Simplified
        assert set(lex.concepts[str(c)].labels) == zh, c  # the matcher reads the Simplified ones only


def test_hierarchy(graph, concepts):
    for c, cls in concepts.items():
        broader = list(graph.objects(c, SKOS.broader))
        top = (c, SKOS.topConceptOf, KINDS[cls]) in graph
        assert top == (not broader), f"{c}: a concept is a top concept exactly when it has no broader"
        if top:
            assert (KINDS[cls], SKOS.hasTopConcept, c) in graph, c
        for b in broader:
            # within one scheme: administrative work sits under programme fields
            assert b in concepts and KINDS[concepts[b]] == KINDS[cls], f"{c} broader {b}: missing or in another scheme"
    for c in concepts:
        seen, node = set(), c
        while True:
            assert node not in seen, f"cycle through {c}"
            seen.add(node)
            parents = list(graph.objects(node, SKOS.broader))
            if not parents:
                break
            node = parents[0]
        assert (node, SKOS.topConceptOf, None) in graph, c


def _ancestors(lexicon, iri) -> set[str]:
    return set(lexicon.ancestors(str(iri)))


@pytest.mark.parametrize("child, ancestor", [
    (WFP["urban-dibao"], WFP["dibao"]),
    (WFP["dibao"], WFP["social-assistance"]),
    (WFP["urban-dibao"], WFP["social-assistance"]),
    (WFP["rural-dibao"], WFP["dibao"]),
    (WFP["tekun-dispersed"], WFP["tekun"]),
    (WFP["tekun-centralised"], WFP["tekun"]),
    (WFP["rural-tekun"], WFP["tekun"]),
    (WFP["old-age-allowance"], WFP["elderly-care"]),
    (WFP["disability-nursing-allowance"], WFP["disability-welfare"]),
    (WFP["institutional-orphan-support"], WFP["child-welfare"]),
    (WFG["urban-dibao-recipients"], WFG["dibao-recipients"]),
    (WFG["rural-tekun-people"], WFG["tekun-people"]),
    (WFG["centenarians"], WFG["oldest-old"]),
    (WFG["social-workers"], WFG["service-workers"]),
])
def test_required_hierarchy(lexicon, child, ancestor):
    assert str(ancestor) in _ancestors(lexicon, child)


@pytest.mark.parametrize("wording, iri", [
    ("低保", WFP["dibao"]),
    ("最低生活保障", WFP["dibao"]),
    ("城市低保", WFP["urban-dibao"]),
    ("城乡低保", WFP["dibao"]),
    ("五保", WFP["rural-tekun"]),
    ("特困供养", WFP["tekun"]),
    ("高龄补贴", WFP["old-age-allowance"]),
    ("高龄老人津贴", WFP["old-age-allowance"]),
    ("临时救助", WFP["temporary-assistance"]),
    ("低保户", WFG["dibao-recipients"]),
    ("五保户", WFG["rural-tekun-people"]),
    ("80周岁以上老年人", WFG["oldest-old"]),
    ("社工", WFG["social-workers"]),
])
def test_common_wordings_resolve(lexicon, wording, iri):
    assert lexicon.label_index.get(wording) == str(iri)


def test_traditional_wordings_resolve(lexicon):
    # A report written in Traditional is simplified before it is read: its wordings find the concept.
    import opencc

    from kg.nlp.normalize import normalize

    s2t = opencc.OpenCC("s2t")
    for simplified, iri in [("最低生活保障", WFP["dibao"]), ("农村低保", WFP["rural-dibao"]),
                            ("城乡低保", WFP["dibao"]), ("社会救助", WFP["social-assistance"]),
                            ("孤儿基本生活保障", WFP["orphan-support"]), ("残疾人两项补贴", WFP["disability-allowances"])]:
        assert lexicon.label_index.get(normalize(s2t.convert(simplified)).text) == str(iri), simplified


def test_lexicon_sees_every_concept(lexicon, concepts):
    for c, cls in concepts.items():
        got = lexicon.concepts.get(str(c))
        kind = {WF.Programme: "programme", WF.BeneficiaryGroup: "group", WF.ServiceWorker: "staff",
                WF.AdministrativeWork: "admin", WF.FieldOfWork: "field"}[cls]
        assert got is not None and got.kind == kind, c


def test_area(graph, concepts):
    allowed = {WF.Urban, WF.Rural}
    for c in concepts:
        for a in graph.objects(c, WF.area):
            assert a in allowed, (c, a)
    assert (WFP["urban-dibao"], WF.area, WF.Urban) in graph
    assert (WFP["rural-dibao"], WF.area, WF.Rural) in graph
    assert (WFP["urban-tekun"], WF.area, WF.Urban) in graph
    assert (WFP["rural-tekun"], WF.area, WF.Rural) in graph


def test_fields_of_work_are_one_class(graph, concepts):
    # One mechanism: a field of work is a wf:FieldOfWork (no wf:fieldOnly flag beside it).
    assert not list(graph.triples((None, URIRef(str(WF) + "fieldOnly"), None)))
    fields = {c for c, cls in concepts.items() if cls == WF.FieldOfWork}
    for iri in ("social-affairs", "divisions-names", "social-organisations", "child-welfare"):
        assert WFP[iri] in fields, iri
    for iri in ("social-assistance", "elderly-care", "dibao", "old-age-allowance"):
        assert WFP[iri] not in fields, iri


def test_a_field_named_in_a_heading_is_mentioned_and_gives_no_programme():
    from kg.nlp.pipeline import extract

    rec = extract("（二）深化基层社会治理。\n全年培育社区社会组织50家以上。", "example.txt")
    assert [(m.kind, m.concept.key) for m in rec.mentions if m.text == "基层社会治理"] == \
        [("field", str(WFP["community-governance"]))]
    assert [f.programme for f in rec.figures] == [None]
    # 社会福利|保障: the field's label is taken as the field, so no programme is made of it.
    rec = extract("（三）强化社会福利保障\n", "example.txt")
    assert [(m.kind, m.text) for m in rec.mentions if m.kind in ("programme", "field")] == [("field", "社会福利")]


def test_serves_group(graph, concepts):
    links = list(graph.subject_objects(WF.servesGroup))
    assert links
    staff = WFG["service-workers"]
    for programme, group in links:
        assert concepts.get(programme) in (WF.Programme, WF.FieldOfWork), programme
        assert concepts.get(group) == WF.BeneficiaryGroup, group
        assert group != staff and (group, SKOS.broader, staff) not in graph, (programme, group)
    for p, g in [("dibao", "dibao-recipients"), ("orphan-support", "orphans"), ("old-age-allowance", "oldest-old"),
                 ("disability-nursing-allowance", "severely-disabled")]:
        assert (WFP[p], WF.servesGroup, WFG[g]) in graph, p


def test_the_lexicon_hands_out_every_word_list(lexicon):
    # The stages read word lists from the lexicon they are given, never from a file or a constant:
    # welfare words from the ontology, the language's glue from kg/resources.
    assert {"补贴", "保障金", "基本生活费"} <= lexicon.payment_words and "临时救助备用金" not in lexicon.payment_words
    assert {"专项", "试点"} <= lexicon.generic_modifiers
    words = lexicon.function_words
    assert "发放" in words and [len(w) for w in words] == sorted((len(w) for w in words), reverse=True)
    # matched in the order written: a longer word before the word it ends in
    assert lexicon.approximate_before.index("将近") < lexicon.approximate_before.index("近")
    assert lexicon.per_containers.index("行政村") < lexicon.per_containers.index("村")
