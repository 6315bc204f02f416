"""The language's word lists (kg/resources/*.txt): linguistic glue, not welfare vocabulary,
which is the ontology's. Read once, with the ontology, into the ``Lexicon`` the stages are
handed (``lex.function_words``, ``lex.per_containers`` …); no stage reads a file itself."""
from __future__ import annotations

from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def read_words(name: str, directory: Path = RESOURCES) -> tuple[str, ...]:
    """The words of ``directory/name``: whitespace-separated, ``#`` lines are comments;
    each once, in the order written."""
    words: dict[str, None] = {}
    for line in (directory / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(dict.fromkeys(line.split()))
    return tuple(words)


def longest_first(words) -> tuple[str, ...]:
    """For matching the longest word at a position first (and in a fixed order)."""
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))
