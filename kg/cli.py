"""The ``kg`` command: a thin layer over the library, one short function per command.

Every expected failure (bad fact file, shape violation, bad query, unreadable input,
unwritable output) ends with one line per problem on stderr and exit status 1, never a
traceback; usage errors exit 2. Set ``KG_DEBUG=1`` to see a traceback for an unexpected
error. Nothing heavy is imported until a command runs, so ``kg --help`` is quick.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from kg.export import FORMATS

MAX_QUERY_BYTES = 8 << 20


def _fail(message: str) -> None:
    from kg.present import terminal

    for line in message.splitlines() or [message]:
        line = terminal(line)  # a label in a message must not drive the terminal
        click.echo(f"error: {line}" if not line.startswith("error") else line, err=True)
    raise SystemExit(1)


def _warn(problems: Any) -> None:
    from kg.present import terminal

    for problem in problems:
        click.echo(f"warning: {terminal(problem)}", err=True)


class ProgressBars:
    """Rich progress bars on stderr that appear only once a job has run for a second.

    The seeds build in well under a second and should print nothing but their summary; a
    corpus of thousands of articles shows what it is doing. Nothing is drawn when stderr
    is not a terminal (CI logs, pipes).
    """

    def __init__(self, delay: float = 1.0, console: Any = None):
        self.delay, self.started = delay, time.monotonic()
        self.console = console
        self.bars: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.bars is None:
            if self.console is None:
                from kg.present import console

                self.console = console(stderr=True)
            if not self.console.is_terminal or time.monotonic() - self.started < self.delay:
                return
            from rich.progress import Progress

            self.bars = Progress(console=self.console, transient=True)
            self.bars.start()
        if step not in self.tasks:
            self.tasks[step] = self.bars.add_task(step, total=total)
        self.bars.update(self.tasks[step], completed=done, total=total)


def _load(data: Path, *, shapes: bool = True) -> Any:
    from kg.builder import build

    with ProgressBars() as progress:
        return build(data, validate=shapes, progress=progress)


def _print(renderable: Any) -> None:
    from kg.present import console

    console().print(renderable)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="jiedao-kg")
def cli() -> None:
    """Jiedao KG: who ran which initiative where, every fact tied to its source sentence."""


DATA = click.option(
    "--data",
    type=click.Path(path_type=Path),
    default=Path("data"),
    show_default=True,
    help="Folder with articles/ and facts/.",
)
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
    help="Write the viewer (default: when the graph has at most 20,000 entities; "
    "a larger map is not readable: use 'kg viz --subdistrict').",
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
    help="Also write an on-disk Oxigraph store here, for 'kg query --store'.",
)
def build(data: Path, out: Path, html: bool | None, shapes: bool, store: Path | None) -> None:
    """Build the graph from DATA and write Turtle, TriG and the HTML viewer into OUT."""
    from kg.outputs import build_outputs
    from kg.present import table

    with ProgressBars() as progress:
        done = build_outputs(data, out, html=html, shapes=shapes, store=store, progress=progress)
    _print(table(["what", "count"], done.counts.items(), title="Jiedao KG build"))
    if done.store is not None:
        click.echo(f"wrote {done.store} (Oxigraph store, {done.triples:,} triples)")
    for path, size in done.files:
        click.echo(f"wrote {path} ({size:,} bytes)")
    for note in done.notes:
        click.echo(f"note: {note}", err=True)
    _warn(done.warnings)


@cli.command()
@DATA
def validate(data: Path) -> None:
    """Check fact files, quotes and SHACL shapes without writing anything."""
    result = _load(data)
    _warn(result.corpus.warnings)
    entities = sum(1 for _ in result.corpus.entities())
    click.echo(
        f"ok: {len(result.corpus.files)} fact files, {entities} entities, "
        f"{result.triple_count} triples conform to the shapes"
    )


@cli.command()
@DATA
def stats(data: Path) -> None:
    """Per-article counts of entities and facts, and the network analytics."""
    from kg.stats import analytics_tables, article_table

    result = _load(data)
    _print(article_table(result))
    for analytics in analytics_tables(result):
        _print("")
        _print(analytics)


@cli.command()
@DATA
@click.option(
    "--format", "fmt", default="turtle", show_default=True, type=click.Choice(list(FORMATS))
)
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or -.")
@click.option(
    "--excel",
    is_flag=True,
    help="CSV formats: start with the UTF-8 byte-order mark, so Excel shows Chinese.",
)
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
@click.option("-o", "--output", default="out/kg.html", show_default=True)
@click.option("--subdistrict", default=None, help="Only this subdistrict (label or IRI).")
def viz(data: Path, output: str, subdistrict: str | None) -> None:
    """Write the interactive HTML map (one offline file)."""
    from kg.publish import write_bytes
    from kg.viz import render

    result = _load(data)
    try:
        page = render(result.graph, None, subdistrict=subdistrict)
    except ValueError as exc:
        _fail(str(exc))
    write_bytes(output, page.encode("utf-8"))
    click.echo(f"wrote {output}", err=True)


def _query_text(query_ref: str) -> str:
    from kg.inputs import read_bytes, read_stdin

    if query_ref == "-":
        raw = read_stdin(limit=MAX_QUERY_BYTES, what="query")
    elif query_ref.endswith(".rq"):
        raw = read_bytes(query_ref, limit=MAX_QUERY_BYTES, what="query")
    else:
        return query_ref
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(f"{query_ref}: the query is not UTF-8 (byte {exc.start})")
    raise AssertionError


def _source(
    data: str, store: Path | None, endpoint: str | None, auth: Any, default_graph: str
) -> Any:
    from kg.store import RemoteStore, open_store, read_store

    if store is not None and endpoint is not None:
        raise click.UsageError("give --store or --endpoint, not both")
    if endpoint is not None:
        return RemoteStore(
            endpoint, auth=auth, default_graphs=[default_graph] if default_graph else []
        )
    if store is not None:
        return read_store(store)
    if not Path(data).is_file():
        _fail(f"{data}: no such file; run 'kg build' first or pass --data FILE")
    return open_store(data)


def _complete_query(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion of a query: the named queries, then .rq files."""
    from click.shell_completion import CompletionItem

    from kg.sparql import named_queries

    names = [
        CompletionItem(q.name, help=q.question)
        for q in named_queries().values()
        if q.name.startswith(incomplete)
    ]
    return names or [CompletionItem(incomplete, type="file")]


@cli.command()
@click.argument("query_ref", required=False, shell_complete=_complete_query)
@click.option(
    "--data",
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
    help="Stop after this many rows (or triples).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120,
    show_default=True,
    help="Stop the whole call after this many seconds.",
)
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    default=None,
    help="Query an on-disk store written by 'kg build --store' instead of --data.",
)
@click.option("--endpoint", default=None, help="Query a remote SPARQL endpoint (its query URL).")
@USER
@PASSWORD
@click.option(
    "--default-graph",
    default="https://w3id.org/jiedao-kg/id/graph/union",
    show_default=True,
    help="With --endpoint: the default graph ('kg push' fills it).",
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
    from kg.present import table
    from kg.sparql import named_queries, parse_binding

    if list_:
        rows = [(q.name, q.question, ", ".join(q.params)) for q in named_queries().values()]
        _print(table(["name", "question", "parameters"], rows))
        return
    if not query_ref:
        raise click.UsageError("give a query NAME, FILE.rq or -; see kg query --list")
    text = _query_text(query_ref)
    bindings = dict(parse_binding(p) for p in params)
    source = _source(data, store, endpoint, _auth(user, password), default_graph)
    _print_result(source.query(text, limit=limit, timeout=timeout, **bindings), fmt)


def _auth(user: str | None, password: str | None) -> tuple[str, str] | None:
    if user is None:
        return None
    if password is None:
        password = click.prompt(f"password for {user}", hide_input=True, err=True)
    return (user, password)


def _print_result(result: Any, fmt: str) -> None:
    from kg import present
    from kg.store import Result

    if isinstance(result, bool):
        click.echo("true" if result else "false")
        return
    if not isinstance(result, Result):  # the triples of a CONSTRUCT or DESCRIBE
        sys.stdout.write(result.serialize(format="turtle"))
    elif fmt == "json":
        sys.stdout.write(present.to_json(result.vars, result.values()) + "\n")
    elif fmt == "csv":
        sys.stdout.write(present.to_csv(result.vars, result.values()))
    else:
        _print(present.table(result.vars, ([_short(v) for v in row] for row in result.rows)))
        click.echo(f"{len(result)} row(s)", err=True)
    if result.truncated:
        click.echo("note: stopped at --limit; more exist", err=True)


def _short(term: Any) -> str:
    from kg.ontology import PREFIXES

    value = "" if term is None else str(term)
    for prefix, ns in PREFIXES.items():
        if value.startswith(str(ns)) and " " not in value:
            return f"{prefix}:{value[len(str(ns)) :]}"
    return value


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
    default="https://w3id.org/jiedao-kg/id/graph/union",
    show_default=True,
    help="Also upload the union of all graphs, each triple once, "
    "to this graph ('kg query --endpoint' uses it as the default graph). Empty to skip.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=300,
    show_default=True,
    help="Stop the whole upload after this many seconds.",
)
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
    try:
        sent = upload(data, endpoint, auth=auth, union_graph=union_graph or None, timeout=timeout)
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
    from kg.text import MAX_TEXT_BYTES

    stdin = sys.stdin.buffer  # read up to one byte past the limit: a larger input is refused
    sources = [
        batch.Article.of_bytes(stdin.read(MAX_TEXT_BYTES + 1), name)
        if str(a) == "-"
        else batch.Article.at(a)
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


@cli.command()
@DATA
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but loopback needs --token.",
)
@click.option(
    "--token",
    default=None,
    envvar="KG_SERVE_TOKEN",
    help="Access token (at least 16 characters) every request must carry; open /?token=T once.",
)
def serve(data: Path, port: int, host: str, token: str | None) -> None:
    """Start the local web app: read the evidence, review drafts, the map, the questions."""
    from kg.serve import ServeError
    from kg.serve import serve as run

    if not (data / "articles").is_dir():
        _fail(f"{data}: no articles/ folder here; pass --data DIR")
    try:
        run(data, host=host, port=port, token=token)
    except ServeError as exc:
        _fail(str(exc))


@cli.group()
def labelstudio() -> None:
    """Label Studio: pre-annotated tasks from fact files or drafts, and exports back."""


@labelstudio.command(name="config")
def labelstudio_config() -> None:
    """Print the labelling interface (XML) to paste into the project's settings."""
    from kg.labelstudio import label_config

    click.echo(label_config(), nl=False)


@labelstudio.command(name="tasks")
@click.argument(
    "fact_files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False)
)
@DATA
@click.option("-o", "--output", default="-", show_default=True, help="File to write, or -.")
def labelstudio_tasks(fact_files: tuple[Path, ...], data: Path, output: str) -> None:
    """Write FACT_FILES (fact files or kg extract drafts) as tasks with predictions."""
    import json

    from kg.labelstudio import LabelStudioError, tasks
    from kg.publish import write_bytes

    try:
        made = tasks(list(fact_files), data / "articles")
    except LabelStudioError as exc:
        _fail(str(exc))
    write_bytes(output, (json.dumps(made, ensure_ascii=False, indent=1) + "\n").encode())
    if output != "-":
        click.echo(f"wrote {output} ({len(made)} tasks)", err=True)


@labelstudio.command(name="import")
@click.argument("export", type=click.Path(path_type=Path, dir_okay=False))
@DATA
@click.option("--force", is_flag=True, help="Update fact files that exist (comments are kept).")
def labelstudio_import(export: Path, data: Path, force: bool) -> None:
    """Turn a Label Studio JSON EXPORT into fact files in DATA/facts, checked first."""
    from kg.labelstudio import LabelStudioError, import_export

    try:
        written = import_export(export, data, force=force)
    except LabelStudioError as exc:
        _fail(str(exc))
    for path in written:
        click.echo(f"wrote {path}", err=True)


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
    import json

    from kg.evaluate import evaluate as score
    from kg.present import table

    report = score(gold, pred, articles, strict=strict)
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return
    click.echo(report.header(), err=True)
    rows = report.table(relations=relations)
    _print(table(rows[0], rows[1:]))


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
    except (BrokenPipeError, KeyboardInterrupt):
        raise SystemExit(1) from None
    except Exception as exc:
        from kg.errors import KgError

        if isinstance(exc, KgError):
            _fail(str(exc))
        if os.environ.get("KG_DEBUG"):
            raise
        from kg.errors import one_line

        _fail(
            f"internal error: {type(exc).__name__}: {one_line(exc)} "
            "(set KG_DEBUG=1 for a traceback, and please report it)"
        )


if __name__ == "__main__":
    main()
