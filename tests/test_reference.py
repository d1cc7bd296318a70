"""The field reference for office staff is generated from the schema and kept in step."""

from __future__ import annotations

import re

import yaml
from huiwu.definition.load import load_definition
from huiwu.definition.reference import REFERENCE_PATH, reference_markdown
from huiwu.definition.scaffold import example_text
from huiwu.figures.inputs import prepare
from huiwu.text import phrasing

from tests.conftest import MEETING_HEAD, make_workbook


def test_reference_page_is_current():
    assert REFERENCE_PATH.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/定义文件说明.md is stale: run python -m huiwu.definition.reference"
    )


def test_reference_documents_every_top_level_field():
    page = reference_markdown()
    for field in (
        "meeting",
        "people",
        "agenda",
        "visiting_team",
        "inspection_groups",
        "discipline",
        "closing",
    ):
        assert f"| `{field}` |" in page


def test_example_mentions_every_top_level_field_it_uses():
    text = example_text()
    for field in (
        "meeting:",
        "people:",
        "attendees:",
        "agenda:",
        "discipline:",
        "closing:",
        "notice:",
    ):
        assert field in text


def test_indicator_example_computes_the_sentences_it_shows(tmp_path):
    """The reference's example definition, given counts, writes exactly its table's sentences."""
    page = reference_markdown()
    example = re.search(r"```yaml\n(.*?)```", page.split("## 指标和指标表")[1], re.S).group(1)
    shown = dict(re.findall(r"^\| (\S+) \| (\S+为\S+) \|$", page, re.M))
    definition = tmp_path / "meeting.yaml"
    definition.write_text(MEETING_HEAD + example, encoding="utf-8")
    columns = ["出生人数", "政策内出生人数", "政策外多孩出生人数", "出生男孩数", "出生女孩数"]
    columns += ["户籍人口", "社会抚养费", "上环", "结扎"]
    make_workbook(
        tmp_path / "指标.xlsx",
        {
            "数据": [
                ["单位", *columns],
                ["城关镇", 300, 280, 2, 180, 140, 20000, 1100.25, 10, 3],
                ["青石镇", 171, 150, 3, 100, 83, 13000, 600, 5, 2],
                ["柳河镇", 100, 91, 1, 60, 50, 10000, 499.8, 4, 1],
            ],
            "上年": [["单位", "政策外多孩率", "出生人口性别比"], ["合计", 1.25, 129.82]],
            "前三年平均": [["单位", "出生政策符合率"], ["合计", 90.33]],
        },
    )
    assert yaml.safe_load(example)["indicators"].keys() >= shown.keys()
    results = prepare(load_definition(definition)).results
    assert {name: phrasing.sentence(results.total[name]) for name in shown} == shown
