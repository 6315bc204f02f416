"""Reading: one module per input format, returning a report's text (and what layout it knows). Imports no NLP and no RDF."""
