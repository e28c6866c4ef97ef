"""What every expected failure shares: a base class, and a message of one line.

Every error the tool expects (a bad fact file, a refused query, an unwritable output…)
is a :class:`KgError`, and also the builtin it resembles (``ValueError`` for bad input,
``TimeoutError`` for a deadline), so callers may catch either. The CLI turns a
``KgError`` into ``error: …`` lines and exit status 1; anything else is a bug.
"""

from __future__ import annotations


class KgError(Exception):
    """Base of every expected error; ``str()`` is one line per problem."""


def one_line(exc: BaseException, limit: int = 300) -> str:
    """An exception's message on one line, at most ``limit`` characters.

    >>> one_line(ValueError("bad\\n  value"))
    'bad value'
    >>> one_line(KeyError())
    'KeyError'
    """
    return " ".join(str(exc).split())[:limit] or type(exc).__name__


def show(value: object, limit: int = 40) -> str:
    """A value as an error message shows it: kinds for containers, short reprs otherwise.

    >>> show({"a": 1}), show(None), show("锦南街道"), show("x" * 50)[-4:]
    ('a mapping', 'nothing', "'锦南街道'", 'x...')
    """
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    shown = repr(getattr(value, "value", value))
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
