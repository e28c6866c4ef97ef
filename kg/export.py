"""The export formats of a build, in one registry: RDF for triple stores, the property
graph for Gephi, Cytoscape and spreadsheets, the evidence for annotation tools.

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

import functools
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, cast

if TYPE_CHECKING:  # importing this module stays cheap: the CLI reads FORMATS at start-up
    import networkx as nx

    from kg.stats import Tally


@dataclass(frozen=True)
class Format:
    """One export format: its file suffix, media type, and the function writing it."""

    name: str
    suffix: str
    media_type: str
    write: Callable[..., bytes]
    """Takes a :class:`kg.builder.Build` (and ``excel=`` for the CSV formats), returns
    the file's bytes."""
    rdf: bool = True
    """RDF (loads into a triple store) or the property graph (networkx)."""


def serialize(build: Any, fmt: str, *, excel: bool = False) -> bytes:
    """The bytes of ``build`` in format ``fmt`` (a key of :data:`FORMATS`).

    ``excel`` writes a CSV format with the UTF-8 byte-order mark Excel needs to show
    Chinese (ignored by the other formats).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    write(build, fmt, buffer, excel=excel)
    return buffer.getvalue()


def write(build: Any, fmt: str, handle: BinaryIO, *, excel: bool = False) -> None:
    """Write ``build`` in format ``fmt`` to ``handle``, streamed for the RDF formats.

    N-Triples and N-Quads go out in pieces of the build's sorted lines; Turtle and TriG
    are written by Oxigraph as it parses those pieces, so no format's whole text is held
    in memory at once (at a million triples, N-Quads, Turtle and TriG took ~300 MB).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    stream = _STREAMS.get(fmt)
    if stream is not None:
        stream(build, handle)
    elif fmt.startswith("csv-"):
        handle.write(FORMATS[fmt].write(build, excel=excel))
    else:
        handle.write(FORMATS[fmt].write(build))


class _SortedPrefixes(io.RawIOBase):
    """Passes writes through, except that the leading ``@prefix`` lines are sorted first:
    Oxigraph writes them in hash-map order, which differs from run to run."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.head: bytes | None = b""

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        data = bytes(data)
        if self.head is None:
            self.handle.write(data)
            return len(data)
        self.head += data
        lines = self.head.split(b"\n")
        count = 0
        while count < len(lines) - 1 and lines[count].startswith(b"@prefix "):
            count += 1
        if count < len(lines) - 1:  # a whole line after the prefixes: the head is complete
            self.flush_head()
        return len(data)

    def flush_head(self) -> None:
        if self.head is not None:
            self.handle.write(sorted_prefix_lines(self.head))
            self.head = None


def _stream_rdf(build: Any, handle: BinaryIO, source: str, out: str) -> None:
    import pyoxigraph as ox

    from kg.inputs import ChunkReader

    chunks = build.ntriples_chunks() if source == "nt" else build.nquads_chunks()
    in_format = ox.RdfFormat.N_TRIPLES if source == "nt" else ox.RdfFormat.N_QUADS
    # Oxigraph takes any binary file object. typeshed's io.RawIOBase is not a typing.IO
    # (a raw read() may return None, on a non-blocking file); these two never do.
    quads = ox.parse(cast(BinaryIO, ChunkReader(chunks)), format=in_format)
    sink = _SortedPrefixes(handle)
    out_format = getattr(ox.RdfFormat, out)
    ox.serialize(quads, cast(BinaryIO, sink), format=out_format, prefixes=prefixes())
    sink.flush_head()


def _stream_lines(chunks: Iterable[bytes], handle: BinaryIO) -> None:
    for chunk in chunks:
        handle.write(chunk)


_STREAMS: dict[str, Callable[[Any, BinaryIO], None]] = {
    "turtle": lambda build, handle: _stream_rdf(build, handle, "nt", "TURTLE"),
    "trig": lambda build, handle: _stream_rdf(build, handle, "nq", "TRIG"),
    "nt": lambda build, handle: _stream_lines(build.ntriples_chunks(), handle),
    "nquads": lambda build, handle: _stream_lines(build.nquads_chunks(), handle),
}


def prefixes() -> dict[str, str]:
    """Prefix -> namespace of every export and query, as plain strings."""
    from kg.ontology import PREFIXES

    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


# ---------------------------------------------------------------- RDF


def _turtle(build: Any) -> bytes:
    buffer = io.BytesIO()
    _stream_rdf(build, buffer, "nt", "TURTLE")
    return buffer.getvalue()


def _trig(build: Any) -> bytes:
    buffer = io.BytesIO()
    _stream_rdf(build, buffer, "nq", "TRIG")
    return buffer.getvalue()


def sorted_prefix_lines(data: bytes) -> bytes:
    """Oxigraph writes the prefix lines in hash-map order; sort them so bytes are stable."""
    lines = data.split(b"\n")
    count = 0
    while count < len(lines) and lines[count].startswith(b"@prefix "):
        count += 1
    return b"\n".join(sorted(lines[:count]) + lines[count:])


def _jsonld(build: Any) -> bytes:
    """JSON-LD with a real context (terms, ``@vocab``, typed values): :mod:`kg.jsonld`."""
    from kg.jsonld import serialize as jsonld

    return jsonld(build)


# ---------------------------------------------------------------- Turtle and TriG in blocks


@dataclass(frozen=True)
class Blocks:
    """One named graph as Oxigraph writes it, without the prefix lines: its TriG block
    (``name {`` … ``}``) and its Turtle subject blocks, each with its subject (N-Triples);
    and its counts (:class:`kg.stats.Tally`), which add up to the union's.

    Oxigraph writes a subject's triples as one block that depends on those triples only,
    and a graph's TriG block on that graph only; so the files of the whole build can be
    put together from blocks kept per graph (:func:`write_from_blocks`), and an
    incremental build writes anew only the blocks of what changed.
    """

    trig: str
    turtle: list[tuple[str, str]]
    tally: Tally


_BLOCK = re.compile(r"[^\t\n][^\n]*\n(?:\t[^\n]*\n)*")
"""A Turtle subject block: a line at the margin, then its indented lines (Oxigraph
escapes line breaks inside literals, so a block never holds a raw one)."""


def _oxigraph_text(data: str, source: str, out: str) -> str:
    """``data`` (N-Triples or N-Quads) as Oxigraph writes it in format ``out``, without its
    prefix lines."""
    import pyoxigraph as ox

    buffer = io.BytesIO()
    quads = ox.parse(data.encode(), format=getattr(ox.RdfFormat, source))
    ox.serialize(quads, buffer, format=getattr(ox.RdfFormat, out), prefixes=prefixes())
    text = buffer.getvalue().decode()
    at = 0
    while text.startswith("@prefix ", at):
        at = text.index("\n", at) + 1
    return text[at:]


def turtle_blocks(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(subject, Turtle block) of the distinct N-Triples ``lines``, in the order of the
    sorted lines. Raises ``ValueError`` if the blocks do not match the subjects one for
    one (an inlined blank node would), so that the caller writes the file whole."""
    ordered = sorted(set(lines))
    subjects: list[str] = []
    for line in ordered:
        subject = line[: line.index(" ")]
        if not subjects or subjects[-1] != subject:
            subjects.append(subject)
    body = _oxigraph_text("".join(f"{line}\n" for line in ordered), "N_TRIPLES", "TURTLE")
    found = _BLOCK.findall(body)
    if len(found) != len(subjects) or sum(map(len, found)) != len(body):
        raise ValueError("Turtle blocks do not match the subjects")
    return list(zip(subjects, found, strict=True))


def graph_blocks(graph: str, lines: Iterable[str]) -> Blocks:
    """The :class:`Blocks` of the named graph ``graph`` (its IRI as N-Triples)."""
    from kg.stats import tally

    ordered = sorted(set(lines))
    quads = "".join(f"{line[:-2]} {graph} .\n" for line in ordered)
    trig = _oxigraph_text(quads, "N_QUADS", "TRIG")
    return Blocks(trig, turtle_blocks(ordered), tally(ordered))


def build_blocks(build: Any, known: dict[str, Blocks] | None = None) -> dict[str, Blocks]:
    """The :class:`Blocks` of every graph of ``build``: those in ``known`` (a cache's)
    as they are, the others written now."""
    known = known or {}
    return {
        graph: known[graph] if graph in known else graph_blocks(graph, lines)
        for graph, lines in build.graphs.items()
    }


@functools.cache
def _prefix_lines() -> str:
    """The prefix lines Oxigraph writes first, sorted (see :func:`sorted_prefix_lines`)."""
    import pyoxigraph as ox

    buffer = io.BytesIO()
    one = b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    ox.serialize(
        ox.parse(one, format=ox.RdfFormat.N_TRIPLES),
        buffer,
        format=ox.RdfFormat.TURTLE,
        prefixes=prefixes(),
    )
    head = [line for line in buffer.getvalue().decode().split("\n") if line.startswith("@prefix ")]
    return "".join(f"{line}\n" for line in sorted(head))


def write_from_blocks(
    build: Any,
    fmt: str,
    handle: BinaryIO,
    blocks: dict[str, Blocks],
    ordered: Callable[[str], list[str]] | None = None,
    shared: dict[str, list[str]] | None = None,
) -> None:
    """Write ``build`` as Turtle or TriG put together from ``blocks`` (:func:`build_blocks`):
    the bytes of :func:`write` (tests/test_buildcache.py compares them).

    TriG is the graphs' blocks in IRI order. Turtle is the subjects' blocks in the order of
    the sorted union; a subject in several graphs (a shared district, an official the
    derived graph adds to) is written anew from the union of its lines, found in each
    graph's sorted lines (``ordered(graph)``; sorted here when not given). ``shared`` is
    :func:`kg.stats.shared_subjects` of the blocks, when the caller has it.
    """
    if fmt == "trig":
        parts = [blocks[graph].trig for graph in sorted(build.graphs) if build.graphs[graph]]
    elif fmt == "turtle":
        try:
            lines = ordered or (lambda graph: sorted(build.graphs[graph]))
            parts = _union_blocks(blocks, lines, shared)
        except ValueError:
            write(build, fmt, handle)
            return
    else:
        raise ValueError(f"no blocks for format {fmt!r}")
    if not parts:
        return
    handle.write(_prefix_lines().encode())
    for at in range(0, len(parts), 2000):
        handle.write("".join(parts[at : at + 2000]).encode())


def _union_blocks(
    blocks: dict[str, Blocks],
    ordered: Callable[[str], list[str]],
    shared: dict[str, list[str]] | None,
) -> list[str]:
    from kg.stats import lines_about, shared_subjects

    alone: dict[str, str | None] = {}
    for found in blocks.values():
        for subject, text in found.turtle:
            alone[subject] = text if subject not in alone else None
    if shared is None:
        shared = shared_subjects(subject_lists(blocks))
    if shared:
        lines = {
            line for graph, mine in shared.items() for line in lines_about(ordered(graph), mine)
        }
        alone.update(turtle_blocks(lines))
    return [cast(str, alone[subject]) for subject in sorted(alone, key=lambda s: s + " ")]


def subject_lists(blocks: dict[str, Blocks]) -> dict[str, list[str]]:
    """Graph -> its subjects (N-Triples), from its Turtle blocks."""
    return {graph: [subject for subject, _ in found.turtle] for graph, found in blocks.items()}


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


def flat_graph(graph: nx.MultiDiGraph, *, drawing: bool = False) -> nx.MultiDiGraph:
    """A copy of the graph whose attributes are only strings, numbers and booleans.

    A metric's ``value`` becomes a number (Gephi ranks and sizes by numbers, not by
    text) and ``value_text`` keeps it exactly as written. With ``drawing``, each node
    also gets the viewer's position (``x``, ``y``), colour (``color``, hex) and size.
    """
    import networkx as nx

    flat = nx.MultiDiGraph()
    drawn = _drawing(graph) if drawing else {}
    for node, attrs in graph.nodes(data=True):
        values = {k: flat_value(v) for k, v in attrs.items()}
        if isinstance(attrs.get("value"), str):
            values["value_text"] = attrs["value"]
            values["value"] = float(attrs["value"])
        flat.add_node(
            node, **{k: v for k, v in values.items() if v is not None}, **drawn.get(node, {})
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


def _drawing(graph: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Each node's place, colour and size as the viewer draws it (kg.viz, kg.schema)."""
    from kg.schema import classes
    from kg.viz import layout

    styles = {name: info.style for name, info in classes().items()}
    out = {}
    for node, (x, y) in layout(graph).items():
        style = styles.get(graph.nodes[node].get("type", ""))
        color = style.color if style else "#8c8c8c"
        out[node] = {
            "x": float(x),
            "y": float(y),
            "color": color,
            "size": float(style.size if style else 11),
        }
    return out


def _graphml(build: Any) -> bytes:
    """GraphML with typed keys whose ids say their scope (``node.label``, ``edge.label``):
    networkx's named ids gave a node and an edge attribute of one name the same id."""
    from networkx.readwrite.graphml import GraphMLWriter

    class Writer(GraphMLWriter):  # type: ignore[misc]
        def get_key(self, name: str, attr_type: str, scope: str, default: Any) -> str:
            keys_key = (name, attr_type, scope)
            if keys_key not in self.keys:
                self.keys[keys_key] = f"{scope}.{name}"
                element = self.myElement(
                    "key",
                    **{
                        "id": f"{scope}.{name}",
                        "for": scope,
                        "attr.name": name,
                        "attr.type": attr_type,
                    },
                )
                self.xml.insert(0, element)
            return self.keys[keys_key]

    writer = Writer(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(flat_graph(build.graph, drawing=True))
    return "\n".join(str(writer).splitlines()).encode("utf-8") + b"\n"


def _gexf(build: Any) -> bytes:
    """GEXF 1.2 with the viewer's layout and colours as ``viz:position``/``viz:color``, and
    no ``lastmodifieddate``: the same facts give the same bytes on any day."""
    from networkx.readwrite.gexf import GEXFWriter

    import kg

    flat = flat_graph(build.graph, drawing=True)
    for _, attrs in flat.nodes(data=True):
        color = attrs.pop("color")
        red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
        attrs["viz"] = {
            "color": {"r": red, "g": green, "b": blue, "a": 1.0},
            "position": {"x": attrs.pop("x"), "y": -attrs.pop("y"), "z": 0.0},
            "size": attrs.pop("size"),
        }
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(flat)
    meta = writer.xml.find("meta")
    if meta is not None:
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = f"Jiedao KG {kg.__version__}"
    return "\n".join(str(writer).splitlines()).encode("utf-8") + b"\n"


def _csv_nodes(build: Any, *, excel: bool = False) -> bytes:
    from kg.present import to_csv

    flat = flat_graph(build.graph)
    columns = sorted({k for _, a in flat.nodes(data=True) for k in a} - {"label", "type"})
    rows = [
        [node, attrs.get("label", ""), attrs.get("type", ""), *(attrs.get(c, "") for c in columns)]
        for node, attrs in sorted(flat.nodes(data=True))
    ]
    return to_csv(["id", "label", "type", *columns], rows, excel=excel).encode("utf-8")


def _csv_edges(build: Any, *, excel: bool = False) -> bytes:
    """One row per relation, with the labels of both ends beside their IRIs."""
    from kg.present import to_csv

    flat = flat_graph(build.graph)
    labels = {node: attrs.get("label", "") for node, attrs in flat.nodes(data=True)}
    columns = [
        "source",
        "source_label",
        "relation",
        "label",
        "target",
        "target_label",
        "evidence",
    ]
    rows = [
        [
            u,
            labels.get(u, ""),
            key,
            attrs.get("label", ""),
            v,
            labels.get(v, ""),
            attrs.get("evidence", ""),
        ]
        for u, v, key, attrs in sorted(flat.edges(keys=True, data=True), key=lambda e: e[:3])
    ]
    return to_csv(columns, rows, excel=excel).encode("utf-8")


def _void(build: Any) -> bytes:
    """The VoID/DCAT description of the dataset (:mod:`kg.dataset`), without its files."""
    from kg.dataset import describe

    return describe(build)


def _annotations(build: Any) -> bytes:
    """The evidence as W3C Web Annotations (:mod:`kg.webannotation`)."""
    from kg.webannotation import serialize as annotations

    return annotations(build)


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
        Format("void", "void.ttl", "text/turtle", lambda build: _void(build)),
        Format(
            "web-annotation",
            "annotations.jsonld",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
            lambda build: _annotations(build),
            rdf=False,
        ),
    )
}
"""Every export format by name, in the order ``kg export --help`` lists them."""
