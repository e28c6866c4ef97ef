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
import time
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from kg.endpoint import EndpointError
from kg.facts import FactError
from kg.query import QueryError
from kg.text import ArticleError
from kg.validate import ShapeError

VIEWER_MAX_NODES = 20_000
"""The viewer draws 10 k nodes in about 2 s (bench/README.md); far beyond that a browser
struggles and a map of everything is unreadable anyway."""

EXPECTED_ERRORS = (FactError, ShapeError, QueryError, EndpointError, ArticleError)
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


def _load_build(data: Path, *, validate: bool = True) -> Any:
    from kg.build import build

    with ProgressBars() as progress:
        return build(data, validate=validate, progress=progress)


class ProgressBars:
    """Rich progress bars on stderr that appear only once a job has run for a second.

    The seeds build in well under a second and should print nothing but their summary; a
    corpus of thousands of articles shows what it is doing. Nothing is drawn when stderr
    is not a terminal (CI logs, pipes).
    """

    def __init__(self, delay: float = 1.0):
        self.delay = delay
        self.started = time.monotonic()
        self.bars: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.bars is None:
            if not err.is_terminal or time.monotonic() - self.started < self.delay:
                return
            from rich.progress import Progress

            self.bars = Progress(console=err, transient=True)
            self.bars.start()
        if step not in self.tasks:
            self.tasks[step] = self.bars.add_task(step, total=total)
        self.bars.update(self.tasks[step], completed=done, total=total)


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


UNION_GRAPH = "https://w3id.org/jiedao-kg/id/graph/union"
USER = click.option("--user", default=None, help="User name for the endpoint (HTTP Digest).")
PASSWORD = click.option(
    "--password",
    default=None,
    envvar="KG_ENDPOINT_PASSWORD",
    help="Password for --user (or set KG_ENDPOINT_PASSWORD; asked for when missing).",
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
@click.option(
    "--html/--no-html",
    default=None,
    help=f"Write the viewer (default: when the graph has at most {VIEWER_MAX_NODES:,} "
    "entities; a larger map is not readable: use 'kg viz --subdistrict').",
)
@click.option(
    "--shapes/--no-shapes",
    default=True,
    show_default=True,
    help="Check the SHACL shapes (the fact files are checked either way).",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Also write an on-disk Oxigraph store here, for 'kg query --store' without rebuilding.",
)
def build(data: Path, out: Path, html: bool | None, shapes: bool, store: Path | None) -> None:
    """Build the graph from DATA and write Turtle, TriG and the HTML viewer into OUT."""
    from concurrent.futures import ThreadPoolExecutor

    from kg import export as ex
    from kg.build import check_build_shapes

    notes: list[str] = []
    with ProgressBars() as progress:
        result = _build_without_shapes(data, progress)
        with ThreadPoolExecutor(max_workers=1) as pool:
            # rudof releases the GIL: the shapes are checked while the files are rendered,
            # and nothing is written unless they hold.
            checked = pool.submit(check_build_shapes, result) if shapes else None
            outputs: dict[Path, bytes] = {}
            for name, fmt in (("kg.ttl", "turtle"), ("kg.trig", "trig")):
                progress(f"writing {name}", 0, 1)
                outputs[out / name] = ex.serialize_build(result, fmt)
            from kg.stats import class_counts

            counts = class_counts(result)
            entities = sum(n for name, n in counts.items() if name[:1].isupper())  # classes
            if html is None:
                html = entities <= VIEWER_MAX_NODES
                if not html:
                    notes.append(
                        f"no kg.html: {entities:,} entities are too many for one map; draw "
                        "one subdistrict with 'kg viz --subdistrict NAME' (or pass --html)"
                    )
            if html:
                from kg.viz import render

                progress("rendering kg.html", 0, 1)
                outputs[out / "kg.html"] = render(result.graph, None).encode("utf-8")
            if checked is not None:
                progress("checking SHACL shapes", 0, 1)
                checked.result()
        if store is not None:
            progress(f"loading the store {store}", 0, 1)
            write_store(result, store)
        for path, payload in outputs.items():  # all rendered first: a failure writes nothing
            ex.write_bytes(path, payload)
    _print_summary(counts)
    if store is not None:
        click.echo(f"wrote {store} (Oxigraph store, {result.triple_count:,} triples)")
    for path, payload in outputs.items():
        click.echo(f"wrote {path} ({len(payload):,} bytes)")
    for note in notes:
        click.echo(f"note: {note}", err=True)


def _build_without_shapes(data: Path, progress: ProgressBars) -> Any:
    from kg.build import build_corpus
    from kg.facts import load_corpus

    return build_corpus(load_corpus(data, progress), progress)


def write_store(result: Any, target: Path) -> None:
    """Write a build into a fresh on-disk store and swap it in whole.

    The store is built in a sibling folder and renamed over ``target`` only when complete,
    so a failed or killed build leaves the previous store as it was.
    """
    import shutil
    import tempfile

    from kg.build import ox_store

    if target.exists() and not (target / "CURRENT").is_file():
        _fail(f"{target}: exists and is not an Oxigraph store; choose another --store path")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        store = result.load_into(ox_store(staging / "store"), bulk=True)
        store.flush()
        store.optimize()
        del store
        old = target.with_name(f".{target.name}.old")
        if target.exists():
            target.rename(old)
        (staging / "store").rename(target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _print_summary(counts: dict[str, int]) -> None:
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
        f"{result.triple_count} triples conform to the shapes"
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
    else:
        payload = ex.serialize_build(result, fmt)
    ex.write_bytes(output, payload)
    size = len(payload)
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
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Query an on-disk store written by 'kg build --store' instead of --data.",
)
@click.option(
    "--endpoint",
    default=None,
    help="Query a remote SPARQL endpoint (its query URL) instead of --data.",
)
@USER
@PASSWORD
@click.option(
    "--default-graph",
    default=UNION_GRAPH,
    show_default=True,
    help="With --endpoint: the graph used as the default graph (what 'kg push' fills).",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries and their questions.")
def query(
    query_ref: str | None,
    data: str,
    params: tuple[str, ...],
    fmt: str,
    limit: int,
    timeout: float,
    store: Path | None,
    endpoint: str | None,
    user: str | None,
    password: str | None,
    default_graph: str,
    list_: bool,
) -> None:
    """Run a SPARQL query: a library NAME, a FILE.rq, or - for stdin.

    It runs on an exported file (--data, the default), an on-disk store (--store) or a
    remote SPARQL endpoint (--endpoint).
    """
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
    bindings = dict(parse_param(p) for p in params)
    if store is not None and endpoint is not None:
        raise click.UsageError("give --store or --endpoint, not both")
    if endpoint is not None:
        result = _remote_query(
            endpoint, text, bindings, _auth(user, password), timeout, limit, default_graph
        )
    else:
        source: Any = data
        if store is not None:
            from kg.query import open_store

            source = open_store(store)
        elif not Path(data).is_file():
            _fail(f"{data}: no such file; run 'kg build' first or pass --data FILE")
        result = run(source, text, limit=limit, timeout=timeout, **bindings)
    _print_result(result, fmt)


def _auth(user: str | None, password: str | None) -> tuple[str, str] | None:
    if user is None:
        return None
    if password is None:
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    return (user, password)


def _remote_query(
    endpoint: str,
    text: str,
    bindings: dict[str, Any],
    auth: tuple[str, str] | None,
    timeout: float,
    limit: int,
    default_graph: str,
) -> Any:
    """A remote answer in the shape of a local one, cut at ``limit`` rows like it."""
    from kg.endpoint import query as remote
    from kg.query import Result

    answer = remote(
        endpoint,
        text,
        bindings,
        auth=auth,
        timeout=timeout,
        default_graph_uris=[default_graph] if default_graph else [],
    )
    if not isinstance(answer, list):
        return answer
    names = list(answer[0]) if answer else []
    rows = [tuple(row.get(name) for name in names) for row in answer[:limit]]
    return Result(names, rows, truncated=len(answer) > limit)


@cli.command()
@click.option(
    "--data",
    default="out/kg.trig",
    show_default=True,
    help="The built graph to upload: TriG or N-Quads keep one graph per article.",
)
@click.option(
    "--endpoint",
    required=True,
    help="Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph) or "
    "http://127.0.0.1:8890/sparql-graph-crud-auth (Virtuoso, with --user).",
)
@USER
@PASSWORD
@click.option(
    "--union-graph",
    default=UNION_GRAPH,
    show_default=True,
    help="Also upload the union of all graphs, each triple once, to this graph "
    "('kg query --endpoint' uses it as the default graph). Empty to skip.",
)
@click.option("--timeout", type=click.FloatRange(min=1), default=300, show_default=True)
def push(
    data: str,
    endpoint: str,
    user: str | None,
    password: str | None,
    union_graph: str,
    timeout: float,
) -> None:
    """Upload the built graph to a SPARQL server, replacing the graphs it already holds."""
    from kg.endpoint import push as upload

    if not Path(data).is_file():
        _fail(f"{data}: no such file; run 'kg build' first or pass --data FILE")
    auth = _auth(user, password)
    with err.status(f"uploading {data}…"):
        try:
            sent = upload(
                data, endpoint, auth=auth, union_graph=union_graph or None, timeout=timeout
            )
        except ValueError as exc:
            _fail(f"{data}: {exc}")
    click.echo(f"pushed {sent:,} triples to {endpoint}", err=True)


@cli.command()
@click.argument(
    "articles",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True, allow_dash=True),
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder for the drafts (ID.yaml each); without it one draft goes to stdout.",
)
@click.option("--force", is_flag=True, help="Overwrite drafts that already exist in --out.")
@click.option(
    "--name",
    default="stdin.txt",
    show_default=True,
    help="File name the article read from '-' has in data/articles/ (its draft names it).",
)
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
    stdin = sys.stdin.buffer
    sources = [
        batch.Article.of_bytes(stdin.read(), name) if str(a) == "-" else batch.Article.at(a)
        for a in articles
    ]
    failed = 0
    for outcome in batch.write(sources, out, force, sys.stdout):
        if outcome.failure is None:
            if outcome.path is not None:
                click.echo(f"wrote {outcome.path}", err=True)
            continue
        if os.environ.get("KG_DEBUG"):
            raise outcome.failure.error
        click.echo(f"error: {outcome.failure}", err=True)
        failed += 1
    if failed:
        click.echo(f"{failed} of {len(sources)} article(s) not drafted", err=True)
        raise SystemExit(1)


@cli.command(name="eval")
@click.option(
    "--gold",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("data/facts"),
    show_default=True,
    help="Hand-annotated fact files.",
)
@click.option(
    "--pred",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Drafts to score (from 'kg extract --out').",
)
@click.option(
    "--articles",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the articles (default: articles/ beside --gold).",
)
@click.option("--strict", is_flag=True, help="Count annotated articles with no draft as missed.")
@click.option("--relations", is_flag=True, help="Also show the relation rows by predicate.")
@click.option(
    "--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json"])
)
def evaluate(
    gold: Path, pred: Path, articles: Path | None, strict: bool, relations: bool, fmt: str
) -> None:
    """Precision, recall and F1 of drafts against annotated facts, per class."""
    from kg.evaluate import evaluate as score

    report = score(gold, pred, articles, strict=strict)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return
    click.echo(report.header(), err=True)
    rows = report.table(relations=relations)
    table = Table(show_edge=False)
    for index, name in enumerate(rows[0]):
        table.add_column(name, justify="left" if index == 0 else "right")
    for row in rows[1:]:
        table.add_row(*row)
    _console().print(table)


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
