"""Seed 002 (仓前街道, 浙江在线, 2019-05-30): what a reader of the article expects in the graph.

The tables below are written from the article itself, not from the fact file: every node,
post, initiative link and number that the article states, and nothing it does not state
(no district, city or province for 仓前街道; no reporters or editor; nothing from the
城市观察 footer).
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from rdflib import Literal, URIRef

from tests import kg_fixtures
from tests.graph_helpers import in_article, node_in_article, targets

seed_build = kg_fixtures.seed_build  # the session fixture: one build of data/

ARTICLE = "002"
KG = "https://w3id.org/jiedao-kg/ontology#"
KGR = "https://w3id.org/jiedao-kg/id/"

NODES = [
    # places
    ("仓前街道", "Subdistrict"),
    ("仓溢绿苑小区", "Place"),
    # people and roles
    ("施甜甜", "Official"),
    ("姚冀众", "Person"),
    ("党工委书记", "Role"),
    ("创始人", "Role"),
    # enterprises, parks and organizations
    ("杭州纤纳光电科技有限公司", "Enterprise"),
    ("未来研创园", "Enterprise"),
    ("炬华科技", "Enterprise"),
    ("利尔达", "Enterprise"),
    ("恒生科技园", "Enterprise"),
    ("未来科技城", "Organization"),
    ("浙一医院余杭院区", "Organization"),
    ("浙大超重力实验室", "Organization"),
    ("浙大校友总部", "Organization"),
    # initiatives
    ("走亲连心三服务三提升", "Initiative"),
    ("一三五", "Initiative"),
    ("两车", "Initiative"),
    ("全域走访大行动", "Initiative"),
    ("五张推进表", "Initiative"),
    ("多线融合", "Initiative"),
    ("三项创新", "Initiative"),
    ("队伍创新", "Initiative"),
    ("载体创新", "Initiative"),
    ("机制创新", "Initiative"),
    ("一园十员", "Initiative"),
    ("组团联村社队伍", "Initiative"),
    ("楼宇工作站", "Initiative"),
    ("楼宇服务中心", "Initiative"),
    ("炬华科技园区(楼宇)工作站", "Initiative"),
    ("乾仓服务综合体", "Initiative"),
    ("楼宇发展十条", "Initiative"),
    ("楼宇信息系统", "Initiative"),
    ("美丽村社建设十法", "Initiative"),
    ("五个满意", "Initiative"),
    ("表演舞台", "Initiative"),
    ("居民爱好队", "Initiative"),
    ("问题跟踪反馈机制", "Initiative"),
    ("人才服务专业窗口", "Initiative"),
    ("春季人力资源招聘会", "Initiative"),
    ("全国双创周", "Initiative"),
]

# (label, altLabel) pairs: short names the article also uses
ALT_LABELS = [
    ("杭州纤纳光电科技有限公司", "纤纳光电"),
    ("走亲连心三服务三提升", "三服务"),
    ("楼宇发展十条", "楼宇十条"),
    ("乾仓服务综合体", "乾仓综合体"),
]

# (person, role, post in)
POSTS = [
    ("施甜甜", "党工委书记", "仓前街道"),
    ("姚冀众", "创始人", "杭州纤纳光电科技有限公司"),
]

# (subject, fact key, object): relations between nodes that the article states
EDGES = [
    ("走亲连心三服务三提升", "organizedBy", "仓前街道"),
    ("施甜甜", "participatesIn", "走亲连心三服务三提升"),
    ("未来科技城", "participatesIn", "走亲连心三服务三提升"),
    ("走亲连心三服务三提升", "serves", "杭州纤纳光电科技有限公司"),
    ("走亲连心三服务三提升", "serves", "仓溢绿苑小区"),
    ("走亲连心三服务三提升", "serves", "浙大超重力实验室"),
    ("走亲连心三服务三提升", "serves", "浙大校友总部"),
    ("一三五", "partOfInitiative", "走亲连心三服务三提升"),
    ("两车", "partOfInitiative", "走亲连心三服务三提升"),
    ("全域走访大行动", "partOfInitiative", "走亲连心三服务三提升"),
    ("五张推进表", "partOfInitiative", "走亲连心三服务三提升"),
    ("多线融合", "partOfInitiative", "走亲连心三服务三提升"),
    ("三项创新", "partOfInitiative", "走亲连心三服务三提升"),
    ("五个满意", "partOfInitiative", "走亲连心三服务三提升"),
    ("队伍创新", "partOfInitiative", "三项创新"),
    ("载体创新", "partOfInitiative", "三项创新"),
    ("机制创新", "partOfInitiative", "三项创新"),
    ("一园十员", "partOfInitiative", "队伍创新"),
    ("组团联村社队伍", "partOfInitiative", "队伍创新"),
    ("楼宇工作站", "partOfInitiative", "载体创新"),
    ("乾仓服务综合体", "partOfInitiative", "载体创新"),
    ("楼宇发展十条", "partOfInitiative", "机制创新"),
    ("美丽村社建设十法", "partOfInitiative", "机制创新"),
    ("楼宇服务中心", "partOfInitiative", "楼宇工作站"),
    ("炬华科技园区(楼宇)工作站", "partOfInitiative", "楼宇工作站"),
    ("两车", "organizedBy", "仓前街道"),
    ("全域走访大行动", "organizedBy", "仓前街道"),
    ("五张推进表", "organizedBy", "仓前街道"),
    ("一园十员", "organizedBy", "仓前街道"),
    ("组团联村社队伍", "organizedBy", "仓前街道"),
    ("楼宇工作站", "organizedBy", "仓前街道"),
    ("炬华科技园区(楼宇)工作站", "organizedBy", "仓前街道"),
    ("乾仓服务综合体", "organizedBy", "仓前街道"),
    ("楼宇发展十条", "organizedBy", "仓前街道"),
    ("楼宇信息系统", "organizedBy", "仓前街道"),
    ("表演舞台", "organizedBy", "仓前街道"),
    ("居民爱好队", "organizedBy", "仓前街道"),
    ("问题跟踪反馈机制", "organizedBy", "仓前街道"),
    ("人才服务专业窗口", "organizedBy", "仓前街道"),
    ("春季人力资源招聘会", "organizedBy", "仓前街道"),
    ("楼宇工作站", "takesPlaceIn", "仓前街道"),
    ("表演舞台", "takesPlaceIn", "仓溢绿苑小区"),
    ("楼宇工作站", "serves", "炬华科技"),
    ("楼宇工作站", "serves", "利尔达"),
    ("楼宇工作站", "serves", "恒生科技园"),
    ("炬华科技园区(楼宇)工作站", "serves", "炬华科技"),
    ("仓溢绿苑小区", "locatedIn", "仓前街道"),
    ("炬华科技", "locatedIn", "仓前街道"),
    ("利尔达", "locatedIn", "仓前街道"),
    ("恒生科技园", "locatedIn", "仓前街道"),
]

# (indicator, value, scale, unit, qualifier, kind, refArea, refPeriod, resultOf);
# qualifier is the set of all qualifiers the article gives the number
METRICS = [
    ("配备工作人员", "8", None, "名", set(), None, "炬华科技园区(楼宇)工作站", None, None),
    (
        "工作站面积",
        "300",
        None,
        "平方米",
        {"approximately"},
        None,
        "炬华科技园区(楼宇)工作站",
        None,
        None,
    ),
    ("楼宇集聚区划分的网格", "3", None, "个", set(), None, "仓前街道", None, "楼宇工作站"),
    ("建立的园区(楼宇)工作站", "3", None, "个", set(), None, "仓前街道", None, "楼宇工作站"),
    ("进行全面指导、规范的方面", "10", None, "方面", set(), None, "楼宇发展十条", None, None),
    (
        "进行组级自主整治的村民小组",
        "200",
        None,
        "个",
        {"more-than"},
        None,
        "仓前街道",
        None,
        "美丽村社建设十法",
    ),
    ("全部交付的期数", "3", None, "期", set(), None, "仓溢绿苑小区", "2015年1月", None),
    ("现住居民", "3008", None, "户", set(), None, "仓溢绿苑小区", "现住", None),
    ("现住居民", "13000", None, "人", {"approximately"}, None, "仓溢绿苑小区", "现住", None),
    ("计划投资", "100", "万", None, {"target", "approximately"}, None, "表演舞台", None, None),
    (
        "街道党员干部已走访群众",
        "300",
        None,
        "户",
        {"more-than"},
        None,
        "仓前街道",
        "目前",
        "走亲连心三服务三提升",
    ),
    (
        "解决交通出行、子女就学、计生咨询等问题",
        "50",
        None,
        "个",
        {"more-than"},
        None,
        "仓前街道",
        "目前",
        "走亲连心三服务三提升",
    ),
    (
        "梳理规上企业、重点信息经济企业",
        "150",
        None,
        "家",
        {"more-than"},
        None,
        "仓前街道",
        None,
        "走亲连心三服务三提升",
    ),
    (
        "逐一结对的班子成员",
        "20",
        None,
        "名",
        set(),
        None,
        "仓前街道",
        None,
        "走亲连心三服务三提升",
    ),
    (
        "招聘会吸引企业",
        "180",
        None,
        "家",
        {"more-than"},
        None,
        "仓前街道",
        None,
        "春季人力资源招聘会",
    ),
    ("招聘会推出岗位", "5347", None, "个", set(), None, "仓前街道", None, "春季人力资源招聘会"),
    (
        "现场达成初步就业意向",
        "313",
        None,
        "人",
        set(),
        None,
        "仓前街道",
        None,
        "春季人力资源招聘会",
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


@pytest.mark.parametrize(("label", "alt"), ALT_LABELS)
def test_alt_label(seed_build, label, alt):
    g = seed_build.graph
    assert alt in g.nodes[_node(g, label)].get("alt_labels", [])


def test_bylines_and_footer_are_not_annotated(seed_build):
    labels = {d.get("label") for _, d in seed_build.graph.nodes(data=True) if _of_article(d)}
    assert not {"孙晨", "倪明伟", "钟佳菲", "潘洁", "美丽河湖", "浙江在线"} & labels


@pytest.mark.parametrize(("person", "role", "where"), POSTS)
def test_post(seed_build, person, role, where):
    g = seed_build.graph
    p = _node(g, person)
    posts = [v for _, v, k in g.out_edges(p, keys=True) if k == "holds"]
    assert any(
        _targets(g, post, "role") == {role} and _targets(g, post, "postIn") == {where}
        for post in posts
    ), f"{person} holds no post {role} in {where}"


def test_nobody_is_said_to_lead(seed_build):
    """The article names no person who led or ran an initiative."""
    g = seed_build.graph
    for person in ("施甜甜", "姚冀众"):
        assert _targets(g, _node(g, person), "leads") == set()


@pytest.mark.parametrize(("subject", "key", "obj"), EDGES)
def test_edge(seed_build, subject, key, obj):
    g = seed_build.graph
    assert obj in _targets(g, _node(g, subject), key)


def test_subdistrict_has_no_invented_hierarchy(seed_build):
    """The article names no district or city for 仓前街道: its district comes only from the
    official division table (the annotated code 330110014), never from an article quote."""
    g = seed_build.graph
    node = _node(g, "仓前街道", "Subdistrict")
    assert _targets(g, node, "partOf") == {"余杭区"}
    for _, _, key, data in g.out_edges(node, keys=True, data=True):
        if key == "partOf":
            assert {e["article"] for e in data["evidence"]} == {"reference"}


def test_no_start_dates(seed_build):
    """No initiative of the article is given a start date (炬华站 started 日前)."""
    start = URIRef(KG + "startDate")
    union = seed_build.union()
    g = seed_build.graph
    for label, type_ in NODES:
        if type_ == "Initiative":
            assert not list(union.objects(URIRef(_node(g, label, type_)), start)), label


def test_published(seed_build):
    article = URIRef(KGR + "article/002")
    dates = set(seed_build.union().objects(article, URIRef("https://schema.org/datePublished")))
    assert {str(d) for d in dates} == {"2019-05-30"}


def _qualifiers(union, node: str) -> set[str]:
    notation = URIRef("http://www.w3.org/2004/02/skos/core#notation")
    return {
        str(n)
        for q in union.objects(URIRef(node), URIRef(KG + "qualifier"))
        for n in union.objects(q, notation)
    }


def _metric_rows(build) -> list[tuple]:
    g, union = build.graph, build.union()
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
                _qualifiers(union, n),
                d.get("kind"),
                single["refArea"][0] if single["refArea"] else None,
                d.get("period"),
                single["resultOf"][0] if single["resultOf"] else None,
            )
        )
    return rows


def test_metrics(seed_build):
    rows = _metric_rows(seed_build)
    assert sorted(rows, key=repr) == sorted(METRICS, key=repr)


def test_no_missing_values(seed_build):
    """Article 002 kept its digits: no metric of it is recorded as missing."""
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
        if str(s).rsplit("/", 1)[-1].startswith("m002-")
    ]
    assert len(values) == len(METRICS)
    assert all(isinstance(v, Literal) and isinstance(v.toPython(), (int, Decimal)) for v in values)
    assert not [v for v in values if isinstance(v.toPython(), bool)]
