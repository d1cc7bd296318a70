"""Which documents to produce, and the options of each document kind."""

from __future__ import annotations

from typing import Annotated, Any

from huiwu.documents import KINDS, kinds_text
from huiwu.documents import parse_kind as parse_registered_kind
from huiwu.model.base import CnDate, Schema, Text
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

KIND_NAMES: dict[str, str] = {kind.id: kind.name for kind in KINDS.values()}
"""Document kind id → its Chinese name, in packet order (read from :data:`huiwu.documents.KINDS`)."""


def parse_kind(value: Any) -> str:
    """Accept a kind by its id (``notice``) or its Chinese name (``会议通知``)."""
    try:
        return parse_registered_kind(value)
    except ValueError:
        raise PydanticCustomError(
            "doc_kind",
            "不认识的文档种类“{value}”，可选：{allowed}",
            {"value": value, "allowed": kinds_text()},
        ) from None


DocKind = Annotated[str, BeforeValidator(parse_kind)]


class Notice(Schema):
    """会议通知。"""

    title: Text | None = Field(
        None,
        title="标题",
        description="不写时为“关于召开{会议名称}的通知”。标题过长时自动按词断行。",
    )
    to: Text = Field(
        title="主送机关",
        description="如“各村（社区）党支部、村委会，镇直各单位”；末尾的全角冒号可以不写。",
    )
    lead: Text | None = Field(
        None,
        title="开头语",
        description="不写时为“经{主办单位}研究，决定召开{会议名称}。现将有关事项通知如下：”。",
    )
    attendees: Text | None = Field(
        None, title="参会人员", description="不写时由 attendees 列出；写了就用这段话。"
    )
    requirements: list[Text] = Field(
        default_factory=list,
        title="有关要求",
        description="每条一项，生成“五、有关要求”下的 1. 2. 3.。",
    )
    attachments: list[str] = Field(
        default_factory=list, title="附件", description="附件名称，生成“附件：1.…”说明。"
    )
    issuer: Text | None = Field(None, title="发文机关署名", description="不写时用会议的主办单位。")
    date: CnDate = Field(title="成文日期", description="通知落款的日期。")
    seal: bool = Field(
        True,
        title="加盖印章",
        description="加盖印章时署名以成文日期为准居中、日期右空四字；不盖章时署名右空二字。",
    )


class SignIn(Schema):
    """签到表。"""

    title: Text | None = Field(None, title="标题", description="不写时为“{会议名称}签到表”。")
    blank_rows: int = Field(
        5, ge=0, le=500, title="空白行", description="名单之后留给临时参会人员的空行数。"
    )


DocumentList = list[DocKind]
