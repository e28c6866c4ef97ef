"""Derived facts: what follows from the stated graph by the rules of ``ontology/rules/``.

A stated fact is one an article says (it has a quote). A derived fact follows from stated
ones by a rule; the graph keeps the two apart:

* every derived fact lives in the named graph ``kgr:graph/derived``, so dropping that one
  graph gives exactly the stated graph;
* its plain triple uses a property that is never stated (``kg:underOfficial``), so even
  in the union (``kg.ttl``) a derived triple is told apart by its predicate;
* its :class:`kg:DerivedStatement <DerivedFact>` names the rule (``kg:rule``, the rule's
  SPARQL text is in the graph too), the statements it comes from
  (``prov:wasDerivedFrom``), the articles they were read in (``kg:sourceArticle``), the
  date it holds as of when those articles state one and the same (``kg:asOf``), and how
  their dates relate (``kg:basis``: one article, one date, or across dates). Nothing is
  derived across articles of different or unknown dates without saying so.

A rule is a SPARQL SELECT, one file per rule: each row gives the derived triple
(``?subject``, ``?object``; the predicate is the file's ``# derives:`` line), the
statements it comes from (every ``?from…`` variable) and the articles whose dates it
depends on (every ``?article…`` variable). Rules run in Oxigraph over the stated graph
after every article's statements exist: derivation is a step over the whole corpus, not
per article.

The derived graph also gives a readable form of quotes whose article inserts pinyin after
characters (``復(fù)工`` → ``復工``, :func:`kg.text.strip_pinyin`): ``kg:readableQuote``
beside the exact ``kg:quote``, which stays the source's text.

>>> from kg.facts import load_corpus
>>> from kg.rdf import lines
>>> from kg.statements import statements
>>> from pathlib import Path
>>> corpus = load_corpus(Path("data"))
>>> derived = derive(corpus, lines(statements(corpus)))
>>> fact = next(f for f in derived.facts if f.object.endswith("/lei-xinqian"))
>>> fact.rule.name, fact.articles, fact.basis, fact.as_of
('under-office', ('000',), 'same-article', None)
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, RDFS, XSD, URIRef

from kg.facts import Corpus
from kg.ontology import DCT, KG, KGR, PREFIXES, PROV, local_name, ontology_graph, resource_dir
from kg.statements import Evidence

__all__ = ["DERIVED", "Derived", "DerivedFact", "Rule", "RuleError", "derive", "rules"]

DERIVED = "derived"
"""The name of the derived graph: ``kgr:graph/derived``."""

BASES = {"same-article": KG.SameArticle, "same-date": KG.SameDate, "across-dates": KG.AcrossDates}
"""``kg:basis`` by notation: how the dates of a derivation's articles relate."""


class RuleError(ValueError):
    """A rule file that cannot be run; ``str()`` is one line naming the file."""


# ---------------------------------------------------------------- rules (data files)


@dataclass(frozen=True)
class Rule:
    """One file of ``ontology/rules/``: a SELECT and what its rows derive."""

    name: str
    text: str
    predicate: URIRef
    labels: dict[str, str] = field(compare=False)
    """Language tag -> label (``# label@zh: …`` lines)."""
    comment: str = ""
    """The opening comment paragraph: what the rule says, in words."""

    @property
    def iri(self) -> URIRef:
        return KGR[f"rule/{self.name}"]

    @property
    def label(self) -> str:
        return self.labels.get("zh") or self.labels.get("en") or self.name


_HEADER = re.compile(r"^#\s*(derives|label@([a-z-]+))\s*:\s*(.+?)\s*$")


@functools.cache
def rules() -> tuple[Rule, ...]:
    """Every rule of ``ontology/rules/``, by file name."""
    folder = resource_dir("ontology") / "rules"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            found.append(read_rule(entry.name.removesuffix(".rq"), entry.read_text("utf-8")))
    return tuple(found)


def read_rule(name: str, text: str) -> Rule:
    """A rule from its file's text: the header lines, then the SELECT.

    >>> rule = read_rule("r", "# says\\n# derives: kg:underOfficial\\n# label@en: x\\n"
    ...                  "SELECT ?subject ?object ?fromA ?articleA WHERE { }")
    >>> rule.predicate == KG.underOfficial, rule.labels, rule.comment
    (True, {'en': 'x'}, 'says')
    """
    where = f"ontology/rules/{name}.rq"
    predicate: URIRef | None = None
    labels: dict[str, str] = {}
    comment: list[str] = []
    opening = True  # the comment is the first paragraph, before any header line
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        body = line.lstrip("#").strip()
        if match and match[1] == "derives":
            predicate = _predicate(match[3], where)
        elif match:
            labels[match[2]] = match[3]
        if match or not body:
            opening = opening and not (match or comment)
        elif opening:
            comment.append(body)
    if predicate is None:
        raise RuleError(f"{where}: no '# derives: kg:PROPERTY' line before the query")
    rule = Rule(name, text, predicate, labels, " ".join(comment))
    _check(rule, where)
    return rule


def _predicate(text: str, where: str) -> URIRef:
    """The derived property: a ``kg:`` property of the ontology that no fact file states."""
    from rdflib import OWL

    prefix, _, local = text.partition(":")
    if prefix not in PREFIXES or not local:
        raise RuleError(f"{where}: derives {text!r}: write a property as kg:name")
    iri = URIRef(str(PREFIXES[prefix]) + local)
    graph = ontology_graph()
    if (iri, RDF.type, OWL.ObjectProperty) not in graph:
        raise RuleError(f"{where}: derives {text}, which ontology/kg.ttl does not declare")
    if (iri, KG.factKey, None) in graph:
        raise RuleError(
            f"{where}: derives {text}, which fact files state; a derived property must be "
            "one no article states, so that derived triples are never mistaken for stated"
        )
    return iri


def _check(rule: Rule, where: str) -> None:
    from kg.sparql import QueryError

    try:
        prepared = _prepared(rule.text)
    except QueryError as exc:
        raise RuleError(f"{where}: {exc}") from None
    if prepared.form != "SELECT":
        raise RuleError(f"{where}: a rule is a SELECT query, not {prepared.form}")
    names = _projection(rule.text)
    missing = [v for v in ("subject", "object") if v not in names]
    if missing or not any(n.startswith("from") for n in names):
        raise RuleError(
            f"{where}: a rule selects ?subject, ?object, the statements it comes from "
            "(?from…) and the articles whose dates it depends on (?article…)"
        )


def _projection(text: str) -> list[str]:
    """The variables a SELECT projects (up to WHERE), in order."""
    from kg.sparql import tokenize

    names: list[str] = []
    selecting = False
    for token in tokenize(text):
        if token.upper == "SELECT":
            selecting = True
        elif token.upper == "WHERE" or token.text == "{":
            break
        elif selecting and token.kind == "var":
            names.append(token.text[1:])
    return names


# ---------------------------------------------------------------- derived facts


@dataclass(frozen=True)
class DerivedFact:
    """One derived statement: a triple, its rule, its sources, and when it holds."""

    rule: Rule
    subject: str
    """IRIs, as plain strings."""
    predicate: str
    object: str
    sources: tuple[str, ...]
    """IRIs of the stated ``kg:Statement`` s it comes from."""
    articles: tuple[str, ...]
    """Ids of the articles whose dates it depends on."""
    dates: tuple[str | None, ...]
    """Each article's publication date (``None``: the article states none)."""
    basis: str
    """A notation of :data:`BASES`."""
    as_of: str | None
    """The one date all its articles state, else ``None``."""
    evidence: tuple[Evidence, ...] = ()
    """The sources' evidence in those articles: the sentences it follows from."""

    @property
    def iri(self) -> URIRef:
        """Deterministic: the same rule, triple and articles give the same node."""
        key = " ".join((self.rule.name, self.subject, self.predicate, self.object, *self.articles))
        return KGR[f"derived/{hashlib.sha256(key.encode()).hexdigest()[:24]}"]


@dataclass
class Derived:
    """What the rules derived from one build, and the readable forms of its quotes."""

    corpus: Corpus
    facts: list[DerivedFact] = field(default_factory=list)
    readable: dict[tuple[str, int, int], str] = field(default_factory=dict)
    """(article, start, end) -> the quote without pinyin inserts, where that differs."""

    def graphs(self) -> dict[str, set[str]]:
        """The derived graph's N-Triples lines, keyed like :func:`kg.rdf.lines` (empty
        when nothing is derived)."""
        from kg.rdf import graph_iri

        made = self.lines()
        return {f"<{graph_iri(DERIVED)}>": made} if made else {}

    def lines(self) -> set[str]:
        from kg.rdf import article_iri, evidence_iri, nt_literal

        out: set[str] = set()

        def emit(s: Any, p: Any, o: str) -> None:
            out.add(f"<{s}> <{p}> {o} .")

        date = str(XSD.date)
        for rule in sorted({f.rule for f in self.facts}, key=lambda r: r.name):
            emit(rule.iri, RDF.type, f"<{KG.Rule}>")
            emit(rule.iri, DCT.identifier, nt_literal(rule.name))
            for lang, label in sorted(rule.labels.items()):
                emit(rule.iri, RDFS.label, nt_literal(label, lang=lang))
            if rule.comment:
                emit(rule.iri, RDFS.comment, nt_literal(rule.comment, lang="en"))
            emit(rule.iri, KG.sparql, nt_literal(rule.text))
        for notation in sorted({f.basis for f in self.facts}):
            out.update(_concept_lines(BASES[notation]))
        for f in self.facts:
            node = f.iri
            emit(f.subject, f.predicate, f"<{f.object}>")
            emit(node, RDF.type, f"<{KG.DerivedStatement}>")
            emit(node, RDF.subject, f"<{f.subject}>")
            emit(node, RDF.predicate, f"<{f.predicate}>")
            emit(node, RDF.object, f"<{f.object}>")
            emit(node, KG.rule, f"<{f.rule.iri}>")
            emit(node, KG.basis, f"<{BASES[f.basis]}>")
            for source in f.sources:
                emit(node, PROV.wasDerivedFrom, f"<{source}>")
            for article in f.articles:
                emit(node, KG.sourceArticle, f"<{article_iri(article)}>")
            if f.as_of:
                emit(node, KG.asOf, nt_literal(f.as_of, datatype=date))
        for (article, start, end), readable in self.readable.items():
            emit(evidence_iri(article, (start, end)), KG.readableQuote, nt_literal(readable))
        return out

    def add_to(self, graph: Any) -> None:
        """Add the derived facts to the networkx graph as edges marked ``derived``.

        The edge is keyed by the property's local name like stated edges; it carries the
        evidence of the statements it follows from and one entry per derivation (rule,
        basis, as-of date, articles and their dates).
        """
        from kg.graph import article_evidence
        from kg.schema import predicate_label

        for f in self.facts:
            key = local_name(f.predicate)
            if f.subject not in graph or f.object not in graph:
                continue
            if not graph.has_edge(f.subject, f.object, key):
                graph.add_edge(
                    f.subject,
                    f.object,
                    key=key,
                    predicate=f.predicate,
                    label=predicate_label(f.predicate),
                    derived=True,
                    derivations=[],
                    evidence=[],
                )
            attrs = graph.edges[f.subject, f.object, key]
            attrs["derivations"].append(
                {
                    "rule": f.rule.name,
                    "label": f.rule.label,
                    "basis": f.basis,
                    "asOf": f.as_of,
                    "articles": list(f.articles),
                    "dates": list(f.dates),
                }
            )
            seen = {(e["article"], e["start"], e["end"]) for e in attrs["evidence"]}
            for ev in f.evidence:
                if (ev.article, ev.start, ev.end) not in seen:
                    seen.add((ev.article, ev.start, ev.end))
                    attrs["evidence"].append(article_evidence(self.corpus, ev))
            attrs["evidence"].sort(key=lambda e: (e["article"], e["start"] or -1, e["end"] or -1))


@functools.cache
def _concept_lines(concept: URIRef) -> frozenset[str]:
    """A concept's own description, carried with the data (as :mod:`kg.rdf` does), so
    that a query on the exported file alone can read its notation and label."""
    from kg.rdf import nt

    return frozenset(
        f"{nt(s)} {nt(p)} {nt(o)} ." for s, p, o in ontology_graph().triples((concept, None, None))
    )


_EVIDENCE = """
SELECT ?statement ?article ?start ?end WHERE {
  ?statement a kg:Statement ; kg:evidence ?evidence .
  ?evidence kg:article/dct:identifier ?article ; kg:start ?start ; kg:end ?end .
}
"""
"""Where each stated statement is said: the sentences a derived fact follows from."""


def derive(
    corpus: Corpus, graphs: Mapping[str, set[str]], with_rules: Sequence[Rule] | None = None
) -> Derived:
    """Run the rules (every rule of ``ontology/rules/`` unless ``with_rules`` says which)
    over the stated graphs (N-Triples lines per graph, as :func:`kg.rdf.lines` writes them)
    and return what they derive.

    Raises :class:`RuleError` for a rule that cannot run.
    """
    import pyoxigraph as ox

    from kg.rdf import article_iri

    out = Derived(corpus)
    out.readable = readable_quotes(corpus)
    active = rules() if with_rules is None else tuple(with_rules)
    if not active:
        return out
    store = ox.Store()
    keep = _reads((*(r.text for r in active), _EVIDENCE))
    stated = "\n".join(
        line for line in itertools.chain.from_iterable(graphs.values()) if keep(line)
    )
    # lenient: the lines are this build's own, already well formed; checking every IRI
    # again is a third of the load
    store.load(stated.encode(), format=ox.RdfFormat.N_TRIPLES, lenient=True)
    articles = {str(article_iri(a)): a for a in corpus.articles}
    evidence = _Evidence(store)
    for rule in active:
        out.facts.extend(_apply(rule, store, articles, evidence, corpus))
    out.facts.sort(key=lambda f: (f.rule.name, f.subject, f.object, f.articles))
    return out


@functools.cache
def _prepared(text: str) -> Any:
    """The checked query, with our prefixes, once per text (parsing costs ~0.2 s)."""
    from kg.sparql import prepare

    return prepare(text)


_TYPE = f"<{RDF.type}>"


@functools.cache
def _reads(texts: tuple[str, ...]) -> Any:
    """Which stated lines the queries can read: those whose predicate they name (for
    ``rdf:type``, whose class they name), so only those are loaded — most of the cost of
    deriving is loading. A query with a variable or negated predicate reads every line.
    """
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    predicates: set[str] = set()
    classes: set[str] | None = set()

    def path_iris(path: Any) -> bool:
        """Note the IRIs of a predicate or path; False when it may read any predicate."""
        if isinstance(path, URIRef):
            predicates.add(f"<{path}>")
            return True
        if isinstance(path, SequencePath | AlternativePath):
            return all(path_iris(a) for a in path.args)
        if isinstance(path, MulPath):
            return path_iris(path.path)
        if isinstance(path, InvPath):
            return path_iris(path.arg)
        return False  # a variable or a negated path

    def walk(node: Any) -> bool:
        nonlocal classes
        if getattr(node, "name", None) == "BGP":
            for _, p, o in node["triples"]:
                if not path_iris(p):
                    return False
                if p == RDF.type and classes is not None:
                    classes = classes | {f"<{o}>"} if isinstance(o, URIRef) else None
        if hasattr(node, "values"):  # the algebra's nodes are dicts
            return all(walk(v) for v in node.values())
        if isinstance(node, list | tuple):
            return all(walk(v) for v in node)
        return True

    for text in texts:
        if not walk(translateQuery(parseQuery(_prepared(text).text)).algebra):
            return lambda line: True

    def keep(line: str) -> bool:
        _, p, rest = line.split(" ", 2)
        if p == _TYPE and classes is not None:
            return rest[:-2] in classes
        return p in predicates

    return keep


class _Evidence:
    """Where a stated statement is said, by statement and article, looked up in the store
    only for the statements a rule derives from (a few thousand, not every statement).

    The lookups are quad patterns, not a query per statement: at 1 M triples 18 k small
    queries cost 1.8 s, their parsing and planning most of it. An article's identifier is
    read once (its node is in every evidence of the article, so each lookup of it costs in
    proportion to them)."""

    def __init__(self, store: Any):
        import pyoxigraph as ox

        self.store = store
        self.found: dict[str, dict[str, list[Evidence]]] = {}
        self.names: dict[Any, str] = {}
        self.iri = {k: ox.NamedNode(str(v)) for k, v in _EVIDENCE_TERMS.items()}

    def _one(self, node: Any, key: str) -> Any:
        return next(iter(self.store.quads_for_pattern(node, self.iri[key], None))).object

    def get(self, key: tuple[str, str], default: Any = ()) -> Any:
        statement, article = key
        if statement not in self.found:
            import pyoxigraph as ox

            by_article: dict[str, list[Evidence]] = defaultdict(list)
            node = ox.NamedNode(statement)
            for quad in self.store.quads_for_pattern(node, self.iri["evidence"], None):
                where = quad.object
                source = self._one(where, "article")
                if source not in self.names:
                    self.names[source] = self._one(source, "identifier").value
                name = self.names[source]
                start, end = self._one(where, "start"), self._one(where, "end")
                by_article[name].append(Evidence(name, int(start.value), int(end.value)))
            self.found[statement] = by_article
        return self.found[statement].get(article, default)


_EVIDENCE_TERMS = {
    "evidence": KG.evidence,
    "article": KG.article,
    "identifier": DCT.identifier,
    "start": KG.start,
    "end": KG.end,
}
"""The path from a statement to where it is said, as :data:`_EVIDENCE` reads it."""


def _select(store: Any, text: str) -> list[dict[str, str]]:
    solutions = store.query(_prepared(text).text)
    names = [v.value for v in solutions.variables]
    return [
        {n: solution[n].value for n in names if solution[n] is not None} for solution in solutions
    ]


def _apply(
    rule: Rule,
    store: Any,
    articles: dict[str, str],
    evidence: _Evidence,
    corpus: Corpus,
) -> list[DerivedFact]:
    where = f"ontology/rules/{rule.name}.rq"
    try:
        rows = _select(store, rule.text)
    except (SyntaxError, ValueError, OSError) as exc:
        from kg.errors import one_line

        raise RuleError(f"{where}: {one_line(exc)}") from None
    groups: dict[tuple[str, str, tuple[str, ...]], set[str]] = defaultdict(set)
    for row in rows:
        if "subject" not in row or "object" not in row:
            raise RuleError(f"{where}: a row without ?subject or ?object")
        used = tuple(
            sorted(
                {articles[v] for k, v in row.items() if k.startswith("article") and v in articles}
            )
        )
        if not used:
            raise RuleError(f"{where}: a row names no article (?article…) of the corpus")
        sources = {v for k, v in row.items() if k.startswith("from")}
        groups[(row["subject"], row["object"], used)] |= sources
    published = {a: corpus.articles[a].published for a in corpus.articles}
    facts = []
    for (subject, obj, used), sources in groups.items():
        dates = tuple(published[a] for a in used)
        basis, as_of = timing(dates)
        found = sorted(
            {e for s in sources for a in used for e in evidence.get((s, a), ())},
            key=lambda e: (e.article, e.start or 0, e.end or 0),
        )
        facts.append(
            DerivedFact(
                rule,
                subject,
                str(rule.predicate),
                obj,
                tuple(sorted(sources)),
                used,
                dates,
                basis,
                as_of,
                tuple(found),
            )
        )
    return facts


def timing(dates: tuple[str | None, ...]) -> tuple[str, str | None]:
    """How a derivation's article dates relate, and the date it holds as of.

    >>> timing(("2020-03-02",)), timing((None,))
    (('same-article', '2020-03-02'), ('same-article', None))
    >>> timing(("2020-03-02", "2020-03-02")), timing(("2020-03-02", None))
    (('same-date', '2020-03-02'), ('across-dates', None))
    """
    if len(dates) == 1:
        return "same-article", dates[0]
    if all(dates) and len(set(dates)) == 1:
        return "same-date", dates[0]
    return "across-dates", None


def readable_quotes(corpus: Corpus) -> dict[tuple[str, int, int], str]:
    """The quotes of articles with pinyin inserts, without them: (article, start, end)
    -> readable text, only where it differs from the exact quote.

    Every evidence of a statement or a mention is the span of a quote of its fact file
    (an entity's, a fact's or the article header's), so the files are enough: the
    statements of unchanged articles need not be made again (:mod:`kg.buildcache`).
    """
    from kg import text

    out: dict[tuple[str, int, int], str] = {}
    for f in corpus.files:
        raw = f.article.text
        if text.strip_pinyin(raw).text == raw:  # most articles: nothing to strip
            continue
        spans = {q.span for q in f.article.quotes.values()}
        spans |= {e.quote.span for e in f.entities} | {fact.quote.span for fact in f.facts}
        for start, end in sorted(spans):
            readable = text.strip_pinyin(raw[start:end]).text
            if readable != raw[start:end]:
                out[(f.article.id, start, end)] = readable
    return out
