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
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from kg.facts import Corpus, FactError, FactFile, Problem, Progress, Where, read_corpus
from kg.ontology import KG, PREFIXES
from kg.statements import Statements, reference_statements, statements
from kg.validate import Node, ShapeError, Violation, describe

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


class Build:
    """What a build produces: every graph's triples, and views of them made on demand.

    The triples are kept as N-Triples lines per named graph (one per article, plus the
    reference graph). Everything else is derived when first asked for: an Oxigraph store
    (:meth:`store`, for SPARQL), the rdflib :attr:`dataset` and :meth:`union` (for
    rdflib users; slow at scale), and the networkx :attr:`graph` (viewer, analytics).
    """

    def __init__(
        self, corpus: Corpus | Statements, graphs: dict[str, set[str]], derived: Any = None
    ):
        if isinstance(corpus, Statements):
            self.statements = corpus
            corpus = corpus.corpus
        self.corpus: Corpus = corpus
        self.graphs = graphs
        """Graph IRI (as N-Triples) -> its N-Triples lines (without newline)."""
        self.derived = derived
        """The :class:`kg.derive.Derived` facts, whose lines are the graph ``derived``."""
        self._store: Any = None

    @functools.cached_property
    def statements(self) -> Statements:
        """The corpus as statement records (:mod:`kg.statements`), made on first use."""
        return statements(self.corpus)

    @functools.cached_property
    def reference(self) -> Statements:
        """Only what the division table says (:func:`kg.statements.reference_statements`):
        what the VoID description needs without making every article's statements."""
        return reference_statements(self.corpus)

    @functools.cached_property
    def triples(self) -> list[str]:
        """The union of all graphs: sorted, distinct N-Triples lines (without newline)."""
        return sorted(self.distinct)

    @functools.cached_property
    def distinct(self) -> set[str]:
        """The union of all graphs as a set of lines: what counting needs, unsorted (the
        sort of a million lines is seconds an incremental build need not spend)."""
        lines: set[str] = set()
        for graph in self.graphs.values():
            lines.update(graph)
        return lines

    @property
    def triple_count(self) -> int:
        return len(self.distinct)

    def ntriples(self) -> bytes:
        """The union as sorted N-Triples: byte-stable for the same facts."""
        return b"".join(self.ntriples_chunks())

    def nquads(self) -> bytes:
        """Every graph as N-Quads, graph by graph, each sorted: byte-stable for the same facts."""
        return b"".join(self.nquads_chunks())

    def ntriples_chunks(self, lines: int = 20_000) -> Iterator[bytes]:
        """:meth:`ntriples` in pieces of ``lines`` lines, to stream into a file."""
        union = self.triples
        for at in range(0, len(union), lines):
            yield ("\n".join(union[at : at + lines]) + "\n").encode()

    def nquads_chunks(self) -> Iterator[bytes]:
        """:meth:`nquads` one graph at a time (graphs in IRI order), to stream into a file.

        Grouping by graph keeps each graph one block in TriG, and sorts a graph at a time
        instead of a million lines at once.
        """
        for graph in sorted(self.graphs):
            lines = sorted(self.graphs[graph])
            if lines:
                yield "".join(f"{line[:-2]} {graph} .\n" for line in lines).encode()

    def count(self, rdf_class: URIRef) -> int:
        """Distinct subjects typed ``rdf_class`` in the union."""
        return self._typed.get(f"<{rdf_class}>", 0)

    @functools.cached_property
    def _typed(self) -> Counter[str]:
        """Class (as N-Triples) -> its ``rdf:type`` lines: one pass for every count (a
        pass per class took 27 s of a warm build at a million triples)."""
        typed: Counter[str] = Counter()
        marker = f" {_RDF_TYPE} "
        for line in self.distinct:
            if marker in line:  # a substring test is far cheaper than a split
                _, predicate, rest = line.split(" ", 2)
                if predicate == _RDF_TYPE:
                    typed[rest[:-2]] += 1
        return typed

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

        from kg.inputs import ChunkReader

        load = store.bulk_load if bulk else store.load
        load(ChunkReader(self.nquads_chunks()), format=ox.RdfFormat.N_QUADS)
        union = ChunkReader(self.ntriples_chunks())
        load(union, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return store

    @functools.cached_property
    def dataset(self) -> Dataset:
        """The build as an rdflib Dataset, one graph per article (parsed on first use)."""
        dataset = Dataset()
        _bind_prefixes(dataset)
        dataset.parse(data=self.nquads(), format="nquads")  # rdflib parses bytes only
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


def build_corpus(corpus: Corpus, progress: Progress | None = None, *, cache: Any = None) -> Build:
    """Build the triples of an already loaded corpus, one article graph at a time.

    An article's graph depends on its own file and article and on the labels of the
    entities its composed labels name; ``cache`` (:class:`kg.buildcache.Cache`) gives back
    the lines of an unchanged article whose labels are unchanged. The division table's
    graph is made from the whole corpus every time (it is small), and so are the derived
    facts (:mod:`kg.derive`): a rule reads every article's graph at once.
    """
    from kg.derive import derive
    from kg.rdf import REFERENCE, graph_name, reference_lines
    from kg.statements import corpus_labels

    labels = corpus_labels(corpus)
    graphs: dict[str, set[str]] = {}
    for done, f in enumerate(corpus.files, 1):
        lines = cache.lines(f, labels) if cache is not None else None
        if lines is None:
            used, lines = _article_lines(f, labels)
            if cache is not None:
                cache.remember_lines(f, used, lines)
        f.made = None  # its lines are in ``graphs`` now
        graphs[graph_name(f.article.id)] = lines
        if progress and done % 100 == 0:
            progress("building triples", done, len(corpus.files))
    table = reference_statements(corpus)
    reference = reference_lines(table)
    if reference:
        graphs[graph_name(REFERENCE)] = reference
    built = Build(corpus, graphs)
    built.reference = table
    built.derived = derive(corpus, graphs)  # after every stated graph exists
    built.graphs = {**graphs, **built.derived.graphs()}
    return built


def _article_lines(f: FactFile, labels: Any) -> tuple[dict[str, str | None], set[str]]:
    """The lines of ``f``'s article graph and the labels they read: those the loader's
    worker made (:func:`made_lines`) when every label they read is the corpus's."""
    if f.made is not None:
        used, lines = f.made
        if all(labels.get(key) == value for key, value in used.items()):
            return used, lines
    return _make_lines(f, labels)


def made_lines(f: FactFile) -> tuple[dict[str, str | None], set[str]]:
    """An article graph's lines, made in the loader's worker (``read_corpus(make=)``), and
    the labels they read.

    The worker knows only its own file, so a composed label naming an entity of another
    file (a post in a subdistrict defined elsewhere) reads its labels alone; the builder
    keeps the lines only if each label read is the corpus's, and makes them again if not.
    The lines were most of what the parent did per article; a set of strings unpickles
    in C at about the cost of splitting one text, and only the set is ever held.
    """
    return _make_lines(f, {e.id: e.label for e in f.entities if e.label})


def _make_lines(f: FactFile, labels: Any) -> tuple[dict[str, str | None], set[str]]:
    from kg.buildcache import LabelLookups
    from kg.rdf import article_lines
    from kg.statements import file_statements

    lookups = LabelLookups(labels)
    mentions, found, _ = file_statements(f, lookups)
    return lookups.used, article_lines(f.article, mentions, found)


def build(
    data_dir: str | Path = "data",
    *,
    validate: bool = True,
    progress: Progress | None = None,
    cache: Any = None,
) -> Build:
    """Load ``data_dir/facts`` and ``data_dir/articles``, check, build, and SHACL-validate.

    Raises :class:`kg.facts.FactError` for bad fact files and :class:`ShapeError` when the
    built graph breaks a shape of ``ontology/shapes.ttl``. Every problem of the run comes
    at once: when some files have problems, the others are still built and their shapes
    checked, and the error lists both. ``cache`` is a :class:`kg.buildcache.Cache`;
    ``progress(step, done, total)`` is called as the work advances.
    """
    corpus = load_checked(Path(data_dir), progress, cache=cache, shapes=validate)
    result = build_corpus(corpus, progress, cache=cache)
    if validate:
        if progress:
            progress("checking SHACL shapes", 0, 1)
        check_build_shapes(result, cache)
        if progress:
            progress("checking SHACL shapes", 1, 1)
    return result


def load_checked(
    data_dir: Path, progress: Progress | None = None, *, cache: Any = None, shapes: bool = True
) -> Corpus:
    """The loaded corpus, or a :class:`FactError` with every problem of the run: the
    loader's, and (``shapes``) the shape violations of the files without problems."""
    corpus, problems = read_corpus(data_dir, progress, cache=cache, make=made_lines)
    if problems:
        more = shape_problems_of_the_rest(corpus, problems, cache) if shapes else []
        raise FactError(problems + more)
    return corpus


def shape_problems_of_the_rest(
    corpus: Corpus, problems: list[Problem], cache: Any = None
) -> list[Problem]:
    """The shape violations of the files that have no problem of their own.

    So a run reports a YAML error in one file, a bad quote in another and a shape
    violation in a third together. A violation about a node of a file with problems, or
    pointing at one, is left out: it would repeat a problem already reported.
    """
    from kg.rdf import entity_iri

    broken = {p.where.path for p in problems}
    clean = [f for f in corpus.files if str(f.path) not in broken]
    if not clean:
        return []
    theirs = {
        str(entity_iri(e.id)) for f in corpus.files if str(f.path) in broken for e in f.entities
    }
    result = build_corpus(Corpus(clean), cache=cache)
    found = [
        v
        for v in shape_violations(result, cache)
        if v.focus not in theirs and v.value not in theirs
    ]
    return [_problem(line) for line in describe(found, shape_nodes(result))]


def _problem(line: str) -> Problem:
    """A described violation as a loader problem (``path:line:col: message``)."""
    path, _, rest = line.partition(": ")
    parts = path.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return Problem(Where(parts[0], int(parts[1]), int(parts[2])), rest)
    return Problem(Where("(graph)"), line)


def shape_violations(result: Build, cache: Any = None) -> list[Violation]:
    """The SHACL violations of a build, checked one named graph at a time.

    Each graph's own subjects are one job, those shared by several graphs another
    (:func:`kg.validate.graph_jobs`); a job whose key the cache knows is not run again.
    When the shapes cannot be checked that way, the union is validated whole.
    """
    from kg.ontology import shapes_graph
    from kg.validate import chunkable, find, graph_jobs, run_jobs

    if not chunkable(shapes_graph()):
        return find(result.ntriples())
    jobs, shared = graph_jobs(result.graphs)
    every = [*jobs.values(), shared]
    known = {}
    if cache is not None:
        for job in every:
            stored = cache.shapes(job.key)
            if stored is not None:
                known[job.key] = stored
    fresh = run_jobs([job for job in every if job.key not in known])
    if cache is not None:
        for key, found in fresh.items():
            cache.remember_shapes(key, found)
    known.update(fresh)
    return [v for job in every for v in known[job.key]]


def shape_nodes(result: Build) -> dict[str, Node]:
    """What a violation names for each node: the entity and the lines of its fact keys;
    a statement is named by its subject, an evidence by its article."""
    from kg.rdf import entity_iri

    nodes: dict[str, Node] = {}
    for entity in result.corpus.entities():
        iri = str(entity_iri(entity.id))
        if iri in nodes:
            continue
        keys: dict[str, object] = {k: vs[0].where for k, vs in entity.props.items() if vs}
        keys["quote"] = entity.quote.where
        nodes[iri] = Node(entity.where, f"{entity.type.lower()} '{entity.id}'", keys)
    return nodes


def check_build_shapes(result: Build, cache: Any = None) -> None:
    """SHACL-validate a build; a violation names the fact file line of its node."""
    found = shape_violations(result, cache)
    if found:
        nodes = shape_nodes(result)
        _name_statements(result, found, nodes)
        raise ShapeError(describe(found, nodes))


def _name_statements(result: Build, found: list[Violation], nodes: dict[str, Node]) -> None:
    """Point a violation about a statement node at the entity the statement is about."""
    unknown = {f"<{v.focus}>" for v in found if v.focus not in nodes}
    if not unknown:
        return
    subject = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>"
    for line in result.triples:
        s, p, o = line[:-2].split(" ", 2)
        if p == subject and s in unknown and o[1:-1] in nodes:
            node = nodes[o[1:-1]]
            nodes[s[1:-1]] = Node(node.where, f"a fact about {node.name}", node.keys)


__all__ = ["KG", "Build", "build", "build_corpus", "check_build_shapes"]
