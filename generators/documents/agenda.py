"""会议议程: the meeting's title, time, venue, host and numbered items."""

from __future__ import annotations

from typing import Any

from huiwu.documents.blocks import as_context, blank, body
from huiwu.documents.common import Directory, agenda_line, meeting_time
from huiwu.figures.inputs import Inputs
from huiwu.text import cn
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The agenda's template context."""
    definition = inputs.definition
    meeting = definition.meeting
    directory = Directory(definition)
    facts = [
        body(f"时间：{meeting_time(meeting)}"),
        body(f"地点：{meeting.venue}"),
        body(f"主持：{directory.title_name(meeting.host)}"),
    ]
    items = [
        body(cn.heading_number(1, number) + agenda_line(directory, item))
        for number, item in enumerate(definition.agenda, start=1)
    ]
    return {
        "doc_title": f"{meeting.title}议程",
        "title_lines": [*title_lines(meeting.title), "议\u3000程"],
        "subtitle_lines": [],
        "addressee": "",
        "body": as_context([*facts, blank(), *items]),
        "attachments": [],
        "signature": [],
    }
