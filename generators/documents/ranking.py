"""考核结果通报 with its attachment, the ranking table of all units."""

from __future__ import annotations

from typing import Any

from huiwu.documents.blocks import as_context, body, keep_with_signature
from huiwu.documents.common import ensure_stop, signature_lines
from huiwu.documents.elements import attachment_label, attachment_note, imprint, masthead
from huiwu.figures.inputs import Inputs
from huiwu.figures.ranking import Table
from huiwu.text import cn
from huiwu.text.phrasing import format_value
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The ranking notice's template context."""
    definition = inputs.definition
    config = definition.ranking
    table = inputs.ranking
    assert config is not None and table is not None
    workbook = definition.workbook
    count = len(table.rows)
    title = config.title or f"关于{definition.assessment_year}年度考核结果的通报"
    table_title = (
        config.table_title or f"{workbook.area}{count}个{workbook.unit_kind}综合得分排名表"
    )
    lead = config.lead or f"现将{definition.assessment_year}年度考核结果通报如下："
    paragraphs = config.paragraphs or _default_paragraphs(
        table, workbook.area, [f.label for f in config.flags]
    )
    *signature, date = signature_lines(config.issuer, cn.format_date(config.date), seal=config.seal)
    return {
        "doc_title": title,
        "版头": masthead(config.masthead),
        "标题": title_lines(title),
        "主送机关": config.to.rstrip("：:") + "：",
        "正文": as_context(
            keep_with_signature([body(lead), *(body(ensure_stop(p)) for p in paragraphs)])
        ),
        "附件说明": attachment_note([table_title]),
        "署名": signature,
        "成文日期": date,
        "附件标识": attachment_label(1, 1),
        "排名表标题": title_lines(table_title),
        "指标": list(table.indicators),
        # The area's total is one more row of the table, set like the others.
        "排名": [*_rows(table), _total_row(inputs, table)],
        "版记": imprint(config.imprint),
    }


def _default_paragraphs(table: Table, area: str, labels: list[str]) -> list[str]:
    top = table.top(3)
    paragraphs = []
    if top:
        first_rank_only = all(row.rank == 1 for row in table.rows[: len(top)])
        placing = f"并列{area}第一名" if first_rank_only and len(top) > 1 else f"位列{area}前三名"
        paragraphs.append(f"{cn.join_names(top)}综合得分{placing}，予以通报表扬。")
    for label in labels:
        units = table.flagged(label)
        if units:
            paragraphs.append(f"对{cn.join_names(units)}实行“{label}”。")
    return paragraphs


def _rows(table: Table) -> list[dict[str, Any]]:
    return [
        {
            "名次": row.rank_text,
            "单位": row.unit,
            "数值": [format_value(row.measures[name]) for name in table.indicators],
            "综合得分": f"{row.score:.2f}",
            "备注": "、".join(row.flags),
        }
        for row in table.rows
    ]


def _total_row(inputs: Inputs, table: Table) -> dict[str, Any]:
    assert inputs.results is not None
    return {
        "名次": "",
        "单位": inputs.results.area,
        "数值": [format_value(inputs.results.total[name]) for name in table.indicators],
        "综合得分": "",
        "备注": "",
    }
