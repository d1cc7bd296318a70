"""领导讲话稿: ``在…上的讲话``, the speaker and date under it in 楷体, ``同志们：``, the opening,
a numbered sections tree, the closing (the structure of the speeches in seed 001)."""

from __future__ import annotations

from typing import Any

from huiwu.definition import roles
from huiwu.documents import blocks
from huiwu.documents.blocks import as_context, body, plain
from huiwu.documents.common import Directory
from huiwu.documents.report import section_tree
from huiwu.figures.inputs import Inputs
from huiwu.text import cn
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The speech's template context."""
    definition = inputs.definition
    speech = definition.speech
    assert speech is not None  # guarded by Kind.available
    speaker = roles.speaker(definition)
    assert speaker is not None  # guarded by checks
    title = speech.title or f"在{definition.meeting.title}上的讲话"
    period = definition.workbook.period or ""
    sheet = inputs.workbook.current if inputs.workbook else None
    tree = section_tree(
        speech.sections, inputs.results, definition.workbook.area, period, sheet=sheet
    )
    content = [
        plain(speech.salutation),
        *(body(text) for text in speech.opening),
        *blocks.number_sections(tree),
        *(body(text) for text in speech.closing),
    ]
    return {
        "doc_title": title,
        "title_lines": title_lines(title),
        "subtitle_lines": [
            byline(Directory(definition), speaker),
            f"（{cn.format_date(speech.date or definition.meeting.date)}）",
        ],
        "addressee": "",
        "body": as_context(content),
        "attachments": [],
        "signature": [],
    }


def byline(directory: Directory, key: str) -> str:
    """``县委书记　韩景明``: the speaker's title, a full-width space, the name."""
    title = directory.person(key).title
    name = directory.name(key)
    return f"{title}\u3000{name}" if title else name
