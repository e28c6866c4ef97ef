"""Counts that summarise a build: per class, per article.

The whole-build counts (``void.ttl``, the summary of ``kg build``) are a :class:`Tally`
of the union's lines. A tally of distinct lines adds up over graphs except where graphs
share a subject, so :func:`union_tally` sums the graphs' tallies (an unchanged article's
is the build cache's) and corrects for the few shared subjects alone: a warm build does
not visit the million lines of the unchanged articles.
"""

from __future__ import annotations

import bisect
import functools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class Tally:
    """What the counts of the whole build need from a set of distinct N-Triples lines."""

    triples: int = 0
    subjects: int = 0
    predicates: Counter[str] = field(default_factory=Counter)
    """Predicate IRI (without brackets) -> triples."""
    types: Counter[str] = field(default_factory=Counter)
    """Class (N-Triples) -> subjects typed with it."""
    specific: Counter[str] = field(default_factory=Counter)
    """Entity class name -> subjects whose most specific entity class it is."""

    def add(self, other: Tally, sign: int = 1) -> None:
        self.triples += sign * other.triples
        self.subjects += sign * other.subjects
        for mine, theirs in (
            (self.predicates, other.predicates),
            (self.types, other.types),
            (self.specific, other.specific),
        ):
            for key, n in theirs.items():
                mine[key] += sign * n
                if not mine[key]:
                    del mine[key]

    def to_json(self) -> list[Any]:
        return [self.triples, self.subjects, self.predicates, self.types, self.specific]

    @classmethod
    def from_json(cls, data: Any) -> Tally:
        """The inverse of :meth:`to_json`; ``ValueError`` or ``TypeError`` if malformed."""
        triples, subjects, *counters = data
        if not (isinstance(triples, int) and isinstance(subjects, int)):
            raise TypeError("tally")
        made = []
        for counter in counters:
            if not all(isinstance(k, str) and isinstance(n, int) for k, n in counter.items()):
                raise TypeError("tally")
            made.append(Counter(counter))
        return cls(triples, subjects, *made)


@functools.cache
def _specificity() -> tuple[dict[str, str], dict[str, int]]:
    """Entity class (N-Triples) -> name, and name -> depth (its number of superclasses)."""
    from kg.schema import entity_classes, superclasses

    classes = entity_classes()
    by_iri = {f"<{iri}>": name for name, iri in classes.items()}
    return by_iri, {name: len(superclasses(iri)) for name, iri in classes.items()}


def tally(lines: Iterable[str]) -> Tally:
    """The :class:`Tally` of distinct lines (a graph's, or the shared subjects' union).

    A subject typed with two entity classes counts under the deeper one; between two of
    the same depth, under the first in line order (``lines`` in any order: the types are
    sorted here, so the answer does not depend on a set's order).
    """
    by_iri, depth = _specificity()
    subjects: set[str] = set()
    predicates: Counter[str] = Counter()
    typed: list[tuple[str, str]] = []
    triples = 0
    for line in lines:
        subject, predicate, rest = line.split(" ", 2)
        triples += 1
        subjects.add(subject)
        predicates[predicate] += 1
        if predicate == _RDF_TYPE:
            typed.append((subject, rest[:-2]))
    most_specific: dict[str, str] = {}
    for subject, cls in sorted(typed):
        name = by_iri.get(cls)
        if name and depth[name] > depth.get(most_specific.get(subject, ""), -1):
            most_specific[subject] = name
    return Tally(
        triples,
        len(subjects),
        Counter({p[1:-1]: n for p, n in predicates.items()}),
        Counter(cls for _, cls in typed),
        Counter(most_specific.values()),
    )


def lines_about(ordered: list[str], subjects: Iterable[str]) -> list[str]:
    """The lines of ``ordered`` (sorted N-Triples lines) whose subject is one of
    ``subjects``: a subject's lines are one run of the sorted list, found by bisection."""
    found: list[str] = []
    for subject in subjects:
        head = subject + " "
        at = bisect.bisect_left(ordered, head)
        while at < len(ordered) and ordered[at].startswith(head):
            found.append(ordered[at])
            at += 1
    return found


def shared_subjects(subjects: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Graph -> its subjects that some other graph also describes (graphs without any are
    left out); ``subjects`` gives each graph's subjects."""
    seen: dict[str, str | None] = {}
    for graph, names in subjects.items():
        for subject in names:
            seen[subject] = graph if seen.get(subject, graph) == graph else None
    shared = {subject for subject, graph in seen.items() if graph is None}
    found: dict[str, list[str]] = {}
    if shared:
        for graph, names in subjects.items():
            mine = [s for s in names if s in shared]
            if mine:
                found[graph] = mine
    return found


def union_tally(
    tallies: Mapping[str, Tally],
    shared: Mapping[str, list[str]],
    ordered: Callable[[str], list[str]],
) -> Tally:
    """The :class:`Tally` of the union of graphs from each graph's (``tallies``): their
    sum, less what each graph's lines about ``shared`` subjects (:func:`shared_subjects`)
    gave it, plus the tally of the union of those lines. ``ordered(graph)`` is the
    graph's lines, sorted. The same counts as :func:`tally` of the union's lines."""
    total = Tally()
    for found in tallies.values():
        total.add(found)
    union: set[str] = set()
    for graph, subjects in shared.items():
        lines = lines_about(ordered(graph), subjects)
        total.add(tally(lines), -1)
        union.update(lines)
    total.add(tally(union))
    return total


def class_counts(result: Any, union: Tally | None = None) -> dict[str, int]:
    """Entities per class (most specific), then facts (statements), derived facts (the
    rules of ``ontology/rules/``), evidence quotes, articles and triples.

    Counted from the build's triples (``union``, their :class:`Tally`, when the caller
    has it), so that the summary of a million-triple build needs no networkx graph.
    """
    from kg.ontology import KG

    union = union if union is not None else tally(result.distinct)
    counts: dict[str, int] = dict(sorted(union.specific.items()))
    for name, cls in (
        ("facts (statements)", KG.Statement),
        ("derived facts (by rule)", KG.DerivedStatement),
        ("evidence quotes", KG.Evidence),
    ):
        counts[name] = union.types.get(f"<{cls}>", 0)
    counts["articles"] = len(result.corpus.files)
    counts["triples"] = union.triples
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
