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
import hashlib
import os
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, Graph, Namespace

from kg.errors import KgError
from kg.ontology import PREFIXES, resource_dir

SH = Namespace("http://www.w3.org/ns/shacl#")
CHUNK_TRIPLES = 2_500
"""Triples per rudof run. rudof holds ~16 KB per triple of a run (the type lines of the
objects a run points at come on top) and keeps it for the next run of its thread, so this
sets validation's memory: at 114 k triples, two threads, 10 k cost 300 MB above the build,
2.5 k 143 MB, at about the same speed (bench/README.md); 1.5 k is much slower."""
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


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL violation as the engine reports it (IRIs and terms as plain text)."""

    focus: str
    path: str | None
    component: str
    """The constraint component's local name: ``MinCount``, ``Class``, ``In``…"""
    value: str | None
    message: str


@dataclass(frozen=True)
class Node:
    """What a violation should name for a focus node: where it was written, how to call
    it (``metric 'm003-x'``), and where each of its fact keys was written."""

    where: object
    name: str
    keys: Mapping[str, object] = field(default_factory=dict)


_engines = threading.local()


def _engine() -> Any:
    """One rudof engine per thread with the shapes read once (reading them per chunk
    was a tenth of the time of a small chunk)."""
    import pyrudof

    engine = getattr(_engines, "engine", None)
    if engine is None:
        engine = pyrudof.Rudof(pyrudof.RudofConfig())
        engine.read_shacl(shapes_text(), format=pyrudof.ShaclFormat.Turtle)
        _engines.engine = engine
    return engine


def _validate(data: str) -> list[Violation]:
    """Every violation of ``data`` (N-Triples), by rudof."""
    import pyrudof

    engine = _engine()
    engine.reset_data()
    engine.read_data(data, format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    report = engine.validate_shacl()
    if report.conforms:
        return []
    return [
        Violation(
            str(entry.focus_node),
            str(entry.path) if entry.path else None,
            str(entry.constraint_component).rsplit("#", 1)[-1].removesuffix("ConstraintComponent"),
            str(entry.value) if entry.value is not None else None,
            " ".join(str(entry.message).strip('"').split()),
        )
        for entry in report
        if str(entry.severity) == "Violation"
    ]


def _threads() -> int:
    return max(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2)


def find(data: Graph | bytes | str, *, chunk_triples: int = CHUNK_TRIPLES) -> list[Violation]:
    """Every violation of ``data`` (an rdflib graph or N-Triples), in chunks of subjects
    when the shapes allow it (:func:`chunkable`), else in one piece."""
    from kg.ontology import shapes_graph

    if isinstance(data, Graph):
        data = data.serialize(format="nt11", encoding="utf-8")
    if isinstance(data, bytes):
        data = data.decode()
    lines = sorted({line for line in data.splitlines() if line.strip()})
    if not lines:
        return []
    if len(lines) <= chunk_triples or not chunkable(shapes_graph()):
        return _validate("\n".join(lines) + "\n")
    jobs = list(_chunks(lines, chunk_triples))
    with ThreadPoolExecutor(max_workers=_threads()) as pool:
        results = pool.map(lambda job: _validate("\n".join(job[0]) + "\n"), jobs)
        return [
            v
            for (_, subjects), result in zip(jobs, results, strict=True)
            for v in result
            if f"<{v.focus}>" in subjects
        ]


def violations(
    data: Graph | bytes | str,
    where: Mapping[str, object] | None = None,
    *,
    chunk_triples: int = CHUNK_TRIPLES,
) -> list[str]:
    """Readable lines, one per SHACL violation, sorted.

    ``data`` is an rdflib graph or N-Triples. ``where`` maps a node's IRI to the place it
    was written (a fact file position, or a :class:`Node`), so a violation points at the
    YAML the user must fix, not only at an IRI.
    """
    return describe(find(data, chunk_triples=chunk_triples), where)


def describe(found: Iterable[Violation], where: Mapping[str, object] | None = None) -> list[str]:
    """One line per violation: ``file:line:col: metric 'm1': 'refArea' is missing (…)``.

    The phrase says what is wrong in terms of the fact file's key
    (``ontology/shacl-phrases.yaml``); the shape's own ``sh:message`` follows in brackets.
    """
    phrases = _phrases()
    own = shape_messages()
    keys = _fact_keys()
    out = set()
    for v in found:
        node = (where or {}).get(v.focus)
        if node is not None and not isinstance(node, Node):
            node = Node(node, compact(v.focus))
        key = keys.get(v.path or "", compact(v.path) if v.path else "")
        template = phrases["components"].get(v.component, phrases["default"])
        if not v.path and "{key}" in template:
            template = phrases["default"]
        value = _short(v.value) if v.value is not None else "?"
        what = template.format(key=key, value=value)
        detail = own.get(v.path or "", v.message)
        name = node.name if node else compact(v.focus)
        at = node.keys.get(key, node.where) if node else None
        prefix = f"{at}: " if at is not None else ""
        out.add(f"{prefix}{name}: {what} ({detail})")
    return sorted(out)


def _short(term: str) -> str:
    """A refused value as the user reads it: an id for our IRIs, the literal as written."""
    if term.startswith(("http://", "https://")):
        return compact(term)
    if term.startswith('"') and term.rfind('"') > 0:
        term = term[: term.rfind('"') + 1]  # the literal as written, without tag or type
    return term if len(term) <= 60 else term[:56] + '..."'


@functools.cache
def _phrases() -> dict[str, Any]:
    import yaml

    text = (resource_dir("ontology") / "shacl-phrases.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@functools.cache
def _fact_keys() -> dict[str, str]:
    """Property IRI -> the fact-file key that writes it."""
    from kg.schema import properties

    found = {str(spec.iri): key for key, spec in properties().items()}
    found.update(_phrases()["keys"])
    return found


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


# ---------------------------------------------------------------- per article


@dataclass
class Job:
    """Lines to validate together, and the subjects whose violations they decide."""

    key: str
    lines: list[str]
    subjects: set[str]


def graph_jobs(graphs: Mapping[str, Iterable[str]]) -> tuple[dict[str, Job], Job]:
    """Split a build into shape jobs that give the same answer as the whole graph.

    A subject whose triples are all in one named graph (almost all of them: an article's
    statements, evidence, metrics…) is decided by that graph's lines about it plus the
    ``rdf:type`` of the nodes they point at (:func:`chunkable`). So each graph is a job of
    its own subjects; the subjects found in several graphs (a role or district named by
    many articles, a concept) form one more job over their union. Each job's key is the
    SHA-256 of everything it reads, so an unchanged job's answer can be reused.
    """
    owner: dict[str, str | None] = {}
    types: dict[str, set[str]] = defaultdict(set)
    for graph, lines in graphs.items():
        for line in lines:
            subject, predicate, _ = line.split(" ", 2)
            seen = owner.get(subject, graph)
            owner[subject] = graph if seen == graph else None
            if predicate == _TYPE:
                types[subject].add(line)
    jobs: dict[str, Job] = {}
    shared_lines: set[str] = set()
    for graph, lines in graphs.items():
        own = []
        for line in lines:
            if owner[line.split(" ", 1)[0]] == graph:
                own.append(line)
            else:
                shared_lines.add(line)
        jobs[graph] = _job(sorted(own), types)
    return jobs, _job(sorted(shared_lines), types)


def _job(lines: list[str], types: Mapping[str, set[str]]) -> Job:
    subjects = {line.split(" ", 1)[0] for line in lines}
    extra: set[str] = set()
    for line in lines:
        obj = line.split(" ", 2)[2][:-2]
        if obj.startswith("<") and obj not in subjects:
            extra.update(types.get(obj, ()))
    extra.difference_update(lines)
    digest = hashlib.sha256(b"kg-shapes\n")
    for line in lines:
        digest.update(line.encode() + b"\n")
    digest.update(b"\0")
    for line in sorted(extra):
        digest.update(line.encode() + b"\n")
    return Job(digest.hexdigest(), lines + sorted(extra), subjects)


def run_jobs(
    jobs: Iterable[Job], *, chunk_triples: int = CHUNK_TRIPLES
) -> dict[str, list[Violation]]:
    """Each job's violations, by key. Small jobs share a rudof run (each run has a fixed
    cost of a few tenths of a second), split back by focus node; a job larger than a run
    (the derived facts, the subjects articles share) is cut into runs of its subjects, as
    :func:`find` cuts a graph. Runs go in threads; rudof holds ~16 KB per triple of a run,
    so the size of a run, not of the build, sets the memory validation needs."""
    from kg.ontology import shapes_graph

    todo = [job for job in jobs if job.lines]
    results: dict[str, list[Violation]] = {job.key: [] for job in jobs}
    if not todo:
        return results
    if not chunkable(shapes_graph()):
        raise ValueError("these shapes cannot be checked per graph; validate the union")
    # (job, lines to validate, subjects of the job whose violations these lines decide)
    pieces: list[tuple[Job, list[str], set[str]]] = []
    for job in todo:
        if len(job.lines) <= chunk_triples:
            pieces.append((job, job.lines, job.subjects))
        else:  # the type lines a job reads about other nodes come along, but never count
            pieces += [
                (job, lines, s & job.subjects) for lines, s in _chunks(job.lines, chunk_triples)
            ]
    batches: list[list[tuple[Job, list[str], set[str]]]] = [[]]
    size = 0
    for piece in pieces:
        if batches[-1] and size + len(piece[1]) > chunk_triples:
            batches.append([])
            size = 0
        batches[-1].append(piece)
        size += len(piece[1])

    def run(batch: list[tuple[Job, list[str], set[str]]]) -> list[Violation]:
        lines: dict[str, None] = {}
        for _, piece, _ in batch:
            lines.update(dict.fromkeys(piece))
        return _validate("\n".join(lines) + "\n")

    with ThreadPoolExecutor(max_workers=_threads()) as pool:
        for batch, found in zip(batches, pool.map(run, batches), strict=True):
            for v in found:
                focus = f"<{v.focus}>"
                for job, _, subjects in batch:
                    if focus in subjects:
                        results[job.key].append(v)
                        break
    return results


def encode(found: Iterable[Violation]) -> list[list[str | None]]:
    """Violations as JSON data (for the build cache)."""
    return [[v.focus, v.path, v.component, v.value, v.message] for v in found]


def decode(data: Any) -> list[Violation]:
    """The inverse of :func:`encode`; ``TypeError``/``ValueError`` when malformed."""
    out = []
    for focus, path, component, value, message in data:
        if not all(isinstance(x, str) for x in (focus, component, message)):
            raise TypeError("violation")
        out.append(Violation(focus, path, component, value, message))
    return out
