"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The shapes run in rudof (pyrudof), a SHACL engine written in Rust: pyshacl took longer
than the whole rest of a build at 100 k triples. The builder materializes superclass types
and the concepts it uses, so plain SHACL-Core without inference sees everything it needs.

rudof holds about 15 KB per triple while validating, so a large graph is validated in
chunks of subjects, two at a time (rudof releases the GIL). That gives the same answer as
one run when every shape only looks at a focus node's own triples and the types of the
nodes they point to: each chunk carries all triples of its subjects plus the ``rdf:type``
triples of their objects, and only violations of its own subjects count.
:func:`chunkable` checks the shapes keep to that; otherwise the graph goes in whole.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor

from rdflib import RDF, Graph, Namespace

from kg.errors import KgError
from kg.ontology import PREFIXES, resource_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
CHUNK_TRIPLES = 10_000
_TYPE = f"<{RDF.type}>"


class ShapeError(KgError, ValueError):
    """The built graph breaks a shape; ``str()`` is one line per violation."""

    def __init__(self, violations: list[str]):
        self.violations = violations
        super().__init__("\n".join(violations))


def compact(iri: str) -> str:
    """``kgr:m1`` for a known namespace, ``<iri>`` otherwise."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return f"<{iri}>"


@functools.cache
def shapes_text() -> str:
    return (resource_dir("ontology") / "shapes.ttl").read_text(encoding="utf-8")


# Features that make a shape look beyond a focus node's own triples and its objects' types.
NOT_LOCAL = (
    SH.node,
    SH.qualifiedValueShape,
    SH.inversePath,
    SH.alternativePath,
    SH.zeroOrMorePath,
    SH.oneOrMorePath,
    SH.zeroOrOnePath,
    SH.targetNode,
    SH.targetObjectsOf,
    SH.sparql,
    SH.target,
)


def chunkable(shapes: Graph) -> bool:
    """Whether validating subject by subject gives the same answer as the whole graph.

    True when no shape uses a feature of :data:`NOT_LOCAL`, every ``sh:path`` is a single
    predicate, and the shapes inside ``sh:or``/``sh:xone``/``sh:and``/``sh:not`` of a
    property shape (which apply to the value nodes) only test the value's class, datatype,
    kind or the value itself, not its own properties.
    """
    if any((None, feature, None) in shapes for feature in NOT_LOCAL):
        return False
    if any(not _is_iri(path) for path in shapes.objects(None, SH.path)):
        return False
    for prop in shapes.subjects(SH.path, None):
        for logical in (SH["or"], SH.xone, SH["and"]):
            for members in shapes.objects(prop, logical):
                for member in shapes.items(members):
                    if (member, SH.path, None) in shapes or (member, SH.property, None) in shapes:
                        return False
        for member in shapes.objects(prop, SH["not"]):
            if (member, SH.path, None) in shapes or (member, SH.property, None) in shapes:
                return False
    return True


def _is_iri(node: object) -> bool:
    from rdflib import URIRef

    return isinstance(node, URIRef)


def _chunks(lines: list[str], size: int) -> Iterator[tuple[list[str], set[str]]]:
    """(lines to validate, subjects whose violations count), ``size`` triples or so each."""
    types: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        s, p, _ = line.split(" ", 2)
        if p == _TYPE:
            types[s].append(line)
    chunk: list[str] = []
    subjects: set[str] = set()
    previous = None
    for line in lines:
        subject = line.split(" ", 1)[0]
        if subject != previous and len(chunk) >= size:
            yield _with_object_types(chunk, types), subjects
            chunk, subjects = [], set()
        chunk.append(line)
        subjects.add(subject)
        previous = subject
    if chunk:
        yield _with_object_types(chunk, types), subjects


def _with_object_types(chunk: list[str], types: Mapping[str, list[str]]) -> list[str]:
    extra: dict[str, None] = {}
    for line in chunk:
        obj = line.split(" ", 2)[2][:-2]
        if obj.startswith("<"):
            extra.update(dict.fromkeys(types.get(obj, ())))
    return chunk + list(extra)  # a type line already in the chunk is harmless twice


def _validate(data: str) -> list[tuple[str, str | None, str]]:
    """(focus node, path or None, message) of each violation, by rudof."""
    import pyrudof

    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    engine.read_data(data, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    engine.read_shacl(shapes_text(), format=pyrudof.ShaclFormat.Turtle)
    report = engine.validate_shacl()
    if report.conforms:
        return []
    return [
        (
            str(entry.focus_node),
            str(entry.path) if entry.path else None,
            " ".join(str(entry.message).strip('"').split()),
        )
        for entry in report
        if str(entry.severity) == "Violation"
    ]


def violations(
    data: Graph | bytes | str,
    where: Mapping[str, object] | None = None,
    *,
    chunk_triples: int = CHUNK_TRIPLES,
) -> list[str]:
    """Readable lines, one per SHACL violation, sorted.

    ``data`` is an rdflib graph or N-Triples. ``where`` maps a node's IRI to the place it
    was written (a fact file position), so a violation points at the YAML the user must
    fix, not only at an IRI.
    """
    from kg.ontology import shapes_graph

    if isinstance(data, Graph):
        data = data.serialize(format="nt11", encoding="utf-8")
    if isinstance(data, bytes):
        data = data.decode()
    lines = sorted({line for line in data.splitlines() if line.strip()})
    if not lines:
        return []
    if len(lines) <= chunk_triples or not chunkable(shapes_graph()):
        found = _validate("\n".join(lines) + "\n")
    else:
        jobs = list(_chunks(lines, chunk_triples))
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = pool.map(lambda job: _validate("\n".join(job[0]) + "\n"), jobs)
            found = [
                v
                for (_, subjects), result in zip(jobs, results, strict=True)
                for v in result
                if f"<{v[0]}>" in subjects
            ]
    own = shape_messages()
    out = set()
    for focus, path, message in found:
        message = own.get(path or "", message)
        node = compact(focus) + (f" {compact(path)}" if path else "")
        prefix = f"{where[focus]}: " if where and focus in where else ""
        out.add(f"{prefix}shape violation: {node}: {message}")
    return sorted(out)


@functools.cache
def shape_messages() -> dict[str, str]:
    """Our ``sh:message`` for each property path that has exactly one.

    rudof reports some components in its own words ("OR not satisfied") even where the
    shape has a message; the message says what to do, so it is used when it is unique.
    """
    from kg.ontology import shapes_graph

    shapes = shapes_graph()
    messages: dict[str, set[str]] = defaultdict(set)
    for prop, path in shapes.subject_objects(SH.path):
        for message in shapes.objects(prop, SH.message):
            messages[str(path)].add(" ".join(str(message).split()))
    return {path: next(iter(found)) for path, found in messages.items() if len(found) == 1}


def check_shapes(data: Graph | bytes | str, where: Mapping[str, object] | None = None) -> None:
    """Raise :class:`ShapeError` when ``data`` does not conform to the shapes."""
    found = violations(data, where)
    if found:
        raise ShapeError(found)
