"""Compute every indicator for every unit and for the whole area, in Decimal arithmetic.

Totals sum the counts first and then compute the rate — never an average of the units' rates.
Values are rounded half up to the indicator's decimals; differences (个百分点) are taken between
the rounded figures a reader sees, so that a report's arithmetic checks out by hand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from huiwu.errors import InputError, Location, Problem, Severity
from huiwu.figures.workbook import Sheet, SheetRequest, WorkbookData, union
from huiwu.model import Definition, Indicator
from huiwu.model.indicators import Base
from huiwu.text.cn import round_half_up
from huiwu.text.phrasing import format_value

_SCALE = {"percent": Decimal(100), "permille": Decimal(1000), "ratio100": Decimal(100)}


@dataclass(frozen=True)
class Comparison:
    """A base-period figure an indicator is compared with (rounded like the indicator)."""

    base: Base
    value: Decimal | None


@dataclass(frozen=True)
class Measure:
    """One indicator for one unit or for the whole area."""

    name: str
    spec: Indicator
    area: str
    value: Decimal | None
    """Rounded to the indicator's decimals; None when it cannot be computed (e.g. 0/0)."""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    bases: tuple[Comparison, ...] = ()
    target: Decimal | None = None

    @property
    def meets_target(self) -> bool | None:
        """Whether the target is met; None without a target or a value."""
        if self.value is None or self.target is None or self.spec.target is None:
            return None
        if self.spec.target.floor is not None:
            return self.value >= self.target
        return self.value <= self.target

    def __str__(self) -> str:
        return format_value(self)


@dataclass(frozen=True)
class Results:
    """All measures: for the area as a whole, and per unit in workbook order."""

    area: str
    total: dict[str, Measure]
    units: dict[str, dict[str, Measure]]
    column_totals: dict[str, Decimal] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    """Figures that compute but make little sense (a part larger than its whole)."""

    def unit_names(self) -> list[str]:
        """Units in workbook order."""
        return list(self.units)


def sheet_requests(definition: Definition) -> tuple[SheetRequest, list[SheetRequest]]:
    """What the definition needs from the workbook: the data sheet and any base sheets."""
    indicators = definition.indicators
    columns = union(
        *([c.column for c in spec.source_columns()] for spec in indicators.values()),
        [name for name in table_columns(definition) if name not in indicators],
    )
    counts = union(
        *(
            [c.column for c in (spec.numerator, spec.denominator) if c is not None]
            for spec in indicators.values()
        )
    )
    current = SheetRequest(definition.workbook.sheet, columns, non_negative=counts)
    periods = union(
        base.period for spec in indicators.values() for base in spec.base if base.period
    )
    bases = [
        SheetRequest(
            period,
            required=[],
            optional=[*indicators, *columns],
            all_units=False,
            typed_rates=True,
        )
        for period in periods
    ]
    return current, bases


def table_columns(definition: Definition) -> list[str]:
    """The columns of the tables of one row per unit in the report and the speech."""
    names: list[str] = []
    for document in (definition.report, definition.speech):
        if document is not None:
            names += _table_columns(document.sections)
    return names


def _table_columns(sections: list) -> list[str]:
    names = []
    for section in sections:
        for paragraph in section.paragraphs:
            if paragraph.table is not None:
                names += paragraph.table.columns
        names += _table_columns(section.sections)
    return names


Rows = dict[str, dict[str, Decimal]]
"""``unit → column → value`` of one sheet."""


@dataclass(frozen=True)
class _Snapshot:
    """Every sheet's values unit by unit, made once for the computation: a sheet keeps
    columns and makes a value when it is read, and each indicator reads every unit's."""

    current: Rows
    bases: dict[str, Rows]
    targets: Rows

    @classmethod
    def of(cls, data: WorkbookData) -> _Snapshot:
        """The rows of every sheet of ``data``."""
        targets = _plain(data.targets) if data.targets is not None else {}
        bases = {period: _plain(sheet) for period, sheet in data.bases.items()}
        return cls(_plain(data.current), bases, targets)


def _plain(sheet: Sheet) -> Rows:
    return dict(sheet.rows.items())  # each row a dict of its own, made once here


def compute(definition: Definition, data: WorkbookData) -> Results:
    """Every indicator for the area and for each unit of ``data``."""
    area = definition.workbook.area
    problems: list[Problem] = []
    rows = _Snapshot.of(data)
    column_totals = _column_totals(data.current, rows.current)
    total = {}
    units: dict[str, dict[str, Measure]] = {unit: {} for unit in data.units}
    for name, spec in definition.indicators.items():
        total_bases = [
            (base, _total_base(name, base, spec, data, rows, problems)) for base in spec.base
        ]
        total[name] = _measure(
            name, spec, area, column_totals, total_bases, _target(spec, None, rows, None)
        )
        for unit, row in rows.current.items():
            unit_bases = [(base, _unit_base(name, base, spec, rows, unit)) for base in spec.base]
            units[unit][name] = _measure(
                name, spec, unit, row, unit_bases, _target(spec, unit, rows, name)
            )
    if problems:
        raise InputError(problems)
    warnings = [
        *_parts_above_whole(definition, data, rows.current),
        *_rates_without_a_whole(definition, data, rows.current),
    ]
    return Results(area, total, units, column_totals, warnings)


_PARTS = ("percent", "permille")
"""Rates of a part to its whole (符合率, 出生率); a ratio (性别比) may exceed its base."""


def _parts_above_whole(definition: Definition, data: WorkbookData, rows: Rows) -> Iterator[Problem]:
    """A rate's numerator larger than its denominator, unit by unit: 150 policy births out of
    100 births is a typing error far more often than a fact. A warning, because some rates
    (a 完成率 of collected to planned) may pass 100%."""
    sheet = data.current
    for name, spec in definition.indicators.items():
        if spec.compute not in _PARTS or spec.numerator is None or spec.denominator is None:
            continue
        part, whole = spec.numerator.column, spec.denominator.column
        for unit, row in rows.items():
            if part in row and whole in row and row[part] > row[whole]:
                address = sheet.cell(unit, part).partition("!")[2]
                yield Problem(
                    f"{unit}的“{part}”（{row[part].normalize():f}）大于“{whole}”"
                    f"（{row[whole].normalize():f}），{name}会超过"
                    f"{'100%' if spec.compute == 'percent' else '1000‰'}，请核对",
                    Location(data.path, sheet=sheet.name, cell=address),
                    severity=Severity.WARNING,
                )


def _rates_without_a_whole(
    definition: Definition, data: WorkbookData, rows: Rows
) -> Iterator[Problem]:
    """A unit whose denominator is 0: its rate cannot be computed, the documents print "—"
    and a ranking counts it as the worst; said, so that a missing figure is not taken for a
    real zero without a word."""
    sheet = data.current
    for name, spec in definition.indicators.items():
        if spec.numerator is None or spec.denominator is None:
            continue
        whole = spec.denominator.column
        for unit, row in rows.items():
            if whole in row and row[whole] == 0:
                address = sheet.cell(unit, whole).partition("!")[2]
                yield Problem(
                    f"{unit}的“{whole}”为 0，{name}无法计算：材料里写作“—”，"
                    "排名时这一项按最差计。请核对是否漏填",
                    Location(data.path, sheet=sheet.name, cell=address),
                    severity=Severity.WARNING,
                )


def _column_totals(sheet: Sheet, rows: Rows) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {column: Decimal(0) for column in sheet.columns}
    for row in rows.values():
        for column, value in row.items():
            totals[column] += value
    return totals


def _measure(
    name: str,
    spec: Indicator,
    area: str,
    row: Mapping[str, Decimal],
    bases: list[tuple[Base, Decimal | None]],
    target: Decimal | None,
) -> Measure:
    numerator = denominator = None
    if spec.compute in _SCALE:
        assert spec.numerator is not None and spec.denominator is not None
        numerator = row.get(spec.numerator.column)
        denominator = row.get(spec.denominator.column)
        exact = _ratio(numerator, denominator, _SCALE[spec.compute])
    elif spec.compute == "value":
        assert spec.column is not None
        exact = row.get(spec.column.column)
    else:
        parts = [row.get(column.column) for column in spec.columns]
        exact = None if any(p is None for p in parts) else sum(parts, Decimal(0))  # type: ignore[arg-type]
    value = None if exact is None else round_half_up(exact, spec.decimals)
    comparisons = tuple(
        Comparison(base, None if figure is None else round_half_up(figure, spec.decimals))
        for base, figure in bases
    )
    return Measure(name, spec, area, value, numerator, denominator, comparisons, target)


def _ratio(
    numerator: Decimal | None, denominator: Decimal | None, scale: Decimal
) -> Decimal | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * scale


def _total_base(
    name: str,
    base: Base,
    spec: Indicator,
    data: WorkbookData,
    rows: _Snapshot,
    problems: list[Problem],
) -> Decimal | None:
    if base.value is not None:
        return base.value
    period = base.period or ""
    sheet = data.bases.get(period)
    if sheet is None:
        problems.append(
            Problem(
                f"指标“{name}”要与{base.period}比较，但指标表里没有名为“{base.period}”的工作表",
                Location(data.path),
            )
        )
        return None
    if sheet.totals is not None:
        if name in sheet.totals:
            return sheet.totals[name]
        from_total_row = _measure(name, spec, "", sheet.totals, [], None).value
        if from_total_row is not None:
            return from_total_row
    base_rows = rows.bases[period]
    computed = _measure(name, spec, "", _column_totals(sheet, base_rows), [], None).value
    missing = [unit for unit in data.units if unit not in base_rows]
    if computed is not None and not missing:
        return computed
    problems.append(_no_total_base(name, sheet, data, computed is None, missing))
    return None


def _no_total_base(
    name: str, sheet: Sheet, data: WorkbookData, incomputable: bool, missing: list[str]
) -> Problem:
    """Why a base sheet gives no area-wide figure for ``name``, and where to add it."""
    if incomputable and name not in sheet.columns:
        return Problem(
            f"工作表“{sheet.name}”里既没有“{name}”一列，也没有计算它所需的各列",
            Location(data.path, sheet=sheet.name, cell="1:1"),
        )
    total_cell = sheet.total_cell(name)
    if total_cell is not None:
        return Problem(
            f"合计行的“{name}”是空的：请填上全辖区的基期值",
            Location(data.path, sheet=sheet.name, cell=total_cell),
        )
    # Summing the counts of only some units would give a wrong area figure without a word.
    reason = (
        f"缺少{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}的数据，" if missing else ""
    )
    return Problem(
        f"工作表“{sheet.name}”{reason}无法得出全辖区的基期值：请加一行，第一列写“合计”，"
        f"填上“{name}”的基期值",
        Location(data.path, sheet=sheet.name),
    )


def _unit_base(
    name: str, base: Base, spec: Indicator, rows: _Snapshot, unit: str
) -> Decimal | None:
    sheet = rows.bases.get(base.period or "")
    if sheet is None:
        return None
    row = sheet.get(unit)
    if row is None:
        return None
    if name in row:
        return row[name]
    return _measure(name, spec, unit, row, [], None).value


def _target(spec: Indicator, unit: str | None, rows: _Snapshot, name: str | None) -> Decimal | None:
    if unit is not None and name is not None:
        value = rows.targets.get(unit, {}).get(name)
        if value is not None:
            return value
    return spec.target.bound if spec.target is not None else None
