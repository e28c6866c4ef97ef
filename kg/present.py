"""Showing data to people and to spreadsheets without letting it act.

Labels and quotes come from fact files and articles, which anyone may write. On a
terminal, an escape sequence in a label could move the cursor, retitle the window or hide
text, and rich would read ``[link=…]`` or ``[/]`` as its own markup (a crash, or a link).
In a spreadsheet, a cell starting with ``=`` is a live formula (``=HYPERLINK(…)``). So:

* :func:`terminal` makes any value safe to print: control and bidi-override characters are
  shown as ``\\x1b``-style escapes, and rich cells are :class:`rich.text.Text`, never
  markup;
* :func:`csv_cell` keeps a value exactly, except that a leading ``= + - @`` (or tab/CR)
  gets a ``'`` before it, as OWASP advises, so no cell is a formula;
* JSON and CSV keep every other character as it is, escape bytes included: the two
  machine formats say the same thing.

>>> terminal("雷新钱\\x1b[2J")
'雷新钱\\\\x1b[2J'
>>> csv_cell("=HYPERLINK(\\"http://x\\")"), csv_cell("-2.4"), csv_cell("锦南街道")
('\\'=HYPERLINK("http://x")', '-2.4', '锦南街道')

The second half is what the ``kg`` commands print: the results of the library, laid out
here so that :mod:`kg.cli` stays a list of short commands (and so that every printed label
goes through :func:`terminal` or :func:`cell`), and the progress bars of a long build.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Any

import click
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][+-]?\d+)?")


def terminal(value: Any) -> str:
    """``value`` as text that a terminal shows and does not obey."""
    text = "" if value is None else str(value)
    return _UNSAFE.sub(
        lambda m: (
            f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}"
        ),
        text,
    )


def cell(value: Any) -> Text:
    """A rich table cell that is never read as markup."""
    return Text(terminal(value))


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], **options: Any) -> Table:
    """A rich table of plain cells; ``options`` go to :class:`rich.table.Table`."""
    options.setdefault("show_edge", False)
    result = Table(**options)
    for name in columns:
        result.add_column(cell(name))
    for row in rows:
        result.add_row(*(cell(v) for v in row))
    return result


def console(stderr: bool = False) -> Console:
    """A console that prints text as given (no highlighting, no emoji codes, no markup
    in data), wide when piped so tables of Chinese labels are not cut to 80 columns."""
    options: dict[str, Any] = {"highlight": False, "emoji": False, "stderr": stderr}
    made = Console(**options)
    if not made.is_terminal:
        made = Console(width=160, soft_wrap=stderr, **options)
    return made


def csv_cell(value: Any) -> str:
    """A value for a CSV cell: exact, but never a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def to_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, excel: bool = False) -> str:
    """CSV text; ``excel`` adds the UTF-8 byte-order mark Excel needs to read Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in columns])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" if excel else "") + buffer.getvalue()


def to_json(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """JSON rows (objects by column): whole numbers and booleans as JSON values; decimals
    as their exact text (a JSON float would round 13.43 in some readers); the rest text."""
    records = [dict(zip(columns, (_jsonable(v) for v in row), strict=True)) for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=1)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return str(value)


# ---------------------------------------------------------------- what the commands print


def show(renderable: RenderableType) -> None:
    """Print a table (or text) on stdout through a fresh :func:`console`, so that the
    console writes to whatever ``sys.stdout`` is now (tests capture it)."""
    console().print(renderable)


def warn(problems: Iterable[Any]) -> None:
    """One ``warning:`` line on stderr per problem (allowed, but probably wrong)."""
    for problem in problems:
        click.echo(f"warning: {terminal(problem)}", err=True)


def errors(message: str) -> None:
    """One ``error:`` line on stderr per line of ``message`` (a label in a message must not
    drive the terminal); a line that already says ``error`` is printed as it is."""
    for line in message.splitlines() or [message]:
        line = terminal(line)
        click.echo(f"error: {line}" if not line.startswith("error") else line, err=True)


def short(term: Any) -> str:
    """An IRI in a namespace of the project as ``prefix:name``, for a table that fits a
    terminal; other values as their text.

    >>> short("https://w3id.org/jiedao-kg/ontology#Official"), short(None)
    ('kg:Official', '')
    """
    from kg.ontology import PREFIXES

    value = "" if term is None else str(term)
    for prefix, ns in PREFIXES.items():
        if value.startswith(str(ns)) and " " not in value:
            return f"{prefix}:{value[len(str(ns)) :]}"
    return value


def print_result(result: Any, fmt: str) -> None:
    """A query's answer on stdout: ASK as ``true``/``false``, triples as Turtle, rows as a
    table (``prefix:name`` IRIs, the row count on stderr), CSV or JSON (full IRIs)."""
    from kg.store import Result

    if isinstance(result, bool):
        click.echo("true" if result else "false")
        return
    if not isinstance(result, Result):  # the triples of a CONSTRUCT or DESCRIBE
        sys.stdout.write(result.serialize(format="turtle"))
    elif fmt == "json":
        sys.stdout.write(to_json(result.vars, result.values()) + "\n")
    elif fmt == "csv":
        sys.stdout.write(to_csv(result.vars, result.values()))
    else:
        show(table(result.vars, ([short(v) for v in row] for row in result.rows)))
        click.echo(f"{len(result)} row(s)", err=True)
    if result.truncated:
        click.echo("note: stopped at --limit; more exist", err=True)


def print_named_queries() -> None:
    """The query library as a table: name, question, parameters (``kg query --list``)."""
    from kg.sparql import named_queries

    rows = [(q.name, q.question, ", ".join(q.params)) for q in named_queries().values()]
    show(table(["name", "question", "parameters"], rows))


def print_build(done: Any) -> None:
    """What ``kg build`` did (a :class:`kg.outputs.Outputs`): the counts as a table and the
    files written on stdout; notes, warnings and damaged cache entries on stderr."""
    show(table(["what", "count"], done.counts.items(), title="Jiedao KG build"))
    if done.store is not None:
        click.echo(f"wrote {done.store} (Oxigraph store, {done.triples:,} triples)")
    for path, size in done.files:
        click.echo(f"wrote {path} ({size:,} bytes)")
    for note in done.notes:
        click.echo(f"note: {note}", err=True)
    warn(done.warnings)
    if done.cache is not None and done.cache.rejected:
        click.echo(f"note: ignored {len(done.cache.rejected)} damaged cache entries", err=True)


def print_validation(result: Any) -> None:
    """What ``kg validate`` found in a build: its warnings, then what conforms."""
    warn(result.corpus.warnings)
    entities = sum(1 for _ in result.corpus.entities())
    click.echo(
        f"ok: {len(result.corpus.files)} fact files, {entities} entities, "
        f"{result.triple_count} triples conform to the shapes"
    )


def print_stats(result: Any) -> None:
    """The per-article table of a build, then each table of network analytics."""
    from kg.stats import analytics_tables, article_table

    show(article_table(result))
    for analytics in analytics_tables(result):
        show("")
        show(analytics)


def print_evaluation(report: Any, fmt: str, relations: bool) -> None:
    """A :class:`kg.evaluate.Report` as JSON, or its header on stderr and its table."""
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return
    click.echo(report.header(), err=True)
    rows = report.table(relations=relations)
    show(table(rows[0], rows[1:]))


class ProgressBars:
    """Rich progress bars on stderr that appear only once a job has run for a second.

    The seeds build in well under a second and should print nothing but their summary; a
    corpus of thousands of articles shows what it is doing. Nothing is drawn when stderr
    is not a terminal (CI logs, pipes).
    """

    def __init__(self, delay: float = 1.0, console: Console | None = None):
        self.delay, self.started = delay, time.monotonic()
        self.console = console
        self.bars: Any = None
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBars:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.bars is not None:
            self.bars.stop()

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.bars is None:
            if self.console is None:
                self.console = console(stderr=True)
            if not self.console.is_terminal or time.monotonic() - self.started < self.delay:
                return
            from rich.progress import Progress

            self.bars = Progress(console=self.console, transient=True)
            self.bars.start()
        if step not in self.tasks:
            self.tasks[step] = self.bars.add_task(step, total=total)
        self.bars.update(self.tasks[step], completed=done, total=total)
