"""The ``kg`` command: a thin layer over the library, one short function per command.

Each command reads its options, calls the library and hands the result to
:mod:`kg.present`, which prints it. Every expected failure is a :class:`kg.errors.KgError`
(bad fact file, shape violation, bad query, unreadable input, unwritable output), caught
in one place, :func:`main`: one line per problem on stderr and exit status 1, never a
traceback; usage errors exit 2. Set ``KG_DEBUG=1`` to see a traceback for an unexpected
error. Nothing heavy is imported until a command runs, so ``kg --help`` is quick.

The options are laid out by hand, one or two lines each, so that the file reads as a table
of commands (``ruff format`` skips it; ``ruff check`` does not).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from kg.export import FORMATS

PATH = click.Path(path_type=Path)
DIR = click.Path(path_type=Path, file_okay=False)
FILE = click.Path(path_type=Path, dir_okay=False)
UNION = "https://w3id.org/jiedao-kg/id/graph/union"  # kg.store.UNION_GRAPH, without rdflib

DATA = click.option("--data", type=PATH, default=Path("data"),
                    help="Folder with articles/ and facts/.")
OUTPUT = click.option("-o", "--output", default="-", help="File to write, or -.")
USER = click.option("--user", help="User name for the endpoint (HTTP Digest).")
PASSWORD = click.option("--password", envvar="KG_ENDPOINT_PASSWORD", help="Password for --user "
                        "(or set KG_ENDPOINT_PASSWORD; asked for when missing).")


def _load(data: Path, *, shapes: bool = True) -> Any:
    """Build ``data`` in memory, with progress bars if it takes a while."""
    from kg.builder import build
    from kg.present import ProgressBars

    with ProgressBars() as progress:
        return build(data, validate=shapes, progress=progress)


def _auth(user: str | None, password: str | None) -> tuple[str, str] | None:
    """The credentials of ``--user``, asking for the password (hidden) when it is missing."""
    if user is None:
        return None
    if password is None:
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    return (user, password)


def _complete_query(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a query: the named queries, then .rq files."""
    from click.shell_completion import CompletionItem

    from kg.sparql import named_queries

    names = [CompletionItem(name, help=q.question)
             for name, q in named_queries().items() if name.startswith(incomplete)]
    return names or [CompletionItem(incomplete, type="file")]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "show_default": True})
@click.version_option(package_name="jiedao-kg")
def cli() -> None:
    """Jiedao KG: who ran which initiative where, every fact tied to its source sentence."""


@cli.command()
@DATA
@click.option("--out", type=PATH, default=Path("out"), help="Folder for kg.ttl, kg.trig, kg.html.")
@click.option("--html/--no-html", default=None, help="Write the viewer (default: when the graph "
              "has at most 20,000 entities; a larger map is not readable: use 'kg viz "
              "--subdistrict').")
@click.option("--shapes/--no-shapes", default=True,
              help="Check the SHACL shapes (the fact files are checked either way).")
@click.option("--store", type=PATH,
              help="Also write an on-disk Oxigraph store here, for 'kg query --store'.")
@click.option("--cache/--no-cache", default=True,
              help="Reuse what unchanged fact files gave last time (kept in OUT/.kg/cache).")
def build(data: Path, out: Path, html: bool | None, shapes: bool, store: Path | None,
          cache: bool) -> None:
    """Build the graph from DATA and write Turtle, TriG and the HTML viewer into OUT."""
    from kg.outputs import build_outputs
    from kg.present import ProgressBars, print_build

    with ProgressBars() as progress:  # gone before the report is printed
        done = build_outputs(data, out, html=html, shapes=shapes, store=store,
                             progress=progress, cache=cache)
    print_build(done)


@cli.command()
@DATA
def validate(data: Path) -> None:
    """Check fact files, quotes and SHACL shapes without writing anything."""
    from kg.present import print_validation

    print_validation(_load(data))


@cli.command()
@DATA
def stats(data: Path) -> None:
    """Per-article counts of entities and facts, and the network analytics."""
    from kg.present import print_stats

    print_stats(_load(data))


@cli.command()
@DATA
@click.option("--format", "fmt", default="turtle", type=click.Choice(list(FORMATS)))
@OUTPUT
@click.option("--excel", is_flag=True,
              help="CSV formats: start with the UTF-8 byte-order mark, so Excel shows Chinese.")
def export(data: Path, fmt: str, output: str, excel: bool) -> None:
    """Export the graph built from DATA: RDF (turtle, trig, json-ld, nt, nquads), the
    property graph (graphml, gexf for Gephi; csv-nodes, csv-edges for spreadsheets) or
    the evidence as W3C Web Annotations (web-annotation, for INCEpTION and the like)."""
    from kg.export import serialize
    from kg.publish import write_bytes

    payload = serialize(_load(data), fmt, excel=excel)
    write_bytes(output, payload)
    if output != "-":
        click.echo(f"wrote {output} ({len(payload):,} bytes)", err=True)


@cli.command()
@DATA
@click.option("-o", "--output", default="out/kg.html")
@click.option("--subdistrict", help="Only this subdistrict (label or IRI).")
def viz(data: Path, output: str, subdistrict: str | None) -> None:
    """Write the interactive HTML map (one offline file)."""
    from kg.publish import write_bytes
    from kg.viz import render

    write_bytes(output, render(_load(data).graph, None, subdistrict=subdistrict).encode())
    click.echo(f"wrote {output}", err=True)


@cli.command()
@click.argument("query_ref", required=False, shell_complete=_complete_query)
@click.option("--data", default="out/kg.ttl",
              help="RDF file to query (Turtle, TriG, N-Triples, JSON-LD).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="Bind ?KEY to VALUE (repeatable); never pasted into the query text.")
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "csv", "json"]))
@click.option("--limit", type=click.IntRange(min=1), default=10_000,
              help="Stop after this many rows (or triples).")
@click.option("--offset", type=click.IntRange(min=0), default=0,
              help="Skip this many rows first: pages, in the query's ORDER BY.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=120,
              help="Stop the whole call after this many seconds.")
@click.option("--store", type=PATH,
              help="Query an on-disk store written by 'kg build --store' instead of --data.")
@click.option("--endpoint", help="Query a remote SPARQL endpoint (its query URL).")
@USER
@PASSWORD
@click.option("--default-graph", default=UNION,
              help="With --endpoint: the default graph ('kg push' fills it).")
@click.option("--list", "list_", is_flag=True, help="List the named queries and their questions.")
def query(query_ref: str | None, data: str, params: tuple[str, ...], fmt: str, limit: int,
          offset: int, timeout: float, store: Path | None, endpoint: str | None,
          user: str | None, password: str | None, default_graph: str, list_: bool) -> None:
    """Run a SPARQL query: a library NAME, a FILE.rq, or - for stdin.

    It runs on an exported file (--data, the default), an on-disk store (--store) or a
    remote SPARQL endpoint (--endpoint).
    """
    from kg.present import print_named_queries, print_result
    from kg.sparql import parse_binding
    from kg.store import open_source, read_query

    if list_:
        print_named_queries()
        return
    if not query_ref:
        raise click.UsageError("give a query NAME, FILE.rq or -; see kg query --list")
    text, bindings = read_query(query_ref), dict(parse_binding(p) for p in params)
    if store is not None and endpoint is not None:
        raise click.UsageError("give --store or --endpoint, not both")
    source = open_source(data, store=store, endpoint=endpoint, auth=_auth(user, password),
                         default_graph=default_graph)
    print_result(source.query(text, limit=limit, offset=offset, timeout=timeout, **bindings), fmt)


@cli.command()
@click.option("--data", default="out/kg.trig",
              help="The built graph to upload: TriG or N-Quads keep one graph per article.")
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. "
              "http://127.0.0.1:7878/store (Oxigraph) or "
              "http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso, with --user).")
@USER
@PASSWORD
@click.option("--union-graph", default=UNION, help="Also upload the union of all graphs, each "
              "triple once, to this graph ('kg query --endpoint' uses it as the default graph). "
              "Empty to skip.")
@click.option("--timeout", type=click.FloatRange(min=1), default=300,
              help="Stop the whole upload after this many seconds.")
def push(data: str, endpoint: str, user: str | None, password: str | None, union_graph: str,
         timeout: float) -> None:
    """Upload the built graph to a SPARQL server, replacing the graphs it already holds."""
    from kg.endpoint import push_file
    from kg.inputs import require_built

    require_built(data)  # before asking for a password
    auth = _auth(user, password)
    sent = push_file(data, endpoint, auth=auth, union_graph=union_graph or None, timeout=timeout)
    click.echo(f"pushed {sent:,} triples to {endpoint}", err=True)


@cli.command()
@click.argument("articles", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False, exists=True, allow_dash=True))
@click.option("--out", type=DIR,
              help="Folder for the drafts (ID.yaml each); without it one draft goes to stdout.")
@click.option("--force", is_flag=True, help="Overwrite drafts that already exist in --out.")
@click.option("--name", default="stdin.txt", help="File name the article read from '-' has in "
              "data/articles/ (its draft names it).")
def extract(articles: tuple[Path, ...], out: Path | None, force: bool, name: str) -> None:
    """Draft a facts file for each raw ARTICLE ('-' reads one from stdin), for a person to
    correct.

    The draft names officials and their posts, enterprises, places (with division codes
    when unambiguous), initiatives and metrics, each with the words of the article that
    say so. It never holds a number the article does not print. An article that cannot be
    drafted is reported and skipped; the others are written, and the exit status is 1.
    """
    from kg.extract import batch

    if out is None and len(articles) > 1:
        raise click.UsageError("several articles need --out DIR (one draft file each)")
    if sum(str(a) == "-" for a in articles) > 1:
        raise click.UsageError("'-' (stdin) can be given once")
    sources = batch.sources(articles, name, sys.stdin.buffer)
    echo, debug = (lambda line: click.echo(line, err=True)), bool(os.environ.get("KG_DEBUG"))
    if batch.report(sources, out, force, sys.stdout, echo, debug):
        raise SystemExit(1)


@cli.command()
@DATA
@click.option("--port", type=click.IntRange(1, 65535), default=8765)
@click.option("--host", default="127.0.0.1",
              help="Address to listen on; anything but loopback needs --token.")
@click.option("--token", envvar="KG_SERVE_TOKEN", help="Access token (at least 16 characters) "
              "every request must carry; open /?token=T once.")
def serve(data: Path, port: int, host: str, token: str | None) -> None:
    """Start the local web app: read the evidence, review drafts, the map, the questions."""
    from kg.serve import serve as run

    run(data, host=host, port=port, token=token)


@cli.group()
def labelstudio() -> None:
    """Label Studio: pre-annotated tasks from fact files or drafts, and exports back."""


@labelstudio.command(name="config")
def labelstudio_config() -> None:
    """Print the labelling interface (XML) to paste into the project's settings."""
    from kg.labelstudio import label_config

    click.echo(label_config(), nl=False)


@labelstudio.command(name="tasks")
@click.argument("fact_files", nargs=-1, required=True, type=FILE)
@DATA
@OUTPUT
def labelstudio_tasks(fact_files: tuple[Path, ...], data: Path, output: str) -> None:
    """Write FACT_FILES (fact files or kg extract drafts) as tasks with predictions."""
    import json

    from kg.labelstudio import tasks
    from kg.publish import write_bytes

    made = tasks(list(fact_files), data / "articles")
    write_bytes(output, (json.dumps(made, ensure_ascii=False, indent=1) + "\n").encode())
    if output != "-":
        click.echo(f"wrote {output} ({len(made)} tasks)", err=True)


@labelstudio.command(name="import")
@click.argument("export", type=FILE)
@DATA
@click.option("--force", is_flag=True, help="Update fact files that exist (comments are kept).")
def labelstudio_import(export: Path, data: Path, force: bool) -> None:
    """Turn a Label Studio JSON EXPORT into fact files in DATA/facts, checked first."""
    from kg.labelstudio import import_export

    for path in import_export(export, data, force=force):
        click.echo(f"wrote {path}", err=True)


@cli.command(name="eval")
@click.option("--gold", type=DIR, default=Path("data/facts"), help="Hand-annotated fact files.")
@click.option("--pred", type=DIR, required=True, help="Drafts to score (from 'kg extract --out').")
@click.option("--articles", type=DIR,
              help="Folder of the articles (default: articles/ beside --gold).")
@click.option("--strict", is_flag=True, help="Count annotated articles with no draft as missed.")
@click.option("--relations", is_flag=True, help="Also show the relation rows by predicate.")
@click.option("--format", "fmt", default="table", type=click.Choice(["table", "json"]))
def evaluate(gold: Path, pred: Path, articles: Path | None, strict: bool, relations: bool,
             fmt: str) -> None:
    """Precision, recall and F1 of drafts against annotated facts, per class."""
    from kg.evaluate import evaluate as score
    from kg.present import print_evaluation

    print_evaluation(score(gold, pred, articles, strict=strict), fmt, relations)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI. The one place errors are reported: every
    :class:`~kg.errors.KgError`, raised anywhere below a command, becomes its lines of
    ``error: …`` and exit status 1; anything else is a bug and says so (a traceback with
    ``KG_DEBUG=1``)."""
    try:
        cli.main(args=argv, prog_name="kg", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        raise SystemExit(130) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except (BrokenPipeError, KeyboardInterrupt):
        raise SystemExit(1) from None
    except Exception as exc:
        from kg.errors import KgError, one_line
        from kg.present import errors

        if isinstance(exc, KgError):
            errors(str(exc))
        elif os.environ.get("KG_DEBUG"):
            raise
        else:
            errors(f"internal error: {type(exc).__name__}: {one_line(exc)} "
                   "(set KG_DEBUG=1 for a traceback, and please report it)")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
