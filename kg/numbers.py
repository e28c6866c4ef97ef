"""Metric mentions in Chinese news text: numbers that measure something, with what they count.

A reporter writes ``其中工业企业205家``, ``13.43亿元``, ``300多名``, ``近800名``, ``增长2.4%``,
``百分之十`` or ``两百多名``; the same text is full of numbers that measure nothing: dates and
times (``2月11日``, ``16:39``), ordinals and list markers (``第一``, ``一是``), phone numbers,
names that contain numerals (``“1+N”``, ``“三安全”``, ``十四五``, ``4号线``), the indefinite
article ``一`` (``一支支``, ``一个个``, ``一份告知书``) and idioms (``一起``, ``统一``, ``一线``).
:func:`find_metrics` keeps a number only when it is followed by a unit (or a scale, or a
percent sign) and no rule says it is something else, and reads around it the scale, the
qualifier (``余`` more-than, ``约`` approximately, ``力争`` target, ``预计`` forecast ...), the
kind (level, growth rate, ratio), the indicator in the article's words and the period.

The vocabularies (units, qualifier words, period words, ...) are data, in
``ontology/extract/numbers.yaml``; this module holds the rules only.

**Nothing is invented.** A mention's ``value`` is checked with the fact loader's own test
(:func:`kg.facts.number_in_text`) against the clause it will be quoted with; a number the
check cannot find there is dropped. So an article whose digits were lost (``已复工企业累计家``)
yields no number at all, and a Chinese numeral with a scale inside it (``三万``) is given as
the whole number (``30000``, no scale), the way the check reads it. For such an article
:func:`find_missing_values` finds where the numbers were (``累计家``, ``筹到万个口罩``,
``复工率已达。``): units standing with no number, for a person to restore.

The text is expected normalized (:func:`kg.text.normalize`: simplified, pinyin inserts
removed); offsets are into that string, and the caller maps them back to the raw article.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import yaml

from kg.facts import number_in_text
from kg.ontology import resource_dir

if TYPE_CHECKING:
    from kg.extract.tokens import Token

__all__ = [
    "MetricMention",
    "MissingMention",
    "find_metrics",
    "find_missing_values",
    "parse_chinese_number",
    "vocabulary",
]


@dataclass(frozen=True)
class MetricMention:
    """One number that measures something, with its parts, as found in a text.

    ``start``/``end`` delimit the clause to quote (it contains the number, its unit and the
    indicator, and the period when the sentence states one before it); ``number_start`` and
    ``number_end`` the number itself (Arabic, fullwidth or Chinese numerals, without the
    scale). ``value`` is the exact decimal as written before the scale, in ASCII digits.
    ``qualifier`` and ``kind`` are concept notations of ``ontology/kg.ttl``.
    """

    start: int
    end: int
    value: str
    scale: str | None
    unit: str | None
    qualifier: str | None
    kind: str
    indicator: str | None
    ref_period: str | None
    number_start: int
    number_end: int


# ---------------------------------------------------------------- vocabulary (data file)


@dataclass(frozen=True)
class Vocabulary:
    """The word lists of ``ontology/extract/numbers.yaml``, ready for scanning."""

    measures: frozenset[str]
    durations: frozenset[str]
    classifiers: frozenset[str]
    units: tuple[str, ...]  # all units, longest first
    units_at: dict[str, tuple[str, ...]]  # the units by their first character, longest first
    not_units: tuple[str, ...]
    max_years: int
    qualifiers_after: dict[str, str]
    qualifiers_before: dict[str, str]
    modals: dict[str, str]
    achieved: tuple[str, ...]
    thresholds: tuple[str, ...]
    growth_words: tuple[str, ...]
    growth_reached: tuple[str, ...]
    ratio_words: tuple[str, ...]
    ordinal_before: tuple[str, ...]
    date_after: tuple[str, ...]
    duration_period_after: tuple[str, ...]
    duration_period_before: tuple[str, ...]
    glue: frozenset[str]
    range_joiners: tuple[str, ...]
    rate_after: tuple[str, ...]
    address_before: tuple[str, ...]
    address_units: frozenset[str]
    threshold_before: tuple[str, ...]
    verbs: frozenset[str]
    phase_units: frozenset[str]
    period_openers: tuple[str, ...]
    period: re.Pattern[str]
    quotes: tuple[tuple[str, str], ...]
    max_name_quote: int


def _longest_first(words: Any) -> tuple[str, ...]:
    """Alternatives must be tried longest first (平方米 before 米, 约为 before 约)."""
    return tuple(sorted({str(w) for w in words}, key=lambda w: (-len(w), w)))


@functools.cache
def _data() -> dict[str, Any]:
    """``numbers.yaml``, read once (libyaml's parser where installed)."""
    path = resource_dir("ontology") / "extract" / "numbers.yaml"
    return yaml.load(path.read_text("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _by_first(words: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Words grouped by their first character, each group in the order given."""
    out: dict[str, list[str]] = {}
    for word in words:
        out.setdefault(word[0], []).append(word)
    return {c: tuple(ws) for c, ws in out.items()}


@functools.cache
def vocabulary() -> Vocabulary:
    """Read ``numbers.yaml`` once, from a checkout or an installed wheel alike."""
    data = _data()
    units = data["units"]
    all_units = _longest_first([*units["measures"], *units["durations"], *units["classifiers"]])
    periods = data["periods"]
    alternatives = [re.escape(w) for w in _longest_first(periods["words"])]
    period = re.compile("|".join([*periods["patterns"], *alternatives]))
    return Vocabulary(
        measures=frozenset(units["measures"]),
        durations=frozenset(units["durations"]),
        classifiers=frozenset(units["classifiers"]),
        units=all_units,
        units_at=_by_first(all_units),
        not_units=_longest_first(data["not_units"]),
        max_years=int(data["max_years"]),
        qualifiers_after=dict(data["qualifiers_after"]),
        qualifiers_before=dict(data["qualifiers_before"]),
        modals=dict(data["modals"]),
        achieved=_longest_first(data["achieved"]),
        thresholds=_longest_first(data["thresholds"]),
        growth_words=_longest_first(data["growth_words"]),
        growth_reached=_longest_first(data["growth_reached"]),
        ratio_words=_longest_first(data["ratio_words"]),
        ordinal_before=_longest_first(data["ordinal_before"]),
        date_after=_longest_first(data["date_after"]),
        duration_period_after=_longest_first(data["duration_period_after"]),
        duration_period_before=_longest_first(data["duration_period_before"]),
        glue=frozenset(data["glue"]),
        range_joiners=_longest_first(data["range_joiners"]),
        rate_after=_longest_first(data["rate_after"]),
        address_before=_longest_first(data["address_before"]),
        address_units=frozenset(data["address_units"]),
        threshold_before=_longest_first(data["threshold_before"]),
        verbs=frozenset(data["verbs"]),
        phase_units=frozenset(data["phase_units"]),
        period_openers=_longest_first(periods["openers"]),
        period=period,
        quotes=tuple((pair[0], pair[1]) for pair in data["quotes"]),
        max_name_quote=int(data["max_name_quote"]),
    )


# ---------------------------------------------------------------- Chinese numerals

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}


def parse_chinese_number(s: str) -> Decimal | None:
    """The value of a Chinese numeral, or None when ``s`` is not a well-formed number.

    Well-formed means how a number is written, not any run of numeral characters: two
    digits in a row are a range or a name (``五六个``, ``五一``, ``十四五``), not a number;
    a unit needs a digit before it (``百余家`` says no exact number), except ``十``.
    A digit after a unit abbreviates the next place (``一万二`` is 12000).

    >>> [parse_chinese_number(s) for s in ["两百", "三十五", "一万二", "十", "一百零五", "三点五"]]
    [Decimal('200'), Decimal('35'), Decimal('12000'), Decimal('10'), Decimal('105'), Decimal('3.5')]
    >>> [parse_chinese_number(s) for s in ["五一", "十四五", "百", "万一", "五六", "二〇二〇"]]
    [None, None, None, None, None, None]
    """
    if "点" in s:
        whole, _, frac = s.partition("点")
        head = parse_chinese_number(whole)
        if head is None or not frac or any(c not in _DIGITS or c == "两" for c in frac):
            return None
        return Decimal(f"{head}.{''.join(str(_DIGITS[c]) for c in frac)}")
    if not s:
        return None
    total = 0  # sections closed by 亿
    section = 0  # the part below 亿, closed by 万
    group = 0  # the part below 万
    digit: int | None = None
    last_unit = 0  # the last unit written, for abbreviations (一万二) and order checks
    zero = False  # a 零 was written since the last unit
    previous = ""
    for c in s:
        if c in _DIGITS:
            if previous in _DIGITS and not (previous in "零〇" and c not in "零〇"):
                return None  # two digits in a row: a range, a name or a year
            if c in "零〇":
                zero = True
            digit = _DIGITS[c]
        elif c in _SMALL:
            unit = _SMALL[c]
            if digit is None:
                if c != "十" or previous in _SMALL:
                    return None
                digit = 1  # 十五, 二百十
            if group and unit >= _smallest(group):
                return None  # units must fall: 十百 is no number
            group += digit * unit
            digit, last_unit, zero = None, unit, False
        elif c in _BIG:
            if previous == "" or (previous in _BIG and c == "万"):
                return None
            group += digit or 0
            if c == "万":
                if section:
                    return None
                section = group * 10_000
            else:
                total = (total + section + group) * 100_000_000
                section = 0
            group, digit, last_unit, zero = 0, None, _BIG[c], False
        else:
            return None
        previous = c
    if digit is not None:
        if last_unit >= 100 and not zero and previous in _DIGITS and previous not in "零〇":
            digit *= last_unit // 10  # 一万二, 三千五, 两百五
        group += digit
    return Decimal(total + section + group)


def _smallest(group: int) -> int:
    """The smallest place written so far in a group below 万 (for 三千五百: 100)."""
    for unit in (10, 100, 1000):
        if group % (unit * 10):
            return unit
    return 10_000


# ---------------------------------------------------------------- scanning

_NUMBER = re.compile(
    r"(?P<pct>百分之)?(?:(?P<ar>[0-9０-９]+(?:[.．][0-9０-９]+)?)"
    r"|(?P<cn>[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?))"
)
def chinese_values(text: str) -> set[Decimal]:
    """The values of the Chinese numerals written in ``text``: each run of numeral
    characters read by :func:`parse_chinese_number`, and a run of three or more bare digits
    also read digit by digit, as years are written (``二〇二〇年``). What checks that a
    number is in its quote (:func:`kg.facts.number_in_text`) asks this, so the loader and
    the drafts read numerals alike.

    >>> sorted(chinese_values("不到两周，两百多名志愿者，二〇二〇年，五六个"))
    [Decimal('2'), Decimal('200'), Decimal('2020')]
    """
    values = set()
    for match in _NUMBER.finditer(text):
        run = match.group("cn")
        if run is None:
            continue
        value = parse_chinese_number(run)
        if value is not None:
            values.add(value)
        if len(run) >= 3 and all(c in _DIGITS and c != "两" for c in run):
            values.add(Decimal("".join(str(_DIGITS[c]) for c in run)))
    return values


_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ASCII_GLUE = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ.．+＋\-－/／:：#＃_@]")
_GROUPED = re.compile(r"[,，][0-9]{3}(?![0-9])")
_CLAUSE_END = "，,。；;！？!?\n：:"
_SENTENCE_END = "。；;！？!?\n"
_SEGMENT_END = "、()（）[]【】"
_NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９零〇一二两三四五六七八九十百千")
_STRIP = " \t\u3000“”‘’\"'「」『』"
_MAX_CLAUSE = 80
_MAX_INDICATOR_TOKENS = 7
_NOUNISH = ("n", "vn", "j", "an", "b", "eng")


@dataclass
class _Number:
    """A number being read: where it is and what has been found after it."""

    start: int  # where the match starts (百分之 included)
    end: int  # after the number, its scale, its unit and trailing qualifiers
    number_start: int  # the numeral itself
    number_end: int
    candidates: list[tuple[str, str | None]]  # (value, scale) readings, preferred first
    chinese: bool
    unit: str | None = None
    qualifier: str | None = None
    unit_start: int = 0
    big: bool = False  # the 四大工程 pattern (a count without a unit)


def _modal(text: str, sentence_start: int, at: int, vocab: Any) -> str | None:
    """``target`` or ``forecast`` when a plan or prediction word (计划, 预计…) stands before
    the number in its sentence, unless what follows it says it is done (招募了300多名)."""
    modal = None
    for word, notation in vocab.modals.items():
        found_at = text.rfind(word, sentence_start, at)
        if found_at >= 0 and (modal is None or found_at > modal[0]):
            modal = (found_at, notation)
    if modal is None or any(w in text[modal[0] : at] for w in vocab.achieved):
        return None
    return modal[1]


def find_metrics(text: str) -> list[MetricMention]:
    """Metric mentions in normalized (simplified) text, in order.

    >>> [(m.value, m.scale, m.unit, m.qualifier, m.kind) for m in find_metrics(
    ...     "预计一季度完成规模工业总产值13.43亿元,同比增长2.4%,招募了300多名志愿者。")]
    [('13.43', '亿', '元', 'forecast', 'level'), ('2.4', None, '%', 'forecast', 'growth-rate'), \
('300', None, '名', 'more-than', 'level')]
    >>> [m.value for m in find_metrics("2月11日起,第一批一支支队伍到岗,电话0571-88888888。")]
    []
    """
    vocab = vocabulary()
    names = _name_spans(text, vocab)
    found: list[MetricMention] = []
    for match in _NUMBER.finditer(text):
        number = _read_number(text, match, vocab)
        if number is None or _inside(number.start, names):
            continue
        mention = _mention(text, number, vocab, found)
        if mention is not None:
            found.append(mention)
    return found


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``pos`` is inside one of the sorted, disjoint ``spans`` (a bisection: long
    texts have many)."""
    at = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= pos < spans[at][1]


def _name_spans(text: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """Short quoted phrases (“1+N”, “5项关键事”, 《1818黄金眼》): names, not measures.

    A quote with clause punctuation inside, or a long one, is someone's speech and is read
    like the rest of the text.
    """
    spans = []
    for opening, closing in vocab.quotes:
        for m in re.finditer(rf"{re.escape(opening)}([^{re.escape(opening + closing)}\n]*)"
                             rf"{re.escape(closing)}", text):  # fmt: skip
            inner = m.group(1)
            if len(inner) <= vocab.max_name_quote and not any(c in inner for c in _CLAUSE_END):
                spans.append((m.start(), m.end()))
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):  # sorted and disjoint, for _inside
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _read_number(text: str, match: re.Match[str], vocab: Vocabulary) -> _Number | None:
    """Read a candidate number and what follows it; None if it is not a measure."""
    start, end = match.start(), match.end()
    pct = match.group("pct") is not None
    arabic = match.group("ar")
    num_start = match.start("ar") if arabic is not None else match.start("cn")
    before = text[max(0, start - 4) : start]
    if any(before.endswith(w) for w in vocab.ordinal_before):
        return None  # 第一, 初三, 周五, 每10人
    if arabic is not None:
        if start and _ASCII_GLUE.match(text[start - 1]):
            return None  # part of a code, a date or a phone number: 0571-8888, 2020/3/2, G20
        if end < len(text) and _ASCII_GLUE.match(text[end]):
            return None  # 1+N, 4G, 16:39, 2019-05-30
        grouped_tail = start > 1 and text[start - 1] in ",，" and text[start - 2].isdigit()
        if _GROUPED.match(text, end) or (grouped_tail and len(arabic) == 3):
            return None  # 1,700: thousands separators would make the quote say another number
        value = arabic.translate(_FULLWIDTH)
        candidates: list[tuple[str, str | None]] = [(value, None)]
        chinese = False
    else:
        run = match.group("cn")
        full = parse_chinese_number(run)
        if full is None:
            return None
        candidates = []
        if run[-1] in _BIG and len(run) > 1:
            head = parse_chinese_number(run[:-1])
            if head is not None and run[-2] not in _BIG:
                candidates.append((_plain(head), run[-1]))
        candidates.append((_plain(full), None))
        chinese = True
    number = _Number(start, end, num_start, end, candidates, chinese)
    pos = end
    # 余/多 may stand before the scale (53余万元) and after it (4万多个)
    for _ in range(2):
        if pos < len(text) and text[pos] in "余多" and text[pos] in vocab.qualifiers_after:
            number.qualifier = vocab.qualifiers_after[text[pos]]
            pos += 1
        elif pos < len(text) and text[pos] in _BIG and number.candidates[0][1] is None:
            number.candidates = [(v, text[pos]) for v, _ in number.candidates]
            pos += 1
    number.unit_start = pos
    if pct:
        number.unit = "%"
    elif pos < len(text) and text[pos] in "%％":
        number.unit = text[pos]
        pos += 1
    else:
        unit, more = _unit_at(text, pos, vocab)
        if unit is not None:
            number.unit = unit
            if more:
                number.qualifier = "more-than"
            pos += len(unit) + more
    stop = _trailing_qualifier(text, pos, number, vocab)
    if stop is None:
        return None
    number.end = stop
    if not _is_measure(text, number, vocab):
        return None
    return number


def _plain(value: Decimal) -> str:
    """A decimal as plain digits (no exponent): 30000, 3.5."""
    return format(value, "f")


def _unit_at(text: str, pos: int, vocab: Vocabulary) -> tuple[str | None, int]:
    """The unit written at ``pos`` and whether 多/余 sits inside it (一个多月: 个月, +1)."""
    rest = text[pos : pos + 8]
    if rest[:1] == "个" and rest[1:2] in ("多", "余"):
        for unit in vocab.units_at.get("个", ()):
            if len(unit) > 1 and rest[2:].startswith(unit[1:]):
                return unit, 1
    for unit in vocab.units_at.get(rest[:1], ()):
        if rest.startswith(unit):
            if any(len(w) > len(unit) and rest.startswith(w) for w in vocab.not_units):
                return None, 0  # 周年, 期间, 人员: another word starts here
            return unit, 0
    return None, 0


def _trailing_qualifier(text: str, pos: int, number: _Number, vocab: Vocabulary) -> int | None:
    """Read 左右, 以上, 多 after the unit; None when 以上 makes a threshold (50万以上企业)."""
    rest = text[pos : pos + 4]
    for word in vocab.thresholds:
        if rest.startswith(word):
            after = text[pos + len(word) : pos + len(word) + 1]
            if after and (_is_cjk(after) or after.isalnum()):
                return None  # a category bound, not a measure
    for word in _longest_first(vocab.qualifiers_after):
        if rest.startswith(word) and (len(word) > 1 or number.unit is not None):
            number.qualifier = number.qualifier or vocab.qualifiers_after[word]
            return pos + len(word)
    return pos


def _is_cjk(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _is_measure(text: str, number: _Number, vocab: Vocabulary) -> bool:
    """The exclusions: dates, ordinals, durations used as periods, names and idioms."""
    value = Decimal(number.candidates[-1][0])  # the whole number
    scaled = number.candidates[0][1] is not None
    num_start = number.number_start
    after = text[number.number_end : number.number_end + 3]
    run = text[num_start : number.number_end]
    unit = number.unit
    if unit == "年" and (value >= vocab.max_years or scaled):
        return False  # 2020年 is a date
    if unit is None and not scaled:
        if any(after.startswith(w) for w in vocab.date_after):
            return False  # 2月11日, 16时, 4号线
        # 四大工程, 十大方面: a count of named things; 一大 is an article
        if not (number.chinese and after[:1] == "大" and 2 <= value < 100):
            return False
        number.big = True
        follows, _ = _unit_at(text, number.number_end + 1, vocab)
        if follows in vocab.classifiers:
            number.unit = follows
            number.end = number.number_end + 1 + len(follows)
        else:
            number.end = number.number_end + 1
        return True
    if number.chinese and (unit in vocab.classifiers or unit in vocab.durations):
        if run == "一" and number.qualifier != "more-than":
            return False  # 一个, 一支支, 一份: the indefinite article, not a count
        if run == "二" or unit in vocab.phase_units:
            return False  # 二期, 三期工程: counting says 两; these name a phase
    unit_end = number.unit_start + len(unit or "")
    if unit and unit in vocab.classifiers:
        nxt = text[unit_end : unit_end + 1]
        if nxt and ((number.chinese and nxt in _NUMERAL_CHARS) or nxt == unit[-1]):
            return False  # 八个一 (a slogan), 一个个 (an idiom)
    if unit in vocab.durations:
        tail = text[number.end : number.end + 4]
        head = text[max(0, num_start - 4) : num_start]
        if any(tail.startswith(w) for w in vocab.duration_period_after) or any(
            head.endswith(w) for w in vocab.duration_period_before
        ):
            return False  # 两天的时间: a time frame, the period of another number
        if _verb_follows(text, number.end) and _verb_before(text, num_start):
            return False  # 开展24小时巡查: how it is done
    if _not_measured(text, number, vocab):
        return False
    return not (number.chinese and unit == "个" and _slogan(text, unit_end))


def _verb_follows(text: str, pos: int) -> bool:
    """Whether a verb, or a verb used as a noun, starts right at ``pos`` (24小时值守, 巡查)."""
    words = _cut(text[pos : pos + 4])
    return bool(words) and words[0].flag in ("v", "vn") and len(words[0].word) >= 2


def _verb_before(text: str, pos: int) -> bool:
    """Whether a verb ends right before ``pos`` (开展24小时巡查)."""
    words = _cut(text[max(0, pos - 4) : pos])
    return bool(words) and words[-1].flag == "v" and len(words[-1].word) >= 2


def _not_measured(text: str, number: _Number, vocab: Vocabulary) -> bool:
    """The ends of a range (10至15家), a rate set by a rule (每年2000元的标准), an address (住在
    6栋), one of each per unit (每本账明确1名...), a threshold (超过15%的企业): numbers in a
    measuring form that measure nothing of the story."""
    start, end = number.number_start, number.end
    before = text[max(0, start - 6) : start]
    joiner = next((j for j in vocab.range_joiners if before.endswith(j)), None)
    if joiner is not None and before[: -len(joiner)][-1:] in _NUMERAL_CHARS:
        return True  # the end of 10至15家
    after = text[number.number_end : number.number_end + 2]
    if any(after.startswith(j) for j in vocab.range_joiners) and after[1:2] in _NUMERAL_CHARS:
        return True  # the start of 10至15家 (a unit only after the second number)
    if text.startswith(vocab.rate_after, end):
        return True
    if number.unit in vocab.address_units and before.endswith(vocab.address_before):
        return True
    value = Decimal(number.candidates[-1][0])
    clause = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    if value == 1 and "每" in text[clause:start]:
        return True  # 每个企业由1名街道干部、1名社区联络员、1名网格员组成
    return before.endswith(vocab.threshold_before) and text.startswith("的", end)


def _slogan(text: str, pos: int) -> bool:
    """四个到位, 两个维护: a Chinese count followed by a verb or adjective is a slogan."""
    words = [w for w in _cut(text[pos : pos + 6]) if w.word.strip()]
    return bool(words) and words[0].flag[:1] in ("v", "a", "d") and words[0].flag != "vn"


# ---------------------------------------------------------------- the mention around a number


def _mention(
    text: str, number: _Number, vocab: Vocabulary, found: list[MetricMention]
) -> MetricMention | None:
    """Clause, qualifier, kind, indicator and period of a number; None if unverifiable."""
    num_start = number.start
    q_start = num_start
    qualifier = number.qualifier
    head = text[max(0, num_start - 3) : num_start]
    for word in _longest_first(vocab.qualifiers_before):
        if head.endswith(word) and not (word == "近" and head.endswith("最近")):
            q_start = num_start - len(word)
            qualifier = qualifier or vocab.qualifiers_before[word]
            break
    start, end = _clause(text, q_start, number.end)
    sentence_start = max(text.rfind(c, 0, q_start) for c in _SENTENCE_END) + 1
    qualifier = _modal(text, sentence_start, q_start, vocab) or qualifier
    # the period: the nearest period words before the number in its sentence
    ref_period = None
    for m in vocab.period.finditer(text, sentence_start, q_start):
        if m.end() > q_start or not m.group().strip():
            continue
        if m.start() >= start or (end - m.start() <= _MAX_CLAUSE and _opens(text, m, vocab)):
            ref_period = m.group()
            period_start = m.start()
    if ref_period is not None:
        start = min(start, period_start)
    kind = _kind(text, number, start, num_start, vocab)
    indicator = _indicator(text, number, start, end, q_start, vocab, found)
    quoted = text[start:end]
    for value, scale in number.candidates:
        if number_in_text(value, quoted):
            return MetricMention(
                start=start,
                end=end,
                value=value,
                scale=scale,
                unit=number.unit,
                qualifier=qualifier,
                kind=kind,
                indicator=indicator,
                ref_period=ref_period,
                number_start=number.number_start,
                number_end=number.number_end,
            )
    return None


def _opens(text: str, period: re.Match[str], vocab: Vocabulary) -> bool:
    """Whether period words open their clause (截至目前, ...; 早在2月11日, ...): then they
    frame the clauses that follow; elsewhere (摸清近期出行记录) they belong to their own."""
    left = max(text.rfind(c, 0, period.start()) for c in _CLAUSE_END) + 1
    lead = text[left : period.start()].strip(_STRIP)
    return not lead or lead in vocab.period_openers


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: between commas, full stops, colons, line ends;
    quote marks and spaces at its edges are left out, a long clause is cut to its list item."""
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    right = min((i for c in _CLAUSE_END if (i := text.find(c, end)) >= 0), default=len(text))
    if right - left > _MAX_CLAUSE:
        left = max(left, max(text.rfind(c, 0, start) for c in _SEGMENT_END + " ") + 1)
        right = min(
            (i for c in _SEGMENT_END + " " if (i := text.find(c, end, right)) >= 0),
            default=right,
        )
    while left < start and text[left] in _STRIP:
        left += 1
    while right > end and text[right - 1] in _STRIP:
        right -= 1
    for opening, closing in ("()", "（）", "“”"):
        part = text[left:right]
        if part.endswith(closing) and opening not in part and right - 1 >= end:
            right -= 1
        part = text[left:right]
        if part.startswith(opening) and closing not in part and left + 1 <= start:
            left += 1
    return left, right


def _kind(text: str, number: _Number, start: int, num_start: int, vocab: Vocabulary) -> str:
    """growth-rate for a percentage after 增长/下降/增幅..., ratio for other percentages."""
    if number.unit not in ("%", "％", "百分点", "个百分点", "倍"):
        return "level"
    prefix = text[start:num_start]
    best: tuple[int, str] | None = None
    for word in vocab.growth_words:
        at = prefix.rfind(word)
        reached = prefix[at + len(word) :].startswith(vocab.growth_reached)
        if at >= 0 and not reached and (best is None or at + len(word) > best[0]):
            best = (at + len(word), "growth-rate")
    for word in vocab.ratio_words:
        at = prefix.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), "ratio")
    if best is not None:
        return best[1]
    return "growth-rate" if "百分点" in number.unit else "ratio"


# ---------------------------------------------------------------- indicators


def _cut(segment: str, hmm: bool = True) -> list[Token]:
    """The words of a piece of text, by the one tokenizer of :mod:`kg.extract.tokens`
    (imported here, not at the top: :mod:`kg.extract` imports this module)."""
    from kg.extract import tokens

    return tokens.cut(segment, hmm)


def _frequency(word: str) -> int:
    from kg.extract import tokens

    return tokens.frequency(word)


def _nounish(word: str, flag: str) -> bool:
    """Can this word head or extend a noun phrase? jieba tags 率 of 复工率 a verb."""
    return flag.startswith(_NOUNISH) or word.endswith("率")


def _verb(word: str, vocab: Vocabulary) -> bool:
    """One of the verbs that end an indicator, alone or at the start of a word (响应号召)."""
    return word in vocab.verbs or word.startswith(_long_verbs(vocab.verbs))


@functools.cache
def _long_verbs(verbs: frozenset[str]) -> tuple[str, ...]:
    return tuple(v for v in verbs if len(v) > 1)


def _indicator(
    text: str,
    number: _Number,
    start: int,
    end: int,
    q_start: int,
    vocab: Vocabulary,
    found: list[MetricMention],
) -> str | None:
    """What the number counts, in the article's words.

    A counter usually precedes the thing counted (13名小区党员, 35个网格); a unit of
    measurement follows the thing measured (工作站面积约为300平方米, 复工率均达到了100%).
    A list item with no words of its own (13.43亿元、5.23亿元) shares its neighbour's.
    """
    left = max([start] + [text.rfind(c, start, q_start) + 1 for c in _SEGMENT_END])
    earlier = []  # the numbers before this one in its clause (found is in text order)
    for m in reversed(found):
        if m.number_start < start:
            break
        if m.end > left:
            earlier.append(m)
    if earlier:
        left = max(left, max(m.number_end for m in earlier))
    right = min([end] + [i for c in _SEGMENT_END if (i := text.find(c, number.end, end)) >= 0])
    digit = re.search(r"[0-9０-９]", text[number.end : right])
    if digit:
        right = number.end + digit.start()
    after = _after_phrase(text[number.end : right], vocab)
    before = _before_phrase(text[left:q_start], vocab)
    counted = number.big or number.unit in vocab.classifiers
    indicator = (after or before) if counted else (before or after)
    if indicator is None and found and found[-1].start == start and found[-1].end == end:
        return found[-1].indicator  # a list item sharing its clause: 13.43亿元、5.23亿元
    return indicator


def _after_phrase(segment: str, vocab: Vocabulary) -> str | None:
    """The noun phrase right after a counter: 村民小组 in 村民小组进行组级自主整治."""
    words = [(w.word, w.flag) for w in _cut(segment)]
    if words and words[0][0] == "的":
        words = words[1:]
    taken: list[tuple[str, str]] = []
    for word, flag in words[:_MAX_INDICATOR_TOKENS]:
        ok = _nounish(word, flag) or flag in ("a", "v", "vd", "nr")
        if not ok or _verb(word, vocab) or word in vocab.glue:
            break
        taken.append((word, flag))
    while taken and not _nounish(*taken[-1]):
        taken.pop()  # a phrase ends with its head noun
    return "".join(w for w, _ in taken) or None


def _before_phrase(segment: str, vocab: Vocabulary) -> str | None:
    """The noun phrase before a number, past the glue: 小区 in 湖墅共有小区31个.

    A growth word right before the number is kept with it (总产值同比增长2.4%); the adverbs
    between (同比分别增长) are dropped.
    """
    words = [(w.word, w.flag) for w in _cut(segment)]
    taken: list[tuple[str, str]] = []
    growth = False
    for word, flag in reversed(words):
        skippable = word in vocab.glue or flag[:1] in ("d", "u", "y")
        if skippable and (not taken or (growth and len(taken) == 1)):
            continue
        if not taken and word in vocab.growth_words:
            taken.append((word, "n"))
            growth = True
            continue
        if skippable or _verb(word, vocab):
            break
        if _nounish(word, flag) or (taken and flag in ("v", "a", "nr") and len(word) > 1):
            taken.append((word, flag))
            if len(taken) >= _MAX_INDICATOR_TOKENS:
                break
            continue
        break
    return "".join(w for w, _ in reversed(taken)) or None


# ---------------------------------------------------------------- numbers that were lost


@dataclass(frozen=True)
class MissingMention:
    """A place where the article lost a number: its unit stands, its digits are gone.

    ``start``/``end`` delimit the clause to quote (as for :class:`MetricMention`); ``at`` is
    where the number should stand and ``cue_start``/``cue_end`` the words that show it is
    missing (the scale and unit of ``万个口罩``, ``%``, the ratio word of ``复工率已达。``).
    There is no value: a person restores it from the source.
    """

    start: int
    end: int
    at: int
    cue_start: int
    cue_end: int
    scale: str | None
    unit: str | None
    qualifier: str | None
    kind: str
    indicator: str | None
    ref_period: str | None


@dataclass(frozen=True)
class _MissingWords:
    """The ``missing_values`` word lists of ``numbers.yaml``."""

    before: tuple[str, ...]
    not_after: tuple[str, ...]
    collectives: frozenset[str]
    people: frozenset[str]
    tail_words: frozenset[str]
    trigger_exceptions: dict[str, frozenset[str]]
    word_heads: frozenset[str]
    word_tails: frozenset[str]
    complements: frozenset[str]
    min_word_freq: int
    ratio_words: tuple[str, ...]
    ratio_glue: tuple[str, ...]
    growth_ends: tuple[str, ...]
    conjunctions: tuple[str, ...]
    never_before: tuple[str, ...]  # not_after and the ordinal words: no number stood there


@functools.cache
def _missing_words() -> _MissingWords:
    data = _data()["missing_values"]
    vocab = vocabulary()
    return _MissingWords(
        before=_longest_first([*data["before"], *vocab.verbs]),
        not_after=_longest_first(data["not_after"]),
        collectives=frozenset(data["collectives"]),
        people=frozenset(data["people"]),
        tail_words=frozenset(data["tail_words"]),
        trigger_exceptions={k: frozenset(v) for k, v in data["trigger_exceptions"].items()},
        word_heads=frozenset(data["word_heads"]),
        word_tails=frozenset(data["word_tails"]),
        complements=frozenset(data["complements"]),
        min_word_freq=int(data["min_word_freq"]),
        ratio_words=_longest_first(data["ratio_words"]),
        ratio_glue=_longest_first(data["ratio_glue"]),
        growth_ends=_longest_first(data["growth_ends"]),
        conjunctions=_longest_first(data["conjunctions"]),
        never_before=(*_longest_first(data["not_after"]), *vocab.ordinal_before),
    )


_NOUN_FLAGS = frozenset({"n", "vn", "nz", "j", "nt", "an"})
_GROWTH_RATIOS = ("增幅", "降幅", "增速")


class _Tokens:
    """The text cut by jieba's dictionary alone (no guessing of new words, which would glue
    a unit to its neighbours where the digits are gone: 电用辆), indexed by character."""

    def __init__(self, text: str):
        self.toks = _cut(text, hmm=False)
        self.index = [0] * (len(text) + 1)
        for i, t in enumerate(self.toks):
            for k in range(t.start, t.end):
                self.index[k] = i
        self.index[len(text)] = len(self.toks)
        self.boundaries = {t.start for t in self.toks} | {len(text)}

    def ending_at(self, pos: int) -> Token | None:
        """The token that ends right before ``pos``, if one does."""
        if pos <= 0 or pos not in self.boundaries:
            return None
        return self.toks[self.index[pos - 1]]

    def starting_at(self, pos: int) -> Token | None:
        if pos >= len(self.index) - 1 or pos not in self.boundaries:
            return None
        return self.toks[self.index[pos]]

    def whole(self, start: int, end: int, min_freq: int) -> bool:
        """No word crosses the edges of ``[start, end)`` (企业家, 一家人, 用人单位), nor a
        common word its end (个人, 人员, 家门口; a rare one may be read wrong: 家规限上企业)."""
        for t in self.toks[self.index[start] : self.index[end - 1] + 1]:
            if t.start < start or (t.end > end and _frequency(t.word) >= min_freq):
                return False
        return True


def find_missing_values(text: str) -> list[MissingMention]:
    """Numbers an article lost, in order: units standing where no number is written.

    Meant for an article whose digits were dropped (``已复工企业累计家``, ``有着年党龄``,
    ``筹到万个口罩``, ``复工率已达。``); a unit after a word that takes a number, a scale or a
    percent sign with nothing before it, a counter between a noun and the end of its
    clause, or a ratio that ends its clause shows the hole. Unit words without a number
    (``一家人``, ``个人``, ``家门口``, ``人员``, ``万一``, ``这家企业``, ``多个``) are none.

    >>> [(m.scale, m.unit, m.qualifier, m.indicator) for m in find_missing_values(
    ...     "张槎已复工企业累计家，调配近万个口罩，帮助一家人。")]
    [(None, '家', None, '复工企业'), ('万', '个', 'nearly', '口罩')]
    """
    vocab = vocabulary()
    words = _missing_words()
    tokens = _Tokens(text)
    names = _name_spans(text, vocab)
    holes: list[tuple[int, int, int, str | None, str | None, str | None]] = []
    pos = 0
    while pos < len(text):
        hole = _hole_at(text, pos, tokens, vocab, words, holes)
        if hole is None or _inside(pos, names):
            pos += 1
            continue
        holes.append(hole)
        pos = hole[2]
    holes += _ratio_holes(text, tokens, vocab, words)
    holes.sort()
    found: list[MissingMention] = []
    for i, hole in enumerate(holes):
        following = holes[i + 1][0] if i + 1 < len(holes) else len(text)
        found.append(_missing_mention(text, hole, following, vocab, found))
    return found


def _hole_at(
    text: str,
    h: int,
    tokens: _Tokens,
    vocab: Vocabulary,
    words: _MissingWords,
    holes: list[tuple[int, int, int, str | None, str | None, str | None]],
) -> tuple[int, int, int, str | None, str | None, str | None] | None:
    """(at, cue start, cue end, scale, unit, qualifier) of a hole before ``h``, or None."""
    prev = text[h - 1] if h else ""
    if prev and (prev in _NUMERAL_CHARS or prev in "万亿" or _ASCII_GLUE.match(prev)):
        return None  # a number is written here
    head = text[max(0, h - 4) : h]
    never = words.never_before
    if head.endswith(never) and any(
        head.endswith(w) and h - len(w) in tokens.boundaries for w in never
    ):
        return None  # 几个, 这家, 每人, 第...: no number was ever there
    if text.startswith("百分之", h):
        nxt = text[h + 3 : h + 4]
        if nxt and (nxt in _NUMERAL_CHARS or nxt.isdigit()):
            return None
        return h, h, h + 3, None, "%", None
    q = h
    scale: str | None = None
    more: str | None = None
    while q < len(text):  # 万个, 近万个, 余项, 万余人, 余万元
        if text[q] in "万亿" and scale is None:
            scale = text[q]
        elif text[q] in "余多" and more is None:
            more = text[q]
        else:
            break
        q += 1
    qualifier = "more-than" if more else None
    unit: str | None
    if q < len(text) and text[q] in "%％":
        unit, end = text[q], q + 1
    else:
        unit, inside = _unit_at(text, q, vocab)
        if unit is None:
            return _scale_alone(text, h, q, scale, more, tokens, vocab, words)
        end = q + len(unit) + inside
        if inside:
            qualifier = "more-than"
    hole = (h, h, end, scale, unit, qualifier)
    word = tokens.toks[tokens.index[h]]
    if word.start < h and word.end == end and word.word in words.tail_words:
        after = text[end : end + 1]
        return hole if not after or after in _CLAUSE_END + _SEGMENT_END else None
    if not tokens.whole(h, end, words.min_word_freq):
        return None  # part of a word: 个人, 人员, 家门口, 企业家, 万元户
    if unit in vocab.classifiers and end < len(text) and text[end] == unit[-1]:
        return None  # 个个, 家家: reduplication means every one
    if scale is not None and unit in vocab.measures:
        next_tok = tokens.starting_at(end)
        if next_tok is not None and (next_tok.flag[:1] == "n" or next_tok.flag in _NOUN_FLAGS):
            return None  # 亿元楼宇, 万元户: a category named by its size
    if scale is not None or unit in ("%", "％"):
        return hole  # 万个口罩, 增长%: a scale or a percent sign always stands after a number
    if unit in words.word_heads and not _word_follows(text, end, tokens):
        return None  # 人社中心, 组级, 张槎: the unit begins another word
    if more == "余" and text[h] == "余":
        return hole  # 问题余项: 余 (more than) always follows a number
    before = tokens.ending_at(h)
    noun_before = (
        before is not None
        and (before.flag in _NOUN_FLAGS or before.flag == "ns")
        and len(before.word) >= 2
        and unit not in words.word_tails
    )
    counted = unit in vocab.classifiers
    clause_end = end == len(text) or text[end] in _CLAUSE_END
    if more:  # 多个 is "several", unless its list lost numbers or it ends the clause
        if _continues_hole(text, h, tokens, words, holes) or (noun_before and clause_end):
            return hole  # 万个口罩和多把测温枪, 解决问题多个；
        return None
    trigger = _after_trigger(text, h, tokens, words)
    if trigger is not None and not (unit in words.complements and trigger in vocab.verbs):
        return hole  # 累计家, 有着年党龄, 对于家纳税大户, 成立了个临时党支部
    if unit == "年":
        return None  # 年 is a date or a word elsewhere
    if (
        before is not None
        and before.word[-1:] in words.collectives
        and len(before.word) == 2
        and (before.word[0] in _NUMERAL_CHARS or before.word[0] == "首")
        and unit in words.people
    ):
        return hole  # 一支人的党员先锋队, 首批名复工人员
    if counted and _clause_start(text, h) and _noun_follows(text, end, tokens, modified=True):
        return hole  # ，名党员干部冲锋在一线, ，个无职党员领岗领责, 、名居民
    if noun_before and counted and clause_end:
        return hole  # 党员志愿者人。 设岗数量个，
    if (
        noun_before
        and unit not in vocab.measures
        and unit not in words.word_heads
        and _noun_follows(text, end, tokens)
    ):
        return hole  # 党员小时轮岗站岗, 名市机关干部名区机关干部
    return None


def _scale_alone(
    text: str,
    h: int,
    q: int,
    scale: str | None,
    more: str | None,
    tokens: _Tokens,
    vocab: Vocabulary,
    words: _MissingWords,
) -> tuple[int, int, int, str | None, str | None, str | None] | None:
    """计划投资万左右: a scale with no unit, after a verb, before 左右/以上 or the clause end."""
    if scale is None or text[h] not in "万亿":
        return None
    rest = text[q : q + 2]
    tail = next((w for w in _longest_first(vocab.qualifiers_after) if rest.startswith(w)), "")
    if not tail and not (q == len(text) or text[q] in _CLAUSE_END):
        return None
    before = tokens.ending_at(h)
    verb = before is not None and before.flag[:1] == "v"
    if not verb and _after_trigger(text, h, tokens, words) is None:
        return None
    qualifier = "more-than" if more else vocab.qualifiers_after.get(tail)
    return h, h, q + len(tail), scale, None, qualifier


def _after_trigger(text: str, h: int, tokens: _Tokens, words: _MissingWords) -> str | None:
    """The word that takes a number and ends right before ``h`` (累计, 有着, 对于, 成立了,
    筹到), made of whole tokens (没有人 is no 有 + 人); None if there is none."""
    vocab = vocabulary()
    unit, _ = _unit_at(text, h, vocab)
    ends = [h]
    if h and text[h - 1] in "了为" and h - 1 in tokens.boundaries:
        ends.append(h - 1)  # 了 and 为 after a verb: 成立了个, 划分为个 (not 和了个)
    for pos in ends:
        for word in words.before:
            at = pos - len(word)
            if not text.startswith(word, at) or at not in tokens.boundaries:
                continue
            if pos < h and word not in vocab.verbs:
                continue
            if unit in words.trigger_exceptions.get(word, ()):
                continue  # 等人, 等方面: and others, in such respects
            return word
    return None


def _word_follows(text: str, end: int, tokens: _Tokens) -> bool:
    """After the unit: the end of the clause, 的, or a word of two characters or more."""
    if end >= len(text) or text[end] in _CLAUSE_END or text[end] == "的":
        return True
    first = tokens.starting_at(end)
    return first is not None and len(first.word) >= 2


def _clause_start(text: str, h: int) -> bool:
    """Nothing but quote marks between ``h`` and the start of its clause or list item."""
    left = text[max(0, h - 3) : h].rstrip(_STRIP)
    return not left or left[-1] in _CLAUSE_END or left[-1] == "、"


def _noun_follows(text: str, end: int, tokens: _Tokens, modified: bool = False) -> bool:
    """A common noun (not a name) comes next: 名党员干部, 名市机关干部, 个农村临时党支部;
    ``modified`` allows a two-character modifier before it (个无职党员)."""
    first = tokens.starting_at(end)
    if first is None:
        return False
    second = tokens.starting_at(first.end)
    noun_second = second is not None and second.flag in _NOUN_FLAGS and len(second.word) >= 2
    if first.flag not in _NOUN_FLAGS:
        return modified and first.flag in ("v", "a", "b") and len(first.word) == 2 and noun_second
    return len(first.word) >= 2 or noun_second


def _continues_hole(
    text: str,
    h: int,
    tokens: _Tokens,
    words: _MissingWords,
    holes: list[tuple[int, int, int, str | None, str | None, str | None]],
) -> bool:
    """筹到万个口罩和多把测温枪: a list item after a conjunction, in a clause whose previous
    item lost its number, lost its number too."""
    if not holes:
        return False
    left = max(text.rfind(c, 0, h) for c in _CLAUSE_END) + 1
    if holes[-1][0] < left:
        return False
    return any(
        text.startswith(w, h - len(w)) and h - len(w) in tokens.boundaries
        for w in words.conjunctions
    )


def _ratio_holes(
    text: str, tokens: _Tokens, vocab: Vocabulary, words: _MissingWords
) -> list[tuple[int, int, int, str | None, str | None, str | None]]:
    """Ratios and growth rates that end their clause with no percentage: 返岗率已达。,
    复工率。 (a clause of its own), 同比增长，."""
    out: list[tuple[int, int, int, str | None, str | None, str | None]] = []
    taken: set[int] = set()
    for word in (*words.ratio_words, *words.growth_ends):
        for m in re.finditer(re.escape(word), text):
            if m.start() in taken:
                continue
            end = m.end()
            glue = next((g for g in words.ratio_glue if text.startswith(g, end)), "")
            stop = end + len(glue)
            if stop < len(text) and text[stop] not in _CLAUSE_END:
                continue
            bare = not glue and word not in words.growth_ends
            if bare and not _bare_ratio(text, m.start(), end, tokens, vocab, words):
                continue
            taken.add(m.start())
            out.append((stop, m.start(), end, None, None, None))
    return out


def _bare_ratio(
    text: str, start: int, end: int, tokens: _Tokens, vocab: Vocabulary, words: _MissingWords
) -> bool:
    """复工率。 as a clause of its own is a ratio that lost its number; 提高工作效率。 is not
    (a common word, or a verb in the clause)."""
    if not tokens.whole(start, end, words.min_word_freq):
        return False
    left = max(text.rfind(c, 0, start) for c in _CLAUSE_END) + 1
    clause = [
        t
        for t in tokens.toks[tokens.index[left] : tokens.index[start]]
        if t.start >= left and t.word.strip(_STRIP)
    ]
    if not clause or len(clause) > 4:
        return False
    return not any(
        _verb(t.word, vocab) or t.word in vocab.growth_words or t.flag in ("p", "d", "r")
        for t in clause
    )


def _missing_mention(
    text: str,
    hole: tuple[int, int, int, str | None, str | None, str | None],
    following: int,
    vocab: Vocabulary,
    found: list[MissingMention],
) -> MissingMention:
    """Clause, qualifier, kind, indicator and period of a hole."""
    at, cue_start, cue_end, scale, unit, qualifier = hole
    ratio = unit is None and scale is None  # 复工率已达。 (投资万左右 has a scale and no unit)
    q_start = min(at, cue_start)
    if not ratio:
        head = text[max(0, at - 3) : at]
        for word in _longest_first(vocab.qualifiers_before):
            if head.endswith(word) and not (word == "近" and head.endswith("最近")):
                q_start = at - len(word)
                qualifier = qualifier or vocab.qualifiers_before[word]
                break
        rest = text[cue_end : cue_end + 2]
        for word in _longest_first(vocab.qualifiers_after):
            if rest.startswith(word) and len(word) > 1:
                qualifier = qualifier or vocab.qualifiers_after[word]
                cue_end += len(word)
                break
    start, end = _clause(text, q_start, max(at, cue_end))
    sentence_start = max(text.rfind(c, 0, q_start) for c in _SENTENCE_END) + 1
    qualifier = _modal(text, sentence_start, q_start, vocab) or qualifier
    ref_period = None
    period_start = start
    for m in vocab.period.finditer(text, sentence_start, q_start):
        if m.end() > q_start or not m.group().strip():
            continue
        if m.start() >= start or (end - m.start() <= _MAX_CLAUSE and _opens(text, m, vocab)):
            ref_period, period_start = m.group(), m.start()
    if ref_period is not None:
        start = min(start, period_start)
    # the indicator: between the previous hole in the clause and the next one
    left = max([start] + [text.rfind(c, start, q_start) + 1 for c in _SEGMENT_END])
    if found and found[-1].cue_end > left and found[-1].cue_end <= q_start:
        left = found[-1].cue_end
    right = min([end, max(following, cue_end)]
                + [i for c in _SEGMENT_END if (i := text.find(c, cue_end, end)) >= 0])  # fmt: skip
    if ratio:
        indicator = _ratio_phrase(text[left:cue_end], vocab)
        growth = (*_GROWTH_RATIOS, *_missing_words().growth_ends)
        kind = "growth-rate" if any(text.startswith(w, cue_start) for w in growth) else "ratio"
    else:
        after = _after_phrase(text[cue_end:right], vocab)
        if after is None and unit in vocab.classifiers:
            first = next(iter(_cut(text[cue_end:right])), None)
            if first is not None and len(first.word) >= 2 and first.flag[:1] in ("n", "v"):
                after = first.word  # 用辆包车: jieba reads 包车 as a verb
        before = _before_phrase(text[left:q_start], vocab)
        indicator = (after or before) if unit in vocab.classifiers else (before or after)
        number = _Number(at, cue_end, at, at, [], False, unit=unit)
        kind = _kind(text, number, start, at, vocab)
    return MissingMention(
        start=start,
        end=end,
        at=at,
        cue_start=cue_start,
        cue_end=cue_end,
        scale=scale,
        unit=unit,
        qualifier=qualifier,
        kind=kind,
        indicator=indicator,
        ref_period=ref_period,
    )


def _ratio_phrase(segment: str, vocab: Vocabulary) -> str | None:
    """The ratio named before its lost percentage, verbs included: 员工返岗率, 复工率."""
    words = [(w.word, w.flag) for w in _cut(segment)]
    while words and (words[-1][0] in vocab.glue or words[-1][1][:1] in ("d", "u")):
        words.pop()  # 已达, 为
    taken: list[str] = []
    for word, flag in reversed(words):
        if flag[:1] in ("x", "m", "q", "r", "p", "c", "d", "u") or len(taken) >= 4:
            break
        taken.append(word)
    return "".join(reversed(taken)) or None
