"""The build on the real seed data: provenance on every fact, determinism, valid IRIs."""

from __future__ import annotations

import re

import networkx as nx
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import export
from kg.builder import build
from kg.ontology import KG, KGR
from kg.rdf import entity_iri
from kg.schema import entity_classes

IRI = re.compile(r"^https://w3id\.org/jiedao-kg/[A-Za-z0-9\-._~%/#]+$")


def test_every_statement_has_evidence_whose_quote_is_at_its_offsets(seed_build):
    union = seed_build.union()
    statements = set(union.subjects(RDF.type, KG.Statement))
    assert len(statements) > 50
    texts = {a.id: a.text for a in seed_build.corpus.articles.values()}
    for st in statements:
        evidences = list(union.objects(st, KG.evidence))
        assert evidences, st
        for ev in evidences:
            if (ev, RDF.type, KG.ReferenceRecord) in union:
                continue  # checked against the official table in test_reference_records
            article = str(
                union.value(
                    union.value(ev, KG.article), URIRef("http://purl.org/dc/terms/identifier")
                )
            )
            start, end = int(union.value(ev, KG.start)), int(union.value(ev, KG.end))
            assert texts[article][start:end] == str(union.value(ev, KG.quote))


def test_every_entity_has_evidence_and_one_label(seed_build):
    union = seed_build.union()
    for node, data in seed_build.graph.nodes(data=True):
        assert data["evidence"], node
        assert (
            len(
                list(
                    union.objects(
                        URIRef(node), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
                    )
                )
            )
            == 1
        )


def test_plain_triple_and_statement_agree(seed_build):
    """Every statement's triple is in the graph, and every fact triple has a statement."""
    union = seed_build.union()
    for st in union.subjects(RDF.type, KG.Statement):
        triple = (
            union.value(st, RDF.subject),
            union.value(st, RDF.predicate),
            union.value(st, RDF.object),
        )
        assert triple in union
    fact_predicates = {KG.holds, KG.postIn, KG.role, KG.partOf, KG.organizedBy, KG.refArea}
    for s, p, o in union:
        if p in fact_predicates:
            assert any(union.triples((None, RDF.subject, s))), (s, p, o)


def test_two_builds_give_byte_identical_turtle_and_trig(seed_build):
    """A second build of the same data writes the same bytes as the session's."""
    second = build("data")
    for fmt in ("turtle", "nt", "trig", "nquads", "json-ld"):
        assert export.serialize(seed_build, fmt) == export.serialize(second, fmt)


def test_iris_are_valid_and_minted_from_ids(seed_build):
    union = seed_build.union()
    for term in {t for triple in union for t in triple}:
        if isinstance(term, URIRef) and str(term).startswith("https://w3id.org/jiedao-kg/"):
            assert IRI.match(str(term)), term
    assert entity_iri("lei-xinqian") == KGR["lei-xinqian"]
    assert entity_iri("a b/c") == KGR["a%20b%2Fc"]


def test_networkx_graph_uses_the_same_iris(seed_build):
    g = seed_build.graph
    assert isinstance(g, nx.MultiDiGraph)
    union = seed_build.union()
    rdf_entities = {
        str(s) for cls in entity_classes().values() for s in union.subjects(RDF.type, cls)
    }
    assert set(g.nodes) == rdf_entities
    for u, v, key in g.edges(keys=True):
        assert (URIRef(u), KG[key], URIRef(v)) in union


def test_round_trip_turtle_is_isomorphic(seed_build, tmp_path):
    path = tmp_path / "kg.ttl"
    path.write_bytes(export.serialize(seed_build, "turtle"))
    assert isomorphic(Graph().parse(path), seed_build.union())


def test_secretary_of_jinnan(seed_build):
    lei = entity_iri("lei-xinqian")
    union = seed_build.union()
    assert (lei, RDF.type, KG.Official) in union
    assert (lei, RDF.type, KG.Person) in union  # superclass types are materialized
    post = union.value(lei, KG.holds)
    assert union.value(post, KG.postIn) == entity_iri("jinnan-jiedao")
    assert union.value(
        union.value(post, KG.role), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    ) == Literal("党工委书记", lang="zh")


def test_reference_records_match_the_official_table(seed_build):
    """Facts taken from the division table cite its row, and the row says what they say."""
    from kg import gazetteer

    union = seed_build.union()
    records = set(union.subjects(RDF.type, KG.ReferenceRecord))
    assert records
    for record in records:
        code = str(record).rsplit("/", 1)[-1]
        division = gazetteer.lookup(code)
        assert division is not None
        assert str(union.value(record, KG.record)).startswith(f"{code} {division.name}")
    for st in union.subjects(RDF.predicate, KG.partOf):
        for ev in union.objects(st, KG.evidence):
            if (ev, RDF.type, KG.ReferenceRecord) not in union:
                continue
            child = gazetteer.lookup(str(ev).rsplit("/", 1)[-1])
            parent = union.value(st, RDF.object)
            assert str(union.value(parent, KG.divisionCode)) == child.parent


def test_loading_in_two_processes_gives_the_same_build_and_the_same_errors(
    monkeypatch, seed_build, tmp_path
):
    """Large corpora read their fact files in two processes; nothing may differ."""
    import shutil

    import pytest

    import kg.facts
    from tests.test_cli import DATA

    monkeypatch.setattr(kg.facts, "PARALLEL_FROM_FILES", 1)
    assert build(DATA).nquads() == seed_build.nquads()
    broken = tmp_path / "data"
    shutil.copytree(DATA, broken)
    for name in ("000.yaml", "003.yaml"):
        path = broken / "facts" / name
        lines = path.read_text("utf-8").splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.strip().startswith("quote: "))
        lines[at] = lines[at].replace("quote: ", "quote: 不在文中", 1)
        path.write_text("".join(lines), "utf-8")
    errors = []
    for threshold in (1, 10**9):
        monkeypatch.setattr(kg.facts, "PARALLEL_FROM_FILES", threshold)
        with pytest.raises(kg.facts.FactError) as caught:
            build(broken)
        errors.append(str(caught.value))
    assert errors[0] == errors[1]
    assert errors[0].count("quote not found") == 2


def test_turtle_and_trig_from_blocks_are_the_bytes_oxigraph_writes_whole(seed_build):
    """kg build puts kg.ttl and kg.trig together from per-graph blocks (kg.export.Blocks);
    they must be what Oxigraph writes for the whole union and the whole dataset, including
    subjects that several graphs describe (written anew from all their lines)."""
    import io

    from kg import export

    blocks = export.build_blocks(seed_build)
    seen: dict[str, int] = {}
    for found in blocks.values():
        for subject, _ in found.turtle:
            seen[subject] = seen.get(subject, 0) + 1
    assert any(n > 1 for n in seen.values())  # the case that is not a plain concatenation
    for fmt in ("turtle", "trig"):
        assembled = io.BytesIO()
        export.write_from_blocks(seed_build, fmt, assembled, blocks)
        assert assembled.getvalue() == export.serialize(seed_build, fmt)


def test_the_union_tally_from_graph_tallies_is_the_tally_of_the_union(seed_build):
    """void.ttl and the build summary count from each graph's tally (kg.stats.Tally),
    corrected for the subjects several graphs share: the counts of the union's lines."""
    from collections import Counter

    from kg import export
    from kg.ontology import KG
    from kg.stats import class_counts, shared_subjects, tally, union_tally

    blocks = export.build_blocks(seed_build)
    shared = shared_subjects(export.subject_lists(blocks))
    assert shared  # a district, the role: the case a plain sum gets wrong
    tallies = {graph: found.tally for graph, found in blocks.items()}
    union = union_tally(tallies, shared, lambda graph: sorted(seed_build.graphs[graph]))
    assert union == tally(seed_build.distinct)
    plain = Counter()
    for found in tallies.values():
        plain.update(found.predicates)
    assert plain != union.predicates  # the sum alone counts shared lines twice
    lines = seed_build.distinct
    assert union.triples == len(lines) == seed_build.triple_count
    assert union.subjects == len({line.split(" ", 1)[0] for line in lines})
    assert union.predicates == Counter(line.split(" ", 2)[1][1:-1] for line in lines)
    counts = class_counts(seed_build, union)
    assert counts["facts (statements)"] == seed_build.count(KG.Statement)
    assert counts["evidence quotes"] == seed_build.count(KG.Evidence)
    assert counts["Official"] == seed_build.count(KG.Official)
    assert counts == class_counts(seed_build)
