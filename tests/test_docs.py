"""The docs' examples run: every ```python block of docs/*.md, in order, per page."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["docs/cookbook.md"]


@pytest.mark.parametrize("page", PAGES)
def test_python_examples_run(page, monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / page).read_text("utf-8"), re.S)
    assert blocks, page
    namespace: dict = {}
    for number, block in enumerate(blocks, 1):
        try:
            exec(compile(block, f"{page} block {number}", "exec"), namespace)
        except Exception as exc:
            pytest.fail(f"{page}, example {number} fails: {exc!r}\n{block}")
    os.makedirs("out", exist_ok=True)


def test_fact_format_example_is_valid(tmp_path):
    """The complete example of docs/facts.md loads and builds against the real article."""
    import shutil

    from kg.builder import build

    text = (ROOT / "docs" / "facts.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    data = tmp_path / "data"
    (data / "facts").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "articles", data / "articles")
    (data / "facts" / "000.yaml").write_text(example, "utf-8")
    result = build(data)
    labels = {d["label"] for _, d in result.graph.nodes(data=True)}
    assert {"锦南街道", "雷新钱", "锦南街道党工委书记", "规模工业总产值 13.43亿元"} <= labels


def test_architecture_module_map_names_every_module():
    """docs/architecture.md's module map names each module of kg/ (and no module that is
    gone), so the map a new engineer reads first is the code as it is."""
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    table = text[text.index("## Module map") : text.index("## Choices")]
    named = set(re.findall(r"`(kg(?:\.\w+)+)`", table))
    modules = {
        "kg." + ".".join(p.relative_to(ROOT / "kg").with_suffix("").parts)
        for p in (ROOT / "kg").rglob("*.py")
        if p.name != "__init__.py" and p.parent.name != "extract"
    } | {"kg.extract"}
    assert modules - named == set(), "modules the map does not name"
    gone = {m for m in named if m not in modules and not m.startswith("kg.tables")}
    assert gone == set(), "the map names modules that do not exist"
