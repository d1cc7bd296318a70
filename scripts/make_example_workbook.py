#!/usr/bin/env python3
"""Write data/annual-assessment/指标.xlsx, the example indicator workbook (invented figures).

The area totals are chosen to reproduce the worked figures of the seed report: 571 births of
which 521 within policy (91.24%), 6 out-of-policy multiple births (1.05%), and 245 of 336 long-
term contraception cases (72.92%). Run again after changing the figures; a test checks that the
committed workbook holds exactly what this script writes.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook

UNITS = [
    "城关镇",
    "青石镇",
    "柳河镇",
    "白沙乡",
    "龙潭乡",
    "东坪镇",
    "西坪镇",
    "石桥镇",
    "桂花乡",
    "金山镇",
    "银河乡",
    "清泉镇",
    "松林乡",
    "马鞍镇",
    "凤凰镇",
    "黄土乡",
    "长岭镇",
    "新华街道",
    "城东街道",
    "城西街道",
    "红旗乡",
    "杨柳镇",
]
HEADERS = [
    "单位",
    "出生人数",
    "政策内出生人数",
    "政策外多孩出生人数",
    "出生男孩数",
    "出生女孩数",
    "应落实长效节育措施人数",
    "已落实长效节育措施人数",
    "户籍人口",
]
TOTALS = {
    "出生人数": 571,
    "政策内出生人数": 521,
    "政策外多孩出生人数": 6,
    "应落实长效节育措施人数": 336,
    "已落实长效节育措施人数": 245,
    "出生男孩数": 310,
}


def split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Integers proportional to ``weights`` that add up to ``total`` exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[
        : total - sum(parts)
    ]:
        parts[index] += 1
    return parts


def capped(parts: list[int], caps: list[int], total: int) -> list[int]:
    """Clip ``parts`` to ``caps`` and move the difference to units with room, keeping ``total``."""
    parts = [min(p, c) for p, c in zip(parts, caps, strict=True)]
    index = 0
    while sum(parts) < total:
        if parts[index % len(parts)] < caps[index % len(parts)]:
            parts[index % len(parts)] += 1
        index += 1
    return parts


def rows() -> list[list[object]]:
    rng = random.Random(2012)
    sizes = [rng.uniform(0.5, 2.0) for _ in UNITS]
    births = split(TOTALS["出生人数"], sizes, rng)
    compliance = [rng.uniform(0.80, 0.99) for _ in UNITS]
    policy = split(
        TOTALS["政策内出生人数"], [b * c for b, c in zip(births, compliance, strict=True)], rng
    )
    policy = capped(policy, births, TOTALS["政策内出生人数"])
    multiple = [0] * len(UNITS)
    for index in rng.sample(range(len(UNITS)), TOTALS["政策外多孩出生人数"]):
        multiple[index] += 1
    boys = split(TOTALS["出生男孩数"], [b * rng.uniform(0.9, 1.1) for b in births], rng)
    boys = capped(boys, births, TOTALS["出生男孩数"])
    girls = [b - x for b, x in zip(births, boys, strict=True)]
    due = split(TOTALS["应落实长效节育措施人数"], sizes, rng)
    done = split(TOTALS["已落实长效节育措施人数"], [d * rng.uniform(0.5, 0.95) for d in due], rng)
    done = capped(done, due, TOTALS["已落实长效节育措施人数"])
    population = [round(s * 21000) for s in sizes]
    return [
        list(r)
        for r in zip(
            UNITS, births, policy, multiple, boys, girls, due, done, population, strict=True
        )
    ]


def base_rows(current: list[list[object]]) -> tuple[list[list[object]], list[list[object]]]:
    rng = random.Random(2011)
    last_year = [
        [r[0], round(rng.uniform(0.5, 2.5), 2), round(rng.uniform(108, 130), 2)] for r in current
    ]
    three_years = [[r[0], round(rng.uniform(84, 96), 2)] for r in current]
    return [*last_year, ["合计", 1.25, 129.82]], [*three_years, ["合计", 90.33]]


def build(path: Path) -> None:
    book = Workbook()
    data = book.active
    data.title = "数据"
    data.append(HEADERS)
    current = rows()
    for row in current:
        data.append(row)
    last_year, three_years = base_rows(current)
    sheet = book.create_sheet("上年")
    sheet.append(["单位", "政策外多孩率", "出生人口性别比"])
    for row in last_year:
        sheet.append(row)
    sheet = book.create_sheet("前三年平均")
    sheet.append(["单位", "出生政策符合率"])
    for row in three_years:
        sheet.append(row)
    book.save(path)


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "data" / "annual-assessment" / "指标.xlsx"
    )
    build(target)
    print(target)
