"""Seed 004 (张槎街道, 佛山): what a reader of the article expects to find in the graph.

The tables below are written from the article itself, not from the fact file. The article
lost every digit except its dated line (2020/3/2 16:39): "张槎已复工企业累计家", "月日",
"有着年党龄". So every number it reports is a metric whose value is missing, except the
numbers written in Chinese numerals (三种类型, 一个多月); no date with lost digits is recorded,
and 大年初二 (a lunar date) is not converted. The article places 张槎 in 禅城 (占禅城工业总产值
半壁江山的张槎) and 佛山 in 广东 (广东佛山); it does not say where 弼唐村 or
佛山市康思达液压机械有限公司 are, so they are placed nowhere.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from rdflib import Literal, URIRef

from tests import kg_fixtures
from tests.graph_helpers import in_article, node_in_article, targets

seed_build = kg_fixtures.seed_build  # the session fixture: one build of data/

ARTICLE = "004"
KG = "https://w3id.org/jiedao-kg/ontology#"

NODES = [
    # places
    ("广东省", "Province"),
    ("佛山市", "City"),
    ("禅城区", "District"),
    ("张槎街道", "Subdistrict"),
    ("莲大片区", "Place"),
    ("莲塘村", "Community"),
    ("大富村", "Community"),
    ("村头村", "Community"),
    ("村尾村", "Community"),
    ("古灶村", "Community"),
    ("弼唐村", "Community"),
    ("东便社区", "Community"),
    # people and roles
    ("颜雪锋", "Official"),
    ("陈锦碧", "Official"),
    ("谭启镰", "Official"),
    ("区伟康", "Official"),
    ("刘智斌", "Official"),
    ("陈燕新", "Person"),
    ("陈国华", "Person"),
    ("张凯", "Person"),
    ("党工委书记", "Role"),
    ("村党总支书记", "Role"),
    ("村委会主任", "Role"),
    ("村党委书记", "Role"),
    ("村党支部委员", "Role"),
    ("村委会工作人员", "Role"),
    ("社区民警", "Role"),
    ("董事长", "Role"),
    ("总经理", "Role"),
    # enterprises
    ("腾龙光学", "Enterprise"),
    ("国星光电", "Enterprise"),
    ("佛山市康思达液压机械有限公司", "Enterprise"),
    # initiatives
    ("全区党政班子扩大会议", "Initiative"),
    ("新冠肺炎疫情防控工作动员大会", "Initiative"),
    ("疫情防控指挥部办公室", "Initiative"),
    ("功能组", "Initiative"),
    ("临时党支部", "Initiative"),
    ("莲大片区临时党组织", "Initiative"),
    ("党员志愿服务队", "Initiative"),
    ("党员先锋队", "Initiative"),
    ("居家隔离服务岗", "Initiative"),
    ("党员突击队", "Initiative"),
    ("无职党员领岗领责", "Initiative"),
    ("四管齐下", "Initiative"),
    ("四个到位", "Initiative"),
    ("八个一", "Initiative"),
    ("复工企业员工健康情况摸查表", "Initiative"),
    ("新冠肺炎疫情防控工作企业管理组", "Initiative"),
    ("推动企业复工复产领导小组", "Initiative"),
    ("支持企业共渡难关十条政策意见", "Initiative"),
    ("分类管理服务", "Initiative"),
    ("网格化机制", "Initiative"),
    ("巡查组", "Initiative"),
    ("暖春工作专班", "Initiative"),
    ("重点企业联络员制度", "Initiative"),
    ("联动各级人社部门", "Initiative"),
    ("省际返岗员工高铁专列", "Initiative"),
    ("四级联动", "Initiative"),
    ("工作组", "Initiative"),
    ("专项工作小组", "Initiative"),
    ("封闭管理临场甄别", "Initiative"),
]

# (person, role, post in)
POSTS = [
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

# (subject, fact key, object): relations between nodes that the article states
EDGES = [
    # hierarchy
    ("佛山市", "partOf", "广东省"),
    ("张槎街道", "partOf", "禅城区"),
    ("莲塘村", "partOf", "张槎街道"),
    ("大富村", "partOf", "张槎街道"),
    ("村头村", "partOf", "张槎街道"),
    ("村尾村", "partOf", "张槎街道"),
    ("古灶村", "partOf", "张槎街道"),
    ("东便社区", "partOf", "张槎街道"),
    ("莲大片区", "locatedIn", "张槎街道"),
    ("腾龙光学", "locatedIn", "张槎街道"),
    ("国星光电", "locatedIn", "张槎街道"),
    # who set initiatives up
    ("全区党政班子扩大会议", "organizedBy", "禅城区"),
    ("新冠肺炎疫情防控工作动员大会", "organizedBy", "张槎街道"),
    ("疫情防控指挥部办公室", "organizedBy", "张槎街道"),
    ("功能组", "organizedBy", "张槎街道"),
    ("临时党支部", "organizedBy", "张槎街道"),
    ("莲大片区临时党组织", "organizedBy", "张槎街道"),
    ("四管齐下", "organizedBy", "张槎街道"),
    ("四个到位", "organizedBy", "张槎街道"),
    ("八个一", "organizedBy", "张槎街道"),
    ("复工企业员工健康情况摸查表", "organizedBy", "张槎街道"),
    ("新冠肺炎疫情防控工作企业管理组", "organizedBy", "张槎街道"),
    ("推动企业复工复产领导小组", "organizedBy", "张槎街道"),
    ("分类管理服务", "organizedBy", "张槎街道"),
    ("巡查组", "organizedBy", "张槎街道"),
    ("暖春工作专班", "organizedBy", "张槎街道"),
    ("重点企业联络员制度", "organizedBy", "张槎街道"),
    ("联动各级人社部门", "organizedBy", "张槎街道"),
    ("封闭管理临场甄别", "organizedBy", "弼唐村"),
    # where they ran
    ("莲大片区临时党组织", "takesPlaceIn", "莲大片区"),
    ("莲大片区临时党组织", "takesPlaceIn", "莲塘村"),
    ("莲大片区临时党组织", "takesPlaceIn", "大富村"),
    ("莲大片区临时党组织", "takesPlaceIn", "村头村"),
    ("莲大片区临时党组织", "takesPlaceIn", "村尾村"),
    ("党员志愿服务队", "takesPlaceIn", "张槎街道"),
    ("党员突击队", "takesPlaceIn", "张槎街道"),
    ("无职党员领岗领责", "takesPlaceIn", "张槎街道"),
    ("党员先锋队", "takesPlaceIn", "古灶村"),
    ("居家隔离服务岗", "takesPlaceIn", "古灶村"),
    ("网格化机制", "takesPlaceIn", "张槎街道"),
    ("四级联动", "takesPlaceIn", "东便社区"),
    ("工作组", "takesPlaceIn", "张槎街道"),
    ("封闭管理临场甄别", "takesPlaceIn", "弼唐村"),
    # parts and whom they served
    ("巡查组", "partOfInitiative", "分类管理服务"),
    ("专项工作小组", "partOfInitiative", "工作组"),
    ("联动各级人社部门", "serves", "国星光电"),
]

# Relations the article does not state: they must not be in the graph.
ABSENT = [
    ("弼唐村", "partOf"),
    ("佛山市康思达液压机械有限公司", "locatedIn"),
    ("禅城区", "partOf"),  # the article never says 禅城 is in 佛山
    ("省际返岗员工高铁专列", "serves"),  # only planned (将)
]

# (indicator, value or None when lost, scale, unit, qualifier, kind, refArea, refPeriod,
#  resultOf as a sorted tuple)
METRICS = [
    ("成立的农村临时党支部", None, None, "个", None, None, "张槎街道", None, ()),
    ("成立的社区临时党支部", None, None, "个", None, None, "张槎街道", None, ()),
    ("党员志愿服务队", None, None, "支", None, None, "张槎街道", "现有", ()),
    ("党员志愿者", None, None, "人", None, None, "张槎街道", "现有", ()),
    ("莲塘村党员轮岗站岗时长", None, None, "小时", None, None, "莲塘村", None, ()),
    ("古灶村党员先锋队人数", None, None, "人", None, None, "党员先锋队", None, ()),
    ("党龄", None, None, "年", None, None, "刘智斌", None, ()),
    ("冲锋在一线的党员干部", None, None, "名", None, None, "张槎街道", None, ()),
    ("设岗数量", None, None, "个", None, None, "张槎街道", None, ()),
    ("领岗领责的无职党员", None, None, "个", None, None, "张槎街道", None, ()),
    ("国星光电接回员工所用包车", None, None, "辆", None, None, "国星光电", "前不久", ()),
    ("国星光电用包车接回的员工", None, None, "名", None, None, "国星光电", "前不久", ()),
    ("已复工企业累计", None, None, "家", None, None, "张槎街道", "截至月日时", ("四管齐下",)),
    ("总复工员工", None, None, "人", None, None, "张槎街道", "截至月日时", ("四管齐下",)),
    ("康思达首批复工人员", None, None, "名", None, None, "佛山市康思达液压机械有限公司", None, ()),
    ("腾龙光学员工返岗率", None, None, None, None, "ratio", "腾龙光学", "复工天", ()),
    ("已复工企业累计", None, None, "家", None, None, "张槎街道", "截至月日时", ()),
    ("复工员工", None, None, "人", None, None, "张槎街道", "截至月日时", ()),
    ("已复工的四上企业", None, None, "家", None, None, "张槎街道", "截至月日时", ()),
    ("四上企业复工率", None, None, None, None, "ratio", "张槎街道", "截至月日时", ()),
    ("张槎企业数", None, None, "家", None, None, "张槎街道", None, ()),
    ("分类管理服务的企业类型", "3", None, "种", None, None, "张槎街道", None, ()),
    ("一对一服务的纳税大户", None, None, "家", None, None, "张槎街道", None, ()),
    ("一对一服务的规限上企业", None, None, "家", None, None, "张槎街道", None, ()),
    (
        "为部分企业筹到的口罩",
        None,
        "万",
        "个",
        None,
        None,
        "张槎街道",
        "目前",
        ("暖春工作专班", "重点企业联络员制度"),
    ),
    (
        "为部分企业筹到的测温枪",
        None,
        None,
        "把",
        "more-than",
        None,
        "张槎街道",
        "目前",
        ("暖春工作专班", "重点企业联络员制度"),
    ),
    ("调配并出售给企业的口罩", None, "万", "个", "nearly", None, "张槎街道", None, ()),
    ("调配口罩的单价", None, None, "元", None, None, "张槎街道", None, ()),
    (
        "国星光电接回员工所用包车",
        None,
        None,
        "辆",
        None,
        None,
        "国星光电",
        None,
        ("联动各级人社部门",),
    ),
    (
        "国星光电用包车接回的员工",
        None,
        None,
        "名",
        None,
        None,
        "国星光电",
        None,
        ("联动各级人社部门",),
    ),
    ("驻扎张槎街道的市机关干部", None, None, "名", None, None, "张槎街道", "自月初起", ()),
    ("驻扎张槎街道的区机关干部", None, None, "名", None, None, "张槎街道", "自月初起", ()),
    ("战疫时长", "1", None, "个月", "more-than", None, "张槎街道", None, ()),
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


def test_anonymous_people_are_not_annotated(seed_build):
    labels = {d.get("label") for _, d in seed_build.graph.nodes(data=True) if _of_article(d)}
    assert not {"高先生"} & labels


@pytest.mark.parametrize(("person", "role", "where"), POSTS)
def test_post(seed_build, person, role, where):
    g = seed_build.graph
    p = _node(g, person)
    posts = [v for _, v, k in g.out_edges(p, keys=True) if k == "holds"]
    assert any(
        _targets(g, post, "role") == {role} and _targets(g, post, "postIn") == {where}
        for post in posts
    ), f"{person} holds no post {role} in {where}"


def test_no_unexpected_posts(seed_build):
    g = seed_build.graph
    found = set()
    for n, d in g.nodes(data=True):
        if d.get("type") != "Post" or not _of_article(d):
            continue
        holders = {g.nodes[u]["label"] for u, _, k in g.in_edges(n, keys=True) if k == "holds"}
        for person in holders:
            for role in _targets(g, n, "role"):
                for where in _targets(g, n, "postIn"):
                    found.add((person, role, where))
    assert found == set(POSTS)


@pytest.mark.parametrize(("subject", "key", "obj"), EDGES)
def test_edge(seed_build, subject, key, obj):
    g = seed_build.graph
    assert obj in _targets(g, _node(g, subject), key)


@pytest.mark.parametrize(("subject", "key"), ABSENT)
def test_unstated_relation_is_absent(seed_build, subject, key):
    """No article quote supports these; only the official division table may (禅城区 is in
    佛山市 there), and then the edge's evidence is the table's record alone."""
    g = seed_build.graph
    node = _node(g, subject)
    for _, _, k, data in g.out_edges(node, keys=True, data=True):
        if k == key:
            assert {e["article"] for e in data["evidence"]} == {"reference"}, (subject, key)


def test_no_initiative_has_a_leader_or_a_start_date(seed_build):
    """No named person is said to lead anything, and every written date lost its digits."""
    g = seed_build.graph
    leads = [
        (u, v)
        for u, v, k in g.edges(keys=True)
        if k == "leads" and (_of_article(g.nodes[u]) or _of_article(g.nodes[v]))
    ]
    assert leads == []
    start = URIRef(KG + "startDate")
    union = seed_build.union()
    for label, type_ in NODES:
        if type_ == "Initiative":
            assert union.value(URIRef(_node(g, label, type_)), start) is None


def test_publication_date(seed_build):
    union = seed_build.union()
    article = URIRef("https://w3id.org/jiedao-kg/id/article/004")
    dates = {str(o) for _, p, o in union.triples((article, None, None)) if "2020" in str(o)}
    assert "2020-03-02" in dates


def _metric_rows(g) -> list[tuple]:
    rows = []
    for n, d in g.nodes(data=True):
        if d.get("type") != "Metric" or not _of_article(d):
            continue
        areas = sorted(_targets(g, n, "refArea"))
        value = d.get("value")
        rows.append(
            (
                d.get("indicator"),
                None if value is None else str(Decimal(str(value))),
                d.get("scale"),
                d.get("unit"),
                d.get("qualifier"),
                d.get("kind"),
                areas[0] if len(areas) == 1 else tuple(areas),
                d.get("period"),
                tuple(sorted(_targets(g, n, "resultOf"))),
            )
        )
    return rows


def test_metrics(seed_build):
    rows = _metric_rows(seed_build.graph)
    assert sorted(rows, key=repr) == sorted(METRICS, key=repr)


def test_lost_numbers_are_missing_not_guessed(seed_build):
    """Every metric without a value says so, and no missing metric carries a value."""
    g = seed_build.graph
    union = seed_build.union()
    value = URIRef(KG + "value")
    missing = URIRef(KG + "valueMissing")
    lost = [
        n
        for n, d in g.nodes(data=True)
        if d.get("type") == "Metric" and _of_article(d) and d.get("value") is None
    ]
    assert len(lost) == sum(1 for m in METRICS if m[1] is None)
    for n in lost:
        assert g.nodes[n]["value_missing"] is True
        assert union.value(URIRef(n), value) is None
        assert union.value(URIRef(n), missing) == Literal(True)


def test_only_chinese_numerals_survive(seed_build):
    """The two values of the article are written in Chinese numerals (三种, 一个多月)."""
    value = URIRef(KG + "value")
    values = {
        str(s).rsplit("/", 1)[-1]: o.toPython()
        for s, o in seed_build.union().subject_objects(value)
        if str(s).rsplit("/", 1)[-1].startswith("m004-")
    }
    assert sorted(values.values()) == [1, 3]
