"""A numbered sections tree, shared by work reports, speeches and minutes."""

from __future__ import annotations

from typing import Annotated, Any

from huiwu.model.base import Schema, Text
from pydantic import BeforeValidator, Field, model_validator
from pydantic_core import PydanticCustomError


def _paragraph(value: Any) -> Any:
    return {"text": value} if isinstance(value, str) else value


class UnitTable(Schema):
    """按单位列表：每个单位一行（按指标表的顺序），末行是全县（全镇）合计。

    如 ``- table: {title: 各镇出生政策符合率, columns: [出生人数, 出生政策符合率]}``。
    """

    title: Text | None = Field(None, title="表题", description="写在表格上方居中的一行，可不写。")
    columns: list[str] = Field(
        min_length=1,
        title="各列",
        description="指标名（写这项指标的值，如 91.24%）或指标表的列名（写这一列的数）；"
        "合计行的指标值按合计后的分子分母重算，不是各单位比率的平均。",
    )


class Paragraph(Schema):
    """一段正文：直接写文字，或写 indicator 由指标自动生成。

    如 ``- indicator: 出生政策符合率`` 写出“出生政策符合率。全街上报出生571人，其中政策内出生521人，
    出生政策符合率为91.24%，与前三年平均值比高0.91个百分点。”；只写文字时可省去 ``text:``。
    """

    text: Text | None = Field(
        None, title="文字", description="这一段的文字，可用 {{ 指标名 }} 等表达式。"
    )
    indicator: str | None = Field(
        None,
        title="指标",
        description="由这项指标自动写出一段：指标名作小标题，接着写分子分母、比率、与基期比较、与目标比较。",
    )
    table: UnitTable | None = Field(
        None,
        title="按单位列表",
        description="在这里放一张表：每个单位一行，各列是指标或指标表的列，末行合计（用于工作汇报和讲话稿）。",
    )

    @model_validator(mode="after")
    def _something(self) -> Paragraph:
        if self.text is None and self.indicator is None and self.table is None:
            raise PydanticCustomError(
                "paragraph_empty", "一段要写 text（文字）、indicator（指标）或 table（按单位列表）"
            )
        return self


ParagraphSpec = Annotated[Paragraph, BeforeValidator(_paragraph)]


class Section(Schema):
    """一节：标题、若干段、若干下级节。序号（一、（一）1.（1））自动生成，标题里不要写序号。"""

    title: Text = Field(title="标题", description="不带序号，如“抓组织领导，强化责任意识”。")
    paragraphs: list[ParagraphSpec] = Field(default_factory=list, title="段落")
    sections: list[Section] = Field(default_factory=list, title="下级节")
    inline: bool = Field(
        False,
        title="标题接正文",
        description="标题不单独成行，而是作为第一段的开头（如“（一）加强组织领导。进一步……”）。",
    )
    for_each_unit: bool = Field(
        False,
        title="每个单位一节",
        description="这一节按单位重复，每个单位一节（按指标表或 units 的顺序），不用把 27 个乡镇逐个写出来。"
        "节里的文字可用 {{ 单位 }}（单位名称）和 {{ 本单位.指标名 }}（本单位的指标），"
        '指标段落（indicator）写本单位的数字。如 title: "{{ 单位 }}"。',
    )
    unit: str | None = Field(
        None,
        title="单位",
        description="这一节只写一个单位：节里的指标段落用这个单位的数字，文字里可用 {{ 单位 }} 和 "
        "{{ 本单位.指标名 }}。for_each_unit 生成的各节自动填写。",
    )
