"""The evidence as W3C Web Annotation JSON-LD: expanded by pyld with the Web Annotation
vocabulary, every annotation's selectors find their quote in the article."""

from __future__ import annotations

import doctest
import json

import pytest
from pyld import jsonld
from rdflib import RDF, Graph, Namespace, URIRef

from kg import export, webannotation
from kg.ontology import KG
from kg.webannotation import ANNO_CONTEXT

OA = Namespace("http://www.w3.org/ns/oa#")
AS = Namespace("https://www.w3.org/ns/activitystreams#")

# The terms of http://www.w3.org/ns/anno.jsonld that the export uses, with the IRIs the
# Web Annotation Vocabulary (W3C Recommendation, 2017) gives them; served to pyld
# offline in place of the published context.
_ANNO_TERMS = {
    "oa": "http://www.w3.org/ns/oa#",
    "as": "https://www.w3.org/ns/activitystreams#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "id": {"@type": "@id", "@id": "@id"},
    "type": {"@type": "@id", "@id": "@type"},
    "Annotation": "oa:Annotation",
    "AnnotationCollection": "as:OrderedCollection",
    "AnnotationPage": "as:OrderedCollectionPage",
    "SpecificResource": "oa:SpecificResource",
    "TextualBody": "oa:TextualBody",
    "TextQuoteSelector": "oa:TextQuoteSelector",
    "TextPositionSelector": "oa:TextPositionSelector",
    "describing": "oa:describing",
    "identifying": "oa:identifying",
    "body": {"@type": "@id", "@id": "oa:hasBody"},
    "target": {"@type": "@id", "@id": "oa:hasTarget"},
    "source": {"@type": "@id", "@id": "oa:hasSource"},
    "selector": {"@type": "@id", "@id": "oa:hasSelector"},
    "motivation": {"@type": "@vocab", "@id": "oa:motivatedBy"},
    "purpose": {"@type": "@vocab", "@id": "oa:hasPurpose"},
    "items": {"@type": "@id", "@id": "as:items", "@container": "@list"},
    "first": {"@type": "@id", "@id": "as:first"},
    "format": "dc:format",
    "language": "dc:language",
    "value": "rdf:value",
    "start": "oa:start",
    "end": "oa:end",
    "exact": "oa:exact",
    "prefix": "oa:prefix",
    "suffix": "oa:suffix",
    "label": "rdfs:label",
    "total": "as:totalItems",
    "startIndex": "as:startIndex",
}


def _loader(url, options=None):
    if url != ANNO_CONTEXT:
        raise jsonld.JsonLdError(f"offline: {url}", "loading document failed")
    return {"contextUrl": None, "documentUrl": url, "document": {"@context": _ANNO_TERMS}}


@pytest.fixture(scope="module")
def doc(seed_build) -> dict:
    return json.loads(export.serialize(seed_build, "web-annotation"))


@pytest.fixture(scope="module")
def rdf(doc) -> Graph:
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads", "documentLoader": _loader})
    return Graph().parse(data=nquads, format="nt")


def test_module_doctests():
    assert doctest.testmod(webannotation).failed == 0


def test_every_annotation_selects_its_quote(rdf, seed_build):
    texts = {
        str(URIRef(f"https://w3id.org/jiedao-kg/id/article/{a}")): article.text
        for a, article in seed_build.corpus.articles.items()
    }
    found = list(rdf.subjects(RDF.type, OA.Annotation))
    assert len(found) == seed_build.count(KG.Evidence)  # one per quote the graph cites
    for annotation in found:
        target = rdf.value(annotation, OA.hasTarget)
        text = texts[str(rdf.value(target, OA.hasSource))]
        selectors = {rdf.value(s, RDF.type): s for s in rdf.objects(target, OA.hasSelector)}
        quote, position = selectors[OA.TextQuoteSelector], selectors[OA.TextPositionSelector]
        start, end = int(rdf.value(position, OA.start)), int(rdf.value(position, OA.end))
        exact = str(rdf.value(quote, OA.exact))
        assert text[start:end] == exact
        assert text[:start].endswith(str(rdf.value(quote, OA.prefix)))
        assert text[end:].startswith(str(rdf.value(quote, OA.suffix)))


def test_bodies_name_the_entities_and_facts_of_the_quote(doc):
    lei = next(
        a
        for a in doc["first"]["items"]
        if a["target"]["selector"][1] == {"type": "TextPositionSelector", "start": 188, "end": 200}
    )
    assert lei["target"]["source"] == "https://w3id.org/jiedao-kg/id/article/000"
    sources = {b["source"] for b in lei["body"] if b["type"] == "SpecificResource"}
    assert "https://w3id.org/jiedao-kg/id/lei-xinqian" in sources
    texts = {b["value"] for b in lei["body"] if b["type"] == "TextualBody"}
    assert "雷新钱 担任 锦南街道党工委书记" in texts
    assert lei["motivation"] == "describing"


def test_the_collection_counts_its_items(doc, rdf):
    assert doc["@context"] == ANNO_CONTEXT and doc["type"] == "AnnotationCollection"
    assert doc["total"] == len(doc["first"]["items"])
    (collection,) = rdf.subjects(RDF.type, AS.OrderedCollection)
    assert int(rdf.value(collection, AS.totalItems)) == doc["total"]
