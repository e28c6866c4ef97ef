"""The one tokenizer of :mod:`kg.extract` and :mod:`kg.numbers`: words with their
part-of-speech tags and dictionary frequencies.

It cuts text exactly as ``jieba.posseg`` does with jieba's dictionary plus the user
dictionary ``ontology/extract/userdict.txt`` (党工委, 有限公司, ...) — the same words, the
same tags (a test compares the two on the seeds) — but starts in a fraction of the time
and runs faster:

- jieba builds a Python dict of every word and prefix (half a million entries, about a
  second) and imports its part-of-speech model as Python modules (another second). Here
  the words live in a trie (``marisa-trie``) and the model tables beside it, in one
  ``marshal`` file, built once from jieba's own files and kept in a cache
  folder (:mod:`kg.cache`), so a new process is ready in tens of milliseconds.
- jieba's part-of-speech Viterbi tries every previous state for every state; only the
  states that can precede one matter (the others add minus infinity), so only those are
  tried, which gives the same paths. Runs of unknown characters (names, mostly) are cut
  once per text and remembered.

jieba's global tokenizer is never touched, so other code using jieba is not affected by
our words. The cut follows jieba's ``posseg`` module (MIT licence) step by step.
"""

from __future__ import annotations

import array
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg import cache
from kg.ontology import resource_dir

__all__ = ["Token", "cut", "frequency"]

_FORMAT = 3  # bump when what the cache holds changes
_MIN_FLOAT = -3.14e100
_MIN_INF = float("-inf")
_NONE: frozenset[Any] = frozenset()

# jieba.posseg's own patterns: which runs the dictionary cuts, and which it skips.
_HAN_INTERNAL = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._]+)")
_SKIP_INTERNAL = re.compile("(\r\n|\\s)")
_HAN_DETAIL = re.compile("([\u4e00-\u9fd5]+)")
_SKIP_DETAIL = re.compile("([\\.0-9]+|[a-zA-Z0-9]+)")
_ENG = re.compile("[a-zA-Z0-9]+")
_NUM = re.compile("[\\.0-9]+")
_ENG1 = re.compile("^[a-zA-Z0-9]$", re.U)
_USERDICT_LINE = re.compile("^(.+?)( [0-9]+)?( [a-z]+)?$", re.U)


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text at ``start:end``, with its jieba part-of-speech tag."""

    start: int
    end: int
    word: str
    flag: str


class _Dictionary:
    """jieba's words (frequency, tag) in a trie, its total, and its part-of-speech model."""

    def __init__(
        self,
        trie: Any,
        freq: array.array,
        logp: array.array,
        tags: bytes,
        names: list[str],
        model: Any,
    ):
        self.trie = trie
        self.freq = freq
        self.tags = tags
        self.names = names
        self.total, self.longest, self.start_p, self.trans_p, self.emit_p, self.states = model
        self.log_total = math.log(self.total)
        self.unseen = math.log(1) - self.log_total
        self.logp = logp
        # the states that can precede each state (the others give minus infinity)
        before: dict[Any, set[Any]] = {}
        for x, nexts in self.trans_p.items():
            for y in nexts:
                before.setdefault(y, set()).add(x)
        self.before: dict[Any, frozenset[Any]] = {y: frozenset(xs) for y, xs in before.items()}
        self.all_states = list(self.trans_p.keys())

    def frequency(self, word: str) -> int:
        at = self.trie.get(word)
        return 0 if at is None else self.freq[at]

    def tag(self, word: str) -> str:
        at = self.trie.get(word)
        return "x" if at is None else self.names[self.tags[at]]


def _userdict() -> str:
    """Our user dictionary's text."""
    return (resource_dir("ontology") / "extract" / "userdict.txt").read_text("utf-8")


def _jieba_dict() -> Path:
    """jieba's dictionary file (jieba is imported only to build the cache)."""
    import jieba

    return Path(jieba.__file__).parent / "dict.txt"


def _build(dict_file: Path) -> tuple[dict[str, int], dict[str, str], int]:
    """Words, tags and total frequency of jieba's dictionary file, as jieba reads them."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    total = 0
    for line in dict_file.read_text("utf-8").splitlines():
        line = line.strip()
        if not line:
            continue
        word, count, tag = line.split(" ")
        freq[word] = int(count)
        total += int(count)
        tags[word] = tag
    return freq, tags, total


def _add_user_words(userdict: str, freq: dict[str, int], tags: dict[str, str]) -> int:
    """Our words, added as jieba's ``load_userdict`` adds them; returns the added total."""
    added = 0
    for line in userdict.splitlines():
        line = line.strip()
        if not line:
            continue
        match = _USERDICT_LINE.match(line)
        assert match is not None
        word, count, tag = match.groups()
        if count is None:
            raise ValueError(f"userdict.txt: {line!r} needs a frequency")
        freq[word] = int(count)
        added += int(count)
        if tag:
            tags[word] = tag.strip()
    return added


def _make() -> tuple[Any, ...]:
    """The dictionary as plain data, from jieba's own files and our user dictionary."""
    import marisa_trie
    from jieba.posseg import char_state_tab, prob_emit, prob_start, prob_trans

    freq, tags, total = _build(_jieba_dict())
    total += _add_user_words(_userdict(), freq, tags)
    trie = marisa_trie.Trie(freq.keys())
    names = sorted(set(tags.values()) | {"x"})
    index = {name: i for i, name in enumerate(names)}
    counts = array.array("q", bytes(8 * len(trie)))
    kinds = bytearray([index["x"]] * len(trie))
    for word, count in freq.items():
        at = trie[word]
        counts[at] = count
        kinds[at] = index[tags.get(word, "x")]
    log_total = math.log(total)
    logp = array.array("d", (math.log(c or 1) - log_total for c in counts))
    longest = max(map(len, freq))
    model = (total, longest, prob_start.P, prob_trans.P, prob_emit.P, char_state_tab.P)
    return trie.tobytes(), counts.tobytes(), logp.tobytes(), bytes(kinds), names, model


@functools.cache
def _dictionary() -> _Dictionary:
    """The dictionary, from the cache (:mod:`kg.cache`; made there first if need be)."""
    from importlib.metadata import version

    import marisa_trie

    name = f"tokens-{cache.key(str(_FORMAT), version('jieba'), _userdict())}.marshal"
    trie_bytes, counts, logs, kinds, names, model = cache.marshalled(name, _make)
    trie = marisa_trie.Trie().frombytes(trie_bytes)
    freq, logp = array.array("q"), array.array("d")
    freq.frombytes(counts)
    logp.frombytes(logs)
    return _Dictionary(trie, freq, logp, kinds, names, model)


def frequency(word: str) -> int:
    """How common a word is in the dictionary (0 when absent): proper names are rare."""
    return _dictionary().frequency(word)


def cut(text: str, hmm: bool = True, offset: int = 0) -> list[Token]:
    """The words of ``text`` in order, their offsets counted from ``offset``.

    With ``hmm`` (the default) runs of characters the dictionary does not know are read by
    jieba's hidden Markov model, which guesses new words and their tags (a person's name
    as ``nr``); without it they stay single characters (what :mod:`kg.numbers` wants where
    the digits of an article were lost, so that a unit is not glued to its neighbours).
    """
    d = _dictionary()
    out: list[Token] = []
    at = offset
    for word, flag in _cut(d, text, hmm):
        out.append(Token(at, at + len(word), word, flag))
        at += len(word)
    return out


def _cut(d: _Dictionary, text: str, hmm: bool) -> Iterator[tuple[str, str]]:
    for block in _HAN_INTERNAL.split(text):
        if not block:
            continue
        if _HAN_INTERNAL.match(block):
            yield from (_cut_dag(d, block) if hmm else _cut_dag_no_hmm(d, block))
            continue
        for x in _SKIP_INTERNAL.split(block):
            if _SKIP_INTERNAL.match(x):
                yield x, "x"
            else:
                for xx in x:
                    if _NUM.match(xx):
                        yield xx, "m"
                    elif _ENG.match(x):
                        yield xx, "eng"
                    else:
                        yield xx, "x"


def _route(d: _Dictionary, sentence: str) -> list[int]:
    """For each position, where the most probable word starting there ends (exclusive):
    jieba's ``get_DAG`` and ``calc`` in one pass, with the same sums and tie-breaks."""
    n = len(sentence)
    prefixes, freq, logp, longest = d.trie.iter_prefixes_with_ids, d.freq, d.logp, d.longest
    unseen = d.unseen
    best = [0.0] * (n + 1)
    ends = [0] * n
    for k in range(n - 1, -1, -1):
        top, at = 0.0, -1
        for word, i in prefixes(sentence[k : k + longest]):
            if freq[i]:
                x = k + len(word)
                p = logp[i] + best[x]
                if at < 0 or p > top or (p == top and x > at):
                    top, at = p, x
        if at < 0:  # no word starts here: the character alone, as if seen once
            top, at = unseen + best[k + 1], k + 1
        best[k] = top
        ends[k] = at
    return ends


def _cut_dag(d: _Dictionary, sentence: str) -> Iterator[tuple[str, str]]:
    route = _route(d, sentence)
    x, n, buf = 0, len(sentence), ""
    while x < n:
        y = route[x]
        word = sentence[x:y]
        if y - x == 1:
            buf += word
        else:
            if buf:
                yield from _unknown(d, buf)
                buf = ""
            yield word, d.tag(word)
        x = y
    if buf:
        yield from _unknown(d, buf)


def _unknown(d: _Dictionary, buf: str) -> Iterator[tuple[str, str]]:
    """A run of single characters: one known character, a run the dictionary knows as a
    word (cut into characters), or a run the model reads."""
    if len(buf) == 1:
        yield buf, d.tag(buf)
    elif not d.frequency(buf):
        yield from _detail(buf)
    else:
        for char in buf:
            yield char, d.tag(char)


@functools.lru_cache(maxsize=65536)
def _detail(buf: str) -> tuple[tuple[str, str], ...]:
    """jieba's reading of a run it does not know (remembered: names recur)."""
    d = _dictionary()
    out: list[tuple[str, str]] = []
    for block in _HAN_DETAIL.split(buf):
        if not block:
            continue
        if _HAN_DETAIL.match(block):
            out.extend(_hmm(d, block))
            continue
        for x in _SKIP_DETAIL.split(block):
            if x:
                out.append((x, "m" if _NUM.match(x) else "eng" if _ENG.match(x) else "x"))
    return tuple(out)


def _cut_dag_no_hmm(d: _Dictionary, sentence: str) -> Iterator[tuple[str, str]]:
    route = _route(d, sentence)
    x, n, buf = 0, len(sentence), ""
    while x < n:
        y = route[x]
        word = sentence[x:y]
        if _ENG1.match(word):
            buf += word
        else:
            if buf:
                yield buf, "eng"
                buf = ""
            yield word, d.tag(word)
        x = y
    if buf:
        yield buf, "eng"


def _hmm(d: _Dictionary, sentence: str) -> Iterator[tuple[str, str]]:
    """Words and tags by the part-of-speech model (jieba.posseg's ``__cut``)."""
    states = _viterbi(d, sentence)
    begin, nexti = 0, 0
    for i, char in enumerate(sentence):
        pos, tag = states[i]
        if pos == "B":
            begin = i
        elif pos == "E":
            yield sentence[begin : i + 1], tag
            nexti = i + 1
        elif pos == "S":
            yield char, tag
            nexti = i + 1
    if nexti < len(sentence):
        yield sentence[nexti:], states[nexti][1]


def _viterbi(d: _Dictionary, obs: str) -> list[Any]:
    """jieba.posseg's Viterbi, trying for each state only the states that can precede it
    (the same maximum: the others add minus infinity)."""
    start_p, trans_p, emit_p, table = d.start_p, d.trans_p, d.emit_p, d.states
    before = d.before
    score: dict[Any, float] = {}
    paths: list[dict[Any, Any]] = [{}]
    for y in table.get(obs[0], d.all_states):
        score[y] = start_p[y] + emit_p[y].get(obs[0], _MIN_FLOAT)
        paths[0][y] = ""
    for t in range(1, len(obs)):
        previous = [x for x in paths[t - 1] if trans_p[x]]
        known = set(previous)
        char = obs[t]
        # the states this character may have that some previous state can lead to
        candidates = [
            y for y in table.get(char, d.all_states) if not before.get(y, _NONE).isdisjoint(known)
        ]
        if not candidates:
            expected = {y for x in previous for y in trans_p[x]}
            candidates = list(expected) if expected else list(d.all_states)
        now: dict[Any, float] = {}
        path: dict[Any, Any] = {}
        for y in candidates:
            emit = emit_p[y].get(char, _MIN_FLOAT)
            tried = before.get(y, _NONE) & known
            if tried:
                prob, state = max((score[x] + trans_p[x][y] + emit, x) for x in tried)
            else:  # every previous state gives minus infinity; jieba keeps the greatest
                prob, state = _MIN_INF, max(previous)
            now[y] = prob
            path[y] = state
        score = now
        paths.append(path)
    _, state = max((score[y], y) for y in paths[-1])
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = paths[i][state]
    return route
