"""What each class, property and datatype of the ontology *is*, read once from ``ontology/``.

The schema is data (followthemoney's model is the example): ``ontology/kg.ttl`` says what
the classes and properties mean (OWL, labels, ranges, ``kg:factKey``), and
``ontology/classes.ttl`` how the tool treats each class (order, composed labels,
division level, counted in stats, viewer style). This module reads both and is the only
place that does: the loader, the builder, the viewer, the stats, the extractor and the
evaluator ask it, so that a new class is a Turtle edit.

>>> official = classes()["Official"]
>>> official.label, official.legend, official.style.shape
('官员', '官员 Official', 'star')
>>> classes()["Subdistrict"].division_level, classes()["Post"].composed_label
('township', True)
>>> properties()["holds"].kind, properties()["value"].kind, properties()["qualifier"].kind
('entity', 'literal', 'concept')
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, URIRef

from kg.errors import show
from kg.ontology import KG, ontology_graph, resource_dir

__all__ = [
    "DATATYPES",
    "ClassInfo",
    "Datatype",
    "PropertySpec",
    "Style",
    "classes",
    "concept_labels",
    "concepts",
    "entity_classes",
    "properties",
    "superclasses",
]

LEVELS = ("village", "township", "district", "city", "province")
"""Administrative levels from the bottom up; the last four are the division table's."""


@dataclass(frozen=True)
class Style:
    """How the viewer draws a class."""

    color: str = "#8c8c8c"
    shape: str = "dot"
    size: int = 11
    font: int = 14
    min_screen: int | None = None
    """For landmarks: the smallest on-screen label size kept when zoomed out."""
    hidden: bool = False
    """Hidden until asked for (search, legend, panel links)."""


@dataclass(frozen=True)
class ClassInfo:
    """One class of the ontology and how the tool treats it."""

    name: str
    iri: URIRef
    label: str
    """The Chinese label (``rdfs:label @zh``)."""
    label_en: str
    order: int
    internal: bool
    """Made by the builder; never an entity's type in a fact file."""
    abstract: bool
    """A grouping class (AdministrativeArea): entities take one of its subclasses."""
    composed_label: bool
    division_level: str | None
    counted: bool
    style: Style

    @property
    def entity(self) -> bool:
        """Whether a fact file may give an entity this type."""
        return not (self.internal or self.abstract)

    @property
    def legend(self) -> str:
        """The caption of legends and panels: Chinese label and class name."""
        return f"{self.label} {self.name}"

    @property
    def level_rank(self) -> int:
        """The division level as a number (village 0 … province 4), -1 for non-areas."""
        return LEVELS.index(self.division_level) if self.division_level else -1


def _local(iri: Any) -> str:
    return str(iri).removeprefix(str(KG._NS))


@functools.cache
def _graph() -> Graph:
    """kg.ttl and classes.ttl together (both parsed once per process)."""
    graph = Graph()
    for triple in ontology_graph():
        graph.add(triple)
    graph.parse(data=(resource_dir("ontology") / "classes.ttl").read_text("utf-8"), format="turtle")
    return graph


def _label(graph: Graph, node: Any, lang: str) -> str:
    for label in graph.objects(node, RDFS.label):
        if getattr(label, "language", None) == lang:
            return str(label)
    return _local(node)


@functools.cache
def classes() -> dict[str, ClassInfo]:
    """Every ``kg:`` class of the ontology by name, in ``kg:order``."""
    graph = _graph()
    found = []
    for iri in set(graph.subjects(RDF.type, OWL.Class)):
        if not str(iri).startswith(str(KG._NS)):
            continue

        def value(prop: URIRef, default: Any = None, node: Any = iri) -> Any:
            term = graph.value(node, prop)
            return default if term is None else term.toPython()

        style = Style(
            color=value(KG.viewerColor, Style.color),
            shape=value(KG.viewerShape, Style.shape),
            size=value(KG.viewerSize, Style.size),
            font=value(KG.viewerFont, Style.font),
            min_screen=value(KG.viewerMinScreen),
            hidden=bool(value(KG.viewerHidden, False)),
        )
        level = value(KG.divisionLevel)
        if level is not None and level not in LEVELS:
            raise ValueError(f"classes.ttl: {_local(iri)} has an unknown division level {level!r}")
        found.append(
            ClassInfo(
                name=_local(iri),
                iri=URIRef(iri),
                label=_label(graph, iri, "zh"),
                label_en=_label(graph, iri, "en"),
                order=int(value(KG.order, 10_000)),
                internal=bool(value(KG.internal, False)),
                abstract=bool(value(KG.abstract, False)),
                composed_label=bool(value(KG.composedLabel, False)),
                division_level=level,
                counted=bool(value(KG.counted, False)),
                style=style,
            )
        )
    found.sort(key=lambda c: (c.order, c.name))
    return {c.name: c for c in found}


@functools.cache
def entity_classes() -> dict[str, URIRef]:
    """The classes a fact file may give an entity, by name, in order."""
    return {name: info.iri for name, info in classes().items() if info.entity}


def division_levels() -> dict[str, str]:
    """Class name -> division level, for the area classes."""
    return {n: c.division_level for n, c in classes().items() if c.division_level}


@functools.cache
def superclasses(cls: URIRef) -> frozenset[URIRef]:
    """``cls`` and its ``kg:`` superclasses, for range checks done before SHACL runs."""
    return frozenset(
        c
        for c in ontology_graph().transitive_objects(cls, RDFS.subClassOf)
        if isinstance(c, URIRef) and str(c).startswith(str(KG._NS))
    )


# ---------------------------------------------------------------- properties

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
    For ``literal``: the datatype, a key of :data:`DATATYPES`."""
    label: str
    """The Chinese label of the property (edge labels in the viewer)."""


@functools.cache
def properties() -> dict[str, PropertySpec]:
    """Each fact-file key's :class:`PropertySpec`, read from ``kg:factKey`` and ranges."""
    graph = _graph()
    concept_classes = set(graph.subjects(RDFS.subClassOf, SKOS.Concept)) - {KG.Role}
    specs: dict[str, PropertySpec] = {}
    for prop, key in graph.subject_objects(KG.factKey):
        rng = graph.value(prop, RDFS.range)
        if (prop, RDF.type, OWL.DatatypeProperty) in graph:
            kind: ValueKind = "literal"
            if str(rng) not in DATATYPES:
                raise ValueError(f"kg.ttl: {key} has range {rng}, which no datatype handles")
        elif rng in concept_classes:
            kind = "concept"
        else:
            kind = "entity"
        iri = URIRef(prop)
        specs[str(key)] = PropertySpec(
            str(key), iri, kind, URIRef(rng) if rng else None, _label(graph, iri, "zh")
        )
    return dict(sorted(specs.items()))


def predicate_label(iri: str) -> str:
    """The Chinese label of a property (its local name when it has none)."""
    for spec in properties().values():
        if str(spec.iri) == str(iri):
            return spec.label
    return _label(_graph(), URIRef(iri), "zh")


@functools.cache
def concepts(concept_class: URIRef) -> dict[str, URIRef]:
    """Concepts of a class by ``skos:notation`` (``more-than`` -> ``kg:MoreThan``)."""
    graph = _graph()
    return {
        str(graph.value(c, SKOS.notation)): URIRef(c)
        for c in sorted(graph.subjects(RDF.type, concept_class))
    }


@functools.cache
def concept_labels(concept_class: URIRef) -> dict[str, str]:
    """Notation -> "中文 · English" caption of each concept (panels, tables).

    >>> concept_labels(KG.Qualifier)["more-than"]
    '多于 · more than'
    """
    graph = _graph()
    out = {}
    for notation, iri in concepts(concept_class).items():
        labels = {getattr(x, "language", None): str(x) for x in graph.objects(iri, SKOS.prefLabel)}
        out[notation] = f"{labels.get('zh', notation)} · {labels.get('en', notation)}"
    return out


# ---------------------------------------------------------------- datatypes


@dataclass(frozen=True)
class Datatype:
    """A literal type of the fact files: how a value is checked and written as RDF.

    ``check(value)`` returns ``None`` or what is wrong ("must be a number, not 'x'");
    ``lexical(value)`` returns the literal's text, datatype IRI (``None`` for a plain
    string) and language tag.
    """

    iri: str
    check: Callable[[Any], str | None]
    lexical: Callable[[Any], tuple[str, str | None, str | None]]


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _text_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return f"must be text, not {show(value)}"
    if not str(value).strip() or CONTROL.search(str(value)):
        return "is empty or contains a control character"
    return None


def _decimal_problem(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return f"must be a number, not {show(value)}"
    try:
        number: Decimal | None = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not re.fullmatch(r"-?\d+(\.\d+)?", str(value)):
        return f"must be a plain decimal number like 13.43, not {show(value)}"
    return None


def _decimal(value: Any) -> tuple[str, str | None, str | None]:
    # Whole numbers as xsd:integer (a kind of xsd:decimal): Turtle writes a decimal 205
    # as "205.0", which would not round-trip to the same term.
    text = str(value)
    return text, str(XSD.decimal if "." in text else XSD.integer), None


def _boolean_problem(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"must be true or false, not {show(value)}"


_DATE_FORMS = {
    re.compile(r"(\d{4})-(\d\d)-(\d\d)"): XSD.date,
    re.compile(r"(\d{4})-(\d\d)"): XSD.gYearMonth,
    re.compile(r"(\d{4})"): XSD.gYear,
    re.compile(r"--(\d\d)-(\d\d)"): XSD.gMonthDay,
    re.compile(r"--(\d\d)"): XSD.gMonth,
}


def _date_form(value: Any) -> tuple[URIRef, tuple[str, ...]] | None:
    for pattern, datatype in _DATE_FORMS.items():
        match = pattern.fullmatch(str(value))
        if match:
            return datatype, match.groups()
    return None


def _date_problem(value: Any) -> str | None:
    """A date or part of one that exists: no 2020-02-30, no month 13.

    >>> _date_problem("2020-02-29"), _date_problem("--02-11"), _date_problem("2020-02-30")
    (None, None, "is not a real date: '2020-02-30' (February 2020 has 29 days)")
    """
    problem = _text_problem(value)
    form = None if problem else _date_form(value)
    if form is None:
        return (
            "must be YYYY-MM-DD, YYYY-MM, YYYY, --MM-DD or --MM (month and day, or month, "
            f"when the year is not stated), not {show(value)}"
        )
    datatype, parts = form
    numbers = [int(p) for p in parts]
    if datatype in (XSD.date, XSD.gYearMonth):
        year, month = numbers[0], numbers[1]
    elif datatype in (XSD.gMonthDay, XSD.gMonth):
        year, month = 2000, numbers[0]  # a leap year: --02-29 is a real month and day
    else:
        return None
    if not 1 <= month <= 12:
        return f"is not a real date: {show(value)} (month {month:02d})"
    day = numbers[-1] if datatype in (XSD.date, XSD.gMonthDay) else 1
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        what = (
            f"{calendar.month_name[month]} {year}"
            if datatype == XSD.date
            else (calendar.month_name[month])
        )
        return f"is not a real date: {show(value)} ({what} has {days} days)"
    return None


def _date(value: Any) -> tuple[str, str | None, str | None]:
    form = _date_form(value)
    assert form is not None  # checked when loading
    return str(value), str(form[0]), None


DATATYPES: dict[str, Datatype] = {
    d.iri: d
    for d in (
        Datatype(str(XSD.decimal), _decimal_problem, _decimal),
        Datatype(
            str(XSD.boolean),
            _boolean_problem,
            lambda v: (str(bool(v)).lower(), str(XSD.boolean), None),
        ),
        Datatype(str(RDF.langString), _text_problem, lambda v: (str(v), None, "zh")),
        Datatype(str(XSD.string), _text_problem, lambda v: (str(v), None, None)),
        Datatype(str(KG.DateOrPart), _date_problem, _date),
    )
}
"""Every literal type a fact-file key may have (its ``rdfs:range``), with its check and
its RDF form. ``kg:DateOrPart`` is the union of the date types (``kg.ttl``)."""
