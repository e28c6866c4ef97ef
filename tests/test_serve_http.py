"""``kg serve`` over HTTP (httpx against the real server): every endpoint, its 4xx cases,
CSRF, Host and token checks, path traversal, the stale-file refusal."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

from kg import factfile
from kg.facts import load_corpus
from tests.serve_helpers import NEW_ARTICLE, kg_command, make_data, serve, snapshot


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("serve-http")
    with serve(make_data(root)) as server:
        yield server


def draft(served) -> dict:
    response = served.post("/api/draft", {"file": NEW_ARTICLE})
    assert response.status_code == 200, response.text
    return response.json()


def test_pages_and_assets_are_served_with_a_strict_policy(served) -> None:
    with served.client() as client:
        for path in ("/reader", "/review", "/questions"):
            page = client.get(path)
            assert page.status_code == 200 and 'name="kg-csrf"' in page.text
            policy = page.headers["content-security-policy"]
            assert "default-src 'none'" in policy and "script-src 'self'" in policy
            assert "unsafe-inline" not in policy
            assert page.headers["x-content-type-options"] == "nosniff"
        assert client.get("/").status_code == 303
        assert client.get("/assets/app.js").headers["content-type"].startswith("text/javascript")
        assert client.get("/assets/app.css").status_code == 200
        for name in ("app.html", "../kg/serve.py", "..%2Fkg%2Fserve.py", "%2e%2e/pyproject.toml"):
            assert client.get(f"/assets/{name}").status_code == 404, name
        mapped = client.get("/map")
        assert mapped.status_code == 200 and '"reader":"/reader"' in mapped.text
        assert "connect-src" not in mapped.headers["content-security-policy"]


def test_reader_data_has_every_evidence_span(served) -> None:
    with served.client() as client:
        articles = client.get("/api/articles").json()
        assert {a["file"] for a in articles} >= {NEW_ARTICLE, "000_55e4261343172afa.txt"}
        assert next(a for a in articles if a["file"] == NEW_ARTICLE)["facts"] is None
        data = client.get("/api/article", params={"file": "000_55e4261343172afa.txt"}).json()
    corpus = load_corpus(served.data)
    f = next(f for f in corpus.files if f.article.id == "000")
    assert len(data["spans"]) == len(f.entities) + len(f.facts)
    lei = next(s for s in data["spans"] if s.get("id") == "lei-xinqian")
    assert data["text"][lei["start"] : lei["end"]] == "锦南街道党工委书记雷新钱"
    assert {"predicate": "holds", "objectId": "jinnan-jiedao-dangongwei-shuji"}.items() <= (
        lei["facts"][0].items()
    )


def test_traditional_text_gets_its_simplified_labels(served) -> None:
    with served.client() as client:
        data = client.get("/api/article", params={"file": "003_f39b3718e999e5d7.txt"}).json()
    marks = {m["original"]: m["label"] for m in data["marks"]}
    assert marks["青島市"] == "青岛市"
    for mark in data["marks"]:
        written = data["text"][mark["start"] : mark["end"]]
        assert written != mark["label"] and written[0] == mark["original"][0]


def test_a_draft_is_valid_and_checking_writes_nothing(served) -> None:
    before = snapshot(served.data)
    doc = draft(served)
    assert doc["id"] == "005" and doc["sha"] is None
    assert doc["base"].startswith("# Facts of 005_qinghe.txt, reviewed in kg serve")
    body = {"id": "005", "content": doc["content"], "base": doc["base"], "sha": None}
    result = served.post("/api/check", body).json()
    assert result["ok"] and result["shapes"], result["issues"]
    assert len(result["spans"]["entities"]) == len(doc["content"]["entities"])
    assert snapshot(served.data) == before


def test_problems_come_back_on_their_item_and_field_in_the_loader_words(served) -> None:
    doc = draft(served)
    entities = doc["content"]["entities"]
    official = next(i for i, e in enumerate(entities) if e["fields"]["type"] == "Official")
    entities[official]["fields"]["quote"] = "本文没有这句话"
    metric = next(i for i, e in enumerate(entities) if e["fields"]["type"] == "Metric")
    entities[metric]["fields"]["value"] = "999"
    body = {"id": "005", "content": doc["content"], "base": doc["base"], "sha": None}
    issues = served.post("/api/check", body).json()["issues"]
    by_place = {(i["section"], i["index"], i["key"]): i for i in issues}
    quote = by_place[("entities", official, "quote")]
    assert quote["message"].startswith("quote not found")
    assert quote["where"].startswith(f"{served.data}/facts/005.yaml:")
    value = by_place[("entities", metric, "value")]
    assert "the number 999 does not occur in the quote" in value["message"]


def test_save_writes_the_file_and_refuses_a_file_changed_on_disk(served) -> None:
    doc = draft(served)
    body = {"id": "005", "content": doc["content"], "base": doc["base"], "sha": None}
    saved = served.post("/api/save", body)
    assert saved.status_code == 200, saved.text
    path = served.data / "facts" / "005.yaml"
    try:
        assert factfile.digest(path.read_bytes()) == saved.json()["sha"]
        assert served.post("/api/save", body).status_code == 409  # created meanwhile
        opened = httpx.get(f"{served.url}/api/open", params={"id": "005"}).json()
        path.write_text(path.read_text("utf-8") + "# someone else's edit\n", "utf-8")
        edit = {"id": "005", "content": opened["content"], "base": None, "sha": opened["sha"]}
        for endpoint in ("/api/check", "/api/save"):
            refused = served.post(endpoint, edit)
            assert refused.status_code == 409
            assert "changed on disk since you opened it; reload it" in refused.json()["error"]
        assert path.read_text("utf-8").endswith("# someone else's edit\n")
    finally:
        path.unlink()


def test_an_invalid_file_is_not_saved(served) -> None:
    doc = draft(served)
    doc["content"]["entities"][0]["fields"]["quote"] = "没有"
    body = {"id": "005", "content": doc["content"], "base": doc["base"], "sha": None}
    refused = served.post("/api/save", body)
    assert refused.status_code == 422 and "fix them before saving" in refused.json()["error"]
    assert not (served.data / "facts" / "005.yaml").exists()


def test_every_write_needs_the_csrf_token_json_and_this_origin(served) -> None:
    body = {"file": NEW_ARTICLE}
    with served.client() as client:
        assert client.post("/api/draft", json=body).status_code == 403
        wrong = client.post("/api/draft", json=body, headers={"X-KG-CSRF": "guess"})
        assert wrong.status_code == 403 and "CSRF" in wrong.json()["error"]
        form = client.post(
            "/api/draft",
            content="file=x",
            headers={"X-KG-CSRF": served.csrf, "Content-Type": "text/plain"},
        )
        assert form.status_code == 403
    evil = served.post("/api/draft", body, Origin="http://evil.example")
    assert evil.status_code == 403 and "cross-origin" in evil.json()["error"]
    assert served.post("/api/draft", body, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    assert served.post("/api/draft", body, Origin=served.url).status_code == 200


def test_a_foreign_host_header_is_refused(served) -> None:
    with served.client() as client:
        rebound = client.get("/api/articles", headers={"Host": "evil.example:80"})
        assert rebound.status_code == 421
        local = client.get(
            "/api/articles", headers={"Host": served.url.replace("127.0.0.1", "localhost")[7:]}
        )
        assert local.status_code == 200


@pytest.mark.parametrize(
    "content, status",
    [
        (b"{not json", 400),
        (b"[1, 2]", 400),
        ("\ufeff{}".encode("latin-1", "replace"), 400),
        (json.dumps({"id": "005", "content": {"entities": "x"}}).encode(), 400),
        (json.dumps({"id": 5, "content": {}}).encode(), 400),
    ],
)
def test_bad_bodies_get_a_4xx(served, content: bytes, status: int) -> None:
    headers = {"X-KG-CSRF": served.csrf, "Content-Type": "application/json"}
    with served.client() as client:
        response = client.post("/api/check", content=content, headers=headers)
    assert response.status_code == status, response.text
    assert "error" in response.json() and "Traceback" not in response.text


def test_a_huge_body_is_refused_unread(served) -> None:
    headers = {"X-KG-CSRF": served.csrf, "Content-Type": "application/json"}
    port = int(served.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        head = (
            f"POST /api/check HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"X-KG-CSRF: {served.csrf}\r\nContent-Type: application/json\r\n"
            "Content-Length: 999999999\r\n\r\n{}"
        )
        sock.sendall(head.encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 413 ")
    with served.client() as client:

        def chunks():
            for _ in range(30):
                yield b" " * 1_000_000

        streamed = client.post("/api/check", content=chunks(), headers=headers)
        assert streamed.status_code == 413


def test_unknown_ids_are_404(served) -> None:
    with served.client() as client:
        assert client.get("/api/open", params={"id": "999"}).status_code == 404
        assert client.get("/api/article", params={"file": "999_none.txt"}).status_code == 404
        assert client.get("/api/query", params={"name": "no-such-query"}).status_code == 404
        assert client.get("/api/nothing").status_code == 404
        bad_param = client.get("/api/query", params={"name": "secretaries", "param.x": "1"})
        assert bad_param.status_code == 400
    assert served.post("/api/draft", {"file": "999_none.txt"}).status_code == 404


TRAVERSALS = [
    "../facts/000.yaml",
    "../../../../etc/passwd",
    "/etc/passwd",
    "..\\000.txt",
    "000_55e4261343172afa.txt/../../facts/000.yaml",
    "%2e%2e%2fetc%2fpasswd",
    ".hidden.txt",
    "a\x00.txt",
    "",
]


@pytest.mark.parametrize("name", TRAVERSALS)
def test_no_file_parameter_reaches_outside_the_data_folder(served, name: str) -> None:
    root = served.data.parent
    before = snapshot(root)
    with served.client() as client:
        assert client.get("/api/article", params={"file": name}).status_code in (400, 404)
        assert client.get("/api/open", params={"id": name}).status_code in (400, 404)
    assert served.post("/api/draft", {"file": name}).status_code in (400, 404)
    assert served.post("/api/quote", {"file": name, "start": 0, "end": 3}).status_code in (
        400,
        404,
    )
    added = served.post("/api/articles", {"name": name, "text": "甲街道"})
    assert added.status_code == 400
    for endpoint in ("/api/check", "/api/save"):
        edit = {"id": name, "content": {}, "base": "", "sha": None}
        assert served.post(endpoint, edit).status_code == 400
    after = snapshot(root)
    assert {k: v for k, v in after.items() if not k.startswith("logs/")} == {
        k: v for k, v in before.items() if not k.startswith("logs/")
    }


def test_a_pasted_article_is_added_once_and_drafted(served) -> None:
    text = "乙街道召开复工会议\n乙街道党工委书记张三说，全力推进复工复产。\n"
    created = served.post("/api/articles", {"name": "077_pasted.txt", "text": text})
    path = served.data / "articles" / "077_pasted.txt"
    try:
        assert created.status_code == 201, created.text
        assert created.json()["id"] == "077" and created.json()["text"] == text
        assert path.read_text("utf-8") == text
        again = served.post("/api/articles", {"name": "077_pasted.txt", "text": "别的"})
        assert again.status_code == 409 and path.read_text("utf-8") == text
        empty = served.post("/api/articles", {"name": "078_empty.txt", "text": "  "})
        assert empty.status_code == 400
    finally:
        path.unlink()


def test_quote_of_a_selection_names_its_occurrence(served) -> None:
    raw = (served.data / "articles" / NEW_ARTICLE).read_text("utf-8")
    second = raw.index("企业服务日", raw.index("企业服务日") + 1)
    found = served.post("/api/quote", {"file": NEW_ARTICLE, "start": second, "end": second + 5})
    assert found.json() == {
        "quote": "企业服务日",
        "occurrence": 2,
        "start": second,
        "end": second + 5,
    }
    unique = raw.index("周明")
    found = served.post("/api/quote", {"file": NEW_ARTICLE, "start": unique - 1, "end": unique + 2})
    assert found.json()["quote"] == "人周明" and found.json()["occurrence"] is None
    out = served.post("/api/quote", {"file": NEW_ARTICLE, "start": 5, "end": 10_000})
    assert out.status_code == 400


def test_search_finds_entities_of_other_articles_in_either_script(served) -> None:
    with served.client() as client:
        hits = client.get("/api/search", params={"q": "錦南"}).json()
        assert hits[0]["id"] == "jinnan-jiedao" and hits[0]["articles"] == ["000"]
        assert client.get("/api/search", params={"q": "雷新钱"}).json()[0]["id"] == "lei-xinqian"
        assert client.get("/api/search", params={"q": ""}).json() == []


def test_questions_as_json_and_csv(served) -> None:
    with served.client() as client:
        names = {q["name"] for q in client.get("/api/queries").json()}
        assert "secretaries" in names
        params = {"name": "secretaries", "param.subdistrict": "锦南街道"}
        result = client.get("/api/query", params=params).json()
        name = result["vars"].index("name")
        assert [row[name] for row in result["rows"]] == ["雷新钱"]
        csv = client.get("/api/query.csv", params=params)
        assert csv.headers["content-disposition"] == 'attachment; filename="secretaries.csv"'
        lines = csv.text.splitlines()
        assert lines[0].split(",") == result["vars"] and "雷新钱" in lines[1]


def test_host_beyond_loopback_needs_a_token(tmp_path: Path) -> None:
    data = make_data(tmp_path)
    for args, message in (
        (["--host", "0.0.0.0"], "it needs --token"),
        (["--host", "0.0.0.0", "--token", "short"], "at least 16 characters"),
    ):
        run = subprocess.run(
            kg_command("serve", "--data", str(data), "--port", "1", *args),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 1 and message in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_with_a_token_every_request_carries_it(tmp_path: Path) -> None:
    token = "t0ken-for-the-test-123"
    with (
        serve(make_data(tmp_path), "--token", token) as server,
        httpx.Client(base_url=server.url, timeout=60) as client,
    ):
        assert client.get("/api/articles").status_code == 401
        assert client.get("/reader?token=wrong-token-xxxxxxxx").status_code == 403
        entered = client.get("/reader?token=" + token + "&file=x.txt")
        assert entered.status_code == 303 and entered.headers["location"] == "/reader?file=x.txt"
        assert "httponly" in entered.headers["set-cookie"].lower()
        assert client.get("/api/articles").status_code == 200  # the cookie is kept
