"""``huiwu sheet``: a blank indicator workbook with exactly the columns the definition needs.

The columns are those the indicators read and, for responsibility letters, the quotas' columns
(a base such as 总人口, or the quota itself) and the figures the letters' texts print
(``{{ 数据.村数 }}``). Units are listed, headers carry hints (which indicator uses the column, what to type), cells
accept only numbers, and a 说明 sheet says how to fill it in — ready for Excel or WPS.
"""

from __future__ import annotations

from pathlib import Path

from huiwu.errors import HuiwuError, refuse_existing
from huiwu.figures.workbook import union
from huiwu.model import Definition
from huiwu.publish.output import atomic_file
from jinja2 import Environment, TemplateSyntaxError, nodes
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_BLANK_ROWS_WITHOUT_UNITS = 30
_NO_UNITS = "定义里没有写 units（单位名单），所以这里没有列出单位：请在这一列从第 2 行起逐行写上各单位的名称。"
_PARSER = Environment()
"""Only parses texts to find the names they use; nothing is rendered with it."""


def column_uses(definition: Definition) -> dict[str, list[str]]:
    """Workbook column → the indicators (with their role) that read it, in first-use order."""
    uses: dict[str, list[str]] = {}
    for name, spec in definition.indicators.items():
        roles = [(spec.numerator, "分子"), (spec.denominator, "分母"), (spec.column, "取值")]
        roles += [(column, "加数") for column in spec.columns]
        for column, role in roles:
            if column is not None:
                uses.setdefault(column.column, []).append(f"{name}的{role}")
    return uses


def letter_column_uses(definition: Definition) -> dict[str, list[str]]:
    """Workbook column → what of the responsibility letters reads it, in first-use order."""
    letters = definition.letters
    if letters is None:
        return {}
    uses: dict[str, list[str]] = {}
    for name, quota in letters.quotas.items():
        role = f"配额“{name}”的基数" if quota.by is not None else f"配额“{name}”"
        uses.setdefault(quota.source_column, []).append(role)
    for column in _data_references(letters.model_dump(mode="json")):
        uses.setdefault(column, []).append(f"责任书里的“数据.{column}”")
    return uses


def _data_references(value: object) -> list[str]:
    """The keys the letters' texts look up on ``数据`` (``{{ 数据.村数 }}`` → 村数), in order."""
    found: dict[str, None] = {}
    if isinstance(value, str) and "{" in value:
        try:
            tree = _PARSER.parse(value)
        except TemplateSyntaxError:  # reported by huiwu check with its line; not this job
            return []
        for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
            if isinstance(node.node, nodes.Name) and node.node.name == "数据":
                key = node.attr if isinstance(node, nodes.Getattr) else None
                if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
                    key = str(node.arg.value)
                if key:
                    found[key] = None
    elif isinstance(value, dict):
        for item in value.values():
            found.update(dict.fromkeys(_data_references(item)))
    elif isinstance(value, list):
        for item in value:
            found.update(dict.fromkeys(_data_references(item)))
    return list(found)


def write_blank_workbook(definition: Definition, path: Path, *, force: bool = False) -> Path:
    """Write the blank workbook to ``path`` (atomically); refuse to overwrite without ``force``."""
    letter_uses = letter_column_uses(definition)
    if not definition.indicators and not letter_uses:
        raise HuiwuError("定义里没有指标（indicators），也没有责任书配额（letters），不需要指标表")
    refuse_existing(path, force=force)
    book = Workbook()
    data_title = definition.workbook.sheet or "数据"
    letter_title = (definition.letters.sheet if definition.letters else None) or data_title
    columns: dict[str, dict[str, list[str]]] = {}
    if definition.indicators:
        columns[data_title] = column_uses(definition)
    for column, roles in letter_uses.items():
        columns.setdefault(letter_title, {}).setdefault(column, []).extend(roles)
    counts = _count_columns(definition)
    for index, (title, uses) in enumerate(columns.items()):
        sheet = book.active if index == 0 else book.create_sheet(title)
        assert sheet is not None
        sheet.title = title
        _data_sheet(definition, sheet, uses, counts)
    _base_sheets(definition, book)
    _instructions(book.create_sheet("说明"), definition, next(iter(columns)))
    _save(book, path)
    return path


def _data_sheet(
    definition: Definition, sheet: Worksheet, uses: dict[str, list[str]], counts: list[str]
) -> None:
    """One row per unit and the ``uses`` columns; text columns (乙方全称…) last, since the
    number check covers the columns before them."""
    text_columns = set(definition.workbook.text_columns)
    numbers = [c for c in uses if c not in text_columns]
    ordered = numbers + [c for c in uses if c in text_columns]
    hints = {
        c: f"{c}：{'、'.join(uses[c])}。"
        + ("填文字，原样印在材料上。" if c in text_columns else _hint(c in counts))
        for c in ordered
    }
    _fill_sheet(definition, sheet, ordered, hints)
    _validate_numbers(
        sheet, len(numbers), counts=[numbers.index(c) for c in counts if c in numbers]
    )


def _base_sheets(definition: Definition, book: Workbook) -> None:
    """A sheet per base period (上年, 前三年平均…) with the indicators compared against it."""
    periods = union(
        b.period for spec in definition.indicators.values() for b in spec.base if b.period
    )
    for period in periods:
        names = [
            n
            for n, spec in definition.indicators.items()
            if any(b.period == period for b in spec.base)
        ]
        sheet = book.create_sheet(period)
        hints = {
            name: f"{period}的{name}：直接填数值，不带%或‰。最后一行“合计”填全辖区的值。"
            for name in names
        }
        _fill_sheet(definition, sheet, names, hints, total_row=True)
        _validate_numbers(sheet, len(names))


def _count_columns(definition: Definition) -> list[str]:
    return union(
        *(
            [c.column for c in (s.numerator, s.denominator) if c is not None]
            for s in definition.indicators.values()
        )
    )


def _hint(is_count: bool) -> str:
    return "填人数等计数，整数，不能为负。" if is_count else "填数值，不带单位。"


def _fill_sheet(
    definition: Definition,
    sheet: Worksheet,
    columns: list[str],
    hints: dict[str, str],
    *,
    total_row: bool = False,
) -> None:
    headers = [definition.workbook.unit_column, *columns]
    if not definition.units:
        hints = {headers[0]: _NO_UNITS, **hints}
    sheet.append(headers)
    for index, title in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if title in hints:
            cell.comment = Comment(hints[title], "huiwu", width=240, height=90)
        sheet.column_dimensions[get_column_letter(index)].width = max(
            10, min(30, len(title) * 2.2 + 2)
        )
    for unit in definition.units:
        sheet.append([unit])
    if total_row:
        sheet.append(["合计"])
    sheet.freeze_panes = "B2"


def _validate_numbers(sheet: Worksheet, count: int, counts: list[int] = ()) -> None:
    if count == 0:
        return
    last_row = max(sheet.max_row, _BLANK_ROWS_WITHOUT_UNITS + 1)
    for index in range(count):
        letter = get_column_letter(index + 2)
        is_count = index in counts
        rule = DataValidation(
            type="decimal",
            operator="greaterThanOrEqual" if is_count else "between",
            formula1="0" if is_count else "-1000000000",
            formula2=None if is_count else "1000000000",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请填数字",
            error="这里只能填数字"
            + ("（不能为负）" if is_count else "")
            + "，不要带单位或百分号。",
        )
        rule.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(rule)


def _instructions(sheet: Worksheet, definition: Definition, data_sheet: str) -> None:
    first = f"1. 在“{data_sheet}”表里，每个单位一行，逐项填数；没有的填 0，不要留空。"
    if not definition.units:
        first += _NO_UNITS
    lines = [
        "填写说明",
        first,
        "2. 只填原始数（人数、例数等），不要填比率：各项比率由 huiwu 按公式计算并四舍五入。",
        "3. 不要改动第一行表头，不要合并单元格；可以增加备注列，huiwu 会忽略它们。",
        "4. 用公式计算的格子，请在 Excel 或 WPS 里保存一次再交给 huiwu（保存时才会记下计算结果）。",
    ]
    if definition.indicators:
        lines.append("5. 各指标的算法：")
    for name, spec in definition.indicators.items():
        lines.append(f"    {name}：{_formula(spec)}")
    for line in lines:
        sheet.append([line])
    sheet.column_dimensions["A"].width = 90
    sheet["A1"].font = Font(bold=True, size=14)


def _formula(spec) -> str:
    if spec.compute in ("percent", "permille", "ratio100"):
        scale = {"percent": "×100%", "permille": "×1000‰", "ratio100": "×100"}[spec.compute]
        return f"{spec.numerator.column} ÷ {spec.denominator.column} {scale}，保留{spec.decimals}位小数"
    if spec.compute == "value":
        return f"取“{spec.column.column}”一列"
    return "、".join(c.column for c in spec.columns) + " 相加"


def _save(book: Workbook, path: Path) -> None:
    with atomic_file(path) as stream:
        book.save(stream)
