"""Building blocks of the meeting-definition schema: the base model and field types.

Scalars arrive from :mod:`huiwu.definition.yamlsrc` as the text the user typed, so every type here
parses text the way office staff write it (``2012年9月20日``, ``9：30``) and rejects the rest with
a Chinese message. Two markers tag fields for later stages that walk the model generically:
:class:`TextField` (may contain ``{{ … }}`` expressions, expanded after loading) and
:class:`PersonRef` (must name a key of ``people``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError


class Schema(BaseModel):
    """Base of every definition model: unknown keys are errors, surrounding spaces are dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=False)


MAX_NUMBER = Decimal(10) ** 12
"""The largest target, weight, quota or base value a definition may state: far above any
county's figures, and small enough that rounding it to six places stays exact."""

Number = Annotated[Decimal, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]
"""A number typed in the definition: finite and no larger than :data:`MAX_NUMBER`."""


class TextField:
    """Marks a text field that may use ``{{ 变量 }}`` and the Chinese phrasing filters."""


class PersonRef:
    """Marks a field that names a person defined under ``people``."""


class DateField:
    """Marks a calendar date (cleared by ``huiwu roll`` for next year's definition)."""


class UnitTextField:
    """Marks a text expanded once per unit (responsibility letters) with that unit's figures,
    ``{{ 单位 }}``, ``{{ 配额.两非案件 }}`` …; :func:`huiwu.text.texts.expand_texts` leaves it."""


Text = Annotated[str, TextField()]
"""Free text that may contain expressions such as ``{{ year }}``."""

UnitText = Annotated[str, UnitTextField()]
"""Free text of a responsibility letter: expressions may also use the unit's own figures."""

PersonKey = Annotated[str, PersonRef()]
"""The key of a person under ``people`` (usually the person's name)."""


TO_FILL = "待填"
"""A date ``huiwu roll`` cleared for the user to fill in."""

MIN_YEAR, MAX_YEAR = 1900, 2199
"""Years a meeting date may have: ``0000`` or ``9999`` is a typing error (and year 0 does not
exist in the calendar at all)."""
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def parse_date(value: Any) -> Any:
    """Accept ``2012-09-20``, ``2012-9-20``, ``2012/9/20``, ``2012.9.20`` and ``2012年9月20日``."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("cn_date", "应为日期，如 2012-09-20 或 2012年9月20日")
    if value.strip().startswith(TO_FILL):
        year = re.search(r"(\d{4})\s*年", value)
        example = f"{year.group(1)}-03-15" if year else "2026-03-15"
        raise PydanticCustomError(
            "cn_date_to_fill",
            "这个日期还没有填写（huiwu roll 留下的待填项），请写上新的日期，如 {example}",
            {"example": example},
        )
    match = _DATE_RE.match(value.strip())
    if not match:
        raise PydanticCustomError(
            "cn_date",
            "日期格式不对：“{value}”，应写成 2012-09-20 或 2012年9月20日",
            {"value": value},
        )
    year, month, day = (int(g) for g in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PydanticCustomError(
            "cn_date",
            "年份 {year} 不合常理，应在 {low}～{high} 之间",
            {"year": year, "low": MIN_YEAR, "high": MAX_YEAR},
        )
    if not 1 <= month <= 12:
        raise PydanticCustomError("cn_date", "日期不存在：没有 {month} 月", {"month": month})
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise PydanticCustomError(
            "cn_date",
            "日期不存在：{year}年{month}月只有 {last} 天，没有 {day} 日",
            {"year": year, "month": month, "last": last, "day": day},
        )
    return dt.date(year, month, day)


_TIME_RE = re.compile(r"^(\d{1,2})\s*(?:[:：]\s*(\d{2})|[时点]\s*(?:(\d{1,2})\s*分?|(半))?)$")


def parse_time(value: Any) -> Any:
    """Accept ``9:30``, ``09:30``, ``9：30``, ``9时30分``, ``9时``, ``9点半`` (24-hour clock)."""
    if isinstance(value, dt.time):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("cn_time", "应为时刻，如 9:30 或 14:30（24小时制）")
    match = _TIME_RE.match(value.strip())
    if not match:
        raise PydanticCustomError(
            "cn_time", "时刻格式不对：“{value}”，应写成 9:30 或 14:30（24小时制）", {"value": value}
        )
    hour_text, minute_colon, minute_cn, half = match.groups()
    hour = int(hour_text)
    minute = 30 if half else int(minute_colon or minute_cn or 0)
    if hour > 23 or minute > 59:
        raise PydanticCustomError("cn_time", "时刻不存在：“{value}”", {"value": value})
    return dt.time(hour, minute)


def text_list(value: Any) -> Any:
    """Let a single line stand for a one-item list, as office staff tend to write it."""
    if isinstance(value, str):
        return [value]
    return value


CnDate = Annotated[dt.date, BeforeValidator(parse_date), DateField()]
"""A calendar date written the usual Chinese ways."""

ClockTime = Annotated[dt.time, BeforeValidator(parse_time)]
"""A time of day, 24-hour clock."""


TextList = Annotated[list[Text], BeforeValidator(text_list)]
"""Paragraphs or items of text; a single line may stand for a one-item list."""
