"""Fixtures shared by the tests of the graph: one build of the real seed data per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session")
def seed_build():
    """The graph built from the real ``data/`` (articles and hand-written facts)."""
    from kg.builder import build

    return build(DATA)


@pytest.fixture(scope="session")
def seed_ttl(seed_build, tmp_path_factory) -> Path:
    """The seed graph exported to Turtle, as a user gets it in ``out/kg.ttl``."""
    from kg import export

    path = tmp_path_factory.mktemp("out") / "kg.ttl"
    path.write_bytes(export.serialize(seed_build, "turtle"))  # what `kg build` writes
    return path
