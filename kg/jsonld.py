"""JSON-LD that reads like JSON: a real context, and a document compacted against it.

The context (:func:`context`) has a term for each property of ``kg.ttl`` (``holds``,
``quote``, ``start``…, with ``"@type": "@id"`` for relations, ``"@language": "zh"`` for
Chinese text, ``xsd:nonNegativeInteger`` for offsets), ``@vocab`` set to the ontology so
that types are plain names (``"type": ["Official", "Person"]``), the terms of the other
vocabularies listed in ``ontology/context.jsonld``, and our prefixes. Every node id is a
compact IRI (``kgr:lei-xinqian``, ``kgr:evidence/000/188-200``), never a full IRI of ours.

:func:`document` writes the build's union graph against that context: nodes sorted by
id, keys sorted, a value that no term's coercion fits (``skos:altLabel`` in ``zh-hant``)
under its compact IRI as a value object, so that expanding the document gives exactly
the graph again (``tests/test_jsonld.py`` checks it with pyld and rdflib). Writing it
ourselves from the sorted N-Triples keeps it byte-stable and fast; rdflib's serializer
ordered nodes by hash and left ids with a ``/`` as full IRIs.

>>> ctx = context()
>>> ctx["holds"], ctx["quote"], ctx["start"]["@type"]
({'@id': 'kg:holds', '@type': '@id'}, {'@id': 'kg:quote'}, 'xsd:nonNegativeInteger')
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, URIRef

__all__ = ["context", "document"]

_INTEGER = re.compile(r"-?(0|[1-9]\d{0,15})")
"""An xsd:integer that JSON (and JavaScript) hold exactly as a number."""


def _compact(iri: str, prefixes: dict[str, str]) -> str:
    """``iri`` with the longest matching prefix (``kg:holds``), or as it is."""
    best = ""
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and len(ns) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]) :]}" if best else iri


@functools.cache
def _prefixes() -> dict[str, str]:
    from kg.export import prefixes

    return prefixes()


@functools.cache
def _context() -> str:
    from kg.ontology import KG, ontology_graph, resource_dir

    base = json.loads((resource_dir("ontology") / "context.jsonld").read_text("utf-8"))
    base.pop("@comment", None)
    prefixes = _prefixes()
    graph = ontology_graph()
    terms: dict[str, Any] = {}
    ns = str(KG._NS)
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty)
    declared = {p for kind in kinds for p in graph.subjects(RDF.type, kind)}
    for prop in sorted(p for p in declared if isinstance(p, URIRef)):
        name = str(prop)[len(ns) :] if str(prop).startswith(ns) else None
        if not name:
            continue
        definition: dict[str, str] = {"@id": _compact(str(prop), prefixes)}
        rng = graph.value(prop, RDFS.range)
        if (prop, RDF.type, OWL.ObjectProperty) in graph:
            definition["@type"] = "@id"
        elif rng == RDF.langString:
            definition["@language"] = "zh"
        elif rng == XSD.nonNegativeInteger:
            definition["@type"] = _compact(str(rng), prefixes)
        # xsd:string, xsd:boolean, xsd:decimal (integer or decimal) and kg:DateOrPart
        # (five date types) take no coercion: the value says its own type.
        if name in base:
            raise ValueError(f"ontology/context.jsonld: {name!r} is also a property of kg.ttl")
        terms[name] = definition
    return json.dumps({**prefixes, **base, **terms}, ensure_ascii=False, sort_keys=True)


def context() -> dict[str, Any]:
    """The JSON-LD context (a fresh copy): prefixes, ``@vocab``, and a term per property."""
    return json.loads(_context())


class _Terms:
    """Which key and value form a triple takes in the compacted document."""

    def __init__(self, ctx: dict[str, Any]):
        self.prefixes = {
            k: v for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")
        }
        self.prefixes = {k: v for k, v in self.prefixes.items() if not v.startswith("@")}
        self.vocab = ctx["@vocab"]
        self.names = set(ctx)
        self.by_iri: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        for name, definition in ctx.items():
            if isinstance(definition, dict):
                self.by_iri[self.expand(definition["@id"])].append((name, definition))

    def expand(self, compact: str) -> str:
        prefix, _, rest = compact.partition(":")
        return self.prefixes[prefix] + rest if prefix in self.prefixes else compact

    def compact(self, iri: str) -> str:
        return _compact(iri, self.prefixes)

    def key_and_value(self, predicate: str, obj: Any) -> tuple[str, Any]:
        import pyoxigraph as ox

        for name, definition in self.by_iri.get(predicate, []):
            coerced = definition.get("@type")
            if isinstance(obj, ox.NamedNode | ox.BlankNode):
                if coerced == "@id":
                    return name, self.node_id(obj)
                if coerced is None and "@language" not in definition:
                    return name, self.value(obj)
                continue
            if coerced == "@id":
                continue
            language = definition.get("@language")
            if language is not None:
                if obj.language == language:
                    return name, obj.value
                continue
            if coerced is not None:
                if obj.language is None and str(obj.datatype.value) == self.expand(coerced):
                    native = _native(obj)
                    return name, native if native is not None else obj.value
                continue
            return name, self.value(obj)
        return self.compact(predicate), self.value(obj)

    def node_id(self, node: Any) -> str:
        import pyoxigraph as ox

        return f"_:{node.value}" if isinstance(node, ox.BlankNode) else self.compact(node.value)

    def value(self, obj: Any) -> Any:
        """A value with no coercion: an id, a JSON string/number/boolean, or an object
        (with the context's aliases ``id`` and ``type``, as JSON-LD compaction writes)."""
        import pyoxigraph as ox

        if isinstance(obj, ox.NamedNode | ox.BlankNode):
            return {"id": self.node_id(obj)}
        if obj.language:
            return {"@value": obj.value, "@language": obj.language}
        datatype = obj.datatype.value
        if datatype == str(XSD.string):
            return obj.value
        if datatype in (str(XSD.integer), str(XSD.boolean)):
            native = _native(obj)
            if native is not None:
                return native
        return {"@value": obj.value, "type": self.compact(datatype)}

    def type_name(self, iri: str) -> str:
        local = iri[len(self.vocab) :] if iri.startswith(self.vocab) else None
        if local and re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", local) and local not in self.names:
            return local
        return self.compact(iri)


def _native(obj: Any) -> int | bool | None:
    """The JSON number or boolean of an integer or boolean literal written canonically."""
    if obj.datatype.value == str(XSD.boolean) and obj.value in ("true", "false"):
        return obj.value == "true"
    if obj.datatype.value != str(XSD.boolean) and _INTEGER.fullmatch(obj.value):
        return int(obj.value)
    return None


def document(ntriples: bytes) -> dict[str, Any]:
    """The compacted JSON-LD document of a graph given as N-Triples."""
    import pyoxigraph as ox

    ctx = context()
    terms = _Terms(ctx)
    nodes: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for triple in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES):
        node = nodes[terms.node_id(triple.subject)]
        if triple.predicate.value == str(RDF.type) and isinstance(triple.object, ox.NamedNode):
            node["type"].append(terms.type_name(triple.object.value))
            continue
        key, value = terms.key_and_value(triple.predicate.value, triple.object)
        node[key].append(value)
    graph = []
    for node_id in sorted(nodes):
        entry: dict[str, Any] = {"id": node_id}
        for key in sorted(nodes[node_id], key=lambda k: (k != "type", k)):
            values = sorted(nodes[node_id][key], key=_order)
            entry[key] = values[0] if len(values) == 1 else values
        graph.append(entry)
    return {"@context": ctx, "@graph": graph}


def _order(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def serialize(build: Any) -> bytes:
    """The JSON-LD file of a build: its union graph, compacted, one node per entry."""
    text = json.dumps(document(build.ntriples()), ensure_ascii=False, indent=1, sort_keys=False)
    return text.encode("utf-8") + b"\n"
