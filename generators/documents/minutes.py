"""会议纪要: the §10.3 banner (or a title), an opening composed from the meeting's facts, the
meeting's findings, its numbered decisions, and the 出席/请假/列席 lists (seeds 000 and 004).

The opening reads ``5月25日，县委副书记、县长…在…主持召开…。会议传达了…，听取了…，研究了…。
现将会议议定事项纪要如下：`` — each clause only when there is something to say in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from huiwu.definition import roles
from huiwu.documents.blocks import Block, Section, as_context, body, number_sections
from huiwu.documents.common import Directory, ensure_stop, item_wording
from huiwu.figures.inputs import Inputs
from huiwu.model import AttendanceEntry, Decision, Definition, Minutes
from huiwu.text import cn
from huiwu.text.typeset import BODY_LINE_CHARS, pack_lines, title_lines

BANNER_LINE_CHARS = 12
"""小初 (36 pt) characters on a 156 mm line."""

ATTENDANCE_LINE_CHARS = BODY_LINE_CHARS - 2 - 3
"""After 左空二字 and ``出席：``, where wrapped lines of the list align (§10.3)."""


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The minutes' template context."""
    definition = inputs.definition
    minutes = definition.minutes
    assert minutes is not None  # guarded by Kind.available
    directory = Directory(definition)
    title = minutes.title or f"{definition.meeting.title}纪要"
    when = cn.format_date(minutes.date or definition.meeting.date)
    content = [
        body(minutes.opening or opening(definition, directory)),
        *_findings(minutes, directory),
        *_decisions(minutes),
    ]
    return {
        "doc_title": minutes.banner or title,
        "banner_lines": title_lines(minutes.banner, BANNER_LINE_CHARS) if minutes.banner else [],
        "issue": f"第{minutes.issue}期" if minutes.issue else "",
        "masthead_office": minutes.office or definition.meeting.organizer,
        "masthead_date": when,
        "title_lines": title_lines(title),
        "subtitle_lines": [f"（{when}）"],
        "body": as_context(content),
        "attendance": attendance(definition, directory),
    }


def opening(definition: Definition, directory: Directory) -> str:
    """The first paragraph: when, who presided where, what the meeting did."""
    meeting = definition.meeting
    minutes = definition.minutes
    assert minutes is not None
    text = (
        f"{cn.format_month_day(meeting.date)}，{directory.title_name(meeting.host)}"
        f"在{meeting.venue}主持召开{meeting.title}。"
    )
    heard = minutes.heard if minutes.heard is not None else _reports_heard(definition, directory)
    clauses = [
        verb + cn.join_names(items)
        for verb, items in (
            ("传达了", minutes.conveyed or _conveyed(definition)),
            ("听取了", heard),
            ("研究了", minutes.studied),
        )
        if items
    ]
    if clauses:
        text += "会议" + "，".join(clauses) + "。"
    if minutes.decisions and not minutes.findings:
        return text + "现将会议议定事项纪要如下："
    return text + "现将会议精神纪要如下："


def _reports_heard(definition: Definition, directory: Directory) -> list[str]:
    """The agenda's reports as the opening names them: ``县人口计生局局长叶文华关于…的汇报``."""
    return [
        directory.title_name(item.by)
        + (f"关于{item.topic}" if item.topic else "")
        + f"的{item_wording(item).noun}"
        for item in definition.agenda
        if item.resolved_kind == "汇报" and item.by
    ]


def _conveyed(definition: Definition) -> list[str]:
    """What the agenda's 传达 items conveyed (``全省计划生育工作会议精神``)."""
    topics = [item.topic for item in definition.agenda if item.does.startswith("传达")]
    return list(dict.fromkeys(topic for topic in topics if topic))


def _findings(minutes: Minutes, directory: Directory) -> list[Block]:
    """``会议认为，……`` or, for what one leader said, ``刘焕星指出，……``."""
    return [
        body(
            f"{directory.name(finding.by) if finding.by else '会议'}{finding.verb}，"
            f"{ensure_stop(finding.text)}"
        )
        for finding in minutes.findings
    ]


def _decisions(minutes: Minutes) -> list[Block]:
    if not minutes.decisions:
        return []
    lead = [body(minutes.decisions_lead)] if minutes.findings else []
    level = 2 if minutes.item_numbers == "（一）" else 3
    sections = [_decision(decision, level) for decision in minutes.decisions]
    return [*lead, *number_sections(sections)]


def _decision(decision: Decision, item_level: int) -> Section:
    title = decision.title if decision.title.startswith("关于") else f"关于{decision.title}"
    items = [
        body(cn.heading_number(item_level, number) + ensure_stop(item))
        for number, item in enumerate(decision.items, start=1)
    ]
    return Section(title, [*(ensure_stop(text) for text in decision.text), *items])


def attendance(definition: Definition, directory: Directory) -> list[dict[str, str]]:
    """The ``出席：`` ``请假：`` ``列席：`` lines that have anyone in them."""
    minutes = definition.minutes
    assert minutes is not None
    present = (
        minutes.present
        if minutes.present is not None
        else [AttendanceEntry(person=key) for key in directory.by_rank(roles.present(definition))]
    )
    lists = (("出席：", present), ("请假：", minutes.absent), ("列席：", minutes.observers))
    return [
        {"label": label, "lines": _lines(directory, entries, minutes.with_titles)}
        for label, entries in lists
        if entries
    ]


def _lines(
    directory: Directory, entries: Sequence[AttendanceEntry], with_titles: bool
) -> list[str]:
    names = [_name(directory, entry, with_titles) for entry in entries]
    # Titles and unit lists contain 、 themselves; a comma then keeps the entries apart.
    separator = "，" if any("、" in name for name in names) else "、"
    return pack_lines(names, ATTENDANCE_LINE_CHARS, separator)


def _name(directory: Directory, entry: AttendanceEntry, with_titles: bool) -> str:
    if entry.person is None:
        text = entry.text or ""
    else:
        text = directory.title_name(entry.person) if with_titles else directory.name(entry.person)
    return f"{text}（{entry.note}）" if entry.note else text
