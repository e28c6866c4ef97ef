"""Fixtures for the tests under ``tests/``: the seed graph and the SPARQL servers.

Each fixture here is defined once and never re-exported by a test module: a module that
assigns ``seed_build = conftest.seed_build`` gets a fixture of its own, and a session fixture
per module builds the graph once per module instead of once per session.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests import servers

if TYPE_CHECKING:
    from kg.builder import Build

DATA = Path(__file__).resolve().parent.parent / "data"

# ---------------------------------------------------------------- the seed graph

_seed_builds: list[str] = []  # the test that set up each seed build of this session


@pytest.fixture(scope="session")
def seed_build() -> Build:
    """The graph built from the real ``data/`` (articles and hand-written facts), once."""
    from kg.builder import build

    _seed_builds.append(os.environ.get("PYTEST_CURRENT_TEST", "?"))
    return build(DATA)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when the seed graph was built more than once (a re-exported fixture)."""
    if len(_seed_builds) > 1:
        print(f"\nerror: the seed graph was built {len(_seed_builds)} times: {_seed_builds}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def seed_ttl(seed_build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed graph as ``kg build`` writes ``out/kg.ttl``: the same serializer, same bytes."""
    from kg import export

    path = tmp_path_factory.mktemp("out") / "kg.ttl"
    path.write_bytes(export.serialize(seed_build, "turtle"))
    return path


# ---------------------------------------------------------------- SPARQL servers
# Real servers on 127.0.0.1, started once per session, on first use, and stopped at the end
# (see tests/servers.py). Without the binary a test skips with the reason, and fails when
# CI=true. Each server is shared by the session: tests use graph IRIs of their own.


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.SparqlServer]:
    """Debian's Virtuoso 7: query at ``/sparql``, Graph Store at ``/sparql-graph-crud-auth``
    with HTTP Digest (``.auth``), no ``?default`` graph."""
    with servers.virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[servers.SparqlServer]:
    """The ``oxigraph`` server from PyPI: ``/query``, ``/update``, ``/store``; no auth."""
    with servers.oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


@pytest.fixture(
    params=[
        pytest.param("oxigraph", marks=pytest.mark.server),
        pytest.param("virtuoso", marks=pytest.mark.server),
    ]
)
def sparql_server(request: pytest.FixtureRequest) -> servers.SparqlServer:
    """Each server in turn: a test taking this fixture runs once against each."""
    return request.getfixturevalue(f"{request.param}_server")
