"""A remote SPARQL endpoint: push the graph with the Graph Store Protocol, query it safely.

When the corpus outgrows one laptop the graph goes to a triple store. Two functions:

* :func:`push` uploads every graph of a dataset with the SPARQL 1.1 Graph Store HTTP
  Protocol: one ``PUT`` (replace) or ``POST`` (add) of N-Triples per graph, so pushing
  twice leaves one copy. Virtuoso (``/sparql-graph-crud-auth``, HTTP Digest) and Oxigraph
  (``/store``) both speak it. rdflib's ``SPARQLUpdateStore`` would send ``INSERT DATA``
  text in batches instead, and cannot replace a graph in one request.
* :func:`query` sends a query by the SPARQL 1.1 Protocol and returns rdflib terms (simple
  literals as ``Literal("x")``, whichever way the server writes them), so answers can be
  compared term by term with local ones.

Bindings are never pasted into query text by hand. Each value becomes an RDF term written
by rdflib (``term.n3()``) after checks that it cannot leave its place (an IRI with ``>``
or a control character is refused), inside a ``VALUES`` block placed at the start of the
query's WHERE group. Why there and not as a trailing ``VALUES`` clause after the WHERE
block (which the SPARQL grammar also allows): Virtuoso 7.2 applies a trailing ``VALUES``
after projection and LIMIT ("No column ?s" for a variable not selected) and refuses it in
ASK and CONSTRUCT queries; at the start of the group both servers accept it, and the
group's FILTERs see the bound values, as with kg.query's engine substitution. A variable
the group computes itself (``BIND (STR(?l) AS ?subdistrict)``, how the library queries
make their parameters) is bound by ``FILTER (?v = term)`` at the end of the group
instead, since SPARQL forbids a VALUES binding before a BIND to the same variable; ``=``
and not ``sameTerm``, which Virtuoso 7.2 gets wrong for computed strings.

What "the default graph" means differs: :func:`kg.query.query` uses the union of the
article graphs (each triple once); Oxigraph's server keeps a separate default graph and
Virtuoso uses all its graphs, system graphs included, counting a triple stated by two
articles twice — also when several graphs are named with ``default-graph-uri``. For the
same answers, push with ``union_graph=IRI`` and query with ``default_graph_uris=[IRI]``
and ``named_graph_uris=`` the article graphs.
"""

from __future__ import annotations

import html
import io
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.query import Result
from rdflib.term import Identifier, Variable

from kg.ontology import PREFIXES
from kg.query import SUFFIX_FORMATS, QueryError, resolve_query

__all__ = ["EndpointError", "prepare", "push", "query"]


class EndpointError(RuntimeError):
    """A remote endpoint refused or failed a request, or could not be reached.

    ``str()`` is one line: the method, the URL, the HTTP status and the first line of the
    server's message (Virtuoso's HTML error pages are reduced to their message).
    """


AuthLike = httpx.Auth | tuple[str, str] | None
Row = dict[str, Identifier | None]

NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "text/turtle, application/n-triples;q=0.9"
RDF_MEDIA_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
PUSH_FORMATS = {k: v for k, v in SUFFIX_FORMATS.items() if v != ox.RdfFormat.RDF_XML}
"""File types :func:`push` reads: what ``kg export`` writes (RDF/XML is not needed)."""

DEFAULT_BATCH = 100_000
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")


# ---------------------------------------------------------------- push


def push(
    data: Any,
    gsp_url: str,
    *,
    graph: str | None = None,
    auth: AuthLike = None,
    replace: bool = True,
    timeout: float = 60,
    union_graph: str | None = None,
    batch: int = DEFAULT_BATCH,
) -> int:
    """Upload ``data`` to a Graph Store Protocol endpoint; return the number of triples sent.

    ``data`` is a :class:`kg.build.Build` (each article graph to its own IRI), an rdflib
    Dataset (each named graph goes to its own IRI, ``?graph=IRI``,
    and a non-empty default graph to ``?default``, which Virtuoso refuses: it has no
    default graph to write to; empty graphs are skipped), an rdflib Graph (to ``graph``, else to
    the Graph's own IRI if it has one, else to the default graph), or the path of an RDF
    file (``.trig`` / ``.nq`` hold graphs, ``.ttl`` / ``.nt`` / ``.jsonld`` one graph).
    ``replace=True`` sends ``PUT`` so each graph ends up holding exactly ``data`` (pushing
    twice does not duplicate); ``replace=False`` sends ``POST`` and adds. ``union_graph``
    also puts the union of all graphs, each triple once, into that graph, to be used as
    the default graph when querying (see the module docstring); its triples are counted.

    ``auth`` is an ``httpx.Auth`` or a ``(user, password)`` pair, which means HTTP Digest
    (what Virtuoso's ``/sparql-graph-crud-auth`` wants; pass ``httpx.BasicAuth`` for
    Basic). With credentials a small GET first learns the challenge, so large uploads are
    sent once, and wrong credentials fail before any data is sent.

    Graphs larger than ``batch`` triples go in several requests (``PUT`` then ``POST``),
    unless they hold blank nodes, which must stay in one request to remain one node. A
    failure raises :class:`EndpointError` and may leave earlier graphs pushed: pushing
    again with ``replace=True`` repairs that.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    parts = _payloads(data, graph)
    if union_graph is not None:
        parts.append((_check_graph_iri(union_graph), _union(payload for _, payload in parts)))
    sent = 0
    with httpx.Client(auth=_auth(auth), timeout=timeout) as client:
        if client.auth is not None:
            _prime(client, gsp_url)
        for target, payload in parts:
            where = f"graph <{target}>" if target else "the default graph"
            params = {"graph": target} if target else {"default": ""}
            for index, (chunk, count) in enumerate(_chunks(payload, batch)):
                method = "PUT" if replace and index == 0 else "POST"
                response = _send(
                    client,
                    method,
                    gsp_url,
                    where,
                    params=params,
                    content=chunk,
                    headers={"Content-Type": NTRIPLES},
                )
                if response.status_code not in (200, 201, 204):
                    raise _http_error(method, gsp_url, where, response)
                sent += count
    return sent


def _payloads(data: Any, graph: str | None) -> list[tuple[str | None, bytes]]:
    """(target graph IRI or None for the default graph, N-Triples) for each graph to send."""
    if isinstance(data, Dataset):
        if graph is not None:
            raise ValueError("graph= is for one Graph; a Dataset's graphs keep their own IRIs")
        parts = []
        for context in data.graphs():
            if len(context) == 0:
                continue
            parts.append((_graph_target(context.identifier), _ntriples(context)))
        return parts
    if isinstance(data, Graph):
        if graph is not None:
            target: str | None = _check_graph_iri(graph)
        elif isinstance(data.identifier, URIRef):
            target = _graph_target(data.identifier)
        else:
            target = None
        return [(target, _ntriples(data))] if len(data) else []
    if isinstance(data, str | Path):
        return _file_payloads(Path(data), graph)
    if hasattr(data, "graphs") and isinstance(data.graphs, dict):  # a kg.build.Build
        if graph is not None:
            raise ValueError("graph= is for one Graph; a build's graphs keep their own IRIs")
        return [
            (_check_graph_iri(name[1:-1]), "".join(sorted(f"{line}\n" for line in lines)).encode())
            for name, lines in sorted(data.graphs.items())
            if lines
        ]
    raise TypeError(
        f"cannot push a {type(data).__name__}; give a Build, Dataset, Graph or file path"
    )


def _graph_target(identifier: Any) -> str | None:
    if identifier == DATASET_DEFAULT_GRAPH_ID:
        return None
    if isinstance(identifier, BNode) or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", identifier):
        raise ValueError(
            f"graph {identifier!r} has no absolute IRI, so the Graph Store Protocol cannot "
            "name it; give it an IRI or pass graph="
        )
    return _check_graph_iri(str(identifier))


def _check_graph_iri(iri: str) -> str:
    if not _IRI_CHARS.fullmatch(iri) or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
        raise ValueError(f"{iri!r} is not an absolute IRI")
    return iri


def _ntriples(graph: Graph) -> bytes:
    return graph.serialize(format="nt11", encoding="utf-8")


def _file_payloads(path: Path, graph: str | None) -> list[tuple[str | None, bytes]]:
    """Read a file with pyoxigraph's parser (fast; unlike its store, it keeps lexical forms
    and datatypes such as ``xsd:nonNegativeInteger`` exactly as written)."""
    fmt = PUSH_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise EndpointError(
            f"{path}: cannot push a {path.suffix or 'suffix-less'} file; use one of "
            + ", ".join(PUSH_FORMATS)
        )
    graphs: dict[str | None, dict[ox.Triple, None]] = {}
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            name = quad.graph_name
            if isinstance(name, ox.BlankNode):
                raise EndpointError(f"{path}: a graph named by a blank node cannot be pushed")
            key = None if isinstance(name, ox.DefaultGraph) else name.value
            graphs.setdefault(key, {})[quad.triple] = None
    except (SyntaxError, ValueError, OSError) as exc:
        raise EndpointError(f"{path}: cannot read RDF: {_one_line(exc)}") from None
    if graph is not None:
        if set(graphs) - {None}:
            raise ValueError(f"{path} holds named graphs; graph= is for a file of triples")
        graphs = {_check_graph_iri(graph): graphs.get(None, {})}
    return [
        (target, ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES))
        for target, triples in graphs.items()
        if triples
    ]


def _union(payloads: Iterable[bytes]) -> bytes:
    """All graphs' triples, each once: N-Triples lines of the same triple are identical."""
    lines: dict[bytes, None] = {}
    for payload in payloads:
        lines.update(dict.fromkeys(line for line in payload.split(b"\n") if line.strip()))
    return b"".join(line + b"\n" for line in lines)


def _chunks(payload: bytes, batch: int) -> Iterator[tuple[bytes, int]]:
    """Requests of at most ``batch`` triples (N-Triples is one triple per line)."""
    lines = [line for line in payload.split(b"\n") if line.strip()]
    if b"_:" in payload or len(lines) <= batch:
        # Blank node labels are scoped to one request: never split a graph that has some.
        yield b"".join(line + b"\n" for line in lines), len(lines)
        return
    for start in range(0, len(lines), batch):
        part = lines[start : start + batch]
        yield b"".join(line + b"\n" for line in part), len(part)


def _prime(client: httpx.Client, gsp_url: str) -> None:
    """One cheap authenticated GET, for a graph that does not exist.

    HTTP Digest answers the first request with a 401 challenge, after which httpx resends
    it: with a large upload that doubles the traffic, and Virtuoso closes the connection
    while the body is still being sent ("peer closed connection" at 18 MB). httpx's
    DigestAuth reuses the challenge it learned here for the uploads that follow.
    """
    probe = f"urn:uuid:{uuid.uuid4()}"
    where = "checking the credentials"
    response = _send(client, "GET", gsp_url, where, params={"graph": probe})
    if response.status_code in (401, 403):
        raise _http_error("GET", gsp_url, where, response)


# ---------------------------------------------------------------- query


def query(
    endpoint_url: str,
    query: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    auth: AuthLike = None,
    timeout: float = 60,
    prefixes: Mapping[str, Any] | None = None,
    default_graph_uris: Sequence[str] = (),
    named_graph_uris: Sequence[str] = (),
) -> list[Row] | bool | Graph:
    """Run a query on a remote endpoint: SELECT gives rows, ASK a bool, CONSTRUCT a Graph.

    ``query`` is SPARQL text or the name of a query in ``ontology/queries`` (as with
    :func:`kg.query.query`); the project's prefixes (``kg:``, ``rdfs:``...) are declared
    for it unless ``prefixes`` says otherwise. ``bindings`` maps variable names to values
    (rdflib terms, or ``str`` / ``int`` / ``Decimal`` / ``bool`` / dates, made literals),
    bound for the whole WHERE group by a ``VALUES`` block, never pasted as text (see the
    module docstring). Each SELECT row maps every selected variable to an rdflib term, or
    ``None`` where it is unbound. ``default_graph_uris`` and ``named_graph_uris`` are the
    protocol's ``default-graph-uri`` / ``named-graph-uri`` (the dataset of the query).

    Invalid SPARQL or bindings raise :class:`kg.query.QueryError` before anything is sent;
    a failed request, or a result the server cut short (Virtuoso's ``ResultSetMaxRows``),
    raises :class:`EndpointError`.
    """
    text, form = _prepare(query, bindings, prefixes)
    accept = RESULTS_JSON if form in ("SelectQuery", "AskQuery") else RDF_ACCEPT
    form_data: dict[str, Any] = {"query": text}
    if default_graph_uris:
        form_data["default-graph-uri"] = [str(iri) for iri in default_graph_uris]
    if named_graph_uris:
        form_data["named-graph-uri"] = [str(iri) for iri in named_graph_uris]
    with httpx.Client(auth=_auth(auth), timeout=timeout) as client:
        response = _send(
            client, "POST", endpoint_url, "", data=form_data, headers={"Accept": accept}
        )
    if response.status_code != 200:
        raise _http_error("POST", endpoint_url, "", response)
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if form in ("SelectQuery", "AskQuery"):
        return _parse_results(endpoint_url, response, media_type)
    fmt = RDF_MEDIA_TYPES.get(media_type)
    if fmt is None:
        raise EndpointError(f"POST {_shown(endpoint_url)}: expected RDF, got {media_type!r}")
    parsed = Graph()
    try:
        parsed.parse(data=response.content, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many kinds
        raise EndpointError(
            f"POST {_shown(endpoint_url)}: unreadable {media_type} answer: {_one_line(exc)}"
        ) from None
    graph = Graph()
    for s, p, o in parsed:
        graph.add((s, p, _simple(o)))
    return graph


def _simple(term: Any) -> Any:
    """``"x"^^xsd:string`` as the simple literal ``"x"``: the same RDF 1.1 term, but not
    equal in rdflib. Virtuoso types ``STR()`` results as xsd:string only when they are not
    ASCII, Oxigraph never does: one form makes answers comparable."""
    if isinstance(term, Literal) and term.datatype == XSD_STRING:
        return Literal(str(term))
    return term


def _parse_results(endpoint_url: str, response: httpx.Response, media_type: str) -> Any:
    if media_type not in (RESULTS_JSON, "application/json"):
        raise EndpointError(
            f"POST {_shown(endpoint_url)}: expected {RESULTS_JSON}, got {media_type!r}"
        )
    try:
        result = Result.parse(io.BytesIO(response.content), format="json")
    except Exception as exc:  # json errors, unknown term types
        raise EndpointError(
            f"POST {_shown(endpoint_url)}: unreadable SPARQL JSON results: {_one_line(exc)}"
        ) from None
    if result.type == "ASK":
        return bool(result.askAnswer)
    names = [str(v) for v in result.vars or []]
    rows = [
        {name: _simple(binding.get(Variable(name))) for name in names}
        for binding in result.bindings
    ]
    cap = response.headers.get("x-sparql-maxrows")
    if cap and cap.isdigit() and len(rows) >= int(cap):
        raise EndpointError(
            f"POST {_shown(endpoint_url)}: the server cut the result at {cap} rows "
            "(Virtuoso's [SPARQL] ResultSetMaxRows); page with LIMIT/OFFSET or raise it"
        )
    return rows


# ---------------------------------------------------------------- safe bindings


def prepare(
    query: str,
    bindings: Mapping[str, Any] | None = None,
    *,
    prefixes: Mapping[str, Any] | None = None,
) -> str:
    """The exact text :func:`query` sends: prefixes declared, bindings as a VALUES block.

    >>> print(prepare("SELECT ?s WHERE { ?s rdfs:label ?l }", {"l": "锦南街道"}, prefixes={}))
    SELECT ?s WHERE { VALUES (?l) { ("锦南街道") } ?s rdfs:label ?l }
    >>> print(prepare("SELECT ?n { ?s ?p ?l BIND (STR(?l) AS ?n) }", {"n": "雷新钱"}, prefixes={}))
    SELECT ?n { ?s ?p ?l BIND (STR(?l) AS ?n)  FILTER (?n = "雷新钱") }
    """
    return _prepare(query, bindings, prefixes)[0]


def _prepare(
    query: str, bindings: Mapping[str, Any] | None, prefixes: Mapping[str, Any] | None
) -> tuple[str, str]:
    text = resolve_query(query)
    if prefixes is None:
        prefixes = PREFIXES
    tokens = _tokenize(text)
    declared = {
        tokens[i + 1].text[:-1].lower()
        for i, tok in enumerate(tokens[:-1])
        if tok.upper == "PREFIX" and tokens[i + 1].text.endswith(":")
    }
    prolog = "".join(
        f"PREFIX {name}: <{namespace}>\n"
        for name, namespace in prefixes.items()
        if name.lower() not in declared
    )
    if not bindings:
        return prolog + text, _form(text, prolog)
    terms: dict[str, str] = {}
    for name, value in bindings.items():
        var = name.lstrip("?$")
        if not re.fullmatch(r"\w+", var):
            raise QueryError(f"binding {name!r}: not a SPARQL variable name")
        terms[var] = sparql_term(value, var)
    try:
        bound = _inject(text, tokens, terms)
    except QueryError:
        _form(text, prolog)  # an invalid query: say what is wrong with it first
        raise
    try:
        return prolog + bound, _form(bound, prolog)
    except QueryError:
        _form(text, prolog)
        raise


def _form(text: str, prolog: str = "") -> str:
    """Parse ``prolog + text`` with rdflib, so errors come before anything is sent, with
    line numbers of ``text``; return the query form's algebra name (``SelectQuery``...)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        return str(translateQuery(parseQuery(prolog + text)).algebra.name)
    except ParseException as exc:
        try:
            parseUpdate(prolog + text)
        except Exception:
            line = exc.lineno - prolog.count("\n")
            raise QueryError(
                f"invalid SPARQL at line {line}, column {exc.col}: {exc.msg}"
            ) from None
        raise QueryError("updates are not sent by kg.endpoint.query; use push") from None
    except RecursionError:
        raise QueryError("query is nested too deeply to parse") from None
    except Exception as exc:  # rdflib raises plain Exceptions, e.g. for unknown prefixes
        raise QueryError(f"invalid SPARQL: {_one_line(exc)}") from None


_IRI_CHARS = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sparql_term(value: Any, name: str = "value") -> str:
    """A binding value as SPARQL term text, written by rdflib after checks.

    rdflib escapes a literal's quotes, backslashes and line breaks, but writes an IRI or a
    language tag as given: ``URIRef("x> } DROP ALL {<y")`` would close its brackets. So
    IRIs must use only IRI characters, tags must be tags, and control characters (which
    some servers read as the end of the text) are refused. Blank nodes cannot be bound:
    their labels mean nothing to another store.
    """
    if isinstance(value, Variable):
        raise QueryError(f"binding ?{name}: a variable is not a value")
    if isinstance(value, BNode):
        raise QueryError(f"binding ?{name}: blank nodes cannot be bound; use an IRI or literal")
    if isinstance(value, URIRef):
        _check_iri(value, name)
        return value.n3()
    if isinstance(value, Literal):
        if value.language is not None and not _LANG.fullmatch(value.language):
            raise QueryError(f"binding ?{name}: {value.language!r} is not a language tag")
        if value.datatype is not None:
            _check_iri(value.datatype, name)
        lexical = str(value)
        if _CONTROL.search(lexical):
            raise QueryError(f"binding ?{name}: control characters cannot be sent safely")
        try:
            lexical.encode("utf-8")
        except UnicodeEncodeError:
            raise QueryError(f"binding ?{name}: the text is not valid Unicode") from None
        return value.n3()
    if isinstance(value, bool | int | float | Decimal | str | date | datetime | time):
        return sparql_term(Literal(value), name)
    raise QueryError(
        f"binding ?{name}: cannot bind a {type(value).__name__}; use an rdflib term, str, "
        "int, Decimal, bool or a date"
    )


def _check_iri(iri: str, name: str) -> None:
    if not _IRI_CHARS.fullmatch(iri):
        raise QueryError(
            f"binding ?{name}: {str(iri)[:80]!r} is not a valid IRI "
            '(no spaces, <>"{}|^`\\ or control characters)'
        )


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


# Enough of the SPARQL lexer to find the WHERE group: strings, IRIs and comments are
# skipped whole, so a brace or keyword inside them is never mistaken for syntax. It assumes
# valid SPARQL: the bound text is parsed by rdflib before it is sent, and if that fails the
# original query's own error is reported.
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              | '''(?:[^'\\]|\\.|'(?!''))*'''
              | "(?:[^"\\\n\r]|\\.)*"
              | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[\w:][\w\-.:%\\]*)
  | (?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokenize(text: str) -> list[_Token]:
    return [
        _Token(m.lastgroup or "punct", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


def _inject(text: str, tokens: list[_Token], terms: Mapping[str, str]) -> str:
    """Bind variables in the query's WHERE group: ``VALUES`` first, ``FILTER`` s last.

    A variable the group computes itself (``BIND (... AS ?v)``, as the library queries do
    for their parameters) cannot be in a VALUES block before it: SPARQL forbids binding a
    variable already in scope. It gets ``FILTER (?v = term)`` at the end of the group
    instead, which sees the computed value. (``=`` compares values, so ``1`` also matches
    ``1.0``; ``sameTerm`` would be exact, but Virtuoso 7.2 answers it wrongly for computed
    strings: ``sameTerm(STR(?l), "abc")`` is false where ``?l`` is ``"abc"@en``.)
    """
    open_index = _where_group(tokens)
    close_index = _matching_brace(tokens, open_index)
    mentioned = {tok.text[1:] for tok in tokens if tok.kind == "var"}
    computed = set()
    depth = 0
    for index in range(open_index, close_index):
        tok = tokens[index]
        depth += {"{": 1, "}": -1}.get(tok.text, 0) if tok.kind == "punct" else 0
        following = tokens[index + 1]
        if depth == 1 and tok.upper == "AS" and following.kind == "var":
            computed.add(following.text[1:])
    for name in terms:
        if name not in mentioned:
            raise QueryError(f"binding ?{name}: the query has no variable ?{name}")
    matched = [name for name in terms if name not in computed]
    values = (
        f" VALUES ({' '.join('?' + n for n in matched)}) "
        f"{{ ({' '.join(terms[n] for n in matched)}) }}"
        if matched
        else ""
    )
    filters = "".join(
        f" FILTER (?{name} = {term})" for name, term in terms.items() if name in computed
    )
    opening, closing = tokens[open_index], tokens[close_index]
    body = text[opening.end : closing.start]
    if tokens[open_index + 1].upper == "SELECT":
        # A sub-select must be alone in its group: wrap it in a group of its own.
        body = f" {{{body}}} "
    tail = f"{filters} " if filters else ""
    return f"{text[: opening.end]}{values}{body}{tail}{text[closing.start :]}"


def _where_group(tokens: list[_Token]) -> int:
    """Index of the ``{`` opening the query's WHERE group (not a CONSTRUCT template, not a
    brace inside parentheses such as ``SELECT (EXISTS { ... } AS ?x)``)."""
    depth = parens = 0
    form = where = first_brace = None
    for index, tok in enumerate(tokens):
        if depth == 0 and parens == 0:
            if form is None and tok.upper in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
                form = tok.upper
            elif form is not None and tok.upper == "WHERE":
                where = index
                break
            elif form is not None and tok.text == "{" and first_brace is None:
                first_brace = index
                if form != "CONSTRUCT":
                    break
        if tok.kind == "punct":
            depth += {"{": 1, "}": -1}.get(tok.text, 0)
            parens += {"(": 1, ")": -1}.get(tok.text, 0)
    if where is not None:
        if form == "CONSTRUCT" and first_brace is None:
            raise QueryError("bindings need the full CONSTRUCT { template } WHERE { pattern } form")
        return where + 1
    if first_brace is not None and form != "CONSTRUCT":
        return first_brace
    raise QueryError("bindings need a WHERE { ... } clause to bind in")


def _matching_brace(tokens: list[_Token], open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        tok = tokens[index]
        if tok.kind == "punct" and tok.text == "{":
            depth += 1
        elif tok.kind == "punct" and tok.text == "}":
            depth -= 1
            if depth == 0:
                return index
    raise QueryError("unbalanced braces in the WHERE clause")


# ---------------------------------------------------------------- HTTP


def _auth(auth: AuthLike) -> httpx.Auth | None:
    if auth is None or isinstance(auth, httpx.Auth):
        return auth
    if isinstance(auth, tuple) and len(auth) == 2:
        return httpx.DigestAuth(*auth)
    raise TypeError("auth must be an httpx.Auth or a (user, password) pair")


def _send(client: httpx.Client, method: str, url: str, where: str, **kwargs: Any) -> httpx.Response:
    """``client.request`` whose failures are one-line :class:`EndpointError` s."""
    shown = f"{method} {_shown(url)}" + (f" ({where})" if where else "")
    try:
        return client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise EndpointError(f"{shown}: no answer within {client.timeout.read} s") from None
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        raise EndpointError(f"{shown}: not an http(s) URL: {_one_line(exc)}") from None
    except httpx.HTTPError as exc:
        raise EndpointError(f"{shown}: {_one_line(exc)}") from None


def _http_error(method: str, url: str, where: str, response: httpx.Response) -> EndpointError:
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    shown = f"{method} {_shown(url)}" + (f" ({where})" if where else "")
    message = _first_line(response)
    if response.status_code == 401 and not message:
        message = "check the user and password (Virtuoso's Graph Store endpoint wants Digest)"
    return EndpointError(f"{shown}: {status}" + (f": {message}" if message else ""))


def _first_line(response: httpx.Response) -> str:
    """The server's message, one line: Virtuoso wraps it in an HTML page (in ``<xmp>``)."""
    text = response.text
    if "<" in text and re.search(r"<(html|body|h1|xmp|pre|!doctype)", text, re.I):
        inner = re.search(r"<(xmp|pre)[^>]*>(.*?)</\1>", text, re.S | re.I)
        text = html.unescape(inner.group(2) if inner else re.sub(r"<[^>]+>", "\n", text))
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= 200 else line[:199] + "…"
    return ""


def _shown(url: str) -> str:
    """The URL for messages, without a password."""
    try:
        parsed = httpx.URL(url)
    except Exception:  # an unparsable URL is shown as given, minus anything like userinfo
        return re.sub(r"//[^/@]*@", "//", str(url))
    if parsed.password:
        return str(parsed.copy_with(password="***"))
    return str(parsed)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__
