"""Quota allocation: parts that add up exactly, per-N rules with a minimum, documented ties."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from huiwu.figures.allocation import AllocationError, per_base, proportional
from hypothesis import given
from hypothesis import strategies as st

D = Decimal

# Seed 003 part 5 prints fee quotas adding up to 2200万元 and case quotas adding up to 94.
# The base figures are invented (data/responsibility-letters), chosen to give exactly these.
LAST_YEAR = [
    230.8,
    168.0,
    187.2,
    202.4,
    154.7,
    113.8,
    145.4,
    166.6,
    114.2,
    91.3,
    97.9,
    132.8,
    98.2,
    10.4,
]
FEES = [265, 193, 215, 233, 178, 131, 167, 191, 131, 105, 113, 153, 113, 12]
POPULATION = [
    107624,
    83581,
    90506,
    102412,
    72170,
    54781,
    67483,
    93547,
    64236,
    47036,
    53295,
    59395,
    51991,
    3862,
]
CASES = [11, 8, 9, 10, 7, 5, 7, 9, 6, 5, 5, 6, 5, 1]


def test_seed_fees_come_out_as_printed():
    fees = proportional(D(2200), [D(str(x)) for x in LAST_YEAR])
    assert fees == [D(x) for x in FEES]
    assert sum(fees) == 2200


def test_seed_cases_one_per_ten_thousand_people_at_least_one():
    cases = per_base([D(x) for x in POPULATION], D(10000), minimum=D(1))
    assert cases == [D(x) for x in CASES]
    assert sum(cases) == 94
    assert per_base([D(3862)], D(10000)) == [D(0)], "the farm gets its one case from the minimum"


@given(
    total=st.integers(0, 10**6),
    bases=st.lists(st.integers(0, 10**7), min_size=1, max_size=40).filter(lambda b: sum(b) > 0),
)
def test_largest_remainder_parts_add_up_and_stay_within_one_of_the_exact_share(total, bases):
    parts = proportional(D(total), [D(b) for b in bases])
    assert sum(parts) == total
    for part, base in zip(parts, bases, strict=True):
        exact = Fraction(total * base, sum(bases))
        assert exact - 1 < part < exact + 1


@given(
    total=st.integers(0, 10**5),
    bases=st.lists(st.integers(0, 10**6), min_size=1, max_size=30).filter(lambda b: sum(b) > 0),
    minimum=st.integers(0, 50),
)
def test_a_minimum_is_respected_and_the_total_still_adds_up(total, bases, minimum):
    if minimum * len(bases) > total:
        with pytest.raises(AllocationError, match="超过了总数"):
            proportional(D(total), [D(b) for b in bases], minimum=D(minimum))
        return
    parts = proportional(D(total), [D(b) for b in bases], minimum=D(minimum))
    assert sum(parts) == total
    assert all(part >= minimum for part in parts)


def test_small_units_get_the_minimum_and_the_others_share_the_rest():
    parts = proportional(D(100), [D(1), D(2), D(97)], minimum=D(5))
    assert parts == [D(5), D(5), D(90)]


def test_equal_remainders_go_to_the_larger_base_then_to_the_unit_listed_first():
    # 10 × 1/3 each: remainders equal, one step left; the larger base wins it.
    assert proportional(D(10), [D(1), D(1), D(1)]) == [D(4), D(3), D(3)]
    # 3 × (2, 1, 1)/4 = 1.5, 0.75, 0.75 → floors 1, 0, 0; two steps left.
    assert proportional(D(3), [D(2), D(1), D(1)]) == [D(1), D(1), D(1)]
    # equal remainders 0.5, bases 3 and 1: the larger base first, wherever it is listed.
    assert proportional(D(2), [D(1), D(3)]) == [D(0), D(2)]
    assert proportional(D(1), [D(1), D(1)]) == [D(1), D(0)]


def test_decimals_split_to_the_step():
    parts = proportional(D("10.0"), [D(1), D(1), D(1)], decimals=1)
    assert parts == [D("3.4"), D("3.3"), D("3.3")] and sum(parts) == D(10)


@pytest.mark.parametrize(
    ("rounding", "expected"),
    [("四舍五入", [2, 2, 3]), ("进一", [2, 3, 3]), ("去尾", [1, 2, 2])],
)
def test_per_base_rounding(rounding, expected):
    assert per_base([D(15000), D(24999), D(25000)], D(10000), rounding=rounding) == [
        D(x) for x in expected
    ]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: proportional(D(5), [D(0), D(0)]), "基数合计为 0"),
        (lambda: proportional(D(5), [D(-1), D(3)]), "不能是负数"),
        (lambda: proportional(D("2.5"), [D(1)]), "整数"),
        (lambda: proportional(D(5), [D(1)], decimals=1, minimum=D("0.25")), "1 位小数"),
        (lambda: per_base([D(1)], D(0)), "正数"),
    ],
)
def test_impossible_splits_say_why(call, message):
    with pytest.raises(AllocationError, match=message):
        call()
