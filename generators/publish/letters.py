"""目标管理责任书: one DOCX per unit, the print file (合订本), their manifest entries.

Letters are one kind of the packet (:mod:`huiwu.publish.packet` builds them, ``huiwu letters``
is that build restricted to them). :func:`prepare_letters` computes the letter set from the
packet's own :class:`~huiwu.figures.inputs.Inputs` — the same expanded definition and the same
workbook — and checks everything that can fail on the user's input before anything is written.
:func:`write_letters` then renders the letters one at a time into a
:class:`~huiwu.publish.output.Staging`, so memory stays flat however many units there are; the
per-unit step is :func:`_write_units`.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from huiwu.documents import letter
from huiwu.errors import InputError, Location, Problem
from huiwu.figures.inputs import Inputs
from huiwu.figures.quotas import QuotaTable, compute_quotas, read_letter_sheet
from huiwu.figures.workbook import Sheet
from huiwu.lazy import MadeOnRead
from huiwu.model import Letters
from huiwu.publish.filenames import renamed, safe_name
from huiwu.publish.output import MANIFEST, Staging, manifest_entry
from huiwu.render.batch import deliver_batch
from huiwu.render.combined import PrintFile
from huiwu.render.prepared import Rendered
from huiwu.render.renderer import Renderer, TemplateProblem
from huiwu.text.phrasing import number
from huiwu.text.texts import UnitTexts

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
    sheet: Sheet
    """The letters' sheet, for ``{{ 数据.列名 }}`` (:meth:`figures`)."""
    texts: UnitTexts
    shared: dict[str, Any]
    """The names every unit's texts and letter template may use besides its own figures."""
    allocation: dict[str, Any] | None
    template: Path
    filenames: Mapping[str, str] = field(default_factory=dict)
    """unit → its letter's file name (:class:`LetterFiles`)."""
    combined_name: str = ""

    def names(self, unit: str) -> dict[str, Any]:
        """What ``unit``'s texts may refer to."""
        own = {"单位": unit, "配额": self.quotas.values[unit], DATA_NAME: self.figures(unit)}
        return {**self.shared, **own}

    def figures(self, unit: str) -> dict[str, Decimal | str]:
        """``unit``'s workbook columns, numbers as the cells show them, then its text columns.
        Made when a letter needs them, not kept for every unit at once."""
        sheet = self.sheet
        return {**_figures(sheet.rows[unit]), **sheet.texts.get(unit, {})}

    def context(self, unit: str) -> dict[str, Any]:
        """The template context of ``unit``'s letter: the names its texts may use (so that a
        user's own letter can say ``{{ 单位 }}`` or ``{{ 配额.两非案件 }}``), then the letter's
        own parts (title, parties, body, signature)."""
        names = self.names(unit)
        expand = self.texts.for_unit(names)
        return {
            **names,
            **letter.build_context(self.spec, self.year, unit, expand, self.allocation),
        }

    def select(self, wanted: Sequence[str] | None) -> list[str]:
        """The units to write, in letter order; unknown names are an error with suggestions."""
        if wanted is None:
            return list(self.units)
        unknown = [name for name in wanted if name not in self.quotas.values]
        if unknown:
            raise InputError([Problem(_unknown_unit(name, self.units)) for name in unknown])
        chosen = set(wanted)
        return [unit for unit in self.units if unit in chosen]


def prepare_letters(inputs: Inputs, template: Path) -> LetterSet:
    """The letter set of a prepared build: read the letter sheet of the build's workbook,
    compute the quotas and check every text with the first unit; raise on any input problem."""
    loaded, definition = inputs.source, inputs.definition
    spec = definition.letters
    if spec is None:
        raise InputError(
            [Problem("定义里没有 letters（目标管理责任书），无法生成责任书", Location(loaded.path))]
        )
    workbook = inputs.workbook_path
    assert workbook is not None  # letters need data: prepare() refused a build without one
    texts = UnitTexts(loaded, definition)
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
        sheet=sheet,
        texts=texts,
        shared=_shared_names(inputs, quotas, year),
        allocation=_allocation(definition, quotas, year) if spec.allocation_table else None,
        template=template,
        filenames=LetterFiles(units, year, quotas.values),
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


class LetterFiles(Mapping[str, str]):
    """unit → the file name of its letter, ``{年}年目标管理责任书-{单位}.docx`` made safe, made
    when asked for; only the names numbered because two units' names would collide are kept
    (:func:`~huiwu.publish.filenames.renamed`)."""

    def __init__(self, units: Sequence[str], year: int, known: Container[str]) -> None:
        self._units = units
        self._known = known
        """The units (a mapping by unit that there is anyway: no set of ten thousand names)."""
        self._stem = letter_stem(year)
        stems = (f"{self._stem}-{unit}" for unit in units)
        numbered = renamed(stems, ".docx", taken=[combined_name(year), MANIFEST])
        self._numbered = {units[index]: name for index, name in numbered.items()}

    def __getitem__(self, unit: str) -> str:
        if unit not in self._known:
            raise KeyError(unit)
        return self._numbered.get(unit) or safe_name(f"{self._stem}-{unit}") + ".docx"

    def __iter__(self) -> Iterator[str]:
        return iter(self._units)

    def __len__(self) -> int:
        return len(self._units)


def _figures(row: Mapping[str, Decimal]) -> dict[str, Decimal]:
    # Excel stores 48630 as 48630.0; texts should print what the cell shows.
    return {column: Decimal(number(value)) for column, value in row.items()}


def _shared_names(inputs: Inputs, quotas: QuotaTable, year: int) -> dict[str, Any]:
    """The names of every text and template (:meth:`Inputs.names`), the letters' year, and the
    quotas of all units."""
    return {
        **inputs.names(),
        "year": year,
        "meeting": inputs.definition.meeting.model_dump(),
        "总额": quotas.totals,
        "分配": {name: quotas.listing(name) for name in quotas.specs},
        "单位数": len(quotas.units),
    }


def _allocation(definition: Any, quotas: QuotaTable, year: int) -> dict[str, Any]:
    workbook = definition.workbook
    return letter.allocation_table(quotas, year, workbook.area, workbook.unit_kind)


def _unknown_unit(name: str, units: list[str]) -> str:
    close = difflib.get_close_matches(name, units, n=3, cutoff=0.5)
    more = f"等 {len(units)} 个" if len(units) > 10 else ""
    hint = (
        f"是不是“{'”或“'.join(close)}”？" if close else f"现有的单位：{'、'.join(units[:10])}{more}"
    )
    return f"--units：没有名为“{name}”的单位。{hint}"


class Sent(NamedTuple):
    """What the process that rendered a letter sends back: the sha256 digest of its file
    (empty for a letter only the print file holds), and its main document part when the print
    file needs it. The unit and file names stay in this process: ten thousand copies of them
    sent back would be held twice over."""

    digest: bytes
    document_xml: bytes


@dataclass(frozen=True)
class _Files:
    """Where each unit's letter goes in the staging folder: None for a unit that only the
    print file holds (a partial rebuild writes the print file of all units)."""

    names: Mapping[str, str]
    prefix: str
    chosen: set[str] | None
    """The units whose letters are written; None for all."""

    def __call__(self, unit: str) -> str | None:
        if self.chosen is not None and unit not in self.chosen:
            return None
        return self.prefix + self.names[unit]


class _Writer:
    """Writes a unit's letter into the staging folder, in whichever process rendered it."""

    def __init__(self, staging: Staging, files: _Files, keep_xml: bool) -> None:
        self._staging = staging
        self._files = files
        self._keep_xml = keep_xml

    def __call__(self, unit: str, rendered: Rendered) -> Sent:
        name = self._files(unit)
        digest = self._staging.put(name, rendered.data) if name is not None else b""
        return Sent(digest, rendered.document_xml if self._keep_xml else b"")


class LetterEntries(MadeOnRead[dict[str, str]]):
    """The manifest entries of the letters written, in letter order, then of the files made
    from them (the print file, its PDF). Each letter is recorded in the staging folder here,
    and its entry made when read from what the staging folder keeps of its file (name and
    digest) and its unit: ten thousand letters keep no mapping of their own."""

    def __init__(self, staging: Staging) -> None:
        self._staging = staging
        self._first = len(staging.written)
        self._units: list[str] = []
        self._after: list[dict[str, str]] = []

    def record(self, unit: str, name: str, digest: bytes) -> None:
        """Count ``unit``'s letter, written as ``name`` with sha256 ``digest``, as written."""
        if self._after or len(self._staging.written) != self._first + len(self._units):
            raise RuntimeError("a letter is recorded after another file")
        self._staging.record(name, digest)
        self._units.append(unit)

    def extend(self, entries: Iterable[dict[str, str]]) -> None:
        """Entries of other files, after the letters."""
        self._after.extend(entries)

    def _at(self, index: int) -> dict[str, str]:
        letters = len(self._units)
        if index >= letters:
            return self._after[index - letters]
        file = self._staging.written[self._first + index]
        return manifest_entry(KIND_NAME, file.name, file.sha256, self._units[index])

    def __len__(self) -> int:
        return len(self._units) + len(self._after)


def _write_units(
    letters: LetterSet,
    renderer: Renderer,
    units: Iterable[str],
    writer: _Writer,
    cancel: threading.Event | None = None,
) -> Iterator[tuple[str, Sent]]:
    """Render and write the letters of ``units``, yielding (unit, written) in order, on every
    core (:mod:`huiwu.render.batch`: each worker writes its own letters; the bytes do not
    depend on the number of cores); stop between letters when ``cancel`` is set (the caller
    raises)."""
    for unit, written in deliver_batch(
        renderer, letters.template, list(units), letters.context, writer
    ):
        if cancel is not None and cancel.is_set():
            return
        yield unit, written


def write_letters(
    letters: LetterSet,
    staging: Staging,
    renderer: Renderer,
    *,
    units: Sequence[str] | None = None,
    combined: bool = False,
    folder: str = "",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> LetterEntries:
    """Render the letters of ``units`` (all by default) into ``staging`` under ``folder``, and
    with ``combined`` the print file of all units; return their manifest entries (in letter
    order, the print file last). With ``cancel`` set, stop between letters (entries so far)."""
    chosen = None if units is None else set(letters.select(units))
    todo = letters.units
    if chosen is not None and not combined:
        todo = [unit for unit in letters.units if unit in chosen]
    prefix = f"{folder}/" if folder else ""
    files = _Files(letters.filenames, prefix, chosen)
    print_name = prefix + letters.combined_name
    entries = LetterEntries(staging)
    with ExitStack() as stack:
        bundle: PrintFile | None = None
        done = 0
        writer = _Writer(staging, files, keep_xml=combined)
        for unit, written in _write_units(letters, renderer, todo, writer, cancel):
            name = files(unit)
            if name is not None:
                entries.record(unit, name, written.digest)
            if combined:
                if bundle is None:
                    handle = stack.enter_context(staging.stream(print_name))
                    bundle = _print_file(letters, renderer, letters.context(unit), handle)
                bundle.add(written.document_xml)
            done += 1
            if progress is not None:
                progress(done, len(todo))
        if bundle is not None and done == len(todo):
            bundle.close()
    if combined and bundle is not None and done == len(todo):
        digest = next(w.sha256 for w in reversed(staging.written) if w.name == print_name)
        entries.extend([manifest_entry(f"{KIND_NAME}（合订本）", print_name, digest)])
    return entries


KIND_NAME = "目标管理责任书"
"""The letters' name in the manifest (and the kind's Chinese name)."""


def _print_file(
    letters: LetterSet, renderer: Renderer, first: dict[str, Any], handle: BinaryIO
) -> PrintFile:
    """The print file, its properties rendered from the first letter's context."""
    template = renderer.prepare(letters.template)
    if template.unsupported or template.varying_headers:
        why = template.unsupported or "随单位变化的页眉页脚"
        raise TemplateProblem(letters.template, f"模板用到了{why}，无法生成合订本")
    title = letters.combined_name.removesuffix(".docx")
    parts = template.render_parts({**first, "doc_title": title})
    return PrintFile(template, parts, handle)


def in_letter_order(
    entries: Iterable[Mapping[str, str]], letters: LetterSet
) -> list[Mapping[str, str]]:
    """Manifest entries of a letters folder in letter order, the print file last (those of
    one run are in that order already; this sorts a partial rebuild's among the earlier
    ones)."""
    order = {name: index for index, name in enumerate(letters.filenames.values())}
    return sorted(
        entries,
        key=lambda entry: (
            "单位" not in entry,
            order.get(entry.get("文件", "").rsplit("/", 1)[-1], len(order)),
        ),
    )
