"""The full build (loader, lines, shapes) at scale, against another checkout, in one run.

    python bench/loader.py --articles 300 3000 --baseline /tmp/kg-before

For each corpus size (made by bench/generate.py), each checkout runs ``kg.build`` in a
fresh process, without shapes and then with them, alternating so that both see the same
load: wall seconds, triples per second, CPU seconds of the parent and of its worker
processes (``getrusage``), and the peak resident memory (VmHWM) of the parent above the
interpreter with the libraries imported, per triple. The load average is recorded with
each figure: this machine is shared, so compare ratios within a run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.child import PRELUDE  # noqa: E402
from bench.generate import generate  # noqa: E402

BUILD = PRELUDE + """
import resource

import kg.builder, kg.validate, pyrudof, pyoxigraph
before = status("VmRSS")
start, cpu = time.perf_counter(), time.process_time()
result = kg.builder.build({data!r}, validate={shapes!r})
n = result.triple_count
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({{"s": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                  "workers_cpu": children.ru_utime + children.ru_stime, "triples": n,
                  "peak_kb": status("VmHWM"), "imports_kb": before}}))
"""


def run(root: Path, data: Path, shapes: bool) -> dict:
    """One build in a fresh process with ``root``'s code; its figures and the load."""
    done = subprocess.run(
        [sys.executable, "-c", BUILD.format(root=str(root), data=str(data), shapes=shapes)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["per_triple"] = (figures["peak_kb"] - figures["imports_kb"]) * 1024 / figures["triples"]
    figures["rate"] = figures["triples"] / figures["s"]
    figures["load"] = os.getloadavg()[0]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[300])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "corpus")
    parser.add_argument("--baseline", type=Path, default=None, help="another checkout")
    parser.add_argument("--no-shapes", action="store_true", help="only builds without shapes")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    roots = {"after": ROOT} if args.baseline is None else {"before": args.baseline, "after": ROOT}
    rows = []
    for articles in args.articles:
        data = args.work / str(articles)
        if not (data / "facts").is_dir():
            generate(articles, data)
        for shapes in (False,) if args.no_shapes else (False, True):
            for name, root in roots.items():
                figures = run(root, data, shapes)
                row = {"articles": articles, "code": name, "shapes": shapes, **figures}
                rows.append(row)
                print(
                    f"{articles:>5} {name:<6} shapes={shapes!s:<5} {row['triples']:>9,} triples "
                    f"{row['s']:7.2f} s {row['rate']:>8,.0f}/s  cpu parent {row['cpu']:6.2f} "
                    f"workers {row['workers_cpu']:6.2f}  peak {row['per_triple']:5.0f} B/triple "
                    f"load {row['load']:.1f}",
                    flush=True,
                )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
