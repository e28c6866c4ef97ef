"""Start-up of the ``kg`` command against the bare interpreter, in one run.

``kg --help`` should cost little more than starting Python: the CLI imports no heavy
module (rdflib, pyoxigraph, networkx, jieba) until a command runs. Each command is run
``--repeat`` times, alternating, and the medians are compared.

    .venv/bin/python bench/bench_cli.py --repeat 15
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-c", "from kg.cli import main; main(['--help'])"]
BARE = [sys.executable, "-c", "pass"]
HEAVY = ("rdflib", "pyoxigraph", "networkx", "jieba", "opencc", "pyrudof", "httpx", "rich")


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def heavy_imports() -> list[str]:
    probe = "import sys; from kg.cli import cli; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [name for name in HEAVY if name in loaded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    kg, bare = [], []
    for _ in range(args.repeat):
        kg.append(seconds(KG))
        bare.append(seconds(BARE))
    result = {
        "kg --help s": round(statistics.median(kg), 3),
        "python -c pass s": round(statistics.median(bare), 3),
        "ratio": round(statistics.median(kg) / statistics.median(bare), 1),
        "heavy modules imported by kg.cli": heavy_imports(),
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
