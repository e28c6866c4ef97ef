"""The bad-input corpus: every broken fact file or article gives its exact one-line error.

Each folder in ``tests/bad_inputs/`` is a small data directory (``facts/`` and, where the
case is about the article, ``articles/``; otherwise the real seed article 000 is used) and
``expected.txt``, the exact stderr of ``kg validate`` with the data path written as
``DATA``. Every case must exit 1, print no traceback and write nothing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

CASES = Path(__file__).parent / "bad_inputs"
ARTICLE = Path(__file__).parent.parent / "data" / "articles" / "000_55e4261343172afa.txt"


def make_data(case: Path, root: Path) -> Path:
    data = root / "data"
    shutil.copytree(case / "facts", data / "facts")
    if (case / "articles").is_dir():
        shutil.copytree(case / "articles", data / "articles")
    else:
        (data / "articles").mkdir()
        shutil.copy(ARTICLE, data / "articles" / ARTICLE.name)
    return data


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    return exit_info.value.code, capsys.readouterr().err


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_input_gives_its_exact_error(case, tmp_path, capsys):
    data = make_data(CASES / case, tmp_path)
    out = tmp_path / "out"
    code, err = run_cli(["build", "--data", str(data), "--out", str(out)], capsys)
    shown = err.replace(str(data), "DATA")
    expected = (CASES / case / "expected.txt").read_text("utf-8")
    assert code == 1
    assert "Traceback" not in shown
    assert shown == expected, f"\n--- actual ---\n{shown}"
    assert not out.exists(), "a failed build must write nothing"


def test_at_least_thirty_cases():
    assert len([p for p in CASES.iterdir() if (p / "expected.txt").is_file()]) >= 30


def test_huge_fact_file_is_refused_without_reading_it(tmp_path, capsys):
    data = make_data(CASES / "unknown-key", tmp_path)
    huge = data / "facts" / "000.yaml"
    with huge.open("ab") as handle:
        handle.truncate(50 * 1024 * 1024)
    code, err = run_cli(["validate", "--data", str(data)], capsys)
    assert code == 1
    assert err.strip().endswith("file is 52,428,800 bytes, more than the 5,000,000 allowed")


def test_a_real_process_shows_no_traceback(tmp_path):
    """The console script itself, not just main(): one line, exit 1."""
    data = make_data(CASES / "yaml-bomb", tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "validate", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
