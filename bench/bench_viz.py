"""How fast the viewer opens in Chromium, against pyvis's own page as the baseline.

    python bench/bench_viz.py --nodes 1000 10000

For each size a synthetic graph shaped like the build's (subdistricts with officials,
initiatives, enterprises and metrics) is rendered by ``kg.viz.render`` and opened in
headless Chromium with the network blocked; we time navigation to the first
``afterDrawing`` (the page is drawn and interactive) and a search round trip. The baseline
is pyvis's default page for the same graph (``cdn_resources="in_line"``, physics on),
timed to the end of its stabilisation, at the sizes where that finishes in time.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def synthetic(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """About ``nodes`` nodes: clusters of one subdistrict with 1 official, 4 initiatives,
    3 enterprises and 12 metrics (20 nodes), every node with one evidence record."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph(articles={"s": {"title": "合成文章", "file": "articles/s.txt"}})
    ev = [{"article": "s", "title": "合成文章", "quote": "合成句子", "start": 0, "end": 4}]

    def add(node: str, label: str, kind: str, **extra: object) -> str:
        g.add_node(
            node, label=label, type=kind, alt_labels=[], articles=["s"], evidence=ev, **extra
        )
        return node

    for c in range(max(1, nodes // 20)):
        sd = add(f"sd{c}", f"第{c}街道", "Subdistrict")
        official = add(f"o{c}", f"官员{c}", "Official")
        g.add_edge(official, sd, key=f"post:{c}", label="党工委书记", evidence=ev)
        for i in range(4):
            ini = add(f"i{c}-{i}", f"举措{c}-{i}", "Initiative")
            g.add_edge(ini, sd, key="organizedBy", label="组织方", evidence=ev)
            g.add_edge(official, ini, key="leads", label="领导", evidence=ev)
        for e in range(3):
            ent = add(f"e{c}-{e}", f"企业{c}-{e}", "Enterprise")
            g.add_edge(f"i{c}-{rng.randrange(4)}", ent, key="serves", label="服务", evidence=ev)
        for m in range(12):
            metric = add(
                f"m{c}-{m}",
                f"指标{c}-{m}",
                "Metric",
                value=str(m),
                unit="家",
                indicator="企业",
                scale=None,
                qualifier=None,
                kind=None,
                period=None,
            )
            g.add_edge(metric, sd, key="refArea", label="指标对象", evidence=ev)
    return g


def open_page(browser, path: Path, ready: str, timeout_ms: int) -> float:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    start = time.perf_counter()
    page.goto(path.as_uri())
    page.wait_for_function(ready, timeout=timeout_ms)
    elapsed = time.perf_counter() - start
    page.close()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright
    from pyvis.network import Network

    from kg.viz import render

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--baseline-max-nodes", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        print(
            "| nodes | render s (Python) | open to first draw s | search round trip s "
            "| pyvis default to stabilised s | ratio |"
        )
        print("|---|---|---|---|---|---|")
        for n in args.nodes:
            graph = synthetic(n)
            start = time.perf_counter()
            ours = work / f"ours-{n}.html"
            render(graph, ours)
            render_s = time.perf_counter() - start
            open_s = open_page(browser, ours, "window.kgReady === true", 120_000)
            page = browser.new_page()
            page.goto(ours.as_uri())
            page.wait_for_function("window.kgReady === true", timeout=120_000)
            start = time.perf_counter()
            page.fill("#search", f"官员{n // 40}")
            page.wait_for_function("window.kgNetwork.getSelectedNodes().length === 1")
            search_s = time.perf_counter() - start
            page.close()
            baseline = "—"
            ratio = "—"
            if n <= args.baseline_max_nodes:
                net = Network(directed=True, cdn_resources="in_line")
                net.from_nx(nx.DiGraph(graph))
                theirs = work / f"pyvis-{n}.html"
                theirs.write_text(net.generate_html(), encoding="utf-8")
                ready = (
                    "window.network && (window.network.physics.stabilized || "
                    "!window.network.physics.physicsEnabled)"
                )
                try:
                    base_s = open_page(browser, theirs, ready, 300_000)
                    baseline, ratio = f"{base_s:.1f}", f"{base_s / open_s:.0f}×"
                except Exception as exc:  # report, do not hide, a baseline that never settles
                    baseline = f"did not settle in 300 s ({type(exc).__name__})"
            print(
                f"| {graph.number_of_nodes():,} | {render_s:.2f} | {open_s:.2f} | "
                f"{search_s:.2f} | {baseline} | {ratio} |"
            )
        browser.close()


if __name__ == "__main__":
    main()
