"""Metrics: the numbers :mod:`kg.numbers` finds, each about the area it describes.

Nothing is invented: a value is written only when the loader's own check
(:func:`kg.facts.number_in_text`) finds it in the quote; an article that lost its digits gets
no values at all, and the places where numbers are missing are drafted as
``valueMissing: true`` metrics for the annotator to restore.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from typing import Any

from kg import text
from kg.extract.claims import Mention
from kg.extract.context import Context
from kg.extract.doc import CLAUSE_STOP, Doc
from kg.extract.draft import DraftEntity
from kg.extract.initiatives import main_initiative, named_again
from kg.extract.lexicon import lexicon, read_words
from kg.extract.topics import AREA_TYPES, Topics
from kg.facts import number_in_text
from kg.numbers import MetricMention, find_metrics, find_missing_values

__all__ = ["find", "write"]

# A date with its numbers gone (截至月日时, 自月初起): the scrape dropped the article's digits,
# so any number left in it may be a fragment; none is trusted.
_LOST_DIGITS = re.compile(
    r"(?<![0-9０-９〇零一二两三四五六七八九十正腊])月(?:日|初|底|中旬|上旬|下旬)"
)


def find(ctx: Context) -> None:
    """Metrics about the subdistrict named before them in the paragraph (or the article's
    only subdistrict); a number that the loader cannot find in the quote is dropped, never
    guessed. In an article that lost its digits, no number is trusted."""
    doc, b = ctx.doc, ctx.builder
    subs = ctx.subdistricts()
    lost = len(_LOST_DIGITS.findall(doc.text))
    if lost >= 2:
        drafted = _missing(ctx, subs)
        b.skipped.append(
            f"no metric values: the article lost its digits ({lost} dates like 月日 without "
            f"numbers); {drafted} metrics drafted with valueMissing: true: restore their "
            "numbers from the source, add the ones missed"
        )
        return
    write(ctx, find_metrics(doc.text))


def write(ctx: Context, mentions: Iterable[MetricMention]) -> None:
    """The metric mentions as Metric entities, each with its area; a number the loader
    would not find in the quote is skipped (said in the draft's notes), never written."""
    doc, b = ctx.doc, ctx.builder
    subs = ctx.subdistricts()
    for mm in mentions:
        if not doc.clean(mm.start, mm.end) or not doc.clean(mm.number_start, mm.number_end):
            continue
        if heading(doc, mm.number_start) and not doc.text.startswith("大", mm.number_end):
            continue  # a headline's number is the body's, said again (or a figure of speech);
            # a subheading that counts the parts after it (开展四大提升工程) is the count
        area = _area(ctx, subs, mm.start, mm.number_start, mm.end)
        what = doc.shown[mm.start : mm.end]
        if area is None:
            b.skipped.append(f"metric {mm.value} in {what!r}: no unambiguous subdistrict")
            continue
        q, occ = b.quote(mm.start, mm.end)
        s, e = text.locate(q, doc.raw, occ)
        if not number_in_text(str(mm.value), doc.raw[s:e]):
            b.skipped.append(f"metric {mm.value} in {what!r}: number not in the quote")
            continue
        indicator = mm.indicator or _indicator(doc, mm)
        metric = _add(ctx, mm, q, occ, area, {"indicator": indicator, "value": str(mm.value)})
        _result_of(ctx, metric, mm.start, mm.number_start)


_HEADING_MAX = 40


def heading(doc: Doc, pos: int) -> bool:
    """Whether ``pos`` is on a headline, subtitle or subheading: a line of at most forty
    characters with no sentence or clause punctuation in it."""
    t = doc.text
    left = t.rfind("\n", 0, pos) + 1
    right = t.find("\n", pos)
    line = t[left : len(t) if right < 0 else right].strip()
    return len(line) <= _HEADING_MAX and not any(c in "。，,；;！!？?" for c in line)


def _area(
    ctx: Context, subs: list[Mention], start: int, anchor: int, end: int | None = None
) -> DraftEntity | None:
    """What a number is about, the first that applies:

    - the whole area its sentence names (全市, 全县: the article's city or county);
    - the initiative it counts or sizes (组建4个产业招商小分队, 总投资18亿元的...项目,
      组建党员防汛突击队14支);
    - what its clause is about (:mod:`kg.extract.topics`): the place, company or body at the
      head of its clause, else of the last clause of its paragraph that has one (a company's
      own output and staff are the company's, not the subdistrict's) — but a count of
      communities is no one community's (建成就业驿站的社区6个);
    - the last subdistrict or town named in its paragraph before the number (``anchor``),
      else the article's only one;

    None when none is clear."""
    doc = ctx.doc
    t = doc.text
    sentence = doc.sentence_start(start)
    whole = read_words("places.yaml")["whole_area_words"]
    said = [(t.rfind(w, sentence, anchor), w) for w in whole]
    at, word = max(said)
    if at >= 0:
        kind, suffix = whole[word]
        found = [m for m in ctx.places if m.type == kind and m.label.endswith(suffix)]
        return ctx.builder.of(found[0]) if len({m.label for m in found}) == 1 else None
    counted = _counted(ctx, anchor, end) or _members(ctx, anchor)
    if counted is not None:
        return ctx.builder.of(counted)
    own = _anecdote(ctx, anchor)
    if own is not None and ctx.builder.of(own) is not None:
        return ctx.builder.of(own)
    topic = _topics(ctx).at(anchor)
    if topic is not None and topic.type == "Community" and _counts_communities(t, anchor):
        topic = None  # 建成就业驿站的社区6个: communities counted are no one community's
    if topic is not None and ctx.builder.of(topic) is not None:
        return ctx.builder.of(topic)
    para = t.rfind("\n", 0, start) + 1
    areas = _ordered(ctx, "Subdistrict", subs)
    if not areas[1]:
        areas = _ordered(ctx, "Town", ctx.places)
    area = _last(areas, para, anchor)
    if area is None and len({m.label for m in areas[1]}) == 1:
        area = areas[1][0]
    return ctx.builder.of(area)


# A number that counts communities or villages: 6个社区, 9个村, 建成…的社区达到6个.
_COMMUNITIES_AFTER = re.compile(
    r"[0-9０-９一二两三四五六七八九十百余多]*(?:个?社区|个村(?![民委]))"
)
_COMMUNITIES_BEFORE = re.compile(r"的社区(?:达到|达|共|有|为|增至|已达)?$")


def _counts_communities(t: str, anchor: int) -> bool:
    """Whether the number at ``anchor`` counts communities (or villages): then it is about
    the area above them, never about one community."""
    return (
        _COMMUNITIES_AFTER.match(t, anchor) is not None
        or _COMMUNITIES_BEFORE.search(t, max(0, anchor - 6), anchor) is not None
    )


_COUNTED_REACH = 8  # 组建4个产业招商小分队: the number, its unit, 的, then the name
_COUNTED_BEFORE = 4  # 组建党员防汛突击队14支: the name, then at most a few words, the number


def _counted(ctx: Context, anchor: int, end: int | None) -> Mention | None:
    """The initiative a number counts or sizes: named right after it in its clause
    (组建4个产业招商小分队, 总投资18亿元的...项目), formed after it in its clause of what it
    counts (抽调机关干部63名组成11个驻企服务组: the team's staff), or named right before it
    (组建党员防汛突击队14支, 已组建包联服务组95个) unless a verb of holding comes before the
    name (召开议事会46场: the meetings held are the body's work, not its size)."""
    doc, t = ctx.doc, ctx.doc.text
    again = _ordered(ctx, "Initiative", named_again(ctx), again=True)
    if end is not None:  # end: the end of the number's clause
        named = _first(again, anchor, end)
        if (
            named is not None
            and named.start - anchor <= _COUNTED_REACH
            and not _verb_between(doc, anchor, named.start)
            and not any(c in "、和及" for c in t[anchor : named.start])
        ):
            return named  # not 42个小区安装智能回收箱 (what was fitted), nor 58个、三级网格…
            # (the next item of a list)
        if named is not None and _forms_body(ctx, anchor, named.start):
            return named
    ordered = _ordered(ctx, "Initiative", ctx.initiatives)
    before = _last(ordered, max(0, anchor - 40), anchor)
    if before is None or not 0 <= anchor - before.end <= _COUNTED_BEFORE:
        return None
    if t.endswith(tuple(read_words("initiatives.yaml")["hold_verbs"]), 0, before.start):
        return None
    return None if any(c in CLAUSE_STOP for c in t[before.end : anchor]) else before


# A count of people: the number (digits or Chinese numerals), 余/多, then its unit.
_PEOPLE = re.compile(r"[0-9０-９.．〇零一二两三四五六七八九十百千万]+[余多]?[名人位](?!次)")
_MEMBER_BEFORE = 12  # 招募大学生志愿者64名: the member word shortly before the number
_MEMBER_AFTER = 4  # 86名骑手志愿者: or right after its unit
_GLUE = ("共", "有", "达", "约", "近", "超")  # 现有志愿者共86名


def _members(ctx: Context, anchor: int) -> Mention | None:
    """The initiative or body a count of people is the size of: a number of people named by
    what they are to a body (``member_words``: 志愿者, 队员, 干部, 会员…) counts the members
    of the initiative or body its sentence names — a team, or a scheme carried out by people
    (招募大学生志愿者64名 of the 志愿服务队 formed before; 抽调机关干部28名组成4个征收攻坚小组;
    服务队现有志愿者八十六名; 已吸纳骑手、快递员等会员1120名 of the 联合工会) — the one named
    nearest in that sentence, in the number's clause first, a body formed after it in the
    clause before all. None when its clause is about a company (X公司派出抢险队员46名: the
    company's staff) or the sentence names no initiative or body."""
    doc, t = ctx.doc, ctx.doc.text
    count = _PEOPLE.match(t, anchor)
    if count is None:
        return None
    left, right = _clause_around(t, anchor)
    words = tuple(read_words("initiatives.yaml")["member_words"])
    lead = t[max(left, anchor - _MEMBER_BEFORE) : anchor].rstrip("".join(_GLUE))
    after = t[count.end() : min(right, count.end() + _MEMBER_AFTER + 2)]
    at = count.end()
    if not lead.endswith(words) and not any(
        0 <= after.find(w) <= _MEMBER_AFTER and _ends_noun(doc, at + after.find(w) + len(w))
        for w in words
    ):
        return None  # the member word ends the noun counted: not 党员中心户2名
    subject = _topics(ctx).subject(anchor)
    if subject is not None and subject.type == "Enterprise":
        return None
    lo, hi = doc.sentence_start(anchor), doc.sentence_end(anchor)
    named = [
        m
        for m in (*named_again(ctx, short=True), *ctx.organizations)
        if lo <= m.start and m.end <= hi and ctx.builder.of(m) is not None
    ]
    inside = [m for m in named if left <= m.start and m.end <= right]
    formed = [m for m in inside if m.start > anchor and _forms_body(ctx, anchor, m.start)]
    pool = formed or inside or named
    if not pool:
        return None
    return min(pool, key=lambda m: min(abs(m.start - anchor), abs(m.end - anchor)))


def _verb_between(doc: Doc, start: int, end: int) -> bool:
    """Whether a verb of two characters or more stands between ``start`` and ``end`` (a
    number and the name after it: 42个小区安装智能回收箱)."""
    k = doc.token_at(start)
    while k < len(doc.tokens) and doc.tokens[k].start < end:
        tok = doc.tokens[k]
        if tok.flag == "v" and len(tok.word) >= 2 and tok.end <= end:  # not 8|支 (a counter)
            return True
        k += 1
    return False


def _ends_noun(doc: Doc, pos: int) -> bool:
    """Whether a noun ends at ``pos``: a word ends there and no noun follows it
    (86名骑手志愿者利用…, not 2名党员中心户)."""
    if pos not in doc.bounds:
        return False
    if pos >= len(doc.text) or doc.text[pos] in CLAUSE_STOP:
        return True
    k = doc.token_at(pos)
    if not doc.tokens[k].flag.startswith("n"):
        return True
    # jieba tags some verbs after a noun as nouns (志愿者|利用|送餐): a two-character "noun"
    # followed by a verb is taken for a verb; 中心|户 goes on into one noun
    nxt = doc.tokens[k + 1] if k + 1 < len(doc.tokens) else None
    return len(doc.tokens[k].word) >= 2 and nxt is not None and nxt.flag == "v"


_OPENERS = ("", "辖区企业", "辖区", "位于")  # what may come before the company opening a paragraph
_COMPANY_WORDS = ("企业", "公司")


def _anecdote(ctx: Context, anchor: int) -> Mention | None:
    """The company a paragraph's story is about, when a number's clause speaks of it: the
    paragraph opens with the company (X公司是辖区一家…企业; 辖区企业X公司…), and the clause
    of the number names it, or says 企业 or 公司 for it (…仅用6天就帮助企业落实了新场地: the
    company's figure, not the subdistrict's). None otherwise."""
    t = ctx.doc.text
    para = t.rfind("\n", 0, anchor) + 1
    first = next(
        (m for m in sorted(ctx.enterprises, key=lambda m: m.start)
         if m.start >= para and t[para : m.start].strip(" \u3000") in _OPENERS),
        None,
    )  # fmt: skip
    if first is None or first.start > anchor or "\n" in t[first.start : anchor]:
        return None
    left, right = _clause_around(t, anchor)
    clause = t[left:right]
    names = (first.label, first.alt or first.label, *_COMPANY_WORDS)
    return first if any(n in clause for n in names) else None


def _topics(ctx: Context) -> Topics:
    """The article's clause heads, computed once all names are found."""
    if "topics" not in ctx.memo:
        ctx.memo["topics"] = Topics(ctx)
    return ctx.memo["topics"]  # type: ignore[return-value]


def _first(ordered: tuple[list[int], list[Mention]], lo: int, hi: int) -> Mention | None:
    """The first of the ordered mentions that starts in ``lo:hi``."""
    starts, mentions = ordered
    at = bisect.bisect_left(starts, lo)
    return mentions[at] if at < len(starts) and starts[at] < hi else None


def _ordered(
    ctx: Context, type_: str, mentions: list[Mention], again: bool = False
) -> tuple[list[int], list[Mention]]:
    """The mentions of a type in text order with their starts, made once per article;
    ``again`` for the list of every place an initiative is named (:func:`named_again`)."""
    key = ("metrics", type_, again)
    if key not in ctx.memo:
        found = sorted((m for m in mentions if m.type == type_), key=lambda m: m.start)
        ctx.memo[key] = ([m.start for m in found], found)
    return ctx.memo[key]  # type: ignore[return-value]


def _last(ordered: tuple[list[int], list[Mention]], lo: int, hi: int) -> Mention | None:
    """The last of the ordered mentions that starts in ``lo:hi``."""
    starts, mentions = ordered
    at = bisect.bisect_left(starts, hi) - 1
    return mentions[at] if at >= 0 and starts[at] >= lo else None


def _add(
    ctx: Context, mm: Any, quote: str, occurrence: int | None, area: DraftEntity, props: dict
) -> DraftEntity:
    for key in ("scale", "unit", "qualifier", "kind"):
        value = getattr(mm, key, None)
        if value:
            props[key] = value
    props["refArea"] = area.id
    if mm.ref_period:
        props["refPeriod"] = mm.ref_period
    b = ctx.builder
    metric = DraftEntity(
        id=b.new_id(), type="Metric", quote=quote, occurrence=occurrence, props=props
    )
    b.entities.append(metric)
    return metric


def _result_of(ctx: Context, metric: DraftEntity, start: int, anchor: int) -> None:
    """``resultOf`` the initiative whose work the number counts, stated by the words between,
    the first that applies:

    - an initiative named in the number's own clause before it counts what it made or did
      (召开“坝坝会”17次, 建成“就业驿站”的社区6个, 从驿站招聘家政服务员37名), a meeting too
      (召开议事会46场: the meetings held);
    - none when the clause goes on to form a body of what it counts (抽调机关干部63名组成11个
      驻企服务组: people and teams put in, not a result);
    - the initiative at the head of the number's clause (服务组协调办理车辆通行证16张), else
      the last one named before it in its paragraph, shortly before (推行“三个一”预警机制，
      ...已发布预警信息2300余条), passing over a team that carries out a programme named
      before it in its sentence (开展“三服务”活动，组建12支助企服务小分队，走访辖区企业620
      余家: 三服务), but not a team named in an earlier sentence when an area heads the
      number's clause (...组成“红色先锋”突击队。洪家洲社区已转移群众98户: the community's);
      none when that one is a meeting named in an earlier sentence (a meeting reports
      numbers; it does not make them);
    - with no initiative in its paragraph before it, what the article is about — the
      campaign it reports, else the one initiative its headline names
      (:func:`kg.extract.initiatives.main_initiative`) — when the sentence says what was done.

    None for a number that sizes the initiative itself (组建党员防汛突击队14支) or counts a
    body's members (:func:`_members`), for a target or forecast (not a result yet) and for
    the value before a change (由原来的61%提高到93%: ``_BASELINE``)."""
    b = ctx.builder
    if metric.props.get("refArea") in {e.id for e in map(b.of, ctx.initiatives) if e is not None}:
        return
    qualifier = metric.props.get("qualifier")
    if qualifier in ("target", "forecast"):
        return
    t = ctx.doc.text
    if _BASELINE.search(t, max(0, anchor - 12), anchor) or _members(ctx, anchor) is not None:
        return  # 由原来的61%提高到93%: the value before; 会员1120名: a body's size
    lex = lexicon()
    para = t.rfind("\n", 0, start) + 1
    left, right = _clause_around(t, anchor)
    chosen = _named_in(ctx, left, anchor) or _set_up_in(ctx, left, anchor, right)
    if chosen is None:
        if _forms_body(ctx, anchor, right):
            return
        subject = _topics(ctx).subject(anchor)
        chosen = subject if subject is not None and subject.type == "Initiative" else None
        area_head = subject is not None and subject.type in AREA_TYPES
        near: list[Mention] = []
        if chosen is None:
            initiatives = _ordered(ctx, "Initiative", ctx.initiatives)[1]
            before = [m for m in initiatives if m.end <= anchor]
            near = [m for m in before if m.start >= para and anchor - m.start <= _RESULT_REACH]
            chosen = near[-1] if near else None
            if chosen is not None and chosen.label.endswith(lex.agent_heads):
                sentence = ctx.doc.sentence_start(chosen.start)
                programme = [m for m in near[:-1] if m.start >= sentence]
                if programme:
                    chosen = programme[-1]  # 开展“三服务”活动，组建...小分队
                elif area_head:
                    return  # ...组成“红色先锋”突击队。洪家洲社区已转移群众98户: the area's
        if chosen is None and near == [] and _of_campaign(ctx, anchor):
            chosen = main_initiative(ctx)
        if chosen is None:
            return
        if chosen.label.endswith(lex.meeting_heads) and chosen.start < ctx.doc.sentence_start(
            anchor
        ):
            return  # 召开...分析会。会议通报，...: reported at a meeting, not made by it
    initiative = b.of(chosen)
    if initiative is not None:
        quote = b.quote(min(chosen.start, anchor), max(anchor + 1, metric_end(ctx, start)))
        b.fact(metric.id, "resultOf", initiative.id, quote)


# A value before the change a sentence reports (由原来的5天压缩到2天, 从去年的9.6吨提高到…, 从试点前
# 的不足40%提升到91%): the baseline, not what the initiative made.
_BASELINE = re.compile(
    r"[由从](?:原来|原先|过去|以前|此前|去年|上年|[^，,。]{1,4}前)的?(?:不足|近|约)?$"
)


# Words that say a number is what was done (截至6月20日，街道共排查餐饮场所312家); 共有 (has)
# does not.
_RESULT_WORDS = re.compile("共(?!有)|累计|已|完成|此次|活动期间")


def _of_campaign(ctx: Context, anchor: int) -> bool:
    """Whether a number no initiative of its paragraph claims counts the article's campaign:
    named after it, in a sentence that says what was done (``_RESULT_WORDS``), about the
    subdistrict, town or community (not a company's own figures: 共有用户4.2万户)."""
    found = main_initiative(ctx)
    if found is None or found.end > anchor:
        return False
    sentence = ctx.doc.sentence_start(anchor)
    if _RESULT_WORDS.search(ctx.doc.text, sentence, anchor) is None:
        return False
    topic = _topics(ctx).at(anchor)
    return topic is None or topic.type in ("Subdistrict", "Town", "Community")


def _clause_around(t: str, pos: int) -> tuple[int, int]:
    """The clause holding ``pos``: from after the stop before it to the stop after it."""
    left = max(t.rfind(c, 0, pos) for c in CLAUSE_STOP) + 1
    right = min((i for i in (t.find(c, pos) for c in CLAUSE_STOP) if i >= 0), default=len(t))
    return left, right


def _named_in(ctx: Context, left: int, anchor: int) -> Mention | None:
    """The initiative named last in ``left:anchor`` (the number's clause before it)."""
    initiatives = _ordered(ctx, "Initiative", named_again(ctx), again=True)
    inside = _last(initiatives, left, anchor)
    return inside if inside is not None and inside.end <= anchor else None


# A number inside a phrase of where or on what (在辖区17个社区, 对辖区186家重点企业, 在全街9个社区).
_WHERE_BEFORE = re.compile(r"[在对](?:辖区|全街道?|全镇|全乡)?$")
_ALL = ("全部", "逐一", "均", "都", "普遍", "先行", "率先")  # adverbs before the verb


def _set_up_in(ctx: Context, left: int, anchor: int, right: int) -> Mention | None:
    """The initiative a number of places or companies was the ground of: the number counts
    where or on whom an initiative was set up, in its clause (在辖区17个社区全部建立“红色议事
    厅”, 对辖区186家重点企业建立“一企一档”) — it follows 在 or 对, and the initiative comes
    right after a trigger verb later in the clause. None otherwise."""
    t = ctx.doc.text
    if _WHERE_BEFORE.search(t, left, anchor) is None:
        return None
    lex = lexicon()
    named = _first(_ordered(ctx, "Initiative", named_again(ctx), again=True), anchor, right)
    if named is None or named.end > right:
        return None
    lead = t[anchor : named.start].rstrip("“「")
    for adverb in _ALL:
        lead = lead.replace(adverb, "")
    opened = any(lead.endswith(tr + f) for tr in lex.triggers for f in ("", *lex.fillers))
    return named if opened else None


def _forms_body(ctx: Context, anchor: int, right: int) -> bool:
    """Whether the clause of a number, after it, forms an initiative of what it counts
    (抽调机关干部63名组成11个驻企服务组, 选派56名干部组建服务队)."""
    t = ctx.doc.text
    verbs = read_words("initiatives.yaml")["form_verbs"]
    return any(t.find(v, anchor, right) >= 0 for v in verbs)


def metric_end(ctx: Context, start: int) -> int:
    """Where the clause of a number starting at ``start`` ends."""
    return ctx.doc.clause(start, start)[1]


_RESULT_REACH = 120  # how far an initiative reaches to the numbers after it


def _missing(ctx: Context, subs: list[Mention]) -> int:
    """Metrics whose number the article lost (张槎已复工企业累计家), found by
    :func:`kg.numbers.find_missing_values`: ``valueMissing: true`` and never a value, for a
    person to restore. Returns how many were drafted."""
    doc, b = ctx.doc, ctx.builder
    drafted = 0
    for mm in find_missing_values(doc.text):
        if not doc.clean(mm.start, mm.end):
            continue
        area = _area(ctx, subs, mm.start, mm.at)
        what = doc.shown[mm.start : mm.end]
        if area is None:
            b.skipped.append(f"missing number in {what!r}: no unambiguous subdistrict")
            continue
        q, occ = b.quote(mm.start, mm.end)
        words = doc.shown[max(mm.start, mm.at - 12) : mm.at].strip(" ，,、:：")
        props = {"indicator": mm.indicator or words or what, "valueMissing": True}
        _add(ctx, mm, q, occ, area, props)
        drafted += 1
    return drafted


def _indicator(doc: Doc, mm: Any) -> str:
    """When the number module names no indicator: the words before the number, as written."""
    s = max(mm.start, mm.number_start - 12)
    words = doc.shown[s : mm.number_start].strip(" ，,、:：")
    return words or doc.shown[mm.start : mm.end]
