"""Statements as RDF: IRIs minted from ids, and N-Triples lines per named graph.

Every fact becomes two things (the Wikidata "truthy plus statement" pattern):

* the plain triple, for easy queries: ``kgr:lei-xinqian kg:holds kgr:jinnan-…-shuji``;
* a ``kg:Statement`` (an ``rdf:Statement``) naming subject, predicate and object, with
  ``kg:evidence`` pointing at a ``kg:Evidence`` node (article, exact quote, start, end)
  or, for what the division table says, at its ``kg:ReferenceRecord``.

Entities carry ``kg:evidence`` for the quote that names them. Each article's triples go in
their own named graph, so TriG keeps which article said what; Turtle is the union. IRIs
are minted from the ids in the fact files only, never from labels or quotes.

The lines are strings, not rdflib terms: at a million triples, making term objects cost
more than the rest of the build. They go straight into Oxigraph and into sorted,
byte-stable exports.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote as percent_encode

from rdflib import RDF, RDFS, SKOS, XSD, Literal, URIRef
from rdflib.term import Node

from kg.ontology import DCT, KG, KGR, SCHEMA, ontology_graph
from kg.statements import REFERENCE, Evidence, Mention, Statement, Statements


def entity_iri(entity_id: str) -> URIRef:
    """IRI of an entity: the id, percent-encoded, under ``kgr:``.

    >>> entity_iri("leixinqian")
    rdflib.term.URIRef('https://w3id.org/jiedao-kg/id/leixinqian')
    >>> entity_iri("锦南")
    rdflib.term.URIRef('https://w3id.org/jiedao-kg/id/%E9%94%A6%E5%8D%97')
    """
    return KGR[percent_encode(entity_id, safe="-._~")]


def article_iri(article_id: str) -> URIRef:
    return KGR[f"article/{percent_encode(article_id, safe='-._~')}"]


def graph_iri(article_id: str) -> URIRef:
    """The named graph of an article (``reference`` for the division table's)."""
    return KGR[f"graph/{percent_encode(article_id, safe='-._~')}"]


def evidence_iri(article_id: str, span: tuple[int, int]) -> URIRef:
    return KGR[f"evidence/{percent_encode(article_id, safe='-._~')}/{span[0]}-{span[1]}"]


def statement_iri(s: str, p: str, o: str) -> URIRef:
    """Deterministic: the same fact from two articles is one statement with two evidences.

    The terms are N-Triples (``<iri>``, ``"text"@zh``).
    """
    digest = hashlib.sha256(f"{s} {p} {o}".encode()).hexdigest()[:24]
    return KGR[f"statement/{digest}"]


def record_iri(code: str) -> URIRef:
    return KGR[f"record/mca-xzqh/{code}"]


DATASET_IRI = KGR["dataset/mca-xzqh"]

# ---------------------------------------------------------------- N-Triples terms

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_literal(lexical: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    """An N-Triples literal.

    >>> nt_literal('say "hi"', lang="zh")
    '"say \\\\"hi\\\\""@zh'
    """
    body = '"' + lexical.translate(_ESCAPES) + '"'
    if lang:
        return f"{body}@{lang}"
    if datatype and datatype != str(XSD.string):
        return f"{body}^^<{datatype}>"
    return body


def nt(term: Node) -> str:
    """An rdflib term as N-Triples."""
    if isinstance(term, Literal):
        return nt_literal(
            str(term), lang=term.language, datatype=str(term.datatype) if term.datatype else None
        )
    return f"<{term}>"


@functools.lru_cache(maxsize=1 << 16)
def _entity(entity_id: str) -> str:
    return f"<{entity_iri(entity_id)}>"


def _iri(node: Any) -> str:
    return f"<{node}>"


TYPE = _iri(RDF.type)
LABEL, ALT = _iri(RDFS.label), _iri(SKOS.altLabel)
EVIDENCE, ARTICLE, QUOTE = _iri(KG.evidence), _iri(KG.article), _iri(KG.quote)
START, END = _iri(KG.start), _iri(KG.end)
SUBJECT, PREDICATE, OBJECT = _iri(RDF.subject), _iri(RDF.predicate), _iri(RDF.object)
_NNI = str(XSD.nonNegativeInteger)


def literal(spec: Any, value: Any) -> str:
    """The N-Triples literal of a fact-file value, as its datatype writes it."""
    from kg.schema import DATATYPES

    lexical, datatype, lang = DATATYPES[str(spec.range)].lexical(value)
    return nt_literal(lexical, lang=lang, datatype=datatype)


# ---------------------------------------------------------------- lines


class _Lines:
    """N-Triples lines per named graph; each evidence and record node written once."""

    def __init__(self, texts: Mapping[str, str], divisions: Mapping[str, Any]):
        from kg.schema import entity_classes, properties, superclasses

        self.texts, self.divisions = texts, divisions
        self.graphs: dict[str, set[str]] = {}
        self.specs = properties()
        self.types = {
            name: [_iri(c) for c in superclasses(cls)] for name, cls in entity_classes().items()
        }
        self.predicates = {key: _iri(spec.iri) for key, spec in self.specs.items()}
        self.done: set[tuple[str, Any]] = set()
        self.concept_lines: dict[str, list[tuple[str, str, str]]] = {}

    def graph(self, name: str) -> set[str]:
        g = self.graphs.get(name)
        if g is None:
            g = self.graphs[name] = set()
        return g

    def emit(self, graph: str, s: str, p: str, o: str) -> None:
        self.graph(graph).add(f"{s} {p} {o} .")

    def evidence(self, graph: str, evidence: Evidence) -> str:
        if evidence.record is not None:
            return self.record(evidence.record)
        span = (evidence.start or 0, evidence.end or 0)
        ev = _iri(evidence_iri(evidence.article, span))
        if (graph, ev) in self.done:  # one quote is usually the evidence of several facts
            return ev
        self.done.add((graph, ev))
        exact = self.texts[evidence.article][span[0] : span[1]]
        self.emit(graph, ev, TYPE, _iri(KG.Evidence))
        self.emit(graph, ev, ARTICLE, _iri(article_iri(evidence.article)))
        self.emit(graph, ev, QUOTE, nt_literal(exact))
        self.emit(graph, ev, START, nt_literal(str(span[0]), datatype=_NNI))
        self.emit(graph, ev, END, nt_literal(str(span[1]), datatype=_NNI))
        return ev

    def record(self, code: str) -> str:
        """The node citing one row of the official division table, with its dataset."""
        from kg import gazetteer

        record = _iri(record_iri(code))
        if (REFERENCE, record) in self.done:
            return record
        self.done.add((REFERENCE, record))
        dataset = _iri(DATASET_IRI)
        if (REFERENCE, dataset) not in self.done:
            self.done.add((REFERENCE, dataset))
            source = gazetteer.SOURCE
            self.emit(REFERENCE, dataset, TYPE, _iri(KG.ReferenceDataset))
            self.emit(REFERENCE, dataset, _iri(DCT.title), nt_literal(source["dataset"], lang="zh"))
            self.emit(
                REFERENCE, dataset, _iri(DCT.publisher), nt_literal(source["publisher"], lang="en")
            )
            self.emit(REFERENCE, dataset, _iri(DCT.identifier), nt_literal(source["dataset_table"]))
            as_of = nt_literal(source["data_as_of"], datatype=str(XSD.date))
            self.emit(REFERENCE, dataset, _iri(KG.dataAsOf), as_of)
            package = f"{source['package']} {source['package_version']}"
            self.emit(REFERENCE, dataset, _iri(DCT.source), nt_literal(package))
        self.emit(REFERENCE, record, TYPE, _iri(KG.ReferenceRecord))
        self.emit(REFERENCE, record, _iri(KG.dataset), dataset)
        text = record_text(self.divisions[code])
        self.emit(REFERENCE, record, _iri(KG.record), nt_literal(text))
        return record

    def article(self, article: Any) -> None:
        g, a = article.id, _iri(article_iri(article.id))
        self.emit(g, a, TYPE, _iri(KG.Article))
        self.emit(g, a, _iri(DCT.title), nt_literal(article.title, lang="zh"))
        self.emit(g, a, _iri(DCT.identifier), nt_literal(article.id))
        self.emit(g, a, _iri(KG.file), nt_literal(f"articles/{article.file}"))
        self.emit(g, a, _iri(KG.sha256), nt_literal(article.sha256))
        if article.source:
            self.emit(g, a, _iri(DCT.publisher), nt_literal(article.source, lang="zh"))
        if article.published:
            date = nt_literal(article.published, datatype=str(XSD.date))
            self.emit(g, a, _iri(SCHEMA.datePublished), date)
        for quote in article.quotes.values():
            ev = Evidence(article.id, quote.span[0], quote.span[1])
            self.emit(g, a, EVIDENCE, self.evidence(g, ev))

    def mention(self, m: Mention) -> None:
        s = _entity(m.id)
        # Superclass types are materialized so that `?x a kg:Person` finds officials too,
        # in any SPARQL engine, without inference.
        for cls in self.types[m.type]:
            self.emit(m.graph, s, TYPE, cls)
        self.emit(m.graph, s, LABEL, nt_literal(m.label, lang="zh"))
        for alt in m.alt_labels:
            self.emit(m.graph, s, ALT, nt_literal(alt, lang="zh"))
        if m.original:
            # Lower case, as Oxigraph and Virtuoso store tags (RDF compares them so).
            self.emit(m.graph, s, ALT, nt_literal(m.original, lang="zh-hant"))
        self.emit(m.graph, s, EVIDENCE, self.evidence(m.graph, m.evidence))

    def concept(self, graph: str, iri: URIRef) -> str:
        key = str(iri)
        if key not in self.concept_lines:
            self.concept_lines[key] = [
                (nt(s), nt(p), nt(o)) for s, p, o in ontology_graph().triples((iri, None, None))
            ]
        # The concept's own description travels with the data, so that queries on the
        # exported file alone can read its notation and label.
        for triple in self.concept_lines[key]:
            self.emit(graph, *triple)
        return _iri(iri)

    def statement(self, st: Statement) -> None:
        from kg.schema import concepts

        spec = self.specs[st.key]
        s, p = _entity(st.subject), self.predicates[st.key]
        if spec.kind == "entity":
            o = _entity(st.value)
        elif spec.kind == "concept":
            o = self.concept(st.graph, concepts(spec.range)[st.value])  # type: ignore[arg-type]
        else:
            o = literal(spec, st.value)
        g = st.graph
        self.emit(g, s, p, o)
        node = _iri(statement_iri(s, p, o))
        self.emit(g, node, TYPE, _iri(KG.Statement))
        self.emit(g, node, SUBJECT, s)
        self.emit(g, node, PREDICATE, p)
        self.emit(g, node, OBJECT, o)
        self.emit(g, node, EVIDENCE, self.evidence(g, st.evidence))


def record_text(division: Any) -> str:
    """A division table row as the graph cites it: code, name, and the division above."""
    from kg import gazetteer

    parent = gazetteer.lookup(division.parent) if division.parent else None
    above = f"; 上级 {parent.code} {parent.name}" if parent else ""
    return f"{division.code} {division.name}{above}"


def graph_name(article_id: str) -> str:
    """The graph IRI as N-Triples, the key of :attr:`kg.builder.Build.graphs`."""
    return _iri(graph_iri(article_id))


def article_lines(
    article: Any, mentions: Iterable[Mention], statements: Iterable[Statement]
) -> set[str]:
    """The lines of one article's graph: the article, its mentions and its statements."""
    out = _Lines({article.id: article.text}, {})
    out.graph(article.id)
    out.article(article)
    for m in mentions:
        out.mention(m)
    for st in statements:
        out.statement(st)
    return out.graphs[article.id]


def lines(made: Statements) -> dict[str, set[str]]:
    """Every graph of ``made`` as :func:`article_lines` and :func:`reference_lines` make
    them, keyed by :func:`graph_name` (what :func:`kg.builder.build_corpus` gives without
    a cache); the division table's graph only when it is used."""
    mentions: dict[str, list[Mention]] = {}
    found: dict[str, list[Statement]] = {}
    for m in made.mentions:
        mentions.setdefault(m.graph, []).append(m)
    for st in made.statements:
        found.setdefault(st.graph, []).append(st)
    out = {
        graph_name(f.article.id): article_lines(
            f.article, mentions.get(f.article.id, ()), found.get(f.article.id, ())
        )
        for f in made.corpus.files
    }
    reference = reference_lines(made)
    if reference:
        out[graph_name(REFERENCE)] = reference
    return out


def reference_lines(made: Statements) -> set[str]:
    """The lines of the division table's graph (empty when no code is cited)."""
    out = _Lines({}, made.divisions)
    out.graph(REFERENCE)
    for m in made.mentions:
        if m.graph == REFERENCE:
            out.mention(m)
    for st in made.statements:
        if st.graph == REFERENCE:
            out.statement(st)
    return out.graphs[REFERENCE]
