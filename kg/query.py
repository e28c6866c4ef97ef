"""SPARQL over the graph, safely: parsed and checked first, run by Oxigraph with bindings.

Why Oxigraph and not rdflib's evaluator: rdflib's join order can be pathological even on
the seed graph (a GROUP BY over two typed nodes took 16.6 s on 9 k triples, Oxigraph
0.015 s), so queries run in an in-memory ``pyoxigraph.Store``. rdflib still parses each
query first, because its algebra lets us refuse what a query typed by a user must not do:
SERVICE calls, updates (LOAD, INSERT, DROP...), FROM / FROM NAMED outside our graphs.

Parameters are never pasted into query text: they are substituted as RDF terms by the
engine (SEP-0007 substitutions), so ``"} ; DROP ALL"`` stays a literal.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Identifier, Node

from kg.ontology import BASE, PREFIXES, resource_dir


class QueryError(ValueError):
    """A query that is invalid or not allowed; ``str()`` is one line."""


# ---------------------------------------------------------------- named queries


@dataclass(frozen=True)
class NamedQuery:
    """A competency question stored as ``ontology/queries/NAME.rq``."""

    name: str
    question: str
    text: str
    params: dict[str, str] = field(default_factory=dict)
    """Parameter name -> description, from ``# param NAME: description`` comment lines."""


XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PARAM_LINE = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(.+)$")


@functools.cache
def named_queries() -> dict[str, NamedQuery]:
    """The query library, by name. The leading comment lines are the question."""
    found = {}
    folder = resource_dir("ontology") / "queries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        source = entry.read_text("utf-8")
        question, params = [], {}
        for line in source.splitlines():
            if not line.startswith("#"):
                break
            match = PARAM_LINE.match(line)
            if match:
                params[match[1]] = match[2].strip()
            else:
                question.append(line.lstrip("# ").strip())
        name = entry.name.removesuffix(".rq")
        found[name] = NamedQuery(name, " ".join(q for q in question if q), source, params)
    return found


def resolve_query(query: str) -> str:
    """A query's text: a library name (``secretaries``) or SPARQL text as given."""
    library = named_queries()
    if query in library:
        return library[query].text
    if re.fullmatch(r"[\w-]+", query):
        raise QueryError(f"no query named {query!r}; known: {', '.join(library)}")
    return query


# ---------------------------------------------------------------- safety


def check_query(query: str, *, allow_service: bool = False) -> None:
    """Refuse updates, SERVICE and external FROM, judging the parsed algebra, not the text."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    namespaces = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    try:
        parsed = translateQuery(parseQuery(query), initNs=namespaces)
    except ParseException as exc:
        try:
            parseUpdate(query)
        except Exception:
            raise QueryError(
                f"invalid SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}"
            ) from None
        raise QueryError(
            "updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are not allowed; "
            "the graph is read-only through kg.query"
        ) from None
    except RecursionError:
        raise QueryError("query is nested too deeply to parse") from None
    except Exception as exc:  # rdflib raises plain Exceptions, e.g. for unknown prefixes
        raise QueryError(f"invalid SPARQL: {_one_line(exc)}") from None
    algebra = parsed.algebra
    for clause in algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if not str(iri).startswith(BASE):
            raise QueryError(
                f"FROM <{iri}> is not allowed: queries may only name this graph's "
                f"graphs ({BASE}...)"
            )
    if not allow_service and _contains(algebra, "ServiceGraphPattern"):
        raise QueryError("SERVICE is not allowed: queries must not reach other endpoints")


def _contains(node: Any, name: str, depth: int = 0) -> bool:
    if depth > 500:
        raise QueryError("query is nested too deeply")
    if getattr(node, "name", None) == name:
        return True
    if isinstance(node, Mapping):
        return any(_contains(v, name, depth + 1) for v in node.values())
    if isinstance(node, list | tuple):
        return any(_contains(v, name, depth + 1) for v in node)
    return False


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


# ---------------------------------------------------------------- terms


def to_ox(term: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A binding value as an Oxigraph term: rdflib terms keep their kind; Python values
    become literals (``str`` a plain string, ``int`` an integer, ``Decimal`` a decimal)."""
    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, bool):
        return ox.Literal(
            "true" if term else "false",
            datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"),
        )
    if isinstance(term, int):
        return ox.Literal(
            str(term), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
        )
    if isinstance(term, Decimal):
        return ox.Literal(
            str(term), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
        )
    if isinstance(term, str):
        return ox.Literal(term)
    raise QueryError(f"cannot bind a {type(term).__name__}; use str, int, Decimal or rdflib terms")


def to_rdflib(term: Any) -> Node | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)  # a plain literal, as rdflib and SPARQL servers give it
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError(f"unsupported term in results: {term!r}")


# ---------------------------------------------------------------- stores


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

    Queries then see the union without duplicates: with Oxigraph's "default graph as
    union" a triple stated by two articles would match twice. ``GRAPH ?g`` still sees
    each article's own graph.
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


def store_from_file(path: str | Path) -> ox.Store:
    """Load an RDF file into a fresh store; the format comes from the suffix."""
    path = Path(path)
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(
            f"{path}: unknown RDF file type {path.suffix!r}; use one of "
            + ", ".join(SUFFIX_FORMATS)
        )
    return _cached_store(path.resolve(), path.stat().st_mtime_ns, path.stat().st_size, fmt)


@functools.lru_cache(maxsize=4)
def _cached_store(path: Path, mtime: int, size: int, fmt: ox.RdfFormat) -> ox.Store:
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_dtd(path)
    store = ox.Store()
    try:
        store.bulk_load(path=str(path), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        message = _one_line(exc)
        if "LoadDocumentCallback" in message:
            message = "it names a remote JSON-LD @context, which is never fetched; inline it"
        raise QueryError(f"{path}: cannot read RDF: {message}") from None
    if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
        _union_into_default(store)
    return store


def _refuse_dtd(path: Path) -> None:
    """Refuse RDF/XML with a DTD: entity declarations allow "billion laughs" expansion and
    external entities can read local files. RDF/XML never needs them."""
    tail = b""
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 16):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise QueryError(
                    f"{path}: RDF/XML with a DTD (<!DOCTYPE or <!ENTITY) is "
                    "refused: entities can expand without bound or read files"
                )
            tail = chunk[-16:]


def open_store(path: str | Path) -> ox.Store:
    """Open an on-disk store written by ``kg build --store``, read-only.

    Read-only, so that any number of readers can share it while nothing can change it.
    """
    path = Path(path)
    if not (path / "CURRENT").is_file():
        raise QueryError(f"{path}: not an Oxigraph store; write one with 'kg build --store'")
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise QueryError(f"{path}: cannot open the store: {_one_line(exc)}") from None


def as_store(source: Any) -> ox.Store:
    """Whatever a user holds (a build, an rdflib graph, a path, a store) as a store."""
    if isinstance(source, ox.Store):
        return source
    if hasattr(source, "store") and callable(source.store):
        return source.store()
    if isinstance(source, Graph | Dataset):
        return store_from_rdflib(source)
    if isinstance(source, str | Path):
        if Path(source).is_dir():
            return open_store(source)
        return store_from_file(source)
    raise QueryError(f"cannot query a {type(source).__name__}")


# ---------------------------------------------------------------- results


@dataclass
class Result:
    """Rows of a SELECT: ``vars`` names the columns, each row a tuple of rdflib terms."""

    vars: list[str]
    rows: list[tuple[Node | None, ...]]
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


def plain(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


def query(
    source: Any,
    sparql: str,
    /,
    *,
    limit: int | None = None,
    timeout: float | None = None,
    allow_service: bool = False,
    **bindings: Any,
) -> Result | bool | Graph:
    """Run a SPARQL query (text or library name) on ``source`` with safe bindings.

    ``source`` is a :class:`kg.build.Build`, an rdflib Graph or Dataset, a path to an RDF
    file, or a ``pyoxigraph.Store``; the default graph is the union of the article graphs.
    ``limit`` caps the rows read (``Result.truncated`` tells if more existed); ``timeout``
    (seconds) stops a runaway query with a :class:`QueryError`. SELECT gives a
    :class:`Result`, ASK a bool, CONSTRUCT/DESCRIBE an rdflib Graph.
    """
    text = resolve_query(sparql)
    check_query(text, allow_service=allow_service)
    store = as_store(source)
    substitutions = {ox.Variable(name): to_ox(value) for name, value in bindings.items()}
    if timeout is None:
        return _evaluate(store, text, substitutions, limit)
    return _evaluate_with_timeout(store, text, substitutions, limit, timeout)


def _evaluate(store: ox.Store, text: str, substitutions: dict, limit: int | None) -> Any:
    try:
        solutions = store.query(
            text,
            substitutions=substitutions,
            prefixes={prefix: str(ns) for prefix, ns in PREFIXES.items()},
        )
    except SyntaxError as exc:
        raise QueryError(f"invalid SPARQL: {_one_line(exc)}") from None
    if isinstance(solutions, ox.QueryBoolean):
        return bool(solutions)
    if isinstance(solutions, ox.QueryTriples):
        graph = Graph()
        for triple in solutions:
            graph.add(tuple(to_rdflib(t) for t in triple))  # type: ignore[arg-type]
        return graph
    names = [v.value for v in solutions.variables]
    rows: list[tuple[Identifier | None, ...]] = []
    truncated = False
    for solution in solutions:
        if limit is not None and len(rows) >= limit:
            truncated = True
            break
        rows.append(tuple(to_rdflib(solution[name]) for name in names))
    return Result(names, rows, truncated)


def _evaluate_with_timeout(
    store: ox.Store, text: str, substitutions: dict, limit: int | None, timeout: float
) -> Any:
    """Evaluate in a forked child that is killed at the deadline.

    Oxigraph cannot cancel a running query, so the only sure stop is a separate process.
    Fork shares the loaded store copy-on-write, so nothing is reloaded.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        try:
            result = _evaluate(store, text, substitutions, limit)
            if isinstance(result, Graph):
                result = ("graph", list(result))
            sender.send(("ok", result))
        except QueryError as exc:
            sender.send(("error", str(exc)))
        except Exception as exc:  # anything else still ends as one line in the parent
            sender.send(("error", f"query failed: {_one_line(exc)}"))

    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise QueryError(
                f"query stopped after {timeout:g} s (timeout); narrow it, add a "
                "LIMIT, or allow more time"
            )
        status, payload = receiver.recv()
    except EOFError:
        raise QueryError("query process ended without an answer (out of memory?)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
    if status == "error":
        raise QueryError(payload)
    if isinstance(payload, tuple) and payload and payload[0] == "graph":
        graph = Graph()
        for triple in payload[1]:
            graph.add(triple)
        return graph
    return payload
