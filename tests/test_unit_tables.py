"""Tables of one row per unit in the work report (``table`` in a section's paragraphs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from tests.conftest import DATA, run_cli

EXAMPLE = DATA / "deduction-scoring" / "meeting.yaml"
TITLE = "2012年各乡镇（街道）主要指标完成情况"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> docx.document.Document:
    out = tmp_path_factory.mktemp("unit-tables") / "packet"
    status, _, err = run_cli("build", EXAMPLE, "-o", out, "--only", "report")
    assert status == 0, err
    return docx.Document(str(out / "工作汇报.docx"))


def _rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_table_stands_under_its_title_in_its_section(report):
    body = list(report.element.body)
    (table,) = report.tables
    index = body.index(table._tbl)
    title = docx.text.paragraph.Paragraph(body[index - 1], report)
    assert title.text == TITLE
    assert title.style.name == "居中正文"
    lead = docx.text.paragraph.Paragraph(body[index - 2], report)
    assert lead.text.startswith("各乡镇（街道）的主要指标见下表")
    after = docx.text.paragraph.Paragraph(body[index + 1], report)
    assert after.text.startswith("（一）城关镇。")


def test_one_row_per_unit_and_the_county_row_recomputed(report):
    rows = _rows(report.tables[0])
    assert rows[0] == ["序号", "单位", "出生人数", "出生政策符合率", "长效节育措施落实率"]
    units = rows[1:-1]
    assert len(units) == 22
    assert [row[0] for row in units] == [str(n) for n in range(1, 23)]
    assert units[0] == ["1", "城关镇", "13", "100.00%", "87.50%"]
    assert rows[-1] == ["", "全县", "571", "91.24%", "72.92%"]
    # The births column adds up; the rate is not an average of the units' rates.
    assert sum(int(row[2]) for row in units) == 571
    # Each unit's figures are those its own paragraph gives.
    paragraphs = [p.text for p in report.paragraphs]
    for row in units:
        (own,) = [text for text in paragraphs if text.startswith("（") and f"）{row[1]}。" in text]
        assert f"出生政策符合率{row[3]}" in own
        assert f"长效节育措施落实率{row[4]}" in own


def test_the_header_row_repeats_on_every_page(report):
    header = report.tables[0].rows[0]._tr
    assert header.trPr is not None and header.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None


def _definition_with(tmp_path: Path, columns: str) -> Path:
    folder = tmp_path / "meeting"
    shutil.copytree(DATA / "annual-assessment", folder / "annual-assessment")
    shutil.copytree(DATA / "deduction-scoring", folder / "deduction-scoring")
    definition = folder / "deduction-scoring" / "meeting.yaml"
    text = definition.read_text(encoding="utf-8")
    text = text.replace("columns: [出生人数, 出生政策符合率, 长效节育措施落实率]", columns)
    definition.write_text(text, encoding="utf-8")
    return definition


def test_a_column_the_workbook_does_not_have_is_named(tmp_path):
    definition = _definition_with(tmp_path, "columns: [出生人数, 流动人口数]")
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "report")
    assert status == 1
    assert "流动人口数" in err
    assert "Traceback" not in err


def test_a_table_without_indicators_asks_for_them(write_yaml):
    from tests.conftest import MEETING_HEAD

    definition = write_yaml(
        MEETING_HEAD
        + """
report:
  title: 工作汇报
  sections:
    - title: 各镇情况
      paragraphs:
        - table: {columns: [出生人数]}
"""
    )
    status, _, err = run_cli("check", definition)
    assert status == 1
    assert "按单位列表要用指标表" in err
    assert "meeting.yaml:" in err
