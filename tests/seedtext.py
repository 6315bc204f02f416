"""Real lines from the seed reports, shared by the stage tests."""
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed(prefix: str) -> str:
    """The full original text of the seed whose file name starts with ``prefix``."""
    (path,) = SEEDS.glob(prefix + "*.txt")
    return path.read_text(encoding="utf-8")


def seed_line(prefix: str, needle: str) -> str:
    """The first original line of a seed whose simplified text contains ``needle``."""
    from kg.nlp.normalize import normalize

    for line in seed(prefix).splitlines():
        if needle in line or needle in normalize(line).text:
            return line
    raise LookupError(f"{needle!r} not in seed {prefix}")
