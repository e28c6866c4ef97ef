"""People and their posts.

A post is a title (``organ? position``: 党工委书记, 社区书记, 所长...) after the place or body
it belongs to and before a name: ``Official`` for party and government posts, ``Person``
otherwise (业委会主任, company managers), each post a ``Post`` with its ``Role``. The place may
be left to the reader: a bare 街道 or 公司 before the title stands for the one the article
names, and a title that names its level (县委常委, 党工委副书记) belongs to the article's only
area of that level. Titles chained before one name (县委常委、街道党工委书记李明华,
董事长兼总经理) are all that person's. After a collective title (街道领导, 班子成员) the people
listed hold no post but are members of the place; after a description (老党员, 志愿者) they
are persons of the story. A list of names (王一、李二、张三等) shares the title before it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import cast

from kg.extract import tokens
from kg.extract.claims import Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, FUNCTION, NOT_GIVEN, Doc
from kg.extract.draft import DraftEntity
from kg.extract.lexicon import lexicon, longest_first
from kg.extract.organizations import public
from kg.extract.places import admin_types, community_of_unit

__all__ = ["find"]

_NAME_STOP = frozenset("，,。；;、：:！？!?（）() \u3000\n“”")
_PERSON_FLAGS = frozenset({"nr", "nrfg", "nrt"})


@dataclass
class _Cue:
    """A title, collective title or description before a name (``kind``: post, member,
    person); ``start`` is where its words begin (a bare 街道 before it included)."""

    start: int
    end: int
    kind: str
    organ: str
    position: str
    where: Mention | None = None


def _nearest(ctx: Context, type_: str, before: int, suffix: str = "") -> Mention | None:
    """The mention of a ``type_`` named last before ``before`` (its label ending in
    ``suffix``), else the article's only one; None when there is none or several."""
    found = _by_type(ctx, type_, suffix)
    at = bisect.bisect_right([m.end for m in found], before)
    if at > 0:
        return found[at - 1]
    return found[0] if len({m.label for m in found}) == 1 else None


def _kind_suffix(word: str) -> str:
    """What the name of the place a bare word stands for ends in: 社区 a community's (not a
    village's, also a Community), 村 a village's, 服务队 a team's (服务队队长: the 志愿服务队
    named before); others any name of their class."""
    return word if word in ("社区", "村") or lexicon().bare_words[word] == "Initiative" else ""


def _by_type(ctx: Context, type_: str, suffix: str) -> list[Mention]:
    """The mentions of a type (labels ending in ``suffix``) in text order, gathered once
    per article and kind (a long article has thousands of titles to place)."""
    key = (type_, suffix, len(ctx.claims.mentions))
    cached = ctx.memo.get(key)
    if cached is None:
        cached = ctx.memo[key] = sorted(
            (m for m in ctx.claims.mentions if m.type == type_ and m.label.endswith(suffix)),
            key=lambda m: (m.end, m.start),
        )
    return cast("list[Mention]", cached)  # the memo holds every rule's lookups as objects


def _cues(ctx: Context) -> list[_Cue]:
    """Every title, collective title and description in the text outside the names already
    claimed, with the place or body it belongs to."""
    lex = lexicon()
    t = ctx.doc.text
    masked = list(t)
    ends: dict[int, Mention] = {}
    for mention in ctx.claims.mentions:
        keep_last = (
            mention.end < len(t) and t[mention.end] == "委" and mention.label[-1] in "市区县省镇村"
        )
        for k in range(mention.start, mention.end - (1 if keep_last else 0)):
            masked[k] = "\x00"
        ends[mention.end] = mention
    text = "".join(masked)
    organs = "|".join(map(re.escape, longest_first(lex.organs)))
    positions = "|".join(map(re.escape, longest_first(lex.positions)))
    others = "|".join(map(re.escape, longest_first([*lex.collectives, *lex.descriptions])))
    pattern = (
        rf"(?P<age>{_AGE})|(?P<other>{others})|(?P<organ>{organs})?(?P<position>{positions})"
    )
    found: list[_Cue] = []
    for m in re.finditer(pattern, text):
        word = m.group("other")
        if m.group("age"):
            found.append(_Cue(m.start(), m.end(), "age", "", ""))
            continue
        if word and not (word in lex.positions and m.start() in ends):
            kind = "member" if word in lex.collectives else "person"
            cue = _Cue(m.start(), m.end(), kind, "", word)
        elif word:  # 珠儿潭社区志愿者朱秀娟: a post of the community
            cue = _Cue(m.start(), m.end(), "post", "", word)
        else:
            cue = _Cue(m.start(), m.end(), "post", m.group("organ") or "", m.group("position"))
            dept = None if cue.organ else _DEPARTMENT.search(text, max(0, cue.start - 9), cue.start)
            if dept is not None and lex.positions[cue.position] is False:
                cue.organ, cue.start = dept.group(1), dept.start(1)  # 公司安全运行部经理
        _place(ctx, cue, ends)
        found.append(cue)
    return found


def _place(ctx: Context, cue: _Cue, ends: dict[int, Mention]) -> None:
    """Where a cue belongs: the name right before it (or before 的 or a closing quote), a
    bare word for the article's place or body, or the area its title names the level of."""
    lex = lexicon()
    t = ctx.doc.text
    s = cue.start
    if cue.organ in lex.level_organs and s + 1 in ends:
        cue.where = ends[s + 1]  # 青岛市委书记: the 市 ends 青岛市 and begins 市委
    elif s in ends:
        cue.where = ends[s]
    elif s > 0 and t[s - 1] in "的”" and s - 1 in ends:
        cue.where = ends[s - 1]  # 小区的业委会主任, “阳光议事亭”亭长
    if cue.where is not None:
        cue.where = community_of_unit(ctx, cue.where) or cue.where  # 8栋2单元的单元长
        return
    for word in longest_first(lex.bare_words):
        at = s - len(word)
        if at >= 0 and t.startswith(word, at) and ctx.claims.free(at, s):
            cue.where = _nearest(ctx, lex.bare_words[word], at, _kind_suffix(word))
            if cue.where is not None:
                cue.start = at
            return
    if cue.organ in lex.bare_words:  # 社区网格员王海燕, 村网格员: the community named before
        cue.where = _nearest(ctx, lex.bare_words[cue.organ], s, _kind_suffix(cue.organ))
        if cue.where is not None and lex.positions[cue.position] is True:
            cue.where = None  # 社区民警: a title of its own (the police's), not the community's
        elif cue.where is not None and lex.positions[cue.position] is False:
            cue.organ = ""  # only where the post is, not part of the title (role 网格员)
        return
    level = lex.level_titles.get(cue.organ) or lex.level_titles.get(cue.position)
    if level is not None and not cue.organ.startswith("村"):
        cue.where = _nearest(ctx, level[0], s, level[1])
    elif cue.kind == "member" and lex.collectives.get(cue.position):
        cue.where = _nearest(ctx, lex.collectives[cue.position], s)  # 街道领导


def _name_at(doc: Doc, pos: int) -> tuple[int, int] | None:
    """A person's name starting at ``pos`` (after at most one space): a surname and one or
    two characters, or a name jieba reads as one, or a short run up to where the sentence
    goes on (乌云其其格, 敖特根和)."""
    t = doc.text
    if pos < len(t) and t[pos] in " \u3000":
        pos += 1
    return _long_name(doc, pos) or _surname_name(doc, pos) or _other_name(doc, pos)


def _run_end(doc: Doc, pos: int, longest: int) -> int | None:
    """Where a name starting at ``pos`` ends when it runs to a stop: punctuation, 等, a
    follower word (说, 一行...), or a word that goes on the sentence (an adverb, verb,
    pronoun or time word of two characters: 每周, 参加); None past ``longest`` characters."""
    t = doc.text
    lex = lexicon()
    for end in range(pos + 2, min(len(t), pos + longest) + 1):
        word = doc.tokens[doc.token_at(end - 1)]
        if not CJK.match(t[end - 1]) or (len(word.word) == 1 and word.word in NOT_GIVEN):
            return None  # a function word on its own ends the name (李四的)
        if end == len(t) or t[end] in _NAME_STOP or t[end] == "等":
            return end
        if end not in doc.bounds:
            continue
        if t[end:].startswith(lex.followers):
            return end
        nxt = doc.tokens[doc.token_at(end)]
        if len(nxt.word) >= 2 and nxt.flag[:1] in ("v", "d", "p", "r", "t"):
            return end
    return None


def _long_name(doc: Doc, pos: int) -> tuple[int, int] | None:
    """A name longer than the word jieba reads as a name at its start (乌云|其其|格 is
    乌云其其格): the run to its stop, at most five characters, when what follows that
    first word holds no common word."""
    if pos >= len(doc.text):
        return None
    tok = doc.tokens[doc.token_at(pos)]
    if tok.start != pos or tok.flag not in _PERSON_FLAGS:
        return None
    end = _run_end(doc, pos, 5)
    if end is None or end - pos < 4 or end <= tok.end:
        return None
    common = lexicon().common_word_frequency
    rest = doc.tokens[doc.token_at(tok.end) : doc.token_at(end - 1) + 1]
    if any(len(x.word) >= 2 and tokens.frequency(x.word) >= common for x in rest):
        return None
    return pos, end


def _listed_name(doc: Doc, pos: int) -> tuple[int, int] | None:
    """A name that continues a list of names (高建平、宝音、刘雅琴): any name, or two to four
    characters running to the item's stop (宝音, 其木格每周: names jieba does not know)."""
    found = _name_at(doc, pos)
    if found is not None:
        return found
    end = _run_end(doc, pos, 4)
    if end is None or _common_word(doc, pos, end):
        return None
    return pos, end


def _surname_name(doc: Doc, pos: int) -> tuple[int, int] | None:
    lex = lexicon()
    t = doc.text
    if t[pos : pos + 2] in lex.compound_surnames:
        surname = 2
    elif pos < len(t) and t[pos] in lex.surnames:
        surname = 1
    else:
        return None
    for given in (2, 1):
        end = pos + surname + given
        name = t[pos:end]
        if end > len(t) or not all(CJK.match(c) for c in name) or not doc.clean(pos, end):
            continue
        if given == 2 and t[pos + surname + 1 :].startswith(lex.followers):
            continue
        word = doc.tokens[doc.token_at(pos)]
        read_as_name = word.start == pos and word.end == end and word.flag in _PERSON_FLAGS
        if (
            given == 1
            and end < len(t)
            and CJK.match(t[end])
            and t[end] not in "、等"
            and not t[end:].startswith(lex.followers)
            and not (read_as_name and end in doc.bounds)  # 邱敏|组建: jieba reads the name
        ):
            continue
        if any(c in NOT_GIVEN for c in name[surname:]):
            continue
        if given == 2 and _word_starts(doc, pos + surname + 1, end):
            continue  # 张磊|来到, 邱敏|组建: the third character begins a word
        if _common_word(doc, pos, end) or name[surname:] in lex.positions:
            continue  # 满意, 任组长: a word, not a name
        whole_word = word.start == pos and word.end == end and word.flag not in _PERSON_FLAGS
        if whole_word and tokens.frequency(word.word) > 0:
            continue  # 满意率: a word of the dictionary that is no name
        return pos, end
    return None


def _word_starts(doc: Doc, at: int, end: int) -> bool:
    """Whether a common word of two characters or more starts at ``at`` and runs past
    ``end``."""
    tok = doc.tokens[doc.token_at(at)]
    common = tokens.frequency(tok.word) >= lexicon().common_word_frequency
    return tok.start == at and tok.end > end and common


def _common_word(doc: Doc, start: int, end: int) -> bool:
    """Whether ``start:end`` is, or is inside, one common word of the dictionary that is no
    name (满意, 群众满意)."""
    tok = doc.tokens[doc.token_at(start)]
    inside = tok.start <= start and end <= tok.end
    common = tokens.frequency(tok.word) >= lexicon().common_word_frequency
    return inside and common and tok.flag not in _PERSON_FLAGS


def _other_name(doc: Doc, pos: int) -> tuple[int, int] | None:
    """A name with no common surname: the word jieba tags as a person's name, or two to
    five characters that end where a list, a clause or a follower word begins and are no
    common word."""
    lex = lexicon()
    t = doc.text
    if pos >= len(t) or not CJK.match(t[pos]):
        return None
    tok = doc.tokens[doc.token_at(pos)]
    if tok.start == pos and tok.flag in _PERSON_FLAGS and 2 <= len(tok.word) <= 4:
        return pos, tok.end
    for n in (5, 4, 3, 2):
        end = pos + n
        name = t[pos:end]
        if end > len(t) or not all(CJK.match(c) for c in name) or not doc.clean(pos, end):
            continue
        ends_here = end == len(t) or t[end] in _NAME_STOP or t[end] == "等"
        if not ends_here and not t[end:].startswith(lex.followers):
            continue
        if any(c in NOT_GIVEN for c in name[1:]) or end not in doc.bounds:
            continue
        if _common_word(doc, pos, end):
            continue
        if any(len(x.word) > 1 and tokens.frequency(x.word) > 0
               for x in doc.tokens[doc.token_at(pos) : doc.token_at(end - 1) + 1]):  # fmt: skip
            continue  # 表示, 号召, 花名册: words of the dictionary, not a name
        return pos, end
    return None


def _names(doc: Doc, pos: int, strict: bool) -> list[tuple[int, int]]:
    """The name at ``pos`` and those listed after it (王一、李二、张三等); ``strict`` (after
    a description: 党员干部, 居民响应) only names with a common surname come first."""
    t = doc.text
    first = _surname_name(doc, pos + (t[pos : pos + 1] in (" ", "\u3000"))) if strict else None
    first = first if strict else _name_at(doc, pos)
    if first is None:
        return []
    out = [first]
    while out[-1][1] < len(t) and t[out[-1][1]] == "、":
        nxt = _listed_name(doc, out[-1][1] + 1)
        if nxt is None:
            break
        out.append(nxt)
    return out


def _official(organ: str, position: str, where: Mention | None) -> bool:
    """Whether a title makes its holder an Official (see ``ontology/extract/titles.yaml``)."""
    lex = lexicon()
    o = lex.organs.get(organ) if organ else None
    p = lex.positions[position]
    if o is False or p is False:
        return False
    if o is True or p is True:
        return True
    if where is not None and where.type == "Organization":
        return public(where)  # 派出所所长 yes, 医院主任 no
    return where is not None and where.type in admin_types() | {"Community"}


# Between a title and a description of the same person: 、 and perhaps an age
# (队长、67岁的退休职工).
_AGE_BETWEEN = re.compile(r"、(?:[0-9０-９]{1,3}岁的?)?")
# An age written before a person, with 的 (82岁的刘振声, 92岁的老党员那日苏): what follows is a
# person of the story, and a description right after it may name one with no common surname.
_AGE = r"[0-9０-９]{1,3}岁的|[一二三四五六七八九十]{1,3}岁的"
# A company's department written between the company (its name, masked, or a bare 公司) and
# a title no official holds (公司安全运行部经理许光明: the title 安全运行部经理).
_DEPARTMENT = re.compile("(?:公司|企业|\x00)([\u4e00-\u9fff]{2,5}部)$")
# Verbs that give a post to the person named right before them (周建国同志任街道党工委书记,
# 由王一担任队长): the title after them is that person's.
_APPOINTED = re.compile(r"(?:同志)?(?:担任|出任|兼任|任)$")


def find(ctx: Context) -> None:
    """Officials and other people named after their titles, with Roles and Posts; members
    after collective titles; persons after descriptions."""
    doc = ctx.doc
    cues = _cues(ctx)
    t = doc.text
    chain: list[_Cue] = []
    for i, cue in enumerate(cues):
        chain.append(cue)
        after_age = i > 0 and cues[i - 1].kind == "age" and cues[i - 1].end == cue.start
        strict = cue.kind == "age" or (cue.kind == "person" and not after_age)
        names = _names(doc, cue.end, strict=strict)
        if not names and cue.kind == "age":
            chain.pop()  # 队长、67岁的退休职工杜秀芬: the age goes with the description after it
            continue
        if not names and cue.kind == "post":
            before = _name_before(ctx, chain, cue)
            if before is not None:
                _person(ctx, chain, before[0], before[1])
                chain = []
                continue
        if not names:
            nxt = cues[i + 1] if i + 1 < len(cues) else None
            if nxt is not None and cue.kind == nxt.kind == "post":
                own = nxt.where if nxt.where is not None and nxt.where.start >= cue.end else None
                gap_end = nxt.start if own is None else own.start  # to its own place or body
                gap = t[cue.end : max(cue.end, gap_end)]
                if gap in ("", "、", "兼", "、“") and nxt.start - cue.end <= 20:
                    if nxt.where is None:
                        nxt.where = cue.where  # 董事长兼总经理, 党工委委员、副主任: the same body
                    continue  # the next title is held by the same person
            if (
                nxt is not None
                and cue.kind == "post"
                and nxt.kind in ("person", "age")
                and _AGE_BETWEEN.fullmatch(t[cue.end : nxt.start])
            ):
                continue  # 银龄志愿队队长、67岁的退休职工杜秀芬: the team's post, then who she is
            chain = []
            continue
        for name in names:
            _person(ctx, chain, name)
        chain = []


def _name_before(ctx: Context, chain: list[_Cue], cue: _Cue) -> tuple[tuple[int, int], int] | None:
    """A name written before the titles of ``chain`` that are its person's: in brackets after
    it (王一（街道党工委书记）) or with a verb of appointment between (周建国同志任街道党工委书记).
    The name and where the words stating the post end."""
    t = ctx.doc.text
    first = chain[0]
    start = first.start
    if first.where is not None and 0 <= first.start - first.where.end <= 1:
        start = first.where.start  # the place written right before the title
    if t[start - 1 : start] in ("（", "(") and t[cue.end : cue.end + 1] in ("）", ")"):
        name_end, span_end = start - 1, cue.end + 1
    else:
        verb = _APPOINTED.search(t, max(0, start - 4), start)
        if verb is None:
            return None
        name_end, span_end = verb.start(), cue.end
    lex = lexicon()
    names = []
    for n in (3, 2, 4):
        at = name_end - n
        found = _name_at(ctx.doc, at) if at >= 0 else None
        if found != (at, name_end) or ctx.claims.taken(at, name_end) or t[at] in FUNCTION:
            continue  # 由王一: a function word is not part of the name
        surname = t[at] in lex.surnames or t[at : at + 2] in lex.compound_surnames
        names.append((not surname, found))
    return (min(names)[1], span_end) if names else None


def _person(
    ctx: Context, chain: list[_Cue], name: tuple[int, int], span_end: int | None = None
) -> None:
    """One person named after the cues of ``chain`` (or before them, the words stating the
    post ending at ``span_end``): their entity, posts and memberships."""
    b, t = ctx.builder, ctx.doc.text
    lex = lexicon()
    label = t[name[0] : name[1]]
    end = max(name[1], span_end or 0)
    posts, official, members = [], False, []
    for cue in chain:
        if cue.position in lex.bylines or cue.kind in ("person", "age"):
            continue
        if cue.kind == "member":
            if cue.where is not None:
                members.append(cue)
            continue
        official = official or _official(cue.organ, cue.position, cue.where)
        if cue.where is None:
            b.skipped.append(
                f"{cue.organ}{cue.position} {label}: no place or organization named "
                "before the title"
            )
            continue
        posts.append(cue)
    if all(c.position in lex.bylines for c in chain):
        return  # 记者 王一: a byline, not a person of the story
    start = min([c.where.start for c in posts if c.where] + [chain[0].start])
    person = Mention(name[0], name[1], "Official" if official else "Person", label)
    existing = b.by_key.get(("Person", label))
    if existing is None:
        e = b.entity(person)
        e.quote, e.occurrence = b.quote(min(start, name[0]), end)
    else:
        e = existing
        if official and e.type == "Person":
            e.type = "Official"
    for cue in posts:
        _post(ctx, e, cue, end, name[0])
    for cue in members:
        body = b.of(cue.where)
        if body is not None and body.id not in e.props.get("memberOf", []):
            e.props.setdefault("memberOf", []).append(body.id)


def _post(ctx: Context, person: DraftEntity, cue: _Cue, name_end: int, name_start: int) -> None:
    """The person holds the post of ``cue`` (a Role in a place or organization); the post is
    quoted from its place (or the name, when written first) to ``name_end``."""
    b = ctx.builder
    lex = lexicon()
    assert cue.where is not None
    where = b.of(cue.where) or b.by_key.get(("Enterprise", cue.where.label))
    if where is None:
        return
    role_label = cue.organ + cue.position
    title_at = cue.end - len(role_label)  # a bare 街道 before the title is not part of it
    t = ctx.doc.text
    prefix = next(
        (p for end, p in lex.prefix_by_place.items() if cue.where.label.endswith(end)), ""
    )
    if not (cue.organ in lex.village_prefixed_organs and t.endswith(prefix, 0, title_at)):
        prefix = ""
    role_label = prefix + role_label  # 村党委书记, 社区党委书记, 镇党委书记, as written
    role_key = ("Role", role_label)
    if role_key not in b.by_key:
        role = b.entity(Mention(title_at, cue.end, "Role", role_label))
        role.label = role_label
        role.quote, role.occurrence = b.quote(title_at - len(prefix), cue.end)
    role = b.by_key[role_key]
    post_key = ("Post", f"{where.id} {role_label}")
    if post_key not in b.by_key:
        written_before = cue.where.end <= cue.start and cue.start - cue.where.end < 2
        q, occ = b.quote(
            min(name_start, cue.where.start if written_before else cue.start), name_end
        )
        post = DraftEntity(
            id=b.new_id(),
            type="Post",
            quote=q,
            occurrence=occ,
            props={"postIn": where.id, "role": role.id},
        )
        b.by_key[post_key] = post
        b.entities.append(post)
    post = b.by_key[post_key]
    held_ids = person.props.setdefault("holds", [])
    if post.id not in held_ids:
        held_ids.append(post.id)
