"""SHACL validation of a built graph against ``ontology/shapes.ttl`` (pyshacl)."""

from __future__ import annotations

from rdflib import Graph, Namespace

from kg.ontology import ontology_graph, shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")


class ShapeError(ValueError):
    """The built graph breaks a shape; ``str()`` is one line per violation."""

    def __init__(self, violations: list[str]):
        self.violations = violations
        super().__init__("\n".join(violations))


def violations(data: Graph) -> list[str]:
    """Readable lines, one per SHACL violation: focus node, path, message."""
    import pyshacl

    conforms, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    lines = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        where = f"{focus}" + (f" {path.n3(data.namespace_manager)}" if path is not None else "")
        lines.append(f"shape violation: {where}: {message}")
    return sorted(lines)


def check_shapes(data: Graph) -> None:
    """Raise :class:`ShapeError` when ``data`` does not conform to the shapes."""
    found = violations(data)
    if found:
        raise ShapeError(found)
