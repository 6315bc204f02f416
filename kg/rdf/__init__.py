"""RDF: records to triples; IRIs minted in one place (kg.rdf.iris). Never imports spaCy or kg.nlp."""
