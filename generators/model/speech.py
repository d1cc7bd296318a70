"""领导讲话稿: who speaks, when, and a sections tree (seed 001)."""

from __future__ import annotations

from huiwu.model.base import CnDate, PersonKey, Schema, Text, TextList
from huiwu.model.sections import Section
from pydantic import Field


class Speech(Schema):
    """领导讲话稿。"""

    title: Text | None = Field(
        None,
        title="标题",
        description="不写时为“在{会议名称}上的讲话”。标题过长时自动按词断行。",
    )
    speaker: PersonKey | None = Field(
        None,
        title="讲话人",
        description="讲话人在 people 下的键；标题下写“职务　姓名”。不写时取议程里最后一项讲话的人。",
    )
    date: CnDate | None = Field(
        None, title="日期", description="标题下的日期行“（2012年10月14日）”；不写时用会议日期。"
    )
    salutation: str = Field("同志们：", title="称呼", description="正文前顶格的称呼。")
    opening: TextList = Field(
        default_factory=list,
        title="开头",
        description="各部分之前的段落，每段一项：会议的意义、成绩回顾、“下面，我讲几点意见”等。",
    )
    sections: list[Section] = Field(
        title="各部分",
        description="讲话的各部分，序号（一、（一））自动生成；下级节写 inline: true 时，"
        "标题接正文（如“（一）要深化认识。……”）。",
    )
    closing: TextList = Field(
        default_factory=list,
        title="结尾",
        description="各部分之后的段落，如“同志们，……”“春节将至，……”。",
    )
