"""The export formats of a build, in one registry: RDF for triple stores, the property
graph for Gephi, Cytoscape and spreadsheets.

``FORMATS`` maps each format name to what it is (suffix, media type) and the function that
writes it; ``kg export --format`` offers exactly these names. Every writer is
deterministic: the same facts give the same bytes. The RDF writers never go through
rdflib's serializers: the build keeps its triples as sorted N-Triples lines, N-Triples and
N-Quads are those lines, and Turtle and TriG are written by Oxigraph from them (50-200x
faster than rdflib's writers).

>>> sorted(FORMATS)[:4]
['csv-edges', 'csv-nodes', 'gexf', 'graphml']
>>> FORMATS["turtle"].suffix, FORMATS["turtle"].media_type
('ttl', 'text/turtle')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing this module stays cheap: the CLI reads FORMATS at start-up
    import networkx as nx


@dataclass(frozen=True)
class Format:
    """One export format: its file suffix, media type, and the function writing it."""

    name: str
    suffix: str
    media_type: str
    write: Callable[[Any], bytes]
    """Takes a :class:`kg.builder.Build`, returns the file's bytes."""
    rdf: bool = True
    """RDF (loads into a triple store) or the property graph (networkx)."""


def serialize(build: Any, fmt: str) -> bytes:
    """The bytes of ``build`` in format ``fmt`` (a key of :data:`FORMATS`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt].write(build)


def prefixes() -> dict[str, str]:
    """Prefix -> namespace of every export and query, as plain strings."""
    from kg.ontology import PREFIXES

    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


# ---------------------------------------------------------------- RDF


def _turtle(build: Any) -> bytes:
    import pyoxigraph as ox

    quads = ox.parse(build.ntriples(), format=ox.RdfFormat.N_TRIPLES)
    return _sorted_prefix_lines(
        ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=prefixes())
    )


def _trig(build: Any) -> bytes:
    import pyoxigraph as ox

    quads = ox.parse(build.nquads(), format=ox.RdfFormat.N_QUADS)
    return _sorted_prefix_lines(ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes()))


def _sorted_prefix_lines(data: bytes) -> bytes:
    """Oxigraph writes the prefix lines in hash-map order; sort them so bytes are stable."""
    lines = data.split(b"\n")
    count = 0
    while count < len(lines) and lines[count].startswith(b"@prefix "):
        count += 1
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def _jsonld(build: Any) -> bytes:
    """JSON-LD compacted with a local context (our prefixes): nothing to fetch."""
    return build.union().serialize(
        format="json-ld",
        context=prefixes(),
        indent=1,
        sort_keys=True,
        auto_compact=True,
        encoding="utf-8",
    )


# ---------------------------------------------------------------- property graph


def flat_value(value: object) -> str | int | float | bool | None:
    """An attribute value GraphML/GEXF/CSV can hold: lists and evidence become text.

    Gephi and ``networkx.read_graphml`` only understand strings and numbers, so lists are
    joined with "; " and evidence records become "article[start:end] quote" lines.

    >>> flat_value(["a", "b"]), flat_value(None)
    ('a; b', None)
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        parts = [_evidence_text(v) if isinstance(v, dict) else str(v) for v in value]
        return ("\n" if value and isinstance(value[0], dict) else "; ").join(parts)
    return str(value)


def _evidence_text(record: dict[str, Any]) -> str:
    if "quote" not in record:  # another record, such as a derived edge's derivation
        import json

        return json.dumps(record, ensure_ascii=False, sort_keys=True)
    return f"{record['article']}[{record['start']}:{record['end']}] {record['quote']}"


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph whose attributes are only strings, numbers and booleans."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        flat.add_node(
            node,
            **{k: v for k, v in ((k, flat_value(v)) for k, v in attrs.items()) if v is not None},
        )
    for u, v, key, attrs in graph.edges(keys=True, data=True):
        flat.add_edge(
            u,
            v,
            key=key,
            relation=key,
            **{k: w for k, w in ((k, flat_value(w)) for k, w in attrs.items()) if w is not None},
        )
    return flat


def _graphml(build: Any) -> bytes:
    import networkx as nx

    flat = flat_graph(build.graph)
    return "\n".join(nx.generate_graphml(flat, named_key_ids=True)).encode("utf-8") + b"\n"


def _gexf(build: Any) -> bytes:
    import networkx as nx

    return "\n".join(nx.generate_gexf(flat_graph(build.graph))).encode("utf-8") + b"\n"


def _csv(rows: list[list[Any]]) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _csv_nodes(build: Any) -> bytes:
    flat = flat_graph(build.graph)
    columns = sorted({k for _, a in flat.nodes(data=True) for k in a} - {"label", "type"})
    rows: list[list[Any]] = [["id", "label", "type", *columns]]
    for node, attrs in sorted(flat.nodes(data=True)):
        rows.append(
            [
                node,
                attrs.get("label", ""),
                attrs.get("type", ""),
                *(attrs.get(c, "") for c in columns),
            ]
        )
    return _csv(rows)


def _csv_edges(build: Any) -> bytes:
    flat = flat_graph(build.graph)
    rows: list[list[Any]] = [["source", "target", "relation", "label", "evidence"]]
    for u, v, key, attrs in sorted(flat.edges(keys=True, data=True), key=lambda e: e[:3]):
        rows.append([u, v, key, attrs.get("label", ""), attrs.get("evidence", "")])
    return _csv(rows)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", "ttl", "text/turtle", _turtle),
        Format("trig", "trig", "application/trig", _trig),
        Format("json-ld", "jsonld", "application/ld+json", _jsonld),
        Format("nt", "nt", "application/n-triples", lambda build: build.ntriples()),
        Format("nquads", "nq", "application/n-quads", lambda build: build.nquads()),
        Format("graphml", "graphml", "application/graphml+xml", _graphml, rdf=False),
        Format("gexf", "gexf", "application/gexf+xml", _gexf, rdf=False),
        Format("csv-nodes", "nodes.csv", "text/csv", _csv_nodes, rdf=False),
        Format("csv-edges", "edges.csv", "text/csv", _csv_edges, rdf=False),
    )
}
"""Every export format by name, in the order ``kg export --help`` lists them."""
