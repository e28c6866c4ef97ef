"""The viewer in a real headless Chromium, with every network request blocked."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from kg.viz import collapse_posts, render, script_json
from tests.needs import require_binary

OUT = Path(__file__).resolve().parent.parent / "out"
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "x href y <a href='javascript:alert(1)'>link</a>",
    "</script><script>alert(1)</script>",
    '"onmouseover=alert(1) x="',
    "<!-- comment --><svg onload=alert(1)>",
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    chromium = require_binary("chromium", "apt-get install chromium fonts-noto-cjk")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """An opened viewer page, recording failed requests, console errors and dialogs."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", lambda route: route.continue_()
                        if route.request.url.startswith("file:") else route.abort())
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady === true", timeout=30_000)

    def node_id(self, label: str) -> int:
        return self.page.evaluate(
            "(label) => JSON.parse(document.getElementById('kg-data').textContent)"
            ".nodes.find((n) => n.label === label).id", label)

    def click_node(self, node_id: int) -> None:
        box = self.page.evaluate(
            "(id) => { const p = window.kgNetwork.getPosition(id);"
            " const c = window.kgNetwork.canvasToDOM(p);"
            " const r = document.getElementById('network').getBoundingClientRect();"
            " return {x: c.x + r.left, y: c.y + r.top}; }", node_id)
        self.page.mouse.click(box["x"], box["y"])

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def hidden(self, node_id: int) -> bool:
        return self.page.evaluate(
            "(id) => !!window.kgNetwork.body.data.nodes.get(id).hidden", node_id)


@pytest.fixture(scope="module")
def seed_page(browser, seed_build, tmp_path_factory):
    path = tmp_path_factory.mktemp("viz") / "kg.html"
    render(seed_build.graph, path)
    return Page(browser, path)


def test_offline_no_failed_requests_no_console_errors(seed_page):
    assert seed_page.failed == []
    assert seed_page.errors == []


def test_screenshot_of_default_view_is_not_blank(seed_page):
    OUT.mkdir(exist_ok=True)
    shot = OUT / "viewer-default.png"
    seed_page.page.screenshot(path=str(shot))
    colours = seed_page.page.evaluate(
        "() => { const c = document.querySelector('#network canvas');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " const seen = new Set(); let ink = 0;"
        " for (let i = 0; i < d.length; i += 16) { const k = d[i] + ',' + d[i+1] + ',' + d[i+2];"
        "   seen.add(k); if (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200) ink++; }"
        " return {distinct: seen.size, ink: ink}; }")
    assert shot.stat().st_size > 20_000
    assert colours["distinct"] > 20 and colours["ink"] > 500


def test_click_node_shows_its_quote_and_article(seed_page):
    seed_page.click_node(seed_page.node_id("雷新钱"))
    text = seed_page.panel()
    assert "雷新钱" in text
    assert "锦南街道党工委书记雷新钱" in text
    assert "临安区锦南街道:细“治”入微" in text


def test_click_edge_shows_its_quote(seed_page):
    page = seed_page.page
    edge = page.evaluate(
        "() => { const d = JSON.parse(document.getElementById('kg-data').textContent);"
        " const to = d.nodes.find((n) => n.label === '小王子食品有限公司').id;"
        " return d.edges.find((e) => e.label === '服务' && e.to === to); }")
    page.evaluate("(id) => { window.kgNetwork.selectEdges([id]);"
                  " window.kgNetwork.body.emitter.emit('click', {nodes: [], edges: [id]}); }",
                  edge["id"])
    assert "小王子食品有限公司" in seed_page.panel()
    assert "复工专班人员一路保驾" in seed_page.panel()


def test_search_simplified_and_traditional(seed_page):
    page = seed_page.page
    target = seed_page.node_id("锦南街道")
    for query in ("锦南", "錦南"):
        page.fill("#search", "")
        page.fill("#search", query)
        assert page.evaluate("() => window.kgNetwork.getSelectedNodes()") == [target], query
        assert "锦南街道" in seed_page.panel()


def test_metric_panel_shows_value_unit_qualifier(seed_page):
    page = seed_page.page
    page.fill("#search", "")
    page.fill("#search", "规模工业总产值 13.43")
    text = seed_page.panel()
    assert "13.43" in text and "亿" in text and "元" in text and "forecast" in text


def test_class_filter_hides_and_shows(seed_page):
    page = seed_page.page
    page.click("#reset")
    official = seed_page.node_id("雷新钱")
    assert not seed_page.hidden(official)
    page.uncheck("#legend input[data-type=Official]")
    assert seed_page.hidden(official)
    page.check("#legend input[data-type=Official]")
    assert not seed_page.hidden(official)


def test_article_filter_and_focus(seed_page):
    page = seed_page.page
    page.click("#reset")
    lei = seed_page.node_id("雷新钱")
    page.evaluate("(id) => window.kgNetwork.selectNodes([id])", lei)
    page.click("#focus")
    linan = seed_page.node_id("临安区")
    assert not seed_page.hidden(lei)
    assert seed_page.hidden(linan)  # not a neighbour of 雷新钱
    page.click("#reset")
    assert not seed_page.hidden(linan)


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(articles={"x": {"title": HOSTILE[2], "file": "articles/x.txt"}})
    ev = [{"article": "x", "title": HOSTILE[0], "quote": HOSTILE[1], "start": 0, "end": 5}]
    g.add_node("https://w3id.org/jiedao-kg/id/sd", label="街道" + HOSTILE[0], type="Subdistrict",
               evidence=ev, articles=["x"], alt_labels=[HOSTILE[3]])
    for i, label in enumerate(HOSTILE):
        node = f"https://w3id.org/jiedao-kg/id/n{i}"
        g.add_node(node, label=label, type="Initiative", evidence=ev, articles=["x"],
                   alt_labels=[])
        g.add_edge(node, "https://w3id.org/jiedao-kg/id/sd", key="organizedBy",
                   label=HOSTILE[4], predicate="x", evidence=ev)
    return g


def test_hostile_labels_stay_text(browser, tmp_path):
    path = tmp_path / "hostile.html"
    html = render(hostile_graph(), path, title=HOSTILE[0])
    assert "<img src=x" not in html and "<svg onload" not in html
    assert "alert(1)</script>" not in html
    harmless = render(nx.MultiDiGraph(articles={}), None)
    assert html.count("<script") == harmless.count("<script")  # no label opened a script
    page = Page(browser, path)
    for i in range(len(HOSTILE)):
        node = page.node_id(HOSTILE[i])
        page.click_node(node)
        page.page.mouse.move(0, 0)
        assert HOSTILE[i] in page.panel()
    page.page.hover("#network")
    page.page.fill("#search", "onerror")
    page.page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.page.evaluate("() => document.querySelectorAll('img, svg[onload]').length") == 0
    assert page.failed == [] and page.errors == []


def test_script_json_cannot_close_the_script():
    text = script_json({"a": "</script><!--&"})
    assert "<" not in text and ">" not in text and "&" not in text


def test_posts_are_collapsed_into_labelled_edges(seed_build):
    view = collapse_posts(seed_build.graph)
    assert not [n for n, t in view.nodes(data="type") if t in ("Post", "Role")]
    labels = {d["label"] for u, v, d in view.edges(data=True)
              if view.nodes[u]["label"] == "雷新钱" and view.nodes[v]["label"] == "锦南街道"}
    assert labels == {"党工委书记"}


def test_per_subdistrict_map_and_unknown_subdistrict(seed_build):
    html = render(seed_build.graph, subdistrict="锦南街道")
    assert "雷新钱" in html
    with pytest.raises(ValueError, match=r"no subdistrict '不存在街道'; known: .*锦南街道"):
        render(seed_build.graph, subdistrict="不存在街道")
