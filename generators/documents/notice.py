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
from huiwu.documents.elements import attachment_label, attachment_note, imprint, masthead
from huiwu.figures.inputs import Inputs
from huiwu.model import Definition, Receipt
from huiwu.text import cn
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The notice's template context, with the names the template shows (版头, 标题, 主送机关 …)."""
    definition = inputs.definition
    notice = definition.notice
    if notice is None:
        raise ValueError("notice kind needs definition.notice")  # guarded by validation
    meeting = definition.meeting
    title = notice.title or f"关于召开{meeting.title}的通知"
    lead = (
        notice.lead or f"经{meeting.organizer}研究，决定召开{meeting.title}。现将有关事项通知如下："
    )
    issuer = notice.issuer or meeting.organizer
    names = list(notice.attachments)
    receipt = notice.receipt
    if receipt is not None:
        names.append(receipt_title(definition))
    blocks = [body(lead), *_sections(definition)]
    if receipt is not None:
        label = attachment_label(len(names), len(names))
        blocks.append(body(_receipt_request(receipt, label, issuer)))
    if definition.contact is not None:
        blocks.append(body(_contact(definition)))
    *signature, date = signature_lines(issuer, cn.format_date(notice.date), seal=notice.seal)
    return {
        "doc_title": title,
        "版头": masthead(notice.masthead),
        "标题": title_lines(title),
        "主送机关": _addressee(notice.to),
        "正文": as_context(keep_with_signature(blocks)),
        "附件说明": attachment_note(names),
        "署名": signature,
        "成文日期": date,
        "回执": _receipt(definition, len(names)),
        "版记": imprint(notice.imprint),
    }


def receipt_title(definition: Definition) -> str:
    """The 回执's title: as written, or ``{会议名称}参会回执``."""
    receipt = definition.notice.receipt if definition.notice else None
    assert receipt is not None
    return receipt.title or f"{definition.meeting.title}参会回执"


def _receipt_request(receipt: Receipt, label: str, issuer: str) -> str:
    """``请于2012年9月18日前将参会回执（附件2）传真至…。``"""
    send = receipt.send_to or f"报送至{issuer}"
    return ensure_stop(
        f"请各单位于{cn.format_date(receipt.deadline)}前将参会回执（见{label}）{send}"
    )


def _receipt(definition: Definition, count: int) -> dict[str, Any] | None:
    """The 回执 page: its label, title lines, columns and blank rows to fill in."""
    notice = definition.notice
    assert notice is not None
    receipt = notice.receipt
    if receipt is None:
        return None
    columns = receipt_columns(receipt)
    return {
        "标识": attachment_label(count, count),
        "标题": title_lines(receipt_title(definition)),
        "栏目": columns,
        "空行": [[""] * len(columns) for _ in range(receipt.rows)],
        "截止": f"请于{cn.format_date(receipt.deadline)}前报回。",
    }


RECEIPT_COLUMNS: tuple[str, ...] = ("单位", "姓名", "职务", "联系电话")
"""The columns every 参会回执 has; the definition may add more."""


def receipt_columns(receipt: Receipt) -> list[str]:
    """The 回执's columns: the four every receipt has, then those the definition adds."""
    return [*RECEIPT_COLUMNS, *(c for c in receipt.columns if c not in RECEIPT_COLUMNS)]


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
