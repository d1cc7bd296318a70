"""Every unit's quotas for the responsibility letters, from the workbook's figures.

A quota is read from a column, split from a total in proportion to a base column, or computed
per N of a base column (:mod:`huiwu.figures.allocation`). Problems name the quota's line in the
definition; bad cells were already reported by the workbook reader with their sheet and cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from huiwu.definition.yamlsrc import SourceMap, format_path
from huiwu.errors import InputError, Problem
from huiwu.figures import allocation
from huiwu.figures.workbook import Sheet, SheetRequest, read_workbook, union
from huiwu.model import Definition
from huiwu.model.letters import Letters, Quota
from huiwu.text.phrasing import Figure, number


@dataclass(frozen=True)
class QuotaTable:
    """The quotas of every unit, in unit order, and their totals."""

    units: list[str]
    specs: dict[str, Quota]
    values: dict[str, dict[str, Decimal]]
    """unit → quota name → quota."""
    totals: dict[str, Decimal]

    def listing(self, name: str) -> str:
        """All units' quotas in one line: ``松山乡5件、柏树镇5件、……``."""
        unit = self.specs[name].unit
        return "、".join(f"{u}{number(self.values[u][name])}{unit}" for u in self.units)


def read_letter_sheet(model: Definition, path: Path, extra_columns: Sequence[str]) -> Sheet:
    """Read the letters' sheet: the quotas' columns (bases must not be negative) and the columns
    the texts use as ``数据.列名``."""
    letters = model.letters
    assert letters is not None
    bases = [quota.source_column for quota in letters.quotas.values() if quota.by is not None]
    columns = union([quota.source_column for quota in letters.quotas.values()], extra_columns)
    text = [column for column in model.workbook.text_columns if column in columns]
    request = SheetRequest(
        letters.sheet or model.workbook.sheet, columns, non_negative=bases, text=text
    )
    data = read_workbook(
        path,
        unit_column=model.workbook.unit_column,
        area=model.workbook.area,
        current=request,
        units=model.units,
    )
    return data.current


def compute_quotas(
    letters: Letters, sheet: Sheet, units: Sequence[str], source: SourceMap
) -> QuotaTable:
    """Every quota of every unit; raise :class:`InputError` listing every quota that fails."""
    problems = []
    columns: dict[str, list[Figure]] = {}
    shared: dict[tuple[Any, ...], Figure] = {}
    for name, quota in letters.quotas.items():
        figures = _required(sheet.column(quota.source_column, units))
        try:
            columns[name] = _figures(_quota(quota, figures, units), shared)
        except allocation.AllocationError as exc:
            path = ("letters", "quotas", name)
            problems.append(Problem(f"配额“{name}”：{exc}", source.locate(path), format_path(path)))
    if problems:
        raise InputError(problems)
    values = _unit_values(units, columns)
    totals = {name: Figure(sum(parts, Decimal(0))) for name, parts in columns.items()}
    return QuotaTable(list(units), dict(letters.quotas), values, totals)


def _required(figures: Sequence[Decimal | None]) -> list[Decimal]:
    """A quota's source column, which the reader made sure is filled in for every unit: its
    numbers made once here (the column makes each when read, and a split reads it again and
    again), freed with the quotas before any letter is written."""
    made = list(figures)
    if any(figure is None for figure in made):
        raise ValueError("a quota's column has a blank cell the workbook reader let through")
    return made  # type: ignore[return-value]


def _quota(quota: Quota, figures: Sequence[Decimal], units: Sequence[str]) -> Sequence[Decimal]:
    if quota.column is not None:
        return figures
    if quota.tiers:
        return _check_total(quota, tiered(quota, figures, units), f"按{quota.by}分档")
    if quota.per is None:
        assert quota.total is not None
        return allocation.proportional(
            quota.total, figures, decimals=quota.decimals, minimum=quota.minimum
        )
    parts = allocation.per_base(
        figures, quota.per, decimals=quota.decimals, minimum=quota.minimum, rounding=quota.rounding
    )
    return _check_total(quota, parts, f"按每 {number(quota.per)} {quota.by}一个计算")


def tiered(quota: Quota, figures: Sequence[Decimal], units: Sequence[str]) -> list[Decimal]:
    """Each unit's quota from the highest tier its base reaches (``5万人以上30例，以下20例``)."""
    tiers = sorted(quota.tiers, key=lambda tier: tier.at_least, reverse=True)
    parts = []
    for unit, base in zip(units, figures, strict=True):
        tier = next((t for t in tiers if base >= t.at_least), None)
        if tier is None:
            raise allocation.AllocationError(
                f"{unit}的{quota.by} {number(base)} 低于最低一档的下限 {number(tiers[-1].at_least)}；"
                "请给最低一档去掉 at_least（从 0 起），或核对指标表"
            )
        parts.append(tier.quota)
    return parts


def _check_total(quota: Quota, parts: list[Decimal], how: str) -> list[Decimal]:
    if quota.total is not None and sum(parts) != quota.total:
        raise allocation.AllocationError(
            f"{how}，各单位合计为 {number(sum(parts))}{quota.unit}，"
            f"与写明的总数 {number(quota.total)}{quota.unit} 不符。请核对指标表的“{quota.by}”列，"
            "或改正总数（也可以不写总数，由各单位相加得出）"
        )
    return parts


def _figures(parts: Iterable[Decimal], shared: dict[tuple[Any, ...], Figure]) -> list[Figure]:
    """A quota's parts as figures, equal ones one object (``shared``, across quotas): the
    quotas of ten thousand units are a few distinct numbers, each computed part let go at
    once."""
    figures = []
    for part in parts:
        key = part.as_tuple()
        figure = shared.get(key)
        if figure is None:
            figure = shared[key] = Figure(part)
        figures.append(figure)
    return figures


def _unit_values(
    units: Sequence[str], columns: dict[str, list[Figure]]
) -> dict[str, dict[str, Decimal]]:
    """unit → quota name → quota. Units with the same quotas share one mapping (read only):
    ten thousand units then hold little more than their names."""
    rows: dict[tuple[int, ...], dict[str, Decimal]] = {}
    values = {}
    for i, unit in enumerate(units):
        row: dict[str, Decimal] = {name: column[i] for name, column in columns.items()}
        values[unit] = rows.setdefault(tuple(map(id, row.values())), row)
    return values
