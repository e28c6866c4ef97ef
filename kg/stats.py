"""Counts that summarise a build: per class, per article."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.table import Table


def class_counts(result: Any) -> dict[str, int]:
    """Entities per class (most specific), then facts (statements), derived facts (the
    rules of ``ontology/rules/``), evidence quotes, articles and triples.

    Counted from the build's triples, so that the summary of a million-triple build
    needs no networkx graph.
    """
    from kg.ontology import KG
    from kg.schema import entity_classes, superclasses

    classes = entity_classes()
    by_iri = {f"<{iri}>": name for name, iri in classes.items()}
    depth = {name: len(superclasses(iri)) for name, iri in classes.items()}
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    most_specific: dict[str, str] = {}
    marker = f" {rdf_type} "
    for line in result.distinct:  # counts need no order
        if marker not in line:  # most lines; a substring test is far cheaper than a split
            continue
        subject, predicate, rest = line.split(" ", 2)
        name = by_iri.get(rest[:-2]) if predicate == rdf_type else None
        if name and depth[name] > depth.get(most_specific.get(subject, ""), -1):
            most_specific[subject] = name
    counts: dict[str, int] = dict(sorted(Counter(most_specific.values()).items()))
    counts["facts (statements)"] = result.count(KG.Statement)
    counts["derived facts (by rule)"] = result.count(KG.DerivedStatement)
    counts["evidence quotes"] = result.count(KG.Evidence)
    counts["articles"] = len(result.corpus.files)
    counts["triples"] = result.triple_count
    return counts


def _statements(result: Any) -> int:
    from kg.ontology import KG

    return int(result.count(KG.Statement))


def article_counts(result: Any) -> list[dict[str, Any]]:
    """Per article: entities by class and facts, from the fact files."""
    rows = []
    for f in result.corpus.files:
        types = Counter(e.type for e in f.entities)
        props = sum(len(v) for e in f.entities for v in e.props.values())
        rows.append(
            {
                "article": f.article.id,
                "title": f.article.title,
                "entities": len(f.entities),
                "facts": props + len(f.facts),
                **{k: types.get(k, 0) for k in counted_classes()},
            }
        )
    return rows


def _add(table: Table, *values: Any, **options: Any) -> None:
    """A row of plain cells: labels from fact files are never read as rich markup."""
    from kg.present import cell

    table.add_row(*(cell(v) for v in values), **options)


def counted_classes() -> list[str]:
    """The classes the per-article table counts (``kg:counted`` in classes.ttl)."""
    from kg.schema import classes

    return [name for name, info in classes().items() if info.counted]


def article_table(result: Any) -> Table:
    """Entities and facts per article; the last row counts distinct entities of the corpus."""
    table = Table(
        title="Entities and facts per article",
        show_edge=False,
        caption="facts = statements with evidence; shared entities are one node",
    )
    columns = ("entities", "facts", *counted_classes())
    table.add_column("article")
    for name in columns:
        table.add_column(name, justify="right")
    for row in article_counts(result):
        _add(table, row["article"], *(str(row[k]) for k in columns))
    distinct = Counter(t for _, t in result.graph.nodes(data="type"))
    _add(
        table,
        "distinct",
        str(result.graph.number_of_nodes()),
        str(_statements(result)),
        *(str(distinct.get(k, 0)) for k in counted_classes()),
        style="bold",
    )
    return table


def analytics_tables(result: Any) -> list[Table]:
    """The network analytics of :mod:`kg.analytics` as rich tables."""
    from kg import analytics

    graph = result.graph
    officials = Table(title="Officials: degree and betweenness", show_edge=False)
    for name in ("official", "degree", "betweenness"):
        officials.add_column(name, justify="left" if name == "official" else "right")
    for row in analytics.official_centrality(graph):
        _add(officials, row["label"], str(row["degree"]), f"{row['betweenness']:.4f}")

    per_sd = Table(title="Initiatives per subdistrict", show_edge=False)
    per_sd.add_column("subdistrict")
    per_sd.add_column("n", justify="right")
    per_sd.add_column("initiatives")
    for sd, initiatives in analytics.initiatives_per_subdistrict(graph).items():
        _add(per_sd, sd, str(len(initiatives)), "、".join(initiatives))

    shared = Table(title="Enterprises shared between initiatives", show_edge=False)
    for name in ("initiative", "initiative", "shared enterprises"):
        shared.add_column(name)
    for a, b, common in analytics.shared_enterprises(graph):
        _add(shared, a, b, "、".join(common))

    parts = Table(title="Connected components", show_edge=False)
    for name in ("size", "types", "sample"):
        parts.add_column(name, justify="right" if name == "size" else "left")
    for row in analytics.components(graph):
        _add(parts, str(row["size"]), ", ".join(row["types"]), "、".join(row["sample"]))
    return [officials, per_sd, shared, parts]
