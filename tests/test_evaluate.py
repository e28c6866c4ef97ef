"""kg.evaluate: drafts scored against gold fact files, with counts known by construction.

The small cases run on a tiny invented article (``t1.txt``) with a gold file written for
it, so every true positive, false positive and false negative below can be checked by eye.
"""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest

from kg import evaluate as ev
from kg.facts import Corpus, Entity, FactError, Quote, Value, Where, check_corpus, load_file

ROOT = Path(__file__).resolve().parent.parent

ARTICLE = (
    "静安区南京西路街道党工委书记張三表示，截至目前，辖区内已复工企业205家，"
    "预计一季度完成产值13.43亿元。\n"
    "阳光科技有限公司的李四说，街道成立复工专班（疫情防控企业有序复工工作专班），"
    "已服务企业30家。\n"
    "全街道共有党员名参加志愿服务。\n"
)

GOLD = """\
article:
  id: t1
  file: t1.txt
  title: 静安区南京西路街道党工委书记張三表示
entities:
  - id: jingan-qu
    type: District
    label: 静安区
    quote: 静安区南京西路街道
  - id: nanjingxilu-jiedao
    type: Subdistrict
    label: 南京西路街道
    quote: 静安区南京西路街道
    partOf: jingan-qu
  - id: role-dangongwei-shuji
    type: Role
    label: 党工委书记
    quote: 党工委书记張三
  - id: nanjingxilu-shuji
    type: Post
    quote: 南京西路街道党工委书记張三
    postIn: nanjingxilu-jiedao
    role: role-dangongwei-shuji
  - id: zhang-san
    type: Official
    label: 张三
    quote: 党工委书记張三
    holds: nanjingxilu-shuji
  - id: yangguang-keji
    type: Enterprise
    label: 阳光科技有限公司
    quote: 阳光科技有限公司的李四
  - id: li-si
    type: Person
    label: 李四
    quote: 阳光科技有限公司的李四
  - id: fugong-zhuanban
    type: Initiative
    label: 疫情防控企业有序复工工作专班
    altLabels: [复工专班]
    quote: 街道成立复工专班（疫情防控企业有序复工工作专班）
    organizedBy: nanjingxilu-jiedao
  - id: m-fugong
    type: Metric
    quote: 辖区内已复工企业205家
    indicator: 已复工企业
    value: 205
    unit: 家
  - id: m-chanzhi
    type: Metric
    quote: 预计一季度完成产值13.43亿元
    indicator: 产值
    value: "13.43"
    scale: 亿
    unit: 元
  - id: m-fuwu
    type: Metric
    quote: 已服务企业30家
    indicator: 服务企业
    value: 30
    unit: 家
  - id: m-dangyuan
    type: Metric
    quote: 全街道共有党员名参加志愿服务
    indicator: 党员
    valueMissing: true
    unit: 名
"""

# A draft with other ids, a traditional label, an altLabel for a label, the scale folded
# into the value, a wrong type, a duplicate, an invented number and a wrong relation.
PRED = """\
article:
  id: draft-t1
  file: t1.txt
  title: 静安区南京西路街道党工委书记張三表示
entities:
  - id: d1
    type: District
    label: 静安区
    quote: 静安区南京西路街道
  - id: s1
    type: Subdistrict
    label: 南京西路街道
    quote: 静安区南京西路街道
    partOf: d1
  - id: r1
    type: Role
    label: 党工委书记
    quote: 党工委书记張三
  - id: p1
    type: Post
    quote: 南京西路街道党工委书记張三
    postIn: s1
    role: r1
  - id: o1
    type: Official
    label: 張三
    quote: 党工委书记張三
    holds: p1
  - id: o2
    type: Official
    label: 李四
    quote: 阳光科技有限公司的李四
  - id: e1
    type: Enterprise
    label: 阳光科技有限公司
    quote: 阳光科技有限公司的李四
  - id: e2
    type: Enterprise
    label: 阳光科技
    quote: 阳光科技有限公司的李四
  - id: i1
    type: Initiative
    label: “复工专班”
    quote: 街道成立复工专班
    organizedBy: d1
  - id: m1
    type: Metric
    quote: 辖区内已复工企业205家
    indicator: 复工企业
    value: 205
    unit: 家
  - id: m2
    type: Metric
    quote: 预计一季度完成产值13.43亿元
    indicator: 产值
    value: 1343000000
    unit: 元
  - id: m3
    type: Metric
    quote: 已服务企业30家
    indicator: 服务企业
    value: 30
    unit: 家
  - id: m4
    type: Metric
    quote: 已服务企业30家
    indicator: 已服务企业
    value: 30
    unit: 家
  - id: m5
    type: Metric
    quote: 全街道共有党员名参加志愿服务
    indicator: 党员
    value: 12
    unit: 名
"""


def counts(report: ev.Report | ev.ArticleResult, cls: str) -> tuple[int, int, int]:
    score = next(s for s in report.scores if s.cls == cls)
    return score.tp, score.fp, score.fn


def corpus(tmp_path: Path, gold: dict[str, str], pred: dict[str, str]) -> tuple[Path, Path]:
    """``tmp_path/{articles,gold,pred}``; every fact file is about an article of its own name
    (``t1.yaml`` → ``t1.txt``, the ARTICLE text), unless its text says otherwise."""
    for name, kind_files in (("gold", gold), ("pred", pred)):
        (tmp_path / name).mkdir()
        for stem, body in kind_files.items():
            (tmp_path / name / f"{stem}.yaml").write_text(body, encoding="utf-8")
    (tmp_path / "articles").mkdir()
    for stem in {*gold, *pred}:
        (tmp_path / "articles" / f"{stem}.txt").write_text(ARTICLE, encoding="utf-8")
    return tmp_path / "gold", tmp_path / "pred"


def other_article(body: str, stem: str) -> str:
    return body.replace("id: t1\n", f"id: {stem}\n").replace("file: t1.txt", f"file: {stem}.txt")


def test_module_doctests() -> None:
    assert doctest.testmod(ev).failed == 0


# ---------------------------------------------------------------- the seed corpus


def test_gold_against_itself_is_perfect() -> None:
    report = ev.evaluate(ROOT / "data" / "facts", ROOT / "data" / "facts")
    assert [a.article for a in report.per_article] == ["000", "001", "002", "003", "004"]
    assert report.skipped == []
    for score in [*report.scores, *report.relations, report.overall]:
        assert (score.fp, score.fn) == (0, 0), score
        assert score.precision == score.recall == score.f1 == 1.0
    assert report.score("Official").tp == 10
    assert report.score("Metric (value missing)").tp > 0  # seed 004 lost its digits
    assert all(a.problems == [] and not a.misses and not a.extras for a in report.per_article)
    json.dumps(report.to_json(), ensure_ascii=False)  # plain data all the way down


# ---------------------------------------------------------------- exact counts


def test_tiny_draft_gives_the_expected_counts(tmp_path: Path) -> None:
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {"t1": PRED})
    gold = load_file(gold_dir / "t1.yaml", tmp_path / "articles")
    assert check_corpus(Corpus([gold])) == []  # the hand-made gold is itself valid
    report = ev.evaluate(gold_dir, pred_dir)

    assert counts(report, "District") == (1, 0, 0)
    assert counts(report, "Subdistrict") == (1, 0, 0)
    assert counts(report, "Role") == (1, 0, 0)
    assert counts(report, "Post") == (1, 0, 0)  # 南京西路街道 + 党工委书记, held by 张三
    assert counts(report, "Official") == (1, 1, 0)  # 張三 = 张三; 李四 is no official
    assert counts(report, "Person") == (0, 0, 1)
    assert counts(report, "Person (any)") == (2, 0, 0)
    assert counts(report, "Enterprise") == (1, 1, 0)  # 阳光科技 is not the company's name
    assert counts(report, "Initiative") == (1, 0, 0)  # “复工专班” is an altLabel
    assert counts(report, "Metric") == (3, 2, 0)  # a duplicate 30家, an invented 12名
    assert counts(report, "Metric (value missing)") == (0, 0, 1)
    assert counts(report, "Relation") == (4, 1, 1)  # organizedBy 静安区, not the 街道

    overall = report.overall
    assert (overall.tp, overall.fp, overall.fn) == (10, 4, 1)
    assert overall.precision == pytest.approx(10 / 14)
    assert overall.recall == pytest.approx(10 / 11)
    assert overall.f1 == pytest.approx(2 * (10 / 14) * (10 / 11) / (10 / 14 + 10 / 11))

    (article,) = report.per_article
    assert (article.article, article.file) == ("t1", "t1.txt")
    assert article.misses == {
        "Person": ["李四"],
        "Metric (value missing)": ["党员 (value missing) 名"],
        "Relation": ["疫情防控企业有序复工工作专班 organizedBy 南京西路街道"],
    }
    assert article.extras == {
        "Official": ["李四"],
        "Enterprise": ["阳光科技"],
        "Metric": ["已服务企业 30家", "党员 12名"],  # the second 30家 is the extra one
        "Relation": ["“复工专班” organizedBy 静安区"],
    }
    by_predicate = {s.cls: (s.tp, s.fp, s.fn) for s in report.relations}
    assert by_predicate == {
        "holds": (1, 0, 0),
        "organizedBy": (0, 1, 1),
        "partOf": (1, 0, 0),
        "postIn": (1, 0, 0),
        "role": (1, 0, 0),
    }
    # The draft's problems are listed for the person correcting it, but not scored: the
    # scaled-out value is not written in its sentence.
    assert any("1343000000 does not occur in the quote" in p for p in article.problems)
    assert all(p.startswith(str(pred_dir / "t1.yaml") + ":") for p in article.problems)


def test_table_and_json(tmp_path: Path) -> None:
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": PRED}))
    rows = report.table()
    assert rows[0] == ev.COLUMNS
    assert rows[-1][0] == "overall"
    names = [r[0] for r in rows[1:-1]]
    # The schema's order; classes absent on both sides (City, Community, ...) are left out.
    present = {
        "Official", "Person", "Enterprise", "District", "Subdistrict", "Role", "Post",
        "Initiative", "Metric", "Person (any)", "Post (secretary)", "Metric (value missing)",
        "Relation",
    }  # fmt: skip
    assert names == [c for c in ev.class_order() if c in present]
    assert names[-4:] == ["Person (any)", "Post (secretary)", "Metric (value missing)", "Relation"]
    assert rows[1] == ["Official", "1", "2", "1", "1", "0", "0.500", "1.000", "0.667"]
    with_relations = [r[0] for r in report.table(relations=True)]
    assert with_relations[-7:] == [
        "Relation",
        "  holds",
        "  organizedBy",
        "  partOf",
        "  postIn",
        "  role",
        "overall",
    ]
    data = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert data["overall"] == {
        "class": "overall",
        "gold": 11,
        "pred": 14,
        "tp": 10,
        "fp": 4,
        "fn": 1,
        "precision": pytest.approx(10 / 14),
        "recall": pytest.approx(10 / 11),
        "f1": pytest.approx(report.overall.f1),
    }
    assert [c["class"] for c in data["classes"]] == list(ev.class_order())
    assert data["per_article"][0]["misses"]["Person"] == ["李四"]
    assert "1 article(s) scored (t1)" in report.header()


# ---------------------------------------------------------------- matching rules


def test_labels_match_across_traditional_simplified_quotes_and_width() -> None:
    assert ev.clean("張三") == ev.clean("张三")
    assert ev.clean("“陽光議事亭”") == ev.clean("阳光议事亭") == ev.clean(" 「阳光 议事亭」")
    assert ev.clean("１＋Ｎ") == ev.clean("1+N")
    assert ev.clean("復(fù)工專班") == "复工专班"  # pinyin inserts are not part of a name
    assert ev.clean("张三") != ev.clean("张山")


def metric(**props: object) -> Entity:
    where = Where("x.yaml")
    values = {k: [Value(v, where)] for k, v in props.items()}
    return Entity("m", "Metric", None, [], Quote("q", None, where), values, where, "a")


def test_metric_values_compare_after_scale() -> None:
    key = ev.metric_key
    assert key(metric(value="13.43", scale="亿", unit="元")) == ("1343000000", "元")
    assert key(metric(value=1343000000, unit="元")) == ("1343000000", "元")
    assert key(metric(value="13.430", scale="亿", unit="元")) == ("1343000000", "元")
    assert key(metric(value="134300", scale="万", unit="元")) == ("1343000000", "元")
    assert key(metric(value="13.43", unit="亿元")) == ("1343000000", "元")  # scale in the unit
    assert key(metric(value=5, unit="萬人")) == ("50000", "人")
    assert key(metric(value="2.4", unit="％")) == ("2.4", "%")
    assert key(metric(value=3, unit="千克")) == ("3", "千克")  # 千克 is a unit, not 千 × 克
    assert key(metric(value=205, unit="家")) != key(metric(value=205, unit="名"))
    assert key(metric(valueMissing=True, unit="名")) is None


def test_alt_labels_match_either_way(tmp_path: Path) -> None:
    # The draft names the initiative by its short name and gives the long one as altLabel;
    # the gold has them the other way round.
    pred = PRED.replace("label: “复工专班”", "label: 复工专班\n    altLabels: [工作专班]")
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": pred}))
    assert counts(report, "Initiative") == (1, 0, 0)
    wrong = PRED.replace("label: “复工专班”", "label: 复产专班")
    (tmp_path / "pred" / "t1.yaml").write_text(wrong, encoding="utf-8")
    assert counts(ev.evaluate(tmp_path / "gold", tmp_path / "pred"), "Initiative") == (0, 1, 1)


def test_each_gold_item_is_found_at_most_once(tmp_path: Path) -> None:
    twice = PRED + (
        "  - id: e3\n"
        "    type: Enterprise\n"
        "    label: 阳光科技有限公司\n"
        "    quote: 阳光科技有限公司的李四\n"
    )
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": twice}))
    assert counts(report, "Enterprise") == (1, 2, 0)
    assert report.per_article[0].extras["Enterprise"] == ["阳光科技", "阳光科技有限公司"]


def test_matching_is_maximal_not_greedy() -> None:
    # Gold a has names {x, y} and gold b only {x}; a greedy pass would give the draft's x
    # to a and leave b unmatched.
    item = ev._Item
    gold = [item((frozenset({"x", "y"}),), "a"), item((frozenset({"x"}),), "b")]
    pred = [item((frozenset({"x"}),), "x"), item((frozenset({"y"}),), "y")]
    assert ev._pairs(gold, pred, ev._compatible) == [(0, 1), (1, 0)]


def test_among_maximum_matchings_the_nearest_positions_win() -> None:
    """Every draft fits every gold item: items pair with the ones at their own positions
    (so a file scored against itself aligns each entity to itself)."""
    item = ev._Item
    gold = [item((frozenset({"x"}),), n) for n in "abc"]
    pred = [item((frozenset({"x"}),), n) for n in "abcd"]
    assert ev._pairs(gold, pred, ev._compatible) == [(0, 0), (1, 1), (2, 2)]
    assert ev._pairs(gold[:1], pred, ev._compatible) == [(0, 0)]


def test_post_needs_its_holder(tmp_path: Path) -> None:
    pred = PRED.replace("    holds: p1\n", "").replace(
        "    label: 李四\n    quote: 阳光科技有限公司的李四\n",
        "    label: 李四\n    quote: 阳光科技有限公司的李四\n    holds: p1\n",
    )
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": pred}))
    assert counts(report, "Post") == (0, 1, 1)
    assert report.per_article[0].extras["Post"] == ["南京西路街道党工委书记 (李四)"]
    # a 书记 post with the wrong holder is an invented secretary: its own row counts it
    assert counts(report, "Post (secretary)") == (0, 1, 1)
    assert report.per_article[0].extras["Post (secretary)"] == ["南京西路街道党工委书记 (李四)"]


def test_secretaries_are_the_posts_of_a_shuji_role(tmp_path: Path) -> None:
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": PRED}))
    assert counts(report, "Post (secretary)") == (1, 0, 0)
    other = GOLD.replace("label: 党工委书记", "label: 党工委主任")
    (tmp_path / "x").mkdir()
    report = ev.evaluate(*corpus(tmp_path / "x", {"t1": other}, {"t1": PRED}))
    assert counts(report, "Post (secretary)") == (0, 1, 0)  # the draft's is invented


def test_value_missing_metrics_match_by_quote_or_indicator(tmp_path: Path) -> None:
    missing = PRED.replace("    value: 12\n", "    valueMissing: true\n")
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": missing}))
    assert counts(report, "Metric (value missing)") == (1, 0, 0)
    assert counts(report, "Metric") == (3, 1, 0)  # only the duplicate 30家 is left over
    by_quote = missing.replace("indicator: 党员\n", "indicator: 参加志愿服务的党员人数\n")
    (tmp_path / "pred" / "t1.yaml").write_text(by_quote, encoding="utf-8")
    report = ev.evaluate(tmp_path / "gold", tmp_path / "pred")
    assert counts(report, "Metric (value missing)") == (1, 0, 0)
    other_unit = missing.replace("    unit: 名\n", "    unit: 人\n")
    (tmp_path / "pred" / "t1.yaml").write_text(other_unit, encoding="utf-8")
    report = ev.evaluate(tmp_path / "gold", tmp_path / "pred")
    assert counts(report, "Metric (value missing)") == (0, 1, 1)


# ---------------------------------------------------------------- relations after alignment


def refarea_counts(report: ev.Report) -> tuple[int, int, int]:
    score = next(s for s in report.relations if s.cls == "refArea")
    return score.tp, score.fp, score.fn


def test_value_missing_metric_relations_follow_the_alignment(tmp_path: Path) -> None:
    # A value-missing metric is named by its free-worded indicator; the draft words it
    # otherwise, the row pairs it by quote, and its refArea must then count as found.
    gold = GOLD.replace(
        "    valueMissing: true\n    unit: 名\n",
        "    valueMissing: true\n    unit: 名\n    refArea: nanjingxilu-jiedao\n",
    )
    pred = PRED.replace("    value: 12\n", "    valueMissing: true\n").replace(
        "    indicator: 党员\n    valueMissing: true\n    unit: 名\n",
        "    indicator: 参加志愿服务的党员人数\n    valueMissing: true\n    unit: 名\n"
        "    refArea: s1\n",
    )
    report = ev.evaluate(*corpus(tmp_path, {"t1": gold}, {"t1": pred}))
    assert counts(report, "Metric (value missing)") == (1, 0, 0)
    assert refarea_counts(report) == (1, 0, 0)
    assert counts(report, "Relation") == (5, 1, 1)  # only organizedBy 静安区 still wrong

    # The same refArea on a metric the row did not pair (another unit) is not found.
    (tmp_path / "pred" / "t1.yaml").write_text(
        pred.replace("    unit: 名\n    refArea: s1\n", "    unit: 人\n    refArea: s1\n"),
        encoding="utf-8",
    )
    report = ev.evaluate(tmp_path / "gold", tmp_path / "pred")
    assert counts(report, "Metric (value missing)") == (0, 1, 1)
    assert refarea_counts(report) == (0, 1, 1)

    # And the gold against itself stays perfect, relations included.
    (tmp_path / "pred" / "t1.yaml").write_text(gold, encoding="utf-8")
    report = ev.evaluate(tmp_path / "gold", tmp_path / "pred")
    assert all((s.fp, s.fn) == (0, 0) for s in [*report.scores, *report.relations])
    assert counts(report, "Relation") == (6, 0, 0)


def test_entity_matched_by_alt_label_keeps_its_relations(tmp_path: Path) -> None:
    # The draft's initiative is labelled with the gold's altLabel and organized by the
    # right 街道: its row pairs it, and so does its relation.
    pred = PRED.replace("    organizedBy: d1\n", "    organizedBy: s1\n").replace(
        "label: “复工专班”", "label: 复工专班\n    altLabels: [复工工作专班]"
    )
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": pred}))
    assert counts(report, "Initiative") == (1, 0, 0)
    assert counts(report, "Relation") == (5, 0, 0)
    assert "Relation" not in report.per_article[0].extras


def test_aligned_entity_is_not_matched_by_a_name_it_shares(tmp_path: Path) -> None:
    # The draft adds a 党工委 that also goes by 南京西路街道 and says it organizes the
    # initiative. The row pairs it with the gold's 党工委, so it is not the 街道 the gold
    # names, although the two share a name.
    party = (
        "  - id: dangongwei\n"
        "    type: Organization\n"
        "    label: 南京西路街道党工委\n"
        "    altLabels: [南京西路街道]\n"
        "    quote: 南京西路街道党工委\n"
    )
    gold = GOLD + party
    pred = PRED.replace("    organizedBy: d1\n", "    organizedBy: g1\n") + party.replace(
        "id: dangongwei", "id: g1"
    )
    report = ev.evaluate(*corpus(tmp_path, {"t1": gold}, {"t1": pred}))
    assert counts(report, "Organization") == (1, 0, 0)
    assert counts(report, "Relation") == (4, 1, 1)
    assert report.per_article[0].extras["Relation"] == ["“复工专班” organizedBy 南京西路街道党工委"]


def test_unaligned_entity_still_matches_by_name(tmp_path: Path) -> None:
    # The draft files the 街道 under the wrong class, so no row pairs it; its relations
    # (partOf 静安区, and the post in it) still count by its name.
    pred = PRED.replace(
        "    type: Subdistrict\n    label: 南京西路街道\n",
        "    type: Community\n    label: 南京西路街道\n",
    ).replace("    organizedBy: d1\n", "    organizedBy: s1\n")
    report = ev.evaluate(*corpus(tmp_path, {"t1": GOLD}, {"t1": pred}))
    assert counts(report, "Subdistrict") == (0, 0, 1)
    assert counts(report, "Community") == (0, 1, 0)
    assert counts(report, "Relation") == (5, 0, 0)


def test_zero_denominators_are_vacuous() -> None:
    empty = ev.Score.of("x", 0, 0, 0)
    assert (empty.precision, empty.recall, empty.f1) == (1.0, 1.0, 1.0)
    nothing_claimed = ev.Score.of("x", 0, 0, 5)
    assert (nothing_claimed.precision, nothing_claimed.recall, nothing_claimed.f1) == (
        1.0,
        0.0,
        0.0,
    )
    all_wrong = ev.Score.of("x", 0, 3, 0)
    assert (all_wrong.precision, all_wrong.recall, all_wrong.f1) == (0.0, 1.0, 0.0)


# ---------------------------------------------------------------- pairing


def test_gold_without_draft_is_skipped_or_counted_as_missed(tmp_path: Path) -> None:
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD, "t2": other_article(GOLD, "t2")}, {})
    (pred_dir / "t1.yaml").write_text(GOLD, encoding="utf-8")  # a perfect draft of t1 only

    report = ev.evaluate(gold_dir, pred_dir)
    assert report.skipped == ["t2"]
    assert [a.article for a in report.per_article] == ["t1"]
    assert report.overall.f1 == 1.0
    assert "not scored, no draft: t2" in report.header()

    strict = ev.evaluate(gold_dir, pred_dir, strict=True)
    assert strict.skipped == []
    assert [(a.article, a.pred_path) for a in strict.per_article] == [
        ("t1", str(pred_dir / "t1.yaml")),
        ("t2", None),
    ]
    assert (strict.overall.tp, strict.overall.fp, strict.overall.fn) == (11, 0, 11)
    assert strict.score("Metric (value missing)").fn == 1
    assert "counted as entirely missed: t2" in strict.header()


def test_drafts_pair_by_article_file_not_id(tmp_path: Path) -> None:
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {"anything": PRED})
    report = ev.evaluate(gold_dir, pred_dir)
    assert report.per_article[0].pred_path == str(pred_dir / "anything.yaml")


def test_draft_of_an_unannotated_article_is_an_error(tmp_path: Path) -> None:
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {"t3": other_article(PRED, "t3")})
    with pytest.raises(FactError) as err:
        ev.evaluate(gold_dir, pred_dir)
    assert str(err.value) == (
        f"{pred_dir / 't3.yaml'}:2:3: no gold fact file in {gold_dir} is about article "
        "file t3.txt; only annotated articles can be scored"
    )


def test_two_drafts_of_one_article_are_an_error(tmp_path: Path) -> None:
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {"t1": PRED})
    (pred_dir / "t1-copy.yaml").write_text(PRED, encoding="utf-8")
    with pytest.raises(FactError, match="is also given by"):
        ev.evaluate(gold_dir, pred_dir)


def test_empty_draft_directory_is_an_error(tmp_path: Path) -> None:
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {})
    with pytest.raises(FactError, match=r"no fact files \(\*\.yaml\) in drafts"):
        ev.evaluate(gold_dir, pred_dir)
    with pytest.raises(FactError, match="drafts directory not found"):
        ev.evaluate(gold_dir, tmp_path / "nowhere")


def test_broken_draft_names_file_line_and_column(tmp_path: Path) -> None:
    broken = PRED.replace("    label: 静安区\n", "    label: [静安区\n")
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {"t1": broken})
    with pytest.raises(FactError) as err:
        ev.evaluate(gold_dir, pred_dir)
    message = str(err.value)
    assert message.startswith(f"{pred_dir / 't1.yaml'}:")
    assert "invalid YAML" in message
    assert "\n" not in message  # one line, as kg build reports it
    line = int(message.split(":")[1])
    assert 8 <= line <= 10  # at or just after the unclosed bracket (line 8)


def test_invalid_draft_reports_every_problem_with_position(tmp_path: Path) -> None:
    bad = PRED.replace(
        "    type: Enterprise\n    label: 阳光科技\n", "    type: Company\n    label: 阳光科技\n"
    )
    bad = bad.replace("    value: 12\n", "    value: twelve\n")
    gold_dir, pred_dir = corpus(tmp_path, {"t1": GOLD}, {"t1": bad})
    with pytest.raises(FactError) as err:
        ev.evaluate(gold_dir, pred_dir)
    lines = str(err.value).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"{pred_dir / 't1.yaml'}:") for line in lines)
    assert "unknown type 'Company'" in lines[0]
    assert "'value' must be a plain decimal number" in lines[1]
