"""RDF terms between the three libraries that hold them: rdflib, Oxigraph and Python.

Queries run in Oxigraph; users get rdflib terms (what the rest of the Python RDF world
takes) or plain Python values (:func:`plain`, for tables and notebooks).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"


def to_ox(term: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """A value as an Oxigraph term: rdflib terms keep their kind; Python values become
    literals (``str`` a plain string, ``int`` an integer, ``Decimal`` a decimal).

    >>> to_ox(3)
    <Literal value=3 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    from kg.sparql import QueryError

    if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode):
        return term
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, bool):
        return ox.Literal("true" if term else "false", datatype=ox.NamedNode(XSD + "boolean"))
    if isinstance(term, int):
        return ox.Literal(str(term), datatype=ox.NamedNode(XSD + "integer"))
    if isinstance(term, Decimal):
        return ox.Literal(str(term), datatype=ox.NamedNode(XSD + "decimal"))
    if isinstance(term, str):
        return ox.Literal(term)
    raise QueryError(f"cannot bind a {type(term).__name__}; use str, int, Decimal or rdflib terms")


def to_rdflib(term: Any) -> Node | None:
    """An Oxigraph term as rdflib's; ``xsd:string`` literals as plain literals, the way
    rdflib and SPARQL servers give them.

    >>> to_rdflib(ox.Literal("锦南街道"))
    rdflib.term.Literal('锦南街道')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported term: {term!r}")


def plain(term: Node | None) -> Any:
    """A term as a plain Python value: numbers as int/Decimal, text as str, IRIs as str.

    >>> plain(Literal("13.43", datatype=URIRef(XSD + "decimal"))), plain(URIRef("urn:x"))
    (Decimal('13.43'), 'urn:x')
    """
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)
