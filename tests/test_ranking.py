"""Composite scores, shared ranks and flags, worked out by hand for four villages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from huiwu.definition.load import load_definition
from huiwu.figures.inputs import prepare
from huiwu.figures.ranking import Table, competition_ranks
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, MEETING_HEAD, make_workbook, run_cli

DEFINITION = (
    MEETING_HEAD
    + """\
workbook: {area: 全镇}
units: [东村, 西村, 南村, 北村]
indicators:
  符合率: {compute: percent, numerator: 政策内, denominator: 出生, target: {floor: 90}, weight: 60}
  多孩率:
    compute: percent
    numerator: 多孩
    denominator: 出生
    better: lower
    target: {ceiling: 2}
    weight: 40
ranking:
  to: 各村
  issuer: 镇政府
  date: 2012-12-20
  indicators: [符合率, 多孩率]
"""
)
# Each village reports 100 births, so the rates are the counts: 符合率 95/90/80/85, 多孩率 1/3/0/4.
DISTINCT = [["东村", 100, 95, 1], ["西村", 100, 90, 3], ["南村", 100, 80, 0], ["北村", 100, 85, 4]]


def ranking(tmp_path, write_yaml, rows, extra: str = "") -> Table:
    definition = write_yaml(DEFINITION + extra)
    sheet = [["单位", "出生", "政策内", "多孩"], *rows]
    data = make_workbook(tmp_path / "指标.xlsx", {"数据": sheet})
    table = prepare(load_definition(definition), data).ranking
    assert table is not None
    return table


def scores(table: Table) -> list[tuple[str, str, str]]:
    return [(row.rank_text, row.unit, f"{row.score:.2f}") for row in table.rows]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # 达标: the whole weight for a met target, nothing otherwise.
        ("达标", [("1", "东村", "100.00"), ("2", "西村", "60.00"), ("3", "南村", "40.00")]),
        # 比例: the share of the target reached, at most all of it: 西村 60 + 40 × 2/3,
        # 南村 60 × 80/90 + 40 (no multiple births at all), 北村 60 × 85/90 + 40 × 2/4.
        ("比例", [("1", "东村", "100.00"), ("2", "南村", "93.33"), ("3", "西村", "86.67")]),
        # 排名: (4 − place + 1)/4 of each weight; 符合率 places 东西北南, 多孩率 places 南东西北.
        ("排名", [("1", "东村", "90.00"), ("2", "西村", "65.00"), ("3", "南村", "55.00")]),
    ],
)
def test_composite_scores_by_method(tmp_path, write_yaml, method, expected):
    table = ranking(tmp_path, write_yaml, DISTINCT, f"  scoring: {method}\n")
    last = {"达标": "0.00", "比例": "76.67", "排名": "40.00"}[method]
    assert scores(table) == [*expected, ("4", "北村", last)]


def test_equal_shares_of_100_without_weights(tmp_path, write_yaml):
    unweighted = DEFINITION.replace(", weight: 60}", "}").replace("    weight: 40\n", "")
    definition = write_yaml(unweighted + "  scoring: 达标\n")
    sheet = [["单位", "出生", "政策内", "多孩"], *DISTINCT]
    data = make_workbook(tmp_path / "指标.xlsx", {"数据": sheet})
    table = prepare(load_definition(definition), data).ranking
    assert table.weights == {"符合率": Decimal(50), "多孩率": Decimal(50)}
    assert [row.score for row in table.rows] == [100, 50, 50, 0]


# 西村 and 南村 both meet 符合率 and miss 多孩率: 60 points each, sharing second place.
TIED = [["东村", 100, 95, 1], ["西村", 100, 90, 3], ["南村", 100, 92, 5], ["北村", 100, 85, 4]]


def test_ties_share_a_rank_and_the_next_rank_is_skipped(tmp_path, write_yaml):
    table = ranking(tmp_path, write_yaml, TIED, "  scoring: 达标\n")
    assert scores(table) == [
        ("1", "东村", "100.00"),
        ("2（并列）", "西村", "60.00"),
        ("2（并列）", "南村", "60.00"),
        ("4", "北村", "0.00"),
    ]
    assert table.top(3) == ["东村", "西村", "南村"]
    assert table.top(2) == ["东村", "西村", "南村"], "a tie straddling the cut is kept whole"


@pytest.mark.parametrize(
    ("flag", "flagged"),
    [
        ("{label: 预否决, bottom: 1}", ["北村"]),
        # the second-to-last place is shared: both tied units are in, not one picked by chance
        ("{label: 预否决, bottom: 2}", ["西村", "南村", "北村"]),
        ("{label: 通报批评, below: 60}", ["北村"]),
        ("{label: 通报批评, below: 60.01}", ["西村", "南村", "北村"]),
        ("{label: 黄牌警告, misses_target: [符合率]}", ["北村"]),
        ("{label: 黄牌警告, misses_target: [多孩率]}", ["西村", "南村", "北村"]),
    ],
)
def test_flags(tmp_path, write_yaml, flag, flagged):
    table = ranking(tmp_path, write_yaml, TIED, f"  scoring: 达标\n  flags:\n    - {flag}\n")
    label = flag.split(",")[0].removeprefix("{label: ")
    assert table.flagged(label) == flagged
    assert [row.unit for row in table.rows if row.flags] == flagged


@pytest.mark.parametrize("bottom", [4, 9])
def test_a_last_n_flag_reaching_every_unit_is_refused_at_its_line(tmp_path, write_yaml, bottom):
    """后 4 位 of 4 villages would flag the first place too, in the notice that commends it."""
    definition = write_yaml(DEFINITION + f"  flags:\n    - {{label: 预否决, bottom: {bottom}}}\n")
    sheet = [["单位", "出生", "政策内", "多孩"], *DISTINCT]
    make_workbook(tmp_path / "指标.xlsx", {"数据": sheet})
    status, _, err = run_cli("check", definition, "--data", tmp_path / "指标.xlsx")
    assert status == 1
    line = DEFINITION.count("\n") + 2
    assert f"{definition}:{line}:" in err and "[ranking.flags[1].bottom]" in err
    assert f"“预否决”要标记排名后 {bottom} 位，但参加排名的只有 4 个单位" in err


def test_a_unit_with_no_figure_ranks_last(tmp_path, write_yaml):
    rows = [*DISTINCT[:3], ["北村", 0, 0, 0]]  # no births: both rates are 0/0
    table = ranking(tmp_path, write_yaml, rows, "  scoring: 比例\n")
    assert table.rows[-1].unit == "北村" and table.rows[-1].score == 0
    assert table.rows[-1].measures["符合率"].value is None


@given(
    st.lists(st.one_of(st.none(), st.integers(-5, 5).map(Decimal)), max_size=30),
    st.booleans(),
)
def test_competition_ranks_count_those_strictly_better(values, higher):
    ranks = competition_ranks(values, higher_is_better=higher)

    def better(a: Decimal | None, b: Decimal | None) -> bool:
        if a is None:
            return False
        return b is None or (a > b if higher else a < b)

    assert ranks == [1 + sum(better(other, mine) for other in values) for mine in values]


def test_weights_must_share_out_100_points():
    text = EXAMPLES["annual"].read_text(encoding="utf-8").replace("weight: 40", "weight: 35", 1)
    definition = EXAMPLES["annual"].parent / ".weights.yaml"
    definition.write_text(text, encoding="utf-8")
    try:
        status, _, err = run_cli("check", definition)
    finally:
        definition.unlink()
    assert status == 1
    assert "[ranking.indicators] 参评指标的权重（weight）相加为95分，应为100分" in err
