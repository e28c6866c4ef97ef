"""Where an annotator waits: ``kg build`` cold, warm after a one-file edit, and its memory.

    python bench/incremental.py --articles 300 3000

For each corpus size, in one run (ratios; the machine is shared and noisy):

* ``parse``: rdflib parsing the same triples from N-Triples (the baseline of bench/run.py);
* ``build``: :func:`kg.build` without shapes, no cache (the loader and the triples);
* ``kg build``: the whole command in a fresh process — no cache, without and with shapes —
  then again after changing one fact file, with the cache (``--no-shapes`` and with);
* ``shapes``: what checking the shapes adds to a clean ``kg build``, ÷ the build;
* peak resident memory (VmHWM) of each ``kg build`` process, minus that of the
  interpreter with the libraries imported, per triple.

The edit rewrites one metric's number in one article and its fact file, as an annotator
fixing a typo would.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.child import PRELUDE  # noqa: E402
from bench.generate import generate  # noqa: E402

KG_BUILD = PRELUDE + """

import kg.cli, kg.builder, kg.outputs, kg.export, kg.validate, pyrudof, pyoxigraph
before = status("VmRSS")
start = time.perf_counter()
try:
    kg.cli.main(sys.argv[1:])
except SystemExit as exc:
    if exc.code:
        raise
print(json.dumps({{"s": time.perf_counter() - start, "peak_kb": status("VmHWM"),
                  "imports_kb": before}}), file=sys.stderr)
"""


def kg_build(*args: str, root: Path = ROOT) -> dict:
    """One ``kg build`` in a fresh process: seconds and peak memory above the imports.

    ``root`` is the checkout whose ``kg`` runs (another one gives the baseline)."""
    done = subprocess.run(
        [sys.executable, "-c", KG_BUILD.format(root=str(root)), "build", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def edit_one_file(corpus: Path, turn: int) -> None:
    """Change one metric's number in the middle article and in its fact file."""
    facts = sorted((corpus / "facts").glob("*.yaml"))
    path = facts[len(facts) // 2]
    text = path.read_text("utf-8")
    match = re.search(r"value: '(\d+)'\n", text)
    if match is None:
        raise SystemExit(f"{path}: no whole-number metric to edit")
    old = match[1]
    new = str(int(old) + 1 + turn)
    quote = re.search(rf"quote: (\S*{old}\S*)\n", text[match.end() :])
    if quote is None:
        raise SystemExit(f"{path}: the metric's quote was not found")
    article = corpus / "articles" / f"{path.stem}.txt"
    sentence = quote[1]
    changed = sentence.replace(old, new, 1)
    article.write_text(article.read_text("utf-8").replace(sentence, changed, 1), "utf-8")
    text = text.replace(f"value: '{old}'\n", f"value: '{new}'\n", 1).replace(
        f"quote: {sentence}\n", f"quote: {changed}\n", 1
    )
    path.write_text(text, "utf-8")


def bench(articles: int, work: Path, baseline: Path | None = None) -> dict:
    from rdflib import Graph

    from kg.builder import build

    source = work / f"corpus-{articles}"
    if not (source / "facts").is_dir():
        generate(articles, source)
    corpus = work / f"edited-{articles}"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.copytree(source, corpus)
    out = work / f"out-{articles}"
    shutil.rmtree(out, ignore_errors=True)

    start = time.perf_counter()
    result = build(corpus, validate=False)
    build_s = time.perf_counter() - start
    triples = result.triple_count
    nt = result.ntriples()
    result = None
    start = time.perf_counter()
    Graph().parse(data=nt, format="nt")
    parse_s = time.perf_counter() - start
    nt = None

    data = ["--data", str(corpus), "--out", str(out)]
    before = before_shapes = before_warm = None
    if baseline is not None:  # the same builds by another checkout
        # A checkout with a cache builds cold with --no-cache (else its second build would
        # be a warm one), and then does the same one edit as this one, for a before/after.
        cached = "--no-cache" in (baseline / "kg" / "cli.py").read_text("utf-8")
        flag = ["--no-cache"] if cached else []
        before = kg_build(*data, "--no-shapes", *flag, root=baseline)
        before_shapes = kg_build(*data, *flag, root=baseline)
        if cached:
            kg_build(*data, "--no-shapes", root=baseline)  # fills its cache
            edit_one_file(corpus, 2)
            before_warm = kg_build(*data, "--no-shapes", root=baseline)
        shutil.rmtree(out, ignore_errors=True)
    cold = kg_build(*data, "--no-cache", "--no-shapes")
    cold_shapes = kg_build(*data, "--no-cache")
    kg_build(*data)  # fills the cache
    edit_one_file(corpus, 0)
    warm = kg_build(*data, "--no-shapes")
    edit_one_file(corpus, 1)
    warm_shapes = kg_build(*data)

    def per_triple(run: dict) -> float:
        return (run["peak_kb"] - run["imports_kb"]) * 1024 / triples

    if before is not None and before_shapes is not None:
        print(
            f"  baseline {baseline} at {articles} articles: kg build {before['s']:.2f} s, "
            f"+ shapes {before_shapes['s']:.2f} s (shapes ÷ build "
            f"{(before_shapes['s'] - before['s']) / before['s']:.2f}); peak B/triple "
            f"{per_triple(before):.0f} / {per_triple(before_shapes):.0f}"
            + (
                f"; one edit {before_warm['s']:.2f} s (÷ its cold "
                f"{before_warm['s'] / before['s']:.2f})"
                if before_warm is not None
                else ""
            )
            + f"; load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
    return {
        "articles": articles,
        "triples": triples,
        "load": os.getloadavg()[0],
        "parse_s": parse_s,
        "build_s": build_s,
        "build_per_s": triples / build_s,
        "build_vs_parse": parse_s / build_s,
        "kg_build_s": cold["s"],
        "kg_build_shapes_s": cold_shapes["s"],
        "shapes_vs_build": (cold_shapes["s"] - cold["s"]) / cold["s"],
        "warm_s": warm["s"],
        "warm_vs_cold": warm["s"] / cold["s"],
        "warm_shapes_s": warm_shapes["s"],
        "warm_shapes_vs_cold": warm_shapes["s"] / cold_shapes["s"],
        "peak_cold": per_triple(cold),
        "peak_cold_shapes": per_triple(cold_shapes),
        "peak_warm_shapes": per_triple(warm_shapes),
    }


COLUMNS = (
    "| articles | triples | load | rdflib parse s | build s | triples/s | build ÷ parse "
    "| kg build s | + shapes s | shapes ÷ build | one edit s | ÷ cold | one edit + shapes s "
    "| ÷ cold | peak B/triple (kg build / + shapes / one edit + shapes) |"
)


def startup(repeat: int = 5) -> tuple[float, float]:
    """Median seconds of ``kg --help`` and of a bare ``python -c pass``, in fresh processes."""
    import statistics

    kg = str(Path(sys.executable).with_name("kg"))

    def median(command: list[str]) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    return median([kg, "--help"]), median([sys.executable, "-c", "pass"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[300])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "corpus")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="another checkout of the project to run the same cold builds with, for a "
        "before/after in one run (e.g. 'git archive COMMIT | tar -x -C DIR')",
    )
    args = parser.parse_args()
    print(COLUMNS)
    print("|" + "---|" * (COLUMNS.count(" | ") + 1))
    rows = []
    for n in args.articles:
        r = bench(n, args.work, args.baseline)
        rows.append(r)
        print(
            f"| {r['articles']} | {r['triples']:,} | {r['load']:.1f} | {r['parse_s']:.2f} | "
            f"{r['build_s']:.2f} | {r['build_per_s']:,.0f} | {r['build_vs_parse']:.1f} | "
            f"{r['kg_build_s']:.2f} | {r['kg_build_shapes_s']:.2f} | "
            f"{r['shapes_vs_build']:.2f} | {r['warm_s']:.2f} | {r['warm_vs_cold']:.2f} | "
            f"{r['warm_shapes_s']:.2f} | {r['warm_shapes_vs_cold']:.2f} | "
            f"{r['peak_cold']:.0f} / {r['peak_cold_shapes']:.0f} / {r['peak_warm_shapes']:.0f} |",
            flush=True,
        )
    help_s, python_s = startup()
    print(f"kg --help: {help_s:.2f} s (python -c pass: {python_s:.2f} s, {help_s / python_s:.1f}x)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
