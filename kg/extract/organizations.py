"""Organizations: bodies with a name of their own (综合行政执法中队, 市场监督管理所, 浙大超重力
实验室, 阜新路街道人社中心), public or not by their suffix (``organizations.yaml``)."""

from __future__ import annotations

import re

from kg.extract import tokens
from kg.extract.claims import Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, NAME_FLAGS
from kg.extract.lexicon import lexicon, longest_first
from kg.extract.places import admin_types

__all__ = ["find", "public"]


def find(ctx: Context) -> None:
    """X + an organization suffix (综合行政执法中队, 市场监督管理所, 浙大超重力实验室), or a weak
    suffix (中心, 总部) after a proper stem or right after a place, which then begins the name
    (阜新路街道人社中心); a branch written after the name belongs to it (浙一医院余杭院区); and
    short forms made of characters of the full name in order (市监所 for 市场监督管理所). Runs
    after places, enterprises and initiatives, so what they claimed is not read again."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    found: list[Mention] = []
    place_at = {m.end: m for m in ctx.places if m.type in admin_types()}

    branch = re.compile(rf"[\u4e00-\u9fff]{{2,3}}?(?:{'|'.join(lex.branch_suffixes)})")
    strong = longest_first(lex.org_suffixes)
    heads = longest_first(p for p in lex.positions if len(p) >= 2)  # 协会|会长: one token
    for weak, suffixes in ((False, strong), (True, lex.weak_org_suffixes)):
        for suffix in suffixes:
            for s0, e in doc.word_ends(suffix, claims, then=heads):
                suffix_tok = doc.tokens[doc.token_at(s0)]
                common = tokens.frequency(suffix_tok.word) >= lex.common_word_frequency
                if suffix_tok.start < s0 and common and suffix_tok.word not in strong:
                    continue  # 格局, 布局, 大局: the suffix ends a common word (管理局 does not)
                s = doc.walk_back(
                    s0,
                    max_len=12,
                    claims=claims,
                    flags=NAME_FLAGS | {"l"},  # 退役军人 (a fixed phrase) 服务站
                    glue_chars=True,
                    timeword=True,
                    words=lex.function_words,
                )
                for tok in doc.tokens[doc.token_at(s) : doc.token_at(s0 - 1)]:
                    if tok.word in lex.object_verbs or tok.word in lex.triggers:
                        s = tok.end  # 联系 区商务局: the body is the verb's object
                for word in lex.generic_org_prefixes:
                    if t.startswith(word, s) and s0 - s - len(word) >= 2:
                        s += len(word)  # 街道退役军人服务站: the subdistrict's 退役军人服务站
                        break
                stem = t[s:s0]
                place = place_at.get(s)  # a body named after its place: 七里河区城市管理局
                if not weak and s == s0 and place is not None and suffix not in _NOT_BY_PLACE:
                    stem = place.label  # 白鹭街道派出所, 塔山湾商会: the body of that place
                if len(stem) < 2 or any(stem.startswith(w) for w in lex.not_names):
                    continue
                if stem in lex.generic_org_stems:
                    continue  # 业主委员会: every estate has one; no name
                if weak and place is None and not doc.proper(s, s0):
                    continue  # 城市中心, 企业总部: no name
                while place is not None and place.start in place_at:
                    place = place_at[place.start]  # 南海区锦涌街道长者服务中心: from the outermost
                start = place.start if place is not None else s
                tail = branch.match(t, e)
                if tail is not None and claims.free(e, tail.end()) and doc.clean(e, tail.end()):
                    e = tail.end()  # 浙一医院 余杭院区
                found.append(ctx.take(start, e, "Organization"))
    # short forms: the first and last characters of the name and some in between, in order
    for full in list(found):
        name = full.label
        if len(name) < 5:
            continue
        pattern = rf"{re.escape(name[0])}[\u4e00-\u9fff]{{1,2}}{re.escape(name[-1])}"
        for m in re.finditer(pattern, t):
            s, e = m.span()
            short = m.group()
            if claims.taken(s, e) or not doc.clean(s, e) or not _subsequence(short, name):
                continue
            if s > 0 and CJK.match(t[s - 1]) and not doc.edge(doc.token_at(s - 1), claims):
                continue
            if tokens.frequency(short) >= lex.common_word_frequency:
                continue
            found.append(ctx.take(s, e, "Organization", name))
    ctx.organizations = found


# Suffixes that do not make a body's name out of a place's name alone: 街道办公室 is an office
# of the subdistrict, 区局 no name.
_NOT_BY_PLACE = frozenset({"办公室", "局"})


def _subsequence(short: str, name: str) -> bool:
    """Whether ``short`` is made of characters of ``name`` in order (市监所, 市场监督管理所)."""
    it = iter(name)
    return all(c in it for c in short)


def public(org: Mention) -> bool:
    """Whether an organization is part of government, by its suffix."""
    suffixes = lexicon().org_suffixes
    return any(org.label.endswith(sfx) and is_public for sfx, is_public in suffixes.items())
