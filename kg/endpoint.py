"""HTTP to a remote SPARQL server: push the graph (Graph Store Protocol), send a query.

When the corpus outgrows one laptop the graph goes to a triple store. This module only
speaks HTTP; what a query may say and how its parameters are written in is
:mod:`kg.sparql`'s, and :class:`kg.store.RemoteStore` puts the two together (with one
deadline for the whole call).

* :func:`push` uploads every graph of a dataset with the SPARQL 1.1 Graph Store HTTP
  Protocol: one ``PUT`` (replace) or ``POST`` (add) of N-Triples per graph, so pushing
  twice leaves one copy. Virtuoso (``/sparql-graph-crud-auth``, HTTP Digest) and Oxigraph
  (``/store``) both speak it. rdflib's ``SPARQLUpdateStore`` would send ``INSERT DATA``
  text in batches instead, and cannot replace a graph in one request.
* :func:`ask` sends a prepared query by the SPARQL 1.1 Protocol and parses the answer with
  Oxigraph while it streams in: bounded in bytes, never fetching a JSON-LD context or
  expanding an XML entity (those formats are not read at all).

What "the default graph" means differs: :func:`kg.query` uses the union of the article
graphs (each triple once); Oxigraph's server keeps a separate default graph and Virtuoso
uses all its graphs, system graphs included, counting a triple stated by two articles
twice — also when several graphs are named with ``default-graph-uri``. For the same
answers, push with ``union_graph=IRI`` and query with that graph as the default graph
(what ``kg push`` and ``kg query --endpoint`` do).
"""

from __future__ import annotations

import contextlib
import html
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, cast

import httpx
import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import KgError
from kg.errors import one_line as _one_line
from kg.inputs import ChunkReader
from kg.isolate import DeadlineError, run_with_deadline
from kg.sparql import IRI_CHARS, QueryError
from kg.store import SUFFIX_FORMATS

__all__ = ["EndpointError", "ask", "push", "push_file"]


class EndpointError(KgError, RuntimeError):
    """A remote endpoint refused or failed a request, or could not be reached.

    ``str()`` is one line: the method, the URL, the HTTP status and the first line of the
    server's message (Virtuoso's HTML error pages are reduced to their message).
    """


AuthLike = httpx.Auth | tuple[str, str] | None

NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"
RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9"
PUSH_FORMATS = {k: v for k, v in SUFFIX_FORMATS.items() if v != ox.RdfFormat.RDF_XML}
"""File types :func:`push` reads: what ``kg export`` writes (RDF/XML is not needed)."""

DEFAULT_BATCH = 100_000


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

    ``data`` is a :class:`kg.builder.Build` (each article graph to its own IRI), an rdflib
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
    again with ``replace=True`` repairs that. ``timeout`` bounds the whole call.
    """
    if batch < 1:
        raise ValueError("batch must be at least 1")
    parts = _payloads(data, graph)
    if union_graph is not None:
        parts.append((_check_graph_iri(union_graph), _union(payload for _, payload in parts)))
    try:
        return run_with_deadline(
            _push,
            (parts, gsp_url, auth, replace, timeout, batch),
            timeout=timeout,
            what=f"pushing to {_shown(gsp_url)}",
            expected=(EndpointError, ValueError),
        )
    except DeadlineError as exc:
        raise EndpointError(str(exc)) from None


def push_file(path: str | Path, gsp_url: str, **options: Any) -> int:
    """:func:`push` of a file ``kg build`` wrote, as ``kg push`` does it: every refusal is
    an :class:`EndpointError`, and one about the data (a graph IRI, say) names the file.
    ``options`` are those of :func:`push`."""
    try:
        return push(path, gsp_url, **options)
    except ValueError as exc:
        raise EndpointError(f"{path}: {exc}") from None


def _push(
    parts: list[tuple[str | None, bytes]],
    gsp_url: str,
    auth: AuthLike,
    replace: bool,
    timeout: float,
    batch: int,
) -> int:
    """The requests of :func:`push`, run in a child process that dies at the deadline: a
    server that trickles its answers cannot hold the call longer than ``timeout``."""
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
    if hasattr(data, "graphs") and isinstance(data.graphs, dict):  # a kg.builder.Build
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
    if not IRI_CHARS.fullmatch(iri) or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
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
        (target, ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES) or b"")
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

SELECT_FORMS = ("SELECT", "ASK")
RDF_ANSWERS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
"""Answer formats read from an endpoint: line- or Turtle-based, parsed by Oxigraph, which
fetches nothing. RDF/XML (entity expansion) and JSON-LD (remote contexts) are not asked
for, and refused if a server sends them anyway."""


@contextlib.contextmanager
def ask(
    url: str,
    text: str,
    form: str,
    *,
    auth: AuthLike = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    max_bytes: int = 256 << 20,
    timeout: float = 60,
) -> Iterator[Any]:
    """Send a prepared query by the SPARQL 1.1 Protocol; yield the answer as it streams in.

    ``text`` must come from :func:`kg.sparql.prepare` (checked, bindings written in). A
    SELECT yields Oxigraph solutions, an ASK a boolean, a CONSTRUCT/DESCRIBE Oxigraph
    triples, each parsed from the response while it is read: a caller that stops after
    ``limit`` rows stops reading, and more than ``max_bytes`` of answer is refused. The
    whole-call deadline is the caller's (:class:`kg.store.RemoteStore` runs this in a
    child process killed at its timeout).
    """
    accept = RESULTS_JSON if form in SELECT_FORMS else RDF_ACCEPT
    form_data: dict[str, Any] = {"query": text}
    if default_graphs:
        form_data["default-graph-uri"] = [str(iri) for iri in default_graphs]
    if named_graphs:
        form_data["named-graph-uri"] = [str(iri) for iri in named_graphs]
    shown = f"POST {_shown(url)}"
    with httpx.Client(auth=_auth(auth), timeout=timeout) as client:
        try:
            request = client.build_request("POST", url, data=form_data, headers={"Accept": accept})
            response = client.send(request, stream=True)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise _transport_error(shown, exc, timeout) from None
        try:
            if response.status_code != 200:
                raise _http_error("POST", url, "", response)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            stream = ChunkReader(_capped(response.iter_bytes(), max_bytes, shown))
            try:
                if form in SELECT_FORMS:
                    if media_type not in (RESULTS_JSON, "application/json"):
                        raise EndpointError(f"{shown}: expected {RESULTS_JSON}, got {media_type!r}")
                    parsed = ox.parse_query_results(
                        cast(IO[bytes], stream), format=ox.QueryResultsFormat.JSON
                    )
                    cap = response.headers.get("x-sparql-maxrows")
                    yield _Capcheck(parsed, int(cap), shown) if cap and cap.isdigit() else parsed
                else:
                    fmt = RDF_ANSWERS.get(media_type)
                    if fmt is None:
                        raise EndpointError(
                            f"{shown}: expected N-Triples or Turtle, got {media_type!r}; "
                            "RDF/XML and JSON-LD answers are not read"
                        )
                    yield (quad.triple for quad in ox.parse(cast(IO[bytes], stream), format=fmt))
            except (SyntaxError, ValueError) as exc:
                if isinstance(exc, EndpointError | QueryError):
                    raise
                raise EndpointError(
                    f"{shown}: unreadable {media_type} answer: {_one_line(exc)}"
                ) from None
            except httpx.HTTPError as exc:
                raise _transport_error(shown, exc, timeout) from None
        finally:
            response.close()


def _capped(chunks: Iterator[bytes], limit: int, shown: str) -> Iterator[bytes]:
    """The response body's chunks, refused past ``limit`` bytes."""
    seen = 0
    for chunk in chunks:
        if not seen:  # Virtuoso starts JSON with a space, which Oxigraph refuses
            chunk = chunk.lstrip(b" \t\r\n")
        seen += len(chunk)
        if seen > limit:
            raise EndpointError(
                f"{shown}: the answer is larger than {limit:,} bytes; add a LIMIT to the query"
            )
        yield chunk


class _Capcheck:
    """Solutions that fail when they reach the server's row cap (Virtuoso's
    ``ResultSetMaxRows`` cuts results silently)."""

    def __init__(self, solutions: Any, cap: int, shown: str):
        self.solutions, self.cap, self.shown = solutions, cap, shown
        self.variables = solutions.variables

    def __iter__(self) -> Iterator[Any]:
        for count, solution in enumerate(self.solutions, 1):
            if count >= self.cap:
                raise EndpointError(
                    f"{self.shown}: the server cut the result at {self.cap} rows "
                    "(Virtuoso's [SPARQL] ResultSetMaxRows); page with LIMIT/OFFSET or raise it"
                )
            yield solution


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
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise _transport_error(shown, exc, client.timeout.read) from None


def _transport_error(shown: str, exc: Exception, timeout: float | None) -> EndpointError:
    if isinstance(exc, httpx.TimeoutException):
        return EndpointError(f"{shown}: no answer within {timeout} s")
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return EndpointError(f"{shown}: not an http(s) URL: {_one_line(exc)}")
    return EndpointError(f"{shown}: {_one_line(exc)}")


def _http_error(method: str, url: str, where: str, response: httpx.Response) -> EndpointError:
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    shown = f"{method} {_shown(url)}" + (f" ({where})" if where else "")
    message = _first_line(response)
    if response.status_code == 401 and not message:
        message = "check the user and password (Virtuoso's Graph Store endpoint wants Digest)"
    return EndpointError(f"{shown}: {status}" + (f": {message}" if message else ""))


def _first_line(response: httpx.Response) -> str:
    """The server's message, one line: Virtuoso wraps it in an HTML page (in ``<xmp>``).

    Of a streamed response only the first 64 KB are read: an error page cannot flood us.
    """
    if not response.is_stream_consumed and not hasattr(response, "_content"):
        head = b""
        for chunk in response.iter_bytes():
            head += chunk
            if len(head) >= 1 << 16:
                break
        text = head[: 1 << 16].decode(response.encoding or "utf-8", "replace")
    else:
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
