"""What each clause of an article is about: the place, company or body at its head.

A reporter names the subject once and then lets it carry: "湘潭华锐电机有限公司是辖区一家
生产工业电机的企业，共有员工420名" (the staff are the company's), "社区党委书记谭小军介绍，社区
划分为12个网格" (the grids are the community's), "今年，街道已为辖区312户退役军人家庭更换了
光荣牌" (the subdistrict's work). The *head* of a clause is the name written first in it,
after words that only set the scene (time words, 目前, 其中, 辖区, a locative 在): a named
place, community, estate, enterprise or body, or a bare word standing for one (街道, 社区,
公司, 该公司, 中心: see ``topic_words`` in ``places.yaml``). A name right after a bare word
is that word's (街道服务小分队, 望澄街道便民服务中心: the team, the centre), and an initiative or
a person at the head is no area. The *topic* at a position is the head of its clause, else
the last head before it in its paragraph.

:class:`Topics` computes the heads once per article; rules ask it what a position is about.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass

from kg.extract.claims import Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, CLAUSE_STOP
from kg.extract.lexicon import read_words

__all__ = ["AREA_TYPES", "Topics"]

AREA_TYPES = frozenset(
    {"Subdistrict", "Town", "Community", "Place", "Enterprise", "Organization", "District", "City"}
)
# Tags of words that only set the scene before a clause's subject: time words, numbers and
# counters of dates, locatives, adverbs, conjunctions, prepositions, punctuation.
_SCENE_FLAGS = frozenset({"t", "m", "q", "f", "d", "c", "p", "x", "mq"})
_MAX_SCENE = 12  # characters of scene-setting before a clause's head
_SENTENCE_STOP = frozenset("。！!？?；;\n")
_PLACE_PREPOSITIONS = frozenset("在于到从向")
_SAID = ("说", "介绍", "表示", "告诉记者", "称", "指出")


@dataclass(frozen=True)
class _Clause:
    start: int
    end: int
    paragraph: int
    subject: Mention | None  # the mention at its head, any type (a bare word resolved)
    head: Mention | None  # that mention when it is an area


@functools.cache
def _words() -> tuple[dict[str, str], tuple[str, ...]]:
    """(bare word → the class it stands for, scene-setting words), longest first."""
    data = read_words("places.yaml")
    bare = dict(sorted(data["topic_words"].items(), key=lambda kv: -len(kv[0])))
    scene = tuple(sorted(data["scene_words"], key=len, reverse=True))
    return bare, scene


def _project(mention: Mention) -> bool:
    """A project (an initiative named ...项目) has figures of its own: investment, output."""
    return mention.type == "Initiative" and mention.label.endswith("项目")


class Topics:
    """The heads of an article's clauses (see the module docstring)."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        t = ctx.doc.text
        mentions = sorted(ctx.claims.mentions, key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in mentions]
        self._mentions = mentions
        self._by_type: dict[str, tuple[list[int], list[Mention]]] = {}
        clauses = []
        start = 0
        for i, c in enumerate(t):
            if c in CLAUSE_STOP:
                if i > start:
                    clauses.append((start, i))
                start = i + 1
        if start < len(t):
            clauses.append((start, len(t)))
        self._clauses = []
        for s, e in clauses:
            subject = self._subject(s, e)
            head = self._area(subject, e) if subject is not None else None
            self._clauses.append(_Clause(s, e, t.rfind("\n", 0, s) + 1, subject, head))
        self._clause_starts = [c.start for c in self._clauses]

    def at(self, pos: int) -> Mention | None:
        """What the text at ``pos`` is about: its clause's head, else the last head before it
        in its paragraph; None when no clause of the paragraph up to there has one."""
        k = bisect.bisect_right(self._clause_starts, pos) - 1
        if k < 0:
            return None
        paragraph = self._clauses[k].paragraph
        while k >= 0 and self._clauses[k].paragraph == paragraph:
            head = self._clauses[k].head
            if head is not None:
                return head
            k -= 1
        return None

    def subject(self, pos: int) -> Mention | None:
        """The mention at the head of the clause holding ``pos``, of any type (an
        initiative too: 服务组协调办理车辆通行证16张)."""
        k = bisect.bisect_right(self._clause_starts, pos) - 1
        return self._clauses[k].subject if k >= 0 else None

    def agent(self, pos: int) -> Mention | None:
        """Who does what the clause holding ``pos`` says: the mention at the head of that
        clause, else of the nearest clause before it in its sentence that has one (Chinese
        names the subject once and drops it in the later clauses of a sentence, not across
        a full stop: 街道整合科室力量，成立企业服务中心，搭建“X”平台). None when that head
        follows a preposition of place (在惠民社区建成…: where, not who) or the clause before
        is a speaker's (X介绍，…)."""
        t = self.ctx.doc.text
        k = bisect.bisect_right(self._clause_starts, pos) - 1
        while k >= 0:
            clause = self._clauses[k]
            if clause.subject is not None:
                lead = t[clause.start : clause.subject.start].lstrip(" \u3000")
                return None if lead[:1] in _PLACE_PREPOSITIONS else clause.subject
            if k == 0 or t[clause.start - 1] in _SENTENCE_STOP:
                return None
            k -= 1
            if t[self._clauses[k].start : self._clauses[k].end].endswith(_SAID):
                return None  # X介绍，…: the speaker, not who did it
        return None

    def _mention_at(self, pos: int) -> Mention | None:
        at = bisect.bisect_left(self._starts, pos)
        return self._mentions[at] if at < len(self._starts) and self._starts[at] == pos else None

    def _subject(self, start: int, end: int) -> Mention | None:
        """The mention a clause names first, after words that set the scene (see the module
        docstring), or None."""
        doc = self.ctx.doc
        t = doc.text
        bare, scene = _words()
        pos = start
        if not doc.clean(start, min(end, start + _MAX_SCENE)):
            return None  # nothing is read from garbled text or page furniture
        while pos < end and pos - start <= _MAX_SCENE:
            if not CJK.match(t[pos]) and not t[pos].isalnum():
                pos += 1  # spaces, quote marks
                continue
            mention = self._mention_at(pos)
            if mention is not None:
                return mention
            word = next((w for w in bare if t.startswith(w, pos)), None)
            if word is not None and pos + len(word) <= end:
                after = self._mention_at(pos + len(word))
                if after is not None:  # 街道服务小分队: the team is the subject
                    return after
                return self._resolve(bare[word], pos)
            skip = next((w for w in scene if t.startswith(w, pos)), None)
            if skip is not None:
                pos += len(skip)
                continue
            tok = doc.tokens[doc.token_at(pos)]
            if tok.flag not in _SCENE_FLAGS or tok.start != pos:
                return None
            pos = tok.end
        return None

    def _area(self, mention: Mention, end: int) -> Mention | None:
        """The head a mention makes: itself when it is an area; the more specific place
        written right after it (西津湾街道七彩社区); none when it starts a list (A、B等28家:
        the number counts them) or is no area (an initiative)."""
        t = self.ctx.doc.text
        while True:
            nxt = self._mention_at(mention.end)
            if nxt is None or nxt.type not in AREA_TYPES:
                break
            mention = nxt
        if mention.type not in AREA_TYPES and not _project(mention):
            return None
        if mention.end < end and t[mention.end] == "、":
            return None
        return mention

    def _resolve(self, kind: str, pos: int) -> Mention | None:
        """The mention of a ``kind`` a bare word at ``pos`` stands for: the last one named
        before it, else the article's only one."""
        if kind not in self._by_type:
            found = [m for m in self._mentions if m.type == kind]
            self._by_type[kind] = ([m.start for m in found], found)
        starts, found = self._by_type[kind]
        at = bisect.bisect_left(starts, pos) - 1
        if at >= 0:
            return found[at]
        return found[0] if len({m.label for m in found}) == 1 else None
