"""Score draft fact files (``kg extract``) against the gold annotations (``kg eval``).

``evaluate(gold_dir, pred_dir)`` reads both directories of fact files and reports
precision, recall and F1 per class and overall. The choices below are made so that the
numbers mean what a reader expects and a draft is judged by what a person would have to fix.

**Pairing.** A draft is paired with the gold file of the *same article file*
(``article.file``), not of the same ``article.id``: the extractor knows the file it read
but cannot know the id an annotator chose. A draft whose article has no gold file is an
error (there is nothing to score it against, and silently dropping it would flatter the
scores), and so are two drafts of one article. By default only articles that have a draft
are scored and the others are listed in the report (:meth:`Report.header`), so a run on a
few articles gives meaningful numbers; ``strict=True`` counts every gold article without
a draft as entirely missed, which is the honest figure for "the extractor on the corpus".

**Loading.** Both sides are read with the project's loader (:func:`kg.facts.load_file`),
so a file that is not even a fact file (broken YAML, unknown key, bad value) fails with the
loader's ``file:line:col: ...`` lines, all files at once. Quotes are *not* required to be
found: a draft is scored on what it claims, and the problems ``kg build`` would raise
(quote not in the article, label not in the quote, undefined id, ...) are listed per
article in :attr:`ArticleResult.problems`, without changing a score. They are checked as
``kg build`` would see the corpus with the drafts in place of their gold files; likewise a
draft may refer to an id defined in a gold file of another article (a shared role), whose
names are then used.

**Matching.** Per article and per class (the entity's ``type``), gold and draft entities
are paired one to one (a maximum bipartite matching by networkx, so a duplicate draft entity is
a false positive and a gold entity is found at most once). Labels are compared after
:func:`clean`: NFKC (fullwidth forms), :func:`kg.text.normalize` (pinyin inserts removed,
traditional to simplified), case folded, whitespace, quote marks (“”「」『』《》"') and
name dots removed. An entity's names are its label and its altLabels, and two entities
match when their names share one, so ``复工专班`` finds ``疫情防控企业有序复工工作专班``.

* ``Post``: its names are its label, if any, and the label of its ``postIn`` entity
  followed by that of its ``role`` (``锦南街道`` + ``党工委书记``); it also needs the same
  holders (the people whose ``holds`` names it; none on both sides is the same).
* ``Metric``: the value times its scale, compared as a decimal, with the unit:
  ``13.43`` 亿 元 equals ``1343000000`` 元 and ``unit: 亿元``. The indicator is free
  wording and is not compared (it is shown in the lists of misses).
* ``Metric (value missing)``: gold metrics with ``valueMissing: true`` (article 004 lost
  its digits) are kept out of ``Metric``: a draft is right not to invent a number there,
  and an invented one is a false positive of ``Metric``. They get their own row, matched
  by unit and then by indicator or by quote (one quote containing the other).
* ``Person (any)``: Official and Person together, ignoring which is which (the line
  between them is a judgement); ``Official`` and ``Person`` are also scored strictly.
* ``Post (secretary)``: the posts whose role is a 书记's, matched as ``Post``; its false
  positives are the secretaries a draft invented, which it must never do.
* ``Relation``: every entity-valued property and fact (``holds``, ``partOf``,
  ``organizedBy``, ``refArea``, ...) as subject, predicate, object; stated twice (a
  property and a fact) it counts once. Relations are scored *after* entity alignment: the
  one-to-one pairs the entity rows found in the article (every class row, ``Metric (value
  missing)`` included; not ``Person (any)`` nor ``Post (secretary)``, which pair the same
  entities again) map each matched draft entity to its gold entity. A draft relation then
  matches a gold one with
  the same predicate when its subject and its object each are *aligned* to the gold one's
  or, if not aligned at all, share a name with it as entities do. So a relation is judged
  on the entities the rows already accepted, even when their names differ (a value-missing
  metric, named only by its free-worded indicator, found by its quote; a label the gold has
  as an altLabel), an entity aligned elsewhere cannot match by a shared name, and a draft
  entity the rows did not pair (a duplicate, or one filed under another class) still
  counts by name. The matching of relations is one to one as well. :attr:`Report.relations`
  splits the row by predicate.

**Scores.** ``precision = tp / (tp + fp)``, ``recall = tp / (tp + fn)``, ``F1`` their
harmonic mean. With a zero denominator precision (nothing predicted) and recall (nothing
to find) are 1.0, vacuously: no wrong claim was made, nothing was missed; F1 is 0 when
both are 0. So a class absent on both sides scores 1.0 and an empty draft of a class that
has gold items scores precision 1.0, recall 0.0, F1 0.0. ``overall`` is the micro-average
(summed counts) over the entity classes ``Official`` ... ``Metric``; the derived rows
(``Person (any)``, ``Post (secretary)``, ``Metric (value missing)``, ``Relation``) are not
in it, as they would count entities twice or are not entities.

Everything is ordered deterministically: classes in :func:`class_order`, articles by
gold file name, lists of misses in file order.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import networkx as nx

from kg import text
from kg.facts import Corpus, Entity, FactError, FactFile, Problem, Where, check_corpus, load_file
from kg.schema import entity_classes
from kg.schema import properties as fact_schema

__all__ = [
    "ArticleResult",
    "Report",
    "Score",
    "class_order",
    "clean",
    "entity_order",
    "evaluate",
    "metric_key",
]

PERSON_ANY = "Person (any)"
SECRETARY = "Post (secretary)"
METRIC_MISSING = "Metric (value missing)"
RELATION = "Relation"

def entity_order() -> tuple[str, ...]:
    """Entity classes in report order: the schema's (:func:`kg.schema.entity_classes`);
    ``overall`` sums these."""
    return tuple(entity_classes())


def class_order() -> tuple[str, ...]:
    """Rows of the report: the entity classes, then the derived rows."""
    return (*entity_order(), PERSON_ANY, SECRETARY, METRIC_MISSING, RELATION)


COLUMNS = ["class", "gold", "pred", "tp", "fp", "fn", "precision", "recall", "F1"]


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class Score:
    """Counts and rates of one class (or of a relation predicate, or overall).

    With a zero denominator precision and recall are 1.0 (no claim, so no wrong claim; no
    gold item, so none missed) and F1 is 0.0 when both rates are 0.0.
    """

    cls: str
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, name: str, tp: int, fp: int, fn: int) -> Score:
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(name, tp, fp, fn, precision, recall, f1)

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def pred(self) -> int:
        return self.tp + self.fp

    def row(self) -> list[str]:
        return [
            self.cls,
            str(self.gold),
            str(self.pred),
            str(self.tp),
            str(self.fp),
            str(self.fn),
            f"{self.precision:.3f}",
            f"{self.recall:.3f}",
            f"{self.f1:.3f}",
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "class": self.cls,
            "gold": self.gold,
            "pred": self.pred,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _total(name: str, scores: Iterable[Score]) -> Score:
    scores = list(scores)
    return Score.of(
        name,
        sum(s.tp for s in scores),
        sum(s.fp for s in scores),
        sum(s.fn for s in scores),
    )


@dataclass(frozen=True)
class ArticleResult:
    """The scores of one article, and what to look at: misses, extras, draft problems."""

    article: str
    """The gold article id."""
    file: str
    """The article file name both fact files point to."""
    gold_path: str
    pred_path: str | None
    """None when the article has no draft (only in strict mode)."""
    scores: list[Score]
    relations: list[Score]
    misses: dict[str, list[str]]
    """Per class, the gold items the draft did not find (false negatives), in file order."""
    extras: dict[str, list[str]]
    """Per class, the draft items that match no gold item (false positives)."""
    problems: list[str] = field(default_factory=list)
    """What ``kg build`` would refuse in the draft (``file:line:col: ...``); not scored."""

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.article,
            "file": self.file,
            "gold": self.gold_path,
            "pred": self.pred_path,
            "classes": [s.to_json() for s in self.scores if s.gold or s.pred],
            "relations": [s.to_json() for s in self.relations],
            "misses": self.misses,
            "extras": self.extras,
            "problems": self.problems,
        }


@dataclass(frozen=True)
class Report:
    """Scores per class (:func:`class_order`), overall, per article and per relation."""

    scores: list[Score]
    overall: Score
    per_article: list[ArticleResult]
    relations: list[Score]
    """``Relation`` split by predicate, alphabetically."""
    skipped: list[str]
    """Gold article ids with no draft, left out of the scores (empty in strict mode)."""
    strict: bool
    gold_dir: str
    pred_dir: str

    def score(self, cls: str) -> Score:
        """The score of one row by its name (``"Official"``, ``"Person (any)"``, ...)."""
        for s in [*self.scores, self.overall]:
            if s.cls == cls:
                return s
        raise KeyError(cls)

    def header(self) -> str:
        """What was scored, in words: which articles, and which were left out."""
        scored = _some([a.article for a in self.per_article]) or "none"
        lines = [
            f"{len(self.per_article)} article(s) scored ({scored}): "
            f"drafts in {self.pred_dir} against gold in {self.gold_dir}"
        ]
        if self.skipped:
            lines.append(
                f"not scored, no draft: {_some(self.skipped)} "
                "(strict mode counts them as entirely missed)"
            )
        elif self.strict:
            missing = [a.article for a in self.per_article if a.pred_path is None]
            if missing:
                lines.append(f"no draft, counted as entirely missed: {_some(missing)}")
        problems = sum(len(a.problems) for a in self.per_article)
        if problems:
            lines.append(f"{problems} problem(s) kg build would refuse in the drafts (not scored)")
        lines.append(
            f"overall: micro-average of the entity classes ({', '.join(entity_order())}); "
            f"{PERSON_ANY}, {SECRETARY}, {METRIC_MISSING} and {RELATION} are not in it"
        )
        return "\n".join(lines)

    def table(self, relations: bool = False) -> list[list[str]]:
        """Rows to print: first :data:`COLUMNS`, then each class with gold or draft items,
        then (with ``relations``) each relation predicate, then ``overall``."""
        rows = [list(COLUMNS)]
        rows += [s.row() for s in self.scores if s.gold or s.pred]
        if relations:
            rows += [[f"  {s.cls}", *s.row()[1:]] for s in self.relations]
        rows.append(self.overall.row())
        return rows

    def to_json(self) -> dict[str, Any]:
        return {
            "gold_dir": self.gold_dir,
            "pred_dir": self.pred_dir,
            "strict": self.strict,
            "articles": [a.article for a in self.per_article],
            "skipped": self.skipped,
            "overall": self.overall.to_json(),
            "classes": [s.to_json() for s in self.scores],
            "relations": [s.to_json() for s in self.relations],
            "per_article": [a.to_json() for a in self.per_article],
        }


def _some(ids: list[str], limit: int = 12) -> str:
    """A list of article ids for one line: the first ``limit`` and how many more."""
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


# ---------------------------------------------------------------- normalization

_DROP = re.compile(r"[\s\"'“”‘’「」『』《》〈〉·・‧•]")
_uncached_normalize = text.normalize.__wrapped__
"""The cached ``normalize`` keeps whole articles; thousands of labels must not evict them."""


@functools.lru_cache(maxsize=65536)
def clean(label: str) -> str:
    """A label as it is compared: NFKC, normalized (pinyin out, simplified), case folded,
    without whitespace, quote marks and name dots.

    >>> clean("「陽光議事亭」"), clean("１＋Ｎ"), clean("APP 平台")
    ('阳光议事亭', '1+n', 'app平台')
    """
    folded = unicodedata.normalize("NFKC", label)
    return _DROP.sub("", _uncached_normalize(folded).text.casefold())


_SCALES = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "亿": 10**8}
_SCALE_PREFIX = re.compile(r"^([万亿]+)(.*)$")


def _first(entity: Entity, key: str) -> Any:
    values = entity.props.get(key)
    return values[0].raw if values else None


def metric_key(entity: Entity) -> tuple[str, str] | None:
    """``(value times scale, unit)`` of a metric, both as compared; None without a value.

    A scale written into the unit (``unit: 万元``) is moved to the scale; only 万 and 亿 are
    taken from a unit, since 千克 and 百分点 are units of their own. An unknown scale word
    stays part of the unit, so it can only match the same word.

    >>> from kg.facts import Quote, Value
    >>> def m(**props):
    ...     where = Where("x")
    ...     values = {k: [Value(v, where)] for k, v in props.items()}
    ...     return Entity("m", "Metric", None, [], Quote("", None, where), values, where, "a")
    >>> metric_key(m(value="13.43", scale="亿", unit="元")), metric_key(m(value=5, unit="萬元"))
    (('1343000000', '元'), ('50000', '元'))
    """
    value = _first(entity, "value")
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    scale = clean(str(_first(entity, "scale") or ""))
    unit = clean(str(_first(entity, "unit") or ""))
    prefix = _SCALE_PREFIX.match(unit)
    if prefix:
        scale, unit = scale + prefix.group(1), prefix.group(2)
    if all(c in _SCALES for c in scale):
        for c in scale:
            number *= _SCALES[c]
    else:
        unit = scale + unit
    return format(number.normalize(), "f"), unit


def _secretary(role: Entity | None) -> bool:
    """Whether a post's role is a party secretary's (书记, 副书记, 党工委书记...): the posts
    a draft must never invent, scored in a row of their own."""
    return role is not None and "书记" in (role.label or "")


def _metric_shown(entity: Entity) -> str:
    parts = [str(_first(entity, k) or "") for k in ("value", "scale", "unit")]
    indicator = _first(entity, "indicator") or "?"
    if _first(entity, "value") is None:
        return f"{indicator} (value missing) {parts[2]}".rstrip()
    return f"{indicator} {''.join(parts)}"


# ---------------------------------------------------------------- items to match


@dataclass(frozen=True)
class _Item:
    """What is compared of one entity or relation: components that must each agree.

    ``ids`` are the entity ids behind it (the entity's own; a relation's subject and
    object), so matched entities can be aligned and relations judged on that alignment.
    """

    keys: tuple[frozenset[str], ...]
    shown: str
    quote: str = ""
    ids: tuple[str, ...] = ()


Compatible = Callable[[_Item, _Item], bool]
"""Whether a gold item (first) and a draft item (second) may be paired."""


def _agree(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a & b) if a or b else True


def _compatible(a: _Item, b: _Item) -> bool:
    return all(_agree(x, y) for x, y in zip(a.keys, b.keys, strict=True))


def _relation_compatible(aligned: dict[str, str]) -> Compatible:
    """Gold and draft relations agree on the predicate and on each end: an aligned draft
    entity must be the gold one it was aligned to (names are then beside the point, and
    a shared name with another gold entity must not count twice); an unaligned one must
    share a name with it, as before alignment."""

    def compatible(gold: _Item, pred: _Item) -> bool:
        if not _agree(gold.keys[0], pred.keys[0]):
            return False
        for gold_id, pred_id, gold_names, pred_names in zip(
            gold.ids, pred.ids, gold.keys[1:], pred.keys[1:], strict=True
        ):
            target = aligned.get(pred_id)
            if target is None:
                if not _agree(gold_names, pred_names):
                    return False
            elif target != gold_id:
                return False
        return True

    return compatible


def _compatible_missing(a: _Item, b: _Item) -> bool:
    """Value-missing metrics: same unit, and same indicator or overlapping quotes."""
    if not _agree(a.keys[0], b.keys[0]):
        return False
    if a.keys[1] & b.keys[1]:
        return True
    return bool(a.quote and b.quote) and (a.quote in b.quote or b.quote in a.quote)


class _Side:
    """One side (gold or drafts): entities by id, and who holds each post."""

    def __init__(self, files: list[FactFile], fallback: Iterable[FactFile] = ()):
        self.by_id: dict[str, Entity] = {}
        # Drafts may refer to ids defined in the gold files that stay in the corpus.
        for f in [*files, *fallback]:
            for e in f.entities:
                self.by_id.setdefault(e.id, e)
        self.holders: dict[str, list[Entity]] = defaultdict(list)
        for f in files:
            for e in f.entities:
                for v in e.props.get("holds", []):
                    self.holders[str(v.raw)].append(e)

    def names(self, entity_id: str, depth: int = 0) -> frozenset[str]:
        entity = self.by_id.get(entity_id)
        if entity is None:
            return frozenset({f"\0undefined:{entity_id}"})
        return self.entity_names(entity, depth)

    def entity_names(self, entity: Entity, depth: int = 0) -> frozenset[str]:
        names = {clean(n) for n in [entity.label or "", *entity.alt_labels]} - {""}
        if entity.type == "Post" and depth < 3:
            where = _first(entity, "postIn")
            role = _first(entity, "role")
            if where is not None and role is not None:
                names |= {
                    w + r
                    for w in self.names(str(where), depth + 1)
                    for r in self.names(str(role), depth + 1)
                    if not w.startswith("\0") and not r.startswith("\0")
                }
        elif entity.type == "Metric":
            key = metric_key(entity)
            if key is not None:
                names = {f"\0metric:{key[0]}{key[1]}"}
            else:
                names = {f"\0metric:{clean(str(_first(entity, 'indicator') or ''))}"}
        return frozenset(names) if names else frozenset({f"\0id:{entity.id}"})

    def shown(self, entity: Entity) -> str:
        if entity.type == "Metric":
            return _metric_shown(entity)
        if entity.label:
            return entity.label
        if entity.type == "Post":
            parts = [self.by_id.get(str(_first(entity, k) or "")) for k in ("postIn", "role")]
            composed = "".join(p.label or p.id for p in parts if p is not None)
            return composed or entity.id
        return entity.id

    def items(self, f: FactFile) -> dict[str, list[_Item]]:
        """The items of one file, by report row."""
        rows: dict[str, list[_Item]] = defaultdict(list)
        for e in f.entities:
            names = self.entity_names(e)
            shown = self.shown(e)
            ids = (e.id,)
            if e.type == "Metric":
                if metric_key(e) is None and _first(e, "valueMissing") is True:
                    unit = clean(str(_first(e, "unit") or ""))
                    indicator = clean(str(_first(e, "indicator") or ""))
                    keys = (frozenset({unit}), frozenset({indicator} - {""}))
                    quote = clean(e.quote.text)
                    rows[METRIC_MISSING].append(_Item(keys, shown, quote, ids))
                else:
                    rows["Metric"].append(_Item((names,), shown, ids=ids))
                continue
            if e.type == "Post":
                holders = [h for h in self.holders.get(e.id, []) if h.article == e.article]
                held = frozenset().union(*(self.entity_names(h) for h in holders))
                who = ", ".join(self.shown(h) for h in holders)
                shown = f"{shown} ({who or 'no holder'})"
                rows["Post"].append(_Item((names, held), shown, ids=ids))
                if _secretary(self.by_id.get(str(_first(e, "role") or ""))):
                    rows[SECRETARY].append(_Item((names, held), shown, ids=ids))
                continue
            rows[e.type].append(_Item((names,), shown, ids=ids))
            if e.type in ("Official", "Person"):
                rows[PERSON_ANY].append(_Item((names,), f"{shown} ({e.type})", ids=ids))
        return rows

    def relations(self, f: FactFile) -> dict[str, list[_Item]]:
        """Entity-valued properties and facts of one file, by predicate, each stated once."""
        schema = fact_schema()
        triples: list[tuple[str, str, str]] = []
        for e in f.entities:
            for key, values in e.props.items():
                if schema[key].kind == "entity":
                    triples += [(e.id, key, str(v.raw)) for v in values]
        for x in f.facts:
            spec = schema.get(str(x.predicate.raw))
            if spec is not None and spec.kind == "entity":
                triples.append((str(x.subject.raw), spec.key, str(x.object.raw)))
        out: dict[str, list[_Item]] = defaultdict(list)
        for s, p, o in dict.fromkeys(triples):
            keys = (frozenset({p}), self.names(s), self.names(o))
            shown = f"{self._shown_id(s)} {p} {self._shown_id(o)}"
            out[p].append(_Item(keys, shown, ids=(s, o)))
        return out

    def _shown_id(self, entity_id: str) -> str:
        entity = self.by_id.get(entity_id)
        return self.shown(entity) if entity is not None else entity_id


# ---------------------------------------------------------------- matching


def _pairs(gold: list[_Item], pred: list[_Item], compatible: Compatible) -> list[tuple[int, int]]:
    """Maximum one-to-one matching as ``(gold index, pred index)`` pairs, by gold index.

    networkx's maximum-weight matching over the compatible pairs, with maximum cardinality
    first (as many items matched as possible); among such matchings, the one that pairs
    items at the closest positions in their files, so a file scored against itself pairs
    every item with itself (the self-evaluation aligns every entity to itself) and a gold
    item compatible with several drafts prefers the nearest. Deterministic.
    """
    graph = nx.Graph()
    graph.add_nodes_from(range(len(gold) + len(pred)))
    span = len(gold) + len(pred) + 1
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if compatible(g, p):
                graph.add_edge(i, len(gold) + j, weight=span - abs(i - j))
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return sorted((min(a, b), max(a, b) - len(gold)) for a, b in matching)


def _score_rows(
    gold: dict[str, list[_Item]],
    pred: dict[str, list[_Item]],
    order: Iterable[str],
    compatible: Mapping[str, Compatible],
    misses: dict[str, list[str]],
    extras: dict[str, list[str]],
) -> tuple[list[Score], dict[str, list[tuple[_Item, _Item]]]]:
    """Score each row of ``order``, compared as ``compatible[row]`` says; also returns each
    row's matched ``(gold, draft)`` item pairs, from which the entity rows give the
    alignment the relations are scored on."""
    scores = []
    matched: dict[str, list[tuple[_Item, _Item]]] = {}
    for cls in order:
        g, p = gold.get(cls, []), pred.get(cls, [])
        pairs = _pairs(g, p, compatible[cls])
        matched[cls] = [(g[i], p[j]) for i, j in pairs]
        found_gold = {i for i, _ in pairs}
        found_pred = {j for _, j in pairs}
        lost = [i for i in range(len(g)) if i not in found_gold]
        extra = [j for j in range(len(p)) if j not in found_pred]
        tp = len(pairs)
        scores.append(Score.of(cls, tp, len(p) - tp, len(lost)))
        if lost:
            misses[cls] = [g[i].shown for i in lost]
        if extra:
            extras[cls] = [p[j].shown for j in extra]
    return scores, matched


def _alignment(matched: dict[str, list[tuple[_Item, _Item]]]) -> dict[str, str]:
    """Draft entity id → gold entity id, from the entity rows' matched pairs.

    ``Person (any)`` and ``Post (secretary)`` are left out: they pair the people of
    ``Official`` and ``Person`` and the posts a second time, possibly differently, and an
    entity must be aligned once. Should a draft
    id be defined twice, its first pairing (in row order) stands.
    """
    aligned: dict[str, str] = {}
    for cls, pairs in matched.items():
        if cls in (PERSON_ANY, SECRETARY):
            continue
        for gold, pred in pairs:
            aligned.setdefault(pred.ids[0], gold.ids[0])
    return aligned


# ---------------------------------------------------------------- evaluate


def _fact_paths(directory: Path, what: str) -> list[Path]:
    if not directory.is_dir():
        raise FactError([Problem(Where(str(directory)), f"{what} directory not found")])
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    if not paths:
        raise FactError([Problem(Where(str(directory)), f"no fact files (*.yaml) in {what}")])
    return paths


def _load_all(paths: list[Path], articles_dir: Path) -> list[FactFile]:
    problems: list[Problem] = []
    files = []
    for path in paths:
        try:
            files.append(load_file(path, articles_dir))
        except FactError as exc:
            problems.extend(exc.problems)
    if problems:
        raise FactError(problems)
    return files


def _by_article(files: list[FactFile], what: str) -> dict[str, FactFile]:
    out: dict[str, FactFile] = {}
    problems = []
    for f in files:
        other = out.setdefault(f.article.file, f)
        if other is not f:
            problems.append(
                Problem(
                    f.article.where,
                    f"{what} for article file {f.article.file} is also given by {other.path}; "
                    "keep one fact file per article",
                )
            )
    if problems:
        raise FactError(problems)
    return out


def evaluate(
    gold_dir: Path,
    pred_dir: Path,
    articles_dir: Path | None = None,
    *,
    strict: bool = False,
) -> Report:
    """Score the drafts in ``pred_dir`` against the gold fact files in ``gold_dir``.

    ``articles_dir`` defaults to ``articles/`` beside ``gold_dir`` (``data/facts`` →
    ``data/articles``); both sides name their article files in it. ``strict`` counts gold
    articles that have no draft as entirely missed instead of leaving them out.

    Raises :class:`kg.facts.FactError` (one ``file:line:col: ...`` line per problem) when a
    directory has no fact files, a file cannot be loaded, a draft's article has no gold
    file, or an article has two files on one side. See the module docstring for how
    entities are matched.
    """
    gold_dir, pred_dir = Path(gold_dir), Path(pred_dir)
    articles_dir = Path(articles_dir) if articles_dir is not None else gold_dir.parent / "articles"
    gold_files = _load_all(_fact_paths(gold_dir, "gold"), articles_dir)
    pred_files = _load_all(_fact_paths(pred_dir, "drafts"), articles_dir)
    gold = _by_article(gold_files, "gold")
    pred = _by_article(pred_files, "a draft")
    orphans = [
        Problem(
            f.article.where,
            f"no gold fact file in {gold_dir} is about article file {f.article.file}; "
            "only annotated articles can be scored",
        )
        for name, f in pred.items()
        if name not in gold
    ]
    if orphans:
        raise FactError(orphans)

    # The corpus kg build would see with the drafts in place of their gold files.
    kept_gold = [f for name, f in gold.items() if name not in pred]
    problems: dict[str, list[str]] = defaultdict(list)
    draft_paths = {str(f.path) for f in pred_files}
    for problem in check_corpus(Corpus([*pred_files, *kept_gold])):
        if problem.where.path in draft_paths:
            problems[problem.where.path].append(str(problem))

    gold_side = _Side(gold_files)
    pred_side = _Side(pred_files, kept_gold)
    entities = entity_order()
    row_order = [*entities, PERSON_ANY, SECRETARY, METRIC_MISSING]
    predicates = sorted(k for k, spec in fact_schema().items() if spec.kind == "entity")
    # Value-missing metrics have a comparison of their own; every other row shares names.
    entity_rules = {cls: _compatible for cls in row_order} | {METRIC_MISSING: _compatible_missing}

    results: list[ArticleResult] = []
    skipped: list[str] = []
    for gold_file in sorted(gold.values(), key=lambda f: (str(f.path), f.article.id)):
        pred_file = pred.get(gold_file.article.file)
        if pred_file is None and not strict:
            skipped.append(gold_file.article.id)
            continue
        misses: dict[str, list[str]] = {}
        extras: dict[str, list[str]] = {}
        pred_items = pred_side.items(pred_file) if pred_file else {}
        scores, matched = _score_rows(
            gold_side.items(gold_file), pred_items, row_order, entity_rules, misses, extras
        )
        relation_rules = dict.fromkeys(predicates, _relation_compatible(_alignment(matched)))
        rel_misses: dict[str, list[str]] = {}
        rel_extras: dict[str, list[str]] = {}
        pred_rel = pred_side.relations(pred_file) if pred_file else {}
        relations, _ = _score_rows(
            gold_side.relations(gold_file),
            pred_rel,
            predicates,
            relation_rules,
            rel_misses,
            rel_extras,
        )
        relations = [r for r in relations if r.gold or r.pred]
        scores.append(_total(RELATION, relations))
        if rel_misses:
            misses[RELATION] = [x for p in predicates for x in rel_misses.get(p, [])]
        if rel_extras:
            extras[RELATION] = [x for p in predicates for x in rel_extras.get(p, [])]
        results.append(
            ArticleResult(
                article=gold_file.article.id,
                file=gold_file.article.file,
                gold_path=str(gold_file.path),
                pred_path=str(pred_file.path) if pred_file else None,
                scores=scores,
                relations=relations,
                misses=misses,
                extras=extras,
                problems=problems.get(str(pred_file.path), []) if pred_file else [],
            )
        )

    rows = [*row_order, RELATION]
    totals = [_total(cls, (s for a in results for s in a.scores if s.cls == cls)) for cls in rows]
    used = sorted({r.cls for a in results for r in a.relations})
    relation_totals = [
        _total(p, (r for a in results for r in a.relations if r.cls == p)) for p in used
    ]
    overall = _total("overall", (s for s in totals if s.cls in entities))
    return Report(
        scores=totals,
        overall=overall,
        per_article=results,
        relations=relation_totals,
        skipped=skipped,
        strict=strict,
        gold_dir=str(gold_dir),
        pred_dir=str(pred_dir),
    )
