"""Initiatives: named mechanisms, campaigns, teams and their parts, with who organized and
led them, whom they served and where they ran."""

from __future__ import annotations

import bisect
import re

from kg.extract import tokens
from kg.extract.claims import Mention
from kg.extract.context import Context
from kg.extract.doc import CJK, CLAUSE_STOP, NAME_FLAGS, NOT_GIVEN
from kg.extract.draft import QUOTE_MARKS, DraftEntity
from kg.extract.lexicon import lexicon, longest_first, read_words
from kg.extract.places import admin_types
from kg.extract.topics import Topics
from kg.numbers import parse_chinese_number

__all__ = ["campaign", "find", "links", "main_initiative", "named_again", "organizers"]

# A quoted formula (“1+N”, “网格化+大数据”, “预约+上门”): parts joined by +.
_FORMULA = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]{1,8}(?:[+＋][0-9A-Za-z\u4e00-\u9fff]{1,8})+")
# A count: digits or Chinese numerals (12, 四, 十二).
_COUNT = "[0-9０-９一二三四五六七八九十两]+"
# An amount of money (设立500万元的助企发展专项资金).
_AMOUNT = "[0-9０-９.．]+[万亿]?元"
# A numbered slogan begins with a numeral (“三紧盯”, “一园十员”, “五张推进表”).
_NUMBERED = re.compile(r"[一二三四五六七八九十两百0-9]")


def _take(ctx: Context, s: int, e: int, place_first: bool = False) -> bool:
    """Claim ``s:e`` as an initiative; a generic word before the name (街道 of 街道三方治理
    综合体) is left out; with ``place_first``, a place already found may begin the name
    (莲大片区临时党组织). Returns whether it was taken."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    for word in lex.generic_prefixes:
        if t.startswith(word, s) and e - s - len(word) >= 3 and s + len(word) in doc.bounds:
            nxt = doc.tokens[doc.token_at(s + len(word))]
            if nxt.flag not in ("v", "vn"):  # 社区治理提升行动: 社区治理 is one noun
                s += len(word)
            break
    p = s
    while place_first and p < e and claims.at(p):
        p += 1
    if p - s == 1 or e - p < 2 or claims.taken(p, e):
        return False
    label = "".join(c for c in t[s:e] if c not in QUOTE_MARKS)  # “红马甲”志愿服务队
    if label in lex.not_initiatives or not doc.clean(s, e):
        return False
    ctx.initiatives.append(claims.claim(Mention(s, e, "Initiative", label)))
    return True


def find(ctx: Context) -> None:
    """Initiatives, rule by rule: quoted names, named bodies after a trigger verb, lists of
    measures, teams, the parts of a numbered one, headings."""
    _quoted(ctx)
    _counted_quotes(ctx)
    _triggered(ctx)
    _measure_lists(ctx)
    _teams(ctx)
    _parts(ctx)
    _enumerated(ctx)
    _headings(ctx)
    _projects(ctx)


def _quoted(ctx: Context) -> None:
    """Quoted names of mechanisms (“楼长制”), formulas (“1+N”) and numbered slogans after a
    verb of means (通过“三紧盯”); each name of a quoted 、-list after a trigger."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    lead_in = lex.triggers + tuple(tr + f for tr in lex.triggers for f in (*lex.fillers, "的"))
    handles = tuple(read_words("initiatives.yaml")["handle_words"])
    for opening, closing in lex.quote_marks:
        pattern = re.escape(opening) + r"([^" + re.escape(opening + closing) + r"\n]{2,20})"
        for m in re.finditer(pattern + re.escape(closing), t):
            s, e = m.span(1)
            name = m.group(1)
            if claims.taken(s, e) and not claims.at(s):
                continue  # a place may begin the name (“湖墅老墙门”), nothing else be in it
            book = opening == "《"
            after = t[m.end() : m.end() + 5]
            before = t[max(0, m.start() - 6) : m.start()]
            if manner(name):
                _named_after(ctx, m.end())  # “点对点”包车接返服务: the service is named after it
                continue
            if not book and _team_after(ctx, s, m.end(), name):
                continue  # “红马甲”志愿服务队: the team is named by the quote and its kind
            led = (book and before.endswith(lex.document_triggers)) or (
                not book
                and (
                    before.endswith(lead_in)
                    or (_NUMBERED.match(name) is not None and before.endswith(lex.means))
                    or (before.endswith("以") and after.startswith(handles))
                )
            )  # 以“绿色积分”为抓手: what the work is carried out by
            if "、" in name and t.startswith("的" + opening, m.end()):
                continue  # “A、B、C”的“三个一”: the list explains the name after it
            if "、" in name and not book and _MECHANISM_AFTER.match(t, m.end()):
                if not any(c in CLAUSE_STOP for c in name) and len(name) <= 16:
                    _take(ctx, s, e)  # “街巷吹哨、部门报到”工作机制: one mechanism, two steps
                continue
            if "、" in name and led and not any(c in CLAUSE_STOP for c in name):
                pieces, at = [], s  # 坚持“一企一策、一事一议”: each one is a name
                for piece in name.split("、"):
                    pieces.append((at, at + len(piece)))
                    at += len(piece) + 1
                if all(2 <= b - a <= 8 and CJK.search(t[a:b]) for a, b in pieces):
                    for a, b in pieces:
                        _take(ctx, a, b)
                continue
            if any(c in CLAUSE_STOP or c == "、" for c in name):
                continue
            formula = not book and _FORMULA.fullmatch(name) is not None
            if not formula and (not CJK.search(name) or re.fullmatch(r"[\d.%]+", name)):
                continue
            if before.endswith("的") and not led and not after.startswith(lex.context_heads):
                continue  # 成为...的“加油站”: a figure of speech
            clause = t[doc.clause(m.start(), m.start(), reach=40)[0] : m.start()]
            if (
                name.endswith(lex.quoted_heads)
                or formula
                or led
                or (not book and after.startswith(lex.context_heads))
                or (not book and _heading(ctx, m.start(), m.end()))
                or (
                    _NUMBERED.match(name) is not None
                    and clause.count("、") >= 2
                    and tokens.frequency(name) == 0  # “三驾马车”: an idiom, not a name
                )
                or (not book and after.startswith("等") and after[1:].startswith(lex.list_tails))
                or (not book and before.endswith("等") and any(w in clause for w in lex.triggers))
            ):  # ...等“五张推进表”: the last item of what a trigger verb made
                _take(ctx, s, e, place_first=True)


_QUOTED_RUN = re.compile(
    r"((?:“[^“”\n，,。；;、]{2,10}”[、，,]?){2,10})([一二三四五六七八九十两]+|[0-9]+)[个大项种条张]"
)


# A quoted 、-list right before the word of a mechanism names that one mechanism.
_MECHANISM_AFTER = re.compile(r"[^\W的]{0,3}?(?:机制|模式|工作法|制度|体系)")  # not “...”的模式


def _counted_quotes(ctx: Context) -> None:
    """Quoted names written one after another and then counted (下设“政策直达”“诉求直办”
    “要素直供”三个服务模块): each is an initiative, a part of the initiative named last before
    them in their sentence (搭建“塔湾企航”平台，下设...). The count must be theirs."""
    t = ctx.doc.text
    for m in _QUOTED_RUN.finditer(t):
        items = [x.span(1) for x in re.finditer(r"“([^”]+)”", m.group(1))]
        number = m.group(2)
        count = int(number) if number.isdigit() else parse_chinese_number(number)
        if count != len(items):
            continue
        offset = m.start(1)
        spans = [(offset + a, offset + b) for a, b in items]
        sentence = ctx.doc.sentence_start(m.start())
        before = [x for x in ctx.initiatives if sentence <= x.start and x.end <= m.start()]
        whole = max(before, key=lambda x: x.start) if before else None
        for a, b in spans:
            found = next((x for x in ctx.initiatives if (x.start, x.end) == (a, b)), None)
            if found is None and _take(ctx, a, b):
                found = ctx.initiatives[-1]
            if found is not None and whole is not None:
                found.whole = whole.label


def _team_after(ctx: Context, s: int, end: int, name: str) -> bool:
    """A quoted name right before the kind of team it names (“红马甲”志愿服务队, “红色先锋”突击队,
    “红棉管家”队伍) names that team, quote and kind together: taken as one initiative, whose
    label leaves out the quote marks. A formula (“1+1+1”包联服务组) or a list is no such name."""
    doc, t = ctx.doc, ctx.doc.text
    head = next((h for h in (*lexicon().team_heads, "队伍") if t.startswith(h, end)), None)
    if head is None or not all(CJK.match(c) for c in name):
        return False
    e = end + len(head)
    if e < len(t) and e not in doc.bounds and CJK.match(t[e]):
        return False  # “X”服务队伍: the head goes on into another word
    return _take(ctx, s, e, place_first=True)


# A period written before an initiative's name (2020年上半年经济运行分析会).
_PERIOD = re.compile(
    r"(?:[0-9]{4}年)?(?:上半年|下半年|全年|[一二三四]季度|今年|去年|明年)?"
)


def aliases(ctx: Context) -> None:
    """Shorter names of an initiative named in full elsewhere in the article are that
    initiative (a headline's 党员突击队 of 党员防汛突击队, 上半年经济运行分析会 of 2020年上半年
    经济运行分析会, 复工专班 of 疫情防控企业有序复工工作专班, 议事会 of 院落议事会): the short
    name is the full one without its period, or its characters in order with the same head;
    a head alone is a short form of the one name that ends with it."""
    full = [m for m in ctx.initiatives if m.alt is None]
    for m in ctx.initiatives:
        if m.alt is not None:
            continue
        options = {o.label for o in full if o.label != m.label and _short_of(m.label, o.label)}
        if len(options) == 1:
            m.alt, m.label = m.label, options.pop()


def _short_of(short: str, name: str) -> bool:
    """Whether ``short`` names ``name`` for short (see :func:`aliases`)."""
    if len(short) >= len(name) or len(short) < 3:
        return False
    if name.endswith(short) and (
        _PERIOD.fullmatch(name[: -len(short)]) is not None or short in lexicon().heads
    ):
        return True
    it = iter(name)
    same_head = short[-2:] == name[-2:] and len(short) >= 4
    return same_head and all(c in it for c in short)


def manner(name: str) -> bool:
    """Whether a quoted word says how something is done (“一站式”, “点对点”, “体检式”), not
    what is done: see ``manner_quotes`` in ``initiatives.yaml``."""
    return any(p.fullmatch(name) for p in lexicon().manner_quotes)


def _named_after(ctx: Context, pos: int) -> None:
    """The service named right after a quoted manner (“点对点”包车接返服务): words up to an
    initiative head or 服务, at most ten characters, ending where a word does."""
    doc = ctx.doc
    t = doc.text
    lex = lexicon()
    heads = (*lex.heads, "服务")
    best = None
    for end in range(pos + 3, min(len(t), pos + 10) + 1):
        if not CJK.match(t[end - 1]):
            break
        if end in doc.bounds and t[pos:end].endswith(heads) and t[pos:end] not in heads:
            best = end
    if best is not None and ctx.claims.free(pos, best):
        _take(ctx, pos, best)


_HEADING_PLACE = re.compile(r"[\u4e00-\u9fff]{2,10}[：:]\s*$")


def _heading(ctx: Context, start: int, end: int) -> bool:
    """Whether a quote opens the heading of a roundup's paragraph, after its place
    (柳沟河街道：“桶边督导”守好最后一米): a short line with no full stop, the quote right
    after the place and a colon. A person's title (“帮办员”) is no initiative."""
    t = ctx.doc.text
    left = t.rfind("\n", 0, start) + 1
    right = t.find("\n", end)
    right = len(t) if right < 0 else right
    line = t[left:right]
    name = t[start + 1 : end - 1]
    return (
        len(line.strip()) <= 30
        and "。" not in line
        and _HEADING_PLACE.search(t, left, start) is not None
        and not name.endswith(("员", "长", "人"))
    )


def _triggered(ctx: Context) -> None:
    """Named bodies set up by a trigger verb (成立...工作专班, 建立...机制), with the other
    items of their 、-lists; a body set up with its head named first (成立由街道办事处主任何
    嘉欣任组长的改造工作专班, ...任组长，...任副组长的助企工作组: ``head_titles``) is named
    after the 的, and the people of that phrase lead it (see :func:`_headed_by`); so is a body
    said to be formed of its members, after a trigger or a verb of leading (成立由机关干部组成的
    巡查组, 分别带领由安监、城管...人员组成的4个督查组)."""
    doc = ctx.doc
    lex = lexicon()
    t = doc.text
    triggers = "|".join(map(re.escape, lex.triggers))
    fillers = "|".join(map(re.escape, lex.fillers))
    heads = "|".join(map(re.escape, lex.heads))
    body = r"[^\s，,。；;！!？?：:、“”「」《》()（）的]{0,16}?"
    counted = rf"{_COUNT}(?:{'|'.join(map(re.escape, lex.count_fillers))})|{_AMOUNT}的?"
    titles = "|".join(map(re.escape, longest_first(read_words("initiatives.yaml")["head_titles"])))
    chair = rf"[^，,。；;！!？?：:“”\n]{{2,30}}?任(?:{titles})"
    headed = rf"(由{chair}(?:[，,、]{chair})*的)?"
    formed = rf"由[^，,。；;！!？?：:“”\n]{{2,40}}?组成的(?:{counted})?"  # 由...组成的4个督查组
    leaders = "|".join(map(re.escape, lex.head_verbs))
    pattern = re.compile(
        rf"(?:(?:{triggers})(?:{fillers}|{counted})?{headed}(?:{formed})?|(?:{leaders}){formed})"
        rf"({body}(?:{heads}))"
    )
    for m in pattern.finditer(t):
        s, e = m.span(2)
        if e < len(t) and e not in doc.bounds and CJK.match(t[e]):
            continue  # 巡查组织: the head goes on into another word
        k = doc.token_at(m.start())
        if (
            doc.tokens[k].flag != "v"
            and k > 0
            and doc.tokens[k - 1].flag.startswith("n")
            and CJK.match(doc.tokens[k - 1].word)
        ):
            continue  # 队伍建设...工程: a noun before makes the trigger a noun of the name
        head = next(h for h in lex.heads if t[s:e].endswith(h))
        filler = next((f for f in lex.fillers if t[s:e].startswith(f)), "")
        if filler and e - s - len(filler) >= len(head):
            s += len(filler)  # 成立多个功能组: the name is 功能组
        elif e - s - len(head) < (1 if head == "长制" else 2) and len(head) < 3:
            continue  # 建立机制: a head of two characters alone names nothing (楼长制 does)
        if not _take(ctx, s, e, place_first=True):
            continue
        if m.group(1):  # 成立由街道办事处主任何嘉欣任组长的改造工作专班: who heads it
            _headed(ctx)[s] = m.span(1)
        pos = e
        while pos < len(t) and t[pos] == "、":
            nxt = re.compile(rf"{body}{re.escape(head)}").match(t, pos + 1)
            if nxt is None or nxt.end() - nxt.start() < len(head) + 2:
                break
            if not _take(ctx, nxt.start(), nxt.end()):
                break
            pos = nxt.end()


def _measure_lists(ctx: Context) -> None:
    """The items of a list of measures that a trigger or a verb of means introduces and a
    word of measures closes: 以保物资供应、保政策兑现、保宣传到位等三方面工作, 开展“大树小巨人”、
    楼宇补贴、“一企一策”等政策. Each item is a name of four to ten characters."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    tails = "|".join(map(re.escape, lex.list_tails))
    item = r"[^、，,。；;：:\s]{2,16}"
    count = r"[一二三四五六七八九十两多]+"
    pattern = re.compile(
        rf"((?:{item}、)+{item})等(?:{count}(?:方面|项)工作|(?:{count}(?:方面|项|大|个))?(?:{tails}))"
    )
    openers = longest_first(lex.triggers + lex.means)
    for m in pattern.finditer(t):
        s0 = m.start(1)
        first = m.group(1).split("、")[0]
        cut = max((first.rfind(w) + len(w) for w in openers if w in first), default=-1)
        if cut < 0:
            continue
        at = s0 + cut
        for piece in t[at : m.end(1)].split("、"):
            a, b = at, at + len(piece)
            at = b + 1
            while a < b and t[a] in "“「":
                a += 1
            while b > a and t[b - 1] in "”」":
                b -= 1
            if 4 <= b - a <= 10 and all(CJK.match(c) for c in t[a:b]) and claims.free(a, b):
                _take(ctx, a, b)


def _teams(ctx: Context) -> None:
    """Teams and posts named by their kind, wherever they are written (一支党员先锋队,
    复工复产服务队提供..., 认领居家隔离服务岗): the kind word and the words of two or more
    characters before it that describe it (nouns; verbs only in a run of verbs, 复工复产)."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    for head in lex.team_heads:
        for m in re.finditer(re.escape(head), t):
            s0, e = m.span()
            if claims.taken(s0, e) or s0 not in doc.bounds or not doc.clean(s0, e):
                continue
            if e < len(t) and e not in doc.bounds and CJK.match(t[e]):
                continue  # 服务队伍: another word
            s, k = s0, doc.token_at(s0) - 1
            while k >= 0:
                tok = doc.tokens[k]
                nxt = doc.tokens[k + 1]
                verbal = tok.flag in ("v", "vn") and nxt.flag in ("v", "vn")
                if (
                    len(tok.word) < 2
                    or not all(CJK.match(c) for c in tok.word)
                    or claims.taken(tok.start, tok.end)
                    or tok.word in lex.triggers
                    or tok.word.endswith("有")
                    or tok.word in lex.not_names
                    or not (verbal or (tok.flag in NAME_FLAGS and tok.flag not in ("m", "b")))
                    or s0 - tok.start > 8
                ):
                    break
                s, k = tok.start, k - 1
            count = re.compile(rf"{_COUNT}(?:{'|'.join(map(re.escape, lex.count_fillers))})")
            lead = count.match(t, s, s0)
            if lead is not None:
                s = lead.end()  # 12支助企服务小分队: the name is 助企服务小分队
            for word in lex.generic_prefixes:
                if t.startswith(word, s) and s0 - s > len(word):
                    s += len(word)  # 街道复工复产专班: the subdistrict's 复工复产专班
                    break
            if t[s:s0] in lex.generic_prefixes:
                continue  # 街道服务队: the subdistrict's team, no name
            if s0 - s >= 2 or len(head) >= 4:
                _take(ctx, s, e)


def _parts(ctx: Context) -> None:
    """The parts of a numbered initiative (“三紧盯”, “三大提升行动”, 四大...工程, “三项创新”):
    as many phrases as it counts, after it, each opening a sentence or a line and named by
    its last word (紧盯重点企业。, 楼宇经济提升行动。, 营商环境优化行动。, 队伍创新,...)."""
    t = ctx.doc.text
    lex = lexicon()
    segment = re.compile(
        r"(?m)(?:^|(?<=[。；;！!？?]))[ \t\u3000]*"
        r"([^\n。；;，,！!？?：:“”「」、]{3,14})(?=[。，,；;]|$)"
    )
    for whole in list(ctx.initiatives):
        numbered = re.fullmatch(r"([一二三四五六七八九十两]+)(?:项|大|个|张)?(.{2,8})", whole.label)
        if numbered is None:
            continue
        count = parse_chinese_number(numbered.group(1))
        core = numbered.group(2)
        last = min((h for h in lex.heads if core.endswith(h)), key=len, default=core)
        if count is None or not 2 <= count <= 10:
            continue
        listed = _listed_parts(ctx, whole.label, int(count))  # 一 to 十: whole
        if listed:
            for a, b in listed:
                if _take(ctx, a, b):
                    ctx.initiatives[-1].whole = whole.label
            continue
        parts = []
        for m in segment.finditer(t, whole.end, min(len(t), whole.end + 2000)):
            s, e = m.span(1)
            name = t[s:e]
            if name == core or not (name.startswith(core) or name.endswith((core, last))):
                continue
            parts.append((s, e))
            if len(parts) == count:
                break
        if len(parts) < count:
            continue  # “三服务” and one phrase ending in 服务: no enumeration
        for s, e in parts:
            if _take(ctx, s, e):
                ctx.initiatives[-1].whole = whole.label


_EXPLAINED = re.compile(r"[”」]?[，,]?\s*(?:即|包括|分别是|分别为|就是)[：:]?")


def _listed_parts(ctx: Context, label: str, count: int) -> list[tuple[int, int]]:
    """The parts a numbered initiative is explained by, listed after it (所谓“五本账”，即企业
    复工账、项目推进账、...): as many 、-separated names as it counts, of 2 to 10 characters."""
    t = ctx.doc.text
    for m in re.finditer(re.escape(label), t):
        lead = _EXPLAINED.match(t, m.end())
        if lead is None or lead.end() == m.end():
            continue
        end = lead.end()
        while end < len(t) and t[end] not in "，,。；;：:\n（(":
            end += 1
        items, at = [], lead.end()
        for piece in t[lead.end() : end].split("、"):
            items.append((at, at + len(piece)))
            at += len(piece) + 1
        if len(items) == count and all(
            2 <= b - a <= 10 and all(CJK.match(c) for c in t[a:b]) for a, b in items
        ):
            return items
    return []


_ORDINAL_ITEM = re.compile(
    r"(?m)(?:^|(?<=[。；;！!？?]))[ \t\u3000]*([一二三四五六七八九十]{1,2})是"
    r"([\u4e00-\u9fff]{2,10})(?=[。；;，,：:])"
)


def _enumerated(ctx: Context) -> None:
    """Measures listed as 一是X。二是Y。三是Z。 (each opening a sentence, numbered from one
    on, at least three): each X is an initiative, a part of the numbered one before them
    that counts as many (出台《助企稳产达产六项措施》... 一是强化政策直达。二是...; “五个一”);
    the initiatives named in the text of an item, up to the next one, are parts of that item
    (一是强化政策直达。街道组建政策宣讲团...: the team carries the measure out)."""
    t = ctx.doc.text
    items = [(m.span(2), parse_chinese_number(m.group(1))) for m in _ORDINAL_ITEM.finditer(t)]
    runs: list[list[tuple[int, int]]] = []
    for span, n in items:
        if n == 1:
            runs.append([span])
        elif runs and n == len(runs[-1]) + 1 and span[0] - runs[-1][-1][1] < 400:
            runs[-1].append(span)
    for run in runs:
        if len(run) < 3:
            continue
        counted = re.compile(
            rf"([一二三四五六七八九十两]+|[0-9]+)(?:[项条个大](?:{_KIND_WORDS})|个一$)"
        )  # 六项措施, 五个一
        whole = None
        for m in sorted(ctx.initiatives, key=lambda m: m.start):
            hit = counted.search(m.label)
            if m.end <= run[0][0] and hit is not None:
                number = hit.group(1)
                value = int(number) if number.isdigit() else parse_chinese_number(number)
                if value == len(run):
                    whole = m.label
        inside = sorted(ctx.initiatives, key=lambda m: m.start)
        for i, (a, b) in enumerate(run):
            taken = _take(ctx, a, b)
            if taken and whole is not None:
                ctx.initiatives[-1].whole = whole
            if not taken:
                continue
            item = ctx.initiatives[-1]
            stop = run[i + 1][0] if i + 1 < len(run) else t.find("\n", b)
            for m in inside:  # 一是组建一批驻企服务组。街道成立复工复产工作专班...: its part
                if b <= m.start and m.end <= (stop if stop >= 0 else len(t)) and not m.whole:
                    m.whole = item.label


_PERSON_FLAGS = frozenset({"nr", "nrfg", "nrt"})
# What a numbered initiative counts (六项措施, 五条举措, 三大行动).
_KIND_WORDS = "措施|举措|行动|工程|机制|服务|任务|工作|方面"


def _projects(ctx: Context) -> None:
    """Projects with a name of their own (安徽恒芯半导体材料产业园项目, 柑橘基地扩建项目):
    the nouns before 项目, and a verb of building right before it, at least five characters
    or a proper name; a kind of project (重点产业项目, 民生实事项目) is none."""
    doc, claims = ctx.doc, ctx.claims
    t = doc.text
    for m in re.finditer("项目", t):
        s0, e = m.span()
        if s0 not in doc.bounds or claims.taken(s0, e) or not doc.clean(s0, e):
            continue
        k = doc.token_at(s0 - 1) if s0 > 0 else -1
        if k < 0:
            continue
        verb = doc.tokens[k]
        s1 = verb.start if verb.word in lexicon().project_verbs else s0
        s = doc.walk_back(s1, max_len=14, claims=claims)
        if s1 - s < 2 or s0 - s < 4 or claims.taken(s, s0) or _NUMBERED.match(t, s):
            continue  # 三项民生实事项目: a count of projects
        if t.startswith(tuple(read_words("initiatives.yaml")["not_project_after"]), e):
            continue  # 城市更新有限公司项目经理: a title, not a project
        words = doc.tokens[doc.token_at(s) : k + 1]
        if any(tok.flag in _PERSON_FLAGS and len(tok.word) >= 2 for tok in words):
            continue  # 张振国宣布项目开工: a person, not a name
        if s0 - s < 5 and not doc.proper(s, s1):
            continue
        place = next((p for p in ctx.places if p.end == s), None)
        if place is None:
            _take(ctx, s, e)
        elif claims.free(s, e) and t[s:e] not in lexicon().not_initiatives:
            ctx.places.remove(place)  # 安徽 of 安徽恒芯半导体材料产业园项目: part of the name
            mention = Mention(place.start, e, "Initiative", t[place.start : e])
            ctx.initiatives.append(claims.absorb(place, mention))


def _headings(ctx: Context) -> None:
    """A name alone on its line, or alone in the first sentence of its paragraph, that ends
    with an initiative head: a heading (经济发展高质量提升工程; 楼宇经济提升行动。...)."""
    doc, claims = ctx.doc, ctx.claims
    lex = lexicon()
    t = doc.text
    line = r"(?m)^[ \t\u3000]*([^\n。；;，,！!？?：:“”「」()（）、]{4,16})(?=。|$)"
    for m in re.finditer(line, t):
        s, e = m.span(1)
        name = t[s:e]
        if not name.endswith(lex.heads) or any(
            tok.word in lex.triggers and tok.flag == "v"
            for tok in doc.tokens[doc.token_at(s) : doc.token_at(e - 1) + 1]
        ):  # 计划开展四大...工程 is a sentence; 队伍建设...工程 (建设 a noun here) a name
            continue
        if claims.taken(s, e) or not all(CJK.match(c) for c in name):
            continue
        if any(c in NOT_GIVEN for c in name):
            continue  # 完成了十个小区的改造工程: a sentence, not a name
        _take(ctx, s, e)


def organizers(ctx: Context) -> None:
    """``organizedBy`` the subdistrict, town or community named earlier in the same sentence
    (锦南街道便成立...专班), or the article's only subdistrict when the sentence says 街道 alone
    (街道发布“楼宇十条”); else the subdistrict or town its paragraph is about, named in it
    shortly before (a roundup: 西津湾街道：... 推行“绿色积分”), stated by the words between."""
    doc, b = ctx.doc, ctx.builder
    t = doc.text
    subs = ctx.subdistricts()
    areas = sorted(
        [m for m in ctx.places if m.type in ("Subdistrict", "Town")]
        + [m for m in ctx.communities if m.type == "Community"],
        key=lambda m: m.start,
    )
    if len({m.label for m in subs}) == 1:
        named = [(m.start, m.end) for m in ctx.places]
        for hit in re.finditer("街道", t):
            if not any(a <= hit.start() < z for a, z in named) and doc.clean(*hit.span()):
                areas.append(Mention(hit.start(), hit.end(), "Subdistrict", subs[0].label))
        areas.sort(key=lambda m: m.start)
    starts = [m.start for m in areas]
    topics = Topics(ctx)
    for m in ctx.initiatives:
        e = b.of(m)
        if e is None or "organizedBy" in e.props:
            continue
        agent = topics.agent(m.start)
        if (
            agent is not None
            and agent.type in _ORGANIZER_TYPES
            and agent.end < m.start
            and t[agent.end : m.start] not in ("的", "“")  # 瑞祥社区长者食堂: whose, not who
            and not _bare_alias(ctx, agent)
            and not (agent.type == "Subdistrict" and _bare_of_many(ctx, agent, m.start))
        ):
            by = b.of(agent)
            if by is not None and by.id != e.id and m.start - agent.start <= 120:
                e.quote, e.occurrence = b.quote(agent.start, m.end)
                e.props["organizedBy"] = by.id
                continue
        before = areas[: bisect.bisect_left(starts, m.start)]
        before = [a for a in before if a.end <= m.start]
        if not before:
            continue
        area, by = before[-1], b.of(before[-1])
        if by is None or by.id == e.id:
            continue
        if area.start >= doc.sentence_start(m.start) and m.start - area.start <= 120:
            e.quote, e.occurrence = b.quote(area.start, m.end)
            e.props["organizedBy"] = by.id
        elif (
            area.type != "Community"
            and t.rfind("\n", 0, m.start) < area.start
            and m.end - area.start <= _PARAGRAPH_REACH
        ):
            b.fact(e.id, "organizedBy", by.id, b.quote(area.start, m.end))


def _bare_of_many(ctx: Context, agent: Mention, pos: int) -> bool:
    """Whether the subdistrict a clause's subject stands for is written there as a bare 街道
    while the article names more than one: then it stands for none of them for sure."""
    if len({m.label for m in ctx.subdistricts()}) <= 1:
        return False
    return ctx.doc.text.find(agent.label, ctx.doc.sentence_start(pos), pos) < 0


def _bare_alias(ctx: Context, m: Mention) -> bool:
    """Whether a company's or body's mention is only a bare word (街道, 社区) that the rules
    took for its short form: no subject of its own."""
    bare = read_words("places.yaml")["topic_words"]
    return m.type in ("Enterprise", "Organization") and ctx.doc.text[m.start : m.end] in bare


# Who may set up an initiative: the subject of the clause that names it.
_ORGANIZER_TYPES = frozenset({"Subdistrict", "Town", "Community", "Organization", "Enterprise"})
_PARAGRAPH_REACH = 150  # how far a paragraph's area reaches to the initiatives after it


def named_again(ctx: Context, short: bool = False) -> list[Mention]:
    """Every place an initiative is named, in text order: the mentions the rules found and,
    on characters no name claims, its label, altLabels and written forms again (a reporter
    names an initiative once with its trigger, 一是组建一批驻企服务组, then by its name alone:
    抽调机关干部63名组成11个驻企服务组); with ``short``, its short forms too when no other
    initiative has them (服务队 of “椰乡红”志愿服务队: ``short_tails``, ``short_heads``).
    What a number counts is read from the nearest of these, not only from the first. Made
    once per article."""
    key = ("named_again", short)
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[return-value]
    b, t, claims = ctx.builder, ctx.doc.text, ctx.claims
    words = read_words("initiatives.yaml")
    forms: dict[str, set[str]] = {}
    for m in ctx.initiatives:
        entity = b.of(m)
        if entity is None or not entity.label:
            continue
        label = entity.label
        names = {n for n in (label, *entity.alt_labels, m.label, t[m.start : m.end]) if len(n) >= 3}
        if short:  # 驿站 of 就业驿站: a short form may have two characters
            names |= {label[: -len(w)] for w in words["short_tails"] if label.endswith(w)}
            names |= {w for w in words["short_heads"] if label.endswith(w)}
        for name in names:
            if len(name) >= 2:
                forms.setdefault(name, set()).add(m.label)
    found = list(ctx.initiatives)
    taken: list[tuple[int, int]] = []
    for name, owners in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        if len(owners) != 1:
            continue
        owner = next(iter(owners))
        for hit in re.finditer(re.escape(name), t):
            s, e = hit.span()
            if claims.taken(s, e) or any(a < e and s < z for a, z in taken):
                continue
            if not ctx.doc.clean(s, e):
                continue
            taken.append((s, e))
            found.append(Mention(s, e, "Initiative", owner))
    found.sort(key=lambda m: (m.start, -m.end))
    ctx.memo[key] = found
    return found


def campaign(ctx: Context) -> Mention | None:
    """The campaign an article reports, when it reports one: the one initiative its first
    paragraph begins (开展城镇燃气安全专项排查整治行动, 启动“清雪保畅”专项行动, 开展“情暖万家”
    走访慰问活动), named after a verb of carrying out (``programme_verbs``) and ending with
    a campaign's head (``campaign_heads``), or followed by one. None otherwise."""
    if "campaign" in ctx.memo:
        return ctx.memo["campaign"]  # type: ignore[return-value]
    t = ctx.doc.text
    words = read_words("initiatives.yaml")
    verbs, heads = tuple(words["programme_verbs"]), tuple(words["campaign_heads"])
    first = next((m.start() for m in re.finditer(r"(?m)^.*。", t)), 0)
    end = t.find("\n", first)
    end = len(t) if end < 0 else end
    found = []
    for m in sorted(ctx.initiatives, key=lambda m: m.start):
        if not first <= m.start < end:
            continue
        lead = t[max(0, m.start - 3) : m.start].rstrip("“「")
        after = t[m.end : m.end + 12].lstrip("”」")
        if lead.endswith(verbs) and (
            m.label.endswith(heads) or any(after.startswith(h) or h in after[:8] for h in heads)
        ):
            found.append(m)
    chosen = found[0] if len({m.label for m in found}) == 1 else None
    ctx.memo["campaign"] = chosen
    return chosen


def main_initiative(ctx: Context) -> Mention | None:
    """What an article is about: its campaign (:func:`campaign`), else the one initiative its
    headline names (“五本账”算出服务新成效, 垃圾分类“绿色积分”换来好习惯) when the body names it
    too — a headline states the story's subject; a headline naming two (“三张清单”“五员联动”)
    names none alone. None otherwise."""
    if "main" in ctx.memo:
        return ctx.memo["main"]  # type: ignore[return-value]
    chosen = campaign(ctx)
    if chosen is None:
        t = ctx.doc.text
        body = next((m.start() for m in re.finditer(r"(?m)^.*。", t)), len(t))
        named = [m for m in named_again(ctx) if m.end <= body and _headline(ctx, m.start)]
        labels = {m.label for m in named}
        later = {m.label for m in named_again(ctx) if m.start >= body}
        if len(labels) == 1 and labels <= later:
            chosen = next(m for m in named_again(ctx) if m.start >= body and m.label in labels)
    ctx.memo["main"] = chosen
    return chosen


def _headline(ctx: Context, pos: int) -> bool:
    """Whether ``pos`` is on a line of at most forty characters with no sentence or clause
    punctuation: a headline or subtitle."""
    t = ctx.doc.text
    left = t.rfind("\n", 0, pos) + 1
    right = t.find("\n", pos)
    line = t[left : len(t) if right < 0 else right].strip()
    return len(line) <= 40 and not any(c in "。，,；;！!？?" for c in line)


def _takes_part(ctx: Context, person: DraftEntity, ordered: list[Mention],
                people: list[DraftEntity]) -> None:  # fmt: skip
    """``leads`` or ``participatesIn`` the initiative named last before a person in their
    paragraph, shortly before (else, in a paragraph that names none before, the campaign the
    article reports: :func:`campaign`), when a word after the person's name says so (...开展“新春
    送温暖”活动。书记乌云其其格带队, 街道领导高建平、宝音参加); after 分别 the co-subjects
    named before do too (乌云其其格，...主任赵立新分别带队)."""
    doc, b = ctx.doc, ctx.builder
    lex = lexicon()
    t = doc.text
    starts = [m.start for m in ordered]
    headed = _headed(ctx).values()
    for hit in re.finditer(re.escape(person.label or "\0"), t):
        if any(a <= hit.start() < z for a, z in headed):
            continue  # 成立由周立新任组长的助企工作组: the body named after, see _headed_by
        tail = t[hit.end() : hit.end() + 20]
        cut = re.match(r"(?:[、，,]?[\u4e00-\u9fff]{2,4}?)*?(?=[，,。；;])", tail)
        words = tail[: cut.end()] if cut else tail
        lead = next((w for w in lex.lead_after if w in words[:8]), None)
        part = next((w for w in lex.take_part_after if w in words[:14]), None)
        if lead is None and part is None:
            continue
        para = t.rfind("\n", 0, hit.start()) + 1
        at = bisect.bisect_left(starts, hit.start()) - 1
        named = ordered[at] if at >= 0 else None
        if named is None or named.start < para or hit.start() - named.start > _PARAGRAPH_REACH:
            named = campaign(ctx) if named is None or named.start < para else None
            if named is None or named.end > hit.start():
                continue  # 活动期间，...志愿者张宏伟、苏日娜等参与了物资分装: the campaign's
        target = b.of(named)
        if target is not None:
            predicate = "leads" if lead is not None else "participatesIn"
            span = (named.start, hit.end()) if named.start >= para else (hit.start(), hit.end())
            b.fact(person.id, predicate, target.id, b.quote(*span))
            if words.startswith("分别"):
                for other in _co_subjects(ctx, people, hit.start()):
                    b.fact(other.id, predicate, target.id, b.quote(*span))


def _co_subjects(ctx: Context, people: list[DraftEntity], at: int) -> list[DraftEntity]:
    """The people named before the name at ``at`` as subjects of the same verb: written
    before it in its sentence, each followed by a comma and the next one's titles only
    (刘志坚，街道党工委委员、武装部长谭国胜分别带领: 刘志坚 with 谭国胜), or by 、 alone (陆卫国、
    钱晓峰、邵明分别带领)."""
    t = ctx.doc.text
    found: list[DraftEntity] = []
    start = ctx.doc.sentence_start(at)
    while True:
        prev = None
        for person in people:
            name = person.label or "\0"
            end = t.rfind(name, start, at)
            if end < 0 or person in found:
                continue
            between = t[end + len(name) : at]
            if between == "、" or re.fullmatch(r"[，,][\u4e00-\u9fff、“”]{0,24}", between):
                prev = person, end
        if prev is None:
            return found
        found.append(prev[0])
        at = prev[1]


def _leads_by_verb(ctx: Context, person: DraftEntity, people: list[DraftEntity],
                   ordered: list[Mention]) -> None:  # fmt: skip
    """``leads`` the initiative a person sets up or heads right after their name, in the same
    clause (胡振宇牵头组建“小区议事厅”, 邱敏组建了“桂馨志愿服务队”, 邓志军带领街道复工复产
    专班, 邹立新带领机关党员组成“红色先锋”突击队): a verb of ``setup_verbs`` for any initiative, of
    ``head_verbs`` for a team only (组织党员突击队, not 组织召开...会); with 分别 (刘志坚，...谭国胜
    分别带领民兵应急分队), the co-subjects named before lead it too."""
    doc, b = ctx.doc, ctx.builder
    lex = lexicon()
    t = doc.text
    verbs = "|".join(map(re.escape, longest_first(lex.setup_verbs + lex.head_verbs)))
    heads = (*lex.team_heads, *lex.agent_heads)
    starts = [m.start for m in ordered]
    for hit in re.finditer(re.escape(person.label or "\0") + rf"(分别)?({verbs})", t):
        verb = hit.group(2)
        end = hit.end()
        while end < len(t) and t[end] not in CLAUSE_STOP:
            end += 1
        at = bisect.bisect_left(starts, hit.end())
        led = next((m for m in ordered[at:] if m.end <= end), None)
        if led is None or led.start >= end:
            continue
        if verb not in lex.setup_verbs and not led.label.endswith(heads):
            continue  # 组织召开...会: a meeting is held, not led
        target = b.of(led)
        if target is None:
            continue
        leaders = [person] + (_co_subjects(ctx, people, hit.start()) if hit.group(1) else [])
        for leader in leaders:
            start = t.rfind(leader.label or "\0", doc.sentence_start(hit.start()), hit.end())
            b.fact(leader.id, "leads", target.id, b.quote(min(start, hit.start()), led.end))


_ZAI_OF = re.compile(r"在[\u4e00-\u9fff]{1,8}的$")  # 在街道北部的: a 在 phrase's description


def _after_zai(t: str, places: list[Mention]) -> dict[int, int]:
    """The places (by ``id``) a 在 phrase names, each with where its phrase starts: the place
    right after 在, 在辖区 or 在 and a short description ending in 的 (在街道北部的美当村),
    the items of a 、-list after it (在辖区大塘涌村、龙溪里村), and of
    places written one inside the next only the last (在长安区槐安里街道惠民社区: the
    community, not the district)."""
    where: dict[int, int] = {}
    for i, p in enumerate(places):
        prev = places[i - 1] if i else None
        if t.endswith("在", 0, p.start):
            where[id(p)] = p.start - 1
        elif t.endswith("在辖区", 0, p.start):
            where[id(p)] = p.start - 3
        elif (at := _ZAI_OF.search(t, max(0, p.start - 12), p.start)) is not None:
            where[id(p)] = at.start()  # 在街道北部的美当村: a place described before it
        elif prev is not None and id(prev) in where and t[prev.end : p.start] in ("", "、"):
            where[id(p)] = where[id(prev)]
            if prev.end == p.start:
                del where[id(prev)]  # the place inside it is where it runs
    return where


def _at_meetings(ctx: Context, ordered: list[Mention]) -> None:
    """``participatesIn`` the meeting named last before 会上 (a name ending in
    ``meeting_heads``): the person named right before 在会上 (沈立诚在会上表示), and the people
    and enterprises named in a clause that opens with 会上 (会上，街道办事处主任顾小燕对...作了
    部署; 会上，宝荷科技园运营有限公司等5家企业代表作了发言)."""
    doc, b = ctx.doc, ctx.builder
    t = doc.text
    heads = lexicon().meeting_heads
    meetings = [m for m in ordered if m.label.endswith(heads)]
    if not meetings:
        return
    named = [x for x in b.entities if x.type in ("Official", "Person", "Enterprise") and x.label]
    for hit in re.finditer("会上", t):
        before = [m for m in meetings if m.end <= hit.start()]
        target = b.of(before[-1]) if before else None
        if target is None:
            continue
        lead = t[doc.sentence_start(hit.start()) : hit.start()]
        opens = not lead.strip() and t.startswith(("，", ","), hit.end())
        end = hit.end() + 1
        while opens and end < len(t) and t[end] not in CLAUSE_STOP:
            end += 1
        for x in named:
            name = x.label or "\0"
            if t.endswith(name + "在", 0, hit.start()):
                b.fact(x.id, "participatesIn", target.id,
                       b.quote(hit.start() - len(name) - 1, hit.end()))  # fmt: skip
            elif opens and t.find(name, hit.end(), end) >= 0:
                at = t.find(name, hit.end(), end)
                b.fact(x.id, "participatesIn", target.id, b.quote(hit.start(), at + len(name)))


def _bodies_of_programmes(ctx: Context, ordered: list[Mention]) -> None:
    """``partOfInitiative``: a body set up to carry out a programme begun in the same sentence
    (开展“三服务”活动，组建12支助企服务小分队; 实行“一把手招商”，成立...招商引资工作领导小组):
    the programme follows a verb of carrying out (``programme_verbs``), the body a verb of
    setting up (``form_verbs``) in a later clause, and ends with a team's or body's head."""
    doc, b, t = ctx.doc, ctx.builder, ctx.doc.text
    words = read_words("initiatives.yaml")
    starters = tuple(words["programme_verbs"])
    setups = tuple(words["form_verbs"])
    lex = lexicon()
    bodies = (*lex.team_heads, *lex.agent_heads)
    for i, m in enumerate(ordered):
        e = b.of(m)
        if e is None or "partOfInitiative" in e.props or not m.label.endswith(bodies):
            continue
        lead = t[max(0, m.start - 24) : m.start]
        if not any(v in lead[-24:] for v in setups):
            continue
        sentence = doc.sentence_start(m.start)
        for p in reversed(ordered[:i]):
            if p.start < sentence:
                break
            opener = t[max(sentence, p.start - 4) : p.start].rstrip("“「")
            if (
                p.label.endswith(bodies)
                or p.label.endswith(lex.meeting_heads)
                or not opener.endswith(starters)
                or not any(c in CLAUSE_STOP for c in t[p.end : m.start])
            ):
                continue
            whole = b.of(p)
            if whole is not None and whole.id != e.id:
                b.fact(e.id, "partOfInitiative", whole.id, b.quote(p.start, m.end))
            break


def _workers(ctx: Context) -> None:
    """``participatesIn``: the people who do the work a sentence tells of — named at the head
    of its clause (only titles, places and other names before them: 社区党委书记郑淑华和社区
    “两委”成员刘佳、王志刚带着铁锹…) and followed in the clause by a verb of work done on the
    spot (``work_verbs``: 来到, 带着, 逐户, 上门…) — take part in the initiative named later
    in that sentence (…逐户上门，对独居老人家庭进行入户检查), else, in a paragraph that names
    no initiative before them, in what the article is about (:func:`main_initiative`); so
    does a company at the head of such a clause (辖区企业X公司出动铲车…). The one who leads
    is stated by other rules; a person already said to lead it is not also a participant."""
    doc, b, t = ctx.doc, ctx.builder, ctx.doc.text
    verbs = longest_first(read_words("initiatives.yaml")["work_verbs"])
    titles = lexicon().positions
    named = named_again(ctx)
    starts = [m.start for m in named]
    people = [x for x in b.entities if x.type in ("Official", "Person") and x.label]
    found: list[tuple[int, int, DraftEntity]] = []
    for person in people:
        for hit in re.finditer(re.escape(person.label or "\0"), t):
            found.append((hit.start(), hit.end(), person))
    for m in ctx.enterprises:
        company = b.of(m)
        if company is not None:
            found.append((m.start, m.end, company))
    led = {(f["subject"], f["object"]) for f in b.facts if f["predicate"] == "leads"}
    for s, e, who in found:
        left, right = doc.clause(s, e, reach=200)
        k, first = doc.token_at(left), doc.token_at(s)
        if any(
            tok.flag == "v" and not ctx.claims.at(tok.start) and tok.word not in titles
            for tok in doc.tokens[k:first]
            if tok.start >= left
        ):
            continue  # a verb before the name (not a title, 站长, nor in a body's name)
        at = next((i for i in range(e, right) if t.startswith(verbs, i)), -1)
        if at < 0 or _said_between(t, e, at) or "每" in t[e:at]:
            continue  # 每周都会上门: a habit, not the work the sentence reports
        end = doc.sentence_end(e)
        later = [m for m in named[bisect.bisect_left(starts, at) :] if m.end <= end]
        target_m = later[0] if later else None
        if target_m is None:
            para = t.rfind("\n", 0, s) + 1
            before = [m for m in named[: bisect.bisect_left(starts, s)] if m.start >= para]
            main = main_initiative(ctx)
            target_m = main if not before and main is not None and main.end <= s else None
        target = b.of(target_m)
        if target is None or target.id == who.id or (who.id, target.id) in led:
            continue
        lo = min(s, target_m.start) if target_m is not None and target_m.start >= left else s
        hi = max(at + 1, target_m.end if target_m is not None and target_m.start >= s else e)
        b.fact(who.id, "participatesIn", target.id, b.quote(lo, hi))


def _partner_bodies(ctx: Context) -> None:
    """``participatesIn`` of companies and bodies that a sentence says take part: X是Y的合作企业
    (之一) (``partner_kinds``: 合作企业, 成员单位…: Y the initiative, or its short form: 驿站 of
    就业驿站), or X, at the head of its clause, then a word of taking part (``take_part_after``:
    辖区企业X也主动参与进来，为托管班的孩子…) in the initiative named next in the sentence,
    else the last one named before it in its paragraph."""
    doc, b, t = ctx.doc, ctx.builder, ctx.doc.text
    words = read_words("initiatives.yaml")
    kinds = longest_first(words["partner_kinds"])
    takes = tuple(lexicon().take_part_after)
    named = named_again(ctx, short=True)
    starts = [m.start for m in named]
    topics = Topics(ctx)
    for m in ctx.enterprises + ctx.organizations:
        who = b.of(m) or b.by_key.get((m.type, m.label))
        if who is None:
            continue
        target_m = None
        if t.startswith("是", m.end):
            at = bisect.bisect_left(starts, m.end + 1)
            nxt = named[at] if at < len(named) else None
            if (
                nxt is not None
                and nxt.start - m.end <= 2
                and t.startswith("的", nxt.end)
                and t.startswith(kinds, nxt.end + 1)
            ):
                target_m = nxt  # X是驿站的合作企业之一
        elif _heads_clause(ctx, topics, m):
            right = doc.clause(m.start, m.end, reach=60)[1]
            if any(w in t[m.end : right] for w in takes):
                end = doc.sentence_end(m.end)
                at = bisect.bisect_left(starts, m.end)
                later = [x for x in named[at:] if x.end <= end]
                para = t.rfind("\n", 0, m.start) + 1
                before = [x for x in named[:at] if x.start >= para and x.end <= m.start]
                target_m = later[0] if later else (before[-1] if before else None)
        target = b.of(target_m)
        if target is not None and target_m is not None and target.id != who.id:
            lo, hi = min(m.start, target_m.start), max(m.end, target_m.end)
            b.fact(who.id, "participatesIn", target.id, b.quote(lo, hi))


_COMPANY_OPENERS = ("", "辖区企业", "辖区", "辖区内", "企业", "该")  # 辖区企业X公司也参与…


def _heads_clause(ctx: Context, topics: Topics, m: Mention) -> bool:
    """Whether a company's or body's mention is the subject its clause opens with."""
    t = ctx.doc.text
    head = topics.subject(m.start)
    if head is not None and (head.start, head.end) == (m.start, m.end):
        return True
    left = max(t.rfind(c, 0, m.start) for c in CLAUSE_STOP) + 1
    return t[left : m.start].strip(" \u3000") in _COMPANY_OPENERS


def _said_between(t: str, start: int, end: int) -> bool:
    """Whether a verb of saying stands between a name and the verb after it (X说，…来到)."""
    return any(w in t[start:end] for w in ("说", "介绍", "表示", "是"))


def _framed(ctx: Context) -> None:
    """``partOfInitiative``: an initiative named as the frame of what a sentence sets up —
    after 围绕 or 依托, or as 以X为抓手 (``frame_words``, ``handle_words``) — holds the
    initiatives the same sentence then sets up with a trigger verb (围绕“九洲帮”企业服务品牌，
    推行“驻企服务员”制度: the scheme is part of the brand)."""
    doc, b, t = ctx.doc, ctx.builder, ctx.doc.text
    words = read_words("initiatives.yaml")
    frames, handles = tuple(words["frame_words"]), tuple(words["handle_words"])
    lex = lexicon()
    named = named_again(ctx)
    for i, m in enumerate(named):
        lead = t[max(0, m.start - 3) : m.start].rstrip("“「")
        tail = t[m.end : m.end + 4].lstrip("”」")
        if not (lead.endswith(frames) or (lead.endswith("以") and tail.startswith(handles))):
            continue
        whole = b.of(m)
        if whole is None:
            continue
        end = doc.sentence_end(m.end)
        openers = tuple(tr + f for tr in lex.triggers for f in ("", *lex.fillers))
        for p in named[i + 1 :]:
            if p.start >= end:
                break
            part = b.of(p)
            opener = t[max(m.end, p.start - 6) : p.start].rstrip("“「")
            if (
                part is None
                or part.id == whole.id
                or "partOfInitiative" in part.props
                or p.label.endswith(lex.meeting_heads)
                or not opener.endswith(openers)
            ):
                continue
            b.fact(part.id, "partOfInitiative", whole.id, b.quote(m.start, p.end))


def _partners(ctx: Context, ordered: list[Mention]) -> None:
    """The bodies and companies a subdistrict works with on an initiative (``partner_words``:
    联合, 会同, 携手...): listed right after the word, they organize it with the subdistrict
    when the initiative is named in the same clause (联合青枫派出所、常州天润燃气服务有限公司在
    美食街开展“燃气安全开放日”活动: ``organizedBy`` both), and take part in it when it is named
    in the next clause of the sentence (联合广州海滘物业管理有限公司，在辖区...试点“统租统管”:
    ``participatesIn``). So do those listed after 与, 和 or 同 and before a verb of doing
    together (``together_verbs``: 与天津滨河师范学院共建“青春护苗”志愿服务队, 与X公司合作，…)."""
    doc, b, t = ctx.doc, ctx.builder, ctx.doc.text
    data = read_words("initiatives.yaml")
    words = longest_first(data["partner_words"])
    together = longest_first(data["together_verbs"])
    partners = sorted(ctx.organizations + ctx.enterprises, key=lambda m: m.start)
    pattern = re.compile("|".join(map(re.escape, words)) + "|[与和同]")
    for hit in pattern.finditer(t):
        listed, pos = [], hit.end()
        for m in partners:
            if m.start < pos:
                continue
            if m.start > pos and t[pos : m.start] not in ("、", "和", "及", "以及", "与"):
                break
            listed.append(m)
            pos = m.end
        if not listed:
            continue
        if hit.group() in "与和同":  # 与X共建: a partner only with a verb of doing together
            if not t.startswith(together, pos):
                continue
            pos += next(len(v) for v in together if t.startswith(v, pos))
        end = doc.sentence_end(pos)
        clause = min((i for i in (t.find(c, pos) for c in CLAUSE_STOP) if 0 <= i < end),
                     default=end)  # fmt: skip
        after = next((m for m in named_again(ctx) if pos <= m.start and m.end <= end), None)
        if after is None:
            continue
        predicate = "organizedBy" if after.start < clause else "participatesIn"
        target = b.of(after)
        for m in listed:
            partner = b.of(m)
            if target is None or partner is None:
                continue
            if predicate == "organizedBy":
                b.fact(target.id, predicate, partner.id, b.quote(hit.start(), after.end))
            else:
                b.fact(partner.id, predicate, target.id, b.quote(hit.start(), after.end))


def _named_with_kind(ctx: Context, ordered: list[Mention]) -> None:
    """A quoted name followed by the kind of thing it names (“三问”工作法, “绿色积分”制度,
    “望澄帮办”服务品牌: ``kinds_after_quote``) is also written as one name with it: an
    altLabel, so the initiative is found under either."""
    b, t = ctx.builder, ctx.doc.text
    kinds = longest_first(read_words("initiatives.yaml")["kinds_after_quote"])
    closing = {c for _, c in lexicon().quote_marks if c != "》"}
    for m in ordered:
        e = b.of(m)
        if e is None or not e.label or m.end >= len(t) or t[m.end] not in closing:
            continue
        kind = next((k for k in kinds if t.startswith(k, m.end + 1)), None)
        if kind is None or (m.end + 1 + len(kind) < len(t) and t[m.end + 1 + len(kind)] in "队站"):
            continue
        name = e.label + kind
        if name not in e.alt_labels and ("Initiative", name) not in b.by_key:
            e.alt_labels.append(name)


def _headed(ctx: Context) -> dict[int, tuple[int, int]]:
    """Where each body set up with its head named first starts → that phrase's span."""
    return ctx.memo.setdefault("headed", {})  # type: ignore[return-value]


def _headed_by(ctx: Context, ordered: list[Mention]) -> None:
    """``leads`` for each person named in the phrase that says who heads a body as it is set
    up (成立由街道党工委书记周立新任组长，...韩雪梅任副组长的助企工作组: both)."""
    b, t = ctx.builder, ctx.doc.text
    people = [x for x in b.entities if x.type in ("Official", "Person") and x.label]
    for m in ordered:
        span = _headed(ctx).get(m.start)
        target = b.of(m)
        if span is None or target is None:
            continue
        for person in people:
            at = t.find(person.label or "\0", span[0], span[1])
            if at >= 0:
                b.fact(person.id, "leads", target.id, b.quote(span[0], m.end))


def _references(ctx: Context, ordered: list[Mention]) -> list[tuple[int, int, DraftEntity]]:
    """Where the text names each initiative again, in text order: its label and altLabels,
    and its short forms when no other initiative of the article has them — the label
    without a collective tail (帮办员 of 帮办员队伍, 驻企服务员 of 驻企服务员制度) and its team
    kind alone (服务组 of 包联服务组, 驿站 of 就业驿站, 突击队 of 党员突击队): see
    ``short_tails`` and ``short_heads`` in ``initiatives.yaml``."""
    b, t = ctx.builder, ctx.doc.text
    words = read_words("initiatives.yaml")
    forms: dict[str, set[str]] = {}
    for m in ordered:
        e = b.of(m)
        if e is None or not e.label:
            continue
        names = {e.label, *e.alt_labels, m.label, t[m.start : m.end]}
        names |= {e.label[: -len(w)] for w in words["short_tails"] if e.label.endswith(w)}
        names |= {w for w in words["short_heads"] if e.label.endswith(w)}
        for name in names:
            if len(name) >= 2:
                forms.setdefault(name, set()).add(e.id)
    by_id = {e.id: e for e in b.entities}
    found: list[tuple[int, int, DraftEntity]] = []
    for name, owners in sorted(forms.items(), key=lambda kv: -len(kv[0])):
        if len(owners) != 1:
            continue
        e = by_id[next(iter(owners))]
        for hit in re.finditer(re.escape(name), t):
            s, end = hit.span()
            if any(a < end and s < z for a, z, _ in found):
                continue  # inside a longer name found first
            found.append((s, end, e))
    return sorted(found, key=lambda r: r[0])


def _helped(ctx: Context, ordered: list[Mention]) -> None:
    """``serves`` the one an anecdote is about: a reporter names a company (辖区企业X是一家
    ...企业; 这家企业), then tells what an initiative did for it, naming the initiative or its
    short form right before a verb of help (服务组协调办理车辆通行证16张, 复工服务队了解到
    企业用工缺口后，协助企业..., 帮办员全程代办; ``help_verbs``). The one helped is the last
    company named before in the paragraph, else the company heading the paragraph before
    when the sentence says 企业 or 公司 and the verb follows the name at once (得知企业的难处
    后，...带领街道复工复产专班上门对接); inside a quotation, the speaker's company or the
    speaker (“驻企服务组帮我们协调了...”X公司总经理邱建华说; “多亏突击队帮忙...”种养大户
    林家兴说). The company is named at most ``_PARAGRAPH_REACH`` characters before."""
    doc, b = ctx.doc, ctx.builder
    t = doc.text
    verbs = tuple(read_words("initiatives.yaml")["help_verbs"])
    companies = sorted(ctx.enterprises, key=lambda m: m.start)
    persons = [x for x in b.entities if x.type == "Person" and x.label]
    for s, e, initiative in _references(ctx, ordered):
        end = doc.sentence_end(e)
        window = t[e : min(end, e + _HELP_REACH)]
        at_verb = min((i for i in range(len(window)) if window.startswith(verbs, i)), default=-1)
        if at_verb < 0:
            continue
        para = t.rfind("\n", 0, s) + 1
        helped = _speaker(ctx, s, companies, persons)
        if helped is None or helped[1] is None:
            lo = max(para, s - _PARAGRAPH_REACH)
            named = [m for m in companies if lo <= m.start and m.end <= s]
            if named:
                helped = named[-1].start, b.of(named[-1])
            elif at_verb <= 2 and any(w in t[doc.sentence_start(s) : end] for w in _COMPANY_WORDS):
                head = _topic_company(ctx, para, companies)
                helped = (s, b.of(head)) if head is not None else None
        at, target = helped if helped is not None else (s, None)
        if target is None or target.id == initiative.id:
            continue
        b.fact(initiative.id, "serves", target.id, b.quote(min(at, s), max(at + 1, e)))


# A company introduced as the one a paragraph's story is about (X公司是辖区一家…企业, …是首批
# 受益企业之一, …是服务站的首批服务对象之一, …是街道重点服务企业).
_ANECDOTE = re.compile(
    r"(?:（[^）]{0,20}）)?是(?:辖区|街道|我们)?[^，,。；;]{0,16}?(?:企业|对象|公司)"
)


def _anecdotes(ctx: Context) -> None:
    """``serves``: a paragraph that opens by introducing a company (X公司是辖区一家生产工业电机的
    企业; …是首批受益企业之一) tells what was done for it; when it says so with a verb of help
    (``help_verbs``, within ``_PARAGRAPH_REACH`` characters) and no initiative is yet said to
    serve the company, the company is served
    by the one initiative the paragraph names (its short forms too: 工作组 of 助企工作组), else,
    when it names none, by what the article is about (:func:`main_initiative`)."""
    b, t = ctx.builder, ctx.doc.text
    verbs = tuple(read_words("initiatives.yaml")["help_verbs"])
    served = {f["object"] for f in b.facts if f["predicate"] == "serves"}
    named = named_again(ctx, short=True)
    for m in ctx.enterprises:
        company = b.of(m) or b.by_key.get(("Enterprise", m.label))
        if company is None or company.id in served:
            continue
        para = t.rfind("\n", 0, m.start) + 1
        if t[para : m.start].strip(" \u3000") not in ("", "辖区企业", "辖区", "位于") or (
            _ANECDOTE.match(t, m.end) is None
        ):
            continue
        end = t.find("\n", m.end)
        end = len(t) if end < 0 else end
        if not any(v in t[m.end : min(end, m.end + _PARAGRAPH_REACH)] for v in verbs):
            continue  # the help told shortly after the company is introduced
        inside = {x.label for x in named if para <= x.start and x.end <= end}
        if len(inside) == 1:
            giver = b.by_key.get(("Initiative", inside.pop()))
        elif not inside:
            main = main_initiative(ctx)
            giver = b.of(main) if main is not None and main.end <= m.start else None
        else:
            giver = None
        if giver is not None and giver.id != company.id:
            b.fact(giver.id, "serves", company.id, b.quote(m.start, m.end))
            served.add(company.id)


_RECEIVED = re.compile(
    r"等[^，,。；;]{0,8}?企业[^，,。；;]{0,4}?(?:享受到了|享受到|享受|获得|领到|申请)"
    r"([\u4e00-\u9fff]{2,8})"
)


def _beneficiaries(ctx: Context, ordered: list[Mention]) -> None:
    """``serves``: companies listed before 等…企业 and a verb of receiving name what they got
    (A、B、C等首批28家企业已享受到奖励资金; …等37家企业申请贷款贴息); the initiative that
    gives it is the one whose name ends as that thing does (奖励资金: 助企发展专项资金), else
    the one whose sentence names it (设立…专项资金，…给予贷款贴息), when only one does."""
    doc, b, t = ctx.doc, ctx.builder, ctx.doc.text
    companies = sorted(ctx.enterprises, key=lambda m: m.start)
    for hit in _RECEIVED.finditer(t):
        listed, pos = [], hit.start()
        for m in reversed([m for m in companies if m.end <= pos]):
            if m.end != pos:
                break
            listed.append(m)
            pos = m.start - 1
            if pos < 0 or t[pos] != "、":
                break
        thing = hit.group(1)
        if not listed:
            continue
        before = [m for m in ordered if m.end <= hit.start()]
        options = {m.label for m in before if m.label.endswith(thing[-2:])}
        if not options:
            options = {m.label for m in before if thing in
                       t[doc.sentence_start(m.start) : doc.sentence_end(m.end)]}  # fmt: skip
        giver = b.by_key.get(("Initiative", options.pop())) if len(options) == 1 else None
        if giver is None:
            continue
        for m in listed:
            target = b.of(m) or b.by_key.get(("Enterprise", m.label))
            if target is not None:
                b.fact(giver.id, "serves", target.id, b.quote(m.start, hit.end()))


_HELP_REACH = 24  # characters after an initiative's name in which a verb of help says so


def _speaker(ctx: Context, pos: int, companies: list[Mention],
             persons: list[DraftEntity]) -> tuple[int, DraftEntity | None] | None:  # fmt: skip
    """Who says the quotation holding ``pos`` (“...”X公司总经理Y说): the company named in
    the words after it up to 说, else a person of the story named there; None outside a
    quotation or when neither is named."""
    t = ctx.doc.text
    opening, closing = t.rfind("“", 0, pos), t.rfind("”", 0, pos)
    after = t.find("”", pos)
    if opening < 0 or closing > opening or after < 0 or "\n" in t[opening:after]:
        return None
    said = _SAID_AFTER.match(t, after + 1)
    if said is None:  # 种养大户林家兴说：“多亏突击队帮忙...”
        lead = t.rfind("\n", 0, opening) + 1
        said = _SAID_BEFORE.search(t, max(lead, opening - 40), opening)
    if said is None:
        return None
    lo, hi = said.span()
    for m in companies:
        if lo <= m.start and m.end <= hi:
            return m.start, ctx.builder.of(m)
    if any(w in t[lo:hi] for w in _COMPANY_WORDS):
        return lo, None  # 公司总经理蔡文辉说: the company speaks, named before
    for person in persons:
        at = t.find(person.label or "\0", lo, hi)
        if at >= 0:
            return at, person
    return None


_COMPANY_WORDS = ("企业", "公司")  # a bare word for the company an anecdote is about
_SAID = "(?:说|表示|介绍|告诉记者|感慨)"
_SAID_AFTER = re.compile(rf"[^。！!？?\n“”]{{0,40}}?{_SAID}")
_SAID_BEFORE = re.compile(rf"[^。！!？?\n“”，,]{{1,40}}{_SAID}[：:]?$")


def _topic_company(ctx: Context, para: int, companies: list[Mention]) -> Mention | None:
    """The company that opens the paragraph before the one starting at ``para`` (湘潭华锐电机
    有限公司是辖区一家...企业), written in its first clause."""
    t = ctx.doc.text
    end = para - 1
    while end > 0 and t[end - 1].isspace():
        end -= 1
    para = t.rfind("\n", 0, end) + 1
    first = min((i for i in (t.find(c, para) for c in CLAUSE_STOP) if i >= 0), default=len(t))
    return next((m for m in companies if para <= m.start < first), None)


def links(ctx: Context) -> None:
    """Relations of initiatives that the text states next to them: ``partOfInitiative`` for
    the parts of a numbered one; ``takesPlaceIn`` a place that begins the name (莲大片区临时
    党组织), follows 在 or is followed by 有 earlier in the sentence (古灶村有一支党员先锋队);
    ``leads`` for 由 + a person + 牵头 in the sentence, or a post in the initiative (“阳光议事亭”
    亭长程建); ``serves`` for 服务 + enterprises after it in the sentence (服务山湖大厦等企业).
    The other rules it runs are functions of their own: :func:`_named_with_kind`,
    :func:`_at_meetings`, :func:`_bodies_of_programmes`, :func:`_partners`, :func:`_helped`,
    :func:`_beneficiaries`, :func:`_headed_by`, and per person :func:`_takes_part` and
    :func:`_leads_by_verb`."""
    doc, b = ctx.doc, ctx.builder
    lex = lexicon()
    t = doc.text
    places = sorted(ctx.places + ctx.communities, key=lambda m: m.start)
    starts = [p.start for p in places]
    ordered = sorted(ctx.initiatives, key=lambda m: m.start)
    served_at = sorted(ctx.enterprises, key=lambda m: m.start)
    served_starts = [m.start for m in served_at]
    _named_with_kind(ctx, ordered)
    for m in ordered:
        e = b.of(m)
        if e is None:
            continue
        whole = b.by_key.get(("Initiative", m.whole)) if m.whole else None
        if whole is not None and whole.id != e.id:
            e.props.setdefault("partOfInitiative", whole.id)
        sentence = doc.sentence_start(m.start)
        lo, hi = bisect.bisect_left(starts, sentence), bisect.bisect_left(starts, m.end)
        where = _after_zai(t, [p for p in places[lo:hi] if p.start >= sentence])
        for p in places[lo:hi]:
            area = b.of(p)
            if area is None or p.end > m.end or p.start < sentence:
                continue
            if p.start == m.start and p.end < m.end:  # the name begins with the place
                if p.type not in admin_types():  # 湖墅老墙门: a subdistrict's, not a place's
                    e.props.setdefault("takesPlaceIn", area.id)
            elif p.end <= m.start and id(p) in where:
                b.fact(e.id, "takesPlaceIn", area.id, b.quote(where[id(p)], m.end))
            elif p.end <= m.start and t.startswith("有", p.end):
                b.fact(e.id, "takesPlaceIn", area.id, b.quote(p.start, m.end))
        own = t.rfind("在辖区", sentence, m.start)
        by = e.props.get("organizedBy")
        if own >= 0 and by and any(x.id == by and x.type in ("Subdistrict", "Town")
                                   for x in b.entities):  # fmt: skip
            b.fact(e.id, "takesPlaceIn", by, b.quote(own, m.end))  # 在辖区推行“绿色积分”
        end = doc.sentence_end(sentence)
        lo, hi = bisect.bisect_left(served_starts, m.end), bisect.bisect_left(served_starts, end)
        for served in served_at[lo:hi]:
            if not m.end <= served.start < end:
                continue
            between = t[m.end : served.start]
            verb = next((v for v in lex.serve_verbs if between.endswith(v)), None)
            if verb is None or any(
                o.end <= served.start and o.start >= m.end for o in ordered if o is not m
            ):
                continue  # another initiative stands between: it is the one that serves
            target = b.of(served) or b.by_key.get(("Enterprise", served.label))
            if target is not None:
                b.fact(e.id, "serves", target.id, b.quote(m.start, served.end))
    _at_meetings(ctx, ordered)
    _bodies_of_programmes(ctx, ordered)
    _framed(ctx)
    _partners(ctx, ordered)
    _helped(ctx, ordered)
    _anecdotes(ctx)
    _beneficiaries(ctx, ordered)
    _headed_by(ctx, ordered)
    verbs = "|".join(map(re.escape, lex.lead_verbs))
    people = [(x, x.label) for x in b.entities if x.type in ("Official", "Person") and x.label]
    for person, name in people:
        for hit in re.finditer(rf"由{re.escape(name)}(?:{verbs})", t):
            start = doc.sentence_start(hit.start())
            end = doc.sentence_end(hit.end())
            before = [m for m in ordered if start <= m.start and m.end <= hit.start()]
            after = [m for m in ordered if hit.end() <= m.start and m.end <= end]
            led = before[-1] if before else (after[0] if after else None)
            target = b.of(led)
            if led is not None and target is not None:
                span = b.quote(min(led.start, hit.start()), max(led.end, hit.end()))
                b.fact(person.id, "leads", target.id, span)
        _takes_part(ctx, person, ordered, [x for x, _ in people])
        _leads_by_verb(ctx, person, [x for x, _ in people], ordered)
        posts = person.props.get("holds", [])
        for post in (x for x in b.entities if x.type == "Post" and x.id in posts):
            run = next((x for x in b.entities if x.id == post.props.get("postIn")), None)
            if run is not None and run.type == "Initiative":  # “阳光议事亭”亭长程建
                b.fact(person.id, "leads", run.id, (post.quote, post.occurrence))
    _workers(ctx)
    _partner_bodies(ctx)
