"""``kg serve`` in a real headless Chromium against the real server: an annotator reviews a
fresh ``kg extract`` draft end to end and ``kg build`` builds what was saved; the reader,
the map's "open in article", the stale-file refusal, hostile text; no request leaves
127.0.0.1. Screenshots go to ``out/serve-reader.png`` and ``out/serve-review.png``."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from kg.builder import build
from kg.rdf import entity_iri
from tests.serve_helpers import NEW_ARTICLE, ROOT, kg_command, make_data, serve
from tests.servers import require_binary

OUT = ROOT / "out"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip

pytestmark = pytest.mark.browser
TARGET_TEXT = (
    "() => Array.from(document.querySelectorAll('.seg.target')).map((s) => s.textContent).join('')"
)


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


class Tab:
    """A page on the server that lets no request leave it, and counts the user's moves."""

    def __init__(self, browser, base: str):
        self.base = base
        self.page = browser.new_page(viewport={"width": 1600, "height": 1000})
        self.left: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.clicks = 0
        self.keys = 0
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(self.base + "/") or url == self.base:
            route.continue_()
        else:
            self.left.append(url)
            route.abort()

    def open(self, path: str, ready: str = "body[data-ready=true]") -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_selector(ready, timeout=60_000)

    def click(self, selector_or_locator) -> None:
        self.clicks += 1
        target = (
            self.page.locator(selector_or_locator)
            if isinstance(selector_or_locator, str)
            else selector_or_locator
        )
        target.click()

    def press(self, key: str) -> None:
        self.keys += 1
        self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.keys += len(text)
        self.page.keyboard.type(text)

    def checked(self, before: str) -> None:
        """Wait until a check newer than ``before`` has come back."""
        self.page.wait_for_function(
            "(n) => document.body.dataset.checked && document.body.dataset.checked !== n",
            arg=before,
            timeout=60_000,
        )

    def check_count(self) -> str:
        return self.page.evaluate("() => document.body.dataset.checked || ''")

    def drag_select(self, text: str, nth: int = 0) -> None:
        """Select ``text`` in the article with the mouse, as a person does."""
        box = self.page.evaluate(
            """([text, nth]) => {
              const box = document.querySelector('#review-text') || document.querySelector('.body');
              const nodes = Array.from(box.querySelectorAll('.seg')).map((s) => s.firstChild);
              let all = '', at = [];
              nodes.forEach((n) => { at.push([all.length, n]); all += n.data; });
              let start = -1;
              for (let i = 0; i <= nth; i++) start = all.indexOf(text, start + 1);
              if (start < 0) return null;
              const pos = (k) => { let hit = at[0];
                for (const a of at) { if (a[0] <= k) hit = a; } return [hit[1], k - hit[0]]; };
              const rect = (k) => { const [n, o] = pos(k); const r = document.createRange();
                r.setStart(n, o); r.setEnd(n, o + 1); return r.getBoundingClientRect(); };
              const first = rect(start), last = rect(start + text.length - 1);
              return [first.left + 1, first.top + first.height / 2,
                      last.right - 1, last.top + last.height / 2];
            }""",
            [text, nth],
        )
        assert box is not None, text
        self.clicks += 1  # one drag
        self.page.mouse.move(box[0], box[1])
        self.page.mouse.down()
        self.page.mouse.move(box[2], box[3], steps=8)
        self.page.mouse.up()
        selected = self.page.evaluate("() => window.getSelection().toString()")
        assert selected == text

    def card(self, title: str):
        return self.page.locator(".item", has=self.page.locator(".title", has_text=title)).first

    def clean(self, *expected: str) -> None:
        """No request left 127.0.0.1, no dialog, no console error but the ``expected``
        HTTP refusals (Chromium logs every 4xx answer of a fetch)."""
        assert self.left == [], f"requests left 127.0.0.1: {self.left}"
        assert self.dialogs == []
        assert [e for e in self.errors if not any(f"status of {x}" in e for x in expected)] == []


@pytest.fixture
def served(tmp_path: Path):
    with serve(make_data(tmp_path)) as server:
        yield server


def link(tab: Tab, title: str, query: str, target_id: str) -> None:
    """Open an item, search the corpus for ``query`` and link it to ``target_id``."""
    if tab.card(title).get_attribute("data-id") == target_id:
        return  # the draft already names that node (kg extract gives readable pinyin ids)
    tab.click(tab.card(title).locator(".title"))
    tab.press("l")
    before = tab.check_count()
    tab.type(query)
    hit = tab.page.locator(f".current .linker .hit:has(code.id:text-is('{target_id}'))")
    hit.wait_for(timeout=30_000)
    tab.click(hit)
    tab.checked(before)


def test_an_annotator_turns_a_fresh_draft_into_a_built_fact_file(browser, served) -> None:
    tab = Tab(browser, served.url)
    started = time.monotonic()
    tab.open("/review", "#new-go")
    tab.click(f"a[href='/review?draft={NEW_ARTICLE}']")
    tab.page.wait_for_selector("body[data-checked]", timeout=120_000)
    assert "valid" in tab.page.inner_text("#check")
    assert tab.page.locator("#save").is_disabled()  # proposals are undecided

    # accept some as drafted
    tab.click(tab.card("杭州青禾纺织有限公司 (Enterprise)").locator(".accept"))
    tab.click(tab.card("企业 86家 (Metric)").locator(".accept"))
    # the same 临安区, 锦南街道, 雷新钱, role and post as in article 000: one node each
    link(tab, "临安区 (District)", "临安区", "linan-qu")
    link(tab, "锦南街道 (Subdistrict)", "锦南街道", "jinnan-jiedao")
    link(tab, "雷新钱 (Official)", "雷新钱", "lei-xinqian")
    link(tab, "党工委书记 (Role)", "党工委书记", "role-dangongwei-shuji")
    link(tab, "锦南街道党工委书记 (Post)", "锦南街道党工委书记", "jinnan-jiedao-dangongwei-shuji")
    assert tab.card("雷新钱 (Official)").get_attribute("data-id") == "lei-xinqian"
    # reject one
    tab.click(tab.card("便民服务中心 (Organization)").locator(".reject"))
    # fix a quote: select the words in the article, then q
    tab.click(tab.card("稳岗服务队 (Initiative)").locator(".title"))
    before = tab.check_count()
    tab.drag_select("街道组建了“稳岗服务队”")
    tab.page.wait_for_selector("#selection-tools:not([hidden])")
    tab.press("q")
    tab.checked(before)
    quote = tab.card("稳岗服务队 (Initiative)").locator("[data-field=quote]")
    assert quote.input_value() == "街道组建了“稳岗服务队”"
    # add an entity by selecting its name (the draft may propose 周明, 负责人 of the company,
    # already: that proposal is rejected so that he is added by hand)
    drafted = tab.page.locator(".item", has=tab.page.locator(".title", has_text="周明 (Person)"))
    if drafted.count():
        tab.click(drafted.first.locator(".reject"))
    tab.drag_select("周明")
    tab.page.wait_for_selector("#selection-tools:not([hidden])")
    tab.clicks += 1
    tab.page.select_option("#new-type", "Person")
    before = tab.check_count()
    tab.click("#new-entity")
    tab.checked(before)
    person = drafted.last  # the one added by hand (after a rejected proposal, if any)
    assert person.locator("[data-field=quote]").input_value() == "周明"
    OUT.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(OUT / "serve-review.png"))
    # the article's source and date, from the words of the article (kg extract drafts them
    # when the page states them; by hand otherwise)
    tab.click(".article-card summary")
    if tab.page.input_value(".article-card [data-field=source]") != "临安新闻网":
        tab.drag_select("临安新闻网")
        tab.click(".article-card .field:has([data-field=source]) .use-selection")
    if tab.page.input_value(".article-card [data-field='published.date']") != "2020-04-15":
        tab.click(".article-card [data-field='published.date']")
        tab.type("2020-04-15")
        tab.press("Tab")
        tab.drag_select("2020-04-15 09:30")
        before = tab.check_count()
        tab.click(".article-card .field:has([data-field='published.quote']) .use-selection")
        tab.checked(before)
    # the rest as drafted, then save
    before = tab.check_count()
    tab.press("A")
    tab.checked(before)
    assert "valid" in tab.page.inner_text("#check"), tab.page.inner_text("#items")
    tab.press("s")
    tab.page.wait_for_selector("body[data-saved]", timeout=60_000)
    seconds = time.monotonic() - started
    assert "saved" in tab.page.inner_text("#status")
    tab.clean()

    saved = (served.data / "facts" / "005.yaml").read_text("utf-8")
    assert saved.startswith("# Facts of 005_qinghe.txt, reviewed in kg serve")
    assert "MACHINE DRAFT" not in saved and "division-330112004" not in saved
    out = served.data.parent / "out"
    run = subprocess.run(
        kg_command("build", "--data", str(served.data), "--out", str(out)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "kg.ttl").is_file()
    graph = build(served.data).graph
    lei = graph.nodes[str(entity_iri("lei-xinqian"))]
    assert lei["articles"] == ["000", "005"]
    assert {e["quote"] for e in lei["evidence"]} >= {"锦南街道党工委书记雷新钱介绍"}
    people = [n for n, d in graph.nodes(data=True) if d.get("label") == "周明"]
    assert len(people) == 1 and graph.nodes[people[0]]["type"] == "Person"
    assert graph.nodes[people[0]]["evidence"][0]["quote"] == "周明"
    rejected = [  # 003 has a 便民服务中心 of its own; the rejected one is not in 005
        n
        for n, d in graph.nodes(data=True)
        if d.get("label") == "便民服务中心" and "005" in d["articles"]
    ]
    assert not rejected
    team = next(n for n, d in graph.nodes(data=True) if d.get("label") == "稳岗服务队")
    assert graph.nodes[team]["evidence"][0]["quote"] == "街道组建了“稳岗服务队”"
    assert graph.has_edge(team, str(entity_iri("jinnan-jiedao")), "organizedBy")
    jinnan = str(entity_iri("jinnan-jiedao"))
    assert [v for _, v, k in graph.out_edges(jinnan, keys=True) if k == "partOf"] == [
        str(entity_iri("linan-qu"))
    ]
    posts = [n for n, d in graph.nodes(data=True) if d.get("label") == "锦南街道党工委书记"]
    assert posts == [str(entity_iri("jinnan-jiedao-dangongwei-shuji"))]
    assert '<https://schema.org/datePublished> "2020-04-15"' in "\n".join(
        build(served.data).triples
    )
    record = {"clicks": tab.clicks, "keys": tab.keys, "seconds": round(seconds, 1)}
    (OUT / "serve-e2e.json").write_text(json.dumps(record) + "\n", "utf-8")
    print(f"end-to-end review: {record}")


def test_a_file_changed_on_disk_is_not_overwritten_and_can_be_reloaded(browser, served) -> None:
    tab = Tab(browser, served.url)
    tab.open("/review?id=002", "body[data-checked]")
    path = served.data / "facts" / "002.yaml"
    changed = path.read_text("utf-8") + "# edited by someone else meanwhile\n"
    path.write_text(changed, "utf-8")
    before = tab.check_count()
    tab.click(tab.page.locator(".item .reject").first)
    tab.checked(before)
    assert "changed on disk since you opened it" in tab.page.inner_text("#status")
    tab.press("s")
    assert path.read_text("utf-8") == changed
    tab.click("#reload")
    tab.page.wait_for_function("() => !document.getElementById('reload')", timeout=30_000)
    tab.page.wait_for_selector(".check.ok", timeout=60_000)
    assert not tab.page.locator(".item.s-rejected").count()  # the edit was dropped
    before = tab.check_count()
    tab.click(tab.page.locator(".item .accept").first)
    tab.checked(before)
    tab.press("s")
    tab.page.wait_for_selector("body[data-saved]", timeout=60_000)
    assert path.read_text("utf-8").endswith("# edited by someone else meanwhile\n")
    tab.clean("409")


def test_reader_shows_every_span_and_scrolls_to_a_quote(browser, served) -> None:
    tab = Tab(browser, served.url)
    with served.client() as client:
        data = client.get("/api/article", params={"file": "000_55e4261343172afa.txt"}).json()
    lei = next(s for s in data["spans"] if s.get("id") == "lei-xinqian")
    tab.open(f"/reader?article=000&start={lei['start']}&end={lei['end']}")
    target = tab.page.evaluate(TARGET_TEXT)
    assert target == "锦南街道党工委书记雷新钱"
    assert tab.page.locator(".seg.target").first.is_visible()
    panel = tab.page.inner_text(".panel")
    assert "雷新钱" in panel and "担任" in panel and "lei-xinqian" in panel
    assert tab.page.locator(".seg.hl").count() >= len(
        {(s["start"], s["end"]) for s in data["spans"]}
    )
    # traditional text as written, its simplified labels beside it
    tab.open("/reader?file=003_f39b3718e999e5d7.txt")
    body = tab.page.inner_text(".body")
    assert "青島市" in body and "復(fù)工" in body
    tags = tab.page.eval_on_selector_all(".simp", "(els) => els.map((e) => e.textContent)")
    assert "青岛市" in tags
    tab.click(tab.page.locator(".seg.hl", has_text="青島市").first)
    assert "青岛市" in tab.page.inner_text(".panel")
    OUT.mkdir(exist_ok=True)
    tab.page.screenshot(path=str(OUT / "serve-reader.png"))
    tab.clean()


def test_the_map_opens_a_quote_in_the_reader_and_questions_download(browser, served) -> None:
    tab = Tab(browser, served.url)
    tab.page.goto(served.url + "/map")
    tab.page.wait_for_function("() => window.kgReady === true", timeout=60_000)
    assert tab.page.get_attribute("header a.app-link", "href") == "/reader"
    node = tab.page.evaluate(
        "() => JSON.parse(document.getElementById('kg-data').textContent)"
        ".nodes.find((n) => n.label === '雷新钱').id"
    )
    tab.page.evaluate(
        "(id) => window.kgNetwork.body.emitter.emit('click', {nodes: [id], edges: []})", node
    )
    tab.click(tab.page.locator("#panel a.open").first)
    tab.page.wait_for_selector(".seg.target", timeout=30_000)
    assert "雷新钱" in tab.page.evaluate(TARGET_TEXT)
    tab.open("/questions")
    card = tab.page.locator(".query[data-name=secretaries]")
    card.locator("input[name=subdistrict]").fill("锦南街道")
    tab.click(card.locator(".run"))
    card.locator("table").wait_for()
    assert "雷新钱" in card.inner_text()
    with tab.page.expect_download() as download:
        tab.click(card.locator("a.csv"))
    csv = Path(download.value.path()).read_text("utf-8")
    assert csv.splitlines()[0].startswith("subdistrict,official,name") and "雷新钱" in csv
    tab.clean()


def test_the_offline_map_opens_a_quote_in_its_embedded_article(
    browser, seed_build, tmp_path
) -> None:
    from kg.viz import render

    path = tmp_path / "kg.html"
    render(seed_build.graph, path)
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    left: list[str] = []
    page.route(
        "**/*",
        lambda r: (
            r.continue_()
            if r.request.url.startswith("file:")
            else (left.append(r.request.url), r.abort())
        ),
    )
    page.goto(path.as_uri())
    page.wait_for_function("() => window.kgReady === true", timeout=60_000)
    node = page.evaluate(
        "() => JSON.parse(document.getElementById('kg-data').textContent)"
        ".nodes.find((n) => n.label === '雷新钱').id"
    )
    page.evaluate(
        "(id) => window.kgNetwork.body.emitter.emit('click', {nodes: [id], edges: []})", node
    )
    page.locator("#panel button.open").first.click()
    assert page.locator("#reader").is_visible()
    assert page.inner_text("#reader mark") == "锦南街道党工委书记雷新钱"
    assert page.evaluate(
        "() => { const r = document.querySelector('#reader mark').getBoundingClientRect();"
        " const t = document.querySelector('#reader .text').getBoundingClientRect();"
        " return r.top >= t.top && r.bottom <= t.bottom; }"
    )
    page.keyboard.press("Escape")
    assert not page.locator("#reader").is_visible()
    assert left == []
    page.close()


HOSTILE = [
    "<img src=x onerror=window.__xss=1>",
    "</script><script>window.__xss=1</script>",
    '"onmouseover=window.__xss=1 x="',
    "\u202eevil\u202c",  # a bidi override: shown as the character it is, not obeyed as markup
]
HOSTILE_ARTICLE = (
    f"{HOSTILE[0]}甲街道开展复工服务\n"
    f"{HOSTILE[1]}甲街道党工委书记张三说\n"
    f"甲街道{HOSTILE[2]}服务队成立，{HOSTILE[3]}乙公司复工\n"
)
HOSTILE_FACTS = f"""\
article:
  id: x01
  file: x01_hostile.txt
  title: {json.dumps(HOSTILE[0] + "甲街道开展复工服务")}
entities:
  - id: jia-jiedao
    type: Subdistrict
    label: {json.dumps("甲街道" + HOSTILE[0])}
    altLabels: [甲街道]
    quote: {json.dumps(HOSTILE[0] + "甲街道开展复工服务")}
  - id: zhang-san
    type: Person
    label: {json.dumps(HOSTILE[1] + "甲街道党工委书记张三")}
    quote: {json.dumps(HOSTILE[1] + "甲街道党工委书记张三说")}
  - id: fuwudui
    type: Initiative
    label: {json.dumps(HOSTILE[2] + "服务队")}
    quote: {json.dumps("甲街道" + HOSTILE[2] + "服务队成立")}
    organizedBy: jia-jiedao
  - id: yi-gongsi
    type: Enterprise
    label: {json.dumps(HOSTILE[3] + "乙公司")}
    quote: {json.dumps(HOSTILE[3] + "乙公司复工")}
facts: []
"""


def test_hostile_text_in_articles_and_fact_files_renders_as_text(browser, tmp_path) -> None:
    data = make_data(tmp_path)
    (data / "articles" / "x01_hostile.txt").write_text(HOSTILE_ARTICLE, "utf-8")
    (data / "facts" / "x01.yaml").write_text(HOSTILE_FACTS, "utf-8")
    with serve(data) as server:
        tab = Tab(browser, server.url)
        tab.open("/reader?file=x01_hostile.txt")
        for span in tab.page.locator(".seg.hl").all():
            span.click()
        text = tab.page.inner_text("main")
        for hostile in HOSTILE[:3]:
            assert hostile in text
        assert "\u202e" in tab.page.text_content(".body")
        tab.open("/review?id=x01", "body[data-checked]")
        for title in tab.page.locator(".item .title").all():
            title.click()
        assert HOSTILE[1] in tab.page.inner_text("#items")
        tab.page.goto(server.url + "/map")
        tab.page.wait_for_function("() => window.kgReady === true", timeout=60_000)
        for page_url in ("/reader?file=x01_hostile.txt", "/review?id=x01"):
            tab.open(page_url)
            tab.page.wait_for_timeout(300)
            assert tab.page.evaluate("() => window.__xss") is None
            injected = tab.page.evaluate(
                "() => document.querySelectorAll('img, iframe, object, embed, svg,"
                " [onerror], [onload], [onmouseover]').length"
            )
            assert injected == 0
            assert tab.page.evaluate("() => document.scripts.length") == 1  # app.js only
        tab.clean()
