"""Shell completion (README): the named queries and the export formats complete."""

from __future__ import annotations

import os
import subprocess
import sys


def _complete(words: str) -> list[str]:
    env = {
        **os.environ,
        "_KG_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from kg.cli import cli; cli(prog_name='kg')"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if "," in line]


def test_named_queries_complete():
    from kg.sparql import named_queries

    assert _complete("kg query sec") == ["secretaries"]
    assert set(_complete("kg query ")) == set(named_queries())


def test_formats_and_commands_complete():
    assert "web-annotation" in _complete("kg export --format ")
    assert "labelstudio" in _complete("kg ")
