"""Everything the web page asks of huiwu: the library API (:mod:`huiwu.api`) and what only a
page needs besides — the figures to check before building, field help from the schema, and a
LibreOffice kept running between previews.

The rest of :mod:`huiwu.web` imports huiwu only through this module.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiwu.api import (
    BuildOptions,
    Built,
    Cancelled,
    ExampleInfo,
    FieldInfo,
    Issue,
    KindInfo,
    LoadedDefinition,
    Progress,
    RollResult,
    blank_workbook,
    build,
    check,
    copy_templates,
    examples,
    fields,
    kinds,
    load,
    new,
    preview,
    roll,
    title,
    to_pdf,
)
from huiwu.errors import HuiwuError, InputError

__all__ = [
    "BuildOptions",
    "Built",
    "Cancelled",
    "ExampleInfo",
    "FieldInfo",
    "FigureTable",
    "HuiwuError",
    "InputError",
    "Issue",
    "KindInfo",
    "LoadedDefinition",
    "Progress",
    "RollResult",
    "blank_workbook",
    "build",
    "check",
    "copy_templates",
    "examples",
    "field_help",
    "fields",
    "figures",
    "keep_libreoffice_running",
    "kinds",
    "load",
    "new",
    "preview",
    "roll",
    "title",
    "to_pdf",
]


def keep_libreoffice_running(keep: bool = True) -> None:
    """Start (in the background) or stop the warm LibreOffice that :func:`to_pdf` converts
    with (:func:`huiwu.publish.pdf.warm`), so that the page's first preview needs no start-up."""
    from huiwu.publish import pdf

    if keep:
        threading.Thread(target=pdf.warm, name="huiwu-office", daemon=True).start()
    else:
        pdf.shutdown()


# Beyond the API contract: what only the page shows. They stay here, beside the contract's
# functions, so that the page still reaches huiwu through this one module.


@dataclass(frozen=True)
class FigureTable:
    """A table of computed figures for the user to look over before building."""

    title: str
    columns: list[str]
    rows: list[list[str]]


def figures(path: Path, *, data: Path | None = None) -> list[FigureTable]:
    """The figures the documents will state: each indicator per unit and in total (with its
    comparisons and target), the ranking, and the letters' quotas."""
    from huiwu.text.phrasing import number

    loaded = load(path)
    inputs, letters = _figures_of(loaded, data)
    tables: list[FigureTable] = []
    if loaded.model.indicators:
        results = inputs.results
        if results is not None:
            names = list(results.total)
            rows = [
                [unit, *(_measure(m.get(n)) for n in names)] for unit, m in results.units.items()
            ]
            rows.append([results.area, *(_measure(results.total.get(n)) for n in names)])
            tables.append(FigureTable("各项指标", ["单位", *names], rows))
            compared = [
                [name, f"{base.base.label or base.base.period or ''}", _value(base.value)]
                for name, measure in results.total.items()
                for base in measure.bases
            ]
            if compared:
                tables.append(
                    FigureTable("与基期比较（全辖区）", ["指标", "基期", "数值"], compared)
                )
        ranking = inputs.ranking
        if ranking is not None:
            tables.append(
                FigureTable(
                    "排名",
                    ["名次", "单位", "得分", *ranking.indicators],
                    [
                        [row.rank_text, row.unit, _value(row.score)]
                        + [_measure(row.measures.get(n)) for n in ranking.indicators]
                        for row in ranking.rows
                    ],
                )
            )
    if letters is not None:
        quotas = letters.quotas
        names = list(quotas.specs)
        rows = [[unit, *(number(quotas.values[unit][n]) for n in names)] for unit in quotas.units]
        rows.append(["合计", *(number(quotas.totals[n]) for n in names)])
        columns = [f"{n}（{quotas.specs[n].unit}）" for n in names]
        tables.append(FigureTable("责任书配额", ["单位", *columns], rows))
    return tables


def _figures_of(loaded: LoadedDefinition, data: Path | None) -> tuple[Any, Any]:
    """The workbook's figures and, for a letters meeting, the letter set — from one
    preparation (the letters are computed from the same figures)."""
    from huiwu.figures.inputs import prepare
    from huiwu.publish.packet import letters_only, render_packet

    if loaded.model.letters is None:
        return prepare(loaded, data, need_data="指标"), None
    options = letters_only(BuildOptions(data=data))
    packet = render_packet(loaded, options, proofreading=False)
    return packet.inputs, packet.letters


def _measure(measure: Any) -> str:
    return "" if measure is None else str(measure)


def _value(value: Any) -> str:
    return "—" if value is None else str(value)


def field_help(keys: list[str]) -> dict[str, str] | None:
    """The schema's title and description of the field at ``keys`` (list positions left out,
    ``people`` names taken as any key), e.g. ``["agenda", "does"]``; None if there is none."""
    import types
    import typing

    from huiwu.model import Definition
    from pydantic import BaseModel

    model: Any = Definition
    info = None
    index = 0
    while index < len(keys):
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = model.model_fields.get(keys[index])
        if info is None:
            return None
        index += 1
        annotation = info.annotation
        model = None
        for _ in range(4):  # Optional / list / dict wrappers
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            origin = typing.get_origin(annotation)
            if origin is dict and index < len(keys):
                index += 1  # the key (e.g. a person's name) stands for any key
            if origin in (list, dict, typing.Union, types.UnionType) and args:
                annotation = args[-1]
            elif typing.get_origin(annotation) is typing.Annotated:
                annotation = typing.get_args(annotation)[0]
            else:
                break
        model = annotation
    if info is None:
        return None
    return {"title": info.title or keys[-1], "description": info.description or ""}
