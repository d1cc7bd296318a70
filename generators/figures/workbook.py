"""Read the indicator workbook: one row per unit, named columns, every problem by sheet!cell.

Values are read with python-calamine (fast, saved values of formulas); openpyxl is consulted only
to explain an empty cell that is really a formula without a saved result, which is what files
written by programs other than Excel and WPS contain.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import zipfile
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

import python_calamine
from huiwu.errors import InputError, Location, Problem, Problems
from huiwu.lazy import MadeOnRead
from huiwu.render import docxzip
from lxml import etree

MAX_WORKBOOK_BYTES = 50 * 1024 * 1024
MAX_ROWS = 100_000
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
"""An .xlsx is a zip; one that unpacks to more than this is a zip bomb, not a workbook."""
TOTAL_NAMES = ("合计", "总计")
"""Row labels of a totals row, which huiwu computes itself and skips (or uses as a base)."""


@dataclass(frozen=True)
class Sheet:
    """One sheet read column by column: each column's values in unit order, knowing where each
    value stands. A sheet of ten thousand units is a few lists, not a mapping for every unit;
    :attr:`rows` and :attr:`texts` show it unit by unit."""

    name: str
    columns: list[str]
    positions: dict[str, int]
    """Unit → its place in the value lists (units in sheet order)."""
    values: dict[str, Numbers]
    """Number column → each unit's value; None where the cell is blank."""
    totals: dict[str, Decimal] | None = None
    """The values of a totals row (合计/全县…), when the sheet has one."""
    lines: Sequence[int] = ()
    """Each unit's zero-based row; addresses are made only when a message needs one."""
    column_of: dict[str, int] = field(default_factory=dict)
    """Column name → zero-based column."""
    total_row: int | None = None
    text_values: dict[str, list[str]] = field(default_factory=dict)
    """Text column (:attr:`SheetRequest.text`) → what each unit's cell says ("" when blank)."""

    @property
    def rows(self) -> Mapping[str, Mapping[str, Decimal]]:
        """``unit → column → value`` (blank cells left out), each value made when read."""
        return _Rows(self)

    @property
    def texts(self) -> Mapping[str, dict[str, str]]:
        """``unit → text column → text`` as written; a unit whose text cells are all blank is
        left out."""
        return _Texts(self)

    def column(self, name: str, units: Sequence[str]) -> Sequence[Decimal | None]:
        """The values of column ``name`` for ``units``, in that order, each made when read."""
        return _Column(self.values[name], self.positions, units)

    def cell(self, unit: str, column: str) -> str:
        """``数据!C5`` for a unit's value in a column."""
        position, index = self.positions.get(unit), self.column_of.get(column)
        if position is None or index is None:
            return f"{self.name}!?"
        return f"{self.name}!{_address(self.lines[position], index)}"

    def total_cell(self, column: str) -> str | None:
        """``B24``: the totals row's cell in ``column``, if there are both."""
        if self.total_row is None or column not in self.column_of:
            return None
        return _address(self.total_row, self.column_of[column])


class Numbers(MadeOnRead[Decimal | None]):
    """One column's numbers in unit order. A number Excel stored (a float) is kept as that
    float, eight bytes, and made the Decimal the reader made of it when asked for: ten
    thousand populations are not ten thousand Decimal objects. Any other number (typed as
    text, say) is kept as read; a blank cell is None."""

    def __init__(self) -> None:
        self._floats = array("d")
        self._others: dict[int, Decimal] = {}

    def append(self, cell: object, number: Decimal | None) -> None:
        """Add the number read from ``cell`` (None: blank)."""
        if number is not None and type(cell) is float:
            self._floats.append(cell)
            return
        if number is not None:
            self._others[len(self._floats)] = number
        self._floats.append(math.nan)  # never a cell's number: the reader refuses NaN

    def _at(self, index: int) -> Decimal | None:
        value = self._floats[index]
        if math.isnan(value):
            return self._others.get(index)
        return _float_number(value)

    def __len__(self) -> int:
        return len(self._floats)


class _Column(MadeOnRead[Decimal | None]):
    """A column's values for some units, in their order (:meth:`Sheet.column`)."""

    def __init__(self, values: Numbers, positions: dict[str, int], units: Sequence[str]) -> None:
        self._values = values
        self._positions = positions
        self._units = units

    def _at(self, index: int) -> Decimal | None:
        return self._values[self._positions[self._units[index]]]

    def __iter__(self) -> Iterator[Decimal | None]:
        values, positions = self._values, self._positions
        return (values[positions[unit]] for unit in self._units)

    def __len__(self) -> int:
        return len(self._units)


class _Rows(Mapping[str, dict[str, Decimal]]):
    """A sheet's values unit by unit (:attr:`Sheet.rows`)."""

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet

    def __getitem__(self, unit: str) -> dict[str, Decimal]:
        """``column → value`` of ``unit`` (blank cells left out), made when asked for."""
        at = self._sheet.positions[unit]
        values = self._sheet.values.items()
        return {column: value for column, numbers in values if (value := numbers[at]) is not None}

    def __contains__(self, unit: object) -> bool:
        return unit in self._sheet.positions

    def __iter__(self) -> Iterator[str]:
        return iter(self._sheet.positions)

    def __len__(self) -> int:
        return len(self._sheet.positions)


class _Texts(Mapping[str, dict[str, str]]):
    """A sheet's text cells unit by unit (:attr:`Sheet.texts`), units with none left out."""

    def __init__(self, sheet: Sheet) -> None:
        self._sheet = sheet

    def __getitem__(self, unit: str) -> dict[str, str]:
        at = self._sheet.positions[unit]
        values = self._sheet.text_values.items()
        found = {column: text for column, texts in values if (text := texts[at])}
        if not found:
            raise KeyError(unit)
        return found

    def __iter__(self) -> Iterator[str]:
        columns = list(self._sheet.text_values.values())
        for unit, at in self._sheet.positions.items():
            if any(texts[at] for texts in columns):
                yield unit

    def __len__(self) -> int:
        return sum(1 for _ in self)


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
    typed_rates: bool = False
    """Values are rates typed by hand (base and target sheets): a cell formatted as a
    percentage holds a hundredth of what it shows, so it is reported rather than misread."""
    text: Sequence[str] = ()
    """Columns of text (乙方全称, 签字人): read as written, kept in :attr:`Sheet.texts`."""


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
    if docxzip.unpacked_size(path) > MAX_UNPACKED_BYTES:
        raise InputError(
            [
                Problem(
                    "指标表解压后过大（超过 300 MB），不像是一份普通的指标表，请检查文件", location
                )
            ]
        )
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


@dataclass(frozen=True)
class _Blank:
    """A cell read as empty: truly blank, an error value, or a formula with no saved result.

    python-calamine reads all three as empty, so they are told apart afterwards (see
    :func:`_inspect`), once per sheet and only when there are any.
    """

    row: int
    column: int
    header: str
    unit: str
    required: bool

    @property
    def at(self) -> tuple[int, int]:
        """Zero-based (row, column)."""
        return (self.row, self.column)

    @property
    def address(self) -> str:
        """``C5``."""
        return _address(self.row, self.column)


class _Field(NamedTuple):
    """A column to read, with what its cells must hold."""

    name: str
    index: int
    required: bool
    non_negative: bool
    typed_rate: bool
    text: bool = False


def _fields(header: dict[str, int], columns: list[str], request: SheetRequest) -> list[_Field]:
    required, non_negative, text = (
        set(request.required),
        set(request.non_negative),
        set(request.text),
    )
    return [
        _Field(c, header[c], c in required, c in non_negative, request.typed_rates, c in text)
        for c in columns
    ]


@dataclass
class _SheetScan:
    """What reading one sheet's rows found besides the numbers: cells to explain or audit."""

    blanks: list[_Blank] = field(default_factory=list)
    numbers: list[tuple[int, int]] = field(default_factory=list)
    unit_rows: int = 0


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
        self.known = set(units)
        self.problems = problems

    def read(self, request: SheetRequest) -> Sheet | None:
        first_problem = len(self.problems.items)
        result = self._read(request)
        # Report a sheet's problems in reading order (row by row), whatever check found them.
        self.problems.items[first_problem:] = sorted(
            self.problems.items[first_problem:], key=_cell_order
        )
        return result

    def _read(self, request: SheetRequest) -> Sheet | None:
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
        rows = _rows_from_a1(sheet)
        first = next(rows, None)
        if first is None:
            self._error("工作表是空的" + self._hidden_hint(name), sheet=name)
            return None
        header = self._header(name, first, sheet)
        if header is None:
            return None
        columns = self._check_columns(name, header, request)
        if columns is None:
            return None
        scan = _SheetScan()
        result = self._rows(name, header, columns, rows, request, scan)
        self._explain(name, scan)
        return result

    def _hidden_hint(self, reading: str) -> str:
        """When the data may be on a hidden sheet: say so, and how to use it."""
        hidden = [
            meta.name
            for meta in self.workbook.sheets_metadata
            if not str(meta.visible).endswith("Visible") and meta.name != reading
        ]
        if not hidden:
            return ""
        return (
            f"。另有隐藏的工作表：{'、'.join(hidden)}；如果数据在那里，请在 Excel/WPS 里取消隐藏"
            "并把它移到最前，或在定义的 workbook.sheet 写明工作表名"
        )

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
                + "、".join(request.required)
                + self._hidden_hint(name),
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
        rows: Iterator[list],
        request: SheetRequest,
        scan: _SheetScan,
    ) -> Sheet:
        """Read the rows below the header (the second row is row 1) into columns."""
        unit_index = header[self.unit_column]
        fields = _fields(header, columns, request)
        text_fields = [f for f in fields if f.text]
        fields = [f for f in fields if not f.text]
        values = {f.name: Numbers() for f in fields}
        texts: dict[str, list[str]] = {f.name: [] for f in text_fields}
        positions: dict[str, int] = {}
        lines = array("L")
        totals: dict[str, Decimal] | None = None
        total_row = None
        for offset, row in enumerate(rows, start=1):
            unit = _text(_at(row, unit_index))
            if not unit and all(_text(value) == "" for value in row):
                continue  # blank rows, often trailing ones left by Excel
            if not self._known_unit(name, unit, offset, unit_index, positions, lines):
                continue
            parsed = self._numbers(name, offset, row, fields, unit, scan)
            if unit in TOTAL_NAMES or unit == self.area:
                totals, total_row = parsed, offset
                continue
            scan.unit_rows += 1
            positions[unit] = len(lines)
            lines.append(offset)
            for field_ in fields:
                values[field_.name].append(_at(row, field_.index), parsed.get(field_.name))
            found = self._texts(name, offset, row, text_fields, unit)
            for field_ in text_fields:
                texts[field_.name].append(found.get(field_.name, ""))
        if request.all_units:
            for unit in self.units:
                if unit not in positions:
                    self._error(
                        f"缺少单位“{unit}”的一行",
                        sheet=name,
                        cell=f"{_column_letter(unit_index + 1)}列",
                    )
        column_of = {column: header[column] for column in columns}
        return Sheet(name, columns, positions, values, totals, lines, column_of, total_row, texts)

    def _texts(
        self, name: str, offset: int, row: list, fields: list[_Field], unit: str
    ) -> dict[str, str]:
        """The text columns of a row, as written; a blank cell is an error if it is required."""
        found = {}
        for field_ in fields:
            text = _text(_at(row, field_.index))
            if text:
                found[field_.name] = text
            elif field_.required:
                cell = _address(offset, field_.index)
                self._error(f"{unit}的“{field_.name}”是空的，应填文字", sheet=name, cell=cell)
        return found

    def _known_unit(
        self,
        name: str,
        unit: str,
        offset: int,
        unit_index: int,
        positions: dict[str, int],
        lines: Sequence[int],
    ) -> bool:
        """Whether the row names a unit to read (or the totals row); if not, say why."""
        if not unit:
            cell = _address(offset, unit_index)
            self._error("这一行有数据，但没有写单位名称", sheet=name, cell=cell)
            return False
        if unit in TOTAL_NAMES or unit == self.area:
            return True
        if unit in positions:
            first = lines[positions[unit]] + 1
            cell = _address(offset, unit_index)
            self._error(f"单位“{unit}”重复（第 {first} 行已有）", sheet=name, cell=cell)
            return False
        if self.known and unit not in self.known:
            cell = _address(offset, unit_index)
            close = difflib.get_close_matches(unit, self.units, n=1, cutoff=0.5)
            hint = f"，是不是“{close[0]}”？" if close else "；请核对名称，或在定义的 units 里加上它"
            self._error(f"单位“{unit}”不在定义的单位名单里{hint}", sheet=name, cell=cell)
            return False
        return True

    def _numbers(
        self,
        name: str,
        offset: int,
        row: list,
        fields: list[_Field],
        unit: str,
        scan: _SheetScan,
    ) -> dict[str, Decimal]:
        parsed: dict[str, Decimal] = {}
        for field_ in fields:
            value = row[field_.index] if field_.index < len(row) else None
            number, problem = _number(value)
            if problem is None:
                assert number is not None
                if field_.non_negative and number < 0:
                    cell = _address(offset, field_.index)
                    self._error(f"“{field_.name}”不能是负数（{number}）", sheet=name, cell=cell)
                    continue
                parsed[field_.name] = number
                if field_.typed_rate and isinstance(value, float):
                    scan.numbers.append((offset, field_.index))
            elif problem == "empty":
                scan.blanks.append(_Blank(offset, field_.index, field_.name, unit, field_.required))
            else:
                cell = _address(offset, field_.index)
                self._error(f"“{field_.name}”应填数字，{problem}", sheet=name, cell=cell)
        return parsed

    @functools.cached_property
    def has_formulas_or_errors(self) -> bool:
        """Whether any sheet holds a formula or an error value (else a blank is just blank)."""
        return _any_formula_or_error(self.path)

    @functools.cached_property
    def has_percent_styles(self) -> bool:
        """Whether any cell style shows numbers as percentages."""
        return _has_percent_styles(self.path)

    def _explain(self, name: str, scan: _SheetScan) -> None:
        """Tell error values and unsaved formulas from blanks, and catch percentage formats."""
        numbers = scan.numbers if scan.numbers and self.has_percent_styles else []
        suspects = scan.blanks if scan.blanks and self.has_formulas_or_errors else []
        saved = _inspect(self.path, name, [*(b.at for b in suspects), *numbers], True)
        for at in numbers:
            value, _, number_format = saved.get(at, _NOTHING)
            if "%" in number_format and isinstance(value, int | float):
                self._percent_format(name, _address(*at), value)
        errors = {b.at for b in suspects if saved.get(b.at, _NOTHING)[1] == "e"}
        written = _inspect(self.path, name, [b.at for b in suspects if b.at not in errors], False)
        plain = []
        for blank in scan.blanks:
            if blank.at in errors:
                self._error_value(name, blank, saved[blank.at][0])
            elif written.get(blank.at, _NOTHING)[1] == "f":
                self._unsaved_formula(name, blank)
            elif blank.required:
                plain.append(blank)
        self._blanks(name, plain, scan.unit_rows)

    def _error_value(self, name: str, blank: _Blank, shown: object) -> None:
        self._error(
            f"{blank.unit}的“{blank.header}”是错误值“{shown}”，应是数字：请检查这个格子的公式"
            "（常见原因：除数为0、引用的格子被删除）",
            sheet=name,
            cell=blank.address,
        )

    def _percent_format(self, name: str, cell: str, value: float) -> None:
        shown = _plain(Decimal(repr(value)) * 100)
        self._error(
            f"格子设成了百分比格式：显示为“{shown}%”，实际存的是 {_plain(Decimal(repr(value)))}。"
            f"请把格式改为“常规”或“数值”，再填 {shown}（不带%）",
            sheet=name,
            cell=cell,
        )

    def _unsaved_formula(self, name: str, blank: _Blank) -> None:
        self._error(
            f"{blank.unit}的“{blank.header}”是公式，但文件里没有保存计算结果"
            "（由 Excel、WPS 以外的程序生成的文件常这样）。"
            "请用 Excel 或 WPS 打开这个文件，保存一次后再试",
            sheet=name,
            cell=blank.address,
        )

    def _blanks(self, name: str, blanks: list[_Blank], unit_rows: int) -> None:
        """One line for a column left wholly blank (an unfilled sheet), else one per cell."""
        by_column: dict[str, list[_Blank]] = {}
        for blank in blanks:
            by_column.setdefault(blank.header, []).append(blank)
        for header, cells in by_column.items():
            if len(cells) > 1 and len(cells) == unit_rows:
                self._error(
                    f"“{header}”一列都没有填，应填各单位的数字（没有就填 0）",
                    sheet=name,
                    cell=f"{cells[0].address}:{cells[-1].address}",
                )
                continue
            for blank in cells:
                self._error(
                    f"{blank.unit}的“{header}”是空的，应填数字（没有就填 0）",
                    sheet=name,
                    cell=blank.address,
                )

    def _error(self, message: str, *, sheet: str, cell: str | None = None) -> None:
        self.problems.add(Problem(message, Location(self.path, sheet=sheet, cell=cell)))


_FORMULA_MARKS = (b"<f>", b"<f ", b"<f/", b":f>", b":f ", b't="e"', b"t='e'")
"""Raw XML of a formula (``<f>``, prefixed ``<x:f>``) or an error value (``t="e"``)."""
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PERCENT_FORMAT_IDS = {"9", "10"}
"""Excel's built-in number formats ``0%`` and ``0.00%``."""


def _any_formula_or_error(path: Path) -> bool:
    """A plain text search of each sheet's XML, far quicker than parsing it again."""
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if any(mark in xml for mark in _FORMULA_MARKS):
                        return True
    except (OSError, zipfile.BadZipFile):
        return True  # cannot tell: look at the cells
    return False


def _has_percent_styles(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("xl/styles.xml")
        root = etree.fromstring(
            xml, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except KeyError:
        return False  # no styles part: every cell is General
    except (OSError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return True  # cannot tell: look at the cells
    ns = {"m": _MAIN_NS}
    custom = {
        item.get("numFmtId")
        for item in root.iterfind("m:numFmts/m:numFmt", ns)
        if "%" in (item.get("formatCode") or "")
    }
    used = {xf.get("numFmtId") for xf in root.iterfind("m:cellXfs/m:xf", ns)}
    return bool(used & (custom | _PERCENT_FORMAT_IDS))


_NOTHING: tuple[object, str, str] = (None, "n", "General")
"""What :func:`_inspect` reports for a cell it did not find: blank, no format."""


def _inspect(
    path: Path, sheet: str, addresses: Sequence[tuple[int, int]], data_only: bool
) -> dict[tuple[int, int], tuple[object, str, str]]:
    """(value, openpyxl data type, number format) of some cells, in one pass over the rows.

    With ``data_only`` the values are the saved results (error values have type ``e``);
    without, formulas read as their text (type ``f``).
    """
    wanted = set(addresses)
    if not wanted:
        return {}
    from openpyxl import load_workbook

    rows = [row for row, _ in wanted]
    columns = [column for _, column in wanted]
    found: dict[tuple[int, int], tuple[object, str, str]] = {}
    try:
        workbook = load_workbook(path, read_only=True, data_only=data_only)
    except (KeyError, ValueError, OSError, zipfile.BadZipFile):
        return found
    try:
        cells = workbook[sheet].iter_rows(
            min_row=min(rows) + 1,
            max_row=max(rows) + 1,
            min_col=min(columns) + 1,
            max_col=max(columns) + 1,
        )
        for row in cells:
            for cell in row:
                at = (getattr(cell, "row", 0) - 1, getattr(cell, "column", 0) - 1)
                if at in wanted:
                    found[at] = (cell.value, cell.data_type, cell.number_format or "General")
    except (KeyError, ValueError):
        pass
    finally:
        workbook.close()
    return found


def _cell_order(problem: Problem) -> tuple[int, int]:
    match = re.fullmatch(r"([A-Z]+)(\d+)(:.*)?", problem.location.cell or "")
    if match is None:
        return (0, 0)  # whole-sheet and whole-row problems first
    from openpyxl.utils import column_index_from_string  # openpyxl: only where needed

    return (int(match.group(2)), column_index_from_string(match.group(1)))


def _plain(value: Decimal) -> str:
    """``1.25``, ``90`` — a Decimal without exponent or trailing zeros."""
    return format(value.normalize(), "f")


MAX_DIGITS = 15
"""Digits before the decimal point a cell may have: a county's counts and sums of money have
at most ten; more is a typing or export error (and Excel keeps only 15 significant digits)."""


def _number(value: object) -> tuple[Decimal | None, str | None]:
    """The number in a cell, or why there is none ("empty" for a blank cell)."""
    number, problem = _read_number(value)
    if number is None:
        return None, problem
    if not number.is_finite():
        return None, f"现在是“{value}”，不是一个数"
    if number.adjusted() >= MAX_DIGITS:
        shown = f"{value}" if len(str(value)) <= 30 else f"{str(value)[:30]}…"
        return None, f"现在是“{shown}”，大得不合常理（超过 {MAX_DIGITS} 位），请检查"
    return number, None


def _read_number(value: object) -> tuple[Decimal | None, str | None]:
    if type(value) is float and math.isfinite(value):  # the common case, checked first
        return _float_number(value), None
    if value is None or value == "":
        return None, "empty"
    if isinstance(value, bool):
        return None, f"现在是“{'TRUE' if value else 'FALSE'}”"
    if isinstance(value, float):
        return None, "现在是错误值"  # not a number or infinite: finite floats returned above
    if isinstance(value, int):
        return Decimal(value), None
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
    if not _NUMERAL.fullmatch(cleaned):  # Decimal() also reads "NaN", "Infinity", "1e999999999"
        return None, f"现在是文字“{text if len(text) <= 30 else text[:30] + '…'}”"
    try:
        return Decimal(cleaned), None
    except InvalidOperation:
        return None, f"现在是文字“{text}”"


def _float_number(value: float) -> Decimal:
    """The number a cell holding a (finite) float shows: Excel stores every number as a
    float, and 571.0 is the count 571."""
    return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))


_NUMERAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d{1,3})?")


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from_a1(sheet: python_calamine.CalamineSheet) -> Iterator[list]:
    """The sheet's rows one at a time from row 1, each from column A (a whole sheet turned into
    Python values at once is several megabytes for ten thousand units, and stays as scattered
    free memory). calamine starts each row at the first column that holds anything."""
    left = sheet.start[1] if sheet.start else 0
    if not left:
        yield from sheet.iter_rows()
        return
    padding = [None] * left
    for row in sheet.iter_rows():
        yield padding + row


def _at(row: list, index: int) -> object:
    return row[index] if index < len(row) else None


def _address(row: int, column: int) -> str:
    """Zero-based row/column → ``B3``."""
    return f"{_column_letter(column + 1)}{row + 1}"


def _column_letter(index: int) -> str:
    """Excel's column name of the 1-based ``index``; openpyxl's, imported when first needed
    (reading a workbook with calamine does not need openpyxl at all)."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def union(*groups: Iterable[str]) -> list[str]:
    """Column names in first-seen order without repeats."""
    return list(dict.fromkeys(name for group in groups for name in group))
