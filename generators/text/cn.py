"""Chinese formatting helpers: numerals, heading numbers, dates, times, lists, punctuation.

Pure functions with no state, following the conventions of official documents (GB/T 9704 and
the seeds): Arabic digits for dates and counts, Chinese numerals for heading numbers and
ordinals, full-width punctuation in Chinese text, and 四舍五入 rounding.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal, get_args

from huiwu.errors import ValueProblem

_DIGITS = "零一二三四五六七八九"
_SMALL_UNITS = ("", "十", "百", "千")
_BIG_UNITS = ("", "万", "亿")
NUMERAL_LIMIT = 10**12


def numeral(n: int) -> str:
    """``123`` → ``一百二十三`` (0 ≤ n < 10¹²); ``10``–``19`` read ``十…`` at the start."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n < NUMERAL_LIMIT:
        raise ValueProblem(f"只能写 0 到 {NUMERAL_LIMIT - 1} 的整数，收到 {n!r}")
    if n == 0:
        return _DIGITS[0]
    groups = []
    while n:
        groups.append(n % 10_000)
        n //= 10_000
    text = ""
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            pending_zero = bool(text)
            continue
        if text and (pending_zero or group < 1000):
            text += _DIGITS[0]
        text += _group(group) + _BIG_UNITS[index]
        pending_zero = False
    return text[1:] if text.startswith("一十") else text


def _group(n: int) -> str:
    """A group of up to four digits: ``1010`` → ``一千零一十``."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = n // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += _DIGITS[0]
            zero = False
        text += _DIGITS[digit] + _SMALL_UNITS[position]
    return text


def ordinal(n: int) -> str:
    """``11`` → ``第十一``."""
    return "第" + numeral(n)


def heading_number(level: int, n: int) -> str:
    """The official heading numbers: 1 → ``一、``, 2 → ``（一）``, 3 → ``1.``, 4 → ``（1）``."""
    if n < 1:
        raise ValueProblem(f"标题序号从 1 开始，收到 {n}")
    if level == 1:
        return f"{numeral(n)}、"
    if level == 2:
        return f"（{numeral(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueProblem(f"公文标题只有四级，收到第 {level} 级")


_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def weekday(d: dt.date) -> str:
    """``星期四``."""
    return _WEEKDAYS[d.weekday()]


def format_date(d: dt.date, *, with_weekday: bool = False) -> str:
    """``2012年9月20日``, or ``2012年9月20日（星期四）``: Arabic digits, no zero padding."""
    text = f"{d.year}年{d.month}月{d.day}日"
    return f"{text}（{weekday(d)}）" if with_weekday else text


def format_month_day(d: dt.date) -> str:
    """``9月20日``."""
    return f"{d.month}月{d.day}日"


def year_in_characters(year: int) -> str:
    """``2012`` → ``二〇一二`` (〇, never O or 0), for templates that spell the year out."""
    return "".join("〇一二三四五六七八九"[int(ch)] for ch in str(year))


TimeStyle = Literal["时分", "上下午", "上下午时分"]
TIME_STYLES: tuple[str, ...] = get_args(TimeStyle)


def format_time(t: dt.time, style: TimeStyle = "时分") -> str:
    """A time of day: ``9时30分``, ``上午9:30`` or ``上午9时30分`` as configured."""
    if style == "时分":
        return _hour_minute(t.hour, t.minute)
    if style not in TIME_STYLES:
        raise ValueProblem(f"时刻写法只能是 {'、'.join(TIME_STYLES)}，收到“{style}”")
    period, hour = _period(t.hour)
    if style == "上下午":
        return f"{period}{hour}:{t.minute:02d}"
    return period + _hour_minute(hour, t.minute)


def _hour_minute(hour: int, minute: int) -> str:
    return f"{hour}时" + (f"{minute:02d}分" if minute else "")


def _period(hour: int) -> tuple[str, int]:
    if hour < 6:
        return "凌晨", hour
    if hour < 12:
        return "上午", hour
    if hour == 12:
        return "中午", 12
    if hour < 18:
        return "下午", hour - 12
    return "晚上", hour - 12


def join_names(items: Sequence[str], last: str = "和", sep: str = "、") -> str:
    """``甲、乙和丙``; with ``last=""`` all joined by ``sep``."""
    items = list(items)
    if len(items) < 2 or not last:
        return sep.join(items)
    return sep.join(items[:-1]) + last + items[-1]


def is_cjk(ch: str) -> bool:
    """A Chinese character or a full-width / CJK punctuation mark."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FA1F
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or ch in "“”‘’—…·"
    )


_SIMPLE_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}


def to_fullwidth_punct(text: str) -> str:
    """Half-width punctuation inside Chinese text → full-width; numbers, times, URLs untouched."""
    # A converted mark is itself Chinese punctuation and may pull in its neighbour (``::。``),
    # so repeat until nothing changes: that also makes the function idempotent.
    while True:
        converted = _convert_once(text)
        if converted == text:
            return text
        text = converted


def _convert_once(text: str) -> str:
    marks = _marks_to_convert(text)
    if not marks:
        return text
    out = []
    skip_spaces = False
    for index, ch in enumerate(text):
        if skip_spaces and ch == " ":
            continue
        skip_spaces = False
        replacement = marks.get(index)
        if replacement is None:
            out.append(ch)
            continue
        out.append(replacement)
        # Drop a space after a converted mark (and before it, for closing ones) as Word would.
        while out[:-1] and out[-2] == " " and replacement in "，；：？！。）”’":
            out.pop(-2)
        skip_spaces = replacement in "，；：？！。（“‘"
    return "".join(out)


def find_halfwidth_punct(text: str) -> list[int]:
    """Indexes of half-width marks that :func:`to_fullwidth_punct` would convert."""
    return sorted(_marks_to_convert(text))


def _marks_to_convert(text: str) -> dict[int, str]:
    marks: dict[int, str] = {}
    for index, ch in enumerate(text):
        if ch in _SIMPLE_MARKS and _simple_mark_in_chinese(text, index):
            marks[index] = _SIMPLE_MARKS[ch]
        elif ch == "." and _full_stop_in_chinese(text, index):
            marks[index] = "。"
    marks.update(_brackets(text))
    marks.update(_quotes(text, '"', "“", "”"))
    marks.update(_quotes(text, "'", "‘", "’"))
    return marks


def _neighbour(text: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(text) and text[index] == " ":
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _simple_mark_in_chinese(text: str, index: int) -> bool:
    before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
    if text[index] in ":," and before.isdigit() and after.isdigit():
        return False  # 9:30, 1,000
    if text[index] == ":" and text[index + 1 : index + 3] == "//":
        return False  # a URL scheme
    return (bool(before) and is_cjk(before)) or (bool(after) and is_cjk(after))


def _full_stop_in_chinese(text: str, index: int) -> bool:
    before = text[index - 1] if index else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    return bool(before) and is_cjk(before) and (not after or after.isspace() or is_cjk(after))


def _brackets(text: str) -> dict[int, str]:
    out: dict[int, str] = {}
    stack: list[int] = []
    for index, ch in enumerate(text):
        if ch == "(":
            stack.append(index)
        elif ch == ")" and stack:
            start = stack.pop()
            inside = text[start + 1 : index]
            before = text[start - 1] if start else ""
            if any(is_cjk(c) for c in inside) or (before and is_cjk(before)):
                out[start] = "（"
                out[index] = "）"
    return out


def _quotes(text: str, mark: str, left: str, right: str) -> dict[int, str]:
    positions = [i for i, ch in enumerate(text) if ch == mark]
    out: dict[int, str] = {}
    for start, end in zip(positions[::2], positions[1::2], strict=False):
        if any(is_cjk(c) for c in text[start + 1 : end]):
            out[start] = left
            out[end] = right
    return out


def round_half_up(value: Decimal | int | str | float, places: int) -> Decimal:
    """四舍五入 to ``places`` decimals: ``0.125`` → ``0.13`` (never banker's rounding)."""
    if isinstance(value, bool):
        raise ValueProblem("不能对真假值取舍")
    if places < 0:
        raise ValueProblem("小数位数不能为负")
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueProblem(f"不是数字：{value!r}") from None
    if not number.is_finite():
        raise ValueProblem(f"不是有限的数：{value!r}")
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def text_width(text: str) -> float:
    """Printed width in full-width characters: CJK and full-width forms 1, the rest 0.5."""
    return sum(map(_char_width, text))


@functools.lru_cache(maxsize=8192)
def _char_width(character: str) -> float:
    # Looked up once a character: laying out a batch's paragraphs measures the same few
    # thousand characters again and again.
    return 1.0 if unicodedata.east_asian_width(character) in "FWA" else 0.5


def pad_name(name: str, width: int = 3) -> str:
    """Space a two-character name to the width of three: ``王明`` → ``王　明``."""
    if width == 3 and len(name) == 2 and all(is_cjk(ch) for ch in name):
        return name[0] + "\u3000" + name[1]
    return name
