"""SPARQL text: the named queries, the safety check, and parameter binding — in one place.

Every query, local or remote, goes through :func:`prepare` once: the name is resolved,
line ends are normalized, the project's prefixes are declared in the text itself, and the
result is checked twice, by rdflib's parser (the algebra: no SERVICE, no update, no FROM
outside this graph) and by a lexer that follows the SPARQL grammar (no SERVICE or update
keyword anywhere outside strings, IRIs and comments). The :class:`Prepared` text is then
exactly what the engine runs: the checks judge the engine's input, not a copy of it.

Why both, and why normalize: two parsers can read the same text differently. rdflib ends a
``#`` comment only at ``\\n`` while the grammar (and Oxigraph) also ends it at ``\\r``, so
``# x\\r SERVICE <…>`` hid a SERVICE call from an rdflib-only check; rdflib expands
``\\u0053`` escapes everywhere, Oxigraph only inside strings and IRIs. Line ends are made
``\\n`` and such escapes refused, so both read one text; the lexer is a second opinion that
errs on the side of refusing.

Parameters are never pasted into the text by hand. Locally they are engine substitutions
(SEP-0007, :meth:`Prepared.substitutions`); for a remote endpoint they become a ``VALUES``
block or ``FILTER`` written from checked RDF terms (:meth:`Prepared.bind_text`), and the
bound text is checked again before it is sent.

>>> p = prepare("SELECT ?s WHERE { ?s a kg:Subdistrict }")
>>> p.form, p.text.splitlines()[0].startswith("PREFIX ")
('SELECT', True)
>>> prepare("SELECT * WHERE { # x\\r SERVICE <http://evil.example/> { ?s ?p ?o }\\n }")
Traceback (most recent call last):
...
kg.sparql.QueryError: SERVICE is not allowed: queries must not reach other endpoints
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from kg.errors import KgError, one_line
from kg.ontology import BASE, PREFIXES, resource_dir

__all__ = ["NamedQuery", "Prepared", "QueryError", "named_queries", "prepare", "sparql_term"]

MAX_QUERY_CHARS = 2_000_000
"""A query longer than this is refused before parsing (rdflib needs ~0.5 ms per term)."""


class QueryError(KgError, ValueError):
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
    kinds: dict[str, str] = field(default_factory=dict)
    """Parameter name -> kind (a key of :data:`PARAM_KINDS`), from ``# param NAME [KIND]:``."""


PARAM_LINE = re.compile(r"^#\s*param\s+(\w+)\s*(?:\[([\w-]+)\])?\s*:\s*(.+)$")


@functools.cache
def named_queries() -> dict[str, NamedQuery]:
    """The query library, by name. The leading comment lines are the question, up to a
    blank comment line (notes follow it); ``# param`` lines declare the parameters.

    >>> named_queries()["secretaries"].params["subdistrict"].startswith("label of one")
    True
    """
    found = {}
    folder = resource_dir("ontology") / "queries"
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        source = entry.read_text("utf-8")
        question: list[str] = []
        params: dict[str, str] = {}
        kinds: dict[str, str] = {}
        notes = False  # after a blank comment line come notes, not the question
        for line in source.splitlines():
            if not line.startswith("#"):
                break
            notes = notes or (not line.strip("# ") and bool(question))
            match = PARAM_LINE.match(line)
            if match:
                params[match[1]] = match[3].strip()
                if match[2]:
                    if match[2] not in PARAM_KINDS:
                        known = ", ".join(PARAM_KINDS)
                        raise QueryError(
                            f"ontology/queries/{entry.name}: parameter {match[1]!r} has an "
                            f"unknown kind [{match[2]}]; known: {known}"
                        )
                    kinds[match[1]] = match[2]
            elif not notes:
                question.append(line.lstrip("# ").strip())
        name = entry.name.removesuffix(".rq")
        question_text = " ".join(q for q in question if q)
        found[name] = NamedQuery(name, question_text, source, params, kinds)
    return found


# ---------------------------------------------------------------- lexer


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


# Enough of the SPARQL lexer to judge keywords and find the WHERE group: strings, IRIs and
# comments are taken whole (a comment ends at \n or \r, as the grammar says), so a brace
# or keyword inside them is never mistaken for syntax, and one outside them never hides.
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


def tokenize(text: str) -> list[Token]:
    """The tokens of a query, without whitespace and comments.

    >>> [t.text for t in tokenize('SELECT ?s { ?s ?p "a # b" } # SERVICE')]
    ['SELECT', '?s', '{', '?s', '?p', '"a # b"', '}']
    """
    return [
        Token(m.lastgroup or "punct", m.group(), m.start(), m.end())
        for m in _TOKEN.finditer(text)
        if m.lastgroup not in ("space", "comment")
    ]


UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
"""Keywords that only SPARQL Update has: a query holding one as a bare word is refused."""

FOREIGN_WORDS = frozenset({"DEFINE", "SPARQL"})
"""Not SPARQL, but Virtuoso reads them (``DEFINE get:soft "replace"`` fetches remote
graphs; ``SPARQL`` starts an embedded statement): never sent to an endpoint."""

_UNICODE_ESCAPE = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize(text: str) -> str:
    """The query as every parser will read it: ``\\n`` line ends, no code-point escapes.

    >>> normalize("SELECT *\\r\\nWHERE {}\\r")
    'SELECT *\\nWHERE {}\\n'
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query is {len(text):,} characters, more than the {MAX_QUERY_CHARS:,} allowed"
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if match := _UNICODE_ESCAPE.search(text):
        raise QueryError(
            f"code-point escapes such as {match.group()} are not allowed in queries (parsers "
            "read them differently); write the character itself"
        )
    if match := _CONTROL.search(text):
        raise QueryError(f"control character U+{ord(match.group()):04X} in the query; remove it")
    return text


# ---------------------------------------------------------------- prepare


@dataclass(frozen=True)
class Prepared:
    """A checked query: the exact text to run, its form, and what may be bound in it."""

    text: str
    form: str
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``."""
    name: str | None
    """The library name, when the query came from ``ontology/queries``."""
    params: dict[str, str]
    """The named query's parameters (name -> description); empty for ad-hoc text."""
    variables: frozenset[str]
    """Every variable the text mentions (an ad-hoc query may bind any of them)."""
    prolog_lines: int = 0
    allow_service: bool = False
    kinds: dict[str, str] = field(default_factory=dict)
    """Parameters whose values are read by kind (:data:`PARAM_KINDS`), such as periods."""

    def check_bindings(self, bindings: Mapping[str, Any]) -> None:
        """Refuse a binding the query does not take, listing the ones it does."""
        allowed = set(self.params) if self.params else set(self.variables)
        for name in bindings:
            if name not in allowed:
                what = f"query {self.name!r}" if self.name else "the query"
                known = ", ".join(sorted(allowed)) or "none"
                kind = "parameters" if self.params else "variables"
                raise QueryError(f"{what} has no parameter {name!r}; its {kind}: {known}")

    def substitutions(self, bindings: Mapping[str, Any]) -> dict[Any, Any]:
        """Bindings as Oxigraph substitutions (terms, never text).

        Plain text in traditional characters is read as simplified, as every label is.
        """
        import pyoxigraph as ox

        from kg.terms import to_ox

        self.check_bindings(bindings)
        return {ox.Variable(k): to_ox(self.value(k, v)) for k, v in bindings.items()}

    def value(self, name: str, value: Any) -> Any:
        """A binding's term: read by the parameter's kind (a period bound becomes an
        ``xsd:date``), plain text as simplified Chinese."""
        kind = self.kinds.get(name)
        return PARAM_KINDS[kind](value, name) if kind else simplified(value)

    def for_oxigraph(self, bindings: Mapping[str, Any]) -> tuple[Prepared, dict[Any, Any]]:
        """The query and substitutions to run it with in Oxigraph.

        Oxigraph joins substitutions with the query's answer at the end, so a ``FILTER``
        inside the query never sees them: ``FILTER (?date >= ?from)`` would not filter. A
        parameter of a kind (a period bound) is therefore written into the text as a
        ``VALUES`` term (:meth:`bind_text`, checked again); the others are substitutions.
        """
        self.check_bindings(bindings)
        written = {k: v for k, v in bindings.items() if k in self.kinds}
        rest = {k: v for k, v in bindings.items() if k not in self.kinds}
        return self.bind_text(written), self.substitutions(rest)

    @property
    def distinct(self) -> bool:
        """Whether the query's own (outermost) SELECT is ``SELECT DISTINCT``.

        >>> prepare("SELECT DISTINCT ?s { { SELECT ?s { ?s ?p ?o } } }").distinct
        True
        >>> prepare("SELECT ?s { { SELECT DISTINCT ?s { ?s ?p ?o } } }").distinct
        False
        """
        tokens = [t.upper for t in tokenize(self.text)]
        at = tokens.index("SELECT") if "SELECT" in tokens else -1
        return 0 <= at < len(tokens) - 1 and tokens[at + 1] == "DISTINCT"

    def bind_text(self, bindings: Mapping[str, Any]) -> Prepared:
        """The query with its bindings written in, for an engine that takes only text.

        A ``VALUES`` block opens the WHERE group; a variable the group computes itself
        (``BIND (... AS ?v)``, how the library queries make their parameters) is bound by
        a ``FILTER (?v = term)`` at the end of the group instead, as SPARQL forbids a
        VALUES binding before a BIND to the same variable. The result is checked again.

        >>> p = prepare("SELECT ?s WHERE { ?s rdfs:label ?l }", prefixes={})
        >>> p.bind_text({"l": "锦南街道"}).text
        'SELECT ?s WHERE { VALUES (?l) { ("锦南街道") } ?s rdfs:label ?l }'
        """
        if not bindings:
            return self
        self.check_bindings(bindings)
        terms = {k: sparql_term(self.value(k, v), k) for k, v in bindings.items()}
        bound = _inject(self.text, tokenize(self.text), terms)
        checked = _check(bound, self.name, self.params, self.prolog_lines, self.allow_service)
        return replace(checked, kinds=self.kinds)


def simplified(value: Any) -> Any:
    """Plain text as simplified Chinese; any other value as it is."""
    if type(value) is str:
        from kg.text import to_simplified

        return to_simplified(value)
    return value


def prepare(
    query: str,
    *,
    allow_service: bool = False,
    prefixes: Mapping[str, Any] | None = None,
) -> Prepared:
    """Resolve, normalize and check a query (a library name or SPARQL text).

    The project's prefixes are declared at the top of the text unless the query declares
    them itself (``prefixes`` replaces them). Error positions are those of the query as
    written.
    """
    library = named_queries()
    name = None
    kinds: dict[str, str] = {}
    if query in library:
        name, source, params = query, library[query].text, library[query].params
        kinds = library[query].kinds
    elif re.fullmatch(r"[\w-]+", query):
        raise QueryError(f"no query named {query!r}; known: {', '.join(library)}")
    else:
        source, params = query, {}
    text = normalize(source)
    prefixes = PREFIXES if prefixes is None else prefixes
    declared = {
        tokens[i + 1].text[:-1].lower()
        for tokens in [tokenize(text)]
        for i, tok in enumerate(tokens[:-1])
        if tok.upper == "PREFIX" and tokens[i + 1].text.endswith(":")
    }
    prolog = "".join(
        f"PREFIX {prefix}: <{namespace}>\n"
        for prefix, namespace in prefixes.items()
        if prefix.lower() not in declared
    )
    checked = _checked(
        prolog + text, name, tuple(params.items()), prolog.count("\n"), allow_service
    )
    return replace(checked, kinds=kinds) if kinds else checked


@functools.lru_cache(maxsize=256)
def _checked(
    text: str,
    name: str | None,
    params: tuple[tuple[str, str], ...],
    prolog_lines: int,
    allow_service: bool,
) -> Prepared:
    """:func:`_check`, once per text: rdflib's parser takes 0.1-0.4 s for a named query,
    more than Oxigraph takes to answer it, and a session asks the same questions again
    (a loop over areas, the forms of ``kg serve``). The result is frozen; a refused text
    raises again each time (exceptions are not cached)."""
    return _check(text, name, dict(params), prolog_lines, allow_service)


def _check(
    text: str, name: str | None, params: dict[str, str], prolog_lines: int, allow_service: bool
) -> Prepared:
    tokens = tokenize(text)
    words = {tok.upper for tok in tokens if tok.kind == "word"}
    form, service = _parse(text, prolog_lines)
    if not allow_service and (service or "SERVICE" in words):
        raise QueryError("SERVICE is not allowed: queries must not reach other endpoints")
    if words & UPDATE_WORDS:
        raise QueryError(
            f"{sorted(words & UPDATE_WORDS)[0]} is an update keyword: updates are not "
            "allowed; the graph is read-only through queries"
        )
    if words & FOREIGN_WORDS:
        raise QueryError(f"{sorted(words & FOREIGN_WORDS)[0]} is not SPARQL; remove it")
    variables = frozenset(tok.text[1:] for tok in tokens if tok.kind == "var")
    return Prepared(text, form, name, params, variables, prolog_lines, allow_service)


_FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


def _parse(text: str, prolog_lines: int) -> tuple[str, bool]:
    """Parse with rdflib and judge the algebra; return the query form and whether the
    algebra holds a SERVICE call."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except ParseException as exc:
        try:
            parseUpdate(text)
        except Exception:
            line = max(1, exc.lineno - prolog_lines)
            raise QueryError(
                f"invalid SPARQL at line {line}, column {exc.col}: {exc.msg}"
            ) from None
        raise QueryError(
            "updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are not allowed; "
            "the graph is read-only through queries"
        ) from None
    except RecursionError:
        raise QueryError("query is nested too deeply to parse") from None
    except Exception as exc:  # rdflib raises plain Exceptions, e.g. for unknown prefixes
        raise QueryError(f"invalid SPARQL: {one_line(exc)}") from None
    for clause in algebra.get("datasetClause") or []:
        iri = clause.get("default") or clause.get("named")
        if not str(iri).startswith(BASE):
            raise QueryError(
                f"FROM <{iri}> is not allowed: queries may only name this graph's "
                f"graphs ({BASE}...)"
            )
    form = _FORMS.get(str(algebra.name), str(algebra.name))
    return form, _contains(algebra, "ServiceGraphPattern")


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


# ---------------------------------------------------------------- parameter kinds

_PERIOD = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?")


def period_bound(value: Any, name: str, *, end: bool) -> Any:
    """A year, month or day (``2020``, ``2020-01``, ``2020-01-15``, or a date) as the
    ``xsd:date`` of its first day, or with ``end`` its last, so that it compares correctly
    with ``xsd:date`` values: ``to=2020-06`` takes in 2020-06-30.

    >>> str(period_bound("2020-02", "to", end=True)), str(period_bound("2020", "from", end=False))
    ('2020-02-29', '2020-01-01')
    >>> period_bound("2020-13", "from", end=False)
    Traceback (most recent call last):
    ...
    kg.sparql.QueryError: from='2020-13': no month 13; write 2020, 2020-01 or 2020-01-15
    """
    import calendar

    from rdflib import XSD, Literal

    if isinstance(value, date) and not isinstance(value, datetime):
        return Literal(value.isoformat(), datatype=XSD.date)
    match = _PERIOD.fullmatch(str(value).strip())
    problem = None if match else "not a year, month or day"
    if match:
        year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        if match[2] and not 1 <= month <= 12:
            problem = f"no month {month:02d}"
        elif match[3] and not 1 <= day <= calendar.monthrange(year, month)[1]:
            problem = f"not a real day ({calendar.month_name[month]} {year} has "
            problem += f"{calendar.monthrange(year, month)[1]} days)"
    if match is None or problem:
        raise QueryError(
            f"{name}={str(value)[:40]!r}: {problem}; write 2020, 2020-01 or 2020-01-15"
        )
    month = month or (12 if end else 1)
    day = day or (calendar.monthrange(year, month)[1] if end else 1)
    return Literal(f"{year:04d}-{month:02d}-{day:02d}", datatype=XSD.date)


PARAM_KINDS = {
    "period-start": functools.partial(period_bound, end=False),
    "period-end": functools.partial(period_bound, end=True),
}
"""What a ``# param NAME [KIND]:`` line may declare: how the value is read."""


# ---------------------------------------------------------------- binding as text

IRI_CHARS = re.compile(r'[^<>"{}|^`\\\x00-\x20]*')
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")


def sparql_term(value: Any, name: str = "value") -> str:
    """A binding value as SPARQL term text, written by rdflib after checks.

    rdflib escapes a literal's quotes, backslashes and line breaks, but writes an IRI or a
    language tag as given: ``URIRef("x> } DROP ALL {<y")`` would close its brackets. So
    IRIs must use only IRI characters, tags must be tags, and control characters (which
    some servers read as the end of the text) are refused. Blank nodes cannot be bound:
    their labels mean nothing to another store.

    >>> sparql_term("锦南街道"), sparql_term(3)
    ('"锦南街道"', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    from rdflib import BNode, Literal, URIRef, Variable

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
    if not IRI_CHARS.fullmatch(iri):
        raise QueryError(
            f"binding ?{name}: {str(iri)[:80]!r} is not a valid IRI "
            '(no spaces, <>"{}|^`\\ or control characters)'
        )


def _inject(text: str, tokens: list[Token], terms: Mapping[str, str]) -> str:
    """Bind variables in the query's WHERE group: ``VALUES`` first, ``FILTER`` s last.

    (``=`` compares values, so ``1`` also matches ``1.0``; ``sameTerm`` would be exact,
    but Virtuoso 7.2 answers it wrongly for computed strings: ``sameTerm(STR(?l), "abc")``
    is false where ``?l`` is ``"abc"@en``.)
    """
    open_index = _where_group(tokens)
    close_index = _matching_brace(tokens, open_index)
    computed = set()
    depth = 0
    for index in range(open_index, close_index):
        tok = tokens[index]
        depth += {"{": 1, "}": -1}.get(tok.text, 0) if tok.kind == "punct" else 0
        following = tokens[index + 1]
        if depth == 1 and tok.upper == "AS" and following.kind == "var":
            computed.add(following.text[1:])
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


def _where_group(tokens: list[Token]) -> int:
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


def _matching_brace(tokens: list[Token], open_index: int) -> int:
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


def parse_binding(text: str) -> tuple[str, Any]:
    """``KEY=VALUE`` from the command line as a name and an RDF term or plain text.

    VALUE is ``<iri>``, ``prefix:name`` (a known prefix), an N-Triples literal
    (``"text"@lang``, ``"5"^^xsd:integer``) or plain text.

    >>> parse_binding("subdistrict=锦南街道")
    ('subdistrict', '锦南街道')
    >>> parse_binding("p=kg:holds")[1]
    rdflib.term.URIRef('https://w3id.org/jiedao-kg/ontology#holds')
    >>> parse_binding("s=<not an iri>")
    Traceback (most recent call last):
    ...
    kg.sparql.QueryError: --param s: 'not an iri' is not an absolute IRI (no spaces or <>"{}|^`\\)
    """
    from rdflib import URIRef
    from rdflib.util import from_n3

    key, sep, value = text.partition("=")
    if not sep or not key.isidentifier():
        raise QueryError(f"--param {text!r}: write KEY=VALUE (KEY a variable name)")
    iri = None
    if value.startswith("<") and value.endswith(">"):
        iri = value[1:-1]
    else:
        prefix, colon, local = value.partition(":")
        if colon and prefix in PREFIXES and "/" not in local and " " not in local:
            iri = str(PREFIXES[prefix]) + local
    if iri is not None:
        if not IRI_CHARS.fullmatch(iri) or not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri):
            raise QueryError(
                f"--param {key}: {iri!r} is not an absolute IRI (no spaces or <>\"{{}}|^`\\)"
            )
        return key, URIRef(iri)
    if value.startswith('"'):
        try:
            return key, from_n3(value, nsm=None)
        except Exception:
            raise QueryError(f"--param {key}: cannot read {value!r} as an RDF literal") from None
    return key, value
