"""How fast the viewer opens and responds in Chromium, against pyvis's own page.

    .venv/bin/python bench/bench_viz.py                     # 1 000 and 10 000 nodes
    .venv/bin/python bench/bench_viz.py --nodes 20000 --baseline-max-nodes 0

For each size a synthetic graph shaped like the build's (provinces ▸ cities ▸ districts ▸
subdistricts; per subdistrict a secretary holding a Post with a Role, initiatives and
sub-initiatives, enterprises, a community, metrics — one in five with its number missing —
and evidence on every node and edge) is rendered by ``kg.viz.render`` and opened in
headless Chromium with every non-``file:`` request aborted. Times are taken in the page
(``performance.now()``, from navigation start; the median of ``--repeat`` openings):

- *first draw*: the first ``afterDrawing`` of the map (``window.kgReady``), i.e. the page
  is drawn and takes input;
- *search*, *filter*, *click*: round trips of typing a label in the search box until the
  node is selected, unticking a class until its nodes are hidden, clicking a node until the
  panel shows its evidence (measured from Python, so they include Playwright's overhead);
- *redraw*: one synchronous redraw of the whole view (the cost of a pan or zoom frame).

The baseline is pyvis's default page for the same graph (``Network.from_nx``,
``cdn_resources="in_line"``, physics on as pyvis sets it): time to its first drawing (after
its stabilisation iterations) and to ``stabilized``, at the sizes where that finishes within
``--baseline-timeout``. Speed is reported as a ratio within the same run, never asserted.

Recorded on the 2-core development machine (2026-11-23, Chromium 1600×1000, medians of 5;
other jobs were running, load average 1.5–2):

| nodes | render (Python) | first draw | search | filter | click→panel | redraw |
|---|---|---|---|---|---|---|
| 1,011 | 0.45 s | 0.86 s | 0.18 s | 0.13 s | 0.05 s | 21 ms |
| 10,080 | 2.08 s | 1.80 s | 0.40 s | 0.36 s | 0.12 s | 187 ms |
| 20,156 | 3.46 s | 2.58 s | 0.44 s | 0.38 s | 0.15 s | 238 ms |

pyvis's default page at 1,011 nodes: first drawn after 102 s, not stabilised after 270 s
(ours: 0.76 s in that run, 134× sooner). At load average 3–5 the 10,080-node first draw
took 2.5–3.4 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ID = "https://w3id.org/jiedao-kg/id/"
ONTO = "https://w3id.org/jiedao-kg/ontology#"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PER_CLUSTER = 20
"""Nodes per subdistrict in the synthetic graph (before Post and Role are collapsed)."""


def synthetic(nodes: int, seed: int = 1) -> nx.MultiDiGraph:
    """About ``nodes`` nodes in the builder's shape (see the module docstring)."""
    rng = random.Random(seed)
    title = "合成文章"
    g = nx.MultiDiGraph(title="synthetic", articles={})

    def ev(article: str) -> list[dict]:
        start = rng.randrange(0, 5000)
        return [
            {
                "article": article,
                "title": f"{title}{article}",
                "quote": "合成的引文句子",
                "start": start,
                "end": start + 7,
            }
        ]

    def add(key: str, label: str, cls: str, article: str, **extra: object) -> str:
        g.add_node(
            ID + key,
            label=label,
            type=cls,
            alt_labels=[],
            articles=[article],
            evidence=ev(article),
            **extra,
        )
        return ID + key

    def link(u: str, v: str, key: str, label: str, article: str) -> None:
        g.add_edge(u, v, key=key, predicate=ONTO + key, label=label, evidence=ev(article))

    clusters = max(1, nodes // PER_CLUSTER)
    province = city = district = ""
    for c in range(clusters):
        article = f"{c:05d}"
        g.graph["articles"][article] = {
            "title": f"{title}{article}",
            "file": f"articles/{article}.txt",
        }
        if c % 200 == 0:
            province = add(f"p{c}", f"第{c // 200}省", "Province", article)
        if c % 40 == 0:
            city = add(f"c{c}", f"第{c // 40}市", "City", article)
            link(city, province, "partOf", "隶属", article)
        if c % 8 == 0:
            district = add(f"d{c}", f"第{c // 8}区", "District", article)
            link(district, city, "partOf", "隶属", article)
        sd = add(f"sd{c}", f"第{c}街道", "Subdistrict", article)
        link(sd, district, "partOf", "隶属", article)
        official = add(f"o{c}", f"官员{c}", "Official", article)
        post = add(f"post{c}", f"第{c}街道党工委书记", "Post", article)
        role = ID + "role-shuji"
        if role not in g:
            add("role-shuji", "党工委书记", "Role", article)
        link(official, post, "holds", "担任", article)
        link(post, sd, "postIn", "任职于", article)
        link(post, role, "role", "职务", article)
        initiatives = []
        for i in range(4):
            ini = add(f"i{c}-{i}", f"举措{c}-{i}", "Initiative", article)
            link(ini, sd, "organizedBy", "组织方", article)
            initiatives.append(ini)
        link(official, initiatives[0], "leads", "领导", article)
        sub = add(f"i{c}-sub", f"子举措{c}", "Initiative", article)
        link(sub, initiatives[1], "partOfInitiative", "下属举措", article)
        community = add(f"cm{c}", f"社区{c}", "Community", article)
        link(community, sd, "locatedIn", "位于", article)
        for e in range(2):
            ent = add(f"e{c}-{e}", f"企业{c}-{e}", "Enterprise", article)
            link(rng.choice(initiatives), ent, "serves", "服务", article)
            link(ent, sd, "locatedIn", "位于", article)
        for m in range(PER_CLUSTER - 11):
            missing = m % 5 == 4
            metric = add(
                f"m{c}-{m}",
                f"指标{c}-{m}" + ("（数值缺失）" if missing else f" {m}家"),
                "Metric",
                article,
                value=None if missing else str(m),
                unit="家",
                indicator="企业",
                scale=None,
                qualifier=None,
                status=None,
                period=None,
            )
            g.nodes[metric]["kind"] = None
            link(metric, sd, "refArea", "指标地区", article)
            if m % 3 == 0:
                link(metric, rng.choice(initiatives), "resultOf", "成果", article)
    return g


READY_HOOK = """() => {
  const net = window.network;
  if (net && !window.__hooked) {
    window.__hooked = true;
    net.once("afterDrawing", () => { window.__drawn = performance.now(); });
    net.once("stabilized", () => { window.__stable = performance.now(); });
  }
  return window.__drawn !== undefined;
}"""


def open_page(browser, path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    return page, failed


def measure_ours(browser, path: Path, probe: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    page, failed = open_page(browser, path)
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_function("() => window.kgReady === true", timeout=120_000, polling=50)
    # the viewer stamps its first afterDrawing, in ms from navigation start
    out = {"first_draw": page.evaluate("() => window.kgReadyAt") / 1000}
    redraw = page.evaluate(
        "() => { const t = performance.now(); window.kgNetwork.redraw();"
        " return performance.now() - t; }"
    )
    out["redraw"] = redraw / 1000
    start = time.perf_counter()
    page.fill("#search", probe)
    page.wait_for_function(
        "(label) => { const id = window.kgNetwork.getSelectedNodes()[0];"
        " return id !== undefined && document.querySelector('#panel h2')"
        "   && document.querySelector('#panel h2').textContent.startsWith(label); }",
        arg=probe,
        polling=10,
    )
    out["search"] = time.perf_counter() - start
    page.click("#reset")
    start = time.perf_counter()
    page.uncheck("#legend input[data-type=Initiative]")
    page.wait_for_function(
        "() => window.kgNetwork.body.data.nodes.get({filter: (n) => !n.hidden})"
        ".every((n) => !n.shape || n.shape !== 'diamond')",
        polling=10,
    )
    out["filter"] = time.perf_counter() - start
    page.click("#reset")
    node = page.evaluate(
        "(label) => JSON.parse(document.getElementById('kg-data').textContent)"
        ".nodes.find((n) => n.label === label).id",
        probe,
    )
    page.evaluate("(id) => window.kgNetwork.focus(id, {scale: 1, animation: false})", node)
    box = page.evaluate(
        "(id) => { const c = window.kgNetwork.canvasToDOM(window.kgNetwork.getPosition(id));"
        " const r = document.getElementById('network').getBoundingClientRect();"
        " return [c.x + r.left, c.y + r.top]; }",
        node,
    )
    start = time.perf_counter()
    page.mouse.click(*box)
    page.wait_for_function("() => document.querySelector('#panel blockquote') !== null", polling=10)
    out["click"] = time.perf_counter() - start
    out["failed_requests"] = float(len(failed))
    page.close()
    return out


def measure_pyvis(browser, graph: nx.MultiDiGraph, work: Path, timeout_s: float):  # type: ignore[no-untyped-def]
    from pyvis.network import Network

    start = time.perf_counter()
    net = Network(directed=True, cdn_resources="in_line")
    net.from_nx(nx.DiGraph(graph))
    path = work / f"pyvis-{graph.number_of_nodes()}.html"
    path.write_text(net.generate_html(), encoding="utf-8")
    build_s = time.perf_counter() - start
    page, _ = open_page(browser, path)
    page.goto(path.as_uri(), wait_until="commit")
    result: dict[str, float | str] = {"build": build_s}
    try:
        page.wait_for_function(READY_HOOK, timeout=timeout_s * 1000, polling=50)
        result["first_draw"] = page.evaluate("() => window.__drawn") / 1000
        page.wait_for_function(
            "() => window.__stable !== undefined", timeout=timeout_s * 1000, polling=200
        )
        result["stabilized"] = page.evaluate("() => window.__stable") / 1000
    except Exception as exc:  # report, do not hide, a baseline that never settles
        result.setdefault("first_draw", f"> {timeout_s:.0f} s ({type(exc).__name__})")
        result.setdefault("stabilized", f"> {timeout_s:.0f} s")
    page.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    from kg.viz import render

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--baseline-max-nodes",
        type=int,
        default=1000,
        help="run pyvis's default page only up to this size (0: never)",
    )
    parser.add_argument("--baseline-timeout", type=float, default=240.0)
    parser.add_argument("--repeat", type=int, default=3, help="median of this many openings")
    parser.add_argument("--keep", type=Path, default=None, help="copy the pages here")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-viz-bench-"))
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        for n in args.nodes:
            graph = synthetic(n)
            start = time.perf_counter()
            path = work / f"ours-{n}.html"
            render(graph, path)
            render_s = time.perf_counter() - start
            probe = f"官员{max(0, n // PER_CLUSTER - 1)}"
            runs = [measure_ours(browser, path, probe) for _ in range(args.repeat)]
            ours = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
            base = (
                measure_pyvis(browser, graph, work, args.baseline_timeout)
                if n <= args.baseline_max_nodes
                else {}
            )
            rows.append(
                (
                    graph.number_of_nodes(),
                    graph.number_of_edges(),
                    render_s,
                    path.stat().st_size,
                    ours,
                    base,
                )
            )
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                (args.keep / path.name).write_bytes(path.read_bytes())
        browser.close()
    print(
        "| nodes | edges | render (Python) | page size | first draw | search | filter "
        "| click→panel | redraw | pyvis: build | pyvis: first draw | pyvis: stabilised "
        "| first draw ratio |"
    )
    print("|" + "---|" * 13)
    for nodes, edges, render_s, size, ours, base in rows:
        first = base.get("first_draw")
        ratio = f"{first / ours['first_draw']:.0f}×" if isinstance(first, float) else "—"

        def fmt(value: object) -> str:
            return f"{value:.2f} s" if isinstance(value, float) else str(value or "—")

        print(
            f"| {nodes:,} | {edges:,} | {render_s:.2f} s | {size / 1e6:.1f} MB "
            f"| {ours['first_draw']:.2f} s | {ours['search']:.2f} s | {ours['filter']:.2f} s "
            f"| {ours['click']:.2f} s | {ours['redraw'] * 1000:.0f} ms "
            f"| {fmt(base.get('build'))} | {fmt(first)} | {fmt(base.get('stabilized'))} "
            f"| {ratio} |"
        )
        if ours["failed_requests"]:
            print(f"  (!) {ours['failed_requests']:.0f} failed requests at {nodes} nodes")


if __name__ == "__main__":
    main()
