"""The offline HTML viewer: pyvis builds the network, our template renders it safely.

Why not pyvis's own HTML: its template loads bootstrap from a CDN (broken offline), its
``local`` mode copies files next to the page, and it renders tooltips with innerHTML when a
title contains "href" (a fact file label could then run script). We keep pyvis for what it
is good at — the vis-network node, edge and option model — and render with
``viz/template.html``: vis-network inlined, data as JSON that cannot close its ``<script>``,
and every label put into the page with ``textContent`` by ``viz/viewer.js``.

The layout is computed here, per subdistrict cluster, so the browser draws without physics:
a spring layout over the whole graph is O(n²) and vis-network's physics takes minutes at
thousands of nodes.
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

import networkx as nx

from kg.ontology import resource_dir

CLASS_STYLE: dict[str, dict[str, Any]] = {
    # type: Chinese/English name, colour, vis-network shape, size, label font size
    "Official": {"name": "官员 Official", "color": "#d62728", "shape": "star", "size": 22},
    "Person": {"name": "人物 Person", "color": "#f28e8c", "shape": "dot", "size": 14},
    "Initiative": {"name": "举措 Initiative", "color": "#ff9f1c", "shape": "diamond", "size": 18},
    "Subdistrict": {"name": "街道 Subdistrict", "color": "#1f77b4", "shape": "square", "size": 26},
    "District": {"name": "区 District", "color": "#4a6fa5", "shape": "triangle", "size": 20},
    "City": {"name": "市 City", "color": "#2b4c7e", "shape": "triangle", "size": 22},
    "Province": {"name": "省 Province", "color": "#1b2f4f", "shape": "triangle", "size": 24},
    "Community": {"name": "社区/村 Community", "color": "#7fb3d5", "shape": "dot", "size": 13},
    "Place": {"name": "地点 Place", "color": "#a9cce3", "shape": "dot", "size": 12},
    "Enterprise": {"name": "企业 Enterprise", "color": "#2ca02c", "shape": "hexagon", "size": 16},
    "Organization": {"name": "组织 Organization", "color": "#17becf", "shape": "dot", "size": 13},
    "Metric": {"name": "指标 Metric", "color": "#9467bd", "shape": "dot", "size": 9},
    "Post": {"name": "岗位 Post", "color": "#bcbd22", "shape": "dot", "size": 8},
    "Role": {"name": "职务 Role", "color": "#c7c7c7", "shape": "dot", "size": 8},
}
OTHER_STYLE = {"name": "其他 Other", "color": "#8c8c8c", "shape": "dot", "size": 10}
AREA_TYPES = {"Subdistrict", "District", "City", "Province"}
HIDDEN_BY_DEFAULT = {"Metric"}
"""Metrics are many and small: shown by a legend click, a search, or a node's focus view."""
FONT = (
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
)


# ---------------------------------------------------------------- the graph shown


def collapse_posts(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Replace person → Post → place by one edge person → place labelled with the role.

    Posts and roles are structure a researcher does not need to see: 雷新钱 —党工委书记→
    锦南街道 says the same, and keeps the evidence of both underlying edges.
    """
    hidden = {n for n, t in graph.nodes(data="type") if t in ("Post", "Role")}
    view = nx.MultiDiGraph(graph.subgraph(n for n in graph if n not in hidden))
    view.graph.update(graph.graph)
    for post in hidden:
        if graph.nodes[post].get("type") != "Post":
            continue
        roles = [v for _, v, k in graph.out_edges(post, keys=True) if k == "role"]
        role_label = graph.nodes[roles[0]]["label"] if roles else graph.nodes[post]["label"]
        places = [
            (v, d) for _, v, k, d in graph.out_edges(post, keys=True, data=True) if k == "postIn"
        ]
        holders = [
            (u, d) for u, _, k, d in graph.in_edges(post, keys=True, data=True) if k == "holds"
        ]
        for holder, hold in holders:
            for place, post_in in places:
                evidence = _merge(hold.get("evidence", []), post_in.get("evidence", []))
                view.add_edge(
                    holder,
                    place,
                    key=f"post:{post}",
                    label=role_label,
                    predicate="holds",
                    evidence=evidence,
                )
    return view


def _merge(*lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for item in (i for lst in lists for i in lst):
        key = (item["article"], item["start"], item["end"])
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def clusters(view: nx.MultiDiGraph) -> dict[str, list[str]]:
    """For each node, the subdistricts it belongs to, nearest first.

    A node belongs to a subdistrict when a path joins them that does not pass through
    another administrative area: areas (a city, a province) are hubs that would otherwise
    put everything in every subdistrict. Areas themselves are included as path ends.
    """
    undirected = view.to_undirected(as_view=True)
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for sd in (n for n, t in view.nodes(data="type") if t == "Subdistrict"):
        label = view.nodes[sd].get("label", sd)
        distance = {sd: 0}
        queue = deque([sd])
        while queue:
            node = queue.popleft()
            found[node].append((distance[node], label, sd))
            if node != sd and view.nodes[node].get("type") in AREA_TYPES:
                continue
            for nb in undirected.neighbors(node):
                if nb not in distance:
                    distance[nb] = distance[node] + 1
                    queue.append(nb)
    return {node: [sd for _, _, sd in sorted(hits)] for node, hits in found.items()}


def restrict(view: nx.MultiDiGraph, subdistrict: str) -> nx.MultiDiGraph:
    """The part of the graph around one subdistrict (given by label or IRI)."""
    matches = [
        n
        for n, d in view.nodes(data=True)
        if d.get("type") == "Subdistrict" and subdistrict in (n, d.get("label"))
    ]
    if not matches:
        known = sorted(
            d["label"] for _, d in view.nodes(data=True) if d.get("type") == "Subdistrict"
        )
        raise ValueError(f"no subdistrict {subdistrict!r}; known: {', '.join(known)}")
    keep = {n for n, sds in clusters(view).items() if matches[0] in sds}
    return nx.MultiDiGraph(view.subgraph(keep))


# ---------------------------------------------------------------- layout


def layout(view: nx.MultiDiGraph, member: dict[str, list[str]]) -> dict[str, tuple[float, float]]:
    """Positions per cluster: small spring layouts placed on a grid.

    Cost grows with the sum of squared cluster sizes, not the square of the graph.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for node in view:
        groups[member[node][0] if member.get(node) else ""].append(node)
    if "" in groups:  # nodes outside every subdistrict: one group per connected piece
        loose = view.subgraph(groups.pop(""))
        for i, part in enumerate(nx.weakly_connected_components(loose)):
            groups[f"~{i:06d}"] = sorted(part)
    order = sorted(groups, key=lambda g: (-len(groups[g]), g))
    columns = max(1, math.ceil(math.sqrt(len(order))))
    cell = max(math.sqrt(len(groups[g])) for g in order) * 160 + 240 if order else 0
    positions: dict[str, tuple[float, float]] = {}
    for index, name in enumerate(order):
        nodes = sorted(groups[name])
        cx, cy = (index % columns) * cell, (index // columns) * cell
        radius = math.sqrt(len(nodes)) * 75 + 40
        # Metrics are leaves hidden by default: lay out the rest, then ring the metrics
        # around the node they describe, so they neither crowd nor stretch the map.
        core = [n for n in nodes if view.nodes[n].get("type") != "Metric"] or nodes
        sub = view.subgraph(core).to_undirected(as_view=True)
        if len(core) == 1:
            local = {core[0]: (0.0, 0.0)}
        elif len(core) <= 400:
            local = nx.spring_layout(sub, seed=7, iterations=80, k=2.5 / math.sqrt(len(core)))
        else:
            local = nx.shell_layout(sub, nlist=_shells(view, core))
        for node, (x, y) in local.items():
            positions[node] = (round(cx + x * radius, 1), round(cy + y * radius, 1))
        _ring_leaves(view, [n for n in nodes if n not in local], positions, (cx, cy))
    return positions


def _ring_leaves(
    view: nx.MultiDiGraph,
    leaves: list[str],
    positions: dict[str, tuple[float, float]],
    centre: tuple[float, float],
) -> None:
    around: dict[str, list[str]] = defaultdict(list)
    for leaf in leaves:
        anchors = [v for _, v in view.out_edges(leaf) if v in positions]
        around[anchors[0] if anchors else ""].append(leaf)
    for anchor, group in around.items():
        ax, ay = positions.get(anchor, centre)
        ring = 60 + 6 * len(group)
        for i, leaf in enumerate(group):
            angle = 2 * math.pi * i / len(group)
            positions[leaf] = (
                round(ax + ring * math.cos(angle), 1),
                round(ay + ring * math.sin(angle), 1),
            )


def _shells(view: nx.MultiDiGraph, nodes: list[str]) -> list[list[str]]:
    rank = {"Subdistrict": 0, "Official": 1, "Initiative": 2}
    shells: dict[int, list[str]] = defaultdict(list)
    for n in nodes:
        shells[rank.get(view.nodes[n].get("type", ""), 3)].append(n)
    return [shells[k] for k in sorted(shells)]


# ---------------------------------------------------------------- page data


@functools.cache
def _s2t():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2t")


def page_data(view: nx.MultiDiGraph, title: str) -> dict[str, Any]:
    """Everything the page needs, as plain JSON-able data (pyvis provides vis options)."""
    from pyvis.network import Network

    from kg.text import to_simplified

    member = clusters(view)
    positions = layout(view, member)
    index = {node: i for i, node in enumerate(sorted(view))}
    converter = _s2t()
    net = Network(directed=True, cdn_resources="in_line")
    # Positions are computed above at every size, so physics stays off for the whole
    # network: per-node physics=False still lets vis stabilise for ~20 s at 2 k nodes.
    net.toggle_physics(False)
    nodes = []
    for node in sorted(view):
        attrs = view.nodes[node]
        kind = attrs.get("type", "")
        label = str(attrs.get("label", node))
        alts = [str(a) for a in attrs.get("alt_labels", [])]
        search = {label, *alts, converter.convert(label), *(to_simplified(a) for a in alts)}
        x, y = positions[node]
        style = CLASS_STYLE.get(kind, OTHER_STYLE)
        net.add_node(
            index[node],
            label=_short(label),
            x=x,
            y=y,
            shape=style["shape"],
            color=style["color"],
            size=style["size"],
        )
        nodes.append(
            {
                "id": index[node],
                "iri": node,
                "label": label,
                "short": _short(label),
                "type": kind if kind in CLASS_STYLE else "Other",
                "altLabels": alts,
                "search": sorted(s.lower() for s in search),
                "x": x,
                "y": y,
                "articles": attrs.get("articles", []),
                "evidence": attrs.get("evidence", []),
                "clusters": [str(index[s]) for s in member.get(node, [])],
                "metric": _metric(attrs) if kind == "Metric" else None,
            }
        )
    edges = []
    for i, (u, v, key, attrs) in enumerate(
        sorted(view.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], e[2]))
    ):
        edges.append(
            {
                "id": i,
                "from": index[u],
                "to": index[v],
                "label": attrs.get("label", key),
                "relation": attrs.get("predicate", key),
                "evidence": attrs.get("evidence", []),
            }
        )
    counts: dict[str, int] = defaultdict(int)
    for n in nodes:
        counts[n["type"]] += 1
    classes = {
        t: {**style, "font": 14, "count": counts.get(t, 0)}
        for t, style in {**CLASS_STYLE, "Other": OTHER_STYLE}.items()
    }
    subdistricts = sorted(
        ({"id": str(n["id"]), "label": n["label"]} for n in nodes if n["type"] == "Subdistrict"),
        key=lambda s: s["label"],
    )
    articles = view.graph.get("articles", {})
    return {
        "title": title,
        "nodes": nodes,
        "visNodes": net.nodes,
        "edges": edges,
        "classes": classes,
        "font": FONT,
        "options": json.loads(net.options.to_json()) if hasattr(net.options, "to_json") else {},
        "visibleByDefault": [t for t in classes if t not in HIDDEN_BY_DEFAULT],
        "subdistricts": subdistricts,
        "articles": articles,
        "articleCount": len(articles),
    }


def _short(label: str, limit: int = 14) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _metric(attrs: dict[str, Any]) -> dict[str, Any]:
    value = attrs.get("value")
    text = (
        "数值缺失 value missing"
        if value is None
        else f"{value}{attrs.get('scale') or ''}{attrs.get('unit') or ''}"
    )
    return {
        "indicator": attrs.get("indicator"),
        "value": value,
        "unit": attrs.get("unit"),
        "scale": attrs.get("scale"),
        "qualifier": attrs.get("qualifier"),
        "kind": attrs.get("kind"),
        "period": attrs.get("period"),
        "text": text,
    }


def script_json(data: Any) -> str:
    """JSON that is safe inside ``<script>``: no ``<``, ``>`` or ``&`` survive literally,
    so no label can close the script element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (lib / "vis-network.min.js").read_text("utf-8"), (lib / "vis-network.css").read_text(
        "utf-8"
    )


def render(
    graph: nx.MultiDiGraph,
    path: str | Path | None = None,
    *,
    subdistrict: str | None = None,
    title: str | None = None,
) -> str:
    """The viewer page for ``graph`` as one self-contained HTML string.

    ``subdistrict`` (label or IRI) restricts the map to one subdistrict's neighbourhood.
    With ``path``, the page is also written there atomically.
    """
    from jinja2 import Environment

    view = collapse_posts(graph)
    if subdistrict:
        view = restrict(view, subdistrict)
        view.graph.update(graph.graph)
    heading = title or (
        f"Jiedao KG · {subdistrict}"
        if subdistrict
        else "Jiedao KG · 街道知识图谱: 谁在哪里推动了什么"
    )
    viz_dir = resource_dir("viz")
    env = Environment(autoescape=True)
    template = env.from_string((viz_dir / "template.html").read_text("utf-8"))
    vis_js, vis_css = _vis_assets()
    from markupsafe import Markup

    page = template.render(
        title=heading,
        data=Markup(script_json(page_data(view, heading))),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        viewer_js=Markup((viz_dir / "viewer.js").read_text("utf-8")),
        viewer_css=Markup((viz_dir / "viewer.css").read_text("utf-8")),
    )
    if path is not None:
        from kg.export import write_bytes

        write_bytes(path, page.encode("utf-8"))
    return page
