"""Write indicator figures the way work reports do.

``出生政策符合率为91.24%，与前三年平均值比高0.91个百分点``;
``长效节育措施落实率为72.92%，高于65%的目标值7.92个百分点``;
``出生人口性别比为100:124.54，与上年同比下降5.28个单位值``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from huiwu.text.cn import round_half_up

if TYPE_CHECKING:  # phrasing reads measures; the figures import phrasing to print them
    from huiwu.figures.indicators import Measure
    from huiwu.model.indicators import Base

_DIFF_UNITS = {"percent": "个百分点", "permille": "个千分点", "ratio100": "个单位值"}
_SIGNS = {"percent": "%", "permille": "‰"}
_BASE_PHRASES = {"上年": "与上年同比", "同期": "与上年同期比", "前三年平均": "与前三年平均值比"}


def number(value: Decimal, decimals: int | None = None) -> str:
    """A Decimal as plain digits: ``91.24``, ``571`` (no exponent, no trailing ``.0`` for counts)."""
    if decimals is not None:
        value = round_half_up(value, decimals)
    text = format(value, "f")
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class Figure(Decimal):
    """A computed figure that prints the way reports write it (``46``, not ``46.0``), so that a
    quota reads the same in a letter's text (``{{ 配额.两非案件 }}``) and in its table."""

    __slots__ = ()

    def __str__(self) -> str:
        return number(Decimal(self))

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else Decimal(self).__format__(spec)


def format_value(measure: Measure) -> str:
    """The figure as printed: ``91.24%``, ``13.80‰``, ``100:124.54``, ``571人``; ``—`` if none."""
    if measure.value is None:
        return "—"
    spec = measure.spec
    digits = number(measure.value, spec.decimals)
    if spec.compute in _SIGNS:
        return digits + _SIGNS[spec.compute]
    if spec.compute == "ratio100":
        return f"100:{digits}" if spec.colon_form else digits
    column = spec.column or (spec.columns[0] if spec.columns else None)
    return digits + (column.unit if column else "")


def format_bound(measure: Measure, value: Decimal) -> str:
    """A target or base figure in the indicator's own notation (``65%``, ``13.8‰``)."""
    spec = measure.spec
    digits = number(value)
    if spec.compute in _SIGNS:
        return digits + _SIGNS[spec.compute]
    column = spec.column or (spec.columns[0] if spec.columns else None)
    return digits + (column.unit if column and spec.compute in ("value", "sum") else "")


def difference(measure: Measure, delta: Decimal) -> str:
    """``0.91个百分点``, ``5.28个单位值``, ``266人``: the size of a difference in its unit."""
    spec = measure.spec
    # Differences drop trailing zeros, as reports write them: 下降0.2个百分点, not 0.20.
    digits = number(round_half_up(abs(delta), spec.decimals))
    if spec.compute in _DIFF_UNITS:
        return digits + _DIFF_UNITS[spec.compute]
    column = spec.column or (spec.columns[0] if spec.columns else None)
    return digits + (column.unit if column else "")


def compare(measure: Measure) -> str:
    """Against each base: ``与前三年平均值比低0.4个百分点，与上年同比下降0.2个百分点``; ''."""
    clauses = [_compare_one(measure, c.base, c.value) for c in measure.bases]
    return "，".join(clause for clause in clauses if clause)


def _compare_one(measure: Measure, base: Base, figure: Decimal | None) -> str:
    if measure.value is None or figure is None:
        return ""
    opening = _BASE_PHRASES.get(base.period or "", f"与{base.label or '基期值'}比")
    delta = measure.value - figure
    if delta == 0:
        return opening.removesuffix("同比").removesuffix("比") + "持平"
    if base.period in ("上年", "同期"):
        rates = measure.spec.compute in _DIFF_UNITS
        verb = ("上升" if rates else "增加") if delta > 0 else ("下降" if rates else "减少")
    else:
        verb = "高" if delta > 0 else "低"
    return f"{opening}{verb}{difference(measure, delta)}"


def versus_target(measure: Measure) -> str:
    """Against the target: ``高于65%的目标值7.92个百分点``, ``达到90%的目标值``; '' without one."""
    spec = measure.spec
    if measure.value is None or measure.target is None or spec.target is None:
        return ""
    bound = format_bound(measure, measure.target)
    label = spec.target.phrase
    delta = measure.value - measure.target
    if delta == 0:
        return f"达到{bound}的{label}"
    word = "高于" if delta > 0 else "低于"
    return f"{word}{bound}的{label}{difference(measure, delta)}"


def sentence(measure: Measure) -> str:
    """``出生政策符合率为91.24%，与前三年平均值比高0.91个百分点`` (no final full stop)."""
    if measure.value is None:
        return f"{measure.name}无法计算（分母为0）"
    clauses = [f"{measure.name}为{format_value(measure)}", compare(measure), versus_target(measure)]
    return "，".join(clause for clause in clauses if clause)


def counts(measure: Measure, area: str = "") -> str:
    """``全街上报出生571人，其中政策内出生521人`` for a rate (``出生男孩310人，出生女孩261人``
    for a ratio, whose parts are not a whole and its subset); '' for other kinds."""
    spec = measure.spec
    if spec.numerator is None or spec.denominator is None:
        return ""
    if measure.numerator is None or measure.denominator is None:
        return ""
    numerator = f"{spec.numerator.phrase}{number(measure.numerator)}{spec.numerator.unit}"
    denominator = f"{spec.denominator.phrase}{number(measure.denominator)}{spec.denominator.unit}"
    if spec.compute == "ratio100":
        return f"{area}{numerator}，{denominator}"
    return f"{area}{denominator}，其中{numerator}"


def paragraph(measure: Measure, area: str = "", period: str = "") -> str:
    """The body of an indicator paragraph: counts, then the sentence, ending in 。."""
    opening = counts(measure, area)
    parts = [part for part in (opening, sentence(measure)) if part]
    text = "，".join(parts) + "。"
    return f"{period}，{text}" if period else text
