"""Benchmarks as ratios measured in one run (these machines are noisy; absolute seconds
drift, ratios against a baseline in the same process much less).

    python bench/run.py --articles 30 300          # ~10 k and ~100 k triples
    python bench/run.py --articles 30 300 3000     # and ~1 M triples (several minutes)

For each corpus size it measures:

* build: our end-to-end build (read fact files, locate quotes, check, build the triples),
  with and without the SHACL shapes, against the plain-rdflib baseline of parsing the
  same triples from N-Triples into a Graph;
* Turtle export: ``kg.export.serialize_build`` (what ``kg build`` writes) against rdflib's
  Turtle serializer on the same graph;
* queries: every competency query with ``kg.query`` (Oxigraph) against rdflib's own SPARQL
  evaluator (each stopped at a budget and then counted at the budget);
* memory: peak resident memory of a build in a fresh process, per triple, without and with
  the shapes, beside that of the rdflib baseline (parse only).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.child import PRELUDE  # noqa: E402
from bench.generate import generate  # noqa: E402


def timed(fn, repeat: int = 1):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def rdflib_query_seconds(graph, text: str, namespaces: dict, budget: float) -> float | None:  # type: ignore[no-untyped-def]
    """rdflib's own evaluation time, in a forked child killed at ``budget`` seconds."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def child() -> None:
        start = time.perf_counter()
        list(graph.query(text, initNs=namespaces))
        sender.send(time.perf_counter() - start)

    process = context.Process(target=child, daemon=True)
    process.start()
    sender.close()
    seconds = receiver.recv() if receiver.poll(budget) else None
    if process.is_alive():
        process.kill()
    process.join()
    return seconds


PEAK_RSS = PRELUDE + """

what, corpus = sys.argv[1], sys.argv[2]
from rdflib import Graph
from kg.builder import build
import pyrudof, pyoxigraph
before = status("VmRSS")
if what == "rdflib":
    n = len(Graph().parse(corpus, format="nt"))
else:
    n = build(corpus, validate=(what == "shapes")).triple_count
print(json.dumps({{"triples": n, "peak_kb": status("VmHWM"), "imports_kb": before}}))
"""


def peak_rss_per_triple(what: str, source: Path) -> float:
    """Peak resident memory of a fresh process doing ``what``, in bytes per triple.

    The interpreter and imported libraries (measured before the work) are subtracted, so
    the figure is what the data costs.
    """
    out = subprocess.run(
        [sys.executable, "-c", PEAK_RSS.format(root=str(ROOT)), what, str(source)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    figures = json.loads(out)
    return (figures["peak_kb"] - figures["imports_kb"]) * 1024 / figures["triples"]


def bench(articles: int, work: Path, rdflib_query_budget: float) -> dict:
    from rdflib import Graph

    from kg import export
    from kg.builder import build
    from kg.ontology import PREFIXES
    from kg.sparql import named_queries
    from kg.store import query

    corpus = work / f"corpus-{articles}"
    if not (corpus / "facts").is_dir():
        generate(articles, corpus)
    build_s, result = timed(lambda: build(corpus, validate=False))
    shapes_s, _ = timed(lambda: build(corpus, validate=True))
    triples = result.triple_count
    nt = result.ntriples()
    nt_path = work / f"corpus-{articles}.nt"
    nt_path.write_bytes(nt)
    parse_s, union = timed(lambda: Graph().parse(data=nt, format="nt"))

    ttl_rdflib_s, _ = timed(lambda: union.serialize(format="turtle", encoding="utf-8"))
    ttl_ours_s, _ = timed(lambda: export.serialize(result, "turtle"), repeat=3)

    store = result.store()
    ours, theirs, skipped = 0.0, 0.0, []
    namespaces = {p: str(ns) for p, ns in PREFIXES.items()}
    for name, q in named_queries().items():
        # every row read as rdflib terms, as rdflib's own answer holds them
        ours_s, _ = timed(lambda q=q: list(query(store, q.text).rows), repeat=3)
        rdflib_s = rdflib_query_seconds(union, q.text, namespaces, rdflib_query_budget)
        if rdflib_s is None:
            # Counted at the budget: the ratio is then a lower bound, and said to be one.
            skipped.append(f"{name}: rdflib did not finish in {rdflib_query_budget:g} s")
            rdflib_s = rdflib_query_budget
        ours += ours_s
        theirs += rdflib_s
    union = None  # free it before the memory measurements
    return {
        "articles": articles,
        "triples": triples,
        "build_s": build_s,
        "build_triples_per_s": triples / build_s,
        "build_shapes_s": shapes_s,
        "baseline_parse_s": parse_s,
        "build_vs_parse": parse_s / build_s,
        "build_shapes_vs_parse": parse_s / shapes_s,
        "ttl_rdflib_s": ttl_rdflib_s,
        "ttl_ours_s": ttl_ours_s,
        "ttl_speedup": ttl_rdflib_s / ttl_ours_s,
        "queries_rdflib_s": theirs,
        "queries_ours_s": ours,
        "query_speedup": theirs / ours if ours else float("nan"),
        "rss_build": peak_rss_per_triple("build", corpus),
        "rss_shapes": peak_rss_per_triple("shapes", corpus),
        "rss_rdflib": peak_rss_per_triple("rdflib", nt_path),
        "notes": skipped,
    }


COLUMNS = (
    "| articles | triples | build s | triples/s | build ÷ rdflib parse | with shapes s "
    "| with shapes ÷ parse | Turtle rdflib s | Turtle kg s | Turtle × | queries rdflib s "
    "| queries kg s | queries × | peak B/triple (build / +shapes / rdflib parse) |"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "corpus")
    parser.add_argument(
        "--rdflib-query-budget",
        type=float,
        default=30,
        help="seconds after which an rdflib query is stopped and counted",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    rows = []
    print(COLUMNS)
    print("|" + "---|" * COLUMNS.count(" | ") + "---|")
    for n in args.articles:
        r = bench(n, args.work, args.rdflib_query_budget)
        rows.append(r)
        print(
            f"| {r['articles']} | {r['triples']:,} | {r['build_s']:.2f} | "
            f"{r['build_triples_per_s']:,.0f} | {r['build_vs_parse']:.1f} | "
            f"{r['build_shapes_s']:.2f} | {r['build_shapes_vs_parse']:.1f} | "
            f"{r['ttl_rdflib_s']:.2f} | {r['ttl_ours_s']:.3f} | {r['ttl_speedup']:.0f} | "
            f"{r['queries_rdflib_s']:.2f} | {r['queries_ours_s']:.3f} | "
            f"{r['query_speedup']:.0f} | "
            f"{r['rss_build']:.0f} / {r['rss_shapes']:.0f} / {r['rss_rdflib']:.0f} |",
            flush=True,
        )
        for note in r["notes"]:
            print(f"  note ({r['articles']} articles): {note}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
