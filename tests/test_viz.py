"""The viewer: the page data in Python, and the page itself in a real headless Chromium with
every network request blocked.

The fixture graph has the builder's shape (a MultiDiGraph keyed by IRI, Post and Role nodes,
evidence with offsets into the real article text) and real names from seeds 000 and 001.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import unicodedata
import zlib
from pathlib import Path

import networkx as nx
import pytest

from kg.viz import collapse_posts, layout, memberships, page_data, render, script_json
from tests.servers import require_binary

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out"
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
ARTICLES = {
    "000": ("临安区锦南街道:细“治”入微 努力实现防疫复工“两战赢”", "000_55e4261343172afa.txt"),
    "001": ("坚定信心共克时艰 提质增效绘就新篇", "001_92b7dd1e917b08fa.txt"),
}


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {
        key: unicodedata.normalize("NFC", (ROOT / "data" / "articles" / name).read_text("utf-8"))
        for key, (_, name) in ARTICLES.items()
    }


def fixture_graph(texts: dict[str, str]) -> nx.MultiDiGraph:
    """锦南街道 and 湖墅街道 as the builder shapes them: posts, roles, areas, initiatives, an
    enterprise, metrics (one forecast, one whose number the source lost)."""
    g = nx.MultiDiGraph(
        title="Jiedao KG",
        articles={k: {"title": t, "file": f"data/articles/{f}"} for k, (t, f) in ARTICLES.items()},
    )

    def ev(quote: str, article: str = "000") -> list[dict]:
        start = texts[article].index(quote)
        return [
            {
                "article": article,
                "title": ARTICLES[article][0],
                "quote": quote,
                "start": start,
                "end": start + len(quote),
            }
        ]

    def node(key: str, label: str, cls: str, quote: str, article: str = "000", **extra):
        g.add_node(
            ID + key,
            label=label,
            type=cls,
            alt_labels=extra.pop("alt_labels", []),
            articles=[article],
            evidence=ev(quote, article),
            **extra,
        )

    def edge(u: str, v: str, key: str, label: str, quote: str, article: str = "000"):
        g.add_edge(
            ID + u, ID + v, key=key, predicate=ONTO + key, label=label, evidence=ev(quote, article)
        )

    node("zhejiang", "浙江省", "Province", "浙江在线")
    node("hangzhou", "杭州市", "City", "杭州频道")
    node("linan", "临安区", "District", "临安区锦南街道")
    node("jinnan", "锦南街道", "Subdistrict", "临安区锦南街道")
    edge("jinnan", "linan", "partOf", "隶属", "临安区锦南街道")
    edge("linan", "hangzhou", "partOf", "隶属", "杭州频道")
    edge("hangzhou", "zhejiang", "partOf", "隶属", "浙江在线")
    node("lei", "雷新钱", "Official", "锦南街道党工委书记雷新钱")
    node("post-lei", "锦南街道党工委书记", "Post", "锦南街道党工委书记雷新钱")
    node("role-sj", "党工委书记", "Role", "锦南街道党工委书记雷新钱")
    edge("lei", "post-lei", "holds", "担任", "锦南街道党工委书记雷新钱")
    edge("post-lei", "jinnan", "postIn", "任职于", "锦南街道党工委书记雷新钱")
    edge("post-lei", "role-sj", "role", "职务", "锦南街道党工委书记雷新钱")
    node("zhuanban", "复工复产专班", "Initiative", "复工复产专班")
    edge("zhuanban", "jinnan", "organizedBy", "组织方", "锦南街道便成立疫情防控企业有序复工")
    node("ting", "阳光议事亭", "Initiative", "阳光议事亭”模式起源于锦南街道水岸阳光小区")
    node("shuian", "水岸阳光小区", "Place", "锦南街道水岸阳光小区")
    edge("shuian", "jinnan", "locatedIn", "位于", "锦南街道水岸阳光小区")
    edge("ting", "shuian", "takesPlaceIn", "实施地", "阳光议事亭”模式起源于锦南街道水岸阳光小区")
    node("xwz", "小王子食品有限公司", "Enterprise", "小王子食品有限公司办公室主任盛侠")
    edge("zhuanban", "xwz", "serves", "服务", "复工专班人员一路保驾")
    node(
        "m-guishang",
        "规上企业 52家",
        "Metric",
        "规上企业52家",
        value="52",
        unit="家",
        scale=None,
        qualifier=None,
        kind=None,
        indicator="规上企业",
        period="截至目前",
    )
    edge("m-guishang", "jinnan", "refArea", "指标地区", "规上企业52家")
    node(
        "m-output",
        "规模工业总产值 13.43亿元",
        "Metric",
        "13.43亿元",
        value="13.43",
        unit="元",
        scale="亿",
        qualifier="forecast",
        kind="level",
        indicator="规模工业总产值",
        period="一季度",
    )
    edge("m-output", "jinnan", "refArea", "指标地区", "13.43亿元")
    node(
        "m-lost",
        "排查出租房（数值缺失）",
        "Metric",
        "共计排查出租房",
        value=None,
        unit="户",
        scale=None,
        qualifier=None,
        kind=None,
        indicator="排查出租房",
        period=None,
    )
    edge("m-lost", "zhuanban", "resultOf", "成果", "共计排查出租房")
    node("hushu", "湖墅街道", "Subdistrict", "湖墅街道坚持强度与温度并进", "001")
    node("tang", "唐卫峰", "Official", "湖墅街道党工委书记 唐卫峰", "001")
    node("post-tang", "湖墅街道党工委书记", "Post", "湖墅街道党工委书记 唐卫峰", "001")
    edge("tang", "post-tang", "holds", "担任", "湖墅街道党工委书记 唐卫峰", "001")
    edge("post-tang", "hushu", "postIn", "任职于", "湖墅街道党工委书记 唐卫峰", "001")
    edge("post-tang", "role-sj", "role", "职务", "湖墅街道党工委书记 唐卫峰", "001")
    return g


HOSTILE = [
    "<img src=x onerror=window.__xss=1>",
    "x href y <a href='javascript:window.__xss=1'>link</a>",
    "</script><script>window.__xss=1</script>",
    '"onmouseover=window.__xss=1 x="',
    "<!-- <svg onload=window.__xss=1>",
]


def hostile_graph() -> nx.MultiDiGraph:
    """Every text field a fact file controls carries markup, in labels, quotes, titles,
    alternative labels, edge labels and even the node keys."""
    g = nx.MultiDiGraph(articles={"x": {"title": HOSTILE[2], "file": "articles/x.txt"}})
    ev = [{"article": "x", "title": HOSTILE[0], "quote": HOSTILE[1], "start": 0, "end": 5}]
    sd = ID + "sd" + HOSTILE[3]
    g.add_node(
        sd,
        label="街道" + HOSTILE[0],
        type="Subdistrict",
        evidence=ev,
        articles=["x"],
        alt_labels=[HOSTILE[3]],
    )
    for i, label in enumerate(HOSTILE):
        node = f"{ID}n{i}{HOSTILE[i]}"
        g.add_node(
            node,
            label=label,
            type=["Initiative", "Official", "Metric"][i % 3],
            evidence=[{**ev[0], "quote": HOSTILE[i]}],
            articles=["x"],
            alt_labels=[HOSTILE[-1 - i]],
            value=None,
            unit=HOSTILE[4],
            indicator=HOSTILE[2],
            qualifier=HOSTILE[0],
        )
        g.add_edge(
            node,
            sd,
            key="organizedBy",
            label=HOSTILE[(i + 1) % 5],
            predicate=HOSTILE[0],
            evidence=ev,
        )
    return g


# ---------------------------------------------------------------- page data, no browser


def test_posts_collapse_into_an_edge_labelled_with_the_role(texts):
    view = collapse_posts(fixture_graph(texts))
    assert not [n for n, t in view.nodes(data="type") if t in ("Post", "Role")]
    edges = list(view.get_edge_data(ID + "lei", ID + "jinnan").values())
    assert [e["label"] for e in edges] == ["党工委书记"]
    assert edges[0]["post"] == "锦南街道党工委书记"
    assert edges[0]["evidence"][0]["quote"] == "锦南街道党工委书记雷新钱"
    kept = collapse_posts(fixture_graph(texts))  # and the input is left alone
    assert kept is not view


def test_a_post_in_no_place_stays_a_node(texts):
    g = fixture_graph(texts)
    g.remove_edge(ID + "post-lei", ID + "jinnan", key="postIn")
    view = collapse_posts(g)
    assert ID + "post-lei" in view and ID + "role-sj" in view
    assert view.has_edge(ID + "lei", ID + "post-lei")


def test_without_collapse_posts_and_roles_are_shown(texts):
    html = render(fixture_graph(texts), None, collapse=False)
    assert "锦南街道党工委书记" in html and '"type":"Post"' in html


def test_subdistrict_map_keeps_its_neighbourhood_and_the_area_chain(texts):
    data = page_data_for(fixture_graph(texts), subdistrict="锦南街道")
    labels = {n["label"] for n in data["nodes"]}
    assert {
        "雷新钱",
        "复工复产专班",
        "小王子食品有限公司",
        "规上企业 52家",
        "水岸阳光小区",
        "临安区",
        "杭州市",
        "浙江省",
    } <= labels
    assert not labels & {"湖墅街道", "唐卫峰"}
    assert list(data["articles"]) == ["000"]


def page_data_for(graph: nx.MultiDiGraph, subdistrict: str) -> dict:
    html = render(graph, None, subdistrict=subdistrict)
    start = html.index('id="kg-data">') + len('id="kg-data">')
    return json.loads(html[start : html.index("</script>", start)])


def test_subdistrict_by_iri_and_unknown_subdistrict(texts, tmp_path):
    graph = fixture_graph(texts)
    assert "雷新钱" in render(graph, None, subdistrict=ID + "jinnan")
    target = tmp_path / "kg.html"
    target.write_text("old page", encoding="utf-8")
    with pytest.raises(ValueError) as info:
        render(graph, target, subdistrict="不存在街道")
    message = str(info.value)
    assert "\n" not in message
    assert message == "no subdistrict '不存在街道'; known: 湖墅街道, 锦南街道"
    assert target.read_text("utf-8") == "old page"  # a failed render writes nothing


def test_render_writes_the_page_atomically(texts, tmp_path):
    target = tmp_path / "kg.html"
    html = render(fixture_graph(texts), target)
    assert target.read_text("utf-8") == html
    assert os.listdir(tmp_path) == ["kg.html"]  # no temporary file left behind


def test_page_is_self_contained(texts):
    html = render(fixture_graph(texts), None)
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b[^>]*\b(src|href)=", html)
    assert "@import" not in html and "url(http" not in html
    assert "default-src 'none'" in html  # the page may not fetch anything, even by mistake
    assert len(re.findall(r"^<script", html, re.M)) == 3 and "vis-network" in html


def test_metric_whose_number_is_missing_never_shows_one(texts):
    data = page_data(collapse_posts(fixture_graph(texts)), "t")
    lost = next(n for n in data["nodes"] if n["label"].startswith("排查出租房"))
    assert lost["metric"]["value"] is None
    assert lost["metric"]["text"] == "数值缺失 · value missing in source"
    output = next(n for n in data["nodes"] if n["label"].startswith("规模工业总产值"))
    assert (
        output["metric"].items()
        >= {
            "value": "13.43",
            "scale": "亿",
            "unit": "元",
            "qualifier": "forecast",
            "kind": "level",
        }.items()
    )


def test_unknown_class_is_drawn_with_the_neutral_style_and_cycles_do_not_loop():
    g = nx.MultiDiGraph(articles={})
    g.add_node(ID + "a", label="甲区", type="District")
    g.add_node(ID + "b", label="乙市", type="City")
    g.add_node(ID + "p", label="某政策", type="Policy")
    g.add_edge(ID + "a", ID + "b", key="partOf", label="隶属")
    g.add_edge(ID + "b", ID + "a", key="partOf", label="隶属")  # bad data: a cycle
    data = page_data(g, "t")
    policy = next(n for n in data["nodes"] if n["label"] == "某政策")
    assert policy["type"] == "Other" and policy["color"] == data["classes"]["Other"]["color"]
    assert data["classes"]["Other"]["count"] == 1
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 3


def test_script_json_cannot_close_the_script():
    text = script_json({"a": "</script><!--&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!--&\u2028"}


def test_hostile_text_never_reaches_the_html_as_markup():
    html = render(hostile_graph(), None, title=HOSTILE[0])
    harmless = render(nx.MultiDiGraph(articles={}), None)
    assert html.count("<script") == harmless.count("<script")
    assert "<img" not in html and "<svg" not in html and "<a href" not in html
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in html  # the title, escaped by Jinja


def synthetic(clusters: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(articles={})
    for c in range(clusters):
        sd = f"{ID}sd{c}"
        g.add_node(sd, label=f"第{c}街道", type="Subdistrict")
        g.add_node(f"{sd}/o", label=f"官员{c}", type="Official")
        g.add_edge(f"{sd}/o", sd, key="post:x", label="党工委书记")
        for i in range(6):
            g.add_node(f"{sd}/i{i}", label=f"举措{c}-{i}", type="Initiative")
            g.add_edge(f"{sd}/i{i}", sd, key="organizedBy", label="组织方")
            g.add_node(f"{sd}/m{i}", label=f"指标{c}-{i}", type="Metric", value=str(i))
            g.add_edge(f"{sd}/m{i}", f"{sd}/i{i}", key="resultOf", label="成果")
    return g


def test_layout_places_every_node_with_clusters_apart():
    g = synthetic(30)
    positions = layout(g)
    assert set(positions) == set(g)
    assert layout(g) == positions  # deterministic
    member = memberships(g)
    boxes = []
    for c in range(30):
        pts = [positions[n] for n in g if member[n][0] == f"{ID}sd{c}"]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1], (a, b)
    distinct = {positions[n] for n in g}
    assert len(distinct) == len(positions)  # no two nodes on the same spot


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def browser():
    chromium = require_binary("chromium", "apt-get install chromium fonts-noto-cjk")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # like a missing binary: skip on a user's machine, fail in CI
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("playwright not installed (CI must run the browser tests)")
        pytest.skip("playwright not installed: pip install playwright")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """An opened viewer page, recording failed requests, console errors and dialogs."""

    def __init__(self, browser, path: Path):
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.requests: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        self.page.goto(path.as_uri())
        self.page.wait_for_function("() => window.kgReady === true", timeout=30_000)

    def node_id(self, label: str) -> int:
        return self.page.evaluate(
            "(label) => JSON.parse(document.getElementById('kg-data').textContent)"
            ".nodes.find((n) => n.label === label).id",
            label,
        )

    def edge(self, source: str, target: str) -> dict:
        return self.page.evaluate(
            "([a, b]) => { const d = JSON.parse(document.getElementById('kg-data').textContent);"
            " const id = (l) => d.nodes.find((n) => n.label === l).id;"
            " return d.edges.find((e) => e.from === id(a) && e.to === id(b)); }",
            [source, target],
        )

    def screen(self, node_id: int) -> tuple[float, float]:
        point = self.page.evaluate(
            "(id) => { const c = window.kgNetwork.canvasToDOM(window.kgNetwork.getPosition(id));"
            " const r = document.getElementById('network').getBoundingClientRect();"
            " return [c.x + r.left, c.y + r.top]; }",
            node_id,
        )
        return point[0], point[1]

    def click_node(self, node_id: int) -> None:
        self.page.mouse.click(*self.screen(node_id))

    def hover_node(self, node_id: int) -> str:
        """Hover like a user and return the tooltip's text."""
        self.page.mouse.move(5, 5)
        self.page.mouse.move(*self.screen(node_id), steps=3)
        self.page.wait_for_selector("#tip", state="visible", timeout=3_000)
        return self.page.inner_text("#tip")

    def panel(self) -> str:
        return self.page.inner_text("#panel")

    def hidden(self, node_id: int) -> bool:
        """Not on the map: hidden, or not yet added (classes hidden by default join the
        network when first shown)."""
        return not self.page.evaluate("(id) => window.kgShown(id)", node_id)

    def selected(self) -> list[int]:
        return self.page.evaluate("() => window.kgNetwork.getSelectedNodes()")

    def search(self, text: str) -> None:
        self.page.fill("#search", "")
        self.page.type("#search", text)


@pytest.fixture(scope="module")
def fixture_file(texts, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("viz") / "kg.html"
    render(fixture_graph(texts), path)
    return path


@pytest.fixture
def viewer(browser, fixture_file):
    page = Page(browser, fixture_file)
    yield page
    page.page.close()


@pytest.mark.browser
def test_offline_zero_failed_requests_zero_console_errors(viewer):
    assert viewer.requests and all(u.startswith("file:") for u in viewer.requests)
    assert viewer.failed == []
    assert viewer.errors == []
    assert viewer.page.evaluate("() => typeof vis") == "object"  # vis-network is inlined


@pytest.mark.browser
def test_default_view_is_the_mission_picture(viewer):
    shown = viewer.page.evaluate(
        "() => window.kgNetwork.body.data.nodes.get().filter((n) => !n.hidden).map((n) => n.id)"
    )
    data = viewer.page.evaluate("() => JSON.parse(document.getElementById('kg-data').textContent)")
    types = {n["type"] for n in data["nodes"] if n["id"] in shown}
    assert {"Official", "Initiative", "Subdistrict", "Enterprise"} <= types
    assert "Metric" not in types and "Post" not in types  # metrics reachable, not in the way
    edge = viewer.edge("雷新钱", "锦南街道")
    assert edge["label"] == "党工委书记"
    legend = viewer.page.inner_text("#legend")
    assert "官员 Official" in legend and "指标 Metric" in legend
    overview = viewer.panel()
    assert "锦南街道" in overview and "雷新钱" in overview and "党工委书记" in overview


def png_residual_ink(path: Path) -> float:
    """Fraction of non-zero bytes in the PNG's filtered scanlines: a blank (uniform) image
    filters to zeros, so this measures content without a full decoder."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, *_ = header
    assert (width, height, depth) == (1600, 1000, 8) and colour in (2, 6)
    raw = zlib.decompress(idat)
    stride = width * (3 if colour == 2 else 4) + 1
    assert len(raw) == stride * height
    residual = b"".join(raw[row * stride + 1 : (row + 1) * stride] for row in range(height))
    return 1 - residual.count(0) / len(residual)


def shot_colours(browser, path: Path) -> dict:
    """Decode the saved PNG in a fresh page and count its colours and inked pixels."""
    page = browser.new_page()
    uri = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
    page.set_content("<img id=i>")
    counts = page.evaluate(
        "async (uri) => { const img = document.getElementById('i'); img.src = uri;"
        " await img.decode(); const c = document.createElement('canvas');"
        " c.width = img.naturalWidth; c.height = img.naturalHeight;"
        " const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
        " const d = g.getImageData(0, 0, c.width, c.height).data;"
        " const seen = new Set(); let ink = 0;"
        " for (let i = 0; i < d.length; i += 4) { seen.add((d[i] << 16) | (d[i+1] << 8) | d[i+2]);"
        "   if (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200) ink++; }"
        " return {distinct: seen.size, ink: ink / (d.length / 4)}; }",
        uri,
    )
    page.close()
    return counts


@pytest.mark.browser
def test_screenshot_of_the_default_view_is_not_blank(browser, viewer):
    OUT.mkdir(exist_ok=True)
    shot = OUT / "viewer-default.png"
    viewer.page.screenshot(path=str(shot))
    assert png_residual_ink(shot) > 0.02
    colours = shot_colours(browser, shot)
    assert colours["distinct"] > 100 and colours["ink"] > 0.03
    canvas = viewer.page.evaluate(
        "() => { const c = document.querySelector('#network canvas');"
        " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let ink = 0; for (let i = 0; i < d.length; i += 4)"
        "   if (d[i+3] > 0 && (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200)) ink++;"
        " return ink; }"
    )
    assert canvas > 2_000  # the map itself is drawn, not only the page around it


@pytest.mark.browser
def test_click_node_shows_quote_and_article_title(viewer):
    viewer.click_node(viewer.node_id("雷新钱"))
    text = viewer.panel()
    assert "雷新钱" in text and "官员 Official" in text
    assert "锦南街道党工委书记雷新钱" in text
    assert "《临安区锦南街道:细“治”入微 努力实现防疫复工“两战赢”》" in text
    assert "188–200" in text  # offsets of the quote in the article
    assert "党工委书记" in text and "锦南街道" in text  # its connections


@pytest.mark.browser
def test_click_edge_shows_its_quote(viewer):
    edge = viewer.edge("复工复产专班", "小王子食品有限公司")
    a = viewer.screen(edge["from"])
    b = viewer.screen(edge["to"])
    viewer.page.mouse.click((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    text = viewer.panel()
    assert "复工复产专班 → 服务 → 小王子食品有限公司" in text
    assert "复工专班人员一路保驾" in text
    assert ONTO + "serves" in text
    # the collapsed post edge keeps the evidence of the post, named in the panel
    viewer.page.evaluate(
        "(id) => window.kgNetwork.body.emitter.emit('click', {nodes: [], edges: [id]})",
        viewer.edge("雷新钱", "锦南街道")["id"],
    )
    assert "锦南街道党工委书记" in viewer.panel()


@pytest.mark.browser
def test_search_simplified_and_traditional(viewer):
    target = viewer.node_id("锦南街道")
    for query in ("锦南", "錦南", "錦南街道"):
        viewer.search(query)
        assert viewer.selected() == [target], query
        assert viewer.panel().startswith("锦南街道")
        assert "锦南街道" in viewer.page.inner_text("#results")
    viewer.search("臨安")
    assert viewer.selected() == [viewer.node_id("临安区")]
    viewer.search("没有这个")
    assert "无结果" in viewer.page.inner_text("#results")


@pytest.mark.browser
def test_search_reaches_a_hidden_metric_without_showing_all(viewer):
    guishang, output = viewer.node_id("规上企业 52家"), viewer.node_id("规模工业总产值 13.43亿元")
    assert viewer.hidden(guishang) and viewer.hidden(output)
    viewer.search("规上企业")
    assert viewer.selected() == [guishang] and not viewer.hidden(guishang)
    assert viewer.hidden(output)
    text = viewer.panel()
    assert "52家" in text and "规上企业52家" in text
    viewer.search("规模工业总产值")
    text = viewer.panel()
    assert "13.43亿元" in text and "亿" in text and "元" in text
    assert "预计 · forecast" in text and "水平 · level" in text  # captions from the ontology
    assert viewer.hidden(guishang)  # the previous search result went back to its filters
    viewer.search("排查出租房")
    text = viewer.panel()
    assert "value missing in source" in text
    value = text.split("数值 · value")[1].split("单位")[0]
    assert not any(ch.isdigit() for ch in value)


@pytest.mark.browser
def test_class_filter_hides_and_shows(viewer):
    official = viewer.node_id("雷新钱")
    assert not viewer.hidden(official)
    viewer.page.uncheck("#legend input[data-type=Official]")
    assert viewer.hidden(official) and viewer.hidden(viewer.node_id("唐卫峰"))
    assert not viewer.hidden(viewer.node_id("锦南街道"))
    viewer.page.check("#legend input[data-type=Metric]")
    assert not viewer.hidden(viewer.node_id("规上企业 52家"))
    viewer.page.check("#legend input[data-type=Official]")
    assert not viewer.hidden(official)


@pytest.mark.browser
def test_subdistrict_and_article_filters(viewer):
    hushu = viewer.node_id("湖墅街道")
    viewer.page.select_option("#subdistrict", str(hushu))
    assert not viewer.hidden(viewer.node_id("唐卫峰"))
    assert viewer.hidden(viewer.node_id("雷新钱")) and viewer.hidden(viewer.node_id("复工复产专班"))
    viewer.page.select_option("#subdistrict", "")
    viewer.page.select_option("#article", "000")
    assert not viewer.hidden(viewer.node_id("雷新钱"))
    assert viewer.hidden(hushu)
    viewer.page.click("#reset")
    assert not viewer.hidden(hushu)


@pytest.mark.browser
def test_focus_on_a_neighbourhood_and_reset(viewer):
    zhuanban = viewer.node_id("复工复产专班")
    viewer.page.mouse.dblclick(*viewer.screen(zhuanban))
    assert not viewer.hidden(viewer.node_id("小王子食品有限公司"))
    assert not viewer.hidden(viewer.node_id("排查出租房（数值缺失）"))  # metrics come along
    assert viewer.hidden(viewer.node_id("雷新钱")) and viewer.hidden(viewer.node_id("临安区"))
    viewer.page.click("#reset")
    assert not viewer.hidden(viewer.node_id("雷新钱"))
    assert viewer.hidden(viewer.node_id("排查出租房（数值缺失）"))
    viewer.click_node(viewer.node_id("临安区"))
    viewer.page.click("#focus")
    assert not viewer.hidden(viewer.node_id("杭州市")) and viewer.hidden(viewer.node_id("雷新钱"))


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_browser(browser, tmp_path):
    path = tmp_path / "hostile.html"
    render(hostile_graph(), path, title=HOSTILE[0])
    page = Page(browser, path)
    page.page.check("#legend input[data-type=Metric]")
    for text in HOSTILE:
        node = page.node_id(text)
        assert text in page.hover_node(node)  # the tooltip shows the text, not markup
        page.click_node(node)
        assert text in page.panel()
    page.page.evaluate("() => window.kgNetwork.body.emitter.emit('click', {nodes: [], edges: [0]})")
    assert HOSTILE[1] in page.panel()
    page.search("onerror")
    page.page.click("#reset")
    assert HOSTILE[0] in page.page.inner_text("h1")
    assert page.page.title() == HOSTILE[0]
    page.page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.page.evaluate("() => window.__xss") is None
    injected = page.page.evaluate(
        "() => document.querySelectorAll('img, a, iframe, [onerror], [onload], [onmouseover]')"
        ".length"
    )
    assert injected == 0
    assert page.page.evaluate("() => document.scripts.length") == 3  # data, vis, viewer
    assert page.failed == [] and page.errors == []
    page.page.close()


@pytest.mark.browser
def test_seed_graph_opens_offline_and_shows_its_evidence(browser, seed_build, tmp_path):
    path = tmp_path / "kg.html"
    render(seed_build.graph, path)
    page = Page(browser, path)
    assert page.failed == [] and page.errors == []
    OUT.mkdir(exist_ok=True)
    page.page.screenshot(path=str(OUT / "viewer-seed.png"))
    page.click_node(page.node_id("雷新钱"))
    assert "锦南街道党工委书记雷新钱" in page.panel()
    page.search("錦南")
    assert page.selected() == [page.node_id("锦南街道")]
    page.page.close()
