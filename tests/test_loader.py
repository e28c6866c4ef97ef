"""The loader's workers make each article's lines; the build keeps them only when right."""

from __future__ import annotations

import pytest

import kg.facts
from bench.generate import generate
from kg.builder import build, made_lines
from kg.rdf import graph_name, lines
from kg.statements import corpus_labels, statements


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    """Four generated articles; the second's post is in the first's subdistrict, whose
    label only the first file gives: a worker reading the second file cannot know it."""
    data = generate(4, tmp_path_factory.mktemp("loader") / "data")
    second = data / "facts" / "a000001.yaml"
    before = second.read_text("utf-8")
    assert "  postIn: sd-1\n" in before
    second.write_text(before.replace("  postIn: sd-1\n", "  postIn: sd-0\n", 1), "utf-8")
    return data


@pytest.mark.parametrize("threshold", [1, 10**9], ids=["two processes", "one process"])
def test_the_workers_lines_are_the_lines_of_the_statements(monkeypatch, corpus_dir, threshold):
    """Whether made in a worker or here, each article graph is what the statements of the
    whole corpus give (:func:`kg.rdf.lines`), the cross-file post label included."""
    monkeypatch.setattr(kg.facts, "PARALLEL_FROM_FILES", threshold)
    built = build(corpus_dir, validate=False)
    expected = lines(statements(built.corpus))
    for f in built.corpus.files:
        name = graph_name(f.article.id)
        assert built.graphs[name] == expected[name], f.article.id
        assert f.made is None  # taken by the builder, not kept twice
    first = {f.article.id: f for f in built.corpus.files}["a000000"]
    place = next(e.label for e in first.entities if e.id == "sd-0")
    post = '<https://w3id.org/jiedao-kg/id/post-1> <http://www.w3.org/2000/01/rdf-schema#label> "'
    [label] = [line for line in built.graphs[graph_name("a000001")] if line.startswith(post)]
    assert f'"{place}党工委书记"@zh' in label


def test_a_worker_reading_another_files_label_is_made_again(monkeypatch, corpus_dir):
    """The second file's lines read ``sd-0``, which its worker does not know: the lines it
    made are refused (their label differs from the corpus's), the others kept."""
    monkeypatch.setattr(kg.facts, "PARALLEL_FROM_FILES", 1)
    corpus, problems = kg.facts.read_corpus(corpus_dir, make=made_lines)
    assert problems == []
    labels = corpus_labels(corpus)
    kept = {
        f.article.id: all(labels.get(k) == v for k, v in f.made[0].items())
        for f in corpus.files
    }
    assert kept == {"a000000": True, "a000001": False, "a000002": True, "a000003": True}
    second = next(f for f in corpus.files if f.article.id == "a000001")
    assert second.made[0]["sd-0"] is None and labels["sd-0"]
