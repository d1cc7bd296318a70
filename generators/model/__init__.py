"""The meeting definition: everything ``meeting.yaml`` may say, validated.

The root is :class:`Definition`. Each document kind or feature keeps its part of the schema in a
module of its own here and adds one field to :class:`Definition`.
"""

from __future__ import annotations

from typing import Literal

from huiwu.model.base import PersonKey, Schema, Text
from huiwu.model.documents import (
    KIND_NAMES,
    DocumentList,
    Imprint,
    Masthead,
    Notice,
    Receipt,
    SignIn,
)
from huiwu.model.indicators import Indicator, Ranking, Workbook
from huiwu.model.letters import Letters
from huiwu.model.meeting import (
    AgendaItem,
    AttendeeGroup,
    AttendeeList,
    Closing,
    Contact,
    InspectionGroup,
    Meeting,
    Person,
    VisitingTeam,
)
from huiwu.model.minutes import AttendanceEntry, Decision, Finding, Minutes
from huiwu.model.report import Report
from huiwu.model.rostrum import NameCards, Rostrum
from huiwu.model.speech import Speech
from pydantic import Field

__all__ = [
    "KIND_NAMES",
    "AgendaItem",
    "AttendanceEntry",
    "AttendeeGroup",
    "Closing",
    "Contact",
    "Decision",
    "Definition",
    "Finding",
    "Imprint",
    "Indicator",
    "InspectionGroup",
    "Letters",
    "Masthead",
    "Meeting",
    "Minutes",
    "NameCards",
    "Notice",
    "Person",
    "Ranking",
    "Receipt",
    "Report",
    "Rostrum",
    "SignIn",
    "Speech",
    "VisitingTeam",
    "Workbook",
]


class Definition(Schema):
    """一份会议定义（meeting.yaml）。"""

    extends: str | None = Field(
        None,
        title="沿用",
        description="沿用另一份定义（相对于本文件的路径，如 ../2012/meeting.yaml），本文件只写不同之处。"
        "映射逐项合并；文字、数字、日期和列表以本文件为准；键名后加“+”（如 discipline+:）"
        "表示在原列表后追加；写 null 表示去掉原来的值。",
    )
    meeting: Meeting = Field(title="会议", description="会议的基本情况。")
    people: dict[str, Person] = Field(
        title="人员",
        description="所有出现在材料里的人。键是姓名（或能区分同名者的写法），值写职务、单位、排序。",
    )
    leaders: list[PersonKey] = Field(
        default_factory=list,
        title="出席领导",
        description="出席会议的本级领导，主持词按排序介绍。",
    )
    guests: list[PersonKey] = Field(
        default_factory=list,
        title="上级领导",
        description="出席会议的上级领导（不属于考核组的），主持词在考核组之后介绍。",
    )
    visiting_team: VisitingTeam | None = Field(
        None, title="考核组", description="来检查、考核的上级工作组；没有就不写。"
    )
    attendees: AttendeeList = Field(
        default_factory=list,
        title="参会人员",
        description="各类参会人员，每类一项。可以只写一句话，如“- 机关全体干部职工”。",
    )
    agenda: list[AgendaItem] = Field(default_factory=list, title="议程", description="按顺序列出。")
    inspection_groups: list[InspectionGroup] = Field(
        default_factory=list,
        title="检查分组",
        description="分组检查时各组的检查内容和陪同人员；议程中类型为“检查”的一项会宣布它们。",
    )
    discipline: list[Text] = Field(
        default_factory=list,
        title="会议纪律",
        description="主持人宣布的会场纪律，每条一项，如“请关闭手机或调至静音状态”。",
    )
    closing: Closing = Field(
        default_factory=Closing, title="结束部分", description="主持人的小结和强调意见。"
    )
    contact: Contact | None = Field(
        None, title="联系人", description="会务联系人和电话，写进通知。"
    )
    notice: Notice | None = Field(None, title="会议通知", description="生成会议通知时必填。")
    sign_in: SignIn = Field(default_factory=SignIn, title="签到表")
    units: list[str] = Field(
        default_factory=list,
        title="单位名单",
        description="参加考核或签订责任书的乡镇（街道），按习惯顺序列出。写了，指标表里缺少、多出或重复的单位都会报错。",
    )
    workbook: Workbook = Field(
        default_factory=Workbook, title="指标表", description="指标表（Excel）的读法。"
    )
    indicators: dict[str, Indicator] = Field(
        default_factory=dict,
        title="指标",
        description="各项指标的算法、目标和比较基期。键是指标名称，文字里用 {{ 指标名称 }} 引用。",
    )
    report: Report | None = Field(None, title="工作汇报", description="生成工作汇报时填写。")
    ranking: Ranking | None = Field(
        None, title="考核结果通报", description="生成考核结果通报和排名表时填写。"
    )
    speech: Speech | None = Field(None, title="领导讲话稿", description="生成讲话稿时填写。")
    minutes: Minutes | None = Field(None, title="会议纪要", description="生成会议纪要时填写。")
    rostrum: Rostrum | None = Field(
        None, title="主席台", description="生成主席台座次图和桌签时填写（可以只写 rostrum: {}）。"
    )
    name_cards: NameCards = Field(
        default_factory=NameCards, title="桌签", description="桌签做给哪些人；默认主席台人员。"
    )
    letters: Letters | None = Field(
        None,
        title="目标管理责任书",
        description="用 huiwu letters 为每个单位生成一份目标管理责任书时填写。",
    )
    documents: DocumentList | None = Field(
        None,
        title="生成哪些材料",
        description="可写 "
        + "、".join(f"{kind}（{name}）" for kind, name in KIND_NAMES.items())
        + "，也可写中文名。不写时生成资料齐全的全部材料（如没有 notice 就不生成通知）。",
    )
    templates: str | None = Field(
        None,
        title="模板文件夹",
        description="自己修改过的模板所在的文件夹（相对于本文件）。缺少的模板用内置的。",
    )
    fonts: Literal["标准", "通用"] = Field(
        "标准",
        title="字体",
        description="标准：用国家标准的字体名（方正小标宋简体、仿宋_GB2312、楷体_GB2312、黑体、宋体），"
        "适合装有这些字体的机关电脑；通用：用 Windows 和 WPS 自带的字体（标题用宋体加粗，"
        "正文仿宋、楷体、黑体），适合没有装公文字体的电脑。只改内置模板，自己的模板用它自己的字体。",
    )

    @property
    def year(self) -> int:
        """The meeting's year, the ``{{ year }}`` of text fields."""
        return self.meeting.date.year

    @property
    def assessment_year(self) -> int:
        """The year whose work the meeting reviews (``{{ 考核年度 }}``): the meeting's own year
        unless ``meeting.assessment_year`` says otherwise (a January meeting on last year)."""
        return self.meeting.assessment_year or self.year
