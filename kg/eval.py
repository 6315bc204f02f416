"""Score a built graph against hand-made gold annotations: the project's scorer.

The same scoring as ``tests/eval/score.py`` (the shared scorer, which stays a
standalone script for anyone without this package): it reads the graph through
the public vocabulary only (CONTRACT.md), so it scores what a SPARQL user sees.
``tests/test_eval.py`` pins that both give the same JSON.

The strict reading (``texts``): an ``skos:altLabel`` counts as a node's label for a
report only where that report writes the wording. Otherwise adding a gold
wording to the ontology as an altLabel would score without the report ever
saying it. ``rdfs:label`` and ``skos:prefLabel`` always count.

``without`` rebuilds the reports with named rules switched off
(kg.nlp.rules) and scores both builds, so a rule's contribution is measured
on the gold it was tuned for.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import rdflib

from kg.errors import InputError

WF = "https://w3id.org/welfare-kg/ontology#"
PREFIXES = f"""
PREFIX wf: <{WF}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig",
           ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml"}
KINDS = {"agencies": "Agency", "programmes": "Programme", "groups": "BeneficiaryGroup"}
#: The figures printed for each report and for all of them (table columns).
COLUMNS = ("figF1", "factF1", "progF1", "grpF1", "meas", "entR", "entP")


class EvalError(InputError):
    """A graph, gold folder or text folder that cannot be scored."""


def norm(s: str | None) -> str:
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s))
    return "".join(s.split())


def load(paths: Iterable[str | Path]) -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*") if f.suffix in FORMATS)
        elif p.is_file():
            files.append(p)
        else:
            raise EvalError(f"{p}: no such graph file or folder")
    if not files:
        raise EvalError(f"no RDF files in {', '.join(map(str, paths))}")
    for f in files:
        try:
            ds.parse(f, format=FORMATS.get(f.suffix, "turtle"))
        except Exception as e:  # rdflib raises many kinds; the user needs the file and the reason
            raise EvalError(f"{f}: cannot be read as RDF ({type(e).__name__}: {e})") from e
    return ds


def simplified(s: str) -> str:
    """Traditional characters as simplified (OpenCC's t2s)."""
    return _t2s().convert(s)


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def rows(g, q):
    return list(g.query(PREFIXES + q))


@dataclass
class Labels:
    """Every node's labels, with its altLabels apart for the strict reading."""

    always: dict = field(default_factory=lambda: defaultdict(set))  # rdfs:label, skos:prefLabel
    alts: dict = field(default_factory=lambda: defaultdict(set))  # skos:altLabel

    def all(self) -> dict:
        out = defaultdict(set)
        for table in (self.always, self.alts):
            for node, ls in table.items():
                out[node] |= ls
        return out

    def used_in(self, text: str) -> dict:
        """The labels a report can be credited with: altLabels only where its text
        (as ``report_text`` reads it: simplified, glosses dropped) writes them."""
        out = defaultdict(set)
        for node, ls in self.always.items():
            out[node] |= ls
        for node, ls in self.alts.items():
            out[node] |= {a for a in ls if a and a in text}
        return out


def read_labels(g) -> Labels:
    lab = Labels()
    for s, p, l in rows(g, "SELECT ?s ?p ?l WHERE { ?s ?p ?l . "
                           "VALUES ?p { rdfs:label skos:prefLabel skos:altLabel } }"):
        (lab.alts if str(p).endswith("altLabel") else lab.always)[s].add(norm(l))
    return lab


# Head words too generic to count as a match by containment alone.
GENERIC = {"救助", "补贴", "津贴", "服务", "保障", "供养", "对象", "人员", "儿童", "老人", "老年人",
           "政府", "委员会", "民政", "养老", "福利", "工作"}


def label_match(gold: str, cands: set[str]) -> bool:
    """Equal, or one contains the other and the shorter is a specific term."""
    gold = norm(gold)
    for c in cands:
        if not c:
            continue
        if c == gold:
            return True
        short, long_ = (c, gold) if len(c) < len(gold) else (gold, c)
        if len(short) >= 2 and short not in GENERIC and short in long_:
            return True
    return False


def report_index(g) -> dict:
    """file name -> report IRI."""
    idx = {}
    for r, src in rows(g, "SELECT ?r ?src WHERE { ?r a wf:Report ; dcterms:source ?src }"):
        idx[Path(str(src)).name] = r
    return idx


def figures(g, report, lab) -> list[dict]:
    q = """SELECT ?f ?value ?unit ?per ?measure ?prog ?grp ?prev ?approx ?red ?text ?quote WHERE {
      ?f a wf:Figure ; prov:wasDerivedFrom ?r .
      OPTIONAL { ?f wf:value ?value } OPTIONAL { ?f wf:unit ?unit } OPTIONAL { ?f wf:per ?per }
      OPTIONAL { ?f wf:measure ?measure } OPTIONAL { ?f wf:programme ?prog }
      OPTIONAL { ?f wf:group ?grp } OPTIONAL { ?f wf:previousValue ?prev }
      OPTIONAL { ?f wf:approximate ?approx } OPTIONAL { ?f wf:redacted ?red }
      OPTIONAL { ?f wf:text ?text } OPTIONAL { ?f wf:quote ?quote } }"""
    out = {}
    for (f, value, unit, per, measure, prog, grp, prev, approx, red, text, quote) in g.query(
            PREFIXES + q, initBindings={"r": report}):
        d = out.setdefault(f, {"progs": set(), "groups": set(), "units": set()})
        d["value"] = None if value is None else float(value)
        if unit is not None:
            d["units"] |= lab.get(unit, set()) | ({norm(unit)} if isinstance(unit, rdflib.Literal) else set())
        d["per"] = norm(per) if per is not None else None
        d["measure"] = str(measure).rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower() if measure else None
        if prog is not None:
            d["progs"].add(prog)
        if grp is not None:
            d["groups"].add(grp)
        d["previous"] = None if prev is None else float(prev)
        d["approx"] = bool(approx.toPython()) if approx is not None else False
        d["redacted"] = bool(red.toPython()) if red is not None else False
        d["text"] = norm(text)
        d["quote"] = norm(quote)
    return list(out.values())


def same_value(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6)


def match_figures(gold: list[dict], pred: list[dict]):
    """Greedy one-to-one: same unit and value (or both redacted with the same text)."""
    used, pairs = set(), []
    for gf in gold:
        gu = norm(gf["unit"])
        best, best_score = None, -1
        for i, pf in enumerate(pred):
            if i in used or gu not in pf["units"]:
                continue
            if gf.get("redacted"):
                if not (pf["redacted"] and norm(gf["text"]) in pf["text"] + pf["quote"]):
                    continue
            elif not same_value(gf["value"], pf["value"]):
                continue
            q = norm(gf["quote"])
            score = 2 if q and (q in pf["quote"] or pf["quote"] in q) and pf["quote"] else 0
            score += 1 if norm(gf["text"]) and norm(gf["text"]) in pf["text"] else 0
            if score > best_score:
                best, best_score = i, score
        if best is not None:
            used.add(best)
            pairs.append((gf, pred[best]))
    return pairs


def link_ok(gold_label, pred_nodes, lab) -> bool:
    if not gold_label:
        return not pred_nodes
    return any(label_match(gold_label, lab.get(n, set())) for n in pred_nodes)


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_doc(g, report, gold, lab) -> dict:
    pred = figures(g, report, lab)
    pairs = match_figures(gold["figures"], pred)
    res = {"gold_figures": len(gold["figures"]), "pred_figures": len(pred), "matched": len(pairs)}
    fact_ok = [True] * len(pairs)
    for key, fld, pfield in (("programme", "programme", "progs"), ("group", "group", "groups")):
        for i, (gf, pf) in enumerate(pairs):
            gold_label, pred_nodes = gf.get(fld), pf[pfield]
            ok = link_ok(gold_label, pred_nodes, lab)
            fact_ok[i] &= ok
            res[f"{key}_tp"] = res.get(f"{key}_tp", 0) + int(bool(gold_label) and ok)
            res[f"{key}_pred"] = res.get(f"{key}_pred", 0) + int(bool(pred_nodes))
            res[f"{key}_goldn"] = res.get(f"{key}_goldn", 0) + int(bool(gold_label))
    res["measure_ok"] = sum(gf.get("measure") == pf["measure"] for gf, pf in pairs)
    res["facts_ok"] = sum(ok and gf.get("measure") == pf["measure"] for ok, (gf, pf) in zip(fact_ok, pairs))
    res["per_ok"] = sum(norm(gf.get("per")) == (pf["per"] or "") for gf, pf in pairs)
    res["previous_ok"] = sum(same_value(gf.get("previous"), pf["previous"]) for gf, pf in pairs)
    res["flags_ok"] = sum(bool(gf.get("approx")) == pf["approx"] and bool(gf.get("redacted")) == pf["redacted"]
                          for gf, pf in pairs)
    for key, cls in KINDS.items():
        found = [c for (c,) in g.query(PREFIXES + f"SELECT DISTINCT ?c WHERE {{ ?r wf:mentions ?c . ?c a wf:{cls} }}",
                                       initBindings={"r": report})]
        gold_set = {norm(x) for x in gold.get(key, [])}
        hit_gold = sum(any(label_match(x, lab.get(c, set())) for c in found) for x in gold_set)
        hit_pred = sum(any(label_match(x, lab.get(c, set())) for x in gold_set) for c in found)
        res[f"{key}_gold"], res[f"{key}_pred"] = len(gold_set), len(found)
        res[f"{key}_recall_hits"], res[f"{key}_precision_hits"] = hit_gold, hit_pred
    issuers = [i for (i,) in g.query(PREFIXES + "SELECT ?i WHERE { ?r dcterms:publisher ?i }", initBindings={"r": report})]
    res["issuer_ok"] = int(any(label_match(gold["issuer"], lab.get(i, set())) for i in issuers))
    return res


@dataclass(frozen=True)
class Scores:
    """What ``score`` returns: the summary line and each report's counts."""

    summary: dict
    per_doc: dict

    def to_json(self) -> str:
        return json.dumps({"summary": self.summary, "per_doc": self.per_doc}, ensure_ascii=False, indent=1)

    def table(self) -> list[str]:
        """A line per report and one for all (score.py's table), then the summary line."""
        tot = defaultdict(int)
        for r in self.per_doc.values():
            for k, v in r.items():
                tot[k] += v
        lines = [f"{'report':28} {'figF1':>5} {'factF1':>6} {'progF1':>6} {'grpF1':>5} {'meas':>5} {'entR':>5} {'entP':>5}"]
        for doc, r in list(self.per_doc.items()) + [("ALL", tot)]:
            _, _, ff = prf(r.get("matched", 0), r.get("pred_figures", 0), r.get("gold_figures", 0))
            _, _, xf = prf(r.get("facts_ok", 0), r.get("pred_figures", 0), r.get("gold_figures", 0))
            m = r.get("matched", 0) or 1
            eg = sum(r.get(f"{k}_gold", 0) for k in KINDS) or 1
            ep = sum(r.get(f"{k}_pred", 0) for k in KINDS) or 1
            er = sum(r.get(f"{k}_recall_hits", 0) for k in KINDS) / eg
            epr = sum(r.get(f"{k}_precision_hits", 0) for k in KINDS) / ep
            lf = [prf(r.get(f"{k}_tp", 0), r.get(f"{k}_pred", 0), r.get(f"{k}_goldn", 0))[2]
                  for k in ("programme", "group")]
            lines.append(f"{doc[:28]:28} {ff:5.2f} {xf:6.2f} {lf[0]:6.2f} {lf[1]:5.2f} "
                         f"{r.get('measure_ok', 0)/m:5.2f} {er:5.2f} {epr:5.2f}"
                         + ("  MISSING" if r.get("missing") else ""))
        lines.append(summary_line(self.summary))
        return lines


def summary_line(summary: dict) -> str:
    return "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in summary.items())


def read_gold(gold_dir: str | Path, docs: Iterable[str] | None = None) -> list[dict]:
    d = Path(gold_dir)
    if not d.is_dir():
        raise EvalError(f"{d}: no such gold folder")
    paths = sorted(d.glob("*.json"))
    if docs:
        wanted = set(docs)
        paths = [p for p in paths if p.name.removesuffix(".json") in wanted]
    out = []
    for p in paths:
        try:
            out.append(json.loads(p.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise EvalError(f"{p}: not a gold annotation ({e})") from e
    if not out:
        raise EvalError(f"{d}: no gold annotations (*.json)")
    return out


#: How the shared scorer decodes a report's file for the strict reading, in this order.
TEXT_ENCODINGS = ("utf-8-sig", "gb18030", "big5", "utf-16")
#: Pinyin glosses a scraper left after characters (區(qū)): not the report's wording.
PINYIN = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


def report_text(texts: str | Path | Iterable[str | Path], doc: str) -> str:
    """The report's own text as the strict reading compares labels with it: decoded,
    simplified, glosses dropped, normalised as labels are (the shared scorer's ``report_text``)."""
    dirs = [texts] if isinstance(texts, (str, Path)) else list(texts)
    for d in dirs:
        p = Path(d) / doc
        if p.is_file():
            raw = p.read_bytes()
            for enc in TEXT_ENCODINGS:
                try:
                    text = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                text = raw.decode("utf-8", "replace")
            return norm(PINYIN.sub("", simplified(text)))
    raise EvalError(f"{doc}: not in {', '.join(map(str, dirs))} (the strict reading needs each report's text)")


def score(g, gold: list[dict], texts_dir: str | Path | None = None) -> Scores:
    """Score graph ``g`` against the gold annotations; the strict reading where ``texts_dir`` is given."""
    return summarise(score_docs(g, gold, texts_dir))


def score_docs(g, gold: list[dict], texts_dir: str | Path | None = None) -> dict:
    """Each gold report's counts (what ``summarise`` adds up). A report's counts depend
    only on its own triples and the labels of the nodes they name."""
    all_labels = read_labels(g)
    loose = all_labels.all() if texts_dir is None else None
    idx = report_index(g)
    per_doc = {}
    for doc_gold in gold:
        report = idx.get(doc_gold["doc"])
        if report is None:
            res = {"missing": 1, "gold_figures": len(doc_gold["figures"]),
                   **{f"{k}_gold": len(set(doc_gold.get(k, []))) for k in KINDS}}
        else:
            lab = loose if loose is not None else all_labels.used_in(report_text(texts_dir, doc_gold["doc"]))
            res = score_doc(g, report, doc_gold, lab)
        per_doc[doc_gold["doc"]] = res
    return per_doc


def summarise(per_doc: dict) -> Scores:
    tot = defaultdict(int)
    for res in per_doc.values():
        for k, v in res.items():
            tot[k] += v
    fp, fr, ff = prf(tot["matched"], tot["pred_figures"], tot["gold_figures"])
    m = tot["matched"] or 1
    ents = {}
    for k in KINDS:
        rec = tot[f"{k}_recall_hits"] / tot[f"{k}_gold"] if tot[f"{k}_gold"] else 0.0
        pre = tot[f"{k}_precision_hits"] / tot[f"{k}_pred"] if tot[f"{k}_pred"] else 0.0
        ents[k] = (pre, rec, 2 * pre * rec / (pre + rec) if pre + rec else 0.0)
    summary = {
        "figure_precision": fp, "figure_recall": fr, "figure_f1": ff,
        "programme_link_f1": prf(tot["programme_tp"], tot["programme_pred"], tot["programme_goldn"])[2],
        "group_link_f1": prf(tot["group_tp"], tot["group_pred"], tot["group_goldn"])[2],
        "measure_acc": tot["measure_ok"] / m, "per_acc": tot["per_ok"] / m, "flags_acc": tot["flags_ok"] / m,
        "previous_acc": tot["previous_ok"] / m,
        **{f"{k}_f1": v[2] for k, v in ents.items()},
        "issuer_acc": tot["issuer_ok"] / (len(per_doc) or 1),
        "missing_reports": tot["missing"],
    }
    summary["fact_precision"], summary["fact_recall"], summary["fact_f1"] = prf(
        tot["facts_ok"], tot["pred_figures"], tot["gold_figures"])
    return Scores(summary, per_doc)


def evaluate(graphs: Iterable[str | Path], gold_dir: str | Path, texts_dir: str | Path | None = None,
             docs: Iterable[str] | None = None) -> Scores:
    """``kg eval GRAPH``: score built graph files against a gold folder."""
    gold = read_gold(gold_dir, docs)
    for d in ([texts_dir] if isinstance(texts_dir, (str, Path)) else texts_dir or []):
        if not Path(d).is_dir():
            raise EvalError(f"{d}: no such folder of report texts")
    return score(load(graphs), gold, texts_dir)


# ------------------------------------------------------------ rules switched off

def report_rows_of(reports: str | Path, ontology_dir: str | None = None,
                   disabled_rules: Iterable[str] = ()) -> dict[str, list[str]]:
    """Each report's N-Triples lines as ``kg build`` writes them, with the named rules switched off:
    read as ``kg build`` reads it (the document's reader, then the layout repair of a pasted PDF)."""
    from kg.build.run import collect_inputs
    from kg.nlp.document import extract_document
    from kg.rdf.graph import report_rows
    from kg.read.document import read_document
    from kg.read.text import InputError

    out = {}
    for path in collect_inputs([reports]):
        try:
            document = read_document(path.read_bytes(), str(path))
        except InputError:
            continue  # kg build skips it too (with its warning)
        rec = extract_document(document, path.name, ontology_dir, disabled_rules=frozenset(disabled_rules))
        out[path.name] = report_rows(rec, ontology_dir)
    return out


def graph_of(rows: Iterable[list[str]], ontology_dir: str | None = None) -> rdflib.Dataset:
    """The ontology and the given reports' lines as one graph."""
    from kg.rdf.graph import ntriples_rows
    from kg.vocab.ontology import parsed_ontology

    lines = list(ntriples_rows(parsed_ontology(ontology_dir)))
    for r in rows:
        lines += r
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data="".join(lines), format="nt")
    return ds


def build_graph(reports: str | Path, ontology_dir: str | None = None,
                disabled_rules: Iterable[str] = ()) -> rdflib.Dataset:
    """The graph ``kg build`` writes for the report folder (ontology included), made in
    memory with the named rules switched off."""
    return graph_of(report_rows_of(reports, ontology_dir, disabled_rules).values(), ontology_dir)


@dataclass(frozen=True)
class Comparison:
    """Scores with every rule, and with the named rules switched off."""

    without: tuple[str, ...]
    full: Scores
    reduced: Scores

    def lines(self) -> list[str]:
        keys = [k for k, v in self.full.summary.items() if isinstance(v, float)]
        out = [f"{'score':20} {'all rules':>9} {'without':>9} {'change':>7}"]
        for k in keys:
            a, b = self.full.summary[k], self.reduced.summary[k]
            out.append(f"{k:20} {a:9.3f} {b:9.3f} {b - a:+7.3f}")
        return out


def evaluate_without(reports: str | Path, gold_dir: str | Path, without: Iterable[str],
                     texts_dir: str | Path | None = None, ontology_dir: str | None = None,
                     docs: Iterable[str] | None = None) -> Comparison:
    """``kg eval --reports DIR --without RULE``: what the rules named contribute."""
    from kg.nlp.rules import RULES, table_rules

    without = tuple(without)
    unknown = [r for r in without if r not in RULES and r not in table_rules()]
    if unknown:
        raise EvalError(f"no rule named {', '.join(unknown)} (kg rules lists them)")
    gold = read_gold(gold_dir, docs)
    texts = texts_dir if texts_dir is not None else reports
    full = score(build_graph(reports, ontology_dir), gold, texts)
    reduced = score(build_graph(reports, ontology_dir, without), gold, texts)
    return Comparison(without, full, reduced)


@dataclass(frozen=True)
class GoldSet:
    """Reports, their gold annotations, and the texts for the strict reading."""

    name: str
    reports: str
    gold: str
    texts: str | None = None


def rule_effects(sets: Iterable[GoldSet], rules: Iterable[str], ontology_dir: str | None = None,
                 progress=None) -> dict[str, dict[str, tuple[float, float]]]:
    """Fact F1 of each gold set with every rule and without each rule in turn:
    ``{rule: {set name: (with, without)}}``. Each report folder is extracted once per
    rule; only the reports whose triples changed are scored again (a report's counts
    depend on its own triples alone, see ``score_docs``)."""
    sets = list(sets)
    golds = {s.name: read_gold(s.gold) for s in sets}
    folders = sorted({s.reports for s in sets})
    base_rows = {f: report_rows_of(f, ontology_dir) for f in folders}
    base_graphs = {f: graph_of(base_rows[f].values(), ontology_dir) for f in folders}
    base = {s.name: score_docs(base_graphs[s.reports], golds[s.name], s.texts or s.reports) for s in sets}
    out = {}
    for rule in rules:
        rows = {f: report_rows_of(f, ontology_dir, (rule,)) for f in folders}
        changed = {f: {n for n in rows[f] if rows[f][n] != base_rows[f].get(n)} for f in folders}
        graphs = {f: graph_of([rows[f][n] for n in sorted(changed[f])], ontology_dir) for f in folders if changed[f]}
        result = {}
        for s in sets:
            per_doc = dict(base[s.name])
            gold = [g for g in golds[s.name] if g["doc"] in changed[s.reports]]
            if gold:
                per_doc.update(score_docs(graphs[s.reports], gold, s.texts or s.reports))
            result[s.name] = (summarise(base[s.name]).summary["fact_f1"], summarise(per_doc).summary["fact_f1"])
        out[rule] = result
        if progress:
            progress(rule, result)
    return out
