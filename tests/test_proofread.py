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

from tests.conftest import DATA, run_cli


def found(check, text: str) -> list[str]:
    return [problem.message for problem in check(Paragraph("通知.docx", 3, text))]


@pytest.mark.parametrize(
    "text", ["20xx年工作要点", "XX镇人民政府", "×××同志", "○○村", "某某乡", "20××年"]
)
def test_placeholders_left_in_the_text(text):
    (message,) = found(check_placeholders, text)
    assert message.startswith("通知.docx 第 3 段") and "占位符" in message


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
    assert (
        problem.message == "第 1—4 段各项目标的基本分相加为95分（30+30+30+5），应为100分"
        and str(problem.location) == "责任书.docx"
    )


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
    assert f"{definition}:8:12: 警告：[meeting.purpose] 主持词.docx 第 " in err
    assert "“20xx”像是没有替换的占位符" in err
    assert "半角标点“,”" in err
    assert "2012年9月21日是星期五" not in err, "a correct weekday is not reported"
    assert f"{definition}:14:12: 警告：[attendees[1].units] 单位“西村”重复" in err
    assert "缺少单位名单（units）里的：南村" in err
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--strict")
    assert status == 1 and "错误：" in err and not (tmp_path / "out").exists()
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out")
    assert status == 0 and "警告：" in err and (tmp_path / "out" / "主持词.docx").exists()


def test_a_quota_list_is_summed_against_the_total_it_belongs_to():
    letter = (
        "一般“两非”案件按每万人查处一例计算，全年查处不少于5件"
        "（全县共101件，其中城关镇50件、青石镇30件、柳河镇21件）"
    )
    assert found(check_quota_sums, letter) == []
    (message,) = found(check_quota_sums, letter.replace("21件）", "20件）"))
    assert "其中各项相加为100件，与总数101件不符" in message


def test_a_target_with_jiang_in_its_heading_is_not_the_bonus_section():
    headings = ["计划生育目标", "落实奖励扶助制度", "优质服务", "流动人口", "奖扣分项目"]
    items = [
        Paragraph("责任书.docx", n, f"（{'一二三四五'[n - 1]}）{h}（{p}分）")
        for n, (h, p) in enumerate(zip(headings, [40, 20, 20, 20, 10], strict=True), 1)
    ]
    assert list(check_points(items)) == []
    (problem,) = check_points(items[1:])
    assert "相加为60分" in problem.message


def test_the_sample_values_of_huiwu_new_are_found(tmp_path):
    assert run_cli("new", tmp_path / "会议")[0] == 0
    definition = tmp_path / "会议" / "meeting.yaml"
    status, _, err = run_cli("check", "--strict", definition)
    assert status == 1
    for sample in ("示例镇", "0000-1234567"):
        assert f"“{sample}”是 huiwu new 示例里的值" in err
    lines = definition.read_text(encoding="utf-8-sig").splitlines()
    issuer = next(n for n, line in enumerate(lines, 1) if line.startswith("  issuer: 示例镇"))
    phone = next(n for n, line in enumerate(lines, 1) if "0000-1234567" in line)
    assert f"{definition}:{issuer}:" in err and "[notice.issuer] 会议通知.docx 第" in err
    assert f"{definition}:{phone}:" in err and "[contact.phone]" in err


def test_a_space_typed_for_a_missing_name_is_found_at_its_line(write_yaml):
    definition = write_yaml(
        DEFINITION.replace("  points:\n", "  summary: 组长：省委副秘书长 同志。\n  points:\n")
    )
    status, _, err = run_cli("check", definition)
    assert status == 0, err
    assert f"{definition}:16:21:" in err and "“省委副秘书长 同志”：“同志”前面缺少姓名" in err


def test_a_deadline_in_the_notice_after_the_meeting_is_found(write_yaml):
    notice = (
        "notice:\n  to: 各村\n  date: 2012-09-17\n  requirements:\n"
        "    - 请各村于{day}前将参会人员名单报镇党政办\n"
    )
    definition = write_yaml(DEFINITION + notice.format(day="9月25日"))
    status, _, err = run_cli("check", definition)
    assert status == 0, err
    assert f"{definition}:22:7: 警告：[notice.requirements[1]] 会议通知.docx 第 " in err
    assert "截止日期2012年9月25日在会议日期2012年9月20日之后" in err
    earlier = write_yaml(DEFINITION + notice.format(day="9月18日"), "ok.yaml")
    assert "截止日期" not in run_cli("check", earlier)[2]
    # Minutes and closing points set deadlines after the meeting on purpose.
    assert "截止日期" not in run_cli("check", write_yaml(DEFINITION, "points.yaml"))[2]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "units: [东村, 西村, 南村]",
            "notice: {to: 各村, date: 2012-09-21}\nunits: [东村, 西村, 南村]",
            "通知的成文日期2012年9月21日在会议日期2012年9月20日之后",
        ),
        (
            '  time: "9:00"\n',
            '  time: "9:00"\n  checkin_time: "9:30"\n',
            "签到时间9时30分晚于开会时间9时",
        ),
    ],
    ids=["notice-after-meeting", "checkin-after-start"],
)
def test_dates_that_contradict_the_meeting_are_errors(write_yaml, old, new, expected):
    status, _, err = run_cli("check", write_yaml(DEFINITION.replace(old, new)))
    assert status == 1 and expected in err
    assert "共发现 1 处错误" in err, "one mistake, one error"


@pytest.mark.parametrize("example", sorted(p.parent.name for p in DATA.glob("*/meeting.yaml")))
def test_the_examples_pass_strict_proofreading(example):
    status, _, err = run_cli("check", "--strict", DATA / example / "meeting.yaml")
    assert status == 0, err
    assert "警告" not in err


def test_a_hosting_script_without_an_agenda_is_said(write_yaml):
    status, _, err = run_cli("check", write_yaml(DEFINITION))
    assert status == 0 and "定义里没有议程（agenda），主持词只有开场白和“散会”" in err


def test_a_placeholder_from_a_text_column_is_found_at_its_cell(tmp_path):
    import openpyxl

    from tests.test_letters import edited_example

    definition, _ = edited_example(tmp_path, "meeting:", "meeting:")
    book = openpyxl.load_workbook(tmp_path / "责任书数据.xlsx")
    sheet = book["配额基数"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "经济开发区")
    sheet.cell(row, 5).value = "XX经济开发区管理委员会"
    book.save(tmp_path / "责任书数据.xlsx")
    status, _, err = run_cli("check", definition)
    assert status == 0, err
    assert f"责任书数据.xlsx:配额基数!E{row}: 警告：目标管理责任书/" in err
    assert "“XX”像是没有替换的占位符" in err
