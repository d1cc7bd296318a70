"""Unit texts that only put values between their words are filled in without Jinja: always
what Jinja writes, and Jinja's own render (and refusals) for anything else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from huiwu.definition.load import load_definition
from huiwu.publish.packet import letter_set
from huiwu.text import texts
from huiwu.text.jinja import environment
from huiwu.text.phrasing import Figure
from huiwu.text.texts import _Fill, as_office_writes

LETTERS = Path(__file__).resolve().parents[1] / "data" / "responsibility-letters" / "meeting.yaml"

NAMES = {
    "单位": "长桥镇",
    "year": 2012,
    "配额": {"两非案件": Decimal("3"), "社会抚养费": Decimal("125.50"), "items": Decimal("1")},
    "总额": {"两非案件": Figure("46.0"), "社会抚养费": Figure("1250.50")},
    "数据": {"乙方全称": "长桥镇人民政府", "村数": Decimal("12")},
    "开会": dt.date(2012, 2, 22),
    "对": True,
    "空": None,
    "怪": "对象 object at 0x7f00aa",
    "表": {"日": dt.date(2012, 2, 22)},
}


@pytest.fixture(scope="module")
def env():
    return environment(autoescape=False, finalize=as_office_writes("时"))


@pytest.mark.parametrize(
    "text",
    [
        "{{ year }}年人口和计划生育工作目标管理责任书",
        "{{ 数据.乙方全称 }}",
        "配合做好强制执行，全{{ 单位 }}{{ 数据.村数 }}个村",
        "全年完成征收任务{{ 配额.社会抚养费 }}万元。",
        "全市共{{ 总额.两非案件 }}件、{{ 总额.社会抚养费 }}万元",  # figures: 46, not 46.0
        "{{- 单位 -}}  与  {{ 数据.乙方全称 }}\n",
    ],
)
def test_a_fill_writes_what_jinja_writes(env, text):
    fill = _Fill.of(env.parse(text))
    assert fill is not None
    assert fill.filled(NAMES) == env.from_string(text).render(NAMES)


@pytest.mark.parametrize(
    "text",
    [
        "{{ 开会 }}",  # a date: the definition writes it 2012年2月22日
        "{{ 对 }}",  # True is no number
        "{{ 空 }}",
        "{{ 怪 }}",  # what Python writes for an object: refused by the render
        "{{ 配额.items }}",  # a dict's own method comes first in Jinja
        "{{ 表.日 }}",
        "{{ 没有 }}",
        "{{ 配额.没有 }}",
        "{{ 单位.x }}",
    ],
)
def test_anything_else_is_left_to_jinja(env, text):
    fill = _Fill.of(env.parse(text))
    assert fill is not None and fill.filled(NAMES) is None


@pytest.mark.parametrize(
    "text",
    ["{{ 单位 | upper }}", "{{ year + 1 }}", "{% if 对 %}是{% endif %}", "{{ 配额['两非案件'] }}"],
)
def test_texts_with_more_than_names_are_no_fill(env, text):
    assert _Fill.of(env.parse(text)) is None


def test_every_letter_reads_the_same_with_and_without_fills(monkeypatch):
    letters = letter_set(load_definition(LETTERS))
    filled = [letters.context(unit) for unit in letters.units]
    compiled = [text for text in letters.texts._texts.values() if isinstance(text, texts._Text)]
    assert any(text._fill is not None for text in compiled)  # the example's texts are fills
    monkeypatch.setattr(texts._Fill, "filled", lambda self, names: None)
    rendered = letter_set(load_definition(LETTERS))
    assert [rendered.context(unit) for unit in rendered.units] == filled
