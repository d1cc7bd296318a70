"""``huiwu sheet``: the blank workbook office staff fill in, and the round trip back to documents."""

from __future__ import annotations

import docx
import pytest
from huiwu.definition.load import load_definition
from openpyxl import load_workbook

from tests.conftest import EXAMPLES, run_cli, texts

INDICATOR_COLUMNS = [
    "政策内出生人数",
    "出生人数",
    "政策外多孩出生人数",
    "出生男孩数",
    "出生女孩数",
    "已落实长效节育措施人数",
    "应落实长效节育措施人数",
]


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> tuple:
    path = tmp_path_factory.mktemp("sheet") / "指标.xlsx"
    status, out, err = run_cli("sheet", EXAMPLES["annual"], "-o", path)
    assert status == 0, err
    assert f"--data {path}" in out, "says what to run next"
    return path, load_workbook(path)


def test_blank_workbook_has_exactly_the_needed_columns_and_units(blank):
    _, book = blank
    units = load_definition(EXAMPLES["annual"]).model.units
    assert book.sheetnames == ["数据", "前三年平均", "上年", "说明"]
    data = book["数据"]
    rows = list(data.iter_rows(values_only=True))
    assert list(rows[0]) == ["单位", *INDICATOR_COLUMNS]
    assert [row[0] for row in rows[1:]] == units
    assert all(value is None for row in rows[1:] for value in row[1:]), "left blank to fill in"
    assert data.freeze_panes == "B2"
    assert data["A1"].comment is None, "units listed: no note asking to write them"
    for base, names in (
        ("前三年平均", ["出生政策符合率"]),
        ("上年", ["政策外多孩率", "出生人口性别比"]),
    ):
        base_rows = list(book[base].iter_rows(values_only=True))
        assert list(base_rows[0]) == ["单位", *names]
        assert [row[0] for row in base_rows[1:]] == [*units, "合计"]


def test_headers_carry_hints_and_cells_take_only_numbers(blank):
    _, book = blank
    data = book["数据"]
    hint = data["C1"].comment.text
    assert "出生政策符合率的分母" in hint and "政策外多孩率的分母" in hint and "不能为负" in hint
    rules = {str(rule.sqref): rule for rule in data.data_validations.dataValidation}
    for letter in "BCDEFGH":
        rule = next(r for ref, r in rules.items() if ref.startswith(f"{letter}2:"))
        assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")
        last = int(str(rule.sqref).split(":")[1][1:])
        assert last >= data.max_row and rule.showErrorMessage
    assert "直接填数值，不带%或‰" in book["上年"]["B1"].comment.text
    guide = [row[0] for row in book["说明"].iter_rows(values_only=True)]
    assert "    出生政策符合率：政策内出生人数 ÷ 出生人数 ×100%，保留2位小数" in guide
    assert any("保存一次" in line for line in guide), "explains formulas need saving"


def test_sheet_is_not_overwritten_without_force(blank):
    path, _ = blank
    before = path.read_bytes()
    status, _, err = run_cli("sheet", EXAMPLES["annual"], "-o", path)
    assert status == 1 and "已存在" in err and "--force" in err
    assert path.read_bytes() == before


def test_definition_without_indicators_needs_no_sheet(tmp_path):
    status, _, err = run_cli("sheet", EXAMPLES["mobilisation"], "-o", tmp_path / "x.xlsx")
    assert status == 1 and "没有指标" in err and not (tmp_path / "x.xlsx").exists()


def _fill(path, filled) -> None:
    """Type in the seed's figures as office staff would: 571 births over 22 units, and so on."""
    book = load_workbook(path)
    data = book["数据"]
    for index in range(22):
        last = index == 21
        births = 25 if last else 26
        boys = 16 if last else 14
        values = {
            "政策内出生人数": 17 if last else 24,  # 21 × 24 + 17 = 521
            "出生人数": births,  # 21 × 26 + 25 = 571
            "政策外多孩出生人数": 1 if index < 6 else 0,  # 6
            "出生男孩数": boys,  # 310
            "出生女孩数": births - boys,  # 261
            "已落实长效节育措施人数": 14 if last else 11,  # 245
            "应落实长效节育措施人数": 21 if last else 15,  # 336
        }
        for column, name in enumerate(INDICATOR_COLUMNS, start=2):
            data.cell(row=index + 2, column=column, value=values[name])
    book["前三年平均"]["B24"] = 90.33
    book["上年"]["B24"] = 1.25
    book["上年"]["C24"] = 129.82
    book.save(filled)


def test_filled_in_blank_workbook_builds_the_report_and_ranking(blank, tmp_path):
    path, _ = blank
    filled = tmp_path / "填好的指标.xlsx"
    _fill(path, filled)
    out = tmp_path / "out"
    status, _, err = run_cli(
        "build", EXAMPLES["annual"], "--data", filled, "-o", out, "--only", "report,ranking"
    )
    assert status == 0, err
    report = texts(out / "工作汇报.docx")
    assert (
        "出生政策符合率。2012年（2011.10.1—2012.9.30），全县上报出生571人，其中政策内出生521人，"
        "出生政策符合率为91.24%，与前三年平均值比高0.91个百分点，高于90%的目标值1.24个百分点。"
    ) in report
    assert (
        "政策外多孩率。2012年（2011.10.1—2012.9.30），全县上报出生571人，其中政策外多孩出生6人，"
        "政策外多孩率为1.05%，与前三年平均值比低0.4个百分点，与上年同比下降0.2个百分点，"
        "低于2%的控制目标0.95个百分点。"
    ) in report
    assert any(
        line.endswith(
            "出生人口性别比为100:118.77，与上年同比下降11.05个单位值，低于120的控制目标1.23个单位值。"
        )
        for line in report
    )
    assert any(
        line.endswith("长效节育措施落实率为72.92%，高于65%的目标值7.92个百分点。")
        for line in report
    )
    table = docx.Document(str(out / "考核结果通报.docx")).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert len(rows) == 1 + 22 + 1
    assert rows[-1] == ["", "全县", "91.24%", "1.05%", "100:118.77", "72.92%", "", ""]
    # The six units with a multiple birth rank below the fifteen identical ones.
    assert [row[0] for row in rows[1:16]] == ["1（并列）"] * 15


def test_letters_blank_workbook_round_trip(tmp_path):
    """A letters meeting gets the quotas' base columns and the figures its texts print; filled
    in, it makes one letter per unit with quotas computed from it."""
    definition = EXAMPLES["mobilisation"].parents[1] / "responsibility-letters" / "meeting.yaml"
    path = tmp_path / "责任书数据.xlsx"
    status, _, err = run_cli("sheet", definition, "-o", path)
    assert status == 0, err
    book = load_workbook(path)
    sheet = book["配额基数"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["单位", "总人口", "上年征收额", "村数", "乙方全称"]
    assert "配额“两非案件”的基数" in sheet["B1"].comment.text
    assert "填文字" in sheet["E1"].comment.text
    checked = {str(rule.sqref)[0] for rule in sheet.data_validations.dataValidation}
    assert checked == {"B", "C", "D"}, "numbers are checked, the text column is not"
    # The definition lists no units: the sheet says where the office writes them.
    assert sheet.max_row == 1
    assert "逐行写上各单位的名称" in sheet["A1"].comment.text
    assert "逐行写上各单位的名称" in book["说明"]["A2"].value
    units = ["东岭镇", "西岭镇", "南岭乡"]
    for row, (unit, people) in enumerate(zip(units, [50000, 30000, 20000], strict=True), 2):
        sheet.cell(row, 1, unit)
        sheet.cell(row, 2, people)
        sheet.cell(row, 3, 100)
        sheet.cell(row, 4, 12)
        sheet.cell(row, 5, f"{unit}人民政府")
    book.save(path)
    out = tmp_path / "责任书"
    status, _, err = run_cli("letters", definition, "--data", path, "-o", out)
    assert status == 0, err
    letters = {p.stem.rsplit("-", 1)[1]: "\n".join(texts(p)) for p in out.glob("*.docx")}
    assert sorted(letters) == sorted(units)
    # 每万人一例: 50,000 people → 5 cases; 2200万元 split evenly over equal bases, largest
    # remainder first to the first unit in order: 734 + 733 + 733.
    assert "东岭镇人民政府" in letters["东岭镇"]
    assert "5件" in letters["东岭镇"] and "3件" in letters["西岭镇"] and "2件" in letters["南岭乡"]
    assert "734万元" in letters["东岭镇"] and "733万元" in letters["南岭乡"]
