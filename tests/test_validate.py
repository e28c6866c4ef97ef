"""SHACL validation: rudof over the whole graph, or in chunks of subjects with the same answer."""

from __future__ import annotations

import pytest
from rdflib import Graph

from kg import validate
from kg.ontology import shapes_graph

KG = "https://w3id.org/jiedao-kg/ontology#"


def corrupted(seed_build) -> str:
    """The seed graph with every 40th evidence node's type gone (breaking the sh:class
    checks of statements in other chunks), scales changed, and a label dropped."""
    evidence_types = [line for line in seed_build.triples if line.endswith(f"<{KG}Evidence> .")]
    dropped = set(evidence_types[::40])
    label = next(
        line
        for line in seed_build.triples
        if "lei-xinqian> <http://www.w3.org/2000/01/rdf-schema#label>" in line
    )
    dropped.add(label)
    lines = [
        line.replace('"万"@zh', '"千万"@zh') for line in seed_build.triples if line not in dropped
    ]
    return "\n".join(lines) + "\n"


def test_the_seed_build_conforms(seed_build):
    assert validate.violations(seed_build.ntriples()) == []


@pytest.fixture(scope="module")
def corrupted_data(seed_build) -> str:
    return corrupted(seed_build)


@pytest.fixture(scope="module")
def whole(corrupted_data) -> list[str]:
    """The violations of the corrupted graph in one run, no chunks."""
    return validate.violations(corrupted_data, chunk_triples=10**9)


def test_one_run_finds_every_corruption(whole):
    assert len(whole) > 20
    assert any("kgr:lei-xinqian rdfs:label" in line for line in whole)
    assert any("kg:scale is one Chinese scale word" in line for line in whole)
    assert sum("kg:evidence must name a quote" in line for line in whole) > 5
    assert not any("OR not satisfied" in line for line in whole)  # our words, not rudof's


@pytest.mark.parametrize("size", [40, 500, 3000])
def test_chunked_validation_finds_exactly_what_one_run_finds(corrupted_data, whole, size):
    assert validate.violations(corrupted_data, chunk_triples=size) == whole


def test_violations_point_at_the_fact_file(corrupted_data):
    data = corrupted_data
    where = {"https://w3id.org/jiedao-kg/id/lei-xinqian": "data/facts/000.yaml:49:5"}
    found = validate.violations(data, where, chunk_triples=500)
    assert (
        "data/facts/000.yaml:49:5: shape violation: kgr:lei-xinqian rdfs:label: "
        "an entity needs exactly one rdfs:label in Chinese (@zh)"
    ) in found


def test_our_shapes_can_be_checked_in_chunks():
    assert validate.chunkable(shapes_graph())


PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
"""


@pytest.mark.parametrize(
    "shape",
    [
        "ex:S sh:targetClass ex:A ; "
        "sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
        "ex:S sh:targetClass ex:A ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
        "ex:S sh:targetClass ex:A ; sh:property [ sh:path ex:p ; sh:node ex:T ] .",
        "ex:S sh:targetObjectsOf ex:p ; sh:class ex:A .",
        "ex:S sh:targetClass ex:A ; sh:property [ sh:path ex:p ; "
        "sh:or ( [ sh:path ex:q ; sh:minCount 1 ] [ sh:class ex:B ] ) ] .",
    ],
)
def test_shapes_that_look_further_than_a_node_are_not_chunked(shape):
    assert not validate.chunkable(Graph().parse(data=PREFIXES + shape, format="turtle"))
