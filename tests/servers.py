"""Real SPARQL servers on loopback for the endpoint tests: Virtuoso and Oxigraph.

Each server runs from its own temporary directory on free ``127.0.0.1`` ports and is
stopped when its context ends: SIGTERM, then SIGKILL if it has not exited after 20 s. On
Linux the server also receives SIGTERM if the test process itself dies, so no server
outlives a killed pytest. The fixtures in ``tests/conftest.py`` wrap :func:`virtuoso` and
:func:`oxigraph` for a whole session.

Why these two: Debian's ``virtuoso-opensource`` is the store a data engineer is most likely
to meet (Graph Store Protocol with HTTP Digest at ``/sparql-graph-crud-auth``); the
``oxigraph`` server from PyPI is light, has no auth, and is what ``kg.query`` runs in
memory, so its answers must agree exactly with local ones.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.needs import require_binary

__all__ = ["SparqlServer", "free_port", "oxigraph", "require_binary", "virtuoso"]

VIRTUOSO_INSTALL = "apt-get install virtuoso-opensource"
OXIGRAPH_INSTALL = "pip install oxigraph (it is in the project's test extra)"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
START_TIMEOUT = 120.0
"""Seconds to wait for a server: Virtuoso takes 3-5 s alone, 10-20 s on a busy 2-core box."""
STOP_TIMEOUT = 20.0


class ServerStartError(RuntimeError):
    """A server did not come up; the message ends with the tail of its log."""


@dataclass
class SparqlServer:
    """A running SPARQL server and its endpoints.

    ``query_url`` answers the SPARQL Protocol (GET/POST ``query=``), ``update_url`` SPARQL
    Update, ``gsp_url`` the Graph Store HTTP Protocol (``?graph=IRI``). ``auth`` is what
    ``kg.endpoint.push`` needs for ``gsp_url`` (and ``update_url``), ``credentials`` the
    plain user and password behind it. ``has_default_graph`` is False for Virtuoso, whose
    Graph Store endpoint refuses ``?default`` and whose queries see all graphs at once.
    """

    name: str
    query_url: str
    update_url: str | None
    gsp_url: str
    auth: httpx.Auth | None
    credentials: tuple[str, str] | None
    has_default_graph: bool
    workdir: Path
    startup_seconds: float
    process: subprocess.Popen = field(repr=False)

    def drop(self, *graphs: str) -> None:
        """Delete named graphs (missing ones are fine), so a test can leave no trace."""
        with httpx.Client(auth=self.auth, timeout=60) as client:
            for graph in graphs:
                response = client.delete(self.gsp_url, params={"graph": graph})
                if response.status_code not in (200, 204, 404):
                    raise RuntimeError(f"DELETE {graph}: HTTP {response.status_code}")


def free_port() -> int:
    """A TCP port nobody listens on now (the OS may still hand it out again: retry)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ---------------------------------------------------------------- Virtuoso


@contextmanager
def virtuoso(workdir: Path) -> Iterator[SparqlServer]:
    """Debian's Virtuoso 7 with a fresh database in ``workdir``; the dba password is random.

    Recipe: copy ``/etc/virtuoso-opensource-7/virtuoso.ini``, point the database files into
    ``workdir`` and both ports (SQL ``ServerPort``, HTTP ``ServerPort``) to
    ``127.0.0.1:<free port>``, run ``virtuoso-t +foreground``, poll ``/sparql``, then set
    the password with ``isql-vt`` (which exits 0 even when the statement fails, so its
    output is checked) and check that Digest auth now works.
    """
    binary = require_binary("virtuoso-t", VIRTUOSO_INSTALL)
    isql = require_binary("isql-vt", VIRTUOSO_INSTALL)
    template = VIRTUOSO_INI.read_text("utf-8")
    password = secrets.token_hex(12)
    started = _start_with_retries(
        lambda home, ports: _virtuoso_argv(binary, template, home, *ports),
        workdir,
        ports=2,
        ready_path="/sparql?query=ASK%7B%7D",
        http_port_index=1,
    )
    process, (sql_port, http_port), home = started.process, started.ports, started.home
    try:
        _isql(isql, sql_port, "dba", f"USER_SET_PASSWORD('dba', '{password}');")
        base = f"http://127.0.0.1:{http_port}"
        auth = httpx.DigestAuth("dba", password)
        server = SparqlServer(
            name="virtuoso",
            query_url=f"{base}/sparql",
            update_url=f"{base}/sparql-auth",
            gsp_url=f"{base}/sparql-graph-crud-auth",
            auth=auth,
            credentials=("dba", password),
            has_default_graph=False,
            workdir=home,
            startup_seconds=started.seconds,
            process=process,
        )
        _check_auth(server)
        yield server
    finally:
        stop(process)
        _remove_database(home)


def virtuoso_config(template: str, home: Path, sql_port: int, http_port: int) -> str:
    """The packaged ``virtuoso.ini`` with our paths, loopback ports and limits."""
    return edit_ini(
        template,
        {
            ("Database", "DatabaseFile"): str(home / "virtuoso.db"),
            ("Database", "ErrorLogFile"): str(home / "virtuoso.log"),
            ("Database", "LockFile"): str(home / "virtuoso.lck"),
            ("Database", "TransactionFile"): str(home / "virtuoso.trx"),
            ("Database", "xa_persistent_file"): str(home / "virtuoso.pxa"),
            ("TempDatabase", "DatabaseFile"): str(home / "virtuoso-temp.db"),
            ("TempDatabase", "TransactionFile"): str(home / "virtuoso-temp.trx"),
            ("Parameters", "ServerPort"): f"127.0.0.1:{sql_port}",
            ("Parameters", "DirsAllowed"): f"., {home}",
            # Without it a new database skips installing the Conductor web UI: ~40 % faster.
            ("Parameters", "VADInstallDir"): None,
            ("HTTPServer", "ServerPort"): f"127.0.0.1:{http_port}",
            ("URIQA", "DefaultHost"): f"127.0.0.1:{http_port}",
            # The packaged 10 000 silently cuts results (only a X-SPARQL-MaxRows header says so).
            ("SPARQL", "ResultSetMaxRows"): "1000000",
            # Virtuoso refuses a query whose cost it estimates above this; its estimates for
            # joins through reified statements swing from seconds to negative overflow on the
            # same data (even the seed graph's), so the check is turned off (0) and the
            # query's own time limit (MaxQueryExecutionTime) still applies.
            ("SPARQL", "MaxQueryCostEstimationTime"): "0",
        },
    )


def _virtuoso_argv(binary: str, template: str, home: Path, sql: int, http: int) -> list[str]:
    ini = home / "virtuoso.ini"
    ini.write_text(virtuoso_config(template, home, sql, http), "utf-8")
    return [binary, "+foreground", "+configfile", str(ini)]


def edit_ini(text: str, changes: Mapping[tuple[str, str], str | None]) -> str:
    """Set (or, with None, comment out) ``key = value`` lines in sections of an ini text.

    Line-based on purpose: Virtuoso's file repeats keys and has ``;`` comments after values,
    which ``configparser`` would reject or drop. Keys missing from a section are added at
    its end (and missing sections at the end of the file).
    """
    wanted = {(s.lower(), k.lower()): (k, v) for (s, k), v in changes.items()}
    done: set[tuple[str, str]] = set()
    out: list[str] = []
    section = ""

    def add_missing(section: str) -> None:
        for (sec, key), (name, value) in wanted.items():
            if sec == section and (sec, key) not in done:
                done.add((sec, key))
                if value is not None:
                    out.append(f"{name} = {value}")

    for line in text.splitlines():
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            add_missing(section)
            section = header[1].strip().lower()
            out.append(line)
            continue
        entry = re.match(r"\s*([A-Za-z0-9_]+)\s*=", line)
        key = (section, entry[1].lower()) if entry else None
        if key not in wanted:
            out.append(line)
        elif key in done or wanted[key][1] is None:
            out.append(f";{line}")  # removed, or a repeated key (the first one wins)
        else:
            done.add(key)
            out.append(f"{wanted[key][0]} = {wanted[key][1]}")
    add_missing(section)
    for sec, original in {s.lower(): s for s, _ in changes}.items():
        if any(key[0] == sec and key not in done for key in wanted):
            out.append(f"[{original}]")
            add_missing(sec)
    return "\n".join(out) + "\n"


def _isql(isql: str, port: int, user: str, statement: str, password: str = "dba") -> str:
    """Run one SQL statement; isql-vt's exit status is 0 even when it fails, so read it."""
    result = subprocess.run(
        [isql, f"127.0.0.1:{port}", user, password, f"exec={statement}"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "*** Error" in output or "Done." not in output:
        tail = " | ".join(line.strip() for line in output.splitlines()[-4:] if line.strip())
        raise ServerStartError(f"isql-vt {statement.split('(')[0]} failed: {tail}")
    return output


def _check_auth(server: SparqlServer) -> None:
    """The new password works (Digest) and the old default one no longer does."""
    probe = {"graph": f"urn:uuid:{uuid.uuid4()}"}
    with httpx.Client(timeout=30) as client:
        good = client.get(server.gsp_url, params=probe, auth=server.auth)
        old = client.get(server.gsp_url, params=probe, auth=httpx.DigestAuth("dba", "dba"))
    if good.status_code == 401 or old.status_code != 401:
        raise ServerStartError(
            f"Virtuoso auth is not as set: new password -> {good.status_code}, "
            f"default password -> {old.status_code}"
        )


def _remove_database(home: Path) -> None:
    """Database files are tens of MB; the logs stay for a post-mortem."""
    for path in home.glob("virtuoso*"):
        if path.suffix not in (".log", ".ini"):
            path.unlink(missing_ok=True)


# ---------------------------------------------------------------- Oxigraph


@contextmanager
def oxigraph(workdir: Path) -> Iterator[SparqlServer]:
    """``oxigraph serve --location DIR --bind 127.0.0.1:PORT`` (the PyPI ``oxigraph`` CLI).

    No auth; SPARQL at ``/query`` and ``/update``, Graph Store Protocol at ``/store``,
    which (unlike Virtuoso's) has a real default graph: ``?default``.
    """
    binary = oxigraph_binary()
    started = _start_with_retries(
        lambda home, ports: [
            binary,
            "serve",
            "--location",
            str(home / "db"),
            "--bind",
            f"127.0.0.1:{ports[0]}",
        ],
        workdir,
        ports=1,
        ready_path="/query?query=ASK%7B%7D",
        http_port_index=0,
    )
    process, (port,), home = started.process, started.ports, started.home
    try:
        base = f"http://127.0.0.1:{port}"
        yield SparqlServer(
            name="oxigraph",
            query_url=f"{base}/query",
            update_url=f"{base}/update",
            gsp_url=f"{base}/store",
            auth=None,
            credentials=None,
            has_default_graph=True,
            workdir=home,
            startup_seconds=started.seconds,
            process=process,
        )
    finally:
        stop(process)
        shutil.rmtree(home / "db", ignore_errors=True)


def oxigraph_binary() -> str:
    """The ``oxigraph`` script of this Python's environment, found even when the venv's
    ``bin/`` is not on PATH (``.venv/bin/pytest`` run directly); else one on PATH."""
    beside = Path(sysconfig.get_path("scripts")) / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return require_binary("oxigraph", OXIGRAPH_INSTALL)


# ---------------------------------------------------------------- processes


@dataclass
class _Started:
    process: subprocess.Popen
    ports: list[int]
    seconds: float
    home: Path


def _start_with_retries(
    argv_for: Callable[[Path, list[int]], list[str]],
    workdir: Path,
    *,
    ports: int,
    ready_path: str,
    http_port_index: int,
    attempts: int = 3,
) -> _Started:
    """Start a server, retrying with new ports: a port found free may be taken meanwhile."""
    error: ServerStartError | None = None
    for attempt in range(attempts):
        home = workdir / f"run{attempt}"
        home.mkdir(parents=True, exist_ok=True)
        chosen = [free_port() for _ in range(ports)]
        started = time.monotonic()
        process = _spawn(argv_for(home, chosen), home)
        try:
            _wait_ready(f"http://127.0.0.1:{chosen[http_port_index]}{ready_path}", process, home)
        except ServerStartError as exc:
            stop(process)
            error = exc
            continue
        return _Started(process, chosen, time.monotonic() - started, home)
    assert error is not None
    raise error


def _spawn(argv: list[str], home: Path) -> subprocess.Popen:
    log = (home / "server.log").open("ab")
    try:
        return subprocess.Popen(
            argv,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            # Its own session: a Ctrl-C in the terminal reaches pytest, which then stops the
            # server in teardown, instead of killing the server under a running test.
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    finally:
        log.close()


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the parent dies (prctl PR_SET_PDEATHSIG)."""
    import ctypes

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _wait_ready(url: str, process: subprocess.Popen, home: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerStartError(
                f"{Path(process.args[0]).name} exited with status {process.returncode}: "
                + _log_tail(home)
            )
        try:
            if httpx.get(url, timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise ServerStartError(
        f"{Path(process.args[0]).name} not ready after {START_TIMEOUT:.0f} s: " + _log_tail(home)
    )


def _log_tail(home: Path, lines: int = 15) -> str:
    logs = [p for p in (home / "server.log", home / "virtuoso.log") if p.exists()]
    text = "\n".join(p.read_text("utf-8", errors="replace") for p in logs)
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


def stop(process: subprocess.Popen, timeout: float = STOP_TIMEOUT) -> None:
    """SIGTERM, wait, SIGKILL if it is still there; always reaped (no zombie left)."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
