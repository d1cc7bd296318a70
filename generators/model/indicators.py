"""Indicators: how each rate or value is computed from the workbook, and what it is compared to.

Office staff keep raw counts in Excel; every rate in a report is computed here from those counts,
so that no figure can disagree with them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from huiwu.model.base import CnDate, Number, Schema, Text
from huiwu.model.documents import Imprint, Masthead
from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError

ComputeKind = Literal["percent", "permille", "ratio100", "value", "sum"]

_COMPUTE_ALIASES = {
    "百分率": "percent",
    "百分比": "percent",
    "比率": "percent",
    "千分率": "permille",
    "比值": "ratio100",
    "性别比": "ratio100",
    "数值": "value",
    "合计": "sum",
    "求和": "sum",
}

BaseKind = Literal["上年", "同期", "前三年平均"]
"""Comparison periods read from the workbook sheet of the same name."""


def _compute(value: Any) -> Any:
    return _COMPUTE_ALIASES.get(value, value) if isinstance(value, str) else value


def _better(value: Any) -> Any:
    aliases = {"越高越好": "higher", "越低越好": "lower", "高": "higher", "低": "lower"}
    return aliases.get(value, value) if isinstance(value, str) else value


def _column(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


def _base(value: Any) -> Any:
    return {"period": value} if isinstance(value, str) else value


def _bases(value: Any) -> Any:
    """One comparison or several: ``上年`` or ``[前三年平均, 上年]``."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


class Column(Schema):
    """指标用到的一列数据。可以只写列名。"""

    column: str = Field(title="列名", description="指标表里这一列的表头，如“出生人数”。")
    label: str | None = Field(
        None,
        title="说法",
        description="句子里怎么说这个数，如“上报出生”“政策内出生”；不写时用列名。",
    )
    unit: str = Field("人", title="单位", description="数的单位，如“人”“例”“万元”。")

    @property
    def phrase(self) -> str:
        """How sentences name this count."""
        return self.label or self.column


ColumnSpec = Annotated[Column, BeforeValidator(_column)]


class Target(Schema):
    """目标值：下限（不低于，如符合率≥90%）或上限（不高于，如出生率≤13.8‰）。二者写一个。"""

    floor: Number | None = Field(None, title="不低于", description="达到或超过此值为完成目标。")
    ceiling: Number | None = Field(None, title="不高于", description="不超过此值为完成目标。")
    label: str | None = Field(
        None, title="说法", description="句子里的叫法；不写时下限称“目标值”，上限称“控制目标”。"
    )

    @model_validator(mode="after")
    def _one_bound(self) -> Target:
        if (self.floor is None) == (self.ceiling is None):
            raise PydanticCustomError(
                "target_bound", "目标要写 floor（不低于）或 ceiling（不高于）中的一个"
            )
        return self

    @property
    def bound(self) -> Decimal:
        """The target value."""
        value = self.floor if self.floor is not None else self.ceiling
        assert value is not None
        return value

    @property
    def phrase(self) -> str:
        """What sentences call the target."""
        return self.label or ("目标值" if self.floor is not None else "控制目标")


class Base(Schema):
    """比较的基期：上年、同期、前三年平均（从指标表同名工作表读取），或直接给出的数值。"""

    period: BaseKind | None = Field(None, title="基期", description="上年、同期或前三年平均。")
    value: Number | None = Field(
        None, title="基期数值", description="直接给出全辖区的基期值，如 90.33。"
    )
    label: str | None = Field(
        None, title="说法", description="直接给数值时句子里怎么称呼它，如“前三年平均值”“省定目标”。"
    )

    @model_validator(mode="after")
    def _one_source(self) -> Base:
        if (self.period is None) == (self.value is None):
            raise PydanticCustomError(
                "base_source", "基期要写 period（上年/同期/前三年平均）或 value（数值）中的一个"
            )
        return self


class Indicator(Schema):
    """一项指标。``indicators`` 下的键就是指标名称，如“出生政策符合率”。"""

    compute: Annotated[ComputeKind, BeforeValidator(_compute)] = Field(
        title="算法",
        description="percent（百分率，分子/分母×100%）、permille（千分率‰）、ratio100（比值×100，如出生人口性别比）、"
        "value（直接取一列的值）、sum（几列相加）。也可写中文：百分率、千分率、比值、数值、合计。",
    )
    numerator: ColumnSpec | None = Field(
        None, title="分子", description="百分率、千分率、比值的分子列。"
    )
    denominator: ColumnSpec | None = Field(
        None, title="分母", description="百分率、千分率、比值的分母列。"
    )
    column: ColumnSpec | None = Field(None, title="数据列", description="value 取值的列。")
    columns: list[ColumnSpec] = Field(
        default_factory=list, title="相加的列", description="sum 相加的各列。"
    )
    decimals: int = Field(
        2,
        ge=0,
        le=6,
        title="小数位数",
        description="四舍五入保留几位小数。本期值和基期值都先按这个位数四舍五入，再相减得出"
        "“高/低…个百分点”，与目标的差距、扣分也按四舍五入后的值计算：读者拿印出来的两个数相减，"
        "得到的就是印出来的差（91.24%−90.33%=0.91个百分点），不会差 0.01。",
    )
    better: Annotated[Literal["higher", "lower"], BeforeValidator(_better)] = Field(
        "higher",
        title="方向",
        description="higher（越高越好）或 lower（越低越好），用于排名和评分。",
    )
    target: Target | None = Field(
        None, title="目标", description="如 {floor: 90} 或 {ceiling: 13.8}。"
    )
    base: Annotated[list[Annotated[Base, BeforeValidator(_base)]], BeforeValidator(_bases)] = Field(
        default_factory=list,
        title="比较基期",
        description="上年、同期、前三年平均，或 {value: 90.33, label: 前三年平均值}；"
        "要比较几个时写成列表，如 [前三年平均, 上年]。基期值先按 decimals 四舍五入，再与本期值相减。",
    )
    weight: Number | None = Field(
        None, ge=0, title="权重", description="综合得分中的分值；都不写时各指标平分 100 分。"
    )
    deduct: Decimal | None = Field(
        None,
        gt=0,
        title="扣分标准",
        description="评分方法为“扣分”时用：比目标每差 1 个百分点（千分率为 1 个千分点，性别比为 "
        "1 个单位值，数量为 1 个计量单位）扣多少分，如“每低于目标1个百分点扣2分”写 2。"
        "差距不足 1 的按比例折算（差 0.5 个百分点扣 1 分），扣完这项的权重为止；达到目标不扣分。",
    )
    colon_form: bool = Field(
        False,
        title="写成比例式",
        description="比值写成“100:124.54”的形式（出生人口性别比的常见写法）。",
    )

    @model_validator(mode="after")
    def _columns_for_compute(self) -> Indicator:
        if self.compute in ("percent", "permille", "ratio100"):
            if self.numerator is None or self.denominator is None:
                raise PydanticCustomError(
                    "indicator_columns", "这种算法要写分子 numerator 和分母 denominator"
                )
        elif self.compute == "value" and self.column is None:
            raise PydanticCustomError("indicator_columns", "value 要写取值的列 column")
        elif self.compute == "sum" and not self.columns:
            raise PydanticCustomError("indicator_columns", "sum 要写相加的各列 columns")
        return self

    def source_columns(self) -> list[Column]:
        """Every workbook column this indicator reads."""
        parts = [self.numerator, self.denominator, self.column, *self.columns]
        return [part for part in parts if part is not None]


class Workbook(Schema):
    """指标表（Excel）的读法。"""

    file: str | None = Field(
        None, title="文件", description="指标表路径（相对于本文件）；也可在命令行用 --data 指定。"
    )
    sheet: str | None = Field(
        None, title="数据工作表", description="放本期数据的工作表；不写时取第一个工作表。"
    )
    unit_column: str = Field(
        "单位", title="单位列", description="写乡镇（街道）名称的那一列的表头。"
    )
    area: str = Field(
        "全县", title="全辖区说法", description="句子里对全部单位合计的叫法，如“全县”“全镇”“全街”。"
    )
    unit_kind: str = Field("乡镇（街道）", title="单位类别", description="排名表等处对单位的统称。")
    text_columns: list[str] = Field(
        default_factory=list,
        title="文字列",
        description="指标表里写文字而不是数字的列，如“乙方全称”（芷城街道办事处、…镇人民政府）"
        "“签字人”。这些列按原样读取，不当作数字检查；责任书的文字里用 {{ 数据.乙方全称 }} 引用。",
    )
    period: Text | None = Field(
        None,
        title="统计期",
        description="指标段落开头的统计期说明，如“{{ year }}年（{{ year - 1 }}.10.1—{{ year }}.9.30）”。",
    )


class RankFlag(Schema):
    """排名后对某些单位的处理，如后两位“预否决”、未完成目标“黄牌警告”。"""

    label: str = Field(title="名称", description="如“预否决”“黄牌警告”。")
    bottom: int | None = Field(
        None, ge=1, title="后几位", description="综合得分排在最后几位的单位。"
    )
    below: Number | None = Field(None, title="低于分数", description="综合得分低于此分的单位。")
    misses_target: list[str] = Field(
        default_factory=list, title="未完成目标", description="这些指标中任一项未完成目标的单位。"
    )

    @model_validator(mode="after")
    def _has_rule(self) -> RankFlag:
        if self.bottom is None and self.below is None and not self.misses_target:
            raise PydanticCustomError(
                "flag_rule",
                "要写 bottom（后几位）、below（低于分数）或 misses_target（未完成目标的指标）",
            )
        return self


ScoringMethod = Literal["比例", "达标", "排名", "扣分"]


class Ranking(Schema):
    """考核结果通报及其附件排名表。"""

    title: Text | None = Field(
        None, title="标题", description="不写时为“关于{year}年度考核结果的通报”。"
    )
    to: Text = Field(title="主送机关")
    lead: Text | None = Field(None, title="开头语", description="通报开头的一段话。")
    paragraphs: list[Text] = Field(
        default_factory=list,
        title="正文",
        description="开头语之后的各段；可用 {{ 排名.前三名 }}、{{ 排名.标记['预否决'] }} 等。不写时自动写出前三名和被标记的单位。",
    )
    indicators: list[str] = Field(title="参评指标", description="排名表的指标列，按顺序。")
    scoring: ScoringMethod = Field(
        "比例",
        title="评分方法",
        description="比例：按完成目标的程度给分（达到目标得满分）；达标：完成目标得满分否则不得分；"
        "排名：按名次给分；扣分：从满分（权重）里按各指标的 deduct 扣分，如“每低于目标1个百分点扣2分”。"
        "算法（可以手算核对）：各项都用表里印出的比率（按指标的小数位数四舍五入后的值）。"
        "比例＝权重×本单位值÷目标值（越低越好的指标为目标值÷本单位值），最多得满分，没有目标的以最好的单位为准；"
        "排名＝权重×(n−名次+1)÷n（n 个单位，并列的名次相同）；"
        "扣分＝权重−差距×deduct，最少 0 分；比率算不出的（如 0÷0，表里印“—”）这一项得 0 分。各项得分不先取舍，相加后四舍五入到 2 位小数就是综合得分；"
        "综合得分（和 tie_break 的指标）相同的并列，下一个名次空出，如 1、2、2、4。",
    )
    tie_break: list[str] = Field(
        default_factory=list,
        title="同分比较",
        description="综合得分相同时依次比较的关键指标，如 [出生政策符合率]：这项指标好的排在前面；"
        "仍相同的才并列。",
    )
    flags: list[RankFlag] = Field(
        default_factory=list, title="标记", description="排名后对单位的处理。"
    )
    table_title: Text | None = Field(
        None, title="排名表标题", description="不写时为“{全县}{N}个{乡镇（街道）}综合得分排名表”。"
    )
    issuer: Text = Field(title="发文机关署名")
    date: CnDate = Field(title="成文日期")
    seal: bool = Field(True, title="加盖印章")
    masthead: Masthead | None = Field(
        None, title="版头", description="正式发文时写，见 notice.masthead。"
    )
    imprint: Imprint | None = Field(
        None, title="版记", description="抄送、印发机关和印发日期，见 notice.imprint。"
    )
