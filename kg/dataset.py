"""What a triple-store admin and a reviewer look for: a VoID/DCAT description of the data.

``kg build`` writes ``out/void.ttl`` beside ``kg.ttl`` and ``kg.trig``: the dataset's
title, licence and rights, version, creation time, the ontology it conforms to, its
sources (each article with its file and SHA-256; the official division table), counts
(triples, entities, per class and per property, as VoID partitions), its files (size,
media type, SHA-256) and the competency questions as SPARQL examples
(``sh:SPARQLSelectExecutable``, as the SIB SPARQL-examples convention writes them).

The licence: the annotations (fact files) and the graph made from them are CC BY 4.0;
the article texts, and so the quotes, keep their publishers' rights and are quoted for
research (see the README).

The creation time is the build's: ``SOURCE_DATE_EPOCH`` (the reproducible-builds
convention) when set, else now; with it fixed, the file is byte-stable.

>>> import kg
>>> from rdflib import Graph
>>> text = describe(kg.build("data", validate=False), created="2020-03-02T00:00:00Z")
>>> g = Graph().parse(data=text, format="turtle")
>>> str(g.value(DATASET, DCT.license))
'https://creativecommons.org/licenses/by/4.0/'
"""

from __future__ import annotations

import hashlib
import io
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef

from kg.ontology import DCT, KG, KGR, PREFIXES, SCHEMA

if TYPE_CHECKING:
    from kg.stats import Tally

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SH = Namespace("http://www.w3.org/ns/shacl#")
DATASET = KGR["dataset/jiedao-kg"]
ONTOLOGY = URIRef("https://w3id.org/jiedao-kg/ontology")
DATA_LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
RIGHTS = (
    "The annotations (data/facts) and the graph built from them are licensed CC BY 4.0. "
    "The article texts, and so the quotes in the graph, remain under their publishers' "
    "rights; they are quoted for research on local governance."
)
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".trig": "application/trig",
    ".nt": "application/n-triples",
    ".nq": "application/n-quads",
    ".jsonld": "application/ld+json",
}
_RELATIVE = "urn:x-jiedao-kg-relative:"
"""Stands for "relative to void.ttl" while the description is a graph (see :func:`_turtle`)."""
_PREFIXES = {**PREFIXES, "void": VOID, "dcat": DCAT, "spdx": SPDX, "sh": SH}
__all__ = ["DATASET", "created_now", "describe"]


def created_now() -> str:
    """The build's time as xsd:dateTime: ``SOURCE_DATE_EPOCH`` when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def describe(
    build: Any,
    files: Mapping[str, Path] | None = None,
    *,
    created: str | None = None,
    union: Tally | None = None,
) -> bytes:
    """The VoID/DCAT description of ``build`` as Turtle; ``files`` are its published
    files by name (``kg.ttl`` -> its path), described as distributions (size, SHA-256:
    read in blocks, never held whole). ``union`` is the :class:`kg.stats.Tally` of the
    build's lines when the caller has it (:func:`kg.stats.union_tally`)."""
    import kg
    from kg.schema import classes
    from kg.sparql import named_queries

    g = Graph()
    for prefix, ns in _PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCT.title, Literal("Jiedao KG", lang="en")))
    g.add((d, DCT.title, Literal("街道知识图谱", lang="zh")))
    g.add(
        (
            d,
            DCT.description,
            Literal(
                "Officials, subdistricts (街道), enterprises, initiatives and metrics of "
                "China's subdistricts, every fact tied to the sentence of its source article.",
                lang="en",
            ),
        )
    )
    g.add((d, DCT.license, DATA_LICENSE))
    g.add((d, DCT.rights, Literal(RIGHTS, lang="en")))
    g.add((d, DCAT.version, Literal(kg.__version__)))
    g.add((d, OWL.versionInfo, Literal(kg.__version__)))
    when = Literal(created or created_now(), datatype=XSD.dateTime, normalize=False)
    g.add((d, DCT.created, when))
    g.add((d, DCT.conformsTo, URIRef(f"{ONTOLOGY}/{kg.__version__}")))
    for ns in ("kg", "org", "prov", "qb", "skos", "schema", "foaf", "oa", "dct"):
        g.add((d, VOID.vocabulary, URIRef(str(PREFIXES[ns]))))
    _sources(g, build)
    _counts(g, build, classes(), union)
    for name, data in sorted((files or {}).items()):
        _distribution(g, name, data)
    for query in named_queries().values():
        node = KGR[f"query/{query.name}"]
        g.add((node, RDF.type, SH.SPARQLExecutable))
        g.add((node, RDF.type, SH.SPARQLSelectExecutable))
        g.add((node, RDFS.label, Literal(query.name)))
        g.add((node, RDFS.comment, Literal(query.question, lang="en")))
        g.add((node, SH.select, Literal(query.text)))
        g.add((node, SCHEMA.target, d))
    return _turtle(g, _source_lines(build))


def _turtle(g: Graph, more: list[str]) -> bytes:
    """``g`` as Turtle written by Oxigraph from its sorted N-Triples: byte-stable, and fast
    (rdflib's Turtle writer took seconds for the 3,000 sources of a million-triple build).

    ``more`` are N-Triples lines to add (:func:`_source_lines`). The files are named by
    relative IRIs (``<kg.ttl>``), which N-Triples cannot hold: they
    are :data:`_RELATIVE` IRIs until the text is written, then made relative again.
    """
    import pyoxigraph as ox

    from kg.export import sorted_prefix_lines

    lines = sorted({line for line in g.serialize(format="nt").splitlines() if line} | set(more))
    data = "".join(f"{line}\n" for line in lines).encode()
    quads = ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    names = {prefix: str(ns) for prefix, ns in _PREFIXES.items()}
    out = io.BytesIO()
    ox.serialize(quads, out, format=ox.RdfFormat.TURTLE, prefixes=names)
    return sorted_prefix_lines(out.getvalue().replace(f"<{_RELATIVE}".encode(), b"<"))


def _checksum(g: Graph, node: Any, digest: str) -> None:
    checksum = BNode(f"sha256-{digest[:16]}")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(digest)))


def _source_lines(build: Any) -> list[str]:
    """Each article as a source of the dataset (title, file, SHA-256, publisher), as
    N-Triples lines made directly: as rdflib triples, the 24 k of them at 3,000 articles
    were most of the description's time. :func:`_turtle` sorts them with the rest."""
    from kg.rdf import article_iri, nt_literal

    lines: list[str] = []
    for f in build.corpus.files:
        article = f.article
        node = f"<{article_iri(article.id)}>"
        checksum = f"_:sha256-{article.sha256[:16]}"  # as _checksum names it
        lines += [
            f"<{DATASET}> <{DCT.source}> {node} .",
            f"{node} <{RDF.type}> <{KG.Article}> .",
            f"{node} <{DCT.title}> {nt_literal(article.title, lang='zh')} .",
            f"{node} <{KG.file}> {nt_literal(f'articles/{article.file}')} .",
            f"{node} <{KG.sha256}> {nt_literal(article.sha256)} .",
            f"{node} <{SPDX.checksum}> {checksum} .",
            f"{checksum} <{SPDX.algorithm}> <{SPDX.checksumAlgorithm_sha256}> .",
            f"{checksum} <{SPDX.checksumValue}> {nt_literal(article.sha256)} .",
        ]
        if article.source:
            lines.append(f"{node} <{DCT.publisher}> {nt_literal(article.source, lang='zh')} .")
        url = getattr(article, "url", None)
        if url:
            lines.append(f"{node} <{DCAT.landingPage}> <{url}> .")
    return lines


def _sources(g: Graph, build: Any) -> None:
    from kg.rdf import DATASET_IRI

    if build.reference.divisions:
        from kg import gazetteer

        g.add((DATASET, DCT.source, DATASET_IRI))
        g.add((DATASET_IRI, RDF.type, KG.ReferenceDataset))
        g.add((DATASET_IRI, DCT.title, Literal(gazetteer.SOURCE["dataset"], lang="zh")))
        g.add((DATASET_IRI, DCT.publisher, Literal(gazetteer.SOURCE["publisher"], lang="en")))


def _counts(g: Graph, build: Any, classes: Mapping[str, Any], union: Tally | None) -> None:
    from kg.stats import tally

    union = union if union is not None else tally(build.distinct)
    predicates = union.predicates
    g.add((DATASET, VOID.triples, Literal(union.triples)))
    g.add((DATASET, VOID.distinctSubjects, Literal(union.subjects)))
    g.add((DATASET, VOID.properties, Literal(len(predicates))))
    # distinct entities: the nodes a fact file or the division table names
    # (those of the files, and the table's divisions no article names: build.reference)
    named = {e.id for e in build.corpus.entities()} | {m.id for m in build.reference.mentions}
    g.add((DATASET, VOID.entities, Literal(len(named))))
    for name, info in classes.items():
        count = union.types.get(f"<{info.iri}>", 0)
        if not count:
            continue
        part = BNode(f"class-{name}")
        g.add((DATASET, VOID.classPartition, part))
        g.add((part, VOID["class"], info.iri))
        g.add((part, VOID.entities, Literal(count)))
    for predicate, count in sorted(predicates.items()):
        part = BNode(f"property-{hashlib.sha256(predicate.encode()).hexdigest()[:12]}")
        g.add((DATASET, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(predicate)))
        g.add((part, VOID.triples, Literal(count)))


def _distribution(g: Graph, name: str, path: Path) -> None:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    node = BNode(f"file-{name}")
    url = URIRef(_RELATIVE + name)  # relative: resolved against where void.ttl is read from
    g.add((DATASET, DCAT.distribution, node))
    g.add((DATASET, VOID.dataDump, url))
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCAT.downloadURL, url))
    g.add((node, DCT.title, Literal(name)))
    g.add((node, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
    media = MEDIA_TYPES.get(os.path.splitext(name)[1])
    if media:
        g.add(
            (node, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{media}"))
        )
    _checksum(g, node, digest.hexdigest())
