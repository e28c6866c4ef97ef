"""Hostile input from outside the fact files: RDF files, SPARQL, labels, killed writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg import export
from kg.builder import build
from tests.test_cli import run

ROOT = Path(__file__).resolve().parent.parent

HOSTILE_RDF = {
    "bomb.rdf": (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://ex.org/"><rdf:Description rdf:about="http://ex.org/a">'
        "<ex:p>&lol2;</ex:p></rdf:Description></rdf:RDF>\n",
        "RDF/XML with a DTD (<!DOCTYPE or <!ENTITY) is refused",
    ),
    "xxe.rdf": (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:ex="http://ex.org/"><rdf:Description rdf:about="http://ex.org/a">'
        "<ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>\n",
        "RDF/XML with a DTD",
    ),
    "remote.jsonld": (
        '{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://ex.org/a", "n": "x"}',
        "remote JSON-LD @context, which is never fetched",
    ),
    "truncated.ttl": ('@prefix ex: <http://ex.org/> .\nex:a ex:p "unterminated', "Unexpected end"),
    "deep.jsonld": ("[" * 70_000 + "]" * 70_000, "Max stack size"),
    "notes.xyz": ("hello", "unknown RDF file type '.xyz'"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_RDF))
def test_hostile_rdf_file_is_one_clean_error(name, tmp_path, capsys):
    body, message = HOSTILE_RDF[name]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    code, _, err = run(["query", "SELECT * WHERE { ?s ?p ?o }", "--data", str(path)], capsys)
    assert code == 1
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and message in err


def test_invalid_utf8_rdf_is_one_clean_error(tmp_path, capsys):
    path = tmp_path / "bad.nt"
    path.write_bytes(b'<http://ex.org/a> <http://ex.org/p> "\xff\xfe" .\n')
    code, _, err = run(["query", "SELECT * WHERE { ?s ?p ?o }", "--data", str(path)], capsys)
    assert code == 1 and "Invalid UTF-8" in err and err.count("\n") == 1


def test_runaway_query_stops_at_the_timeout(seed_ttl, capsys):
    started = time.monotonic()
    code, _, err = run(
        [
            "query",
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            "--data",
            str(seed_ttl),
            "--timeout",
            "1",
        ],
        capsys,
    )
    assert code == 1
    assert err == (
        "error: query stopped after 1 s (timeout); narrow it, add a LIMIT, or allow more time\n"
    )
    assert time.monotonic() - started < 60


def test_row_limit_says_it_cut(seed_ttl, capsys):
    code, out, err = run(
        [
            "query",
            "SELECT ?s WHERE { ?s ?p ?o }",
            "--data",
            str(seed_ttl),
            "--limit",
            "3",
            "--format",
            "csv",
        ],
        capsys,
    )
    assert code == 0
    assert len(out.strip().splitlines()) == 4
    assert "stopped at --limit" in err


def test_parameters_are_bound_not_pasted(seed_ttl, capsys):
    code, out, _ = run(
        [
            "query",
            "secretaries",
            "--data",
            str(seed_ttl),
            "--format",
            "json",
            "--param",
            'subdistrict=锦南街道" } ; DROP ALL ; #',
        ],
        capsys,
    )
    assert code == 0 and out.strip() == "[]"


KILL_SCRIPT = """
import sys, time
from kg import publish
with publish.atomic_open(sys.argv[1]) as handle:  # how every output of kg is written
    handle.write(b"<urn:new> <urn:p> <urn:o> .\\n" * 10_000)
    handle.flush()
    print("half written", flush=True)
    time.sleep(120)
"""


def test_sigkill_during_export_leaves_the_old_file(tmp_path):
    """A writer killed with half its output on disk leaves the old file whole. The child
    says when it is half-way, so the kill always lands mid-write (no race with the disk)."""
    target = tmp_path / "kg.nt"
    target.write_bytes(b"<urn:old> <urn:p> <urn:o> .\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", KILL_SCRIPT, str(target)], stdout=subprocess.PIPE, cwd=ROOT
    )
    try:
        assert proc.stdout.readline().strip() == b"half written"
        partial = [p.stat().st_size for p in tmp_path.glob(".kg.nt.*.tmp")]
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert target.read_bytes() == b"<urn:old> <urn:p> <urn:o> .\n"
    assert len(partial) == 1 and partial[0] > 0  # the kill landed mid-write


def test_hostile_labels_from_fact_files_do_not_reach_the_html_as_markup(tmp_path):
    hostile = [
        "<img src=x onerror=alert(1)>",
        "</script><script>alert(2)</script>",
        "a href b",
        '" onmouseover="alert(3)',
    ]
    article = "。".join(["测试街道", *hostile]) + "。"
    data = make_corpus(
        tmp_path, [("测试街道", "Subdistrict")] + [(h, "Initiative") for h in hostile], article
    )
    from kg.viz import render

    html = render(build(data).graph)
    for label in hostile:
        if "<" in label or '"' in label:  # markup or attribute breakers never appear raw
            assert label not in html
    assert "a href b" in html  # plain text stays text (the browser test shows it as text)
    assert "<img src=x" not in html and "alert(2)</script>" not in html


def make_corpus(root: Path, entities: list[tuple[str, str]], article: str) -> Path:
    data = root / "data"
    (data / "articles").mkdir(parents=True, exist_ok=True)
    (data / "facts").mkdir(parents=True, exist_ok=True)
    (data / "articles" / "a.txt").write_text(article, encoding="utf-8")
    facts = {
        "article": {"id": "a", "file": "a.txt", "title": entities[0][0]},
        "entities": [
            {
                "id": f"e{i}",
                "type": kind,
                "label": label,
                "quote": label,
                **({"occurrence": 1} if article.count(label) > 1 else {}),
            }
            for i, (label, kind) in enumerate(entities)
        ],
    }
    (data / "facts" / "a.yaml").write_text(yaml.safe_dump(facts, allow_unicode=True), "utf-8")
    return data


LABEL = (
    st.text(
        alphabet=st.one_of(
            st.characters(categories=("Lo", "Lu", "Ll", "Nd", "So", "Pd", "Ps", "Pe")),
            st.sampled_from(list("復產業區務發現锦南街道😀🏙 \u3000\u00a0'\"<>&#%/\\")),
        ),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(lambda s: s and "。" not in s and not s.startswith(("-", "#")))
)


@given(st.lists(LABEL, min_size=1, max_size=6, unique=True))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_corpora_round_trip_through_every_format(tmp_path_factory, labels):
    root = tmp_path_factory.mktemp("gen")
    article = "。".join(labels) + "。"
    data = make_corpus(root, [(label, "Initiative") for label in labels], article)
    result = build(data)
    union = result.union()
    for fmt in ("turtle", "nt", "json-ld"):
        parsed = Graph().parse(
            data=export.serialize(result, fmt), format="nt" if fmt == "nt" else fmt
        )
        assert isomorphic(parsed, union), fmt
    trig = Dataset()
    trig.parse(data=export.serialize(result, "trig"), format="trig")
    originals = {g.identifier: g for g in result.dataset.graphs() if len(g)}
    for graph in trig.graphs():
        if len(graph):
            assert isomorphic(graph, originals[graph.identifier])
