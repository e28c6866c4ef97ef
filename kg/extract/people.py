"""People and their posts: a title (``organ? position``: 党工委书记, 社区书记, 所长...) after the
place or organization it belongs to and before a name; ``Official`` for party and government
posts, ``Person`` otherwise (业委会主任, company managers). Each post is a ``Post`` with its
``Role``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.extract.claims import Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, NOT_GIVEN, Doc
from kg.extract.draft import DraftEntity
from kg.extract.lexicon import lexicon, longest_first
from kg.extract.organizations import public
from kg.extract.places import ADMIN_TYPES

__all__ = ["find"]


@dataclass
class _Title:
    start: int
    end: int
    organ: str
    position: str
    where: Mention | None = None


def _titles(ctx: Context) -> list[_Title]:
    """Every ``organ? position`` in the text outside the names already claimed, with the
    place or organization it belongs to when one ends right before it (or before 的)."""
    lex = lexicon()
    t = ctx.doc.text
    masked = list(t)
    ends: dict[int, Mention] = {}
    for m in ctx.claims.mentions:
        keep_last = m.end < len(t) and t[m.end] == "委" and m.label[-1] in "市区县省镇村"
        for k in range(m.start, m.end - (1 if keep_last else 0)):
            masked[k] = "\x00"
        ends[m.end] = m
    organs = "|".join(map(re.escape, longest_first(lex.organs)))
    positions = "|".join(map(re.escape, longest_first(lex.positions)))
    found = []
    for m in re.finditer(rf"({organs})?({positions})", "".join(masked)):
        organ, position = m.group(1) or "", m.group(2)
        title = _Title(m.start(), m.end(), organ, position)
        if organ in lex.level_organs and m.start() + 1 in ends:
            title.where = ends[m.start() + 1]
        elif m.start() in ends:
            title.where = ends[m.start()]
        elif m.start() > 0 and t[m.start() - 1] in "的”" and m.start() - 1 in ends:
            title.where = ends[m.start() - 1]  # 小区的业委会主任, “阳光议事亭”亭长
        found.append(title)
    return found


def _name_at(doc: Doc, pos: int) -> tuple[int, int] | None:
    """A person's name starting at ``pos`` (after at most one space): surname + 1-2 chars."""
    lex = lexicon()
    t = doc.text
    if pos < len(t) and t[pos] in " \u3000":
        pos += 1
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
        if (
            given == 1
            and end < len(t)
            and CJK.match(t[end])
            and not t[end:].startswith(lex.followers)
        ):
            continue
        if any(c in NOT_GIVEN for c in name[surname:]):
            continue
        return pos, end
    return None


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
    return where is not None and where.type in ADMIN_TYPES | {"Community"}


def find(ctx: Context) -> None:
    """Officials and other people named after their titles, with Roles and Posts."""
    doc, b = ctx.doc, ctx.builder
    lex = lexicon()
    titles = _titles(ctx)
    t = doc.text
    chain: list[_Title] = []
    for i, title in enumerate(titles):
        chain.append(title)
        name = _name_at(doc, title.end)
        if name is None:
            nxt = titles[i + 1] if i + 1 < len(titles) else None
            if nxt is not None:
                gap_end = nxt.where.start if nxt.where is not None else nxt.start
                gap = t[title.end : max(title.end, gap_end)]
                if gap in ("", "、", "兼", "、“") and nxt.start - title.end <= 20:
                    if nxt.where is None and gap in ("", "兼"):
                        nxt.where = title.where  # 董事长兼总经理: of the same organization
                    continue  # the next title is held by the same person
            chain = []
            continue
        posts, official = [], False
        for held in chain:
            if held.position in lex.bylines:
                continue
            official = official or _official(held.organ, held.position, held.where)
            if held.where is None:
                b.skipped.append(
                    f"{held.organ}{held.position} {t[name[0] : name[1]]}: no place or "
                    "organization named before the title"
                )
                continue
            posts.append(held)
        start = min([p.where.start for p in posts if p.where] + [chain[0].start])
        chain = []
        person = Mention(
            name[0], name[1], "Official" if official else "Person", t[name[0] : name[1]]
        )
        existing = b.by_key.get(("Person", person.label))
        if existing is None:
            e = b.entity(person)
            e.quote, e.occurrence = b.quote(start, name[1])
        else:
            e = existing
            if official and e.type == "Person":
                e.type = "Official"
        for held in posts:
            _post(ctx, e, held, name[1])


def _post(ctx: Context, person: DraftEntity, held: _Title, name_end: int) -> None:
    """The person holds the post of ``held`` (a Role in a place or organization)."""
    b = ctx.builder
    lex = lexicon()
    assert held.where is not None
    where = b.of(held.where) or b.by_key.get(("Enterprise", held.where.label))
    if where is None:
        return
    role_label = held.organ + held.position
    if held.where.label.endswith("村") and held.organ in lex.village_prefixed_organs:
        role_label = "村" + role_label
    role_key = ("Role", role_label)
    if role_key not in b.by_key:
        start = held.start - (1 if role_label.startswith("村") and held.organ else 0)
        role = b.entity(Mention(held.start, held.end, "Role", role_label))
        role.label = role_label
        role.quote, role.occurrence = b.quote(start, held.end)
    role = b.by_key[role_key]
    post_key = ("Post", f"{where.id} {role_label}")
    if post_key not in b.by_key:
        q, occ = b.quote(held.where.start, name_end)
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
