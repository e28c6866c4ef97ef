"""The builder: annotated facts in, a validated graph out — RDF and networkx from the same
statements.

:func:`build` loads ``data/`` (:mod:`kg.facts`), turns the corpus into statements once
(:mod:`kg.statements`), writes them as N-Triples lines per named graph (:mod:`kg.rdf`)
and checks the SHACL shapes (:mod:`kg.validate`). The :class:`Build` keeps the lines and
makes every other view of them on first use: an Oxigraph store for SPARQL, an rdflib
Dataset, and the networkx graph (:mod:`kg.graph`).

>>> result = build("data")
>>> result.count(KG.Official) >= 10, result.graph.number_of_nodes() > 300
(True, True)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from kg.facts import Corpus, Progress, load_corpus
from kg.ontology import KG, PREFIXES
from kg.statements import Statements, statements

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


class Build:
    """What a build produces: every graph's triples, and views of them made on demand.

    The triples are kept as N-Triples lines per named graph (one per article, plus the
    reference graph). Everything else is derived when first asked for: an Oxigraph store
    (:meth:`store`, for SPARQL), the rdflib :attr:`dataset` and :meth:`union` (for
    rdflib users; slow at scale), and the networkx :attr:`graph` (viewer, analytics).
    """

    def __init__(self, made: Statements, graphs: dict[str, set[str]], derived: Any = None):
        self.statements = made
        self.corpus: Corpus = made.corpus
        self.graphs = graphs
        self.derived = derived
        """The :class:`kg.derive.Derived` facts, whose lines are the graph ``derived``."""
        self._store: Any = None

    @functools.cached_property
    def triples(self) -> list[str]:
        """The union of all graphs: sorted, distinct N-Triples lines (without newline)."""
        lines: set[str] = set()
        for graph in self.graphs.values():
            lines.update(graph)
        return sorted(lines)

    @property
    def triple_count(self) -> int:
        return len(self.triples)

    def ntriples(self) -> bytes:
        """The union as sorted N-Triples: byte-stable for the same facts."""
        return ("\n".join(self.triples) + "\n").encode() if self.triples else b""

    def nquads(self) -> bytes:
        """Every graph as sorted N-Quads: byte-stable for the same facts."""
        lines = [f"{line[:-2]} {graph} ." for graph, lines in self.graphs.items() for line in lines]
        lines.sort()
        return ("\n".join(lines) + "\n").encode() if lines else b""

    def count(self, rdf_class: URIRef) -> int:
        """Distinct subjects typed ``rdf_class`` in the union."""
        suffix = f" {_RDF_TYPE} <{rdf_class}> ."
        return sum(1 for line in self.triples if line.endswith(suffix))

    def store(self) -> Any:
        """The build in an in-memory Oxigraph store, made once, for fast SPARQL.

        Named graphs as built, and their union in the default graph, so that queries
        without ``GRAPH`` see every fact once.
        """
        if self._store is None:
            import pyoxigraph as ox

            self._store = self.load_into(ox.Store())
        return self._store

    def load_into(self, store: Any, *, bulk: bool = False) -> Any:
        """Add this build to an Oxigraph store; return the store.

        ``bulk`` uses Oxigraph's bulk loader, made for on-disk stores; for one in memory
        the plain loader is faster (4 s against 6 s for a million quads).
        """
        import pyoxigraph as ox

        load = store.bulk_load if bulk else store.load
        load(self.nquads(), format=ox.RdfFormat.N_QUADS)
        load(self.ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return store

    @functools.cached_property
    def dataset(self) -> Dataset:
        """The build as an rdflib Dataset, one graph per article (parsed on first use)."""
        dataset = Dataset()
        _bind_prefixes(dataset)
        dataset.parse(data=self.nquads(), format="nquads")
        return dataset

    def union(self) -> Graph:
        """All named graphs in one rdflib Graph (what ``kg.ttl`` holds)."""
        return self._union

    @functools.cached_property
    def _union(self) -> Graph:
        union = Graph()
        _bind_prefixes(union)
        union.parse(data=self.ntriples(), format="nt")
        return union

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The property graph (networkx) with the same IRIs, made on first use."""
        from kg.graph import to_graph

        graph = to_graph(self.statements)
        if self.derived is not None:
            self.derived.add_to(graph)  # edges marked derived=True
        return graph


def _bind_prefixes(graph: Graph | Dataset) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def build_corpus(corpus: Corpus, progress: Progress | None = None) -> Build:
    """Build the triples of an already loaded corpus."""
    from kg.derive import derive
    from kg.rdf import lines

    made = statements(corpus)
    graphs = lines(made, progress)
    derived = derive(made, graphs)  # over all articles at once: after the stated graphs
    return Build(made, {**graphs, **derived.graphs()}, derived)


def build(
    data_dir: str | Path = "data",
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> Build:
    """Load ``data_dir/facts`` and ``data_dir/articles``, check, build, and SHACL-validate.

    Raises :class:`kg.facts.FactError` for bad fact files and :class:`ShapeError` when the
    built graph breaks a shape of ``ontology/shapes.ttl``. ``progress(step, done, total)``
    is called as the work advances.
    """
    result = build_corpus(load_corpus(Path(data_dir), progress), progress)
    if validate:
        if progress:
            progress("checking SHACL shapes", 0, 1)
        check_build_shapes(result)
        if progress:
            progress("checking SHACL shapes", 1, 1)
    return result


def check_build_shapes(result: Build) -> None:
    """SHACL-validate a build; a violation names the fact file line of its node."""
    from kg.rdf import entity_iri
    from kg.validate import check_shapes

    where: dict[str, object] = {}
    for entity in result.corpus.entities():
        where.setdefault(str(entity_iri(entity.id)), entity.where)
    check_shapes(result.ntriples(), where)


__all__ = ["KG", "Build", "build", "build_corpus", "check_build_shapes"]
