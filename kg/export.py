"""Write a build to RDF files, atomically.

A reader of ``out/kg.ttl`` must never see half a file, even if the process is killed in the
middle of an export: every file is written to a temporary file in the same directory and
renamed over the target (``os.replace`` is atomic on POSIX). ``-`` writes to stdout.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx
from rdflib import Dataset, Graph

from kg.ontology import PREFIXES

RDF_FORMATS = {
    "turtle": ("ttl", "text/turtle"),
    "trig": ("trig", "application/trig"),
    "json-ld": ("jsonld", "application/ld+json"),
    "nt": ("nt", "application/n-triples"),
    "nquads": ("nq", "application/n-quads"),
}
"""Format name -> (file suffix, media type)."""


@contextlib.contextmanager
def atomic_open(target: str | Path) -> Iterator[BinaryIO]:
    """Open ``target`` for binary writing so that it appears whole or not at all.

    ``-`` yields stdout. Otherwise a temporary file next to the target is written, flushed,
    fsynced and renamed over it; on any error the temporary file is removed and the old
    target is left untouched.
    """
    if str(target) == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); an output file gets the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_open(target) as handle:
        handle.write(data)


def jsonld_context() -> dict[str, str]:
    """A local JSON-LD context: our prefixes, so no reader needs to fetch one."""
    return {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def serialize(data: Graph | Dataset, fmt: str) -> bytes:
    """Serialize deterministically: the same graph always gives the same bytes.

    rdflib's Turtle and TriG serializers sort subjects and predicates; N-Triples and
    N-Quads lines are sorted here, since rdflib writes them in store order.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    if fmt in ("nt", "nquads"):
        out = data.serialize(format="nt11" if fmt == "nt" else "nquads", encoding="utf-8")
        lines = sorted(set(out.splitlines(keepends=True)))
        return b"".join(line for line in lines if line.strip())
    if fmt == "json-ld":
        return data.serialize(
            format="json-ld",
            context=jsonld_context(),
            indent=1,
            sort_keys=True,
            auto_compact=True,
            encoding="utf-8",
        )
    if fmt == "turtle" and isinstance(data, Dataset):
        raise ValueError("use the union graph for Turtle (Build.union())")
    return data.serialize(format=fmt, encoding="utf-8")


def serialize_build(build: Any, fmt: str) -> bytes:
    """Serialize a :class:`kg.build.Build` without going through rdflib.

    The build keeps its triples as sorted N-Triples lines; N-Triples and N-Quads are those
    lines, and Turtle and TriG are written by Oxigraph from them (about 100x faster than
    rdflib's writers), so the bytes are as stable as the lines. JSON-LD, compacted with
    our local context, still goes through rdflib.
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RDF_FORMATS)}")
    if fmt == "nt":
        return build.ntriples()
    if fmt == "nquads":
        return build.nquads()
    if fmt == "json-ld":
        return serialize(build.union(), fmt)
    import pyoxigraph as ox

    if fmt == "turtle":
        quads = ox.parse(build.ntriples(), format=ox.RdfFormat.N_TRIPLES)
        out = ox.serialize(quads, format=ox.RdfFormat.TURTLE, prefixes=_prefixes())
    else:
        quads = ox.parse(build.nquads(), format=ox.RdfFormat.N_QUADS)
        out = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=_prefixes())
    return _sorted_prefix_lines(out)


def _prefixes() -> dict[str, str]:
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _sorted_prefix_lines(data: bytes) -> bytes:
    """Oxigraph writes the prefix lines in hash-map order; sort them so bytes are stable."""
    lines = data.split(b"\n")
    count = 0
    while count < len(lines) and lines[count].startswith(b"@prefix "):
        count += 1
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def export(data: Graph | Dataset, target: str | Path, fmt: str) -> int:
    """Serialize ``data`` in ``fmt`` and write it atomically; return the bytes written."""
    payload = serialize(data, fmt)
    write_bytes(target, payload)
    return len(payload)


# ---------------------------------------------------------------- property-graph formats

GRAPH_FORMATS = {
    "graphml": "graphml",
    "gexf": "gexf",
    "csv-nodes": "nodes.csv",
    "csv-edges": "edges.csv",
}
"""Formats of the networkx graph (for Gephi, Cytoscape, spreadsheets) -> file suffix."""


def flat_value(value: object) -> str | int | float | bool | None:
    """An attribute value GraphML/GEXF/CSV can hold: lists and evidence become text.

    Gephi and ``networkx.read_graphml`` only understand strings and numbers, so lists are
    joined with "; " and evidence records become "article[start:end] quote" lines.
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, list | tuple):
        parts = [_evidence_text(v) if isinstance(v, dict) else str(v) for v in value]
        return ("\n" if value and isinstance(value[0], dict) else "; ").join(parts)
    return str(value)


def _evidence_text(record: dict) -> str:
    return f"{record['article']}[{record['start']}:{record['end']}] {record['quote']}"


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of the graph whose attributes are only strings, numbers and booleans."""
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


def serialize_graph(graph: nx.MultiDiGraph, fmt: str) -> bytes:
    """GraphML, GEXF or CSV (nodes or edges) of the networkx graph, deterministically."""
    import csv
    import io

    flat = flat_graph(graph)
    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(flat, named_key_ids=True)).encode("utf-8") + b"\n"
    if fmt == "gexf":
        return "\n".join(nx.generate_gexf(flat)).encode("utf-8") + b"\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if fmt == "csv-nodes":
        columns = sorted({k for _, a in flat.nodes(data=True) for k in a} - {"label", "type"})
        writer.writerow(["id", "label", "type", *columns])
        for node, attrs in sorted(flat.nodes(data=True)):
            writer.writerow(
                [
                    node,
                    attrs.get("label", ""),
                    attrs.get("type", ""),
                    *(attrs.get(c, "") for c in columns),
                ]
            )
    elif fmt == "csv-edges":
        writer.writerow(["source", "target", "relation", "label", "evidence"])
        for u, v, key, attrs in sorted(flat.edges(keys=True, data=True), key=lambda e: e[:3]):
            writer.writerow([u, v, key, attrs.get("label", ""), attrs.get("evidence", "")])
    else:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    return buffer.getvalue().encode("utf-8")
