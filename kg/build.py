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
import itertools
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
        self.add_division_hierarchy()
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
                if key == "divisionCode":  # not in the article: its evidence is the table
                    self.add_reference_fact(s, self.schema[key], value.raw, str(value.raw))
                    continue
                self.add_fact(g, s, self.schema[key], value.raw, entity.quote, entity.article)

    # ------------------------------------------------------------ reference data

    def reference_graph(self) -> Graph:
        return self.dataset.graph(KGR["graph/reference"])

    def reference_record(self, division: Any) -> URIRef:
        """The node citing one row of the official division table, with its dataset."""
        from kg import gazetteer

        g = self.reference_graph()
        dataset = KGR["dataset/mca-xzqh"]
        if (dataset, RDF.type, KG.ReferenceDataset) not in g:
            source = gazetteer.SOURCE
            g.add((dataset, RDF.type, KG.ReferenceDataset))
            g.add((dataset, DCT.title, Literal(source["dataset"], lang="zh")))
            g.add((dataset, DCT.publisher, Literal(source["publisher"], lang="en")))
            g.add((dataset, DCT.identifier, Literal(source["dataset_table"])))
            g.add((dataset, KG.dataAsOf, Literal(source["data_as_of"], datatype=XSD.date)))
            g.add(
                (dataset, DCT.source, Literal(f"{source['package']} {source['package_version']}"))
            )
        record = KGR[f"record/mca-xzqh/{division.code}"]
        g.add((record, RDF.type, KG.ReferenceRecord))
        g.add((record, KG.dataset, dataset))
        g.add((record, KG.record, Literal(self.record_text(division))))
        return record

    @staticmethod
    def record_text(division: Any) -> str:
        from kg import gazetteer

        parent = gazetteer.lookup(division.parent) if division.parent else None
        above = f"; 上级 {parent.code} {parent.name}" if parent else ""
        return f"{division.code} {division.name}{above}"

    def reference_evidence(self, division: Any) -> dict[str, Any]:
        from kg import gazetteer

        source = gazetteer.SOURCE
        return {
            "article": "reference",
            "start": None,
            "end": None,
            "title": f"{source['dataset']} ({source['data_as_of']})",
            "quote": self.record_text(division),
        }

    def add_reference_fact(self, s: URIRef, spec: PropertySpec, value: Any, code: str) -> None:
        from kg import gazetteer

        self.add_fact(
            self.reference_graph(), s, spec, value, None, None, record=gazetteer.lookup(code)
        )

    def add_division_hierarchy(self) -> None:
        """Link every coded area up to its province, as the official table says.

        Ancestors are matched to the corpus by code, then by exact label and level (one
        candidate only); an ancestor no article names becomes an entity of its own, whose
        only evidence is the table's record.
        """
        from kg import gazetteer
        from kg.facts import DIVISION_LEVELS

        first: dict[str, Entity] = {}
        for entity in self.corpus.entities():
            first.setdefault(entity.id, entity)
        by_code: dict[str, str] = {}
        for entity in first.values():
            for value in entity.props.get("divisionCode", []):
                by_code.setdefault(str(value.raw), entity.id)
        part_of = self.schema["partOf"]
        for code in sorted(by_code):
            links = gazetteer.chain(code)
            for child, parent in itertools.pairwise(links):
                parent_id = by_code.get(parent.code)
                if parent_id is None:
                    parent_id = self.division_entity(parent, first, DIVISION_LEVELS)
                    by_code[parent.code] = parent_id
                self.add_fact(
                    self.reference_graph(),
                    entity_iri(by_code[child.code]),
                    part_of,
                    parent_id,
                    None,
                    None,
                    record=child,
                )

    def division_entity(
        self, division: Any, first: dict[str, Entity], levels: dict[str, str]
    ) -> str:
        """The corpus entity for an official division, or a new one from the table."""
        matches = [
            e
            for e in first.values()
            if e.label == division.name
            and levels.get(e.type) == division.level
            and not e.props.get("divisionCode")
        ]
        code_spec = self.schema["divisionCode"]
        if len(matches) == 1:
            s = entity_iri(matches[0].id)
            self.add_fact(
                self.reference_graph(), s, code_spec, division.code, None, None, record=division
            )
            return matches[0].id
        entity_id = f"cn-{division.code}"
        s = entity_iri(entity_id)
        kind = {v: k for k, v in levels.items()}[division.level]
        g = self.reference_graph()
        for cls in superclasses(self.classes[kind]):
            if cls.startswith(str(KG._NS)):
                g.add((s, RDF.type, cls))
        g.add((s, RDFS.label, Literal(division.name, lang="zh")))
        g.add((s, KG.evidence, self.reference_record(division)))
        self.nx.add_node(str(s), label=division.name, type=kind, alt_labels=[])
        self.node_evidence[str(s)].append(self.reference_evidence(division))
        self.add_fact(g, s, code_spec, division.code, None, None, record=division)
        self.labels[entity_id] = division.name
        return entity_id

    def composed_label(self, entity: Entity) -> str:
        if entity.type == "Post":
            where = _first(entity, "postIn")
            role = _first(entity, "role")
            return f"{self.labels.get(where, '')}{self.labels.get(role, '')}" or entity.id
        return metric_label(entity)

    def add_fact(
        self,
        g: Graph,
        s: URIRef,
        spec: PropertySpec,
        value: Any,
        quote: Quote | None,
        article_id: str | None,
        record: Any = None,
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
        if record is not None:
            g.add((st, KG.evidence, self.reference_record(record)))
            evidence = self.reference_evidence(record)
        else:
            g.add((st, KG.evidence, self.evidence(g, article_id, quote)))  # type: ignore[arg-type]
            evidence = self.evidence_record(article_id, quote)  # type: ignore[arg-type]
        if spec.kind == "entity":
            u, v = str(s), str(o)
            if not self.nx.has_edge(u, v, spec.key):
                self.nx.add_edge(
                    u, v, key=spec.key, predicate=str(spec.iri), label=predicate_label(spec.iri)
                )
            self.edge_evidence[(u, v, spec.key)].append(evidence)


def _evidence_key(e: dict[str, Any]) -> tuple[str, int, int, str]:
    return (e["article"], e["start"] or -1, e["end"] or -1, e["quote"])


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
