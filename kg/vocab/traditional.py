"""Traditional variants of the concepts' labels, made where the graph is shown.

The ontology files store the Simplified wordings only. The matcher never needs a
Traditional one: a report's text is simplified before it is read (kg.nlp.normalize),
and the lexicon skips them. A user who searches the exported graph in Traditional
characters still finds a concept: every graph made from the ontology (the build's
ontology graph, the checks, ``kg eval``) carries each concept's Simplified labels as
``skos:altLabel`` @zh-Hant too (CONTRACT: altLabel for every wording, Traditional
included), converted with OpenCC's s2t as the stored ones were.
"""
from __future__ import annotations

from functools import lru_cache

#: The concept classes whose labels a reader searches (units and measures keep their own labels).
CONCEPT_CLASSES = ("Programme", "BeneficiaryGroup", "ServiceWorker", "AdministrativeWork", "FieldOfWork")


@lru_cache(maxsize=1)
def _s2t():
    from opencc import OpenCC

    return OpenCC("s2t")


def add_traditional_labels(g) -> None:
    """Add to the rdflib graph ``g`` each concept's Simplified labels in Traditional
    characters (``skos:altLabel`` @zh-Hant), where they differ from every Simplified one."""
    from rdflib import Literal
    from rdflib.namespace import RDF, SKOS

    from kg.vocab.namespace import WF

    convert = _s2t().convert
    for cls in CONCEPT_CLASSES:
        for s in sorted(set(g.subjects(RDF.type, WF[cls]))):
            zh = {str(l) for p in (SKOS.prefLabel, SKOS.altLabel) for l in g.objects(s, p) if l.language == "zh"}
            for label in sorted(zh):
                hant = convert(label)
                if hant not in zh:
                    g.add((s, SKOS.altLabel, Literal(hant, lang="zh-Hant")))
