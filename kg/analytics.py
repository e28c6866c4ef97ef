"""Network analytics as plain functions over the build's networkx MultiDiGraph.

Node keys are IRIs; node attributes ``label`` and ``type`` say what a node is; edge keys
name the relation (``leads``, ``organizedBy``, ``serves`` ...). Each function returns plain
rows (lists of tuples or dicts), sorted, so results are stable and easy to print or test.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

PLACE_EDGES = ("organizedBy", "takesPlaceIn")


def nodes_of_type(graph: nx.MultiDiGraph, type_name: str) -> list[str]:
    """Nodes whose ``type`` attribute is ``type_name``, sorted by label then IRI."""
    found = [n for n, t in graph.nodes(data="type") if t == type_name]
    return sorted(found, key=lambda n: (graph.nodes[n].get("label", ""), n))


def official_centrality(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Degree and betweenness of each official, on the undirected simple graph.

    Betweenness tells which officials connect otherwise separate parts of the graph
    (initiatives, places, enterprises); direction and parallel edges do not matter for that.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("a", {"label": "甲", "type": "Official"}),
    ...                   ("b", {"label": "乙", "type": "Official"}),
    ...                   ("i", {"label": "举措", "type": "Initiative"})])
    >>> g.add_edges_from([("a", "i", "leads"), ("b", "i", "participatesIn")])
    ['leads', 'participatesIn']
    >>> [(row["label"], row["degree"], row["betweenness"]) for row in official_centrality(g)]
    [('乙', 1, 0.0), ('甲', 1, 0.0)]
    """
    simple = nx.Graph(graph.to_undirected())
    betweenness = nx.betweenness_centrality(simple, normalized=True)
    return [
        {
            "iri": n,
            "label": graph.nodes[n].get("label", n),
            "degree": simple.degree(n),
            "betweenness": round(betweenness.get(n, 0.0), 6),
        }
        for n in nodes_of_type(graph, "Official")
    ]


def initiatives_per_subdistrict(graph: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Subdistrict label -> labels of initiatives it organized or that took place in it.

    Initiatives placed in a community or compound inside a subdistrict count too
    (followed through ``locatedIn`` / ``partOf``).
    """
    result: dict[str, set[str]] = defaultdict(set)
    tree = _containment(graph)
    for sd in nodes_of_type(graph, "Subdistrict"):
        places = {sd} | nx.ancestors(tree, sd)
        for u, _v, key in graph.in_edges(places, keys=True):
            if key in PLACE_EDGES and graph.nodes[u].get("type") == "Initiative":
                result[graph.nodes[sd]["label"]].add(graph.nodes[u]["label"])
    return {k: sorted(v) for k, v in sorted(result.items())}


def _containment(graph: nx.MultiDiGraph) -> nx.DiGraph:
    """Edges child -> parent for ``partOf`` and ``locatedIn`` only."""
    tree = nx.DiGraph()
    tree.add_nodes_from(graph)
    tree.add_edges_from(
        (u, v) for u, v, k in graph.edges(keys=True) if k in ("partOf", "locatedIn")
    )
    return tree


def shared_enterprises(graph: nx.MultiDiGraph) -> list[tuple[str, str, list[str]]]:
    """Pairs of initiatives that served at least one common enterprise."""
    served: dict[str, set[str]] = defaultdict(set)
    for u, v, key in graph.edges(keys=True):
        if key == "serves" and graph.nodes[v].get("type") == "Enterprise":
            served[u].add(v)
    rows = []
    for a, b in combinations(sorted(served), 2):
        common = served[a] & served[b]
        if common:
            label = graph.nodes
            rows.append(
                (label[a]["label"], label[b]["label"], sorted(label[e]["label"] for e in common))
            )
    return sorted(rows)


def components(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """Weakly connected components, largest first, with their size and a sample of labels."""
    parts = sorted(nx.weakly_connected_components(graph), key=lambda c: (-len(c), min(c)))
    rows = []
    for part in parts:
        labels = sorted(graph.nodes[n].get("label", n) for n in part)
        types = sorted({graph.nodes[n].get("type", "?") for n in part})
        rows.append({"size": len(part), "types": types, "sample": labels[:5]})
    return rows
