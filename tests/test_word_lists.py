"""Every word list lives in one place: the ontology (the welfare field's words) or kg/resources
(the language's glue), read once into the Lexicon. This keeps it so: no kg/nlp module may write a
list of Chinese words as a literal, except where named below with the reason."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from kg.vocab.ontology import load_lexicon

NLP = Path(__file__).resolve().parents[1] / "kg" / "nlp"
CJK = re.compile(r"[\u4e00-\u9fff]")
LEAST = 3  # fewer Chinese strings than this are a test against a word or two, not a list

# (module, the name the literal is assigned to or the function it stands in) -> why it stays in code
EXCEPTIONS = {
    ("numbers.py", "DIGITS"): "numeral grammar: each character's value, computed with, not looked up",
    ("numbers.py", "SMALL_UNITS"): "numeral grammar: the place values 十 百 千 the parser multiplies by",
    ("numbers.py", "MULTIPLIERS"): "numeral grammar: 万, 百万 after an Arabic number scale it by their value",
}


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [s for e in node.elts for s in _strings(e)]
    if isinstance(node, ast.Dict):
        return [s for e in (*node.keys, *node.values) if e is not None for s in _strings(e)]
    return []


def word_list_literals(source: str) -> list[tuple[str, int, list[str]]]:
    """(owner, line, Chinese strings) of each tuple/list/set/dict literal holding LEAST or more
    Chinese strings; the owner is the name it is assigned to, else the function it is in."""
    found: list[tuple[str, int, list[str]]] = []

    def visit(node: ast.AST, owner: str) -> None:
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            words = [s for s in _strings(node) if CJK.search(s)]
            if len(words) >= LEAST:
                found.append((owner, node.lineno, words))
                return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            owner = node.name
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            owner = names[0] if names else owner
        for child in ast.iter_child_nodes(node):
            visit(child, owner)

    visit(ast.parse(source), "<module>")
    return found


def test_no_nlp_module_writes_a_chinese_word_list():
    offending = []
    for path in sorted(NLP.rglob("*.py")):
        for owner, line, words in word_list_literals(path.read_text(encoding="utf-8")):
            if (path.name, owner) not in EXCEPTIONS:
                offending.append(f"{path.relative_to(NLP.parent.parent)}:{line} {owner}: {' '.join(words[:6])}")
    assert not offending, "word lists belong in kg/resources or the ontology:\n" + "\n".join(offending)


def test_the_check_finds_a_word_list_written_in_code():
    # The check itself must be able to fail: a tuple, a dict and an inline set of words are found.
    source = ('A = ("合计", "小计", "总计")\n'
              'B = {"一季度": (1, 3), "二季度": (4, 6), "三季度": (7, 9)}\n'
              'def f(x):\n    return x in {"我局", "本局", "我厅"} or x in ("和", "及")\n')
    assert [(o, n) for o, n, _ in word_list_literals(source)] == [("A", 1), ("B", 2), ("f", 4)]


def test_every_exception_still_names_a_literal():
    # An exception whose literal is gone must go too, or it would excuse the next list written there.
    present = {(p.name, owner) for p in NLP.rglob("*.py")
               for owner, _, _ in word_list_literals(p.read_text(encoding="utf-8"))}
    assert set(EXCEPTIONS) <= present


def test_table_header_words_are_read_from_the_resources():
    # 合  计 spaced out by a typesetter is a total row; 全市 one in the report's own region;
    # 户数 counts households; 二季度 is April to June.
    words = load_lexicon().table
    assert words.total.match("合  计") and words.total.match("全市") and not words.total.match("临湘市")
    assert words.whole_place.match("全市合计") and not words.whole_place.match("合计")
    assert dict(words.header_units)["户数"] == "户"
    assert dict(words.quarters)["二季度"] == (4, 6)
    assert words.index_header.match("No.") and not words.index_header.match("序号数")
    assert words.among.sub("", "其中：临湘市") == "临湘市"
