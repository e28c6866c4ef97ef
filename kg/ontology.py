"""Namespaces and the fact-file schema, both read from the Turtle ontology in ``ontology/``.

The ontology is the single source of truth: the fact loader learns which keys a fact file
may use, and what each key's values must be, from ``kg:factKey`` and ``rdfs:range`` in
``kg.ttl``. Adding a property to the ontology is enough to make it usable in fact files.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Literal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/jiedao-kg/"


class KG(DefinedNamespace):
    """The Jiedao KG ontology (``ontology/kg.ttl``); a test checks the two agree."""

    _NS = Namespace(BASE + "ontology#")
    _fail = True

    # classes
    Person: URIRef
    Official: URIRef
    Organization: URIRef
    Enterprise: URIRef
    AdministrativeArea: URIRef
    Province: URIRef
    City: URIRef
    District: URIRef
    Subdistrict: URIRef
    Town: URIRef
    Community: URIRef
    Place: URIRef
    Role: URIRef
    Post: URIRef
    Initiative: URIRef
    Metric: URIRef
    Qualifier: URIRef
    MetricKind: URIRef
    Article: URIRef
    Evidence: URIRef
    ReferenceRecord: URIRef
    ReferenceDataset: URIRef
    Statement: URIRef
    # concepts
    MoreThan: URIRef
    Approximately: URIRef
    Nearly: URIRef
    Target: URIRef
    Forecast: URIRef
    Level: URIRef
    GrowthRate: URIRef
    Ratio: URIRef
    # properties
    factKey: URIRef
    partOf: URIRef
    locatedIn: URIRef
    holds: URIRef
    postIn: URIRef
    role: URIRef
    memberOf: URIRef
    leads: URIRef
    organizedBy: URIRef
    participatesIn: URIRef
    serves: URIRef
    takesPlaceIn: URIRef
    partOfInitiative: URIRef
    refArea: URIRef
    resultOf: URIRef
    divisionCode: URIRef
    startDate: URIRef
    indicator: URIRef
    value: URIRef
    valueMissing: URIRef
    unit: URIRef
    scale: URIRef
    qualifier: URIRef
    kind: URIRef
    refPeriod: URIRef
    evidence: URIRef
    article: URIRef
    quote: URIRef
    start: URIRef
    end: URIRef
    file: URIRef
    sha256: URIRef
    dataset: URIRef
    record: URIRef
    dataAsOf: URIRef


KGR = Namespace(BASE + "id/")
"""Namespace of the graph's resources (entities, statements, evidence, articles)."""

SCHEMA = Namespace("https://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
QB = Namespace("http://purl.org/linked-data/cube#")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

PREFIXES: dict[str, Namespace | str] = {
    "kg": KG._NS,
    "kgr": KGR,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "schema": SCHEMA,
    "dct": DCT,
    "org": ORG,
    "prov": PROV,
    "qb": QB,
    "oa": OA,
    "foaf": FOAF,
}
"""The prefixes every export and every query uses, declared once."""


def resource_dir(name: str) -> Traversable:
    """Locate a top-level data folder (``ontology``, ``viz``) in a wheel or a source checkout.

    The wheel maps them under ``kg/_data/``; an editable install or a plain checkout reads
    them from the repository root, so both kinds of install see the same files.
    """
    packaged = resources.files("kg") / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


@functools.cache
def ontology_graph() -> Graph:
    """The ontology as an rdflib graph, parsed once per process."""
    graph = Graph()
    graph.parse(data=(resource_dir("ontology") / "kg.ttl").read_text("utf-8"), format="turtle")
    return graph


@functools.cache
def shapes_graph() -> Graph:
    """The SHACL shapes every build is validated against."""
    graph = Graph()
    graph.parse(data=(resource_dir("ontology") / "shapes.ttl").read_text("utf-8"), format="turtle")
    return graph


ValueKind = Literal["entity", "concept", "literal"]


@dataclass(frozen=True)
class PropertySpec:
    """What a fact-file key means: its predicate and what its values must be."""

    key: str
    iri: URIRef
    kind: ValueKind
    range: URIRef | None
    """For ``entity``: the class the object must be an instance of (or None: any entity).
    For ``concept``: the concept class (values are ``skos:notation`` strings).
    For ``literal``: the datatype (``rdf:langString`` means a Chinese-language string)."""


@functools.cache
def fact_schema() -> dict[str, PropertySpec]:
    """Map each fact-file key to its :class:`PropertySpec`, read from the ontology."""
    onto = ontology_graph()
    concept_classes = set(onto.subjects(RDFS.subClassOf, SKOS.Concept)) - {KG.Role}
    specs: dict[str, PropertySpec] = {}
    for prop, key in onto.subject_objects(KG.factKey):
        rng = onto.value(prop, RDFS.range)
        if (prop, RDF.type, OWL.DatatypeProperty) in onto:
            kind: ValueKind = "literal"
        elif rng in concept_classes:
            kind = "concept"
        else:
            kind = "entity"
        specs[str(key)] = PropertySpec(str(key), URIRef(prop), kind, rng)
    return specs


@functools.cache
def entity_classes() -> dict[str, URIRef]:
    """Classes an entity in a fact file may have, by local name."""
    onto = ontology_graph()
    hidden = {
        KG.Qualifier,
        KG.MetricKind,
        KG.Article,
        KG.Evidence,
        KG.Statement,
        KG.ReferenceRecord,
        KG.ReferenceDataset,
    }
    return {
        str(cls).removeprefix(str(KG._NS)): URIRef(cls)
        for cls in onto.subjects(RDF.type, OWL.Class)
        if str(cls).startswith(str(KG._NS)) and cls not in hidden
    }


@functools.cache
def superclasses(cls: URIRef) -> frozenset[URIRef]:
    """``cls`` and its kg: superclasses, for range checks done before SHACL runs."""
    onto = ontology_graph()
    return frozenset(
        c for c in onto.transitive_objects(cls, RDFS.subClassOf) if isinstance(c, URIRef)
    )


@functools.cache
def concepts(concept_class: URIRef) -> dict[str, URIRef]:
    """Concepts of a class by ``skos:notation`` (``more-than`` -> ``kg:MoreThan``)."""
    onto = ontology_graph()
    return {
        str(onto.value(c, SKOS.notation)): URIRef(c) for c in onto.subjects(RDF.type, concept_class)
    }


def local_name(iri: str) -> str:
    """The part after ``#`` or the last ``/``: enough for display and for networkx keys."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
