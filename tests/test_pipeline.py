"""One packet: letters are a kind of it, prepared once from the same inputs, written by one
writer; relative paths resolve against the file that wrote them; the user's own Word letter
works as a template with the definition's names."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import docx
import pytest
from huiwu import api
from huiwu.definition.load import load_definition
from huiwu.errors import Cancelled
from huiwu.publish.packet import letter_set
from huiwu.templates import BUILTIN_DIR

from tests.conftest import DATA, run_cli, texts

LETTERS = DATA / "responsibility-letters" / "meeting.yaml"
WORKBOOK = "责任书数据.xlsx"


@pytest.fixture
def child(tmp_path: Path) -> Path:
    """A definition in a folder of its own that extends the letters example and names its own
    workbook (a copy, under another name, beside it)."""
    shutil.copytree(LETTERS.parent, tmp_path / "2012")
    folder = tmp_path / "2013"
    folder.mkdir()
    shutil.copyfile(LETTERS.parent / WORKBOOK, folder / "本年数据.xlsx")
    path = folder / "meeting.yaml"
    path.write_text(
        "extends: ../2012/meeting.yaml\nworkbook:\n  file: 本年数据.xlsx\n", encoding="utf-8"
    )
    return path


def _inputs(folder: Path) -> list[str]:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return [f"{entry['文件']}:{entry['sha256']}" for entry in manifest["输入"]]


def test_an_extends_child_with_its_own_workbook_builds_both_ways(child, tmp_path):
    status, _, err = run_cli("build", child, "-o", tmp_path / "packet")
    assert status == 0, err
    status, _, err = run_cli("letters", child, "-o", tmp_path / "letters")
    assert status == 0, err
    assert _inputs(tmp_path / "packet") == _inputs(tmp_path / "letters")
    names = [line.split(":")[0] for line in _inputs(tmp_path / "letters")]
    assert names == ["meeting.yaml", "meeting.yaml", "本年数据.xlsx"]
    letters = sorted((tmp_path / "packet" / "目标管理责任书").glob("*-*.docx"))
    assert len(letters) == len(list((tmp_path / "letters").glob("*-*.docx"))) == 14


def test_a_path_written_in_the_parent_resolves_beside_the_parent(child, tmp_path):
    """The parent names its workbook and its templates; the child says nothing about them."""
    parent = child.parent.parent / "2012"
    (parent / "模板").mkdir()
    shutil.copyfile(BUILTIN_DIR / "letter.docx", parent / "模板" / "letter.docx")
    text = (parent / "meeting.yaml").read_text(encoding="utf-8")
    (parent / "meeting.yaml").write_text(text + "\ntemplates: 模板\n", encoding="utf-8")
    child.write_text("extends: ../2012/meeting.yaml\n", encoding="utf-8")
    status, _, err = run_cli("letters", child, "-o", tmp_path / "out")
    assert status == 0, err
    assert [line.split(":")[0] for line in _inputs(tmp_path / "out")] == [
        "meeting.yaml",
        "meeting.yaml",
        WORKBOOK,
        "letter.docx",
    ]


def test_a_packet_with_letters_prepares_and_expands_once(monkeypatch, tmp_path):
    import huiwu.figures.inputs as inputs_module
    import huiwu.publish.packet as packet_module

    calls = {"prepare": 0, "expand_texts": 0}

    def counting(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(packet_module, "prepare", counting("prepare", packet_module.prepare))
    monkeypatch.setattr(
        inputs_module, "expand_texts", counting("expand_texts", inputs_module.expand_texts)
    )
    status, _, err = run_cli("build", LETTERS, "-o", tmp_path / "packet")
    assert status == 0, err
    assert calls == {"prepare": 1, "expand_texts": 1}
    assert (tmp_path / "packet" / "目标管理责任书").is_dir()
    assert (tmp_path / "packet" / "主持词.docx").is_file()


def _users_letter(folder: Path, paragraphs: list[str]) -> Path:
    """A letter as an office would make it in Word: its own wording, a few mail-merge fields."""
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    path = folder / "letter.docx"
    document.save(str(path))
    return path


def test_the_users_own_letter_with_mail_merge_names(tmp_path):
    _users_letter(
        tmp_path / "我的模板",
        [
            "{{ year }}年度{{ 单位 }}计划生育目标责任状",
            "一、{{ 单位 }}全年查处两非案件不少于{{ 配额.两非案件 }}件（全市{{ 总额.两非案件 }}件）。",
            "二、本单位总人口{{ 数据.总人口 }}人。",
            "{{ meeting.title }}",
            "甲方：{{ 甲方 }}　　乙方：{{ 乙方 }}",
        ],
    )
    status, _, err = run_cli(
        "letters", LETTERS, "-o", tmp_path / "out", "--templates", tmp_path / "我的模板"
    )
    assert status == 0, err
    letters = letter_set(load_definition(LETTERS))
    unit = "松山乡"
    quota = letters.quotas.values[unit]["两非案件"]
    total = letters.quotas.totals["两非案件"]
    lines = texts(tmp_path / "out" / letters.filenames[unit])
    assert lines[0] == f"2012年度{unit}计划生育目标责任状"
    assert lines[1] == f"一、{unit}全年查处两非案件不少于{quota}件（全市{total}件）。"
    assert lines[2].startswith("二、本单位总人口") and lines[2].endswith("人。")
    assert lines[3] == "2012年全市人口和计划生育工作会议暨目标管理责任书签订会"
    # 乙方 is the unit's full name from the workbook's text column (recipient: 数据.乙方全称).
    assert lines[4] == f"甲方：楚安市人口和计划生育局　　乙方：{unit}人民政府"


def test_an_unknown_name_in_a_users_template_is_named_with_a_suggestion(tmp_path):
    _users_letter(tmp_path / "t", ["本单位：{{ 单住 }}", "配额：{{ 配额.两非案 }}"])
    status, _, err = run_cli(
        "letters", LETTERS, "-o", tmp_path / "out", "--templates", tmp_path / "t"
    )
    assert status == 1
    assert "letter.docx" in err and "“单住”" in err and "是不是“单位”" in err
    assert "本单位：{{ 单住 }}" in err, "the paragraph is named"
    assert not (tmp_path / "out").exists()


def test_fields_lists_the_names_of_a_kind_with_their_values():
    status, out, err = run_cli("fields", LETTERS, "letters")
    assert status == 0, err
    first = letter_set(load_definition(LETTERS)).units[0]
    assert f"{{{{ 单位 }}}}：{first}　——本份责任书的单位" in out
    assert "{{ 配额.两非案件 }}" in out and "{{ 总额.社会抚养费 }}" in out
    assert "{{ meeting.title }}" in out and "{{ year }}：2012　——年份" in out
    status, out, err = run_cli("fields", DATA / "mobilisation" / "meeting.yaml", "会议通知")
    assert status == 0, err
    assert "{{ meeting.venue }}" in out and "镇政府" in out


def test_build_reports_progress_and_a_cancelled_build_writes_nothing(tmp_path):
    seen: list[api.Progress] = []
    built = api.build(LETTERS, api.BuildOptions(out_dir=tmp_path / "packet"), progress=seen.append)
    assert built.letters == 14
    stages = {p.stage for p in seen}
    assert stages == {"材料", "目标管理责任书"}
    assert seen[-1] == api.Progress("目标管理责任书", 14, 14)

    cancel = threading.Event()

    def stop_after_three(progress: api.Progress) -> None:
        if progress.stage == "目标管理责任书" and progress.done == 3:
            cancel.set()

    target = tmp_path / "cancelled"
    with pytest.raises(Cancelled):
        api.build(
            LETTERS, api.BuildOptions(out_dir=target), progress=stop_after_three, cancel=cancel
        )
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
