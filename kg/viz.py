"""The offline HTML viewer: pyvis builds the network, our template renders it safely.

Why not pyvis's own HTML: its template loads bootstrap from a CDN (broken offline), its
``local`` mode copies files next to the page, and it renders tooltips with innerHTML when a
title contains "href" (a fact file label could then run script). We keep pyvis for what it
is good at — the vis-network node, edge and option model — and render with
``viz/template.html``: vis-network inlined, data as JSON that cannot close its ``<script>``,
and every label put into the page with ``textContent`` by ``viz/viewer.js``.

The layout is computed here, so the browser draws at once with physics off: areas form a
hierarchy of blocks (province ▸ city ▸ district ▸ subdistrict), each subdistrict is a radial
tree around its node (officials and initiatives on the first ring, what they serve further
out), and metrics ring the node they measure. The cost is linear in the graph; a spring
layout over the whole graph is O(n²) and vis-network's physics takes minutes at thousands of
nodes.

>>> g = nx.MultiDiGraph(articles={})
>>> g.add_node("sd", label="锦南街道", type="Subdistrict")
>>> g.add_node("o", label="雷新钱", type="Official")
>>> _ = g.add_edge("o", "sd", key="leads", label="领导")
>>> html = render(g, None)
>>> html.startswith("<!DOCTYPE html>") and '"label":"雷新钱"' in html
True
"""

from __future__ import annotations

import functools
import json
import math
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.ontology import resource_dir

OTHER = "Other"
"""The legend entry of nodes whose type has no class of its own."""


class VizError(KgError, ValueError):
    """A map that cannot be drawn as asked (an unknown ``--subdistrict``); one line."""


@functools.cache
def class_styles() -> dict[str, dict[str, Any]]:
    """Legend entries in order: caption, colour, shape, sizes (``ontology/classes.ttl``).

    ``font`` is the label size in canvas pixels at zoom 1; ``screen``, for landmarks
    (areas, officials), the smallest on-screen size the viewer keeps when zoomed out, so
    the whole map still names its subdistricts and officials.
    """
    from kg.schema import Style, classes

    styles: dict[str, dict[str, Any]] = {}
    for name, info in classes().items():
        if not info.entity:
            continue
        styles[name] = _style(info.legend, info.style)
    styles[OTHER] = _style("其他 Other", Style())
    return styles


def _style(name: str, style: Any) -> dict[str, Any]:
    out = {"name": name, "color": style.color, "shape": style.shape, "size": style.size}
    out["font"] = style.font
    if style.min_screen:
        out["screen"] = style.min_screen
    return out


@functools.cache
def hidden_by_default() -> frozenset[str]:
    """Classes drawn only when asked for (metrics): ``kg:viewerHidden``."""
    from kg.schema import classes

    return frozenset(n for n, c in classes().items() if c.style.hidden)


@functools.cache
def _levels() -> dict[str, int]:
    """Area classes by level: township (clusters) 1, district 2, city 3, province 4."""
    from kg.schema import classes

    return {n: c.level_rank for n, c in classes().items() if c.level_rank >= 1}


def _is_area(view: nx.MultiDiGraph, node: str) -> bool:
    """A subdistrict, town or an area above them (not a community)."""
    return _type(view, node) in _levels()


def _upper(view: nx.MultiDiGraph, node: str) -> int:
    """The level of an area above a township (district 1, city 2, province 3), else 0."""
    return max(0, _levels().get(_type(view, node), 0) - 1)


def _is_cluster(view: nx.MultiDiGraph, node: str) -> bool:
    """Whether a node heads a cluster of the map: a township-level area (街道, 镇/乡)."""
    return _levels().get(_type(view, node)) == 1


def _rank(kind: str) -> int:
    styles = class_styles()
    return list(styles).index(kind) if kind in styles else len(styles)


FONT = (
    "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
)
RING = 120.0
"""Distance between the rings of a subdistrict's radial tree (canvas pixels)."""
SPACING = 70.0
"""Smallest distance between neighbours on one ring."""
GAP = 90.0
"""Space between blocks of the map."""
HEADER = 200.0
"""Height of the band above a block that holds its area (district, city, province)."""
WEDGE_WEIGHT = {"Official": 3}


def _type(view: nx.MultiDiGraph, node: str) -> str:
    return str(view.nodes[node].get("type", ""))


def _label(view: nx.MultiDiGraph, node: str) -> str:
    return str(view.nodes[node].get("label", node))


# ---------------------------------------------------------------- the graph shown


def collapse_posts(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Replace person → Post → place by one edge person → place labelled with the role.

    Posts and roles are structure a researcher does not need to see: 雷新钱 —党工委书记→
    锦南街道 says the same, and keeps the evidence of the underlying edges. A post that
    nobody holds, or that is in no place, stays a node (collapsing it would lose a fact).
    """
    posts = {}
    for post in (n for n in graph if _type(graph, n) == "Post"):
        holders = [
            (u, d) for u, _, k, d in graph.in_edges(post, keys=True, data=True) if k == "holds"
        ]
        places = [
            (v, d) for _, v, k, d in graph.out_edges(post, keys=True, data=True) if k == "postIn"
        ]
        if holders and places:
            posts[post] = (holders, places)
    kept_posts = {n for n in graph if _type(graph, n) == "Post"} - set(posts)
    hidden = set(posts) | {
        n
        for n in graph
        if _type(graph, n) == "Role" and not any(u in kept_posts for u in graph.predecessors(n))
    }
    view = nx.MultiDiGraph(graph.subgraph(n for n in graph if n not in hidden))
    view.graph.update(graph.graph)
    for post, (holders, places) in posts.items():
        role_edges = [
            (v, d) for _, v, k, d in graph.out_edges(post, keys=True, data=True) if k == "role"
        ]
        role_label = _label(graph, role_edges[0][0]) if role_edges else _label(graph, post)
        for holder, hold in holders:
            for place, post_in in places:
                evidence = _merge(
                    hold.get("evidence", []),
                    post_in.get("evidence", []),
                    *(d.get("evidence", []) for _, d in role_edges),
                )
                view.add_edge(
                    holder,
                    place,
                    key=f"post:{post}",
                    label=role_label,
                    predicate="holds · postIn",
                    post=_label(graph, post),
                    evidence=evidence,
                )
    return view


def _merge(*lists: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for item in (i for lst in lists for i in lst):
        key = (item.get("article"), item.get("start"), item.get("end"), item.get("quote"))
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def memberships(view: nx.MultiDiGraph) -> dict[str, list[str]]:
    """For each node, the subdistricts it belongs to, nearest first.

    A node belongs to a subdistrict when a path joins them that does not pass through
    another administrative area: areas (a district, a city) are hubs that would otherwise
    put everything in every subdistrict. Areas next to a subdistrict are included as path
    ends. A node joined to no subdistrict belongs to the subdistrict its article is about
    (the one sharing most of its articles), so a community the article names without a
    link still appears on that subdistrict's map.
    """
    undirected = view.to_undirected(as_view=True)
    found: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    subdistricts = sorted(
        (n for n in view if _is_cluster(view, n)), key=lambda n: (_label(view, n), n)
    )
    for sd in subdistricts:
        label = _label(view, sd)
        distance = {sd: 0}
        queue = deque([sd])
        while queue:
            node = queue.popleft()
            found[node].append((distance[node], label, sd))
            if node != sd and _is_area(view, node):
                continue
            for nb in undirected.neighbors(node):
                if nb not in distance:
                    distance[nb] = distance[node] + 1
                    queue.append(nb)
    member = {node: [sd for _, _, sd in sorted(hits)] for node, hits in found.items()}
    by_article: dict[str, list[str]] = defaultdict(list)
    for sd in subdistricts:
        for article in view.nodes[sd].get("articles", []):
            by_article[article].append(sd)
    for node in view:
        if node in member or _is_area(view, node):
            continue
        votes: dict[str, int] = defaultdict(int)
        for article in view.nodes[node].get("articles", []):
            for sd in by_article.get(article, []):
                votes[sd] += 1
        if votes:
            best = min(votes, key=lambda sd: (-votes[sd], _label(view, sd), sd))
            member[node] = [best]
    return member


def area_chain(view: nx.MultiDiGraph, node: str) -> list[str]:
    """The areas above ``node`` by ``partOf``, nearest first (锦南街道 → 临安区 → …)."""
    chain: list[str] = []
    frontier = [node]
    while frontier:
        ups = sorted(
            {
                v
                for u in frontier
                for _, v, k in view.out_edges(u, keys=True)
                if k == "partOf" and _is_area(view, v) and v not in chain and v != node
            },
            key=lambda n: (_upper(view, n), _label(view, n)),
        )
        chain.extend(ups)
        frontier = ups
    return chain


def find_subdistrict(view: nx.MultiDiGraph, subdistrict: str) -> str:
    """The node of a subdistrict given by label, alternative label or IRI."""
    known = sorted(
        (n for n in view if _is_cluster(view, n)), key=lambda n: (_label(view, n), n)
    )
    for node in known:
        attrs = view.nodes[node]
        if subdistrict in (node, attrs.get("label"), *attrs.get("alt_labels", [])):
            return node
    names = ", ".join(_label(view, n) for n in known) or "none in this graph"
    raise VizError(f"no subdistrict {subdistrict!r}; known: {names}")


def restrict(view: nx.MultiDiGraph, subdistrict: str) -> nx.MultiDiGraph:
    """The part of the graph around one subdistrict (given by label or IRI): its officials,
    initiatives, enterprises, metrics, communities, and the chain of areas above it."""
    sd = find_subdistrict(view, subdistrict)
    keep = {n for n, sds in memberships(view).items() if sd in sds}
    keep |= {sd, *area_chain(view, sd)}
    out = nx.MultiDiGraph(view.subgraph(keep))
    out.graph.update(view.graph)
    return out


# ---------------------------------------------------------------- layout


@dataclass
class Block:
    """A rectangle of the map: node positions relative to its top-left corner."""

    width: float
    height: float
    items: list[tuple[str, float, float]] = field(default_factory=list)


def _pack(blocks: list[Block], aspect: float = 1.5) -> Block:
    """Shelf packing: rows of blocks, centred, about ``aspect`` times wider than high."""
    if not blocks:
        return Block(0.0, 0.0)
    area = sum((b.width + GAP) * (b.height + GAP) for b in blocks)
    target = max(max(b.width for b in blocks), math.sqrt(area * aspect))
    rows: list[list[Block]] = [[]]
    width = 0.0
    for block in blocks:
        if rows[-1] and width + GAP + block.width > target:
            rows.append([])
            width = 0.0
        width += (GAP if rows[-1] else 0.0) + block.width
        rows[-1].append(block)
    widths = [sum(b.width for b in row) + GAP * (len(row) - 1) for row in rows]
    total = max(widths)
    out = Block(total, 0.0)
    y = 0.0
    for row, row_width in zip(rows, widths, strict=True):
        x = (total - row_width) / 2
        height = max(b.height for b in row)
        for b in row:
            dy = y  # top-aligned: the areas heading sibling blocks line up
            out.items.extend((n, x + bx, dy + by) for n, bx, by in b.items)
            x += b.width + GAP
        y += height + GAP
    out.height = y - GAP
    return out


def _radial(
    view: nx.MultiDiGraph,
    root: str,
    nodes: set[str],
    order: Callable[[str], Any],
    undirected: nx.MultiGraph | None = None,
) -> dict[str, tuple[float, float]]:
    """A radial tree of ``nodes`` around ``root``: BFS depth is the ring, each subtree gets
    a wedge in proportion to its size, rings are as wide as their crowding needs (and
    staggered in two when a ring would otherwise grow too far out)."""
    undirected = undirected or view.to_undirected(as_view=True)
    children: dict[str, list[str]] = defaultdict(list)
    depth = {root: 0}
    seen_order = [root]

    def grow(start: str) -> None:
        queue = deque([start])
        while queue:
            node = queue.popleft()
            for nb in sorted((n for n in undirected.neighbors(node) if n in nodes), key=order):
                if nb not in depth:
                    depth[nb] = depth[node] + 1
                    children[node].append(nb)
                    seen_order.append(nb)
                    queue.append(nb)

    grow(root)
    for node in sorted(nodes - set(depth), key=order):  # joined only through hidden nodes,
        if node not in depth:  # or through no edge at all: hang them from the root
            depth[node] = 1
            children[root].append(node)
            seen_order.append(node)
            grow(node)
    # Officials around the root are spread evenly over the circle, not side by side: their
    # labels stay large when zoomed out and would overlap.
    first = children[root]
    lead = [n for n in first if _type(view, n) in WEDGE_WEIGHT]
    if 1 < len(lead) < len(first):
        rest = [n for n in first if n not in lead]
        slots = {round(j * len(first) / len(lead)): n for j, n in enumerate(lead)}
        children[root] = [slots[i] if i in slots else rest.pop(0) for i in range(len(first))]
    # Landmarks (officials) get wider wedges: their labels stay large when zoomed out.
    size = {n: WEDGE_WEIGHT.get(_type(view, n), 1) for n in seen_order}
    for node in reversed(seen_order):
        for child in children[node]:
            size[node] += size[child]
    angle = {root: 0.0}
    wedge = {root: 2 * math.pi}
    start = {root: -math.pi / 2 - math.pi / max(1, len(children[root]))}
    for node in seen_order:
        kids = children[node]
        total = sum(size[k] for k in kids)
        cursor = start[node]
        for kid in kids:
            w = wedge[node] * size[kid] / total
            start[kid], wedge[kid], angle[kid] = cursor, w, cursor + w / 2
            cursor += w
    levels: dict[int, list[str]] = defaultdict(list)
    for node in seen_order[1:]:
        levels[depth[node]].append(node)
    positions = {root: (0.0, 0.0)}
    radius = 0.0
    for d in sorted(levels):
        ring = sorted(levels[d], key=lambda n: angle[n])
        need = max(SPACING / max(wedge[n], 1e-9) for n in ring)
        inner = radius + (RING * 1.5 if d == 1 else RING)  # room for the root's big label
        stagger = len(ring) > 3 and need > inner + 2 * RING
        r = max(inner, need / 2 if stagger else need)
        for i, node in enumerate(ring):
            rr = r + (0.6 * RING if stagger and i % 2 else 0.0)
            positions[node] = (rr * math.cos(angle[node]), rr * math.sin(angle[node]))
        radius = r + (0.6 * RING if stagger else 0.0)
    return positions


def _ring_leaves(
    view: nx.MultiDiGraph,
    leaves: list[str],
    positions: dict[str, tuple[float, float]],
    root: str,
) -> None:
    """Place hidden-by-default leaves (metrics) next to what they measure: around the
    initiative they result from, or on an outer ring of the cluster for the area itself."""
    around: dict[str, list[str]] = defaultdict(list)
    for leaf in leaves:
        targets = sorted(
            (
                (0 if k == "resultOf" else 1, v)
                for _, v, k in view.out_edges(leaf, keys=True)
                if v in positions and v != leaf
            ),
        )
        around[targets[0][1] if targets else root].append(leaf)
    rx, ry = positions[root]
    extent = max((math.hypot(x - rx, y - ry) for x, y in positions.values()), default=0.0)
    for anchor, group in sorted(around.items()):
        ax, ay = positions[anchor]
        if anchor == root:
            r = max(extent + RING * 0.8, len(group) * SPACING * 0.7 / (2 * math.pi))
            for i, leaf in enumerate(group):
                a = -math.pi / 2 + 2 * math.pi * (i + 0.5) / len(group)
                positions[leaf] = (rx + r * math.cos(a), ry + r * math.sin(a))
            continue
        out = math.atan2(ay - ry, ax - rx)
        step = 0.45
        for i, leaf in enumerate(group):
            ring, slot = divmod(i, 7)
            a = out + (slot - (min(7, len(group) - ring * 7) - 1) / 2) * step
            r = RING * (0.6 + 0.45 * ring)
            positions[leaf] = (ax + r * math.cos(a), ay + r * math.sin(a))


def _cluster_block(
    view: nx.MultiDiGraph,
    root: str,
    nodes: set[str],
    hidden: frozenset[str],
    order: Callable[[str], Any],
    undirected: nx.MultiGraph,
) -> Block:
    core = {n for n in nodes if _type(view, n) not in hidden} | {root}
    positions = _radial(view, root, core, order, undirected)
    _ring_leaves(view, sorted(nodes - core, key=order), positions, root)
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    pad_x, pad_y = 90.0, 40.0  # room for the labels drawn under and beside the nodes
    left, top = min(xs) - pad_x, min(ys) - pad_y
    return Block(
        max(xs) + pad_x - left,
        max(ys) + pad_y - top,
        [(n, x - left, y - top) for n, (x, y) in positions.items()],
    )


def layout(
    view: nx.MultiDiGraph,
    member: dict[str, list[str]] | None = None,
    hidden: Iterable[str] | None = None,
) -> dict[str, tuple[float, float]]:
    """Positions for every node, in time linear in the graph.

    Each subdistrict is a cluster laid out as a radial tree; clusters sit in blocks headed
    by their district, districts in blocks headed by their city, and so on; blocks are
    packed in rows. Nodes joined to no subdistrict form their own clusters, inside the
    block of an area they are joined to when there is one.
    """
    hidden = hidden_by_default() if hidden is None else frozenset(hidden)
    member = memberships(view) if member is None else member

    def order(n: str) -> tuple[int, str, str]:
        return (_rank(_type(view, n)), _label(view, n), n)

    upper = {n for n in view if _upper(view, n)}
    parent: dict[str, str] = {}
    for node in view:
        if _is_area(view, node):
            chain = [a for a in area_chain(view, node) if a in upper]
            if chain:
                parent[node] = chain[0]
    home: dict[str, str] = {}
    for node in view:
        if node in upper:
            continue
        if _is_cluster(view, node):
            home[node] = node
        elif member.get(node):
            home[node] = member[node][0]
    groups: dict[str, set[str]] = defaultdict(set)
    for node, sd in home.items():
        groups[sd].add(node)
    loose = view.subgraph(n for n in view if n not in home and n not in upper)
    for part in nx.weakly_connected_components(loose):
        root = max(sorted(part, key=order), key=lambda n: view.degree(n))
        groups[root] = set(part)
        areas = sorted(
            {a for n in part for a in nx.all_neighbors(view, n) if a in upper},
            key=lambda a: (_upper(view, a), order(a)),
        )
        if areas:
            parent[root] = areas[0]
    for start in sorted(parent):  # partOf cycles (bad data) must not hide or loop
        seen, node = {start}, start
        while node in parent:
            if parent[node] in seen:
                del parent[node]
                break
            node = parent[node]
            seen.add(node)
    undirected = view.to_undirected(as_view=True)  # once: building a view is O(n)
    blocks = {
        g: _cluster_block(view, g, nodes, hidden, order, undirected) for g, nodes in groups.items()
    }
    kids: dict[str, list[str]] = defaultdict(list)
    for child, area in parent.items():
        if child in blocks or child in upper:
            kids[area].append(child)

    @functools.cache
    def block_of(area: str) -> Block:
        if area not in upper:
            return blocks[area]
        # Siblings prefer one row under their area, so the hierarchy reads top-down.
        inner = _pack([block_of(k) for k in _by_size(kids[area], block_of, order)], aspect=3.0)
        header = HEADER
        width = max(inner.width, 240.0)
        shift = (width - inner.width) / 2
        return Block(
            width,
            inner.height + header + (GAP / 2 if inner.items else 0),
            [
                (area, width / 2, header / 2),
                *((n, x + shift, y + header) for n, x, y in inner.items),
            ],
        )

    tops = [n for n in (*upper, *blocks) if n not in parent]
    whole = _pack([block_of(n) for n in _by_size(tops, block_of, order)], aspect=1.3)
    return {n: (round(x, 1), round(y, 1)) for n, x, y in whole.items}


def _by_size(
    names: Iterable[str], block_of: Callable[[str], Block], order: Callable[[str], Any]
) -> list[str]:
    return sorted(names, key=lambda n: (-block_of(n).width * block_of(n).height, order(n)))


# ---------------------------------------------------------------- page data


@functools.cache
def _s2t():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("s2t")


def _search_keys(label: str, alts: list[str]) -> list[str]:
    """What a search may type to find a node: the label in simplified and traditional
    characters, its other labels, and the pinyin of each without tones or spaces
    (施甜甜 → shitiantian; the page drops the spaces a user types, ``shi tiantian``)."""
    from kg.text import to_simplified

    converter = _s2t()
    names = {label, *(to_simplified(a) for a in alts)}
    keys = {label, converter.convert(label), *alts, *names, *(pinyin(n) for n in names)}
    return sorted(k.lower() for k in keys if k)


def pinyin(text: str) -> str:
    """The pinyin of the Chinese characters of ``text``, without tones or spaces; other
    characters as they are (pypinyin's own dictionary, offline).

    >>> pinyin("施甜甜"), pinyin("锦南街道"), pinyin("1+N")
    ('shitiantian', 'jinnanjiedao', '1+N')
    """
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(text)).replace(" ", "")


def page_data(
    view: nx.MultiDiGraph, title: str, hidden: Iterable[str] | None = None
) -> dict[str, Any]:
    """Everything the page needs, as plain JSON-able data.

    pyvis builds each vis-network node and edge (id, label, shape, colour, size, position;
    from, to, arrows) and the options; we add what the panel, search and filters need.
    Empty fields are left out and article titles are given once: at 10 000 nodes every
    byte is read by the browser before the map appears.
    """
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    hidden = hidden_by_default() if hidden is None else frozenset(hidden)
    member = memberships(view)
    positions = layout(view, member, hidden)
    articles = _articles(view)
    ordered = sorted(view)
    index = {node: i for i, node in enumerate(ordered)}
    net = Network(directed=True, cdn_resources="in_line")
    # Positions are computed above at every size, so physics stays off for the whole
    # network: per-node physics=False still lets vis stabilise for ~20 s at 2 k nodes.
    net.toggle_physics(False)
    net.toggle_stabilization(False)
    net.inherit_edge_colors(False)
    counts: dict[str, int] = defaultdict(int)
    styles = class_styles()
    for node in ordered:
        attrs = view.nodes[node]
        kind = _type(view, node) if _type(view, node) in styles else OTHER
        counts[kind] += 1
        style = styles[kind]
        label = metric_label(attrs) if kind == "Metric" else _label(view, node)
        alts = [str(a) for a in attrs.get("alt_labels", []) or []]
        x, y = positions[node]
        # pyvis's Node, not Network.add_node: add_node checks a list per node (O(n²)).
        item = Node(
            index[node],
            style["shape"],
            label=label,
            x=x,
            y=y,
            color=style["color"],
            size=style["size"],
        ).options
        item.update(
            iri=node,
            type=kind,
            articles=[str(a) for a in attrs.get("articles") or []],
            evidence=_evidence(attrs, articles),
        )
        keys = _search_keys(label, alts)
        if keys != [label.lower()]:
            item["search"] = keys
        if alts:
            item["altLabels"] = alts
        sds = [index[s] for s in member.get(node, []) if s in index]
        if sds:
            item["sds"] = sds
        if kind == "Metric":
            item["metric"] = _metric(attrs)
        net.nodes.append(item)
        net.node_ids.append(index[node])
    ranked = sorted(
        view.edges(keys=True, data=True), key=lambda e: (index[e[0]], index[e[1]], str(e[2]))
    )
    relations: dict[str, str] = {}
    labelled: set[tuple[int, str]] = set()
    for i, (u, v, key, attrs) in enumerate(ranked):
        label = str(attrs.get("label") or key)
        short = str(key).split(":")[0]
        relations.setdefault(short, str(attrs.get("predicate") or key))
        item = Edge(index[u], index[v], directed=True, id=i, label=label).options
        item.update(key=short, evidence=_evidence(attrs, articles))
        if attrs.get("post"):
            item["post"] = str(attrs["post"])
        if attrs.get("derived"):
            item["derived"] = True
            item["derivations"] = list(attrs.get("derivations") or [])
        # Thinning: thirty 组织方 around one subdistrict say one thing. Only the first edge
        # with a label at a node carries it when zoomed out; the page shows the others'
        # labels when zoomed in (``repeat``).
        ends = {(index[u], label), (-1 - index[v], label)}
        if ends & labelled:
            item["repeat"] = True
        else:
            labelled |= ends
        net.edges.append(item)
    options = json.loads(net.options.to_json())
    options["edges"]["smooth"] = False  # straight edges: "dynamic" adds a node per edge
    classes = {t: {**style, "count": counts.get(t, 0)} for t, style in styles.items()}
    return {
        "title": title,
        "nodes": net.nodes,
        "edges": net.edges,
        "relations": relations,
        "options": options,
        "classes": classes,
        "font": FONT,
        "visibleByDefault": [t for t in classes if t not in hidden],
        "overview": _overview(view, member, index),
        "derivedRules": _rules(),
        "articles": articles,
        "concepts": _concepts(),
    }


def _concepts() -> dict[str, dict[str, str]]:
    """Captions of the qualifier and metric-kind concepts, from the ontology."""
    from kg.ontology import KG
    from kg.schema import concept_labels

    return {
        "qualifier": concept_labels(KG.Qualifier),
        "kind": concept_labels(KG.MetricKind),
        "basis": concept_labels(KG.Basis),
    }


Source = dict[str, str | bool]
"""A cited source in the panel's data: ``title``, ``file``, and ``date`` (an article that
states one) or ``reference: True`` (reference data, such as the division table)."""


def _evidence(attrs: dict[str, Any], articles: dict[str, Source]) -> list[dict]:
    """The evidence list without duplicates, and without the article title when the
    articles table has it."""
    out = []
    for item in _merge(attrs.get("evidence", []) or []):
        entry = dict(item)
        known = articles.get(str(entry.get("article")), {})
        if known.get("title") and entry.get("title") == known["title"]:
            del entry["title"]
        out.append(entry)
    return out


def _rules() -> dict[str, dict[str, str]]:
    """The derivation rules by name: label and what each says (``ontology/rules/``)."""
    from kg.derive import rules

    return {r.name: {"label": r.label, "en": r.labels.get("en", ""), "comment": r.comment}
            for r in rules()}


def _articles(view: nx.MultiDiGraph) -> dict[str, Source]:
    """The sources the shown nodes and edges cite, with their titles (an article of the
    corpus, or reference data such as the division codes, titled by its evidence)."""
    cited: dict[str, str] = {}
    for _, d in view.nodes(data=True):
        for article in d.get("articles", []) or []:
            cited.setdefault(str(article), "")
    evidence = [e for _, d in view.nodes(data=True) for e in d.get("evidence", []) or []]
    evidence += [e for _, _, d in view.edges(data=True) for e in d.get("evidence", []) or []]
    for e in evidence:
        key = str(e.get("article"))
        if not cited.get(key):
            cited[key] = str(e.get("title") or "")
    known = view.graph.get("articles") or {}
    out: dict[str, Source] = {}
    for key in sorted(cited):
        info = known.get(key) or {}
        title = str(info.get("title") or cited[key])
        out[key] = {"title": title, "file": str(info.get("file", ""))}
        if info.get("published"):  # the date the article states; none means undated
            out[key]["date"] = str(info["published"])
        if key not in known:  # reference data (the division table), not an article
            out[key]["reference"] = True
    return out


def article_texts(view: nx.MultiDiGraph, cited: dict[str, Source]) -> dict[str, str]:
    """The text of each cited article the graph knows (``graph.graph["articles"]``)."""
    known = view.graph.get("articles") or {}
    return {
        key: str(known[key]["text"])
        for key in cited
        if isinstance(known.get(key), dict) and known[key].get("text")
    }


def _overview(
    view: nx.MultiDiGraph, member: dict[str, list[str]], index: dict[str, int]
) -> list[dict[str, Any]]:
    """Who ran what where, per subdistrict: the panel's first view.

    ``initiatives`` counts as ``kg stats`` does (:func:`kg.analytics.initiatives_per_subdistrict`:
    organized by it or held in it or in a place inside it); ``map`` counts the nodes its map
    cluster holds (everything joined to it, such as an initiative of one of its
    communities), which can be more. ``byOffice`` is how many initiatives are under each
    person by office (derived edges).
    """
    from kg.analytics import initiatives_per_subdistrict

    stated = initiatives_per_subdistrict(view)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for node, sds in member.items():
        if sds:
            counts[sds[0]][_type(view, node)] += 1
    by_office: dict[str, int] = defaultdict(int)
    for _, v, d in view.edges(data=True):
        if d.get("derived"):
            by_office[v] += 1
    out = []
    for sd in sorted(
        (n for n in view if _is_cluster(view, n)), key=lambda n: (_label(view, n), n)
    ):
        people = sorted(
            {
                (_rank(_type(view, u)), _label(view, u), str(d.get("label") or k), u)
                for u, _, k, d in view.in_edges(sd, keys=True, data=True)
                if _type(view, u) in ("Official", "Person")
            }
        )
        out.append(
            {
                "id": index[sd],
                "label": _label(view, sd),
                "areas": [_label(view, a) for a in area_chain(view, sd)],
                "people": [
                    {"id": index[u], "label": label, "role": role, "byOffice": by_office[u]}
                    for _, label, role, u in people
                ],
                "initiatives": len(stated.get(_label(view, sd), [])),
                "map": {
                    t: counts[sd][t]
                    for t in ("Initiative", "Enterprise", "Community", "Metric")
                    if counts[sd][t]
                },
            }
        )
    return out


def metric_label(attrs: dict[str, Any]) -> str:
    """A metric's label on the map, with its number as the article writes it.

    The graph's label is composed from sourced parts (规上企业 120家); the qualifier is a
    concept, so the label alone would say 120家 where the article says 120余家. Here the
    number is read back from the metric's own quote: the value, with the qualifier words
    around it (余, 多, 近, 约 ... of ``ontology/extract/numbers.yaml``), its scale and its
    unit, exactly as written. A qualifier the quote does not show next to the number (力争,
    预计, or a Chinese numeral) is added as its caption: 增幅 20%（目标）.

    >>> metric_label({"indicator": "企业", "value": "120", "unit": "家",
    ...     "qualifier": "more-than", "evidence": [{"quote": "走访企业120余家"}]})
    '企业 120余家'
    >>> metric_label({"indicator": "增幅", "value": "20", "unit": "%",
    ...     "qualifier": "target", "evidence": [{"quote": "力争增幅达到20%"}]})
    '增幅 20%（目标）'
    """
    from kg.text import normalize

    indicator = attrs.get("indicator") or attrs.get("label") or "指标"
    value = attrs.get("value")
    if value is None:
        return str(attrs.get("label") or f"{indicator}（数值缺失）")
    scale, unit = attrs.get("scale") or "", attrs.get("unit") or ""
    qualifier = attrs.get("qualifier")
    quotes = [normalize(str(e.get("quote", ""))).text for e in attrs.get("evidence") or []]
    phrase = next((p for q in quotes if (p := _number_phrase(q, str(value), scale, unit))), None)
    text = phrase or f"{value}{scale}{unit}"
    shown = phrase is not None and phrase != f"{value}{scale}{unit}"
    if qualifier and not shown:
        from kg.ontology import KG
        from kg.schema import concept_labels

        caption = concept_labels(KG.Qualifier).get(str(qualifier), str(qualifier))
        text += f"（{caption.split(' · ')[0]}）"
    return f"{indicator} {text}"


def _number_phrase(quote: str, value: str, scale: str, unit: str) -> str | None:
    """The words of ``quote`` that write ``value``: qualifier words before it, then the
    number, and scale, qualifier words and unit after it, as long as they are contiguous."""
    from kg.numbers import vocabulary

    words = vocabulary()
    before = sorted(words.qualifiers_before, key=len, reverse=True)
    after = sorted({*words.qualifiers_after, *([scale] if scale else [])}, key=len, reverse=True)
    start = quote.find(value)
    while start >= 0:
        end = start + len(value)
        digit_next = end < len(quote) and (quote[end].isdigit() or quote[end] == ".")
        digit_before = start > 0 and (quote[start - 1].isdigit() or quote[start - 1] == ".")
        if not digit_next and not digit_before:
            head = start - next((len(w) for w in before if quote[:start].endswith(w)), 0)
            tail = end
            while word := next((w for w in after if quote.startswith(w, tail)), None):
                tail += len(word)
            if quote.startswith(unit, tail):
                return quote[head : tail + len(unit)]
        start = quote.find(value, start + 1)
    return None


def _metric(attrs: dict[str, Any]) -> dict[str, Any]:
    value = attrs.get("value")
    value = None if value is None else str(value)
    text = (
        "数值缺失 · value missing in source"
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
    so no label can close the script element or open a comment.

    >>> script_json({"a": "</script><!--&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003c!--\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _inline_script(code: str) -> str:
    """Library code inside ``<script>``: a literal ``</script`` would end the element."""
    return code.replace("</script", "<\\/script").replace("<!--", "<\\!--")


@functools.cache
def _vis_assets() -> tuple[str, str]:
    import pyvis

    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    if not lib.is_dir():  # pyvis 0.3.2 keeps a second copy at pyvis/lib
        lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return (
        _inline_script((lib / "vis-network.min.js").read_text("utf-8")),
        (lib / "vis-network.css").read_text("utf-8"),
    )


def render(
    graph: nx.MultiDiGraph,
    path: str | Path | None = None,
    *,
    subdistrict: str | None = None,
    title: str | None = None,
    collapse: bool = True,
    hidden: Iterable[str] | None = None,
    reader_url: str | None = None,
) -> str:
    """The viewer page for ``graph`` as one self-contained HTML string.

    ``subdistrict`` (label, alternative label or IRI) restricts the map to that
    subdistrict's neighbourhood; an unknown one raises ``ValueError`` naming the known ones.
    ``collapse`` replaces Post and Role nodes by labelled edges (person —党工委书记→ place);
    ``hidden`` lists the classes not shown until asked for. Every quote can be opened in
    its article: the texts the map cites are embedded, so the page stays one offline file,
    unless ``reader_url`` names a reader page to link to instead (``kg serve``'s
    ``/reader``, given ``?article=ID&start=S&end=E``). With ``path``, the page is also
    written there atomically (a temporary file in the same folder, then renamed).
    """
    from jinja2 import Environment
    from markupsafe import Markup

    view = collapse_posts(graph) if collapse else nx.MultiDiGraph(graph)
    view.graph.update(graph.graph)
    if subdistrict:
        view = restrict(view, subdistrict)
    heading = title or (
        f"Jiedao KG · {_label(view, find_subdistrict(view, subdistrict))}"
        if subdistrict
        else "Jiedao KG · 街道知识图谱: 谁在哪里推动了什么"
    )
    data = page_data(view, heading, hidden)
    if reader_url is not None:
        data["reader"] = reader_url
    else:
        data["texts"] = article_texts(view, data["articles"])
    viz_dir = resource_dir("viz")
    env = Environment(autoescape=True)
    template = env.from_string((viz_dir / "template.html").read_text("utf-8"))
    vis_js, vis_css = _vis_assets()
    page = template.render(
        title=heading,
        data=Markup(script_json(data)),
        vis_js=Markup(vis_js),
        vis_css=Markup(vis_css),
        viewer_js=Markup(_inline_script((viz_dir / "viewer.js").read_text("utf-8"))),
        viewer_css=Markup((viz_dir / "viewer.css").read_text("utf-8")),
    )
    if path is not None:
        from kg.publish import write_bytes

        write_bytes(path, page.encode("utf-8"))
    return page
