"""The ``kg`` command: a thin layer over the library.

Every expected failure (bad fact file, shape violation, bad query, unreadable RDF) ends
with one line per problem on stderr and exit status 1, never a traceback; usage errors
exit 2. Set ``KG_DEBUG=1`` to see a traceback for an unexpected error.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kg.facts import FactError
from kg.query import QueryError
from kg.validate import ShapeError

EXPECTED_ERRORS = (FactError, ShapeError, QueryError)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _console() -> Console:
    """Stdout console; wide when piped, so tables of Chinese labels are not cut to 80."""
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=160)
    return console


def _fail(message: str) -> None:
    for line in message.splitlines() or [message]:
        click.echo(f"error: {line}" if not line.startswith("error") else line, err=True)
    raise SystemExit(1)


def _load_build(data: Path) -> Any:
    from kg.build import build

    with err.status("building the graph…"):
        return build(data)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiedao-kg")
def cli() -> None:
    """Jiedao KG: who ran which initiative where, every fact tied to its source sentence."""


DATA = click.option(
    "--data",
    "data",
    type=click.Path(path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Folder with articles/ and facts/.",
)


@cli.command()
@DATA
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for kg.ttl, kg.trig, kg.html.",
)
@click.option("--html/--no-html", default=True, show_default=True, help="Write the viewer.")
def build(data: Path, out: Path, html: bool) -> None:
    """Build the graph from DATA and write Turtle, TriG and the HTML viewer into OUT."""
    from kg import export as ex

    result = _load_build(data)
    outputs: dict[Path, bytes] = {
        out / "kg.ttl": ex.serialize(result.union(), "turtle"),
        out / "kg.trig": ex.serialize(result.dataset, "trig"),
    }
    if html:
        from kg.viz import render

        outputs[out / "kg.html"] = render(result.graph, None).encode("utf-8")
    for path, payload in outputs.items():  # all rendered first: a failure writes nothing
        ex.write_bytes(path, payload)
    _print_summary(result)
    for path, payload in outputs.items():
        click.echo(f"wrote {path} ({len(payload):,} bytes)")


def _print_summary(result: Any) -> None:
    from kg.stats import class_counts

    counts = class_counts(result)
    table = Table(title="Jiedao KG build", show_edge=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for name, count in counts.items():
        table.add_row(name, str(count))
    _console().print(table)


@cli.command()
@DATA
def validate(data: Path) -> None:
    """Check fact files, quotes and SHACL shapes without writing anything."""
    result = _load_build(data)
    click.echo(
        f"ok: {len(result.corpus.files)} fact files, "
        f"{sum(1 for _ in result.corpus.entities())} entities, "
        f"{len(result.union())} triples conform to the shapes"
    )


@cli.command()
@DATA
def stats(data: Path) -> None:
    """Per-article counts of entities and facts."""
    from kg.stats import analytics_tables, article_table

    result = _load_build(data)
    console = _console()
    console.print(article_table(result))
    for table in analytics_tables(result):
        console.print()
        console.print(table)


@cli.command()
@DATA
@click.option(
    "--format",
    "fmt",
    default="turtle",
    show_default=True,
    type=click.Choice(
        ["turtle", "trig", "json-ld", "nt", "nquads", "graphml", "gexf", "csv-nodes", "csv-edges"]
    ),
)
@click.option(
    "-o", "--output", default="-", show_default=True, help="File to write, or - for stdout."
)
def export(data: Path, fmt: str, output: str) -> None:
    """Export the graph built from DATA: RDF (turtle, trig, json-ld, nt, nquads) or the
    property graph (graphml, gexf for Gephi; csv-nodes, csv-edges for spreadsheets)."""
    from kg import export as ex

    result = _load_build(data)
    if fmt in ex.GRAPH_FORMATS:
        payload = ex.serialize_graph(result.graph, fmt)
        ex.write_bytes(output, payload)
        size = len(payload)
    else:
        source = result.dataset if fmt in ("trig", "nquads") else result.union()
        size = ex.export(source, output, fmt)
    if output != "-":
        click.echo(f"wrote {output} ({size:,} bytes)", err=True)


@cli.command()
@DATA
@click.option("-o", "--output", default="out/kg.html", show_default=True)
@click.option("--subdistrict", default=None, help="Only this subdistrict (label or IRI).")
def viz(data: Path, output: str, subdistrict: str | None) -> None:
    """Write the interactive HTML map (one offline file)."""
    from kg import export as ex
    from kg.viz import render

    result = _load_build(data)
    try:
        page = render(result.graph, None, subdistrict=subdistrict)
    except ValueError as exc:
        _fail(str(exc))
    ex.write_bytes(output, page.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)


def parse_param(text: str) -> tuple[str, Any]:
    """``key=value``; value ``<iri>``, ``prefix:name``, ``"text"@lang`` or plain text."""
    from rdflib import URIRef
    from rdflib.util import from_n3

    from kg.ontology import PREFIXES

    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise click.BadParameter(f"{text!r} is not KEY=VALUE", param_hint="--param")
    if value.startswith("<") and value.endswith(">"):
        return key, URIRef(value[1:-1])
    prefix, colon, local = value.partition(":")
    if colon and prefix in PREFIXES and "/" not in local:
        return key, URIRef(str(PREFIXES[prefix]) + local)
    if value.startswith('"'):
        try:
            return key, from_n3(value)
        except Exception:
            raise click.BadParameter(
                f"cannot read {value!r} as an RDF literal", param_hint="--param"
            ) from None
    return key, value


@cli.command()
@click.argument("query_ref", required=False)
@click.option(
    "--data",
    "data",
    default="out/kg.ttl",
    show_default=True,
    help="RDF file to query (Turtle, TriG, N-Triples, JSON-LD).",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="Bind ?KEY to VALUE (repeatable); never pasted into the query text.",
)
@click.option(
    "--format",
    "fmt",
    default="table",
    show_default=True,
    type=click.Choice(["table", "csv", "json"]),
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Stop after this many rows.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120,
    show_default=True,
    help="Stop a query that runs longer than this many seconds.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their questions.")
def query(
    query_ref: str | None,
    data: str,
    params: tuple[str, ...],
    fmt: str,
    limit: int,
    timeout: float,
    list_: bool,
) -> None:
    """Run a SPARQL query: a library NAME, a FILE.rq, or - for stdin."""
    from kg.query import named_queries
    from kg.query import query as run

    if list_:
        table = Table(show_edge=False)
        table.add_column("name")
        table.add_column("question")
        table.add_column("parameters")
        for q in named_queries().values():
            table.add_row(q.name, q.question, ", ".join(q.params))
        _console().print(table)
        return
    if not query_ref:
        raise click.UsageError("give a query NAME, FILE.rq or -; see kg query --list")
    if query_ref == "-":
        text = sys.stdin.read()
    elif query_ref.endswith(".rq"):
        try:
            text = Path(query_ref).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            _fail(f"{query_ref}: cannot read query: {exc}")
    else:
        text = query_ref
    if not Path(data).is_file():
        _fail(f"{data}: no such file; run 'kg build' first or pass --data FILE")
    bindings = dict(parse_param(p) for p in params)
    result = run(data, text, limit=limit, timeout=timeout, **bindings)
    _print_result(result, fmt)


def _print_result(result: Any, fmt: str) -> None:
    from rdflib import Graph

    from kg.query import plain

    if isinstance(result, bool):
        click.echo("true" if result else "false")
        return
    if isinstance(result, Graph):
        click.echo(result.serialize(format="turtle"))
        return
    if fmt == "json":
        rows = [{k: _jsonable(plain(v)) for k, v in row.items()} for row in result]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(result.vars)
        writer.writerows([["" if v is None else plain(v) for v in row] for row in result.rows])
        click.echo(buffer.getvalue(), nl=False)
    else:
        table = Table(show_edge=False)
        for name in result.vars:
            table.add_column(name)
        for row in result.rows:
            table.add_row(*("" if v is None else _short(v) for v in row))
        _console().print(table)
        click.echo(f"{len(result)} row(s)", err=True)
    if result.truncated:
        click.echo("note: stopped at --limit; more rows exist", err=True)


def _short(term: Any) -> str:
    from kg.ontology import PREFIXES

    value = str(term)
    for prefix, ns in PREFIXES.items():
        if value.startswith(str(ns)) and " " not in value:
            return f"{prefix}:{value[len(str(ns)) :]}"
    return value


def _jsonable(value: Any) -> Any:
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning expected errors into one-line messages."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        raise SystemExit(130) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except EXPECTED_ERRORS as exc:
        _fail(str(exc))
    except (BrokenPipeError, KeyboardInterrupt):
        raise SystemExit(1) from None
    except Exception as exc:
        if os.environ.get("KG_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:300]} "
            "(set KG_DEBUG=1 for a traceback, and please report it)"
        )


if __name__ == "__main__":
    main()
