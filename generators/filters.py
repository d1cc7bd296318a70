"""Jinja filters for text fields and templates: Chinese numbers, dates and times.

``{{ 11 | cn_num }}`` → 十一, ``{{ meeting.date | cn_date }}`` → 2012年9月20日. Each filter
carries a Chinese description and an example for the reference page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import cn


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
}
"""Filter name → filter; extend here and the reference page follows."""

FILTERS: dict[str, Callable[..., Any]] = {name: f.function for name, f in CATALOGUE.items()}
"""Filter name → function, as Jinja environments take them."""
