"""Every named rule (kg.nlp.rules) on its own examples: the rule gives the expected
outcome, names itself among the figure's deciders, and switched off changes it."""
import pytest

from kg.nlp import entities, linking
from kg.nlp.normalize import normalize
from kg.nlp.pipeline import extract
from kg.nlp.rules import ANY, ORDER, RULES, SLOTS, table_rules

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
