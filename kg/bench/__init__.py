"""Benchmark: a generated corpus (kg.bench.run.corpus) and the corpus-scale measurements behind make bench."""
