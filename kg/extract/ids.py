"""Readable ids for the entities of a draft: pinyin slugs (``lin-xiaofeng``,
``jinnan-jiedao``, ``role-dangongwei-shuji``, ``jinnan-jiedao-dangongwei-shuji``,
``m005-fugong-qiye``), as docs/facts.md asks of annotators.

An id must mean one entity wherever it is used: the loader treats the same id in two fact
files as one node and refuses it when their types or labels differ. So ids are given per
batch (:class:`Registry`): the same type and label (and division code) get the same id in
every draft of the batch, one place named by two articles is one node; two different
entities whose slugs coincide (林晓峰 and 林小峰, a person and an enterprise) get ``-2``,
``-3``. Metrics are the article's own (``m005-...``).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from kg import cache
from kg.extract import tokens
from kg.extract.draft import DraftEntity
from kg.extract.lexicon import lexicon, longest_first

__all__ = ["Registry", "assign", "slug"]

_MAX = 48
_LONGEST_PHRASE = 6
_ASCII = re.compile(r"[a-z0-9]+")


@functools.cache
def _readings() -> tuple[dict[str, str], dict[str, list[str]]]:
    """pypinyin's readings, toneless: each character's first reading, and the phrases that
    read otherwise (重庆 chong-qing, 银行 yin-hang). Kept in :mod:`kg.cache`: importing
    pypinyin itself takes a good part of a second."""
    from importlib.metadata import version

    name = f"pinyin-{cache.key('1', version('pypinyin'))}.marshal"
    return cache.marshalled(name, _make_readings)


def _make_readings() -> tuple[dict[str, str], dict[str, list[str]]]:
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    chars = {chr(cp): _toneless(v.split(",")[0]) for cp, v in PINYIN_DICT.items()}
    phrases = {}
    for phrase, readings in PHRASES_DICT.items():
        read = [_toneless(r[0]) for r in readings]
        if len(read) == len(phrase) and read != [chars.get(c, c) for c in phrase]:
            phrases[phrase] = read
    return chars, phrases


def _toneless(reading: str) -> str:
    """``lǜ`` -> ``lv``, ``zhōng`` -> ``zhong``: pypinyin's NORMAL style."""
    decomposed = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _syllables(word: str) -> str:
    """One word in toneless pinyin, syllables run together; other letters and digits kept
    in lower case, anything else dropped."""
    chars, phrases = _readings()
    parts: list[str] = []
    i = 0
    while i < len(word):  # the longest phrase that starts here, else the character
        for n in range(min(len(word) - i, _LONGEST_PHRASE), 1, -1):
            read = phrases.get(word[i : i + n])
            if read is not None:
                parts += read
                i += n
                break
        else:
            parts.append(chars.get(word[i], word[i]))
            i += 1
    return "".join(_ASCII.findall("".join(parts).lower()))


@functools.lru_cache(maxsize=65536)
def slug(label: str, person: bool = False) -> str:
    """A label as a pinyin slug: words (as the tokenizer cuts them) joined by ``-``; a
    person's name as surname, then given name (``zeng-min``).

    >>> slug("锦南街道"), slug("雷新钱", person=True), slug("欧阳小明", person=True)
    ('jinnan-jiedao', 'lei-xinqian', 'ouyang-xiaoming')
    """
    if person:
        lex = lexicon()
        split = 2 if len(label) >= 3 and label[:2] in lex.compound_surnames else 1
        surname = lex.surname_readings.get(label[:split]) or _syllables(label[:split])
        words = [surname, _syllables(label[split:])]
    else:
        words = [_syllables(t.word) for t in tokens.cut(label)]
    return "-".join(w for w in words if w)[:_MAX].strip("-")


def _role_slug(label: str) -> str:
    """A role's slug, its organ apart from its position: ``dangongwei-shuji``."""
    position = next((p for p in _positions() if label.endswith(p) and p != label), None)
    if position is None:
        return slug(label)
    return f"{slug(label[: -len(position)])}-{slug(position)}"


@functools.cache
def _positions() -> tuple[str, ...]:
    return longest_first(lexicon().positions)


class Registry:
    """The ids given so far in a batch of drafts, and what each one names."""

    def __init__(self) -> None:
        self._named: dict[str, tuple[str, ...]] = {}
        self._given: dict[tuple[str, ...], str] = {}

    def give(self, base: str, key: tuple[str, ...]) -> str:
        """The id for the entity ``key`` (its type, label, code...): the one it already
        has, else ``base`` or, when ``base`` names another entity, ``base-2``, ``base-3``..."""
        if key in self._given:
            return self._given[key]
        candidate, n = base, 1
        while candidate in self._named:
            n += 1
            candidate = f"{base}-{n}"
        self._named[candidate] = key
        self._given[key] = candidate
        return candidate


_PERSON = frozenset({"Official", "Person"})


def assign(
    entities: list[DraftEntity],
    facts: list[dict[str, object]],
    article_id: str,
    registry: Registry | None = None,
) -> None:
    """Replace the provisional ids of a finished draft by readable ones, everywhere."""
    registry = registry or Registry()
    local = Registry()  # the article's own entities (metrics) never meet another draft's
    by_id = {e.id: e for e in entities}
    final: dict[str, str] = {}

    def key_of(e: DraftEntity) -> tuple[str, ...]:
        return (e.type, e.label or "", str(e.props.get("divisionCode", "")))

    # posts are named after their place and role, so those come first
    order = sorted(entities, key=lambda e: (e.type in ("Post", "Metric"), e.type == "Metric"))
    for e in order:
        if e.type == "Role":
            new = registry.give(f"role-{_role_slug(e.label or '') or 'x'}", key_of(e))
        elif e.type == "Post":
            where = final.get(str(e.props.get("postIn")), "post")
            role = by_id.get(str(e.props.get("role")))
            role_slug = _role_slug(role.label or "") if role is not None else ""
            post_key = ("Post", where, role.label if role is not None and role.label else "")
            new = registry.give(f"{where}-{role_slug or 'post'}", post_key)
        elif e.type == "Metric":
            indicator = str(e.props.get("indicator") or "")
            base = f"m{article_id}-{slug(indicator)[:32].strip('-') or 'metric'}"
            new = local.give(base, (e.id,))
        else:
            base = slug(e.label or "", person=e.type in _PERSON) or e.type.lower()
            new = registry.give(base, key_of(e))
        final[e.id] = new
    rename = final.get
    for e in entities:
        e.id = final[e.id]
        for key, value in e.props.items():
            if isinstance(value, list):
                e.props[key] = [rename(v, v) if isinstance(v, str) else v for v in value]
            elif isinstance(value, str):
                e.props[key] = rename(value, value)
    for f in facts:
        for key in ("subject", "object"):
            value = f.get(key)
            if isinstance(value, str):
                f[key] = rename(value, value)
