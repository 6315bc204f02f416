"""The language's word lists (kg/resources/*.txt): linguistic glue, not welfare vocabulary,
which is the ontology's. Read once, with the ontology, into the ``Lexicon`` the stages are
handed (``lex.function_words``, ``lex.per_containers`` …); no stage reads a file itself."""
from __future__ import annotations

import re
from dataclasses import dataclass
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


def read_rows(name: str, directory: Path = RESOURCES) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The lines of ``directory/name`` as (first word, the words after it), in the order written;
    ``#`` lines are comments: for word lists keyed by what they say (``standard 标准 补助水平``)."""
    rows = []
    for line in (directory / name).read_text(encoding="utf-8").splitlines():
        words = line.split()
        if words and not line.startswith("#"):
            rows.append((words[0], tuple(words[1:])))
    return tuple(rows)


def _alternation(words, spaced: bool = False) -> str:
    """One regex alternative per word, in the order given; ``spaced``: spaces may stand between
    a word's characters (合  计, as a typesetter spaces a short label out)."""
    return "|".join(r"\s*".join(map(re.escape, w)) if spaced else re.escape(w) for w in words)


@dataclass(frozen=True)
class TableWords:
    """The words a table's layout is read by (kg/resources/table_*.txt), with the patterns built
    from them: built once, with the lexicon, and handed to the table stage as ``lex.table``."""

    header_units: tuple[tuple[str, str], ...]  # 户数 → 户: what a header says is counted, in order
    measure_words: tuple[tuple[str, tuple[str, ...]], ...]  # standard → 标准 补助水平 …
    label_words: frozenset[str]  # 项目, 地区 and the measure words: a header naming nothing
    quarters: tuple[tuple[str, tuple[int, int]], ...]  # 二季度 → (4, 6)
    lifted: tuple[str, ...]  # 机构: institutions, counted for the service delivered in them
    institution_kinds: tuple[str, ...]  # those and 幸福院: one more kind in a list of institutions
    total: re.Pattern  # 合计, 小计, 全市 …: a total row
    whole_place: re.Pattern  # 全市, 全县 …: a total row in the report's own region
    institution_row: re.Pattern  # 设施, 福利院 …: a row naming a kind of institution
    index_header: re.Pattern  # 序号, 排名: a column numbering the rows
    unit_header: re.Pattern  # 单位, 计量单位: a column giving each row's unit
    unit_line: re.Pattern  # 单位：元/人/月, 金额单位：万元: a line giving the table's unit (group spec)
    caption: re.Pattern  # 表1 …, or a short line ending 情况/一览 …: a table's caption
    among: re.Pattern  # 其中：: a row that is part of the row above
    payment_tail: re.Pattern  # 上级补助, 县级配套: money's source, no programme


def table_words(directory: Path = RESOURCES) -> TableWords:
    measure = tuple(read_rows("table_measure_words.txt", directory))
    institutions = dict(read_rows("table_institutions.txt", directory))
    whole = read_words("table_whole_places.txt", directory)
    units = dict(read_rows("table_unit_headers.txt", directory))
    return TableWords(
        header_units=tuple((w, unit[0]) for w, unit in read_rows("table_header_units.txt", directory)),
        measure_words=measure,
        label_words=frozenset(w for _, ws in measure for w in ws) | frozenset(read_words("table_label_words.txt",
                                                                                       directory)),
        quarters=tuple((w, (int(a), int(b))) for w, (a, b) in read_rows("table_quarters.txt", directory)),
        lifted=institutions["lifted"],
        institution_kinds=institutions["lifted"] + institutions["kinds"],
        total=re.compile(rf"^(?:{_alternation(read_words('table_totals.txt', directory), spaced=True)}"
                         rf"|{_alternation(whole)})"),
        whole_place=re.compile(rf"^(?:{_alternation(whole)})"),
        institution_row=re.compile(rf"(?:{_alternation(institutions['rows'])})$"),
        index_header=re.compile(rf"^(?:{_alternation(read_words('table_index_headers.txt', directory))})$"),
        unit_header=re.compile(rf"^(?:{_alternation(units['column'])})$"),
        unit_line=re.compile(rf"^[(（]?\s*(?:{_alternation(units['line'])})\s*[:：]\s*(?P<spec>[^)）\s]+)\s*[)）]?$"),
        caption=re.compile(r"^(?:(?:附|续)?表\s*[\d一二三四五六七八九十]+[.:：、\s]?.*"
                           rf"|.{{2,40}}(?:{_alternation(read_words('table_caption_endings.txt', directory))}))$"),
        among=re.compile(rf"^(?:{_alternation(read_words('table_among.txt', directory))})\s*[:：]?\s*"),
        payment_tail=re.compile(rf"(?:{_alternation(read_words('payment_tails.txt', directory))})$"),
    )
