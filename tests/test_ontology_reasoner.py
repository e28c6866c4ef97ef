"""The ontology is OWL 2 DL that a real reasoner classifies: HermiT (through owlready2,
which runs it on Java) finds it consistent with no unsatisfiable class; and it says
which version it is, under which licence, by whom."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from rdflib.namespace import DCTERMS

import kg
from kg.ontology import KG, resource_dir
from tests.needs import require_binary

ONTOLOGY = URIRef("https://w3id.org/jiedao-kg/ontology")


def _ontology(*extra: str) -> Graph:
    """kg.ttl and classes.ttl (what a user of the ontology loads), plus ``extra`` Turtle."""
    graph = Graph()
    for name in ("kg.ttl", "classes.ttl"):
        graph.parse(data=(resource_dir("ontology") / name).read_text("utf-8"), format="turtle")
    for text in extra:
        graph.parse(data=text, format="turtle")
    return graph


def _hermit(graph: Graph, folder: Path) -> list[str]:
    """Classify ``graph`` with HermiT; the IRIs of the unsatisfiable classes.

    Raises owlready2's inconsistency error when the ontology is inconsistent, and its
    Java error when HermiT refuses the ontology (a datatype outside OWL 2, say).
    """
    require_binary("java", "apt-get install default-jre-headless (owlready2 runs HermiT on it)")
    import owlready2

    path = folder / "kg.nt"
    graph.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load(format="ntriples")
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)


def test_hermit_classifies_the_ontology(tmp_path):
    assert _hermit(_ontology(), tmp_path) == []


def test_hermit_reports_an_unsatisfiable_class(tmp_path):
    """The check above can fail: a class that is both a person and not one is found."""
    bad = """
        @prefix kg: <https://w3id.org/jiedao-kg/ontology#> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        kg:Impossible a owl:Class ;
            rdfs:subClassOf kg:Official , [ owl:complementOf kg:Person ] .
    """
    assert _hermit(_ontology(bad), tmp_path) == [str(KG.Official).replace("Official", "Impossible")]


def test_hermit_reports_an_inconsistent_ontology(tmp_path):
    import owlready2

    bad = """
        @prefix kg: <https://w3id.org/jiedao-kg/ontology#> .
        @prefix kgr: <https://w3id.org/jiedao-kg/id/> .
        @prefix owl: <http://www.w3.org/2002/07/owl#> .
        kg:Official owl:disjointWith kg:Person .
        kgr:x a kg:Official .
    """
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _hermit(_ontology(bad), tmp_path)


def test_no_datatype_outside_the_owl2_datatype_map():
    """HermiT refuses xsd:date, xsd:gYear… (not in the OWL 2 datatype map): the ontology
    uses them nowhere as a range; kg:DateOrPart is defined as rdfs:Literal for OWL."""
    outside = {"date", "gYearMonth", "gYear", "gMonthDay", "gMonth", "time", "duration"}
    graph = _ontology()
    for prop, rng in graph.subject_objects(RDFS.range):
        assert str(rng).rsplit("#", 1)[-1] not in outside or "XMLSchema" not in str(rng), prop
    assert (KG.DateOrPart, OWL.equivalentClass, RDFS.Literal) in graph


def test_the_ontology_names_its_version_licence_and_creator():
    graph = _ontology()
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in graph
    version = str(graph.value(ONTOLOGY, OWL.versionInfo))
    assert version == kg.__version__
    assert graph.value(ONTOLOGY, OWL.versionIRI) == URIRef(f"{ONTOLOGY}/{version}")
    assert graph.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert graph.value(ONTOLOGY, DCTERMS.creator) is not None
