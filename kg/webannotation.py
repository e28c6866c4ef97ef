"""The evidence as W3C Web Annotations, for annotation tools (INCEpTION, Hypothesis…).

Every quote of an article that the graph cites becomes one ``Annotation`` whose target
is the article with a ``TextQuoteSelector`` (the exact quote, and up to
:data:`CONTEXT` code points before and after it) and a ``TextPositionSelector`` (start and
end in code points of the NFC raw text, as the Web Annotation model counts them). Its
bodies say what the quote supports: each entity it names (a ``SpecificResource``, purpose
``identifying``) and each fact it states (the ``kg:Statement``, purpose ``describing``,
with a ``TextualBody`` reading 雷新钱 担任 锦南街道党工委书记), or the article's title,
source or date it gives. The annotations are one
``AnnotationCollection`` with its first page embedded, under the standard context
``http://www.w3.org/ns/anno.jsonld``; the document is byte-stable.

Records of the division table are not text and have no annotation.

>>> import kg
>>> doc = document(kg.build("data", validate=False))
>>> first = doc["first"]["items"][0]
>>> [s["type"] for s in first["target"]["selector"]]
['TextQuoteSelector', 'TextPositionSelector']
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
CONTEXT = 32
"""Code points of text kept before and after a quote (``prefix``, ``suffix``)."""

__all__ = ["document", "serialize"]


def document(build: Any) -> dict[str, Any]:
    """The Web Annotation collection of a build's evidence."""
    from kg.ontology import KGR
    from kg.rdf import article_iri, entity_iri, literal, statement_iri
    from kg.schema import concepts, properties

    made = build.statements
    corpus = made.corpus
    labels: dict[str, str] = {}
    for mention in made.mentions:
        labels.setdefault(mention.id, mention.label)
    specs = properties()
    mentions: dict[tuple[str, int, int], set[str]] = defaultdict(set)
    facts: dict[tuple[str, int, int], dict[str, str]] = defaultdict(dict)
    for mention in made.mentions:
        ev = mention.evidence
        if ev.record is None:
            mentions[(ev.article, ev.start or 0, ev.end or 0)].add(str(entity_iri(mention.id)))
    for st in made.statements:
        ev = st.evidence
        if ev.record is not None:
            continue
        spec = specs[st.key]
        s = f"<{entity_iri(st.subject)}>"
        if spec.kind == "entity":
            o, shown = f"<{entity_iri(st.value)}>", labels.get(st.value, st.value)
        elif spec.kind == "concept":
            o = f"<{concepts(spec.range)[st.value]}>"  # type: ignore[arg-type]
            shown = st.value
        else:
            o, shown = literal(spec, st.value), str(st.value)
        iri = str(statement_iri(s, f"<{spec.iri}>", o))
        text = f"{labels.get(st.subject, st.subject)} {spec.label} {shown}"
        facts[(ev.article, ev.start or 0, ev.end or 0)][iri] = text
    for f in corpus.files:  # the quotes that give an article's title, source and date
        article = f.article
        values = {"title": article.title, "source": article.source, "published": article.published}
        for name, quote in article.quotes.items():
            if quote.span is not None and values.get(name):
                key = (article.id, quote.span[0], quote.span[1])
                facts[key][str(article_iri(article.id))] = f"{name}: {values[name]}"
    items = []
    for key in sorted(set(mentions) | set(facts)):
        article, start, end = key
        raw = corpus.articles[article].text
        bodies: list[dict[str, Any]] = [
            {"type": "SpecificResource", "source": iri, "purpose": "identifying"}
            for iri in sorted(mentions.get(key, ()))
        ]
        for iri, text in sorted(facts.get(key, {}).items()):
            bodies.append({"type": "SpecificResource", "source": iri, "purpose": "describing"})
            bodies.append(
                {
                    "type": "TextualBody",
                    "value": text,
                    "language": "zh",
                    "format": "text/plain",
                    "purpose": "describing",
                }
            )
        items.append(
            {
                "id": f"{KGR}annotation/{article}/{start}-{end}",
                "type": "Annotation",
                "motivation": "describing" if key in facts else "identifying",
                "body": bodies,
                "target": {
                    "source": str(article_iri(article)),
                    "selector": [
                        {
                            "type": "TextQuoteSelector",
                            "exact": raw[start:end],
                            "prefix": raw[max(0, start - CONTEXT) : start],
                            "suffix": raw[end : end + CONTEXT],
                        },
                        {"type": "TextPositionSelector", "start": start, "end": end},
                    ],
                },
            }
        )
    return {
        "@context": ANNO_CONTEXT,
        "id": f"{KGR}annotations",
        "type": "AnnotationCollection",
        "label": "Jiedao KG evidence",
        "total": len(items),
        "first": {
            "id": f"{KGR}annotations/page/1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }


def serialize(build: Any) -> bytes:
    """The collection as a JSON-LD file."""
    text = json.dumps(document(build), ensure_ascii=False, indent=1)
    return text.encode("utf-8") + b"\n"
