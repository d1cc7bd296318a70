"""工作汇报: a sections tree mixing written text and computed indicator paragraphs."""

from __future__ import annotations

from huiwu.model.base import CnDate, Schema, Text
from huiwu.model.sections import Section
from pydantic import Field


class Report(Schema):
    """工作汇报。"""

    title: Text = Field(
        title="标题", description="如“关于{{ year }}年人口和计划生育工作情况的汇报”。"
    )
    reporter: Text | None = Field(
        None, title="汇报单位", description="写在标题下的单位名称，如“青石镇人民政府”；也用作落款。"
    )
    date: CnDate | None = Field(
        None, title="日期", description="写在标题下的日期行“（2012年10月14日）”，也用作落款日期。"
    )
    lead: Text | None = Field(
        None, title="开头语", description="正文第一段，如“……现将有关情况汇报如下：”。"
    )
    sections: list[Section] = Field(title="各部分", description="正文各部分，序号自动生成。")
    closing: Text = Field(
        "特此汇报。", title="结束语", description='正文最后一段；不需要时写空字符串 ""。'
    )
    signature: bool = Field(
        False,
        title="落款",
        description="是否在文末写汇报单位和日期（标题下已有时通常不写）；没写 date 时落款日期用会议日期。",
    )
