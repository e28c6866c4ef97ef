"""Text normalization, mojibake and quote location, on the real articles and generated text."""

from __future__ import annotations

import doctest
import itertools
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import text

ARTICLES = Path(__file__).resolve().parent.parent / "data" / "articles"
A003 = ARTICLES / "003_f39b3718e999e5d7.txt"
OTHERS = sorted(p for p in ARTICLES.glob("*.txt") if p != A003)
TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


@pytest.fixture(scope="module")
def raw003() -> str:
    return text.read_article(A003)


def test_module_doctests():
    assert doctest.testmod(text).failed == 0


def test_nothing_is_loaded_at_import():
    """OpenCC and the word list load on first use, in a fresh interpreter."""
    code = (
        "from kg import text as t; "
        "print(t._opencc_t2s.cache_info().currsize, t._word_bigrams.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0"]


# ---------------------------------------------------------------- article 003


def test_simplified_quote_maps_to_raw_traditional_span(raw003):
    start, end = text.locate("复工复产率78.19%", raw003)
    assert raw003[start:end] == "復(fù)工復(fù)產(chǎn)率78.19%"


def test_title_maps_without_the_trailing_pinyin(raw003):
    """Decision: an insert after the last quoted character is not part of the span."""
    start, end = text.locate("青岛新闻网", raw003)
    assert raw003[start:end] == "青島新聞網"
    assert raw003[end : end + 6] == "(wǎng)"
    # ... while inserts between quoted characters are.
    start, end = text.locate("青岛新闻网3月21日", raw003)
    assert raw003[start:end] == "青島新聞網(wǎng)3月21日"


def test_repeated_quote_needs_occurrence(raw003):
    quote = "阜新路街道党工委书记王国雷"
    with pytest.raises(text.QuoteError, match=r"^quote occurs 2 times; add 'occurrence: N' \(1"):
        text.locate(quote, raw003)
    first = text.locate(quote, raw003, 1)
    second = text.locate(quote, raw003, 2)
    assert first[1] <= second[0]
    for start, end in (first, second):
        assert raw003[start:end] == "阜新路街道黨工委書記王國雷"
    with pytest.raises(
        text.QuoteError, match=r"^occurrence 3 asked, but the quote occurs 2 times$"
    ):
        text.locate(quote, raw003, 3)


def test_variant_quote_is_found_as_a_last_resort(raw003):
    """003 writes 隨著; a simplified quote writes 随着, which t2s alone does not reach."""
    start, end = text.locate("随着复工复产相关工作的推进", raw003)
    assert raw003[start:end].startswith("隨著復(fù)工復(fù)產(chǎn)")


def test_exact_match_wins_over_normalized_matches():
    raw = "复工 復(fù)工"
    assert text.locate("复工", raw) == (0, 2)  # not "occurs 2 times"
    with pytest.raises(text.QuoteError, match="occurs 2 times"):
        text.locate("復工", raw)  # no exact match: both normalized matches count
    assert text.locate("復工", raw, 2) == (3, 9)


def test_mojibake_in_003_is_found_exactly(raw003):
    spans = text.find_mojibake(raw003)
    assert spans == [(155, 165), (285, 295)]
    assert [raw003[a:b] for a, b in spans] == ["?!薄案沸侣方值婪e", "?!薄案沸侣方值傈h"]
    # What they are: GBK read one byte out of step. Re-read one byte later they say
    # “阜新路街道積(極) and “阜新路街道黨(工委); the ASCII letter is a GBK trail byte.
    for (a, b), tail in zip(spans, ("積", "黨"), strict=True):
        data = raw003[a + 2 : b].encode("gbk")
        assert data[1:].decode("gbk") == "“阜新路街道" + tail


def test_quotes_in_mojibake_are_refused(raw003):
    for quote in ("薄案沸侣", "安全?!薄案", "方值婪e極指導"):
        with pytest.raises(text.QuoteError, match=r"^quote overlaps a garbled .mojibake."):
            text.locate(quote, raw003)
    start, end = text.locate("极指导企业疫情期间复工复产工作", raw003)  # right after one
    assert start == 165 and raw003[start:end].startswith("極指導")


def test_no_mojibake_in_the_other_articles_nor_in_their_traditional_forms():
    s2t = opencc.OpenCC("s2t")
    for path in OTHERS:
        raw = text.read_article(path)
        assert text.find_mojibake(raw) == [], path.name
        assert text.find_mojibake(s2t.convert(raw)) == [], path.name


def test_mojibake_injected_into_a_clean_article_is_found():
    raw = text.read_article(OTHERS[0])
    phrase = "锦南街道便成立疫情防控企业有序复工工作专班"
    at = raw.index(phrase)
    # A GBK stream that lost a byte, decoded leniently: garbled until it resynchronizes.
    shifted = "?" + phrase.encode("gbk")[1:].decode("gbk", errors="replace")
    assert shifted[1:-1] == "跄辖值辣愠闪⒁咔榉揽仄笠涤行蚋垂すぷ髯ò"
    # UTF-8 bytes read as GBK, the commonest mojibake of all.
    as_gbk = phrase.encode("utf-8").decode("gbk", errors="replace")
    for garbled in (shifted, as_gbk):
        damaged = raw[:at] + garbled + raw[at + len(phrase) :]
        assert text.find_mojibake(damaged) == [(at, at + len(garbled))], garbled


def test_double_byte_runs_are_the_characters_gbk_writes_in_two_bytes():
    """The one regular expression of the runs agrees with the codec on every character."""
    runs = text._double_byte()
    for code in range(0x80, 0x10000):
        char = chr(code)
        try:
            two = len(char.encode("gbk")) == 2
        except UnicodeEncodeError:
            two = False
        assert bool(runs.fullmatch(char)) == two, hex(code)
    raw = "锦南街道 2020年，複工率78%。"
    assert [(a, b, raw[a:b]) for a, b, _ in text._double_byte_runs(raw)] == [
        (0, 4, "锦南街道"),
        (9, 14, "年，複工率"),
        (17, 18, "。"),
    ]


def test_reread_decodes_every_pair_as_the_codec_does_alone():
    """Re-reading a run in one decoder call gives, for each of 50 k byte pairs, what
    decoding that pair on its own gives (a character, or a space)."""
    pairs = [bytes((a, b)) for a in range(0x20, 0x100) for b in range(0x20, 0x100)]
    data = b"\xb0" + b"".join(pairs) + b"\xa1"  # a lead and a trail byte around the pairs
    expected = "".join(text._decode_gbk(pair) or " " for pair in pairs)
    assert text._reread(data, len(pairs) + 1) == expected
    assert len(expected) - expected.count(" ") > 20_000  # GBK has ~22 k two-byte characters


def test_mojibake_at_the_end_of_a_long_run_of_clean_text_is_found():
    """A stream that lost a byte in the middle of a long double-byte run (no ASCII before
    it) is garbled until the decoder gives up on a byte (U+FFFD) and resynchronizes: the
    garbled stretch is found from where the byte was lost, not from the run's start."""
    raw = text.read_article(OTHERS[1])
    start, end = next((a, b) for a, b, _ in text._double_byte_runs(raw) if b - a >= 60)
    for middle in range((start + end) // 2, end - 12):
        garbled = raw[middle : middle + 12].encode("gbk")[1:].decode("gbk", errors="replace")
        if not re.search("[\x00-\x7f\ufffd]", garbled[:-1]):
            break  # out of step for 11 characters, then one byte is left over
    else:
        pytest.fail("no stretch of the run garbles without resynchronizing")
    damaged = raw[:middle] + garbled + raw[middle + 12 :]
    assert middle - start >= 20 and garbled[-1] == "\ufffd"
    assert text.find_mojibake(raw) == []
    [(a, b)] = text.find_mojibake(damaged)  # where re-reading starts to gain, ± a pair
    assert abs(a - middle) <= 2 and b == middle + len(garbled), (a, b, middle, garbled)


def test_replacement_characters_are_mojibake():
    assert text.find_mojibake("好的\ufffd\ufffd文字") == [(2, 4)]


# ---------------------------------------------------------------- pinyin inserts


def test_pinyin_stripping_leaves_other_articles_and_bylines_alone(raw003):
    stripped = text.strip_pinyin(raw003)
    assert "(記者 丁淑華 通訊員 周琨瑋 李世政)" in stripped.text
    assert not re.search(rf"[(（][a-z{TONED}ü]+[)）]", stripped.text)
    assert sum(b - a > 1 for a, b in itertools.pairwise(stripped.source)) == 322
    for path in OTHERS:
        raw = text.read_article(path)
        assert text.strip_pinyin(raw) == text.Normalized(raw, tuple(range(len(raw) + 1)))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("復(fù)工", "復工"),
        ("網（wǎng）", "網"),  # fullwidth brackets
        ("裝(zhuāng)", "裝"),  # six letters
        ("綠(lǜ)", "綠"),
        ("復(fu\u0300)", "復"),  # a combining tone mark
        ("嗯(ň)", "嗯"),
        ("的(de)", "的(de)"),  # neutral tone: no tone mark, not recognised
        ("復(Fù)", "復(Fù)"),  # capitals are not a gloss
        ("莊(zhuāngg)", "莊(zhuāngg)"),  # seven letters
        ("abc(fù)", "abc(fù)"),  # not after a CJK character
        ("(fù)工", "(fù)工"),
        ("年(2019-2022年)", "年(2019-2022年)"),
        ("(图片由锦南街道提供)", "(图片由锦南街道提供)"),
        ("点(a)", "点(a)"),
        ("點(diǎn)(a)", "點(a)"),
    ],
)
def test_strip_pinyin_cases(before, after):
    assert text.strip_pinyin(before).text == after


# ---------------------------------------------------------------- normalize


def test_normalize_simplifies_and_maps_back(raw003):
    clean = text.normalize(raw003)
    at = clean.text.index("市北区阜新路街道")
    start, end = clean.to_raw(at, at + len("市北区阜新路街道"))
    assert raw003[start:end] == "市北區(qū)阜新路街道"
    assert text.normalize(raw003) is clean  # cached: locate() calls it for every quote


def test_normalize_converts_character_by_character():
    """No phrase rules, so normalizing commutes with slicing."""
    assert text.to_simplified("乾隆") == "乾隆"
    assert text.normalize("乾隆").text == "干隆"
    assert text.normalize("乾").text + text.normalize("隆").text == "干隆"


def test_normalize_offsets_refer_to_the_nfc_text():
    clean = text.normalize("Cafe\u0301 復(fù)")
    assert clean.text == "Café 复"
    assert clean.source == (0, 1, 2, 3, 4, 5, 10)  # "Café 復(fù)" has 10 code points


def test_to_raw_rejects_spans_outside_the_text():
    with pytest.raises(ValueError, match="outside"):
        text.normalize("復工").to_raw(1, 3)
    assert text.normalize("復(fù)工").to_raw(1, 1) == (5, 5)


PINYIN = st.sampled_from(["(fù)", "(chǎn)", "(wǎng)", "(yè)", "(lǐng)", "（zhàn）", "(lü\u0301)"])
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
TRADITIONAL = st.sampled_from(list("復產業區務發現領責導經監網優調聯們個為進實這時與門對會乾著於"))
PIECE = st.one_of(
    st.tuples(st.one_of(CJK, TRADITIONAL), PINYIN).map("".join),
    CJK,
    TRADITIONAL,
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(["😀", "👍🏽", " ", "\n", "\u00a0", "(a)", "(記者 丁淑華)", "ü", "e\u0301"]),
    st.sampled_from(["\uf900", "\u1100\u1161", "A", "7", "%", "(", ")", "（"]),
)


@given(st.lists(PIECE, max_size=60).map("".join), st.data())
@settings(max_examples=400, deadline=None)
def test_offset_map_round_trips(source, data):
    raw = unicodedata.normalize("NFC", source)
    clean = text.normalize(source)
    assert clean == text.normalize(raw)
    assert len(clean.source) == len(clean.text) + 1
    assert clean.source[-1] == len(raw)
    assert all(a < b for a, b in itertools.pairwise(clean.source))  # strictly increasing
    if not clean.text:
        return
    start = data.draw(st.integers(0, len(clean.text) - 1))
    end = data.draw(st.integers(start + 1, len(clean.text)))
    raw_start, raw_end = clean.to_raw(start, end)
    assert 0 <= raw_start < raw_end <= len(raw)
    assert text.normalize(raw[raw_start:raw_end]).text == clean.text[start:end]
    # The span ends at a character of its own, never inside a removed insert.
    assert raw_end - 1 == clean.source[end - 1]


@given(st.lists(st.tuples(TRADITIONAL, st.one_of(st.just(""), PINYIN)), min_size=1, max_size=30))
@settings(max_examples=200, deadline=None)
def test_locate_finds_simplified_quote_of_pinyin_text(pairs):
    raw = unicodedata.normalize("NFC", "前言。" + "".join(c + p for c, p in pairs) + "。后记")
    quote = text.to_simplified("".join(c for c, _ in pairs))
    clean = text.normalize(raw).text
    wanted = text.normalize(quote).text
    if clean.count(wanted) != 1:
        return  # repeated quotes are covered by their own test
    start, end = text.locate(quote, raw)
    assert text.normalize(raw[start:end]).text == wanted
    assert raw[start] == pairs[0][0] and raw[end - 1] == pairs[-1][0]


# ---------------------------------------------------------------- errors


def test_quote_errors_say_what_is_wrong(raw003):
    with pytest.raises(
        text.QuoteError, match=r"^quote not found; the article has '阜新路街道党工委书记' but not"
    ):
        text.locate("阜新路街道党工委书记李四", raw003)
    with pytest.raises(text.QuoteError, match=r"^quote not found; no part of it is in the article"):
        text.locate("ξψζ", raw003)
    for empty in ("", "   ", "\n\u3000"):
        with pytest.raises(text.QuoteError, match=r"^quote is empty$"):
            text.locate(empty, raw003)
    with pytest.raises(text.QuoteError, match=r"^occurrence 0 asked, but occurrences count"):
        text.locate("青岛新闻网", raw003, 0)
    with pytest.raises(text.QuoteError, match=r"^occurrence 2 asked, but the quote occurs 1 time$"):
        text.locate("青岛新闻网", raw003, 2)
    with pytest.raises(ValueError, match="NFC"):
        text.locate("Café", "Cafe\u0301")
    for error in (text.QuoteError, text.ArticleError):
        assert issubclass(error, ValueError)


def test_read_article_refuses_bom_and_bad_utf8_and_applies_nfc(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfabc")
    with pytest.raises(text.ArticleError, match=r"bom.txt:1:1: file starts with a UTF-8 byte"):
        text.read_article(bom)
    bad = tmp_path / "bad.txt"
    bad.write_bytes("第一行\n第二行".encode() + b"\xff")
    with pytest.raises(
        text.ArticleError, match=r"bad.txt:2:4: invalid UTF-8 \(byte 0xff at offset 19\)"
    ) as caught:
        text.read_article(bad)
    assert (caught.value.line, caught.value.col) == (2, 4)
    assert "\n" not in str(caught.value)
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"ab\ncd\x00")
    with pytest.raises(text.ArticleError, match=r"nul.txt:2:3: file contains a NUL"):
        text.read_article(nul)
    decomposed = tmp_path / "nfd.txt"
    decomposed.write_text("Cafe\u0301 \u1100\u1161 \uf900", encoding="utf-8")
    assert text.read_article(decomposed) == "Café \uac00 \u8c48"
