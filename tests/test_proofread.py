"""Proofreading: the defects of reused files are found in the output and said where they are."""

from __future__ import annotations

import pytest
from huiwu.text.proofread import (
    Paragraph,
    check_blank_names,
    check_half_width,
    check_placeholders,
    check_points,
    check_quota_sums,
    check_rates,
    check_weekdays,
)

from tests.conftest import run_cli


def found(check, text: str) -> list[str]:
    return [problem.message for problem in check(Paragraph("通知.docx", 3, text))]


@pytest.mark.parametrize(
    "text", ["20xx年工作要点", "XX镇人民政府", "×××同志", "○○村", "某某乡", "20××年"]
)
def test_placeholders_left_in_the_text(text):
    (message,) = found(check_placeholders, text)
    assert message.startswith("第 3 段") and "占位符" in message


@pytest.mark.parametrize("text", ["XXL码", "2012年工作", "指标X"])
def test_ordinary_text_is_not_a_placeholder(text):
    assert found(check_placeholders, text) == []


def test_blank_name_before_tongzhi():
    assert found(check_blank_names, "组长：省委副秘书长 同志；")
    assert found(check_blank_names, "请，同志们注意") == []
    assert found(check_blank_names, "副组长：孙立群同志") == []


def test_weekday_must_match_its_date():
    (message,) = found(check_weekdays, "定于2012年9月20日（星期五）上午召开")
    assert "2012年9月20日是星期四，不是星期五" in message
    assert found(check_weekdays, "2012年9月20日（星期四）") == []
    assert found(check_weekdays, "2012年9月20日（周四）") == []
    assert "日期不存在" in found(check_weekdays, "2013年2月29日（星期五）")[0]


def test_a_rate_must_follow_from_its_counts():
    wrong = "全街上报出生571人，其中政策内出生521人，出生政策符合率为91.42%。"
    (message,) = found(check_rates, wrong)
    assert "521÷571应为91.24%，文中写的是91.42%" in message
    assert found(check_rates, wrong.replace("91.42", "91.24")) == []
    assert found(check_rates, "出生120人，其中政策外多孩3人，政策外多孩率2.5%") == []


def test_quota_parts_must_add_up_to_the_total():
    seed = (
        "全市全年查处到位不少于94件，其中茗溪乡5件、云岭镇5件、石门镇6件、东湖街道8件、"
        "西岭镇9件、南山镇10件、北岗镇11件、开发区11件、农场1件、青山镇5件、白石镇5件、"
        "柳林镇6件、河口镇7件、长冲镇6件（2分）。"
    )
    (message,) = found(check_quota_sums, seed)
    assert "其中各项相加为95件，与总数94件不符" in message
    good = "共完成社会抚养费征收任务300万元，其中甲镇100万元，乙镇120万元，丙乡80万元。"
    assert found(check_quota_sums, good) == []


def test_points_of_a_letter_must_add_up_to_100():
    def items(points):
        return [
            Paragraph("责任书.docx", n, f"（{h}）目标{n}（{p}分）")
            for n, (h, p) in enumerate(zip("一二三四", points, strict=False), 1)
        ]

    assert [p.message for p in check_points(items([30, 30, 30, 10]))] == []
    (problem,) = check_points(items([30, 30, 30, 5]))
    assert "相加为95分，应为100分" in problem.message and str(problem.location) == "责任书.docx"


def test_half_width_punctuation_in_chinese():
    (message,) = found(check_half_width, "会议由镇长主持,议程如下")
    assert "半角标点“,”" in message and "，" in message
    assert found(check_half_width, "上午9:30，共1,000人") == []


DEFINITION = """\
meeting:
  title: 全镇计生工作会
  organizer: 青石镇党委
  date: 2012-09-20
  time: "9:00"
  venue: 镇政府三楼会议室
  host: 李文杰
  purpose: 安排部署20xx年工作,落实目标
people:
  李文杰: {title: 镇党委副书记}
units: [东村, 西村, 南村]
attendees:
  - label: 各村党支部书记
    units: [东村, 西村, 西村]
closing:
  points:
    - 要在2012年9月21日（星期五）前把人员名单报镇计生办
"""


def test_check_lists_every_finding_and_strict_build_writes_nothing(write_yaml, tmp_path):
    definition = write_yaml(DEFINITION)
    status, out, err = run_cli("check", definition)
    assert status == 0, err
    assert "校对发现" in out
    assert "主持词.docx: 警告：" in err and "“20xx”像是没有替换的占位符" in err
    assert "半角标点“,”" in err
    assert "2012年9月21日是星期五" not in err, "a correct weekday is not reported"
    assert f"{definition}:14:12: 警告：[attendees[1].units] 单位“西村”重复" in err
    assert "缺少单位名单（units）里的：南村" in err
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--strict")
    assert status == 1 and "错误：" in err and not (tmp_path / "out").exists()
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out")
    assert status == 0 and "警告：" in err and (tmp_path / "out" / "主持词.docx").exists()
