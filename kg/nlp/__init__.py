"""NLP: spaCy components and pure functions from a report's text to typed records (kg.records). Never imports rdflib."""
