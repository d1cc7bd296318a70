"""huiwu.api as the web page uses it: load from text, structured problems, kinds, preview,
examples, new; and the line between the user's mistakes and huiwu's bugs."""

from __future__ import annotations

import io
import subprocess
import sys

import docx
import pytest
from huiwu import api
from huiwu.errors import HuiwuError, InputError

from tests.conftest import DATA, EXAMPLES, ROOT, run_cli, texts

LETTERS = DATA / "responsibility-letters" / "meeting.yaml"


def test_load_takes_an_editors_text_and_problems_point_into_it(tmp_path):
    path = tmp_path / "meeting.yaml"
    text = (
        EXAMPLES["mobilisation"]
        .read_text(encoding="utf-8")
        .replace('time: "9:00"', 'time: "25:00"')
    )
    with pytest.raises(InputError):
        api.load(path, text=text)
    issues = api.check(path, text=text)
    assert issues and all(issue.severity == "error" for issue in issues)
    issue = next(i for i in issues if i.field == "meeting.time")
    assert issue.file == str(path) and issue.line is not None and issue.column is not None
    assert "25:00" in issue.message or "时间" in issue.message
    assert api.load(path, text=EXAMPLES["mobilisation"].read_text(encoding="utf-8")).model


def test_check_returns_proofreading_warnings_with_their_document(tmp_path):
    text = EXAMPLES["mobilisation"].read_text(encoding="utf-8")
    path = EXAMPLES["mobilisation"].parent / "meeting.yaml"
    warned = text.replace("venue: ", "venue: 会议室,", 1)
    issues = api.check(path, text=warned)
    documents = [issue for issue in issues if issue.document is not None]
    assert documents and all(issue.severity == "warning" for issue in documents)
    assert all(issue.paragraph for issue in documents)


def test_kinds_say_what_this_definition_can_have():
    found = {info.id: info for info in api.kinds(LETTERS)}
    assert found["letters"].available and found["letters"].needs_data
    assert found["letters"].name == "目标管理责任书" and found["letters"].template == "letter"
    assert not found["minutes"].available and "minutes" in found["minutes"].requires


def test_preview_renders_one_document_in_memory(tmp_path):
    notice = docx.Document(io.BytesIO(api.preview(EXAMPLES["mobilisation"], "notice")))
    assert any("通知" in p.text for p in notice.paragraphs)
    letter = docx.Document(io.BytesIO(api.preview(LETTERS, "letters", unit="松山乡")))
    assert any("松山乡" in p.text for p in letter.paragraphs)
    with pytest.raises(InputError, match="松山镇"):
        api.preview(LETTERS, "letters", unit="松山镇")
    assert not list(tmp_path.iterdir())


def test_examples_and_new_from_an_example(tmp_path):
    found = {info.id: info for info in api.examples()}
    assert set(found) == {p.name for p in DATA.iterdir() if (p / "meeting.yaml").is_file()}
    assert "责任书" in found["responsibility-letters"].title
    from huiwu.cli import make_parser

    new_help = make_parser()._subparsers._group_actions[0].choices["new"].format_help()
    assert all(example in new_help.replace("\n", "").replace(" ", "") for example in found)
    path = api.new(tmp_path / "会", example="responsibility-letters")
    assert sorted(p.name for p in path.parent.iterdir()) == ["meeting.yaml", "责任书数据.xlsx"]
    status, _, err = run_cli("letters", path)
    assert status == 0, err
    with pytest.raises(HuiwuError, match=r"已有同名的文件.*--force"):
        api.new(tmp_path / "会", example="responsibility-letters")
    with pytest.raises(HuiwuError, match="没有名为“nope”的示例"):
        api.new(tmp_path / "x", example="nope")


def test_copy_templates_and_refusal_worded_once(tmp_path):
    copied = api.copy_templates(tmp_path)
    assert {p.name for p in copied} >= {"notice.docx", "letter.docx"}
    with pytest.raises(HuiwuError) as caught:
        api.copy_templates(tmp_path)
    assert "未覆盖。要覆盖请加 --force" in str(caught.value)
    assert api.copy_templates(tmp_path, force=True) == copied


def test_a_bug_in_huiwus_own_filter_is_not_blamed_on_the_template(tmp_path, monkeypatch):
    """A filter whose own code breaks (here: made to, for the year only) is huiwu's bug:
    exit 3, not "your template is wrong"."""
    from huiwu.text import cn

    numeral = cn.numeral

    def broken(n: int) -> str:
        if n == 2012:
            return {}["no such key"]
        return numeral(n)

    monkeypatch.setattr(cn, "numeral", broken)
    name = "cn_ordinal"
    folder = tmp_path / "模板"
    document = docx.Document()
    document.add_paragraph(f"{{{{ year | {name} }}}}")
    folder.mkdir()
    document.save(str(folder / "agenda.docx"))
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", tmp_path / "out", "--templates", folder
    )
    assert status == 3, err
    assert "内部出错" in err and "模板" not in err


def test_a_template_that_loops_over_a_number_is_the_templates_fault(tmp_path):
    folder = tmp_path / "模板"
    document = docx.Document()
    document.add_paragraph("{% for x in year %}{{ x }}{% endfor %}")
    folder.mkdir()
    document.save(str(folder / "agenda.docx"))
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", tmp_path / "out", "--templates", folder
    )
    assert status == 1 and "agenda.docx" in err and "无法计算" in err


def test_version_imports_no_heavy_module():
    code = (
        "import sys, huiwu.cli\n"
        "try:\n    huiwu.cli.main(['--version'])\nexcept SystemExit:\n    pass\n"
        "heavy = ['openpyxl', 'pydantic', 'docxtpl', 'docx', 'lxml', 'jinja2', 'rich', 'yaml']\n"
        "print('heavy:' + ','.join(m for m in heavy if m in sys.modules))\n"
    )
    for args in (["--version"], ["--help"]):
        run = subprocess.run(
            [sys.executable, "-c", code.replace("['--version']", repr(args))],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        assert run.stdout.strip().splitlines()[-1] == "heavy:", (args, run.stdout)


def test_help_never_breaks_a_word():
    from huiwu.cli import make_parser
    from huiwu.documents import KINDS

    for width in (50, 60, 80, 100):
        import os

        os.environ["COLUMNS"] = str(width)
        try:
            text = make_parser()._subparsers._group_actions[0].choices["build"].format_help()
        finally:
            del os.environ["COLUMNS"]
        flat = text.replace("\n", "").replace(" ", "")
        lines = text.splitlines()
        for kind in KINDS:
            assert any(kind in line for line in lines), (width, kind)
        assert "hosting_script" in flat


def test_every_command_has_a_description_and_takes_debug_after_it(tmp_path):
    from huiwu.cli import make_parser

    commands = make_parser()._subparsers._group_actions[0].choices
    for name, parser in commands.items():
        assert parser.description, name
    status, _, err = run_cli("check", tmp_path / "没有.yaml", "--debug")
    assert status == 1 and "没有.yaml" in err
    status, _, err = run_cli("--debug", "check", tmp_path / "没有.yaml")
    assert status == 1


def test_packet_folders_and_archives_follow_the_umask(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        status, _, err = run_cli("build", EXAMPLES["mobilisation"], "-o", tmp_path / "p", "--zip")
    finally:
        os.umask(old)
    assert status == 0, err
    assert (tmp_path / "p").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "p.zip").stat().st_mode & 0o777 == 0o644
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in (tmp_path / "p").iterdir())
    assert texts(tmp_path / "p" / "会议议程.docx")


@pytest.mark.parametrize(
    "example", sorted(p.name for p in DATA.iterdir() if (p / "meeting.yaml").is_file())
)
def test_every_example_copied_by_new_stands_alone(example, tmp_path):
    """A copied example checks clean in its new folder, also one that extends another example."""
    path = api.new(tmp_path / "会议", example=example)
    errors = [issue for issue in api.check(path) if issue.severity == "error"]
    assert errors == []
    assert "../" not in path.read_text(encoding="utf-8").split("extends:", 1)[-1].split("\n")[0]


def test_a_template_error_is_an_issue_located_in_the_template(tmp_path):
    """The web page lists a broken template like any other problem: its file, then why."""
    folder = tmp_path / "模板"
    folder.mkdir()
    document = docx.Document()
    document.add_paragraph("{{ 会议名称 | 没有这个过滤器 }}")
    document.save(str(folder / "notice.docx"))
    issues = api.check(EXAMPLES["mobilisation"], templates=folder)
    [issue] = [i for i in issues if i.severity == "error"]
    assert issue.file == str(folder / "notice.docx")
    assert issue.message.startswith("模板标签写错了") and str(folder) not in issue.message
