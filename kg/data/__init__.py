"""The data the package carries: the ontology (with the SHACL shapes) and the named queries.

Their source stays the project's top-level ``ontology/`` and ``queries/`` folders
(what a user edits and a review reads). A wheel carries them as ``kg/data/ontology``
and ``kg/data/queries`` (setuptools ``package-dir`` in pyproject.toml), so an
installed ``kg`` works from any folder; in a source checkout those subfolders do
not exist and the top-level folders are read directly.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def data_dir(name: str) -> Path:
    """The folder of ``name`` (``ontology`` or ``queries``): the packaged copy if installed, else the source.

    A Path, not a Traversable: rdflib, pyshacl and the cache key read files by name
    (a zipped install, which would need extracting first, is not supported)."""
    packaged = resources.files(__name__) / name
    if packaged.is_dir():
        return Path(str(packaged))
    return SOURCE_ROOT / name
