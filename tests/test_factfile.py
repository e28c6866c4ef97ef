"""kg.factfile: round-trip editing of fact files (comments kept, documented key order,
atomic writes, no overwrite of a file changed on disk)."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest

from kg import factfile
from kg.facts import load_file

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "data" / "facts").glob("*.yaml"))

FILE = """\
# Facts of a test article.

article:
  id: "900"
  file: 900_test.txt
  title: 甲街道开展复工服务  # the headline

entities:
  # ---------------------------------------- places
  - id: jia-jiedao
    type: Subdistrict
    label: 甲街道
    quote: 甲街道开展复工服务
  - id: yi-qu
    type: District
    label: 乙区
    quote: 乙区甲街道
  # ---------------------------------------- people
  - id: wang-wu
    type: Official
    label: 王五  # name as printed
    quote: 书记王五
    holds: [post-a, post-b]

facts: []
"""


def test_module_doctests() -> None:
    assert doctest.testmod(factfile).failed == 0


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_unchanged_content_writes_the_file_byte_for_byte(path: Path) -> None:
    text = path.read_text("utf-8")
    tree = factfile.parse(text, path.name)
    assert factfile.dump(factfile.apply(tree, factfile.to_content(tree))) == text


def edited(text: str, change) -> str:
    tree = factfile.parse(text, "x.yaml")
    content = factfile.to_content(tree)
    change(content)
    return factfile.dump(factfile.apply(tree, content))


def test_an_edited_value_keeps_every_comment() -> None:
    def change(content):
        content["entities"][2]["fields"]["quote"] = "甲街道书记王五"
        content["entities"][2]["fields"]["holds"] = ["post-a"]

    out = edited(FILE, change)
    assert "    quote: 甲街道书记王五\n" in out
    assert "    holds: [post-a]\n" in out
    for comment in (
        "# Facts of a test article.",
        "# the headline",
        "# name as printed",
        "# ---------------------------------------- places",
        "# ---------------------------------------- people",
    ):
        assert comment in out
    assert out.replace("甲街道书记王五", "书记王五").replace("[post-a]", "[post-a, post-b]") == FILE


def test_a_removed_item_leaves_the_next_section_header_in_place() -> None:
    def change(content):
        del content["entities"][1]  # 乙区, whose last line carries the "people" header

    out = edited(FILE, change)
    assert "乙区" not in out
    lines = out.splitlines()
    header = lines.index("  # ---------------------------------------- people")
    assert lines[header + 1] == "  - id: wang-wu"
    assert lines[header - 1] == "    quote: 甲街道开展复工服务"


def test_a_removed_first_item_of_a_section_passes_its_header_on() -> None:
    text = FILE.replace(
        "    holds: [post-a, post-b]\n",
        "    holds: [post-a, post-b]\n"
        "  - id: li-si\n    type: Person\n    label: 李四\n    quote: 李四\n",
    )

    def change(content):
        del content["entities"][2]  # 王五, first of "people"

    out = edited(text, change)
    lines = out.splitlines()
    header = lines.index("  # ---------------------------------------- people")
    assert lines[header + 1] == "  - id: li-si"


def test_a_new_item_inserted_before_a_section_goes_under_the_right_header() -> None:
    def change(content):
        new = {
            "ref": None,
            "fields": {"quote": "丙区", "label": "丙区", "type": "District", "id": "bing-qu"},
        }
        content["entities"].insert(2, new)

    out = edited(FILE, change)
    lines = out.splitlines()
    new = lines.index("  - id: bing-qu")
    assert lines[new + 1 : new + 4] == ["    type: District", "    label: 丙区", "    quote: 丙区"]
    assert lines[new - 1] == "    quote: 乙区甲街道"  # still among the places
    assert lines[new + 4] == "  # ---------------------------------------- people"


def test_new_keys_go_in_the_documented_order_and_numbers_as_text_stay_text() -> None:
    def change(content):
        fields = content["entities"][0]["fields"]
        fields["divisionCode"] = "330112004"
        fields["partOf"] = "yi-qu"
        fields["occurrence"] = 1
        fields["altLabels"] = ["甲"]
        content["facts"].append(
            {
                "ref": None,
                "fields": {"quote": "q", "object": "x", "subject": "s", "predicate": "leads"},
            }
        )

    out = edited(FILE, change)
    block = out.split("  - id: jia-jiedao\n")[1].split("  - id:")[0].splitlines()
    keys = [line.split(":")[0].strip() for line in block]
    assert keys == ["type", "label", "altLabels", "quote", "occurrence", "partOf", "divisionCode"]
    assert "    divisionCode: '330112004'" in block
    assert "facts:\n  - subject: s\n    predicate: leads\n    object: x\n    quote: q\n" in out


def test_a_new_file_from_content_alone(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "007_t.txt").write_text("标题：测试\n007 甲街道书记王五说\n", "utf-8")
    tree = factfile.parse("", "007.yaml")
    content = {
        "article": {"fields": {"title": "标题：测试", "file": "007_t.txt", "id": "007"}},
        "entities": [
            {
                "ref": None,
                "fields": {"id": "007", "type": "Person", "label": "王五", "quote": "王五"},
            },
        ],
        "facts": [],
    }
    text = factfile.dump(factfile.apply(tree, content))
    assert text.startswith("article:\n  id: '007'\n  file: 007_t.txt\n  title: 标题：测试\n")
    path = tmp_path / "facts" / "007.yaml"
    factfile.save(path, text, None)
    loaded = load_file(path, tmp_path / "articles")  # the builder's own loader reads it
    assert loaded.article.id == "007" and loaded.entities[0].id == "007"


def test_save_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    path = tmp_path / "facts" / "001.yaml"
    first = factfile.save(path, "article: {}\n", None)
    with pytest.raises(factfile.FileChanged, match="was created since"):
        factfile.save(path, "article: {id: x}\n", None)
    second = factfile.save(path, "article: {id: y}\n", first)
    path.write_text("article: {id: someone-else}\n", "utf-8")
    with pytest.raises(factfile.FileChanged, match="changed on disk"):
        factfile.save(path, "article: {id: z}\n", second)
    assert path.read_text("utf-8") == "article: {id: someone-else}\n"
    assert os.listdir(path.parent) == ["001.yaml"]  # no temporary file left


@pytest.mark.parametrize(
    "article_id", ["../000", "..", "a/b", "", ".hidden", "x" * 65, "000\x00", "/etc/passwd", 7]
)
def test_fact_path_never_leaves_the_facts_folder(tmp_path: Path, article_id) -> None:
    with pytest.raises(factfile.ContentError):
        factfile.fact_path(tmp_path, article_id)
    assert factfile.fact_path(tmp_path, "005").parent == (tmp_path / "facts").resolve()


@pytest.mark.parametrize(
    "content, message",
    [
        ([], "must be an object"),
        ({"entities": {}}, "must be a list"),
        ({"entities": [{"fields": {"id": {"a": 1}}}]}, "a value must be text"),
        ({"entities": [{"fields": {"bad key": 1}}]}, "is not a key"),
        ({"entities": [{"ref": 99, "fields": {}}]}, "is not an item"),
        ({"entities": [{"ref": 0, "fields": {}}, {"ref": 0, "fields": {}}]}, "distinct"),
        ({"facts": [{"fields": {"quote": "x" * 200_001}}]}, "longer than"),
        ({"extra": 1}, "unknown part"),
    ],
)
def test_content_of_the_wrong_shape_is_refused(content, message) -> None:
    tree = factfile.parse(FILE, "x.yaml")
    with pytest.raises(factfile.ContentError, match=message):
        factfile.apply(tree, content)


def test_invalid_yaml_is_one_line_with_its_place() -> None:
    with pytest.raises(factfile.ContentError) as info:
        factfile.parse("article:\n  id: [\n", "005.yaml")
    assert str(info.value).startswith("005.yaml:3:1: invalid YAML")
    assert "\n" not in str(info.value)


def test_fields_at_names_the_item_and_key_of_a_position() -> None:
    fields = factfile.fields_at(FILE)
    assert factfile.field_of(fields, 13, 12) == factfile.Field("entities", 0, "quote")
    assert factfile.field_of(fields, 10, 9) == factfile.Field("entities", 0, "id")
    assert factfile.field_of(fields, 10, 5) == factfile.Field("entities", 0, None)
    assert factfile.field_of(fields, 23, 13) == factfile.Field("entities", 2, "holds")
    assert factfile.field_of(fields, 23, 21) == factfile.Field("entities", 2, "holds")
    assert factfile.field_of(fields, 6, 10) == factfile.Field("article", None, "title")


def test_comments_after_a_flow_list_and_blank_lines_after_a_section_stay_in_place() -> None:
    text = (
        'article:\n  id: "9"\n  title: 标题\n\nentities:\n'
        "  # ---- people\n  - id: a\n    holds: [x]\n  # ---- places\n  - id: b\n"
        "  - id: c\n"
    )

    def change(content):
        content["article"]["fields"]["source"] = "来源"
        content["entities"][0]["fields"]["holds"] = ["y"]
        del content["entities"][2]

    out = edited(text, change)
    assert out == (
        'article:\n  id: "9"\n  title: 标题\n  source: 来源\n\nentities:\n'
        "  # ---- people\n  - id: a\n    holds: [y]\n  # ---- places\n  - id: b\nfacts: []\n"
    )
