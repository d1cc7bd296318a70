"""签到表: title, time and venue, and one table row per expected signature."""

from __future__ import annotations

from typing import Any

from huiwu.documents.common import Directory
from huiwu.figures.inputs import Inputs
from huiwu.model import Definition
from huiwu.text import cn
from huiwu.text.cn import text_width
from huiwu.text.typeset import BODY_LINE_CHARS, title_lines

# Rows of the built-in template that fit a page (exact 12 mm rows under a repeated header).
FIRST_PAGE_ROWS = 14
NEXT_PAGE_ROWS = 17


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The sign-in sheet's template context."""
    definition = inputs.definition
    meeting = definition.meeting
    title = definition.sign_in.title or f"{meeting.title}签到表"
    when = cn.format_date(meeting.date) + cn.format_time(meeting.time, meeting.time_style)
    named = _named_rows(definition)
    total = _fill_last_page(len(named) + definition.sign_in.blank_rows)
    rows = named + [{"unit": "", "name": "", "title": ""}] * (total - len(named))
    return {
        "doc_title": title,
        "title_lines": title_lines(title),
        "meta_lines": _meta_lines(when, meeting.venue),
        "rows": [{"no": str(i), **row} for i, row in enumerate(rows, start=1)],
    }


def _meta_lines(when: str, venue: str) -> list[str]:
    """Time and venue on one line when they fit, else on two."""
    one = f"时间：{when}\u3000\u3000地点：{venue}"
    if text_width(one) <= BODY_LINE_CHARS:
        return [one]
    return [f"时间：{when}", f"地点：{venue}"]


def _named_rows(definition: Definition) -> list[dict[str, str]]:
    directory = Directory(definition)
    rows: list[dict[str, str]] = []
    for group in definition.attendees:
        for key in directory.by_rank(group.people):
            person = directory.person(key)
            rows.append(
                {
                    "unit": person.unit or "",
                    "name": directory.name(key),
                    "title": person.title or "",
                }
            )
        for unit in group.units:
            rows.extend({"unit": unit, "name": "", "title": ""} for _ in range(group.per_unit))
    return rows


def _fill_last_page(rows: int) -> int:
    """Round the row count up so the last page is full: staff print whole pages anyway."""
    if rows <= FIRST_PAGE_ROWS:
        return FIRST_PAGE_ROWS
    extra = rows - FIRST_PAGE_ROWS
    pages = -(-extra // NEXT_PAGE_ROWS)
    return FIRST_PAGE_ROWS + pages * NEXT_PAGE_ROWS
