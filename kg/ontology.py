"""The vocabularies: our ``kg:`` namespace (a ``DefinedNamespace`` that a test holds equal
to ``ontology/kg.ttl`` and ``classes.ttl``), the resource namespace ``kgr:``, the W3C
vocabularies we align to (rdflib's own definitions), and the prefixes every export and
query declares. What the classes and properties *mean* is :mod:`kg.schema`'s.
"""

from __future__ import annotations

import functools
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, QB, SDO, DefinedNamespace

BASE = "https://w3id.org/jiedao-kg/"


class KG(DefinedNamespace):
    """The Jiedao KG ontology (``ontology/kg.ttl``, ``ontology/classes.ttl``); the test
    ``test_kg_namespace_is_the_ontology`` holds the two equal."""

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
    DerivedStatement: URIRef
    Rule: URIRef
    Basis: URIRef
    DateOrPart: URIRef
    # concepts
    MoreThan: URIRef
    LessThan: URIRef
    Approximately: URIRef
    Nearly: URIRef
    Target: URIRef
    Forecast: URIRef
    Level: URIRef
    GrowthRate: URIRef
    Ratio: URIRef
    SameArticle: URIRef
    SameDate: URIRef
    AcrossDates: URIRef
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
    # derived facts (ontology/rules/)
    underOfficial: URIRef
    rule: URIRef
    sourceArticle: URIRef
    asOf: URIRef
    basis: URIRef
    sparql: URIRef
    readableQuote: URIRef
    # how the tool treats each class (classes.ttl)
    order: URIRef
    internal: URIRef
    abstract: URIRef
    composedLabel: URIRef
    divisionLevel: URIRef
    counted: URIRef
    viewerColor: URIRef
    viewerShape: URIRef
    viewerSize: URIRef
    viewerFont: URIRef
    viewerMinScreen: URIRef
    viewerHidden: URIRef


KGR = Namespace(BASE + "id/")
"""Namespace of the graph's resources (entities, statements, evidence, articles)."""

SCHEMA = SDO
DCT = DCTERMS
OA = Namespace("http://www.w3.org/ns/oa#")
"""Web Annotation (rdflib defines no OA namespace)."""

PREFIXES: dict[str, Namespace | str] = {
    "kg": KG._NS,
    "kgr": KGR,
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "owl": Namespace(str(OWL)),
    "xsd": Namespace(str(XSD)),
    "skos": Namespace(str(SKOS)),
    "schema": Namespace(str(SDO)),
    "dct": Namespace(str(DCTERMS)),
    "org": Namespace(str(ORG)),
    "prov": Namespace(str(PROV)),
    "qb": Namespace(str(QB)),
    "oa": OA,
    "foaf": Namespace(str(FOAF)),
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


def local_name(iri: str) -> str:
    """The part after ``#`` or the last ``/``: enough for display and for networkx keys.

    >>> local_name("https://w3id.org/jiedao-kg/ontology#holds")
    'holds'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@functools.cache
def shapes_graph() -> Graph:
    """The SHACL shapes every build is validated against."""
    graph = Graph()
    graph.parse(data=(resource_dir("ontology") / "shapes.ttl").read_text("utf-8"), format="turtle")
    return graph
