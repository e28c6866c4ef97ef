"""kg extract on the development corpus (tests/extract_corpus): every draft of both halves
loads and builds as it is, and the scores on the test half do not fall below the committed
snapshot (tests/extract_snapshot.json) by more than TOLERANCE.

The test half is never used to tune a rule; its figures are what the extractor does on
articles it was not written for. When a change raises them, write the new snapshot with

    .venv/bin/python -m tests.test_extract_corpus

and commit it with the change (a lower snapshot is a regression to justify, not to commit
silently).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

import kg
from kg.evaluate import Report, evaluate
from kg.extract import batch

CORPUS = Path(__file__).resolve().parent / "extract_corpus"
SNAPSHOT = Path(__file__).resolve().parent / "extract_snapshot.json"
TOLERANCE = 0.02
"""How far a figure may fall below the snapshot: one item of the smaller classes moves
their F1 by more, so the snapshot is kept for rows with at least 10 gold items."""
MIN_GOLD = 10


def _draft_half(half: str, data: Path) -> Path:
    """Copy a half's articles into a data folder and draft them all into data/facts."""
    shutil.copytree(CORPUS / half / "articles", data / "articles")
    articles = [batch.Article.at(p) for p in sorted((data / "articles").glob("*.txt"))]
    outcomes = list(batch.write(articles, data / "facts"))
    assert [str(o.failure) for o in outcomes if o.failure] == []
    return data / "facts"


def figures(report: Report) -> dict[str, dict[str, float | int]]:
    """The rows kept in the snapshot: precision, recall and F1 of each row with enough gold
    items, and overall."""
    rows = [s for s in report.scores if s.gold >= MIN_GOLD] + [report.overall]
    return {
        s.cls: {"gold": s.gold, "precision": round(s.precision, 3), "recall": round(s.recall, 3),
                "f1": round(s.f1, 3)}
        for s in rows
    }  # fmt: skip


def half_scores(half: str, tmp_path: Path) -> dict[str, dict[str, float | int]]:
    facts = _draft_half(half, tmp_path / half)
    report = evaluate(CORPUS / half / "facts", facts, tmp_path / half / "articles")
    return figures(report)


@pytest.mark.parametrize("half", ["tune", "test"])
def test_every_draft_of_the_corpus_loads_and_builds(half: str, tmp_path: Path) -> None:
    data = tmp_path / half
    _draft_half(half, data)
    result = kg.build(data)
    assert result.triple_count > 1000


def test_test_half_does_not_fall_below_its_snapshot(tmp_path: Path) -> None:
    snapshot = json.loads(SNAPSHOT.read_text("utf-8"))
    now = half_scores("test", tmp_path)
    fallen = [
        f"{row} {key} {now[row][key]:.3f} < {was[key]:.3f} - {TOLERANCE}"
        for row, was in snapshot.items()
        for key in ("precision", "recall", "f1")
        if row in now and now[row][key] < was[key] - TOLERANCE
    ]
    missing = sorted(set(snapshot) - set(now))
    assert not fallen and not missing, (fallen, missing)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        scores = half_scores("test", Path(folder))
    SNAPSHOT.write_text(json.dumps(scores, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(json.dumps(scores, ensure_ascii=False, indent=1), file=sys.stderr)
