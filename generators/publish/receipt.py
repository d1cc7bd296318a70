"""``huiwu sheet --receipt``: the 参会回执 of the notice as a workbook, to collect the replies.

The same columns as the receipt page of the notice; one row per unit of the definition (or blank
rows when it names none), and above the table the deadline and where to send it.
"""

from __future__ import annotations

from pathlib import Path

from huiwu.documents.notice import receipt_columns, receipt_title
from huiwu.errors import HuiwuError
from huiwu.model import Definition
from huiwu.publish.output import atomic_file
from huiwu.text import cn
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def write_receipt_workbook(
    definition: Definition, path: Path, *, source: Path, force: bool = False
) -> Path:
    """Write the receipt workbook to ``path`` (atomically); refuse to overwrite without ``force``.
    ``source`` is the definition file, named in the message when it has no receipt."""
    notice = definition.notice
    receipt = notice.receipt if notice is not None else None
    if notice is None or receipt is None:
        raise HuiwuError(
            f"{source}: 定义里没有参会回执（notice.receipt），"
            "在 notice 下写 receipt（报送截止日期 deadline 等）才能生成回执表"
        )
    if path.exists() and not force:
        raise HuiwuError(f"{path}: 文件已存在，未覆盖。要覆盖请加 --force")
    columns = receipt_columns(receipt)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "参会回执"
    sheet.append([receipt_title(definition)])
    sheet.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    issuer = notice.issuer or definition.meeting.organizer
    send = receipt.send_to or f"报送至{issuer}"
    sheet.append([f"请于{cn.format_date(receipt.deadline)}前填好，{send}。"])
    sheet.merge_cells(start_row=2, end_row=2, start_column=1, end_column=len(columns))
    sheet.append(columns)
    rows = [[unit] for unit in definition.units] or [[] for _ in range(receipt.rows)]
    for row in rows:
        sheet.append(row + [None] * (len(columns) - len(row)))
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row, max_col=len(columns)):
        for cell in row:
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for index, title in enumerate(columns, start=1):
        width = 24 if title in ("单位", "职务") else max(12, len(title) * 2.2 + 2)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A4"
    with atomic_file(path) as stream:
        book.save(stream)
    return path
