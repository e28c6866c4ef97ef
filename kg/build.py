"""Turn a validated corpus of facts into an RDF dataset and a networkx graph with the same IRIs.

Every fact becomes two things (the Wikidata "truthy plus statement" pattern):

* the plain triple, for easy queries: ``kgr:leixinqian kg:holds kgr:jinnan-secretary``;
* a ``kg:Statement`` (an ``rdf:Statement``) naming subject, predicate and object, with
  ``kg:evidence`` pointing at a ``kg:Evidence`` node: article, exact quote, start and end.

Entities carry ``kg:evidence`` for the quote that names them. Each article's triples go in
their own named graph, so TriG keeps which article said what; Turtle is the union.
IRIs are minted from the ids in the fact files only, never from labels or quotes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote as percent_encode

import networkx as nx
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg import text
from kg.facts import Corpus, Entity, Quote, load_corpus
from kg.ontology import (
    DCT,
    KG,
    KGR,
    PREFIXES,
    SCHEMA,
    PropertySpec,
    concepts,
    entity_classes,
    fact_schema,
    local_name,
    ontology_graph,
    superclasses,
)


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
    return KGR[f"graph/{percent_encode(article_id, safe='-._~')}"]


def evidence_iri(article_id: str, span: tuple[int, int]) -> URIRef:
    return KGR[f"evidence/{percent_encode(article_id, safe='-._~')}/{span[0]}-{span[1]}"]


def statement_iri(s: Node, p: Node, o: Node) -> URIRef:
    """Deterministic: the same fact from two articles is one statement with two evidences."""
    digest = hashlib.sha256(f"{s.n3()} {p.n3()} {o.n3()}".encode()).hexdigest()[:24]
    return KGR[f"statement/{digest}"]


@dataclass
class Build:
    """What a build produces; ``dataset`` and ``graph`` describe the same facts."""

    corpus: Corpus
    dataset: Dataset
    graph: nx.MultiDiGraph
    _store: Any = None

    def store(self) -> Any:
        """The dataset in an in-memory Oxigraph store, made once, for fast SPARQL."""
        if self._store is None:
            from kg.query import store_from_rdflib

            self._store = store_from_rdflib(self.dataset)
        return self._store

    def union(self) -> Graph:
        """All named graphs in one rdflib Graph (what ``kg.ttl`` holds)."""
        union = Graph()
        bind_prefixes(union)
        for context in self.dataset.graphs():
            for triple in context:
                union.add(triple)
        return union


def bind_prefixes(graph: Graph | Dataset) -> None:
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def literal_for(spec: PropertySpec, value: Any) -> Literal:
    """The RDF literal for a fact-file value; its form was validated when loading."""
    dtype = str(spec.range)
    if dtype.endswith("#decimal"):
        # Whole numbers as xsd:integer (a kind of xsd:decimal): Turtle writes a decimal
        # 205 as "205.0", which would not round-trip to the same term.
        text_value = str(value)
        return Literal(text_value, datatype=XSD.decimal if "." in text_value else XSD.integer)
    if dtype.endswith("#boolean"):
        return Literal(bool(value))
    if dtype.endswith("#langString"):
        return Literal(str(value), lang="zh")
    if spec.iri == KG.startDate:
        value = str(value)
        if value.startswith("--"):
            return Literal(value, datatype=XSD.gMonthDay)
        kind = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
        return Literal(value, datatype=kind)
    return Literal(str(value))


def original_form(label: str, raw: str, span: tuple[int, int]) -> str | None:
    """The label as the article writes it, when that differs (traditional characters).

    The quote may be in traditional characters with pinyin inserts; we find the label in the
    normalized quote, map it back to the raw text and drop the pinyin, keeping the
    traditional characters for a ``zh-Hant`` alternative label.
    """
    quoted = raw[span[0] : span[1]]
    normalized = text.normalize(quoted)
    at = normalized.text.find(label)
    if at < 0:
        return None
    start, end = normalized.to_raw(at, at + len(label))
    original = text.strip_pinyin(quoted[start:end]).text
    return original if original != label else None


class _Builder:
    def __init__(self, corpus: Corpus):
        self.corpus = corpus
        self.dataset = Dataset()
        bind_prefixes(self.dataset)
        self.nx = nx.MultiDiGraph()
        self.schema = fact_schema()
        self.classes = entity_classes()
        self.labels = {e.id: e.label for e in corpus.entities() if e.label}
        self.node_evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.edge_evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)

    def run(self) -> Build:
        self.nx.graph["title"] = "Jiedao KG"
        self.nx.graph["articles"] = {}
        for f in self.corpus.files:
            self.add_article(f.article)
            g = self.dataset.graph(graph_iri(f.article.id))
            for entity in f.entities:
                self.add_entity(g, entity)
            for fact in f.facts:
                spec = self.schema[fact.predicate.raw]
                self.add_fact(
                    g, entity_iri(fact.subject.raw), spec, fact.object.raw, fact.quote, f.article.id
                )
        for node, evidence in self.node_evidence.items():
            self.nx.nodes[node]["evidence"] = sorted(evidence, key=_evidence_key)
            self.nx.nodes[node]["articles"] = sorted({e["article"] for e in evidence})
        for (u, v, key), evidence in self.edge_evidence.items():
            self.nx.edges[u, v, key]["evidence"] = sorted(evidence, key=_evidence_key)
        return Build(self.corpus, self.dataset, self.nx)

    def add_article(self, article: Any) -> None:
        g = self.dataset.graph(graph_iri(article.id))
        a = article_iri(article.id)
        g.add((a, RDF.type, KG.Article))
        g.add((a, DCT.title, Literal(article.title, lang="zh")))
        g.add((a, DCT.identifier, Literal(article.id)))
        g.add((a, KG.file, Literal(f"articles/{article.file}")))
        g.add((a, KG.sha256, Literal(article.sha256)))
        if article.source:
            g.add((a, DCT.publisher, Literal(article.source, lang="zh")))
        if article.published:
            g.add((a, SCHEMA.datePublished, Literal(article.published, datatype=XSD.date)))
        for quote in article.quotes.values():
            g.add((a, KG.evidence, self.evidence(g, article.id, quote)))
        self.nx.graph["articles"][article.id] = {
            "title": article.title,
            "file": f"articles/{article.file}",
            "iri": str(a),
        }

    def evidence(self, g: Graph, article_id: str, quote: Quote) -> URIRef:
        ev = evidence_iri(article_id, quote.span)
        start, end = quote.span
        exact = self.corpus.articles[article_id].text[start:end]
        g.add((ev, RDF.type, KG.Evidence))
        g.add((ev, KG.article, article_iri(article_id)))
        g.add((ev, KG.quote, Literal(exact)))
        g.add((ev, KG.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((ev, KG.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        return ev

    def evidence_record(self, article_id: str, quote: Quote) -> dict[str, Any]:
        start, end = quote.span
        article = self.corpus.articles[article_id]
        return {
            "article": article_id,
            "title": article.title,
            "quote": article.text[start:end],
            "start": start,
            "end": end,
        }

    def add_entity(self, g: Graph, entity: Entity) -> None:
        s = entity_iri(entity.id)
        # Superclass types are materialized so that `?x a kg:Person` finds officials too,
        # in any SPARQL engine, without inference.
        for cls in superclasses(self.classes[entity.type]):
            if cls.startswith(str(KG._NS)):
                g.add((s, RDF.type, cls))
        label = entity.label or self.composed_label(entity)
        g.add((s, RDFS.label, Literal(label, lang="zh")))
        for alt in entity.alt_labels:
            g.add((s, SKOS.altLabel, Literal(alt, lang="zh")))
        raw = self.corpus.articles[entity.article].text
        original = original_form(label, raw, entity.quote.span) if entity.label else None
        if original:
            g.add((s, SKOS.altLabel, Literal(original, lang="zh-Hant")))
        g.add((s, KG.evidence, self.evidence(g, entity.article, entity.quote)))

        node = str(s)
        attrs = self.nx.nodes[node] if node in self.nx else {}
        alt_labels = set(attrs.get("alt_labels", [])) | set(entity.alt_labels)
        if original:
            alt_labels.add(original)
        self.nx.add_node(node, label=label, type=entity.type, alt_labels=sorted(alt_labels))
        self.node_evidence[node].append(self.evidence_record(entity.article, entity.quote))
        if entity.type == "Metric":
            self.nx.nodes[node].update(metric_attrs(entity))
        for key, values in entity.props.items():
            for value in values:
                self.add_fact(g, s, self.schema[key], value.raw, entity.quote, entity.article)

    def composed_label(self, entity: Entity) -> str:
        if entity.type == "Post":
            where = _first(entity, "postIn")
            role = _first(entity, "role")
            return f"{self.labels.get(where, '')}{self.labels.get(role, '')}" or entity.id
        return metric_label(entity)

    def add_fact(
        self, g: Graph, s: URIRef, spec: PropertySpec, value: Any, quote: Quote, article_id: str
    ) -> None:
        if spec.kind == "entity":
            o: Node = entity_iri(value)
        elif spec.kind == "concept":
            o = concepts(spec.range)[value]  # type: ignore[arg-type]
            # The concept's own description travels with the data, so that queries on the
            # exported file alone can read its notation and label.
            for triple in ontology_graph().triples((o, None, None)):
                g.add(triple)
        else:
            o = literal_for(spec, value)
        g.add((s, spec.iri, o))
        st = statement_iri(s, spec.iri, o)
        g.add((st, RDF.type, KG.Statement))
        g.add((st, RDF.subject, s))
        g.add((st, RDF.predicate, spec.iri))
        g.add((st, RDF.object, o))
        g.add((st, KG.evidence, self.evidence(g, article_id, quote)))
        if spec.kind == "entity":
            u, v = str(s), str(o)
            if not self.nx.has_edge(u, v, spec.key):
                self.nx.add_edge(
                    u, v, key=spec.key, predicate=str(spec.iri), label=predicate_label(spec.iri)
                )
            self.edge_evidence[(u, v, spec.key)].append(self.evidence_record(article_id, quote))


def _evidence_key(e: dict[str, Any]) -> tuple[str, int, int]:
    return (e["article"], e["start"], e["end"])


def predicate_label(iri: URIRef) -> str:
    label = ontology_graph().value(iri, RDFS.label, any=True)
    for candidate in ontology_graph().objects(iri, RDFS.label):
        if getattr(candidate, "language", None) == "zh":
            label = candidate
    return str(label) if label is not None else local_name(iri)


def _first(entity: Entity, key: str) -> Any:
    values = entity.props.get(key)
    return values[0].raw if values else None


def metric_label(entity: Entity) -> str:
    """A readable label for a metric, built only from its sourced parts."""
    indicator = _first(entity, "indicator") or "指标"
    value = _first(entity, "value")
    if value is None:
        return f"{indicator}（数值缺失）"
    return f"{indicator} {value}{_first(entity, 'scale') or ''}{_first(entity, 'unit') or ''}"


def metric_attrs(entity: Entity) -> dict[str, Any]:
    value = _first(entity, "value")
    return {
        "indicator": _first(entity, "indicator"),
        "value": None if value is None else str(value),
        "value_missing": bool(_first(entity, "valueMissing")),
        "unit": _first(entity, "unit"),
        "scale": _first(entity, "scale"),
        "qualifier": _first(entity, "qualifier"),
        "kind": _first(entity, "kind"),
        "period": _first(entity, "refPeriod"),
    }


def build_corpus(corpus: Corpus) -> Build:
    """Build the dataset and graph from an already loaded corpus."""
    return _Builder(corpus).run()


def build(data_dir: str | Path = "data", *, validate: bool = True) -> Build:
    """Load ``data_dir/facts`` and ``data_dir/articles``, check, build, and SHACL-validate.

    Raises :class:`kg.facts.FactError` for bad fact files and :class:`ShapeError` when the
    built graph breaks a shape of ``ontology/shapes.ttl``.
    """
    result = build_corpus(load_corpus(Path(data_dir)))
    if validate:
        from kg.validate import check_shapes

        where: dict[str, object] = {}
        for entity in result.corpus.entities():
            where.setdefault(str(entity_iri(entity.id)), entity.where)
        check_shapes(result.union(), where)
    return result
