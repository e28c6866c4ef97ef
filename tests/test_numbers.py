"""Metric mentions (kg.numbers): invented sentences for each rule, then the five seed articles
scored against their hand annotations, and the guarantee that no number is invented."""

from __future__ import annotations

import doctest
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import numbers
from kg.facts import load_corpus, number_in_text
from kg.numbers import MetricMention, find_metrics, parse_chinese_number, vocabulary
from kg.ontology import KG
from kg.schema import concepts
from kg.text import normalize, read_article

DATA = Path(__file__).resolve().parent.parent / "data"
ARTICLES = sorted((DATA / "articles").glob("*.txt"))
A004 = DATA / "articles" / "004_0ea2599d26a5cbfc.txt"


def _parts(m: MetricMention) -> tuple[str, str | None, str | None, str | None, str]:
    return m.value, m.scale, m.unit, m.qualifier, m.kind


def _check_invariants(text: str, mentions: list[MetricMention]) -> None:
    """What every caller relies on: the number is inside the clause and the loader's check
    finds the value in the quote; mentions come in text order."""
    for m in mentions:
        assert 0 <= m.start <= m.number_start < m.number_end <= m.end <= len(text), m
        assert number_in_text(m.value, text[m.start : m.end]), (m, text[m.start : m.end])
        assert Decimal(m.value).is_finite() and "e" not in m.value.lower()
        assert text[m.start : m.end] == text[m.start : m.end].strip()
    starts = [m.number_start for m in mentions]
    assert starts == sorted(starts)


def test_module_doctests() -> None:
    assert doctest.testmod(numbers).failed == 0


def test_vocabulary_notations_are_ontology_concepts() -> None:
    """Qualifier notations in numbers.yaml are the ones kg.ttl defines (and the build checks)."""
    vocab = vocabulary()
    allowed = set(concepts(KG.Qualifier))
    used = {*vocab.qualifiers_after.values(), *vocab.qualifiers_before.values()}
    assert used | set(vocab.modals.values()) <= allowed
    kinds = set(concepts(KG.MetricKind))
    assert {"level", "growth-rate", "ratio"} <= kinds


# ---------------------------------------------------------------- Chinese numerals


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("两百", "200"),
        ("三十五", "35"),
        ("一万二", "12000"),
        ("一万二千三百", "12300"),
        ("三千零五", "3005"),
        ("十", "10"),
        ("十五", "15"),
        ("一百零五", "105"),
        ("两万五千", "25000"),
        ("十亿", "1000000000"),
        ("一点五", "1.5"),
        ("零", "0"),
    ],
)
def test_chinese_numerals(written: str, value: str) -> None:
    assert parse_chinese_number(written) == Decimal(value)


@pytest.mark.parametrize(
    "written", ["五一", "五六", "十四五", "百", "千万", "万一", "一二三", "十百"]
)
def test_chinese_non_numbers(written: str) -> None:
    """Ranges, names and words made of numeral characters have no exact value."""
    assert parse_chinese_number(written) is None


# ---------------------------------------------------------------- invented sentences


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("全镇共有规上企业52家。", [("52", None, "家", None, "level")]),
        ("全年完成工业总产值13.43亿元。", [("13.43", "亿", "元", None, "level")]),
        ("全年税收同比增长12.5%。", [("12.5", None, "%", None, "growth-rate")]),
        ("辖区商户复工率达到30%。", [("30", None, "%", None, "ratio")]),
        ("事故起数降幅为百分之十。", [("10", None, "%", None, "growth-rate")]),
        ("村里两百多名党员参与巡逻。", [("200", None, "名", "more-than", "level")]),
        ("共发放口罩1.5万个。", [("1.5", "万", "个", None, "level")]),
        ("招募志愿者三十五名。", [("35", None, "名", None, "level")]),
        ("累计接待群众一万二千人次。", [("12000", None, "人次", None, "level")]),
        ("为企业筹集资金约50万元。", [("50", "万", "元", "approximately", "level")]),
        ("近800名干部下沉社区。", [("800", None, "名", "nearly", "level")]),
        ("力争新增就业岗位1000个。", [("1000", None, "个", "target", "level")]),
        ("预计全年产值突破5亿元。", [("5", "亿", "元", "forecast", "level")]),
        ("活动吸引市民3000余人。", [("3000", None, "人", "more-than", "level")]),
        ("新建停车位超过200个。", [("200", None, "个", "more-than", "level")]),
        ("投入资金逾30万元。", [("30", "万", "元", "more-than", "level")]),
        ("项目占地１２０亩。", [("120", None, "亩", None, "level")]),
        ("受理诉求50件左右。", [("50", None, "件", "approximately", "level")]),
        ("街道设立服务点五个。", [("5", None, "个", None, "level")]),
        ("仓库里还有三万个口罩。", [("30000", None, "个", None, "level")]),
        ("已坚守岗位一个多月。", [("1", None, "个月", "more-than", "level")]),
        ("今年推进三大工程。", [("3", None, None, None, "level")]),
        ("平均用时缩短了2个百分点。", [("2", None, "个百分点", None, "growth-rate")]),
        ("仅用12天就完成了改造。", [("12", None, "天", None, "level")]),
        ("今年前3个月新增企业20家。", [("20", None, "家", None, "level")]),
        (
            "新增企业12家、个体户30户。",
            [("12", None, "家", None, "level"), ("30", None, "户", None, "level")],
        ),
        (
            "产值和税收分别增长5.1%、3.2%。",
            [("5.1", None, "%", None, "growth-rate"), ("3.2", None, "%", None, "growth-rate")],
        ),
    ],
)
def test_metric_sentences(sentence: str, expected: list[tuple[object, ...]]) -> None:
    mentions = find_metrics(sentence)
    _check_invariants(sentence, mentions)
    assert [_parts(m) for m in mentions] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "2月11日,街道成立专班。",
        "新规自2020年3月2日起实施。",
        "发布时间 2020/3/2 16:39",
        "一是安全关,二是服务关。",
        "第一时间赶到现场,第3名选手获奖。",
        "咨询电话0571-88888888,手机13812345678。",
        "推行“1+N”模式,开展“三安全”服务。",
        "努力实现防疫复工“两战赢”。",
        "抓好“5项关键事”。",
        "编制十四五规划。",
        "一支支队伍冲锋在前,一个个党员站了出来。",
        "大家一起努力,统一行动,坚守在一线。",
        "一季度经济运行平稳。",
        "短短两天的时间就完成了任务。",
        "走访税收50万以上企业。",
        "绿地二期已经交付,4号线三期开工。",
        "举办建馆二十周年庆典。",
        "做到四个到位。",
        "百余家企业参加了招聘会。",
        "五六个人围在一起。",
        "这项工作十分重要,五一期间也不停。",
        "有着年党龄的社区民警。",
        "截至月日时,张槎已复工企业累计家,复工员工人。",
        "收看《1818黄金眼》节目。",
        "居民总户数过万,注册资金过亿。",
        "送来一份告知书和一份承诺书。",
        "我们宁愿抓得严一点。",
        "每人联系10至15家企业。",
        "按每台每年2000元的标准发放补贴。",
        "住在6栋的居民反映问题。",
        "产值增长超过15%的企业获得奖励。",
        "志愿者开展24小时巡查。",
        "每个小区配备1名网格员。",
    ],
)
def test_not_metrics(sentence: str) -> None:
    assert find_metrics(sentence) == []


def test_clause_holds_indicator_and_period() -> None:
    text = "截至目前,街道辖区企业已全部复工,其中工业企业205家。另有13名小区党员加入。"
    first, second = find_metrics(text)
    assert first.indicator == "工业企业" and first.ref_period == "截至目前"
    assert text[first.start : first.end].startswith("截至目前")
    assert text[first.number_start : first.number_end] == "205"
    assert second.indicator == "小区党员" and second.ref_period is None
    assert text[second.start : second.end] == "另有13名小区党员加入"


def test_measured_thing_before_the_unit() -> None:
    (m,) = find_metrics("新建的工作站面积约为300平方米,设有会议室。")
    assert (m.indicator, m.qualifier, m.unit) == ("工作站面积", "approximately", "平方米")


# ---------------------------------------------------------------- nothing invented


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet="0123456789.%万亿余多约近第一二两三十百千家个名元年月日,。、“”率增长的企业",
        max_size=40,
    )
)
def test_values_are_always_in_their_quote(text: str) -> None:
    _check_invariants(text, find_metrics(text))


def test_lost_digits_yield_no_invented_number() -> None:
    """Seed 004 lost its digits: whatever is found, its value is written in the text."""
    text = normalize(read_article(A004)).text
    mentions = find_metrics(text)
    _check_invariants(text, mentions)
    for m in mentions:
        assert number_in_text(m.value, text[m.number_start : m.end])
    # the places where digits went missing give nothing: 有着年党龄, 累计家, 筹到万个口罩
    for hole in ("有着年党龄", "累计家", "筹到万个口罩", "近万个口罩", "以元的单价"):
        at = text.index(hole)
        assert not [m for m in mentions if at <= m.number_start < at + len(hole)], hole


# ---------------------------------------------------------------- the seeds


def _key(value: object, scale: object, unit: object) -> tuple[Decimal, str]:
    """Compare value times scale, with the unit (as kg.evaluate does)."""
    number = Decimal(str(value)) * {"万": 10_000, "亿": 100_000_000}.get(str(scale or ""), 1)
    return number.normalize(), str(unit or "")


@pytest.fixture(scope="module")
def seed_scores() -> dict[str, tuple[int, int, int]]:
    """Per article: (matched, found, gold) metrics, one-to-one on value x scale and unit."""
    corpus = load_corpus(DATA)
    scores = {}
    for f in corpus.files:
        gold: Counter[tuple[Decimal, str]] = Counter()
        for e in f.entities:
            if e.type == "Metric" and "value" in e.props:
                first = {k: v[0].raw for k, v in e.props.items()}
                gold[_key(first["value"], first.get("scale"), first.get("unit"))] += 1
        text = normalize(f.article.text).text
        mentions = find_metrics(text)
        _check_invariants(text, mentions)
        found = Counter(_key(m.value, m.scale, m.unit) for m in mentions)
        scores[f.article.id] = ((gold & found).total(), found.total(), gold.total())
    return scores


def test_seed_recall_and_precision(seed_scores: dict[str, tuple[int, int, int]]) -> None:
    """Recall and precision of the mentions against the gold metrics that have a value.

    Print them with ``pytest -q -s tests/test_numbers.py -k seed``. The floors are what the
    rules reach (recall 0.95 = 70/74, precision 0.96 = 70/73 at the time of writing; the
    misses are three of four identical 100% metrics read from one clause and 零记录, which
    has no unit), less a margin.
    """
    for article, (tp, found, gold) in sorted(seed_scores.items()):
        print(f"{article}: {tp} matched, {found} found, {gold} gold")
    tp, found, gold = (sum(s[i] for s in seed_scores.values()) for i in range(3))
    recall, precision = tp / gold, tp / found
    print(f"seeds: recall {recall:.3f} ({tp}/{gold}), precision {precision:.3f} ({tp}/{found})")
    assert recall >= 0.9
    assert precision >= 0.9


@pytest.mark.parametrize(
    ("sentence", "number"),
    [("降幅为百分之十二。", "十二"), ("吸引企业180余家。", "180"), ("约1.5万人参加。", "1.5")],
)
def test_number_span_is_the_numeral(sentence: str, number: str) -> None:
    """number_start/number_end cover the numeral only: no 百分之, qualifier, scale or unit."""
    (m,) = find_metrics(sentence)
    assert sentence[m.number_start : m.number_end] == number


# ---------------------------------------------------------------- numbers that were lost


def _holes(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(words before the hole + "_" + the cue, scale, unit, qualifier) of each hole."""
    return [
        (text[max(0, m.at - 2) : m.at] + "_" + text[m.cue_start : m.cue_end], m.scale, m.unit,
         m.qualifier)
        for m in numbers.find_missing_values(text)
    ]  # fmt: skip


_FOUND = {
    "全街道已复工企业累计家，复工员工人。": [
        ("累计_家", None, "家", None),
        ("员工_人", None, "人", None),
    ],
    "东湖社区有着年党龄的老党员。": [("有着_年", None, "年", None)],
    "调配近万只手套。": [("配近_万只", "万", "只", "nearly")],
    "对于家重点企业，街道派驻联络员。": [("对于_家", None, "家", None)],
    "共发放补贴余万元。": [("补贴_余万元", "万", "元", "more-than")],
    "其中工业企业家、商贸企业家。": [
        ("企业_家", None, "家", None),
        ("企业_家", None, "家", None),
    ],
    "名志愿者参与值守。": [("_名", None, "名", None)],
    "街道成立了个临时党支部。": [("立了_个", None, "个", None)],
    "招聘会吸引企业余家。": [("企业_余家", None, "家", "more-than")],
    "社区有一支人的志愿服务队。": [("一支_人", None, "人", None)],
    "辖区划分为个网格。": [("分为_个", None, "个", None)],
    "目前已筹到万个口罩和多把测温枪。": [
        ("筹到_万个", "万", "个", None),
        ("罩和_多把", None, "把", "more-than"),
    ],
    "另有百分之的企业未复工。": [("另有_百分之", None, "%", None)],
}


@pytest.mark.parametrize(("sentence", "holes"), list(_FOUND.items()))
def test_missing_values_found(sentence: str, holes: list[tuple[str, ...]]) -> None:
    assert _holes(sentence) == holes


@pytest.mark.parametrize(
    ("sentence", "kind", "indicator"),
    [("复工率已达。", "ratio", "复工率"), ("其中，四上企业复工率。", "ratio", "复工率"),
     ("工业产值同比增长%。", "growth-rate", None)],
)  # fmt: skip
def test_missing_percentages(sentence: str, kind: str, indicator: str | None) -> None:
    (m,) = numbers.find_missing_values(sentence)
    assert m.unit in (None, "%") and m.kind == kind
    if indicator:
        assert m.indicator is not None and m.indicator.endswith(indicator)


_NO_HOLE = [
    "我们一家人在家门口等候。",
    "个人防护很重要。",
    "社区工作人员上门服务。",
    "万一出现发热症状。",
    "这家企业已复工。",
    "成立多个功能组。",
    "街道共有企业205家，职工3000人。",
    "帮助有需要的人。",
    "社区建立起全科网格。",
    "团长等人实地踏看。",
    "在治理等方面有效运用。",
    "新增亿元楼宇1幢。",
    "提高工作效率。",
    "街道人社中心发布岗位。",
    "张凯表示，张槎街道将继续努力。",
    "逐户上门，了解各户人员。",
    "今年以来，全年工作。",
    "上万名群众参与。",
    "几家企业复工。",
    "我的家人都很好。",
    "为人民服务。",
    "没有人知道。",
    "有人说好。",
    "企业家精神值得学习。",
    "组长带领组员巡查。",
    "近年来发展很快。",
    "第一批队员到岗。",
    "每人发放口罩。",
    "一个人的力量。",
    "数十家企业。",
    "实现人岗有效匹配。",
    "处理好各类问题。",
    "共有三家企业。",
    "约1.5万人参加。",
    "增长2.4%。",
]


@pytest.mark.parametrize("sentence", _NO_HOLE)
def test_no_missing_value_without_a_hole(sentence: str) -> None:
    assert numbers.find_missing_values(sentence) == []


def test_no_holes_in_the_seeds_that_kept_their_digits() -> None:
    for path in ARTICLES:
        if path != A004:
            text = normalize(read_article(path)).text
            assert numbers.find_missing_values(text) == [], path.name


def test_holes_of_seed_004() -> None:
    """004 lost its digits: the places its 31 annotated numbers stood are found."""
    text = normalize(read_article(A004)).text
    holes = numbers.find_missing_values(text)
    assert len(holes) >= 28
    for hole in ("有着年党龄", "累计家", "筹到万个口罩", "近万个口罩", "以元的单价", "返岗率已达"):
        at = text.index(hole)
        assert [m for m in holes if at <= m.at <= at + len(hole)], hole
    for m in holes:
        assert m.start <= min(m.at, m.cue_start) and max(m.at, m.cue_end) <= m.end
        assert m.start < m.end and text[m.start : m.end] == text[m.start : m.end].strip()
    assert [m.at for m in holes] == sorted(m.at for m in holes)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet="0123456789%万亿余多约近累计有共一两三十家个名人元年月日率达,，。、的企业员工复",
        max_size=40,
    )
)
def test_missing_values_never_follow_a_number(text: str) -> None:
    for m in numbers.find_missing_values(text):
        assert 0 <= m.start <= m.end <= len(text)
        assert m.at == 0 or text[m.at - 1] not in "0123456789一两三十万亿"
