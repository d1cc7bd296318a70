"""Build a meeting's packet: the linear script from a loaded definition to files on disk.

load → expand texts → per-kind context → render → (PDF, 汇编) → write with a manifest. Nothing
reaches the output folder until everything has been made: the files go into a staging folder
that replaces the earlier packet in one step (see :mod:`huiwu.publish.output`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from huiwu.definition.load import LoadedDefinition
from huiwu.documents import Kind, selected_ids, selected_kinds
from huiwu.errors import InputError, Location, Problem, Severity
from huiwu.figures.inputs import Inputs, data_path, prepare
from huiwu.model import Definition
from huiwu.publish import pdf, volume
from huiwu.publish.filenames import safe_name
from huiwu.publish.letters import LetterSet, prepare_letters, write_letters
from huiwu.publish.output import (
    MANIFEST,
    Staging,
    Written,
    atomic_file,
    manifest_bytes,
    refuse_overwrite,
    with_earlier,
)
from huiwu.render import docxzip
from huiwu.render.renderer import Renderer
from huiwu.render.templateset import TemplateSet, user_templates
from huiwu.text.proofread import proofread

LETTERS_FOLDER = "目标管理责任书"
"""The packet's subfolder holding one responsibility letter per unit and their print file."""

Notify = Callable[[str], None]
"""Where a build reports what it is doing (the CLI prints it)."""


@dataclass(frozen=True)
class BuildOptions:
    """What ``huiwu build`` was asked to do."""

    out_dir: Path | None = None
    """None: beside the definition, in a folder named after the meeting."""
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
    files: list[Path]
    archive: Path | None = None
    notices: list[str] = field(default_factory=list)
    """Notes for the user that are not errors (e.g. a template rendered the slow way)."""


@dataclass(frozen=True)
class Packet:
    """A packet rendered in memory and proofread, not yet written."""

    inputs: Inputs
    rendered: list[Rendered]
    templates: TemplateSet
    findings: list[Problem]
    notices: list[str] = field(default_factory=list)
    """Notes that are not problems (e.g. a template rendered the slow way, and why)."""
    letters: LetterSet | None = None
    """The responsibility letters, when the packet has them (written per unit, later)."""


def render_packet(loaded: LoadedDefinition, options: BuildOptions) -> Packet:
    """Render every selected document and proofread the result; write nothing.

    Of the responsibility letters, only the first unit's is rendered here, for proofreading;
    :func:`build` renders them all while writing, one at a time.
    """
    kinds = selected_kinds(loaded.model, options.only)
    _check_available(loaded, loaded.model, kinds)
    needing = [kind.name for kind in kinds if kind.needs_data(loaded.model)]
    inputs = prepare(loaded, options.data, need_data="、".join(needing) or None)
    templates = TemplateSet(user_templates(loaded, options.templates))
    renderer = Renderer()
    shared = inputs.names()
    rendered = [
        Rendered(
            kind,
            renderer.render(
                templates.path(kind.template), {**shared, **kind.build_context(inputs)}
            ),
        )
        for kind in kinds
    ]
    documents = [(item.filename, item.data) for item in rendered]
    letters = None
    if "letters" in selected_ids(loaded.model, options.only):
        letters = prepare_letters(loaded, data=options.data, templates=options.templates)
        first = letters.units[0]
        sample = renderer.render(letters.template, letters.context(first))
        documents.append((f"{LETTERS_FOLDER}/{letters.filenames[first]}", sample))
    findings = proofread(documents, loaded)
    return Packet(inputs, rendered, templates, findings, renderer.notices, letters)


def judge(findings: list[Problem], *, strict: bool, notify: Notify) -> None:
    """Stop on proofreading findings under ``strict``; otherwise show them as warnings."""
    if strict and findings:
        raise InputError([replace(f, severity=Severity.ERROR) for f in findings])
    for finding in findings:
        notify(str(finding))


def build(
    loaded: LoadedDefinition, options: BuildOptions, notify: Notify = lambda _: None
) -> Built:
    """Render, proofread and write every selected document (and what was asked besides) into
    the packet folder."""
    packet = render_packet(loaded, options)
    judge(packet.findings, strict=options.strict, notify=notify)
    inputs, rendered, templates = packet.inputs, packet.rendered, packet.templates
    out_dir = options.out_dir or loaded.path.parent / safe_name(
        inputs.definition.meeting.title, "会务材料"
    )
    archive = out_dir.with_name(out_dir.name + ".zip") if options.zip else None
    whole = options.only is None
    names = [item.filename for item in rendered]
    if packet.letters is not None:
        names += [f"{LETTERS_FOLDER}/{name}" for name in packet.letters.filenames.values()]
    refuse_overwrite(out_dir, force=options.force, whole=whole, names=names)
    if archive is not None and archive.exists() and not options.force:
        refuse_overwrite(archive, force=False, whole=True)
    notify(f"已生成 {len(rendered)} 份材料。")
    failed: list[pdf.ConversionFailed] = []
    with Staging(out_dir, force=options.force, whole=whole, names=names) as staging:
        written = [staging.write(item.filename, item.data) for item in rendered]
        if options.pdf or options.merged:
            try:
                written += _write_pdfs(staging, rendered, inputs, templates, options, notify)
            except pdf.ConversionFailed as exc:  # the documents are kept, the PDFs made too
                done = {entry.name for entry in staging.written}
                for path in exc.converted:
                    if path.parent == staging.place(path.name).parent and path.name not in done:
                        staging.adopt(path.name)
                written = list(staging.written)
                failed.append(exc)
        entries = _entries(written, _document_names(rendered))
        if packet.letters is not None:
            notify(f"正在生成 {len(packet.letters.units)} 份目标管理责任书……")
            entries += write_letters(
                packet.letters, staging, Renderer(), combined=True, folder=LETTERS_FOLDER
            )
            if options.pdf:
                try:
                    entries += _letters_pdf(staging, packet.letters, notify)
                except pdf.ConversionFailed as exc:
                    failed.append(exc)
        entries = with_earlier(entries, out_dir) if not whole else entries
        staging.write(MANIFEST, manifest_bytes(entries, _input_files(loaded, options, templates)))
        committed = staging.commit()
    if archive is not None:
        _write_archive(out_dir, archive)
    if failed:
        raise pdf.PdfsMissing(out_dir, failed)
    files = [entry.path for entry in committed if entry.name != MANIFEST]
    return Built(out_dir, files, archive, packet.notices)


def _write_pdfs(
    staging: Staging,
    rendered: list[Rendered],
    inputs: Inputs,
    templates: TemplateSet,
    options: BuildOptions,
    notify: Notify,
) -> list[Written]:
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
            volume.Part(item.kind.name, job.target.read_bytes())
            for item, job in zip(rendered, jobs, strict=True)
        ]
        data = volume.compile_volume(inputs.definition, parts, templates.path(volume.TEMPLATE))
        written.append(staging.write(volume.FILENAME, data))
    return written


def _pdf_name(docx_name: str) -> str:
    return docx_name.removesuffix(".docx") + ".pdf"


def _document_names(rendered: list[Rendered]) -> dict[str, str]:
    """File name → the document it holds, for the DOCX and PDF of each kind and the 汇编."""
    names = {volume.FILENAME: volume.FILENAME.removesuffix(".pdf")}
    for item in rendered:
        names[item.filename] = names[_pdf_name(item.filename)] = item.kind.name
    return names


def _entries(written: list[Written], documents: dict[str, str]) -> list[dict[str, str]]:
    """Manifest entries of written files: their document, name and sha256, sorted by name."""
    entries = [
        {"材料": documents[entry.name], "文件": entry.name, "sha256": entry.sha256}
        for entry in written
    ]
    return sorted(entries, key=lambda entry: entry["文件"])


def _letters_pdf(staging: Staging, letters: LetterSet, notify: Notify) -> list[dict[str, str]]:
    """The letters' print file as PDF, for printing them all at once."""
    source = f"{LETTERS_FOLDER}/{letters.combined_name}"
    name = _pdf_name(source)
    notify("正在把责任书合订本转成 PDF……")
    pdf.convert([pdf.Job(staging.place(source), staging.place(name), source)])
    written = staging.adopt(name)
    return [{"材料": "目标管理责任书（合订本）", "文件": name, "sha256": written.sha256}]


def _input_files(
    loaded: LoadedDefinition, options: BuildOptions, templates: TemplateSet
) -> list[Path | None]:
    return [
        loaded.path,
        *loaded.parents,
        data_path(loaded, options.data),
        *templates.used_user_files(),
    ]


def _write_archive(out_dir: Path, archive: Path) -> None:
    """The packet folder as one zip (fixed times, sorted names), replacing an earlier one."""
    with atomic_file(archive) as stream:
        writer = docxzip.ZipWriter(stream)
        for path in sorted(p for p in out_dir.rglob("*") if p.is_file()):
            name = f"{out_dir.name}/{path.relative_to(out_dir).as_posix()}"
            writer.add(docxzip.deflate(name, path.read_bytes()))
        writer.close()


def _check_available(loaded: LoadedDefinition, definition: Definition, kinds: list[Kind]) -> None:
    problems = [
        Problem(
            f"要生成{kind.name}，{kind.requires}",
            Location(loaded.path),
        )
        for kind in kinds
        if not kind.available(definition)
    ]
    if problems:
        raise InputError(problems)
