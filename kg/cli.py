"""The ``kg`` command: a thin layer over the library.

Each command calls one library function and turns its exceptions into a clear
message and an exit code: 0 built, 1 bad input, 2 usage or environment error.
"""
from __future__ import annotations

import sys

import click

from .reading import InputError

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="welfare-kg")
def main() -> None:
    """Turn Chinese civil-affairs work reports into an RDF knowledge graph."""


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out_dir", default="exports", show_default=True, help="Folder to write the exports into.")
def build(inputs: tuple[str, ...], out_dir: str) -> None:
    """Build report files (or folders of them) into OUT/welfare.ttl and friends."""
    from .build import build as run_build

    try:
        result = run_build(list(inputs), out_dir)
    except InputError as e:
        click.echo(f"kg build: {e}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    s = result.summary()
    click.echo(f"Built {s['reports']} reports: {s['agencies']} agencies, {s['programmes']} programmes, "
               f"{s['groups']} groups, {s['figures']} figures, {s['triples']} triples.")
    for reason in result.skipped:
        click.echo(f"  skipped {reason}", err=True)
    for rec in result.records:
        for w in rec.warnings:
            click.echo(f"  warning {rec.source}: {w}", err=True)
    for path in s["written"]:
        click.echo(f"  wrote {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
