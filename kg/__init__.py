"""Jiedao KG: a knowledge graph of China's subdistricts, every fact tied to its source sentence.

The public API is small: :func:`build` turns ``data/`` into a validated :class:`Build`
(its triples, with an Oxigraph store, an rdflib Dataset and a networkx MultiDiGraph made
from them on demand), :func:`query` runs safe SPARQL over a build, an exported file or an
on-disk store, and :mod:`kg.export` writes RDF atomically.
"""

from kg.build import Build, build
from kg.facts import FactError
from kg.query import QueryError, query
from kg.validate import ShapeError

__version__ = "0.1.0"
__all__ = ["Build", "FactError", "QueryError", "ShapeError", "build", "query"]
