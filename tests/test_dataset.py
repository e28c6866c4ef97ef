"""kg build writes out/void.ttl: a VoID/DCAT description a triple-store admin can trust
(counts, files with checksums, sources, licence, the SPARQL examples)."""

from __future__ import annotations

import doctest
import hashlib

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SH, XSD

import kg
from kg import dataset
from kg.dataset import DATASET, DCAT, SPDX, VOID
from kg.schema import classes
from tests.conftest import DATA


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    """A real 'kg build' into a fresh folder, with a fixed build time."""
    from kg.outputs import build_outputs

    target = tmp_path_factory.mktemp("void") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1583020800")
        build_outputs(DATA, target, html=False)
    return target


@pytest.fixture(scope="module")
def void(out) -> Graph:
    return Graph().parse(out / "void.ttl", format="turtle", publicID=(out / "void.ttl").as_uri())


def test_module_doctests():
    assert doctest.testmod(dataset).failed == 0


def test_it_describes_the_dataset(void):
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    assert void.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert "publishers' rights" in str(void.value(DATASET, DCTERMS.rights))
    assert str(void.value(DATASET, DCAT.version)) == kg.__version__
    assert void.value(DATASET, DCTERMS.created) == Literal(
        "2020-03-01T00:00:00Z", datatype=XSD.dateTime
    )  # SOURCE_DATE_EPOCH 1583020800


def test_counts_are_the_builds(void, seed_build):
    assert int(void.value(DATASET, VOID.triples)) == seed_build.triple_count
    partitions = {
        void.value(p, VOID["class"]): int(void.value(p, VOID.entities))
        for p in void.objects(DATASET, VOID.classPartition)
    }
    assert partitions[classes()["Official"].iri] == seed_build.count(classes()["Official"].iri)
    assert all(
        partitions[info.iri] == seed_build.count(info.iri)
        for info in classes().values()
        if seed_build.count(info.iri)
    )
    by_property = {
        void.value(p, VOID.property): int(void.value(p, VOID.triples))
        for p in void.objects(DATASET, VOID.propertyPartition)
    }
    assert sum(by_property.values()) == seed_build.triple_count


def test_files_are_listed_with_size_and_checksum(void, out):
    dumps = sorted(void.objects(DATASET, VOID.dataDump))
    assert dumps == sorted(URIRef((out / n).as_uri()) for n in ("kg.trig", "kg.ttl"))
    for node in void.objects(DATASET, DCAT.distribution):
        url = void.value(node, DCAT.downloadURL)
        data = (out / str(url).rsplit("/", 1)[-1]).read_bytes()
        assert int(void.value(node, DCAT.byteSize)) == len(data)
        checksum = void.value(node, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()


def test_sources_are_the_articles_with_their_sha256(void, seed_build):
    sources = set(void.objects(DATASET, DCTERMS.source))
    for article in seed_build.corpus.articles.values():
        node = URIRef(f"https://w3id.org/jiedao-kg/id/article/{article.id}")
        assert node in sources
        checksum = void.value(node, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == article.sha256
    assert URIRef("https://w3id.org/jiedao-kg/id/dataset/mca-xzqh") in sources


def test_the_sparql_examples_run(void, seed_build):
    from kg.sparql import named_queries

    examples = list(void.subjects(RDF.type, SH.SPARQLSelectExecutable))
    assert len(examples) == len(named_queries())
    for example in examples:
        result = kg.query(seed_build, str(void.value(example, SH.select)))
        assert result.vars


def test_void_is_byte_stable_for_a_fixed_time(seed_build, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1583020800")
    assert kg.export.serialize(seed_build, "void") == kg.export.serialize(seed_build, "void")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1583107200")
    assert b"2020-03-02T00:00:00Z" in kg.export.serialize(seed_build, "void")
