"""huiwu's library API: what the command line and the web page call.

Light to import: the heavy modules (pydantic, openpyxl, docxtpl, LibreOffice driving) are
imported inside the functions that need them. All paths are :class:`pathlib.Path`. Problems
with the user's input raise :class:`~huiwu.errors.InputError` (with ``.problems``), other
failures meant for the user :class:`~huiwu.errors.HuiwuError`; anything else is a bug in huiwu.
See ``docs/API.md``.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from huiwu.errors import Cancelled, HuiwuError, InputError, Problem, Severity, refuse_existing

if TYPE_CHECKING:
    from huiwu.definition.load import LoadedDefinition
    from huiwu.publish.packet import BuildOptions, Built, Packet, Progress

__all__ = [
    "BuildOptions",
    "Built",
    "Cancelled",
    "CheckResult",
    "ExampleInfo",
    "FieldInfo",
    "Issue",
    "KindInfo",
    "LoadedDefinition",
    "Progress",
    "RollResult",
    "blank_workbook",
    "build",
    "check",
    "checked",
    "copy_templates",
    "examples",
    "fields",
    "kinds",
    "letters_to_pdf",
    "load",
    "new",
    "preview",
    "receipt_workbook",
    "roll",
    "seats",
    "title",
    "to_pdf",
]

_LAZY = {
    "BuildOptions": "huiwu.publish.packet",
    "Built": "huiwu.publish.packet",
    "Progress": "huiwu.publish.packet",
    "LoadedDefinition": "huiwu.definition.load",
}


def __getattr__(name: str) -> Any:
    """The option and result types, imported when first asked for (they pull in the engine)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'huiwu.api' has no attribute {name!r}")


@dataclass(frozen=True)
class Issue:
    """One problem, structured (from :class:`huiwu.errors.Problem`)."""

    severity: str
    """``"error"`` or ``"warning"``."""
    message: str
    """In Chinese."""
    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str = ""
    """The field path in the definition, e.g. ``agenda[2].does``."""
    suggestion: str | None = None
    """What to write instead, when known."""
    document: str | None = None
    """Proofreading: the document (e.g. ``会议通知``) …"""
    paragraph: int | None = None
    """… and its paragraph."""

    def __str__(self) -> str:
        return str(self.problem())

    def problem(self) -> Problem:
        """The same problem as a :class:`~huiwu.errors.Problem` (for printing)."""
        from huiwu.errors import Location

        location = Location(self.file, self.line, self.column, self.sheet, self.cell)
        severity = Severity.ERROR if self.severity == "error" else Severity.WARNING
        return Problem(self.message, location, self.field, severity, self.suggestion)

    @classmethod
    def of_error(cls, exc: HuiwuError) -> Issue:
        """The issue of a failure that is not a list of problems: a template's names its file."""
        from huiwu.render.renderer import TemplateProblem

        if isinstance(exc, TemplateProblem):
            return cls("error", exc.message, str(exc.file))
        return cls("error", str(exc))

    @classmethod
    def of(cls, problem: Problem) -> Issue:
        """The issue of one :class:`~huiwu.errors.Problem`."""
        loc = problem.location
        file = None if loc.file is None else str(loc.file)
        document = paragraph = None
        # Proofreading names the document and paragraph: as the location when the text came
        # from nowhere else, or at the head of the message when it is located in the definition.
        if file is not None and file.endswith(".docx"):
            document = Path(file).stem
            found = re.match(r"第 (\d+) 段", problem.message)
            paragraph = int(found.group(1)) if found else None
        elif found := re.match(r"(?:\S+/)?([^/\s]+)\.docx 第 (\d+) 段", problem.message):
            document, paragraph = found.group(1), int(found.group(2))
        return cls(
            "error" if problem.severity is Severity.ERROR else "warning",
            problem.message,
            file,
            loc.line,
            loc.column,
            loc.sheet,
            loc.cell,
            problem.path,
            problem.suggestion,
            document,
            paragraph,
        )


@dataclass(frozen=True)
class KindInfo:
    """A document kind and whether this definition can have it."""

    id: str
    name: str
    template: str
    available: bool
    requires: str
    needs_data: bool


@dataclass(frozen=True)
class FieldInfo:
    """A name a template may use, what it is, and its value for this definition."""

    name: str
    description: str
    example: str


@dataclass(frozen=True)
class ExampleInfo:
    """A built-in example meeting."""

    id: str
    title: str
    folder: Path


@dataclass(frozen=True)
class RollResult:
    """Next year's definition, written, and what the user must fill in or check."""

    path: Path
    todo: list[Issue]
    year: int = 0
    edits: list[str] = field(default_factory=list)
    """The changes made, one line each (``第 12 行 meeting.date…：2012-09-20 → 待填``)."""


@dataclass(frozen=True)
class CheckResult:
    """What :func:`checked` found, and a summary of what was checked, line by line."""

    issues: list[Issue]
    summary: list[str]
    notices: list[str] = field(default_factory=list)


def load(path: Path, *, text: str | None = None) -> LoadedDefinition:
    """Read and validate a definition (``text``: YAML to use instead of the file's content;
    ``path`` still locates the files it names and names the file in problems).

    A long-running caller (the web page) asks for the same text once per document while
    previewing: a valid definition is kept while neither the text nor any file it was read from
    has changed."""
    from huiwu.definition.load import load_definition

    key = (str(Path(path).resolve()), text)
    with _WARM_LOCK:
        kept = _LOADED.get(key)
    if kept is not None and kept[0] == _stamp(kept[1]):
        return kept[1]
    loaded = load_definition(path, text=text)
    with _WARM_LOCK:
        _LOADED[key] = (_stamp(loaded), loaded)
        while len(_LOADED) > _LOADED_SIZE:
            _LOADED.pop(next(iter(_LOADED)))
    return loaded


_LOADED: dict[tuple[str, str | None], tuple[tuple[int, ...], LoadedDefinition]] = {}
_LOADED_SIZE = 16
_WARM_LOCK = threading.RLock()
_RENDERER: dict[str, Any] = {}


def _stamp(loaded: LoadedDefinition) -> tuple[int, ...]:
    """When the files a definition was read from were last changed (-1: gone)."""
    stamps = []
    for file in (loaded.path, *loaded.parents):
        try:
            stamps.append(Path(file).stat().st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


@contextlib.contextmanager
def _warm_renderer(loaded: LoadedDefinition, templates: Path | None) -> Iterator[Any]:
    """A renderer that has prepared the templates before, while none of them has changed.

    Preparing a template costs more than rendering from it, and the web page renders the same
    templates on every edit. One caller at a time: a prepared template is not shared between
    threads."""
    from huiwu.render.renderer import Renderer
    from huiwu.render.templateset import user_templates

    folder = user_templates(loaded, templates)
    stamp = (folder, _folder_stamp(folder), loaded.model.fonts)
    with _WARM_LOCK:
        if _RENDERER.get("stamp") != stamp:
            _RENDERER["stamp"] = stamp
            _RENDERER["renderer"] = Renderer()
        renderer = _RENDERER["renderer"]
        renderer.notices.clear()
        yield renderer


def _folder_stamp(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.docx"))
    )


def title(path: Path, *, text: str | None = None) -> str:
    """The meeting's title as the documents print it (``{{ year }}``, ``{{ 考核年度 }}``
    expanded), without reading the workbook; the title as written if it needs more than that."""
    from huiwu.text.jinja import environment
    from huiwu.text.texts import base_namespace, join_folded_lines
    from jinja2 import TemplateError

    model = load(path, text=text).model
    written = model.meeting.title
    if "{" not in written:
        return written
    try:
        template = environment(autoescape=False).from_string(join_folded_lines(written))
        return template.render(base_namespace(model))
    except (TemplateError, HuiwuError):  # it names figures from the workbook
        return written


def _options(**values: Any) -> BuildOptions:
    from huiwu.publish.packet import BuildOptions

    return BuildOptions(**values)


def checked(
    path: Path,
    *,
    text: str | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    proofread: bool = True,
) -> CheckResult:
    """Every error (definition, workbook, templates) and proofreading warning, with a summary
    of what was checked; input problems are returned, not raised."""
    from huiwu.publish.packet import render_packet

    try:
        loaded = load(path, text=text)
        with _warm_renderer(loaded, templates) as renderer:
            packet = render_packet(
                loaded,
                _options(templates=templates, data=data),
                proofreading=proofread,
                renderer=renderer,
            )
    except InputError as exc:
        return CheckResult([Issue.of(problem) for problem in exc.problems], [])
    except HuiwuError as exc:
        return CheckResult([Issue.of_error(exc)], [])
    return CheckResult(
        [Issue.of(f) for f in packet.findings], _summary(path, packet), packet.notices
    )


def check(
    path: Path,
    *,
    text: str | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    proofread: bool = True,
) -> list[Issue]:
    """Every error (definition, workbook, templates) and proofreading warning; never raises
    :class:`~huiwu.errors.InputError`."""
    return checked(path, text=text, data=data, templates=templates, proofread=proofread).issues


def _summary(path: Path, packet: Packet) -> list[str]:
    inputs = packet.inputs
    verdict = f"校对发现 {len(packet.findings)} 处可疑的地方" if packet.findings else "检查通过"
    lines = [f"{path}: {verdict}。会议：{inputs.definition.meeting.title}"]
    if inputs.workbook is not None:
        lines.append(f"{inputs.workbook.path}: 检查通过，{len(inputs.workbook.units)} 个单位。")
    letters = packet.letters
    if letters is not None:
        totals = "，".join(
            f"{name}合计 {total}{letters.quotas.specs[name].unit}"
            for name, total in letters.quotas.totals.items()
        )
        lines.append(f"目标管理责任书：{len(letters.units)} 个单位，检查通过。{totals}")
    return lines


def kinds(path: Path, *, text: str | None = None) -> list[KindInfo]:
    """Every document kind, and whether this definition has what it needs."""
    from huiwu.documents import KINDS

    model = load(path, text=text).model
    return [
        KindInfo(
            kind.id,
            kind.name,
            kind.template,
            kind.available(model),
            kind.requires,
            kind.needs_data(model),
        )
        for kind in KINDS.values()
    ]


def build(
    path: Path,
    options: BuildOptions,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    notify: Callable[[str], None] | None = None,
) -> Built:
    """Build the documents ``options`` asks for (letters included as a kind) and write them.

    ``progress`` is called after each document and each letter; when ``cancel`` is set the
    build stops between documents, writes nothing and raises :class:`Cancelled`."""
    from huiwu.publish.packet import build as build_packet

    loaded = load(path)
    return build_packet(
        loaded, options, notify or (lambda _: None), progress=progress, cancel=cancel
    )


def build_letters(
    path: Path,
    options: BuildOptions,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    notify: Callable[[str], None] | None = None,
) -> Built:
    """:func:`build` restricted to the responsibility letters, in a folder of their own
    (``huiwu letters``)."""
    from huiwu.publish.packet import letters_only

    return build(path, letters_only(options), progress=progress, cancel=cancel, notify=notify)


def letters_to_pdf(
    out_dir: Path,
    *,
    units: list[str] | None = None,
    notify: Callable[[str], None] | None = None,
) -> list[Path]:
    """The PDF of each letter in ``out_dir`` (only ``units``' when given) and of the print
    file, beside it (``huiwu letters --pdf``); the DOCX files stay whatever LibreOffice does."""
    from huiwu.publish import pdf
    from huiwu.publish.output import read_manifest

    names = [
        entry["文件"]
        for entry in read_manifest(out_dir)
        if entry.get("文件", "").endswith(".docx")
        and (units is None or "单位" not in entry or entry["单位"] in units)
    ]
    jobs = [pdf.Job(out_dir / n, out_dir / (n.removesuffix(".docx") + ".pdf"), n) for n in names]
    warning = pdf.font_warning()
    if warning and notify is not None:
        notify(warning)
    try:
        return pdf.convert(jobs)
    except pdf.ConversionFailed as exc:
        raise HuiwuError(f"责任书（DOCX）已写入 {out_dir}。{exc}") from None


def preview(
    path: Path,
    kind: str,
    *,
    text: str | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    unit: str | None = None,
) -> bytes:
    """One document as DOCX bytes, written nowhere; for the letters, ``unit``'s (default the
    first unit's)."""
    from huiwu.publish.packet import render_packet

    kind_id = _kind_id(kind)
    loaded = load(path, text=text)
    options = _options(only=[kind_id], data=data, templates=templates)
    with _warm_renderer(loaded, templates) as renderer:
        packet = render_packet(loaded, options, proofreading=False, renderer=renderer)
        letters = packet.letters
        if letters is None:
            return packet.rendered[0].data
        chosen = letters.select([unit])[0] if unit is not None else letters.units[0]
        return renderer.render(letters.template, letters.context(chosen))


def _kind_id(kind: str) -> str:
    from huiwu.documents import parse_kind

    try:
        return parse_kind(kind)
    except ValueError as exc:
        raise HuiwuError(str(exc)) from None


def fields(path: Path, kind: str, *, data: Path | None = None) -> list[FieldInfo]:
    """Every name a template of ``kind`` may use, with its value for this definition."""
    from huiwu.publish.fields import template_fields

    kind_id = _kind_id(kind)
    return [FieldInfo(*item) for item in template_fields(load(path), kind_id, data)]


def blank_workbook(path: Path, target: Path, *, force: bool = False) -> Path:
    """Write the blank indicator workbook of the definition at ``path`` to ``target``."""
    from huiwu.figures.sheet import write_blank_workbook

    loaded = load(path)
    if not loaded.model.indicators and loaded.model.letters is None:
        raise HuiwuError(
            f"{path}: 定义里没有指标（indicators），也没有责任书（letters），不需要指标表。"
            "要由指标表计算比率，先在定义里写 indicators（见 docs/定义文件说明.md）"
        )
    return write_blank_workbook(loaded.model, target, force=force)


def receipt_workbook(path: Path, target: Path, *, force: bool = False) -> Path:
    """Write the notice's 参会回执 as a workbook to collect the replies in
    (``huiwu sheet --receipt``)."""
    from huiwu.figures.inputs import prepare
    from huiwu.publish.receipt import write_receipt_workbook

    definition = prepare(load(path)).definition
    return write_receipt_workbook(definition, target, source=path, force=force)


def roll(path: Path, target: Path, *, year: int | None = None, force: bool = False) -> RollResult:
    """Write next year's definition (``year``, default the meeting's year plus one) to
    ``target``; the original is left as it is."""
    from huiwu.definition.roll import roll as roll_definition
    from huiwu.publish.output import write_text_atomically

    refuse_existing(target, force=force)
    rolled = roll_definition(path, year)
    write_text_atomically(target, rolled.text)
    todo = [
        Issue("warning", f"请填写：{edit.describe()}", str(target), edit.line)
        for edit in rolled.to_fill
    ]
    todo += [Issue("warning", f"请核对：{note}", str(target)) for note in rolled.reminders]
    return RollResult(target, todo, rolled.year, [edit.describe() for edit in rolled.edits])


EXAMPLES_PACKAGE = "huiwu.examples"


def examples() -> list[ExampleInfo]:
    """The built-in example meetings (``data/`` of the repository, shipped in the package)."""
    root = Path(str(resources.files(EXAMPLES_PACKAGE)))
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / "meeting.yaml").is_file()):
        found.append(ExampleInfo(folder.name, _example_title(folder / "meeting.yaml"), folder))
    return found


def _example_title(definition: Path) -> str:
    for line in definition.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return definition.parent.name


def new(folder: Path, *, example: str | None = None, force: bool = False) -> Path:
    """Start a meeting in ``folder``: the commented starter definition, or a copy of the
    built-in example ``example`` (definition and workbook); return the definition's path."""
    from huiwu.definition.scaffold import EXAMPLE_NAME, write_example

    if example is None:
        return write_example(folder, force=force)
    found = {info.id: info for info in examples()}
    if example not in found:
        raise HuiwuError(f"没有名为“{example}”的示例，可选：{'、'.join(found)}")
    source = found[example].folder
    targets = [folder / p.name for p in _example_files(source)]
    refuse_existing(folder, [t.name for t in targets if t.exists()], force=force)
    _copy_example(source, folder)
    return folder / EXAMPLE_NAME


def _example_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".xlsx"))


_EXTENDS_LINE = re.compile(r"(?m)^extends:[ \t]*(?P<quote>[\"']?)\.\./(?P<name>[^/\s\"']+)/")


def _copy_example(source: Path, target: Path) -> None:
    """Copy one example's definition and workbook into ``target``. An example that ``extends``
    another one (``extends: ../annual-assessment/meeting.yaml``) gets that one copied into a
    subfolder of ``target`` and its ``extends`` line pointed there, so the copy stands alone."""
    target.mkdir(parents=True, exist_ok=True)
    for file in _example_files(source):
        if file.suffix != ".yaml":
            shutil.copyfile(file, target / file.name)
            continue
        text = file.read_text(encoding="utf-8")
        for parent in dict.fromkeys(m.group("name") for m in _EXTENDS_LINE.finditer(text)):
            if (source.parent / parent / "meeting.yaml").is_file():
                _copy_example(source.parent / parent, target / parent)
        text = _EXTENDS_LINE.sub(lambda m: f"extends: {m.group('quote')}{m.group('name')}/", text)
        (target / file.name).write_text(text, encoding="utf-8")


def copy_templates(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in templates into ``target`` for editing in Word/WPS (``huiwu templates``);
    a link in ``target`` is never written through."""
    from huiwu.publish.output import copy_files
    from huiwu.templates import BUILTIN_DIR

    return copy_files(sorted(BUILTIN_DIR.glob("*.docx")), target, what="模板", force=force)


def to_pdf(
    files: list[Path],
    *,
    out_dir: Path | None = None,
    force: bool = False,
    notify: Callable[[str], None] | None = None,
) -> list[Path]:
    """Convert DOCX files to PDF (beside each file, or into ``out_dir``) with the fonts of
    ``huiwu build --pdf``; return the PDFs written (``huiwu pdf``). A document that links to
    files or addresses outside it is refused, as a template would be."""
    from huiwu.publish import pdf
    from huiwu.render.safety import unsafe_document

    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise HuiwuError(f"{out_dir}: 这是一个文件，这里应为文件夹")
    jobs = []
    problems = []
    for source in files:
        if not source.is_file():
            problems.append(Problem("找不到文件", _where(source)))
        elif source.suffix.lower() != ".docx":
            problems.append(
                Problem("不是 .docx 文件（.doc 请先用 Word/WPS 另存为 .docx）", _where(source))
            )
        elif not zipfile.is_zipfile(source):
            problems.append(
                Problem(
                    "不是有效的 .docx 文件（可能已损坏，或是改了扩展名的其他文件）", _where(source)
                )
            )
        elif (unsafe := unsafe_document(source)) is not None:
            problems.append(Problem(unsafe))  # LibreOffice would fetch what it links to
        else:
            jobs.append(pdf.Job(source, (out_dir or source.parent) / (source.stem + ".pdf")))
    targets = [job.target for job in jobs]
    problems += [
        Problem("这是一个符号链接（快捷方式），为免写到别处，未转换", _where(job.target))
        for job in jobs
        if job.target.is_symlink()
    ]
    problems += [
        Problem("有几个同名的 DOCX 要转成这同一个 PDF，请分开转换", _where(target))
        for target in dict.fromkeys(t for t in targets if targets.count(t) > 1)
    ]
    if problems:
        raise InputError(problems)
    existing = [job.target for job in jobs if job.target.exists()]
    if out_dir is not None:
        refuse_existing(out_dir, [p.name for p in existing], what="PDF", force=force)
    refuse_existing("", [str(p) for p in existing], what="PDF", force=force)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)  # here, where a refusal reaches the user
    warning = pdf.font_warning()
    if warning and notify is not None:
        notify(warning)
    return pdf.convert(jobs)


def _where(path: Path) -> Any:
    from huiwu.errors import Location

    return Location(path)


def seats(path: Path) -> list[str]:
    """The rostrum's seats in words, row by row, as seen from the hall (``huiwu seats``)."""
    from huiwu.documents import seating_chart
    from huiwu.errors import Location

    loaded = load(path)
    if loaded.model.rostrum is None:
        raise InputError(
            [
                Problem(
                    "定义里没有 rostrum（主席台），无法排座次；可以只写 rostrum: {}",
                    Location(loaded.path),
                )
            ]
        )
    return seating_chart.listing(loaded.model)
