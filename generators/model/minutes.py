"""会议纪要: the meeting's findings, its numbered decisions and who attended (seeds 000, 004)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from huiwu.model.base import CnDate, PersonKey, Schema, Text, TextList
from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

FindingVerb = Literal[
    "认为",
    "指出",
    "强调",
    "要求",
    "提出",
    "表示",
    "希望",
    "肯定",
    "部署",
    "在讲话中指出",
    "在讲话中强调",
    "在讲话中要求",
]


class Finding(Schema):
    """会议的一条意见，或一位领导的讲话要点。生成“会议认为，……”一段；写了 by 时生成
    “刘焕星指出，……”（seed 000 的写法）。"""

    by: PersonKey | None = Field(
        None,
        title="谁说的",
        description="讲话人在 people 下的键；写了就以此人的姓名开头（如“刘焕星指出，……”），"
        "不写时以“会议”开头。",
    )
    verb: FindingVerb = Field(
        title="说法",
        description="认为、指出、强调、要求、提出、表示、希望、肯定或部署；写了 by 时还可以用"
        "“在讲话中指出”“在讲话中强调”“在讲话中要求”（“刘焕星在讲话中强调，……”）。",
    )
    text: Text = Field(title="内容", description="逗号后面的话，如“前段时间，……”。")


class Decision(Schema):
    """一项议定事项。生成“一、关于……”，下面是“同意……”等正文和分项。"""

    title: Text = Field(
        title="事项",
        description="如“开展社会抚养费征管用情况督查工作”；前面没有“关于”时自动加上。序号自动生成。",
    )
    text: TextList = Field(
        default_factory=list,
        title="正文",
        description="标题下的段落，通常以“同意……”开头；一段可以直接写成一行文字。",
    )
    items: TextList = Field(
        default_factory=list,
        title="分项",
        description="需要分条写的内容，每条一项，自动编号（见 minutes.item_numbers）。",
    )

    @model_validator(mode="after")
    def _has_content(self) -> Decision:
        if not self.text and not self.items:
            raise PydanticCustomError(
                "decision_empty", "议定事项要写正文 text（如“同意……”）或分项 items"
            )
        return self


class AttendanceEntry(Schema):
    """名单里的一项。出席、请假或列席名单里的一个人（可加括注），或一段文字（如“县财政局负责同志”）。"""

    person: PersonKey | None = Field(None, title="人员", description="此人在 people 下的键。")
    text: Text | None = Field(
        None,
        title="文字",
        description="不在 people 里的单位或人员，如“县财政局、县卫生局负责同志”。",
    )
    note: str | None = Field(
        None, title="括注", description="写在姓名后的括号里，如请假的原因“出差”。"
    )

    @model_validator(mode="after")
    def _one_of(self) -> AttendanceEntry:
        if (self.person is None) == (self.text is None):
            raise PydanticCustomError(
                "attendance_entry", "每项写 person（people 里的键）或 text（文字），只写一个"
            )
        return self


def _entry(value: Any) -> Any:
    return {"person": value} if isinstance(value, str) else value


AttendanceList = list[Annotated[AttendanceEntry, BeforeValidator(_entry)]]
"""A name list: each item a person's key (short for ``{person: 键}``), or an entry with a note
or free text."""


class Minutes(Schema):
    """会议纪要。"""

    banner: Text | None = Field(
        None,
        title="纪要标志",
        description="写了就用红色版头（GB/T 9704 §10.3），如“岚溪县人口和计划生育工作领导小组会议纪要”，"
        "下面是期数、印发机关和日期；不写时用普通标题。",
    )
    issue: int | None = Field(None, ge=1, title="期数", description="版头下的“第X期”。")
    office: Text | None = Field(
        None, title="印发机关", description="版头左下的机关名称；不写时用会议的主办单位。"
    )
    date: CnDate | None = Field(
        None, title="日期", description="版头右下（或标题下）的日期；不写时用会议日期。"
    )
    title: Text | None = Field(
        None,
        title="标题",
        description="不用版头时的标题；不写时为“{会议名称}纪要”。",
    )
    opening: Text | None = Field(
        None,
        title="开头",
        description="写了就用这段话代替自动组成的开头"
        "（“X月X日，…在…主持召开…。会议传达了…，听取了…，研究了…。现将会议议定事项纪要如下：”）。",
    )
    conveyed: list[Text] = Field(
        default_factory=list,
        title="传达了",
        description="开头“会议传达了……”的内容，每项一件，如“全省人口和计划生育工作会议精神”。"
        "不写时取议程里“传达”各项的内容（topic）。",
    )
    heard: list[Text] | None = Field(
        None,
        title="听取了",
        description="开头“听取了……”的内容，每项一件。不写时由议程里的汇报生成；"
        "写 [] 则不写这一句。",
    )
    studied: list[Text] = Field(
        default_factory=list,
        title="研究了",
        description="开头“研究了……”的内容，如“当前人口和计划生育工作有关问题”。",
    )
    findings: list[Finding] = Field(
        default_factory=list,
        title="会议意见",
        description="“会议认为/指出/强调/要求，……”，每条一段。",
    )
    decisions_lead: Text = Field(
        "会议议定了以下事项：",
        title="议定事项引语",
        description="会议意见和议定事项之间的一句话（没有会议意见时不用）。",
    )
    decisions: list[Decision] = Field(
        default_factory=list,
        title="议定事项",
        description="每项生成“一、关于……”一节，序号自动生成（十、十一、……）。",
    )
    item_numbers: Literal["（一）", "1."] = Field(
        "（一）",
        title="分项序号",
        description="议定事项分项的序号：“（一）”按公文层次；“1.”是不少纪要的习惯写法。",
    )
    present: AttendanceList | None = Field(
        None,
        title="出席",
        description="出席人员，每项写 people 里的键，或 {person: 键, note: 括注}、{text: 文字}。不写时为主持人、出席领导、上级领导"
        "和参会人员中写明的人。",
    )
    absent: AttendanceList = Field(
        default_factory=list,
        title="请假",
        description="请假人员，可加括注：{person: 王某, note: 出差}。",
    )
    observers: AttendanceList = Field(
        default_factory=list,
        title="列席",
        description="列席人员或单位，如 {text: 县财政局、县卫生局负责同志}。",
    )
    with_titles: bool = Field(
        False,
        title="名单写职务",
        description="出席、请假、列席名单在姓名前写职务（如“县委书记韩景明”）；默认只写姓名。",
    )

    @model_validator(mode="after")
    def _has_substance(self) -> Minutes:
        if not self.findings and not self.decisions and self.opening is None:
            raise PydanticCustomError(
                "minutes_empty", "纪要要写会议意见 findings 或议定事项 decisions"
            )
        return self
