"""Vocabulary: the ontology and the gazetteer loaded once into plain lookup tables, passed to the stages that need them."""
