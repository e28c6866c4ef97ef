"""Enterprises: names with an organization suffix (有限公司, 集团, 大厦, 科技园...), a brand and
an industry word (炬华科技), a brand and a numbered unit (中建十四局), the other items of a
list one of them is in, and the short forms an enterprise is called by."""

from __future__ import annotations

import functools
import re

from kg.extract import tokens
from kg.extract.claims import Claims, Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, DEICTIC, FUNCTION, FUNCTION_FLAGS, NAME_FLAGS, NOT_GIVEN, Doc
from kg.extract.lexicon import lexicon, longest_first, read_words
from kg.extract.places import short_form_heads

__all__ = ["aliases", "find", "list_items", "short_forms"]

_NUMERALS = "一二三四五六七八九十"


def _drop_object_verb(doc: Doc, s: int, s0: int) -> int:
    """Where a name walked back to ``s`` really starts: a verb of ``object_verbs`` that takes
    the name as its object (服务 山湖大厦, 助力 海天集团) is left out when two characters or more
    follow it, and a verbal noun opening the phrase (jieba's ``vn``) when a rare word or a
    tagged name follows it."""
    k = doc.token_at(s)
    if doc.tokens[k].start != s:
        return s
    first = True
    while k < len(doc.tokens) and doc.tokens[k].end <= s0 - 2:
        tok = doc.tokens[k]
        if tok.word in lexicon().object_verbs:  # 街道助力海天集团: after its subject too
            return tok.end
        if first and tok.flag == "vn" and doc.edge(k - 1, None) and doc.proper(tok.end, s0):
            return tok.end
        first, k = False, k + 1
    return s


def _start(doc: Doc, s0: int, claims: Claims) -> int:
    """Where a name ending in a strong suffix (有限公司, 集团...) starts: the words before the
    suffix back to a function word, a trigger or object verb, punctuation or another name;
    a common verb or adjective joins only between two parts of the name (再生资源回收, 恒芯新
    材料), and the name begins at a place name when one stands inside it (据项目方 安徽恒芯...,
    爱心企业 内蒙古草原晨光乳业)."""
    lex = lexicon()
    t = doc.text
    name_flags = NAME_FLAGS | {"l"}
    start, k = s0, doc.token_at(s0 - 1) if s0 > 0 else -1
    while k >= 0:
        tok = doc.tokens[k]
        if (
            not CJK.search(tok.word)
            or s0 - tok.start > 20
            or claims.taken(tok.start, s0)
            or not doc.clean(tok.start, s0)
            or tok.word in FUNCTION
            or (tok.flag in FUNCTION_FLAGS and tok.flag != "m")  # 四方大酒店, 中建八局
        ):
            break
        if tok.word in lex.triggers or tok.word in lex.object_verbs:
            after = doc.tokens[k + 1] if k + 1 < len(doc.tokens) else None
            if after is None or tokens.frequency(after.word) < lex.common_word_frequency:
                break  # 成立 绿源公司: the verb opens the name; 市场建设投资: a noun inside it
        timeword = tok.flag == "t" and not any(c in DEICTIC for c in tok.word)  # 未来研创园
        loose = (tok.flag not in name_flags and not timeword) or tok.word in lex.not_names
        if loose and tokens.frequency(tok.word) >= lex.common_word_frequency:
            prev = doc.tokens[k - 1] if k > 0 else None
            nxt = doc.tokens[k + 1] if k + 1 < len(doc.tokens) else None
            glued = (
                len(tok.word) == 1
                and tok.flag == "a"
                and doc.edge(k - 1, claims)
                and nxt is not None
                and tokens.frequency(nxt.word) < lex.common_word_frequency
            )
            if glued:  # 成立了|青|杠村…合作社: one character before a rare word begins the name
                start = tok.start
                break
            if prev is None or prev.flag not in name_flags or doc.edge(k - 1, claims):
                break  # a verb or a kind word before the name, not inside it
        start, k = tok.start, k - 1
    for tok in doc.tokens[doc.token_at(start) : doc.token_at(s0 - 1)]:
        if tok.start > start and short_form_heads(t[tok.start : s0]) >= 2:
            return tok.start  # the name begins with its place
    return start


def find(ctx: Context) -> None:
    """Names with an organization suffix, brand + industry word, brand + numbered unit
    (中建十四局), the other items of a list one of them is in (炬华科技、利尔达、恒生科技园;
    绿地一期、二期,以及壹向大厦), and short forms written before the full name."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    found: list[Mention] = []

    titles = longest_first(p for p in lex.positions if len(p) >= 3)
    for strong, suffixes in ((True, lex.strong_suffixes), (False, lex.weak_suffixes)):
        for suffix in suffixes:
            for s0, e in doc.word_ends(suffix, claims):
                if t.startswith(lex.not_enterprise_before, e) and not t.startswith(titles, e):
                    continue  # ...产业园项目: a project (but 公司项目经理: the company's title)
                if strong:
                    s = _start(doc, s0, claims)
                else:
                    s = doc.walk_back(s0, max_len=20, claims=claims)
                s = _drop_object_verb(doc, s, s0)  # 服务|山湖大厦: the verb is not the name
                # a leading place name belongs to the enterprise (青岛市 of 青岛市...公司)
                stem = t[s:s0]
                if len(stem) < 2 or any(stem.startswith(w) for w in lex.not_names):
                    continue
                if not strong and not doc.proper(s, s0):
                    continue
                found.append(ctx.take(s, e, "Enterprise"))
    zones = "|".join(map(re.escape, read_words("places.yaml")["zone_words"]))
    zone_after = re.compile(rf"[\u4e00-\u9fff]{{0,4}}(?:{zones})")
    for word in lex.industry_words:
        for m in re.finditer(re.escape(word), t):
            s0, e = m.span()
            if claims.taken(s0, e) or (e < len(t) and CJK.match(t[e]) and e not in doc.bounds):
                continue
            if zone_after.match(t, e):
                continue  # 松岭智能装备产业园: a zone's name, not a company's short form
            for s in (s0 - 3, s0 - 2):
                brand = t[s:s0] if s >= 0 else ""
                if (
                    len(brand) < 2
                    or (s not in doc.bounds and s > 0 and CJK.match(t[s - 1]))
                    or not all(CJK.match(c) for c in brand)
                    or claims.taken(s, s0)
                    or tokens.frequency(brand) >= lex.common_word_frequency
                    or doc.tokens[doc.token_at(s)].flag not in NAME_FLAGS
                    or brand in lex.not_names
                    or any(c in NOT_GIVEN for c in brand)
                    or _holds_common_word(doc, s, s0)
                ):
                    continue
                found.append(ctx.take(s, e, "Enterprise"))
                break
    # a brand and a numbered unit: 中建十四局, 中铁八局 (government bureaus have no numbers)
    units = "|".join(map(re.escape, lex.numbered_units))
    for m in re.finditer(rf"[{_NUMERALS}]{{1,3}}(?:{units})", t):
        s0, e = m.span()
        if claims.taken(s0, e) or s0 not in doc.bounds or s0 == 0 or not doc.clean(s0, e):
            continue
        if e < len(t) and e not in doc.bounds and CJK.match(t[e]):
            continue
        brand_tok = doc.tokens[doc.token_at(s0 - 1)]
        if (
            not 2 <= len(brand_tok.word) <= 3
            or brand_tok.flag not in NAME_FLAGS
            or not all(CJK.match(c) for c in brand_tok.word)
            or brand_tok.word in lex.not_names
            or any(c in NOT_GIVEN for c in brand_tok.word)
            or claims.taken(brand_tok.start, s0)
            or not doc.clean(brand_tok.start, s0)
        ):
            continue
        found.append(ctx.take(brand_tok.start, e, "Enterprise"))
    # the other items of an enumeration with an enterprise in it are enterprises too; an item
    # that is only a numbered unit continues the name before it (中建十四局、十八局: 中建十八局)
    kind_words = set(lex.strong_suffixes + lex.weak_suffixes + lex.industry_words)
    i = 0
    while i < len(found):
        listed = found[i]
        i += 1
        labels = {(listed.start, listed.end): listed.label}
        for s, e in list_items(doc, listed.start, listed.end):
            if (s, e) in labels or claims.taken(s, e) or not doc.clean(s, e):
                continue
            if t[s] in _NUMERALS + "0123456789":
                prev = [lab for (_, pe), lab in labels.items() if pe <= s]
                named = re.fullmatch(
                    rf"(.{{2,}}?)[{_NUMERALS}]+(.{{1,2}})", prev[-1] if prev else ""
                )
                if named is None:
                    continue  # 二期 alone: no name to continue
                unit = re.compile(rf"[{_NUMERALS}]+{re.escape(named.group(2))}").match(t, s, e)
                if unit is None or unit.end() not in doc.bounds:
                    continue
                e = unit.end()
                found.append(ctx.take(s, e, "Enterprise", named.group(1) + t[s:e]))
            elif 2 <= e - s <= 8 and t[s:e] not in kind_words:
                found.append(ctx.take(s, e, "Enterprise"))
            else:
                continue
            labels[(s, e)] = found[-1].label
    # a short form written before the full name (纤纳光电 ... 杭州纤纳光电科技有限公司) is that
    # enterprise, not another one
    full_of: dict[str, str] = {}  # short form -> the first full name it is a short form of
    suffixes = lex.strong_suffixes + lex.weak_suffixes
    for full in found:
        if full.alt is None:
            for short in short_forms(full.label):
                full_of.setdefault(short, full.label)
    for mention in found:
        if mention.alt is None and full_of.get(mention.label, mention.label) != mention.label:
            mention.alt, mention.label = mention.label, full_of[mention.label]
        elif mention.alt is None and not mention.label.endswith(suffixes):
            _extend_to_short_form(ctx, mention, full_of)
    ctx.enterprises = found


def _extend_to_short_form(ctx: Context, mention: Mention, full_of: dict[str, str]) -> None:
    """A brand and industry word that begins a short form written out in full is that short
    form (禾丰智能|装备总经理: 禾丰智能装备, of 浙江禾丰智能装备有限公司)."""
    t = ctx.doc.text
    for short, full in full_of.items():
        end = mention.start + len(short)
        if (
            len(short) > len(mention.label)
            and short.startswith(mention.label)
            and t.startswith(short, mention.start)
            and ctx.claims.free(mention.end, end)
        ):
            ctx.claims.block(mention.end, end)
            mention.end, mention.alt, mention.label = end, short, full
            return


def _holds_common_word(doc: Doc, start: int, end: int) -> bool:
    """Whether a common word of two characters or more lies inside ``start:end`` (头部|新能源:
    头部 is a word, so 头部新 is no brand)."""
    common = lexicon().common_word_frequency
    return any(
        len(tok.word) >= 2 and tok.start >= start and tok.end <= end
        and tokens.frequency(tok.word) >= common
        for tok in doc.tokens[doc.token_at(start) : doc.token_at(end - 1) + 1]
    )  # fmt: skip


_LIST_STOP = frozenset("、，,。；;：:“”「」()（）\n")


def _connector(doc: Doc, pos: int, forward: bool) -> int | None:
    """Where the next item starts (``forward``) or the previous one ends, when a list goes on
    at ``pos``: 、 or a connector word (以及, 及, after an optional comma); else None."""
    t = doc.text
    if forward:
        if pos < len(t) and t[pos] == "、":
            return pos + 1
        at = pos + 1 if pos < len(t) and t[pos] in ",，" else pos
        for word in lexicon().list_connectors:
            if t.startswith(word, at) and at in doc.bounds and at + len(word) in doc.bounds:
                return at + len(word)
        return None
    if pos > 0 and t[pos - 1] == "、":
        return pos - 1
    for word in lexicon().list_connectors:
        at = pos - len(word)
        if at >= 0 and t.startswith(word, at) and at in doc.bounds and pos in doc.bounds:
            return at - 1 if at > 0 and t[at - 1] in ",，" else at
    return None


def list_items(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the items of a list that ``start:end`` is an item of, in text order.

    An item runs to the next delimiter; words that cannot be part of a name are dropped
    from its outer end (以及 壹向大厦, 相应在 炬华科技, 恒生科技园 建立).
    """
    t = doc.text
    after: list[tuple[int, int]] = []
    pos = end
    while (s := _connector(doc, pos, True)) is not None:
        e = s
        while e < len(t) and e - s < 10 and t[e] not in _LIST_STOP:
            k = doc.token_at(e)
            if e in doc.bounds and doc.tokens[k].flag not in NAME_FLAGS:
                break
            e += 1
        if e == s or (e < len(t) and t[e] not in _LIST_STOP and e not in doc.bounds):
            break
        after.append((s, e))
        pos = e
    before: list[tuple[int, int]] = []
    pos = start
    while (item_end := _connector(doc, pos, False)) is not None:
        item_start = item_end
        while item_start > 0 and item_end - item_start < 10 and t[item_start - 1] not in _LIST_STOP:
            item_start -= 1
        while item_start < item_end:  # drop leading words that are not part of a name
            tok = doc.tokens[doc.token_at(item_start)]
            if item_start in doc.bounds and tok.flag in NAME_FLAGS:
                break
            item_start = tok.end if item_start in doc.bounds else item_start + 1
        if item_start >= item_end:
            break
        before.append((item_start, item_end))
        pos = item_start
    return [*reversed(before), (start, end), *after]


@functools.lru_cache(maxsize=4096)
def short_forms(name: str) -> tuple[str, ...]:
    """Short forms of an enterprise name: without the leading place, the suffix and trailing
    industry words (佛山市康思达液压机械有限公司 -> 康思达液压机械, 康思达液压, 康思达)."""
    lex = lexicon()
    core = name
    for suffix in lex.strong_suffixes + lex.weak_suffixes:
        if core.endswith(suffix):
            core = core[: -len(suffix)]
            break
    core = core[short_form_heads(core) :]
    out = []
    while len(core) >= 2:
        out.append(core)
        for word in lex.industry_words:
            if core.endswith(word) and len(core) - len(word) >= 2:
                core = core[: -len(word)]
                break
        else:
            break
    return tuple(a for a in dict.fromkeys(out) if a != name)


def aliases(ctx: Context) -> None:
    """Later mentions of an enterprise by a short form (康思达 for 佛山市康思达液压机械有限公司),
    at word boundaries, where nothing else was found."""
    doc, claims = ctx.doc, ctx.claims
    for full in list(ctx.enterprises):
        for alias in short_forms(full.label):
            for m in re.finditer(re.escape(alias), doc.text):
                s, e = m.span()
                if claims.taken(s, e) or s not in doc.bounds:
                    continue
                mention = claims.claim(Mention(s, e, "Enterprise", full.label, alias))
                ctx.aliases.append((mention, full))


def add_aliases(ctx: Context) -> None:
    """The short forms as altLabels of their enterprise."""
    b = ctx.builder
    for alias, full in ctx.aliases:
        e = b.by_key[("Enterprise", full.label)]
        shown = ctx.doc.shown[alias.start : alias.end]
        if shown not in e.alt_labels:
            e.alt_labels.append(shown)
