"""Exports: each RDF format parses back to the same graph; writes are atomic."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import export, publish


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_graph_formats_round_trip(seed_build, tmp_path, fmt):
    path = tmp_path / f"kg.{export.FORMATS[fmt].suffix}"
    publish.write_bytes(path, export.serialize(seed_build, fmt))
    parsed = Graph().parse(path, format="nt" if fmt == "nt" else fmt)
    assert isomorphic(parsed, seed_build.union())


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_dataset_formats_keep_one_graph_per_article(seed_build, tmp_path, fmt):
    path = tmp_path / f"kg.{export.FORMATS[fmt].suffix}"
    publish.write_bytes(path, export.serialize(seed_build, fmt))
    parsed = Dataset()
    parsed.parse(path, format=fmt)
    original = {g.identifier: g for g in seed_build.dataset.graphs() if len(g)}
    loaded = {g.identifier: g for g in parsed.graphs() if len(g)}
    assert set(loaded) == set(original)
    for name, graph in original.items():
        assert isomorphic(loaded[name], graph), name


def test_jsonld_uses_a_local_context(seed_build):
    doc = json.loads(export.serialize(seed_build, "json-ld"))
    assert isinstance(doc["@context"], dict)
    assert doc["@context"]["kg"] == "https://w3id.org/jiedao-kg/ontology#"


def test_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "kg.ttl"
    target.write_text("old")

    with pytest.raises(RuntimeError), publish.atomic_open(target) as handle:
        handle.write(b"half a file")
        raise RuntimeError("disk on fire")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]


def test_dash_writes_to_stdout(seed_build, capfdbinary):
    publish.write_bytes("-", export.serialize(seed_build, "nt"))
    out = capfdbinary.readouterr().out
    assert out.count(b"\n") == len(seed_build.union())


def test_graphml_loads_back_with_string_and_number_attributes(seed_build, tmp_path):
    import networkx as nx

    path = tmp_path / "kg.graphml"
    publish.write_bytes(path, export.serialize(seed_build, "graphml"))
    loaded = nx.read_graphml(path, force_multigraph=True)
    assert set(loaded.nodes) == set(seed_build.graph.nodes)
    assert loaded.number_of_edges() == seed_build.graph.number_of_edges()
    for node, attrs in loaded.nodes(data=True):
        assert attrs["label"] == seed_build.graph.nodes[node]["label"]
        assert all(isinstance(v, str | int | float | bool) for v in attrs.values())


def test_gexf_loads_back(seed_build, tmp_path):
    import networkx as nx

    path = tmp_path / "kg.gexf"
    publish.write_bytes(path, export.serialize(seed_build, "gexf"))
    loaded = nx.read_gexf(path)
    assert set(loaded.nodes) == set(seed_build.graph.nodes)
    assert loaded.number_of_edges() == seed_build.graph.number_of_edges()


def test_csv_nodes_and_edges(seed_build):
    import csv
    import io

    nodes = list(csv.DictReader(io.StringIO(
        export.serialize(seed_build, "csv-nodes").decode())))
    edges = list(csv.DictReader(io.StringIO(
        export.serialize(seed_build, "csv-edges").decode())))
    assert len(nodes) == seed_build.graph.number_of_nodes()
    assert len(edges) == seed_build.graph.number_of_edges()
    assert {"雷新钱", "锦南街道"} <= {n["label"] for n in nodes}
    assert all(e["evidence"] for e in edges)


def test_written_files_get_the_usual_mode_not_private(tmp_path):
    import os

    target = tmp_path / "kg.ttl"
    publish.write_bytes(target, b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
