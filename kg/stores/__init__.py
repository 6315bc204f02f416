"""Stores: the embedded Oxigraph store, SPARQL queries, Graph Store Protocol loads and SHACL validation."""
