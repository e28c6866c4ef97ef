"""Fixtures for the tests under ``tests/`` (the graph fixtures are in ``tests/kg_fixtures.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import servers

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
