"""What every expected failure shares: a message of one line.

The CLI turns these errors into ``error: …`` lines and exit status 1; a library user
catches them by class (:class:`kg.facts.FactError`, :class:`kg.sparql.QueryError`, …).
"""

from __future__ import annotations


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
