"""Competency questions on the real data, through the Python API and the exported file."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Literal

from kg.sparql import QueryError, named_queries
from kg.store import query


def test_every_library_query_has_a_question_and_parses(seed_build):
    library = named_queries()
    assert len(library) >= 10
    for q in library.values():
        assert q.question.endswith("?"), q.name
        query(seed_build, q.name)  # runs without error


def test_secretary_of_jinnan_from_the_exported_turtle(seed_ttl):
    rows = query(seed_ttl, "secretaries", subdistrict="锦南街道").values()
    names = {(r[0], r[2], r[3]) for r in rows}
    assert ("锦南街道", "雷新钱", "党工委书记") in names
    quotes = {r[4] for r in rows if r[2] == "雷新钱"}
    assert quotes == {"锦南街道党工委书记雷新钱"}
    start, end = next((r[5], r[6]) for r in rows if r[2] == "雷新钱")
    assert end - start == len("锦南街道党工委书记雷新钱")


def test_metrics_of_jinnan_keep_value_unit_scale_qualifier(seed_build):
    rows = list(query(seed_build, "metrics", area="锦南街道"))
    output = next(r for r in rows if str(r["indicator"]) == "规模工业总产值")
    assert output["value"] == Literal("13.43", datatype=output["value"].datatype)
    assert output["value"].toPython() == Decimal("13.43")
    assert (str(output["scale"]), str(output["unit"])) == ("亿", "元")
    assert str(output["qualifier"]) == "forecast"
    more = [r for r in rows if str(r["qualifier"] or "") == "more-than"]
    assert {r["value"].toPython() for r in more} >= {Decimal(50), Decimal(300)}


def test_posts_of_a_person(seed_build):
    rows = query(seed_build, "posts", person="程建").values()
    assert sorted((r[1], r[2]) for r in rows) == [
        ("业委会主任", "水岸阳光小区"),
        ("亭长", "阳光议事亭"),
    ]


def test_initiatives_by_official(seed_build):
    rows = query(seed_build, "initiatives-by-official", person="程建").values()
    assert ("程建", "leads", "阳光议事亭", "stated") in {r[:4] for r in rows}


def test_enterprises_served(seed_build):
    rows = query(seed_build, "enterprises-served").values()
    assert ("疫情防控企业有序复工工作专班", "小王子食品有限公司") in {r[:2] for r in rows}


def test_evidence_of_one_fact(seed_build):
    from kg.ontology import KG
    from kg.rdf import entity_iri

    rows = query(seed_build, "evidence", s=entity_iri("lei-xinqian"), p=KG.holds).values()
    assert [r[4] for r in rows] == ["锦南街道党工委书记雷新钱"]


def test_binding_cannot_inject(seed_build):
    hostile = '锦南街道" ) } ; DROP ALL ; #'
    assert len(query(seed_build, "secretaries", subdistrict=hostile)) == 0


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("LOAD <http://example.org/x.ttl>", "updates"),
        ("DROP ALL", "updates"),
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "updates"),
        ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
        ("SELECT * WHERE { ?s ?p }", "invalid SPARQL"),
        ("no-such-query", "no query named"),
    ],
)
def test_refused_queries(seed_build, text, message):
    with pytest.raises(QueryError, match=message):
        query(seed_build, text)


def test_initiative_in_several_articles_is_one_node_found_by_the_query(tmp_path):
    """No seed initiative recurs across articles, so two small articles show the query works."""
    import yaml

    from kg.builder import build

    data = tmp_path / "data"
    (data / "articles").mkdir(parents=True)
    (data / "facts").mkdir()
    for aid, text in (("a", "甲街道推行楼长制。"), ("b", "乙街道也推行楼长制。")):
        (data / "articles" / f"{aid}.txt").write_text(text, encoding="utf-8")
        facts = {"article": {"id": aid, "file": f"{aid}.txt", "title": text[:3]},
                 "entities": [{"id": "louzhangzhi", "type": "Initiative", "label": "楼长制",
                               "quote": "推行楼长制"}]}
        (data / "facts" / f"{aid}.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True))
    result = build(data)
    rows = query(result, "initiatives-in-several-articles").values()
    assert {r[:2] for r in rows} == {("楼长制", 2)}
    assert sorted((r[3], r[4]) for r in rows) == [("a", "推行楼长制"), ("b", "推行楼长制")]
