"""Statements as a property graph: a networkx MultiDiGraph with the same IRIs as the RDF.

Nodes are entities (their IRI as the node id) with ``label``, ``type`` (the most specific
class), ``alt_labels``, ``articles`` and ``evidence`` (article, title, quote, start, end
of every mention); a metric also carries its number (value, unit, scale, qualifier…).
Edges are the entity-valued facts, keyed by fact key, with ``predicate``, ``label`` and
their ``evidence``. The viewer, the analytics and the GraphML/GEXF/CSV exports read it.

>>> from kg.facts import load_corpus
>>> from kg.statements import statements
>>> from pathlib import Path
>>> g = to_graph(statements(load_corpus(Path("data"))))
>>> lei = "https://w3id.org/jiedao-kg/id/lei-xinqian"
>>> g.nodes[lei]["label"], g.nodes[lei]["type"]
('雷新钱', 'Official')
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from kg.facts import Corpus
from kg.statements import REFERENCE, Evidence, Statements

METRIC_KEYS = {
    "indicator": "indicator",
    "value": "value",
    "unit": "unit",
    "scale": "scale",
    "qualifier": "qualifier",
    "kind": "kind",
    "refPeriod": "period",
}
"""A metric node's attributes: fact key -> attribute name (plus ``value_missing``)."""


def to_graph(made: Statements) -> nx.MultiDiGraph:
    """The property graph of a corpus's statements."""
    from kg.rdf import article_iri, entity_iri
    from kg.schema import properties

    corpus = made.corpus
    graph = nx.MultiDiGraph(title="Jiedao KG", articles={})
    for f in corpus.files:
        graph.graph["articles"][f.article.id] = {
            "title": f.article.title,
            "file": f"articles/{f.article.file}",
            "iri": str(article_iri(f.article.id)),
            "published": f.article.published,  # None: the article states no date
            "text": f.article.text,  # the viewer's "open in article" shows it
        }

    def record(evidence: Evidence) -> dict[str, Any]:
        return evidence_record(made, evidence)

    node_evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
    numbers: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for st in made.statements:
        if st.key in METRIC_KEYS or st.key == "valueMissing":
            numbers[(st.subject, st.graph)].setdefault(st.key, st.value)
    for m in made.mentions:
        node = str(entity_iri(m.id))
        alt_labels = set(graph.nodes[node].get("alt_labels", [])) if node in graph else set()
        alt_labels |= set(m.alt_labels) | ({m.original} if m.original else set())
        graph.add_node(node, label=m.label, type=m.type, alt_labels=sorted(alt_labels))
        node_evidence[node].append(record(m.evidence))
        if m.type == "Metric":
            found = numbers.get((m.id, m.graph), {})
            value = found.get("value")
            attrs = {name: found.get(key) for key, name in METRIC_KEYS.items()}
            attrs["value"] = None if value is None else str(value)
            attrs["value_missing"] = bool(found.get("valueMissing"))
            graph.nodes[node].update(attrs)

    specs = properties()
    edge_evidence: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for st in made.statements:
        spec = specs[st.key]
        if spec.kind != "entity":
            continue
        u, v = str(entity_iri(st.subject)), str(entity_iri(st.value))
        if not graph.has_edge(u, v, spec.key):
            graph.add_edge(u, v, key=spec.key, predicate=str(spec.iri), label=spec.label)
        edge_evidence[(u, v, spec.key)].append(record(st.evidence))

    for node, evidence in node_evidence.items():
        graph.nodes[node]["evidence"] = sorted(evidence, key=_evidence_key)
        graph.nodes[node]["articles"] = sorted({e["article"] for e in evidence})
    for (u, v, key), evidence in edge_evidence.items():
        graph.edges[u, v, key]["evidence"] = sorted(evidence, key=_evidence_key)
    return graph


def evidence_record(made: Statements, evidence: Evidence) -> dict[str, Any]:
    """One piece of evidence as the graph's nodes and edges carry it: article (or
    ``reference``), title, the exact quote (or the table's record), start and end."""
    from kg.rdf import record_text

    if evidence.record is not None:
        from kg import gazetteer

        source = gazetteer.SOURCE
        return {
            "article": REFERENCE,
            "start": None,
            "end": None,
            "title": f"{source['dataset']} ({source['data_as_of']})",
            "quote": record_text(made.divisions[evidence.record]),
        }
    return article_evidence(made.corpus, evidence)


def article_evidence(corpus: Corpus, evidence: Evidence) -> dict[str, Any]:
    """:func:`evidence_record` of a quote of an article (the corpus is all it needs)."""
    article = corpus.articles[evidence.article]
    return {
        "article": evidence.article,
        "title": article.title,
        "quote": article.text[evidence.start : evidence.end],
        "start": evidence.start,
        "end": evidence.end,
    }


def _evidence_key(e: dict[str, Any]) -> tuple[str, int, int, str]:
    return (e["article"], e["start"] or -1, e["end"] or -1, e["quote"])
