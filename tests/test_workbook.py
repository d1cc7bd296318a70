"""Reading the indicator workbook: every kind of bad cell is named by sheet!cell, in Chinese,
all at once — whether the workbook is read directly or through ``huiwu check``/``build``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from huiwu.definition.load import load_definition
from huiwu.errors import InputError
from huiwu.figures.inputs import prepare
from huiwu.figures.workbook import Numbers, SheetRequest, read_workbook
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from tests.conftest import MEETING_HEAD, make_workbook, run_cli

DEFINITION = (
    MEETING_HEAD
    + """\
workbook: {area: 全镇, sheet: 数据}
units: [东村, 西村, 南村]
indicators:
  出生政策符合率:
    compute: percent
    numerator: 政策内出生人数
    denominator: 出生人数
"""
)
HEADER = ["单位", "出生人数", "政策内出生人数"]
GOOD_ROWS = [["东村", 100, 90], ["西村", 200, 190], ["南村", 50, 45]]


@pytest.fixture
def definition(write_yaml) -> Path:
    return write_yaml(DEFINITION)


def problems(definition: Path, workbook: Path) -> list[tuple[str, str]]:
    """(sheet!cell, message) of every problem, in the order they are reported."""
    with pytest.raises(InputError) as caught:
        prepare(load_definition(definition), workbook)
    return [(_where(p.location), p.message) for p in caught.value.problems]


def _where(location) -> str:
    return f"{location.sheet}!{location.cell}" if location.cell else str(location.sheet)


def data_sheet(tmp_path: Path, rows: list[list[object]], **sheets: list[list[object]]) -> Path:
    return make_workbook(tmp_path / "指标.xlsx", {"数据": [HEADER, *rows], **sheets})


def only(found: list[tuple[str, str]]) -> tuple[str, str]:
    assert len(found) == 1, found
    return found[0]


def test_text_where_a_number_is_expected(tmp_path, definition):
    rows = [["东村", 100, 90], ["西村", "二百", 190], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!B3"
    assert "“出生人数”应填数字" in message and "文字“二百”" in message


def test_empty_required_cell(tmp_path, definition):
    rows = [["东村", 100, 90], ["西村", 200, None], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!C3"
    assert message == "西村的“政策内出生人数”是空的，应填数字（没有就填 0）"


def test_a_column_left_wholly_blank_is_one_problem(tmp_path, definition):
    rows = [["东村", 100], ["西村", 200], ["南村", 50]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!C2:C4"
    assert "“政策内出生人数”一列都没有填" in message


def test_unit_missing(tmp_path, definition):
    cell, message = only(problems(definition, data_sheet(tmp_path, GOOD_ROWS[:2])))
    assert cell == "数据!A列" and message == "缺少单位“南村”的一行"


def test_unknown_unit_with_a_suggestion(tmp_path, definition):
    rows = [*GOOD_ROWS, ["北村", 10, 9]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!A5"
    assert "单位“北村”不在定义的单位名单里" in message and "是不是“" in message


def test_unit_listed_twice(tmp_path, definition):
    rows = [*GOOD_ROWS, ["东村", 10, 9]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!A5" and message == "单位“东村”重复（第 2 行已有）"


def test_formula_without_a_saved_value_says_how_to_fix_it(tmp_path, definition):
    # openpyxl writes formulas without their results, as many programs other than Excel do.
    rows = [["东村", 100, 90], ["西村", "=B2+100", 190], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!B3"
    assert "西村的“出生人数”是公式" in message and "没有保存计算结果" in message
    assert "请用 Excel 或 WPS 打开这个文件，保存一次后再试" in message


def test_percentage_typed_as_text(tmp_path, definition):
    rows = [["东村", 100, 90], ["西村", 200, "91.2%"], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!C3"
    assert "文字“91.2%”" in message and "去掉百分号" in message and "91.2" in message


def test_merged_header_cells(tmp_path, definition):
    path = data_sheet(tmp_path, GOOD_ROWS)
    book = _load(path)
    book["数据"].merge_cells("B1:C1")
    book.save(path)
    cell, message = only(problems(definition, path))
    assert cell == "数据!B1"
    assert "表头有合并单元格（B1:C1）" in message and "取消合并" in message


def test_trailing_blank_rows_are_ignored(tmp_path, definition):
    path = data_sheet(tmp_path, GOOD_ROWS)
    book = _load(path)
    sheet = book["数据"]
    # What Excel leaves below a table: formatted but empty cells and cells holding spaces.
    sheet.cell(row=12, column=3).fill = PatternFill("solid", fgColor="FFFF00")
    sheet.cell(row=9, column=1, value="  ")
    book.save(path)
    results = prepare(load_definition(definition), path).results
    assert list(results.units) == ["东村", "西村", "南村"]
    assert results.total["出生政策符合率"].value == Decimal("92.86")  # 325 / 350


def test_header_without_the_unit_column(tmp_path, definition):
    path = make_workbook(tmp_path / "w.xlsx", {"数据": [["乡镇", "出生人数", "政策内出生人数"]]})
    cell, message = only(problems(definition, path))
    assert cell == "数据!A1"
    assert "第一行找不到单位列“单位”" in message
    assert "单位、政策内出生人数、出生人数" in message, "says which header is expected"


def test_required_column_missing_suggests_the_nearest(tmp_path, definition):
    rows = [["单位", "出生数", "政策内出生人数"], *GOOD_ROWS]
    path = make_workbook(tmp_path / "w.xlsx", {"数据": rows})
    cell, message = only(problems(definition, path))
    assert cell == "数据!1:1"
    assert "缺少列“出生人数”，是不是“出生数”？" in message
    assert "现有的列：单位、出生数、政策内出生人数" in message


def test_negative_count(tmp_path, definition):
    rows = [["东村", 100, 90], ["西村", 200, -3], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!C3" and message == "“政策内出生人数”不能是负数（-3）"


@pytest.mark.parametrize("error", ["#DIV/0!", "#REF!", "#N/A"])
def test_error_values(tmp_path, definition, error):
    rows = [["东村", 100, 90], ["西村", 200, error], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!C3"
    assert f"是错误值“{error}”" in message and "请检查这个格子的公式" in message


def test_a_date_is_not_a_count(tmp_path, definition):
    import datetime as dt

    rows = [["东村", 100, 90], ["西村", dt.date(2012, 3, 1), 190], ["南村", 50, 45]]
    cell, message = only(problems(definition, data_sheet(tmp_path, rows)))
    assert cell == "数据!B3" and "日期或时间" in message and "“数值”" in message


def test_row_without_a_unit_name_and_repeated_header(tmp_path, definition):
    rows = [
        ["单位", "出生人数", "出生人数", "政策内出生人数"],
        *[[*r[:2], 0, r[2]] for r in GOOD_ROWS],
    ]
    rows.append([None, 5, 0, 4])
    path = make_workbook(tmp_path / "w.xlsx", {"数据": rows})
    found = problems(definition, path)
    assert found == [
        ("数据!C1", "表头“出生人数”重复（B1 已有），请改成不同的名称"),
        ("数据!A5", "这一行有数据，但没有写单位名称"),
    ]


def test_totals_row_is_skipped_not_counted_twice(tmp_path, definition):
    rows = [*GOOD_ROWS, ["合计", 350, 325]]
    results = prepare(load_definition(definition), data_sheet(tmp_path, rows)).results
    assert list(results.units) == ["东村", "西村", "南村"]
    assert results.column_totals == {"出生人数": 350, "政策内出生人数": 325}


def test_every_problem_is_collected_in_row_order(tmp_path, definition):
    rows = [
        ["东村", "=1+1", "90%"],
        ["西村", -1, "#DIV/0!"],
        ["东村", 1, 1],
        ["北村", None, 3],
    ]
    with pytest.raises(InputError) as caught:
        prepare(load_definition(definition), data_sheet(tmp_path, rows))
    cells = [_where(p.location) for p in caught.value.problems]
    assert cells == ["数据!A列", "数据!B2", "数据!C2", "数据!B3", "数据!C3", "数据!A4", "数据!A5"]
    report = caught.value.report()
    assert report.splitlines()[1].startswith(f"{tmp_path / '指标.xlsx'}:数据!B2: 错误：")
    assert report.endswith("共发现 7 处错误，未生成任何文件。")


def test_base_sheet_percentage_format_is_caught(tmp_path, write_yaml):
    definition = write_yaml(DEFINITION + "    base: 上年\n")
    path = data_sheet(
        tmp_path,
        GOOD_ROWS,
        上年=[["单位", "出生政策符合率"], ["东村", 0.9], ["合计", 91.5]],
    )
    book = _load(path)
    book["上年"]["B2"].number_format = "0.00%"
    book.save(path)
    cell, message = only(problems(definition, path))
    assert cell == "上年!B2"
    assert "百分比格式" in message and "显示为“90%”" in message and "再填 90" in message


def test_base_sheet_missing(tmp_path, write_yaml):
    definition = write_yaml(DEFINITION + "    base: 前三年平均\n")
    with pytest.raises(InputError) as caught:
        prepare(load_definition(definition), data_sheet(tmp_path, GOOD_ROWS))
    assert "要与前三年平均比较，但指标表里没有名为“前三年平均”的工作表" in caught.value.report()


def test_base_sheet_with_an_empty_totals_cell(tmp_path, write_yaml):
    definition = write_yaml(DEFINITION + "    base: 上年\n")
    base = [["单位", "出生政策符合率"], ["东村", 88], ["西村", 89], ["南村", 90], ["合计", None]]
    cell, message = only(problems(definition, data_sheet(tmp_path, GOOD_ROWS, 上年=base)))
    assert cell == "上年!B5" and message == "合计行的“出生政策符合率”是空的：请填上全辖区的基期值"


def test_base_sheet_counts_of_only_some_units_give_no_total(tmp_path, write_yaml):
    definition = write_yaml(DEFINITION + "    base: 上年\n")
    base = [["单位", "出生人数", "政策内出生人数"], ["东村", 80, 70], ["西村", 100, 95]]
    with pytest.raises(InputError) as caught:
        prepare(load_definition(definition), data_sheet(tmp_path, GOOD_ROWS, 上年=base))
    (problem,) = caught.value.problems
    assert problem.location.sheet == "上年"
    assert "缺少南村的数据" in problem.message and "第一列写“合计”" in problem.message


def test_target_sheet_cells_are_checked_like_the_others(tmp_path, write_yaml):
    definition = write_yaml(DEFINITION + "    target: {floor: 90}\n")
    targets = [["单位", "出生政策符合率"], ["东村", "九成"], ["北村", 85], ["西村", 0.92]]
    path = data_sheet(tmp_path, GOOD_ROWS, 目标=targets)
    book = _load(path)
    book["目标"]["B4"].number_format = "0%"
    book.save(path)
    assert problems(definition, path) == [
        ("目标!B2", "“出生政策符合率”应填数字，现在是文字“九成”"),
        ("目标!A3", "单位“北村”不在定义的单位名单里，是不是“西村”？"),
        (
            "目标!B4",
            "格子设成了百分比格式：显示为“92%”，实际存的是 0.92。请把格式改为“常规”或“数值”，再填 92（不带%）",
        ),
    ]


def test_not_an_xlsx_file(tmp_path, definition):
    old = tmp_path / "指标.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    with pytest.raises(InputError, match="另存为” \\.xlsx"):
        prepare(load_definition(definition), old)
    with pytest.raises(InputError, match="找不到指标表"):
        prepare(load_definition(definition), tmp_path / "没有.xlsx")


@pytest.mark.parametrize("command", ["check", "build"])
def test_cli_reports_bad_cells_without_traceback_or_output(tmp_path, definition, command):
    rows = [["东村", 100, "九十"], ["西村", "=B2", 190], ["南村", 50, 45]]
    workbook = data_sheet(tmp_path, rows)
    out = tmp_path / "out"
    extra = ["-o", out, "--only", "sign_in"] if command == "build" else []
    status, stdout, stderr = run_cli(command, definition, "--data", workbook, *extra)
    assert status == 1 and stdout == ""
    lines = stderr.splitlines()
    assert lines[0].endswith("指标.xlsx:数据!C2: 错误：“政策内出生人数”应填数字，现在是文字“九十”")
    assert "数据!B3" in lines[1] and "保存一次后再试" in lines[1]
    assert lines[-1] == "共发现 2 处错误，未生成任何文件。"
    assert "Traceback" not in stderr and not out.exists()


def test_a_table_that_starts_in_column_b_is_read_and_addressed_as_it_stands(tmp_path):
    # calamine starts each row at the first column holding anything: column A left empty.
    rows = [[None, "单位", "出生人数", "乙方"], [None, "东村", 100, "东村委会"]]
    rows += [[None, "西村", "二百", "西村委会"], [None, "南村", 50, None]]
    path = make_workbook(tmp_path / "指标.xlsx", {"数据": rows})
    request = SheetRequest("数据", ["出生人数"], text=["乙方"], optional=["乙方"])
    with pytest.raises(InputError) as caught:
        read_workbook(path, unit_column="单位", area="全镇", current=request)
    [problem] = caught.value.problems
    assert (problem.location.cell, problem.message) == (
        "C3",
        "“出生人数”应填数字，现在是文字“二百”",
    )
    rows[2][2] = 200
    sheet = read_workbook(
        make_workbook(tmp_path / "好.xlsx", {"数据": rows}),
        unit_column="单位",
        area="全镇",
        current=request,
    ).current
    assert dict(sheet.rows) == {
        "东村": {"出生人数": 100},
        "西村": {"出生人数": 200},
        "南村": {"出生人数": 50},
    }
    assert sheet.cell("南村", "出生人数") == "数据!C4"


def test_a_sheet_read_by_column_shows_each_unit_as_its_row_did(tmp_path):
    """Blank optional cells are left out of a unit's values, units without text out of the
    texts; blank rows and the totals row hold no unit."""
    rows = [
        ["单位", "出生人数", "死亡人数", "乙方"],
        ["东村", 100, 3, "东村委会"],
        [None, None, None, None],
        ["西村", 200, None, None],
        ["合计", 300, 3, None],
        ["南村", 50, 1, "南村委会"],
    ]
    path = make_workbook(tmp_path / "指标.xlsx", {"数据": rows})
    request = SheetRequest("数据", ["出生人数"], optional=["死亡人数", "乙方"], text=["乙方"])
    sheet = read_workbook(path, unit_column="单位", area="全镇", current=request).current
    assert list(sheet.rows) == ["东村", "西村", "南村"] and "西村" in sheet.rows
    assert sheet.rows["西村"] == {"出生人数": Decimal(200)}
    assert sheet.rows["南村"] == {"出生人数": Decimal(50), "死亡人数": Decimal(1)}
    assert dict(sheet.texts) == {"东村": {"乙方": "东村委会"}, "南村": {"乙方": "南村委会"}}
    assert sheet.texts.get("西村", {}) == {} and len(sheet.texts) == 2
    assert list(sheet.column("出生人数", ["南村", "东村"])) == [Decimal(50), Decimal(100)]
    assert list(sheet.column("死亡人数", ["西村"])) == [None]
    assert sheet.totals == {"出生人数": Decimal(300), "死亡人数": Decimal(3)}
    assert (sheet.cell("南村", "死亡人数"), sheet.total_cell("出生人数")) == ("数据!C6", "B5")
    assert sheet.cell("北村", "出生人数") == "数据!?"


def _load(path: Path) -> Workbook:
    from openpyxl import load_workbook

    return load_workbook(path)


def test_a_number_column_gives_back_the_numbers_the_cells_were_read_as():
    column = Numbers()
    for cell, number in [
        (571.0, Decimal(571)),
        (0.1, Decimal("0.1")),
        ("1,234.50", Decimal("1234.50")),  # typed as text: kept exactly as read
        (None, None),
        (7, Decimal(7)),
    ]:
        column.append(cell, number)
    assert list(column) == [Decimal(571), Decimal("0.1"), Decimal("1234.50"), None, Decimal(7)]
    assert str(column[0]) == "571" and str(column[2]) == "1234.50"
    assert column[-1] == 7 and column[-2] is None and column[1:3] == [Decimal("0.1"), column[2]]
