"""Rostrum seating by the 党政 rule: who sits where, as seen from the audience.

Pure functions on ranked lists, no I/O. The rule (shared/GBT9704.md): front row above back,
centre above sides, left above right — "left" being the seated leaders' own left, which is the
audience's right. With an odd count 1 sits in the centre, 2 at 1's left, 3 at 1's right, and so
on outward; with an even count 1 and 2 share the centre (2 at 1's left) and the rest alternate.
Seen from the audience, 7 seats read ``7 5 3 1 2 4 6`` and 8 seats ``7 5 3 1 2 4 6 8``.
以右为上 (international and business meetings) mirrors these.

Both even-count variants give the same order; they differ in where the centre of the stage is:
between 1 and 2 (``两人居中``), or through 1 with an extra seat at one end (``一号居中``, used when
1 outranks 2 by a grade).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Rule = Literal["以左为上", "以右为上"]
EvenCentre = Literal["两人居中", "一号居中"]


def row_order(n: int, rule: Rule = "以左为上") -> list[int]:
    """The in-row ranks of ``n`` seats from the audience's left to right.

    >>> row_order(7)
    [7, 5, 3, 1, 2, 4, 6]
    >>> row_order(8, "以右为上")
    [8, 6, 4, 2, 1, 3, 5, 7]
    """
    if n < 0:
        raise ValueError(f"座位数不能为负：{n}")
    # Odd ranks sit at the leaders' right (the audience's left), outward; even ranks at their left.
    audience_left = list(range(n - (n % 2 == 0), 0, -2))
    audience_right = list(range(2, n + 1, 2))
    order = audience_left + audience_right
    return order if rule == "以左为上" else order[::-1]


def centre_offset(order: Sequence[int], even: EvenCentre = "两人居中") -> int:
    """Where the stage's centre line falls, in half-seats from the row's left end.

    An odd row is centred on its middle seat, an even row between its two middle seats — unless
    ``一号居中`` puts the centre through seat 1.
    """
    n = len(order)
    if n % 2 == 0 and even == "一号居中" and n:
        return 2 * order.index(1) + 1
    return n


def assign_rows(
    ranked: Sequence[str], capacities: Sequence[int], host: str | None = None
) -> list[list[str]]:
    """Fill rows front first with people in rank order; the host never sits in a back row.

    A host whose rank would put them further back takes the front row's last seat, and whoever
    held it moves back. Rows left empty are dropped; more people than seats is an error.
    """
    if sum(capacities) < len(ranked):
        raise ValueError(f"{len(ranked)} 人，只有 {sum(capacities)} 个座位")
    people = list(ranked)
    front = capacities[0] if capacities else 0
    if host in people and people.index(host) >= front > 0:
        people.remove(host)
        people.insert(front - 1, host)
    rows = []
    start = 0
    for capacity in capacities:
        row = people[start : start + capacity]
        if row:
            rows.append(row)
        start += capacity
    return rows


@dataclass(frozen=True)
class SeatRow:
    """One row of the rostrum as seen from the audience."""

    number: int
    """1 for the front row."""
    people: tuple[str, ...]
    """From the audience's left to right."""
    ranks: tuple[int, ...]
    """Each seat's rank within its row (1 the most senior), in the same order."""
    centre: int
    """The stage's centre line, in half-seats from the row's left end."""


def seat_rows(
    ranked: Sequence[str],
    capacities: Sequence[int],
    *,
    rule: Rule = "以左为上",
    even: EvenCentre = "两人居中",
    host: str | None = None,
) -> list[SeatRow]:
    """Seat ``ranked`` people (most senior first) in rows of the given capacities."""
    rows = []
    for number, row in enumerate(assign_rows(ranked, capacities, host), start=1):
        order = row_order(len(row), rule)
        rows.append(
            SeatRow(
                number=number,
                people=tuple(row[rank - 1] for rank in order),
                ranks=tuple(order),
                centre=centre_offset(order, even),
            )
        )
    return rows
