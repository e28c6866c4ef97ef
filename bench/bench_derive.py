"""What deriving facts by office costs, as a ratio to the stated build in the same run.

    python bench/bench_derive.py --articles 30 300 3000

For each synthetic corpus (bench/generate.py: every article has a subdistrict, its party
secretary and initiatives it organizes) it times the stated build (statements and their
N-Triples lines, fact files already loaded) and ``kg.derive.derive`` over it (loading the
stated lines into Oxigraph, running every rule of ontology/rules/, the readable quotes),
and prints derive / stated, with the number of derived facts.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import generate  # noqa: E402


def measure(articles: int) -> dict[str, float]:
    from kg.derive import derive
    from kg.facts import load_corpus
    from kg.rdf import lines
    from kg.statements import statements

    with tempfile.TemporaryDirectory() as folder:
        corpus = load_corpus(generate(articles, Path(folder) / "data"))
        start = time.perf_counter()
        made = statements(corpus)
        graphs = lines(made)
        stated = time.perf_counter() - start
        start = time.perf_counter()
        derived = derive(corpus, graphs)
        deriving = time.perf_counter() - start
    triples = sum(len(g) for g in graphs.values())
    return {
        "articles": articles,
        "triples": triples,
        "derived": len(derived.facts),
        "stated_s": stated,
        "derive_s": deriving,
        "ratio": deriving / stated,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[30, 300])
    args = parser.parse_args()
    measure(5)  # warm up: parsing the rules, loading OpenCC
    for n in args.articles:
        row = measure(n)
        print(
            f"{row['articles']:>6} articles {row['triples']:>9,} triples "
            f"{row['derived']:>7,} derived: derive / stated build = {row['ratio']:.2f}"
        )


if __name__ == "__main__":
    main()
