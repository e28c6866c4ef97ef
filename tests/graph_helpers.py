"""Readers of the built seed graph that the article tables are compared with.

Each reader gives rows in the shape of a table of ``tests/article_tables.py``: what one
article contributed to the networkx graph (by the ``articles`` of its nodes and the
evidence of its edges) or to the RDF union graph (by the article of each evidence).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import networkx as nx
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kg.ontology import KG
from tests.article_tables import Metric

# Nodes that are composed from others (a post, a metric) or are records, not named things.
COMPOSED = {"Post", "Metric", "Article", "Evidence"}


def in_article(data: dict[str, Any], *, article: str) -> bool:
    """Whether a node's evidence includes ``article``."""
    return article in data.get("articles", [])


def nodes_of(g: nx.MultiDiGraph, article: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """The nodes (id, data) whose evidence includes ``article``."""
    return ((n, d) for n, d in g.nodes(data=True) if in_article(d, article=article))


def node_in_article(
    g: nx.MultiDiGraph, label: str, type_: str | None = None, *, article: str
) -> str:
    """The one node of ``article`` with this label (and type): failing loudly otherwise."""
    found = [
        n
        for n, d in nodes_of(g, article)
        if d.get("label") == label and (type_ is None or d.get("type") == type_)
    ]
    assert len(found) == 1, (
        f"expected one node {label!r} ({type_}) from article {article}, got {found}"
    )
    return found[0]


def targets(g: nx.MultiDiGraph, node: str, key: str) -> set[str]:
    """Labels of the nodes ``node`` points to with relation ``key``."""
    return {g.nodes[v].get("label") for _, v, k in g.out_edges(node, keys=True) if k == key}


def named_nodes(g: nx.MultiDiGraph, article: str) -> set[tuple[str, str]]:
    """(label, class) of the article's named nodes: posts and metrics are composed."""
    return {(d["label"], d["type"]) for _, d in nodes_of(g, article) if d["type"] not in COMPOSED}


def posts(g: nx.MultiDiGraph, article: str) -> set[tuple[str, str, str]]:
    """(person, role, post in) of every post of the article."""
    found = set()
    for n, d in nodes_of(g, article):
        if d["type"] != "Post":
            continue
        holders = {g.nodes[u]["label"] for u, _, k in g.in_edges(n, keys=True) if k == "holds"}
        for person in holders:
            for role in targets(g, n, "role"):
                for where in targets(g, n, "postIn"):
                    found.add((person, role, where))
    return found


def _relations(g: nx.MultiDiGraph) -> Iterator[tuple[str, str, str, list[dict[str, Any]]]]:
    """Edges between named nodes (not the parts of a post or a metric), with evidence."""
    for u, v, key, data in g.edges(keys=True, data=True):
        if g.nodes[u]["type"] not in COMPOSED and g.nodes[v]["type"] not in COMPOSED:
            yield u, key, v, data["evidence"]


def stated_edges(g: nx.MultiDiGraph, article: str) -> set[tuple[str, str, str]]:
    """(subject, key, object) of every relation a quote of ``article`` supports."""
    return {
        (g.nodes[u]["label"], key, g.nodes[v]["label"])
        for u, key, v, evidence in _relations(g)
        if any(e["article"] == article for e in evidence)
    }


def reference_edges(g: nx.MultiDiGraph, article: str) -> set[tuple[str, str, str]]:
    """Relations out of the article's nodes that only the official division table supports."""
    return {
        (g.nodes[u]["label"], key, g.nodes[v]["label"])
        for u, key, v, evidence in _relations(g)
        if in_article(g.nodes[u], article=article)
        and {e["article"] for e in evidence} == {"reference"}
    }


def qualifiers(union: Graph, node: str) -> tuple[str, ...]:
    """The notations of every qualifier of a metric, sorted (the graph keeps only one)."""
    return tuple(
        sorted(
            str(n)
            for q in union.objects(URIRef(node), KG.qualifier)
            for n in union.objects(q, SKOS.notation)
        )
    )


def metric_rows(g: nx.MultiDiGraph, union: Graph, article: str) -> list[Metric]:
    """Every metric of the article as a table row (qualifiers from RDF: there may be two)."""
    rows = []
    for n, d in nodes_of(g, article):
        if d["type"] != "Metric":
            continue
        value = d.get("value")
        quals = qualifiers(union, n)
        # networkx keeps one qualifier per metric: it must be one of those in RDF
        assert (d.get("qualifier") is None) == (not quals) and d.get("qualifier") in (*quals, None)
        rows.append(
            Metric(
                indicator=d.get("indicator"),
                value=None if value is None else str(Decimal(str(value))),
                scale=d.get("scale"),
                unit=d.get("unit"),
                qualifiers=quals,
                kind=d.get("kind"),
                areas=tuple(sorted(targets(g, n, "refArea"))),
                period=d.get("period"),
                result_of=tuple(sorted(targets(g, n, "resultOf"))),
            )
        )
    return rows


def rdf_metrics(union: Graph, article: str) -> list[URIRef]:
    """The metrics (RDF subjects) whose evidence is in ``article``, read from RDF alone."""
    return [
        m
        for m in union.subjects(RDF.type, KG.Metric)
        if any(
            str(union.value(union.value(ev, KG.article), DCTERMS.identifier)) == article
            for ev in union.objects(m, KG.evidence)
        )
    ]
