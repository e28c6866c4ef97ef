"""Places: administrative divisions from the official table, communities, villages, estates.

Division names (3+ characters, at a word boundary) and the short forms of provinces and
cities come from the division table (:mod:`kg.gazetteer`), with a code only when the name is
unique there or unique below another place the article names (临安区锦南街道); X街道 names
the table does not know are subdistricts all the same. A township-level name is a
``Subdistrict`` when it is a 街道 and a ``Town`` otherwise (镇, 乡: not a 街道).
"""

from __future__ import annotations

import bisect
import functools
import importlib.metadata
import itertools
import re

from kg import cache, gazetteer
from kg.extract import tokens
from kg.extract.claims import Claims, Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, FUNCTION, NAME_FLAGS, STREET, Doc
from kg.extract.lexicon import classes, lexicon, read_words

__all__ = [
    "admin_types", "claim", "communities", "community_of_unit", "entities", "find", "locate"
]

_LEVELS = ("province", "city", "district", "township")
_SUBDISTRICT_ENDS = ("街道", "办事处")
# Tags a one-character word inside an area's name may have: 湾 (zg), 南 (f), 新 (a).
_AREA_NAME_FLAGS = frozenset({"zg", "f", "a", "s"})


@functools.cache
def admin_types() -> frozenset[str]:
    """The classes of the division table's levels (Province ... Subdistrict, Town), as the
    schema gives them; a Community (village level) is not one."""
    return classes().at_level(*_LEVELS)


def _rank(type_: str) -> int:
    """How far down the hierarchy a class is (province 0, city 1 ... township 3)."""
    level = classes().levels.get(type_)
    return _LEVELS.index(level) if level in _LEVELS else len(_LEVELS)


def level_type(name: str, level: str) -> str:
    """The class of a division of the table: a township is a 街道 (Subdistrict) or a town (镇,
    乡: Town); the other levels have one class each in the schema."""
    if level == "township":
        return "Subdistrict" if name.endswith(_SUBDISTRICT_ENDS) else "Town"
    (kind,) = classes().at_level(level)
    return kind


def _stems(name: str, level: str) -> list[str]:
    """Short forms a province or city goes by (广东 for 广东省, 佛山 for 佛山市)."""
    suffixes = {
        "province": (
            "壮族自治区",
            "回族自治区",
            "维吾尔自治区",
            "特别行政区",
            "自治区",
            "省",
            "市",
        ),
        "city": ("市", "地区", "盟"),
    }[level]
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return [name[: -len(suffix)]]
    return []


def _short_forms() -> dict[str, tuple[str, str]]:
    """Short form -> (full name, level) for provinces and cities whose short form is unique
    among them (苏州 yes; a short form two cities share is no evidence of either)."""
    return _tables()[0]


@functools.cache
def _tables() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[int, ...]]]:
    """What the rules look up in the division table, made once and kept in :mod:`kg.cache`
    (going through 42 k names takes a quarter of a second): the short forms, and the lengths
    of the division names (3 to 15 characters) by their first character, longest first."""
    version = importlib.metadata.version(gazetteer.PACKAGE)
    return cache.marshalled(f"places-{cache.key('1', version)}.marshal", _make_tables)


def _make_tables() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[int, ...]]]:
    index = gazetteer._index()
    seen: dict[str, list[tuple[str, str]]] = {}
    lengths: dict[str, set[int]] = {}
    for name, codes in index.by_name.items():
        if 3 <= len(name) <= 15:
            lengths.setdefault(name[0], set()).add(len(name))
        for code in codes:
            level = index.by_code[code].level
            if level in ("province", "city"):
                for stem in _stems(name, level):
                    seen.setdefault(stem, []).append((name, level))
    short = {stem: hits[0] for stem, hits in seen.items() if len(set(hits)) == 1}
    return short, {c: tuple(sorted(ns, reverse=True)) for c, ns in lengths.items()}


def short_form_heads(core: str) -> int:
    """Length of a division name or a short form that begins ``core`` (0 if none): the
    leading place of an enterprise name (佛山市 of 佛山市康思达液压机械)."""
    by_name = gazetteer._index().by_name
    for length in range(min(len(core) - 2, 8), 1, -1):
        head = core[:length]
        if head in by_name or head in _short_forms():
            return length
    return 0


def find(ctx: Context) -> None:
    """Division names, short forms of provinces and cities, and X街道 names the table does
    not know: the candidates, claimed later (an enterprise name may begin with one)."""
    doc = ctx.doc
    by_name = gazetteer._index().by_name
    t = doc.text
    found: list[Mention] = []
    local = Claims(len(t))
    lengths = _tables()[1]
    free_from = 0
    for i in doc.starts:  # a name starts where a word does
        options = lengths.get(t[i])
        if i < free_from or options is None or not doc.clean(i, i + 2):
            continue
        hit = next((t[i : i + n] for n in options if t[i : i + n] in by_name), None)
        if hit is None:
            continue
        codes = by_name[hit]
        levels = {gazetteer.lookup(c).level for c in codes}  # type: ignore[union-attr]
        level = min(levels, key=_LEVELS.index)
        kind = level_type(hit, level)
        if level == "township" and _glued_head(doc, i):
            continue  # 观山湖区林|城西街道: 林城西街道, an area the table does not know
        found.append(local.claim(Mention(i, i + len(hit), kind, hit, None, codes)))
        free_from = i + len(hit)
    longer = [m.label for m in found]
    for m in re.finditer("街道", t):
        longer.append(t[doc.walk_back(m.start(), max_len=6) : m.end()])
    short = _short_forms()
    sizes = sorted({len(stem) for stem in short}, reverse=True)
    blocked: dict[str, bool] = {}
    for s in sorted(doc.bounds):  # a short form is whole words: it starts and ends one
        stem = next(
            (t[s : s + n] for n in sizes if s + n in doc.bounds and t[s : s + n] in short), None
        )
        if stem is None:
            continue
        full, level = short[stem]
        if stem not in blocked:  # 阜新 of 阜新路街道 is that street's name, not 阜新市
            blocked[stem] = any(name.startswith(stem) and name != full for name in longer)
        e = s + len(stem)
        if blocked[stem] or local.taken(s, e) or not doc.clean(s, e):
            continue
        if e < len(t) and t[e] in STREET:
            continue  # 丽水路 is a road
        codes = tuple(
            c
            for c in by_name[full]
            if gazetteer.lookup(c).level == level  # type: ignore[union-attr]
        )
        found.append(local.claim(Mention(s, e, level_type(full, level), full, stem, codes)))
    _areas(ctx, local, found)
    # a subdistrict goes by its name without 街道 (张槎 for 张槎街道, as 广东 for 广东省) when
    # that name is no common word; 张槎东便社区 then reads as 东便社区 in 张槎
    subs = {m.label: m.codes for m in found if m.type == "Subdistrict"}
    for full, codes in sorted(subs.items()):
        stem = full.removesuffix("街道")
        if len(stem) < 2 or tokens.frequency(stem) >= lexicon().common_word_frequency:
            continue
        for m in re.finditer(re.escape(stem), t):
            s, e = m.span()
            if local.taken(s, e) or s not in doc.bounds or not doc.clean(s, e):
                continue
            if e < len(t) and (t[e] in STREET or t[e] in "区市县镇乡"):
                continue  # 阜新路, 阜新市: another place
            if e < len(t) and e not in doc.bounds and CJK.match(t[e]):
                continue  # the word goes on
            found.append(local.claim(Mention(s, e, "Subdistrict", full, stem, codes)))
    after = tuple(read_words("article.yaml")["not_places_before"])
    origins = tuple(read_words("places.yaml")["origin_words"])
    kept = [
        m
        for m in found
        if not t.startswith(after, m.end)
        and not (m.type in ("Province", "City") and t.endswith(origins, 0, m.start))
    ]
    starts = {m.start for m in kept}
    # a province or city by its short form alone (要送到上海, 贵州遵义讯) is a place the story
    # passes through; written before another place (浙江杭州) it is part of an address
    ctx.places = [
        m
        for m in kept
        if not (m.alt is not None and m.type in ("Province", "City") and m.end not in starts)
    ]


def _kind_word(stem: str) -> bool:
    """A stem that says what kind of area it is, not which (达标街道, 全市街道, 示范镇). A
    one-character word (全, 新, 各) says so only before a common word or a level (全市, 新城市,
    各区): 全运东街道 and 新滘南街 are names."""
    lex = lexicon()
    if any(stem.endswith(k) for k in lex.community_kinds):
        return True
    for w in lex.not_names:
        if not stem.startswith(w):
            continue
        rest = stem[len(w) :]
        if len(w) > 1 or len(rest) < 2 or rest[0] in _LEVEL_CHARS:
            return True
        if tokens.frequency(rest) >= lex.common_word_frequency:
            return True
    return False


_LEVEL_CHARS = frozenset("省市区县镇乡街村")
_BOUNDARY_LEVELS = frozenset("市区县")
_GLUED_FLAGS = NAME_FLAGS | _AREA_NAME_FLAGS


def _glued_head(doc: Doc, i: int) -> bool:
    """Whether the one character before a table name at ``i`` begins a longer name: it stands
    at the edge of the phrase (after punctuation, the start of a line or a district or city:
    。锡|新桥街道, 观山湖区林|城西街道), is no function word and no level (全区|新桥街道), and
    jieba reads it as a name-like word or joins it to the name (九龙|洲)."""
    t = doc.text
    if i < 1 or not CJK.match(t[i - 1]) or not doc.clean(i - 1, i):
        return False
    c = t[i - 1]
    if c in FUNCTION or c in _LEVEL_CHARS or c in lexicon().not_names or c == "原":
        return False
    before = doc.tokens[doc.token_at(i - 2)] if i >= 2 else None
    after_place_word = before is not None and before.flag == "p" and len(before.word) == 1
    if i >= 2 and t[i - 2].isalnum() and t[i - 2] not in _BOUNDARY_LEVELS and not after_place_word:
        return False  # 2023年|凤鸣街道: a word or a number before it (在|银坑口镇 is a name)
    tok = doc.tokens[doc.token_at(i - 1)]
    if t[i - 2 : i - 1] in _BOUNDARY_LEVELS and tok.start == i - 1 and tok.end == i:
        return True  # 城阳区望|海岭街道: right after a district, a character begins the name
    if tok.end > i:
        return True  # 九龙|洲: jieba joins it to the name
    return tok.start == i - 1 and tok.flag in _GLUED_FLAGS


def _area_start(doc: Doc, s0: int, local: Claims) -> int:
    """Where the name of an area ending at ``s0`` starts: the name-like words before it,
    with one-character words that name places inside (荷塘|湾|街道, 亲贤|南|街道) but not a
    locative after a noun (过程|中|仓前街道), up to a place already found."""
    s = doc.walk_back(s0, max_len=6, claims=local)
    k = doc.token_at(s - 1) if s > 0 else -1
    while k >= 0:
        tok = doc.tokens[k]
        after_area = local.at(tok.start - 1) and doc.text[tok.start - 1] in _BOUNDARY_LEVELS
        one = len(tok.word) == 1 and (
            tok.flag in _AREA_NAME_FLAGS
            or tok.word in "东西南北"
            or tok.word in STREET
            or after_area  # 城阳区望|海岭街道: right after a district, the name begins
        )
        if s0 - tok.start > 6 or local.taken(tok.start, s) or not doc.clean(tok.start, s):
            break
        if tok.flag in NAME_FLAGS or (one and tok.word not in FUNCTION and tok.word != "中"):
            s, k = tok.start, k - 1
            continue
        break
    return s


def _after_verbs_and_dates(doc: Doc, s: int, s0: int) -> int:
    """Where the name of an area ending at ``s0`` starts once the words before it that are
    not its name are left out: a verb that takes a place as its object (相继落户|街道, 易红梅
    坐镇|街道: ``verbs_before_areas`` in places.yaml) and what comes before it, and the unit
    of a number or date written right before, with its digits (9月3日|全街道)."""
    t = doc.text
    verbs = frozenset(read_words("places.yaml")["verbs_before_areas"])
    for tok in doc.tokens[doc.token_at(s) : doc.token_at(s0 - 1) + 1]:
        if tok.start >= s and tok.end <= s0 and tok.word in verbs:
            s = tok.end
    while s < s0 and (t[s].isdigit() or (s > 0 and t[s - 1].isdigit() and t[s] in _NUMBER_UNITS)):
        s += 1
    return s


_NUMBER_UNITS = frozenset("年月日号时个家名")


def _whole_names(t: str, local: Claims, found: list[Mention]) -> None:
    """An area's name read whole once (城阳区望海岭街道) is that name wherever it is written
    (。望海岭街道党工委: not 海岭街道 where no district comes before it)."""
    areas = {m.label for m in found if m.type in ("Subdistrict", "Town")}
    for m in found:
        for name in areas:
            head = len(name) - len(m.label)
            if head > 0 and name.endswith(m.label) and t.startswith(name, m.start - head):
                if local.free(m.start - head, m.start):
                    local.block(m.start - head, m.start)
                    m.start, m.label, m.codes = m.start - head, name, ()
                break


def _areas(ctx: Context, local: Claims, found: list[Mention]) -> None:
    """X街道, X镇 and X乡 names the table does not know (the word a word of its own), with
    the district written right before them (渝北区 of 渝北区桂溪湾街道); X街 names with a
    subdistrict's word after them (柳荫街党工委), and their other mentions."""
    doc = ctx.doc
    t = doc.text
    by_name = gazetteer._index().by_name
    words = read_words("places.yaml")
    parents = tuple(words["parent_suffixes"])
    for word, kind in words["area_words"].items():
        for m in re.finditer(re.escape(word), t):
            s0, e = m.span()
            if word != "街道" and (s0 not in doc.bounds or e not in doc.bounds):
                continue  # 重镇, 城乡: the character is part of a word
            s = _after_verbs_and_dates(doc, _area_start(doc, s0, local), s0)
            if local.taken(s, e) or s0 - s < 2 or not doc.clean(s, e):
                continue
            known = next((k for k in range(s, s0 - 1) if t[k:e] in by_name), None)
            if known is not None and _glued_head(doc, known):
                s = min(s, known - 1)  # 城阳区望|海岭街道: the character begins the name
                known = None  # 红谷滩区九龙|洲街道: not the table's 龙洲街道
            if known is not None:  # 过程|中仓|前|街道: the table knows 仓前街道
                codes = by_name[t[known:e]]
                found.append(local.claim(Mention(known, e, kind, t[known:e], None, codes)))
                continue
            if re.search(r"\d|[一二三四五六七八九十两]+(?:个|$)", t[s:s0]):
                continue  # 一个街道, 四街道: a count, not a name (九龙洲街道 is one)
            for tok in doc.tokens[doc.token_at(s) : doc.token_at(s0 - 1)]:
                if tok.flag == "ns" and len(tok.word) >= 3 and tok.word.endswith(parents):
                    if local.free(tok.start, tok.end):  # 渝北区 桂溪湾街道
                        parent = "City" if tok.word.endswith("市") else "District"
                        found.append(local.claim(Mention(tok.start, tok.end, parent, tok.word)))
                    s = tok.end
            cut = max(t.rfind(c, s, s0 - 1) for c in parents)
            if cut - s >= 2 and s0 - cut > 2:
                s = cut + 1  # 高新区|梅城西街道: a district the table does not know before it
            stem = t[s:s0]
            if len(stem) < 2 or _kind_word(stem):
                continue
            if not doc.proper(s, s0) and (word != "街道" or tokens.frequency(stem) >= 1000):
                continue  # 城市街道, 老乡: words, not names
            found.append(local.claim(Mention(s, e, kind, t[s:e])))
    _whole_names(t, local, found)
    followers = tuple(words["street_subdistrict_followers"])
    named = set()
    for m in re.finditer("街", t):
        s0, e = m.span()
        if t.startswith("街道", s0) or not t.startswith(followers, e):
            continue
        s = doc.walk_back(s0, max_len=4, flags=NAME_FLAGS | {"v", "a", "zg"})
        before = doc.tokens[doc.token_at(s - 1)] if s > 0 else None
        if (
            before is not None
            and s0 - s < 4
            and before.word in lexicon().not_names
            and before.end == s
            and not _kind_word(t[before.start : s0])
        ):
            s = before.start  # 新|滘|南街: 新 begins the name before a rare word
        if s0 - s >= 2 and local.free(s, e) and doc.clean(s, e) and not _kind_word(t[s:s0]):
            named.add(t[s:e])
    for name in sorted(named):
        for m in re.finditer(re.escape(name), t):
            if local.free(*m.span()) and doc.clean(*m.span()) and not t.startswith("道", m.end()):
                found.append(local.claim(Mention(m.start(), m.end(), "Subdistrict", name)))


def claim(ctx: Context) -> None:
    """Claim the places that are not inside an enterprise's name (青岛市 of 青岛市...公司)."""
    inside = sorted((e.start, e.end) for e in ctx.enterprises)
    starts = [s for s, _ in inside]

    def within(p: Mention) -> bool:
        at = bisect.bisect_right(starts, p.start) - 1
        return at >= 0 and p.end <= inside[at][1]

    ctx.places = [p for p in ctx.places if not within(p)]
    for m in ctx.places:
        ctx.claims.claim(m)


# What may follow the 村 of a village name: its organs and people (莲塘村村委会, X村村民).
# Any other 村 right after it makes 村村, "every village" (大喇叭村村响), unless a second
# village follows (大富村村头村).
_VILLAGE_FOLLOWERS = (
    "村委", "村民", "村两委", "村党", "村干部", "村集体", "村级", "村主任", "村支书", "村书记"
)  # fmt: skip
# 村 followed by one of these is a word of its own (美丽村社, 村居, 村镇, 村庄, 村落).
_VILLAGE_WORD_TAILS = frozenset("社居镇庄落寨")
_COMMUNITY_WORDS = "新村社区|新村小区|社区|小区|新村|片区|村"


@functools.cache
def _community_words() -> re.Pattern[str]:
    """The words that end a community's, an estate's or a zone's name, longest first."""
    zones = read_words("places.yaml")["zone_words"]
    return re.compile("|".join([*map(re.escape, zones), _COMMUNITY_WORDS]))
# A stem that counts (2个, 十个, 三, 两个) rather than names: numerals with at most 个 or 多 after.
_COUNT = re.compile(
    "^[0-9一二两三四五六七八九十百千几多]+(?:个|多个)?$|[0-9一二两三四五六七八九十百]+个"
)


def communities(ctx: Context) -> None:
    """X社区 and X村 (Community), X小区, X新村 and X片区 (Place).

    The stem is the run of name-like tokens before the word, with one-character tokens glued
    in (卖鱼桥社区, 贾家弄新村: jieba cuts rare names into characters); it stops at a function
    word, a longer verb, punctuation or a name already found (张槎 of 张槎东便社区). A stem that
    names a kind (城中村, 机关社区, 兄弟村) is no name. Longest word first: 仓基新村社区 is a
    community, and in 贾家弄新村小区 the estate is 贾家弄新村. Villages written back to back
    (大富村村头村村尾村) are each a village.
    """
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    found: list[Mention] = []
    area_at = {m.end: m for m in ctx.places if m.type in admin_types()}
    area_ends = set(area_at)

    def kind_word(stem: str) -> bool:
        return stem in lex.not_names or any(stem.endswith(k) for k in lex.community_kinds)

    zones = frozenset(read_words("places.yaml")["zone_words"])
    for m in _community_words().finditer(t):
        word = m.group()
        s0, e = m.span()
        if claims.taken(s0, e) or not doc.clean(s0, e):
            continue
        village = word == "村"
        start = s0
        if s0 not in doc.bounds and word != "片区":  # jieba has no 片区: 莲大|片|区 is cut anyway
            tok = doc.tokens[doc.token_at(s0)]
            # 唐村 of 弼唐村: a rare word ending in 村 holds the end of a village name
            if not (
                village
                and tok.end == e
                and tok.flag in NAME_FLAGS
                and tokens.frequency(tok.word) < 100
                and "村" not in tok.word[:-1]
                and not claims.taken(tok.start, s0)
            ):
                continue
            start = tok.start
        if s0 > 0 and t[s0 - 1] in lex.place_verbs and (village or word == "社区"):
            continue  # 巡村, 驻村, 进社区: a verb and its object
        if village and e < len(t):
            if t[e] in _VILLAGE_WORD_TAILS and e not in doc.bounds:
                continue  # 美丽村社: 村社 is a word
            if (
                t[e] == "村"
                and not t[e:].startswith(_VILLAGE_FOLLOWERS)
                and not (e + 2 < len(t) and t[e + 2] == "村")
            ):
                continue  # 大喇叭村村响: 村村 is "every village"
        reach = 3 - (s0 - start) if word == "片区" or village else 8 if word in zones else 6
        s = doc.walk_back(
            start, max_len=reach, claims=claims, flags=NAME_FLAGS | {"a"}, glue_chars=True
        )  # 幸福社区, 大富村: an adjective may name a community
        while s < s0 and t[s] in FUNCTION and word in zones:
            s += 1  # 农贸市场和青枫里美食街: the list's 和 begins no name
        if s0 - s > 2 and t[s] in _LEVEL_CHARS and s > 0 and t[s - 1] in "该本全各":
            s += 1  # 在该乡石垄村: 该乡 is the town, the village is 石垄村
        stem = t[s:s0]
        if len(stem) < 2 or kind_word(stem) or not doc.clean(s, e):
            continue
        if _COUNT.search(stem):
            continue  # 2个精品小区, 十个村, 三村: a count, not a name (七彩社区 is a name)
        names = doc.tokens[doc.token_at(s)].flag in ("ns", "nr", "nz")
        after_area = s in area_ends  # 金竹镇石板村: a name written after its town's
        if village and tokens.frequency(stem) >= 100 and not (names or after_area):
            continue  # 兄弟村, 喇叭村: a common word before 村 is not a village name
        kind = "Community" if village or word.endswith("社区") else "Place"
        if word in zones and t.startswith(lex.not_enterprise_before, e):
            continue  # 恒芯半导体材料产业园项目: the name of a project (an initiative)
        inner = area_at.get(s) if word in zones else None
        if inner is not None and not doc.proper(s, s0):  # 塔山湾数字经济产业园: named by its area
            ctx.places.remove(inner)
            found.append(claims.absorb(inner, Mention(inner.start, e, kind, t[inner.start : e])))
            continue
        if kind == "Place" and word != "片区" and not doc.proper(s, s0):
            continue
        end = e - 2 if word == "新村小区" else e
        found.append(ctx.take(s, end, kind))
        if word == "新村小区":
            claims.block(end, end + 2)
        while village:  # 大富村村头村村尾村
            nxt = t[end : end + 3]
            if (
                len(nxt) < 3
                or nxt[2] != "村"
                or any(c in FUNCTION or not CJK.match(c) for c in nxt[:2])
                or kind_word(nxt[:2])
                or claims.taken(end, end + 3)
                or not doc.clean(end, end + 3)
            ):
                break
            found.append(ctx.take(end, end + 3, "Community"))
            end += 3
    for m in _NUMBERED_UNIT.finditer(t):  # 3号网格, 8栋2单元: a numbered part of a community
        if claims.free(*m.span()) and doc.clean(*m.span()):
            found.append(ctx.take(m.start(), m.end(), "Place"))
    ctx.communities = found


# A numbered grid or stairwell of a community, a place of the story (负责的3号网格有居民楼6栋).
_NUMBERED_UNIT = re.compile(r"(?<![0-9０-９号栋])[0-9０-９]{1,3}(?:号网格|栋[0-9０-９]{1,2}单元)")


def community_of_unit(ctx: Context, unit: Mention) -> Mention | None:
    """The community a numbered grid or stairwell is written right after (云岭社区8栋2单元),
    whose post a title of the unit is (8栋2单元的单元长: a post of 云岭社区)."""
    if unit.type != "Place" or not _NUMBERED_UNIT.fullmatch(unit.label):
        return None
    return next((c for c in ctx.communities if c.end == unit.start and c.type == "Community"), None)


def _resolve(places: list[Mention]) -> dict[str, str]:
    """Division codes that are certain: the name is unique in the table, or unique below a
    place the article names that is itself certain. Ambiguous names stay unresolved."""
    resolved: dict[str, str] = {}
    candidates = {m.label: m.codes for m in places if m.codes}
    changed = True
    while changed:
        changed = False
        for name, codes in sorted(candidates.items()):
            if name in resolved:
                continue
            if len(codes) == 1:
                resolved[name] = codes[0]
                changed = True
                continue
            anchors = set(resolved.values())
            inside = [c for c in codes if {d.code for d in gazetteer.chain(c)[1:]} & anchors]
            if len(inside) == 1:
                resolved[name] = inside[0]
                changed = True
    return resolved


def entities(ctx: Context) -> None:
    """The places' entities, with the division codes that are certain, and ``partOf`` when
    a place is written right after its parent (临安区锦南街道) and the table agrees; the quote
    then shows both names."""
    b = ctx.builder
    ctx.codes = codes = _resolve(ctx.places)
    ordered = sorted(ctx.places, key=lambda m: (m.start, m.end))
    for m in ordered:
        code = codes.get(m.label)
        e = b.entity(m)
        if code and "divisionCode" not in e.props:
            e.props["divisionCode"] = code
        if m.alt and m.alt not in e.alt_labels:
            e.alt_labels.append(m.alt)
    placed: dict[int, tuple[Mention, Mention]] = {}  # a child's end -> (parent, first child)
    for parent, child in itertools.pairwise(ordered):
        joined = _LIST_JOINS.fullmatch(ctx.doc.text, parent.end, child.start)
        if joined and parent.end in placed and parent.type == child.type:
            parent, first = placed[parent.end]  # 鄞州区钱湖东、樟溪桥街道: both the district's
        elif child.start != parent.end or _rank(parent.type) >= _rank(child.type):
            continue
        else:
            first = child
        pc, cc = codes.get(parent.label), codes.get(child.label)
        if pc and cc and pc not in {d.code for d in gazetteer.chain(cc)[1:]}:
            continue  # the table says otherwise; when it cannot tell, the text says it
        entity, parent_entity = b.of(child), b.of(parent)
        if entity is None or parent_entity is None or "partOf" in entity.props:
            continue
        placed[child.end] = (parent, first)
        if first is child:
            entity.quote, entity.occurrence = b.quote(parent.start, child.end)
            entity.props = {"partOf": parent_entity.id, **entity.props}
        else:  # the quote of the entity is its first mention's: the list is a fact's own
            b.fact(entity.id, "partOf", parent_entity.id, b.quote(parent.start, child.end))
    _roundup(ctx)


_ROUNDUP = re.compile(r"(?:[一二三四五六七八九十两0-9]+个|各|多个|所辖|下辖)(?:街道|乡镇|镇|乡|街)")


def _roundup(ctx: Context) -> None:
    """A roundup that opens with its district's subdistricts or towns (七里河区四个街道,
    湄潭县多个乡镇): each subdistrict and town the article names, not placed otherwise, is
    part of that district, stated by those words."""
    b, t = ctx.builder, ctx.doc.text
    districts = [m for m in ctx.places if m.type in ("District", "City")]
    for m in districts:
        same = {d.label for d in districts if d.type == m.type}  # 兰州市七里河区各街道: the 区
        if not _ROUNDUP.match(t, m.end) or len(same) != 1:
            continue
        parent = b.of(m)
        quote = b.quote(m.start, _ROUNDUP.match(t, m.end).end())  # type: ignore[union-attr]
        for child in ctx.places:
            entity = b.of(child)
            kind = child.type in ("Subdistrict", "Town")
            if kind and entity is not None and parent and "partOf" not in entity.props:
                b.fact(entity.id, "partOf", parent.id, quote)
        return


_SETTLED = re.compile(r"(?:位于|坐落于|地处)$")
# Right after an enterprise's name, it says the enterprise is one of the area's (是辖区一家…).
_IS_OWN = ("是辖区",)
_MOVED_IN = re.compile(r"[^，,。；;]{0,12}?(?:落户|入驻|落地)(?:在|于|到)?")


def _settled(ctx: Context, by_end: dict[int, Mention]) -> None:
    """``locatedIn`` for an enterprise the text places in an area: written right after it
    (荷塘湾街道湘潭华锐电机有限公司), after 位于/地处 it and 的 (位于梅溪湾街道的...), after 辖区
    (辖区企业苏州澄新..., 辖区湘江宾馆: the 街道's), or moving in (...相继落户街道)."""
    b, t = ctx.builder, ctx.doc.text
    areas = [m for m in ctx.places if m.type in ("Subdistrict", "Town")]
    only = areas[0] if len({m.label for m in areas}) == 1 else None
    own_listed: dict[int, tuple[Mention, int]] = {}  # after 辖区: an item's end -> area, start
    for m in sorted(ctx.enterprises, key=lambda m: m.start):
        entity = b.of(m)
        if entity is None or "locatedIn" in entity.props or m.alt is not None:
            continue
        place, span = by_end.get(m.start), (m.start, m.end)
        joined = _LIST_JOINS.search(t, max(0, m.start - 2), m.start)
        prev = own_listed.get(joined.start()) if joined and place is None else None
        if prev is not None:  # 辖区A公司、B公司、C公司: every item is in the area
            place, span = prev[0], (prev[1], m.end)
            own_listed[m.end] = prev
        if place is not None:
            span = (place.start, m.end)
        elif t.endswith("的", 0, m.start) and m.start - 1 in by_end:
            before = by_end[m.start - 1]
            if _SETTLED.search(t, max(0, before.start - 3), before.start):
                place, span = before, (max(0, before.start - 3), m.end)
        if place is None:
            own = t.rfind("辖区", max(0, m.start - 8), m.start)
            if own >= 0 and not any(c in "，,。；;" for c in t[own : m.start]):
                earlier = [a for a in areas if a.end <= own]
                place, span = (earlier[-1] if earlier else only), (own, m.end)
                if place is not None:
                    own_listed[m.end] = (place, own)
        if place is None and t.startswith(_IS_OWN, m.end):  # X公司是辖区一家老牌企业
            earlier = [a for a in areas if a.end <= m.start]
            place, span = (earlier[-1] if earlier else only), (m.start, m.end + 3)
        if place is None:
            moved = _MOVED_IN.match(t, m.end)
            if moved is not None:
                after = next((a for a in areas if a.start == moved.end()), None)
                bare = t.startswith("街道", moved.end())
                place = after or (only if bare else None)
                span = (m.start, moved.end() + (len(after.label) if after else 2))
        area = b.of(place)
        if place is None or area is None or area.id == entity.id:
            continue
        if place.type not in ("Subdistrict", "Town"):
            continue
        b.fact(entity.id, "locatedIn", area.id, b.quote(*span))


def locate(ctx: Context) -> None:
    """Where a community, estate or body is, when its name is written right after a place
    or begins with it (张槎古灶村: partOf 张槎街道; 锦南街道水岸阳光小区, 阜新路街道人社中心:
    locatedIn); the quote then shows both."""
    b = ctx.builder
    by_end = {m.end: m for m in ctx.places if m.type in admin_types()}
    by_start = {m.start: m for m in ctx.places if m.type in admin_types()}
    t = ctx.doc.text
    _settled(ctx, by_end)
    listed: dict[int, tuple[Mention, int]] = {}  # a community's end -> its area, quote start
    community_at = {c.end: c for c in ctx.communities if c.type == "Community"}
    for m in sorted(ctx.communities + ctx.organizations, key=lambda m: m.start):
        place = by_end.get(m.start) or (by_start.get(m.start) if m.type == "Organization" else None)
        quote_start = min(place.start, m.start) if place is not None else m.start
        while place is not None and place.start >= m.start and place.end in by_start:
            place = by_start[place.end]  # 南海区锦涌街道长者服务中心: in the innermost, 锦涌街道
        if place is None and m.type in ("Community", "Place"):
            bare = _bare_area_before(ctx, m.start)
            if bare is not None:
                quote_start = bare  # 在辖区春晖社区, 在街道北部的美当村: the 街道's
                kind = "Town" if t[bare + 1] in "镇乡" else "Subdistrict"  # 在该乡石垄村
                areas = [a for a in ctx.places if a.type == kind]
                areas.sort(key=lambda a: a.start)
                before = [s for s in areas if s.end <= m.start]
                only = areas[0] if len({s.label for s in areas}) == 1 else None
                place = before[-1] if before else only
            else:
                joined = _LIST_JOINS.search(t, 0, m.start)
                prev = listed.get(joined.start()) if joined else None
                if prev is not None:
                    place, quote_start = prev  # 椰风社区和美当村, 辖区大塘涌村、龙溪里村: both
        lies = _LIES_IN.match(t, m.end) if place is None and m.type != "Organization" else None
        if lies is not None and lies.end() in by_start:  # 青杠村地处芙蓉溪街道北部
            place, quote_start = by_start[lies.end()], m.start
        if place is None and m.type == "Place" and _NUMBERED_UNIT.fullmatch(m.label):
            place = community_at.get(m.start)  # 云岭社区8栋2单元: in that community
            quote_start = place.start if place is not None else m.start
        if place is not None and m.type in ("Community", "Place"):
            listed[m.end] = (place, quote_start)
        entity = b.of(m)
        if place is None or entity is None or (place.start, place.end) == (m.start, m.end):
            continue
        area = b.of(place)
        key = "partOf" if m.type == "Community" else "locatedIn"
        if area is None or key in entity.props:
            continue
        if m.type == "Organization" and place.type not in ("Subdistrict", "Town"):
            continue  # 七里河区城市管理局: the district's own bureau, not a body placed in it
        entity.quote, entity.occurrence = b.quote(quote_start, max(place.end, m.end))
        entity.props[key] = area.id


# Verbs right after a community or estate that place it in the area named next.
_LIES_IN = re.compile("(?:地处|位于|坐落于|隶属于?)")
# What joins the items of a list of names (椰风社区和美当村, 大塘涌村、龙溪里村), right before
# the later item.
_LIST_JOINS = re.compile("(?:、|和|及|以及|与)$")
# A bare word for the article's subdistrict before a community, in the same phrase: right
# before it (辖区春晖社区) or with a description and 的 between (街道北部的美当村, 街道沿江的).
_BARE_AREA = re.compile("(?:辖区|街道|该镇|该乡|本镇|本乡)(?:[^，,。；;：:、“”（）()的]{1,6}的)?$")


def _bare_area_before(ctx: Context, start: int) -> int | None:
    """Where a bare 辖区 or 街道 naming the article's subdistrict begins before the community
    at ``start`` (not a 街道 that ends a name), or None."""
    found = _BARE_AREA.search(ctx.doc.text, max(0, start - 12), start)
    if found is None or ctx.claims.taken(found.start(), found.start() + 2):
        return None
    return found.start()
