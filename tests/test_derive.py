"""Derived facts (kg.derive, ontology/rules/): by office, as of when, from which sentences.

The seed table below is read from the five articles, not from the build: for each
subdistrict, the party secretary the article names, the article's stated date (None: the
article states none), and the initiatives the article says the subdistrict (or its 党工委)
set up, organized or launched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.derive import DERIVED, RuleError, derive, read_rule, rules
from kg.facts import load_corpus
from kg.ontology import KG
from kg.rdf import entity_iri, graph_iri, lines
from kg.statements import statements
from kg.store import query
from kg.text import to_simplified

SEED = {
    "锦南街道": (
        "雷新钱",
        "000",
        None,
        {
            "1+N",
            "三安全",
            "专家驻企服务队",
            "党员志愿先锋服务队",
            "基础防控排查工作专班",
            "安全红卫士",
            "疫情防控企业有序复工工作专班",
            "站所联动服务队",
            "网格化+大数据",
            "阳光议事亭",
        },
    ),
    "湖墅街道": (
        "唐卫峰",
        "001",
        None,
        {
            "1+3+N",
            "三方协同",
            "三方治理综合体",
            "四大高质量提升工程",
            "招募令",
            "楼长制",
            "银企沟通平台",
        },
    ),
    "仓前街道": (
        "施甜甜",
        "002",
        "2019-05-30",
        {
            "一三五",
            "一园十员",
            "三项创新",
            "两车",
            "乾仓服务综合体",
            "五个满意",
            "五张推进表",
            "人才服务专业窗口",
            "全域走访大行动",
            "多线融合",
            "居民爱好队",
            "春季人力资源招聘会",
            "楼宇信息系统",
            "楼宇发展十条",
            "楼宇工作站",
            "楼宇服务中心",
            "炬华科技园区(楼宇)工作站",
            "组团联村社队伍",
            "表演舞台",
            "走亲连心三服务三提升",
            "问题跟踪反馈机制",
        },
    ),
    "阜新路街道": (
        "王国雷",
        "003",
        None,
        {
            "三紧盯",
            "两书两表",
            "保宣传到位",
            "保政策兑现",
            "保物资供应",
            "务工人员摸排工作",
            "处级领导联系服务企业制度",
            "复工复产工作组",
            "条块结合",
        },
    ),
    "张槎街道": (
        "颜雪锋",
        "004",
        "2020-03-02",
        {
            "临时党支部",
            "八个一",
            "分类管理服务",
            "功能组",
            "四个到位",
            "四管齐下",
            "复工企业员工健康情况摸查表",
            "巡查组",
            "推动企业复工复产领导小组",
            "新冠肺炎疫情防控工作企业管理组",
            "新冠肺炎疫情防控工作动员大会",
            "暖春工作专班",
            "疫情防控指挥部办公室",
            "联动各级人社部门",
            "莲大片区临时党组织",
            "重点企业联络员制度",
        },
    ),
}


def _label(build, iri: str) -> str:
    return build.graph.nodes[iri]["label"]


def test_derived_facts_for_each_seed_subdistrict_match_the_articles(seed_build):
    found: dict[tuple[str, str | None, tuple[str, ...]], set[str]] = {}
    for fact in seed_build.derived.facts:
        assert fact.rule.name == "under-office" and fact.basis == "same-article"
        key = (_label(seed_build, fact.object), fact.as_of, fact.articles)
        found.setdefault(key, set()).add(_label(seed_build, fact.subject))
    expected = {(o, date, (a,)): initiatives for o, a, date, initiatives in SEED.values()}
    assert found == expected


def test_every_seed_initiative_a_subdistrict_organizes_is_answered_in_one_query(seed_ttl):
    """Done: under which official, as of when, stated or by office, from which sentences."""
    rows = list(query(seed_ttl, "under-official"))
    for subdistrict, (official, article, date, initiatives) in SEED.items():
        for initiative in initiatives:
            mine = [r for r in rows if str(r["initiative"]) == initiative]
            by_office = [r for r in mine if str(r["how"]) == "by office"]
            assert {str(r["official"]) for r in by_office} == {official}, initiative
            assert {str(r["post"]) for r in by_office} == {f"{subdistrict}党工委书记"}
            assert {r["asOf"] and str(r["asOf"]) for r in by_office} == {date}
            assert {str(r["basis"]) for r in by_office} == {"same-article"}
            quotes = {str(r["quote"]) for r in by_office}
            assert any(official in to_simplified(str(r["readable"])) for r in by_office), quotes
            assert len(quotes) >= 2  # the sentence placing it and the one naming the post
            assert {str(r["article"]) for r in by_office} == {article}
    stated = [r for r in rows if str(r["how"]) == "stated"]
    assert {(str(r["initiative"]), str(r["official"])) for r in stated} == {("阳光议事亭", "程建")}


def test_each_sentence_of_a_derived_fact_is_in_its_article(seed_build):
    texts = {a: art.text for a, art in seed_build.corpus.articles.items()}
    for row in query(seed_build, "under-official", initiative="楼长制"):
        start, end = int(row["start"]), int(row["end"])
        assert texts[str(row["article"])][start:end] == str(row["quote"])


def test_excluding_the_derived_graph_gives_the_stated_graph_exactly(seed_build):
    from kg.builder import Build

    stated = Build(seed_build.statements, lines(seed_build.statements))  # no rule run
    derived = f"<{graph_iri(DERIVED)}>"
    assert derived in seed_build.graphs and derived not in stated.graphs
    kept = b"".join(
        line + b"\n"
        for line in seed_build.nquads().splitlines()
        if not line.endswith(f" {derived} .".encode())
    )
    assert kept == stated.nquads()
    assert len(seed_build.nquads().splitlines()) > len(stated.nquads().splitlines())


def test_why_does_the_graph_say_this_is_one_query_on_the_exported_turtle(seed_ttl):
    rows = list(query(seed_ttl, "evidence", s=entity_iri("hushu-louzhangzhi"), p=KG.underOfficial))
    assert rows and {str(r["how"]) for r in rows} == {"derived"}
    assert {str(r["rule"]) for r in rows} == {"under-office"}
    assert {str(r["o"]) for r in rows} == {str(entity_iri("tang-weifeng"))}
    quotes = {str(r["quote"]) for r in rows}
    assert any("楼长制" in q for q in quotes) and any("唐卫峰" in q for q in quotes)


def test_the_derived_statement_names_its_rule_sources_articles_and_date(seed_ttl):
    rows = query(
        seed_ttl,
        """SELECT ?rule ?text ?basis ?asOf ?article (COUNT(DISTINCT ?source) AS ?sources)
                  (SAMPLE(?kind) AS ?kinds)
           WHERE {
             ?d a kg:DerivedStatement ; rdf:subject ?i ; rdf:object kgr:shi-tiantian ;
                kg:rule ?r ; kg:basis/skos:notation ?basis ; kg:sourceArticle ?a ;
                prov:wasDerivedFrom ?source .
             ?i rdfs:label "楼宇工作站"@zh .
             ?r dct:identifier ?rule ; kg:sparql ?text .
             ?a dct:identifier ?article .
             ?source a kg:Statement ; rdf:predicate ?kind .
             OPTIONAL { ?d kg:asOf ?asOf }
           } GROUP BY ?rule ?text ?basis ?asOf ?article""",
    ).values()
    assert len(rows) == 1
    rule, text, basis, as_of, article, sources, _ = rows[0]
    assert rule == "under-office" and basis == "same-article" and article == "002"
    assert str(as_of) == "2019-05-30"
    assert text == next(r for r in rules() if r.name == "under-office").text
    assert sources == 4  # organizedBy, holds, postIn, role
    kinds = query(
        seed_ttl,
        """SELECT DISTINCT ?p WHERE { ?d a kg:DerivedStatement ; rdf:object kgr:shi-tiantian ;
           prov:wasDerivedFrom/rdf:predicate ?p } ORDER BY ?p""",
    ).values()
    assert [k[0] for k in kinds] == [
        str(KG.holds),
        str(KG.organizedBy),
        str(KG.postIn),
        str(KG.role),
    ]


def test_derived_edges_reach_networkx_marked_with_their_evidence(seed_build):
    derived = [(u, v, d) for u, v, d in seed_build.graph.edges(data=True) if d.get("derived")]
    assert len(derived) == sum(len(i) for *_, i in SEED.values())
    assert all(d["predicate"] == str(KG.underOfficial) for *_, d in derived)
    _, v, d = next(e for e in derived if _label(seed_build, e[0]) == "楼长制")
    assert _label(seed_build, v) == "唐卫峰"
    assert d["derivations"] == [
        {
            "rule": "under-office",
            "label": "按职务推定",
            "basis": "same-article",
            "asOf": None,
            "articles": ["001"],
            "dates": [None],
        }
    ]
    quotes = [e["quote"] for e in d["evidence"]]
    assert any("楼长制" in q for q in quotes) and any("唐卫峰" in q for q in quotes)
    stated = [(u, v) for u, v, d in seed_build.graph.edges(data=True) if not d.get("derived")]
    assert len(stated) + len(derived) == seed_build.graph.number_of_edges()


def test_readable_quotes_drop_the_pinyin_and_keep_the_exact_quote(seed_build):
    from kg.text import strip_pinyin

    readable = seed_build.derived.readable
    assert readable and {a for a, _, _ in readable} == {"003"}  # only 003 inserts pinyin
    for (article, start, end), text in readable.items():
        raw = seed_build.corpus.articles[article].text[start:end]
        assert text == strip_pinyin(raw).text != raw
    rows = query(seed_build, "secretaries", subdistrict="阜新路街道").values()
    quote, readable_quote = rows[0][4], rows[0][8]
    assert quote == "阜新路街道黨工委書記王國雷說。"  # the raw text has no pinyin here
    assert readable_quote == quote
    pinyin_rows = [
        r
        for r in query(seed_build, "initiatives-by-subdistrict", subdistrict="阜新路街道")
        if "(" in str(r["quote"])
    ]
    assert pinyin_rows
    for row in pinyin_rows:
        assert str(row["readable"]) == strip_pinyin(str(row["quote"])).text


# ---------------------------------------------------------------- invented corpora


def _write(data: Path, articles: list[dict]) -> Path:
    """Articles with a subdistrict 甲街道, its secretary, and initiatives; invented text."""
    (data / "articles").mkdir(parents=True)
    (data / "facts").mkdir()
    for spec in articles:
        aid = spec["id"]
        text = spec["text"]
        (data / "articles" / f"{aid}.txt").write_text(text, encoding="utf-8")
        article = {"id": aid, "file": f"{aid}.txt", "title": text[:4]}
        if spec.get("date"):
            article["published"] = {"date": spec["date"], "quote": spec["date_quote"]}
        facts = {"article": article, "entities": spec["entities"]}
        (data / "facts" / f"{aid}.yaml").write_text(
            yaml.safe_dump(facts, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return data


SD = {"id": "jia-jiedao", "type": "Subdistrict", "label": "甲街道", "quote": "甲街道"}
ROLE = {"id": "role-shuji", "type": "Role", "label": "党工委书记", "quote": "党工委书记"}


def _secretary(name_id: str, name: str, quote: str) -> list[dict]:
    post = {
        "id": "jia-shuji",
        "type": "Post",
        "quote": quote,
        "postIn": "jia-jiedao",
        "role": "role-shuji",
    }
    person = {
        "id": name_id,
        "type": "Official",
        "label": name,
        "quote": quote,
        "holds": "jia-shuji",
    }
    return [post, person]


def _initiative(iid: str, label: str, quote: str, org: str = "jia-jiedao") -> dict:
    return {"id": iid, "type": "Initiative", "label": label, "quote": quote, "organizedBy": org}


def _build(data: Path):
    from kg.builder import build

    return build(data)


def test_never_across_dates_without_saying_so(tmp_path):
    """One secretary in a January article; initiatives in a January article (same date),
    a June article (different date) and an undated one: derived all three times, and the
    basis says which may not hold."""
    data = _write(
        tmp_path / "data",
        [
            {
                "id": "a",
                "text": "2020年1月5日 甲街道党工委书记张三主持会议。",
                "date": "2020-01-05",
                "date_quote": "2020年1月5日",
                "entities": [SD, ROLE, *_secretary("zhang-san", "张三", "甲街道党工委书记张三")],
            },
            {
                "id": "b",
                "text": "2020年1月5日 甲街道成立了甲专班。",
                "date": "2020-01-05",
                "date_quote": "2020年1月5日",
                "entities": [SD, _initiative("jia-zhuanban", "甲专班", "甲街道成立了甲专班")],
            },
            {
                "id": "c",
                "text": "2020年6月1日 甲街道推行乙制度。",
                "date": "2020-06-01",
                "date_quote": "2020年6月1日",
                "entities": [SD, _initiative("yi-zhidu", "乙制度", "甲街道推行乙制度")],
            },
            {
                "id": "d",
                "text": "甲街道开展丙行动。",
                "entities": [SD, _initiative("bing-xingdong", "丙行动", "甲街道开展丙行动")],
            },
        ],
    )
    result = _build(data)
    facts = {_label(result, f.subject): f for f in result.derived.facts}
    assert set(facts) == {"甲专班", "乙制度", "丙行动"}
    assert (facts["甲专班"].basis, facts["甲专班"].as_of) == ("same-date", "2020-01-05")
    assert (facts["乙制度"].basis, facts["乙制度"].as_of) == ("across-dates", None)
    assert facts["乙制度"].dates == ("2020-01-05", "2020-06-01")
    assert (facts["丙行动"].basis, facts["丙行动"].as_of) == ("across-dates", None)
    rows = list(query(result, "under-official", initiative="乙制度"))
    assert {(str(r["how"]), str(r["basis"]), str(r["article"])) for r in rows} == {
        ("by office", "across-dates", "a"),
        ("by office", "across-dates", "c"),
    }
    assert all(r["asOf"] is None for r in rows)  # no as-of date where the dates differ
    period = list(query(result, "under-official", **{"from": "2020-06", "to": "2020-06"}))
    assert {str(r["initiative"]) for r in period} == {"乙制度"}
    assert {str(r["article"]) for r in period} == {"c"}


def test_the_organizers_party_committee_counts_and_other_organizers_do_not(tmp_path):
    text = "甲街道党工委书记李四表示，甲街道党工委发起丁计划，社区居委会推出戊活动。"
    data = _write(
        tmp_path / "data",
        [
            {
                "id": "a",
                "text": text,
                "entities": [
                    {**SD, "quote": "甲街道党工委书记李四表示"},
                    ROLE,
                    *_secretary("li-si", "李四", "甲街道党工委书记李四"),
                    {
                        "id": "jia-dangongwei",
                        "type": "Organization",
                        "label": "甲街道党工委",
                        "quote": "甲街道党工委发起",
                        "locatedIn": "jia-jiedao",
                    },
                    {
                        "id": "juweihui",
                        "type": "Organization",
                        "label": "社区居委会",
                        "quote": "社区居委会推出",
                        "locatedIn": "jia-jiedao",
                    },
                    _initiative("ding", "丁计划", "甲街道党工委发起丁计划", "jia-dangongwei"),
                    _initiative("wu", "戊活动", "社区居委会推出戊活动", "juweihui"),
                ],
            },
        ],
    )
    result = _build(data)
    assert {_label(result, f.subject) for f in result.derived.facts} == {"丁计划"}


def test_a_rule_is_a_data_file_and_runs_without_code(tmp_path):
    """A second rule, written here as a file's text, derives with no change to the code."""
    text = "乙村党委书记王五说，乙村组织了己活动。"
    data = _write(
        tmp_path / "data",
        [
            {
                "id": "a",
                "text": text,
                "entities": [
                    {"id": "yi-cun", "type": "Community", "label": "乙村", "quote": "乙村党委书记"},
                    {
                        "id": "role-cun",
                        "type": "Role",
                        "label": "村党委书记",
                        "quote": "村党委书记",
                    },
                    {
                        "id": "yi-shuji",
                        "type": "Post",
                        "quote": "乙村党委书记王五",
                        "postIn": "yi-cun",
                        "role": "role-cun",
                    },
                    {
                        "id": "wang-wu",
                        "type": "Official",
                        "label": "王五",
                        "quote": "乙村党委书记王五",
                        "holds": "yi-shuji",
                    },
                    _initiative("ji", "己活动", "乙村组织了己活动", "yi-cun"),
                ],
            },
        ],
    )
    made = statements(load_corpus(data))
    graphs = lines(made)
    assert derive(made.corpus, graphs).facts == []  # the seed rule is about subdistricts only
    village = read_rule(
        "under-village-office",
        """\
# An initiative a village organizes is under its party secretary.
# derives: kg:underOfficial
# label@zh: 按村职务推定
SELECT ?subject ?object ?fromOrganizer ?fromHolder ?articleOrganizer ?articleHolder
WHERE {
  ?role rdfs:label "村党委书记"@zh .
  ?post kg:role ?role ; kg:postIn ?village .
  ?village a kg:Community .
  ?object kg:holds ?post .
  ?subject kg:organizedBy ?village .
  ?fromOrganizer rdf:subject ?subject ; rdf:predicate kg:organizedBy ; rdf:object ?village ;
                 kg:evidence/kg:article ?articleOrganizer .
  ?fromHolder rdf:subject ?object ; rdf:predicate kg:holds ; rdf:object ?post ;
              kg:evidence/kg:article ?articleHolder .
}
""",
    )
    found = derive(made.corpus, graphs, [village])
    assert [(f.subject, f.object, f.rule.label) for f in found.facts] == [
        (str(entity_iri("ji")), str(entity_iri("wang-wu")), "按村职务推定")
    ]
    assert any('"按村职务推定"@zh' in line for line in found.lines())


@pytest.mark.parametrize(
    "text, message",
    [
        ("SELECT ?subject ?object ?fromX WHERE { }", "no '# derives: kg:PROPERTY' line"),
        ("# derives: kg:holds\nSELECT ?subject ?object ?fromX WHERE { }", "which fact files state"),
        ("# derives: kg:nothing\nSELECT ?subject ?object ?fromX WHERE { }", "does not declare"),
        ("# derives: kg:underOfficial\nASK { ?s ?p ?o }", "a rule is a SELECT"),
        ("# derives: kg:underOfficial\nSELECT ?object ?fromX WHERE { }", "selects \\?subject"),
        ("# derives: kg:underOfficial\nSELECT ?subject WHERE { ?s ?p }", "invalid SPARQL"),
        (
            "# derives: kg:underOfficial\nSELECT ?subject ?object ?fromX WHERE "
            "{ SERVICE <http://x.example/> { ?subject ?p ?object } }",
            "SERVICE",
        ),
    ],
)
def test_a_broken_rule_is_a_one_line_error_naming_its_file(text, message):
    with pytest.raises(RuleError, match=message) as info:
        read_rule("broken", text)
    assert str(info.value).startswith("ontology/rules/broken.rq: ")
    assert "\n" not in str(info.value)


def test_shapes_refuse_a_derived_statement_without_its_sources(seed_build):
    from kg.builder import Build, check_build_shapes
    from kg.validate import ShapeError

    derived = f"<{graph_iri(DERIVED)}>"
    graphs = dict(seed_build.graphs)
    graphs[derived] = {line for line in graphs[derived] if "wasDerivedFrom" not in line}
    with pytest.raises(ShapeError, match="comes from stated statements"):
        check_build_shapes(Build(seed_build.statements, graphs))
