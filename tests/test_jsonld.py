"""JSON-LD export: a real context, compacted so it reads like JSON, and exactly the graph
when a JSON-LD processor (pyld, the reference implementation's port, and rdflib) expands
it."""

from __future__ import annotations

import json

import pytest
from pyld import jsonld
from rdflib import Graph
from rdflib.compare import isomorphic

from kg import export
from kg.jsonld import context


@pytest.fixture(scope="module")
def document(seed_build) -> dict:
    return json.loads(export.serialize(seed_build, "json-ld"))


def _offline_loader(url, options=None):
    raise jsonld.JsonLdError(f"no remote context may be fetched: {url}", "loading document failed")


def test_pyld_expands_it_to_exactly_the_graph(document, seed_build):
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": _offline_loader}
    )
    assert isomorphic(Graph().parse(data=nquads, format="nt"), seed_build.union())


def test_rdflib_reads_it_as_the_graph(document, seed_build):
    parsed = Graph().parse(data=json.dumps(document), format="json-ld")
    assert isomorphic(parsed, seed_build.union())


def test_pyld_compaction_gives_the_same_document(document):
    """Our compaction is the JSON-LD algorithm's: pyld compacting the expanded document
    against the same context gives back what we wrote."""
    options = {"documentLoader": _offline_loader}
    expanded = jsonld.expand(document, options)
    again = jsonld.compact(expanded, document["@context"], options)
    key = lambda node: node["id"]  # noqa: E731
    assert sorted(again["@graph"], key=key) == sorted(document["@graph"], key=key)


def test_it_reads_like_json(document):
    nodes = {n["id"]: n for n in document["@graph"]}
    lei = nodes["kgr:lei-xinqian"]
    assert lei["type"] == ["Official", "Person"]
    assert lei["label"] == "雷新钱"
    assert lei["holds"] == "kgr:jinnan-jiedao-dangongwei-shuji"
    evidence = nodes[lei["evidence"]]
    assert (evidence["quote"], evidence["start"], evidence["end"]) == (
        "锦南街道党工委书记雷新钱",
        188,
        200,
    )
    metric = nodes["kgr:m000-gongye-zongchanzhi"]
    assert metric["value"] == {"@value": "13.43", "type": "xsd:decimal"}  # exact, typed
    assert metric["refArea"] == "kgr:jinnan-jiedao" and metric["qualifier"] == "kg:Forecast"


def test_ids_are_compact_everywhere(document):
    """No full IRI of ours anywhere: ids and references are all kgr:/kg: compact IRIs."""
    text = json.dumps(document["@graph"], ensure_ascii=False)
    assert "https://w3id.org/jiedao-kg/" not in text
    assert all(n["id"].startswith(("kgr:", "kg:")) for n in document["@graph"])
    assert not [k for n in document["@graph"] for k in n if k.startswith("kg:")]


def test_the_context_has_a_term_for_every_property():
    from kg.schema import properties

    ctx = context()
    for key, spec in properties().items():
        assert ctx[key]["@id"] == f"kg:{spec.iri.rsplit('#', 1)[-1]}", key
        if spec.kind != "literal":
            assert ctx[key]["@type"] == "@id", key
    assert ctx["@vocab"] == "https://w3id.org/jiedao-kg/ontology#"


def test_json_ld_is_byte_stable(seed_build):
    from kg.builder import build_corpus

    again = build_corpus(seed_build.corpus)
    assert export.serialize(again, "json-ld") == export.serialize(seed_build, "json-ld")
