"""The classes of the hardening review, each tried with real files, processes and servers:
unbounded reads, time limits that bound time, hostile endpoints, inputs that must be
refused or warned about, and data that must not drive a terminal or a spreadsheet.

(The three serious findings are in tests/test_hardening.py; the bad fact files in
tests/bad_inputs/.)
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.endpoint import EndpointError
from kg.store import RemoteStore
from tests.hostile import hostile_server
from tests.test_cli import DATA, run

ROOT = Path(__file__).resolve().parent.parent
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def ttl(tmp_path_factory) -> Path:
    from kg import export
    from kg.builder import build

    path = tmp_path_factory.mktemp("limits") / "kg.ttl"
    path.write_bytes(export.serialize(build(DATA), "turtle"))
    return path


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("error: "), err
    return err


def _seed_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    return data


# ---------------------------------------------------------------- unbounded reads


def test_a_fifo_as_fact_file_is_refused_not_waited_on(tmp_path, capsys):
    data = _seed_data(tmp_path)
    os.mkfifo(data / "facts" / "005.yaml")
    code, _, err = run(["validate", "--data", str(data)], capsys)
    assert code == 1
    assert one_line(err) == (
        f"error: {data}/facts/005.yaml:1:1: is not a regular file; give a regular text file\n"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_as_query_file_is_refused(device, tmp_path, ttl, capsys):
    query = tmp_path / "q.rq"
    query.symlink_to(device)
    code, _, err = run(["query", str(query), "--data", str(ttl)], capsys)
    assert code == 1 and "is not a regular file" in one_line(err)


def test_an_endless_stdin_is_refused_after_the_limit(ttl):
    with open("/dev/zero", "rb") as zeros:
        proc = subprocess.run(
            [sys.executable, "-m", "kg.cli", "query", "-", "--data", str(ttl)],
            stdin=zeros,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
    assert proc.returncode == 1
    assert one_line(proc.stderr) == "error: -: query is larger than the 8,388,608 bytes allowed\n"


def test_a_two_gigabyte_sparse_rdf_file_is_refused_without_reading(tmp_path, capsys):
    big = tmp_path / "huge.rdf"
    with big.open("wb") as handle:
        handle.truncate(2 << 30)  # sparse: reads as zeros, takes no disk
    code, _, err = run(["query", "ASK { ?s ?p ?o }", "--data", str(big)], capsys)
    assert code == 1
    assert "RDF file is 2,147,483,648 bytes, more than the" in one_line(err)


def _endless_select(request, reply) -> None:
    head = b'{"head": {"vars": ["s"]}, "results": {"bindings": ['
    row = b'{"s": {"type": "literal", "value": "%s"}},'

    def rows():
        yield head
        for i in range(10**9):
            yield row % str(i).encode()

    reply.stream(200, rows(), JSON_RESULTS)


def test_an_endless_endpoint_answer_stops_at_the_limit(capsys):
    with hostile_server(_endless_select) as server:
        code, out, err = run(
            [
                "query",
                "SELECT ?s WHERE { ?s ?p ?o }",
                "--endpoint",
                server.url + "/sparql",
                "--limit",
                "5",
                "--format",
                "json",
                "--timeout",
                "60",
            ],
            capsys,
        )
    assert code == 0, err
    assert [row["s"] for row in json.loads(out)] == ["0", "1", "2", "3", "4"]
    assert "stopped at --limit" in err


def test_an_endpoint_answer_past_the_byte_cap_is_refused():
    with hostile_server(_endless_select) as server:
        store = RemoteStore(server.url + "/sparql", max_bytes=1 << 20)
        with pytest.raises(EndpointError, match="larger than 1,048,576 bytes"):
            store.query("SELECT ?s WHERE { ?s ?p ?o }", timeout=60)


# ---------------------------------------------------------------- time limits


def test_the_timeout_covers_parsing_a_huge_query(ttl, capsys):
    values = " ".join(f'"v{i}"' for i in range(50_000))
    text = f"SELECT ?x WHERE {{ VALUES ?x {{ {values} }} ?s ?p ?x }}"
    started = time.monotonic()
    code, _, err = run(["query", text, "--data", str(ttl), "--timeout", "2"], capsys)
    assert code == 1
    assert one_line(err) == (
        "error: query stopped after 2 s (timeout); narrow it, add a LIMIT, or allow more time\n"
    )
    assert time.monotonic() - started < 60  # a bound for a broken deadline, not a benchmark


def _trickle(request, reply) -> None:
    reply.stream(200, (b" " for _ in range(10**6)), JSON_RESULTS, pause=0.5)


def test_a_trickling_server_cannot_hold_a_query_past_its_timeout(capsys):
    with hostile_server(_trickle) as server:
        code, _, err = run(
            ["query", "ASK { ?s ?p ?o }", "--endpoint", server.url + "/sparql", "--timeout", "2"],
            capsys,
        )
    assert code == 1 and "stopped after 2 s (timeout)" in one_line(err)


def _trickle_push(request, reply) -> None:
    if request.method == "PUT":
        reply.stream(201, (b"." for _ in range(10**6)), "text/plain", pause=0.5)
    else:
        reply.send(404)


def test_a_trickling_server_cannot_hold_a_push_past_its_timeout(tmp_path, capsys):
    trig = tmp_path / "kg.trig"
    trig.write_text("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    with hostile_server(_trickle_push) as server:
        code, _, err = run(
            ["push", "--data", str(trig), "--endpoint", server.url + "/store", "--timeout", "2"],
            capsys,
        )
    assert code == 1 and "stopped after 2 s (timeout)" in one_line(err)


def test_construct_respects_the_limit(ttl, capsys):
    code, out, err = run(
        ["query", "CONSTRUCT WHERE { ?s ?p ?o }", "--data", str(ttl), "--limit", "5"], capsys
    )
    assert code == 0
    from rdflib import Graph

    assert len(Graph().parse(data=out, format="turtle")) == 5
    assert "stopped at --limit" in err


# ---------------------------------------------------------------- hostile endpoints


@pytest.mark.parametrize(
    "media_type, body",
    [
        ("application/ld+json", b'{"@context": "file:///dev/zero", "@id": "urn:x"}'),
        ("application/ld+json", b'{"@context": "http://127.0.0.1:1/ctx", "@id": "urn:x"}'),
        (
            "application/rdf+xml",
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>',
        ),
    ],
)
def test_a_construct_answer_that_could_fetch_or_expand_is_not_read(media_type, body):
    def answer(request, reply):
        reply.send(200, body, media_type)

    with hostile_server(answer) as server, pytest.raises(EndpointError) as error:
        RemoteStore(server.url + "/sparql").query("CONSTRUCT WHERE { ?s ?p ?o }", timeout=30)
    message = str(error.value)
    assert "\n" not in message and "RDF/XML and JSON-LD answers are not read" in message


def test_a_broken_answer_is_one_line():
    def answer(request, reply):
        reply.send(200, b'{"head": {"vars": ["s"]}, "results": {"bind', JSON_RESULTS)

    with hostile_server(answer) as server, pytest.raises(EndpointError) as error:
        RemoteStore(server.url + "/sparql").query("SELECT ?s WHERE { ?s ?p ?o }", timeout=30)
    assert "\n" not in str(error.value) and "unreadable" in str(error.value)


# ---------------------------------------------------------------- inputs to refuse or warn


def test_a_fact_file_symlinked_from_outside_data_is_refused(tmp_path, capsys):
    data = _seed_data(tmp_path)
    outside = tmp_path / "elsewhere.yaml"
    shutil.copy(data / "facts" / "000.yaml", outside)
    (data / "facts" / "000.yaml").unlink()
    (data / "facts" / "000.yaml").symlink_to(outside)
    code, _, err = run(["validate", "--data", str(data)], capsys)
    assert code == 1
    assert f"{data}/facts/000.yaml:1:1: is a symlink to {outside}, outside" in one_line(err)


def test_editor_droppings_in_the_facts_folder_are_ignored(tmp_path, capsys):
    data = _seed_data(tmp_path)
    (data / "facts" / ".#000.yaml").symlink_to("root@host.1234:1700000000")  # Emacs lock
    (data / "facts" / "._000.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    (data / "facts" / ".000.yaml.swp").write_bytes(b"b0VIM 8.2\x00")
    code, out, err = run(["validate", "--data", str(data)], capsys)
    assert code == 0, err
    assert out.startswith("ok: 5 fact files")


def test_look_alike_ids_and_bidi_labels_are_warned_about(tmp_path, capsys):
    data = _seed_data(tmp_path)
    facts = data / "facts" / "000.yaml"
    twin = (
        "  - id: l\u0435i-xinqian\n"  # a Cyrillic е: looks like lei-xinqian, is not
        '    type: Official\n    label: 雷新钱\n    altLabels: ["雷新\u202e钱"]\n'
        "    quote: 锦南街道党工委书记雷新钱\n"
    )
    text = facts.read_text("utf-8").replace("\nentities:\n", "\nentities:\n" + twin, 1)
    facts.write_text(text, "utf-8")
    code, _out, err = run(["validate", "--data", str(data)], capsys)
    assert code == 0, err
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert any("mixes Latin and Cyrillic letters" in w for w in warnings), err
    assert any("U+202E RIGHT-TO-LEFT OVERRIDE" in w for w in warnings), err
    assert all(str(facts) in w for w in warnings)


# ---------------------------------------------------------------- terminals and spreadsheets

HOSTILE_LABELS = {
    "markup": "[link=https://evil.example]点我[/link][/]",
    "formula": '=HYPERLINK("https://evil.example","点我")',
}
ESCAPE = "雷新\x1b]0;pwned\x07钱\x1b[2J"
"""Fact files refuse control characters; RDF from elsewhere (``kg query --data``) may
hold them."""


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory) -> Path:
    """The seed data with rich markup and a spreadsheet formula as labels (each in its
    article too), built; and a Turtle file whose labels hold terminal escapes."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    article = data / "articles" / "000_55e4261343172afa.txt"
    extra = "\n".join(f"人物{v}发言。" for v in HOSTILE_LABELS.values())
    article.write_text(article.read_text("utf-8") + "\n" + extra + "\n", "utf-8")
    entities = "".join(
        f"  - id: hostile-{key}\n    type: Person\n    label: {json.dumps(value)}\n"
        f"    quote: {json.dumps('人物' + value + '发言')}\n"
        for key, value in HOSTILE_LABELS.items()
    )
    facts = data / "facts" / "000.yaml"
    facts.write_text(
        facts.read_text("utf-8").replace("\nentities:\n", "\nentities:\n" + entities, 1), "utf-8"
    )
    proc = _kg("build", "--data", str(data), "--out", str(root / "out"))
    assert proc.returncode == 0, proc.stderr
    from rdflib import RDF, RDFS, Graph, Literal, URIRef

    from kg.ontology import KG

    escapes = Graph()
    for i, label in enumerate([ESCAPE, *HOSTILE_LABELS.values()]):
        node = URIRef(f"urn:x:{i}")
        escapes.add((node, RDF.type, KG.Person))
        escapes.add((node, RDFS.label, Literal(label, lang="zh")))
    escapes.serialize(root / "escapes.nt", format="nt", encoding="utf-8")
    return data


def _kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True
    )


PEOPLE = "SELECT ?l WHERE { ?p a kg:Person ; rdfs:label ?l } ORDER BY ?l"


def test_stats_show_markup_labels_as_text(hostile_data):
    proc = _kg("stats", "--data", str(hostile_data))
    assert proc.returncode == 0, proc.stderr
    assert "[link=https://evil.example]" in proc.stdout  # shown, not turned into a link
    assert "\x1b]8;" not in proc.stdout  # no terminal hyperlink was written


def test_tables_show_escapes_and_markup_as_text(hostile_data):
    proc = _kg("query", PEOPLE, "--data", str(hostile_data.parent / "escapes.nt"))
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout and "\x07" not in proc.stdout
    assert "雷新\\x1b]0;pwned\\x07钱\\x1b[2J" in proc.stdout
    assert "[link=https://evil.example]点我[/link][/]" in proc.stdout


def test_csv_has_no_live_formula_and_keeps_every_byte_like_json(hostile_data):
    nt = str(hostile_data.parent / "escapes.nt")
    as_csv = _kg("query", PEOPLE, "--data", nt, "--format", "csv")
    as_json = _kg("query", PEOPLE, "--data", nt, "--format", "json")
    cells = [row[0] for row in csv.reader(io.StringIO(as_csv.stdout))][1:]
    values = [row["l"] for row in json.loads(as_json.stdout)]
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    assert "'" + HOSTILE_LABELS["formula"] in cells
    assert ESCAPE in cells and ESCAPE in values
    assert [c.removeprefix("'") for c in cells] == values


def test_an_error_naming_a_hostile_id_does_not_drive_the_terminal(tmp_path, capsys):
    data = _seed_data(tmp_path)
    facts = data / "facts" / "000.yaml"
    facts.write_text(
        facts.read_text("utf-8") + "  - subject: jinnan-jiedao\n    predicate: partOf\n"
        '    object: "x\\u202eevil"\n    quote: 临安区锦南街道\n',
        "utf-8",
    )
    code, _, err = run(["validate", "--data", str(data)], capsys)
    assert code == 1 and "\u202e" not in err and "\\u202e" in err


# ---------------------------------------------------------------- ordinary problems


def test_an_invalid_param_iri_is_one_line(ttl, capsys):
    code, _, err = run(
        ["query", "evidence", "--data", str(ttl), "--param", "s=<not an iri>"], capsys
    )
    assert code == 1
    assert one_line(err).startswith("error: --param s: 'not an iri' is not an absolute IRI")


def test_an_unknown_param_lists_the_query_parameters(ttl, capsys):
    code, _, err = run(["query", "secretaries", "--data", str(ttl), "--param", "x=1"], capsys)
    assert code == 1
    assert one_line(err) == (
        "error: query 'secretaries' has no parameter 'x'; its parameters: from, subdistrict, to\n"
    )


def test_a_missing_parent_folder_of_an_output_is_made(tmp_path, capsys):
    target = tmp_path / "a" / "b" / "kg.ttl"
    code, _, err = run(["export", "--data", str(DATA), "-o", str(target)], capsys)
    assert code == 0, err
    assert target.stat().st_size > 1000
