"""`kg extract` and `kg eval` as a user runs them."""

from __future__ import annotations

import json
import shutil

from kg.builder import build
from tests.test_cli import DATA, run

ARTICLES = sorted((DATA / "articles").glob("*.txt"))


def test_extract_all_seeds_then_eval_reports_every_class(tmp_path, capsys):
    drafts = tmp_path / "drafts"
    code, _, err = run(["extract", *map(str, ARTICLES), "--out", str(drafts)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in drafts.iterdir()) == [f"00{i}.yaml" for i in range(5)]
    code, out, err = run(
        ["eval", "--gold", str(DATA / "facts"), "--pred", str(drafts), "--format", "json"],
        capsys,
    )
    assert code == 0, err
    report = json.loads(out)
    classes = {row["class"] for row in report["classes"]}
    assert {"Official", "Enterprise", "Metric", "Initiative", "Post"} <= classes
    assert 0 < report["overall"]["precision"] <= 1 and 0 < report["overall"]["recall"] <= 1


def test_drafts_build_as_a_corpus_of_their_own(tmp_path, capsys):
    """The drafts are valid fact files: they build with the normal loader as they are."""
    data = tmp_path / "data"
    shutil.copytree(DATA / "articles", data / "articles")
    code, _, err = run(["extract", *map(str, ARTICLES), "--out", str(data / "facts")], capsys)
    assert code == 0, err
    result = build(data)
    assert result.triple_count > 1000


def test_one_article_drafts_to_stdout(capsys):
    code, out, _ = run(["extract", str(ARTICLES[0])], capsys)
    assert code == 0
    assert out.startswith("#") and "\narticle:\n" in out and "雷新钱" in out


def test_a_draft_never_overwrites_a_fact_file(tmp_path, capsys):
    facts = tmp_path / "facts"
    facts.mkdir()
    (facts / "000.yaml").write_text("corrected by hand\n")
    code, _, err = run(["extract", str(ARTICLES[0]), "--out", str(facts)], capsys)
    assert code == 1
    assert err.strip() == (
        f"error: {facts / '000.yaml'}: exists; a draft never overwrites a fact file (use --force)"
    )
    assert (facts / "000.yaml").read_text() == "corrected by hand\n"
    code, _, _ = run(["extract", str(ARTICLES[0]), "--out", str(facts), "--force"], capsys)
    assert code == 0 and "雷新钱" in (facts / "000.yaml").read_text()


def test_extract_of_invalid_utf8_is_one_line_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "009_bad.txt"
    bad.write_bytes("锦南街道党工委书记".encode() + b"\xff\xfe\n")
    out = tmp_path / "out"
    code, _, err = run(["extract", str(ARTICLES[0]), str(bad), "--out", str(out)], capsys)
    assert code == 1
    line = err.strip()
    assert line.startswith(f"error: {bad}:1:") and "UTF-8" in line and "\n" not in line
    assert not out.exists() or not any(out.iterdir())


def test_extract_of_a_missing_file_is_a_usage_error(tmp_path, capsys):
    code, _, err = run(["extract", str(tmp_path / "nope.txt")], capsys)
    assert code == 2 and "does not exist" in err


def test_several_articles_need_an_output_folder(capsys):
    code, _, err = run(["extract", *map(str, ARTICLES[:2])], capsys)
    assert code == 2 and "--out" in err


def test_eval_of_a_broken_draft_names_file_and_line(tmp_path, capsys):
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "000.yaml").write_text("article:\n  id: [000\n")
    code, _, err = run(["eval", "--gold", str(DATA / "facts"), "--pred", str(drafts)], capsys)
    assert code == 1
    assert err.startswith(f"error: {drafts / '000.yaml'}:") and "invalid YAML" in err
