"""The field reference for office staff is generated from the schema and kept in step."""

from __future__ import annotations

from generators.reference import REFERENCE_PATH, reference_markdown
from generators.scaffold import example_text


def test_reference_page_is_current():
    assert REFERENCE_PATH.read_text(encoding="utf-8") == reference_markdown(), (
        "docs/定义文件说明.md is stale: run python -m generators.reference"
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
