"""The document kinds huiwu produces, declared once in :data:`KINDS`.

A kind's id, Chinese name, template, availability and requirements live here and nowhere else:
the schema (``documents:``, ``--only``), the command line, the packet and the API read them from
this table. Each kind's context module (``huiwu.documents.<module>``) is imported only when a
document of that kind is built, so that reading the table is cheap (``huiwu --help``).

Adding a kind: its schema part in ``huiwu.model``, its context module here, its layout in
``templatekit.layouts``, and one :class:`Kind` entry below.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huiwu.figures.inputs import Inputs
    from huiwu.model import Definition
    from huiwu.model.sections import Section


def _always(definition: Definition) -> bool:
    return True


def _never(definition: Definition) -> bool:
    return False


@dataclass(frozen=True)
class Kind:
    """One document kind: its id, Chinese name, template, and what it needs."""

    id: str
    name: str
    available: Callable[[Definition], bool] = _always
    requires: str = ""
    """What the definition must have when ``available`` is false, said to the user."""
    needs_data: Callable[[Definition], bool] = _never
    """Whether, for this definition, it is built from the indicator workbook."""
    per_unit: bool = False
    """One document per unit (the responsibility letters) rather than one document."""
    module: str = ""
    """The context module in ``huiwu.documents`` (default: the id)."""
    template_name: str = ""
    """The template's file stem (default: the id)."""

    @property
    def template(self) -> str:
        """The template file's stem, e.g. ``notice`` for ``notice.docx``."""
        return self.template_name or self.id

    @property
    def context_module(self) -> str:
        """The import name of the module that builds this kind's context."""
        return f"huiwu.documents.{self.module or self.id}"

    @property
    def filename(self) -> str:
        """The output file name of a one-document kind: the Chinese name."""
        return f"{self.name}.docx"

    def build_context(self, inputs: Inputs) -> dict[str, Any]:
        """The template context of this kind's document (one-document kinds)."""
        if self.per_unit:
            raise TypeError(f"{self.id} is built per unit, see huiwu.publish.letters")
        builder = importlib.import_module(self.context_module).build_context
        return builder(inputs)


def _has_indicators(sections: list[Section]) -> bool:
    return any(
        any(p.indicator or p.table for p in section.paragraphs) or _has_indicators(section.sections)
        for section in sections
    )


_ROSTRUM = "定义里需要写 rostrum（主席台；可以只写 rostrum: {}）"

KINDS: dict[str, Kind] = {
    kind.id: kind
    for kind in (
        Kind(
            "notice",
            "会议通知",
            available=lambda d: d.notice is not None,
            requires="定义里需要写 notice（主送机关 to、成文日期 date 等）",
        ),
        Kind(
            "agenda",
            "会议议程",
            available=lambda d: bool(d.agenda),
            requires="定义里需要写 agenda（议程）",
        ),
        Kind("hosting_script", "主持词"),
        Kind("sign_in", "签到表"),
        Kind(
            "report",
            "工作汇报",
            available=lambda d: d.report is not None,
            requires="定义里需要写 report（工作汇报）",
            needs_data=lambda d: (
                bool(d.indicators) or (d.report is not None and _has_indicators(d.report.sections))
            ),
        ),
        Kind(
            "ranking",
            "考核结果通报",
            available=lambda d: d.ranking is not None,
            requires="定义里需要写 ranking（考核结果通报）",
            needs_data=lambda d: True,
        ),
        Kind(
            "speech",
            "领导讲话稿",
            available=lambda d: d.speech is not None,
            requires="定义里需要写 speech（讲话稿的各部分 sections 等）",
            needs_data=lambda d: d.speech is not None and _has_indicators(d.speech.sections),
        ),
        Kind(
            "minutes",
            "会议纪要",
            available=lambda d: d.minutes is not None,
            requires="定义里需要写 minutes（会议意见 findings、议定事项 decisions 等）",
        ),
        Kind(
            "seating_chart",
            "主席台座次图",
            available=lambda d: d.rostrum is not None,
            requires=_ROSTRUM,
        ),
        Kind(
            "name_cards",
            "桌签",
            available=lambda d: d.rostrum is not None,
            requires=_ROSTRUM,
        ),
        Kind(
            "letters",
            "目标管理责任书",
            available=lambda d: d.letters is not None,
            requires="定义里需要写 letters（目标管理责任书：标题、双方、目标、配额等）",
            needs_data=lambda d: True,
            per_unit=True,
            module="letter",
            template_name="letter",
        ),
    )
}
"""Every kind by id, in the order of the packet. ``letters`` is one document per unit, written
into a subfolder of the packet (or, by ``huiwu letters``, into a folder of its own)."""


def parse_kind(value: object) -> str:
    """A kind's id from its id (``notice``) or its Chinese name (``会议通知``); ValueError
    (in Chinese, listing the kinds) for anything else."""
    if isinstance(value, str):
        text = value.strip()
        if text in KINDS:
            return text
        for kind in KINDS.values():
            if text == kind.name:
                return kind.id
    raise ValueError(f"不认识的文档种类“{value}”，可选：{kinds_text()}")


def kinds_text() -> str:
    """Every kind as ``id（名称）``, for messages and ``--help``."""
    return "、".join(f"{kind.id}（{kind.name}）" for kind in KINDS.values())


def selected_kinds(definition: Definition, only: list[str] | None = None) -> list[Kind]:
    """The kinds to build, in packet order: ``only`` if given, else the definition's
    ``documents``, else every kind the definition has what it needs for."""
    if only is not None:
        wanted = set(only)
    elif definition.documents is not None:
        wanted = set(definition.documents)
    else:
        wanted = {kind.id for kind in KINDS.values() if kind.available(definition)}
    return [kind for kind in KINDS.values() if kind.id in wanted]
