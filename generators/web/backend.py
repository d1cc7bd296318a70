"""Everything the web page asks of huiwu: the library API (:mod:`huiwu.api`) and what only a
page needs besides — the figures to check before building, field help from the schema, and a
LibreOffice kept running between previews.

The rest of :mod:`huiwu.web` imports huiwu only through this module.
"""

from __future__ import annotations

import shutil
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
        from huiwu.publish.packet import letter_set

        quotas = letter_set(loaded, data=data).quotas
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
