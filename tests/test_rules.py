"""Every named rule (kg.nlp.rules) on its own examples: the rule gives the expected
outcome, names itself among the figure's deciders, and switched off changes it.
The table stage's rules (kg.nlp.tables.RULES) switched off change the cells of a table."""
from pathlib import Path

import pytest

from kg.nlp import entities, linking
from kg.nlp.normalize import normalize
from kg.nlp.pipeline import extract
from kg.nlp.rules import ANY, ORDER, RULES, SLOTS, table_rules
from kg.nlp.tables import FALLBACKS, RULE_NAMES as TABLE_RULES, all_tables, table_figures
from kg.vocab.ontology import load_lexicon
from kg.vocab.regions import gazetteer
from test_tables import INSTITUTIONS, KEYED, PDF_WORDS, YEARS_AND_PLACES

HERE = Path(__file__).resolve().parent

EXAMPLES = [pytest.param(rule, ex, id=f"{rule.name}-{i}") for rule in RULES.values()
            for i, ex in enumerate(rule.examples)]


def _outcome(rule, ex, disabled=frozenset()):
    rec = extract(ex.text, "example.txt", disabled_rules=disabled)
    if ex.figure is None:
        return any(m.kind == ex.kind and m.text == ex.mention for m in rec.mentions), ()
    wanted = normalize(ex.figure).text
    figs = [f for f in rec.figures if f.text == wanted]
    assert figs, f"{rule.name}: no figure {ex.figure} in {[f.text for f in rec.figures]}"
    f = figs[0]
    got = {slot: (getattr(f, slot).label if getattr(f, slot) else None) for slot in ("programme", "group")
           if getattr(ex, slot) != ANY}
    if ex.measure != ANY:
        got["measure"] = f.measure
    return got, f.decided_by


@pytest.mark.parametrize("rule,ex", EXAMPLES)
def test_rule_decides_its_example(rule, ex):
    got, by = _outcome(rule, ex)
    if ex.figure is None:
        assert got is ex.present
    else:
        assert got == {slot: getattr(ex, slot) for slot in got}
        assert rule.name in by
    if rule.fallback:
        return  # what holds when no rule before it does: switching it off changes nothing
    off, _ = _outcome(rule, ex, frozenset({rule.name}))
    assert off != got, f"{rule.name} switched off changes nothing in its example"


def test_every_rule_has_an_example():
    assert [name for name, r in RULES.items() if not r.examples] == []


def test_every_rule_the_code_names_is_in_the_registry_and_back():
    used = {v for mod in (linking, entities) for k, v in vars(mod).items()
            if k.isupper() and isinstance(v, str) and v in RULES or k == "LEVEL_RULES"
            for v in ([v] if isinstance(v, str) else v.values())}
    assert used == set(RULES)


def test_rules_are_described_completely():
    for r in RULES.values():
        assert r.slot in SLOTS and r.action in ("propose", "veto") and r.stage in ("recognition", "linking")
        assert len(r.why) > 20


def test_the_linker_applies_its_rules_in_the_registry_order():
    steps = [rule for rule, *_ in linking.PROPOSALS if rule] + [rule for rule, _ in linking.REVISIONS]
    assert [ORDER[s] for s in steps] == sorted(ORDER[s] for s in steps)


def test_kg_rules_lists_every_rule_in_order():
    from click.testing import CliRunner

    from kg.cli import main

    r = CliRunner().invoke(main, ["rules"])
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert [line.split()[1] for line in lines[:len(RULES)]] == list(RULES)
    assert all(line.split()[0] in table_rules() for line in lines[len(RULES):])


# A unit written in a cell, a caption's unit in brackets, a header word as the only unit (人数),
# a caption naming a group, a header word (补助水平) deciding a measure the unit would not.
TABLE_SHAPES = """汉寿县民政局2023年工作总结

表5 2023年高龄津贴发放情况（万元）
年龄段 | 人数 | 资金 | 补助水平（元）
80-89岁 | 1,200人 | 36 | 100
90岁以上 | 300人 | 18 | 200

表6 2023年困难残疾人情况
类型 | 人数
城镇 | 120
农村 | 340
"""


@pytest.fixture(scope="module")
def table_texts():
    """The table batches and the test tables, each with the region and period its prose gives
    and the programmes it names (as kg.nlp.pipeline hands them to the table stage)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(HERE.glob("table-reports*/*.txt"))]
    texts += [KEYED, PDF_WORDS, YEARS_AND_PLACES, INSTITUTIONS, TABLE_SHAPES]
    out = []
    for text in texts:
        rec = extract(text, "example.txt")
        named = frozenset(m.concept.key for m in rec.mentions if m.kind == "programme" and m.concept and m.concept.key)
        out.append((text, rec.region, (rec.period_start, rec.period_end), named))
    return out


def _cells(table_texts, disabled=frozenset()):
    lex, gaz = load_lexicon(None), gazetteer()
    return [[(f.table, f.row, f.column, f.unit, f.value, f.measure, f.per, f.programme, f.group, f.region,
              f.qualifier, f.period_start, f.period_end)
             for i, (_, loc) in enumerate(all_tables(text, lex, (), disabled))
             for f in table_figures(i, loc, lex, gaz, region, period, named, disabled=disabled)]
            for text, region, period, named in table_texts]


@pytest.mark.parametrize("name", sorted(TABLE_RULES - FALLBACKS))
def test_each_table_rule_switched_off_changes_a_table(name, table_texts):
    assert _cells(table_texts, frozenset({name})) != _cells(table_texts)


def test_a_table_rule_switched_off_leaves_the_prose_alone():
    text = (HERE / "table-reports/600_yueyang_city_2023.txt").read_text(encoding="utf-8")
    full, off = extract(text, "a.txt"), extract(text, "a.txt", disabled_rules=frozenset({"table-caption-programme"}))
    assert [f for f in off.figures if f.table is None] == [f for f in full.figures if f.table is None]
    assert [f.programme for f in off.figures if f.table is not None] != \
        [f.programme for f in full.figures if f.table is not None]
