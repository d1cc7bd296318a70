"""The names text fields may use: indicators, per-unit figures, column totals, the ranking.

``{{ 出生政策符合率 }}`` is the area's measure (printed as ``91.24%``); ``{{ 各单位.城关镇.出生政策符合率 }}``
a unit's; ``{{ 合计.出生人数 }}`` a column total; ``{{ 排名.前三名 | cn_join }}`` the best units.
"""

from __future__ import annotations

from typing import Any

from huiwu.errors import ValueProblem
from huiwu.figures.indicators import Results
from huiwu.figures.ranking import Table
from huiwu.model import Definition


class MissingWorkbook(ValueProblem):
    """An indicator was used in a text but no workbook was given."""


class NoData:
    """Stands for a workbook figure when no workbook was read; any use says what is missing."""

    def __init__(self, name: str) -> None:
        self.name = name

    @property
    def message(self) -> str:
        """What to tell the user who used this name."""
        return f"用到了“{self.name}”，但没有指定指标表：请用 --data 指定，或在 workbook.file 写明"

    def __str__(self) -> str:
        raise MissingWorkbook(self.message)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("_"):
            raise AttributeError(attribute)
        return self


WORKBOOK_NAMES = ("各单位", "合计", "单位数", "排名")
"""Names, besides the indicators, that only a workbook gives values to."""


def namespace(
    definition: Definition, results: Results | None, table: Table | None
) -> dict[str, Any]:
    """Names for text expressions, beyond ``year``, ``date`` and ``meeting``."""
    if results is None:
        if not definition.indicators:
            return {}
        return {name: NoData(name) for name in (*definition.indicators, *WORKBOOK_NAMES)}
    names: dict[str, Any] = dict(results.total)
    names["各单位"] = results.units
    names["合计"] = {column: total for column, total in results.column_totals.items()}
    names["单位数"] = len(results.units)
    if table is not None:
        flags = {
            rule.label: table.flagged(rule.label)
            for rule in (definition.ranking.flags if definition.ranking else [])
        }
        names["排名"] = {
            "前三名": table.top(3),
            "第一名": table.top(1),
            "末位": [table.rows[-1].unit] if table.rows else [],
            "标记": flags,
            "表": table.rows,
        }
    return names
