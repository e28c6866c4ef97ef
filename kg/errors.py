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
