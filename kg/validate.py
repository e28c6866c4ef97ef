"""SHACL validation of a built graph against ``ontology/shapes.ttl``.

The shapes run in rudof (pyrudof), a SHACL engine written in Rust: pyshacl took longer
than the whole rest of a build at 100 k triples. The builder materializes superclass types
and the concepts it uses, so plain SHACL-Core without inference sees everything it needs.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Graph

from kg.ontology import PREFIXES, resource_dir


class ShapeError(ValueError):
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


def violations(data: Graph | bytes | str, where: Mapping[str, object] | None = None) -> list[str]:
    """Readable lines, one per SHACL violation, sorted.

    ``data`` is an rdflib graph or N-Triples. ``where`` maps a node's IRI to the place it
    was written (a fact file position), so a violation points at the YAML the user must
    fix, not only at an IRI.
    """
    import pyrudof

    if isinstance(data, Graph):
        data = data.serialize(format="nt11", encoding="utf-8")
    if isinstance(data, bytes):
        data = data.decode()
    if not data.strip():
        return []
    engine = pyrudof.Rudof(pyrudof.RudofConfig())
    engine.read_data(data, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    shapes = (resource_dir("ontology") / "shapes.ttl").read_text(encoding="utf-8")
    engine.read_shacl(shapes, format=pyrudof.ShaclFormat.Turtle)
    report = engine.validate_shacl()
    if report.conforms:
        return []
    lines = set()
    for entry in report:
        if str(entry.severity) != "Violation":
            continue
        focus = str(entry.focus_node)
        node = compact(focus) + (f" {compact(str(entry.path))}" if entry.path else "")
        message = " ".join(str(entry.message).strip('"').split())
        prefix = f"{where[focus]}: " if where and focus in where else ""
        lines.add(f"{prefix}shape violation: {node}: {message}")
    return sorted(lines)


def check_shapes(data: Graph | bytes | str, where: Mapping[str, object] | None = None) -> None:
    """Raise :class:`ShapeError` when ``data`` does not conform to the shapes."""
    found = violations(data, where)
    if found:
        raise ShapeError(found)
