"""The one tokenizer of :mod:`kg.extract` and :mod:`kg.numbers`: words with their
part-of-speech tags and dictionary frequencies.

jieba's dictionary and models, with the user dictionary ``ontology/extract/userdict.txt``
(党工委, 有限公司, ...), in a tokenizer of our own: jieba's global one is left untouched, so
other code using jieba is not affected by our words. Loaded once, on first use.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.ontology import resource_dir

if TYPE_CHECKING:
    import jieba.posseg

__all__ = ["Token", "cut", "frequency"]


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text at ``start:end``, with its jieba part-of-speech tag."""

    start: int
    end: int
    word: str
    flag: str


@functools.cache
def _tagger() -> jieba.posseg.POSTokenizer:
    import io
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    userdict = (resource_dir("ontology") / "extract" / "userdict.txt").read_text("utf-8")
    tokenizer.load_userdict(io.StringIO(userdict))
    return jieba.posseg.POSTokenizer(tokenizer)


def cut(text: str, hmm: bool = True, offset: int = 0) -> list[Token]:
    """The words of ``text`` in order, their offsets counted from ``offset``.

    With ``hmm`` (the default) runs of characters the dictionary does not know are read by
    jieba's hidden Markov model, which guesses new words and their tags (a person's name
    as ``nr``); without it they stay single characters (what :mod:`kg.numbers` wants where
    the digits of an article were lost, so that a unit is not glued to its neighbours).
    """
    tokens = []
    at = offset
    for pair in _tagger().cut(text, HMM=hmm):
        tokens.append(Token(at, at + len(pair.word), pair.word, pair.flag))
        at += len(pair.word)
    return tokens


def frequency(word: str) -> int:
    """How common a word is in the dictionary (0 when absent): proper names are rare."""
    return int(_tagger().tokenizer.FREQ.get(word, 0) or 0)
