"""A compiled checker for the SHACL Core subset ontology/shapes.ttl uses, over N-Triples lines.

Why not pySHACL or pyrudof in the build: measured on our shapes and graphs
(bench/RESULTS.md, "Validation"), pySHACL costs ~300 µs a triple and pyrudof ~30 µs,
0.1–0.4 s for one report's graph with the ontology nodes it points to, while extracting
the report costs ~30 ms. The shapes are few and simple (targets by class or subject,
one-predicate paths, counts, classes, datatypes, lengths, values, languages, ``sh:or``,
``sh:node``), so they are read once into plain tables and checked against a report's
lines where the report is built, at a few µs a triple. Every shape feature used is
interpreted; a shapes file with any other feature is refused (``Unsupported``) and the
build falls back to pySHACL on the merged graph. ``kg validate`` stays pySHACL, the
reference; tests check that the three find the same violations on broken graphs.

Terms are N-Triples strings: an IRI ``<...>``, a literal ``"..."``, ``"..."@lang`` or
``"..."^^<datatype>``. Semantics as SHACL Core without inference: ``sh:class`` and
``sh:targetClass`` follow ``rdfs:subClassOf`` in the data (and the background).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.stores import validate as _validate
from kg.stores.validate import ValidationResult, Violation

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SUBCLASS = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = f"<{XSD}string>"
LANG_STRING = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"
# Lexical forms the datatypes we check accept (an ill-typed literal fails sh:datatype, as in pySHACL).
LEXICAL = {f"<{XSD}decimal>": re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)"),
           f"<{XSD}integer>": re.compile(r"[+-]?\d+"),
           f"<{XSD}boolean>": re.compile(r"true|false|1|0"),
           f"<{XSD}date>": re.compile(r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(Z|[+-]\d\d:\d\d)?")}
# Keys of a shape node this checker interprets; any other sh: key is Unsupported.
NODE_KEYS = {"targetClass", "targetSubjectsOf", "property", "or", "message", "node"}
PROP_KEYS = {"path", "minCount", "maxCount", "class", "datatype", "minLength", "node", "hasValue", "uniqueLang",
             "qualifiedValueShape", "qualifiedMinCount", "message"}


class Unsupported(Exception):
    """The shapes use a SHACL feature this checker does not interpret."""


@dataclass(frozen=True)
class Prop:
    path: str
    message: str
    min_count: int | None = None
    max_count: int | None = None
    classes: tuple[str, ...] = ()
    datatype: str | None = None
    min_length: int | None = None
    node: str | None = None  # a node shape each value must meet
    has_value: str | None = None
    unique_lang: bool = False
    qualified_langs: tuple[str, ...] | None = None  # sh:qualifiedValueShape [ sh:languageIn (...) ]
    qualified_min: int | None = None


@dataclass(frozen=True)
class Shape:
    iri: str
    message: str = ""
    target_classes: tuple[str, ...] = ()
    target_subjects_of: tuple[str, ...] = ()
    props: tuple[Prop, ...] = ()
    ors: tuple[tuple["Shape", ...], ...] = ()
    nodes: tuple[str, ...] = ()


@dataclass
class Shapes:
    shapes: dict[str, Shape]
    paths: frozenset[str] = field(default_factory=frozenset)

    @property
    def targeted(self) -> list[Shape]:
        return [s for s in self.shapes.values() if s.target_classes or s.target_subjects_of]


def _n3(node) -> str:
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    if isinstance(node, BNode):
        return f"_:{node}"
    raise Unsupported(f"shape term {node!r}")


def shapes_path() -> Path:
    """The shapes file kg validates against (read when asked, so a test or caller may point it elsewhere)."""
    return Path(_validate.SHAPES)


def load_shapes(path: str | Path | None = None) -> Shapes:
    """The shapes file as tables (read again when it changes); Unsupported if it uses a
    feature this checker lacks."""
    path = Path(path) if path is not None else shapes_path()
    return _load_shapes(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load_shapes(path: str, mtime_ns: int) -> Shapes:
    from rdflib import RDF, BNode, Graph, URIRef
    from rdflib.collection import Collection

    g = Graph().parse(str(path), format="turtle")
    sh = lambda k: URIRef(SH + k)  # noqa: E731

    def keys(node) -> set[str]:
        return {str(p)[len(SH):] for p in g.predicates(node, None) if str(p).startswith(SH)}

    def one(node, key):
        return g.value(node, sh(key))

    def integer(node, key):
        v = one(node, key)
        return None if v is None else int(v)

    def message(node) -> str:
        return "; ".join(sorted(str(m) for m in g.objects(node, sh("message"))))

    def prop(node) -> Prop:
        extra = keys(node) - PROP_KEYS
        if extra:
            raise Unsupported(f"property shape with sh:{', sh:'.join(sorted(extra))}")
        path = one(node, "path")
        if not isinstance(path, URIRef):
            raise Unsupported("a property path other than one predicate")
        qlangs = None
        q = one(node, "qualifiedValueShape")
        if q is not None:
            if keys(q) != {"languageIn"}:
                raise Unsupported("sh:qualifiedValueShape other than [ sh:languageIn (...) ]")
            qlangs = tuple(str(x) for x in Collection(g, one(q, "languageIn")))
        uniq = one(node, "uniqueLang")
        return Prop(_n3(path), message(node), integer(node, "minCount"), integer(node, "maxCount"),
                    tuple(sorted(_n3(c) for c in g.objects(node, sh("class")))),
                    _n3(one(node, "datatype")) if one(node, "datatype") is not None else None,
                    integer(node, "minLength"),
                    _n3(one(node, "node")) if one(node, "node") is not None else None,
                    _n3(one(node, "hasValue")) if one(node, "hasValue") is not None else None,
                    bool(uniq) and str(uniq).lower() == "true", qlangs, integer(node, "qualifiedMinCount"))

    def shape(node) -> Shape:
        if "path" in keys(node):  # a property shape standing as a member of sh:or
            return Shape(_n3(node), message(node), props=(prop(node),))
        extra = keys(node) - NODE_KEYS
        if extra:
            raise Unsupported(f"node shape {node} with sh:{', sh:'.join(sorted(extra))}")
        ors = tuple(tuple(shape(m) for m in Collection(g, lst)) for lst in g.objects(node, sh("or")))
        return Shape(_n3(node), message(node),
                     tuple(sorted(_n3(c) for c in g.objects(node, sh("targetClass")))),
                     tuple(sorted(_n3(p) for p in g.objects(node, sh("targetSubjectsOf")))),
                     tuple(prop(p) for p in sorted(g.objects(node, sh("property")), key=lambda p: str(one(p, "path")))),
                     ors, tuple(sorted(_n3(n) for n in g.objects(node, sh("node")))))

    roots = set(g.subjects(RDF.type, sh("NodeShape"))) | {o for o in g.objects(None, sh("node"))}
    out = {}
    for node in roots:
        if isinstance(node, BNode):
            raise Unsupported("a blank node shape referenced by sh:node")
        out[_n3(node)] = shape(node)
    paths = {p.path for s in out.values() for p in s.props} | {p.path for s in out.values() for alt in s.ors
                                                                 for m in alt for p in m.props}
    return Shapes(out, frozenset(paths))


# ------------------------------------------------------------------ data


def split_line(line: str) -> tuple[str, str, str]:
    """An N-Triples line (``s p o .``) as its three terms."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest.rstrip()[:-1].rstrip()


class Data:
    """Triples indexed by subject; ``background`` (the ontology) answers what the data does not say."""

    def __init__(self, lines, background: "Data | None" = None) -> None:
        self.out: dict[str, dict[str, list[str]]] = {}
        self.background = background
        out = self.out
        for line in lines:
            if isinstance(line, bytes):
                line = line.decode("utf-8")
            if line.endswith(" .\n"):  # as kg writes every line
                s, p, o = line[:-3].split(" ", 2)
            elif not line.strip() or line.startswith("#"):
                continue
            else:
                s, p, o = split_line(line)
            preds = out.get(s)
            if preds is None:
                preds = out[s] = {}
            vals = preds.get(p)
            if vals is None:
                preds[p] = [o]
            else:
                vals.append(o)
        self._supers: dict[str, frozenset[str]] = {}
        self._types: dict[str, frozenset[str]] = {}

    def values(self, s: str, p: str) -> list[str]:
        here = self.out.get(s)
        vals = here.get(p, []) if here else []
        if self.background is not None and not vals:
            return self.background.values(s, p)
        return vals

    def types(self, s: str) -> frozenset[str]:
        got = self._types.get(s)
        if got is None:
            out: set[str] = set()
            for c in self._direct_types(s):
                out |= self.superclasses(c)
            got = self._types[s] = frozenset(out)
        return got

    def _direct_types(self, s: str) -> list[str]:
        here = self.out.get(s)
        vals = list(here.get(RDF_TYPE, [])) if here else []
        if self.background is not None:
            vals += self.background._direct_types(s)
        return vals

    def superclasses(self, c: str) -> frozenset[str]:
        """``c`` and every class above it by rdfs:subClassOf."""
        got = self._supers.get(c)
        if got is None:
            seen, todo = {c}, [c]
            while todo:
                for sup in self._subclass_of(todo.pop()):
                    if sup not in seen:
                        seen.add(sup)
                        todo.append(sup)
            got = self._supers[c] = frozenset(seen)
        return got

    def _subclass_of(self, c: str) -> list[str]:
        here = self.out.get(c)
        vals = list(here.get(SUBCLASS, [])) if here else []
        if self.background is not None:
            vals += self.background._subclass_of(c)
        return vals


# ------------------------------------------------------------------ checking


def _literal(term: str) -> tuple[str, str | None, str | None] | None:
    """(lexical form, language, datatype) of a literal term, None for an IRI or blank node."""
    if not term.startswith('"'):
        return None
    end = term.rindex('"')
    lex = _unescape(term[1:end])
    tail = term[end + 1:]
    if tail.startswith("@"):
        return lex, tail[1:].lower(), LANG_STRING
    if tail.startswith("^^"):
        return lex, None, tail[2:]
    return lex, None, XSD_STRING


_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(s: str) -> str:
    if "\\" not in s:
        return s
    return _ESCAPE.sub(lambda m: _SIMPLE.get(m.group(1), None) or chr(int(m.group(1)[1:], 16)), s)


def _lang_matches(lang: str | None, ranges: tuple[str, ...]) -> bool:
    if not lang:
        return False
    return any(lang == r.lower() or lang.startswith(r.lower() + "-") or r == "*" for r in ranges)


class Checker:
    def __init__(self, shapes: Shapes) -> None:
        self.shapes = shapes
        self._conforms: dict[tuple[int, str], bool] = {}

    def focus_nodes(self, shape: Shape, data: Data):
        """Subjects of ``data`` (not of its background) that ``shape`` targets."""
        for s, preds in data.out.items():
            if any(p in preds for p in shape.target_subjects_of):
                yield s
            elif shape.target_classes and data.types(s).intersection(shape.target_classes):
                yield s

    def check(self, data: Data) -> list[Violation]:
        self._conforms = {}  # many figures point to the same concept, region and rule nodes: each checked once
        out = []
        for shape in self.shapes.targeted:
            for focus in self.focus_nodes(shape, data):
                out += self.node_violations(shape, focus, data)
        return out

    def conforms(self, shape: Shape, focus: str, data: Data) -> bool:
        key = (id(shape), focus)
        got = self._conforms.get(key)
        if got is None:
            got = self._conforms[key] = not self.node_violations(shape, focus, data, first=True)
        return got

    def node_violations(self, shape: Shape, focus: str, data: Data, first: bool = False) -> list[Violation]:
        out = []
        for prop in shape.props:
            out += self.prop_violations(prop, focus, data)
            if first and out:
                return out
        for alternatives in shape.ors:
            if not any(self.conforms(m, focus, data) for m in alternatives):
                out.append(Violation(focus, "", shape.message or "violates sh:OrConstraintComponent"))
                if first:
                    return out
        for ref in shape.nodes:
            if not self.conforms(self.shapes.shapes[ref], focus, data):
                out.append(Violation(focus, "", shape.message or "violates sh:NodeConstraintComponent", ref))
        return out

    def prop_violations(self, prop: Prop, focus: str, data: Data) -> list[Violation]:
        values = data.values(focus, prop.path)
        if not values and prop.min_count is None and prop.has_value is None and prop.qualified_min is None:
            return []  # nothing to count and no value to check: the common case of an optional property
        bad: list[tuple[str, str]] = []  # (value, component)
        n = len(values)
        if prop.min_count is not None and n < prop.min_count:
            bad.append(("", "MinCount"))
        if prop.max_count is not None and n > prop.max_count:
            bad.append(("", "MaxCount"))
        per_value = (prop.classes or prop.datatype is not None or prop.min_length is not None or prop.node is not None
                     or prop.unique_lang or prop.qualified_langs is not None)
        langs_seen: set[str] = set()
        qualified = 0
        for v in values if per_value else ():
            lit = _literal(v)
            if prop.classes and (lit is not None or not data.types(v).issuperset(prop.classes)):
                bad.append((v, "Class"))
            if prop.datatype is not None:
                pattern = LEXICAL.get(prop.datatype)
                if lit is None or lit[2] != prop.datatype or (pattern is not None and not pattern.fullmatch(lit[0])):
                    bad.append((v, "Datatype"))
            if prop.min_length is not None and (v.startswith("_:") or len(lit[0] if lit else v[1:-1]) < prop.min_length):
                bad.append((v, "MinLength"))
            if prop.node is not None and not self.conforms(self.shapes.shapes[prop.node], v, data):
                bad.append((v, "Node"))
            if prop.unique_lang and lit is not None and lit[1]:
                if lit[1] in langs_seen:
                    bad.append(("", "UniqueLang"))
                langs_seen.add(lit[1])
            if prop.qualified_langs is not None and lit is not None and _lang_matches(lit[1], prop.qualified_langs):
                qualified += 1
        if prop.has_value is not None and prop.has_value not in values:
            bad.append(("", "HasValue"))
        if prop.qualified_min is not None and qualified < prop.qualified_min:
            bad.append(("", "QualifiedMinCount"))
        return [Violation(focus, prop.path, prop.message or f"violates sh:{c}ConstraintComponent", v) for v, c in bad]


def check_lines(lines, background: Data | None = None, shapes: Shapes | None = None) -> ValidationResult:
    """Check N-Triples lines (str or bytes) against the shapes; ``background`` is consulted
    for what the lines point to (types, schemes) but its own nodes are not checked."""
    data = Data(lines, background)
    violations = tuple(sorted(set(Checker(shapes or load_shapes()).check(data)),
                              key=lambda v: (v.focus, v.path, v.message, v.value)))
    if not violations:
        return ValidationResult(True, "Conforms: the graph meets the contract shapes.", 0)
    text = f"{len(violations)} violation(s) of the contract shapes:\n" + "\n".join(
        f"{v.focus}\n    {v.path or '(node)'}: {v.message}" + (f" [value: {v.value}]" if v.value else "")
        for v in violations)
    return ValidationResult(False, text, len(violations), violations)
