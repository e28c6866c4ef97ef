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
from kg.extract.doc import Doc
from kg.extract.draft import DraftEntity
from kg.extract.lexicon import read_words
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


def _area(
    ctx: Context, subs: list[Mention], start: int, anchor: int, end: int | None = None
) -> DraftEntity | None:
    """What a number is about, the first that applies:

    - the whole area its sentence names (全市, 全县: the article's city or county);
    - the initiative its clause goes on to name (组建4个产业招商小分队, 总投资18亿元的...项目);
    - the enterprise or body named earlier in its sentence, after any area (a company's own
      output and staff are the company's, not the subdistrict's);
    - a community or village named earlier in its sentence;
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
    if end is not None:  # end: the end of the number's clause
        named = _first(_ordered(ctx, "Initiative", ctx.initiatives), anchor, end)
        if named is not None and named.start - anchor <= _COUNTED_REACH:
            return ctx.builder.of(named)
    area_at = max(
        (m.start for m in [*ctx.places, *ctx.communities] if sentence <= m.start < anchor),
        default=sentence,
    )
    for kind, found in (("Enterprise", ctx.enterprises), ("Organization", ctx.organizations)):
        body = _last(_ordered(ctx, kind, found), max(sentence, area_at), anchor)
        if body is not None:
            return ctx.builder.of(body)
    near = _last(_ordered(ctx, "Community", ctx.communities), sentence, anchor)
    if near is not None:
        return ctx.builder.of(near)
    para = t.rfind("\n", 0, start) + 1
    areas = _ordered(ctx, "Subdistrict", subs)
    if not areas[1]:
        areas = _ordered(ctx, "Town", ctx.places)
    area = _last(areas, para, anchor)
    if area is None and len({m.label for m in areas[1]}) == 1:
        area = areas[1][0]
    return ctx.builder.of(area)


_COUNTED_REACH = 8  # 组建4个产业招商小分队: the number, its unit, 的, then the name


def _first(ordered: tuple[list[int], list[Mention]], lo: int, hi: int) -> Mention | None:
    """The first of the ordered mentions that starts in ``lo:hi``."""
    starts, mentions = ordered
    at = bisect.bisect_left(starts, lo)
    return mentions[at] if at < len(starts) and starts[at] < hi else None


def _ordered(ctx: Context, type_: str, mentions: list[Mention]) -> tuple[list[int], list[Mention]]:
    """The mentions of a type in text order with their starts, made once per article."""
    key = ("metrics", type_)
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
    """``resultOf`` the initiative named last before the number in its paragraph, shortly
    before (推行“三个一”预警机制，...已发布预警信息2300余条), stated by the words between."""
    t = ctx.doc.text
    para = t.rfind("\n", 0, start) + 1
    before = [m for m in _ordered(ctx, "Initiative", ctx.initiatives)[1] if m.end <= anchor]
    if not before or before[-1].start < para or anchor - before[-1].start > _RESULT_REACH:
        return
    initiative = ctx.builder.of(before[-1])
    if initiative is not None:
        quote = ctx.builder.quote(before[-1].start, max(anchor + 1, metric_end(ctx, start)))
        ctx.builder.fact(metric.id, "resultOf", initiative.id, quote)


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
