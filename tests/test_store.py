"""The on-disk Oxigraph store (``kg build --store``, ``kg query --store``), the fast
exports of a build, and the progress bars of long jobs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rich.console import Console

from kg import cli, export, outputs, present
from kg.sparql import QueryError, named_queries
from kg.store import query, read_store
from tests.test_cli import DATA, run


@pytest.fixture(scope="module")
def stored(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("store") / "out"
    cli.main(["build", "--data", str(DATA), "--out", str(out), "--store", str(out / "store")])
    return out


def test_build_writes_a_store_that_answers_every_question_like_the_build(stored, seed_build):
    store = read_store(stored / "store")
    assert len(store.ox) > seed_build.triple_count  # named graphs plus their union
    for name in named_queries():
        assert query(store, name).rows == query(seed_build, name).rows, name


def test_query_store_from_the_command_line(stored, capsys):
    code, out, _ = run(
        [
            "query",
            "secretaries",
            "--store",
            str(stored / "store"),
            "--param",
            "subdistrict=锦南街道",
            "--format",
            "json",
        ],
        capsys,
    )
    assert code == 0
    assert [row["name"] for row in json.loads(out)] == ["雷新钱"]


def test_rebuilding_replaces_the_store_and_leaves_no_staging_folders(stored, capsys):
    code, _, _ = run(
        ["build", "--data", str(DATA), "--out", str(stored), "--store", str(stored / "store")],
        capsys,
    )
    assert code == 0
    assert sorted(p.name for p in stored.iterdir()) == [
        ".kg", ".store.lock", "kg.html", "kg.trig", "kg.ttl", "store", "void.ttl"
    ]
    builds = sorted(p.name for p in (stored / ".kg").iterdir() if p.name.startswith("build-"))
    assert len(builds) == 1 and (stored / ".kg" / "current").resolve().name == builds[0]
    assert sorted(p.name for p in stored.iterdir() if p.name.startswith(".store.")) == [
        ".store.lock"
    ]  # no staging folder is left, only the lock
    assert query(read_store(stored / "store"), "SELECT * WHERE { ?s ?p ?o } LIMIT 1").rows


def test_store_path_that_is_not_a_store_is_refused_and_kept(tmp_path, capsys):
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "todo.txt").write_text("keep me")
    code, _, err = run(
        ["build", "--data", str(DATA), "--out", str(tmp_path / "out"), "--store", str(precious)],
        capsys,
    )
    assert code == 1
    assert err.strip() == (
        f"error: {precious}: exists and is not a store written by 'kg build --store' (no "
        "jiedao-kg-store.json); it is never replaced: choose another --store path"
    )
    assert (precious / "todo.txt").read_text() == "keep me"
    assert not (tmp_path / "out").exists()


def test_querying_a_folder_that_is_not_a_store_is_one_line(tmp_path, capsys):
    code, _, err = run(["query", "secretaries", "--store", str(tmp_path)], capsys)
    assert code == 1
    assert err.strip() == f"error: {tmp_path}: not a store written by 'kg build --store'"
    with pytest.raises(QueryError):
        read_store(tmp_path)


def test_no_shapes_builds_the_same_files(tmp_path, capsys, stored):
    out = tmp_path / "out"
    code, _, _ = run(["build", "--data", str(DATA), "--out", str(out), "--no-shapes"], capsys)
    assert code == 0
    for name in ("kg.ttl", "kg.trig"):
        assert (out / name).read_bytes() == (stored / name).read_bytes()


# ---------------------------------------------------------------- fast exports


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld"])
def test_fast_export_of_a_build_is_the_union_graph(seed_build, fmt):
    payload = export.serialize(seed_build, fmt)
    parsed = Graph().parse(data=payload, format={"nt": "nt"}.get(fmt, fmt))
    assert isomorphic(parsed, seed_build.union())


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_fast_export_of_a_build_keeps_one_graph_per_article(seed_build, fmt):
    parsed = Dataset()
    parsed.parse(data=export.serialize(seed_build, fmt), format=fmt)
    theirs = {g.identifier: g for g in parsed.graphs() if len(g)}
    ours = {g.identifier: g for g in seed_build.dataset.graphs() if len(g)}
    assert theirs.keys() == ours.keys()
    for name, graph in ours.items():
        assert isomorphic(theirs[name], graph), name


def test_turtle_from_oxigraph_starts_with_sorted_prefixes(seed_build):
    lines = export.serialize(seed_build, "turtle").decode().splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    assert prefixes == sorted(prefixes) and lines[: len(prefixes)] == prefixes
    assert len(prefixes) > 5


def test_unknown_export_format_is_refused(seed_build):
    with pytest.raises(ValueError, match="unknown format 'rdfxml'"):
        export.serialize(seed_build, "rdfxml")


# ---------------------------------------------------------------- progress bars


def test_progress_bars_stay_silent_for_short_jobs_and_off_a_terminal(monkeypatch):
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=80)
    with present.ProgressBars(delay=60, console=terminal) as bars:
        bars("reading fact files", 1, 2)
    assert bars.bars is None and buffer.getvalue() == ""
    piped = Console(file=io.StringIO(), force_terminal=False)
    with present.ProgressBars(delay=0, console=piped) as bars:
        bars("reading fact files", 1, 2)
    assert bars.bars is None


def test_progress_bars_appear_once_a_job_has_run_for_the_delay(monkeypatch):
    buffer = io.StringIO()
    terminal = Console(file=buffer, force_terminal=True, width=80)
    with present.ProgressBars(delay=0, console=terminal) as bars:
        bars("reading fact files", 1, 4)
        bars("reading fact files", 4, 4)
        bars("building triples", 2, 4)
        tasks = {t.description: (t.completed, t.total) for t in bars.bars.tasks}
    assert tasks == {"reading fact files": (4, 4), "building triples": (2, 4)}
    assert "reading fact files" in buffer.getvalue()


def test_library_build_reports_progress_for_every_fact_file():
    from kg.builder import build

    seen: list[tuple[str, int, int]] = []
    build(DATA, progress=lambda step, done, total: seen.append((step, done, total)))
    reading = [s for s in seen if s[0] == "reading fact files"]
    files = len(list((DATA / "facts").glob("*.yaml")))
    assert [done for _, done, _ in reading] == list(range(1, files + 1))
    assert seen[-1] == ("checking SHACL shapes", 1, 1)


def test_a_graph_too_large_for_one_map_gets_no_viewer_unless_asked(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(outputs, "VIEWER_MAX_ENTITIES", 100)
    out = tmp_path / "out"
    code, _, err = run(["build", "--data", str(DATA), "--out", str(out)], capsys)
    assert code == 0
    assert not (out / "kg.html").exists() and (out / "kg.ttl").exists()
    assert "note: no kg.html: " in err and "kg viz --subdistrict" in err
    code, _, _ = run(["build", "--data", str(DATA), "--out", str(out), "--html"], capsys)
    assert code == 0 and (out / "kg.html").exists()
