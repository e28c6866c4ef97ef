"""kg.tables (kg/frames.py): the graph as DataFrames, the same from a build and from kg.ttl."""

from __future__ import annotations

import doctest
from decimal import Decimal

import pandas as pd
import pytest

import kg
from kg import frames
from kg.frames import tables


@pytest.fixture(scope="module")
def seed_tables(seed_build):
    return tables(seed_build)


def test_module_doctests():
    assert doctest.testmod(frames).failed == 0


def test_metric_values_are_numbers_and_scaled(seed_tables):
    metrics = seed_tables.metrics
    assert metrics["value"].dtype == "float64"
    assert metrics["scaled_value"].dtype == "float64"
    output = metrics.set_index("id").loc["m000-gongye-zongchanzhi"]
    assert output["value_text"] == "13.43"
    assert output["scale"] == "亿" and output["unit"] == "元"
    assert output["qualifier"] == "forecast" and output["area_label"] == "锦南街道"
    # exact: value_text × 10^8 equals the scaled value the query computed in decimal
    assert Decimal(output["value_text"]) * 10**8 == Decimal(int(output["scaled_value"]))
    # an unscaled value is its own scaled value; a missing one is NaN, never guessed
    unscaled = metrics[metrics["scale"].isna() & ~metrics["missing"]]
    assert len(unscaled) and (unscaled["value"] == unscaled["scaled_value"]).all()
    lost = metrics[metrics["missing"]]
    assert len(lost) and lost["value"].isna().all() and lost["scaled_value"].isna().all()
    assert metrics["id"].is_unique


def test_metrics_agree_with_the_named_query(seed_build, seed_tables):
    """The 'metrics' question (a row per area and qualifier) and the table (a row per
    metric) hold the same numbers; a metric with two qualifiers lists both."""
    rows = kg.query(seed_build, "metrics")
    expected = {
        (str(r["indicator"]), float(r["value"].toPython())) for r in rows if r["value"] is not None
    }
    table = seed_tables.metrics.dropna(subset=["value"])
    assert set(zip(table["indicator"], table["value"], strict=True)) == expected
    both = seed_tables.metrics.set_index("id").loc["m002-wutai-touzi"]
    assert both["qualifier"] == "approximately; target" and both["scaled_value"] == 1e6


def test_entities_have_their_most_specific_type(seed_tables, seed_build):
    entities = seed_tables.entities.set_index("id")
    assert entities.loc["lei-xinqian", "type"] == "Official"  # also a Person in the RDF
    assert entities.loc["jinnan-jiedao", "label"] == "锦南街道"
    assert "000" in entities.loc["jinnan-jiedao", "articles"].split("; ")
    assert len(entities) == sum(1 for _, d in seed_build.graph.nodes(data=True) if d.get("type"))


def test_relations_carry_labels_on_both_ends(seed_tables, seed_build):
    relations = seed_tables.relations
    row = relations[(relations["subject"] == "lei-xinqian") & (relations["predicate"] == "holds")]
    assert row[["subject_label", "object", "object_label"]].values.tolist() == [
        ["雷新钱", "jinnan-jiedao-dangongwei-shuji", "锦南街道党工委书记"]
    ]
    assert row["predicate_label"].tolist() == ["担任"]
    assert relations[["subject_label", "object_label"]].notna().all().all()
    assert len(relations) == seed_build.graph.number_of_edges()
    assert row["rule"].isna().all()  # stated


def test_relations_mark_what_is_derived_by_office(seed_tables, seed_build):
    relations = seed_tables.relations
    derived = relations[relations["rule"].notna()]
    edges = [(u, v) for u, v, d in seed_build.graph.edges(data=True) if d.get("derived")]
    assert len(derived) == len(edges) > 0
    assert set(derived["rule"]) == {"under-office"}
    assert set(derived["predicate"]) == {"underOfficial"}
    louzhang = derived[derived["subject_label"] == "楼长制"]
    assert louzhang[["object_label", "articles"]].values.tolist() == [["唐卫峰", "001"]]
    stated = relations[relations["rule"].isna()]
    triples = ["subject", "predicate", "object"]
    both = set(map(tuple, stated[triples].values)) & set(map(tuple, derived[triples].values))
    assert not both


def test_evidence_quotes_are_the_article_text(seed_tables, seed_build):
    evidence = seed_tables.evidence
    quoted = evidence[evidence["article"] != "reference"]
    assert quoted["start"].dtype == "Int64"
    texts = {a: seed_build.corpus.articles[a].text for a in quoted["article"].unique()}
    for row in quoted.itertuples():
        assert texts[row.article][row.start : row.end] == row.quote
    lei = evidence[(evidence["subject"] == "lei-xinqian") & (evidence["predicate"] == "holds")]
    assert lei[["article", "quote", "start", "end"]].values.tolist() == [
        ["000", "锦南街道党工委书记雷新钱", 188, 200]
    ]
    records = evidence[evidence["article"] == "reference"]
    assert len(records) and records["start"].isna().all() and records["quote"].notna().all()


def test_tables_from_the_exported_turtle_equal_the_build(seed_tables, seed_ttl):
    from_file = tables(str(seed_ttl))
    for name in ("entities", "relations", "evidence", "metrics"):
        pd.testing.assert_frame_equal(getattr(from_file, name), getattr(seed_tables, name))
