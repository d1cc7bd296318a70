"""``huiwu roll``: next year's definition; dates to fill in are listed until filled; no old year."""

from __future__ import annotations

import datetime as dt
import re

import docx
import pytest
from huiwu.definition.roll import advance_years, roll

from tests.conftest import EXAMPLES, run_cli


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2012年全镇动员大会", "2013年全镇动员大会"),
        ("2012年（2011.10.1—2012.9.30）", "2013年（2012.10.1—2013.9.30）"),
        ("2011-2012年度", "2012-2013年度"),
        ("上报出生2012人", "上报出生2012人"),  # a count, not a year
        ("征收任务2200万元", "征收任务2200万元"),
        ("1990年以来", "1990年以来"),  # too far from the meeting's year to be this year's
        ("{{ year }}年", "{{ year }}年"),
    ],
)
def test_years_are_advanced_only_where_they_are_years(text, expected):
    assert advance_years(text, 2012, 2013) == expected


def test_hard_coded_years_dates_and_weekday(write_yaml):
    path = write_yaml(
        """\
# 2012年的会，注释保留
meeting:
  title: 2012年全镇秋季计生工作会
  organizer: 青石镇党委
  date: 2012-09-20
  weekday: 星期四
  time: "9:00"
  venue: 镇政府三楼会议室
  host: 李文杰
people:
  李文杰: {title: 镇党委副书记}
notice: {to: 各村, date: 2012-09-17}
"""
    )
    rolled = roll(path, 2013)
    assert rolled.text.startswith("# 2012年的会，注释保留\n"), "comments are kept as written"
    assert "title: 2013年全镇秋季计生工作会" in rolled.text
    assert (
        "date: 待填（2013年）" in rolled.text and "{to: 各村, date: 待填（2013年）}" in rolled.text
    )
    assert "星期四" not in rolled.text
    assert [(edit.line, edit.old) for edit in rolled.to_fill] == [
        (5, "2012-09-20"),
        (12, "2012-09-17"),
    ]
    assert [edit.new for edit in rolled.edits] == [
        "（删去，由日期算出）",
        "2013年全镇秋季计生工作会",
    ]


def test_a_rolled_definition_lists_what_to_fill_until_filled(tmp_path):
    target = tmp_path / "2013.yaml"
    status, out, err = run_cli("roll", EXAMPLES["mobilisation"], "-o", target)
    assert status == 0, err
    assert "第 6 行 meeting.date" in out and "第 74 行 notice.date" in out
    status, _, err = run_cli("check", target)
    assert status == 1
    assert f"{target}:6:9" in err and f"{target}:74:9" in err and "还没有填写" in err
    assert run_cli("roll", EXAMPLES["mobilisation"], "-o", target)[0] == 1, "needs --force"


def test_year_must_move_forward():
    with pytest.raises(Exception, match="新的年份应晚于"):
        roll(EXAMPLES["mobilisation"], 2012)


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_each_example_rolls_to_a_packet_without_last_years_year(example, tmp_path):
    # Two years on, so that a text's {{ year - 1 }} (a review of the year before, as minutes and
    # speeches write it) cannot be mistaken for a year left over from 2012.
    rolled = roll(EXAMPLES[example], 2014)
    text = rolled.text
    for edit in rolled.to_fill:
        new_date = dt.date.fromisoformat(edit.old).replace(year=2014)
        text = re.sub(r"(\w+): 待填（\d+年）", rf"\1: {new_date.isoformat()}", text, count=1)
    definition = EXAMPLES[example].parent / f".rolled-{example}.yaml"
    definition.write_text(text, encoding="utf-8")  # beside the original: the workbook is relative
    try:
        status, _, err = run_cli("build", definition, "-o", tmp_path / "packet")
    finally:
        definition.unlink()
    assert status == 0, err
    for document in (tmp_path / "packet").glob("*.docx"):
        words = "\n".join(p.text for p in docx.Document(str(document)).paragraphs)
        for table in docx.Document(str(document)).tables:
            words += "\n".join(cell.text for row in table.rows for cell in row.cells)
        if not words.strip():
            continue  # name cards: names only
        # the statistics period may start in the year before (2013.10.1—2014.9.30); no text or
        # date may still say the year the definition was written for
        assert "2012年" not in words, document.name
        assert "2014年" in words, document.name


def test_the_workbook_to_replace_is_that_of_the_year_assessed(tmp_path):
    """A meeting in early 2013 assesses 2012; rolled to 2014 it assesses 2013, and the workbook
    to bring is 2013's figures, not 2014's."""
    definition = EXAMPLES["mobilisation"].parents[1] / "deduction-scoring" / "meeting.yaml"
    status, out, err = run_cli("roll", definition, "-o", tmp_path / "next.yaml")
    assert status == 0, err
    assert "meeting.assessment_year“考核年度”（assessment_year）：2012 → 2013" in out
    assert "要换成2013年的数据" in out and "要换成2014年" not in out
