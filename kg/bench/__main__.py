"""``python -m kg.bench``: the corpus-scale benchmark (kg.bench.run.run)."""
import sys

from kg.bench.run import main

sys.exit(main())
