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


# ---------------------------------------------------------------- graph tools (issue 15)


def _xml(data: bytes):
    import xml.etree.ElementTree as ET

    return ET.fromstring(data)


def test_graphml_keys_have_distinct_ids_and_numbers_are_typed(seed_build):
    root = _xml(export.serialize(seed_build, "graphml"))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = root.findall(f"{ns}key")
    ids = [k.get("id") for k in keys]
    assert len(ids) == len(set(ids))
    scopes = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert ("node", "label") in scopes and ("edge", "label") in scopes  # same name, two keys
    assert scopes[("node", "value")] == "double" and scopes[("node", "value_text")] == "string"
    assert scopes[("node", "x")] == scopes[("node", "y")] == "double"


def test_graphml_loads_in_networkx_with_numeric_values(seed_build, tmp_path):
    import networkx as nx

    path = tmp_path / "kg.graphml"
    path.write_bytes(export.serialize(seed_build, "graphml"))
    loaded = nx.read_graphml(path, force_multigraph=True)
    metric = loaded.nodes["https://w3id.org/jiedao-kg/id/m000-gongye-zongchanzhi"]
    assert metric["value"] == 13.43 and metric["value_text"] == "13.43"
    lei = "https://w3id.org/jiedao-kg/id/lei-xinqian"
    assert loaded.nodes[lei]["color"] == "#d62728"  # the viewer's colour of Official
    assert all(isinstance(a["x"], float) for _, a in loaded.nodes(data=True))
    post = "https://w3id.org/jiedao-kg/id/jinnan-jiedao-dangongwei-shuji"
    assert [e["label"] for e in loaded.get_edge_data(lei, post).values()] == ["担任"]


def test_gexf_has_the_viewers_layout_and_colours_and_no_date(seed_build, tmp_path):
    import networkx as nx

    from kg.schema import classes
    from kg.viz import layout

    data = export.serialize(seed_build, "gexf")
    assert b"lastmodifieddate" not in data
    path = tmp_path / "kg.gexf"
    path.write_bytes(data)
    loaded = nx.read_gexf(path)
    places = layout(seed_build.graph)
    for node, attrs in loaded.nodes(data=True):
        kind = seed_build.graph.nodes[node]["type"]
        color = classes()[kind].style.color
        viz = attrs["viz"]
        assert "#{:02x}{:02x}{:02x}".format(*(viz["color"][c] for c in "rgb")) == color
        assert (viz["position"]["x"], -viz["position"]["y"]) == pytest.approx(places[node])
    metric = loaded.nodes["https://w3id.org/jiedao-kg/id/m000-gongye-zongchanzhi"]
    assert metric["value"] == 13.43  # a number Gephi can rank by


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv-nodes", "csv-edges"])
def test_graph_exports_are_byte_stable(seed_build, fmt):
    from kg.builder import build_corpus

    again = build_corpus(seed_build.corpus)
    assert export.serialize(again, fmt) == export.serialize(seed_build, fmt)


def test_csv_edges_have_labels_on_both_ends(seed_build):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(export.serialize(seed_build, "csv-edges").decode())))
    lei = next(r for r in rows if r["source_label"] == "雷新钱" and r["relation"] == "holds")
    assert (lei["label"], lei["target_label"]) == ("担任", "锦南街道党工委书记")
    assert all(r["source_label"] and r["target_label"] for r in rows)


def test_excel_csv_starts_with_a_byte_order_mark(seed_build, tmp_path):
    from kg.cli import main
    from tests.conftest import DATA

    plain = export.serialize(seed_build, "csv-nodes")
    excel = export.serialize(seed_build, "csv-nodes", excel=True)
    assert not plain.startswith(b"\xef\xbb\xbf") and excel == b"\xef\xbb\xbf" + plain
    target = tmp_path / "edges.csv"
    main(["export", "--data", str(DATA), "--format", "csv-edges", "--excel", "-o", str(target)])
    assert target.read_bytes().startswith(b"\xef\xbb\xbfsource,source_label,")
    assert "雷新钱" in target.read_text("utf-8-sig")
