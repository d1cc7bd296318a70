"""Split a total over units so that the parts add up exactly: the quotas of responsibility letters.

Two rules, in exact arithmetic (Decimal in and out, integers and fractions inside):

- **proportional** (按比例): each unit's share of the total in proportion to its base figure
  (population, last year's collection …), rounded down to the quota's step (1, or 0.1 with one
  decimal …); the steps left over go one each to the units with the largest remainders (the
  largest-remainder or Hamilton method), so the parts always add up to the total. With a
  minimum, a unit whose share would fall below it gets the minimum and the rest of the total
  is divided among the others in the same way.
- **per base** (每N个基数一个, e.g. 每万人查处一例): base ÷ N, rounded 四舍五入 (half up), 进一
  (up) or 去尾 (down), and at least the minimum. The total is what the parts add up to.

Ties: when two remainders are equal, the unit with the larger base gets the step first; when
the bases are equal too, the unit listed first. The same figures therefore always give the same
quotas, and a reader can check them by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Literal

Rounding = Literal["四舍五入", "进一", "去尾"]


class AllocationError(ValueError):
    """A total that cannot be split as asked; the message says why, in Chinese."""


def proportional(
    total: Decimal,
    bases: Sequence[Decimal],
    *,
    decimals: int = 0,
    minimum: Decimal | None = None,
) -> list[Decimal]:
    """Split ``total`` in proportion to ``bases`` by the largest-remainder method."""
    step = _step(decimals)
    steps = _in_steps(total, step, "总数")
    floor = _in_steps(minimum, step, "最少") if minimum is not None else 0
    weights = _integers(bases)
    if floor * len(weights) > steps:
        raise AllocationError(
            f"每个单位至少 {minimum}，{len(weights)} 个单位至少要 {_show(floor * len(weights), step)}，"
            f"超过了总数 {total}"
        )
    fixed = _units_at_minimum(steps, weights, floor)
    free = [i for i in range(len(weights)) if i not in fixed]
    parts = dict.fromkeys(fixed, floor)
    parts.update(_largest_remainder(steps - floor * len(fixed), weights, free))
    return [_show(parts[i], step) for i in range(len(weights))]


def per_base(
    bases: Sequence[Decimal],
    per: Decimal,
    *,
    decimals: int = 0,
    minimum: Decimal | None = None,
    rounding: Rounding = "四舍五入",
) -> list[Decimal]:
    """One quota per ``per`` of base (``per=10000``: one per ten thousand people)."""
    if per <= 0:
        raise AllocationError(f"每多少个基数一个，应为正数，现在是 {per}")
    step = _step(decimals)
    floor = _in_steps(minimum, step, "最少") if minimum is not None else None
    counts = []
    divisor = Fraction(per) * Fraction(step)  # the same exact value, divided once a unit
    for base in bases:
        exact = Fraction(base) / divisor
        count = _round(exact, rounding)
        counts.append(max(count, floor) if floor is not None else count)
    return [_show(count, step) for count in counts]


def _units_at_minimum(steps: int, weights: list[int], floor: int) -> set[int]:
    """Units whose proportional share is below the minimum, found until none is left."""
    fixed: set[int] = set()
    while floor:
        free = [i for i in range(len(weights)) if i not in fixed]
        rest = steps - floor * len(fixed)
        weight = sum(weights[i] for i in free)
        if weight == 0:
            break  # nothing to divide by: reported by _largest_remainder
        below = {i for i in free if rest * weights[i] < floor * weight}
        if not below:
            break
        fixed |= below
    return fixed


def _largest_remainder(steps: int, weights: list[int], units: list[int]) -> dict[int, int]:
    if not units:
        return {}
    weight = sum(weights[i] for i in units)
    if weight == 0:
        if steps:
            raise AllocationError("各单位的基数合计为 0，无法按比例分配")
        return dict.fromkeys(units, 0)
    wholes, remainders = [], []
    for i in units:
        whole, remainder = divmod(steps * weights[i], weight)
        wholes.append(whole)
        remainders.append(remainder)
    left = steps - sum(wholes)
    # Largest remainder first, then larger base, then listed first: two stable sorts by one
    # number each, the last sort's key deciding first (no key tuple for each of ten thousand).
    order = sorted(range(len(units)), key=lambda k: weights[units[k]], reverse=True)
    order.sort(key=remainders.__getitem__, reverse=True)
    lucky = set(order[:left])
    return {i: wholes[k] + (1 if k in lucky else 0) for k, i in enumerate(units)}


def _integers(bases: Sequence[Decimal]) -> list[int]:
    """The bases scaled to integers by a common power of ten (exact)."""
    for base in bases:
        if base < 0:
            raise AllocationError(f"基数不能是负数（{base}）")
    places = max((-base.as_tuple().exponent for base in bases), default=0)  # type: ignore[operator]
    scale = 10 ** max(places, 0)
    return [int(base * scale) for base in bases]


def _round(value: Fraction, rounding: Rounding) -> int:
    if rounding == "进一":
        return math.ceil(value)
    if rounding == "去尾":
        return math.floor(value)
    return math.floor(value + Fraction(1, 2))


def _step(decimals: int) -> Decimal:
    if not 0 <= decimals <= 6:
        raise AllocationError(f"小数位数应在 0 到 6 之间，现在是 {decimals}")
    return Decimal(1).scaleb(-decimals)


def _in_steps(value: Decimal, step: Decimal, what: str) -> int:
    count = value / step
    if count != count.to_integral_value() or value < 0:
        places = -step.as_tuple().exponent
        rule = "整数" if places == 0 else f"最多 {places} 位小数的数"
        raise AllocationError(f"{what}应为不小于 0 的{rule}，现在是 {value}")
    return int(count)


def _show(count: int, step: Decimal) -> Decimal:
    return (Decimal(count) * step).quantize(step)
