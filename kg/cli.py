"""The ``kg`` command: a thin layer over the library.

Each command calls one library function and turns its exceptions into a clear
one-line message and an exit code (README "Exit codes"): 0 done, 1 bad input
(a report, graph file, query or parameter; a query stopped at its timeout),
2 usage or environment (output folder not writable or busy, store locked,
endpoint refused), 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import sys
from typing import NoReturn

import click

from kg.read.text import MAX_BYTES, InputError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _os_error(e: OSError) -> str:
    """An OSError as a one-line message naming its path and the problem."""
    from kg.errors import shown

    where = shown(e.filename) if e.filename is not None else "?"
    return f"{where}: {e.strerror or e}"


def _fail(command: str, error, code: int) -> NoReturn:
    """Every command's way out: one line on stderr naming the command, then the exit code."""
    click.echo(f"kg {command}: {error}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="welfare-kg")
def main() -> None:
    """Turn Chinese civil-affairs work reports into an RDF knowledge graph."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", default="exports", show_default=True, help="Folder to write the exports into.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, None),
              help="Worker processes; the output is the same byte for byte.")
@click.option("--engine", type=click.Choice(["processes", "dask"]), default="processes", show_default=True,
              help="Where reports are extracted: a process pool (--jobs) or Dask (a local cluster of --jobs workers, "
                   "or --address).")
@click.option("--address", default=None, metavar="tcp://HOST:8786",
              help="With --engine dask: a running Dask scheduler to use instead of a local cluster.")
@click.option("--no-cache", is_flag=True, help="Re-read every report instead of reusing OUT/.cache.")
@click.option("--store", "store_dir", default=None, help="Oxigraph store folder to update.  [default: OUT/store]")
@click.option("--validate/--no-validate", default=True, show_default=True,
              help="Check the graph against ontology/shapes.ttl before replacing any export.")
@click.option("--strict", is_flag=True, help="Exit 1 without replacing exports if any file is skipped or warned about.")
@click.option("--max-bytes", default=MAX_BYTES, show_default=True, type=click.IntRange(1, None),
              help="Skip (with a warning) input files larger than this.")
@click.option("--wait", default=0.0, show_default=True, type=click.FloatRange(0, None), metavar="SECONDS",
              help="If another build holds OUT, wait this long for it before giving up.")
@click.option("--keep-dropped", is_flag=True,
              help="Keep in the store the graphs of reports not in this build (the exports hold only this build's).")
def build(inputs: tuple[str, ...], out_dir: str, jobs: int, engine: str, address: str | None, no_cache: bool,
          store_dir: str | None, validate: bool, strict: bool, max_bytes: int, wait: float, keep_dropped: bool) -> None:
    """Build report files (or folders of them) into OUT/welfare.ttl and friends."""
    from pathlib import Path

    from kg.build.engines import EngineError
    from kg.build.lock import OutputError

    if address and engine != "dask":
        _fail("build", "--address names a Dask scheduler: give --engine dask with it", EXIT_USAGE)
    from kg.build.run import StrictError, build as run_build
    from kg.stores.store import StoreError
    from kg.stores.validate import GraphInvalid

    try:
        result = run_build(list(inputs), out_dir, jobs=jobs, use_cache=not no_cache,
                           store=store_dir or Path(out_dir) / "store", check=validate, strict=strict,
                           max_bytes=max_bytes, engine=engine, address=address, keep_dropped=keep_dropped, wait=wait)
    except StrictError as e:
        _print_problems(e.result)
        _fail("build", e, EXIT_BAD_INPUT)
    except InputError as e:
        _fail("build", e, EXIT_BAD_INPUT)
    except GraphInvalid as e:
        click.echo(f"kg build: the graph breaks the contract shapes (a bug; previous exports kept):\n{e}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except (StoreError, EngineError, OutputError) as e:
        _fail("build", e, EXIT_USAGE)
    except OSError as e:  # the file system refused a write (full, read-only, permissions): nothing was replaced
        _fail("build", f"{_os_error(e)}; previous exports kept", EXIT_USAGE)
    except KeyboardInterrupt:
        _fail("build", "interrupted; previous exports kept", EXIT_INTERRUPTED)
    s = result.summary()
    click.echo(f"Built {s['reports']} reports: {s['agencies']} agencies, {s['programmes']} programmes, "
               f"{s['groups']} groups, {s['figures']} figures, {s['triples']} triples "
               f"({s['extracted']} read, {s['cached']} from cache).")
    if s["formats"]:
        click.echo("  reports by format: " + ", ".join(f"{n} {fmt}" for fmt, n in s["formats"].items())
                   + (f"; {s['skipped']} file{'s' if s['skipped'] != 1 else ''} not built (below)" if s["skipped"] else ""))
    if result.graph_stats:
        from kg.out.network import format_stats

        click.echo(format_stats(result.graph_stats))
    _print_problems(result)
    if result.validated:
        click.echo("  the graph meets the contract shapes (ontology/shapes.ttl)")
    elif validate:
        click.echo(f"  not validated: {result.triples:,} triples is more than kg build checks; "
                   f"run kg validate {Path(out_dir) / 'welfare.nq'}", err=True)
    for path in s["written"]:
        click.echo(f"  wrote {path}")
    if result.store_kept:
        click.echo(f"  the store also keeps {result.store_kept} graphs of reports not in this build (--keep-dropped)")


def _print_problems(result) -> None:
    """Skipped files, then each report's warnings (garbled text first counted, then listed)."""
    for reason in result.skipped:
        click.echo(f"  skipped {reason}", err=True)
    for problem in getattr(result, "cache_warnings", ()):
        click.echo(f"  warning cache entry {problem}", err=True)
    for source, warnings in result.report_warnings():  # kept as the build went, not read back from the records
        garbled = sum(w.startswith("garbled text") for w in warnings)
        if garbled:
            click.echo(f"  warning {source}: {garbled} garbled stretch{'es' if garbled > 1 else ''} of text", err=True)
        for w in warnings:
            click.echo(f"  warning {source}: {w}", err=True)


@main.command()
@click.argument("graph", required=False)
@click.argument("sparql", required=False)
@click.option("--file", "file_", type=click.Path(dir_okay=False), help="Read the query from a .rq file.")
@click.option("--name", help="Run a shipped query from queries/ (see --list).")
@click.option("--param", "params", multiple=True, metavar="K=V",
              help='Bind ?K to V: plain literal, http… IRI, "v"@zh or "v"^^xsd:decimal.')
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@click.option("--endpoint", help="Ask a SPARQL endpoint URL instead of GRAPH.")
@click.option("--list", "list_", is_flag=True, help="List the shipped queries and the questions they answer.")
@click.option("--timeout", default=60.0, show_default=True, type=click.FloatRange(0, None), metavar="SECONDS",
              help="Stop a query running longer than this (0: no limit).")
@click.option("--max-rows", default=100_000, show_default=True, type=click.IntRange(0, None),
              help="Keep at most this many rows, saying so on stderr when there were more (0: all).")
def query(graph, sparql, file_, name, params, fmt, endpoint, list_, timeout, max_rows) -> None:
    """Run SPARQL over GRAPH (.ttl/.nq/.trig file, store folder or endpoint URL)."""
    from kg.stores.bounded import run_bounded
    from kg.stores.query import QueryError, format_rows, named_queries, named_query

    if list_:
        for q in named_queries().values():
            extra = f"  (--param {' '.join(p + '=…' for p in q.params)})" if q.params else ""
            click.echo(f"{q.name:<17} {q.question}{extra}")
        return
    if endpoint and graph and not sparql:  # `kg query --endpoint URL 'SELECT …'`
        graph, sparql = None, graph
    source = endpoint or graph
    if not source or (graph and endpoint):
        raise click.UsageError("give exactly one of GRAPH or --endpoint URL")
    if any("=" not in p for p in params):
        raise click.UsageError("--param takes K=V")
    bound = dict(p.split("=", 1) for p in params)
    if sum(x is not None for x in (sparql, file_, name)) != 1:
        raise click.UsageError("give exactly one of SPARQL, --file or --name")
    try:
        if name:
            nq = named_query(name)
            missing = [p for p in nq.params if p not in bound]
            if missing:
                raise click.UsageError(f"query {name} needs " + " ".join(f"--param {p}=…" for p in missing))
            text = nq.text
        else:
            text = sparql if sparql is not None else open(file_, encoding="utf-8").read()
        result = run_bounded(source, text, bound, timeout=timeout, max_rows=max_rows)
    except QueryError as e:
        _fail("query", e, EXIT_BAD_INPUT)
    except OSError as e:  # --file that cannot be read
        _fail("query", _os_error(e), EXIT_BAD_INPUT)
    except UnicodeDecodeError as e:
        _fail("query", f"{file_}: not UTF-8 text ({e.reason} at byte {e.start})", EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        _fail("query", "interrupted", EXIT_INTERRUPTED)
    click.echo(format_rows(result.names, result.rows, fmt), nl=False)
    if result.capped:
        click.echo(f"kg query: stopped at {max_rows:,} rows (--max-rows); there are more: raise --max-rows, "
                   f"0 for all, or narrow the query", err=True)


@main.command("validate")
@click.argument("graph")
def validate_cmd(graph: str) -> None:
    """Check GRAPH (.ttl/.nq/.trig) against the contract shapes; exit 1 on violations."""
    from kg.stores.validate import GraphFileError, validate

    try:
        result = validate(graph)
    except GraphFileError as e:
        _fail("validate", e, EXIT_BAD_INPUT)
    click.echo(result.text)
    sys.exit(EXIT_OK if result.conforms else EXIT_BAD_INPUT)


@main.command()
@click.argument("graph")
@click.option("--endpoint", required=True, help="SPARQL query endpoint, used to count what arrived.")
@click.option("--gsp", help="Graph Store Protocol endpoint.  [default: guessed from --endpoint]")
@click.option("--user", help="User for the Graph Store endpoint.")
@click.option("--password-env", metavar="VAR", help="Environment variable holding the password.")
@click.option("--auth", type=click.Choice(["digest", "basic"]), default="digest", show_default=True)
@click.option("--content", type=click.Choice(["turtle", "ntriples"]), default="turtle", show_default=True,
              help="Serialisation sent per graph.")
@click.option("--chunk", default=50_000, show_default=True, type=click.IntRange(1, None),
              help="Triples per request: a larger graph is a PUT and then POSTs of this many.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0, None),
              help="Retries of a request that failed for a reason that may pass (timeout, HTTP 429/5xx).")
@click.option("--state", "state_file", default=None, help="Resume file.  [default: GRAPH.kg-load.json beside GRAPH]")
@click.option("--restart", is_flag=True, help="Send every graph again, ignoring what an interrupted run recorded.")
def load(graph, endpoint, gsp, user, password_env, auth, content, chunk, retries, state_file, restart) -> None:
    """PUT each named graph of GRAPH (.nq/.trig or store folder) into a triple store and count it back."""
    import os

    from kg.stores.load import LoadError, load as run_load
    from kg.stores.query import QueryError

    password = None
    if password_env:
        if password_env not in os.environ:
            click.echo(f"kg load: environment variable {password_env} is not set", err=True)
            sys.exit(EXIT_USAGE)
        password = os.environ[password_env]
    try:
        result = run_load(graph, endpoint, gsp, user, password, auth, content, chunk=chunk, retries=retries,
                          state=state_file, restart=restart)
    except QueryError as e:
        _fail("load", e, EXIT_BAD_INPUT)
    except LoadError as e:
        _fail("load", e, EXIT_USAGE)
    click.echo(f"Loaded {len(result.graphs)} graphs into {result.gsp} in {result.seconds:.2f} s:")
    click.echo(result.table(), nl=False)
    click.echo(f"Landed: {len(result.graphs)} graphs, {result.triples:,} triples"
               + (f" ({result.resumed} graphs loaded by an interrupted earlier run, not sent again)"
                  if result.resumed else "")
               + f"; {result.requests} requests" + (f", {result.retried} of them retries" if result.retried else "")
               + ".")
    if not result.ok:
        click.echo("kg load: triple counts differ from what was sent", err=True)
        sys.exit(EXIT_BAD_INPUT)


@main.command("rules")
def rules_cmd() -> None:
    """List the named extraction rules in the order they run: name, stage, slot, propose or veto, why."""
    from kg.nlp.rules import RULES, table_rules

    for i, r in enumerate(RULES.values(), 1):
        click.echo(f"{i:>2} {r.name:<46} {r.stage:<11} {r.slot:<9} {r.action:<7} {r.why}")
    for name, (slot, why) in table_rules().items():  # kg.nlp.tables: applied cell by cell
        click.echo(f"   {name:<46} {'tables':<11} {slot:<9} {'propose':<7} {why}")


@main.command("eval")
@click.argument("graphs", nargs=-1, metavar="[GRAPH]...")
@click.option("--gold", "gold_dir", required=True, help="Folder of gold annotations (*.json, GOLD.md).")
@click.option("--texts", "texts_dirs", multiple=True, metavar="DIR",
              help="Folder of the reports' files (repeatable): the strict reading, an altLabel counts for a report "
              "only where it writes the wording.  [default with --reports: the reports]")
@click.option("--reports", "reports_dir", help="Build the reports of this folder in memory and score that "
              "(needed by --without) instead of GRAPH.")
@click.option("--without", "without", multiple=True, metavar="RULE",
              help="Build again with this rule switched off (repeatable) and show the change in every score.")
@click.option("--docs", multiple=True, metavar="NAME", help="Score only these gold files (repeatable).")
@click.option("--json", "json_out", help="Also write the scores as JSON (the shared scorer's --json).")
def eval_cmd(graphs, gold_dir, texts_dirs, reports_dir, without, docs, json_out) -> None:
    """Score GRAPH (or --reports DIR built afresh) against --gold DIR, as tests/eval/score.py does."""
    from kg.eval import EvalError, build_graph, evaluate, evaluate_without, score, read_gold

    texts_dir = list(texts_dirs) or None

    if bool(graphs) == bool(reports_dir):
        raise click.UsageError("give GRAPH files or --reports DIR (one of them)")
    if without and not reports_dir:
        raise click.UsageError("--without rebuilds the reports: give --reports DIR")
    try:
        if without:
            cmp = evaluate_without(reports_dir, gold_dir, without, texts_dir, docs=docs or None)
            scores = cmp.reduced
            click.echo(f"without {', '.join(cmp.without)}:")
            for line in cmp.lines():
                click.echo(line)
        else:
            if reports_dir:
                scores = score(build_graph(reports_dir), read_gold(gold_dir, docs or None), texts_dir or reports_dir)
            else:
                scores = evaluate(graphs, gold_dir, texts_dir, docs or None)
            for line in scores.table():
                click.echo(line)
        if json_out:
            from kg.out.export import write_atomic

            write_atomic(json_out, scores.to_json().encode("utf-8"))
    except (EvalError, InputError) as e:
        _fail("eval", e, EXIT_BAD_INPUT)


@main.command()
@click.argument("graph_file", metavar="GRAPH")
@click.option("--out", "out_file", required=True, help="HTML file to write.")
def viz(graph_file: str, out_file: str) -> None:
    """Render a built graph (.ttl or .nq) as one offline HTML page."""
    from kg.out.export import write_atomic
    from kg.out.network import format_stats, graph_stats, to_networkx
    from kg.out.viz import load_graph, render_html

    from pathlib import Path

    if Path(out_file).is_dir():
        _fail("viz", f"{out_file}: is a folder; give --out the HTML file to write", EXIT_USAGE)
    try:
        projection = to_networkx(load_graph(graph_file))
    except InputError as e:
        _fail("viz", e, EXIT_BAD_INPUT)
    try:
        write_atomic(out_file, render_html(projection))
    except OSError as e:
        _fail("viz", _os_error(e), EXIT_USAGE)
    click.echo(format_stats(graph_stats(projection)))
    click.echo(f"  wrote {out_file}")


@main.command()
@click.argument("graph_file", metavar="GRAPH")
@click.option("--out", "out_file", required=True, help="HTML file to write.")
def explore(graph_file: str, out_file: str) -> None:
    """Write the figures explorer page for a built graph (.ttl, .nq, .nt or .trig)."""
    from kg.out.explorer import write_explorer

    try:
        counts = write_explorer(graph_file, out_file)
    except InputError as e:
        _fail("explore", e, EXIT_BAD_INPUT)
    click.echo(f"{counts['reports']} reports, {counts['figures']} figures, {counts['concepts']} concepts, "
               f"{counts['regions']} regions")
    click.echo(f"  wrote {out_file}")


if __name__ == "__main__":  # pragma: no cover
    main()
