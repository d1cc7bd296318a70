"""主持词: what the host says, from ``同志们：`` to ``（散会）``.

The order follows the hosting scripts in seed 003: purpose → who is present, by rank (a visiting
team's roster first) → attendees → discipline → the agenda announced → ``会议进行第X项：`` for
each item in wording that fits it → a summary → the host's closing points → ``（散会）``.
Every sentence names people from the definition; none is left with a blank before ``同志``.
"""

from __future__ import annotations

from typing import Any

from huiwu.documents.blocks import Block, as_context, body
from huiwu.documents.common import (
    Directory,
    agenda_line,
    behalf,
    ensure_stop,
    item_wording,
    quantity,
)
from huiwu.figures.inputs import Inputs
from huiwu.model import AgendaItem, Definition
from huiwu.text import cn
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The hosting script's template context."""
    definition = inputs.definition
    directory = Directory(definition)
    # 同志们： and （散会） are the template's own wording.
    blocks: list[Block] = []
    blocks += _opening(definition)
    blocks += _team(definition, directory)
    blocks += _guests(definition, directory)
    blocks += _leaders(definition, directory)
    blocks += _attendees(definition)
    blocks += _discipline(definition)
    blocks += _agenda_overview(definition, directory)
    for number, item in enumerate(definition.agenda, start=1):
        blocks += _item(definition, directory, number, item)
    blocks += _summary(definition, directory)
    blocks += _points(definition)
    title = f"{definition.meeting.title}主持词"
    return {
        "doc_title": title,
        "title_lines": title_lines(title),
        "subtitle_lines": [f"（{cn.format_date(definition.meeting.date)}）"],
        "addressee": "",
        "body": as_context(blocks),
        "attachments": [],
        "signature": [],
    }


def _opening(definition: Definition) -> list[Block]:
    meeting = definition.meeting
    team = definition.visiting_team
    if team is not None:
        arranged = f"按照{team.arranged_by}的统一安排，" if team.arranged_by else ""
        text = (
            f"{arranged}今天，{team.name}到{meeting.place}{team.task}。"
            f"让我们以热烈的掌声，对{team.short}莅临{meeting.place}{team.task}表示热烈的欢迎！"
        )
    else:
        text = f"经{meeting.organizer}研究决定，今天召开{meeting.title}。"
    if meeting.purpose:
        text += f"会议的主要任务是：{ensure_stop(meeting.purpose)}"
    return [body(text)]


def _team(definition: Definition, directory: Directory) -> list[Block]:
    team = definition.visiting_team
    if team is None or not team.members:
        return []
    lines = []
    previous_role = None
    for member in team.members:
        prefix = ""
        if member.role != previous_role:
            prefix = "成员有：" if member.role == "成员" else f"{member.role}："
        lines.append(prefix + directory.comrade(member.person))
        previous_role = member.role
    return [body(f"首先，我向大家介绍{team.short}的各位领导："), *_listing(lines)]


def _guests(definition: Definition, directory: Directory) -> list[Block]:
    if not definition.guests:
        return []
    lines = [directory.comrade(key) for key in directory.by_rank(definition.guests)]
    welcome = "再次" if definition.visiting_team is not None else ""
    return [
        body("参加今天会议的领导有："),
        *_listing(lines),
        body(f"让我们{welcome}以热烈的掌声，对各位领导的到来表示热烈的欢迎！"),
    ]


def _leaders(definition: Definition, directory: Directory) -> list[Block]:
    if not definition.leaders:
        return []
    names = "，".join(directory.comrade(key) for key in directory.by_rank(definition.leaders))
    if definition.visiting_team is not None or definition.guests:
        return [body(f"{names}也参加了今天的会议。")]
    return [body(f"出席今天会议的领导有：{names}。")]


def _attendees(definition: Definition) -> list[Block]:
    if not definition.attendees:
        return []
    also = (
        "还有" if definition.leaders or definition.guests or definition.visiting_team else "人员有"
    )
    labels = "，".join(group.label.rstrip("。；，") for group in definition.attendees)
    return [body(f"参加今天会议的{also}：{labels}。")]


def _discipline(definition: Definition) -> list[Block]:
    if not definition.discipline:
        return []
    rules = "；".join(rule.rstrip("。；;，, ") for rule in definition.discipline)
    return [
        body(
            f"为了开好这次会议，我先宣布一下会议纪律：{rules}。"
            "希望大家自觉遵守会议纪律，共同开好这次会议。"
        )
    ]


def _agenda_overview(definition: Definition, directory: Directory) -> list[Block]:
    items = definition.agenda
    if not items:
        return []
    if len(items) == 1:
        return [body(f"今天会议只有一项议程：{agenda_line(directory, items[0])}。")]
    parts = "；".join(
        f"{cn.ordinal(number)}项，{agenda_line(directory, item)}"
        for number, item in enumerate(items, start=1)
    )
    return [body(f"今天会议的议程有{quantity(len(items))}项：{parts}。下面分项进行。")]


def _item(
    definition: Definition, directory: Directory, number: int, item: AgendaItem
) -> list[Block]:
    head = f"会议进行{cn.ordinal(number)}项："
    if item.say:
        return [body(head + ensure_stop(item.say))]
    if item.resolved_kind == "检查":
        return _inspection(definition, directory, head)
    return [body(head + _announce(directory, item))]


def _announce(directory: Directory, item: AgendaItem) -> str:
    who = directory.comrade(item.by, item.role) if item.by else ""
    welcome = "，大家欢迎！" if item.resolved_kind in ("讲话", "介绍") else "。"
    if not who:  # 全体起立，奏国歌: nobody to ask
        return ensure_stop(item_wording(item).now)
    return f"请{who}{behalf(item)}{item_wording(item).now}{welcome}"


def _inspection(definition: Definition, directory: Directory, head: str) -> list[Block]:
    team = definition.visiting_team
    by = f"根据{team.short}的统一安排，" if team is not None else "根据会议安排，"
    intro = (
        f"{head}{by}接下来，各组将分开进行检查考核。涉及的各有关单位要全力配合，确保检查考核"
        "顺利进行。为便于工作衔接，我将各组陪同人员名单再强调一下："
    )
    groups = []
    for group in definition.inspection_groups:
        escorts = "；".join(
            f"{escort.label}有{'、'.join(directory.comrade(k) for k in escort.people)}"
            for escort in group.escorts
        )
        line = (
            f"{group.name}（{group.task}）：{escorts}" if escorts else f"{group.name}：{group.task}"
        )
        groups.append(body(ensure_stop(line)))
    return [body(intro), *groups]


def _summary(definition: Definition, directory: Directory) -> list[Block]:
    closing = definition.closing
    if closing.summary:
        return [body(ensure_stop(closing.summary))]
    recaps = [_recap(directory, item) for item in definition.agenda]
    recaps = [r for r in recaps if r]
    if not recaps:
        return []
    text = "同志们，今天会议的各项议程已经全部完成。刚才，" + "；".join(recaps) + "。"
    speeches = [item for item in definition.agenda if item.resolved_kind == "讲话" and item.by]
    if speeches:
        speaker = directory.short(speeches[-1].by or "")
        text += f"希望大家认真领会{speaker}的讲话精神，结合各自实际，抓好贯彻落实。"
    return [body(text)]


def _recap(directory: Directory, item: AgendaItem) -> str:
    if item.resolved_kind == "检查" or item.by is None or item.say:
        return ""
    return directory.short(item.by) + behalf(item) + item_wording(item).past


def _points(definition: Definition) -> list[Block]:
    closing = definition.closing
    blocks: list[Block] = []
    if closing.points:
        blocks.append(body(f"下面，我再强调{quantity(len(closing.points))}点意见。"))
        for number, point in enumerate(closing.points, start=1):
            head = f"{cn.numeral(number)}是{ensure_stop(point.head)}"
            blocks.append(body(head + (point.text or "")))
    if closing.final:
        blocks.append(body(ensure_stop(closing.final)))
    return blocks


def _listing(lines: list[str]) -> list[Block]:
    """One person a line, ``；`` after each and ``。`` after the last, as read out."""
    return [body(line + ("。" if i == len(lines) - 1 else "；")) for i, line in enumerate(lines)]
