"""Everything the web page asks of huiwu, in the shape of the library API (``huiwu.api``).

The rest of :mod:`huiwu.web` imports huiwu only through this module. Its public names, signatures
and return types are those of the API contract, implemented here on top of huiwu's stages; once
``huiwu.api`` is in place this module becomes a list of re-exports of it.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import huiwu
from huiwu.definition.load import LoadedDefinition, load_definition
from huiwu.errors import HuiwuError, InputError, Problem, Severity
from huiwu.publish.packet import BuildOptions, Built

__all__ = [
    "BuildOptions",
    "Built",
    "Cancelled",
    "ExampleInfo",
    "FieldInfo",
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
    "fields",
    "kinds",
    "load",
    "new",
    "preview",
    "roll",
    "to_pdf",
]

LETTERS = "letters"
"""The kind id of the responsibility letters (one document per unit)."""


@dataclass(frozen=True)
class Issue:
    """One problem, structured for a page: where it is and what to write instead."""

    severity: str
    """``"error"`` or ``"warning"``."""
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    field: str = ""
    suggestion: str | None = None
    document: str | None = None
    paragraph: int | None = None


@dataclass(frozen=True)
class KindInfo:
    """One document kind and whether this definition can make it."""

    id: str
    name: str
    template: str
    available: bool
    requires: str
    needs_data: bool


@dataclass(frozen=True)
class Progress:
    """How far a build is: a stage (Chinese label) and a count within it."""

    stage: str
    done: int
    total: int


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
    """Next year's definition and what is left to fill in or check."""

    path: Path
    todo: list[Issue] = field(default_factory=list)


class Cancelled(HuiwuError):
    """A build stopped because it was asked to; nothing was written."""

    def __init__(self) -> None:
        super().__init__("已取消生成，未写入任何文件。")


def load(path: Path, *, text: str | None = None) -> LoadedDefinition:
    """The validated definition at ``path`` (or ``text`` standing for its content).

    The page asks for the same text once per document while previewing; a valid definition is
    kept for as long as neither the text nor any file it was read from has changed."""
    key = (str(Path(path).resolve()), text)
    with _LOADED_LOCK:
        kept = _LOADED.get(key)
    if kept is not None and kept[0] == _stamp(kept[1]):
        return kept[1]
    loaded = load_definition(path, text=text)
    with _LOADED_LOCK:
        _LOADED[key] = (_stamp(loaded), loaded)
        while len(_LOADED) > _LOADED_SIZE:
            _LOADED.pop(next(iter(_LOADED)))
    return loaded


_LOADED: dict[tuple[str, str | None], tuple[tuple[int, ...], LoadedDefinition]] = {}
_LOADED_LOCK = threading.Lock()
_LOADED_SIZE = 16


def _stamp(loaded: LoadedDefinition) -> tuple[int, ...]:
    """When the files a definition was read from were last changed (-1: gone)."""
    stamps = []
    for file in (loaded.path, *loaded.parents):
        try:
            stamps.append(Path(file).stat().st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


def _issue(problem: Problem) -> Issue:
    location = problem.location
    severity = "error" if problem.severity is Severity.ERROR else "warning"
    file = str(location.file) if location.file is not None else None
    document = paragraph = None
    if file is not None and file.endswith(".docx"):
        # A proofreading finding names the produced document and its paragraph.
        document = Path(file).stem
        number = re.match(r"第 (\d+) 段", problem.message)
        paragraph = int(number.group(1)) if number else None
    return Issue(
        severity,
        problem.message,
        file=file,
        line=location.line,
        column=location.column,
        sheet=location.sheet,
        cell=location.cell,
        field=problem.path,
        document=document,
        paragraph=paragraph,
    )


def _issues(exc: HuiwuError) -> list[Issue]:
    if isinstance(exc, InputError):
        return [_issue(problem) for problem in exc.problems]
    return [Issue("error", str(exc))]


def check(
    path: Path,
    *,
    text: str | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    proofread: bool = True,
) -> list[Issue]:
    """Every error of the definition, workbook and templates and every proofreading warning."""
    from huiwu.publish.packet import render_packet

    try:
        loaded = load(path, text=text)
        with _renderer(loaded, templates) as renderer:
            options = BuildOptions(templates=templates, data=data)
            packet = render_packet(loaded, options, renderer)
    except HuiwuError as exc:
        return _issues(exc)
    return [_issue(finding) for finding in packet.findings] if proofread else []


@contextlib.contextmanager
def _renderer(loaded: LoadedDefinition, templates: Path | None) -> Iterator[Any]:
    """A renderer that has prepared the templates before, while none of them has changed.

    Preparing a template costs more than rendering from it; the page renders the same templates
    on every edit. One at a time: a prepared template is not meant to be shared between threads.
    """
    from huiwu.render.renderer import Renderer
    from huiwu.render.templateset import user_templates

    folder = user_templates(loaded, templates)
    stamp = _folder_stamp(folder)
    with _RENDERER_LOCK:
        if _RENDERER.get("stamp") != (folder, stamp):
            _RENDERER["stamp"] = (folder, stamp)
            _RENDERER["renderer"] = Renderer()
        renderer = _RENDERER["renderer"]
        renderer.notices.clear()
        yield renderer


_RENDERER: dict[str, Any] = {}
_RENDERER_LOCK = threading.Lock()


def _folder_stamp(folder: Path | None) -> tuple[tuple[str, int, int], ...]:
    if folder is None or not folder.is_dir():
        return ()
    return tuple(
        (p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.docx"))
    )


def kinds(path: Path, *, text: str | None = None) -> list[KindInfo]:
    """Every document kind, with whether this definition can make it."""
    from huiwu.documents import KINDS
    from huiwu.model import KIND_NAMES

    model = load(path, text=text).model
    infos = [
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
    infos.append(
        KindInfo(
            LETTERS,
            KIND_NAMES.get(LETTERS, "目标管理责任书"),
            "letter",
            model.letters is not None,
            "定义里需要写 letters（目标管理责任书）",
            True,
        )
    )
    return infos


def build(
    path: Path,
    options: BuildOptions,
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: threading.Event | None = None,
    notify: Callable[[str], None] | None = None,
) -> Built:
    """Build the packet; report each stage (and each letter); stop with :class:`Cancelled`
    at the next stage or letter once ``cancel`` is set.

    The packet is written through a staging folder, so a cancelled build leaves nothing behind.
    """
    from huiwu.publish.packet import build as build_packet

    steps = [0]

    def on_stage(message: str) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        steps[0] += 1
        if progress is not None:
            progress(Progress(message, steps[0], 0))
        if notify is not None:
            notify(message)

    def on_letter(done: int, total: int) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        if progress is not None:
            progress(Progress("责任书", done, total))

    if cancel is not None and cancel.is_set():
        raise Cancelled
    loaded = load(path)
    built = build_packet(loaded, options, notify=on_stage, letters_progress=on_letter)
    if progress is not None:
        progress(Progress("完成", 0, 0))
    return built


def preview(
    path: Path,
    kind: str,
    *,
    text: str | None = None,
    data: Path | None = None,
    templates: Path | None = None,
    unit: str | None = None,
) -> bytes:
    """One document of the packet as DOCX bytes, in memory; for the letters one unit's."""
    from huiwu.figures.inputs import prepare
    from huiwu.publish.letters import prepare_letters
    from huiwu.render.renderer import Renderer
    from huiwu.render.templateset import TemplateSet, user_templates

    loaded = load(path, text=text)
    if kind == LETTERS:
        letters = prepare_letters(loaded, data=data, templates=templates)
        chosen = letters.select([unit])[0] if unit else letters.units[0]
        return Renderer().render(letters.template, letters.context(chosen))
    from huiwu.documents import selected_kinds

    (chosen_kind,) = selected_kinds(loaded.model, [kind])
    need = chosen_kind.name if chosen_kind.needs_data(loaded.model) else None
    inputs = prepare(loaded, data, need_data=need)
    template_set = TemplateSet(user_templates(loaded, templates))
    context = {**inputs.names(), **chosen_kind.build_context(inputs)}
    with _renderer(loaded, templates) as renderer:
        return renderer.render(template_set.path(chosen_kind.template), context)


def fields(path: Path, kind: str, *, data: Path | None = None) -> list[FieldInfo]:
    """Every name a template of ``kind`` may use, with its value for this definition."""
    from huiwu.documents import KINDS
    from huiwu.figures.inputs import prepare
    from huiwu.model import Definition

    loaded = load(path)
    if kind == LETTERS:
        from huiwu.publish.letters import prepare_letters

        letters = prepare_letters(loaded, data=data)
        context: dict[str, Any] = letters.context(letters.units[0])
    else:
        chosen = KINDS[kind]
        need = chosen.name if chosen.needs_data(loaded.model) else None
        inputs = prepare(loaded, data, need_data=need)
        context = {**inputs.names(), **chosen.build_context(inputs)}
    described = Definition.model_fields
    indicators = set(loaded.model.indicators or ())
    return [
        FieldInfo(name, _description(name, described.get(name), indicators), _example(value))
        for name, value in sorted(context.items())
    ]


SHARED_NAMES = {
    "year": "会议所在年份（整数，可以计算，如 {{ year - 1 }}）",
    "date": "会议日期",
    "meeting": "会议的基本情况，如 {{ meeting.title }}、{{ meeting.venue }}",
    "各单位": "各单位的指标，如 {{ 各单位.城关镇.出生政策符合率 }}",
    "合计": "指标表各列的合计，如 {{ 合计.出生人数 }}",
    "单位数": "指标表里的单位个数",
    "排名": "排名.前三名、排名.第一名、排名.末位（单位名单），排名.标记['预否决']",
    "单位": "本单位名称（责任书）",
    "配额": "本单位的各项配额，如 {{ 配额.两非案件 }}",
    "总额": "各项配额的全辖区合计",
    "分配": "各单位的配额连写，如“松山乡5件、柏树镇5件……”",
    "数据": "本单位在指标表里某一列的数，如 {{ 数据.总人口 }}",
}
"""What the names every template may use stand for (as in docs/定义文件说明.md)."""


def _description(name: str, info: Any, indicators: set[str]) -> str:
    if name in SHARED_NAMES:
        return SHARED_NAMES[name]
    if name in indicators:
        return "指标：全辖区的值"
    if info is None:
        return ""
    return "：".join(part for part in (info.title, info.description) if part)


def _example(value: Any) -> str:
    """The value as an office reads it: text and figures as written, a group by its parts."""
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        text = "可用 " + "、".join(f".{name}" for name in type(value).model_fields)
    elif isinstance(value, dict):
        text = "含 " + "、".join(str(key) for key in value)
    elif isinstance(value, list | tuple):
        items = [item.get("text", "") if isinstance(item, dict) else item for item in value]
        text = "、".join(str(item) for item in items) if items else "（无）"
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:79] + "…"


def blank_workbook(path: Path, target: Path, *, force: bool = False) -> Path:
    """Write the blank indicator workbook for the definition at ``path``."""
    from huiwu.figures.sheet import write_blank_workbook

    model = load(path).model
    if not model.indicators:
        raise HuiwuError(f"{path}: 定义里没有指标（indicators），不需要指标表。")
    return write_blank_workbook(model, target, force=force)


def roll(path: Path, target: Path, *, year: int | None = None, force: bool = False) -> RollResult:
    """Write next year's definition to ``target``; list what is left to fill in and check."""
    from huiwu.definition.roll import roll as roll_text
    from huiwu.publish.output import write_text_atomically

    if target.exists() and not force:
        raise HuiwuError(f"{target}: 文件已存在，未覆盖。")
    rolled = roll_text(path, year)
    write_text_atomically(target, rolled.text)
    todo = [
        Issue("error", f"请填写：{edit.describe()}", file=str(target), line=edit.line)
        for edit in rolled.to_fill
    ]
    todo += [Issue("warning", f"请核对：{note}", file=str(target)) for note in rolled.reminders]
    return RollResult(target, todo)


def _examples_dir() -> Path:
    # The examples are the repository's data/ folder; shipping them inside the package (so an
    # installed wheel has them too) comes with the library API.
    return Path(huiwu.__file__).resolve().parents[1] / "data"


def examples() -> list[ExampleInfo]:
    """The built-in example meetings, each with its title from the definition."""
    folder = _examples_dir()
    found = []
    for definition in sorted(folder.glob("*/meeting.yaml")):
        title = definition.parent.name
        try:
            loaded = load(definition)
            from huiwu.text.texts import base_namespace

            title = _expand_title(loaded.model.meeting.title, base_namespace(loaded.model))
        except HuiwuError:
            pass
        found.append(ExampleInfo(definition.parent.name, title, definition.parent))
    return found


def _expand_title(title: str, names: dict[str, Any]) -> str:
    from jinja2 import Environment

    try:
        return Environment().from_string(title).render(names)
    except Exception:  # a title that is not a template is shown as written
        return title


def new(folder: Path, *, example: str | None = None, force: bool = False) -> Path:
    """Start a meeting in ``folder``: the commented starter, or a copy of a built-in example."""
    from huiwu.definition.scaffold import EXAMPLE_NAME, write_example

    if example is None:
        if force and (folder / EXAMPLE_NAME).exists():
            (folder / EXAMPLE_NAME).unlink()
        return write_example(folder)
    chosen = {info.id: info for info in examples()}.get(example)
    if chosen is None:
        raise HuiwuError(f"没有名为“{example}”的示例")
    sources = [p for p in sorted(chosen.folder.iterdir()) if p.is_file()]
    clashes = [p.name for p in sources if (folder / p.name).exists()]
    if clashes and not force:
        raise HuiwuError(f"{folder}: 已有同名文件（{'、'.join(clashes)}），未覆盖。")
    folder.mkdir(parents=True, exist_ok=True)
    for source in sources:
        shutil.copyfile(source, folder / source.name)
    return folder / EXAMPLE_NAME


def copy_templates(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in templates into ``target`` for editing in Word/WPS."""
    from huiwu.templates import BUILTIN_DIR

    sources = sorted(BUILTIN_DIR.glob("*.docx"))
    clashes = [s.name for s in sources if (target / s.name).exists()]
    if clashes and not force:
        raise HuiwuError(f"{target}: 已有同名模板（{'、'.join(clashes)}），未复制。")
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sources:
        shutil.copyfile(source, target / source.name)
        copied.append(target / source.name)
    return copied


def to_pdf(files: list[Path], *, out_dir: Path | None = None, force: bool = False) -> list[Path]:
    """Convert DOCX files to PDF with LibreOffice (beside each file, or into ``out_dir``).

    With :func:`keep_libreoffice_running` in effect, the running LibreOffice converts them."""
    from huiwu.publish import pdf

    jobs = [
        pdf.Job(source, (out_dir or source.parent) / (source.stem + ".pdf")) for source in files
    ]
    existing = [str(job.target) for job in jobs if job.target.exists()]
    if existing and not force:
        raise HuiwuError(f"已有同名 PDF，未覆盖：{'、'.join(existing)}")
    if _WARM.convert(jobs):
        return [job.target for job in jobs]
    return pdf.convert(jobs)


class _WarmOffice:
    """One LibreOffice kept running for the page's previews.

    Starting LibreOffice costs a second or more; a ``soffice --convert-to`` started with the
    profile of a running LibreOffice hands its files to that process and returns at once, and the
    PDFs appear shortly after. The kept process holds one document open: a LibreOffice left with
    no open document ends itself after the first conversion it was handed. Any failure falls
    back to the ordinary batch conversion.
    """

    def __init__(self) -> None:
        self.process: Any = None
        self.profile: Path | None = None
        self.soffice: Path | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        import os
        import subprocess
        import tempfile

        from huiwu.publish import pdf

        soffice = pdf.find_soffice()
        if soffice is None or self.process is not None:
            return
        from huiwu.templates import BUILTIN_DIR

        self.soffice = soffice
        self.profile = Path(tempfile.mkdtemp(prefix="huiwu-office-"))
        kept = self.profile / "kept-open.docx"
        shutil.copyfile(BUILTIN_DIR / "agenda.docx", kept)
        accept = f"--accept=pipe,name=huiwu-{os.getpid()};urp;"
        self.process = subprocess.Popen(
            [str(soffice), *self._common(), accept, str(kept)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=pdf._environment(),
        )

    def _common(self) -> list[str]:
        assert self.profile is not None
        return [
            f"-env:UserInstallation={self.profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
        ]

    def convert(self, jobs: list[Any]) -> bool:
        """Convert through the running LibreOffice; False when it could not (nothing written)."""
        import subprocess
        import tempfile

        from huiwu.publish import pdf

        if self.process is None:
            return False
        if self.process.poll() is not None:
            self.process = None  # it ended: start another for the next preview
            self.start()
            return False
        with self.lock, tempfile.TemporaryDirectory(prefix="huiwu-pdf-") as scratch:
            folder = Path(scratch)
            sources = []
            for index, job in enumerate(jobs):
                copy = folder / f"{index:05d}.docx"
                copy.write_bytes(pdf.for_libreoffice(job.source.read_bytes()))
                sources.append(str(copy))
            command = [str(self.soffice), *self._common(), "--convert-to"]
            command += ["pdf:writer_pdf_Export", "--outdir", str(folder), *sources]
            try:
                subprocess.run(
                    command,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=pdf._environment(),
                    timeout=60 + 10 * len(jobs),
                    check=False,
                )
            except subprocess.TimeoutExpired:
                return False
            produced = [folder / f"{index:05d}.pdf" for index in range(len(jobs))]
            if not _appeared(produced, timeout=30 + 5 * len(jobs)):
                return False
            for job, path in zip(jobs, produced, strict=True):
                job.target.parent.mkdir(parents=True, exist_ok=True)
                job.target.write_bytes(pdf.make_reproducible(path.read_bytes()))
            return True

    def stop(self) -> None:
        """End the kept LibreOffice and remove its profile."""
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
            self.process = None
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None


def _appeared(paths: list[Path], *, timeout: float) -> bool:
    """Wait until every PDF is there and complete (ends with %%EOF)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(_complete_pdf(path) for path in paths):
            return True
        time.sleep(0.02)
    return False


def _complete_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - 64))
            return b"%%EOF" in stream.read()
    except OSError:
        return False


_WARM = _WarmOffice()


def keep_libreoffice_running(keep: bool = True) -> None:
    """Start (or stop) the LibreOffice that :func:`to_pdf` hands its files to (beyond the API
    contract: the page's previews need it; the command line converts in batches)."""
    if keep:
        _WARM.start()
    else:
        _WARM.stop()


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
    from huiwu.figures.inputs import prepare
    from huiwu.text.phrasing import number

    loaded = load(path)
    tables: list[FigureTable] = []
    if loaded.model.indicators:
        inputs = prepare(loaded, data, need_data="指标")
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
    if loaded.model.letters is not None:
        from huiwu.publish.letters import prepare_letters

        quotas = prepare_letters(loaded, data=data).quotas
        names = list(quotas.specs)
        rows = [[unit, *(number(quotas.values[unit][n]) for n in names)] for unit in quotas.units]
        rows.append(["合计", *(number(quotas.totals[n]) for n in names)])
        columns = [f"{n}（{quotas.specs[n].unit}）" for n in names]
        tables.append(FigureTable("责任书配额", ["单位", *columns], rows))
    return tables


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
