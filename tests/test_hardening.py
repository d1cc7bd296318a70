"""What the user or the machine does to a build: full disks, read-only folders, names too long,
folders where files belong, links, a second build of the same folder, kills and Ctrl-C, other
time zones. Each ends in a Chinese message naming the path and exit 1 (never the "internal
error" of exit 3), writes nothing it should not, and leaves no litter."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huiwu.publish import locks, output

from tests.conftest import EXAMPLES, ROOT, run_cli
from tests.test_corpus import VALID, WORKBOOK_DEFINITION, _cells
from tests.test_output import write_packet

BUG = "内部出错"


def refused(args: list[str | Path], *needles: str) -> str:
    status, _, err = run_cli(*args)
    assert status == 1, err
    assert BUG not in err and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, f"{needle!r} not in\n{err}"
    return err


def definition(tmp_path: Path, text: str = VALID) -> Path:
    path = tmp_path / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".old")))


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (errno.ENOSPC, "磁盘空间不足"),
        (errno.EACCES, "没有权限"),
        (errno.EROFS, "所在的磁盘或 U 盘是只读的"),
        (errno.EIO, "读写出错"),
    ],
)
def test_the_machine_refusing_a_write_is_a_message(code, words, tmp_path, monkeypatch):
    def refuse(self, name, data):
        raise OSError(code, os.strerror(code), str(self._path(name)))

    monkeypatch.setattr(output.Staging, "write", refuse)
    out = tmp_path / "材料"
    err = refused(["build", definition(tmp_path), "-o", out], f"{out}/会议通知.docx: {words}")
    assert ".tmp" not in err, "the staging folder is not named, the folder the user gave is"
    assert not out.exists() and litter(tmp_path) == []


def test_output_into_the_current_folder_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused(["build", definition(tmp_path), "-o", "."], "这是当前所在的文件夹")
    refused(["build", definition(tmp_path), "-o", tmp_path.parent], "这是当前所在的文件夹")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting.yaml"]


def test_a_folder_named_like_the_zip_is_found_before_anything_is_written(tmp_path):
    (tmp_path / "材料.zip").mkdir()
    out = tmp_path / "材料"
    refused(["build", definition(tmp_path), "-o", out, "--zip"], "材料.zip: 已有同名的文件夹")
    assert not out.exists()


def test_a_name_too_long_for_the_file_system(tmp_path):
    long = "".join(chr(0x20000 + i) for i in range(70))  # CJK extension B: 4 bytes each
    refused(["build", definition(tmp_path), "-o", tmp_path / long], "名称过长")
    title = VALID.replace('title: "{{ year }}年全镇工作会议"', f"title: {long}")
    status, _, err = run_cli("build", definition(tmp_path, title))
    assert status == 0, err  # the folder named after the title is cut to fit
    [made] = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert long.startswith(made.name) and len(os.fsencode(made.name)) <= 240


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["new", "{file}"], "{file}: 这是一个文件，这里应为文件夹"),
        (["pdf", "{docx}", "-o", "{file}"], "{file}: 这是一个文件，这里应为文件夹"),
        (["sheet", "{definition}", "-o", "{folder}", "--force"], "{folder}: 这是一个文件夹"),
        (["roll", "{definition}", "-o", "{folder}", "--force"], "{folder}: 这是一个文件夹"),
    ],
)
def test_a_file_where_a_folder_belongs_and_back(command, words, tmp_path):
    places = {
        "file": tmp_path / "已有文件.txt",
        "folder": tmp_path / "已有文件夹",
        "definition": definition(tmp_path, VALID + WORKBOOK_DEFINITION),
        "docx": tmp_path / "议程.docx",
    }
    places["file"].write_text("x", encoding="utf-8")
    places["folder"].mkdir()
    assert run_cli("templates", tmp_path / "t")[0] == 0
    places["docx"].write_bytes((tmp_path / "t" / "agenda.docx").read_bytes())
    args = [part.format(**places) for part in command]
    refused(args, words.format(**places))
    assert places["file"].read_text(encoding="utf-8") == "x"
    assert list(places["folder"].iterdir()) == []
    assert litter(tmp_path) == []


def test_templates_never_write_through_a_link(tmp_path):
    folder = tmp_path / "模板"
    folder.mkdir()
    victim = tmp_path / "重要文件.docx"
    victim.write_bytes(b"keep")
    (folder / "agenda.docx").symlink_to(victim)
    refused(["templates", folder, "--force"], "agenda.docx 是符号链接")
    assert victim.read_bytes() == b"keep"


def test_output_through_a_link_keeps_the_link(tmp_path):
    real = tmp_path / "真实"
    real.mkdir()
    link = tmp_path / "链接"
    link.symlink_to(real, target_is_directory=True)
    for force in ([], ["--force"]):
        status, out, err = run_cli("build", definition(tmp_path), "-o", link, *force)
        assert status == 0, err
        assert link.is_symlink() and (real / "会议议程.docx").is_file()
        assert str(link) in out
    assert litter(tmp_path) == []
    (tmp_path / "断链").symlink_to(tmp_path / "不存在")
    refused(["build", definition(tmp_path), "-o", tmp_path / "断链"], "指向的位置不存在")


def test_a_partial_rebuild_never_writes_into_a_linked_subfolder(tmp_path):
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    target = tmp_path / "材料"
    target.mkdir()
    (target / "目标管理责任书").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(output.OutputExists, match="符号链接"):
        write_packet({"目标管理责任书/甲.docx": b"x"}, target, force=True, whole=False)
    assert list(elsewhere.iterdir()) == []


def test_a_second_build_of_a_folder_being_built_is_refused(tmp_path):
    out = tmp_path / "材料"
    running = tmp_path / ".材料.abcd1234.tmp"  # the staging folder of a build still running
    running.mkdir()
    held = locks.try_lock(running / ".huiwu-lock")
    try:
        refused(["build", definition(tmp_path), "-o", out], "另一个 huiwu 正在生成这个文件夹")
        assert not out.exists()
    finally:
        assert held is not None
        held.close()
    status, _, err = run_cli("build", definition(tmp_path), "-o", out)
    assert status == 0, err
    assert litter(tmp_path) == [], "the dead run's staging folder is cleared"


def test_a_folder_written_meanwhile_is_not_replaced(tmp_path):
    out = tmp_path / "材料"
    staging = output.Staging(out, force=False)
    with pytest.raises(output.OutputExists, match="生成期间另一个程序"), staging:
        staging.write("甲.docx", b"new")
        out.mkdir()  # another build committed while this one was rendering
        (out / "乙.docx").write_bytes(b"theirs")
        staging.commit()
    assert sorted(p.name for p in out.iterdir()) == ["乙.docx"]
    assert litter(tmp_path) == []


def test_temporary_files_of_killed_runs_are_removed_by_the_next(tmp_path):
    target = tmp_path / "指标.xlsx"
    dead = tmp_path / ".指标.xlsx.k1ll3d.tmp"
    dead.write_bytes(b"half")
    with output.atomic_file(target) as stream:
        live = [p for p in tmp_path.glob(".指标.xlsx.*.tmp") if p != dead]
        stream.write(b"whole")
    assert target.read_bytes() == b"whole"
    assert not dead.exists() and live and not live[0].exists()


def test_a_part_larger_than_its_whole_is_a_warning_naming_the_cell(tmp_path):
    workbook = tmp_path / "指标.xlsx"
    _cells(workbook, 100)
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    book["数据"]["C2"] = 150
    book.save(workbook)
    definition_path = definition(tmp_path, VALID + WORKBOOK_DEFINITION)
    status, _, err = run_cli("build", definition_path, "--data", workbook, "-o", tmp_path / "o")
    assert status == 0, err
    assert f"{workbook}:数据!C2: 警告：东村的“政策内出生人数”（150）大于“出生人数”（100）" in err
    status, _, err = run_cli("check", definition_path, "--data", workbook, "--strict")
    assert status == 1 and "出生政策符合率会超过100%" in err


def test_a_rate_without_a_whole_is_a_warning_naming_the_cell(tmp_path):
    """0 births: the rate prints as "—" and ranks worst; the office is told which cell."""
    workbook = tmp_path / "指标.xlsx"
    _cells(workbook, 100)
    from openpyxl import load_workbook

    book = load_workbook(workbook)
    header = [cell.value for cell in book["数据"][1]]
    whole = header.index("出生人数") + 1
    part = header.index("政策内出生人数") + 1
    book["数据"].cell(2, whole, 0)
    book["数据"].cell(2, part, 0)
    book.save(workbook)
    column = "ABCDEFGHIJ"[whole - 1]
    definition_path = definition(tmp_path, VALID + WORKBOOK_DEFINITION)
    status, _, err = run_cli("check", definition_path, "--data", workbook)
    assert status == 0, err
    assert f"{workbook}:数据!{column}2: 警告：东村的“出生人数”为 0，出生政策符合率无法计算" in err


def _huiwu(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "cli.py"), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


_STARTED = (
    "import runpy, sys; sys.argv = sys.argv[1:]; print('started', file=sys.stderr, flush=True); "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def test_ctrl_c_at_any_moment_prints_the_interruption_not_a_traceback(tmp_path):
    """From the moment huiwu's own code runs (the interpreter's start-up before it is not
    huiwu's), through the imports, the build and the writing."""
    delays = [0.05, 0.15, 0.3, 0.6, 1.0, 1.5]
    for index, delay in enumerate(delays):
        out = tmp_path / f"out{index}"
        command = ["build", str(EXAMPLES["annual"]), "-o", str(out)]
        run = subprocess.Popen(
            [sys.executable, "-c", _STARTED, str(ROOT / "cli.py"), *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert run.stderr is not None and run.stderr.readline() == "started\n"
        time.sleep(delay)
        run.send_signal(signal.SIGINT)
        printed, err = run.communicate(timeout=120)
        assert "Traceback" not in err, f"after {delay}s:\n{err}"
        if "已写入" not in printed:  # else the Ctrl-C came as Python was exiting, all done
            assert "已中断" in err, err
            assert not out.exists()
        assert litter(tmp_path) == [], f"after {delay}s"


def test_sigterm_removes_the_staging_folder(tmp_path):
    out = tmp_path / "材料"
    run = _huiwu("build", EXAMPLES["annual"], "-o", out, "--pdf")
    deadline = time.monotonic() + 60
    while not litter(tmp_path) and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGTERM)
    printed, err = run.communicate(timeout=60)
    assert "Traceback" not in err
    if "已写入" not in printed:
        assert "已中断" in err and not out.exists()
    assert litter(tmp_path) == []


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_same_input_gives_the_same_bytes_in_any_time_zone_and_locale(tmp_path):
    results = []
    for zone, locale in [("Asia/Shanghai", "C.UTF-8"), ("America/Los_Angeles", "C")]:
        env = {**os.environ, "TZ": zone, "LC_ALL": locale, "LANG": locale}
        out = tmp_path / zone.replace("/", "-") / "材料"
        run = _huiwu("build", EXAMPLES["annual"], "-o", out, "--zip", env=env)
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        archive = out.with_name("材料.zip")
        results.append((_digests(out), hashlib.sha256(archive.read_bytes()).hexdigest()))
    assert results[0] == results[1]


def test_new_and_pdf_never_write_through_a_link(tmp_path):
    folder = tmp_path / "新会议"
    folder.mkdir()
    (folder / "meeting.yaml").symlink_to(tmp_path / "别处.yaml")  # points at nothing yet
    refused(["new", folder], "meeting.yaml: 这是一个符号链接")
    assert not (tmp_path / "别处.yaml").exists()
    assert run_cli("templates", tmp_path / "t")[0] == 0
    victim = tmp_path / "重要.pdf"
    victim.write_bytes(b"keep")
    (tmp_path / "t" / "agenda.pdf").symlink_to(victim)
    refused(
        ["pdf", tmp_path / "t" / "agenda.docx", "--force"], "agenda.pdf: 错误：这是一个符号链接"
    )
    assert victim.read_bytes() == b"keep"


def test_a_device_or_a_pipe_given_as_the_definition_is_refused_without_reading(tmp_path):
    pipe = tmp_path / "管道.yaml"
    os.mkfifo(pipe)  # nobody writes: reading it would wait for ever
    refused(["build", pipe, "-o", tmp_path / "o"], "这不是一个普通文件，应为定义文件")
    refused(["check", "/dev/zero"], "这不是一个普通文件")  # reading it would never end
    text = "extends: " + str(pipe) + "\n" + VALID
    refused(["check", definition(tmp_path, text)], "管道.yaml")  # refused, not read


def test_rolling_to_a_year_beyond_reason_is_refused(tmp_path):
    refused(
        ["roll", definition(tmp_path), "--year", "99999999999", "-o", tmp_path / "新.yaml"],
        "新的年份 99999999999 不合常理",
    )
    assert not (tmp_path / "新.yaml").exists()


def test_a_loop_of_links_is_named_not_an_internal_error(tmp_path):
    first, second = tmp_path / "甲.yaml", tmp_path / "乙.yaml"
    first.symlink_to(second)
    second.symlink_to(first)
    refused(["check", first], "层层相互指向")
    refused(["build", definition(tmp_path), "-o", first], "甲.yaml")


def test_an_earlier_zip_is_kept_without_force_and_nothing_is_written(tmp_path):
    archive = tmp_path / "材料.zip"
    archive.write_bytes(b"earlier")
    out = tmp_path / "材料"
    refused(
        ["build", definition(tmp_path), "-o", out, "--zip"],
        "材料.zip: 压缩包已存在，未覆盖。要覆盖请加 --force",
    )
    assert archive.read_bytes() == b"earlier" and not out.exists()
