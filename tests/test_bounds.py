"""The sandbox's bounds, one by one, on the environment every text and template renders in."""

from __future__ import annotations

import pytest
from huiwu.text import jinja
from huiwu.text.jinja import TooLarge, environment

X = "{% set x = 'a' * 99999 %}{% set n = '\\n' * 99999 %}"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ ('{0}' * 33333).format(x) }}", "可达"),
        ("{{ ('%s' * 33333) % ((x,) * 33333) }}", "过大的内容"),
        ("{{ x | wordwrap(1, wrapstring=x) }}", "可达"),
        ("{{ n | indent(x) }}", "可达"),
        ("{{ n | indent(99999) }}", "可达"),
        ("{{ '%s' % ([x] * 99999,) }}", "可达"),
        ("{{ ([x] * 99999) | join }}", "过大的内容"),
        ("{{ x | replace('a', x) }}", "过大的内容"),
        ("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", "步数"),
        ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "层数"),
        ("{{ 2 ** 5000 }}", "过大的数"),
        ("{{ (2 ** 64) ** 99 }}", "过大的数"),
        ("{{ [1] | map('upper') }}", "程序内部的对象"),
        ("{{ 'x' ~ joiner() }}", "程序内部对象的写法"),
    ],
)
def test_each_bound_is_a_chinese_refusal(source, message):
    with pytest.raises(TooLarge, match=message):
        environment(autoescape=False).from_string(X + source).render()


@pytest.mark.parametrize(
    ("source", "printed"),
    [
        ("{{ x | wordwrap(1000) | length }}", "100098"),
        ("{{ x | truncate(300) | length }}", "300"),
        ("{{ (x[:50000] ~ x[:50000]) | length }}", "100000"),
        ("{{ '%s，%s' % ('甲', '乙') }}", "甲，乙"),
        ("{{ range(3) | list }}", "[0, 1, 2]"),
        ("{{ 2 ** 64 }}", "18446744073709551616"),
        ("{% for i in range(1000) %}{% for j in range(900) %}{% endfor %}{% endfor %}ok", "ok"),
        ("room at 0x10", "room at 0x10"),  # typed by the user, not an object's address
    ],
)
def test_ordinary_expressions_stay_within_the_bounds(source, printed):
    assert environment(autoescape=False).from_string(X + source).render() == printed


def test_the_time_of_all_renders_of_one_environment_is_bounded(monkeypatch):
    env = environment(autoescape=False)
    template = env.from_string("{{ year }}")
    assert template.render(year=2012) == "2012"
    env.huiwu_spent = jinja.MAX_TOTAL_SECONDS + 1  # as if a batch had rendered that long
    with pytest.raises(TooLarge, match="累计超过 300 秒"):
        template.render(year=2012)
    assert environment(autoescape=False).from_string("{{ year }}").render(year=2012) == "2012"


def test_a_title_of_thousands_of_characters_is_split_without_a_search():
    """The search for balanced lines is cubic in the length; a title no three lines can hold
    goes straight to an even split (it took minutes at 5000 characters)."""
    from huiwu.text.typeset import title_lines

    lines = title_lines("会议" * 2500)
    assert len(lines) == 3 and "".join(lines) == "会议" * 2500
