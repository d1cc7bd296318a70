"""The command line as office staff use it: new → edit → check → build, templates, --only."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.conftest import EXAMPLES, ROOT, run_cli, texts


def test_new_writes_an_example_that_builds(tmp_path):
    status, out, _ = run_cli("new", tmp_path / "会议")
    definition = tmp_path / "会议" / "meeting.yaml"
    assert status == 0 and definition.is_file()
    assert definition.read_bytes().startswith(b"\xef\xbb\xbf"), (
        "saved so Notepad/WPS recognise UTF-8"
    )
    assert "# " in definition.read_text(encoding="utf-8-sig"), "the example is commented"
    status, out, err = run_cli("check", definition)
    assert status == 0, err
    assert "校对发现" in out and "huiwu new 示例里的值" in err, "its sample values are to replace"
    status, out, err = run_cli("build", definition)
    assert status == 0, err
    packet = tmp_path / "会议" / "2012年全镇秋季计生优质服务活动动员大会"
    assert sorted(p.name for p in packet.glob("*.docx")) == [
        "主持词.docx",
        "会议议程.docx",
        "会议通知.docx",
        "签到表.docx",
    ]


def test_new_never_overwrites(tmp_path):
    assert run_cli("new", tmp_path)[0] == 0
    status, _, err = run_cli("new", tmp_path)
    assert status == 1 and "已存在" in err


def test_existing_packet_needs_force(tmp_path):
    out = tmp_path / "packet"
    assert run_cli("build", EXAMPLES["mobilisation"], "-o", out)[0] == 0
    before = (out / "会议通知.docx").read_bytes()
    status, _, err = run_cli("build", EXAMPLES["mobilisation"], "-o", out)
    assert status == 1 and "--force" in err
    assert (out / "会议通知.docx").read_bytes() == before
    status, _, err = run_cli("build", EXAMPLES["mobilisation"], "-o", out, "--force")
    assert status == 0, err


def test_same_input_gives_identical_bytes(tmp_path):
    for name in ("a", "b"):
        assert run_cli("build", EXAMPLES["assessment"], "-o", tmp_path / name)[0] == 0
    for document in (tmp_path / "a").iterdir():
        assert document.read_bytes() == (tmp_path / "b" / document.name).read_bytes(), document.name


def test_only_rebuilds_the_named_kinds_and_keeps_the_rest(tmp_path):
    out = tmp_path / "packet"
    assert run_cli("build", EXAMPLES["mobilisation"], "-o", out, "--only", "notice,签到表")[0] == 0
    assert sorted(p.name for p in out.glob("*.docx")) == ["会议通知.docx", "签到表.docx"]
    (out / "我的笔记.txt").write_text("keep me", encoding="utf-8")
    status, _, err = run_cli("build", EXAMPLES["mobilisation"], "-o", out, "--only", "主持词")
    assert status == 0, err
    assert (out / "主持词.docx").exists() and (out / "我的笔记.txt").exists()
    status, _, err = run_cli("build", EXAMPLES["mobilisation"], "-o", out, "--only", "纪要")
    assert status == 1 and "不认识的文档种类“纪要”" in err


def test_edited_templates_are_used(tmp_path):
    folder = tmp_path / "模板"
    status, _out, _ = run_cli("templates", folder)
    assert status == 0 and (folder / "notice.docx").is_file()
    template = docx.Document(str(folder / "notice.docx"))
    template.add_paragraph("（此件公开发布）", style="公文正文")
    template.save(str(folder / "notice.docx"))
    out_dir = tmp_path / "packet"
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", out_dir, "--templates", folder
    )
    assert status == 0, err
    assert texts(out_dir / "会议通知.docx")[-1] == "（此件公开发布）"
    assert run_cli("templates", folder)[0] == 1, "exporting again does not overwrite edits"


def test_templates_folder_named_in_the_definition(tmp_path):
    folder = tmp_path / "my-templates"
    run_cli("templates", folder)
    template = docx.Document(str(folder / "agenda.docx"))
    template.add_paragraph("会务组制", style="居右正文")
    template.save(str(folder / "agenda.docx"))
    definition = tmp_path / "meeting.yaml"
    text = EXAMPLES["mobilisation"].read_text(encoding="utf-8")
    definition.write_text(text + "templates: my-templates\n", encoding="utf-8")
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "agenda")
    assert status == 0, err
    assert texts(tmp_path / "out" / "会议议程.docx")[-1] == "会务组制"


def test_broken_template_is_reported_without_traceback(tmp_path):
    folder = tmp_path / "模板"
    folder.mkdir()
    (folder / "notice.docx").write_bytes(b"this is not a docx")
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", tmp_path / "out", "--templates", folder
    )
    assert status == 1
    assert "notice.docx" in err and "不是 DOCX 文件" in err
    assert not (tmp_path / "out").exists()


def test_template_with_unknown_variable_names_it(tmp_path):
    folder = tmp_path / "模板"
    run_cli("templates", folder)
    template = docx.Document(str(folder / "agenda.docx"))
    template.add_paragraph("{{ 会议名称 }}", style="公文正文")
    template.save(str(folder / "agenda.docx"))
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", tmp_path / "out", "--templates", folder
    )
    assert status == 1 and "agenda.docx" in err and "会议名称" in err


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"]])
def test_help_is_in_chinese(args):
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "用法：" in result.stdout and "选项" in result.stdout


def test_usage_error_exit_status():
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), "build"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2 and "缺少参数" in result.stderr


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["roll", "x.yaml", "--year", "二〇一三", "-o", "y.yaml"],
            "参数 --year：应为整数，现在是“二〇一三”",
        ),
        (["serve", "--port", "abc"], "参数 --port：应为整数，现在是“abc”"),
        (["build", "--force=1", "x.yaml"], "参数 --force：不用写值"),
    ],
)
def test_a_mistyped_option_value_is_a_usage_error_in_chinese(args, said):
    result = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert said in result.stderr and "invalid" not in result.stderr


def test_serve_on_a_port_out_of_range_or_taken_says_so_before_any_address(tmp_path):
    import socket

    status, out, err = run_cli("serve", tmp_path, "--port", "99999", "--no-browser")
    assert status == 1 and "1 到 65535" in err and "http://" not in out
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        status, out, err = run_cli("serve", tmp_path, "--port", port, "--no-browser")
    assert status == 1 and f"--port {port}" in err and "占用" in err
    assert "http://" not in out and "Traceback" not in err


def test_missing_definition_file(tmp_path):
    status, _, err = run_cli("build", tmp_path / "nope.yaml")
    assert status == 1 and "找不到定义文件" in err


def test_installed_command_runs(tmp_path):
    huiwu = Path(sys.executable).parent / "huiwu"
    if not huiwu.exists():
        pytest.skip("not installed as a command in this environment")
    result = subprocess.run(
        [str(huiwu), "check", str(EXAMPLES["assessment"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_force_never_replaces_a_folder_of_the_users_own_files(tmp_path):
    folder = tmp_path / "我的会议"
    folder.mkdir()
    definition = folder / "meeting.yaml"
    definition.write_text(EXAMPLES["mobilisation"].read_text(encoding="utf-8"), encoding="utf-8")
    status, _, err = run_cli("build", definition, "-o", folder, "--force")
    assert status == 1 and "不是 huiwu 生成的文件（meeting.yaml等）" in err
    assert definition.is_file(), "the definition beside the packet is still there"
