"""Everything the documents are built from: the definition with its texts expanded, and the
workbook's figures — read, computed and ranked once per build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiwu.definition.load import LoadedDefinition
from huiwu.definition.yamlsrc import format_path
from huiwu.errors import InputError, Location, Problem
from huiwu.figures.indicators import Results, compute, sheet_requests
from huiwu.figures.ranking import Table, rank_units
from huiwu.figures.values import namespace
from huiwu.figures.workbook import SheetRequest, WorkbookData, read_workbook
from huiwu.model import Definition
from huiwu.text.texts import base_namespace, expand_texts

TARGET_SHEET = "目标"


@dataclass(frozen=True)
class Inputs:
    """The validated, expanded definition and the figures computed from the workbook."""

    definition: Definition
    source: LoadedDefinition
    workbook: WorkbookData | None = None
    results: Results | None = None
    ranking: Table | None = None
    workbook_path: Path | None = None
    """The workbook file of this build (``--data`` or ``workbook.file``), read or not."""

    def names(self) -> dict[str, Any]:
        """What every template may use besides its document's own context: the same names as
        the definition's text fields (``year``, ``date``, ``meeting``, the indicators, 各单位,
        合计, 排名 …), so that an office can add ``{{ meeting.venue }}`` to a template it edits."""
        definition = self.definition
        return {
            **base_namespace(definition),
            **namespace(definition, self.results, self.ranking),
            "meeting": definition.meeting,
        }


def data_path(loaded: LoadedDefinition, override: Path | None) -> Path | None:
    """The workbook to read: ``--data`` if given, else ``workbook.file`` from the definition."""
    if override is not None:
        return override
    if loaded.model.workbook.file:
        return loaded.resolve(loaded.model.workbook.file, ("workbook", "file"))
    return None


def prepare(
    loaded: LoadedDefinition, data: Path | None = None, *, need_data: str | None = None
) -> Inputs:
    """Read the workbook (when there is one), compute and rank, then expand every text.

    ``need_data`` names what requires the workbook; without one that is an error.
    """
    model = loaded.model
    path = data_path(loaded, data)
    if path is None and need_data:
        missing = Problem(
            f"{need_data}需要指标表：请用 --data 指定 Excel 文件，或在定义的 workbook.file 写明",
            Location(loaded.path),
        )
        try:  # every text that uses the workbook is named too, so all is said at once
            expand_texts(loaded, namespace(model, None, None))
        except InputError as exc:
            raise InputError([missing, *exc.problems]) from None
        raise InputError([missing])
    workbook = results = table = None
    if path is not None and model.indicators:
        workbook = read(model, path)
        results = compute(model, workbook)
        if model.ranking is not None:
            if problems := _flags_reaching_every_unit(loaded, len(results.units)):
                raise InputError(problems)
            table = rank_units(model, results)
    definition = expand_texts(loaded, namespace(model, results, table))
    return Inputs(definition, loaded, workbook, results, table, path)


def _flags_reaching_every_unit(loaded: LoadedDefinition, count: int) -> list[Problem]:
    """A "last N" flag that takes in every unit is a slip, not a ruling: the first place would
    be commended and flagged in the same notice."""
    assert loaded.model.ranking is not None
    problems = []
    for index, rule in enumerate(loaded.model.ranking.flags):
        if rule.bottom is not None and rule.bottom >= count:
            path = ("ranking", "flags", index, "bottom")
            problems.append(
                Problem(
                    f"“{rule.label}”要标记排名后 {rule.bottom} 位，但参加排名的只有 {count} 个单位，"
                    f"连第一名也会被标记。请写小于 {count} 的数",
                    loaded.source.locate(path),
                    format_path(path),
                )
            )
    return problems


def read(model: Definition, path: Path) -> WorkbookData:
    """Read what the definition's indicators need from the workbook at ``path``."""
    current, bases = sheet_requests(model)
    targets = SheetRequest(
        TARGET_SHEET, [], optional=list(model.indicators), all_units=False, typed_rates=True
    )
    return read_workbook(
        path,
        unit_column=model.workbook.unit_column,
        area=model.workbook.area,
        current=current,
        bases=bases,
        targets=targets,
        units=model.units,
    )
