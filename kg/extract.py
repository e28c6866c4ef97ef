"""Draft a facts file for one article: the first pass of annotation, for a person to correct.

``kg extract ARTICLE.txt`` writes what this module finds as a facts file in the project's
format (``docs/facts.md``): places, officials and other people with their posts, enterprises,
organizations (public bodies, service centres, institutes),
initiatives and metrics, each with the quote it was read from. The draft is meant to be
*corrected*, so it errs on the side of being checkable: every quote is located in the article
the way the loader locates it (with ``occurrence`` where needed), every label is in its quote,
every value is in its sentence, and the draft loads and builds as it is.

The rules are generic and their vocabularies are data (``ontology/extract/*.yaml``): titles
and organs, surnames, organization suffixes and industry words, initiative heads and trigger
verbs. Text is analysed in its normalized form (:func:`kg.text.normalize`: pinyin inserts
removed, simplified), so a traditional article is read like a simplified one, and every span
is mapped back to the raw text only when it is quoted. Words come from jieba (with a small
user dictionary); places from the official division table (:mod:`kg.gazetteer`), linked by
code only when the name is unique there or unique below another place the article names.

Nothing is invented: a metric is written only when :mod:`kg.numbers` finds its number in the
text and the loader's own check (:func:`kg.facts.number_in_text`) finds it in the quote; an
article that lost its digits gets no numbers at all.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from kg import gazetteer, text
from kg.facts import ARTICLE_ID_PATTERN, number_in_text
from kg.ontology import resource_dir

if TYPE_CHECKING:
    import jieba.posseg

__all__ = ["Draft", "DraftEntity", "extract", "extract_article", "lexicon"]

HEADER = """\
# MACHINE DRAFT written by `kg extract` (kg.extract) from {file}.
# Every entity, post, initiative and metric below is a guess made by rules: check each one
# against the article, delete what is wrong, add what is missing, rename the ids (pinyin
# slugs by convention), then remove this header. Quotes and offsets are exact; the
# classification (Official or Person, Enterprise or not) is not. docs/facts.md is the format.
"""

# ---------------------------------------------------------------- vocabularies (data files)


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``ontology/extract/``: the extractor's knowledge, kept as data."""

    organs: dict[str, bool | str]
    positions: dict[str, bool | str]
    level_organs: frozenset[str]
    bylines: frozenset[str]
    village_prefixed_organs: frozenset[str]
    followers: tuple[str, ...]
    surnames: frozenset[str]
    compound_surnames: frozenset[str]
    strong_suffixes: tuple[str, ...]
    weak_suffixes: tuple[str, ...]
    industry_words: tuple[str, ...]
    not_names: frozenset[str]
    common_word_frequency: int
    numbered_units: tuple[str, ...]
    list_connectors: tuple[str, ...]
    org_suffixes: dict[str, bool]
    weak_org_suffixes: tuple[str, ...]
    community_kinds: frozenset[str]
    place_verbs: frozenset[str]
    function_words: frozenset[str]
    branch_suffixes: tuple[str, ...]
    object_verbs: frozenset[str]
    heads: tuple[str, ...]
    team_heads: tuple[str, ...]
    means: tuple[str, ...]
    generic_prefixes: tuple[str, ...]
    list_tails: tuple[str, ...]
    lead_verbs: tuple[str, ...]
    serve_verbs: tuple[str, ...]
    triggers: tuple[str, ...]
    fillers: tuple[str, ...]
    quoted_heads: tuple[str, ...]
    context_heads: tuple[str, ...]
    not_initiatives: frozenset[str]
    quote_marks: tuple[tuple[str, str], ...]
    userdict: str


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    """Alternatives for a regex or a scan must be tried longest first (党工委 before 党委)."""
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


@functools.cache
def lexicon() -> Lexicon:
    """Read the vocabularies once, from a checkout or an installed wheel alike."""
    folder = resource_dir("ontology") / "extract"

    def load(name: str) -> dict[str, Any]:
        return yaml.safe_load((folder / name).read_text("utf-8"))

    titles, names = load("titles.yaml"), load("names.yaml")
    orgs, inits = load("organizations.yaml"), load("initiatives.yaml")
    return Lexicon(
        organs=dict(titles["organs"]),
        positions=dict(titles["positions"]),
        level_organs=frozenset(titles["level_organs"]),
        bylines=frozenset(titles["bylines"]),
        village_prefixed_organs=frozenset(titles["village_prefixed_organs"]),
        followers=_longest_first(names["followers"]),
        surnames=frozenset(names["surnames"]),
        compound_surnames=frozenset(names["compound_surnames"]),
        strong_suffixes=_longest_first(orgs["strong_suffixes"]),
        weak_suffixes=_longest_first(orgs["weak_suffixes"]),
        industry_words=_longest_first(orgs["industry_words"]),
        not_names=frozenset(orgs["not_names"]),
        common_word_frequency=int(orgs["common_word_frequency"]),
        numbered_units=_longest_first(orgs["numbered_units"]),
        list_connectors=_longest_first(orgs["list_connectors"]),
        org_suffixes={k: bool(v) for k, v in orgs["organization_suffixes"].items()},
        weak_org_suffixes=_longest_first(orgs["weak_organization_suffixes"]),
        community_kinds=frozenset(orgs["community_kinds"]),
        place_verbs=frozenset(orgs["place_verbs"]),
        function_words=frozenset(orgs["function_words"]),
        branch_suffixes=_longest_first(orgs["branch_suffixes"]),
        object_verbs=frozenset(orgs["object_verbs"]),
        heads=_longest_first(inits["heads"]),
        team_heads=_longest_first(inits["team_heads"]),
        means=_longest_first(inits["means"]),
        generic_prefixes=_longest_first(inits["generic_prefixes"]),
        list_tails=_longest_first(inits["list_tails"]),
        lead_verbs=_longest_first(inits["lead_verbs"]),
        serve_verbs=_longest_first(inits["serve_verbs"]),
        triggers=_longest_first(inits["triggers"]),
        fillers=_longest_first(inits["fillers"]),
        quoted_heads=_longest_first(inits["quoted_heads"]),
        context_heads=_longest_first(inits["context_heads"]),
        not_initiatives=frozenset(inits["not_initiatives"]),
        quote_marks=tuple((pair[0], pair[1]) for pair in inits["quotes"]),
        userdict=(folder / "userdict.txt").read_text("utf-8"),
    )


@functools.cache
def _tagger() -> jieba.posseg.POSTokenizer:
    """A private jieba tokenizer with the user dictionary: the global one is left untouched,
    so that other code using jieba is not affected by our words."""
    import io
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(io.StringIO(lexicon().userdict))
    return jieba.posseg.POSTokenizer(tokenizer)


def _frequency(word: str) -> int:
    """How common a word is in jieba's dictionary: proper names are rare or absent."""
    return int(_tagger().tokenizer.FREQ.get(word, 0) or 0)


# ---------------------------------------------------------------- the article as analysed

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CLAUSE_STOP = frozenset("，,。；;！!？?：:\n")
_SENTENCE_STOP = frozenset("。；;！!？?\n")
# Lines of a web page that are not the article: link lists (·headline) and breadcrumbs
# (浙江在线 > 杭州频道 > ...). Nothing is read from them, as from garbled text.
_NAVIGATION = re.compile(r"(?m)^[ \t\u3000]*·.*$|^.*[>＞].*[>＞].*$")
_QUOTE_TRIM = "”“‘’」「『』"
# jieba tags that a word inside a name may have: nouns, names, places, abbreviations,
# numerals (十四局), morphemes; verbs, prepositions, particles and adverbs end a name.
_NAME_FLAGS = frozenset(
    {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "ng", "g", "vn", "m", "eng", "an", "s", "b"}
)
_NOT_GIVEN = frozenset("的了是在和与及等也都就还把被将对为以于之其这那个们各该每")
# One-character function words and the tags of function words: such a token never joins a
# name, while any other one-character token may (卖 of 卖鱼桥社区, 弄 of 贾家弄新村: jieba cuts
# rare names into single characters and tags them as it can).
_FUNCTION = _NOT_GIVEN | frozenset("由从向到给让使或但而并且又再很更最太才已曾共同属")
_FUNCTION_FLAGS = frozenset(
    {"p", "c", "u", "uj", "ul", "uz", "uv", "ud", "ug", "r", "x", "m", "q", "y", "e", "o", "zg"}
)
# Tags of proper names (and abbreviations such as 浙大).
_PROPER_FLAGS = frozenset({"nr", "ns", "nz", "nrt", "nrfg", "nt", "j"})
# Characters no name contains: where jieba glued one to a noun (地由), the name starts after it.
_NEVER_IN_NAMES = frozenset("由把被的了")
# A time word (tag t) may begin a name (未来研创园) unless it points at a moment or a period
# (今年, 目前, 近日, 春节期间): those begin a clause, not a name.
_DEICTIC = frozenset("今明去昨前后近目当现此年月日时期季节初底末旬晚早")
_STREET = frozenset("路街道巷弄桥湾")
_ADMIN_TYPES = frozenset({"Province", "City", "District", "Subdistrict"})
_LEVEL_TYPE = {
    "province": "Province",
    "city": "City",
    "district": "District",
    "township": "Subdistrict",
}


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    flag: str


def _glue(tok: _Token) -> bool:
    """A one-character token that may be part of a name: not a function word."""
    return (
        len(tok.word) == 1
        and _CJK.match(tok.word) is not None
        and tok.word not in _FUNCTION
        and tok.flag not in _FUNCTION_FLAGS
    )


class _Doc:
    """One article: its raw text, the normalized text rules run on, jieba tokens, and the
    text that labels and quotes are cut from (raw minus pinyin for a simplified article,
    where t2s could alter a correct character such as 乾; simplified for a traditional one)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.norm = text.normalize(raw)
        self.text = self.norm.text
        stripped = text.strip_pinyin(raw).text
        changed = sum(a != b for a, b in zip(stripped, self.text, strict=True))
        cjk = max(1, len(_CJK.findall(self.text)))
        self.shown = self.text if changed / cjk > 0.02 else stripped
        garbled_raw = text.find_mojibake(raw)
        self.garbled = [
            any(a <= self.norm.source[i] < b for a, b in garbled_raw) for i in range(len(self.text))
        ]
        for m in _NAVIGATION.finditer(self.text):
            for k in range(m.start(), m.end()):
                self.garbled[k] = True
        self.tokens: list[_Token] = []
        at = 0
        for word, flag in _tagger().cut(self.text):
            self.tokens.append(_Token(at, at + len(word), word, flag))
            at += len(word)
        self.starts = [t.start for t in self.tokens]
        self.bounds = frozenset(self.starts) | {len(self.text)}

    def token_at(self, index: int) -> int:
        """Index of the token covering character ``index``."""
        return bisect.bisect_right(self.starts, index) - 1

    def clean(self, start: int, end: int) -> bool:
        """No garbled (mojibake) character in the span: facts are not read from garbage."""
        return not any(self.garbled[start:end])

    def walk_back(
        self,
        pos: int,
        max_len: int = 14,
        taken: Sequence[bool] | None = None,
        flags: frozenset[str] = _NAME_FLAGS,
        glue: bool = False,
        timeword: bool = False,
        words: frozenset[str] = frozenset(),
    ) -> int:
        """Start of the name that ends at ``pos``: the run of name-like tokens before it.

        A token cut by ``pos`` (大 of 大酒店 when the suffix is 酒店) counts by its tag. With
        ``glue``, one-character tokens that are not function words join the name whatever
        their tags when they reach the edge of the phrase (卖鱼桥社区 after punctuation,
        东便社区 after 张槎) or are street and direction words (贾家弄新村); after another word
        they are a verb taking the place as its object (领导下村, 组团联村: no name). With
        ``timeword``, a time word that is not deictic joins too (未来研创园, not 今年).
        """
        start = pos
        k = self.token_at(pos - 1) if pos > 0 else -1
        not_names = lexicon().not_names
        glued = -1  # tokens down to this index are accepted as glue
        while k >= 0:
            tok = self.tokens[k]
            piece = self.text[tok.start : min(tok.end, pos)]
            name_like = (
                tok.flag in flags
                or tok.word in words
                or k >= glued >= 0
                or (timeword and tok.flag == "t" and not any(c in _DEICTIC for c in piece))
            )
            if not name_like and glue and _glue(tok):
                if tok.word in _STREET or tok.word in "东西南北":
                    name_like = True
                else:
                    j = k
                    while j > 0 and _glue(self.tokens[j - 1]):
                        j -= 1
                    before = self.tokens[j - 1] if j > 0 else None
                    if self._edge(j - 1, taken) or (
                        before is not None and before.flag in _PROPER_FLAGS
                    ):  # 浙大超重力实验室: between two names, a character is part of one
                        glued, name_like = j, True
            if glue and name_like and any(c in _NEVER_IN_NAMES for c in piece):
                cut = max(piece.rfind(c) for c in _NEVER_IN_NAMES) + 1
                if cut < len(piece):  # 地由|综合: jieba glued a preposition to a noun
                    start = tok.start + cut
                break
            if (
                not name_like
                or piece in not_names
                or not _CJK.search(piece)
                or pos - tok.start > max_len
                or not self.clean(tok.start, pos)
                or (taken is not None and any(taken[tok.start : pos]))
            ):
                break
            start = tok.start
            k -= 1
        return start

    def _edge(self, k: int, taken: Sequence[bool] | None) -> bool:
        """Whether token ``k`` ends a phrase before a name: none (start of text), punctuation,
        a function word, a verb of two or more characters, or a name already taken."""
        if k < 0:
            return True
        tok = self.tokens[k]
        return (
            not _CJK.search(tok.word)
            or tok.word in _FUNCTION
            or tok.flag in _FUNCTION_FLAGS
            or (tok.flag == "v" and len(tok.word) >= 2)
            or (taken is not None and any(taken[tok.start : tok.end]))
            or not self.clean(tok.start, tok.end)
        )

    def clause(self, start: int, end: int, reach: int = 24) -> tuple[int, int]:
        """The clause around a span, at most ``reach`` characters each side: the quote."""
        left = start
        while left > 0 and start - left < reach:
            c = self.text[left - 1]
            if c in _CLAUSE_STOP or self.garbled[left - 1]:
                break
            left -= 1
        right = end
        while right < len(self.text) and right - end < reach:
            c = self.text[right]
            if c in _CLAUSE_STOP or self.garbled[right]:
                break
            right += 1
        while left < start and (self.text[left].isspace() or self.text[left] in _QUOTE_TRIM):
            left += 1
        while right > end and (
            self.text[right - 1].isspace() or self.text[right - 1] in _QUOTE_TRIM
        ):
            right -= 1
        return left, right

    def sentence_start(self, pos: int) -> int:
        while pos > 0 and self.text[pos - 1] not in _SENTENCE_STOP:
            pos -= 1
        return pos


# ---------------------------------------------------------------- mentions and entities


@dataclass
class _Mention:
    start: int
    end: int
    type: str
    label: str
    alt: str | None = None
    codes: tuple[str, ...] = ()
    whole: str | None = None  # an initiative: the label of the one it is a part of


@dataclass
class DraftEntity:
    """One entity of the draft, in the order its keys are written."""

    id: str
    type: str
    quote: str
    label: str | None = None
    alt_labels: list[str] = field(default_factory=list)
    occurrence: int | None = None
    props: dict[str, Any] = field(default_factory=dict)
    note: str | None = None


@dataclass
class Draft:
    """A draft facts file: the article header, the entities, and notes on what was skipped."""

    article_id: str
    file: str
    title: str
    entities: list[DraftEntity] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)  # relations quoted on their own

    def to_yaml(self) -> str:
        """The draft as a facts file; deterministic (same draft, same bytes)."""
        out = [HEADER.format(file=self.file), "article:"]
        out.append(f"  id: {_scalar(self.article_id)}")
        out.append(f"  file: {_scalar(self.file)}")
        out.append(f"  title: {_scalar(self.title)}")
        out.append("")
        out.append("entities:" if self.entities else "entities: []")
        current = None
        for e in sorted(self.entities, key=lambda e: _TYPE_ORDER.index(e.type)):
            if e.type != current:
                current = e.type
                out.append(f"  # {'-' * 60} {e.type}")
            out.append(f"  - id: {_scalar(e.id)}")
            out.append(f"    type: {e.type}")
            if e.label is not None:
                out.append(f"    label: {_scalar(e.label)}")
            if e.alt_labels:
                out.append(f"    altLabels: [{', '.join(_scalar(a) for a in e.alt_labels)}]")
            out.append(f"    quote: {_scalar(e.quote)}")
            if e.occurrence is not None:
                out.append(f"    occurrence: {e.occurrence}")
            for key, value in e.props.items():
                if isinstance(value, list):
                    out.append(f"    {key}: [{', '.join(_scalar(v) for v in value)}]")
                else:
                    out.append(f"    {key}: {_scalar(value)}")
            if e.note:
                out.append(f"    note: {_scalar(e.note)}")
        out.append("")
        out.append("facts:" if self.facts else "facts: []")
        for fact in self.facts:
            out.append(f"  - subject: {_scalar(fact['subject'])}")
            for key in ("predicate", "object", "quote", "occurrence"):
                if fact.get(key) is not None:
                    out.append(f"    {key}: {_scalar(fact[key])}")
        if self.skipped:
            out.append("")
            out.append("# Found but not written (no place or organization to attach it to):")
            out.extend(f"#   {line}" for line in self.skipped)
        return "\n".join(out) + "\n"


_TYPE_ORDER = (
    "Province", "City", "District", "Subdistrict", "Community", "Place", "Role", "Post",
    "Official", "Person", "Enterprise", "Organization", "Initiative", "Metric",
)  # fmt: skip


def _scalar(value: Any) -> str:
    """A YAML scalar on one line, quoted only when needed (PyYAML decides, so it is safe)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    dumped = yaml.safe_dump(
        str(value), allow_unicode=True, default_flow_style=True, width=1_000_000
    )
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


# ---------------------------------------------------------------- places


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


@functools.cache
def _short_forms() -> dict[str, tuple[str, str]]:
    """Short form -> (full name, level) for provinces and cities whose short form is unique
    among them (苏州 yes; a short form two cities share is no evidence of either)."""
    index = gazetteer._index()
    seen: dict[str, list[tuple[str, str]]] = {}
    for name, codes in index.by_name.items():
        for code in codes:
            level = index.by_code[code].level
            if level in ("province", "city"):
                for stem in _stems(name, level):
                    seen.setdefault(stem, []).append((name, level))
    return {stem: hits[0] for stem, hits in seen.items() if len(set(hits)) == 1}


def _places(doc: _Doc) -> list[_Mention]:
    """Official division names (3+ characters, starting at a word boundary), short forms of
    provinces and cities, and X街道 names the table does not know."""
    by_name = gazetteer._index().by_name
    short = _short_forms()
    t = doc.text
    found: list[_Mention] = []
    taken = [False] * len(t)
    i = 0
    while i < len(t):
        hit = None
        if i in doc.bounds and doc.clean(i, i + 2):
            for length in range(min(15, len(t) - i), 2, -1):
                name = t[i : i + length]
                if name in by_name:
                    hit = name
                    break
        if hit is not None:
            codes = by_name[hit]
            levels = {gazetteer.lookup(c).level for c in codes}  # type: ignore[union-attr]
            level = min(levels, key=("province", "city", "district", "township").index)
            found.append(_Mention(i, i + len(hit), _LEVEL_TYPE[level], hit, None, codes))
            for k in range(i, i + len(hit)):
                taken[k] = True
            i += len(hit)
            continue
        i += 1
    longer = [m.label for m in found]
    for m in re.finditer("街道", t):
        longer.append(t[doc.walk_back(m.start(), max_len=6) : m.end()])
    for stem, (full, level) in short.items():
        if any(name.startswith(stem) and name != full for name in longer):
            continue  # 阜新 of 阜新路街道 is that street's name, not 阜新市
        for m in re.finditer(re.escape(stem), t):
            s, e = m.span()
            if any(taken[s:e]) or s not in doc.bounds or e not in doc.bounds:
                continue
            if e < len(t) and t[e] in _STREET:
                continue  # 丽水路 is a road
            if not doc.clean(s, e):
                continue
            codes = tuple(
                c
                for c in by_name[full]
                if gazetteer.lookup(c).level == level  # type: ignore[union-attr]
            )
            found.append(_Mention(s, e, _LEVEL_TYPE[level], full, stem, codes))
            for k in range(s, e):
                taken[k] = True
    for m in re.finditer("街道", t):
        s = doc.walk_back(m.start(), max_len=6)
        if any(taken[s : m.end()]) or m.start() - s < 2 or not doc.clean(s, m.end()):
            continue
        if not _proper(doc, s, m.start()) or re.search(
            r"[\d一二三四五六七八九十个]", t[s : m.start()]
        ):
            continue  # 一个街道, 达标街道: not a name
        found.append(_Mention(s, m.end(), "Subdistrict", t[s : m.end()]))
        for k in range(s, m.end()):
            taken[k] = True
    # a subdistrict goes by its name without 街道 (张槎 for 张槎街道, as 广东 for 广东省) when
    # that name is no common word; 张槎东便社区 then reads as 东便社区 in 张槎
    subs = {m.label: m.codes for m in found if m.type == "Subdistrict"}
    for full, codes in sorted(subs.items()):
        stem = full.removesuffix("街道")
        if len(stem) < 2 or _frequency(stem) >= lexicon().common_word_frequency:
            continue
        for m in re.finditer(re.escape(stem), t):
            s, e = m.span()
            if any(taken[s:e]) or s not in doc.bounds or not doc.clean(s, e):
                continue
            if e < len(t) and (t[e] in _STREET or t[e] in "区市县镇乡"):
                continue  # 阜新路, 阜新市: another place
            if e < len(t) and e not in doc.bounds and _CJK.match(t[e]):
                continue  # the word goes on
            found.append(_Mention(s, e, "Subdistrict", full, stem, codes))
            for k in range(s, e):
                taken[k] = True
    return found


# What may follow the 村 of a village name: its organs and people (莲塘村村委会, X村村民).
# Any other 村 right after it makes 村村, "every village" (大喇叭村村响), unless a second
# village follows (大富村村头村).
_VILLAGE_FOLLOWERS = ("村委", "村民", "村两委", "村党", "村干部", "村集体", "村级")
# 村 followed by one of these is a word of its own (美丽村社, 村居, 村镇, 村庄, 村落).
_VILLAGE_WORD_TAILS = frozenset("社居镇庄落寨")
_COMMUNITY_WORDS = re.compile("新村社区|新村小区|社区|小区|新村|片区|村")


def _communities(doc: _Doc, taken: list[bool]) -> list[_Mention]:
    """X社区 and X村 (Community), X小区, X新村 and X片区 (Place).

    The stem is the run of name-like tokens before the word, with one-character tokens glued
    in (卖鱼桥社区, 贾家弄新村: jieba cuts rare names into characters); it stops at a function
    word, a longer verb, punctuation or a name already found (张槎 of 张槎东便社区). A stem that
    names a kind (城中村, 机关社区, 兄弟村) is no name. Longest word first: 仓基新村社区 is a
    community, and in 贾家弄新村小区 the estate is 贾家弄新村. Villages written back to back
    (大富村村头村村尾村) are each a village.
    """
    lex = lexicon()
    t = doc.text
    found: list[_Mention] = []

    def claim(s: int, e: int, kind: str) -> None:
        found.append(_Mention(s, e, kind, t[s:e]))
        for k in range(s, e):
            taken[k] = True

    def kind_word(stem: str) -> bool:
        return stem in lex.not_names or any(stem.endswith(k) for k in lex.community_kinds)

    for m in _COMMUNITY_WORDS.finditer(t):
        word = m.group()
        s0, e = m.span()
        if any(taken[s0:e]) or not doc.clean(s0, e):
            continue
        village = word == "村"
        start = s0
        if s0 not in doc.bounds and word != "片区":  # jieba has no 片区: 莲大|片|区 is cut anyway
            tok = doc.tokens[doc.token_at(s0)]
            # 唐村 of 弼唐村: a rare word ending in 村 holds the end of a village name
            if not (
                village
                and tok.end == e
                and tok.flag in _NAME_FLAGS
                and _frequency(tok.word) < 100
                and "村" not in tok.word[:-1]
                and not any(taken[tok.start : s0])
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
        reach = 3 - (s0 - start) if word == "片区" or village else 6
        s = doc.walk_back(
            start, max_len=reach, taken=taken, flags=_NAME_FLAGS | {"a"}, glue=True
        )  # 幸福社区, 大富村: an adjective may name a community
        stem = t[s:s0]
        if len(stem) < 2 or kind_word(stem) or not doc.clean(s, e):
            continue
        if any(c in "0123456789一二两三四五六七八九十百个" for c in stem):
            continue  # 2个精品小区, 十个村: a count, not a name
        names = doc.tokens[doc.token_at(s)].flag in ("ns", "nr", "nz")
        if village and _frequency(stem) >= 100 and not names:
            continue  # 兄弟村, 喇叭村: a common word before 村 is not a village name
        kind = "Community" if village or word.endswith("社区") else "Place"
        if kind == "Place" and word != "片区" and not _proper(doc, s, s0):
            continue
        end = e - 2 if word == "新村小区" else e
        claim(s, end, kind)
        if word == "新村小区":
            taken[end] = taken[end + 1] = True
        while village:  # 大富村村头村村尾村
            nxt = t[end : end + 3]
            if (
                len(nxt) < 3
                or nxt[2] != "村"
                or any(c in _FUNCTION or not _CJK.match(c) for c in nxt[:2])
                or kind_word(nxt[:2])
                or any(taken[end : end + 3])
                or not doc.clean(end, end + 3)
            ):
                break
            claim(end, end + 3, "Community")
            end += 3
    return found


# ---------------------------------------------------------------- enterprises


def _proper(doc: _Doc, start: int, end: int) -> bool:
    """Whether a stem looks like a proper name: some word in it is rare or a tagged name."""
    lex = lexicon()
    k = doc.token_at(start)
    while k < len(doc.tokens) and doc.tokens[k].start < end:
        tok = doc.tokens[k]
        if (
            tok.flag in ("nr", "ns", "nz", "nrt", "nrfg")
            or _frequency(tok.word) < lex.common_word_frequency
        ):
            return True
        k += 1
    return False


_NUMERALS = "一二三四五六七八九十"


def _drop_object_verb(doc: _Doc, s: int, s0: int) -> int:
    """Where a name walked back to ``s`` really starts: a verb of ``object_verbs`` that takes
    the name as its object (服务 山湖大厦, 助力 海天集团) is left out when two characters or more
    follow it, and a verbal noun opening the phrase (jieba's ``vn``) when a rare word or a
    tagged name follows it."""
    k = doc.token_at(s)
    if doc.tokens[k].start != s:
        return s
    first = True
    while k < len(doc.tokens) and doc.tokens[k].end <= s0 - 2:
        tok = doc.tokens[k]
        if tok.word in lexicon().object_verbs:  # 街道助力海天集团: after its subject too
            return tok.end
        if first and tok.flag == "vn" and doc._edge(k - 1, None) and _proper(doc, tok.end, s0):
            return tok.end
        first, k = False, k + 1
    return s


def _enterprises(doc: _Doc, taken: list[bool]) -> list[_Mention]:
    """Names with an organization suffix, brand + industry word, brand + numbered unit
    (中建十四局), the other items of a list one of them is in (炬华科技、利尔达、恒生科技园;
    绿地一期、二期,以及壹向大厦), and short forms written before the full name."""
    lex = lexicon()
    t = doc.text
    found: list[_Mention] = []

    def claim(s: int, e: int, label: str | None = None) -> None:
        written = t[s:e]
        alt = written if label is not None and label != written else None
        found.append(_Mention(s, e, "Enterprise", label or written, alt))
        for k in range(s, e):
            taken[k] = True

    for strong, suffixes in ((True, lex.strong_suffixes), (False, lex.weak_suffixes)):
        for suffix in suffixes:
            for m in re.finditer(re.escape(suffix), t):
                s0, e = m.span()
                if any(taken[s0:e]) or not doc.clean(s0, e):
                    continue
                if e not in doc.bounds and e < len(t) and _CJK.match(t[e]):
                    continue  # 科技园 of 科技园区: the word goes on
                s = doc.walk_back(s0, max_len=20, taken=taken, timeword=strong)
                s = _drop_object_verb(doc, s, s0)  # 服务|山湖大厦: the verb is not the name
                # a leading place name belongs to the enterprise (青岛市 of 青岛市...公司)
                stem = t[s:s0]
                if len(stem) < 2 or any(stem.startswith(w) for w in lex.not_names):
                    continue
                if not strong and not _proper(doc, s, s0):
                    continue
                claim(s, e)
    for word in lex.industry_words:
        for m in re.finditer(re.escape(word), t):
            s0, e = m.span()
            if any(taken[s0:e]) or (e < len(t) and _CJK.match(t[e]) and e not in doc.bounds):
                continue
            for s in (s0 - 3, s0 - 2):
                brand = t[s:s0] if s >= 0 else ""
                if (
                    len(brand) < 2
                    or (s not in doc.bounds and s > 0 and _CJK.match(t[s - 1]))
                    or not all(_CJK.match(c) for c in brand)
                    or any(taken[s:s0])
                    or _frequency(brand) >= lex.common_word_frequency
                    or doc.tokens[doc.token_at(s)].flag not in _NAME_FLAGS
                    or brand in lex.not_names
                    or any(c in _NOT_GIVEN for c in brand)
                ):
                    continue
                claim(s, e)
                break
    # a brand and a numbered unit: 中建十四局, 中铁八局 (government bureaus have no numbers)
    units = "|".join(map(re.escape, lex.numbered_units))
    for m in re.finditer(rf"[{_NUMERALS}]{{1,3}}(?:{units})", t):
        s0, e = m.span()
        if any(taken[s0:e]) or s0 not in doc.bounds or s0 == 0 or not doc.clean(s0, e):
            continue
        if e < len(t) and e not in doc.bounds and _CJK.match(t[e]):
            continue
        brand = doc.tokens[doc.token_at(s0 - 1)]
        if (
            not 2 <= len(brand.word) <= 3
            or brand.flag not in _NAME_FLAGS
            or not all(_CJK.match(c) for c in brand.word)
            or brand.word in lex.not_names
            or any(c in _NOT_GIVEN for c in brand.word)
            or any(taken[brand.start : s0])
            or not doc.clean(brand.start, s0)
        ):
            continue
        claim(brand.start, e)
    # the other items of an enumeration with an enterprise in it are enterprises too; an item
    # that is only a numbered unit continues the name before it (中建十四局、十八局: 中建十八局)
    suffixes = set(lex.strong_suffixes + lex.weak_suffixes + lex.industry_words)
    i = 0
    while i < len(found):
        m = found[i]
        i += 1
        items = _list_items(doc, m.start, m.end)
        labels = {(m.start, m.end): m.label}
        for s, e in items:
            if (s, e) in labels or any(taken[s:e]) or not doc.clean(s, e):
                continue
            if t[s] in _NUMERALS + "0123456789":
                prev = [lab for (_, pe), lab in labels.items() if pe <= s]
                named = re.fullmatch(
                    rf"(.{{2,}}?)[{_NUMERALS}]+(.{{1,2}})", prev[-1] if prev else ""
                )
                if named is None:
                    continue  # 二期 alone: no name to continue
                unit = re.compile(rf"[{_NUMERALS}]+{re.escape(named.group(2))}").match(t, s, e)
                if unit is None or unit.end() not in doc.bounds:
                    continue
                e = unit.end()
                claim(s, e, named.group(1) + t[s:e])
            elif 2 <= e - s <= 8 and t[s:e] not in suffixes:
                claim(s, e)
            else:
                continue
            labels[(s, e)] = found[-1].label
    # a short form written before the full name (纤纳光电 ... 杭州纤纳光电科技有限公司) is that
    # enterprise, not another one
    for k, m in enumerate(found):
        if m.alt is not None:
            continue
        for full in found:
            if full is not m and full.alt is None and m.label in _aliases(full.label):
                found[k] = _Mention(m.start, m.end, "Enterprise", full.label, m.label)
                break
    return found


_LIST_STOP = frozenset("、，,。；;：:“”「」()（）\n")


def _connector(doc: _Doc, pos: int, forward: bool) -> int | None:
    """Where the next item starts (``forward``) or the previous one ends, when a list goes on
    at ``pos``: 、 or a connector word (以及, 及, after an optional comma); else None."""
    t = doc.text
    if forward:
        if pos < len(t) and t[pos] == "、":
            return pos + 1
        at = pos + 1 if pos < len(t) and t[pos] in ",，" else pos
        for word in lexicon().list_connectors:
            if t.startswith(word, at) and at in doc.bounds and at + len(word) in doc.bounds:
                return at + len(word)
        return None
    if pos > 0 and t[pos - 1] == "、":
        return pos - 1
    for word in lexicon().list_connectors:
        at = pos - len(word)
        if at >= 0 and t.startswith(word, at) and at in doc.bounds and pos in doc.bounds:
            return at - 1 if at > 0 and t[at - 1] in ",，" else at
    return None


def _list_items(doc: _Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the items of a list that ``start:end`` is an item of, in text order.

    An item runs to the next delimiter; words that cannot be part of a name are dropped
    from its outer end (以及 壹向大厦, 相应在 炬华科技, 恒生科技园 建立).
    """
    t = doc.text
    after = []
    pos = end
    while (s := _connector(doc, pos, True)) is not None:
        e = s
        while e < len(t) and e - s < 10 and t[e] not in _LIST_STOP:
            k = doc.token_at(e)
            if e in doc.bounds and doc.tokens[k].flag not in _NAME_FLAGS:
                break
            e += 1
        if e == s or (e < len(t) and t[e] not in _LIST_STOP and e not in doc.bounds):
            break
        after.append((s, e))
        pos = e
    before = []
    pos = start
    while (e := _connector(doc, pos, False)) is not None:
        s = e
        while s > 0 and e - s < 10 and t[s - 1] not in _LIST_STOP:
            s -= 1
        while s < e:  # drop leading words that are not part of a name
            tok = doc.tokens[doc.token_at(s)]
            if s in doc.bounds and tok.flag in _NAME_FLAGS:
                break
            s = tok.end if s in doc.bounds else s + 1
        if s >= e:
            break
        before.append((s, e))
        pos = s
    return [*reversed(before), (start, end), *after]


def _aliases(name: str) -> list[str]:
    """Short forms of an enterprise name: without the leading place, the suffix and trailing
    industry words (佛山市康思达液压机械有限公司 -> 康思达液压机械, 康思达液压, 康思达)."""
    lex = lexicon()
    core = name
    for suffix in lex.strong_suffixes + lex.weak_suffixes:
        if core.endswith(suffix):
            core = core[: -len(suffix)]
            break
    by_name = gazetteer._index().by_name
    for length in range(min(len(core) - 2, 8), 1, -1):
        head = core[:length]
        if head in by_name or head in _short_forms():
            core = core[length:]
            break
    out = []
    while len(core) >= 2:
        out.append(core)
        for word in lex.industry_words:
            if core.endswith(word) and len(core) - len(word) >= 2:
                core = core[: -len(word)]
                break
        else:
            break
    return [a for a in dict.fromkeys(out) if a != name]


# ---------------------------------------------------------------- organizations


def _organizations(doc: _Doc, taken: list[bool], places: Sequence[_Mention]) -> list[_Mention]:
    """Bodies with a name of their own: X + an organization suffix (综合行政执法中队,
    市场监督管理所, 浙大超重力实验室), or a weak suffix (中心, 总部) after a proper stem or
    right after a place, which then begins the name (阜新路街道人社中心); a branch written
    after the name belongs to it (浙一医院余杭院区); and short forms made of characters of
    the full name in order (市监所 for 市场监督管理所). Run after places, enterprises and
    initiatives, so what they took is not read again."""
    lex = lexicon()
    t = doc.text
    found: list[_Mention] = []
    place_at = {m.end: m for m in places if m.type in _ADMIN_TYPES}

    def claim(s: int, e: int, label: str | None = None) -> None:
        written = t[s:e]
        alt = written if label is not None and label != written else None
        found.append(_Mention(s, e, "Organization", label or written, alt))
        for k in range(s, e):
            taken[k] = True

    strong = _longest_first(lex.org_suffixes)
    for weak, suffixes in ((False, strong), (True, lex.weak_org_suffixes)):
        for suffix in suffixes:
            for m in re.finditer(re.escape(suffix), t):
                s0, e = m.span()
                if any(taken[s0:e]) or not doc.clean(s0, e):
                    continue
                if e not in doc.bounds and e < len(t) and _CJK.match(t[e]):
                    continue  # 中心工作: the word goes on
                s = doc.walk_back(
                    s0, max_len=12, taken=taken, glue=True, timeword=True, words=lex.function_words
                )
                stem = t[s:s0]
                place = place_at.get(s)
                if len(stem) < 2 or any(stem.startswith(w) for w in lex.not_names):
                    continue
                if weak and place is None and not _proper(doc, s, s0):
                    continue  # 城市中心, 企业总部: no name
                start = place.start if place is not None else s
                branch = re.compile(
                    rf"[\u4e00-\u9fff]{{2,3}}?(?:{'|'.join(lex.branch_suffixes)})"
                ).match(t, e)
                if (
                    branch is not None
                    and not any(taken[e : branch.end()])
                    and doc.clean(e, branch.end())
                ):
                    e = branch.end()  # 浙一医院 余杭院区
                claim(start, e)
    # short forms: the first and last characters of the name and some in between, in order
    for full in list(found):
        name = full.label
        if len(name) < 5:
            continue
        pattern = rf"{re.escape(name[0])}[\u4e00-\u9fff]{{1,2}}{re.escape(name[-1])}"
        for m in re.finditer(pattern, t):
            s, e = m.span()
            short = m.group()
            if any(taken[s:e]) or not doc.clean(s, e) or not _subsequence(short, name):
                continue
            if s > 0 and _CJK.match(t[s - 1]) and not doc._edge(doc.token_at(s - 1), taken):
                continue
            if _frequency(short) >= lex.common_word_frequency:
                continue
            claim(s, e, name)
    return found


def _subsequence(short: str, name: str) -> bool:
    """Whether ``short`` is made of characters of ``name`` in order (市监所, 市场监督管理所)."""
    it = iter(name)
    return all(c in it for c in short)


def _public(org: _Mention) -> bool:
    """Whether an organization is part of government, by its suffix (see organizations.yaml)."""
    lex = lexicon()
    return any(org.label.endswith(sfx) and public for sfx, public in lex.org_suffixes.items())


# ---------------------------------------------------------------- initiatives


# A quoted formula (“1+N”, “网格化+大数据”, “预约+上门”): parts joined by +.
_FORMULA = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]{1,8}(?:[+＋][0-9A-Za-z\u4e00-\u9fff]{1,8})+")
# A numbered slogan begins with a numeral (“三紧盯”, “一园十员”, “五张推进表”).
_NUMBERED = re.compile(r"[一二三四五六七八九十两百0-9]")


def _initiatives(doc: _Doc, taken: list[bool]) -> list[_Mention]:
    """Initiatives: quoted names of mechanisms (“楼长制”), formulas (“1+N”) and numbered
    slogans after a verb of means (通过“三紧盯”); named bodies set up by a trigger verb
    (成立...工作专班, 建立...机制) with the other items of their 、-lists; lists of measures
    (以A、B、C等三方面工作); teams named by their kind anywhere (党员先锋队); and headings
    that are a name alone on their line (楼宇经济提升行动。)."""
    lex = lexicon()
    t = doc.text
    found: list[_Mention] = []
    lead_in = lex.triggers + tuple(tr + f for tr in lex.triggers for f in lex.fillers)

    def claim(s: int, e: int, place_first: bool = False) -> bool:
        """Take ``s:e`` as an initiative; a generic word before the name (街道 of 街道三方治理
        综合体) is left out; with ``place_first``, a place already found may begin the name
        (莲大片区临时党组织)."""
        for word in lex.generic_prefixes:
            if t.startswith(word, s) and e - s - len(word) >= 3 and s + len(word) in doc.bounds:
                nxt = doc.tokens[doc.token_at(s + len(word))]
                if nxt.flag not in ("v", "vn"):  # 社区治理提升行动: 社区治理 is one noun
                    s += len(word)
                break
        p = s
        while place_first and p < e and taken[p]:
            p += 1
        if p - s == 1 or e - p < 2 or any(taken[p:e]):
            return False
        label = t[s:e]
        if label in lex.not_initiatives or not doc.clean(s, e):
            return False
        found.append(_Mention(s, e, "Initiative", label))
        for k in range(s, e):
            taken[k] = True
        return True

    for opening, closing in lex.quote_marks:
        pattern = re.escape(opening) + r"([^" + re.escape(opening + closing) + r"\n]{2,20})"
        for m in re.finditer(pattern + re.escape(closing), t):
            s, e = m.span(1)
            name = m.group(1)
            if any(taken[s:e]) and not taken[s]:
                continue  # a place may begin the name (“湖墅老墙门”), nothing else be in it
            book = opening == "《"
            after = t[m.end() : m.end() + 5]
            before = t[max(0, m.start() - 6) : m.start()]
            led = not book and (
                before.endswith(lead_in)
                or (_NUMBERED.match(name) is not None and before.endswith(lex.means))
            )
            if "、" in name and led and not any(c in _CLAUSE_STOP for c in name):
                pieces, at = [], s  # 坚持“一企一策、一事一议”: each one is a name
                for piece in name.split("、"):
                    pieces.append((at, at + len(piece)))
                    at += len(piece) + 1
                if all(2 <= b - a <= 8 and _CJK.search(t[a:b]) for a, b in pieces):
                    for a, b in pieces:
                        claim(a, b)
                continue
            if any(c in _CLAUSE_STOP or c == "、" for c in name):
                continue
            formula = not book and _FORMULA.fullmatch(name) is not None
            if not formula and (not _CJK.search(name) or re.fullmatch(r"[\d.%]+", name)):
                continue
            if before.endswith("的") and not after.startswith(lex.context_heads):
                continue  # 成为...的“加油站”: a figure of speech
            clause = t[doc.clause(m.start(), m.start(), reach=40)[0] : m.start()]
            if (
                name.endswith(lex.quoted_heads)
                or formula
                or led
                or (not book and after.startswith(lex.context_heads))
                or (not book and after.startswith("等") and after[1:].startswith(lex.list_tails))
                or (not book and before.endswith("等") and any(w in clause for w in lex.triggers))
            ):  # ...等“五张推进表”: the last item of what a trigger verb made
                claim(s, e, place_first=True)
    triggers = "|".join(map(re.escape, lex.triggers))
    fillers = "|".join(map(re.escape, lex.fillers))
    heads = "|".join(map(re.escape, lex.heads))
    body = r"[^\s，,。；;！!？?：:、“”「」《》()（）的]{0,16}?"
    pattern = re.compile(rf"(?:{triggers})(?:{fillers})?({body}(?:{heads}))")
    for m in pattern.finditer(t):
        s, e = m.span(1)
        if e < len(t) and e not in doc.bounds and _CJK.match(t[e]):
            continue  # 巡查组织: the head goes on into another word
        k = doc.token_at(m.start())
        if (
            doc.tokens[k].flag != "v"
            and k > 0
            and doc.tokens[k - 1].flag.startswith("n")
            and _CJK.match(doc.tokens[k - 1].word)
        ):
            continue  # 队伍建设...工程: a noun before makes the trigger a noun of the name
        head = next(h for h in lex.heads if t[s:e].endswith(h))
        filler = next((f for f in lex.fillers if t[s:e].startswith(f)), "")
        if filler and e - s - len(filler) >= len(head):
            s += len(filler)  # 成立多个功能组: the name is 功能组
        elif e - s - len(head) < (1 if head == "长制" else 2) and len(head) < 3:
            continue  # 建立机制: a head of two characters alone names nothing (楼长制 does)
        if not claim(s, e, place_first=True):
            continue
        pos = e
        while pos < len(t) and t[pos] == "、":
            nxt = re.compile(rf"{body}{re.escape(head)}").match(t, pos + 1)
            if nxt is None or nxt.end() - nxt.start() < len(head) + 2:
                break
            if not claim(nxt.start(), nxt.end()):
                break
            pos = nxt.end()
    _measure_lists(doc, taken, claim)
    _teams(doc, taken, claim)
    _parts(doc, taken, claim, found)
    _headings(doc, taken, claim)
    return found


def _measure_lists(doc: _Doc, taken: list[bool], claim: Any) -> None:
    """The items of a list of measures that a trigger or a verb of means introduces and a
    word of measures closes: 以保物资供应、保政策兑现、保宣传到位等三方面工作, 开展“大树小巨人”、
    楼宇补贴、“一企一策”等政策. Each item is a name of four to ten characters."""
    lex = lexicon()
    t = doc.text
    tails = "|".join(map(re.escape, lex.list_tails))
    item = r"[^、，,。；;：:\s]{2,16}"
    count = r"[一二三四五六七八九十两多]+"
    pattern = re.compile(
        rf"((?:{item}、)+{item})等(?:{count}(?:方面|项)工作|(?:{count}(?:方面|项|大|个))?(?:{tails}))"
    )
    openers = _longest_first(lex.triggers + lex.means)
    for m in pattern.finditer(t):
        s0 = m.start(1)
        first = m.group(1).split("、")[0]
        cut = max((first.rfind(w) + len(w) for w in openers if w in first), default=-1)
        if cut < 0:
            continue
        at = s0 + cut
        for piece in t[at : m.end(1)].split("、"):
            a, b = at, at + len(piece)
            at = b + 1
            while a < b and t[a] in "“「":
                a += 1
            while b > a and t[b - 1] in "”」":
                b -= 1
            if 4 <= b - a <= 10 and all(_CJK.match(c) for c in t[a:b]) and not any(taken[a:b]):
                claim(a, b)


def _teams(doc: _Doc, taken: list[bool], claim: Any) -> None:
    """Teams and posts named by their kind, wherever they are written (一支党员先锋队,
    复工复产服务队提供..., 认领居家隔离服务岗): the kind word and the words of two or more
    characters before it that describe it (nouns; verbs only in a run of verbs, 复工复产)."""
    lex = lexicon()
    t = doc.text
    for head in lex.team_heads:
        for m in re.finditer(re.escape(head), t):
            s0, e = m.span()
            if any(taken[s0:e]) or s0 not in doc.bounds or not doc.clean(s0, e):
                continue
            if e < len(t) and e not in doc.bounds and _CJK.match(t[e]):
                continue  # 服务队伍: another word
            s, k = s0, doc.token_at(s0) - 1
            while k >= 0:
                tok = doc.tokens[k]
                nxt = doc.tokens[k + 1]
                verbal = tok.flag in ("v", "vn") and nxt.flag in ("v", "vn")
                if (
                    len(tok.word) < 2
                    or not all(_CJK.match(c) for c in tok.word)
                    or any(taken[tok.start : tok.end])
                    or tok.word in lex.triggers
                    or tok.word.endswith("有")
                    or tok.word in lex.not_names
                    or not (verbal or (tok.flag in _NAME_FLAGS and tok.flag not in ("m", "b")))
                    or s0 - tok.start > 8
                ):
                    break
                s, k = tok.start, k - 1
            if t[s:s0] in lex.generic_prefixes:
                continue  # 街道服务队: the subdistrict's team, no name
            if s0 - s >= 2 or len(head) >= 4:
                claim(s, e)


def _parts(doc: _Doc, taken: list[bool], claim: Any, found: list[_Mention]) -> None:
    """The parts of a numbered initiative (“三紧盯”, “三大提升行动”, 四大...工程, “三项创新”):
    as many phrases as it counts, after it, each opening a sentence or a line and named by
    its last word (紧盯重点企业。, 楼宇经济提升行动。, 营商环境优化行动。, 队伍创新,...)."""
    from kg.numbers import parse_chinese_number

    lex = lexicon()
    t = doc.text
    segment = re.compile(
        r"(?m)(?:^|(?<=[。；;！!？?]))[ \t\u3000]*"
        r"([^\n。；;，,！!？?：:“”「」、]{3,14})(?=[。，,；;]|$)"
    )
    for whole in list(found):
        numbered = re.fullmatch(r"([一二三四五六七八九十两]+)(?:项|大|个|张)?(.{2,8})", whole.label)
        if numbered is None:
            continue
        count = parse_chinese_number(numbered.group(1))
        core = numbered.group(2)
        last = min((h for h in lex.heads if core.endswith(h)), key=len, default=core)
        if count is None or not 2 <= count <= 10:
            continue
        parts = []
        for m in segment.finditer(t, whole.end, min(len(t), whole.end + 2000)):
            s, e = m.span(1)
            name = t[s:e]
            if name == core or not (name.startswith(core) or name.endswith((core, last))):
                continue
            parts.append((s, e))
            if len(parts) == count:
                break
        if len(parts) < count:
            continue  # “三服务” and one phrase ending in 服务: no enumeration
        for s, e in parts:
            if claim(s, e):
                found[-1].whole = whole.label


def _headings(doc: _Doc, taken: list[bool], claim: Any) -> None:
    """A name alone on its line, or alone in the first sentence of its paragraph, that ends
    with an initiative head: a heading (经济发展高质量提升工程; 楼宇经济提升行动。...)."""
    lex = lexicon()
    t = doc.text
    line = r"(?m)^[ \t\u3000]*([^\n。；;，,！!？?：:“”「」()（）、]{4,16})(?=。|$)"
    for m in re.finditer(line, t):
        s, e = m.span(1)
        name = t[s:e]
        if not name.endswith(lex.heads) or any(
            tok.word in lex.triggers and tok.flag == "v"
            for tok in doc.tokens[doc.token_at(s) : doc.token_at(e - 1) + 1]
        ):  # 计划开展四大...工程 is a sentence; 队伍建设...工程 (建设 a noun here) a name
            continue
        if any(taken[s:e]) or not all(_CJK.match(c) for c in name):
            continue
        if any(c in _NOT_GIVEN for c in name):
            continue  # 完成了十个小区的改造工程: a sentence, not a name
        claim(s, e)


# ---------------------------------------------------------------- people and posts


@dataclass
class _Title:
    start: int
    end: int
    organ: str
    position: str
    where: _Mention | None = None


def _titles(doc: _Doc, mentions: Sequence[_Mention]) -> list[_Title]:
    """Every ``organ? position`` in the text outside the names already found, with the place
    or organization it belongs to when one ends right before it (or before 的)."""
    lex = lexicon()
    t = doc.text
    masked = list(t)
    ends: dict[int, _Mention] = {}
    for m in mentions:
        keep_last = m.end < len(t) and t[m.end] == "委" and m.label[-1] in "市区县省镇村"
        for k in range(m.start, m.end - (1 if keep_last else 0)):
            masked[k] = "\x00"
        ends[m.end] = m
    organs = "|".join(map(re.escape, _longest_first(lex.organs)))
    positions = "|".join(map(re.escape, _longest_first(lex.positions)))
    found = []
    for m in re.finditer(rf"({organs})?({positions})", "".join(masked)):
        organ, position = m.group(1) or "", m.group(2)
        title = _Title(m.start(), m.end(), organ, position)
        if organ in lex.level_organs and m.start() + 1 in ends:
            title.where = ends[m.start() + 1]
        elif m.start() in ends:
            title.where = ends[m.start()]
        elif m.start() > 0 and t[m.start() - 1] in "的”" and m.start() - 1 in ends:
            title.where = ends[m.start() - 1]  # 小区的业委会主任, “阳光议事亭”亭长
        found.append(title)
    return found


def _name_at(doc: _Doc, pos: int) -> tuple[int, int] | None:
    """A person's name starting at ``pos`` (after at most one space): surname + 1-2 chars."""
    lex = lexicon()
    t = doc.text
    if pos < len(t) and t[pos] in " \u3000":
        pos += 1
    if t[pos : pos + 2] in lex.compound_surnames:
        surname = 2
    elif pos < len(t) and t[pos] in lex.surnames:
        surname = 1
    else:
        return None
    for given in (2, 1):
        end = pos + surname + given
        name = t[pos:end]
        if end > len(t) or not all(_CJK.match(c) for c in name) or not doc.clean(pos, end):
            continue
        if given == 2 and t[pos + surname + 1 :].startswith(lex.followers):
            continue
        if (
            given == 1
            and end < len(t)
            and _CJK.match(t[end])
            and not t[end:].startswith(lex.followers)
        ):
            continue
        if any(c in _NOT_GIVEN for c in name[surname:]):
            continue
        return pos, end
    return None


def _official(organ: str, position: str, where: _Mention | None) -> bool:
    """Whether a title makes its holder an Official (see ``ontology/extract/titles.yaml``)."""
    lex = lexicon()
    o = lex.organs.get(organ) if organ else None
    p = lex.positions[position]
    if o is False or p is False:
        return False
    if o is True or p is True:
        return True
    if where is not None and where.type == "Organization":
        return _public(where)  # 派出所所长 yes, 医院主任 no
    return where is not None and where.type in _ADMIN_TYPES | {"Community"}


# ---------------------------------------------------------------- assembling the draft


class _Builder:
    """Turns mentions into draft entities: one entity per name, ids, quotes, properties."""

    def __init__(self, doc: _Doc, article_id: str):
        self.doc = doc
        self.aid = article_id
        self.entities: list[DraftEntity] = []
        self.by_key: dict[tuple[str, str], DraftEntity] = {}
        self.counters: dict[str, int] = {}
        self.skipped: list[str] = []
        self.facts: list[dict[str, Any]] = []

    def quote(self, start: int, end: int) -> tuple[str, int | None]:
        """A quote covering the span, located exactly as the loader will locate it."""
        doc = self.doc
        s, e = doc.clause(start, end)
        for _ in range(40):
            wanted = doc.norm.to_raw(s, e)
            q = doc.shown[s:e]
            try:
                if text.locate(q, doc.raw) == wanted:
                    return q, None
            except text.QuoteError as exc:
                if "occurs" in str(exc):
                    n = 1
                    while True:
                        try:
                            span = text.locate(q, doc.raw, n)
                        except text.QuoteError:
                            break
                        if span == wanted:
                            return q, n
                        n += 1
            # widen by a character and try again (never into garbled text)
            if s > 0 and doc.clean(s - 1, s) and doc.text[s - 1] != "\n":
                s -= 1
            elif e < len(doc.text) and doc.clean(e, e + 1) and doc.text[e] != "\n":
                e += 1
            else:
                break
        raise ValueError(f"cannot quote {doc.shown[start:end]!r} uniquely")  # pragma: no cover

    def new_id(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{self.aid}-{kind}-{self.counters[kind]}"

    def entity(self, m: _Mention, entity_id: str | None = None) -> DraftEntity:
        """The entity a mention names, created at its first mention."""
        key = (m.type if m.type != "Official" else "Person", m.label)
        if key in self.by_key:
            found = self.by_key[key]
            return found
        label = self.doc.shown[m.start : m.end] if m.alt is None else m.label
        q, occ = self.quote(m.start, m.end)
        e = DraftEntity(
            id=entity_id or self.new_id(m.type.lower()),
            type=m.type,
            quote=q,
            label=label,
            alt_labels=[self.doc.shown[m.start : m.end]] if m.alt else [],
            occurrence=occ,
        )
        self.by_key[key] = e
        self.entities.append(e)
        return e


def _article_id(path: Path) -> str:
    """``000`` for ``000_55e4261343172afa.txt``; else the file stem made into a valid id."""
    head = path.stem.split("_", 1)[0]
    if ARTICLE_ID_PATTERN.match(head):
        return head
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-_")[:64]
    return slug or "article"


def _title(doc: _Doc) -> str:
    """The headline: the first line that reads like one (not navigation, not a byline)."""
    for line in doc.shown.split("\n"):
        line = line.strip()
        words = line.split()
        if not 6 <= len(line) <= 60 or len(_CJK.findall(line)) < 6:
            continue
        if any(c in line for c in ">|>") or all(len(w) <= 2 for w in words):
            continue
        return line
    first = next((ln.strip() for ln in doc.shown.split("\n") if ln.strip()), "")
    return first[:40] or "untitled"


def extract(article_path: Path, article_id: str | None = None) -> Draft:
    """Read one raw article and return the draft of its facts."""
    article_path = Path(article_path)
    raw = text.read_article(article_path)
    doc = _Doc(raw)
    aid = article_id or _article_id(article_path)
    draft = Draft(aid, article_path.name, _title(doc))
    places = _places(doc)
    # an enterprise name may begin with a place (青岛市...有限公司): places are not in its way
    taken = [False] * len(doc.text)
    enterprises = _enterprises(doc, taken)
    inside = [(e.start, e.end) for e in enterprises]
    places = [p for p in places if not any(s <= p.start and p.end <= e for s, e in inside)]
    for m in places:
        for k in range(m.start, m.end):
            taken[k] = True
    communities = _communities(doc, taken)
    initiatives = _initiatives(doc, taken)
    organizations = _organizations(doc, taken, places)
    aliases: list[tuple[_Mention, _Mention]] = []  # (alias mention, full-name mention)
    for full in list(enterprises):
        for alias in _aliases(full.label):
            for m in re.finditer(re.escape(alias), doc.text):
                s, e = m.span()
                if any(taken[s:e]) or s not in doc.bounds:
                    continue
                aliases.append((_Mention(s, e, "Enterprise", full.label, alias), full))
                for k in range(s, e):
                    taken[k] = True
    mentions = sorted(
        places + communities + enterprises + organizations + initiatives + [a for a, _ in aliases],
        key=lambda m: (m.start, m.end),
    )

    b = _Builder(doc, aid)
    codes = _resolve(places)
    sub_ids: dict[str, DraftEntity] = {}
    for m in sorted(places, key=lambda m: (m.start, m.end)):
        code = codes.get(m.label)
        e = b.entity(m, f"division-{code}" if code else None)
        if code and "divisionCode" not in e.props:
            e.props["divisionCode"] = code
        if m.alt and m.alt not in e.alt_labels:
            e.alt_labels.append(m.alt)
        if m.type == "Subdistrict":
            sub_ids[m.label] = e
    _link_parents(doc, b, places, codes)
    others = communities + enterprises + organizations + initiatives
    for m in sorted(others, key=lambda m: (m.start, m.end)):
        e = b.entity(m)
        shown = doc.shown[m.start : m.end]
        if m.alt is not None and shown != e.label and shown not in e.alt_labels:
            e.alt_labels.append(shown)  # 市监所 of 市场监督管理所, written after it
    _locate(doc, b, places, communities + organizations)
    for alias, full in aliases:
        e = b.by_key[("Enterprise", full.label)]
        shown = doc.shown[alias.start : alias.end]
        if shown not in e.alt_labels:
            e.alt_labels.append(shown)
    _organizers(doc, b, initiatives, places)
    _people(doc, b, mentions)
    _initiative_links(doc, b, initiatives, places + communities, enterprises)
    _metrics(doc, b, places)
    draft.entities = b.entities
    draft.skipped = b.skipped
    draft.facts = b.facts
    return draft


def _entity_of(b: _Builder, m: _Mention) -> DraftEntity | None:
    return b.by_key.get((m.type, m.label))


def _resolve(places: Sequence[_Mention]) -> dict[str, str]:
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


def _link_parents(
    doc: _Doc, b: _Builder, places: Sequence[_Mention], codes: dict[str, str]
) -> None:
    """``partOf`` when a place is written right after its parent (临安区锦南街道) and the
    division table agrees; the quote then shows both names."""
    ordered = sorted(places, key=lambda m: m.start)
    for parent, child in itertools.pairwise(ordered):
        if child.start != parent.end:
            continue
        pc, cc = codes.get(parent.label), codes.get(child.label)
        if not pc or not cc:
            continue
        if pc not in {d.code for d in gazetteer.chain(cc)[1:]}:
            continue
        entity, parent_entity = _entity_of(b, child), _entity_of(b, parent)
        if entity is None or parent_entity is None or "partOf" in entity.props:
            continue
        q, occ = b.quote(parent.start, child.end)
        entity.quote, entity.occurrence = q, occ
        entity.props = {"partOf": parent_entity.id, **entity.props}


def _locate(
    doc: _Doc, b: _Builder, places: Sequence[_Mention], mentions: Sequence[_Mention]
) -> None:
    """Where a community, estate or body is, when its name is written right after a place
    or begins with it (张槎古灶村: partOf 张槎街道; 锦南街道水岸阳光小区, 阜新路街道人社中心:
    locatedIn); the quote then shows both."""
    by_end = {m.end: m for m in places if m.type in _ADMIN_TYPES}
    by_start = {m.start: m for m in places if m.type in _ADMIN_TYPES}
    for m in sorted(mentions, key=lambda m: m.start):
        place = by_end.get(m.start) or (by_start.get(m.start) if m.type == "Organization" else None)
        entity = _entity_of(b, m)
        if place is None or entity is None or (place.start, place.end) == (m.start, m.end):
            continue
        area = _entity_of(b, place)
        key = "partOf" if m.type == "Community" else "locatedIn"
        if area is None or key in entity.props:
            continue
        q, occ = b.quote(min(place.start, m.start), max(place.end, m.end))
        entity.quote, entity.occurrence = q, occ
        entity.props[key] = area.id


def _organizers(
    doc: _Doc, b: _Builder, initiatives: Sequence[_Mention], places: Sequence[_Mention]
) -> None:
    """``organizedBy`` a subdistrict named earlier in the same sentence (锦南街道便成立...专班),
    or the article's only subdistrict when the sentence says 街道 alone (街道发布“楼宇十条”)."""
    subs = sorted((m for m in places if m.type == "Subdistrict"), key=lambda m: m.start)
    if len({m.label for m in subs}) == 1:
        named = [(m.start, m.end) for m in places]
        for hit in re.finditer("街道", doc.text):
            if not any(a <= hit.start() < z for a, z in named) and doc.clean(*hit.span()):
                subs.append(_Mention(hit.start(), hit.end(), "Subdistrict", subs[0].label))
        subs.sort(key=lambda m: m.start)
    for m in initiatives:
        e = _entity_of(b, m)
        if e is None or "organizedBy" in e.props:
            continue
        start = doc.sentence_start(m.start)
        before = [s for s in subs if start <= s.start and s.end <= m.start]
        if not before or m.start - before[-1].start > 120:
            continue
        sub = _entity_of(b, before[-1])
        if sub is None:
            continue
        e.quote, e.occurrence = b.quote(before[-1].start, m.end)
        e.props["organizedBy"] = sub.id


def _initiative_links(
    doc: _Doc,
    b: _Builder,
    initiatives: Sequence[_Mention],
    places: Sequence[_Mention],
    enterprises: Sequence[_Mention],
) -> None:
    """Relations of initiatives that the text states next to them: ``partOfInitiative`` for
    the parts of a numbered one; ``takesPlaceIn`` a place that begins the name (莲大片区临时
    党组织), follows 在 or is followed by 有 earlier in the sentence (古灶村有一支党员先锋队);
    ``leads`` for 由 + a person + 牵头 in the sentence, or a post in the initiative (“阳光议事亭”
    亭长程建); ``serves`` for 服务 + enterprises after it in the sentence (服务山湖大厦等企业)."""
    lex = lexicon()
    t = doc.text

    def fact(subject: str, predicate: str, obj: str, start: int, end: int) -> None:
        quoted(subject, predicate, obj, *b.quote(start, end))

    def quoted(subject: str, predicate: str, obj: str, q: str, occ: int | None) -> None:
        new = {"subject": subject, "predicate": predicate, "object": obj, "quote": q}
        if occ is not None:
            new["occurrence"] = occ
        if not any((f["subject"], f["predicate"], f["object"]) == (subject, predicate, obj)
                   for f in b.facts):  # fmt: skip
            b.facts.append(new)

    ordered = sorted(initiatives, key=lambda m: m.start)
    for m in ordered:
        e = _entity_of(b, m)
        if e is None:
            continue
        whole = b.by_key.get(("Initiative", m.whole)) if m.whole else None
        if whole is not None and whole.id != e.id:
            e.props.setdefault("partOfInitiative", whole.id)
        sentence = doc.sentence_start(m.start)
        for p in places:
            area = _entity_of(b, p)
            if area is None or p.end > m.end or p.start < sentence:
                continue
            if p.start == m.start and p.end < m.end:  # the name begins with the place
                if p.type not in _ADMIN_TYPES:  # 湖墅老墙门: a subdistrict's, not a place's
                    e.props.setdefault("takesPlaceIn", area.id)
            elif p.end <= m.start and (
                t[max(0, p.start - 1) : p.start] == "在" or t.startswith("有", p.end)
            ):
                fact(e.id, "takesPlaceIn", area.id, p.start - (t[p.start - 1] == "在"), m.end)
        end = sentence
        while end < len(t) and t[end] not in _SENTENCE_STOP:
            end += 1
        for served in enterprises:
            if not m.end <= served.start < end:
                continue
            between = t[m.end : served.start]
            verb = next((v for v in lex.serve_verbs if between.endswith(v)), None)
            if verb is None or any(
                o.end <= served.start and o.start >= m.end for o in ordered if o is not m
            ):
                continue  # another initiative stands between: it is the one that serves
            target = _entity_of(b, served) or b.by_key.get(("Enterprise", served.label))
            if target is not None:
                fact(e.id, "serves", target.id, m.start, served.end)
    people = [x for x in b.entities if x.type in ("Official", "Person") and x.label]
    for person in people:
        verbs = "|".join(map(re.escape, lex.lead_verbs))
        for hit in re.finditer(rf"由{re.escape(person.label)}(?:{verbs})", t):
            start = doc.sentence_start(hit.start())
            end = hit.end()
            while end < len(t) and t[end] not in _SENTENCE_STOP:
                end += 1
            before = [m for m in ordered if start <= m.start and m.end <= hit.start()]
            after = [m for m in ordered if hit.end() <= m.start and m.end <= end]
            led = before[-1] if before else (after[0] if after else None)
            target = _entity_of(b, led) if led is not None else None
            if target is not None:
                fact(person.id, "leads", target.id, min(led.start, hit.start()),
                     max(led.end, hit.end()))  # fmt: skip
        posts = person.props.get("holds", [])
        for post in (x for x in b.entities if x.type == "Post" and x.id in posts):
            run = next((x for x in b.entities if x.id == post.props.get("postIn")), None)
            if run is not None and run.type == "Initiative":  # “阳光议事亭”亭长程建
                quoted(person.id, "leads", run.id, post.quote, post.occurrence)


def _people(doc: _Doc, b: _Builder, mentions: Sequence[_Mention]) -> None:
    """Officials and other people named after their titles, with Roles and Posts."""
    lex = lexicon()
    titles = _titles(doc, mentions)
    t = doc.text
    chain: list[_Title] = []
    for i, title in enumerate(titles):
        chain.append(title)
        name = _name_at(doc, title.end)
        if name is None:
            nxt = titles[i + 1] if i + 1 < len(titles) else None
            if nxt is not None:
                gap_end = nxt.where.start if nxt.where is not None else nxt.start
                gap = t[title.end : max(title.end, gap_end)]
                if gap in ("", "、", "兼", "、“") and nxt.start - title.end <= 20:
                    if nxt.where is None and gap in ("", "兼"):
                        nxt.where = title.where  # 董事长兼总经理: of the same organization
                    continue  # the next title is held by the same person
            chain = []
            continue
        posts, official = [], False
        for held in chain:
            if held.position in lex.bylines:
                continue
            official = official or _official(held.organ, held.position, held.where)
            if held.where is None:
                b.skipped.append(
                    f"{held.organ}{held.position} {t[name[0] : name[1]]}: no place or "
                    "organization named before the title"
                )
                continue
            posts.append(held)
        start = min([p.where.start for p in posts if p.where] + [chain[0].start])
        chain = []
        person = _Mention(
            name[0], name[1], "Official" if official else "Person", t[name[0] : name[1]]
        )
        existing = b.by_key.get(("Person", person.label))
        if existing is None:
            e = b.entity(person)
            q, occ = b.quote(start, name[1])
            e.quote, e.occurrence = q, occ
        else:
            e = existing
            if official and e.type == "Person":
                e.type = "Official"
        for held in posts:
            _post(doc, b, e, held, name[1])


def _post(doc: _Doc, b: _Builder, person: DraftEntity, held: _Title, name_end: int) -> None:
    lex = lexicon()
    assert held.where is not None
    where = _entity_of(b, held.where) or b.by_key.get(("Enterprise", held.where.label))
    if where is None:
        return
    role_label = held.organ + held.position
    if held.where.label.endswith("村") and held.organ in lex.village_prefixed_organs:
        role_label = "村" + role_label
    role_id = "role-" + hashlib.sha1(role_label.encode()).hexdigest()[:8]
    role_key = ("Role", role_label)
    if role_key not in b.by_key:
        start = held.start - (1 if role_label.startswith("村") and held.organ else 0)
        role = b.entity(_Mention(held.start, held.end, "Role", role_label), role_id)
        role.label = role_label
        q, occ = b.quote(start, held.end)
        role.quote, role.occurrence = q, occ
    post_key = ("Post", f"{where.id} {role_label}")
    if post_key not in b.by_key:
        q, occ = b.quote(held.where.start, name_end)
        post = DraftEntity(
            id=b.new_id("post"),
            type="Post",
            quote=q,
            occurrence=occ,
            props={"postIn": where.id, "role": role_id},
        )
        b.by_key[post_key] = post
        b.entities.append(post)
    post = b.by_key[post_key]
    held_ids = person.props.setdefault("holds", [])
    if post.id not in held_ids:
        held_ids.append(post.id)


# ---------------------------------------------------------------- metrics


def _find_metrics(text_: str) -> list[Any]:
    """:func:`kg.numbers.find_metrics`, or nothing while that module is not installed."""
    try:
        from kg.numbers import find_metrics  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - the module ships with the project
        return []
    return list(find_metrics(text_))


def _find_missing_values(text_: str) -> list[Any]:
    """:func:`kg.numbers.find_missing_values`, or nothing while that module is not installed."""
    try:
        from kg.numbers import find_missing_values  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # pragma: no cover - the module ships with the project
        return []
    return list(find_missing_values(text_))


def _metrics(doc: _Doc, b: _Builder, places: Sequence[_Mention]) -> None:
    """Metrics found by :mod:`kg.numbers`, about the subdistrict named before them in the
    paragraph (or the article's only subdistrict); a number that the loader cannot find in
    the quote is dropped, never guessed. In an article that lost its digits, no number is
    trusted: the places where numbers are missing are drafted with ``valueMissing: true``."""
    subs = sorted((m for m in places if m.type == "Subdistrict"), key=lambda m: m.start)
    labels = {m.label for m in subs}
    lost = len(_LOST_DIGITS.findall(doc.text))
    if lost >= 2:
        drafted = _missing_metrics(doc, b, subs)
        b.skipped.append(
            f"no metric values: the article lost its digits ({lost} dates like 月日 without "
            f"numbers); {drafted} metrics drafted with valueMissing: true: restore their "
            "numbers from the source, add the ones missed"
        )
        return
    for mm in _find_metrics(doc.text):
        if not doc.clean(mm.start, mm.end) or not doc.clean(mm.number_start, mm.number_end):
            continue
        area = _metric_area(doc, b, subs, labels, mm.start, mm.number_start)
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
        _add_metric(b, mm, q, occ, area, {"indicator": indicator, "value": str(mm.value)})


def _metric_area(
    doc: _Doc,
    b: _Builder,
    subs: Sequence[_Mention],
    labels: set[str],
    start: int,
    anchor: int,
) -> DraftEntity | None:
    """The subdistrict a number is about: the last one named in its paragraph before the
    number (``anchor``), else the article's only one; None when that is not clear."""
    para = doc.text.rfind("\n", 0, start) + 1
    near = [s for s in subs if para <= s.start < anchor]
    area = near[-1] if near else (subs[0] if len(labels) == 1 else None)
    return _entity_of(b, area) if area is not None else None


def _add_metric(
    b: _Builder, mm: Any, quote: str, occurrence: int | None, area: DraftEntity, props: dict
) -> None:
    for key in ("scale", "unit", "qualifier", "kind"):
        value = getattr(mm, key, None)
        if value:
            props[key] = value
    props["refArea"] = area.id
    if mm.ref_period:
        props["refPeriod"] = mm.ref_period
    b.entities.append(
        DraftEntity(
            id=b.new_id("metric"), type="Metric", quote=quote, occurrence=occurrence, props=props
        )
    )


def _missing_metrics(doc: _Doc, b: _Builder, subs: Sequence[_Mention]) -> int:
    """Metrics whose number the article lost (张槎已复工企业累计家), found by
    :func:`kg.numbers.find_missing_values`: ``valueMissing: true`` and never a value, for a
    person to restore. Returns how many were drafted."""
    labels = {m.label for m in subs}
    drafted = 0
    for mm in _find_missing_values(doc.text):
        if not doc.clean(mm.start, mm.end):
            continue
        area = _metric_area(doc, b, subs, labels, mm.start, mm.at)
        what = doc.shown[mm.start : mm.end]
        if area is None:
            b.skipped.append(f"missing number in {what!r}: no unambiguous subdistrict")
            continue
        q, occ = b.quote(mm.start, mm.end)
        words = doc.shown[max(mm.start, mm.at - 12) : mm.at].strip(" ，,、:：")
        props = {"indicator": mm.indicator or words or what, "valueMissing": True}
        _add_metric(b, mm, q, occ, area, props)
        drafted += 1
    return drafted


# A date with its numbers gone (截至月日时, 自月初起): the scrape dropped the article's digits,
# so any number left in it may be a fragment; none is trusted.
_LOST_DIGITS = re.compile(
    r"(?<![0-9０-９〇零一二两三四五六七八九十正腊])月(?:日|初|底|中旬|上旬|下旬)"
)


def _indicator(doc: _Doc, mm: Any) -> str:
    """When the number module names no indicator: the words before the number, as written."""
    s = max(mm.start, mm.number_start - 12)
    words = doc.shown[s : mm.number_start].strip(" ，,、:：")
    return words or doc.shown[mm.start : mm.end]


def extract_article(article_path: Path, article_id: str | None = None) -> str:
    """Draft facts YAML for one raw article."""
    return extract(article_path, article_id).to_yaml()
