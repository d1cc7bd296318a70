"""目标管理责任书: one letter per unit — the same scored targets, the unit's own quotas, and a
signature block for both parties (seed 003 part 5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from huiwu.figures.allocation import Rounding
from huiwu.model.base import CnDate, Number, Schema, UnitText, text_list
from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

FULL_MARKS = Decimal(100)
"""What the base points of a letter's targets must add up to."""


def _item(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


def _column(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


class TargetItem(Schema):
    """责任目标下的一条。可以只写文字。"""

    text: UnitText = Field(
        title="内容",
        description="这一条的要求，不写序号和分值，如“农村新婚对象免费婚检落实率达到75%以上”。"
        "可用 {{ 单位 }}、{{ 配额.两非案件 }} 等。",
    )
    points: Number | None = Field(
        None,
        ge=0,
        title="分值",
        description="写了就在句末加“（2分）”。同一节里各条的分值合计应等于这一节的分值。",
    )


ItemSpec = Annotated[TargetItem, BeforeValidator(_item)]
TextList = Annotated[list[UnitText], BeforeValidator(text_list)]


class TargetSection(Schema):
    """一节责任目标：生成“（一）标题（10分）”，其下是说明段落和编号的各条。"""

    title: UnitText = Field(
        title="标题", description="不写序号和分值，如“流动人口服务管理”。序号和“（10分）”自动加。"
    )
    points: Number | None = Field(
        None,
        ge=0,
        title="分值",
        description="这一节的基本分；不写时为各条分值之和。各节合计必须正好是 100 分。",
    )
    text: TextList = Field(
        default_factory=list,
        title="说明",
        description="标题下不编号的段落，如“出生政策符合率（4分），政策外多孩率（2分），出生人口性别比（4分）。”",
    )
    items: list[ItemSpec] = Field(
        default_factory=list, title="各条", description="编号为 1. 2. 3. 的各条要求。"
    )

    @property
    def base_points(self) -> Decimal:
        """The section's points: as written, else the sum of its items'."""
        if self.points is not None:
            return self.points
        return sum((item.points or Decimal(0) for item in self.items), Decimal(0))


class Bonus(Schema):
    """奖扣分项目：列在各节之后、另起一节，不计入 100 分基本分。"""

    title: UnitText = Field("奖扣分项目", title="标题")
    text: TextList = Field(default_factory=list, title="说明", description="不编号的段落。")
    items: list[ItemSpec] = Field(
        default_factory=list,
        title="各条",
        description="编号的各条；写了分值也只作说明，不计入基本分。",
    )


class Tier(Schema):
    """按基数分档的一档：基数不少于 at_least 的单位，配额为 quota。"""

    at_least: Decimal = Field(
        Decimal(0),
        ge=0,
        title="基数不少于",
        description="这一档的下限（含），如“5万人以上”写 50000；最低一档可以不写（从 0 起）。",
    )
    quota: Decimal = Field(ge=0, title="配额", description="这一档每个单位的配额，如 30。")


class Quota(Schema):
    """一项配额。四种写法选一种：直接取指标表的一列（column）；把总数按基数列的比例分给各单位
    （total + by，最大余数法，各单位之和正好等于总数）；按“每 N 个基数一个”计算（by + per）；
    按基数分档（by + tiers），如“5万人以上的乡镇需要完成30例，5万人以下的乡镇为20例”：

        TORCH检测: {by: 总人口, unit: 例, tiers: [{at_least: 50000, quota: 30}, {quota: 20}]}

    按比例分配时，余数相同的单位，基数大的先得；基数也相同的，按单位在名单（指标表）里的先后。"""

    column: str | None = Field(
        None, title="取自列", description="各单位的配额已经算好、写在指标表里时，写这一列的表头。"
    )
    total: Number | None = Field(
        None,
        ge=0,
        title="总数",
        description="全辖区的总数，如 2200。与 by 同写：按基数列的比例分配；与 per 同写：核对各单位之和是否等于它。",
    )
    by: str | None = Field(
        None, title="基数列", description="分配依据的列，如“总人口”“上年征收额”。"
    )
    per: Number | None = Field(
        None,
        gt=0,
        title="每多少基数一个",
        description="如“每万人查处一例”写 10000：配额 = 基数 ÷ 10000，按 rounding 取整。",
    )
    tiers: list[Tier] = Field(
        default_factory=list,
        title="分档",
        description="按基数列分档定配额，每档写 at_least（基数不少于）和 quota（配额）；"
        "每个单位取它够得上的最高一档。写了 total 时核对各单位之和是否等于它。",
    )
    minimum: Number | None = Field(
        None,
        ge=0,
        title="最少",
        description="每个单位至少分到的数，如 1。按比例分配时，不足的单位先给足最少数，其余再按比例分。",
    )
    rounding: Rounding = Field(
        "四舍五入", title="取整方法", description="按 per 算出的数怎样取整：四舍五入、进一或去尾。"
    )
    decimals: int = Field(
        0, ge=0, le=6, title="小数位数", description="配额保留几位小数，按比例分配时精确到这一位。"
    )
    unit: str = Field("", title="计量单位", description="如“件”“万元”。")
    label: str | None = Field(
        None, title="表头", description="配额分配表里这一列的名称；不写时用配额的名称。"
    )

    @model_validator(mode="after")
    def _one_rule(self) -> Quota:
        if self.column is not None:
            if any(v is not None for v in (self.total, self.by, self.per, self.minimum)):
                raise PydanticCustomError(
                    "quota_rule", "写了 column（取自列），就不要再写 total、by、per 或 minimum"
                )
            if self.tiers:
                raise PydanticCustomError("quota_rule", "写了 column（取自列），就不要再写 tiers")
        elif self.tiers:
            if self.by is None or self.per is not None or self.minimum is not None:
                raise PydanticCustomError(
                    "quota_rule", "分档（tiers）要和 by（基数列）同写，不要再写 per 或 minimum"
                )
            lows = [tier.at_least for tier in self.tiers]
            if len(set(lows)) != len(lows):
                raise PydanticCustomError(
                    "quota_tiers", "两档的下限（at_least）相同，每档的下限要不同"
                )
        elif self.by is None or (self.total is None and self.per is None):
            raise PydanticCustomError(
                "quota_rule",
                "配额要写 column（取自列）；或写 by（基数列）加 total（总数，按比例分配）、"
                "per（每多少基数一个）或 tiers（分档）",
            )
        return self

    @property
    def source_column(self) -> str:
        """The workbook column this quota is read or computed from."""
        column = self.column or self.by
        assert column is not None
        return column


class LetterSignature(Schema):
    """签署栏：正文之后，甲方在左、乙方在右，依次是盖章、签字和日期。"""

    issuer_signer: UnitText = Field(
        "负责人", title="甲方签字人", description="如“局长”，写作“局长（签字）：”。"
    )
    recipient_signer: UnitText = Field(
        "负责人", title="乙方签字人", description="如“镇长”“计生办主任”。"
    )
    seal: bool = Field(
        True, title="盖章", description="是否留盖章位置“甲方（盖章）”“乙方（盖章）”。"
    )
    date: CnDate | None = Field(
        None,
        title="签订日期",
        description="写了就印上日期；不写时留空“年　月　日”，签订时手填。",
    )


class Letters(Schema):
    """目标管理责任书：用 huiwu letters 为每个单位生成一份。责任目标相同，配额和数字各单位不同。

    文字字段里除 {{ year }} 外还可以用：{{ 单位 }}（单位名称）、{{ 配额.名称 }}（本单位的配额）、
    {{ 总额.名称 }}（全辖区合计）、{{ 分配.名称 }}（各单位配额连写，如“松山乡5件、柏树镇5件……”）、
    {{ 数据.列名 }}（本单位在指标表里这一列的数）。"""

    title: UnitText | None = Field(
        None,
        title="标题",
        description="不写时为“{年份}年目标管理责任书”。过长时按词断行，也可以用换行自己断。",
    )
    year: int | None = Field(
        None,
        ge=1949,
        le=2999,
        title="年份",
        description="责任书所属的年份，也是文件名和文字里 {{ year }} 的年份；不写时取会议日期的年份。",
    )
    issuer: UnitText = Field(
        title="甲方", description="下达责任书的机关，如“楚安市人口和计划生育局”。"
    )
    recipient: UnitText = Field(
        "{{ 单位 }}",
        title="乙方",
        description="签订责任书的单位，如“{{ 单位 }}人民政府”；不写时就是单位名称。",
    )
    preamble: UnitText | None = Field(
        None, title="开头语", description="甲乙双方之后的第一段，说明签订的依据和目的。"
    )
    targets_title: str = Field("责任目标", title="目标部分标题", description="写作“一、责任目标”。")
    targets: list[TargetSection] = Field(
        title="责任目标",
        description="各节目标，按顺序编号（一）（二）……；各节基本分合计必须是 100 分。",
    )
    bonus: Bonus | None = Field(None, title="奖扣分项目", description="不计入 100 分的奖扣分说明。")
    rewards_title: str = Field(
        "奖励与责任", title="奖惩部分标题", description="写作“二、奖励与责任”。"
    )
    rewards: TextList = Field(
        default_factory=list, title="奖励与责任", description="各段，编号为（一）（二）……。"
    )
    closing: TextList = Field(
        default_factory=list,
        title="结尾",
        description="签署栏之前不编号的段落，如“本责任书一式两份，甲乙双方各执一份。”",
    )
    quotas: dict[str, Quota] = Field(
        default_factory=dict,
        title="配额",
        description="各单位的任务数。键是配额的名称（不要有空格和标点），文字里用 {{ 配额.名称 }} 引用。",
    )
    sheet: str | None = Field(
        None,
        title="数据工作表",
        description="配额的基数和各单位数据所在的工作表；不写时用 workbook.sheet（或第一个工作表）。",
    )
    allocation_table: bool = Field(
        False,
        title="附配额分配表",
        description="在每份责任书后附全部单位的配额分配表（另起一页）。",
    )
    signature: LetterSignature = Field(default_factory=LetterSignature, title="签署栏")

    @property
    def base_points(self) -> Decimal:
        """The sum of the sections' base points (the bonus does not count)."""
        return sum((section.base_points for section in self.targets), Decimal(0))
