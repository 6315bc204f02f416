"""The worker plugin of ``kg build --engine dask`` (kg.build.engines), in a module of its own:
importing ``distributed`` costs a second and changes the process's signal handling, so
only a build that uses Dask imports it."""
from __future__ import annotations

from distributed import WorkerPlugin


class Warm(WorkerPlugin):
    """The pipeline is loaded once per worker, when it joins, not per report."""

    name = "welfare-kg-pipeline"
    idempotent = True

    def __init__(self, ontology_dir: str | None) -> None:
        self.ontology_dir = ontology_dir

    def setup(self, worker=None) -> None:
        from kg.build.run import _warm

        _warm(self.ontology_dir)
