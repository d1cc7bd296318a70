"""Benchmark: reading and computing a 10,000-row indicator workbook.

Run from the repository root with ``.venv/bin/python bench/workbook_read.py`` (options:
``--rows N``, default 10,000 units; ``--repeat K``, default 5). In a temporary folder it writes a
definition with the indicators, report and ranking of ``data/annual-assessment`` but N units, and
a workbook with the data sheet (one row per unit, the seven columns those indicators read) and
the 上年 and 前三年平均 base sheets (one row per unit plus 合计). It then times K runs each of
``huiwu.figures.inputs.read`` (``read_workbook``: every cell read and checked), of
``huiwu.figures.inputs.prepare`` (reading, computing every indicator for every unit, ranking and
expanding the texts) and, for comparison, of a plain read of the same file with openpyxl
(read-only, values only) and with python-calamine, and prints the minimum and median in ms.
The target is well under one second for 10,000 rows. Nothing is asserted: the test suite has
no timed checks; run this by hand after changing the reader or the computation.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import python_calamine
from huiwu.definition.load import load_definition
from huiwu.figures.inputs import prepare, read
from huiwu.figures.sheet import column_uses
from openpyxl import Workbook, load_workbook

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "data" / "annual-assessment" / "meeting.yaml"


def unit_names(count: int) -> list[str]:
    """Distinct, village-like names."""
    return [f"第{index:05d}村" for index in range(1, count + 1)]


def write_definition(folder: Path, units: list[str]) -> Path:
    """The annual example's definition with ``units`` in place of its 22 townships."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^units: \[.*\]$", f"units: [{', '.join(units)}]", text)
    path = folder / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def plausible_counts(rng: random.Random) -> dict[str, int]:
    """One unit's raw counts, consistent with each other (subsets no larger than their whole)."""
    births = rng.randint(5, 60)
    boys = rng.randint(births // 3, births)
    due = rng.randint(5, 40)
    return {
        "出生人数": births,
        "政策内出生人数": rng.randint(births * 3 // 4, births),
        "政策外多孩出生人数": rng.randint(0, 2),
        "出生男孩数": boys,
        "出生女孩数": births - boys,
        "应落实长效节育措施人数": due,
        "已落实长效节育措施人数": rng.randint(due // 2, due),
    }


def write_workbook(path: Path, units: list[str], columns: list[str]) -> None:
    """Every column the definition reads for every unit, and base-period rates with 合计."""
    rng = random.Random(10_000)
    book = Workbook(write_only=True)
    data = book.create_sheet("数据")
    data.append(["单位", *columns])
    for unit in units:
        counts = plausible_counts(rng)
        data.append([unit, *(counts.get(column, rng.randint(0, 100)) for column in columns)])
    last_year = book.create_sheet("上年")
    last_year.append(["单位", "政策外多孩率", "出生人口性别比"])
    three_years = book.create_sheet("前三年平均")
    three_years.append(["单位", "出生政策符合率"])
    for unit in units:
        last_year.append([unit, round(rng.uniform(0, 3), 2), round(rng.uniform(100, 135), 2)])
        three_years.append([unit, round(rng.uniform(84, 96), 2)])
    last_year.append(["合计", 1.25, 129.82])
    three_years.append(["合计", 90.33])
    book.save(path)


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(min, median) wall time in ms of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def plain_openpyxl(path: Path) -> None:
    book = load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()


def plain_calamine(path: Path) -> None:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def main(argv: list[str] | None = None) -> int:
    """Write the workbook, time each way of reading it, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000, help="units (rows of the data sheet)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each step")
    args = parser.parse_args(argv)
    units = unit_names(args.rows)
    with tempfile.TemporaryDirectory(prefix="huiwu-bench-") as folder:
        loaded = load_definition(write_definition(Path(folder), units))
        columns = list(column_uses(loaded.model))  # exactly what `huiwu sheet` would ask for
        workbook = Path(folder) / "指标.xlsx"
        write_workbook(workbook, units, columns)
        inputs = prepare(loaded)  # once untimed: checks the inputs are valid before timing
        assert inputs.results is not None and len(inputs.results.units) == args.rows
        steps = [
            ("openpyxl read-only, values only", lambda: plain_openpyxl(workbook)),
            ("python-calamine, values only", lambda: plain_calamine(workbook)),
            ("read_workbook (read + check)", lambda: read(loaded.model, workbook)),
            ("prepare (read, compute, rank, texts)", lambda: prepare(loaded)),
        ]
        size = workbook.stat().st_size // 1024
        print(
            f"{args.rows} units, {len(columns)} data columns + 2 base sheets, "
            f"{size} KiB; {args.repeat} runs each"
        )
        print(f"{'step':<40}{'min ms':>10}{'median ms':>12}")
        for label, function in steps:
            fastest, median = timed(function, args.repeat)
            print(f"{label:<40}{fastest:>10.0f}{median:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
