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
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
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
