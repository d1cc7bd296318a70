"""What a new user reads when a definition is wrong: Chinese only, and what to do about it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import DATA, MEETING_HEAD, run_cli, texts

ENGLISH = re.compile(r"[A-Za-z]{4,}")
"""A run of Latin letters that is not a field name, a filter or a file name from the input."""


def _english(err: str, allowed: tuple[str, ...] = ()) -> list[str]:
    said = [line.split("错误：", 1)[-1] for line in err.splitlines()]
    said = [re.sub(r"^\[[\w.\[\]]+\] ", "", line) for line in said]
    words = set(ENGLISH.findall("\n".join(said))) - {
        "YAML",
        "huiwu",
        "meeting",
        "yaml",
        "year",
        "title",
    }
    return [w for w in words if w not in allowed and not any(w in a for a in allowed)]


def check(tmp_path: Path, text: str) -> str:
    path = tmp_path / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run_cli("check", path)
    assert status == 1, err
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("  title: 考核会", "  title: {{ year - 1 }}年度考核会", 2),
        ("  venue: 会议室", "  venue: {{ year }}", 6),
        ("  host: 甲", "  host: 甲\n  purpose: [总结, {{ year }}年工作]", 8),
        ("  venue: 会议室", "  venue: {% if year %}会议室{% endif %}", 6),
    ],
    ids=["text-after", "alone", "flow-list", "statement"],
)
def test_an_unquoted_expression_is_told_to_be_quoted(tmp_path, old, new, line):
    err = check(tmp_path, MEETING_HEAD.replace(old, new))
    assert "把这段文字用引号括起来" in err
    assert f"meeting.yaml:{line}" in err
    assert not _english(err)


def test_a_key_out_of_line_is_told_how_far(tmp_path):
    err = check(tmp_path, MEETING_HEAD.replace("  venue: 会议室", "   venue: 会议室"))
    assert "这一行缩进 3 格，同一层的键缩进 2 格，请对齐" in err
    assert not _english(err)


def test_an_unreadable_line_is_explained_in_chinese(tmp_path):
    err = check(tmp_path, MEETING_HEAD.replace("  venue: 会议室", "  venue: [会议室"))
    assert "YAML" in err and not _english(err)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{{ year | paragrah }}", "是不是“paragraph”？"),
        ("{{ year | roud }}", "是不是“round”？"),
        ("{% for x in [1] %}{{ x }}", "{% endfor %}"),
        ("{{ year + }}", "表达式"),
        ("{{ year ？ 1 }}", "英文半角"),
    ],
)
def test_an_expression_error_is_translated_with_a_suggestion(tmp_path, expression, expected):
    err = check(tmp_path, MEETING_HEAD.replace("  venue: 会议室", f'  venue: "{expression}"'))
    assert expected in err
    assert "meeting.yaml:6" in err
    assert not _english(err, ("paragrah", "paragraph", "roud", "round", "endfor"))


def _annual(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "annual"
    shutil.copytree(DATA / "annual-assessment", folder)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


LEAD = "    以优质服务、依法行政为切入点"


def test_a_misspelt_unit_in_an_expression_is_suggested(tmp_path):
    path = _annual(tmp_path, LEAD, "    {{ 各单位.城关真.出生政策符合率 }}" + LEAD.strip())
    status, _, err = run_cli("check", path)
    assert status == 1
    assert "是不是“各单位.城关镇”？" in err
    assert "可用的有" not in err


def test_for_and_if_work_in_a_text_field(tmp_path):
    loop = (
        "    {% for 单位, 值 in 各单位.items() if 值.出生政策符合率.value > 95 %}"
        "{{ 单位 }}{{ '、' if not loop.last else '' }}{% endfor %}的符合率在95%以上；"
    )
    path = _annual(tmp_path, LEAD, loop + LEAD.strip())
    status, _, err = run_cli("build", path, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    lead = next(t for t in texts(tmp_path / "out" / "工作汇报.docx") if "符合率在95%以上" in t)
    assert "{%" not in lead and "的符合率在95%以上；以优质服务" in lead
    assert re.search(r"[镇乡道]、[^、]+[镇乡道]的符合率", lead), lead


def test_a_misspelt_ranked_indicator_is_the_only_error_not_the_weights(tmp_path):
    path = _annual(
        tmp_path,
        "出生政策符合率, 政策外多孩率, 出生人口性别比,",
        "出生政策符合率, 政策外多孩率, 性别比,",
    )
    status, _, err = run_cli("check", path)
    assert status == 1
    assert "没有名为“性别比”的指标。是不是“出生人口性别比”？" in err
    assert "权重" not in err


def test_a_date_left_by_roll_suggests_a_date_of_the_new_year(tmp_path):
    from huiwu.definition.roll import roll

    rolled = roll(DATA / "mobilisation" / "meeting.yaml", 2026)
    path = tmp_path / "meeting.yaml"
    path.write_text(rolled.text, encoding="utf-8")
    status, _, err = run_cli("check", path)
    assert status == 1
    assert "如 2026-" in err and "2013" not in err


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  甲: {title: 县长}", "  甲: {title: 县长, rank: .inf}"),
        ("  甲: {title: 县长}", "  甲: {title: 县长, rank: 1.5}"),
        ('  time: "9:00"', "  time: [9]"),
        ("  date: 2012-10-14", "  date: 2012-10-14\n  assessment_year: 二〇一一"),
        ("  甲: {title: 县长}", "  甲: {title: [县长]}"),
    ],
)
def test_schema_errors_are_in_chinese(tmp_path, old, new):
    err = check(tmp_path, MEETING_HEAD.replace(old, new))
    assert not _english(err, ("inf", "rank", "time", "assessment_year", "date")), err


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ('  venue: "{{ year }}"年会议室', "引号要括住整段文字"),
        ("  venue: 会议室: 三楼", "请给整个值加引号"),
    ],
    ids=["half-quoted", "colon-in-value"],
)
def test_quoting_mistakes_are_told_what_to_do(tmp_path, new, expected):
    err = check(tmp_path, MEETING_HEAD.replace("  venue: 会议室", new))
    assert expected in err and "meeting.yaml:6:" in err
    assert "缩进" not in err
