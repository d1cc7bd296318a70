"""The web page's parts without a browser: the yearly form's YAML edits, saving, uploads, paths,
builds that fail or are cancelled, and ``huiwu serve`` started as an office would."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import httpx
import pytest
import yaml
from huiwu.web import backend
from huiwu.web.jobs import Jobs
from huiwu.web.workspace import (
    Conflict,
    Workspace,
    WorkspaceError,
    check_name,
    check_office_file,
    etag,
    inside,
)
from huiwu.web.yamlform import FormError, read_form, write_form

from tests.conftest import DATA, run_cli

MOBILISATION = DATA / "mobilisation" / "meeting.yaml"


def test_the_form_changes_only_what_it_says() -> None:
    text = MOBILISATION.read_text("utf-8")
    form = read_form(text)
    assert form["facts"]["time"] == "9:00"
    assert form["leaders"] == ["许国华", "赵志军", "胡明"]
    form["facts"]["time"] = "14:30"
    form["facts"]["checkin_time"] = ""
    form["agenda"] = form["agenda"][:2]
    new = write_form(text, form)
    assert '  time: "14:30"' in new  # YAML 1.1 would read 14:30 unquoted as 870 minutes
    assert "checkin_time" not in new
    assert "作重要讲话" not in new
    unchanged = [line for line in text.splitlines() if line.startswith("#")]
    assert [line for line in new.splitlines() if line.startswith("#")] == unchanged
    assert yaml.safe_load(new)["meeting"]["time"] == "14:30"
    people = [line for line in text.splitlines() if line.startswith("  ") and ": {title:" in line]
    assert people and all(line in new.splitlines() for line in people)  # flow style kept


def test_a_form_value_yaml_would_misread_is_quoted() -> None:
    text = MOBILISATION.read_text("utf-8")
    form = read_form(text)
    form["facts"]["venue"] = "yes"
    form["leaders"] = ["许国华", "null"]
    data = yaml.safe_load(write_form(text, form))
    assert data["meeting"]["venue"] == "yes"
    assert data["leaders"] == ["许国华", "null"]


def test_a_new_date_drops_the_stated_weekday() -> None:
    text = MOBILISATION.read_text("utf-8")
    form = read_form(text)
    form["facts"]["date"] = "2013-09-19"
    data = yaml.safe_load(write_form(text, form))
    assert str(data["meeting"]["date"]) == "2013-09-19"
    assert "weekday" not in data["meeting"]


def test_the_form_refuses_text_that_does_not_parse() -> None:
    with pytest.raises(FormError, match="语法错误"):
        read_form("meeting: [unclosed\n")


def test_saving_refuses_a_stale_version_and_keeps_the_old_one(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    path = tmp_path / "meeting.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    opened = etag(path.read_bytes())
    second = workspace.save(path, "a: 2\n", opened)
    assert path.read_bytes() == b"\xef\xbb\xbfa: 2\n"  # Notepad's BOM kept
    assert second == etag(path.read_bytes())
    with pytest.raises(Conflict, match="已被修改"):
        workspace.save(path, "a: 3\n", opened)
    assert path.read_bytes().endswith(b"a: 2\n")
    (kept,) = (tmp_path / "历史版本").iterdir()
    assert kept.read_bytes().endswith(b"a: 1\n")


def test_paths_and_names_stay_inside_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "逃逸").symlink_to(tmp_path)
    with pytest.raises(WorkspaceError):
        inside(root, root / "逃逸" / "x")
    with pytest.raises(WorkspaceError):
        inside(root, root / ".." / "x")
    for bad in ("../x", "a/b", ".hidden", "a\\b", "", "a:b"):
        with pytest.raises(WorkspaceError):
            check_name(bad)
    assert check_name(" 2013年动员大会 ") == "2013年动员大会"


def test_uploads_are_checked_by_content() -> None:
    check_office_file((DATA / "annual-assessment" / "指标.xlsx").read_bytes(), "xlsx")
    with pytest.raises(WorkspaceError, match="不是Excel"):
        check_office_file(b"name,value\n", "xlsx")
    with pytest.raises(WorkspaceError, match="另存为"):
        check_office_file(b"\xd0\xcf\x11\xe0" + bytes(100), "xlsx")
    with pytest.raises(WorkspaceError, match="不是Word"):
        check_office_file((DATA / "annual-assessment" / "指标.xlsx").read_bytes(), "docx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
        archive.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    with pytest.raises(WorkspaceError, match="过大"):
        check_office_file(buffer.getvalue(), "docx")


def test_check_reads_the_editors_text_and_names_the_line() -> None:
    text = MOBILISATION.read_text("utf-8").replace("venue: 镇政府三楼会议室", "venue:")
    issues = backend.check(MOBILISATION, text=text)
    errors = [i for i in issues if i.severity == "error"]
    assert errors and errors[0].line == 11
    assert errors[0].field == "meeting.venue"
    assert backend.check(MOBILISATION) == []


def test_a_cancelled_build_writes_nothing(tmp_path: Path) -> None:
    cancel = threading.Event()
    stages = []

    def progress(step: backend.Progress) -> None:
        stages.append(step.stage)
        cancel.set()  # cancelled while the first stage is shown

    # Cancelling takes effect at the next stage: here the PDFs, inside the staging folder.
    options = backend.BuildOptions(out_dir=tmp_path / "out", zip=True, pdf=True)
    with pytest.raises(backend.Cancelled):
        backend.build(MOBILISATION, options, progress=progress, cancel=cancel)
    assert stages
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "out.zip").exists()


def test_a_failing_build_fails_alone(tmp_path: Path) -> None:
    broken = tmp_path / "meeting.yaml"
    broken.write_text("meeting: {title: 会}\n", encoding="utf-8")
    jobs = Jobs()
    job = jobs.start("坏", broken, backend.BuildOptions(out_dir=tmp_path / "out"))
    for _ in range(600):
        if job.state != "running":
            break
        threading.Event().wait(0.05)
    assert job.state == "failed"
    assert "people" in job.error or "缺少" in job.error
    good = jobs.start("好", MOBILISATION, backend.BuildOptions(out_dir=tmp_path / "good"))
    for _ in range(600):
        if good.state != "running":
            break
        threading.Event().wait(0.05)
    assert good.state == "done", good.error
    assert (tmp_path / "good" / "会议通知.docx").is_file()


def test_new_and_roll_make_meetings(tmp_path: Path) -> None:
    assert {e.id for e in backend.examples()} >= {"mobilisation", "annual-assessment"}
    definition = backend.new(tmp_path / "考核", example="annual-assessment")
    assert (tmp_path / "考核" / "指标.xlsx").is_file()
    assert backend.check(definition) == []
    rolled = backend.roll(definition, tmp_path / "明年.yaml")
    assert "date: 待填" in rolled.path.read_text("utf-8")
    assert "date: 2012-12-20" in definition.read_text("utf-8")  # this year's is kept
    assert any("请填写" in item.message and item.line for item in rolled.todo)


def test_serve_writes_a_windows_launcher(tmp_path: Path) -> None:
    status, out, _ = run_cli("serve", tmp_path, "--shortcut")
    assert status == 0
    bat = (tmp_path / "会务.bat").read_bytes()
    assert b"\r\n" in bat
    assert f'"{sys.executable}" -m huiwu serve'.encode() in bat
    assert "会务.bat" in out
    assert "serve(" in (tmp_path / "会务.pyw").read_text("utf-8")


def test_serve_refuses_a_missing_folder(tmp_path: Path) -> None:
    status, _, err = run_cli("serve", tmp_path / "没有", "--no-browser")
    assert status == 1
    assert "不是一个文件夹" in err


def test_python_m_huiwu_serve_prints_an_address_that_works(tmp_path: Path) -> None:
    shutil.copytree(DATA / "mobilisation", tmp_path / "动员大会")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "huiwu",
            "serve",
            str(tmp_path),
            "--no-browser",
            "--host",
            "127.0.0.2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        warning = process.stderr.readline()
        assert "警告" in warning and "127.0.0.2" in warning
        line = process.stdout.readline()
        address = line.split("：", 1)[1].strip()
        assert address.startswith("http://127.0.0.2:") and "?token=" in address
        with httpx.Client() as client:
            page = client.get(address, follow_redirects=True)
            assert page.status_code == 200
            assert "动员大会" in page.text
            assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert httpx.get(address.split("?")[0]).status_code == 403
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_previews_render_only_the_documents_that_changed(monkeypatch, tmp_path: Path) -> None:
    from huiwu.web import preview

    definition = DATA / "leading-group" / "meeting.yaml"
    text = definition.read_text("utf-8")
    converted: list[int] = []
    real = backend.to_pdf

    def counting(files, **kwargs):
        converted.append(len(files))
        return real(files, **kwargs)

    monkeypatch.setattr(preview.backend, "to_pdf", counting)
    previews = preview.Previews(tmp_path)
    first = previews.refresh(definition, text=text)
    assert converted == [len(first)]
    assert {"minutes", "speech", "seating_chart"} <= {d.kind for d in first}
    assert all(d.pages >= 1 and d.error is None for d in first)
    page = previews.page(first[0].digest, 1)
    assert page is not None and page.read_bytes().startswith(b"\x89PNG")
    previews.refresh(definition, text=text)
    assert converted == [len(first)]  # nothing changed, nothing converted
    edited = text.replace("综合得分排名表。", "综合得分排名表（修改稿）。", 1)
    assert edited != text
    second = previews.refresh(definition, text=edited)
    assert converted == [len(first), 1]  # only the minutes
    changed = [d.kind for d, e in zip(first, second, strict=True) if d.digest != e.digest]
    assert changed == ["minutes"]


def test_a_definition_cannot_reach_outside_the_workspace(tmp_path: Path) -> None:
    from huiwu.web.workspace import outside_references

    root = tmp_path / "ws"
    (root / "会").mkdir(parents=True)
    secret = tmp_path / "secret.yaml"
    secret.write_text("meeting: {title: 机密}\n", encoding="utf-8")
    definition = root / "会" / "meeting.yaml"
    definition.write_text("extends: ../去年/meeting.yaml\n", encoding="utf-8")
    (root / "去年").mkdir()
    (root / "去年" / "meeting.yaml").write_text("extends: ../../secret.yaml\n", encoding="utf-8")
    assert outside_references(root, definition) == ["extends: ../../secret.yaml"]
    text = "workbook: {file: /etc/passwd}\ntemplates: ../模板\n"
    assert outside_references(root, definition, text) == ["workbook.file: /etc/passwd"]
    assert outside_references(root, MOBILISATION.parent / "x.yaml", "meeting: {}") == []


def test_a_build_reports_each_letter_and_can_stop_between_letters(tmp_path: Path) -> None:
    definition = DATA / "responsibility-letters" / "meeting.yaml"
    seen: list[backend.Progress] = []
    built = backend.build(
        definition, backend.BuildOptions(out_dir=tmp_path / "all"), progress=seen.append
    )
    counted = [step for step in seen if step.stage == "目标管理责任书"]
    assert counted and counted[-1].done == counted[-1].total == len(
        list((built.out_dir / "目标管理责任书").glob("*-*.docx"))
    )
    cancel = threading.Event()

    def stop_at_third(step: backend.Progress) -> None:
        if step.total and step.done == 3:
            cancel.set()

    with pytest.raises(backend.Cancelled):
        backend.build(
            definition,
            backend.BuildOptions(out_dir=tmp_path / "stopped"),
            progress=stop_at_third,
            cancel=cancel,
        )
    assert not (tmp_path / "stopped").exists()


def test_figures_of_a_letters_meeting_show_each_units_quotas_and_the_totals():
    [table] = backend.figures(DATA / "responsibility-letters" / "meeting.yaml")
    assert table.title == "责任书配额"
    assert table.columns[0] == "单位" and len(table.rows) == 15  # 14 units and the total
    assert table.rows[-1][:3] == ["合计", "94", "2200"]  # the seed's 94 cases, 2200万元
