"""The meeting itself: facts, people, who attends, the agenda and what the host says.

Every field carries a Chinese title and description: they are what office staff read in the
generated reference (docs/定义文件说明.md) and in validation messages.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from huiwu.model.base import ClockTime, CnDate, PersonKey, Schema, Text
from huiwu.text import cn
from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

TimeStyle = Literal["时分", "上下午", "上下午时分"]

AgendaKind = Literal["汇报", "讲话", "部署", "介绍", "宣读", "通报", "签订", "发言", "检查", "其他"]


# Verbs that give away an agenda item's kind, most specific first.
_KIND_WORDS: list[tuple[str, str]] = [
    ("签订", "签订"),
    ("签署", "签订"),
    ("汇报", "汇报"),
    ("报告", "汇报"),
    ("讲话", "讲话"),
    ("部署", "部署"),
    ("介绍", "介绍"),
    ("宣读", "宣读"),
    ("通报", "通报"),
    ("发言", "发言"),
    ("致辞", "讲话"),
    ("传达", "其他"),
    ("总结", "其他"),
    ("颁", "其他"),
    ("检查", "检查"),
    ("考核", "检查"),
]


_NEEDS_PERSON = {"汇报", "讲话", "部署", "介绍", "宣读", "通报", "签订", "发言"}


class Person(Schema):
    """一位人员。``people`` 下的键就是在别处引用此人时写的名字。"""

    name: str | None = Field(
        None,
        title="姓名",
        description="姓名；不写时取 people 下的键。同名的两个人可以用不同的键（如 张伟2）再各写 name。",
    )
    title: str | None = Field(
        None, title="职务", description="如“镇党委副书记”“县委常委、宣传部长”。"
    )
    unit: str | None = Field(None, title="单位", description="所在单位，签到表和座次图用。")
    rank: int | None = Field(
        None,
        ge=1,
        title="排序",
        description="职位高低的顺序，1 最高。介绍领导、排座次时按它排；不写时按在 people 里出现的先后。",
    )
    call: str | None = Field(
        None,
        title="称呼",
        description="会上对此人的简称，如“祁书记”“党镇长”；主持词的小结里用。不写时用“姓名+同志”。",
    )


class Meeting(Schema):
    """会议的基本情况。"""

    title: Text = Field(
        title="会议名称",
        description="会议全称，如“{{ year }}年全镇秋季计生优质服务活动动员大会”。可用 {{ year }} 代替年份，以便明年沿用。",
    )
    organizer: Text = Field(
        title="主办单位", description="召开会议的机关，如“青石镇党委、镇政府”。"
    )
    date: CnDate = Field(title="会议日期", description="如 2012-09-20 或 2012年9月20日。")
    assessment_year: int | None = Field(
        None,
        ge=1949,
        le=2200,
        title="考核年度",
        description="会议总结、考核的是哪一年的工作。年初开会通报上一年的结果时写上一年，"
        "如 2026 年 1 月的会议写 2025；不写时就是会议日期所在的年份。文字里用 {{ 考核年度 }} 引用"
        "（{{ year }} 仍是会议的年份），考核结果通报的默认标题也按它写。huiwu roll 会把它加一年。",
    )
    weekday: str | None = Field(
        None,
        title="星期",
        description="可不写，由日期算出；若写了（如“星期四”），huiwu 会核对与日期是否一致。",
    )
    time: ClockTime = Field(title="开始时间", description="24 小时制，如 9:00、14:30。")
    end_time: ClockTime | None = Field(None, title="结束时间", description="可不写。")
    checkin_time: ClockTime | None = Field(
        None, title="签到时间", description="写了就在通知里注明“X时开始签到”。"
    )
    venue: Text = Field(title="会议地点", description="如“镇政府三楼会议室”。")
    host: PersonKey = Field(title="主持人", description="主持人在 people 下的键。")
    purpose: Text | None = Field(
        None,
        title="会议任务",
        description="会议的主要任务，一句话，不带句号，如“传达贯彻县秋季计生优质服务活动会议精神，安排部署我镇秋季工作”。",
    )
    place: str = Field(
        "我县",
        title="本地自称",
        description="主持词里对本地的自称，如“我县”“我镇”“我街”。",
    )
    time_style: TimeStyle = Field(
        "时分",
        title="时刻写法",
        description="“时分”写作 9时30分；“上下午”写作 上午9:30；“上下午时分”写作 上午9时30分。",
    )

    @field_validator("weekday")
    @classmethod
    def _weekday_matches_date(cls, value: str | None, info: ValidationInfo) -> str | None:
        when = info.data.get("date")
        if value is None or when is None:
            return value
        actual = cn.weekday(when)
        given = value.replace("周", "星期").replace("礼拜", "星期").replace("星期天", "星期日")
        if given != actual:
            raise PydanticCustomError(
                "weekday_mismatch",
                "星期与日期不符：{when}是{actual}，不是“{given}”",
                {"when": cn.format_date(when), "actual": actual, "given": value},
            )
        return actual


def _attendee_group(value: Any) -> Any:
    return {"label": value} if isinstance(value, str) else value


class AttendeeGroup(Schema):
    """一类参会人员。可以只写一句话（如“机关全体干部职工”），也可以列出具体人员或单位。"""

    label: Text = Field(title="人员类别", description="如“各村党支部书记、村委会主任”。")
    people: list[PersonKey] = Field(
        default_factory=list,
        title="具体人员",
        description="这一类里已知姓名的人，签到表按他们预填。",
    )
    units: list[str] = Field(
        default_factory=list,
        title="单位",
        description="按单位签到时列出单位，签到表每个单位留出空行。",
    )
    per_unit: int = Field(1, ge=1, le=20, title="每单位人数", description="签到表每个单位留几行。")


class TeamMember(Schema):
    """上级考核组（检查组）的一名成员。"""

    role: str = Field(title="组内职务", description="如“组长”“副组长”“成员”。")
    person: PersonKey = Field(title="人员", description="此人在 people 下的键。")


class VisitingTeam(Schema):
    """来本地检查、考核的上级工作组。"""

    name: Text = Field(
        title="工作组全称",
        description="如“省{{ year - 1 }}年度党政领导线人口和计划生育工作目标管理责任制考评考核组”。",
    )
    short: str = Field("考核组", title="简称", description="主持词里的简称，如“考核组”“检查组”。")
    task: str = Field("检查指导工作", title="来意", description="如“检查指导工作”“考核验收”。")
    arranged_by: Text | None = Field(
        None,
        title="安排机关",
        description="如“省委办公厅、省政府办公厅”，主持词开头说“按照…的统一安排”。",
    )
    members: list[TeamMember] = Field(
        title="成员名单", description="按组长、副组长、成员的顺序排列。"
    )


class Escort(Schema):
    """陪同某个检查小组的一类人员。"""

    label: str = Field(title="类别", description="如“市陪同领导”“县陪同人员”。")
    people: list[PersonKey] = Field(
        title="人员", description="陪同人员在 people 下的键，按职位高低排列。"
    )


class InspectionGroup(Schema):
    """分组检查时的一个小组及其陪同人员。"""

    name: str = Field(title="组名", description="如“第一组”。")
    task: Text = Field(title="检查内容", description="如“与23家成员单位座谈、查阅资料”。")
    escorts: list[Escort] = Field(default_factory=list, title="陪同人员")


class AgendaItem(Schema):
    """会议的一项议程：谁、做什么、关于什么。"""

    by: PersonKey | None = Field(None, title="由谁", description="此项由谁进行（people 下的键）。")
    does: str = Field(
        title="做什么",
        description="动作，如“安排部署”“作工作汇报”“作表态发言”“作重要讲话”“讲话”“发言”“作报告”"
        "“通报”“宣读”“传达”“总结”“介绍”“签订”“颁奖”。内容（topic）放在哪里由动作决定："
        "“作…”和“讲话”“发言”一类写成“就（内容）作表态发言”，“宣读”“通报”一类写成“宣读（内容）”；"
        "通知、议程、主持词和纪要用同一种说法。",
    )
    topic: Text | None = Field(
        None, title="内容", description="如“我镇2012年秋季计生优质服务活动”；讲话可不写。"
    )
    kind: AgendaKind | None = Field(
        None,
        title="类型",
        description="汇报、讲话、部署、介绍、宣读、通报、签订、发言、检查、其他。说法由“做什么”决定，"
        "类型只决定：讲话和介绍之后主持人说“大家欢迎”，检查一项宣布检查分组，纪要的“听取了”列出汇报，"
        "主持人小结请大家领会最后一项讲话的精神。不写时由“做什么”推断。",
    )
    on_behalf: str | None = Field(
        None, title="代表", description="汇报时代表谁，如“县委、县政府”。"
    )
    role: str | None = Field(
        None, title="身份", description="此项中此人的身份，如“考核组组长”，介绍时接在职务后。"
    )
    parties: Text | None = Field(
        None, title="对方", description="签订、颁奖时的另一方，如“各乡镇（街道）主要负责同志”。"
    )
    say: Text | None = Field(
        None, title="主持词原文", description="写了就在主持词中原样使用这句话，代替自动生成的说法。"
    )

    @model_validator(mode="after")
    def _complete_for_its_kind(self) -> AgendaItem:
        kind = self.resolved_kind
        if self.say is not None:
            return self
        if kind in _NEEDS_PERSON and self.by is None:
            raise PydanticCustomError(
                "agenda_by", "这一项（{does}）要写由谁进行（by）", {"does": self.does}
            )
        if kind == "签订" and self.parties is None:
            raise PydanticCustomError(
                "agenda_parties", "签订一项要写对方（parties），如“各乡镇（街道）主要负责同志”"
            )
        return self

    @property
    def resolved_kind(self) -> str:
        """The kind as given, or guessed from the verb (``作工作汇报`` → 汇报)."""
        if self.kind is not None:
            return self.kind
        return next((kind for word, kind in _KIND_WORDS if word in self.does), "其他")


class ClosingPoint(Schema):
    """主持人最后强调的一点意见。"""

    head: Text = Field(title="要点", description="如“要迅速传达，认真贯彻”，不带句号。")
    text: Text | None = Field(None, title="展开", description="要点后面的具体要求。")


def _closing_point(value: Any) -> Any:
    return {"head": value} if isinstance(value, str) else value


class Closing(Schema):
    """议程结束后主持人的小结和强调意见。"""

    summary: Text | None = Field(
        None,
        title="小结",
        description="“刚才，…”一段；不写时根据议程自动生成。",
    )
    points: list[Annotated[ClosingPoint, BeforeValidator(_closing_point)]] = Field(
        default_factory=list,
        title="强调意见",
        description="每条一点，生成“下面，我再强调N点意见。一是…二是…”。",
    )
    final: Text | None = Field(
        None, title="结束语", description="散会前的最后一句话，如“希望大家…”。"
    )


class Contact(Schema):
    """会务联系人。"""

    person: PersonKey | None = Field(None, title="联系人", description="联系人在 people 下的键。")
    name: str | None = Field(None, title="联系人姓名", description="不在 people 里时直接写姓名。")
    phone: str = Field(title="联系电话")

    @model_validator(mode="after")
    def _someone(self) -> Contact:
        if not (self.person or self.name):
            raise PydanticCustomError(
                "contact_name", "联系人要写 person（people 里的键）或 name（姓名）"
            )
        return self


AttendeeList = list[Annotated[AttendeeGroup, BeforeValidator(_attendee_group)]]
