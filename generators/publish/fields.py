"""``huiwu fields``: every name a template of one kind may use, with its value.

A user who turns last year's Word file into a template (mail-merge style) needs to know what to
write between ``{{ }}``: the same names as the definition's texts (``year``, ``meeting.title``,
the indicators …), the document's own parts, and for the letters ``单位``、``配额``、``总额``、
``数据`` and the two parties. The values shown are this definition's (the letters: the first
unit's).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from huiwu.definition.load import LoadedDefinition
from huiwu.documents import KINDS
from huiwu.publish.packet import BuildOptions, render_packet

DESCRIPTIONS = {
    "year": "年份",
    "date": "会议日期",
    "meeting": "会议（名称 title、主办单位 organizer、日期 date、时间 time、地点 venue、主持人 host 等）",
    "单位": "本份责任书的单位",
    "配额": "本单位的各项配额",
    "总额": "各项配额的全部单位合计",
    "数据": "本单位在指标表里的各列数据",
    "分配": "各项配额逐单位的列表",
    "单位数": "单位的个数",
    "甲方": "责任书的甲方（发文单位）",
    "乙方": "责任书的乙方（本单位）",
    "各单位": "各单位的指标",
    "合计": "指标表各列的合计",
    "排名": "考核排名（前三名、第一名、末位、标记、表）",
    "doc_title": "文档属性里的标题",
    "title_lines": "标题（已按词断行，每行一项）",
    "body": "正文（计算好的全部段落，一个字段）",
    "sign": "落款（署名和日期）",
    "parties": "甲乙双方（每行一项）",
    "allocation": "附件：配额分配表",
}
"""What the common names mean; an indicator is described by its definition."""

MAX_EXAMPLE = 60
MAX_DEPTH = 2


def template_fields(
    loaded: LoadedDefinition, kind_id: str, data: Path | None = None
) -> list[tuple[str, str, str]]:
    """(name, description, example value) of every name a ``kind_id`` template may use, the
    mappings opened up one level (``meeting.title``, ``配额.两非案件``)."""
    kind = KINDS[kind_id]
    packet = render_packet(loaded, BuildOptions(only=[kind_id], data=data), proofreading=False)
    if packet.letters is not None:
        context = packet.letters.context(packet.letters.units[0])
    else:
        context = {**packet.inputs.names(), **kind.build_context(packet.inputs)}
    described = {**DESCRIPTIONS, **_indicator_descriptions(loaded)}
    rows = []
    for name, value in _flatten(context, "", 0):
        top = name.split(".", 1)[0]
        description = described.get(name) or (described.get(top, "") if name == top else "")
        rows.append((name, description, _show(value)))
    return rows


def _indicator_descriptions(loaded: LoadedDefinition) -> dict[str, str]:
    return {name: f"指标：{name}" for name in loaded.model.indicators}


def _flatten(value: Mapping[str, Any], prefix: str, depth: int) -> Iterator[tuple[str, Any]]:
    # the top level in name order; inside a table, its own order (units as in the workbook)
    for key in sorted(value, key=str) if depth == 0 else list(value):
        if str(key).startswith("_"):
            continue
        item = value[key]
        name = f"{prefix}{key}"
        if hasattr(item, "model_dump"):
            item = item.model_dump()
        yield name, item
        if isinstance(item, Mapping) and item and depth < MAX_DEPTH - 1:
            yield from _flatten(item, f"{name}.", depth + 1)


def _show(value: Any) -> str:
    """A value as a template would print it, shortened."""
    if value is None:
        text = "（未填）"
    elif isinstance(value, Mapping):
        text = f"（{len(value)} 项：{'、'.join(str(k) for k in list(value)[:6])}{'…' if len(value) > 6 else ''}）"
    elif isinstance(value, list | tuple):
        text = f"（列表，{len(value)} 项）"
    else:
        text = str(value)
    return text if len(text) <= MAX_EXAMPLE else text[: MAX_EXAMPLE - 1] + "…"
