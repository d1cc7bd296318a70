#!/usr/bin/env python3
"""Write data/responsibility-letters/责任书数据.xlsx, the example workbook of the letters.

The figures are invented, chosen so that huiwu's rules reproduce the quotas printed in seed 003
part 5: one "两非" case per ten thousand people (at least one) gives 5, 5, 5, 5, 6, 6, 7, 7, 8, 9,
9, 10, 11 and 1 cases, 94 in all; 2200万元 of fees split by last year's collection with the
largest-remainder method gives 265, 193, 215, 233, 178, 131, 167, 191, 131, 105, 113, 153, 113 and
12. A test checks both. The last column is text (乙方全称, the signing party's full name).
Run again after changing the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

SHEET = "配额基数"
HEADERS = ["单位", "总人口", "上年征收额", "村数", "乙方全称"]
ROWS = [
    ("经济开发区", 107624, 230.8, 18, "楚安经济开发区管理委员会"),
    ("东城街办", 83581, 168.0, 14, "东城街道办事处"),
    ("湖滨街办", 90506, 187.2, 16, "湖滨街道办事处"),
    ("长桥镇", 102412, 202.4, 31, "长桥镇人民政府"),
    ("安乐镇", 72170, 154.7, 27, "安乐镇人民政府"),
    ("铁山镇", 54781, 113.8, 19, "铁山镇人民政府"),
    ("陈塘镇", 67483, 145.4, 24, "陈塘镇人民政府"),
    ("金沙镇", 93547, 166.6, 29, "金沙镇人民政府"),
    ("灵泉镇", 64236, 114.2, 22, "灵泉镇人民政府"),
    ("三溪镇", 47036, 91.3, 17, "三溪镇人民政府"),
    ("柏树镇", 53295, 97.9, 20, "柏树镇人民政府"),
    ("大坪铺镇", 59395, 132.8, 21, "大坪铺镇人民政府"),
    ("松山乡", 51991, 98.2, 16, "松山乡人民政府"),
    ("红星农场管理区", 3862, 10.4, 3, "红星农场管理区管理委员会"),
]


def build(path: Path) -> None:
    """Write the workbook to ``path``."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(list(row))
    sheet.column_dimensions["A"].width = 18
    book.save(path)


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1]
        / "data"
        / "responsibility-letters"
        / "责任书数据.xlsx"
    )
    build(target)
    print(target)
