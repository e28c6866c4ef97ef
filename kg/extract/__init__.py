"""Draft a facts file for one article: the first pass of annotation, for a person to correct.

``kg extract ARTICLE.txt`` writes what this package finds as a facts file in the project's
format (``docs/facts.md``): places, officials and other people with their posts,
enterprises, organizations, initiatives and metrics, each with the quote it was read from.
The draft is meant to be *corrected*, so it errs on the side of being checkable: every quote
is located in the article the way the loader locates it (with ``occurrence`` where needed),
every label is in its quote, every value is in its sentence, and the draft loads and builds
as it is.

The rules are generic, one module per family (:mod:`~kg.extract.places`,
:mod:`~kg.extract.people`, :mod:`~kg.extract.enterprises`,
:mod:`~kg.extract.organizations`, :mod:`~kg.extract.initiatives`,
:mod:`~kg.extract.metrics`), run in the order of :data:`kg.extract.rules.RULES`; their
vocabularies are data (``ontology/extract/*.yaml``). Text is analysed in its normalized
form (:mod:`kg.extract.doc`), with one tokenizer (:mod:`kg.extract.tokens`).

Nothing is invented: a metric is written only when :mod:`kg.numbers` finds its number in the
text and the loader's own check finds it in the quote; an article that lost its digits gets
no numbers at all.
"""

from __future__ import annotations

from pathlib import Path

from kg import text
from kg.extract import article, ids
from kg.extract.context import Context
from kg.extract.doc import Doc
from kg.extract.draft import Draft, DraftEntity
from kg.extract.lexicon import lexicon
from kg.extract.rules import RULES

__all__ = ["Draft", "DraftEntity", "extract", "extract_article", "extract_text", "lexicon"]


def extract_text(
    raw: str, file: str, article_id: str, registry: ids.Registry | None = None
) -> Draft:
    """The draft of one article given as its raw (NFC) text, named ``file``.

    ``registry`` shares ids across the drafts of a batch (see :mod:`kg.extract.ids`).
    """
    doc = Doc(raw)
    ctx = Context.of(doc)
    for rule in RULES:
        rule(ctx)
    b = ctx.builder
    draft = Draft(article_id, file, article.title(doc), source=article.source(doc))
    found = article.published(doc, b)
    if found is not None:
        draft.published = (found[0], found[1][0])
        draft.published_occurrence = found[1][1]
    ids.assign(b.entities, b.facts, article_id, registry)
    draft.entities, draft.facts, draft.skipped = b.entities, b.facts, b.skipped
    return draft


def extract(
    article_path: Path, article_id: str | None = None, registry: ids.Registry | None = None
) -> Draft:
    """Read one raw article and return the draft of its facts."""
    article_path = Path(article_path)
    raw = text.read_article(article_path)
    aid = article_id or article.article_id(article_path)
    return extract_text(raw, article_path.name, aid, registry)


def extract_article(article_path: Path, article_id: str | None = None) -> str:
    """Draft facts YAML for one raw article."""
    return extract(article_path, article_id).to_yaml()
