"""Turn a validated corpus of facts into RDF (one named graph per article) and, on demand,
a networkx graph with the same IRIs.

Every fact becomes two things (the Wikidata "truthy plus statement" pattern):

* the plain triple, for easy queries: ``kgr:leixinqian kg:holds kgr:jinnan-secretary``;
* a ``kg:Statement`` (an ``rdf:Statement``) naming subject, predicate and object, with
  ``kg:evidence`` pointing at a ``kg:Evidence`` node: article, exact quote, start and end.

Entities carry ``kg:evidence`` for the quote that names them. Each article's triples go in
their own named graph, so TriG keeps which article said what; Turtle is the union.
IRIs are minted from the ids in the fact files only, never from labels or quotes.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote as percent_encode

import networkx as nx
from rdflib import RDF, RDFS, SKOS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg import text
from kg.facts import Corpus, Entity, Progress, Quote, load_corpus
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


def statement_iri(s: str, p: str, o: str) -> URIRef:
    """Deterministic: the same fact from two articles is one statement with two evidences.

    The terms are N-Triples (``<iri>``, ``"text"@zh``).
    """
    digest = hashlib.sha256(f"{s} {p} {o}".encode()).hexdigest()[:24]
    return KGR[f"statement/{digest}"]


# ---------------------------------------------------------------- N-Triples terms
#
# The builder writes N-Triples terms as strings: at a million triples, making rdflib
# (or even pyoxigraph) term objects for every triple cost more than the rest of the
# build. Lines go straight into Oxigraph and into sorted, byte-stable exports.

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_literal(lexical: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    r"""An N-Triples literal.

    >>> nt_literal('say "hi"', lang="zh")
    '"say \\"hi\\""@zh'
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
            str(term),
            lang=term.language,
            datatype=str(term.datatype) if term.datatype else None,
        )
    return f"<{term}>"


_RDF_TYPE = nt(RDF.type)
_P = {
    name: f"<{iri}>"
    for name, iri in {
        "label": RDFS.label,
        "altLabel": SKOS.altLabel,
        "evidence": KG.evidence,
        "article": KG.article,
        "quote": KG.quote,
        "start": KG.start,
        "end": KG.end,
        "subject": RDF.subject,
        "predicate": RDF.predicate,
        "object": RDF.object,
        "Evidence": KG.Evidence,
        "Statement": KG.Statement,
    }.items()
}


@functools.lru_cache(maxsize=1 << 16)
def _entity(entity_id: str) -> str:
    return f"<{entity_iri(entity_id)}>"


def _iri(node: Node) -> str:
    return f"<{node}>"


class Build:
    """What a build produces: every graph's triples, and views of them made on demand.

    The triples are kept as N-Triples lines per named graph (one per article, plus the
    reference graph). Everything else is derived when first asked for: an Oxigraph store
    (:meth:`store`, for SPARQL), the rdflib :attr:`dataset` and :meth:`union` (for
    rdflib users; slow at scale), and the networkx :attr:`graph` (viewer, analytics).
    """

    def __init__(self, corpus: Corpus, graphs: dict[str, set[str]]):
        self.corpus = corpus
        self.graphs = graphs
        self._store: Any = None

    @functools.cached_property
    def triples(self) -> list[str]:
        """The union of all graphs: sorted, distinct N-Triples lines (without newline)."""
        lines: set[str] = set()
        for graph in self.graphs.values():
            lines.update(graph)
        return sorted(lines)

    @property
    def triple_count(self) -> int:
        return len(self.triples)

    def ntriples(self) -> bytes:
        """The union as sorted N-Triples: byte-stable for the same facts."""
        return ("\n".join(self.triples) + "\n").encode() if self.triples else b""

    def nquads(self) -> bytes:
        """Every graph as sorted N-Quads: byte-stable for the same facts."""
        lines = [f"{line[:-2]} {graph} ." for graph, lines in self.graphs.items() for line in lines]
        lines.sort()
        return ("\n".join(lines) + "\n").encode() if lines else b""

    def count(self, rdf_class: URIRef) -> int:
        """Distinct subjects typed ``rdf_class`` in the union."""
        suffix = f" {_RDF_TYPE} <{rdf_class}> ."
        return sum(1 for line in self.triples if line.endswith(suffix))

    def store(self) -> Any:
        """The build in an in-memory Oxigraph store, made once, for fast SPARQL.

        Named graphs as built, and their union in the default graph, so that queries
        without ``GRAPH`` see every fact once.
        """
        if self._store is None:
            self._store = self.load_into(ox_store())
        return self._store

    def load_into(self, store: Any, *, bulk: bool = False) -> Any:
        """Add this build to an Oxigraph store; return the store.

        ``bulk`` uses Oxigraph's bulk loader, made for on-disk stores; for one in memory
        the plain loader is faster (4 s against 6 s for a million quads).
        """
        import pyoxigraph as ox

        load = store.bulk_load if bulk else store.load
        load(self.nquads(), format=ox.RdfFormat.N_QUADS)
        load(self.ntriples(), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
        return store

    @functools.cached_property
    def dataset(self) -> Dataset:
        """The build as an rdflib Dataset, one graph per article (parsed on first use)."""
        dataset = Dataset()
        bind_prefixes(dataset)
        dataset.parse(data=self.nquads(), format="nquads")
        return dataset

    def union(self) -> Graph:
        """All named graphs in one rdflib Graph (what ``kg.ttl`` holds)."""
        return self._union

    @functools.cached_property
    def _union(self) -> Graph:
        union = Graph()
        bind_prefixes(union)
        union.parse(data=self.ntriples(), format="nt")
        return union

    @functools.cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The property graph (networkx) with the same IRIs, made on first use."""
        return _Builder(self.corpus, rdf=False, nx_graph=True).run().nx_graph


def ox_store(path: str | Path | None = None) -> Any:
    import pyoxigraph as ox

    return ox.Store(str(path)) if path is not None else ox.Store()


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


_REFERENCE_GRAPH = f"<{KGR['graph/reference']}>"
_XSD_NNI = str(XSD.nonNegativeInteger)


class _Builder:
    """One walk over the corpus that writes RDF lines, a networkx graph, or both.

    The two outputs are made by the same walk so they cannot disagree; the build makes
    the RDF, and the networkx graph is made by a second walk only when someone asks.
    """

    def __init__(
        self,
        corpus: Corpus,
        *,
        rdf: bool = True,
        nx_graph: bool = False,
        progress: Progress | None = None,
    ):
        self.corpus = corpus
        self.progress = progress
        self.rdf = rdf
        self.graphs: dict[str, set[str]] = {}
        self.nx_graph = nx.MultiDiGraph() if nx_graph else None
        self.schema = fact_schema()
        self.classes = entity_classes()
        self.labels = {e.id: e.label for e in corpus.entities() if e.label}
        self.node_evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.edge_evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        self.types = {
            name: [_iri(c) for c in superclasses(cls) if c.startswith(str(KG._NS))]
            for name, cls in self.classes.items()
        }
        self.concept_lines: dict[str, list[tuple[str, str, str]]] = {}
        self.done_records: set[str] = set()
        self.done_evidence: dict[tuple[str, str, tuple[int, int]], str] = {}

    def emit(self, g: str, s: str, p: str, o: str) -> None:
        if self.rdf:
            self.graphs[g].add(f"{s} {p} {o} .")

    def run(self) -> _Builder:
        if self.nx_graph is not None:
            self.nx_graph.graph["title"] = "Jiedao KG"
            self.nx_graph.graph["articles"] = {}
        self.graphs[_REFERENCE_GRAPH] = set()
        for done, f in enumerate(self.corpus.files, 1):
            if self.progress and done % 50 == 0:
                self.progress("building triples", done, len(self.corpus.files))
            g = _iri(graph_iri(f.article.id))
            self.graphs[g] = set()
            self.add_article(g, f.article)
            for entity in f.entities:
                self.add_entity(g, entity)
            for fact in f.facts:
                spec = self.schema[fact.predicate.raw]
                self.add_fact(
                    g, _entity(fact.subject.raw), spec, fact.object.raw, fact.quote, f.article.id
                )
        self.add_division_hierarchy()
        if not self.graphs[_REFERENCE_GRAPH]:
            del self.graphs[_REFERENCE_GRAPH]
        if self.nx_graph is not None:
            for node, evidence in self.node_evidence.items():
                self.nx_graph.nodes[node]["evidence"] = sorted(evidence, key=_evidence_key)
                self.nx_graph.nodes[node]["articles"] = sorted({e["article"] for e in evidence})
            for (u, v, key), evidence in self.edge_evidence.items():
                self.nx_graph.edges[u, v, key]["evidence"] = sorted(evidence, key=_evidence_key)
        return self

    def add_article(self, g: str, article: Any) -> None:
        a = _iri(article_iri(article.id))
        self.emit(g, a, _RDF_TYPE, _iri(KG.Article))
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
            self.emit(g, a, _P["evidence"], self.evidence(g, article.id, quote))
        if self.nx_graph is not None:
            self.nx_graph.graph["articles"][article.id] = {
                "title": article.title,
                "file": f"articles/{article.file}",
                "iri": str(article_iri(article.id)),
            }

    def evidence(self, g: str, article_id: str, quote: Quote) -> str:
        key = (g, article_id, quote.span)
        if key in self.done_evidence:  # one quote is usually the evidence of several facts
            return self.done_evidence[key]
        ev = _iri(evidence_iri(article_id, quote.span))
        self.done_evidence[key] = ev
        if not self.rdf:
            return ev
        start, end = quote.span
        exact = self.corpus.articles[article_id].text[start:end]
        self.emit(g, ev, _RDF_TYPE, _P["Evidence"])
        self.emit(g, ev, _P["article"], _iri(article_iri(article_id)))
        self.emit(g, ev, _P["quote"], nt_literal(exact))
        self.emit(g, ev, _P["start"], nt_literal(str(start), datatype=_XSD_NNI))
        self.emit(g, ev, _P["end"], nt_literal(str(end), datatype=_XSD_NNI))
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

    def add_entity(self, g: str, entity: Entity) -> None:
        s = _entity(entity.id)
        # Superclass types are materialized so that `?x a kg:Person` finds officials too,
        # in any SPARQL engine, without inference.
        for cls in self.types[entity.type]:
            self.emit(g, s, _RDF_TYPE, cls)
        label = entity.label or self.composed_label(entity)
        self.emit(g, s, _P["label"], nt_literal(label, lang="zh"))
        for alt in entity.alt_labels:
            self.emit(g, s, _P["altLabel"], nt_literal(alt, lang="zh"))
        raw = self.corpus.articles[entity.article].text
        original = original_form(label, raw, entity.quote.span) if entity.label else None
        if original:
            # Lower case, as Oxigraph and Virtuoso store tags (RDF compares them so).
            self.emit(g, s, _P["altLabel"], nt_literal(original, lang="zh-hant"))
        self.emit(g, s, _P["evidence"], self.evidence(g, entity.article, entity.quote))

        if self.nx_graph is not None:
            node = s[1:-1]
            attrs = self.nx_graph.nodes[node] if node in self.nx_graph else {}
            alt_labels = set(attrs.get("alt_labels", [])) | set(entity.alt_labels)
            if original:
                alt_labels.add(original)
            self.nx_graph.add_node(
                node, label=label, type=entity.type, alt_labels=sorted(alt_labels)
            )
            self.node_evidence[node].append(self.evidence_record(entity.article, entity.quote))
            if entity.type == "Metric":
                self.nx_graph.nodes[node].update(metric_attrs(entity))
        for key, values in entity.props.items():
            for value in values:
                if key == "divisionCode":  # not in the article: its evidence is the table
                    self.add_reference_fact(s, self.schema[key], value.raw, str(value.raw))
                    continue
                self.add_fact(g, s, self.schema[key], value.raw, entity.quote, entity.article)

    # ------------------------------------------------------------ reference data

    def reference_record(self, division: Any) -> str:
        """The node citing one row of the official division table, with its dataset."""
        from kg import gazetteer

        g = _REFERENCE_GRAPH
        dataset = _iri(KGR["dataset/mca-xzqh"])
        record = _iri(KGR[f"record/mca-xzqh/{division.code}"])
        if record in self.done_records or not self.rdf:
            return record
        self.done_records.add(record)
        if dataset not in self.done_records:
            self.done_records.add(dataset)
            source = gazetteer.SOURCE
            self.emit(g, dataset, _RDF_TYPE, _iri(KG.ReferenceDataset))
            self.emit(g, dataset, _iri(DCT.title), nt_literal(source["dataset"], lang="zh"))
            self.emit(g, dataset, _iri(DCT.publisher), nt_literal(source["publisher"], lang="en"))
            self.emit(g, dataset, _iri(DCT.identifier), nt_literal(source["dataset_table"]))
            as_of = nt_literal(source["data_as_of"], datatype=str(XSD.date))
            self.emit(g, dataset, _iri(KG.dataAsOf), as_of)
            package = f"{source['package']} {source['package_version']}"
            self.emit(g, dataset, _iri(DCT.source), nt_literal(package))
        self.emit(g, record, _RDF_TYPE, _iri(KG.ReferenceRecord))
        self.emit(g, record, _iri(KG.dataset), dataset)
        self.emit(g, record, _iri(KG.record), nt_literal(self.record_text(division)))
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

    def add_reference_fact(self, s: str, spec: PropertySpec, value: Any, code: str) -> None:
        from kg import gazetteer

        self.add_fact(_REFERENCE_GRAPH, s, spec, value, None, None, record=gazetteer.lookup(code))

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
        by_label: dict[tuple[str, str], list[Entity]] = defaultdict(list)
        for e in first.values():
            if e.label and e.type in DIVISION_LEVELS and not e.props.get("divisionCode"):
                by_label[(e.label, DIVISION_LEVELS[e.type])].append(e)
        for code in sorted(by_code):
            links = gazetteer.chain(code)
            for child, parent in itertools.pairwise(links):
                parent_id = by_code.get(parent.code)
                if parent_id is None:
                    parent_id = self.division_entity(parent, by_label, DIVISION_LEVELS)
                    by_code[parent.code] = parent_id
                self.add_fact(
                    _REFERENCE_GRAPH,
                    _entity(by_code[child.code]),
                    part_of,
                    parent_id,
                    None,
                    None,
                    record=child,
                )

    def division_entity(
        self,
        division: Any,
        by_label: dict[tuple[str, str], list[Entity]],
        levels: dict[str, str],
    ) -> str:
        """The corpus entity for an official division, or a new one from the table."""
        matches = by_label.get((division.name, division.level), [])
        code_spec = self.schema["divisionCode"]
        g = _REFERENCE_GRAPH
        if len(matches) == 1:
            s = _entity(matches[0].id)
            self.add_fact(g, s, code_spec, division.code, None, None, record=division)
            return matches[0].id
        entity_id = f"cn-{division.code}"
        s = _entity(entity_id)
        kind = {v: k for k, v in levels.items()}[division.level]
        for cls in self.types[kind]:
            self.emit(g, s, _RDF_TYPE, cls)
        self.emit(g, s, _P["label"], nt_literal(division.name, lang="zh"))
        self.emit(g, s, _P["evidence"], self.reference_record(division))
        if self.nx_graph is not None:
            self.nx_graph.add_node(s[1:-1], label=division.name, type=kind, alt_labels=[])
            self.node_evidence[s[1:-1]].append(self.reference_evidence(division))
        self.add_fact(g, s, code_spec, division.code, None, None, record=division)
        self.labels[entity_id] = division.name
        return entity_id

    def composed_label(self, entity: Entity) -> str:
        if entity.type == "Post":
            where = _first(entity, "postIn")
            role = _first(entity, "role")
            return f"{self.labels.get(where, '')}{self.labels.get(role, '')}" or entity.id
        return metric_label(entity)

    def concept(self, g: str, spec: PropertySpec, value: str) -> str:
        o = concepts(spec.range)[value]  # type: ignore[arg-type]
        key = str(o)
        if key not in self.concept_lines:
            self.concept_lines[key] = [
                (nt(s), nt(p), nt(obj)) for s, p, obj in ontology_graph().triples((o, None, None))
            ]
        # The concept's own description travels with the data, so that queries on the
        # exported file alone can read its notation and label.
        for triple in self.concept_lines[key]:
            self.emit(g, *triple)
        return _iri(o)

    def add_fact(
        self,
        g: str,
        s: str,
        spec: PropertySpec,
        value: Any,
        quote: Quote | None,
        article_id: str | None,
        record: Any = None,
    ) -> None:
        p = _iri(spec.iri)
        if spec.kind == "entity":
            o = _entity(value)
        elif spec.kind == "concept":
            o = self.concept(g, spec, value)
        else:
            o = nt(literal_for(spec, value))
        if self.rdf:
            self.emit(g, s, p, o)
            st = _iri(statement_iri(s, p, o))
            self.emit(g, st, _RDF_TYPE, _P["Statement"])
            self.emit(g, st, _P["subject"], s)
            self.emit(g, st, _P["predicate"], p)
            self.emit(g, st, _P["object"], o)
            if record is not None:
                self.emit(g, st, _P["evidence"], self.reference_record(record))
            else:
                ev = self.evidence(g, article_id, quote)  # type: ignore[arg-type]
                self.emit(g, st, _P["evidence"], ev)
        if self.nx_graph is not None and spec.kind == "entity":
            if record is not None:
                evidence = self.reference_evidence(record)
            else:
                evidence = self.evidence_record(article_id, quote)  # type: ignore[arg-type]
            u, v = s[1:-1], o[1:-1]
            if not self.nx_graph.has_edge(u, v, spec.key):
                self.nx_graph.add_edge(
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


def build_corpus(corpus: Corpus, progress: Progress | None = None) -> Build:
    """Build the triples of an already loaded corpus."""
    return Build(corpus, _Builder(corpus, progress=progress).run().graphs)


def build(
    data_dir: str | Path = "data",
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> Build:
    """Load ``data_dir/facts`` and ``data_dir/articles``, check, build, and SHACL-validate.

    Raises :class:`kg.facts.FactError` for bad fact files and :class:`ShapeError` when the
    built graph breaks a shape of ``ontology/shapes.ttl``. ``progress(step, done, total)``
    is called as the work advances.
    """
    result = build_corpus(load_corpus(Path(data_dir), progress), progress)
    if validate:
        if progress:
            progress("checking SHACL shapes", 0, 1)
        check_build_shapes(result)
        if progress:
            progress("checking SHACL shapes", 1, 1)
    return result


def check_build_shapes(result: Build) -> None:
    """SHACL-validate a build; a violation names the fact file line of its node."""
    from kg.validate import check_shapes

    where: dict[str, object] = {}
    for entity in result.corpus.entities():
        where.setdefault(str(entity_iri(entity.id)), entity.where)
    check_shapes(result.ntriples(), where)
