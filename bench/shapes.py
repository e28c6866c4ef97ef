"""SHACL engines side by side on the same graph: time, peak memory, and what they find.

    python bench/shapes.py --articles 30 300

The graph is a synthetic corpus's build with damage, so that there is something to find:
every 40th evidence loses its type (breaking the ``sh:class`` checks of statements that
cite it) and every 50th label is dropped. Candidates, each in a fresh process:

* ``rudof``: pyrudof over the whole graph in one run (what a plain call does);
* ``kg``: :func:`kg.builder.shape_violations`'s way, rudof per named graph's own subjects
  plus one job for shared subjects, batched, in threads (no cache);
* ``turbo``: pyshacl-turbo (Rust, pySHACL-compatible API), whole graph;
* ``pyshacl``: pySHACL over an rdflib graph (skipped above ``--pyshacl-max`` triples).

Each reports its violations as (focus node, path, constraint component); the table says
how many, and whether the set is the same as rudof's.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.child import PRELUDE  # noqa: E402
from bench.generate import generate  # noqa: E402

KG = "https://w3id.org/jiedao-kg/ontology#"
SH = "http://www.w3.org/ns/shacl#"

ENGINE = PRELUDE + """

engine, path = sys.argv[1], sys.argv[2]
import rdflib, pyrudof, pyoxigraph
from kg import validate
data = open(path, encoding="utf-8").read()
graphs = json.load(open(path + ".graphs.json"))
before = status("VmRSS")
start = time.perf_counter()
if engine == "rudof":
    found = {{(v.focus, v.path, v.component) for v in validate._validate(data)}}
elif engine == "kg":
    jobs, shared = validate.graph_jobs({{g: set(lines) for g, lines in graphs.items()}})
    results = validate.run_jobs([*jobs.values(), shared])
    found = {{(v.focus, v.path, v.component) for vs in results.values() for v in vs}}
else:
    SH = "http://www.w3.org/ns/shacl#"
    if engine == "turbo":
        import pyshacl_turbo
        shapes = pyshacl_turbo.compile_shapes(validate.shapes_text(), shacl_graph_format="turtle")
        conforms, report, _ = shapes.validate(data, data_graph_format="nt")
    else:
        import pyshacl
        graph = rdflib.Graph().parse(data=data, format="nt")
        conforms, report, _ = pyshacl.validate(
            graph, shacl_graph=validate.shapes_text(), shacl_graph_format="turtle"
        )
    found = set()
    for result in report.subjects(rdflib.RDF.type, rdflib.URIRef(SH + "ValidationResult")):
        focus = report.value(result, rdflib.URIRef(SH + "focusNode"))
        path = report.value(result, rdflib.URIRef(SH + "resultPath"))
        component = str(report.value(result, rdflib.URIRef(SH + "sourceConstraintComponent")))
        component = component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        found.add((str(focus), str(path) if path is not None else None, component))
seconds = time.perf_counter() - start
print(json.dumps({{"s": seconds, "peak_kb": status("VmHWM"), "imports_kb": before,
                  "found": sorted(found, key=str)}}))
"""


def damaged(articles: int, work: Path) -> tuple[Path, int]:
    """The damaged graph as N-Triples (and its named graphs beside it), and its size."""
    from kg.builder import build

    corpus = work / f"corpus-{articles}"
    if not (corpus / "facts").is_dir():
        generate(articles, corpus)
    result = build(corpus, validate=False)
    evidence = [line for line in result.triples if line.endswith(f"<{KG}Evidence> .")]
    labels = [line for line in result.triples if "rdf-schema#label>" in line]
    dropped = set(evidence[::40]) | set(labels[::50])
    path = work / f"damaged-{articles}.nt"
    kept = [line for line in result.triples if line not in dropped]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    graphs = {g: sorted(set(lines) - dropped) for g, lines in result.graphs.items()}
    Path(str(path) + ".graphs.json").write_text(json.dumps(graphs), encoding="utf-8")
    return path, len(kept)


def run(engine: str, path: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", ENGINE.format(root=str(ROOT)), engine, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[30, 300])
    parser.add_argument("--engines", nargs="+", default=["rudof", "kg", "turbo", "pyshacl"])
    parser.add_argument("--pyshacl-max", type=int, default=150_000)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "corpus")
    args = parser.parse_args()
    print("| articles | triples | engine | s | ÷ rudof | peak B/triple | violations | = rudof |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.articles:
        path, triples = damaged(n, args.work)
        base = None
        for engine in args.engines:
            if engine == "pyshacl" and triples > args.pyshacl_max:
                print(f"| {n} | {triples:,} | {engine} | skipped (> --pyshacl-max) | | | | |")
                continue
            r = run(engine, path)
            found = {tuple(v) for v in r["found"]}
            if base is None:
                base = (r["s"], found)
            peak = (r["peak_kb"] - r["imports_kb"]) * 1024 / triples
            same = "yes" if found == base[1] else f"no ({len(found ^ base[1])} differ)"
            print(
                f"| {n} | {triples:,} | {engine} | {r['s']:.2f} | {r['s'] / base[0]:.2f} | "
                f"{peak:.0f} | {len(found)} | {same} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
