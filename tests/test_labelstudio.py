"""Label Studio: the interface, tasks and annotations pass Label Studio's own validator
(label-studio-sdk's LabelInterface); an export round-trips to the same fact files and the
same graph; a bad annotation is refused with the loader's message and nothing written."""

from __future__ import annotations

import json
import shutil

import pytest
from label_studio_sdk.label_interface import LabelInterface

from kg.builder import build
from kg.cli import main
from kg.labelstudio import LabelStudioError, import_export, label_config, tasks
from tests.conftest import DATA


@pytest.fixture(scope="module")
def made():
    return tasks(sorted((DATA / "facts").glob("*.yaml")), DATA / "articles")


def _export(made_tasks) -> list[dict]:
    """What Label Studio exports when an annotator accepts every prediction as it is."""
    out = []
    for n, task in enumerate(json.loads(json.dumps(made_tasks)), 1):
        result = task["predictions"][0]["result"]
        task["id"] = n
        task["annotations"] = [
            {
                "id": 100 + n,
                "result": result,
                "was_cancelled": False,
                "ground_truth": False,
                "created_at": "2026-01-01T10:00:00Z",
                "updated_at": "2026-01-01T10:00:00Z",
                "completed_by": 1,
                "task": n,
            }
        ]
        out.append(task)
    return out


def test_the_interface_is_valid_label_studio():
    interface = LabelInterface(label_config())
    interface.validate()
    assert {"type", "id", "label", "fields"} <= {c.name for c in interface.controls}


def test_every_prediction_and_annotation_passes_label_studios_validator(made):
    interface = LabelInterface(label_config())
    for task in _export(made):
        assert interface.validate_prediction(task["predictions"][0], return_errors=True) == []
        assert interface.validate_annotation(task["annotations"][0])


def test_the_validator_can_refuse(made):
    interface = LabelInterface(label_config())
    bad = json.loads(json.dumps(made[0]["predictions"][0]))
    bad["result"][0]["value"]["labels"] = ["NoSuchClass"]
    assert interface.validate_prediction(bad, return_errors=True)


def test_an_export_round_trips_to_the_same_graph(made, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA / "articles", data / "articles")
    (data / "facts").mkdir()
    export = tmp_path / "export.json"
    export.write_text(json.dumps(_export(made), ensure_ascii=False), "utf-8")
    written = import_export(export, data)
    assert sorted(p.name for p in written) == sorted(
        p.name for p in (DATA / "facts").glob("*.yaml")
    )
    assert build(data).nquads() == build(DATA).nquads()


def test_updating_existing_files_keeps_them_byte_for_byte(made, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    export = tmp_path / "export.json"
    export.write_text(json.dumps(_export(made), ensure_ascii=False), "utf-8")
    with pytest.raises(LabelStudioError, match="exists; pass --force"):
        import_export(export, data)
    import_export(export, data, force=True)
    for path in (DATA / "facts").glob("*.yaml"):
        assert (data / "facts" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_bad_annotation_gets_the_loaders_error_and_nothing_is_written(made, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(DATA / "articles", data / "articles")
    (data / "facts").mkdir()
    exported = _export(made[:1])
    result = exported[0]["annotations"][0]["result"]
    label = next(r for r in result if r["from_name"] == "label" and r["id"] == "e0")
    label["value"]["text"] = ["不在引文里"]  # an edited label the quote does not contain
    export = tmp_path / "export.json"
    export.write_text(json.dumps(exported, ensure_ascii=False), "utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["labelstudio", "import", str(export), "--data", str(data)])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert f"{export}: task 1: region e0:" in err and "不在引文里" in err
    assert "Traceback" not in err
    assert list((data / "facts").iterdir()) == []


def test_the_cli_writes_tasks_and_the_config(tmp_path, capsys):
    target = tmp_path / "tasks.json"
    main(
        [
            "labelstudio",
            "tasks",
            str(DATA / "facts" / "000.yaml"),
            "--data",
            str(DATA),
            "-o",
            str(target),
        ]
    )
    written = json.loads(target.read_text("utf-8"))
    assert len(written) == 1 and written[0]["data"]["article"]["id"] == "000"
    capsys.readouterr()
    main(["labelstudio", "config"])
    assert capsys.readouterr().out.startswith("<View>")
