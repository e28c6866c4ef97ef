"""The competency queries one by one: ``kg.query`` of this checkout and of another (the
code before, ``--baseline DIR``) against rdflib's own evaluator, on one generated corpus.

    git archive main | tar -x -C /tmp/q-before
    python bench/queries.py --articles 300 3000 --baseline /tmp/q-before

Each query's time is ``kg.query(store, name)`` plus reading every row as rdflib terms (what
rdflib's answer already holds), in a forked child stopped at ``--budget`` seconds (then
shown as ``> budget``); the query texts are checked beforehand, as :mod:`kg.sparql` keeps
them per text. Each checkout runs in its own process on the same N-Quads.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, multiprocessing, sys, time
import pyoxigraph as ox
from kg.sparql import named_queries, prepare
from kg.store import query
nq, budget = sys.argv[1], float(sys.argv[2])
for name in named_queries():
    prepare(name)  # checked once per text and kept (kg.sparql), as in a session
store = ox.Store()
store.bulk_load(path=nq, format=ox.RdfFormat.N_QUADS)

def child(name, sender):
    start = time.perf_counter()
    result = query(store, name)
    rows = sum(1 for _ in result.rows)
    sender.send((time.perf_counter() - start, rows))

out = {}
for name in named_queries():
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(name, sender), daemon=True)
    process.start()
    out[name] = receiver.recv() if receiver.poll(budget) else None
    process.kill()
    process.join()
print(json.dumps(out))
"""


def checkout_seconds(checkout: Path, nq: Path, budget: float) -> dict:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    out = subprocess.run(
        [sys.executable, "-c", WORKER, str(nq), str(budget)],
        cwd=checkout,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def rdflib_seconds(nt: bytes, budget: float) -> dict:
    from rdflib import Graph

    sys.path.insert(0, str(ROOT))
    from kg.ontology import PREFIXES
    from kg.sparql import named_queries

    graph = Graph().parse(data=nt, format="nt")
    namespaces = {p: str(ns) for p, ns in PREFIXES.items()}
    out = {}
    for name, q in named_queries().items():
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def child(text: str = q.text, sender: Any = sender) -> None:
            start = time.perf_counter()
            rows = len(list(graph.query(text, initNs=namespaces)))
            sender.send((time.perf_counter() - start, rows))

        process = context.Process(target=child, daemon=True)
        process.start()
        out[name] = receiver.recv() if receiver.poll(budget) else None
        process.kill()
        process.join()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[300])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "corpus")
    parser.add_argument("--baseline", type=Path, help="another checkout: the code before")
    parser.add_argument("--budget", type=float, default=60, help="seconds per kg query")
    parser.add_argument("--rdflib-budget", type=float, default=30, help="seconds per rdflib query")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from bench.generate import generate
    from kg.builder import build

    for n in args.articles:
        corpus, nq = args.work / f"corpus-{n}", args.work / f"corpus-{n}.nq"
        if not (corpus / "facts").is_dir():
            generate(n, corpus)
        if not nq.exists():
            build(corpus, validate=False).store().dump(str(nq), format=ox.RdfFormat.N_QUADS)
        union = ox.Store()
        union.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        nt = union.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        triples = nt.count(b"\n")
        del union
        load = os.getloadavg()[0]
        after = checkout_seconds(ROOT, nq, args.budget)
        before = checkout_seconds(args.baseline, nq, args.budget) if args.baseline else {}
        theirs = rdflib_seconds(nt, args.rdflib_budget)
        print(f"\n{n} articles, {triples:,} triples, load {load:.1f} → {os.getloadavg()[0]:.1f}")
        print("| query | rows | rdflib s | before s | after s | after × rdflib |")
        print("|---|---|---|---|---|---|")

        def s(value: tuple | None, budget: float) -> str:
            return f"> {budget:g}" if value is None else f"{value[0]:.2f}"

        for name, ours in after.items():
            rdf = theirs.get(name)
            ratio = (
                ""
                if ours is None
                else (
                    f"≥ {args.rdflib_budget / ours[0]:.0f}"
                    if rdf is None
                    else f"{rdf[0] / ours[0]:.0f}"
                )
            )
            rows = ours[1] if ours else "?"
            print(
                f"| {name} | {rows:,} | {s(rdf, args.rdflib_budget)} | "
                f"{s(before.get(name), args.budget) if args.baseline else ''} | "
                f"{s(ours, args.budget)} | {ratio} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
