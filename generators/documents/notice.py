"""会议通知: ``关于召开…的通知`` with time, place, attendees, agenda and requirements."""

from __future__ import annotations

from typing import Any

from huiwu.documents.blocks import (
    Block,
    Section,
    as_context,
    body,
    keep_with_signature,
    number_sections,
)
from huiwu.documents.common import (
    Directory,
    agenda_line,
    ensure_stop,
    meeting_time,
    numbered_items,
    signature_lines,
)
from huiwu.figures.inputs import Inputs
from huiwu.model import Definition
from huiwu.text import cn
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The notice's template context."""
    definition = inputs.definition
    notice = definition.notice
    if notice is None:
        raise ValueError("notice kind needs definition.notice")  # guarded by validation
    meeting = definition.meeting
    title = notice.title or f"关于召开{meeting.title}的通知"
    lead = (
        notice.lead or f"经{meeting.organizer}研究，决定召开{meeting.title}。现将有关事项通知如下："
    )
    blocks = [body(lead), *_sections(definition)]
    if definition.contact is not None:
        blocks.append(body(_contact(definition)))
    return {
        "doc_title": title,
        "title_lines": title_lines(title),
        "subtitle_lines": [],
        "addressee": _addressee(notice.to),
        "body": as_context(keep_with_signature(blocks)),
        "attachments": _attachment_lines(notice.attachments),
        "signature": signature_lines(
            notice.issuer or meeting.organizer, cn.format_date(notice.date), seal=notice.seal
        ),
    }


def _sections(definition: Definition) -> list[Block]:
    meeting = definition.meeting
    notice = definition.notice
    assert notice is not None
    when = meeting_time(meeting)
    if meeting.checkin_time is not None:
        when += f"，{cn.format_time(meeting.checkin_time, meeting.time_style)}开始签到"
    sections = [
        Section("会议时间", [ensure_stop(when)]),
        Section("会议地点", [ensure_stop(meeting.venue)]),
    ]
    attendees = _attendees(definition)
    if attendees:
        sections.append(Section("参会人员", attendees))
    if definition.agenda:
        sections.append(Section("会议议程", _agenda(definition)))
    if notice.requirements:
        sections.append(Section("有关要求", numbered_items(notice.requirements)))
    return number_sections(sections)


def _attendees(definition: Definition) -> list[Block]:
    assert definition.notice is not None
    if definition.notice.attendees:
        return [body(ensure_stop(definition.notice.attendees))]
    return numbered_items([group.label for group in definition.attendees])


def _agenda(definition: Definition) -> list[Block]:
    directory = Directory(definition)
    host = directory.comrade(definition.meeting.host)
    lines = [agenda_line(directory, item) for item in definition.agenda]
    return [body(f"会议由{host}主持，议程如下："), *numbered_items(lines)]


def _contact(definition: Definition) -> str:
    contact = definition.contact
    assert contact is not None
    name = contact.name or Directory(definition).name(contact.person or "")
    return f"联系人：{name}，联系电话：{contact.phone}。"


def _addressee(to: str) -> str:
    return to.rstrip("：:") + "："


def _attachment_lines(names: list[str]) -> list[str]:
    """``附件：1.…`` with later items aligned under the first name (§7.3.4)."""
    if not names:
        return []
    if len(names) == 1:
        return [f"附件：{names[0]}"]
    indent = "\u3000" * 3
    return [("附件：" if i == 1 else indent) + f"{i}.{name}" for i, name in enumerate(names, 1)]
