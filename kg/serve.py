"""``kg serve``: one local web app to read the evidence, review drafts, see the map and ask
the competency questions. A thin HTTP layer over :class:`kg.review.Workspace`.

Why Starlette and uvicorn: the app is a handful of JSON endpoints and static files, and
Starlette is exactly that much (routing, requests, responses; one dependency, anyio)
without FastAPI's model layer, which would duplicate the fact loader's checks; uvicorn is
the reference ASGI server and runs in pure Python (h11) with nothing to compile. The
standard library's ``http.server`` was the alternative: no dependency, but no routing and
hand-parsed requests, which is where security bugs live.

Security model (docs/serve.md): the server binds 127.0.0.1 unless ``--host`` is given,
and then only with ``--token`` (every request must carry it, as a cookie set by opening
``/?token=T`` once). Every POST needs the page's CSRF token in ``X-KG-CSRF``, a JSON
body and, when the browser sends one, an ``Origin`` of this server; Host headers other
than the bound host are refused (DNS rebinding). Bodies are capped. No request names a
path: articles are plain file names looked up in ``articles/``, fact files are article
ids (``facts/ID.yaml``), assets come from a fixed table. Pages are rendered with
``textContent`` only, under a Content-Security-Policy without inline script.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from kg.errors import KgError
from kg.factfile import ContentError
from kg.ontology import resource_dir
from kg.review import ReviewError, Workspace

MAX_BODY = 25_000_000
"""Bytes of a request body: an uploaded article may be up to the loader's 20 MB."""
MIN_TOKEN = 16
CSRF_HEADER = "x-kg-csrf"
TOKEN_COOKIE = "kg_token"
ASSETS = {"app.js": "text/javascript", "app.css": "text/css"}
"""The only files served from ``viz/serve/``: a request never names a path."""
PAGES = ("/reader", "/review", "/questions")
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
MAP_CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""The map is the offline viewer page, all inline; it may fetch nothing at all."""


class ServeError(KgError, ValueError):
    """A server that must not start (a host without a token); one line."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_binding(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token."""
    if is_loopback(host):
        return
    if not token:
        raise ServeError(
            f"--host {host} makes the app reachable from other machines; "
            "it needs --token (at least 16 characters) as well"
        )
    if len(token) < MIN_TOKEN:
        raise ServeError(f"--token must be at least {MIN_TOKEN} characters")


# ---------------------------------------------------------------- requests


class HTTPError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


async def read_json(request: Request) -> dict[str, Any]:
    """The request's JSON object, read up to :data:`MAX_BODY` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY):
        raise HTTPError(413, f"request body larger than {MAX_BODY} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise HTTPError(413, f"request body larger than {MAX_BODY} bytes")
        chunks.append(chunk)
    try:
        body = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPError(400, f"request body is not JSON: {exc}") from None
    if not isinstance(body, dict):
        raise HTTPError(400, "request body must be a JSON object")
    return body


def _text(body: dict[str, Any], key: str, *, optional: bool = False) -> Any:
    value = body.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise HTTPError(400, f"'{key}' must be text")
    return value


def _json(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers={"cache-control": "no-store"})


def _error(status: int, message: str) -> JSONResponse:
    return _json({"error": message}, status)


# ---------------------------------------------------------------- the app


class App:
    """The endpoints, around one workspace; ``csrf`` is this process's write token."""

    def __init__(self, data_dir: Path, *, token: str | None = None, display: str | None = None):
        self.workspace = Workspace(data_dir, display)
        self.token = token
        self.csrf = secrets.token_urlsafe(32)
        self.assets = resource_dir("viz") / "serve"

    # ------------------------------------------------------------ pages

    async def page(self, request: Request) -> Response:
        shell = (self.assets / "app.html").read_text("utf-8")
        return HTMLResponse(shell.replace("{{csrf}}", self.csrf))

    async def home(self, request: Request) -> Response:
        return RedirectResponse("/reader", status_code=303)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ASSETS:
            return PlainTextResponse("not found", status_code=404)
        return Response(
            (self.assets / name).read_bytes(),
            media_type=ASSETS[name],
            headers={"cache-control": "no-cache"},
        )

    async def map(self, request: Request) -> Response:
        from kg.viz import render

        try:
            result = await run_in_threadpool(self.workspace.build)
        except ReviewError as exc:
            return PlainTextResponse(str(exc), status_code=exc.status)
        page = await run_in_threadpool(render, result.graph, None, reader_url="/reader")
        return HTMLResponse(page, headers={"content-security-policy": MAP_CSP})

    # ------------------------------------------------------------ reading

    async def articles(self, request: Request) -> Response:
        return _json(await run_in_threadpool(self.workspace.articles))

    async def article(self, request: Request) -> Response:
        name = request.query_params.get("file", "")
        return _json(await run_in_threadpool(self.workspace.reader, name))

    async def schema(self, request: Request) -> Response:
        from kg.review import schema_json

        return _json(await run_in_threadpool(schema_json))

    async def search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")[:100]
        return _json(await run_in_threadpool(self.workspace.search, query))

    async def open(self, request: Request) -> Response:
        article_id = request.query_params.get("id", "")
        return _json(await run_in_threadpool(self.workspace.open, article_id))

    # ------------------------------------------------------------ reviewing

    async def draft(self, request: Request) -> Response:
        body = await read_json(request)
        return _json(await run_in_threadpool(self.workspace.draft, _text(body, "file")))

    async def add_article(self, request: Request) -> Response:
        body = await read_json(request)
        name = await run_in_threadpool(
            self.workspace.add_article, body.get("name"), body.get("text")
        )
        return _json(await run_in_threadpool(self.workspace.draft, name), 201)

    async def quote(self, request: Request) -> Response:
        body = await read_json(request)
        found = await run_in_threadpool(
            self.workspace.quote_at, _text(body, "file"), body.get("start"), body.get("end")
        )
        return _json(found)

    async def check(self, request: Request) -> Response:
        body = await read_json(request)
        checked = await run_in_threadpool(self.workspace.check, *self._edit(body))
        return _json(checked.to_json())

    async def save(self, request: Request) -> Response:
        body = await read_json(request)
        return _json(await run_in_threadpool(self.workspace.save, *self._edit(body)))

    @staticmethod
    def _edit(body: dict[str, Any]) -> tuple[str, Any, str | None, str | None]:
        return (
            _text(body, "id"),
            body.get("content"),
            _text(body, "base", optional=True),
            _text(body, "sha", optional=True),
        )

    # ------------------------------------------------------------ questions

    async def queries(self, request: Request) -> Response:
        return _json(
            [
                {"name": q.name, "question": q.question, "params": q.params}
                for q in named_queries().values()
            ]
        )

    async def query(self, request: Request) -> Response:
        vars_, rows = await self._run_query(request)
        return _json({"vars": vars_, "rows": rows})

    async def query_csv(self, request: Request) -> Response:
        vars_, rows = await self._run_query(request)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(vars_)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        name = request.query_params["name"]
        return Response(
            buffer.getvalue().encode("utf-8"),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}.csv"'},
        )

    async def _run_query(self, request: Request) -> tuple[list[str], list[list[Any]]]:
        import kg
        from kg.store import Result
        from kg.terms import plain

        name = request.query_params.get("name", "")
        known = named_queries()
        if name not in known:
            raise HTTPError(404, f"no named query {name[:60]!r}; see /api/queries")
        bindings: dict[str, Any] = {}
        for key, value in request.query_params.items():
            if key.startswith("param."):
                param = key.removeprefix("param.")
                if param not in known[name].params:
                    raise HTTPError(400, f"query {name!r} has no parameter {param[:40]!r}")
                if value.strip():
                    bindings[param] = value.strip()
        result_build = await run_in_threadpool(self.workspace.build)
        result = await run_in_threadpool(
            lambda: kg.open_store(result_build).query(name, limit=10_000, timeout=60, **bindings)
        )
        if not isinstance(result, Result):
            raise HTTPError(400, f"query {name!r} is not a SELECT; the page shows tables")
        rows = [[_cell(plain(v)) for v in row] for row in result.rows]
        return list(result.vars), rows


def named_queries() -> dict[str, Any]:
    """The competency questions (the one import of their home, which may move)."""
    from kg.sparql import named_queries as queries

    return queries()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# ---------------------------------------------------------------- security


class Guard(BaseHTTPMiddleware):
    """Host check, access token, CSRF on writes, and the security headers."""

    def __init__(self, app: Any, *, server: App, hosts: set[str] | None):
        super().__init__(app)
        self.server = server
        self.hosts = hosts

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await self._checked(request, call_next)
        response.headers.setdefault("content-security-policy", APP_CSP)
        response.headers["x-content-type-options"] = "nosniff"
        response.headers["referrer-policy"] = "no-referrer"
        response.headers["x-frame-options"] = "DENY"
        response.headers["cross-origin-opener-policy"] = "same-origin"
        response.headers["cross-origin-resource-policy"] = "same-origin"
        return response

    async def _checked(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        host = request.headers.get("host", "")
        if self.hosts is not None and host not in self.hosts:
            return PlainTextResponse("unknown Host header", status_code=421)
        token = self.server.token
        if token is not None:
            given = request.query_params.get("token")
            if request.method == "GET" and given is not None:
                if not secrets.compare_digest(given.encode(), token.encode()):
                    return PlainTextResponse("wrong token", status_code=403)
                rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
                target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
                response = RedirectResponse(target, status_code=303)
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict", path="/")
                return response
            cookie = request.cookies.get(TOKEN_COOKIE, "")
            if not secrets.compare_digest(cookie.encode(), token.encode()):
                return PlainTextResponse(
                    "this server needs its token: open /?token=TOKEN once", status_code=401
                )
        if request.method not in ("GET", "HEAD"):
            refused = self._refused_write(request, host)
            if refused:
                return _error(403, refused)
        return await call_next(request)

    def _refused_write(self, request: Request, host: str) -> str | None:
        given = request.headers.get(CSRF_HEADER, "")
        if not secrets.compare_digest(given.encode(), self.server.csrf.encode()):
            return "missing or wrong CSRF token (reload the page)"
        origin = request.headers.get("origin")
        if origin is not None and origin != f"http://{host}":
            return f"cross-origin request from {origin[:80]} refused"
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return "cross-site request refused"
        kind = request.headers.get("content-type", "").split(";")[0].strip()
        if kind != "application/json":
            return "a write must send JSON (Content-Type: application/json)"
        return None


async def _handled(request: Request, exc: Exception) -> Response:
    """Expected failures as a JSON error with their one-line message."""
    if isinstance(exc, HTTPError):
        return _error(exc.status, exc.message)
    if isinstance(exc, ReviewError):
        return _error(exc.status, str(exc))
    return _error(422, str(exc))


def create_app(
    data_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    token: str | None = None,
    display: str | None = None,
) -> Starlette:
    """The ASGI app for ``data_dir``, answering only to ``host:port`` (and the loopback
    names when it is bound there)."""
    check_binding(host, token)
    server = App(data_dir, token=token, display=display)
    hosts: set[str] | None = None
    if is_loopback(host):
        # Only this server's own names: a page of another site whose name was rebound to
        # 127.0.0.1 (DNS rebinding) sends its own name and is refused. Beyond loopback
        # the names are unknowable, and the token guards every request instead.
        names = {host, "127.0.0.1", "localhost"}
        hosts = {f"{n}:{port}" for n in names} | {f"[{n}]:{port}" for n in names}
    routes = [
        Route("/", server.home),
        *(Route(path, server.page) for path in PAGES),
        Route("/map", server.map),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/assets/{name}", server.asset),
        Route("/api/articles", server.articles),
        Route("/api/articles", server.add_article, methods=["POST"]),
        Route("/api/article", server.article),
        Route("/api/schema", server.schema),
        Route("/api/search", server.search),
        Route("/api/open", server.open),
        Route("/api/draft", server.draft, methods=["POST"]),
        Route("/api/quote", server.quote, methods=["POST"]),
        Route("/api/check", server.check, methods=["POST"]),
        Route("/api/save", server.save, methods=["POST"]),
        Route("/api/queries", server.queries),
        Route("/api/query", server.query),
        Route("/api/query.csv", server.query_csv),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, server=server, hosts=hosts)],
        exception_handlers={
            HTTPError: _handled,
            ReviewError: _handled,
            ContentError: _handled,
        },
    )
    app.state.server = server
    return app


def serve(
    data_dir: Path, *, host: str = "127.0.0.1", port: int = 8765, token: str | None = None
) -> None:
    """Run the app until interrupted (Ctrl-C); a folder without ``articles/`` is refused
    first (it is not a data folder, most likely the wrong ``--data``)."""
    if not (data_dir / "articles").is_dir():
        raise ServeError(f"{data_dir}: no articles/ folder here; pass --data DIR")
    import uvicorn

    app = create_app(data_dir, host=host, port=port, token=token)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    print(f"kg serve: {data_dir} at {url}" + (f"?token={token}" if token else ""), flush=True)
    print("press Ctrl-C to stop", flush=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        h11_max_incomplete_event_size=64 * 1024,
    )
