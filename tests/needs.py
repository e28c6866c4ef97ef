"""Tests that need an external program skip with a reason on a user's machine, but fail in
CI (``CI=true``), where ``.ci/run`` installs the program and the tests must really run."""

from __future__ import annotations

import os
import shutil

import pytest


def require_binary(name: str, install_hint: str) -> str:
    """The path of ``name``; skip (or fail in CI) when it is not installed."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} not installed: {install_hint}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)
    raise AssertionError("unreachable")
