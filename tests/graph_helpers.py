"""Lookups the per-article tests share: a node of one article by label, a node's targets."""

from __future__ import annotations


def in_article(data: dict, *, article: str) -> bool:
    """Whether a node's evidence includes ``article``."""
    return article in data.get("articles", [])


def node_in_article(g, label: str, type_: str | None = None, *, article: str) -> str:  # type: ignore[no-untyped-def]
    """The one node of ``article`` with this label (and type): failing loudly otherwise."""
    found = [
        n
        for n, d in g.nodes(data=True)
        if d.get("label") == label
        and in_article(d, article=article)
        and (type_ is None or d.get("type") == type_)
    ]
    assert len(found) == 1, (
        f"expected one node {label!r} ({type_}) from article {article}, got {found}"
    )
    return found[0]


def targets(g, node: str, key: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Labels of the nodes ``node`` points to with relation ``key``."""
    return {g.nodes[v].get("label") for _, v, k in g.out_edges(node, keys=True) if k == key}
