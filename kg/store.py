"""Where SPARQL runs: one :class:`Store` for a build in memory, an RDF file, an on-disk
Oxigraph store or a remote endpoint — and the same answers from each.

``kg.query(source, "secretaries", subdistrict="锦南街道")`` is ``open_store(source).query(…)``.
Whatever the source, a SELECT gives a :class:`Result` (rows of rdflib terms), an ASK a
``bool`` and a CONSTRUCT or DESCRIBE a :class:`Triples` graph; every query is prepared and
checked by :mod:`kg.sparql` first, and ``limit``, ``offset`` and ``timeout`` mean the same
everywhere: at most ``limit`` rows or triples after skipping ``offset`` of them
(``truncated`` says more existed), and one deadline for
the whole call — parsing, evaluation and, for an endpoint, every byte of the answer.

Why Oxigraph and not rdflib's evaluator: rdflib's join order can be pathological even on
the seed graph (a GROUP BY over two typed nodes took 16.6 s on 9 k triples, Oxigraph
0.015 s). Named graphs are kept as built, and their union is the default graph (each
triple once), so queries without ``GRAPH`` see every fact once.

An on-disk store is a folder this tool made (:func:`write_store`): the Oxigraph database
in ``oxigraph/`` and a marker file beside it. Only such a folder is ever replaced; it is
built beside the old one and swapped in whole (:mod:`kg.publish`).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast, overload

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.term import Node

from kg import publish
from kg.errors import one_line
from kg.inputs import BoundedReader, InputError, open_regular, read_bytes, read_stdin, require_built
from kg.isolate import DeadlineError, run_with_deadline
from kg.ontology import KGR
from kg.sparql import Prepared, QueryError, prepare
from kg.terms import from_cell, plain, to_cell, to_rdflib

__all__ = [
    "UNION_GRAPH",
    "LocalStore",
    "RemoteStore",
    "Result",
    "Rows",
    "Store",
    "Triples",
    "open_source",
    "open_store",
    "query",
    "read_query",
    "write_store",
]

UNION_GRAPH = str(KGR["graph/union"])
"""The graph ``kg push`` fills with the union of the article graphs (each triple once);
``kg query --endpoint`` uses it as the default graph, so remote answers match local ones."""

MAX_RDF_BYTES = 1 << 30
"""An RDF file larger than this (1 GiB, ~10 M triples of Turtle) is refused: use
``kg build --store`` for a corpus that size."""

MAX_QUERY_BYTES = 8 << 20
"""A query file (or stdin) larger than this (8 MiB) is refused unread."""

STORE_MARKER = "jiedao-kg-store.json"
"""The file that makes a folder a store of ours: only such a folder is ever replaced."""


# ---------------------------------------------------------------- results


class Rows(Sequence[tuple[Node | None, ...]]):
    """The rows of a :class:`Result`, made into rdflib terms one row at a time, when first
    read: an answer of 100 k rows is ready as soon as the engine is done, a page or a
    ``len`` costs no terms, and the rows travel between processes (``timeout``) in the
    compact form of :func:`kg.terms.to_cell`. Compares equal to a list of the same rows.
    """

    __slots__ = ("_cells", "_rows")

    def __init__(self, cells: list[tuple[Any, ...]]):
        self._cells = cells
        self._rows: list[tuple[Node | None, ...] | None] = [None] * len(cells)

    def __len__(self) -> int:
        return len(self._cells)

    @overload
    def __getitem__(self, index: int) -> tuple[Node | None, ...]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[Node | None, ...]]: ...
    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        row = self._rows[index]
        if row is None:
            row = self._rows[index] = tuple(from_cell(c) for c in self._cells[index])
        return row

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        for index in range(len(self._cells)):
            yield self[index]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Rows, (self._cells,))


@dataclass
class Result:
    """Rows of a SELECT: ``vars`` names the columns, each row a tuple of rdflib terms
    (:class:`Rows`, made when read; a list of tuples is taken as well)."""

    vars: list[str]
    rows: Sequence[tuple[Node | None, ...]]
    truncated: bool = False

    def __iter__(self) -> Iterator[dict[str, Node | None]]:
        for row in self.rows:
            yield dict(zip(self.vars, row, strict=True))

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[tuple[Any, ...]]:
        """Rows of plain Python values (str, int, Decimal, ...), handy in tests and notebooks."""
        return [tuple(plain(t) for t in row) for row in self.rows]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame of plain values (needs the ``pandas`` extra)."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError(
                "to_dataframe needs pandas: pip install 'jiedao-kg[pandas]'"
            ) from None
        return pd.DataFrame(self.values(), columns=self.vars)


class Triples(Graph):
    """The triples a CONSTRUCT or DESCRIBE gave; ``truncated`` when ``limit`` cut them."""

    truncated: bool = False


Answer = Result | bool | Triples


def _answer(
    form: str, solutions: Any, limit: int | None, offset: int = 0, distinct: bool = False
) -> Any:
    """Oxigraph solutions (local or parsed from an endpoint) as a picklable answer: the
    first ``offset`` rows (or triples) skipped, then at most ``limit`` kept.

    ``distinct`` drops a row equal to one before it: Virtuoso 7 returns some rows of a
    ``SELECT DISTINCT`` over a sub-select twice (``initiatives-by-official`` on the seeds),
    and every store is to give the same answer."""
    if form == "ASK":
        return bool(solutions)
    if form in ("CONSTRUCT", "DESCRIBE"):
        triples: list[tuple[Any, ...]] = []
        truncated = False
        for triple in itertools.islice(solutions, offset, None):
            if limit is not None and len(triples) >= limit:
                truncated = True
                break
            triples.append(tuple(to_rdflib(t) for t in triple))
        return ("triples", triples, truncated)
    names = [v.value for v in solutions.variables]
    cells: list[tuple[Any, ...]] = []
    truncated = False
    rows: Iterator[tuple[Any, ...]]
    if distinct:
        rows = itertools.islice(_distinct(tuple(map(to_cell, s)) for s in solutions), offset, None)
    else:  # the rows before a page are skipped unread: their terms are never made
        rows = (tuple(map(to_cell, s)) for s in itertools.islice(solutions, offset, None))
    for row in rows:  # each row's cells in the order of ``variables``
        if limit is not None and len(cells) >= limit:
            truncated = True
            break
        cells.append(row)
    return Result(names, Rows(cells), truncated)


def _distinct(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        if row not in seen:
            seen.add(row)
            yield row


def _unpack(answer: Any) -> Answer:
    if isinstance(answer, tuple) and answer and answer[0] == "triples":
        graph = Triples()
        for triple in answer[1]:
            graph.add(triple)
        graph.truncated = answer[2]
        return graph
    return answer  # type: ignore[no-any-return]


# ---------------------------------------------------------------- stores


class Store:
    """Somewhere a query runs. Subclasses say where; :meth:`query` is the same for all."""

    name = "store"

    def query(
        self,
        sparql: str,
        /,
        *,
        limit: int | None = None,
        offset: int = 0,
        timeout: float | None = None,
        allow_service: bool = False,
        **bindings: Any,
    ) -> Answer:
        """Run a query (library name or SPARQL text) with safe bindings.

        ``limit`` caps the rows (or triples) read, after the first ``offset`` are skipped:
        pages of a query with an ORDER BY (every named query has one) are disjoint and
        together make the whole answer. ``timeout`` (seconds) bounds the whole call and
        raises :class:`QueryError` when it passes.
        """
        if offset < 0:
            raise QueryError(f"offset must be 0 or more, not {offset}")
        args = (sparql, limit, offset, allow_service, bindings)
        if timeout is None:
            return _unpack(self._run(*args))
        try:
            answer = run_with_deadline(
                self._run, args, timeout=timeout, what="query", expected=self.expected
            )
        except DeadlineError as exc:
            message = str(exc)
            if "(timeout)" in message:
                message += "; narrow it, add a LIMIT, or allow more time"
            raise QueryError(message) from None
        return _unpack(answer)

    expected: tuple[type[BaseException], ...] = (QueryError,)

    def _run(
        self,
        sparql: str,
        limit: int | None,
        offset: int,
        allow_service: bool,
        bindings: dict[str, Any],
    ) -> Any:
        raise NotImplementedError


class LocalStore(Store):
    """An Oxigraph store in this process: a build in memory, a loaded file, or on disk."""

    def __init__(self, store: ox.Store, name: str = "memory"):
        self.ox = store
        self.name = name

    def _run(
        self,
        sparql: str,
        limit: int | None,
        offset: int,
        allow_service: bool,
        bindings: dict[str, Any],
    ) -> Any:
        prepared, substitutions = prepare(sparql, allow_service=allow_service).for_oxigraph(
            bindings
        )
        try:
            solutions = self.ox.query(prepared.text, substitutions=substitutions)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {one_line(exc)}") from None
        except OSError as exc:
            raise QueryError(f"{self.name}: cannot read the store: {one_line(exc)}") from None
        return _answer(prepared.form, solutions, limit, offset)


class RemoteStore(Store):
    """A SPARQL endpoint, asked by the SPARQL 1.1 Protocol (see :mod:`kg.endpoint`).

    ``default_graphs`` defaults to :data:`UNION_GRAPH`, what ``kg push`` fills, so that
    answers match local ones; pass ``()`` for the server's own default graph.
    """

    expected = (QueryError, Exception)

    def __init__(
        self,
        url: str,
        *,
        auth: Any = None,
        default_graphs: Sequence[str] = (UNION_GRAPH,),
        named_graphs: Sequence[str] = (),
        max_bytes: int = 256 << 20,
    ):
        self.url, self.name = url, url
        self.auth = auth
        self.default_graphs = list(default_graphs)
        self.named_graphs = list(named_graphs)
        self.max_bytes = max_bytes

    def query(self, sparql: str, /, **kwargs: Any) -> Answer:  # type: ignore[override]
        kwargs.setdefault("timeout", 60.0)  # a remote call always has a deadline
        return super().query(sparql, **kwargs)

    def prepare(self, sparql: str, bindings: dict[str, Any]) -> Prepared:
        """The exact text sent: prefixes declared, bindings written in, checked again."""
        return prepare(sparql).bind_text(bindings)

    def _run(
        self,
        sparql: str,
        limit: int | None,
        offset: int,
        allow_service: bool,
        bindings: dict[str, Any],
    ) -> Any:
        from kg import endpoint

        if allow_service:
            raise QueryError("SERVICE is never sent to an endpoint")
        prepared = self.prepare(sparql, bindings)
        with endpoint.ask(
            self.url,
            prepared.text,
            prepared.form,
            auth=self.auth,
            default_graphs=self.default_graphs,
            named_graphs=self.named_graphs,
            max_bytes=self.max_bytes,
        ) as solutions:
            answer = _answer(prepared.form, solutions, limit, offset, prepared.distinct)
        return answer


def open_store(source: Any) -> Store:
    """Whatever a user holds as a :class:`Store`.

    A :class:`Store`; a :class:`kg.builder.Build`; an rdflib Graph or Dataset; a
    ``pyoxigraph.Store``; an ``http(s)://`` endpoint URL; the path of an RDF file
    (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML); or a folder written by
    ``kg build --store`` (opened read-only).
    """
    if isinstance(source, Store):
        return source
    if isinstance(source, ox.Store):
        return LocalStore(source)
    if hasattr(source, "store") and callable(source.store):
        return LocalStore(source.store(), "build")
    if isinstance(source, Graph | Dataset):
        return LocalStore(store_from_rdflib(source), "rdflib graph")
    if isinstance(source, str) and source.startswith(("http://", "https://")):
        return RemoteStore(source)
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir():
            return read_store(path)
        return LocalStore(store_from_file(path), str(path))
    raise QueryError(f"cannot query a {type(source).__name__}")


def read_query(ref: str) -> str:
    """The query ``kg query REF`` means: ``-`` reads stdin, ``FILE.rq`` a file (each at most
    :data:`MAX_QUERY_BYTES`, UTF-8); anything else is a library name or SPARQL text,
    resolved by :func:`kg.sparql.prepare` like any query."""
    if ref == "-":
        raw = read_stdin(limit=MAX_QUERY_BYTES, what="query")
    elif ref.endswith(".rq"):
        raw = read_bytes(ref, limit=MAX_QUERY_BYTES, what="query")
    else:
        return ref
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{ref}: the query is not UTF-8 (byte {exc.start})") from None


def open_source(
    data: str,
    *,
    store: str | Path | None = None,
    endpoint: str | None = None,
    auth: Any = None,
    default_graph: str = UNION_GRAPH,
) -> Store:
    """Where ``kg query`` runs: the ``endpoint`` (``default_graph`` its default graph, the
    server's own when empty), else the on-disk ``store``, else the RDF file ``data`` that
    a build wrote (a missing one says to run ``kg build``). Unlike :func:`open_store`, a
    name is never taken for a URL or a folder: each option means one kind of source."""
    if endpoint is not None:
        graphs = [default_graph] if default_graph else []
        return RemoteStore(endpoint, auth=auth, default_graphs=graphs)
    if store is not None:
        return read_store(store)
    require_built(data)
    return open_store(data)


def query(
    source: Any,
    sparql: str,
    /,
    *,
    limit: int | None = None,
    offset: int = 0,
    timeout: float | None = None,
    allow_service: bool = False,
    **bindings: Any,
) -> Answer:
    """Run a SPARQL query (text or library name) on ``source`` with safe bindings.

    ``source`` is anything :func:`open_store` takes. SELECT gives a :class:`Result`, ASK a
    bool, CONSTRUCT/DESCRIBE a :class:`Triples` graph. ``limit`` caps the rows read after
    the first ``offset`` (a page, in the query's ORDER BY; ``truncated`` tells if more
    existed); ``timeout`` (seconds) stops a runaway query.

    >>> import pyoxigraph as ox
    >>> query(ox.Store(), "ASK { ?s ?p ?o }")
    False
    """
    return open_store(source).query(
        sparql,
        limit=limit,
        offset=offset,
        timeout=timeout,
        allow_service=allow_service,
        **bindings,
    )


# ---------------------------------------------------------------- loading


def store_from_rdflib(data: Graph | Dataset) -> ox.Store:
    """Copy an rdflib graph or dataset into an in-memory Oxigraph store, graphs and all."""
    store = ox.Store()
    if isinstance(data, Dataset):
        payload = data.serialize(format="nquads", encoding="utf-8")
        store.bulk_load(payload, format=ox.RdfFormat.N_QUADS)
        _union_into_default(store)
    else:
        payload = data.serialize(format="nt11", encoding="utf-8")
        store.bulk_load(payload, format=ox.RdfFormat.N_TRIPLES)
    return store


def _union_into_default(store: ox.Store) -> None:
    """Copy every named graph's triples into the default graph, once each.

    With Oxigraph's "default graph as union" a triple stated by two articles would match
    twice; ``GRAPH ?g`` still sees each article's own graph.
    """
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")


SUFFIX_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
}


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(
            f"{path}: unknown RDF file type {path.suffix!r}; use one of "
            + ", ".join(SUFFIX_FORMATS)
        )
    return fmt


def store_from_file(path: str | Path) -> ox.Store:
    """Load an RDF file into a fresh store (cached per path, size and mtime)."""
    path = Path(path)
    fmt = rdf_format(path)
    try:
        info = path.stat()
    except OSError as exc:
        raise QueryError(f"{path}: cannot read: {exc.strerror}") from None
    if info.st_size > MAX_RDF_BYTES:  # refused before reading (a sparse file reads as zeros)
        raise QueryError(
            f"{path}: RDF file is {info.st_size:,} bytes, more than the {MAX_RDF_BYTES:,} "
            "allowed; load a corpus this size with 'kg build --store' and 'kg query --store'"
        )
    return _cached_store(path.resolve(), info.st_mtime_ns, info.st_size, fmt)


@functools.lru_cache(maxsize=4)
def _cached_store(path: Path, mtime: int, size: int, fmt: ox.RdfFormat) -> ox.Store:
    store = ox.Store()
    try:
        with open_regular(path, "RDF file") as handle:
            if fmt == ox.RdfFormat.RDF_XML:
                _refuse_dtd(handle, path)
                handle.seek(0)
            bounded = BoundedReader(handle, MAX_RDF_BYTES, f"{path}: RDF file")
            store.bulk_load(cast(IO[bytes], bounded), format=fmt)
    except InputError as exc:
        raise QueryError(str(exc)) from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise QueryError(f"{path}: cannot read RDF: {rdf_problem(exc)}") from None
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        _union_into_default(store)
    return store


def rdf_problem(exc: BaseException) -> str:
    """A parser's complaint in words a user can act on."""
    message = one_line(exc)
    if "LoadDocumentCallback" in message or "remote context" in message.lower():
        return "it names a remote JSON-LD @context, which is never fetched; inline it"
    return message


def _refuse_dtd(handle: Any, path: Path) -> None:
    """Refuse RDF/XML with a DTD: entity declarations allow "billion laughs" expansion
    and external entities can read local files. RDF/XML never needs them. The file is
    scanned in chunks (bounded), before the parser sees any of it."""
    tail, seen = b"", 0
    while chunk := handle.read(1 << 16):
        seen += len(chunk)
        if seen > MAX_RDF_BYTES:
            raise QueryError(f"{path}: RDF file is larger than the {MAX_RDF_BYTES:,} bytes allowed")
        window = tail + chunk
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise QueryError(
                f"{path}: RDF/XML with a DTD (<!DOCTYPE or <!ENTITY) is refused: entities can "
                "expand without bound or read files"
            )
        tail = chunk[-16:]


# ---------------------------------------------------------------- on disk


def read_store(path: str | Path) -> LocalStore:
    """Open a store written by :func:`write_store`, read-only (readers can share it)."""
    path = Path(path)
    if not (path / STORE_MARKER).is_file():
        raise QueryError(f"{path}: not a store written by 'kg build --store'")
    try:
        return LocalStore(ox.Store.read_only(str(path / "oxigraph")), str(path))
    except OSError as exc:
        raise QueryError(f"{path}: cannot open the store: {one_line(exc)}") from None


def write_store(build: Any, target: str | Path) -> Path:
    """Write a build into a fresh on-disk store and swap it in whole.

    ``target`` must not exist, or be a store this tool wrote (it holds the marker file):
    anything else — a user's folder that merely looks like a database — is refused,
    never replaced. The new store is built in a staging folder beside the target and
    exchanged with it in one step, so a failed or killed build leaves the previous
    store as it was; stale staging folders of killed builds are removed next time.
    """
    target = Path(target)
    if target.exists() and not (target / STORE_MARKER).is_file():
        raise publish.OutputError(
            f"{target}: exists and is not a store written by 'kg build --store' (no "
            f"{STORE_MARKER}); it is never replaced: choose another --store path"
        )
    with publish.staged_dir(target) as staging:
        store = build.load_into(ox.Store(str(staging / "oxigraph")), bulk=True)
        store.flush()
        store.optimize()
        del store
        marker = {"tool": "jiedao-kg", "format": 1, "triples": build.triple_count}
        (staging / STORE_MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
    return target
