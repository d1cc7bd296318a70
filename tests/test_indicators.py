"""Indicator arithmetic and the sentences written from it, checked against the seed report."""

from __future__ import annotations

from decimal import Decimal

import pytest

from generators import phrasing
from generators.definition import load_definition
from generators.indicators import Comparison, Measure
from generators.inputs import prepare
from generators.model import Indicator
from generators.model.indicators import Base
from generators.ranking import competition_ranks
from tests.conftest import MEETING_HEAD, make_workbook

HEAD = (
    MEETING_HEAD
    + """\
workbook:
  area: 全街
units: [东村, 西村]
"""
)


def measure(
    value: str,
    *,
    compute: str = "percent",
    base: tuple[str, str] | None = None,
    target: dict | None = None,
    decimals: int = 2,
    numerator=None,
    denominator=None,
) -> Measure:
    spec_data: dict = {"compute": compute, "decimals": decimals}
    if compute in ("percent", "permille", "ratio100"):
        spec_data |= {"numerator": "甲", "denominator": "乙"}
    else:
        spec_data |= {"column": {"column": "值", "unit": "人"}}
    if target:
        spec_data["target"] = target
    bases: tuple[Comparison, ...] = ()
    if base:
        label, figure = base
        periods = ("上年", "同期", "前三年平均")
        base_data = {"period": label} if label in periods else {"value": figure, "label": label}
        spec_data["base"] = base_data
        bases = (Comparison(Base.model_validate(base_data), Decimal(figure)),)
    spec = Indicator.model_validate(spec_data)
    return Measure(
        "指标",
        spec,
        "全街",
        Decimal(value),
        numerator,
        denominator,
        bases,
        spec.target.bound if spec.target else None,
    )


def test_seed_compliance_rate_from_counts(tmp_path, write_yaml):
    definition = write_yaml(
        HEAD
        + """\
indicators:
  出生政策符合率:
    compute: percent
    numerator: {column: 政策内出生人数, label: 政策内出生}
    denominator: {column: 出生人数, label: 上报出生}
    base: {value: 90.33, label: 前三年平均值}
  政策外多孩率:
    compute: percent
    numerator: 政策外多孩
    denominator: 出生人数
"""
    )
    data = make_workbook(
        tmp_path / "w.xlsx",
        {
            "数据": [
                ["单位", "出生人数", "政策内出生人数", "政策外多孩"],
                ["东村", 300, 280, 2],
                ["西村", 271, 241, 4],
            ]
        },
    )
    inputs = prepare(load_definition(definition), data)
    total = inputs.results.total["出生政策符合率"]
    assert (total.numerator, total.denominator, total.value) == (521, 571, Decimal("91.24"))
    assert phrasing.paragraph(total, "全街") == (
        "全街上报出生571人，其中政策内出生521人，出生政策符合率为91.24%，与前三年平均值比高0.91个百分点。"
    )
    assert str(inputs.results.total["政策外多孩率"]) == "1.05%"
    assert str(inputs.results.units["东村"]["出生政策符合率"]) == "93.33%"


def test_total_sums_counts_rather_than_averaging_rates(tmp_path, write_yaml):
    definition = write_yaml(
        HEAD
        + """\
indicators:
  落实率: {compute: percent, numerator: 已落实, denominator: 应落实}
"""
    )
    data = make_workbook(
        tmp_path / "w.xlsx",
        {
            "数据": [
                ["单位", "应落实", "已落实"],
                ["东村", 2, 1],
                ["西村", 100, 99],
            ]
        },
    )
    results = prepare(load_definition(definition), data).results
    assert results.total["落实率"].value == Decimal("98.04")  # 100/102, not (50 + 99) / 2


def test_target_attainment_phrases():
    assert (
        phrasing.versus_target(measure("72.92", target={"floor": 65}))
        == "高于65%的目标值7.92个百分点"
    )
    assert (
        phrasing.versus_target(measure("60.00", target={"floor": 65})) == "低于65%的目标值5个百分点"
    )
    assert phrasing.versus_target(measure("65.00", target={"floor": 65})) == "达到65%的目标值"
    assert phrasing.versus_target(
        measure("13.20", compute="permille", target={"ceiling": "13.8"})
    ) == ("低于13.8‰的控制目标0.6个千分点")
    assert phrasing.versus_target(measure("72.92")) == ""


def test_sex_ratio_against_last_year():
    ratio = measure("124.54", compute="ratio100", base=("上年", "129.82"))
    assert phrasing.compare(ratio) == "与上年同比下降5.28个单位值"
    assert phrasing.sentence(ratio) == "指标为124.54，与上年同比下降5.28个单位值"


def test_comparisons_read_like_the_seed():
    assert phrasing.compare(measure("1.05", base=("上年", "1.25"))) == "与上年同比下降0.2个百分点"
    assert (
        phrasing.compare(measure("91.24", base=("前三年平均", "90.33")))
        == "与前三年平均值比高0.91个百分点"
    )
    assert (
        phrasing.compare(measure("91.24", base=("同期", "92.00"))) == "与上年同期比下降0.76个百分点"
    )
    assert phrasing.compare(measure("91.24", base=("上年", "91.24"))) == "与上年持平"
    assert phrasing.compare(measure("91.24", base=("省定目标", "91.24"))) == "与省定目标持平"
    assert (
        phrasing.compare(measure("2.19", compute="permille", base=("同期", "2.71")))
        == "与上年同期比下降0.52个千分点"
    )
    assert (
        phrasing.compare(measure("1106", compute="value", decimals=0, base=("同期", "1372")))
        == "与上年同期比减少266人"
    )


def test_rounding_half_up_in_values():
    assert phrasing.format_value(measure("0.125", compute="value", decimals=2)) == "0.13人"
    assert phrasing.number(Decimal("0.125"), 2) == "0.13"
    assert phrasing.number(Decimal("2.675"), 2) == "2.68"


def test_colon_form_and_counts_of_a_ratio(tmp_path, write_yaml):
    definition = write_yaml(
        HEAD
        + """\
indicators:
  出生人口性别比:
    compute: ratio100
    numerator: {column: 男, label: 出生男孩}
    denominator: {column: 女, label: 出生女孩}
    colon_form: true
"""
    )
    data = make_workbook(
        tmp_path / "w.xlsx",
        {"数据": [["单位", "男", "女"], ["东村", 160, 120], ["西村", 150, 141]]},
    )
    total = prepare(load_definition(definition), data).results.total["出生人口性别比"]
    assert str(total) == "100:118.77"
    assert phrasing.counts(total, "全街") == "全街出生男孩310人，出生女孩261人"


def test_zero_denominator_is_not_a_number():
    empty = Measure("落实率", measure("1").spec, "东村", None, Decimal(0), Decimal(0))
    assert phrasing.format_value(empty) == "—"
    assert phrasing.sentence(empty) == "落实率无法计算（分母为0）"


@pytest.mark.parametrize(
    ("values", "higher", "ranks"),
    [
        (["90", "95", "95", "80"], True, [3, 1, 1, 4]),
        (["1.2", "0.5", "0.5", "2"], False, [3, 1, 1, 4]),
        (["70", None, "70"], True, [1, 3, 1]),
        (["5", "5", "5"], True, [1, 1, 1]),
    ],
)
def test_competition_ranks_share_places(values, higher, ranks):
    decimals = [None if v is None else Decimal(v) for v in values]
    assert competition_ranks(decimals, higher_is_better=higher) == ranks
