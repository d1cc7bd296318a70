"""Rostrum seating: the 党政 rule for 1 to 12 seats, several rows and the host."""

from __future__ import annotations

import pytest
from huiwu.documents.seating import assign_rows, centre_offset, row_order, seat_rows
from hypothesis import given
from hypothesis import strategies as st

# As seen from the audience, left to right (shared/GBT9704.md): 1 in the centre, 2 at 1's own
# left (the audience's right), 3 at 1's right, alternating outward; even rows share the centre.
LEFT_IS_SENIOR = {
    1: [1],
    2: [1, 2],
    3: [3, 1, 2],
    4: [3, 1, 2, 4],
    5: [5, 3, 1, 2, 4],
    6: [5, 3, 1, 2, 4, 6],
    7: [7, 5, 3, 1, 2, 4, 6],
    8: [7, 5, 3, 1, 2, 4, 6, 8],
    9: [9, 7, 5, 3, 1, 2, 4, 6, 8],
    10: [9, 7, 5, 3, 1, 2, 4, 6, 8, 10],
    11: [11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10],
    12: [11, 9, 7, 5, 3, 1, 2, 4, 6, 8, 10, 12],
}


@pytest.mark.parametrize("n", sorted(LEFT_IS_SENIOR))
def test_left_is_senior_as_seen_from_the_audience(n):
    assert row_order(n) == LEFT_IS_SENIOR[n]
    assert row_order(n, "以左为上") == LEFT_IS_SENIOR[n]


@pytest.mark.parametrize("n", sorted(LEFT_IS_SENIOR))
def test_right_is_senior_mirrors_it(n):
    assert row_order(n, "以右为上") == LEFT_IS_SENIOR[n][::-1]


def test_the_documented_examples():
    assert " ".join(map(str, row_order(7))) == "7 5 3 1 2 4 6"
    assert " ".join(map(str, row_order(8))) == "7 5 3 1 2 4 6 8"
    assert " ".join(map(str, row_order(7, "以右为上"))) == "6 4 2 1 3 5 7"


@pytest.mark.parametrize("n", sorted(LEFT_IS_SENIOR))
def test_every_seat_is_used_once(n):
    assert sorted(row_order(n)) == list(range(1, n + 1))


def test_centre_line_between_the_middle_seats_or_through_seat_one():
    assert centre_offset(row_order(7)) == 7, "through the middle of seat 1 (3.5 seats in)"
    assert centre_offset(row_order(8)) == 8, "between 1 and 2"
    assert centre_offset(row_order(8), "一号居中") == 7, "through the middle of seat 1"
    assert centre_offset(row_order(8, "以右为上"), "一号居中") == 9
    assert centre_offset(row_order(7), "一号居中") == 7, "odd rows are centred on 1 anyway"


def test_rows_fill_front_first_in_rank_order():
    assert assign_rows(list("ABCDEFGHIJK"), [7, 6]) == [list("ABCDEFG"), list("HIJK")]
    assert assign_rows(list("ABC"), [7, 6]) == [list("ABC")], "an empty back row is dropped"


def test_the_host_is_never_in_a_back_row():
    rows = assign_rows(list("ABCDEFGHIJ"), [7, 6], host="I")
    assert rows == [[*"ABCDEF", "I"], list("GHJ")]
    assert assign_rows(list("ABCDE"), [7], host="C") == [list("ABCDE")]


def test_more_people_than_seats_is_refused():
    with pytest.raises(ValueError):
        assign_rows(list("ABCD"), [3])


def test_seat_rows_name_the_people_in_audience_order():
    front, back = seat_rows(list("ABCDEFGHIJK"), [7, 6])
    assert front.people == tuple("GECABDF")
    assert front.ranks == (7, 5, 3, 1, 2, 4, 6)
    assert back.number == 2 and back.people == tuple("JHIK")
    mirrored = seat_rows(list("ABCD"), [4], rule="以右为上", even="一号居中")[0]
    assert mirrored.people == tuple("DBAC") and mirrored.centre == 5


# Properties that hold for every rostrum, whatever its size.

_RULES = st.sampled_from(["以左为上", "以右为上"])


@given(st.integers(0, 60), _RULES)
def test_every_rank_has_exactly_one_seat(n, rule):
    assert sorted(row_order(n, rule)) == list(range(1, n + 1))


@given(st.integers(1, 60), _RULES)
def test_seniority_falls_off_from_the_centre_on_both_sides(n, rule):
    order = row_order(n, rule)
    one = order.index(1)
    left, right = order[:one][::-1], order[one + 1 :]
    assert left == sorted(left) and right == sorted(right), "outward, ranks only get lower"
    assert abs(len(left) - len(right)) <= 1, "the row is balanced around seat 1"


@given(st.integers(1, 60))
def test_the_two_rules_mirror_each_other(n):
    assert row_order(n, "以右为上") == row_order(n, "以左为上")[::-1]


@given(st.integers(1, 60))
def test_rank_two_sits_at_ones_own_left(n):
    order = row_order(n, "以左为上")
    if n >= 2:
        # the seated leader's left is the audience's right: the next seat to the right
        assert order.index(2) == order.index(1) + 1


@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=4),
    st.integers(0, 40),
    st.data(),
)
def test_rows_fill_front_first_and_keep_the_host_in_front(capacities, count, data):
    count = min(count, sum(capacities))
    people = [f"人{i}" for i in range(1, count + 1)]
    host = data.draw(st.sampled_from([None, *people]))
    rows = seat_rows(people, capacities, host=host)
    seated = [person for row in rows for person in row.people]
    assert sorted(seated) == sorted(people), "everyone is seated once"
    assert [len(row.people) for row in rows] == [
        size
        for size in (min(c, max(0, count - sum(capacities[:i]))) for i, c in enumerate(capacities))
        if size
    ]
    if not rows:
        return
    if host is not None:
        assert host in rows[0].people, "the host is never in a back row"
    front_ranks = [people.index(p) for p in rows[0].people if p != host]
    back_ranks = [people.index(p) for row in rows[1:] for p in row.people if p != host]
    if front_ranks and back_ranks:
        assert max(front_ranks) < min(back_ranks) or host is not None
