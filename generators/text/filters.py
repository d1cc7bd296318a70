"""Jinja filters for text fields and templates: Chinese numbers, dates and times.

``{{ 11 | cn_num }}`` → 十一, ``{{ meeting.date | cn_date }}`` → 2012年9月20日. Each filter
carries a Chinese description and an example for the reference page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from huiwu.errors import ValueProblem
from huiwu.figures.indicators import Measure
from huiwu.text import cn, phrasing


@dataclass(frozen=True)
class Filter:
    """A filter with its user documentation."""

    function: Callable[..., Any]
    doc: str
    example: str


def _date(value: dt.date, weekday: bool = False) -> str:
    return cn.format_date(value, with_weekday=weekday)


def _time(value: dt.time, style: cn.TimeStyle = "时分") -> str:
    return cn.format_time(value, style)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Measure):
        if value.value is None:
            raise ValueProblem(f"{value.name}无法计算")
        return value.value
    try:
        return Decimal(str(value))
    except ArithmeticError:
        raise ValueProblem(f"不是数字：{value!r}") from None


def _percent(value: Any, places: int = 2) -> str:
    return phrasing.number(_decimal(value), places) + "%"


def _permille(value: Any, places: int = 2) -> str:
    return phrasing.number(_decimal(value), places) + "‰"


def _wan_yuan(value: Any, places: int | None = None) -> str:
    return phrasing.number(_decimal(value), places) + "万元"


def _count(value: Any, unit: str = "人") -> str | int:
    """A figure with its unit; for a list (or any collection, or a text that is not a number)
    its number of items, as Jinja's own ``count`` gives, so templates written for docxtpl
    (``{% colspan col_labels|count %}``) keep working."""
    if _is_collection(value):
        return len(value) if hasattr(value, "__len__") else sum(1 for _ in value)
    return phrasing.number(_decimal(value)) + unit


def _is_collection(value: Any) -> bool:
    if isinstance(value, str):
        try:
            Decimal(value)
        except ArithmeticError:
            return True
        return False
    if isinstance(value, Measure | Decimal | int | float | bytes):
        return False
    return hasattr(value, "__iter__")


def _number(value: Any, places: int | None = None) -> str:
    return phrasing.number(_decimal(value), places)


def _counts(measure: Measure) -> str:
    return phrasing.counts(measure, measure.area)


def _paragraph(measure: Measure, period: str = "") -> str:
    # Named after its area like ``counts``: 全县… for the total, 城关镇… for a unit.
    return phrasing.paragraph(measure, measure.area, period)


CATALOGUE: dict[str, Filter] = {
    "cn_num": Filter(cn.numeral, "整数写成中文数字", "{{ 11 | cn_num }} → 十一"),
    "cn_ordinal": Filter(cn.ordinal, "写成“第几”", "{{ 3 | cn_ordinal }} → 第三"),
    "cn_date": Filter(
        _date,
        "日期写成“年月日”，加 (true) 带星期",
        "{{ date | cn_date(true) }} → 2012年9月20日（星期四）",
    ),
    "cn_month_day": Filter(
        cn.format_month_day, "日期只写月日", "{{ date | cn_month_day }} → 9月20日"
    ),
    "cn_weekday": Filter(cn.weekday, "日期是星期几", "{{ date | cn_weekday }} → 星期四"),
    "cn_year": Filter(cn.year_in_characters, "年份写成汉字", "{{ year | cn_year }} → 二〇一二"),
    "cn_time": Filter(
        _time,
        "时刻写成中文，可选 时分/上下午/上下午时分",
        "{{ meeting.time | cn_time('上下午') }} → 上午9:00",
    ),
    "cn_join": Filter(
        cn.join_names, "列表用顿号和“和”连接", "{{ ['甲','乙','丙'] | cn_join }} → 甲、乙和丙"
    ),
    "fullwidth": Filter(
        cn.to_fullwidth_punct,
        "中文里的半角标点改为全角",
        "{{ '会议,通知' | fullwidth }} → 会议，通知",
    ),
    "sentence": Filter(
        phrasing.sentence,
        "指标写成一句：数值、与基期比较、与目标比较",
        "{{ 出生政策符合率 | sentence }} → 出生政策符合率为91.24%，与前三年平均值比高0.91个百分点",
    ),
    "compare": Filter(
        phrasing.compare,
        "指标与基期比较",
        "{{ 出生人口性别比 | compare }} → 与上年同比下降5.28个单位值",
    ),
    "vs_target": Filter(
        phrasing.versus_target,
        "指标与目标比较",
        "{{ 长效节育措施落实率 | vs_target }} → 高于65%的目标值7.92个百分点",
    ),
    "counts": Filter(
        _counts,
        "比率的分母和分子",
        "{{ 出生政策符合率 | counts }} → 全县上报出生571人，其中政策内出生521人",
    ),
    "paragraph": Filter(
        _paragraph,
        "分母分子和整句，带句号；可在前面加统计期",
        "{{ 出生政策符合率 | paragraph('2012年') }} → 2012年，全县上报出生571人，其中……个百分点。",
    ),
    "percent": Filter(_percent, "数写成百分数，可指定小数位", "{{ 91.235 | percent }} → 91.24%"),
    "permille": Filter(_permille, "数写成千分数", "{{ 13.8 | permille(1) }} → 13.8‰"),
    "wan_yuan": Filter(_wan_yuan, "数写成万元", "{{ 2200 | wan_yuan }} → 2200万元"),
    "count": Filter(
        _count,
        "数带上单位（列表则为项数）",
        "{{ 合计.出生人数 | count }} → 571人；{{ 94 | count('例') }} → 94例；{{ ['甲','乙'] | count }} → 2",
    ),
    "number": Filter(_number, "数写成数字，可指定小数位", "{{ 0.125 | number(2) }} → 0.13"),
}
"""Filter name → filter; extend here and the reference page follows."""

FILTERS: dict[str, Callable[..., Any]] = {name: f.function for name, f in CATALOGUE.items()}
"""Filter name → function, as Jinja environments take them."""
