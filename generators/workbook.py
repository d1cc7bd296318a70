"""Read the indicator workbook: one row per unit, named columns, every problem by sheet!cell.

Values are read with python-calamine (fast, saved values of formulas); openpyxl is consulted only
to explain an empty cell that is really a formula without a saved result, which is what files
written by programs other than Excel and WPS contain.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import python_calamine
from openpyxl.utils import get_column_letter

from .errors import InputError, Location, Problem, Problems

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
TOTAL_NAMES = ("合计", "总计")
"""Row labels of a totals row, which huiwu computes itself and skips (or uses as a base)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet read as ``unit → column → value`` with the cell address of every value."""

    name: str
    columns: list[str]
    rows: dict[str, dict[str, Decimal]]
    cells: dict[tuple[str, str], str] = field(default_factory=dict)
    totals: dict[str, Decimal] | None = None
    """The values of a totals row (合计/全县…), when the sheet has one."""

    def cell(self, unit: str, column: str) -> str:
        """``数据!C5`` for a unit's value in a column."""
        return f"{self.name}!{self.cells.get((unit, column), '?')}"


@dataclass(frozen=True)
class WorkbookData:
    """The current-period sheet plus any base-period and target sheets."""

    path: Path
    current: Sheet
    bases: dict[str, Sheet]
    targets: Sheet | None

    @property
    def units(self) -> list[str]:
        """Units in sheet order."""
        return list(self.current.rows)


@dataclass(frozen=True)
class SheetRequest:
    """What to read from one sheet: its name, the columns that must be there, whether numbers
    may be negative, and whether it must list every unit."""

    name: str | None
    required: Sequence[str]
    optional: Sequence[str] = ()
    all_units: bool = True
    non_negative: Sequence[str] = ()


def read_workbook(
    path: Path,
    *,
    unit_column: str,
    area: str,
    current: SheetRequest,
    bases: Sequence[SheetRequest] = (),
    targets: SheetRequest | None = None,
    units: Sequence[str] = (),
) -> WorkbookData:
    """Read ``path``; raise :class:`InputError` listing every problem by sheet and cell."""
    workbook = _open(path)
    problems = Problems()
    reader = _Reader(path, workbook, unit_column, area, units, problems)
    data_sheet = reader.read(current)
    base_sheets = {}
    for request in bases:
        if request.name in workbook.sheet_names:
            base_sheets[request.name or ""] = reader.read(request)
    target_sheet = (
        reader.read(targets) if targets and targets.name in workbook.sheet_names else None
    )
    problems.raise_if_errors()
    assert data_sheet is not None
    return WorkbookData(path, data_sheet, {k: v for k, v in base_sheets.items() if v}, target_sheet)


def _open(path: Path) -> python_calamine.CalamineWorkbook:
    location = Location(path)
    if not path.is_file():
        raise InputError([Problem(f"找不到指标表：{path}", location)])
    suffix = path.suffix.lower()
    if suffix in (".xls", ".et", ".csv", ".ods", ".wps"):
        raise InputError(
            [
                Problem(
                    f"指标表是 {suffix} 格式，请用 Excel 或 WPS 打开后“另存为” .xlsx 格式", location
                )
            ]
        )
    if path.stat().st_size > MAX_WORKBOOK_BYTES:
        raise InputError([Problem("指标表过大（超过 50 MB），请检查是否选错了文件", location)])
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            [
                Problem(
                    "指标表设置了打开密码（或是旧的 .xls 格式）。请取消密码并另存为 .xlsx", location
                )
            ]
        )
    if not zipfile.is_zipfile(path):
        raise InputError([Problem("指标表不是 .xlsx 文件，或已损坏", location)])
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise InputError([Problem("指标表设置了密码，请取消密码后再试", location)]) from None
    except (
        python_calamine.CalamineError,
        python_calamine.ZipError,
        python_calamine.XmlError,
        ValueError,
    ) as exc:
        raise InputError([Problem(f"指标表无法读取，可能已损坏：{exc}", location)]) from None


class _Reader:
    def __init__(
        self,
        path: Path,
        workbook: python_calamine.CalamineWorkbook,
        unit_column: str,
        area: str,
        units: Sequence[str],
        problems: Problems,
    ) -> None:
        self.path = path
        self.workbook = workbook
        self.unit_column = unit_column
        self.area = area
        self.units = list(units)
        self.problems = problems

    def read(self, request: SheetRequest) -> Sheet | None:
        name = request.name or self._first_visible_sheet()
        if name not in self.workbook.sheet_names:
            listed = "、".join(self.workbook.sheet_names)
            self._error(f"找不到工作表“{name}”。现有工作表：{listed}", sheet=name)
            return None
        sheet = self.workbook.get_sheet_by_name(name)
        if sheet.total_height > MAX_ROWS:
            self._error(
                f"行数过多（{sheet.total_height} 行，上限 {MAX_ROWS}），请检查是否选错了工作表",
                sheet=name,
            )
            return None
        rows = sheet.to_python(skip_empty_area=False)
        if not rows:
            self._error("工作表是空的", sheet=name)
            return None
        header = self._header(name, rows[0], sheet)
        if header is None:
            return None
        columns = self._check_columns(name, header, request)
        if columns is None:
            return None
        return self._rows(name, header, columns, rows[1:], request)

    def _first_visible_sheet(self) -> str:
        for meta in self.workbook.sheets_metadata:
            if str(meta.visible).endswith("Visible"):
                return meta.name
        return self.workbook.sheet_names[0]

    def _header(
        self, name: str, cells: list, sheet: python_calamine.CalamineSheet
    ) -> dict[str, int] | None:
        for merged in sheet.merged_cell_ranges or []:
            (top, left), (bottom, right) = merged
            if top == 0:
                span = f"{_address(top, left)}:{_address(bottom, right)}"
                self._error(
                    f"表头有合并单元格（{span}）。请取消合并，每列写一个名称",
                    sheet=name,
                    cell=_address(top, left),
                )
                return None
        header: dict[str, int] = {}
        for index, value in enumerate(cells):
            text = _text(value)
            if not text:
                continue
            if text in header:
                first = _address(0, header[text])
                self._error(
                    f"表头“{text}”重复（{first} 已有），请改成不同的名称",
                    sheet=name,
                    cell=_address(0, index),
                )
                continue
            header[text] = index
        return header

    def _check_columns(
        self, name: str, header: dict[str, int], request: SheetRequest
    ) -> list[str] | None:
        if self.unit_column not in header:
            self._error(
                f"第一行找不到单位列“{self.unit_column}”。表头应为：{self.unit_column}、"
                + "、".join(request.required),
                sheet=name,
                cell="A1",
            )
            return None
        missing = [column for column in request.required if column not in header]
        for column in missing:
            close = difflib.get_close_matches(column, list(header), n=1, cutoff=0.6)
            hint = f"，是不是“{close[0]}”？" if close else "。"
            self._error(
                f"缺少列“{column}”{hint}现有的列：{'、'.join(header)}", sheet=name, cell="1:1"
            )
        if missing:
            return None
        return [c for c in (*request.required, *request.optional) if c in header]

    def _rows(
        self,
        name: str,
        header: dict[str, int],
        columns: list[str],
        rows: list[list],
        request: SheetRequest,
    ) -> Sheet:
        unit_index = header[self.unit_column]
        values: dict[str, dict[str, Decimal]] = {}
        cells: dict[tuple[str, str], str] = {}
        seen_at: dict[str, int] = {}
        totals: dict[str, Decimal] | None = None
        for offset, row in enumerate(rows, start=1):
            if all(_text(value) == "" for value in row):
                continue  # blank rows, often trailing ones left by Excel
            unit = _text(_at(row, unit_index))
            if not unit:
                self._error(
                    "这一行有数据，但没有写单位名称", sheet=name, cell=_address(offset, unit_index)
                )
                continue
            is_total = unit in TOTAL_NAMES or unit == self.area
            if not is_total and unit in seen_at:
                self._error(
                    f"单位“{unit}”重复（第 {seen_at[unit] + 1} 行已有）",
                    sheet=name,
                    cell=_address(offset, unit_index),
                )
                continue
            if not is_total and self.units and unit not in self.units:
                close = difflib.get_close_matches(unit, self.units, n=1, cutoff=0.5)
                hint = (
                    f"，是不是“{close[0]}”？"
                    if close
                    else "；请核对名称，或在定义的 units 里加上它"
                )
                self._error(
                    f"单位“{unit}”不在定义的单位名单里{hint}",
                    sheet=name,
                    cell=_address(offset, unit_index),
                )
                continue
            parsed = self._numbers(name, offset, row, header, columns, request, unit)
            if is_total:
                totals = parsed
                continue
            seen_at[unit] = offset
            values[unit] = parsed
            for column in columns:
                cells[(unit, column)] = _address(offset, header[column])
        if request.all_units:
            for unit in self.units:
                if unit not in values:
                    self._error(
                        f"缺少单位“{unit}”的一行",
                        sheet=name,
                        cell=f"{get_column_letter(unit_index + 1)}列",
                    )
        return Sheet(name, columns, values, cells, totals)

    def _numbers(
        self,
        name: str,
        offset: int,
        row: list,
        header: dict[str, int],
        columns: list[str],
        request: SheetRequest,
        unit: str,
    ) -> dict[str, Decimal]:
        parsed: dict[str, Decimal] = {}
        for column in columns:
            index = header[column]
            cell = _address(offset, index)
            value = _at(row, index)
            number, problem = _number(value)
            if problem == "empty":
                if column in request.required:
                    self._empty(name, cell, column, unit)
                continue
            if problem:
                self._error(f"“{column}”应填数字，{problem}", sheet=name, cell=cell)
                continue
            assert number is not None
            if column in request.non_negative and number < 0:
                self._error(f"“{column}”不能是负数（{number}）", sheet=name, cell=cell)
                continue
            parsed[column] = number
        return parsed

    def _empty(self, name: str, cell: str, column: str, unit: str) -> None:
        if _is_formula(self.path, name, cell):
            self._error(
                f"{unit}的“{column}”是公式，但文件里没有保存计算结果（由 Excel、WPS 以外的程序生成的文件常这样）。"
                "请用 Excel 或 WPS 打开这个文件，保存一次后再试",
                sheet=name,
                cell=cell,
            )
        else:
            self._error(f"{unit}的“{column}”是空的，应填数字（没有就填 0）", sheet=name, cell=cell)

    def _error(self, message: str, *, sheet: str, cell: str | None = None) -> None:
        self.problems.add(Problem(message, Location(self.path, sheet=sheet, cell=cell)))


def _number(value: object) -> tuple[Decimal | None, str | None]:
    """The number in a cell, or why there is none ("empty" for a blank cell)."""
    if value is None or value == "":
        return None, "empty"
    if isinstance(value, bool):
        return None, f"现在是“{'TRUE' if value else 'FALSE'}”"
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "现在是错误值"
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value), None
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return None, f"现在是日期或时间（{value}）；请把单元格格式改为“数值”"
    text = str(value).strip()
    if text.startswith("#"):
        return None, f"现在是错误值“{text}”，请检查公式"
    if text.endswith(("%", "％")):
        return (
            None,
            f"现在是文字“{text}”。请去掉百分号只填数（如 {text.rstrip('%％')}），百分率由 huiwu 计算",
        )
    cleaned = re.sub(r"[,，\s]", "", text.translate(_FULL_WIDTH_DIGITS))
    try:
        return Decimal(cleaned), None
    except InvalidOperation:
        return None, f"现在是文字“{text}”"


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def _is_formula(path: Path, sheet: str, cell: str) -> bool:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=False)
        value = workbook[sheet][cell].value
        workbook.close()
    except (KeyError, ValueError, OSError, zipfile.BadZipFile):
        return False
    return isinstance(value, str) and value.startswith("=")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _at(row: list, index: int) -> object:
    return row[index] if index < len(row) else None


def _address(row: int, column: int) -> str:
    """Zero-based row/column → ``B3``."""
    return f"{get_column_letter(column + 1)}{row + 1}"


def union(*groups: Iterable[str]) -> list[str]:
    """Column names in first-seen order without repeats."""
    return list(dict.fromkeys(name for group in groups for name in group))
