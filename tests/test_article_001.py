"""Seed 001 (湖墅街道): what a reader of the article expects to find in the graph.

The tables below are written from the article itself, not from the fact file: every node,
post, initiative link and number that the article states, and nothing it does not state
(no district, city or province for 湖墅街道; no number for 居民总户数过万).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from rdflib import Literal, URIRef

from tests import kg_fixtures
from tests.graph_helpers import in_article, node_in_article, targets

seed_build = kg_fixtures.seed_build  # the session fixture: one build of data/

ARTICLE = "001"
KG = "https://w3id.org/jiedao-kg/ontology#"

NODES = [
    # places
    ("湖墅街道", "Subdistrict"),
    ("珠儿潭社区", "Community"),
    ("卖鱼桥社区", "Community"),
    ("仓基新村社区", "Community"),
    ("信义坊小区", "Place"),
    ("贾家弄新村", "Place"),
    ("仓基新村", "Place"),
    # people and roles
    ("唐卫峰", "Official"),
    ("朱秀娟", "Person"),
    ("丁坚德", "Person"),
    ("党工委书记", "Role"),
    ("志愿者", "Role"),
    # buildings and projects
    ("英蓝国际", "Enterprise"),
    ("绿地一期", "Enterprise"),
    ("绿地二期", "Enterprise"),
    ("壹向大厦", "Enterprise"),
    ("迪尚大厦", "Enterprise"),
    ("运河时尚发布中心", "Enterprise"),
    # initiatives
    ("1+3+N", "Initiative"),
    ("招募令", "Initiative"),
    ("三方协同", "Initiative"),
    ("楼长制", "Initiative"),
    ("银企沟通平台", "Initiative"),
    ("大树小巨人", "Initiative"),
    ("楼宇补贴", "Initiative"),
    ("一企一策", "Initiative"),
    ("四大高质量提升工程", "Initiative"),
    ("经济发展高质量提升工程", "Initiative"),
    ("民生福祉高质量提升工程", "Initiative"),
    ("队伍建设高质量提升工程", "Initiative"),
    ("基层基础高质量提升工程", "Initiative"),
    ("三大提升行动", "Initiative"),
    ("楼宇经济提升行动", "Initiative"),
    ("双招双引提升行动", "Initiative"),
    ("营商环境优化行动", "Initiative"),
    ("楼宇产业链", "Initiative"),
    ("老旧小区改造提升", "Initiative"),
    ("阳光老人家", "Initiative"),
    ("垃圾分类工作", "Initiative"),
    ("垃圾分类绿色账户积分制", "Initiative"),
    ("三圈联动", "Initiative"),
    ("提升+布点", "Initiative"),
    ("普惠+精准", "Initiative"),
    ("预约+上门", "Initiative"),
    ("线上微心愿发布-党组织党员认领-上门送愿", "Initiative"),
    ("湖墅铁军", "Initiative"),
    ("网格化治理", "Initiative"),
    ("细胞化参与", "Initiative"),
    ("智慧化覆盖", "Initiative"),
    ("三方治理综合体", "Initiative"),
    ("湖墅老墙门", "Initiative"),
    ("城市眼·云共治", "Initiative"),
]

# (person, role, post in)
POSTS = [
    ("唐卫峰", "党工委书记", "湖墅街道"),
    ("朱秀娟", "志愿者", "珠儿潭社区"),
    ("丁坚德", "志愿者", "卖鱼桥社区"),
]

# (subject, fact key, object): relations between nodes that the article states
EDGES = [
    ("1+3+N", "organizedBy", "湖墅街道"),
    ("招募令", "organizedBy", "湖墅街道"),
    ("三方协同", "organizedBy", "湖墅街道"),
    ("楼长制", "organizedBy", "湖墅街道"),
    ("四大高质量提升工程", "organizedBy", "湖墅街道"),
    ("银企沟通平台", "organizedBy", "湖墅街道"),
    ("三方治理综合体", "organizedBy", "湖墅街道"),
    ("经济发展高质量提升工程", "partOfInitiative", "四大高质量提升工程"),
    ("民生福祉高质量提升工程", "partOfInitiative", "四大高质量提升工程"),
    ("队伍建设高质量提升工程", "partOfInitiative", "四大高质量提升工程"),
    ("基层基础高质量提升工程", "partOfInitiative", "四大高质量提升工程"),
    ("三大提升行动", "partOfInitiative", "经济发展高质量提升工程"),
    ("楼宇经济提升行动", "partOfInitiative", "三大提升行动"),
    ("双招双引提升行动", "partOfInitiative", "三大提升行动"),
    ("营商环境优化行动", "partOfInitiative", "三大提升行动"),
    ("楼宇产业链", "partOfInitiative", "楼宇经济提升行动"),
    ("老旧小区改造提升", "partOfInitiative", "民生福祉高质量提升工程"),
    ("阳光老人家", "partOfInitiative", "民生福祉高质量提升工程"),
    ("垃圾分类工作", "partOfInitiative", "民生福祉高质量提升工程"),
    ("垃圾分类绿色账户积分制", "partOfInitiative", "垃圾分类工作"),
    ("三圈联动", "partOfInitiative", "队伍建设高质量提升工程"),
    ("湖墅铁军", "partOfInitiative", "队伍建设高质量提升工程"),
    ("提升+布点", "partOfInitiative", "三圈联动"),
    ("普惠+精准", "partOfInitiative", "三圈联动"),
    ("预约+上门", "partOfInitiative", "三圈联动"),
    ("线上微心愿发布-党组织党员认领-上门送愿", "partOfInitiative", "预约+上门"),
    ("网格化治理", "partOfInitiative", "基层基础高质量提升工程"),
    ("细胞化参与", "partOfInitiative", "基层基础高质量提升工程"),
    ("智慧化覆盖", "partOfInitiative", "基层基础高质量提升工程"),
    ("三方治理综合体", "partOfInitiative", "细胞化参与"),
    ("湖墅老墙门", "partOfInitiative", "细胞化参与"),
    ("城市眼·云共治", "partOfInitiative", "智慧化覆盖"),
    ("楼宇经济提升行动", "serves", "绿地二期"),
    ("楼宇经济提升行动", "serves", "运河时尚发布中心"),
    ("楼宇经济提升行动", "serves", "英蓝国际"),
    ("楼长制", "serves", "绿地一期"),
    ("楼长制", "serves", "绿地二期"),
    ("楼长制", "serves", "壹向大厦"),
    ("楼长制", "serves", "迪尚大厦"),
    ("大树小巨人", "takesPlaceIn", "湖墅街道"),
    ("楼宇补贴", "takesPlaceIn", "湖墅街道"),
    ("一企一策", "takesPlaceIn", "湖墅街道"),
    ("三方协同", "takesPlaceIn", "信义坊小区"),
    ("老旧小区改造提升", "takesPlaceIn", "贾家弄新村"),
    ("老旧小区改造提升", "takesPlaceIn", "仓基新村"),
    ("阳光老人家", "takesPlaceIn", "仓基新村社区"),
    ("信义坊小区", "locatedIn", "湖墅街道"),
    ("英蓝国际", "locatedIn", "湖墅街道"),
    ("绿地一期", "locatedIn", "湖墅街道"),
    ("绿地二期", "locatedIn", "湖墅街道"),
    ("壹向大厦", "locatedIn", "湖墅街道"),
    ("迪尚大厦", "locatedIn", "湖墅街道"),
]

# (indicator, value, scale, unit, qualifier, kind, refArea, refPeriod, resultOf)
METRICS = [
    ("小区", "31", None, "个", None, None, "湖墅街道", None, None),
    (
        "参与服务疫情防控工作的党员",
        "800",
        None,
        "名",
        "approximately",
        None,
        "湖墅街道",
        None,
        "招募令",
    ),
    ("确诊病例", "0", None, None, None, None, "湖墅街道", "截至目前", None),
    ("已复工的工人", "200", None, "名", "more-than", None, "英蓝国际", "现在", None),
    ("化解企业难题", "13", None, "起", None, None, "湖墅街道", None, "楼长制"),
    ("复工率", "100", None, "%", None, "ratio", "绿地一期", None, None),
    ("复工率", "100", None, "%", None, "ratio", "绿地二期", None, None),
    ("复工率", "100", None, "%", None, "ratio", "壹向大厦", None, None),
    ("复工率", "100", None, "%", None, "ratio", "迪尚大厦", None, None),
    ("已办结的重点招商项目", "3", None, "个", None, None, "湖墅街道", "现在", None),
    ("在办的重点招商项目", "2", None, "个", None, None, "湖墅街道", "现在", None),
    ("在谈的重点招商项目", "5", None, "个", None, None, "湖墅街道", "现在", None),
    ("在谈项目中注册资金过亿的项目", "3", None, "个", None, None, "湖墅街道", "现在", None),
    ("获提供口罩的企业", "79", None, "家", None, None, "湖墅街道", "前期", None),
    ("向企业提供的口罩", "4", "万", "个", "more-than", None, "湖墅街道", "前期", None),
    ("计划开展的高质量提升工程", "4", None, None, "target", None, "湖墅街道", "全年", None),
    (
        "税收总额增幅",
        "20",
        None,
        "%",
        "target",
        "growth-rate",
        "湖墅街道",
        "全年",
        "楼宇经济提升行动",
    ),
    ("新增亿元楼宇", "1", None, "幢", "target", None, "湖墅街道", "全年", "楼宇经济提升行动"),
    ("重点做好的民生实事项目", "3", None, "项", "target", None, "湖墅街道", None, None),
    (
        "开工并完成综合改造提升的老旧小区",
        "15",
        None,
        "个",
        "target",
        None,
        "湖墅街道",
        None,
        "老旧小区改造提升",
    ),
    ("重点打造的精品小区", "2", None, "个", "target", None, "湖墅街道", None, "老旧小区改造提升"),
    ("全域服务圈", "15", None, "分钟", "target", None, "湖墅街道", None, None),
    (
        "完成垃圾分类设施提升的老旧小区",
        "15",
        None,
        "个",
        "target",
        None,
        "湖墅街道",
        None,
        "垃圾分类工作",
    ),
]


_of_article = partial(in_article, article=ARTICLE)
_node = partial(node_in_article, article=ARTICLE)
_targets = targets


@pytest.mark.parametrize(("label", "type_"), NODES)
def test_node(seed_build, label, type_):
    _node(seed_build.graph, label, type_)


def test_no_unexpected_named_nodes(seed_build):
    """Every named node of the article is in the table (posts and metrics are composed)."""
    g = seed_build.graph
    named = {
        (d["label"], d["type"])
        for _, d in g.nodes(data=True)
        if _of_article(d) and d.get("type") not in {"Post", "Metric", "Article", "Evidence"}
    }
    assert named == set(NODES)


def test_reporters_are_not_annotated(seed_build):
    labels = {d.get("label") for _, d in seed_build.graph.nodes(data=True) if _of_article(d)}
    assert not {"王苑阳", "叶佳"} & labels


@pytest.mark.parametrize(("person", "role", "where"), POSTS)
def test_post(seed_build, person, role, where):
    g = seed_build.graph
    p = _node(g, person)
    posts = [v for _, v, k in g.out_edges(p, keys=True) if k == "holds"]
    assert any(
        _targets(g, post, "role") == {role} and _targets(g, post, "postIn") == {where}
        for post in posts
    ), f"{person} holds no post {role} in {where}"


@pytest.mark.parametrize(("subject", "key", "obj"), EDGES)
def test_edge(seed_build, subject, key, obj):
    g = seed_build.graph
    assert obj in _targets(g, _node(g, subject), key)


def test_subdistrict_has_no_invented_hierarchy(seed_build):
    """The article names no district or city for 湖墅街道: its district comes only from the
    official division table (the annotated code 330105002), never from an article quote."""
    g = seed_build.graph
    node = _node(g, "湖墅街道", "Subdistrict")
    assert _targets(g, node, "partOf") == {"拱墅区"}
    for _, _, key, data in g.out_edges(node, keys=True, data=True):
        if key == "partOf":
            assert {e["article"] for e in data["evidence"]} == {"reference"}


def test_recruitment_start_date(seed_build):
    g = seed_build.graph
    node = URIRef(_node(g, "招募令", "Initiative"))
    dates = set(seed_build.union().objects(node, URIRef(KG + "startDate")))
    assert {str(d) for d in dates} == {"--01-28"}


def _metric_rows(g) -> list[tuple]:
    rows = []
    for n, d in g.nodes(data=True):
        if d.get("type") != "Metric" or not _of_article(d):
            continue
        single = {key: sorted(_targets(g, n, key)) for key in ("refArea", "resultOf")}
        value = d.get("value")
        rows.append(
            (
                d.get("indicator"),
                None if value is None else str(Decimal(str(value))),
                d.get("scale"),
                d.get("unit"),
                d.get("qualifier"),
                d.get("kind"),
                single["refArea"][0] if single["refArea"] else None,
                d.get("period"),
                single["resultOf"][0] if single["resultOf"] else None,
            )
        )
    return rows


def test_metrics(seed_build):
    rows = _metric_rows(seed_build.graph)
    assert sorted(rows, key=repr) == sorted(METRICS, key=repr)


def test_no_missing_values(seed_build):
    """Article 001 kept its digits: no metric of it is recorded as missing."""
    g = seed_build.graph
    assert not [
        n
        for n, d in g.nodes(data=True)
        if d.get("type") == "Metric" and _of_article(d) and d.get("value_missing")
    ]


def test_metric_values_are_decimals(seed_build):
    value = URIRef(KG + "value")
    values = [
        o
        for s, o in seed_build.union().subject_objects(value)
        if str(s).rsplit("/", 1)[-1].startswith("m001-")
    ]
    assert len(values) == len(METRICS)
    # xsd:integer is derived from xsd:decimal: whole numbers may be typed either way
    assert all(isinstance(v, Literal) and isinstance(v.toPython(), (int, Decimal)) for v in values)
    assert not [v for v in values if isinstance(v.toPython(), bool)]
