"""考核结果通报 with its attachment, the ranking table of all units."""

from __future__ import annotations

from typing import Any

from huiwu.documents.blocks import as_context, body, keep_with_signature
from huiwu.documents.common import ensure_stop, signature_lines
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
    return {
        "doc_title": title,
        "title_lines": title_lines(title),
        "subtitle_lines": [],
        "addressee": config.to.rstrip("：:") + "：",
        "body": as_context(
            keep_with_signature([body(lead), *(body(ensure_stop(p)) for p in paragraphs)])
        ),
        "attachments": [f"附件：{table_title}"],
        "signature": signature_lines(config.issuer, cn.format_date(config.date), seal=config.seal),
        "table_title_lines": title_lines(table_title),
        "columns": list(table.indicators),
        "rows": _rows(table),
        "total": _total_row(inputs, table),
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
            "rank": row.rank_text,
            "unit": row.unit,
            "cells": [format_value(row.measures[name]) for name in table.indicators],
            "score": f"{row.score:.2f}",
            "note": "、".join(row.flags),
        }
        for row in table.rows
    ]


def _total_row(inputs: Inputs, table: Table) -> dict[str, Any]:
    assert inputs.results is not None
    return {
        "unit": inputs.results.area,
        "cells": [format_value(inputs.results.total[name]) for name in table.indicators],
    }
