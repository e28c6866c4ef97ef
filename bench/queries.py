"""The competency queries one by one: ``kg.query`` of this checkout and of another (the
code before, ``--baseline DIR``) against rdflib's own evaluator, on one generated corpus.

    git archive main | tar -x -C /tmp/q-before
    python bench/queries.py --articles 300 3000 --baseline /tmp/q-before
    python bench/queries.py --seeds --articles 30 300 --baseline /tmp/q-before --no-rdflib

Each query's time is ``kg.query(store, name)`` plus reading every row as rdflib terms (what
rdflib's answer already holds), in a forked child stopped at ``--budget`` seconds (then
shown as ``> budget``); the query texts are checked beforehand, as :mod:`kg.sparql` keeps
them per text. Each checkout runs in its own process on the same N-Quads. With a baseline,
"= before" compares the two answers cell by cell, in order (a digest of every row's terms):
a rewritten query must give the same rows in the same order. ``--seeds`` adds the project's
own data (``data/``), whose division-table records and dates the generator does not make.
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
import hashlib, json, multiprocessing, sys, time
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
    seconds = time.perf_counter() - start
    cells = [[None if t is None else t.n3() for t in row] for row in result.rows]
    digest = hashlib.sha256(json.dumps(cells, ensure_ascii=False).encode()).hexdigest()
    sender.send((seconds, rows, digest))

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
    parser.add_argument("--no-rdflib", action="store_true", help="kg only: compare answers")
    parser.add_argument("--seeds", action="store_true", help="also the project's data/ folder")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import pyoxigraph as ox

    from bench.generate import generate
    from kg.builder import build

    corpora: list[int | None] = [None] if args.seeds else []
    for n in [*corpora, *args.articles]:
        if n is None:
            corpus, nq = ROOT / "data", args.work / "seeds.nq"
            nq.unlink(missing_ok=True)  # the seeds change with the code: always rebuilt
        else:
            corpus, nq = args.work / f"corpus-{n}", args.work / f"corpus-{n}.nq"
        args.work.mkdir(parents=True, exist_ok=True)
        if n is not None and not (corpus / "facts").is_dir():
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
        theirs = {} if args.no_rdflib else rdflib_seconds(nt, args.rdflib_budget)
        what = "the seeds" if n is None else f"{n} articles"
        print(f"\n{what}, {triples:,} triples, load {load:.1f} → {os.getloadavg()[0]:.1f}")
        print("| query | rows | rdflib s | before s | after s | after × rdflib | = before |")
        print("|---|---|---|---|---|---|---|")

        def s(value: tuple | None, budget: float) -> str:
            return f"> {budget:g}" if value is None else f"{value[0]:.2f}"

        for name, ours in after.items():
            rdf = theirs.get(name)
            ratio = (
                ""
                if ours is None or args.no_rdflib
                else (
                    f"≥ {args.rdflib_budget / ours[0]:.0f}"
                    if rdf is None
                    else f"{rdf[0] / ours[0]:.0f}"
                )
            )
            rows = ours[1] if ours else "?"
            old = before.get(name)
            same = "" if not ours or not old else ("yes" if ours[2] == old[2] else "**no**")
            print(
                f"| {name} | {rows:,} | {'' if args.no_rdflib else s(rdf, args.rdflib_budget)} | "
                f"{s(old, args.budget) if args.baseline else ''} | "
                f"{s(ours, args.budget)} | {ratio} | {same} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
