"""The five annotated seed articles as one corpus: what holds across articles.

Each article alone is checked against the table written from reading it, in
``tests/test_articles.py``; this module checks what no single table can.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import RDF, Literal, URIRef

from kg import text
from kg.facts import number_in_text
from kg.ontology import KG
from kg.rdf import entity_iri
from kg.store import query
from tests.article_tables import tables

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DCT_ID = URIRef("http://purl.org/dc/terms/identifier")


def test_articles_are_the_seeds_byte_for_byte():
    if not SEEDS.is_dir():
        reason = "../shared/seeds is not next to this checkout"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI has shared/ beside the clone)")
        pytest.skip(reason)
    for seed in sorted(SEEDS.glob("*.txt")):
        assert (ROOT / "data" / "articles" / seed.name).read_bytes() == seed.read_bytes()


def test_all_five_articles_are_built(seed_build):
    assert sorted(seed_build.corpus.articles) == ["000", "001", "002", "003", "004"]


def test_every_post(seed_build):
    """The ``posts`` question answers exactly the posts of all the article tables."""
    rows = set(query(seed_build, "posts").values())
    expected = {post for table in tables().values() for post in table.posts}
    assert rows == expected, "posts in the graph that no table has, or missing ones"


def test_every_number_in_the_graph_occurs_in_its_quote(seed_build):
    union = seed_build.union()
    checked = 0
    for metric, value in union.subject_objects(KG.value):
        quotes = [str(union.value(ev, KG.quote)) for ev in union.objects(metric, KG.evidence)]
        assert any(number_in_text(str(value), q) for q in quotes), (metric, value, quotes)
        checked += 1
    assert checked > 60


def test_missing_numbers_are_never_guessed(seed_build):
    union = seed_build.union()
    missing = set(union.subjects(KG.valueMissing, Literal(True)))
    assert len(missing) >= 25
    for metric in missing:
        assert union.value(metric, KG.value) is None
    article_004 = seed_build.corpus.articles["004"].text
    body = article_004.split("\n", 2)[2]  # after the title and the dated line
    assert not any(ch.isdigit() for ch in body), "004's body has digits: recheck the seed"


def test_no_evidence_comes_from_mojibake(seed_build):
    union = seed_build.union()
    raw = seed_build.corpus.articles["003"].text
    spans = text.find_mojibake(raw)
    assert len(spans) == 2
    for ev in union.subjects(RDF.type, KG.Evidence):
        if str(union.value(union.value(ev, KG.article), DCT_ID)) != "003":
            continue
        start, end = int(union.value(ev, KG.start)), int(union.value(ev, KG.end))
        assert all(end <= a or b <= start for a, b in spans)


def test_traditional_forms_are_kept_as_zh_hant(seed_build):
    union = seed_build.union()
    alts = set(
        union.objects(
            entity_iri("wang-guolei"), URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
        )
    )
    assert Literal("王國雷", lang="zh-Hant") in alts
    assert union.value(
        entity_iri("wang-guolei"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    ) == Literal("王国雷", lang="zh")


def test_shared_entities_are_one_node_and_namesakes_are_not(seed_build):
    g = seed_build.graph
    role = str(entity_iri("role-dangongwei-shuji"))
    assert g.nodes[role]["articles"] == ["000", "001", "002", "003", "004"]
    # 王国雷 and 王清宪 share a surname and an article; they stay two people.
    assert str(entity_iri("wang-guolei")) != str(entity_iri("wang-qingxian"))
    assert g.nodes[str(entity_iri("wang-qingxian"))]["label"] == "王清宪"


def test_competency_questions_answer_for_every_article(seed_build):
    secretaries = {r[0]: r[2] for r in query(seed_build, "secretaries").values()}
    assert secretaries == {
        "锦南街道": "雷新钱",
        "湖墅街道": "唐卫峰",
        "仓前街道": "施甜甜",
        "阜新路街道": "王国雷",
        "张槎街道": "颜雪锋",
    }
    rate = [
        r
        for r in query(seed_build, "metrics", area="阜新路街道")
        if str(r["indicator"]) == "复工复产率"
    ]
    assert [r["value"].toPython() for r in rate] == [Decimal("78.19")]
    louzhang = query(seed_build, "initiatives-by-subdistrict").values()
    assert {r[0] for r in louzhang if r[1] == "楼长制"} == {"湖墅街道"}
    above = query(seed_build, "officials-above-subdistrict").values()
    assert ("王清宪", "市委书记", "青岛市", "city", "003") in above
    missing = query(seed_build, "missing-values").values()
    assert {r[0] for r in missing} == {"004"}
    hierarchy = {r[0]: r[1:4] for r in query(seed_build, "hierarchy").values()}
    assert hierarchy["阜新路街道"] == ("市北区", "青岛市", "山东省")
    assert hierarchy["锦南街道"] == ("临安区", "杭州市", "浙江省")
    assert hierarchy["湖墅街道"] == ("拱墅区", "杭州市", "浙江省")
    assert hierarchy["张槎街道"] == ("禅城区", "佛山市", "广东省")
