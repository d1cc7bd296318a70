"""Templates and definitions are data: expressions cannot reach Python, files or the environment,
and cannot make huiwu build something huge. Each attempt fails with a clear message."""

from __future__ import annotations

import docx
import pytest

from tests.conftest import EXAMPLES, run_cli

ATTEMPTS = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "不允许的内容"),
    ("{{ cycler.__init__.__globals__.os.environ }}", "不允许的内容"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "不允许的内容|不存在的变量"),
    ("{{ self.__dict__ }}", "不允许的内容|不存在的变量"),
    ("{{ namespace.__init__.__globals__ }}", "不允许的内容"),
    ("{% set x = [] %}{{ x.append(1) }}", "不允许的内容"),
    ("{% include '/etc/passwd' %}", "不能引用其他文件"),
    ("{% import 'os' as os %}", "不能引用其他文件"),
    ("{{ 'x' * 10**9 }}", "过大的内容"),
    ("{{ 'x' | center(999999999) }}", "过大的内容"),
    ("{{ '%999999999d' % 1 }}", "过大的内容"),
    ("{{ '{:>999999999}'.format(1) }}", "过大的内容"),
    ("{{ range(10**8) | list }}", "无法计算|过大"),
    ("{{ environ }}", "不存在的变量"),
]


@pytest.mark.parametrize(("expression", "message"), ATTEMPTS)
def test_a_template_cannot_escape(expression, message, tmp_path):
    folder = tmp_path / "模板"
    run_cli("templates", folder)
    template = docx.Document(str(folder / "agenda.docx"))
    template.add_paragraph(expression, style="公文正文")
    template.save(str(folder / "agenda.docx"))
    out = tmp_path / "out"
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", out, "--templates", folder, "--only", "agenda"
    )
    assert status == 1, err
    assert "agenda.docx" in err
    assert "Traceback" not in err and "内部出错" not in err
    assert any(word in err for word in message.split("|")), err
    assert "root:" not in err and "uid=" not in err, "nothing was run or read"
    assert not out.exists()


@pytest.mark.parametrize(("expression", "message"), ATTEMPTS[:6] + ATTEMPTS[8:12])
def test_a_definition_text_cannot_escape(expression, message, write_yaml, tmp_path):
    text = EXAMPLES["mobilisation"].read_text(encoding="utf-8")
    quoted = expression.replace('"', '\\"')
    text = text.replace("  venue: 镇政府三楼会议室", f'  venue: "{quoted}"')
    out = tmp_path / "out"
    status, _, err = run_cli("build", write_yaml(text), "-o", out)
    assert status == 1, err
    assert ":10:" in err and "[meeting.venue]" in err
    assert "Traceback" not in err
    assert any(word in err for word in message.split("|")), err
    assert not out.exists()
