"""Build a meeting's packet: the linear script from a loaded definition to files on disk.

load → prepare (workbook, figures, expanded texts: once) → per-kind context → render → (PDF,
汇编) → write with a manifest. The responsibility letters are one kind of the packet, rendered one
per unit while writing; ``huiwu letters`` is this build restricted to them, in a folder of their
own. Nothing reaches the output folder until everything has been made: the files go into a
staging folder that replaces the earlier packet in one step (see :mod:`huiwu.publish.output`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from huiwu.definition.load import LoadedDefinition
from huiwu.documents import KINDS, Kind, selected_kinds
from huiwu.errors import Cancelled, HuiwuError, InputError, Location, Problem, Severity
from huiwu.figures.inputs import Inputs, prepare
from huiwu.figures.workbook import Sheet
from huiwu.lazy import MadeOnRead
from huiwu.publish.filenames import safe_name
from huiwu.publish.letters import LetterSet, in_letter_order, letter_stem, prepare_letters
from huiwu.publish.letters import write_letters as write_letter_files
from huiwu.publish.output import (
    MANIFEST,
    Staging,
    Written,
    atomic_file,
    manifest_chunks,
    manifest_entry,
    read_manifest,
    refuse_archive,
    refuse_overwrite,
    with_earlier,
)
from huiwu.render import docxzip
from huiwu.render.renderer import Renderer
from huiwu.render.templateset import TemplateSet, user_templates
from huiwu.text.proofread import proofread

if TYPE_CHECKING:
    from huiwu.publish.pdf import ConversionFailed

LETTERS = "letters"
"""The id of the per-unit kind."""
LETTERS_FOLDER = KINDS[LETTERS].name
"""The packet's subfolder holding one responsibility letter per unit and their print file."""

Notify = Callable[[str], None]
"""Where a build reports what it is doing (the CLI prints it)."""


@dataclass(frozen=True)
class Progress:
    """How far a build is: ``done`` of ``total`` in the stage named ``stage`` (Chinese)."""

    stage: str
    done: int
    total: int


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class BuildOptions:
    """What a build was asked to do (``huiwu build``, ``huiwu letters``, the API)."""

    out_dir: Path | None = None
    """None: beside the definition, in a folder named after the meeting (the letters' own
    folder: ``{年份}年目标管理责任书``)."""
    only: list[str] | None = None
    force: bool = False
    templates: Path | None = None
    data: Path | None = None
    pdf: bool = False
    """Also convert every document to PDF (LibreOffice)."""
    merged: bool = False
    """Also write 会议材料汇编.pdf: cover, contents and every document (implies ``pdf``)."""
    zip: bool = False
    """Also write the packet as one ``.zip`` beside its folder."""
    strict: bool = False
    """Treat proofreading findings as errors: write nothing while there are any."""
    units: list[str] | None = None
    """Letters: redo only these units' letters; the other files of the folder are kept."""
    combined: bool = True
    """Letters: also write the print file (合订本) of all units."""
    letters_folder: str = LETTERS_FOLDER
    """Where the letters go inside the output folder; "" when they are the packet
    (``huiwu letters``)."""


def letters_only(options: BuildOptions) -> BuildOptions:
    """``options`` restricted to the letters, written into a folder of their own."""
    return replace(options, only=[LETTERS], letters_folder="")


@dataclass(frozen=True)
class Rendered:
    """One document of the packet, rendered."""

    kind: Kind
    data: bytes

    @property
    def filename(self) -> str:
        """The DOCX file name inside the packet."""
        return self.kind.filename


@dataclass(frozen=True)
class Built:
    """What a build wrote."""

    out_dir: Path
    files: Sequence[Path]
    archive: Path | None = None
    notices: list[str] = field(default_factory=list)
    """Notes for the user that are not errors (e.g. a template rendered the slow way)."""
    letters: int = 0
    """How many responsibility letters were written."""
    combined: Path | None = None
    """The letters' print file, when one was written."""
    warnings: list[Problem] = field(default_factory=list)
    """What proofreading found (the build went ahead: not ``strict``)."""


class PacketFiles(MadeOnRead[Path]):
    """The files a build wrote, as paths made when asked for: ten thousand letters need not
    hold ten thousand path objects."""

    def __init__(self, folder: Path, names: list[str]) -> None:
        self._folder = folder
        self._names = names

    def __len__(self) -> int:
        return len(self._names)

    def _at(self, index: int) -> Path:
        return self._folder / self._names[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"PacketFiles({self._folder!r}, {len(self)} 个文件)"


@dataclass(frozen=True)
class Packet:
    """A packet prepared and rendered in memory and proofread, not yet written."""

    inputs: Inputs
    rendered: list[Rendered]
    templates: TemplateSet
    findings: list[Problem]
    renderer: Renderer
    letters: LetterSet | None = None
    """The responsibility letters, when the packet has them (written per unit, later)."""

    @property
    def notices(self) -> list[str]:
        """Notes that are not problems (e.g. a template rendered the slow way, and why)."""
        return self.renderer.notices


def render_packet(
    loaded: LoadedDefinition,
    options: BuildOptions,
    *,
    proofreading: bool = True,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    renderer: Renderer | None = None,
) -> Packet:
    """Prepare once, render every selected one-document kind and proofread; write nothing.

    Of the responsibility letters, only the first unit's is rendered here, for proofreading;
    :func:`build` renders them all while writing, one at a time. ``renderer``: one that has
    prepared the templates already (the web page checks the same templates on every edit).
    """
    model = loaded.model
    kinds = selected_kinds(model, options.only)
    _check_available(loaded, kinds)
    needing = [kind.name for kind in kinds if kind.needs_data(model)]
    inputs = prepare(loaded, options.data, need_data="、".join(needing) or None)
    templates = TemplateSet(user_templates(loaded, options.templates), fonts=loaded.model.fonts)
    renderer = renderer or Renderer()
    shared = inputs.names()
    single = [kind for kind in kinds if not kind.per_unit]
    rendered: list[Rendered] = []
    for kind in single:
        _stop_if(cancel)
        context = {**shared, **kind.build_context(inputs)}
        data = renderer.render(templates.path(kind.template), context, once=True)
        rendered.append(Rendered(kind, data))
        if progress is not None:
            progress(Progress("材料", len(rendered), len(single)))
    letters = None
    if any(kind.per_unit for kind in kinds):
        letters = prepare_letters(inputs, templates.path(KINDS[LETTERS].template))
        letters.select(options.units)  # an unknown unit is an input error, found before writing
    findings: list[Problem] = []
    if proofreading:
        documents = [(item.filename, item.data) for item in rendered]
        if letters is not None:
            first = letters.units[0]
            sample = renderer.render(letters.template, letters.context(first))
            documents.append((f"{LETTERS_FOLDER}/{letters.filenames[first]}", sample))
        findings = proofread(documents, loaded, _letter_sheet(inputs, letters))
    # A part larger than its whole in the workbook: told like proofreading findings.
    findings += inputs.results.warnings if inputs.results is not None else []
    return Packet(inputs, rendered, templates, findings, renderer, letters)


def _letter_sheet(inputs: Inputs, letters: LetterSet | None) -> tuple[Path, Sheet] | None:
    """The letters' sheet as read for them, if it holds every text column proofreading may
    trace a finding to (else proofreading reads the workbook itself)."""
    if letters is None or inputs.workbook_path is None:
        return None
    wanted = inputs.definition.workbook.text_columns
    if not set(wanted) <= set(letters.sheet.columns):
        return None
    return inputs.workbook_path, letters.sheet


def judge(findings: list[Problem], *, strict: bool) -> None:
    """Stop on proofreading findings under ``strict``; otherwise they are warnings (returned
    with what was built)."""
    if strict and findings:
        raise InputError([replace(f, severity=Severity.ERROR) for f in findings])


def default_out_dir(loaded: LoadedDefinition, packet: Packet, options: BuildOptions) -> Path:
    """Beside the definition: the meeting's title, or for the letters on their own
    ``{年份}年目标管理责任书``."""
    if options.letters_folder == "" and packet.letters is not None and not packet.rendered:
        return loaded.path.parent / safe_name(letter_stem(packet.letters.year))
    return loaded.path.parent / safe_name(packet.inputs.definition.meeting.title, "会务材料")


def build(
    loaded: LoadedDefinition,
    options: BuildOptions,
    notify: Notify = lambda _: None,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> Built:
    """Render, proofread and write every selected document (and what was asked besides) into
    the packet folder. With ``cancel`` set, stop between documents and write nothing
    (:class:`~huiwu.errors.Cancelled`)."""
    packet = render_packet(loaded, options, progress=progress, cancel=cancel)
    judge(packet.findings, strict=options.strict)
    if options.pdf or options.merged:
        _require_libreoffice()
    out_dir = options.out_dir or default_out_dir(loaded, packet, options)
    archive = out_dir.with_name(out_dir.name + ".zip") if options.zip else None
    whole = _whole(options)
    earlier = [] if whole else read_manifest(out_dir)
    combined = _combined(packet.letters, options, earlier)
    refuse_overwrite(
        out_dir, force=options.force, whole=whole, names=_names(packet, options, combined)
    )
    if archive is not None:
        refuse_archive(archive, force=options.force)
    if packet.rendered:
        notify(f"已生成 {len(packet.rendered)} 份材料。")
    failed: list[ConversionFailed] = []  # PDFs that could not be made: the rest is kept
    names = _names(packet, options, combined)
    with Staging(out_dir, force=options.force, whole=whole, names=names) as staging:
        documents = _write_documents(staging, packet, options, notify, failed)
        letter_entries = _write_letters(
            staging, packet, options, combined, notify, progress, cancel, failed
        )
        # One run's entries are in order (the letters' in letter order); a partial rebuild's
        # are merged with the earlier ones.
        entries: Iterable[Mapping[str, str]] = chain(documents, letter_entries)
        if not whole:
            entries = with_earlier([*documents, *letter_entries], out_dir, earlier)
            if packet.letters is not None and options.letters_folder == "":
                entries = in_letter_order(entries, packet.letters)
        with staging.stream(MANIFEST) as manifest:
            manifest.writelines(manifest_chunks(entries, input_files(packet)))
        _stop_if(cancel)
        committed = staging.commit()
    if archive is not None:
        _write_archive(out_dir, archive)
    if failed:
        from huiwu.publish import pdf

        raise pdf.PdfsMissing(out_dir, failed)
    files = PacketFiles(out_dir, [name for name in committed.names if name != MANIFEST])
    letters = packet.letters
    return Built(
        out_dir,
        files,
        archive,
        packet.notices,
        letters=len(letters.select(options.units)) if letters is not None else 0,
        combined=_letters_path(out_dir, letters, options) if combined else None,
        warnings=packet.findings,
    )


def _whole(options: BuildOptions) -> bool:
    """Whether the build replaces the whole output folder (else only the files it writes)."""
    if options.units is not None:
        return False
    return options.only is None or options.letters_folder == ""


def _combined(letters: LetterSet | None, options: BuildOptions, earlier: list[dict]) -> bool:
    """Whether to write the letters' print file: when asked, or — so that it never disagrees
    with the letters — when a partial rebuild finds one from an earlier run."""
    if letters is None:
        return False
    name = _in_letters_folder(options, letters.combined_name)
    return options.combined or any(entry.get("文件") == name for entry in earlier)


def _in_letters_folder(options: BuildOptions, name: str) -> str:
    return f"{options.letters_folder}/{name}" if options.letters_folder else name


def _letters_path(out_dir: Path, letters: LetterSet | None, options: BuildOptions) -> Path | None:
    if letters is None:
        return None
    return out_dir / _in_letters_folder(options, letters.combined_name)


def _names(packet: Packet, options: BuildOptions, combined: bool) -> Iterator[str]:
    """Every file name the build will write (for refusing to overwrite before any work), one
    at a time: ten thousand letters' names are not kept for the whole build."""
    yield from (item.filename for item in packet.rendered)
    letters = packet.letters
    if letters is not None:
        for unit in letters.select(options.units):
            yield _in_letters_folder(options, letters.filenames[unit])
        if combined:
            yield _in_letters_folder(options, letters.combined_name)


def _write_documents(
    staging: Staging,
    packet: Packet,
    options: BuildOptions,
    notify: Notify,
    failed: list[ConversionFailed],
) -> list[dict[str, str]]:
    """The one-document kinds (and their PDFs and the 汇编), as manifest entries by name. PDFs
    LibreOffice could not make are added to ``failed``; the documents and the other PDFs stay."""
    rendered = packet.rendered
    written = [staging.write(item.filename, item.data) for item in rendered]
    if rendered and (options.pdf or options.merged):
        from huiwu.publish import pdf

        try:
            written += _write_pdfs(staging, packet, options, notify)
        except pdf.ConversionFailed as exc:
            done = {entry.name for entry in staging.written}
            for path in exc.converted:
                if path.parent == staging.place(path.name).parent and path.name not in done:
                    staging.adopt(path.name)
            written = list(staging.written)
            failed.append(exc)
    return _entries(written, _document_names(rendered, merged=options.merged))


def _write_letters(
    staging: Staging,
    packet: Packet,
    options: BuildOptions,
    combined: bool,
    notify: Notify,
    progress: ProgressCallback | None,
    cancel: threading.Event | None,
    failed: list[ConversionFailed],
) -> Sequence[dict[str, str]]:
    """Every selected unit's letter (and the print file, and its PDF) as manifest entries."""
    letters = packet.letters
    if letters is None:
        return []
    selected = letters.select(options.units)
    notify(f"正在生成 {len(selected)} 份目标管理责任书……")

    def advance(done: int, total: int) -> None:
        if progress is not None:
            progress(Progress(LETTERS_FOLDER, done, total))

    entries = write_letter_files(
        letters,
        staging,
        packet.renderer,
        units=options.units,
        combined=combined,
        folder=options.letters_folder,
        progress=advance,
        cancel=cancel,
    )
    _stop_if(cancel)
    if options.pdf and combined:
        from huiwu.publish import pdf

        try:
            entries.extend(_letters_pdf(staging, letters, options, notify))
        except pdf.ConversionFailed as exc:
            failed.append(exc)
    return entries


def _require_libreoffice() -> None:
    """PDFs were asked for: without LibreOffice, say so before anything is written."""
    from huiwu.publish import pdf

    if pdf.find_soffice() is None:
        raise HuiwuError(f"{pdf.LibreOfficeMissing()}未生成任何文件。")


def _stop_if(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("已取消，未写入任何文件。")


def _write_pdfs(
    staging: Staging, packet: Packet, options: BuildOptions, notify: Notify
) -> list[Written]:
    from huiwu.publish import pdf, volume  # LibreOffice and pypdf: only for PDFs

    rendered = packet.rendered
    warning = pdf.font_warning()
    if warning:
        notify(warning)
    jobs = [
        pdf.Job(
            staging.place(item.filename), staging.place(_pdf_name(item.filename)), item.filename
        )
        for item in rendered
    ]
    notify(f"正在用 LibreOffice 转换 {len(jobs)} 份 PDF……")
    pdf.convert(jobs)
    written = [staging.adopt(job.target.name) for job in jobs]
    if options.merged:
        parts = [
            volume.Part(item.kind.name, job.target.read_bytes(), job.source)
            for item, job in zip(rendered, jobs, strict=True)
        ]
        template = packet.templates.path(volume.TEMPLATE)
        data = volume.compile_volume(packet.inputs.definition, parts, template)
        written.append(staging.write(volume.FILENAME, data))
    return written


def _pdf_name(docx_name: str) -> str:
    return docx_name.removesuffix(".docx") + ".pdf"


def _document_names(rendered: list[Rendered], *, merged: bool) -> dict[str, str]:
    """File name → the document it holds, for the DOCX and PDF of each kind and the 汇编."""
    names = {}
    if merged:
        from huiwu.publish import volume

        names[volume.FILENAME] = volume.FILENAME.removesuffix(".pdf")
    for item in rendered:
        names[item.filename] = names[_pdf_name(item.filename)] = item.kind.name
    return names


def _entries(written: list[Written], documents: dict[str, str]) -> list[dict[str, str]]:
    """Manifest entries of written files, sorted by name."""
    entries = [manifest_entry(documents[entry.name], entry.name, entry.sha256) for entry in written]
    return sorted(entries, key=lambda entry: entry["文件"])


def _letters_pdf(
    staging: Staging, letters: LetterSet, options: BuildOptions, notify: Notify
) -> list[dict[str, str]]:
    """The letters' print file as PDF, for printing them all at once."""
    from huiwu.publish import pdf

    source = _in_letters_folder(options, letters.combined_name)
    name = _pdf_name(source)
    notify("正在把责任书合订本转成 PDF……")
    pdf.convert([pdf.Job(staging.place(source), staging.place(name), source)])
    written = staging.adopt(name)
    return [manifest_entry(f"{LETTERS_FOLDER}（合订本）", name, written.sha256)]


def input_files(packet: Packet) -> list[Path]:
    """The files a packet is made from, for its manifest: the definition, the definitions it
    extends, the workbook, and the user's templates that were used."""
    inputs = packet.inputs
    files = [inputs.source.path, *inputs.source.parents, inputs.workbook_path]
    files += packet.templates.used_user_files()
    return [path for path in files if path is not None]


def _write_archive(out_dir: Path, archive: Path) -> None:
    """The packet folder as one zip (fixed times, sorted names), replacing an earlier one."""
    with atomic_file(archive) as stream:
        writer = docxzip.ZipWriter(stream)
        for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
            name = f"{out_dir.name}/{path.relative_to(out_dir).as_posix()}"
            writer.add(docxzip.deflate(name, path.read_bytes()))
        writer.close()


def _check_available(loaded: LoadedDefinition, kinds: list[Kind]) -> None:
    problems = [
        Problem(f"要生成{kind.name}，{kind.requires}", Location(loaded.path))
        for kind in kinds
        if not kind.available(loaded.model)
    ]
    if problems:
        raise InputError(problems)


def letter_set(
    loaded: LoadedDefinition, *, data: Path | None = None, templates: Path | None = None
) -> LetterSet:
    """The letters of a definition, prepared as a letters-only build prepares them."""
    options = letters_only(BuildOptions(data=data, templates=templates))
    letters = render_packet(loaded, options, proofreading=False).letters
    assert letters is not None  # the letters kind was selected, or render_packet raised
    return letters
