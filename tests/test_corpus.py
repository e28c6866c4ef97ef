"""The five annotated seed articles, checked against tables written from reading them."""

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

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
DCT_ID = URIRef("http://purl.org/dc/terms/identifier")

# (article, label, type): entities each article must yield, from our own reading.
ENTITIES = [
    ("000", "锦南街道", "Subdistrict"),
    ("000", "临安区", "District"),
    ("000", "雷新钱", "Official"),
    ("000", "程建", "Person"),
    ("000", "盛侠", "Person"),
    ("000", "小王子食品有限公司", "Enterprise"),
    ("000", "阳光议事亭", "Initiative"),
    ("000", "疫情防控企业有序复工工作专班", "Initiative"),
    ("000", "安全红卫士", "Initiative"),
    ("000", "金牌店小二", "Initiative"),
    ("000", "水岸阳光小区", "Place"),
    ("001", "湖墅街道", "Subdistrict"),
    ("001", "唐卫峰", "Official"),
    ("001", "楼长制", "Initiative"),
    ("001", "1+3+N", "Initiative"),
    ("001", "招募令", "Initiative"),
    ("001", "朱秀娟", "Person"),
    ("001", "丁坚德", "Person"),
    ("001", "珠儿潭社区", "Community"),
    ("001", "英蓝国际", "Enterprise"),
    ("001", "壹向大厦", "Enterprise"),
    ("001", "阳光老人家", "Initiative"),
    ("001", "湖墅老墙门", "Initiative"),
    ("002", "仓前街道", "Subdistrict"),
    ("002", "施甜甜", "Official"),
    ("002", "姚冀众", "Person"),
    ("002", "杭州纤纳光电科技有限公司", "Enterprise"),
    ("002", "走亲连心三服务三提升", "Initiative"),
    ("002", "楼宇工作站", "Initiative"),
    ("002", "乾仓服务综合体", "Initiative"),
    ("002", "一园十员", "Initiative"),
    ("002", "仓溢绿苑小区", "Place"),
    ("003", "阜新路街道", "Subdistrict"),
    ("003", "市北区", "District"),
    ("003", "青岛市", "City"),
    ("003", "王国雷", "Official"),
    ("003", "王清宪", "Official"),
    ("003", "两书两表", "Initiative"),
    ("003", "三紧盯", "Initiative"),
    ("003", "四方大酒店", "Enterprise"),
    ("003", "青岛市市场建设投资发展有限公司", "Enterprise"),
    ("004", "张槎街道", "Subdistrict"),
    ("004", "禅城区", "District"),
    ("004", "佛山市", "City"),
    ("004", "广东省", "Province"),
    ("004", "颜雪锋", "Official"),
    ("004", "陈锦碧", "Official"),
    ("004", "谭启镰", "Official"),
    ("004", "区伟康", "Official"),
    ("004", "陈国华", "Person"),
    ("004", "张凯", "Person"),
    ("004", "腾龙光学", "Enterprise"),
    ("004", "国星光电", "Enterprise"),
    ("004", "佛山市康思达液压机械有限公司", "Enterprise"),
    ("004", "暖春工作专班", "Initiative"),
    ("004", "莲大片区临时党组织", "Initiative"),
    ("004", "莲塘村", "Community"),
]

# (person, role, where): every post named in the articles.
POSTS = [
    ("雷新钱", "党工委书记", "锦南街道"),
    ("程建", "业委会主任", "水岸阳光小区"),
    ("程建", "亭长", "阳光议事亭"),
    ("盛侠", "办公室主任", "小王子食品有限公司"),
    ("唐卫峰", "党工委书记", "湖墅街道"),
    ("朱秀娟", "志愿者", "珠儿潭社区"),
    ("丁坚德", "志愿者", "卖鱼桥社区"),
    ("施甜甜", "党工委书记", "仓前街道"),
    ("姚冀众", "创始人", "杭州纤纳光电科技有限公司"),
    ("王国雷", "党工委书记", "阜新路街道"),
    ("王清宪", "市委书记", "青岛市"),
    ("颜雪锋", "党工委书记", "张槎街道"),
    ("陈锦碧", "村党总支书记", "莲塘村"),
    ("陈锦碧", "村委会主任", "莲塘村"),
    ("谭启镰", "村党委书记", "大富村"),
    ("谭启镰", "村委会主任", "大富村"),
    ("区伟康", "村党支部委员", "村头村"),
    ("陈燕新", "村委会工作人员", "古灶村"),
    ("刘智斌", "社区民警", "张槎街道"),
    ("陈国华", "董事长", "佛山市康思达液压机械有限公司"),
    ("陈国华", "总经理", "佛山市康思达液压机械有限公司"),
    ("张凯", "总经理", "腾龙光学"),
]

# (area, indicator, value or None when lost, scale, unit, qualifiers)
METRICS = [
    ("锦南街道", "已复工复产的工业企业", Decimal(205), None, "家", set()),
    ("锦南街道", "已复工复产的规上工业企业", Decimal(52), None, "家", set()),
    ("锦南街道", "规模工业总产值", Decimal("13.43"), "亿", "元", {"forecast"}),
    ("锦南街道", "规模工业增加值同比增长", Decimal("3.3"), None, "%", {"forecast"}),
    ("锦南街道", "服务队解决企业安全复工困难", Decimal(50), None, "项", {"more-than"}),
    ("湖墅街道", "参与服务疫情防控工作的党员", Decimal(800), None, "名", {"approximately"}),
    ("湖墅街道", "税收总额增幅", Decimal(20), None, "%", {"target"}),
    ("湖墅街道", "向企业提供的口罩", Decimal(4), "万", "个", {"more-than"}),
    ("英蓝国际", "已复工的工人", Decimal(200), None, "名", {"more-than"}),
    ("仓溢绿苑小区", "现住居民", Decimal(13000), None, "人", {"approximately"}),
    ("表演舞台", "计划投资", Decimal(100), "万", None, {"approximately", "target"}),
    ("仓前街道", "招聘会推出岗位", Decimal(5347), None, "个", set()),
    ("阜新路街道", "复工复产率", Decimal("78.19"), None, "%", set()),
    ("阜新路街道", "产能恢复率", Decimal("130.96"), None, "%", set()),
    ("阜新路街道", "帮助企业申领的稳岗补贴", Decimal(53), "万", "元", {"more-than"}),
    ("张槎街道", "已复工企业累计", None, None, "家", set()),
    ("张槎街道", "调配并出售给企业的口罩", None, "万", "个", {"nearly"}),
    ("张槎街道", "分类管理服务的企业类型", Decimal(3), None, "种", set()),
]


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


@pytest.mark.parametrize("article, label, kind", ENTITIES)
def test_expected_entity(seed_build, article, label, kind):
    found = [d for _, d in seed_build.graph.nodes(data=True) if d["label"] == label]
    assert len(found) == 1, f"{label}: {len(found)} nodes"
    assert found[0]["type"] == kind
    assert article in found[0]["articles"]


def test_every_post(seed_build):
    rows = {r[:3] for r in query(seed_build, "posts").values()}  # person, role, where
    assert set(POSTS) <= rows
    assert rows - set(POSTS) == set(), "posts in the graph that the table does not know"


@pytest.mark.parametrize("area, indicator, value, scale, unit, qualifiers", METRICS)
def test_expected_metric(seed_build, area, indicator, value, scale, unit, qualifiers):
    rows = [r for r in query(seed_build, "metrics", area=area) if str(r["indicator"]) == indicator]
    assert rows, f"no metric {indicator} for {area}"
    values = {r["value"].toPython() if r["value"] is not None else None for r in rows}
    assert value in values
    row = next(
        r for r in rows if (r["value"].toPython() if r["value"] is not None else None) == value
    )
    assert (row["scale"] and str(row["scale"])) == scale
    assert (row["unit"] and str(row["unit"])) == unit
    assert {
        str(r["qualifier"])
        for r in rows
        if r["qualifier"] is not None and r["quote"] == row["quote"]
    } == qualifiers
    if value is None:
        assert row["missing"].toPython() is True


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
    assert ("王清宪", "市委书记", "青岛市", "city", "003") in {r[:5] for r in above}
    missing = query(seed_build, "missing-values").values()
    assert {r[0] for r in missing} == {"004"}
    hierarchy = {r[0]: r[1:4] for r in query(seed_build, "hierarchy").values()}
    assert hierarchy["阜新路街道"] == ("市北区", "青岛市", "山东省")
    assert hierarchy["锦南街道"] == ("临安区", "杭州市", "浙江省")
    assert hierarchy["湖墅街道"] == ("拱墅区", "杭州市", "浙江省")
    assert hierarchy["张槎街道"] == ("禅城区", "佛山市", "广东省")
