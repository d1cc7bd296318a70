"""主席台 and 桌签: who sits on the rostrum, how the rows are arranged, who gets a name card."""

from __future__ import annotations

from typing import Annotated, Literal

from huiwu.model.base import PersonKey, Schema
from pydantic import Field


class Rostrum(Schema):
    """主席台座次。谁上主席台、分几排、按什么规则排；座次图和桌签都用它。"""

    members: list[PersonKey] | None = Field(
        None,
        title="主席台人员",
        description="上主席台的人（people 里的键），先后不限，按排序（rank）排座。"
        "不写时为考核组成员、上级领导、出席领导和主持人。",
    )
    rows: list[Annotated[int, Field(ge=1, le=50)]] = Field(
        default_factory=list,
        title="每排座位数",
        description="从第一排（前排）起每排的座位数，如 [7, 6]；不写时所有人坐一排。"
        "按排序先坐满前排；主持人总在第一排。",
    )
    rule: Literal["以左为上", "以右为上"] = Field(
        "以左为上",
        title="排座规则",
        description="党政机关会议“以左为上”（主席台上领导自己的左手边为上，即台下看的右边）；"
        "涉外、商务活动“以右为上”。",
    )
    even: Literal["两人居中", "一号居中"] = Field(
        "两人居中",
        title="偶数排法",
        description="一排人数为偶数时：“两人居中”是1号、2号同在中间（中线在二人之间）；"
        "“一号居中”是1号坐在中线上，一端多出一个座位（1号比2号高一级时用）。",
    )
    titles: bool = Field(
        False, title="座次图写职务", description="座次图的每个座位在姓名上方写职务。"
    )


class NameCards(Schema):
    """桌签。每人一张，A4 横放对折，两面都是姓名。"""

    attendees: bool = Field(
        False,
        title="参会人员也做桌签",
        description="除主席台人员外，也为参会人员（attendees 里写明的人）各做一张。",
    )
    people: list[PersonKey] = Field(
        default_factory=list, title="另外的人", description="另外需要桌签的人（people 里的键）。"
    )
