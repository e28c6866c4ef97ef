"""One article as the rules read it: raw text, normalized text, words, garbled spans.

Rules run on the normalized text (:func:`kg.text.normalize`: pinyin inserts removed,
simplified), so a traditional article reads like a simplified one; every span is mapped back
to the raw text only when it is quoted (:mod:`kg.extract.draft`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator

from kg import text
from kg.extract import tokens
from kg.extract.claims import Claims
from kg.extract.lexicon import lexicon, read_words

__all__ = ["Doc"]

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
CLAUSE_STOP = frozenset("，,。；;！!？?：:\n")
SENTENCE_STOP = frozenset("。；;！!？?\n")
# Lines of a web page that are not the article: link lists (·headline) and breadcrumbs
# (浙江在线 > 杭州频道 > ...). Nothing is read from them, as from garbled text.
_NAVIGATION = re.compile(r"(?m)^[ \t\u3000]*·.*$|^.*[>＞].*[>＞].*$")
_QUOTE_TRIM = "”“‘’」「『』"
# jieba tags that a word inside a name may have: nouns, names, places, abbreviations,
# numerals (十四局), morphemes; verbs, prepositions, particles and adverbs end a name.
NAME_FLAGS = frozenset(
    {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "j", "ng", "g", "vn", "m", "eng", "an", "s", "b"}
)
NOT_GIVEN = frozenset("的了是在和与及等也都就还把被将对为以于之其这那个们各该每")
# One-character function words and the tags of function words: such a token never joins a
# name, while any other one-character token may (卖 of 卖鱼桥社区, 弄 of 贾家弄新村: jieba cuts
# rare names into single characters and tags them as it can).
FUNCTION = NOT_GIVEN | frozenset("由从向到给让使或但而并且又再很更最太才已曾共同属")
FUNCTION_FLAGS = frozenset(
    {"p", "c", "u", "uj", "ul", "uz", "uv", "ud", "ug", "r", "x", "m", "q", "y", "e", "o", "zg"}
)
# Tags of proper names (and abbreviations such as 浙大).
PROPER_FLAGS = frozenset({"nr", "ns", "nz", "nrt", "nrfg", "nt", "j"})
# Characters no name contains: where jieba glued one to a noun (地由), the name starts after it.
_NEVER_IN_NAMES = frozenset("由把被的了")
# A time word (tag t) may begin a name (未来研创园) unless it points at a moment or a period
# (今年, 目前, 近日, 春节期间): those begin a clause, not a name.
DEICTIC = frozenset("今明去昨前后近目当现此年月日时期季节初底末旬晚早")
STREET = frozenset("路街道巷弄桥湾")
# Share of a line's characters that t2s changes above which the line is written in
# traditional characters (a simplified line with one 乾 has far fewer).
_TRADITIONAL_LINE = 0.15


@functools.cache
def _furniture() -> re.Pattern[str]:
    """Lines of page furniture (footer, copyright): see ``article.yaml``."""
    words = "|".join(map(re.escape, read_words("article.yaml")["furniture_words"]))
    return re.compile(rf"(?m)^.*(?:{words}).*$")


def glue(tok: tokens.Token) -> bool:
    """A one-character token that may be part of a name: not a function word."""
    return (
        len(tok.word) == 1
        and CJK.match(tok.word) is not None
        and tok.word not in FUNCTION
        and tok.flag not in FUNCTION_FLAGS
    )


class Doc:
    """One article: its raw text, the normalized text rules run on, its words, and the
    text that labels and quotes are cut from (raw minus pinyin for a simplified article,
    where t2s could alter a correct character such as 乾; simplified for a traditional one)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.norm = text.normalize(raw)
        self.text = self.norm.text
        stripped = text.strip_pinyin(raw).text
        changed = sum(a != b for a, b in zip(stripped, self.text, strict=True))
        cjk = max(1, len(CJK.findall(self.text)))
        self.shown = self.text if changed / cjk > 0.02 else stripped
        self.mojibake = bytearray(len(self.text))
        source = self.norm.source
        for a, b in text.mojibake_spans(raw):
            lo = bisect.bisect_left(source, a)
            hi = bisect.bisect_left(source, b)
            self.mojibake[lo:hi] = b"\x01" * (hi - lo)
        self.garbled = bytearray(self.mojibake)  # and page navigation
        for m in _NAVIGATION.finditer(self.text):
            self.garbled[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        for m in _furniture().finditer(self.text):
            self.garbled[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
        self._traditional: dict[int, bool] = {}  # by line start
        self.tokens = tokens.cut(self.text)
        self.starts = [t.start for t in self.tokens]
        self.bounds = frozenset(self.starts) | {len(self.text)}

    def traditional(self, start: int, end: int) -> bool:
        """Whether the line holding ``start:end`` is written in traditional characters while
        the article shows simplified (a traditional headline on a simplified page): there
        the label is the simplified form. A simplified line in which t2s alters a correct
        character (乾 of 乾仓) is not."""
        if self.shown is self.text:
            return False
        left = self.text.rfind("\n", 0, start) + 1
        if left not in self._traditional:
            right = self.text.find("\n", end)
            right = len(self.text) if right < 0 else right
            pairs = zip(self.shown[left:right], self.text[left:right], strict=True)
            changed = sum(a != b for a, b in pairs)
            cjk = max(1, len(CJK.findall(self.text, left, right)))
            self._traditional[left] = changed / cjk > _TRADITIONAL_LINE
        return self._traditional[left]

    def token_at(self, index: int) -> int:
        """Index of the token covering character ``index``."""
        return bisect.bisect_right(self.starts, index) - 1

    def word_ends(
        self, suffix: str, claims: Claims, then: tuple[str, ...] = ()
    ) -> Iterator[tuple[int, int]]:
        """Each span of ``suffix`` that no earlier rule claimed, is not garbled and ends a
        word (科技园 of 科技园区, 中心 of 中心工作: the word goes on), or is followed by one of
        ``then`` inside the word (协会|会长, jieba's 协会会长): where the names built on a
        suffix (有限公司, 中心) may end."""
        text = self.text
        for m in re.finditer(re.escape(suffix), text):
            start, end = m.span()
            if claims.taken(start, end) or not self.clean(start, end):
                continue
            glued = end not in self.bounds and end < len(text) and CJK.match(text[end])
            if glued and not (then and text.startswith(then, end)):
                continue
            yield start, end

    def clean(self, start: int, end: int) -> bool:
        """No garbled (mojibake) character in the span: facts are not read from garbage."""
        return self.garbled.find(1, max(start, 0), max(end, 0)) < 0

    def walk_back(
        self,
        pos: int,
        max_len: int = 14,
        claims: Claims | None = None,
        flags: frozenset[str] = NAME_FLAGS,
        glue_chars: bool = False,
        timeword: bool = False,
        words: frozenset[str] = frozenset(),
    ) -> int:
        """Start of the name that ends at ``pos``: the run of name-like tokens before it.

        A token cut by ``pos`` (大 of 大酒店 when the suffix is 酒店) counts by its tag. With
        ``glue_chars``, one-character tokens that are not function words join the name
        whatever their tags when they reach the edge of the phrase (卖鱼桥社区 after
        punctuation, 东便社区 after 张槎) or are street and direction words (贾家弄新村);
        after another word they are a verb taking the place as its object (领导下村, 组团联村:
        no name). With ``timeword``, a time word that is not deictic joins too (未来研创园,
        not 今年).
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
                or (timeword and tok.flag == "t" and not any(c in DEICTIC for c in piece))
            )
            if not name_like and glue_chars and glue(tok):
                if tok.word in STREET or tok.word in "东西南北":
                    name_like = True
                else:
                    j = k
                    while j > 0 and glue(self.tokens[j - 1]):
                        j -= 1
                    before = self.tokens[j - 1] if j > 0 else None
                    if self.edge(j - 1, claims) or (
                        before is not None and before.flag in PROPER_FLAGS
                    ):  # 浙大超重力实验室: between two names, a character is part of one
                        glued, name_like = j, True
            if glue_chars and name_like and any(c in _NEVER_IN_NAMES for c in piece):
                cut = max(piece.rfind(c) for c in _NEVER_IN_NAMES) + 1
                if cut < len(piece):  # 地由|综合: jieba glued a preposition to a noun
                    start = tok.start + cut
                break
            if (
                not name_like
                or piece in not_names
                or not CJK.search(piece)
                or pos - tok.start > max_len
                or not self.clean(tok.start, pos)
                or (claims is not None and claims.taken(tok.start, pos))
            ):
                break
            start = tok.start
            k -= 1
        return start

    def edge(self, k: int, claims: Claims | None) -> bool:
        """Whether token ``k`` ends a phrase before a name: none (start of text), punctuation,
        a function word, a verb of two or more characters, or a name already claimed."""
        if k < 0:
            return True
        tok = self.tokens[k]
        return (
            not CJK.search(tok.word)
            or tok.word in FUNCTION
            or tok.flag in FUNCTION_FLAGS
            or (tok.flag == "v" and len(tok.word) >= 2)
            or (claims is not None and claims.taken(tok.start, tok.end))
            or not self.clean(tok.start, tok.end)
        )

    def clause(self, start: int, end: int, reach: int = 24) -> tuple[int, int]:
        """The clause around a span, at most ``reach`` characters each side: the quote."""
        left = start
        while left > 0 and start - left < reach:
            c = self.text[left - 1]
            if c in CLAUSE_STOP or self.garbled[left - 1]:
                break
            left -= 1
        right = end
        while right < len(self.text) and right - end < reach:
            c = self.text[right]
            if c in CLAUSE_STOP or self.garbled[right]:
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
        """Where the sentence holding ``pos`` starts."""
        while pos > 0 and self.text[pos - 1] not in SENTENCE_STOP:
            pos -= 1
        return pos

    def sentence_end(self, pos: int) -> int:
        """Where the sentence holding ``pos`` ends (at its stop, or the end of the text)."""
        while pos < len(self.text) and self.text[pos] not in SENTENCE_STOP:
            pos += 1
        return pos

    def proper(self, start: int, end: int) -> bool:
        """Whether a stem looks like a proper name: some word in it is rare or a tagged name."""
        threshold = lexicon().common_word_frequency
        k = self.token_at(start)
        while k < len(self.tokens) and self.tokens[k].start < end:
            tok = self.tokens[k]
            if (
                tok.flag in ("nr", "ns", "nz", "nrt", "nrfg")
                or tokens.frequency(tok.word) < threshold
            ):
                return True
            k += 1
        return False
