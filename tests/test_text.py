"""Text normalization and quote location, on the real articles and on generated text."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import text

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
A003 = ARTICLES / "003_f39b3718e999e5d7.txt"


@pytest.fixture(scope="module")
def raw003() -> str:
    return text.read_article(A003)


def test_simplified_quote_maps_to_raw_traditional_span(raw003):
    start, end = text.locate("复工复产率78.19%", raw003)
    assert raw003[start:end] == "復(fù)工復(fù)產(chǎn)率78.19%"


def test_title_maps_without_the_trailing_pinyin(raw003):
    start, end = text.locate("青岛新闻网", raw003)
    assert raw003[start:end] == "青島新聞網"
    assert raw003[end : end + 6] == "(wǎng)"


def test_repeated_quote_needs_occurrence(raw003):
    with pytest.raises(text.QuoteError, match="occurs 2 times; add 'occurrence: N'"):
        text.locate("阜新路街道党工委书记王国雷", raw003)
    first = text.locate("阜新路街道党工委书记王国雷", raw003, 1)
    second = text.locate("阜新路街道党工委书记王国雷", raw003, 2)
    assert first < second
    with pytest.raises(text.QuoteError, match="occurrence 3 asked, but the quote occurs 2 times"):
        text.locate("阜新路街道党工委书记王国雷", raw003, 3)


def test_mojibake_found_in_003_only_and_refused(raw003):
    spans = text.find_mojibake(raw003)
    assert [raw003[a:b] for a, b in spans] == ["?!薄案沸侣方值婪e", "?!薄案沸侣方值傈h"]
    for path in sorted(ARTICLES.glob("*.txt")):
        if path != A003:
            assert text.find_mojibake(text.read_article(path)) == [], path.name
    with pytest.raises(text.QuoteError, match="mojibake"):
        text.locate("薄案沸侣", raw003)


def test_pinyin_stripping_leaves_ordinary_brackets(raw003):
    assert "(記者 丁淑華 通訊員 周琨瑋 李世政)" in text.strip_pinyin(raw003).text
    for path in sorted(ARTICLES.glob("*.txt")):
        if path != A003:
            raw = text.read_article(path)
            assert text.strip_pinyin(raw).text == raw, path.name
    assert "(" not in text.normalize(raw003).text.replace("(記者", "").replace("(记者", "")


def test_not_found_says_where_the_quote_diverges(raw003):
    with pytest.raises(text.QuoteError, match="the article has '阜新路街道党工委书记' but not"):
        text.locate("阜新路街道党工委书记李四", raw003)
    with pytest.raises(text.QuoteError, match="quote is empty"):
        text.locate("   ", raw003)


def test_read_article_refuses_bom_and_bad_utf8_and_applies_nfc(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfabc")
    with pytest.raises(text.ArticleError, match=r"bom.txt:1:1: file starts with a UTF-8 byte"):
        text.read_article(bom)
    bad = tmp_path / "bad.txt"
    bad.write_bytes("第一行\n第二行".encode() + b"\xff")
    with pytest.raises(text.ArticleError, match=r"bad.txt:2:4: invalid UTF-8 \(byte 0xff"):
        text.read_article(bad)
    decomposed = tmp_path / "nfd.txt"
    decomposed.write_text("Cafe\u0301 \u1100\u1161", encoding="utf-8")
    assert text.read_article(decomposed) == "Café \uac00"


PINYIN = st.sampled_from(["(fù)", "(chǎn)", "(wǎng)", "(yè)", "(lǐng)", "（zhàn）"])
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
PIECE = st.one_of(
    st.tuples(CJK, PINYIN).map("".join),
    CJK,
    st.sampled_from(list("復產業區務發現領責導經監網優調聯們個為進實這時與門對會")),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Co", "Cn")),
    st.sampled_from(["😀", " ", "\u00a0", "(a)", "(記者 丁淑華)", "ü", "e\u0301"]),
)


@given(st.lists(PIECE, max_size=60).map("".join), st.data())
@settings(max_examples=300, deadline=None)
def test_offset_map_round_trips(source, data):
    source = unicodedata.normalize("NFC", source)
    clean = text.normalize(source)
    assert len(clean.source) == len(clean.text) + 1
    assert clean.source[-1] == len(source)
    assert list(clean.source) == sorted(clean.source)
    if not clean.text:
        return
    start = data.draw(st.integers(0, len(clean.text) - 1))
    end = data.draw(st.integers(start + 1, len(clean.text)))
    raw_start, raw_end = clean.to_raw(start, end)
    assert 0 <= raw_start < raw_end <= len(source)
    assert text.normalize(source[raw_start:raw_end]).text == clean.text[start:end]


@given(st.lists(st.tuples(CJK, st.one_of(st.just(""), PINYIN)), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_locate_finds_simplified_quote_of_pinyin_text(pairs):
    raw = "前言。" + "".join(c + p for c, p in pairs) + "。后记"
    quote = text.to_simplified("".join(c for c, _ in pairs))
    clean = text.normalize(raw).text
    if clean.count(text.normalize(quote).text) != 1:
        return  # repeated quotes are covered by their own test
    start, end = text.locate(quote, raw)
    assert text.normalize(raw[start:end]).text == text.normalize(quote).text
