"""kg.review without HTTP: a reviewed file saved through the workspace builds the same graph
as the same facts written by hand, and a check reports problems where they are."""

from __future__ import annotations

from pathlib import Path

from kg.builder import build
from kg.review import Workspace, reviewed_header
from tests.serve_helpers import NEW_ARTICLE, make_data

HAND_WRITTEN = """\
# Facts of the invented test article, written by hand.
article:
  id: "005"
  file: 005_qinghe.txt
  title: 锦南街道举办“企业服务日”活动 助力小微企业稳岗
entities:
  - {id: jinnan-jiedao, type: Subdistrict, label: 锦南街道, quote: 临安区锦南街道在街道便民服务中心}
  - id: lei-xinqian
    type: Official
    label: 雷新钱
    quote: 锦南街道党工委书记雷新钱介绍
    holds: jinnan-jiedao-dangongwei-shuji
  - id: wengang-fuwudui
    label: 稳岗服务队
    type: Initiative
    organizedBy: [jinnan-jiedao]
    quote: 街道组建了“稳岗服务队”
  - id: m005-zoufang
    type: Metric
    quote: 截至4月13日，服务队已走访企业86家
    value: 86
    unit: 家
    indicator: 企业
    refArea: jinnan-jiedao
    refPeriod: 截至4月13日
    resultOf: wengang-fuwudui
"""

CONTENT = {
    "article": {
        "fields": {
            "id": "005",
            "file": NEW_ARTICLE,
            "title": "锦南街道举办“企业服务日”活动 助力小微企业稳岗",
        }
    },
    "entities": [
        {"ref": None, "fields": f}
        for f in (
            {"id": "jinnan-jiedao", "type": "Subdistrict", "label": "锦南街道",
             "quote": "临安区锦南街道在街道便民服务中心"},
            {"id": "lei-xinqian", "type": "Official", "label": "雷新钱",
             "quote": "锦南街道党工委书记雷新钱介绍", "holds": ["jinnan-jiedao-dangongwei-shuji"]},
            {"id": "wengang-fuwudui", "type": "Initiative", "label": "稳岗服务队",
             "quote": "街道组建了“稳岗服务队”", "organizedBy": "jinnan-jiedao"},
            {"id": "m005-zoufang", "type": "Metric", "quote": "截至4月13日，服务队已走访企业86家",
             "indicator": "企业", "value": "86", "unit": "家", "refArea": "jinnan-jiedao",
             "refPeriod": "截至4月13日", "resultOf": "wengang-fuwudui"},
        )
    ],
    "facts": [],
}  # fmt: skip


def test_a_saved_review_builds_the_graph_of_its_hand_written_equivalent(tmp_path: Path) -> None:
    by_hand = make_data(tmp_path / "hand")
    (by_hand / "facts" / "005.yaml").write_text(HAND_WRITTEN, "utf-8")
    reviewed = make_data(tmp_path / "page")
    workspace = Workspace(reviewed)
    saved = workspace.save("005", CONTENT, base="", sha=None)
    text = (reviewed / "facts" / "005.yaml").read_text("utf-8")
    assert text == saved["text"] and text.startswith("article:\n  id: '005'\n")
    assert set(build(reviewed).triples) == set(build(by_hand).triples)


def test_a_check_names_the_item_and_field_of_each_problem(tmp_path: Path) -> None:
    workspace = Workspace(make_data(tmp_path), display="data")
    content = {
        **CONTENT,
        "entities": [dict(e, fields=dict(e["fields"])) for e in CONTENT["entities"]],
    }
    content["entities"][1]["fields"]["holds"] = ["no-such-post"]  # found across the corpus
    checked = workspace.check("005", content, base="", sha=None)
    places = {(i.section, i.index, i.key): i.message for i in checked.issues}
    assert places[("entities", 1, "holds")].startswith("'no-such-post' is not defined")
    content["entities"][3]["fields"]["kind"] = "sideways"  # found in the file itself
    again = workspace.check("005", content, base="", sha=None)
    places = {(i.section, i.index, i.key): i.message for i in again.issues}
    assert places[("entities", 3, "kind")].startswith("'kind' must be one of")
    assert all(i.where.startswith("data/facts/005.yaml:") for i in checked.issues + again.issues)
    assert checked.spans["entities"][2] is not None and not checked.ok


def test_the_draft_header_says_where_the_file_came_from() -> None:
    draft = "# MACHINE DRAFT written by kg extract\n# check each one\n\narticle:\n  id: x\n"
    assert reviewed_header(draft, "x.txt") == (
        "# Facts of x.txt, reviewed in kg serve from a kg extract draft.\n\narticle:\n  id: x\n"
    )
    assert reviewed_header("article: {}\n", "x.txt") == "article: {}\n"
