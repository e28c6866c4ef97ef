"""Facts become statements once; the RDF and the networkx graph are two readers of them.

A loaded corpus (:mod:`kg.facts`) says things in the shape people write them: entities
with properties, facts with quotes. :func:`statements` turns that into three kinds of
plain records, in one walk:

* :class:`Mention` — an article (or the division table) names an entity: its type, label
  (composed for posts and metrics), other labels, and the quote;
* :class:`Statement` — one fact: subject, fact key, value, the evidence and the graph;
* the division records the table supplies (codes, and each coded area's chain up to its
  province, matched to the corpus by code, or by exact label and level).

:mod:`kg.rdf` writes them as N-Triples lines (plain triple plus a ``kg:Statement`` with
its evidence) and :mod:`kg.graph` as a networkx MultiDiGraph, so the two cannot disagree.

>>> from kg.facts import load_corpus
>>> from pathlib import Path
>>> made = statements(load_corpus(Path("data")))
>>> lei = next(s for s in made.statements if s.subject == "lei-xinqian" and s.key == "holds")
>>> lei.value, lei.evidence.article, lei.graph
('jinnan-jiedao-dangongwei-shuji', '000', '000')
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from kg import text
from kg.facts import Corpus, Entity, FactFile, Quote

REFERENCE = "reference"
"""The graph (and evidence "article") of what the official division table says."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a statement comes from: a quote of an article, or a record of the table."""

    article: str
    """The article id, or :data:`REFERENCE` for a record of the division table."""
    start: int | None = None
    end: int | None = None
    record: str | None = None
    """The division code of the record, for reference evidence."""


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity as one article (or the division table) names it."""

    id: str
    type: str
    label: str
    alt_labels: tuple[str, ...]
    original: str | None
    """The label as the article writes it when that differs (traditional characters)."""
    evidence: Evidence
    graph: str


@dataclass(frozen=True, slots=True)
class Statement:
    """One fact: ``subject`` (an entity id) has ``value`` for fact key ``key``.

    ``value`` is an entity id, a concept notation or a literal value, as the property's
    kind says (:func:`kg.schema.properties`).
    """

    subject: str
    key: str
    value: Any
    evidence: Evidence
    graph: str


@dataclass
class Statements:
    """Everything a corpus says, as records (see the module docstring)."""

    corpus: Corpus
    mentions: list[Mention] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    divisions: dict[str, Any] = field(default_factory=dict)
    """Division code -> :class:`kg.gazetteer.Division`, for every record cited."""


def statements(corpus: Corpus) -> Statements:
    """The mentions and statements of a loaded, checked corpus."""
    made = Statements(corpus)
    labels = corpus_labels(corpus)
    for f in corpus.files:
        mentions, found, coded = file_statements(f, labels)
        made.mentions += mentions
        made.statements += found
        for entity_id, code in coded:  # not in the article: its evidence is the table
            _reference(made, entity_id, "divisionCode", code, code)
    _division_hierarchy(made)
    return made


class Labels(Protocol):
    """Entity id -> label, as composing a label reads it: a ``dict``, or a
    :class:`kg.buildcache.LabelLookups` that records which labels were read."""

    def get(self, key: str, default: str, /) -> str: ...


def corpus_labels(corpus: Corpus) -> dict[str, str]:
    """Entity id -> label, for composing the labels of posts (checked to agree)."""
    return {e.id: e.label for e in corpus.entities() if e.label}


def file_statements(
    f: FactFile, labels: Labels
) -> tuple[list[Mention], list[Statement], list[tuple[str, str]]]:
    """What one fact file says in its article's graph, and the division codes it states.

    The graph of an article depends on that file, its article and ``labels`` (for
    composed labels) only, which is what lets a build redo one article at a time.
    """
    graph = f.article.id
    mentions: list[Mention] = []
    found: list[Statement] = []
    coded: list[tuple[str, str]] = []
    for entity in f.entities:
        mentions.append(_mention(entity, labels, f.article.text))
        evidence = _evidence(entity.quote, graph)
        for key, values in entity.props.items():
            for value in values:
                if key == "divisionCode":
                    coded.append((entity.id, str(value.raw)))
                else:
                    found.append(Statement(entity.id, key, value.raw, evidence, graph))
    for fact in f.facts:
        found.append(
            Statement(
                fact.subject.raw,
                fact.predicate.raw,
                fact.object.raw,
                _evidence(fact.quote, graph),
                graph,
            )
        )
    return mentions, found, coded


def reference_statements(corpus: Corpus) -> Statements:
    """Only what the division table says (the reference graph), for the whole corpus."""
    made = Statements(corpus)
    for entity in corpus.entities():
        for value in entity.props.get("divisionCode", []):
            _reference(made, entity.id, "divisionCode", str(value.raw), str(value.raw))
    _division_hierarchy(made)
    return made


def _evidence(quote: Quote, article: str) -> Evidence:
    return Evidence(article, quote.span[0], quote.span[1])


def _mention(entity: Entity, labels: Labels, raw: str) -> Mention:
    label = entity.label or composed_label(entity, labels)
    original = original_form(label, raw, entity.quote.span) if entity.label else None
    return Mention(
        entity.id,
        entity.type,
        label,
        tuple(entity.alt_labels),
        original,
        _evidence(entity.quote, entity.article),
        entity.article,
    )


def _first(entity: Entity, key: str) -> Any:
    values = entity.props.get(key)
    return values[0].raw if values else None


def composed_label(entity: Entity, labels: Labels) -> str:
    """A label built only from an entity's sourced parts (``kg:composedLabel`` classes).

    A post is its place and role (锦南街道党工委书记); a metric its indicator, value,
    scale and unit (规模工业总产值 13.43亿元), or says its value is missing.
    """
    if entity.type == "Post":
        where, role = _first(entity, "postIn"), _first(entity, "role")
        return f"{labels.get(where, '')}{labels.get(role, '')}" or entity.id
    indicator = _first(entity, "indicator") or "指标"
    value = _first(entity, "value")
    if value is None:
        return f"{indicator}（数值缺失）"
    return f"{indicator} {value}{_first(entity, 'scale') or ''}{_first(entity, 'unit') or ''}"


def original_form(label: str, raw: str, span: tuple[int, int]) -> str | None:
    """The label as the article writes it, when that differs (traditional characters).

    The quote may be in traditional characters with pinyin inserts; we find the label in the
    normalized quote, map it back to the raw text and drop the pinyin, keeping the
    traditional characters for a ``zh-Hant`` alternative label.
    """
    found = label_span(label, raw, span)
    if found is None:
        return None
    original = text.strip_pinyin(raw[found[0] : found[1]]).text
    return original if original != label else None


def label_span(label: str, raw: str, span: tuple[int, int]) -> tuple[int, int] | None:
    """Where the (simplified) ``label`` is written inside the quote at ``span`` of ``raw``,
    as offsets in ``raw`` (the quote may be traditional, with pinyin inserts)."""
    quoted = raw[span[0] : span[1]]
    normalized = text.normalize(quoted)
    at = normalized.text.find(label)
    if at < 0:
        return None
    start, end = normalized.to_raw(at, at + len(label))
    return span[0] + start, span[0] + end


# ---------------------------------------------------------------- the division table


def _reference(made: Statements, subject: str, key: str, value: Any, code: str) -> None:
    from kg import gazetteer

    division = gazetteer.lookup(code)
    assert division is not None, code  # kg.facts checks every code against the table
    made.divisions[division.code] = division
    made.statements.append(
        Statement(subject, key, value, Evidence(REFERENCE, record=division.code), REFERENCE)
    )


def _division_hierarchy(made: Statements) -> None:
    """Link every coded area up to its province, as the official table says.

    Ancestors are matched to the corpus by code, then by exact label and level (one
    candidate only); an ancestor no article names becomes an entity of its own, whose
    only evidence is the table's record.
    """
    from kg import gazetteer
    from kg.schema import classes

    levels = {n: c.division_level for n, c in classes().items()}
    first: dict[str, Entity] = {}
    for entity in made.corpus.entities():
        first.setdefault(entity.id, entity)
    by_code: dict[str, str] = {}
    for entity in first.values():
        for value in entity.props.get("divisionCode", []):
            by_code.setdefault(str(value.raw), entity.id)
    by_label: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for e in first.values():
        level = levels.get(e.type)
        if e.label and level and level != "village" and not e.props.get("divisionCode"):
            by_label[(e.label, level)].append(e)
    for code in sorted(by_code):
        for child, parent in itertools.pairwise(gazetteer.chain(code)):
            if parent.code not in by_code:
                by_code[parent.code] = _division_entity(made, parent, by_label, levels)
            _reference(made, by_code[child.code], "partOf", by_code[parent.code], child.code)


def _division_entity(
    made: Statements,
    division: Any,
    by_label: dict[tuple[str, str], list[Entity]],
    levels: dict[str, str | None],
) -> str:
    """The corpus entity for an official division, or a new one from the table."""
    matches = by_label.get((division.name, division.level), [])
    if len(matches) == 1:
        _reference(made, matches[0].id, "divisionCode", division.code, division.code)
        return matches[0].id
    entity_id = f"cn-{division.code}"
    kind = next(name for name, level in levels.items() if level == division.level)
    made.divisions[division.code] = division
    evidence = Evidence(REFERENCE, record=division.code)
    made.mentions.append(Mention(entity_id, kind, division.name, (), None, evidence, REFERENCE))
    _reference(made, entity_id, "divisionCode", division.code, division.code)
    return entity_id
