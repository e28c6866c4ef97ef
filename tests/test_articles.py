"""Each seed article against the table a reader wrote from it (``tests/articles/NNN.yaml``).

The tables are written from the articles themselves, not from the fact files (see
``tests/article_tables.py``). Every row is one test, so a failure names the article and the
row; every "and no other" of a table is one test per article (nothing unexpected in the
graph). The tests are the same for every article: what differs is data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
from rdflib import Literal, URIRef

from kg import text
from kg.ontology import KG
from kg.rdf import article_iri
from kg.store import query
from tests import graph_helpers as gh
from tests.article_tables import Table, TableError, load, tables

TABLES = tables()
SCHEMA_DATE_PUBLISHED = URIRef("https://schema.org/datePublished")


def per_article() -> list[Any]:
    return [pytest.param(t, id=a) for a, t in TABLES.items()]


def per_row(field: str) -> list[Any]:
    """One param (table, row) for every row of ``field`` in every table."""
    return [
        pytest.param(t, row, id=f"{a}-{'-'.join(_flat(row))}")
        for a, t in TABLES.items()
        for row in getattr(t, field)
    ]


def _flat(row: Iterable[object]) -> list[str]:
    return [",".join(sorted(x)) if isinstance(x, frozenset) else str(x) for x in row]


def test_every_seed_article_has_a_table(seed_build):
    assert sorted(TABLES) == sorted(seed_build.corpus.articles)


# ---------------------------------------------------------------- named nodes


@pytest.mark.parametrize(("table", "row"), per_row("nodes"))
def test_node(seed_build, table: Table, row):
    """The article yields this node, and it is the only node of that label in the whole
    graph (the same thing in two articles is one node), unless the table names it a namesake
    of another article's node, which must then stay a node of its own."""
    label, type_ = row
    g = seed_build.graph
    gh.node_in_article(g, label, type_, article=table.article)
    found = [n for n, d in g.nodes(data=True) if d.get("label") == label]
    if label in table.namesakes:
        assert len(found) > 1, f"{label}: one node, but the table names it a namesake"
    else:
        assert len(found) == 1, f"{label}: {len(found)} nodes"


@pytest.mark.parametrize("table", per_article())
def test_no_unexpected_named_nodes(seed_build, table: Table):
    """Every named node of the article is in the table (posts and metrics are composed)."""
    assert gh.named_nodes(seed_build.graph, table.article) == set(table.nodes)


@pytest.mark.parametrize("table", per_article())
def test_words_that_are_not_annotated(seed_build, table: Table):
    """Bylines, reporters, footers and unnamed levels yield no node."""
    labels = {d.get("label") for _, d in gh.nodes_of(seed_build.graph, table.article)}
    assert not table.not_annotated & labels


@pytest.mark.parametrize(("table", "row"), per_row("alt_labels"))
def test_alt_label(seed_build, table: Table, row):
    label, alt = row
    g = seed_build.graph
    assert alt in g.nodes[gh.node_in_article(g, label, article=table.article)]["alt_labels"]


# ---------------------------------------------------------------- posts


@pytest.mark.parametrize(("table", "row"), per_row("posts"))
def test_post(seed_build, table: Table, row):
    person, role, where = row
    g = seed_build.graph
    p = gh.node_in_article(g, person, article=table.article)
    held = [v for _, v, k in g.out_edges(p, keys=True) if k == "holds"]
    assert any(
        gh.targets(g, post, "role") == {role} and gh.targets(g, post, "postIn") == {where}
        for post in held
    ), f"{person} holds no post {role} in {where}"


@pytest.mark.parametrize("table", per_article())
def test_no_unexpected_posts(seed_build, table: Table):
    assert gh.posts(seed_build.graph, table.article) == set(table.posts)


# ---------------------------------------------------------------- relations


@pytest.mark.parametrize(("table", "row"), per_row("edges"))
def test_edge(seed_build, table: Table, row):
    subject, key, obj = row
    g = seed_build.graph
    assert obj in gh.targets(g, gh.node_in_article(g, subject, article=table.article), key)


@pytest.mark.parametrize("table", per_article())
def test_no_unexpected_edges(seed_build, table: Table):
    """The article's quotes support exactly the table's relations; the official division
    table adds exactly the table's unstated ones."""
    g = seed_build.graph
    assert gh.stated_edges(g, table.article) == set(table.edges)
    unstated = {(s, k, o) for s, k, objects in table.unstated for o in objects}
    assert gh.reference_edges(g, table.article) == unstated


@pytest.mark.parametrize("table", per_article())
def test_leaders_are_the_tables(seed_build, table: Table):
    """Who leads what: no ``leads`` edge touches the article's nodes unless the table has it
    (most articles name nobody who led or ran an initiative)."""
    g = seed_build.graph
    ours = {n for n, _ in gh.nodes_of(g, table.article)}
    leads = {
        (g.nodes[u]["label"], k, g.nodes[v]["label"])
        for u, v, k in g.edges(keys=True)
        if k == "leads" and (u in ours or v in ours)
    }
    assert leads == {e for e in table.edges if e[1] == "leads"}


@pytest.mark.parametrize(("table", "row"), per_row("unstated"))
def test_unstated_relation_comes_from_the_division_table_alone(seed_build, table: Table, row):
    """No article quote supports these; only the official division table may (禅城区 is in
    佛山市 there), and then the edge's evidence is the table's record alone."""
    subject, key, objects = row
    g = seed_build.graph
    node = gh.node_in_article(g, subject, article=table.article)
    assert gh.targets(g, node, key) == objects
    for _, _, k, data in g.out_edges(node, keys=True, data=True):
        if k == key:
            assert {e["article"] for e in data["evidence"]} == {"reference"}, (subject, key)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("table", per_article())
def test_start_dates(seed_build, table: Table):
    """Start dates only where the article gives one (never from a date that lost digits)."""
    union = seed_build.union()
    found: dict[str, frozenset[str]] = {}
    for n, d in gh.nodes_of(seed_build.graph, table.article):
        dates = frozenset(str(o) for o in union.objects(URIRef(n), KG.startDate))
        if dates:
            found[d["label"]] = dates
    assert found == table.start_dates


@pytest.mark.parametrize("table", per_article())
def test_publication_date(seed_build, table: Table):
    union = seed_build.union()
    dates = {str(d) for d in union.objects(article_iri(table.article), SCHEMA_DATE_PUBLISHED)}
    assert dates == ({table.published} if table.published else set())
    assert seed_build.corpus.articles[table.article].published == table.published


# ---------------------------------------------------------------- metrics


@pytest.mark.parametrize("table", per_article())
def test_metrics(seed_build, table: Table):
    rows = gh.metric_rows(seed_build.graph, seed_build.union(), table.article)
    assert sorted(rows, key=repr) == sorted(table.metrics, key=repr)


@pytest.mark.parametrize("table", per_article())
def test_metric_values_are_the_tables_decimals(seed_build, table: Table):
    """The RDF values of the article's metrics are exactly the table's numbers (004 keeps
    only its two Chinese numerals), each an xsd:decimal or xsd:integer, never a boolean."""
    union = seed_build.union()
    values = [v for m in gh.rdf_metrics(union, table.article) for v in union.objects(m, KG.value)]
    # xsd:integer is derived from xsd:decimal: whole numbers may be typed either way
    assert all(isinstance(v, Literal) and isinstance(v.toPython(), (int, Decimal)) for v in values)
    assert not [v for v in values if isinstance(v.toPython(), bool)]
    expected = Counter(Decimal(m.value) for m in table.metrics if m.value is not None)
    assert Counter(Decimal(v.toPython()) for v in values) == expected


@pytest.mark.parametrize("table", per_article())
def test_lost_numbers_are_missing_not_guessed(seed_build, table: Table):
    """Every metric without a value says so, and no missing metric carries a value."""
    g, union = seed_build.graph, seed_build.union()
    metrics = [(n, d) for n, d in gh.nodes_of(g, table.article) if d["type"] == "Metric"]
    lost = [n for n, d in metrics if d.get("value") is None]
    assert len(lost) == sum(1 for m in table.metrics if m.value is None)
    for n, d in metrics:
        assert d["value_missing"] is (n in lost)
        if n in lost:
            assert union.value(URIRef(n), KG.value) is None
            assert union.value(URIRef(n), KG.valueMissing) == Literal(True)


@pytest.mark.parametrize("table", per_article())
def test_metrics_answer_through_the_metrics_query(seed_build, table: Table):
    """The ``metrics`` competency question, bound to each area, gives every row of the table
    (one answer row per qualifier: they are grouped back by the metric's quote)."""
    answers: set[tuple] = set()
    for area in sorted({a for m in table.metrics for a in m.areas}):
        grouped: dict[tuple, set[str]] = {}
        for r in query(seed_build, "metrics", area=area):
            value = r["value"]
            key = (
                str(r["area"]),
                str(r["indicator"]),
                None if value is None else Decimal(value.toPython()),
                r["scale"] and str(r["scale"]),
                r["unit"] and str(r["unit"]),
                r["kind"] and str(r["kind"]),
                r["period"] and str(r["period"]),
                r["missing"] is not None and r["missing"].toPython() is True,
                str(r["quote"]),
            )
            grouped.setdefault(key, set())
            if r["qualifier"] is not None:
                grouped[key].add(str(r["qualifier"]))
        answers |= {(*key[:-1], tuple(sorted(quals))) for key, quals in grouped.items()}
    for m in table.metrics:
        for area in m.areas:
            value = None if m.value is None else Decimal(m.value)
            row = (area, m.indicator, value, m.scale, m.unit, m.kind, m.period, value is None)
            assert (*row, m.qualifiers) in answers, row


# ---------------------------------------------------------------- evidence


@pytest.mark.parametrize("table", per_article())
def test_evidence_is_raw_text_outside_mojibake(seed_build, table: Table):
    """Every quote of the article maps to its raw text (003: traditional characters with
    pinyin), at its offsets, and never into a mojibake fragment."""
    g = seed_build.graph
    raw = seed_build.corpus.articles[table.article].text
    spans = text.find_mojibake(raw)
    records = [ev for _, d in g.nodes(data=True) for ev in d.get("evidence", [])]
    records += [ev for *_, d in g.edges(keys=True, data=True) for ev in d.get("evidence", [])]
    seen = 0
    for ev in records:
        if ev["article"] != table.article:
            continue
        seen += 1
        assert raw[ev["start"] : ev["end"]] == ev["quote"]
        assert all(ev["end"] <= a or b <= ev["start"] for a, b in spans)
    assert seen >= len(table.nodes)


# ---------------------------------------------------------------- the tables themselves


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('article: "009"\nedge: []\n', "unknown key(s) ['edge']"),
        ('article: "008"\n', "'article' must be '009'"),
        ('article: "009"\nposts: [[a, b]]\n', "posts row 1: expected 3 strings"),
        ('article: "009"\nmetrics: [{indicator: x, area: y, value: 5}]\n', "quoted decimal"),
        ('article: "009"\nmetrics: [{indicator: x, area: y, unti: 个}]\n', "unknown metric key"),
        ('article: "009"\nunstated: [[a, partOf]]\n', "unstated row 1"),
        ('article: "009"\nnodes: [a, b]\n', "'nodes' maps each class"),
    ],
)
def test_a_table_with_a_typo_is_an_error(tmp_path, text: str, message: str):
    """A misspelt key or a malformed row must not quietly check nothing."""
    path = tmp_path / "009.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TableError) as err:
        load(path)
    assert message in str(err.value) and str(path) in str(err.value)
