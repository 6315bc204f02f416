"""Three SHACL validators on our shapes and graphs: pySHACL (``kg validate``), pyrudof (Rust),
and kg.stores.shacl (the build's compiled checker). Same violations on broken graphs? How fast?

``python -m kg.bench.shacl NQ`` prints the table bench/RESULTS.md quotes. The broken graphs
are the seeds' merged graph with one defect each (``MUTATIONS``): each is a way our own
code could go wrong (a figure without its quote, an ill-typed value, a redacted figure
with a value, a measure outside the scheme, ...). A violation is compared as
(focus node, path), the part all three report alike.
"""
from __future__ import annotations

import re
import sys
import time
from pathlib import Path

WF = "https://w3id.org/welfare-kg/ontology#"
FIGURE = re.compile(r"^(<[^>]*/figure/[^>]*>) ")
REPORT = re.compile(r"^(<[^>]*/data/report/[^/>]*>) ")


def _first(lines: list[str], pattern: re.Pattern, pred: str | None = None) -> str:
    for line in lines:
        m = pattern.match(line)
        if m and (pred is None or f" <{pred}> " in line):
            return m.group(1)
    raise LookupError(pattern.pattern)


def _drop(pred: str, pattern: re.Pattern = FIGURE):
    def mutate(lines: list[str]) -> list[str]:
        node = _first(lines, pattern, pred)
        return [l for l in lines if not (l.startswith(node + " ") and f" <{pred}> " in l)]
    return mutate


def _replace(pred: str, new_object: str, pattern: re.Pattern = FIGURE, add: bool = False):
    def mutate(lines: list[str]) -> list[str]:
        node = _first(lines, pattern, pred)
        line = f"{node} <{pred}> {new_object} .\n"
        kept = lines if add else [l for l in lines if not (l.startswith(node + " ") and f" <{pred}> " in l)]
        return kept + [line]
    return mutate


def _redacted_with_value(lines: list[str]) -> list[str]:
    node = _first(lines, FIGURE, WF + "value")
    return [l.replace('"false"', '"true"') if l.startswith(node + " ") and f"<{WF}redacted>" in l else l
            for l in lines]


def _second_zh_label(lines: list[str]) -> list[str]:
    concept = next(l.split(" ", 1)[0] for l in lines if "/programme/" in l.split(" ", 1)[0]
                   and "#prefLabel>" in l and l.rstrip().endswith('@zh .'))
    return lines + [f'{concept} <http://www.w3.org/2004/02/skos/core#prefLabel> "另一名称"@zh .\n']


MUTATIONS = {
    "figure without wf:quote": _drop(WF + "quote"),
    "figure with an empty wf:text": _replace(WF + "text", '""'),
    "figure with two wf:value": _replace(WF + "value", '"7"^^<http://www.w3.org/2001/XMLSchema#decimal>', add=True),
    "ill-typed wf:value": _replace(WF + "value", '"七"^^<http://www.w3.org/2001/XMLSchema#decimal>'),
    "wf:value as a string": _replace(WF + "value", '"7"'),
    "redacted figure with a value": _redacted_with_value,
    "wf:measure outside the scheme": _replace(WF + "measure", f"<{WF}Figure>"),
    "wf:unit a literal": _replace(WF + "unit", '"人"'),
    "figure derived from a non-report": _replace("http://www.w3.org/ns/prov#wasDerivedFrom", f"<{WF}Figure>"),
    "wf:periodStart not a date": _replace(WF + "periodStart", '"2020-13-01"^^<http://www.w3.org/2001/XMLSchema#date>'),
    "report without dcterms:title": _drop("http://purl.org/dc/terms/title", REPORT),
    "programme with two @zh prefLabels": _second_zh_label,
}


def merged_lines(nq: Path) -> list[str]:
    """The union of a welfare.nq's graphs as sorted N-Triples lines."""
    rows = set()
    with open(nq, encoding="utf-8") as fh:
        for line in fh:
            rows.add(line[: line.rindex(" <", 0, len(line) - 3)] + " .\n")
    return sorted(rows)


def _short(term: str) -> str:
    term = str(term or "")
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def by_pyshacl(lines: list[str]) -> set[tuple[str, str]]:
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from kg.stores.validate import SHAPES

    _, report, _ = pyshacl.validate(Graph().parse(data="".join(lines), format="nt"),
                                    shacl_graph=Graph().parse(SHAPES, format="turtle"),
                                    inference="none", advanced=False, allow_warnings=True)
    nested = set(report.objects(None, SH.detail))  # a sh:node's inner results, reported under the outer one
    return {(str(report.value(r, SH.focusNode)), _short(report.value(r, SH.resultPath) or ""))
            for r in report.subjects(RDF.type, SH.ValidationResult) if r not in nested}


def by_pyrudof(lines: list[str]) -> set[tuple[str, str]]:
    import pyrudof

    from kg.stores.validate import SHAPES

    r = pyrudof.Rudof(pyrudof.RudofConfig())
    r.read_data("".join(lines), format=pyrudof.RDFFormat.NTriples)
    r.read_shacl(str(SHAPES))
    return {(_short(v.focus_node), _short(v.path or "")) for v in r.validate_shacl().violations}


def by_kg(lines: list[str]) -> set[tuple[str, str]]:
    from kg.stores.shacl import check_lines

    return {(_short(v.focus), _short(v.path)) for v in check_lines(lines).violations}


VALIDATORS = {"pySHACL": by_pyshacl, "pyrudof": by_pyrudof, "kg.stores.shacl": by_kg}


def compare(lines: list[str]) -> dict:
    """Each validator's seconds on ``lines`` and whether all find the same violations on each mutation."""
    out: dict = {"triples": len(lines), "seconds": {}, "mutations": {}}
    for name, fn in VALIDATORS.items():
        t = time.perf_counter()
        found = fn(lines)
        out["seconds"][name] = time.perf_counter() - t
        if found:
            raise AssertionError(f"{name} finds violations in the unbroken graph: {sorted(found)[:3]}")
    for label, mutate in MUTATIONS.items():
        broken = mutate(list(lines))
        found = {name: fn(broken) for name, fn in VALIDATORS.items()}
        out["mutations"][label] = {name: len(v) for name, v in found.items()}
        out["mutations"][label]["same"] = len({frozenset(v) for v in found.values()}) == 1
    return out


def main(argv: list[str] | None = None) -> int:
    nq = Path((argv or sys.argv[1:])[0])
    res = compare(merged_lines(nq))
    print(f"{res['triples']:,} triples: " + ", ".join(f"{k} {v:.2f} s" for k, v in res["seconds"].items()))
    print("| defect | " + " | ".join(VALIDATORS) + " | same |")
    for label, row in res["mutations"].items():
        print(f"| {label} | " + " | ".join(str(row[n]) for n in VALIDATORS) + f" | {'yes' if row['same'] else 'NO'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
