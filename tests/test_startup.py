"""``kg --help`` starts fast: the CLI imports no heavy module until a command runs
(figures in bench/README.md, from bench/bench_cli.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.bench_cli import HEAVY

ROOT = Path(__file__).resolve().parent.parent


def test_help_imports_no_heavy_module():
    probe = (
        "import sys; from kg.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    loaded = set(out.splitlines()[-1].split())  # the modules, printed last
    assert [name for name in HEAVY if name in loaded] == []
    assert "Usage: kg" in out


def test_importing_kg_is_light_and_the_api_is_there():
    probe = (
        "import sys, kg; light = 'rdflib' not in sys.modules; "
        "print(light, callable(kg.build), callable(kg.query), kg.Store.__name__)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["True", "True", "True", "Store"]
