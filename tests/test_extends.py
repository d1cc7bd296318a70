"""``extends``: start from another definition, say only what differs, errors point to their file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from huiwu.definition.load import load_definition
from huiwu.errors import InputError

from tests.conftest import DATA, EXAMPLES, run_cli, texts

BASE = """\
meeting:
  title: 全镇计生工作会
  organizer: 青石镇党委
  date: 2012-09-20
  time: "9:00"
  venue: 镇政府三楼会议室
  host: 李文杰
people:
  李文杰: {title: 镇党委副书记, rank: 2}
  许国华: {title: 镇党委书记, rank: 1}
discipline:
  - 请关闭手机
  - 不得中途退场
agenda:
  - {by: 许国华, does: 作重要讲话}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_child_overrides_and_inherits(tmp_path):
    write(tmp_path, "2012/meeting.yaml", BASE)
    child = write(
        tmp_path,
        "2013/meeting.yaml",
        """\
extends: ../2012/meeting.yaml
meeting:
  date: 2013-09-24
people:
  李文杰: {title: 镇党委副书记、镇长, rank: 2}
  王芳: {title: 镇计生办主任}
discipline+:
  - 会后各村清点人数
""",
    )
    loaded = load_definition(child)
    model = loaded.model
    assert model.meeting.title == "全镇计生工作会" and str(model.meeting.date) == "2013-09-24"
    assert model.people["李文杰"].title == "镇党委副书记、镇长"
    assert set(model.people) == {"李文杰", "许国华", "王芳"}
    assert model.discipline == ["请关闭手机", "不得中途退场", "会后各村清点人数"]
    assert loaded.parents == (tmp_path / "2013" / "../2012/meeting.yaml",)


def test_a_list_is_replaced_and_null_drops_a_value(tmp_path):
    write(tmp_path, "base.yaml", BASE + "contact: {name: 周红, phone: '0715-1'}\n")
    child = write(
        tmp_path, "child.yaml", "extends: base.yaml\ndiscipline: [请准时到会]\ncontact: null\n"
    )
    model = load_definition(child).model
    assert model.discipline == ["请准时到会"] and model.contact is None


def test_an_error_in_an_inherited_value_points_into_the_parent(tmp_path):
    parent = write(tmp_path, "base.yaml", BASE.replace("host: 李文杰", "host: 李文节"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nmeeting:\n  time: '25:00'\n")
    with pytest.raises(InputError) as caught:
        load_definition(child)
    report = caught.value.report()
    assert f"{parent}:7:9" in report and "李文节" in report
    assert f"{child}:3:9" in report and "25:00" in report


def test_the_parent_must_exist_and_not_loop(tmp_path):
    child = write(tmp_path, "child.yaml", "extends: 没有.yaml\n")
    with pytest.raises(InputError, match="extends 指向的文件不存在"):
        load_definition(child)
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    with pytest.raises(InputError, match="循环"):
        load_definition(tmp_path / "a.yaml")


def test_plus_only_appends_to_lists(tmp_path):
    write(tmp_path, "base.yaml", BASE)
    child = write(tmp_path, "child.yaml", "extends: base.yaml\npeople+:\n  王芳: {title: 主任}\n")
    with pytest.raises(InputError, match="只能用于列表"):
        load_definition(child)


def test_paths_in_the_parent_are_relative_to_the_parent(tmp_path):
    folder = tmp_path / "2012"
    shutil.copytree(DATA / "annual-assessment", folder)
    child = write(tmp_path, "2013/meeting.yaml", "extends: ../2012/meeting.yaml\n")
    status, _, err = run_cli("build", child, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    assert any("91.24%" in line for line in texts(tmp_path / "out" / "工作汇报.docx"))


def test_an_example_extended_builds_the_same_packet(tmp_path):
    child = write(tmp_path, "meeting.yaml", f"extends: {EXAMPLES['mobilisation'].as_posix()}\n")
    status, _, err = run_cli("build", child, "-o", tmp_path / "a")
    assert status == 0, err
    assert run_cli("build", EXAMPLES["mobilisation"], "-o", tmp_path / "b")[0] == 0
    for document in (tmp_path / "b").glob("*.docx"):
        assert (tmp_path / "a" / document.name).read_bytes() == document.read_bytes()
