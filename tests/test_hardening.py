"""The three serious findings of the hardening review, each tried the way it was found.

1. The query guard: hostile queries that could reach another host (SERVICE hidden from
   one parser, or spelled differently) and updates smuggled to an endpoint as a query.
   A real HTTP server on 127.0.0.1 counts the requests: none may arrive.
2. ``kg build --store DIR`` on a folder that is not ours: refused, every file kept.
3. Outputs are one unit: SIGKILL at random moments of a real build, a second build
   racing the first, workers outliving a killed parent, a full disk (a real tmpfs), a
   read-only ``out/``, ``--out`` naming a file, ``-o`` naming a folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg.sparql import QueryError
from kg.store import RemoteStore
from tests.hostile import hostile_server
from tests.test_cli import DATA, run

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------- 1. the query guard

SMUGGLED_SERVICE = [
    # rdflib ends a comment only at \n; the grammar (and Oxigraph) also at \r
    "SELECT * WHERE { # x\r SERVICE <URL> { ?s ?p ?o }\n }",
    "SELECT * WHERE { # x\r\n SERVICE <URL> { ?s ?p ?o } }",
    # code-point escapes: rdflib expands them everywhere, Oxigraph only in strings
    "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
    'SELECT * WHERE { BIND("\\u0022 #" AS ?x) SERVICE <URL> { ?s ?p ?o } }',
    # spelled and placed otherwise
    "select * where { service <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE SILENT <URL> { ?s ?p ?o } }",
    "SELECT * WHERE { OPTIONAL { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { FILTER EXISTS { SERVICE <URL> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "SELECT * WHERE { VALUES ?e { <URL> } SERVICE ?e { ?s ?p ?o } }",
    "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "SELECT * WHERE {\x0cSERVICE <URL> { ?s ?p ?o } }",
]


def _sparql_answer(request, reply) -> None:
    empty = b'{"head": {"vars": []}, "results": {"bindings": []}}'
    reply.send(200, empty, "application/sparql-results+json")


@pytest.mark.parametrize("template", SMUGGLED_SERVICE)
def test_service_never_reaches_another_host(template, seed_build):
    with hostile_server(_sparql_answer) as server:
        text = template.replace("URL", server.url + "/sparql")
        with pytest.raises(QueryError) as error:
            kg.query(seed_build, text)
        with pytest.raises(QueryError):
            kg.query(seed_build, text, timeout=10)
        assert "\n" not in str(error.value)
        assert server.requests == []


def test_service_from_the_command_line_is_one_line_and_fetches_nothing(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["build", "--data", str(DATA), "--out", str(out), "--no-html"], capsys)[0] == 0
    with hostile_server(_sparql_answer) as server:
        text = SMUGGLED_SERVICE[0].replace("URL", server.url + "/sparql")
        code, _, err = run(["query", text, "--data", str(out / "kg.ttl")], capsys)
        assert code == 1 and err.count("\n") == 1 and "SERVICE is not allowed" in err
        assert server.requests == []


SMUGGLED_UPDATES = [
    "SELECT * WHERE { ?s ?p ?o } # x\r ; DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DROP ALL ; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "SELECT * WHERE { ?s ?p ?o }\n;\nCLEAR DEFAULT",
    "LOAD <http://127.0.0.1:1/x.ttl>",
    "WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    'DEFINE get:soft "replace" SELECT * FROM <http://127.0.0.1:1/x> WHERE { ?s ?p ?o }',
    "SELECT * WHERE { ?s ?p ?o } #\r\nCREATE GRAPH <urn:g>",
]


@pytest.mark.parametrize("text", SMUGGLED_UPDATES)
def test_an_endpoint_is_never_sent_an_update(text):
    with hostile_server(_sparql_answer) as server:
        with pytest.raises(QueryError) as error:
            RemoteStore(server.url + "/sparql").query(text)
        assert "\n" not in str(error.value)
        assert server.requests == []


def test_keywords_inside_strings_iris_and_comments_are_harmless(seed_build):
    text = 'SELECT ?s WHERE { ?s <urn:service/drop> "SERVICE DROP ALL INSERT" } # SERVICE DROP\n'
    assert len(kg.query(seed_build, text)) == 0
    with hostile_server(_sparql_answer) as server:
        RemoteStore(server.url + "/sparql").query(text)
        assert len(server.requests) == 1  # sent, once: it is a plain read


def test_what_the_endpoint_receives_is_the_text_that_was_checked():
    with hostile_server(_sparql_answer) as server:
        RemoteStore(server.url + "/sparql").query(
            "SELECT ?s WHERE { ?s ?p ?l }\r\n", l="锦南街道", timeout=10
        )
        (request,) = server.requests
    from urllib.parse import parse_qs

    sent = parse_qs(request.body.decode())["query"][0]
    assert "\r" not in sent and 'VALUES (?l) { ("锦南街道") }' in sent


# ---------------------------------------------------------------- 2. --store on a user's folder


def test_store_refuses_a_folder_that_merely_looks_like_a_database(tmp_path, capsys):
    thesis = tmp_path / "thesis"
    (thesis / "chapters").mkdir(parents=True)
    (thesis / "thesis.txt").write_text("four years of work")
    (thesis / "chapters" / "one.txt").write_text("chapter one")
    (thesis / "CURRENT").write_text("MANIFEST-000001\n")  # what RocksDB folders hold
    before = sorted(str(p.relative_to(thesis)) for p in thesis.rglob("*"))
    code, _, err = run(
        ["build", "--data", str(DATA), "--out", str(tmp_path / "out"), "--store", str(thesis)],
        capsys,
    )
    assert code == 1 and err.count("\n") == 1
    assert f"{thesis}: exists and is not a store written by 'kg build --store'" in err
    assert sorted(str(p.relative_to(thesis)) for p in thesis.rglob("*")) == before
    assert (thesis / "thesis.txt").read_text() == "four years of work"
    assert not (tmp_path / "out").exists()


def test_a_store_of_ours_is_replaced_and_killed_staging_is_cleaned(tmp_path, capsys):
    store = tmp_path / "store"
    args = ["build", "--data", str(DATA), "--out", str(tmp_path / "out"), "--store", str(store)]
    assert run(args, capsys)[0] == 0
    stale = tmp_path / f".store.staging.{_dead_pid()}.abcd1234"
    (stale / "oxigraph").mkdir(parents=True)
    assert run(args, capsys)[0] == 0
    assert not stale.exists()
    assert len(kg.query(store, "secretaries")) > 0


# ---------------------------------------------------------------- 3. outputs as one unit


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _digests(out: Path) -> dict[str, str]:
    return {
        name: hashlib.sha256((out / name).read_bytes()).hexdigest()
        for name in ("kg.ttl", "kg.trig", "kg.html", "void.ttl")
        if (out / name).exists()
    }


@pytest.fixture(scope="module")
def two_corpora(tmp_path_factory) -> tuple[Path, Path]:
    """Two synthetic corpora that differ in one label, large enough for a build to take
    a few seconds (so it can be killed in the middle) and to use worker processes."""
    from bench.generate import generate

    root = tmp_path_factory.mktemp("corpora")
    first = generate(70, root / "a")  # over 64 fact files: loaded by two workers
    second = root / "b"
    shutil.copytree(first, second)
    sorted((second / "facts").glob("*.yaml"))[0].unlink()  # one article fewer
    return first, second


def _kg(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", *args],
        cwd=ROOT,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1583020800"},  # void.ttl's time: fixed
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_one_whole_build(two_corpora, tmp_path):
    old_data, new_data = two_corpora
    old_out, new_out, out = tmp_path / "old", tmp_path / "new", tmp_path / "out"
    for data, target in ((old_data, old_out), (new_data, new_out)):
        started = time.monotonic()
        assert _kg("build", "--data", str(data), "--out", str(target)).wait() == 0
        duration = time.monotonic() - started
    shutil.copytree(old_out, out, symlinks=True)
    old, new = _digests(old_out), _digests(new_out)
    assert old.keys() == new.keys() == {"kg.ttl", "kg.trig", "kg.html", "void.ttl"}
    assert old["kg.trig"] != new["kg.trig"]
    rng = random.Random(17)
    for _ in range(3):
        proc = _kg("build", "--data", str(new_data), "--out", str(out))
        time.sleep(rng.uniform(0.1, 1.0) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = _digests(out)
        assert now in (old, new), "out/ mixes files of two builds"
        manifest = json.loads((out / ".kg" / "current" / "manifest.json").read_text())
        assert {k: v["sha256"] for k, v in manifest["files"].items()} == now
    assert _kg("build", "--data", str(new_data), "--out", str(out)).wait() == 0
    assert _digests(out) == new
    builds = [p for p in (out / ".kg").iterdir() if p.name.startswith("build-")]
    assert len(builds) == 1, "killed builds' folders are removed by the next build"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_loader_workers_die_with_a_killed_build(two_corpora, tmp_path):
    data, _ = two_corpora
    proc = _kg("build", "--data", str(data), "--out", str(tmp_path / "out"))
    children: set[int] = set()
    deadline = time.monotonic() + 60
    while len(children) < 2 and time.monotonic() < deadline and proc.poll() is None:
        children |= _children(proc.pid)
        time.sleep(0.01)
    assert len(children) >= 2, "the build should load a corpus this size in two workers"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in children if _alive(pid)], "workers outlived their parent"


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_second_build_of_the_same_out_is_refused_while_one_runs(tmp_path, capsys):
    from kg.publish import locked

    out = tmp_path / "out"
    assert run(["build", "--data", str(DATA), "--out", str(out)], capsys)[0] == 0
    before = _digests(out)
    with locked(out / ".kg" / "lock", out):
        code, _, err = run(["build", "--data", str(DATA), "--out", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1
    assert f"error: {out}: another kg build (pid {os.getpid()}) is writing here" in err
    assert _digests(out) == before


def test_stale_temporaries_of_killed_writers_are_removed(tmp_path, capsys):
    out = tmp_path / "out"
    assert run(["build", "--data", str(DATA), "--out", str(out)], capsys)[0] == 0
    dead = _dead_pid()
    stale_build = out / ".kg" / f"build-20200101T000000-{dead}-abc123"
    stale_build.mkdir()
    (stale_build / "kg.ttl").write_text("half")
    stale_file = out / f".kg.jsonld.{dead}.abcd1234.tmp"
    stale_file.write_text("half")
    assert run(["build", "--data", str(DATA), "--out", str(out)], capsys)[0] == 0
    assert not stale_build.exists()
    code, _, _ = run(
        ["export", "--data", str(DATA), "--format", "json-ld", "-o", str(out / "kg.jsonld")],
        capsys,
    )
    assert code == 0 and not stale_file.exists() and (out / "kg.jsonld").stat().st_size


@pytest.fixture
def tmpfs(tmp_path):
    """A real, small tmpfs (needs root: CI runs as root); skipped with a reason elsewhere."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI runs as root and must test a real full disk")
        pytest.skip("needs root to mount a tmpfs")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_one_line_and_keeps_the_previous_build(tmpfs, capsys):
    out = tmpfs / "out"
    assert run(["build", "--data", str(DATA), "--out", str(out)], capsys)[0] == 0
    before = _digests(out)
    filler = tmpfs / "filler"
    with filler.open("wb") as handle:  # leave about 200 KB: not enough for a new build
        free = shutil.disk_usage(tmpfs).free
        handle.write(b"\0" * max(0, free - 200_000))
    code, _, err = run(["build", "--data", str(DATA), "--out", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1
    assert str(out) in err and "no space left on the device" in err
    assert _digests(out) == before
    assert len([p for p in (out / ".kg").iterdir() if p.name.startswith("build-")]) == 1


def test_a_disk_with_room_for_the_outputs_but_not_the_cache_still_builds(tmpfs, capsys):
    """The build cache is only a cache: it is saved after the outputs are live, and a disk
    too full for it costs the next build time, never this build its outputs."""
    out, probe = tmpfs / "out", tmpfs / "probe"
    assert run(["build", "--data", str(DATA), "--out", str(probe)], capsys)[0] == 0
    outputs = sum(p.stat().st_size for p in (probe / ".kg" / "current").resolve().iterdir())
    shutil.rmtree(probe)
    with (tmpfs / "filler").open("wb") as handle:  # room for the outputs, not the cache too
        handle.write(b"\0" * max(0, shutil.disk_usage(tmpfs).free - outputs - 300_000))
    code, _, err = run(["build", "--data", str(DATA), "--out", str(out)], capsys)
    assert code == 0, err
    assert (out / "kg.ttl").read_bytes().startswith(b"@prefix")
    assert not [p for p in (out / ".kg" / "cache").glob(".*.tmp")]  # no half entry left
    (tmpfs / "filler").unlink()
    assert run(["build", "--data", str(DATA), "--out", str(out)], capsys)[0] == 0


def test_a_read_only_out_is_one_line(tmpfs, capsys):
    out = tmpfs / "out"
    out.mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    code, _, err = run(["build", "--data", str(DATA), "--out", str(out)], capsys)
    assert code == 1 and err.count("\n") == 1 and str(out) in err and "Read-only" in err


def test_out_naming_a_file_and_output_naming_a_folder_are_one_line(tmp_path, capsys):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine")
    code, _, err = run(["build", "--data", str(DATA), "--out", str(a_file)], capsys)
    assert code == 1 and err.count("\n") == 1
    assert err.startswith(f"error: {a_file}: is a file, not a folder")
    assert a_file.read_text() == "mine"
    code, _, err = run(["export", "--data", str(DATA), "-o", str(tmp_path)], capsys)
    assert code == 1 and err == f"error: {tmp_path}: is a folder; name a file to write\n"
    code, _, err = run(["export", "--data", str(DATA), "-o", str(a_file / "x.ttl")], capsys)
    assert code == 1 and err.count("\n") == 1 and str(a_file) in err
