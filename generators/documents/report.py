"""工作汇报: title, date line, lead-in, a numbered sections tree mixing written text and
indicator paragraphs computed from the workbook, the closing, and optionally a signature."""

from __future__ import annotations

from typing import Any

from huiwu.documents import blocks
from huiwu.documents.blocks import as_context, body, keep_with_signature
from huiwu.documents.common import signature_lines
from huiwu.figures.indicators import Results
from huiwu.figures.inputs import Inputs
from huiwu.figures.workbook import Sheet
from huiwu.model.sections import Paragraph, Section, UnitTable
from huiwu.text import cn
from huiwu.text.phrasing import number
from huiwu.text.phrasing import paragraph as indicator_paragraph
from huiwu.text.typeset import title_lines


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The work report's template context."""
    definition = inputs.definition
    report = definition.report
    assert report is not None
    period = definition.workbook.period or ""
    sheet = inputs.workbook.current if inputs.workbook else None
    tree = section_tree(
        report.sections, inputs.results, definition.workbook.area, period, sheet=sheet
    )
    content = [*([body(report.lead)] if report.lead else []), *blocks.number_sections(tree)]
    if report.closing:
        content.append(body(report.closing))
    reporter = report.reporter or definition.meeting.organizer
    when = cn.format_date(report.date) if report.date else ""
    # A report is signed on the day it is given: the meeting's, unless a date is written.
    signed = cn.format_date(report.date or definition.meeting.date)
    subtitle = [line for line in (report.reporter or "", f"（{when}）" if when else "") if line]
    return {
        "doc_title": report.title,
        "title_lines": title_lines(report.title),
        "subtitle_lines": subtitle,
        "addressee": "",
        "body": as_context(keep_with_signature(content) if report.signature else content),
        "attachments": [],
        "signature": signature_lines(reporter, signed, seal=False) if report.signature else [],
    }


def section_tree(
    sections: list[Section],
    results: Results | None,
    area: str,
    period: str,
    unit: str | None = None,
    *,
    sheet: Sheet | None = None,
) -> list[blocks.Section]:
    """The model's sections as a numbering tree, indicator paragraphs written out (for the
    section's unit, when it has one, else for the whole area) and tables of one row per unit
    filled from ``results`` and the workbook's data ``sheet``."""
    tree = []
    for section in sections:
        own = section.unit or unit
        paragraphs: list[str | blocks.Block] = [
            unit_table(p.table, results, area, sheet)
            if p.table is not None
            else _paragraph(p, results, area, period, own)
            for p in section.paragraphs
        ]
        tree.append(
            blocks.Section(
                section.title,
                paragraphs,
                section_tree(section.sections, results, area, period, own, sheet=sheet),
                inline=section.inline,
            )
        )
    return tree


def unit_table(
    table: UnitTable, results: Results | None, area: str, sheet: Sheet | None
) -> blocks.Block:
    """A ``table`` block: one row per unit in workbook order, then the area's row. An
    indicator's cell is its value as the text gives it (rates recomputed from the summed
    counts in the area's row); a workbook column's cell is the number in the sheet."""
    if results is None or sheet is None:
        raise ValueError("unit tables need results")  # prepare() requires the workbook

    def cells(unit: str | None) -> list[str]:
        row = []
        for column in table.columns:
            if column in results.total:
                measure = results.total[column] if unit is None else results.units[unit][column]
                row.append(str(measure))
            else:
                value = results.column_totals[column] if unit is None else sheet.rows[unit][column]
                row.append(number(value))
        return row

    units = results.unit_names()
    return blocks.Block(
        "table",
        table={
            "title_lines": title_lines(table.title) if table.title else [],
            "columns": list(table.columns),
            "rows": [
                {"no": str(index), "unit": unit, "cells": cells(unit)}
                for index, unit in enumerate(units, start=1)
            ],
            "total": {"unit": area, "cells": cells(None)},
        },
    )


def _paragraph(
    item: Paragraph, results: Results | None, area: str, period: str, unit: str | None
) -> str:
    if item.indicator is None:
        return item.text or ""
    if results is None:
        raise ValueError("indicator paragraphs need results")  # prepare() requires the workbook
    if unit is not None:
        measure = results.units[unit][item.indicator]
        area = unit
    else:
        measure = results.total[item.indicator]
    text = item.text or indicator_paragraph(measure, area, period)
    return f"{item.indicator}。{text}"
