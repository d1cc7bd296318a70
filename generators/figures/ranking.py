"""Rank units on weighted indicators: composite scores, shared ranks (并列), and flags."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from huiwu.figures.indicators import Measure, Results
from huiwu.model import Definition, Ranking
from huiwu.text.cn import round_half_up

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Row:
    """One unit in the ranking table."""

    rank: int
    unit: str
    measures: dict[str, Measure]
    score: Decimal
    flags: list[str]
    tied: bool

    @property
    def rank_text(self) -> str:
        """``3`` or ``3（并列）``."""
        return f"{self.rank}（并列）" if self.tied else str(self.rank)


@dataclass(frozen=True)
class Table:
    """The whole ranking, best first."""

    rows: list[Row]
    indicators: list[str]
    weights: dict[str, Decimal]

    def top(self, n: int = 3) -> list[str]:
        """The units ranked 1..n (more when ties straddle n)."""
        return [row.unit for row in self.rows if row.rank <= n]

    def flagged(self, label: str) -> list[str]:
        """Units carrying ``label``, in ranking order."""
        return [row.unit for row in self.rows if label in row.flags]


def competition_ranks(values: Sequence[Decimal | None], *, higher_is_better: bool) -> list[int]:
    """Standard competition ranks (1, 2, 2, 4): equal values share a rank; None ranks last."""

    def key(value: Decimal | None) -> tuple[int, Decimal]:
        if value is None:
            return (1, Decimal(0))
        return (0, -value if higher_is_better else value)

    keys = [key(v) for v in values]
    ordered = sorted(keys)
    # Rank = 1 + how many are strictly better: the insertion point among the sorted keys.
    return [1 + bisect_left(ordered, mine) for mine in keys]


def weights(definition: Definition, names: Sequence[str]) -> dict[str, Decimal]:
    """Each ranked indicator's points; equal shares of 100 when no weights are given."""
    given = {name: definition.indicators[name].weight for name in names}
    if all(weight is None for weight in given.values()):
        share = HUNDRED / len(names) if names else Decimal(0)
        return dict.fromkeys(names, share)
    return {name: weight or Decimal(0) for name, weight in given.items()}


def rank_units(definition: Definition, results: Results) -> Table:
    """Score, rank and flag every unit according to ``definition.ranking``."""
    config = definition.ranking
    assert config is not None
    names = list(config.indicators)
    points = weights(definition, names)
    fractions = {name: _fractions(config, name, results, points[name]) for name in names}
    scores = {
        unit: round_half_up(sum((points[n] * fractions[n][unit] for n in names), Decimal(0)), 2)
        for unit in results.units
    }
    units = list(results.units)
    keys = [_order_key(config, scores[unit], results.units[unit]) for unit in units]
    ranks = dict(zip(units, _ranks(keys), strict=True))
    # sorted() is stable: units sharing a rank keep their workbook order.
    ordered = sorted(units, key=ranks.__getitem__)
    sharing = Counter(ranks.values())
    tied = {unit for unit in units if sharing[ranks[unit]] > 1}
    flags = _flags(config, ordered, ranks, scores, results)
    rows = [
        Row(ranks[unit], unit, results.units[unit], scores[unit], flags[unit], unit in tied)
        for unit in ordered
    ]
    return Table(rows, names, points)


def _order_key(
    config: Ranking, score: Decimal, measures: dict[str, Measure]
) -> tuple[tuple[int, Decimal], ...]:
    """What ranks a unit: its score, then each tie-break indicator (smaller key = better)."""
    key = [(0, -score)]
    for name in config.tie_break:
        measure = measures[name]
        if measure.value is None:
            key.append((1, Decimal(0)))
        else:
            key.append((0, -measure.value if measure.spec.better == "higher" else measure.value))
    return tuple(key)


def _ranks(keys: Sequence[tuple[tuple[int, Decimal], ...]]) -> list[int]:
    """Competition ranks of the keys: 1 + how many are strictly better; equal keys share."""
    ordered = sorted(keys)
    return [1 + bisect_left(ordered, mine) for mine in keys]


def _fractions(config: Ranking, name: str, results: Results, points: Decimal) -> dict[str, Decimal]:
    """The share (0..1) of an indicator's points each unit earns."""
    measures = {unit: results.units[unit][name] for unit in results.units}
    if config.scoring == "扣分":
        return _deducted(measures, points)
    return _SCORERS[config.scoring](measures)


def _deducted(measures: dict[str, Measure], points: Decimal) -> dict[str, Decimal]:
    """``每低于目标1个百分点扣X分``: the points left after the deduction, as a share of them.

    The gap is taken in the indicator's own unit (percentage points for a percentage, units
    for a count) and deducted in proportion; a unit cannot lose more than the points."""
    shares = {}
    for unit, measure in measures.items():
        deduct = measure.spec.deduct
        if measure.value is None or measure.target is None or deduct is None or points <= 0:
            shares[unit] = Decimal(0) if measure.value is None else Decimal(1)
            continue
        gap = measure.target - measure.value
        if measure.spec.better == "lower":
            gap = -gap
        lost = min(max(gap, Decimal(0)) * deduct, points)
        shares[unit] = (points - lost) / points
    return shares


def _met(measures: dict[str, Measure]) -> dict[str, Decimal]:
    return {unit: Decimal(1 if m.meets_target else 0) for unit, m in measures.items()}


def _proportional(measures: dict[str, Measure]) -> dict[str, Decimal]:
    """Reaching the target (or, without one, the best unit's figure) earns all the points."""
    present = [m.value for m in measures.values() if m.value is not None]
    best = {"higher": max(present, default=Decimal(0)), "lower": min(present, default=Decimal(0))}
    return {
        unit: _share(m, m.target if m.target is not None else best[m.spec.better])
        for unit, m in measures.items()
    }


def _share(measure: Measure, reference: Decimal) -> Decimal:
    value = measure.value
    if value is None:
        return Decimal(0)
    if measure.spec.better == "higher":
        return Decimal(1) if reference <= 0 else min(value / reference, Decimal(1))
    if value <= 0:
        return Decimal(1)
    return min(reference / value, Decimal(1))


def _by_rank(measures: dict[str, Measure]) -> dict[str, Decimal]:
    """(n − place + 1)/n: the first of n units earns all the points, the last 1/n."""
    units = list(measures)
    if not units:
        return {}
    higher = measures[units[0]].spec.better == "higher"
    places = competition_ranks([measures[u].value for u in units], higher_is_better=higher)
    count = Decimal(len(units))
    return {unit: (count - place + 1) / count for unit, place in zip(units, places, strict=True)}


_SCORERS: dict[str, Callable[[dict[str, Measure]], dict[str, Decimal]]] = {
    "达标": _met,
    "比例": _proportional,
    "排名": _by_rank,
}


def _flags(
    config: Ranking,
    ordered: list[str],
    ranks: dict[str, int],
    scores: dict[str, Decimal],
    results: Results,
) -> dict[str, list[str]]:
    flags: dict[str, list[str]] = {unit: [] for unit in ordered}
    count = len(ordered)
    for rule in config.flags:
        for unit in ordered:
            hit = False
            if rule.bottom is not None:
                # Units tied with the last of the bottom N are in too: a tie is not broken by luck.
                threshold_rank = ranks[ordered[max(0, count - rule.bottom)]] if count else 0
                hit = ranks[unit] >= threshold_rank
            if rule.below is not None and scores[unit] < rule.below:
                hit = True
            if any(results.units[unit][name].meets_target is False for name in rule.misses_target):
                hit = True
            if hit and rule.label not in flags[unit]:
                flags[unit].append(rule.label)
    return flags
