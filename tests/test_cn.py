"""Chinese formatting helpers, checked against the forms official documents use."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from huiwu.text import cn
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (0, "零"),
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (15, "十五"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (30, "三十"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (105, "一百零五"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (119, "一百一十九"),
        (120, "一百二十"),
        (123, "一百二十三"),
        (200, "二百"),
        (999, "九百九十九"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1011, "一千零一十一"),
        (1100, "一千一百"),
        (1101, "一千一百零一"),
        (2000, "二千"),
        (2012, "二千零一十二"),
        (9999, "九千九百九十九"),
        (10000, "一万"),
        (10001, "一万零一"),
        (10010, "一万零一十"),
        (10100, "一万零一百"),
        (11000, "一万一千"),
        (100000, "十万"),
        (100010, "十万零一十"),
        (110000, "十一万"),
        (1000000, "一百万"),
        (1000100, "一百万零一百"),
        (1100000, "一百一十万"),
        (10000000, "一千万"),
        (100000000, "一亿"),
        (100000001, "一亿零一"),
        (100001000, "一亿零一千"),
        (100010000, "一亿零一万"),
        (120000000, "一亿二千万"),
        (1000000000, "十亿"),
        (10**12 - 1, "九千九百九十九亿九千九百九十九万九千九百九十九"),
    ],
)
def test_numeral(n, text):
    assert cn.numeral(n) == text


@pytest.mark.parametrize("bad", [-1, 10**12, True, 1.5])
def test_numeral_rejects(bad):
    with pytest.raises(ValueError):
        cn.numeral(bad)


def test_ordinal():
    assert cn.ordinal(1) == "第一"
    assert cn.ordinal(11) == "第十一"
    assert cn.ordinal(23) == "第二十三"


@pytest.mark.parametrize(
    ("level", "n", "text"),
    [
        (1, 1, "一、"),
        (1, 10, "十、"),
        (1, 11, "十一、"),
        (1, 21, "二十一、"),
        (2, 1, "（一）"),
        (2, 12, "（十二）"),
        (3, 1, "1."),
        (3, 12, "12."),
        (4, 1, "（1）"),
        (4, 12, "（12）"),
    ],
)
def test_heading_numbers(level, n, text):
    assert cn.heading_number(level, n) == text


@pytest.mark.parametrize(("level", "n"), [(0, 1), (5, 1), (1, 0), (3, -1)])
def test_heading_numbers_reject(level, n):
    with pytest.raises(ValueError):
        cn.heading_number(level, n)


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2012, 9, 20), "2012年9月20日（星期四）"),
        (dt.date(2012, 2, 29), "2012年2月29日（星期三）"),
        (dt.date(2000, 1, 1), "2000年1月1日（星期六）"),
        (dt.date(2012, 10, 14), "2012年10月14日（星期日）"),
    ],
)
def test_dates(day, text):
    assert cn.format_date(day, with_weekday=True) == text
    assert cn.format_date(day) == text.split("（")[0]


def test_date_parts():
    day = dt.date(2012, 9, 20)
    assert cn.format_month_day(day) == "9月20日"
    assert cn.weekday(day) == "星期四"
    assert cn.year_in_characters(2012) == "二〇一二"
    assert cn.year_in_characters(2000) == "二〇〇〇"


@pytest.mark.parametrize(
    ("hour", "minute", "shifen", "ampm", "ampm_shifen"),
    [
        (0, 0, "0时", "凌晨0:00", "凌晨0时"),
        (5, 59, "5时59分", "凌晨5:59", "凌晨5时59分"),
        (6, 0, "6时", "上午6:00", "上午6时"),
        (9, 0, "9时", "上午9:00", "上午9时"),
        (9, 5, "9时05分", "上午9:05", "上午9时05分"),
        (9, 30, "9时30分", "上午9:30", "上午9时30分"),
        (11, 59, "11时59分", "上午11:59", "上午11时59分"),
        (12, 0, "12时", "中午12:00", "中午12时"),
        (12, 59, "12时59分", "中午12:59", "中午12时59分"),
        (13, 0, "13时", "下午1:00", "下午1时"),
        (15, 40, "15时40分", "下午3:40", "下午3时40分"),
        (17, 59, "17时59分", "下午5:59", "下午5时59分"),
        (18, 0, "18时", "晚上6:00", "晚上6时"),
        (23, 59, "23时59分", "晚上11:59", "晚上11时59分"),
    ],
)
def test_times(hour, minute, shifen, ampm, ampm_shifen):
    moment = dt.time(hour, minute)
    assert cn.format_time(moment) == shifen
    assert cn.format_time(moment, "时分") == shifen
    assert cn.format_time(moment, "上下午") == ampm
    assert cn.format_time(moment, "上下午时分") == ampm_shifen


def test_unknown_time_style():
    with pytest.raises(ValueError, match="时刻写法只能是"):
        cn.format_time(dt.time(9), "12小时")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("items", "text"),
    [
        ([], ""),
        (["甲"], "甲"),
        (["甲", "乙"], "甲和乙"),
        (["甲", "乙", "丙"], "甲、乙和丙"),
        (["甲", "乙", "丙", "丁"], "甲、乙、丙和丁"),
    ],
)
def test_join_names(items, text):
    assert cn.join_names(items) == text


def test_join_names_options():
    assert cn.join_names(["甲", "乙", "丙"], last="") == "甲、乙、丙"
    assert cn.join_names(["甲", "乙", "丙"], last="及") == "甲、乙及丙"
    assert cn.join_names(["甲", "乙"], sep="，") == "甲和乙"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("会议,通知", "会议，通知"),
        ("会议, 通知", "会议，通知"),
        ("时间:上午", "时间：上午"),
        ("会议 : 通知", "会议：通知"),
        ("请准时到会!", "请准时到会！"),
        ("是否参加?", "是否参加？"),
        ("一是;二是", "一是；二是"),
        ("请准时.", "请准时。"),
        ("(一)工作", "（一）工作"),
        ("会议(重要)通知", "会议（重要）通知"),
        ('他说"你好"。', "他说“你好”。"),
        ("称'计生'工作", "称‘计生’工作"),
        # left alone: times, numbers, decimals, URLs, e-mail, Latin text, heading numbers
        ("上午9:30开会", "上午9:30开会"),
        ("收入1,000元", "收入1,000元"),
        ("符合率91.24%", "符合率91.24%"),
        ("见www.example.com", "见www.example.com"),
        ("网址 http://a.cn/x 查看", "网址 http://a.cn/x 查看"),
        ("邮箱 a.b@c.cn", "邮箱 a.b@c.cn"),
        ("Hello, world.", "Hello, world."),
        ("1.工作", "1.工作"),
        ("(1)", "(1)"),
        ("A(B)", "A(B)"),
        ("未配对的(括号", "未配对的(括号"),
    ],
)
def test_fullwidth_punctuation(before, after):
    assert cn.to_fullwidth_punct(before) == after
    assert bool(cn.find_halfwidth_punct(before)) == (before != after)


_MIXED = st.text(alphabet="会议通知工作abcAB12 ,.;:!?()\"'。，", max_size=40)


@given(_MIXED)
def test_fullwidth_punctuation_is_idempotent(text):
    once = cn.to_fullwidth_punct(text)
    assert cn.to_fullwidth_punct(once) == once


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (0.125, 2, "0.13"),
        ("0.125", 2, "0.13"),
        (Decimal("0.125"), 2, "0.13"),
        (0.135, 2, "0.14"),
        (2.675, 2, "2.68"),
        (1.005, 2, "1.01"),
        (91.235, 2, "91.24"),
        (0.5, 0, "1"),
        (1.5, 0, "2"),
        (2.5, 0, "3"),
        (-0.125, 2, "-0.13"),
        (-2.5, 0, "-3"),
        (1, 2, "1.00"),
        ("72.9166", 2, "72.92"),
        (124.54, 1, "124.5"),
        (124.55, 1, "124.6"),
    ],
)
def test_round_half_up(value, places, expected):
    result = cn.round_half_up(value, places)
    assert result == Decimal(expected) and str(result) == expected


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc", True])
def test_round_half_up_rejects(bad):
    with pytest.raises(ValueError):
        cn.round_half_up(bad, 2)


@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False), st.integers(0, 4)
)
def test_round_half_up_matches_integer_arithmetic(value, places):
    scaled = value * 10**places
    magnitude = int(abs(scaled) + Decimal("0.5"))  # half away from zero, done by hand
    expected = Decimal(magnitude if scaled >= 0 else -magnitude).scaleb(-places)
    assert cn.round_half_up(value, places) == expected
    assert cn.round_half_up(value, places) == value.quantize(
        Decimal(1).scaleb(-places), ROUND_HALF_UP
    )


def test_text_width_and_name_padding():
    assert cn.text_width("2012年9月17日") == 6.5
    assert cn.text_width("青石镇党政办公室") == 8
    assert cn.text_width("“会议”") == 4
    assert cn.pad_name("王明") == "王\u3000明"
    assert cn.pad_name("王建国") == "王建国"
    assert cn.pad_name("欧阳明月") == "欧阳明月"
    assert cn.pad_name("Li") == "Li"
