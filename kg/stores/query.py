"""SPARQL over a built graph, an Oxigraph store or a remote endpoint: the library of ``kg query``.

Sources, picked by what ``source`` looks like:

- a file (``.ttl``, ``.nt``, ``.nq``, ``.trig``): loaded into an in-memory
  pyoxigraph store (bulk loading is ~10x faster than rdflib's parser, and
  Oxigraph answers queries ~40x faster);
- a folder holding an Oxigraph store (``kg build --store``): opened read-only,
  so it works while a build writes to it;
- an ``http(s)://`` URL: a SPARQL 1.1 query endpoint, asked with a plain POST.

The default graph is the union of all named graphs, so queries need no
``GRAPH`` clause. Oxigraph's union is a multiset: a concept's triples repeated
in several report graphs match once per graph, hence ``SELECT DISTINCT`` in the
shipped queries.

Parameters are RDF terms, never text spliced into the query. ``--param k=v``
turns ``v`` into a term (see :func:`parse_term`) which pyoxigraph substitutes
for ``?k`` (SEP-0007; pyoxigraph requires ``?k`` in the SELECT list). For an
endpoint the term is serialised by pyoxigraph into a ``VALUES ?k { term }``
block at the start of the WHERE group, which has the same effect for the
FILTERs and patterns of that group.
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from kg.data import data_dir

QUERIES_DIR = data_dir("queries")
XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {
    "wf": "https://w3id.org/welfare-kg/ontology#",
    "wfp": "https://w3id.org/welfare-kg/programme/",
    "wfg": "https://w3id.org/welfare-kg/group/",
    "wfu": "https://w3id.org/welfare-kg/unit/",
    "wfa": "https://w3id.org/welfare-kg/agency-type/",
    "data": "https://w3id.org/welfare-kg/data/",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "org": "http://www.w3.org/ns/org#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": XSD,
}
FILE_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
                ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}
FORMATS = ("table", "csv", "tsv", "json")
TIMEOUT = 120  # seconds for one endpoint request

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class QueryError(Exception):
    """A query that cannot run: bad source, bad syntax, missing parameter, endpoint error."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path
    question: str
    params: tuple[str, ...]  # variables the caller must bind (``# Param: word — ...``)
    text: str


def named_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """The shipped queries: ``queries/<name>.rq``, each opening with ``# Question: ...``."""
    out = {}
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        question = next((l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("# Question:")), "")
        params = tuple(m.group(1) for m in re.finditer(r"^# Param:\s*(\w+)", text, re.M))
        out[path.stem] = NamedQuery(path.stem, path, question, params, text)
    return out


def named_query(name: str) -> NamedQuery:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"no named query {name!r}; known: {', '.join(queries)}")
    return queries[name]


# ---------------------------------------------------------------- parameters

_LANG = re.compile(r'^"(.*)"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)$', re.S)
_TYPED = re.compile(r'^"(.*)"\^\^(?:<([^>]*)>|(\w+):(\w*))$', re.S)


def parse_term(value: str) -> Term:
    """A ``--param`` value as an RDF term.

    - ``路桥区`` → the plain literal "路桥区" (rdfs:label of regions and agencies is plain);
    - ``http://…``, ``https://…``, ``urn:…`` or ``<…>`` → an IRI;
    - ``"社会救助"@zh`` → a language-tagged literal (skos:prefLabel of programmes and groups);
    - ``"670"^^xsd:decimal`` or ``"670"^^<http://…#decimal>`` → a typed literal.
    The text between the quotes is taken as it is (no escapes).
    """
    if value.startswith("<") and value.endswith(">"):
        return ox.NamedNode(value[1:-1])
    if re.match(r"^(https?://|urn:)\S+$", value):
        return ox.NamedNode(value)
    if m := _LANG.match(value):
        return ox.Literal(m.group(1), language=m.group(2).lower())
    if m := _TYPED.match(value):
        if m.group(2) is not None:
            dt = m.group(2)
        elif m.group(3) in PREFIXES:
            dt = PREFIXES[m.group(3)] + m.group(4)
        else:
            raise QueryError(f"unknown prefix {m.group(3)!r} in {value!r}; use <full IRI>")
        return ox.Literal(m.group(1), datatype=ox.NamedNode(dt))
    return ox.Literal(value)


def _terms(params: dict[str, str | Term] | None) -> dict[str, Term]:
    out = {}
    for k, v in (params or {}).items():
        if not re.fullmatch(r"\w+", k):
            raise QueryError(f"parameter name {k!r} is not a SPARQL variable name")
        try:
            out[k] = v if isinstance(v, (ox.NamedNode, ox.BlankNode, ox.Literal)) else parse_term(str(v))
        except ValueError as e:  # Oxigraph's own check of an IRI or a language tag
            raise QueryError(f"--param {k}={v}: not a valid RDF term ({e})") from e
    return out


# ---------------------------------------------------------------- sources


def is_endpoint(source: str | Path) -> bool:
    return isinstance(source, str) and source.startswith(("http://", "https://"))


def is_store_dir(path: Path) -> bool:
    return path.is_dir() and (path / "CURRENT").is_file()


@lru_cache(maxsize=4)
def _file_store(path: str, mtime_ns: int, size: int) -> ox.Store:
    st = ox.Store()
    try:
        st.bulk_load(path=path, format=FILE_FORMATS[Path(path).suffix.lower()])
    except (SyntaxError, ValueError) as e:
        raise QueryError(f"{path}: cannot parse: " + " ".join(str(e).split())) from e
    return st


def open_source(source: str | Path) -> ox.Store:
    """An Oxigraph store holding ``source`` (a built file or a store folder)."""
    path = Path(source)
    if path.is_dir():
        if not is_store_dir(path):
            raise QueryError(f"{path}: a folder but not an Oxigraph store (built by `kg build --store`)")
        try:
            return ox.Store.read_only(str(path))
        except OSError as e:
            raise QueryError(f"{path}: cannot open the store: {e}") from e
    if not path.is_file():
        raise QueryError(f"{path}: no such file or store folder")
    if path.suffix.lower() not in FILE_FORMATS:
        raise QueryError(f"{path}: not a graph file ({', '.join(FILE_FORMATS)}) or a store folder")
    stat = path.stat()
    return _file_store(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


# ---------------------------------------------------------------- running


def run_query(source: str | Path, sparql: str, params: dict[str, str | Term] | None = None,
              ) -> tuple[list[str], list[tuple[Term | None, ...]]]:
    """Run ``sparql`` over ``source``; return the variable names and the rows of terms.

    ASK gives one column ``result``; CONSTRUCT and DESCRIBE give ``subject``,
    ``predicate``, ``object``. Unbounded: ``kg query`` goes through kg.stores.bounded.
    """
    names, rows = start_query(source, sparql, params)
    return names, list(rows)


def start_query(source: str | Path, sparql: str, params: dict[str, str | Term] | None = None,
                timeout: float | None = None) -> tuple[list[str], Iterator[tuple[Term | None, ...]]]:
    """``run_query`` with the rows as an iterator: over a store or file they are computed as they
    are taken (Oxigraph evaluates lazily), so a caller can stop early. ``timeout``: an endpoint's."""
    terms = _terms(params)
    if is_endpoint(source):
        names, rows = _run_endpoint(str(source), sparql, terms, timeout or TIMEOUT)
        return names, iter(rows)
    store = open_source(source)
    subs = {ox.Variable(k): v for k, v in terms.items()}
    try:
        result = store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True, substitutions=subs or None)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from e
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(_query_failure(e)) from e
    if isinstance(result, ox.QueryBoolean):
        return ["result"], iter([(ox.Literal(bool(result)),)])
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], _rows(((t.subject, t.predicate, t.object) for t in result))
    names = [v.value for v in result.variables]
    return names, _rows((tuple(row[i] for i in range(len(names))) for row in result))


def _rows(rows: Iterator) -> Iterator:
    """Rows as they come; an error met while evaluating one is a QueryError too."""
    try:
        yield from rows
    except (OSError, ValueError, RuntimeError) as e:
        raise QueryError(_query_failure(e)) from e


def _query_failure(e: Exception) -> str:
    msg = str(e)
    if "SELECT projection" in msg:
        msg += " (a --param variable must appear in the SELECT list)"
    return msg


def bind_values(sparql: str, terms: dict[str, Term]) -> str:
    """``sparql`` with ``VALUES (?k ...) { (term ...) }`` opening its WHERE group.

    The terms are serialised by pyoxigraph (N-Triples syntax, quotes escaped),
    so a value can never end the literal and add query text.
    """
    if not terms:
        return sparql
    pos = _where_brace(sparql)
    if pos < 0:
        raise QueryError("cannot bind parameters: the query has no WHERE { ... } group")
    names = " ".join(f"?{k}" for k in terms)
    values = " ".join(str(v) for v in terms.values())
    return f"{sparql[:pos + 1]} VALUES ({names}) {{ ({values}) }} {sparql[pos + 1:]}"


_TOKEN = re.compile(
    r'''(?P<comment>\#[^\n]*)|(?P<iri><[^<>"{}|^`\\\s]*>)|(?P<str>"""(?:[^\\]|\\.)*?"""|\'\'\'(?:[^\\]|\\.)*?\'\'\''''
    r'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|(?P<where>\bWHERE\b)|(?P<brace>\{)''',
    re.I | re.S)


def _where_brace(sparql: str) -> int:
    """Offset of the ``{`` opening the query's WHERE group, skipping comments, IRIs and strings."""
    first = -1
    seen_where = False
    for m in _TOKEN.finditer(sparql):
        if m.lastgroup == "where":
            seen_where = True
        elif m.lastgroup == "brace":
            if seen_where:
                return m.start()
            if first < 0:
                first = m.start()
    # WHERE is optional in SELECT/ASK; CONSTRUCT always names it before its pattern.
    return first


def _with_prefixes(sparql: str) -> str:
    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+(\w*):", sparql, re.I)}
    head = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p not in declared)
    return head + sparql


def _run_endpoint(url: str, sparql: str, terms: dict[str, Term], timeout: float = TIMEOUT):
    import requests

    text = bind_values(_with_prefixes(sparql), terms)
    try:
        resp = requests.post(url, data={"query": text}, timeout=timeout,
                             headers={"Accept": "application/sparql-results+json, application/n-triples;q=0.9"})
    except requests.RequestException as e:
        raise QueryError(f"{url}: cannot reach the endpoint: {e}") from e
    if resp.status_code != 200:
        raise QueryError(f"{url}: HTTP {resp.status_code}: {resp.text.strip()[:500]}")
    ctype = resp.headers.get("Content-Type", "").split(";")[0].strip()
    if ctype in ("application/n-triples", "text/plain", "text/turtle"):
        fmt = ox.RdfFormat.TURTLE if ctype == "text/turtle" else ox.RdfFormat.N_TRIPLES
        return ["subject", "predicate", "object"], [(q.subject, q.predicate, q.object)
                                                      for q in ox.parse(resp.content, format=fmt)]
    try:
        data = resp.json()
    except ValueError as e:
        raise QueryError(f"{url}: answer is not SPARQL JSON results ({ctype})") from e
    if "boolean" in data:
        return ["result"], [(ox.Literal(bool(data["boolean"])),)]
    names = data["head"]["vars"]
    rows = [tuple(_json_term(b.get(n)) for n in names) for b in data["results"]["bindings"]]
    return names, rows


def _json_term(b: dict | None) -> Term | None:
    if b is None:
        return None
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:  # "typed-literal" is the pre-standard spelling some stores still send
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


# ---------------------------------------------------------------- comparing and printing


def normalised(term: Term | None):
    """A comparable key for a term: numbers by value, so "670.0" and "670" agree across stores."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        if dt in (XSD + "decimal", XSD + "integer", XSD + "double", XSD + "float", XSD + "int", XSD + "long"):
            try:
                return ("num", Decimal(term.value).normalize())
            except InvalidOperation:
                pass
        if dt == XSD + "boolean":
            return ("bool", term.value in ("true", "1"))
        return ("lit", term.value, term.language or "")
    return (type(term).__name__, term.value)


def display(term: Term | None, compact: bool = True) -> str:
    """A term as a person reads it: lexical value, IRIs with known prefixes, plain numbers."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if compact:
            for p, iri in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
                if term.value.startswith(iri):
                    return f"{p}:{term.value[len(iri):]}"
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.datatype.value == XSD + "decimal":
        try:
            return f"{Decimal(term.value).normalize():f}"
        except InvalidOperation:
            pass
    return term.value


def width(s: str) -> int:
    """Columns ``s`` takes in a terminal: CJK wide and full-width characters take two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _clip(s: str, limit: int) -> str:
    s = s.replace("\n", " ")
    if width(s) <= limit:
        return s
    out, w = "", 0
    for c in s:
        if w + width(c) > limit - 1:
            break
        out += c
        w += width(c)
    return out + "…"


def format_rows(names: list[str], rows: list[tuple], fmt: str = "table", max_width: int = 48) -> str:
    if fmt == "table":
        cells = [[_clip(display(t), max_width) for t in row] for row in rows]
        widths = [max([width(n)] + [width(r[i]) for r in cells]) for i, n in enumerate(names)]

        def line(vals):
            return "  ".join(v + " " * (w - width(v)) for v, w in zip(vals, widths)).rstrip()

        out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in cells]
        out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
        return "\n".join(out) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        if fmt == "csv":
            w = csv.writer(buf, lineterminator="\n")
            w.writerow(names)
            w.writerows([display(t, compact=False) for t in row] for row in rows)
        else:
            esc = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"})
            for row in [names] + [[display(t, compact=False) for t in r] for r in rows]:
                buf.write("\t".join(v.translate(esc) for v in row) + "\n")
        return buf.getvalue()
    if fmt == "json":  # W3C SPARQL 1.1 Query Results JSON
        return json.dumps({"head": {"vars": names},
                           "results": {"bindings": [{n: _to_json(t) for n, t in zip(names, row) if t is not None}
                                                    for row in rows]}},
                          ensure_ascii=False, indent=1) + "\n"
    raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _to_json(t: Term) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD + "string":
        out["datatype"] = t.datatype.value
    return out
