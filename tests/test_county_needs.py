"""What a real county's definition has to say, read back from the documents it produces."""

from __future__ import annotations

import re

import docx

from tests.conftest import run_cli
from tests.test_letters import edited_example, letter_name


def _letter_text(path) -> tuple[str, list[str]]:
    document = docx.Document(str(path))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return body, cells


def test_a_quota_with_decimals_reads_the_same_in_the_text_and_the_table(tmp_path):
    definition, _ = edited_example(
        tmp_path, "      unit: 万元\n", "      unit: 万元\n      decimals: 1\n"
    )
    status, _, err = run_cli("letters", definition, "-o", tmp_path / "out")
    assert status == 0, err
    body, cells = _letter_text(tmp_path / "out" / letter_name("经济开发区"))
    stated = re.search(r"社会抚养费征收任务(\d+(?:\.\d+)?)万元（全市共(\d+(?:\.\d+)?)万元）", body)
    assert stated, body
    own, total = stated.groups()
    assert not own.endswith(".0") and total == "2200"
    assert own in cells and total in cells


def test_minutes_give_findings_by_person(built_examples):
    from tests.conftest import texts

    lines = texts(built_examples["leading"] / "会议纪要.docx")
    assert any(line.startswith("会议认为，") for line in lines)
    assert "韩景明指出，各乡镇（街道）党（工）委书记是第一责任人，要亲自抓、负总责。" in lines


ASSESSED = """\
meeting:
  title: "{{ 考核年度 }}年度全县人口计生工作总结表彰会"
  organizer: 县委、县政府
  date: 2026-01-15
  assessment_year: 2025
  time: "9:00"
  venue: 县委礼堂
  host: 甲
  purpose: 总结{{ 考核年度 }}年度工作，部署{{ year }}年工作
people:
  甲: {title: 县长}
agenda:
  - {by: 甲, does: 作工作报告, topic: "全县{{ 考核年度 }}年度人口计生工作"}
"""


def test_an_assessment_year_apart_from_the_meeting_date(write_yaml, tmp_path):
    definition = write_yaml(ASSESSED)
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "agenda")
    assert status == 0, err
    from tests.conftest import texts

    lines = texts(tmp_path / "out" / "会议议程.docx")
    assert lines[0].startswith("2025年度全县人口计生工作")
    assert "时间：2026年1月15日（星期四）9时" in lines
    assert "一、县长甲同志就全县2025年度人口计生工作作工作报告" in lines

    from huiwu.definition.roll import roll

    rolled = roll(definition)
    assert "assessment_year: 2026" in rolled.text


def test_a_tier_quota_names_the_unit_no_tier_fits(tmp_path):
    definition, text = edited_example(
        tmp_path, "        - {quota: 20}\n", "        - {at_least: 10000, quota: 20}\n"
    )
    status, _, err = run_cli("check", definition)
    assert status == 1
    line = text.splitlines().index("    优生检测:") + 2
    assert f"meeting.yaml:{line}:" in err
    assert "红星农场管理区的总人口 3862 低于最低一档的下限 10000" in err


def test_a_text_column_is_read_as_written_and_a_blank_is_named_by_cell(tmp_path):
    from tests.conftest import make_workbook
    from tests.test_letters import EXAMPLE

    rows = [["单位", "总人口", "上年征收额", "村数", "乙方全称"]]
    rows += [
        ["芷城街道", 60000, 100.0, 12, "芷城街道办事处"],
        ["青石镇", 40000, 50.0, 9, "青石镇人民政府"],
    ]
    make_workbook(tmp_path / "数据.xlsx", {"配额基数": rows})
    status, _, err = run_cli(
        "letters", EXAMPLE, "--data", tmp_path / "数据.xlsx", "-o", tmp_path / "out"
    )
    assert status == 0, err
    body, _ = _letter_text(tmp_path / "out" / letter_name("芷城街道"))
    assert "乙方：芷城街道办事处" in body and "局与芷城街道办事处签订本责任书" in body

    rows[2][4] = None
    make_workbook(tmp_path / "缺.xlsx", {"配额基数": rows})
    status, _, err = run_cli(
        "letters", EXAMPLE, "--data", tmp_path / "缺.xlsx", "-o", tmp_path / "o2"
    )
    assert status == 1
    assert "缺.xlsx:配额基数!E3: 错误：青石镇的“乙方全称”是空的，应填文字" in err


def test_deduction_scoring_with_a_tie_break_by_key_indicators(tmp_path):
    from tests.conftest import DATA

    definition = DATA / "deduction-scoring" / "meeting.yaml"
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "ranking")
    assert status == 0, err
    document = docx.Document(str(tmp_path / "out" / "考核结果通报.docx"))
    rows = {row.cells[1].text: [c.text for c in row.cells] for row in document.tables[0].rows}
    # By hand from the printed figures: 龙潭乡 misses 90% by 1.11 points (×2) and exceeds the
    # 2% ceiling by 0.78 points (×5): 100 − 2.22 − 3.9.
    assert rows["龙潭乡"][6] == "93.88"
    # 城西街道: (5.26−2)×5 = 16.3; (137.5−120)×1 = 17.5; (65−54.55)×1 = 10.45.
    assert rows["城西街道"][6] == "55.75"
    # 红旗乡 and 石桥镇 both score 100 with 90.00%; 长效节育措施落实率 (82.35% > 75%) decides.
    assert rows["红旗乡"][0] == "4" and rows["石桥镇"][0] == "5"
    assert not any("并列" in row[0] for row in rows.values())
    body = "\n".join(p.text for p in document.paragraphs)
    assert "关于2012年度全县人口和计划生育" in body and "2013年度" not in body


def test_a_section_for_each_unit_is_written_once_per_unit(tmp_path):
    from tests.conftest import DATA, texts

    definition = DATA / "deduction-scoring" / "meeting.yaml"
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    lines = texts(tmp_path / "out" / "工作汇报.docx")
    # After the heading: the lead-in and the title of the table of all units (test_unit_tables).
    start = lines.index("四、各乡镇（街道）主要指标完成情况") + 2
    assert lines[start] == "2012年各乡镇（街道）主要指标完成情况"
    units = lines[start + 1 : start + 23]
    assert units[0] == (
        "（一）城关镇。出生政策符合率100.00%，长效节育措施落实率87.50%，两项指标均完成目标。"
    )
    assert units[6] == (
        "（七）西坪镇。出生政策符合率89.47%，长效节育措施落实率56.52%，有指标未完成目标，要认真整改。"
    )
    assert units[-1].startswith("（二十二）杨柳镇。")


def _annual_copy(tmp_path, extra: str):
    import shutil

    from tests.conftest import DATA

    folder = tmp_path / "annual"
    shutil.copytree(DATA / "annual-assessment", folder)
    path = folder / "meeting.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "    - title: 主要工作情况\n"
    path.write_text(text.replace(anchor, extra + anchor, 1), encoding="utf-8")
    return path


def test_indicator_paragraphs_of_a_unit_section_give_that_units_figures(tmp_path):
    from tests.conftest import texts

    path = _annual_copy(
        tmp_path,
        "    - title: 典型乡镇\n      unit: 西坪镇\n      paragraphs:\n"
        '        - indicator: 出生政策符合率\n        - "{{ 单位 }}要限期整改。"\n',
    )
    status, _, err = run_cli("build", path, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    lines = texts(tmp_path / "out" / "工作汇报.docx")
    start = lines.index("二、典型乡镇")
    assert lines[start + 1].startswith("出生政策符合率。")
    assert "西坪镇上报出生" in lines[start + 1] and "出生政策符合率为89.47%" in lines[start + 1]
    assert lines[start + 2] == "西坪镇要限期整改。"


def test_a_misspelt_unit_of_a_section_is_suggested(tmp_path):
    path = _annual_copy(
        tmp_path, '    - title: 典型乡镇\n      unit: 西平镇\n      paragraphs: ["{{ 单位 }}"]\n'
    )
    status, _, err = run_cli("check", path)
    assert status == 1
    assert "没有单位“西平镇”。是不是“西坪镇”？" in err


def test_base_values_are_rounded_before_the_difference(write_yaml, tmp_path):
    """91.235 − 90.334 would be 0.901 (0.90); the printed 91.24 − 90.33 is 0.91, and so is the text."""
    from tests.conftest import MEETING_HEAD, make_workbook, texts

    make_workbook(
        tmp_path / "数据.xlsx", {"数据": [["单位", "出生", "政策内"], ["甲镇", 2000, 1824.7]]}
    )
    definition = write_yaml(
        MEETING_HEAD
        + """\
workbook: {file: 数据.xlsx, area: 全县}
indicators:
  出生政策符合率:
    compute: percent
    numerator: {column: 政策内, label: 政策内出生}
    denominator: {column: 出生, label: 上报出生}
    base: {value: 90.334, label: 前三年平均值}
report:
  title: 汇报
  sections:
    - title: 指标
      paragraphs: [{indicator: 出生政策符合率}]
"""
    )
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    text = "\n".join(texts(tmp_path / "out" / "工作汇报.docx"))
    assert "出生政策符合率为91.24%，与前三年平均值比高0.91个百分点" in text


def test_a_mistake_in_a_section_for_each_unit_is_said_once(tmp_path):
    path = _annual_copy(
        tmp_path,
        '    - title: "{{ 单位 }}"\n      for_each_unit: true\n'
        '      paragraphs: ["{{ 本单位.出生政策符和率 }}"]\n',
    )
    status, _, err = run_cli("check", path)
    assert status == 1
    assert err.count("出生政策符和率") == 1, err
    assert "是不是“本单位.出生政策符合率”？" in err
