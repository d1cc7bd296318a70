"""The document kinds huiwu produces, each a pure function from the model to its context.

Adding a kind: write its context module here, its layout in ``templatekit.layouts``, its schema
part (if any) in ``model``, and one :class:`Kind` entry below.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from huiwu.documents import (
    agenda,
    hosting_script,
    minutes,
    name_cards,
    notice,
    ranking,
    report,
    seating_chart,
    sign_in,
    speech,
)
from huiwu.figures.inputs import Inputs
from huiwu.model import KIND_NAMES, Definition
from huiwu.model.sections import Section


@dataclass(frozen=True)
class Kind:
    """One document kind: its id, Chinese name, template and context builder."""

    id: str
    name: str
    template: str
    build_context: Callable[[Inputs], dict[str, Any]]
    available: Callable[[Definition], bool] = lambda definition: True
    requires: str = ""
    """What the definition must have when ``available`` is false, said to the user."""
    needs_data: Callable[[Definition], bool] = lambda definition: False
    """Whether, for this definition, it is built from the indicator workbook."""

    @property
    def filename(self) -> str:
        """The output file name: the Chinese name."""
        return f"{self.name}.docx"


KINDS: dict[str, Kind] = {
    kind.id: kind
    for kind in (
        Kind(
            "notice",
            KIND_NAMES["notice"],
            "notice",
            notice.build_context,
            available=lambda d: d.notice is not None,
            requires="定义里需要写 notice（主送机关 to、成文日期 date 等）",
        ),
        Kind(
            "agenda",
            KIND_NAMES["agenda"],
            "agenda",
            agenda.build_context,
            available=lambda d: bool(d.agenda),
            requires="定义里需要写 agenda（议程）",
        ),
        Kind(
            "hosting_script",
            KIND_NAMES["hosting_script"],
            "hosting_script",
            hosting_script.build_context,
        ),
        Kind("sign_in", KIND_NAMES["sign_in"], "sign_in", sign_in.build_context),
        Kind(
            "report",
            KIND_NAMES["report"],
            "report",
            report.build_context,
            available=lambda d: d.report is not None,
            requires="定义里需要写 report（工作汇报）",
            needs_data=lambda d: bool(d.indicators),
        ),
        Kind(
            "ranking",
            KIND_NAMES["ranking"],
            "ranking",
            ranking.build_context,
            available=lambda d: d.ranking is not None,
            requires="定义里需要写 ranking（考核结果通报）",
            needs_data=lambda d: True,
        ),
        Kind(
            "speech",
            KIND_NAMES["speech"],
            "speech",
            speech.build_context,
            available=lambda d: d.speech is not None,
            requires="定义里需要写 speech（讲话稿的各部分 sections 等）",
            needs_data=lambda d: d.speech is not None and _has_indicators(d.speech.sections),
        ),
        Kind(
            "minutes",
            KIND_NAMES["minutes"],
            "minutes",
            minutes.build_context,
            available=lambda d: d.minutes is not None,
            requires="定义里需要写 minutes（会议意见 findings、议定事项 decisions 等）",
        ),
        Kind(
            "seating_chart",
            KIND_NAMES["seating_chart"],
            "seating_chart",
            seating_chart.build_context,
            available=lambda d: d.rostrum is not None,
            requires="定义里需要写 rostrum（主席台；可以只写 rostrum: {}）",
        ),
        Kind(
            "name_cards",
            KIND_NAMES["name_cards"],
            "name_cards",
            name_cards.build_context,
            available=lambda d: d.rostrum is not None,
            requires="定义里需要写 rostrum（主席台；可以只写 rostrum: {}）",
        ),
    )
}


def _has_indicators(sections: list[Section]) -> bool:
    return any(
        any(p.indicator for p in section.paragraphs) or _has_indicators(section.sections)
        for section in sections
    )


def selected_ids(definition: Definition, only: list[str] | None = None) -> set[str]:
    """The kind ids to build: ``only`` if given, else the definition's ``documents``, else every
    kind whose data the definition has (``letters`` when it has letters)."""
    if only is not None:
        return set(only)
    if definition.documents is not None:
        return set(definition.documents)
    wanted = {kind.id for kind in KINDS.values() if kind.available(definition)}
    return wanted | ({"letters"} if definition.letters is not None else set())


def selected_kinds(definition: Definition, only: list[str] | None = None) -> list[Kind]:
    """The single-document kinds to build (see :func:`selected_ids`), in packet order."""
    wanted = selected_ids(definition, only)
    return [kind for kind in KINDS.values() if kind.id in wanted]
