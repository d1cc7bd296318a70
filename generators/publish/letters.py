"""目标管理责任书 in a batch: one DOCX per unit, an optional print file (合订本), a manifest.

:func:`prepare_letters` does everything that can fail on the user's input before anything is
written: it reads the workbook, computes the quotas, and expands every text with the first
unit's figures. :func:`write_letters` then renders the letters one at a time into a
:class:`~huiwu.publish.output.Staging` — the folder of ``huiwu letters``, or a subfolder of a whole
packet — so memory stays flat however many units there are. :func:`build_letters` is what the
command line runs: target folder, ``--units``, ``--force`` and the manifest.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from huiwu.definition.load import LoadedDefinition
from huiwu.documents import letter
from huiwu.errors import InputError, Location, Problem
from huiwu.figures.inputs import prepare
from huiwu.figures.quotas import QuotaTable, compute_quotas, read_letter_sheet
from huiwu.figures.values import namespace as indicator_names
from huiwu.model import Definition, Letters
from huiwu.publish.filenames import safe_name, unique_names
from huiwu.publish.output import (
    MANIFEST,
    BackgroundWriter,
    Staging,
    manifest_bytes,
    read_manifest,
    with_earlier,
)
from huiwu.render.batch import render_batch
from huiwu.render.combined import PrintFile
from huiwu.render.renderer import Renderer, TemplateProblem
from huiwu.render.templateset import TemplateSet, user_templates
from huiwu.text.phrasing import number
from huiwu.text.texts import UnitTexts, base_namespace

TEMPLATE = "letter"
DATA_NAME = "数据"
"""How texts refer to a unit's workbook figures: ``{{ 数据.总人口 }}``."""

Progress = Callable[[int, int], None]
"""Called after each letter with (letters done, letters in all)."""


@dataclass(frozen=True)
class LetterSet:
    """Everything the letters are made from, checked and computed once."""

    spec: Letters
    year: int
    units: list[str]
    quotas: QuotaTable
    figures: dict[str, dict[str, Decimal]]
    """unit → workbook column → figure, for ``{{ 数据.列名 }}``."""
    texts: UnitTexts
    shared: dict[str, Any]
    """The names every unit's texts may use besides its own figures."""
    allocation: dict[str, Any] | None
    template: Path
    inputs: tuple[Path, ...]
    """The files the letters are made from, for the manifest."""
    filenames: dict[str, str] = field(default_factory=dict)
    combined_name: str = ""

    def names(self, unit: str) -> dict[str, Any]:
        """What ``unit``'s texts may refer to."""
        own = {"单位": unit, "配额": self.quotas.values[unit], DATA_NAME: self.figures[unit]}
        return {**self.shared, **own}

    def context(self, unit: str) -> dict[str, Any]:
        """The template context of ``unit``'s letter."""
        expand = self.texts.for_unit(self.names(unit))
        return letter.build_context(self.spec, self.year, unit, expand, self.allocation)

    def select(self, wanted: Sequence[str] | None) -> list[str]:
        """The units to write, in letter order; unknown names are an error with suggestions."""
        if wanted is None:
            return list(self.units)
        unknown = [name for name in wanted if name not in self.quotas.values]
        if unknown:
            raise InputError([Problem(_unknown_unit(name, self.units)) for name in unknown])
        chosen = set(wanted)
        return [unit for unit in self.units if unit in chosen]


def prepare_letters(
    loaded: LoadedDefinition, *, data: Path | None = None, templates: Path | None = None
) -> LetterSet:
    """Read, compute and check everything the letters need; raise on any input problem."""
    model = loaded.model
    if model.letters is None:
        raise InputError(
            [Problem("定义里没有 letters（目标管理责任书），无法生成责任书", Location(loaded.path))]
        )
    inputs = prepare(loaded, data, need_data="目标管理责任书")
    definition = inputs.definition
    spec = definition.letters
    assert spec is not None
    texts = UnitTexts(loaded, definition)
    workbook = _workbook_path(loaded, data)
    sheet = read_letter_sheet(definition, workbook, texts.references(DATA_NAME))
    units = list(definition.units) or list(sheet.rows)
    if not units:
        raise InputError([Problem("指标表里没有任何单位的数据", Location(workbook))])
    quotas = compute_quotas(spec, sheet, units, loaded.source)
    year = spec.year or definition.year
    letters = LetterSet(
        spec=spec,
        year=year,
        units=units,
        quotas=quotas,
        figures={unit: _figures(sheet.rows[unit]) for unit in units},
        texts=texts,
        shared=_shared_names(definition, inputs, quotas, year),
        allocation=_allocation(definition, quotas, year) if spec.allocation_table else None,
        template=TemplateSet(user_templates(loaded, templates)).path(TEMPLATE),
        inputs=(loaded.path, workbook),
        filenames=dict(zip(units, _filenames(units, year), strict=True)),
        combined_name=combined_name(year),
    )
    texts.check(letters.names(units[0]))
    return letters


def letter_stem(year: int) -> str:
    """What every letter's file name starts with."""
    return f"{year}年目标管理责任书"


def combined_name(year: int) -> str:
    """The print file's name."""
    return f"{letter_stem(year)}（合订本）.docx"


def _filenames(units: list[str], year: int) -> list[str]:
    return unique_names(
        [f"{letter_stem(year)}-{unit}" for unit in units],
        ".docx",
        taken=[combined_name(year), MANIFEST],
    )


def _workbook_path(loaded: LoadedDefinition, data: Path | None) -> Path:
    if data is not None:
        return data
    assert loaded.model.workbook.file is not None  # prepare() required one
    return loaded.resolve(loaded.model.workbook.file)


def _figures(row: dict[str, Decimal]) -> dict[str, Decimal]:
    # Excel stores 48630 as 48630.0; texts should print what the cell shows.
    return {column: Decimal(number(value)) for column, value in row.items()}


def _shared_names(
    definition: Definition, inputs: Any, quotas: QuotaTable, year: int
) -> dict[str, Any]:
    names = indicator_names(definition, inputs.results, inputs.ranking) if inputs.results else {}
    names.update(base_namespace(definition))
    names.update(
        {
            "year": year,
            "meeting": definition.meeting.model_dump(),
            "总额": quotas.totals,
            "分配": {name: quotas.listing(name) for name in quotas.specs},
            "单位数": len(quotas.units),
        }
    )
    return names


def _allocation(definition: Definition, quotas: QuotaTable, year: int) -> dict[str, Any]:
    workbook = definition.workbook
    return letter.allocation_table(quotas, year, workbook.area, workbook.unit_kind)


def _unknown_unit(name: str, units: list[str]) -> str:
    close = difflib.get_close_matches(name, units, n=3, cutoff=0.5)
    hint = f"是不是“{'”或“'.join(close)}”？" if close else f"现有的单位：{'、'.join(units[:10])}"
    return f"--units：没有名为“{name}”的单位。{hint}"


def write_letters(
    letters: LetterSet,
    staging: Staging,
    renderer: Renderer,
    *,
    units: Sequence[str] | None = None,
    combined: bool = False,
    folder: str = "",
    progress: Progress | None = None,
) -> list[dict[str, str]]:
    """Render the letters of ``units`` (all by default) into ``staging`` under ``folder``, and
    with ``combined`` the print file of all units; return their manifest entries."""
    selected = set(letters.select(units))
    todo = letters.units if combined else [unit for unit in letters.units if unit in selected]
    prefix = f"{folder}/" if folder else ""
    files = {unit: prefix + letters.filenames[unit] for unit in todo if unit in selected}
    print_name = prefix + letters.combined_name
    with ExitStack() as stack:
        writer = stack.enter_context(BackgroundWriter(staging))
        bundle: PrintFile | None = None
        batch = render_batch(renderer, letters.template, todo, letters.context, keep_xml=combined)
        for done, (unit, rendered) in enumerate(batch, start=1):
            if unit in files:
                writer.write(files[unit], rendered.data)
            if combined:
                if bundle is None:
                    handle = stack.enter_context(staging.stream(print_name))
                    bundle = _print_file(letters, renderer, letters.context(unit), handle)
                bundle.add(rendered.document_xml)
            if progress is not None:
                progress(done, len(todo))
        if bundle is not None:
            bundle.close()
    digests = {written.name: written.sha256 for written in staging.written}
    kind = letter_stem(letters.year).removeprefix(f"{letters.year}年")
    entries = [
        {"材料": kind, "单位": u, "文件": name, "sha256": digests[name]}
        for u, name in files.items()
    ]
    if combined:
        entries.append(
            {"材料": f"{kind}（合订本）", "文件": print_name, "sha256": digests[print_name]}
        )
    return entries


def _print_file(
    letters: LetterSet, renderer: Renderer, first: dict[str, Any], handle: BinaryIO
) -> PrintFile:
    """The print file, its properties rendered from the first letter's context."""
    template = renderer.prepare(letters.template)
    if template.unsupported or template.varying_headers:
        why = template.unsupported or "随单位变化的页眉页脚"
        raise TemplateProblem(f"{letters.template}: 模板用到了{why}，无法生成合订本")
    title = letters.combined_name.removesuffix(".docx")
    parts = template.render_parts({**first, "doc_title": title})
    return PrintFile(template, parts, handle)


@dataclass(frozen=True)
class LetterOptions:
    """What ``huiwu letters`` was asked to do."""

    out_dir: Path | None = None
    """None: beside the definition, in a folder named ``{年份}年目标管理责任书``."""
    data: Path | None = None
    units: list[str] | None = None
    """Redo only these units' letters (the others and the print file are kept)."""
    combined: bool = False
    force: bool = False
    templates: Path | None = None


@dataclass(frozen=True)
class LettersBuilt:
    """What ``huiwu letters`` wrote."""

    out_dir: Path
    letters: int
    combined: Path | None
    notices: list[str]


def build_letters(
    loaded: LoadedDefinition, options: LetterOptions, progress: Progress | None = None
) -> LettersBuilt:
    """Write the letters (or only ``options.units``) and the manifest into the output folder."""
    letters = prepare_letters(loaded, data=options.data, templates=options.templates)
    selected = letters.select(options.units)
    out_dir = options.out_dir or loaded.path.parent / safe_name(letter_stem(letters.year))
    partial = options.units is not None
    earlier = read_manifest(out_dir) if partial else []
    # A print file from an earlier run is remade, so that it never disagrees with the letters.
    combined = options.combined or any(e.get("文件") == letters.combined_name for e in earlier)
    names = [letters.filenames[unit] for unit in selected]
    names += [MANIFEST, *([letters.combined_name] if combined else [])]
    renderer = Renderer()
    with Staging(out_dir, force=options.force, whole=not partial, names=names) as staging:
        entries = write_letters(
            letters, staging, renderer, units=selected, combined=combined, progress=progress
        )
        manifest = _in_letter_order(with_earlier(entries, out_dir, earlier), letters)
        staging.write(MANIFEST, manifest_bytes(manifest, letters.inputs))
        staging.commit()
    return LettersBuilt(
        out_dir,
        len(selected),
        out_dir / letters.combined_name if combined else None,
        renderer.notices,
    )


def _in_letter_order(entries: list[dict[str, str]], letters: LetterSet) -> list[dict[str, str]]:
    """Manifest entries in letter order, the print file last."""
    order = {name: index for index, name in enumerate(letters.filenames.values())}
    return sorted(
        entries,
        key=lambda entry: ("单位" not in entry, order.get(entry.get("文件", ""), len(order))),
    )
