"""Article text: strict reading, normalization with offset maps, mojibake, quote location.

Offsets everywhere in the project are Unicode code points in the NFC-normalized raw
article, as :func:`read_article` returns it. Annotators quote an article that is written in
traditional characters with pinyin inserts (``復(fù)工``) in clean simplified Chinese
(``复工``); :func:`normalize` builds the clean text together with a map from each clean
character back to the raw text, so a quote found in the clean text still gets exact raw
offsets, and the raw slice is what the graph keeps as evidence.

Nothing here does work at import time: OpenCC and the word list used to recognise mojibake
are loaded on first use and cached.
"""

from __future__ import annotations

import functools
import importlib.util
import itertools
import operator
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KgError

if TYPE_CHECKING:
    from collections.abc import Iterator

    import opencc

__all__ = [
    "ArticleError",
    "Normalized",
    "QuoteError",
    "decode_article",
    "find_mojibake",
    "locate",
    "mojibake_spans",
    "normalize",
    "occurrences",
    "read_article",
    "strip_pinyin",
    "to_simplified",
]


class ArticleError(KgError, ValueError):
    """An unreadable article; the message is one line, ``path:line:col: what is wrong``.

    The parts stay available (``path``, ``line``, ``col``, ``reason``) so that callers that
    report errors in their own format (fact files, the CLI) need not parse the message.
    """

    def __init__(self, path: Path, line: int, col: int, reason: str):
        self.path, self.line, self.col, self.reason = path, line, col, reason
        super().__init__(f"{path}:{line}:{col}: {reason}")


class QuoteError(ValueError):
    """A quote that cannot be located in its article; the message is one line."""


# ---------------------------------------------------------------- reading


MAX_TEXT_BYTES = 20_000_000
"""An article or fact file larger than this is refused (the seeds are 6-11 KB)."""


def read_article(path: str | Path, limit: int = MAX_TEXT_BYTES) -> str:
    """Read a text file as strict UTF-8 without a byte-order mark, NFC-normalized.

    Only a regular file is read, and at most ``limit`` bytes of it: ``/dev/zero``, a FIFO
    or a folder is refused at once (see :mod:`kg.inputs`).

    The raw bytes are the source of truth, so nothing is repaired silently: a BOM is refused
    rather than stripped (stripping it would shift every offset another tool computed on
    the same bytes), and invalid UTF-8 is reported with its line, column and byte offset so
    the damaged byte can be found. NFC is applied because offsets are defined on the NFC
    text: the same visible character must have one code-point length whatever editor saved
    the file.
    """
    from kg.inputs import InputError, read_bytes

    path = Path(path)
    try:
        data = read_bytes(path, limit=limit, what="text file")
    except InputError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        raise ArticleError(path, 1, 1, reason) from None
    return decode_article(data, path, limit)


def decode_article(data: bytes, path: str | Path, limit: int = MAX_TEXT_BYTES) -> str:
    """The checks and normalization of :func:`read_article` on bytes read elsewhere (an
    article piped to ``kg extract -``); ``path`` is how errors name them."""
    path = Path(path)
    if len(data) > limit:
        raise ArticleError(path, 1, 1, f"larger than {limit:,} bytes; is it an article?")
    if data.startswith(b"\xef\xbb\xbf"):
        raise ArticleError(path, 1, 1, "file starts with a UTF-8 byte-order mark; remove it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        raise ArticleError(
            path,
            line,
            col,
            f"invalid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8",
        ) from None
    if "\x00" in text:
        before_nul = text[: text.index("\x00")]
        line = before_nul.count("\n") + 1
        col = len(before_nul) - (before_nul.rfind("\n") + 1) + 1
        raise ArticleError(path, line, col, "file contains a NUL character; is it binary?")
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- offset maps


@dataclass(frozen=True)
class Normalized:
    """A cleaned text and, for each of its characters, where it came from in the raw text.

    ``source[i]`` is the raw index of ``text[i]`` and ``source[len(text)]`` is the raw
    length, so half-open spans map cleanly. Every normalization step here either deletes
    raw characters (pinyin inserts) or replaces one character by one character (t2s), so
    each clean character stands for exactly one raw character and ``source`` is strictly
    increasing.
    """

    text: str
    source: tuple[int, ...]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to the half-open raw span that produced it.

        The raw span runs from the first character's raw position to just after the last
        character's raw position. So a pinyin insert *between* two characters of the span
        is inside it (``復(fù)工`` for ``复工``), while one *after the last* character is
        not (``青島新聞網`` for ``青岛新闻网``, leaving the ``(wǎng)`` that follows): the
        quote ends with the character the annotator quoted, the insert being a gloss on it.
        An empty span maps to an empty raw span at the raw position of ``text[start]``.

        >>> n = strip_pinyin("網(wǎng)絡(luò)")
        >>> n.text, n.to_raw(0, 2), n.to_raw(0, 1), n.to_raw(1, 2)
        ('網絡', (0, 8), (0, 1), (7, 8))
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}-{end} outside 0-{len(self.text)}")
        if start == end:
            return self.source[start], self.source[start]
        return self.source[start], self.source[end - 1] + 1


# ---------------------------------------------------------------- pinyin inserts

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿếề"
_PINYIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzüê" + _TONED)
_PINYIN_CANDIDATE = re.compile(
    rf"(?<=[{_CJK}])[(（]([a-zü{_TONED}ê\u0300\u0301\u0304\u0308\u030c]{{1,12}})[)）]"
)


def _is_pinyin(inner: str) -> bool:
    """One romanized syllable with a tone mark: 1-6 letters once composed (NFC).

    The tone mark is what tells a pinyin gloss from ordinary brackets such as ``(a)`` or
    ``(图片由锦南街道提供)``; a neutral-tone gloss like ``(de)`` is therefore kept, which
    costs little (the quote still matches with the insert present) and never eats text.
    """
    syllable = unicodedata.normalize("NFC", inner)
    if not 1 <= len(syllable) <= 6 or not set(syllable) <= _PINYIN_LETTERS:
        return False
    return any(c in _TONED for c in syllable)


def strip_pinyin(text: str) -> Normalized:
    """Remove pinyin inserts like ``復(fù)``, keeping a map back to ``text``.

    An insert is a pair of brackets (ASCII or fullwidth) right after a CJK character,
    holding one lowercase syllable with a tone mark (precomposed or combining). Anything
    else in brackets stays, so reporters' bylines and captions survive.

    >>> n = strip_pinyin("復(fù)工復(fù)產(chǎn)")
    >>> n.text, n.to_raw(0, 4)
    ('復工復產', (0, 12))
    >>> strip_pinyin("(記者 丁淑華)(2019-2022年)(a)").text
    '(記者 丁淑華)(2019-2022年)(a)'
    """
    kept: list[str] = []
    source: list[int] = []
    last = 0
    for match in _PINYIN_CANDIDATE.finditer(text):
        if not _is_pinyin(match.group(1)):
            continue
        kept.append(text[last : match.start()])
        source.extend(range(last, match.start()))
        last = match.end()
    if last == 0:
        return Normalized(text, tuple(range(len(text) + 1)))
    kept.append(text[last:])
    source.extend(range(last, len(text)))
    source.append(len(text))
    return Normalized("".join(kept), tuple(source))


# ---------------------------------------------------------------- traditional -> simplified


@functools.cache
def _opencc_t2s() -> opencc.OpenCC:
    """The OpenCC converter, built once (loading its dictionaries takes ~25 ms)."""
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese with OpenCC's phrase-aware ``t2s``.

    OpenCC picks one reading for one-to-many characters: ``乾`` becomes ``干`` except in
    phrases it knows (``乾隆``), ``著`` and ``覆`` stay as they are. Text that is already
    simplified is mostly unchanged, but not always (``乾仓`` becomes ``干仓``): never use
    this to produce a label from simplified text, only to match.
    """
    try:
        return _opencc_t2s().convert(text)
    except UnicodeEncodeError:  # lone surrogates cannot cross into OpenCC; keep them as is
        return "".join(c if "\ud800" <= c <= "\udfff" else _opencc_t2s().convert(c) for c in text)


def _simplify_chars(text: str) -> str:
    """t2s character by character: every character stays in place, so offsets survive.

    Phrase rules are left out on purpose (``乾隆`` becomes ``干隆``): then normalizing a
    slice of a text gives the same as slicing the normalized text, which is what lets a
    quote found in the normalized text be checked against its raw slice, and a quote be
    normalized without its context. One OpenCC call converts all distinct characters,
    separated by line breaks, which no dictionary entry crosses.
    """
    new = set(text) - _T2S_KNOWN
    if new:
        # Each character converts on its own, so its result can be kept for every later
        # text: a corpus converts each distinct character once instead of once per quote.
        distinct = sorted(new - {"\n"})
        converted = to_simplified("\n".join(distinct)).split("\n")
        if len(converted) != len(distinct):  # cannot happen with OpenCC's dictionaries
            converted = [to_simplified(c) for c in distinct]
        for c, s in zip(distinct, converted, strict=True):
            if len(s) == 1 and s != c:
                _T2S_TABLE[ord(c)] = s
        _T2S_KNOWN.update(new)
    return text.translate(_T2S_TABLE)


_T2S_TABLE: dict[int, str] = {}
"""Character -> its one-character t2s form, for the characters seen so far that change."""
_T2S_KNOWN: set[str] = set()
"""Every character already looked up (changing or not)."""


@functools.lru_cache(maxsize=256)
def normalize(text: str) -> Normalized:
    """NFC, pinyin inserts removed, simplified characters: the text quotes are matched in.

    Simplification is OpenCC t2s applied to each character on its own (see
    :func:`_simplify_chars`), so ``normalize(raw[a:b]).text`` equals the normalized text
    of the span that :meth:`Normalized.to_raw` maps to ``[a, b)``.

    The offset map points into ``unicodedata.normalize("NFC", text)``, which is ``text``
    itself for anything :func:`read_article` returned (the project's raw texts). Cached per
    text, because every quote of an article is located in the same normalized text.

    >>> n = normalize("市北區(qū)阜新路街道黨工委")
    >>> n.text, n.to_raw(0, 3), n.to_raw(0, 4)
    ('市北区阜新路街道党工委', (0, 3), (0, 8))
    """
    return _normalize(text)


def _normalize(text: str) -> Normalized:
    """:func:`normalize` without the cache, for quotes: they must not evict articles."""
    stripped = strip_pinyin(unicodedata.normalize("NFC", text))
    return Normalized(_simplify_chars(stripped.text), stripped.source)


# One-to-many conversions that t2s (character by character) resolves one way while writers
# of simplified Chinese often write the other: 003 has 隨著 where a simplified quote says
# 随着; OpenCC's phrase rules give 凭借 for 憑藉. Used only as a last resort when locating a
# quote, never to produce text.
_VARIANTS = str.maketrans(
    "著瞭藉覆甦乾於徵麼麽沈衹祇彷餘馀谿昇陞閒鍾锺脩祕蒐氾釐剋逕迳鉅钜濛",
    "着了借复苏干于征么么沉只只仿余余溪升升闲钟钟修秘搜泛厘克径径巨巨蒙",
)


def _fold(text: str) -> str:
    return text.translate(_VARIANTS)


# ---------------------------------------------------------------- mojibake


@functools.cache
def _gbk(char: str) -> bytes | None:
    """The two GBK bytes of a character, or None for ASCII and characters GBK lacks."""
    try:
        encoded = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) == 2 else None


@functools.cache
def _word_bigrams() -> frozenset[str]:
    """Two-character words of jieba's dictionary (~110 k): what Chinese text looks like.

    Read straight from the file (no jieba import, no model build); empty if jieba is
    missing, in which case only the article's own vocabulary is used.
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
    try:
        words = path.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(re.findall(r"^(\S\S) ", words, re.MULTILINE))


_LOST_BYTE = "?？!！\ufffd"
"""What a decoder leaves where a GBK stream lost a byte: a replacement character, or the
fullwidth ``！`` (A3 A1, the shifted halves of ``。`` and a quotation mark), which some
pipelines then turn into ASCII ``!``."""

_MOJIBAKE_MIN = 4
"""Fewer garbled characters than this cannot be told from a rare word, so are not flagged."""


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Spans of garbled text (mojibake), so that facts are never taken from them.

    Two kinds are recognised, both by decoding the bytes in the way that undoes the damage
    and checking that the result is Chinese text while the damaged form is not:

    * A GBK byte stream read one byte out of step (article 003): a lost byte makes each
      character out of the trailing byte of one and the leading byte of the next
      (``阜新路街道`` → ``案沸侣方值``). Re-reading the bytes one byte later gives
      characters whose neighbouring pairs are words (in jieba's dictionary, or frequent in
      this article), while the pairs of the garbled form are not words. The garbling lasts
      until an ASCII byte resynchronizes the decoder, so the span runs to the end of the
      double-byte run, takes in the lost-byte marker before it (``?``, ``！``, or ``!``) and
      the ASCII trail byte after it when that byte completes a character (``婪e`` → ``道積``).
    * UTF-8 bytes read as GBK (``鍏徃`` for ``公司``): a run whose GBK bytes are valid
      UTF-8 spelling at least four CJK characters. Ordinary text almost never is.

    Any U+FFFD replacement character is a span too. Fragments shorter than about six
    characters cannot be told from rare words and may be missed; in simulations on the
    seed articles fragments of nine or more characters were all found, with no false
    alarm in 200 k characters of ordinary text.

    Spans are raw code-point offsets, sorted and disjoint. A span never splits a character.
    """
    runs = _double_byte_runs(text)
    spans = _shifted_gbk(text, runs) + _utf8_as_gbk(text, runs)
    spans += [m.span() for m in re.finditer("\ufffd+", text)]  # bytes a decoder gave up on
    return _merge(text, spans)


@functools.cache
def _double_byte() -> re.Pattern[str]:
    """A run of characters that GBK writes in two bytes, as one regular expression.

    Made once per process from the codec itself, all characters in one call (each
    line of the encoded text is one character's bytes, empty where GBK lacks it):
    finding the runs is then one scan in C instead of a codec lookup per character.
    """
    codes = range(0x80, 0x10000)
    encoded = "\n".join(map(chr, codes)).encode("gbk", errors="ignore").split(b"\n")
    ranges: list[list[int]] = []
    for code, data in zip(codes, encoded, strict=True):
        if len(data) != 2:
            continue
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ranges) + "]+")


def _double_byte_runs(text: str) -> list[tuple[int, int, bytes]]:
    """Each maximal run of double-byte GBK characters: start, end and its GBK bytes."""
    return [(m.start(), m.end(), m.group().encode("gbk")) for m in _double_byte().finditer(text)]


# Scores of the shifted-GBK test, from measurements on the five seed articles and their
# traditional forms: 50-57 % of the adjacent CJK pairs of real text are words (jieba's
# two-character words, or pairs frequent in the article), 0.2 % of those of garbled text.
# A pair that is a word is then worth log(0.5 / 0.002) = 5.5 for "this is text", one that
# is not log(0.998 / 0.5) = 0.7 against; a reading must win by 10 (two words' worth).
_WORD, _NON_WORD, _MARGIN = 5.5, 0.7, 10.0


def _shifted_gbk(text: str, runs: list[tuple[int, int, bytes]]) -> list[tuple[int, int]]:
    words = _word_bigrams()
    clean = normalize(text).text
    # The article's own vocabulary (names, places) counts only for the re-read text: a
    # garbled fragment repeated in the article must not vouch for itself.
    local = Counter(map(operator.add, clean, clean[1:]))
    frequent = {pair for pair, count in local.items() if count >= 3}

    def gains(now: str, then: str) -> list[float]:
        """Per adjacent pair of a run, what re-reading gains as evidence of Chinese text
        (a word 5.5, a non-word -0.7, a pair that is not two CJK 0), summed from the
        run's end backwards: ``result[k]`` is the gain of starting ``k + 2`` before the
        end. Pairs are made and looked up in C (``map``), one comprehension per run."""
        diff = [
            (0.0 if " " in t else _WORD if t in words or t in frequent else -_NON_WORD)
            - (0.0 if " " in w else _WORD if w in words else -_NON_WORD)
            for w, t in zip(
                map(operator.add, now, now[1:]), map(operator.add, then, then[1:]), strict=True
            )
        ]
        return list(itertools.accumulate(reversed(diff)))

    # Simplified once for the whole text and for all re-read runs together (t2s is applied
    # character by character, so a slice of the simplified text is the simplified slice);
    # every character that is not CJK then becomes a space, which no word contains.
    simple = _NOT_CJK.sub(" ", _simplify_chars(text))
    long_runs = [(start, end, data) for start, end, data in runs if end - start >= _MOJIBAKE_MIN]
    rereads = _simplify_chars("\n".join(_reread(data, e - s) for s, e, data in long_runs))
    rereads = _NOT_CJK.sub(" ", rereads)
    spans = []
    at = 0
    for start, end, data in long_runs:
        n = end - start
        # reread[j] is made of the second byte of character j and the first of j + 1: the
        # text as it was if a byte was lost before character j.
        reread, at = rereads[at : at + n - 1], at + n
        # Garbling lasts to the end of the run (only an ASCII byte resynchronizes GBK), so
        # try each start and keep the one where re-reading gains most (the latest start
        # of those that gain as much).
        summed = gains(simple[start:end], reread + " ")
        best = max(summed)
        if best < _MARGIN:
            continue
        best_at = n - 2 - summed.index(best)
        if n - best_at < _MOJIBAKE_MIN:
            continue
        # Its edges may re-read as punctuation, which scores nothing: snap to the run start.
        begin = start if best_at <= 2 else start + best_at
        stop = end
        after = text[end] if end < len(text) else ""
        if after and "@" <= after <= "~" and _decode_gbk(data[-1:] + after.encode()):
            stop = end + 1  # the ASCII trail byte that resynchronized the decoder
        elif after in ("?", "\ufffd"):
            stop = end + 1  # the byte left over when the decoder resynchronized
        while begin > start - 3 and begin > 0 and text[begin - 1] in _LOST_BYTE:
            begin -= 1
        spans.append((begin, stop))
    return spans


_NOT_CJK = re.compile("[^\u3400-\u9fff\uf900-\ufaff]")
"""A character outside the CJK ranges whose pairs the shifted-GBK test scores."""

_NOT_ONE_CHARACTER = re.compile("^(?![^\x00-\x7f\ufffd]\n)[^\n]*\n", re.MULTILINE)
"""A line of decoded pairs that is not exactly one double-byte character."""


def _reread(data: bytes, n: int) -> str:
    """The ``n - 1`` characters of a GBK run of ``n`` read one byte later (" " where two
    bytes make no character).

    One decoder call for the whole run: the shifted bytes are cut into pairs, each pair
    put on a line of its own (no GBK byte of a double-byte character is a line break, and
    a decoder that stumbles on a pair resumes at the line break), and every line that is
    not one character becomes a space: what decoding each pair alone gives.
    """
    shifted = data[1:-1]
    lines = bytearray(3 * (n - 1))
    lines[0::3], lines[1::3], lines[2::3] = shifted[0::2], shifted[1::2], b"\n" * (n - 1)
    decoded = lines.decode("gbk", errors="replace")
    return _NOT_ONE_CHARACTER.sub(" \n", decoded).replace("\n", "")


# Where a run of GBK bytes may spell UTF-8 CJK text: a lead byte E3-E9 and two continuation
# bytes (U+3000-U+9FFF); any other position spells no CJK character.
_UTF8_CJK_START = re.compile(rb"[\xe3-\xe9][\x80-\xbf]{2}")


def _utf8_as_gbk(text: str, runs: list[tuple[int, int, bytes]]) -> list[tuple[int, int]]:
    spans = []
    for start, end, data in runs:
        if _UTF8_CJK_START.search(data) is None:
            continue  # not one UTF-8 CJK character anywhere in the run
        n = end - start
        # Next to a replacement character the decoder already gave up, so less evidence is
        # needed; there the UTF-8 may also start mid-character (its lead byte was eaten).
        lost_before = start > 0 and text[start - 1] == "\ufffd"
        lost_after = end < len(text) and text[end] == "\ufffd"
        i = 0
        while i < n:
            decoded, last = 0, 0
            for skip in range(3 if i == 0 and lost_before else 1):
                at = 2 * i + skip
                if not all(0x80 <= byte <= 0xBF for byte in data[2 * i : at]):
                    break  # only continuation bytes can be left of a lost lead byte
                count, used = _utf8_cjk_prefix(data, at)
                if count > decoded:
                    decoded, last = count, at + used
            edge = (i == 0 and lost_before) or (last >= 2 * n - 2 and lost_after)
            if decoded >= (2 if edge else _MOJIBAKE_MIN):
                # An odd number of UTF-8 characters leaves their last byte in a GBK
                # character shared with what follows: that character is garbled too.
                stop = min(n, (last + 1) // 2)
                spans.append((start + i, start + stop))
                i = stop
            else:
                i += 1
    return spans


def _utf8_cjk_prefix(data: bytes, start: int = 0) -> tuple[int, int]:
    """How many CJK characters (and bytes) ``data`` spells in UTF-8 from ``start`` on."""
    count = used = 0
    if not _UTF8_CJK_START.match(data, start):
        return 0, 0
    while start + used + 3 <= len(data):
        try:
            char = data[start + used : start + used + 3].decode("utf-8")
        except UnicodeDecodeError:
            break
        if not ("\u3400" <= char <= "\u9fff" or "\u3000" <= char <= "\u303f"):
            break
        count += 1
        used += 3
    return count, used


def _decode_gbk(data: bytes) -> str | None:
    try:
        char = data.decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 and not char.isascii() else None


def _merge(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, disjoint spans; two spans parted by lost-byte markers or by one or two
    double-byte characters (too short to judge, and garbled in all likelihood) become one."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        gap = text[merged[-1][1] : start] if merged else None
        if gap is not None and (
            all(c in _LOST_BYTE for c in gap)
            or (len(gap) <= 2 and all(_gbk(c) is not None for c in gap))
        ):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


@functools.lru_cache(maxsize=256)
def _mojibake(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(find_mojibake(text))


@functools.lru_cache(maxsize=256)
def _is_nfc(text: str) -> bool:
    """Whether a text is NFC, checked once per text: every quote of an article is located
    in the same text, and checking a long one each time made drafting it quadratic."""
    return unicodedata.is_normalized("NFC", text)


def mojibake_spans(text: str) -> tuple[tuple[int, int], ...]:
    """:func:`find_mojibake`, computed once per text: :func:`locate` needs the same spans
    for every quote of an article, and the extractor for the article itself."""
    return _mojibake(text)


# ---------------------------------------------------------------- quotes


def _occurrences(needle: str, haystack: str) -> list[int]:
    """Every start of ``needle`` in ``haystack``, overlapping ones included."""
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def _matches(quote: str, text: str) -> Iterator[list[tuple[int, int]]]:
    """Raw spans of the quote at each matching level, strictest first.

    Level 1 is the raw text itself; level 2 the normalized text (pinyin removed,
    simplified) against the normalized quote; level 3 the same with one-to-many variants
    folded (著/着). :func:`locate` stops at the first level with a readable match, so a
    stricter match is never made ambiguous by a looser one.
    """
    yield [(s, s + len(quote)) for s in _occurrences(quote, text)]
    clean = normalize(text)
    wanted = _normalize(quote).text
    for transform in (str, _fold):
        needle = transform(wanted)
        hay = transform(clean.text)
        yield [clean.to_raw(s, s + len(needle)) for s in _occurrences(needle, hay)]


def _readable(quote: str, text: str) -> tuple[list[tuple[int, int]], bool]:
    """The raw spans of the quote at the strictest level that has readable ones, and
    whether matches inside mojibake were left out."""
    garbled = _mojibake(text)
    in_mojibake = False
    for level in _matches(quote, text):
        readable = [s for s in level if not any(s[0] < b and a < s[1] for a, b in garbled)]
        in_mojibake = in_mojibake or len(readable) < len(level)
        if readable:
            return readable, in_mojibake
    return [], in_mojibake


def occurrences(quote: str, text: str) -> list[tuple[int, int]]:
    """Every span :func:`locate` may answer for the quote, in text order (the N-th is its
    ``occurrence: N``); empty when it would find none. One pass, for callers that need the
    occurrence of a span (the extractor quoting a long article)."""
    if not quote.strip() or not _is_nfc(text):
        return []
    return _readable(unicodedata.normalize("NFC", quote), text)[0]


def locate(quote: str, text: str, occurrence: int | None = None) -> tuple[int, int]:
    """Find ``quote`` in the NFC raw ``text``; return its raw code-point span ``[start, end)``.

    An exact match in the raw text wins. Otherwise the quote is matched in the normalized
    text (pinyin inserts removed, simplified) and mapped back, so ``复工复产率78.19%`` finds
    ``復(fù)工復(fù)產(chǎn)率78.19%``; a pinyin insert after the last quoted character is left
    out (see :meth:`Normalized.to_raw`). As a last resort a few one-to-many variants that
    t2s cannot settle are treated as equal (``随着`` finds ``隨著``). Nothing else is
    loosened: punctuation and spaces must be as in the article.

    Matches overlapping a mojibake fragment (:func:`find_mojibake`) do not count, and a
    quote found only there is refused. A quote found several times needs ``occurrence``
    (1-based), counted among the readable matches in text order.

    Raises :class:`QuoteError` (one line) when the quote is empty, not found (saying how
    much of it the article has, to show where it diverges), only in mojibake, ambiguous,
    or when ``occurrence`` is out of range; ``ValueError`` when ``text`` is not NFC.
    """
    if not quote.strip():
        raise QuoteError("quote is empty")
    if occurrence is not None and occurrence < 1:
        raise QuoteError(f"occurrence {occurrence} asked, but occurrences count from 1")
    if not _is_nfc(text):
        raise ValueError("locate() needs the NFC text that read_article() returns")
    quote = unicodedata.normalize("NFC", quote)
    spans, in_mojibake = _readable(quote, text)
    if not spans:
        if in_mojibake:
            raise QuoteError(
                "quote overlaps a garbled (mojibake) fragment; "
                "facts are not taken from garbled text"
            )
        raise QuoteError(f"quote not found; {_invisible(quote, text) or _divergence(quote, text)}")
    if occurrence is None and len(spans) > 1:
        raise QuoteError(
            f"quote occurs {len(spans)} times; add 'occurrence: N' (1 to {len(spans)}) "
            "or quote more words"
        )
    index = (occurrence or 1) - 1
    if index >= len(spans):
        raise QuoteError(
            f"occurrence {occurrence} asked, but the quote occurs {len(spans)} "
            f"time{'s' if len(spans) > 1 else ''}"
        )
    return spans[index]


INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""Characters that show as nothing: soft hyphen, zero-width spaces and joiners, bidi
controls, word joiners, a stray byte-order mark."""


def _invisible(quote: str, text: str) -> str | None:
    """Why a quote that looks right is not found: an invisible character in the article.

    >>> _invisible("锦南街道", "锦南\u200b街道")[:62]
    'the article has an invisible U+200B ZERO WIDTH SPACE inside it'
    """
    if not INVISIBLE.search(text):
        return None
    kept = [i for i, ch in enumerate(text) if not INVISIBLE.match(ch)]
    stripped = "".join(text[i] for i in kept)
    at = stripped.find(unicodedata.normalize("NFC", quote))
    if at < 0 or not quote:
        return None
    start, end = kept[at], kept[at + len(quote) - 1] + 1
    where = next(i for i in range(start, end) if INVISIBLE.match(text[i]))
    line = text.count("\n", 0, where) + 1
    col = where - (text.rfind("\n", 0, where) + 1) + 1
    name = unicodedata.name(text[where], "invisible character")
    return (
        f"the article has an invisible U+{ord(text[where]):04X} {name} inside it (line {line}, "
        f"column {col}); quote it with that character, or remove it from the article"
    )


def _divergence(quote: str, text: str) -> str:
    """Tell the annotator how much of the quote the article has, to show where it diverges."""
    clean = _fold(normalize(text).text)
    wanted = _normalize(quote).text  # shown as the annotator wrote it, minus the pinyin
    folded = _fold(wanted)
    best = 0
    while best < len(folded) and folded[: best + 1] in clean:
        best += 1
    if best == 0:
        return "no part of it is in the article: check the article file"
    shown = wanted[:best] if best <= 20 else "…" + wanted[best - 20 : best]
    return f"the article has {shown!r} but not what follows ({wanted[best : best + 10]!r}…)"
