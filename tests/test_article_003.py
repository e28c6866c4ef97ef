"""Seed 003 (阜新路街道, 青岛新闻网): what a reader of the article expects in the graph.

The tables are written from the article itself (traditional characters with pinyin inserts,
read in simplified form), not from the fact file: every named node, post, initiative link
and number it states, and nothing it does not state. The article names 市北区 and 青岛市 but
no province (only 省委省政府), so there is no province and no 省委常委 post; it gives no
year, so no publication date; its two mojibake fragments yield nothing; the reporter and the
通讯员 are not annotated.
"""

from __future__ import annotations

from decimal import Decimal
from functools import partial

import pytest
from rdflib import URIRef

from kg import text
from tests import kg_fixtures
from tests.graph_helpers import in_article, node_in_article, targets

seed_build = kg_fixtures.seed_build  # the session fixture: one build of data/

ARTICLE = "003"
KG = "https://w3id.org/jiedao-kg/ontology#"

NODES = [
    # places
    ("阜新路街道", "Subdistrict"),
    ("市北区", "District"),
    ("青岛市", "City"),
    # officials and roles
    ("王国雷", "Official"),
    ("王清宪", "Official"),
    ("党工委书记", "Role"),
    ("市委书记", "Role"),
    # enterprises
    ("青岛市市场建设投资发展有限公司", "Enterprise"),
    ("四方大酒店", "Enterprise"),
    ("中建十四局", "Enterprise"),
    ("中建十八局", "Enterprise"),
    # organizations
    ("经济文化服务中心", "Organization"),
    ("综合行政执法中队", "Organization"),
    ("市场监督管理所", "Organization"),
    ("应急管理办公室", "Organization"),
    ("阜新路街道人社中心", "Organization"),
    ("便民服务中心", "Organization"),
    # initiatives
    ("全面实现全年经济社会发展目标任务誓师大会", "Initiative"),
    ("复工复产工作组", "Initiative"),
    ("条块结合", "Initiative"),
    ("两书两表", "Initiative"),
    ("三紧盯", "Initiative"),
    ("紧盯重点企业", "Initiative"),
    ("紧盯重点领域", "Initiative"),
    ("紧盯重点项目", "Initiative"),
    ("处级领导联系服务企业制度", "Initiative"),
    ("一企一策", "Initiative"),
    ("一事一议", "Initiative"),
    ("一企一档", "Initiative"),
    ("保物资供应", "Initiative"),
    ("保政策兑现", "Initiative"),
    ("保宣传到位", "Initiative"),
    ("码上办", "Initiative"),
    ("企业复工复产报备制度", "Initiative"),
    ("务工人员摸排工作", "Initiative"),
    ("专门巡查小组", "Initiative"),
]

# (person, role, post in)
POSTS = [
    ("王国雷", "党工委书记", "阜新路街道"),
    ("王清宪", "市委书记", "青岛市"),
]

# (subject, fact key, object): relations between nodes that the article states
EDGES = [
    ("阜新路街道", "partOf", "市北区"),
    ("市北区", "partOf", "青岛市"),
    ("经济文化服务中心", "locatedIn", "阜新路街道"),
    ("综合行政执法中队", "locatedIn", "阜新路街道"),
    ("应急管理办公室", "locatedIn", "阜新路街道"),
    ("阜新路街道人社中心", "locatedIn", "阜新路街道"),
    ("王清宪", "participatesIn", "全面实现全年经济社会发展目标任务誓师大会"),
    ("复工复产工作组", "organizedBy", "阜新路街道"),
    ("条块结合", "organizedBy", "阜新路街道"),
    ("两书两表", "organizedBy", "阜新路街道"),
    ("两书两表", "partOfInitiative", "条块结合"),
    ("经济文化服务中心", "participatesIn", "条块结合"),
    ("综合行政执法中队", "participatesIn", "条块结合"),
    ("市场监督管理所", "participatesIn", "条块结合"),
    ("应急管理办公室", "participatesIn", "条块结合"),
    ("三紧盯", "organizedBy", "阜新路街道"),
    ("紧盯重点企业", "partOfInitiative", "三紧盯"),
    ("紧盯重点领域", "partOfInitiative", "三紧盯"),
    ("紧盯重点项目", "partOfInitiative", "三紧盯"),
    ("处级领导联系服务企业制度", "organizedBy", "阜新路街道"),
    ("处级领导联系服务企业制度", "partOfInitiative", "紧盯重点企业"),
    ("一企一策", "partOfInitiative", "紧盯重点企业"),
    ("一事一议", "partOfInitiative", "紧盯重点企业"),
    ("一企一档", "partOfInitiative", "紧盯重点企业"),
    ("保物资供应", "organizedBy", "阜新路街道"),
    ("保政策兑现", "organizedBy", "阜新路街道"),
    ("保宣传到位", "organizedBy", "阜新路街道"),
    ("四方大酒店", "participatesIn", "保物资供应"),
    ("保物资供应", "serves", "中建十四局"),
    ("保物资供应", "serves", "中建十八局"),
    ("阜新路街道人社中心", "participatesIn", "保政策兑现"),
    ("码上办", "partOfInitiative", "保宣传到位"),
    ("企业复工复产报备制度", "takesPlaceIn", "阜新路街道"),
    ("务工人员摸排工作", "organizedBy", "阜新路街道"),
    ("综合行政执法中队", "participatesIn", "务工人员摸排工作"),
    ("市场监督管理所", "participatesIn", "务工人员摸排工作"),
    ("专门巡查小组", "takesPlaceIn", "阜新路街道"),
]

# (indicator, value, scale, unit, qualifier, kind, refArea, refPeriod, resultOf)
METRICS = [
    ("复工复产率", "78.19", None, "%", None, "ratio", "阜新路街道", "截至目前", None),
    ("产能恢复率", "130.96", None, "%", None, "ratio", "阜新路街道", "截至目前", None),
    (
        "重点锁定的骨干企业",
        "100",
        None,
        "家",
        None,
        None,
        "阜新路街道",
        None,
        "处级领导联系服务企业制度",
    ),
    (
        "为辖区企业提供防疫口罩",
        "350",
        None,
        "个",
        None,
        None,
        "阜新路街道",
        "3月上旬",
        "保物资供应",
    ),
    (
        "人社中心为之发布岗位的用人单位",
        "43",
        None,
        "家",
        None,
        None,
        "阜新路街道人社中心",
        "目前",
        "保政策兑现",
    ),
    (
        "人社中心发布岗位",
        "1700",
        None,
        "个",
        "more-than",
        None,
        "阜新路街道人社中心",
        "目前",
        "保政策兑现",
    ),
    (
        "帮助申领稳岗补贴的企业",
        "130",
        None,
        "家",
        "more-than",
        None,
        "阜新路街道",
        None,
        "保政策兑现",
    ),
    (
        "帮助企业申领的稳岗补贴",
        "53",
        "万",
        "元",
        "more-than",
        None,
        "阜新路街道",
        None,
        "保政策兑现",
    ),
    (
        "张贴企业复工复产温馨提示材料",
        "2500",
        None,
        "张",
        None,
        None,
        "阜新路街道",
        None,
        "保宣传到位",
    ),
    ("摸排务工人员的在建工地", "5", None, "处", None, None, "阜新路街道", None, None),
    ("摸排务工人员的农贸市场", "2", None, "处", None, None, "阜新路街道", None, None),
    ("摸排务工人员的商务楼宇", "5", None, "处", None, None, "阜新路街道", None, None),
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


def test_bylines_and_unnamed_levels_are_not_annotated(seed_build):
    labels = {d.get("label") for _, d in seed_build.graph.nodes(data=True) if _of_article(d)}
    assert not {"丁淑华", "周琨玮", "李世政", "山东省", "省委常委"} & labels
    assert not [
        d
        for _, d in seed_build.graph.nodes(data=True)
        if _of_article(d) and d.get("type") == "Province"
    ]


@pytest.mark.parametrize(("person", "role", "where"), POSTS)
def test_post(seed_build, person, role, where):
    g = seed_build.graph
    p = _node(g, person)
    posts = [v for _, v, k in g.out_edges(p, keys=True) if k == "holds"]
    assert any(
        _targets(g, post, "role") == {role} and _targets(g, post, "postIn") == {where}
        for post in posts
    ), f"{person} holds no post {role} in {where}"


def test_officials_hold_only_the_posts_in_the_table(seed_build):
    g = seed_build.graph
    for person in {p for p, _, _ in POSTS}:
        held = [v for _, v, k in g.out_edges(_node(g, person), keys=True) if k == "holds"]
        assert len(held) == sum(1 for p, _, _ in POSTS if p == person)


@pytest.mark.parametrize(("subject", "key", "obj"), EDGES)
def test_edge(seed_build, subject, key, obj):
    g = seed_build.graph
    assert obj in _targets(g, _node(g, subject), key)


def test_no_leaders(seed_build):
    """No named person is said to lead or run an initiative in this article."""
    g = seed_build.graph
    assert not [
        (u, v) for u, v, k in g.edges(keys=True) if k == "leads" and _of_article(g.nodes[u])
    ]


def test_no_start_dates_and_no_publication_date(seed_build):
    union = seed_build.union()
    start = URIRef(KG + "startDate")
    ours = [
        s
        for s, _ in union.subject_objects(start)
        if _of_article(seed_build.graph.nodes.get(str(s), {}))
    ]
    assert ours == []
    assert seed_build.corpus.articles[ARTICLE].published is None


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
    """Article 003 kept its digits: no metric of it is recorded as missing."""
    g = seed_build.graph
    assert not [
        n
        for n, d in g.nodes(data=True)
        if d.get("type") == "Metric" and _of_article(d) and d.get("value_missing")
    ]


def test_evidence_is_raw_text_outside_mojibake(seed_build):
    """Every quote of 003 maps to raw (traditional, pinyin) text, never into mojibake."""
    g = seed_build.graph
    raw = seed_build.corpus.articles[ARTICLE].text
    spans = text.find_mojibake(raw)
    seen = 0
    for _, d in g.nodes(data=True):
        for ev in d.get("evidence", []):
            if ev["article"] != ARTICLE:
                continue
            seen += 1
            assert raw[ev["start"] : ev["end"]] == ev["quote"]
            assert all(ev["end"] <= a or b <= ev["start"] for a, b in spans)
    assert seen >= len(NODES)
