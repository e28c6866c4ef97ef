"""Jiedao KG: a knowledge graph of China's subdistricts, every fact tied to its source sentence.

The public API is small: :func:`build` turns ``data/`` into a validated :class:`Build`
(its triples, with an Oxigraph store, an rdflib Dataset and a networkx MultiDiGraph made
from them on demand), :func:`query` runs safe SPARQL over a build, an exported file, an
on-disk store or a remote endpoint (:func:`open_store` gives the :class:`Store` itself),
and :mod:`kg.export` writes every format.

Importing ``kg`` loads nothing heavy: the names below are imported on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Build",
    "FactError",
    "QueryError",
    "ShapeError",
    "Store",
    "build",
    "open_store",
    "query",
]

_HOMES = {
    "Build": "kg.builder",
    "build": "kg.builder",
    "FactError": "kg.facts",
    "QueryError": "kg.sparql",
    "ShapeError": "kg.validate",
    "Store": "kg.store",
    "open_store": "kg.store",
    "query": "kg.store",
}

if TYPE_CHECKING:
    from kg.builder import Build, build
    from kg.facts import FactError
    from kg.sparql import QueryError
    from kg.store import Store, open_store, query
    from kg.validate import ShapeError


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
