"""The distribution as declared in ``pyproject.toml``: its dependencies are exactly what the
code imports, and the examples in the library's docstrings are collected as tests.

A dependency that is imported but not declared works here only because another package
happens to pull it in; one that is declared but never imported is installed for nothing.
Both drift silently, so they are checked on every run.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCAL = {"kg", "tests", "bench"}

# Test extras used as programs, not imported: the name, and the file that runs it.
COMMANDS = {"oxigraph": "tests/servers.py", "ruff": "Makefile", "mypy": "Makefile"}


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(requirements: list[str]) -> set[str]:
    """The distribution names of requirement strings, without versions or markers."""
    names = set()
    for requirement in requirements:
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        assert match, requirement
        names.add(canonical(match.group()))
    return names


def imported_modules(directory: Path) -> dict[str, set[str]]:
    """Top-level third-party modules imported anywhere under ``directory`` -> the files."""
    found: dict[str, set[str]] = {}
    for path in sorted(directory.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and top not in LOCAL:
                    found.setdefault(top, set()).add(path.relative_to(ROOT).as_posix())
    return found


def distributions(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    """Distribution -> importing files. A module that is not installed (an optional extra)
    is taken to come from the distribution of the same name."""
    installed = importlib.metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for module, files in modules.items():
        for dist in installed.get(module, [module]):
            found.setdefault(canonical(dist), set()).update(files)
    return found


def test_the_library_imports_exactly_its_declared_dependencies():
    project = PYPROJECT["project"]
    declared = requirement_names(project["dependencies"])
    extras = project["optional-dependencies"]
    tools = ("test", "bench")  # extras for the suite and the benchmarks, not for kg/
    optional = requirement_names([r for n, rs in extras.items() if n not in tools for r in rs])
    imported = distributions(imported_modules(ROOT / "kg"))
    undeclared = {d: files for d, files in imported.items() if d not in declared | optional}
    assert not undeclared, f"imported by kg/ but not in [project] dependencies: {undeclared}"
    unused = declared - set(imported)
    assert not unused, f"declared dependencies that kg/ never imports: {sorted(unused)}"
    assert optional <= set(imported), "an optional extra that kg/ never imports"


def test_tests_and_benchmarks_use_only_declared_distributions():
    project = PYPROJECT["project"]
    declared = requirement_names(project["dependencies"])
    test_extra = requirement_names(project["optional-dependencies"]["test"])
    bench_extra = requirement_names(project["optional-dependencies"]["bench"])
    imported = distributions(imported_modules(ROOT / "tests") | imported_modules(ROOT / "bench"))
    allowed = declared | test_extra | bench_extra
    undeclared = {d: files for d, files in imported.items() if d not in allowed}
    assert not undeclared, f"imported by tests/ or bench/ but not declared: {undeclared}"
    for name in test_extra - set(imported):
        assert name in COMMANDS, f"test extra {name!r} is neither imported nor run"
        assert name in (ROOT / COMMANDS[name]).read_text(encoding="utf-8"), name


def modules_with_examples() -> set[str]:
    """The files of kg/ whose docstrings hold at least one ``>>>`` example."""
    found = set()
    for path in sorted((ROOT / "kg").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        module = importlib.import_module(name)
        if any(test.examples for test in doctest.DocTestFinder().find(module)):
            found.add(path.relative_to(ROOT).as_posix())
    return found


def test_every_module_with_examples_has_its_doctests_collected():
    """``make test`` runs the docstring examples of kg/: pytest's configuration collects
    them (``--doctest-modules``, with ``kg`` in ``testpaths``), from every such module."""
    options = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert "kg" in options["testpaths"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "kg"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    expected = modules_with_examples()
    assert len(expected) >= 5
    assert collected == expected
