"""Benchmarks as ratios measured in one run (these machines are noisy; absolute seconds
drift, ratios against a baseline in the same process much less).

    python bench/run.py --articles 30 300          # ~10 k and ~100 k triples
    python bench/run.py --articles 3000            # ~1 M triples (minutes)

For each corpus size it measures:

* build: our end-to-end build (load fact files, locate quotes, build, SHACL) against the
  plain-rdflib baseline of parsing the same triples from N-Triples into a Graph;
* Turtle export: rdflib's serializer (what ``kg build`` uses today) against pyoxigraph's;
* queries: every competency query in rdflib's own SPARQL evaluator against ``kg.query``
  (rdflib parses and checks, Oxigraph evaluates);
* peak memory per triple of the build (tracemalloc).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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
    import multiprocessing

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


def bench(articles: int, work: Path, rdflib_query_budget: float) -> dict:
    import pyoxigraph as ox
    from rdflib import Graph

    from kg import export
    from kg.build import build
    from kg.ontology import PREFIXES
    from kg.query import named_queries, query

    corpus = work / f"corpus-{articles}"
    if not (corpus / "facts").is_dir():
        generate(articles, corpus)
    build_s, result = timed(lambda: build(corpus))
    tracemalloc.start()  # a second build, traced: tracing slows Python several-fold
    build(corpus)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    union = result.union()
    triples = len(union)
    nt = export.serialize(union, "nt")
    parse_s, _ = timed(lambda: Graph().parse(data=nt, format="nt"))

    ttl_rdflib_s, _ = timed(lambda: export.serialize(union, "turtle"))
    store = ox.Store()
    store.bulk_load(nt, format=ox.RdfFormat.N_TRIPLES)
    ttl_ox_s, _ = timed(
        lambda: store.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph()), repeat=3
    )

    prepared = result.store()
    ours, theirs, skipped = 0.0, 0.0, []
    namespaces = {p: str(ns) for p, ns in PREFIXES.items()}
    for name, q in named_queries().items():
        ours_s, _ = timed(lambda q=q: query(prepared, q.text), repeat=3)
        rdflib_s = rdflib_query_seconds(union, q.text, namespaces, rdflib_query_budget)
        if rdflib_s is None:
            # Counted at the budget: the ratio is then a lower bound, and said to be one.
            skipped.append(f"{name}: rdflib did not finish in {rdflib_query_budget:g} s")
            rdflib_s = rdflib_query_budget
        ours += ours_s
        theirs += rdflib_s
    return {
        "articles": articles,
        "triples": triples,
        "build_s": build_s,
        "build_triples_per_s": triples / build_s,
        "baseline_parse_s": parse_s,
        "build_vs_parse": parse_s / build_s,
        "ttl_rdflib_s": ttl_rdflib_s,
        "ttl_oxigraph_s": ttl_ox_s,
        "ttl_speedup": ttl_rdflib_s / ttl_ox_s,
        "queries_rdflib_s": theirs,
        "queries_ours_s": ours,
        "query_speedup": theirs / ours if ours else float("nan"),
        "peak_bytes_per_triple": peak / triples,
        "notes": skipped,
    }


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
    args = parser.parse_args()
    rows = [bench(n, args.work, args.rdflib_query_budget) for n in args.articles]
    print(
        "| articles | triples | build s | triples/s | build ÷ rdflib parse | Turtle rdflib s "
        "| Turtle Oxigraph s | Turtle × | queries rdflib s | queries kg s "
        "| queries × (≥ if a note says so) "
        "| peak B/triple |"
    )
    print("|" + "---|" * 12)
    for r in rows:
        print(
            f"| {r['articles']} | {r['triples']:,} | {r['build_s']:.2f} | "
            f"{r['build_triples_per_s']:,.0f} | {r['build_vs_parse']:.2f} | "
            f"{r['ttl_rdflib_s']:.2f} | {r['ttl_oxigraph_s']:.3f} | {r['ttl_speedup']:.0f} | "
            f"{r['queries_rdflib_s']:.2f} | {r['queries_ours_s']:.3f} | "
            f"{r['query_speedup']:.0f} | {r['peak_bytes_per_triple']:.0f} |"
        )
        for note in r["notes"]:
            print(f"  note ({r['articles']} articles): {note}")


if __name__ == "__main__":
    main()
