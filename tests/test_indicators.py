"""Indicator arithmetic and the sentences written from it, checked against the seed report."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from huiwu.definition.load import load_definition
from huiwu.figures.indicators import Comparison, Measure
from huiwu.figures.inputs import prepare
from huiwu.figures.ranking import competition_ranks
from huiwu.model import Indicator
from huiwu.model.indicators import Base
from huiwu.text import phrasing

from tests.conftest import MEETING_HEAD, make_workbook, run_cli

HEAD = (
    MEETING_HEAD
    + """\
workbook:
  area: 全街
units: [东村, 西村]
"""
)
COMPLIANCE = """\
indicators:
  出生政策符合率:
    compute: percent
    numerator: {column: 政策内出生人数, label: 政策内出生}
    denominator: {column: 出生人数, label: 上报出生}
    base: {value: 90.33, label: 前三年平均值}
"""
"""The seed's 出生政策符合率, compared with a given three-year average."""


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
        + COMPLIANCE
        + """\
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


FIGURES = (
    HEAD
    + COMPLIANCE
    + """\
  出生人口性别比: {compute: 性别比, numerator: 男, denominator: 女, base: 上年, better: 越低越好}
  长效节育措施落实率:
    compute: percent
    numerator: 已落实
    denominator: 应落实
    target: {floor: 65}
  出生率: {compute: 千分率, numerator: 出生人数, denominator: 总人口, target: {ceiling: 13.8}}
  社会抚养费: {compute: value, column: {column: 社会抚养费, unit: 万元}, decimals: 1}
  四术: {compute: sum, columns: [{column: 上环, unit: 例}, 结扎], decimals: 0}
report:
  title: 汇报
  closing: ""
  sections:
    - title: 指标
      paragraphs:
"""
)
FIGURES_SHEETS = {
    "数据": [
        [
            *("单位", "出生人数", "政策内出生人数", "男", "女", "应落实", "已落实", "总人口"),
            *("社会抚养费", "上环", "结扎"),
        ],
        ["东村", 300, 280, 180, 140, 200, 150, 20000, 1100.25, 10, 3],
        ["西村", 271, 241, 160, 133, 136, 95, 23000, 1099.8, 12, 4],
    ],
    "上年": [["单位", "出生人口性别比"], ["东村", 130.5], ["西村", 120], ["合计", 129.82]],
    "目标": [["单位", "长效节育措施落实率"], ["东村", 80]],
}
FILTERED = {
    "{{ 出生政策符合率 | sentence }}": "出生政策符合率为91.24%，与前三年平均值比高0.91个百分点",
    "{{ 出生人口性别比 | compare }}": "与上年同比下降5.28个单位值",
    "{{ 长效节育措施落实率 | vs_target }}": "高于65%的目标值7.92个百分点",
    "{{ 出生政策符合率 | counts }}": "全街上报出生571人，其中政策内出生521人",
    "{{ 出生政策符合率 | paragraph('2012年') }}": "2012年，全街上报出生571人，其中政策内出生521人，"
    "出生政策符合率为91.24%，与前三年平均值比高0.91个百分点。",
    "{{ 出生率 }}，{{ 出生率 | vs_target }}": "13.28‰，低于13.8‰的控制目标0.52个千分点",
    "{{ 出生率 | permille(1) }}": "13.3‰",
    "{{ 社会抚养费 }}，{{ 合计.社会抚养费 | wan_yuan }}": "2200.1万元，2200.05万元",
    "{{ 四术 }}": "29例",
    "{{ 合计.出生人数 | count }}，{{ 合计.上环 | count('例') }}": "571人，22例",
    "{{ (合计.政策内出生人数 / 合计.出生人数 * 100) | percent }}": "91.24%",
    "{{ 0.125 | number(2) }}，{{ 2.675 | percent }}": "0.13，2.68%",
    "{{ 各单位.东村.出生政策符合率 }}": "93.33%",
    "{{ 各单位.东村.长效节育措施落实率 | vs_target }}": "低于80%的目标值5个百分点",
    "{{ 各单位.西村.长效节育措施落实率 | vs_target }}": "高于65%的目标值4.85个百分点",
    "{{ 各单位.东村.出生人口性别比 | sentence }}": "出生人口性别比为128.57，与上年同比下降1.93个单位值",
    "共{{ 单位数 }}个村": "共2个村",
}


def test_filters_in_a_text_field_of_the_definition(tmp_path, write_yaml):
    """Every filter as office staff write it in meeting.yaml, expanded by the real path."""
    items = "".join(f"        - {json.dumps(text, ensure_ascii=False)}\n" for text in FILTERED)
    definition = write_yaml(FIGURES + items)
    data = make_workbook(tmp_path / "w.xlsx", FIGURES_SHEETS)
    report = prepare(load_definition(definition), data).definition.report
    written = [paragraph.text for paragraph in report.sections[0].paragraphs]
    assert written == list(FILTERED.values())


def test_kinds_of_computation_and_their_sources(tmp_path, write_yaml):
    definition = write_yaml(FIGURES + "        - 无\n")
    data = make_workbook(tmp_path / "w.xlsx", FIGURES_SHEETS)
    results = prepare(load_definition(definition), data).results
    total = results.total
    # the seed's sex ratio: 340 boys to 273 girls is 124.54, against 129.82 last year
    assert (total["出生人口性别比"].value, total["出生人口性别比"].bases[0].value) == (
        Decimal("124.54"),
        Decimal("129.82"),
    )
    assert total["出生率"].value == Decimal("13.28")  # 571 / 43000 × 1000 = 13.2791
    assert total["社会抚养费"].value == Decimal("2200.1")  # 2200.05 half up, not to even
    assert total["四术"].value == Decimal(29)
    # the 目标 sheet sets one unit's target; the others keep the definition's
    assert results.units["东村"]["长效节育措施落实率"].target == Decimal(80)
    assert results.units["东村"]["长效节育措施落实率"].meets_target is False
    assert results.units["西村"]["长效节育措施落实率"].target == Decimal(65)
    # a unit is compared with its own row of the base sheet; a given value has no unit rows
    assert results.units["西村"]["出生人口性别比"].bases[0].value == Decimal("120.00")
    assert results.units["西村"]["出生政策符合率"].bases[0].value is None
    assert phrasing.compare(results.units["西村"]["出生政策符合率"]) == ""


def test_equal_figures_read_as_level(tmp_path, write_yaml):
    ratio = measure("124.54", compute="ratio100", base=("上年", "124.54"))
    assert phrasing.compare(ratio) == "与上年持平"
    assert phrasing.compare(measure("91.24", base=("同期", "91.24"))) == "与上年同期持平"
    assert phrasing.compare(measure("91.24", base=("前三年平均", "91.24"))) == "与前三年平均值持平"


def test_workbook_names_without_a_workbook_say_what_is_missing(write_yaml):
    definition = write_yaml(
        FIGURES
        + "        - '{{ 出生政策符合率 | sentence }}'\n"
        + "        - '{{ 排名.前三名 | cn_join }}'\n"
        + "        - '{{ 合计.出生人数 | count }}'\n"
    )
    status, _, err = run_cli("check", definition)
    assert status == 1
    assert "[report.sections[1].paragraphs[1].text] 用到了“出生政策符合率”，但没有指定指标表" in err
    assert "[report.sections[1].paragraphs[2].text] 用到了“排名”" in err
    assert "[report.sections[1].paragraphs[3].text] 用到了“合计”" in err
    assert "工作汇报需要指标表" in err
    assert "共发现 4 处错误" in err
