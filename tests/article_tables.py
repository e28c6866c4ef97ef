"""The expected tables of each seed article, read from ``tests/articles/NNN.yaml``.

A table says what a reader of the article expects to find in the graph: its named nodes,
posts, relations and numbers, and what it must not contain. The tables are written from
the articles themselves, never from the fact files, so a wrong fact file fails a test
instead of teaching it the wrong answer. ``tests/test_articles.py`` checks every row.

A table file with a key this module does not know, or a row of the wrong shape, is an
error naming the file: a typo in a table must not silently check nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DIR = Path(__file__).resolve().parent / "articles"

METRIC_KEYS = {
    "indicator", "value", "scale", "unit", "qualifiers", "kind", "area", "period", "result_of",
}  # fmt: skip
TABLE_KEYS = {
    "article", "published", "start_dates", "not_annotated", "namesakes",
    "nodes", "posts", "edges", "alt_labels", "unstated", "metrics",
}  # fmt: skip


@dataclass(frozen=True)
class Metric:
    """One number of an article, as a row comparable with one read from the graph.

    ``value`` is the exact decimal as a string (``None`` when the article lost its digits);
    ``qualifiers``, ``areas`` and ``result_of`` are sorted tuples, since a metric may have
    several of each.
    """

    indicator: str
    value: str | None
    scale: str | None
    unit: str | None
    qualifiers: tuple[str, ...]
    kind: str | None
    areas: tuple[str, ...]
    period: str | None
    result_of: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """What one article states: every list is complete unless its field says otherwise."""

    article: str
    published: str | None
    nodes: tuple[tuple[str, str], ...]  # (label, class)
    posts: tuple[tuple[str, str, str], ...]  # (person, role, post in)
    edges: tuple[tuple[str, str, str], ...]  # (subject, fact key, object)
    unstated: tuple[tuple[str, str, frozenset[str]], ...]  # (subject, key, table's objects)
    alt_labels: tuple[tuple[str, str], ...]  # (label, alternative label): some, not all
    start_dates: dict[str, frozenset[str]]  # label -> dates; no other node has one
    metrics: tuple[Metric, ...]
    not_annotated: frozenset[str]  # words of the article that must not become nodes
    namesakes: frozenset[str]  # labels that other articles use for other nodes


class TableError(ValueError):
    """A table file that cannot be read as a table."""


def _rows(data: dict[str, Any], key: str, n: int, path: Path) -> tuple[tuple[str, ...], ...]:
    """The rows under ``key``, each a list of ``n`` strings."""
    rows = data.get(key) or []
    for i, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == n and all(isinstance(v, str) for v in row)):
            raise TableError(f"{path}: {key} row {i + 1}: expected {n} strings, got {row!r}")
    return tuple(tuple(row) for row in rows)


def _list(value: Any) -> tuple[str, ...]:
    """A string or a list of strings, as a sorted tuple (``None`` is the empty tuple)."""
    if value is None:
        return ()
    return tuple(sorted([value] if isinstance(value, str) else value))


def _metric(row: Any, where: str) -> Metric:
    if not isinstance(row, dict) or "indicator" not in row or "area" not in row:
        raise TableError(f"{where}: a metric needs at least 'indicator' and 'area': {row!r}")
    if unknown := set(row) - METRIC_KEYS:
        raise TableError(f"{where}: unknown metric key(s) {sorted(unknown)}")
    value = row.get("value")
    if value is not None and not isinstance(value, str):
        raise TableError(f"{where}: write the value {value!r} as a quoted decimal string")
    return Metric(
        indicator=row["indicator"],
        value=value,
        scale=row.get("scale"),
        unit=row.get("unit"),
        qualifiers=_list(row.get("qualifiers")),
        kind=row.get("kind"),
        areas=_list(row["area"]),
        period=row.get("period"),
        result_of=_list(row.get("result_of")),
    )


def load(path: Path) -> Table:
    """Read one table file; :class:`TableError` names the file and the bad part."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise TableError(f"{path}: not a mapping")
    if unknown := set(data) - TABLE_KEYS:
        raise TableError(f"{path}: unknown key(s) {sorted(unknown)}")
    if data.get("article") != path.stem:
        raise TableError(f"{path}: 'article' must be {path.stem!r}")
    nodes = data.get("nodes") or {}
    if not isinstance(nodes, dict) or not all(
        isinstance(labels, list) and all(isinstance(x, str) for x in labels)
        for labels in nodes.values()
    ):
        raise TableError(f"{path}: 'nodes' maps each class to a list of labels")
    unstated = []
    for i, row in enumerate(data.get("unstated") or []):
        if not (isinstance(row, list) and len(row) == 3 and isinstance(row[2], list)):
            raise TableError(f"{path}: unstated row {i + 1}: give [subject, key, [objects]]")
        unstated.append((row[0], row[1], frozenset(row[2])))
    return Table(
        article=data["article"],
        published=data.get("published"),
        nodes=tuple((label, cls) for cls, labels in nodes.items() for label in labels),
        posts=_rows(data, "posts", 3, path),  # type: ignore[arg-type]
        edges=_rows(data, "edges", 3, path),  # type: ignore[arg-type]
        unstated=tuple(unstated),
        alt_labels=_rows(data, "alt_labels", 2, path),  # type: ignore[arg-type]
        start_dates={k: frozenset(v) for k, v in (data.get("start_dates") or {}).items()},
        metrics=tuple(
            _metric(r, f"{path}: metrics row {i + 1}")
            for i, r in enumerate(data.get("metrics") or [])
        ),
        not_annotated=frozenset(data.get("not_annotated") or ()),
        namesakes=frozenset(data.get("namesakes") or ()),
    )


def tables() -> dict[str, Table]:
    """Every article's table, by article id."""
    return {t.article: t for t in map(load, sorted(DIR.glob("*.yaml")))}
