"""Article text: strict reading, normalization with offset maps, quote location.

Offsets everywhere in the project are Unicode code points in the NFC-normalized raw
article. Annotators may quote an article in traditional characters with pinyin inserts
(``復(fù)工``) in clean simplified Chinese (``复工``); :func:`normalize` builds the clean
text together with a map from each clean character back to the raw text, so a quote found
in the clean text still gets exact raw offsets, and the raw slice is what the graph keeps.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


class ArticleError(ValueError):
    """An unreadable article; the message is one line, ``path:line:col: what is wrong``."""

    def __init__(self, path: Path, line: int, col: int, reason: str):
        self.path, self.line, self.col, self.reason = path, line, col, reason
        super().__init__(f"{path}:{line}:{col}: {reason}")


class QuoteError(ValueError):
    """A quote that cannot be located in its article; the message is one line."""


def read_article(path: str | Path) -> str:
    """Read a text file as strict UTF-8 without a byte-order mark, NFC-normalized.

    A BOM is refused rather than stripped: it would silently shift every offset that an
    earlier tool computed on the same bytes. Invalid UTF-8 is reported with its line and
    column, so the user can find the damaged byte.
    """
    path = Path(path)
    data = path.read_bytes()
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
        line = text[: text.index("\x00")].count("\n") + 1
        raise ArticleError(path, line, 1, "file contains a NUL character; is it binary?")
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class Normalized:
    """A cleaned text and, for each of its characters, where it came from in the source.

    ``source[i]`` is the source index of ``text[i]``; ``source[len(text)]`` is the source
    length, so half-open spans map cleanly.
    """

    text: str
    source: tuple[int, ...]

    def to_raw(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to the half-open source span that produced it.

        The source span starts at the first character's source and ends just after the
        last character's source character: a pinyin insert *after* the last character is
        not included, one between two characters of the span is.
        """
        if not 0 <= start <= end <= len(self.text):
            raise ValueError(f"span {start}-{end} outside 0-{len(self.text)}")
        if start == end:
            return self.source[start], self.source[start]
        return self.source[start], self.source[end - 1] + 1

    def compose(self, inner: Normalized) -> Normalized:
        """``inner`` normalizes ``self.text``; the result maps ``inner.text`` to our source."""
        mapped = tuple(self.source[i] for i in inner.source[:-1])
        return Normalized(inner.text, (*mapped, self.source[-1]))


def identity(text: str) -> Normalized:
    return Normalized(text, tuple(range(len(text) + 1)))


TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_INSERT = re.compile(
    r"(?<=[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])"
    rf"[(（](?=[a-zü{TONE_VOWELS}]*[{TONE_VOWELS}])[a-zü{TONE_VOWELS}]{{1,7}}[)）]"
)
"""A romanization in parentheses right after a CJK character, with a tone mark: ``(fù)``.
The tone mark is required so that ordinary brackets (``(图片由…提供)``, ``(a)``) stay."""


def strip_pinyin(text: str) -> Normalized:
    """Remove pinyin inserts like ``復(fù)``, keeping a map back to ``text``.

    >>> n = strip_pinyin("復(fù)工復(fù)產(chǎn)")
    >>> n.text, n.to_raw(0, 4)
    ('復工復產', (0, 12))
    >>> strip_pinyin("(記者 丁淑華)").text
    '(記者 丁淑華)'
    """
    kept: list[str] = []
    source: list[int] = []
    last = 0
    for match in PINYIN_INSERT.finditer(text):
        kept.append(text[last : match.start()])
        source.extend(range(last, match.start()))
        last = match.end()
    kept.append(text[last:])
    source.extend(range(last, len(text)))
    source.append(len(text))
    return Normalized("".join(kept), tuple(source))


@functools.cache
def _t2s():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional to simplified Chinese with OpenCC's ``t2s`` (phrase-aware)."""
    return _t2s().convert(text)


def simplify(text: str) -> Normalized:
    """:func:`to_simplified` with an offset map.

    OpenCC's t2s keeps the length for almost all text; when a phrase conversion changes
    it, we fall back to converting character by character so the map stays exact.
    """
    converted = to_simplified(text)
    if len(converted) == len(text):
        return Normalized(converted, tuple(range(len(text) + 1)))
    chars = []
    for ch in text:
        one = to_simplified(ch)
        chars.append(one if len(one) == 1 else ch)
    return Normalized("".join(chars), tuple(range(len(text) + 1)))


@functools.lru_cache(maxsize=64)
def normalize(text: str) -> Normalized:
    """NFC, pinyin inserts removed, simplified characters: the text quotes are matched in."""
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        # NFC can merge characters; map each NFC character back through a per-char walk.
        return _normalize_nfc_changed(text)
    stripped = strip_pinyin(text)
    return stripped.compose(simplify(stripped.text))


def _normalize_nfc_changed(text: str) -> Normalized:
    chars: list[str] = []
    source: list[int] = []
    i = 0
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j])
        chars.append(piece)
        source.extend([i] * len(piece))
        i = j
    nfc = Normalized("".join(chars), (*source, len(text)))
    stripped = nfc.compose(strip_pinyin(nfc.text))
    return stripped.compose(simplify(stripped.text))


# ---------------------------------------------------------------- mojibake

MOJIBAKE_WINDOW = 5
CJK_RUN = re.compile(rf"[\u3400-\u9fff]{{{MOJIBAKE_WINDOW},}}")


def find_mojibake(text: str) -> list[tuple[int, int]]:
    """Spans of GBK mojibake: text whose bytes were decoded one byte out of step.

    A GBK byte stream read from the wrong byte gives a run of unrelated characters
    (``薄案沸侣方值`` for ``“阜新路街道``). We re-read each window of CJK characters one byte
    later; if that decodes cleanly into characters that are common in this very article,
    the window is garbled. The lost byte usually shows as ``?`` (with ``!``) just before the
    run, and a trail byte in the ASCII range as a letter just after it: both belong to it.
    """
    frequent = {c for c, n in Counter(text).items() if n >= 3}
    flagged: list[tuple[int, int]] = []
    for run in CJK_RUN.finditer(text):
        chars = run.group()
        for i in range(len(chars) - MOJIBAKE_WINDOW + 1):
            window = chars[i : i + MOJIBAKE_WINDOW]
            try:
                realigned = window.encode("gbk")[1:-1].decode("gbk")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            cjk = [c for c in realigned if "\u3400" <= c <= "\u9fff"]
            if len(cjk) >= 3 and all(c in frequent for c in cjk) and realigned not in chars:
                flagged.append((run.start() + i, run.start() + i + MOJIBAKE_WINDOW))
    spans: list[list[int]] = []
    for start, end in sorted(flagged):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    for span in spans:
        while span[0] > 0 and text[span[0] - 1] in "?!":
            span[0] -= 1
        if span[1] < len(text) and text[span[1]].isascii() and text[span[1]].isalpha():
            span[1] += 1
    return [(a, b) for a, b in spans]


@functools.lru_cache(maxsize=64)
def _mojibake(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(find_mojibake(text))


# ---------------------------------------------------------------- quotes


def _occurrences(needle: str, haystack: str) -> list[int]:
    found, at = [], haystack.find(needle)
    while at >= 0:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def locate(quote: str, text: str, occurrence: int | None = None) -> tuple[int, int]:
    """Find ``quote`` in the NFC raw ``text``; return its raw code-point span.

    An exact match in the raw text wins. Otherwise the quote is matched in the normalized
    text (pinyin removed, simplified) and mapped back. Matches overlapping a mojibake
    fragment do not count (a quote found only there is refused); a quote found several
    times needs ``occurrence`` (1-based).
    """
    if not quote.strip():
        raise QuoteError("quote is empty")
    quote = unicodedata.normalize("NFC", quote)
    starts = _occurrences(quote, text)
    spans = [(s, s + len(quote)) for s in starts]
    if not spans:
        clean = normalize(text)
        wanted = normalize(quote).text
        spans = [clean.to_raw(s, s + len(wanted)) for s in _occurrences(wanted, clean.text)]
    if not spans:
        raise QuoteError(f"quote not found; {_divergence(quote, text)}")
    garbled = _mojibake(text)
    readable = [s for s in spans if not any(s[0] < b and a < s[1] for a, b in garbled)]
    if not readable:
        raise QuoteError(
            "quote overlaps a garbled (mojibake) fragment; facts are not taken from garbled text"
        )
    spans = readable
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


def _divergence(quote: str, text: str) -> str:
    """Tell the annotator how much of the quote matches, to show where it goes wrong."""
    clean = normalize(text).text
    wanted = normalize(quote).text
    best = 0
    for size in range(len(wanted), 0, -1):
        if wanted[:size] in clean:
            best = size
            break
    if best == 0:
        return "no part of it is in the article: check the article file"
    shown = wanted[:best] if best <= 20 else "…" + wanted[best - 20 : best]
    return f"the article has {shown!r} but not what follows ({wanted[best : best + 10]!r}…)"
