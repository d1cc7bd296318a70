"""Turn DOCX files into PDF with LibreOffice, a batch at a time, with the office fonts mapped.

Starting LibreOffice costs about a second; converting a document in a running one about a
tenth of that. So a batch is split over a small pool of LibreOffice processes (one per core, at
most :data:`MAX_WORKERS`), each converting its share of the files in one run, each with a profile
of its own that is kept between runs (a profile in use is locked, so two huiwu runs at once never
share one — LibreOffice would hand the second run's files to the first process).

A document whose 版记 LibreOffice puts on an odd page, or alone on a numbered page, is laid out
again and converted once more (:mod:`huiwu.publish.imprint`), so that the 版记 is on the last,
even page as GB/T 9704 §7.4 wants; the DOCX itself is not changed.

LibreOffice stamps every PDF with the time and a random file identifier;
:func:`make_reproducible` replaces both in place (same lengths, so the cross-reference offsets
stay valid), so that the same documents always give the same PDF bytes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from huiwu import gbt9704 as g
from huiwu.errors import HuiwuError
from huiwu.publish import fonts, imprint, locks, office
from huiwu.publish.locks import try_lock
from huiwu.publish.pdfbytes import make_reproducible
from huiwu.render import docxzip

MAX_WORKERS = 2

INSTALL_HINT = (
    "Debian/Ubuntu 上请运行：sudo apt-get install libreoffice-writer-nogui fonts-noto-cjk"
    "（在 huiwu 的源码文件夹里也可以运行 python3 scripts/bootstrap.py --pdf，它还装上 Fandol 字体）；"
    "Windows 上请从 https://zh-cn.libreoffice.org 安装 LibreOffice"
)


class LibreOfficeMissing(HuiwuError):
    """PDF was asked for but LibreOffice is not installed."""

    def __init__(self) -> None:
        super().__init__(f"生成 PDF 需要 LibreOffice，但本机没有找到。{INSTALL_HINT}。")


class ConversionFailed(HuiwuError):
    """LibreOffice did not produce some of the PDFs: which, and why.

    ``converted`` are the PDFs that were written all the same, so that a caller can keep them
    (and the documents they came from)."""

    def __init__(self, failures: Sequence[tuple[Job, str]], converted: Sequence[Path]) -> None:
        self.failures = list(failures)
        self.converted = list(converted)
        lines = [f"  {job.label}：{why}" for job, why in self.failures]
        kept = f"其余 {len(self.converted)} 份 PDF 已写入。" if self.converted else ""
        super().__init__(
            f"有 {len(self.failures)} 份文件没能转成 PDF：\n"
            + "\n".join(lines)
            + f"\n{kept}请用 Word/WPS 打开检查这些文件；若是 LibreOffice 没有响应，可重新运行。"
        )


class PdfsMissing(HuiwuError):
    """A packet was written, but some of its PDFs could not be made."""

    def __init__(self, out_dir: Path, failed: Sequence[ConversionFailed]) -> None:
        self.failed = list(failed)
        lines = [f"  {job.label}：{why}" for each in failed for job, why in each.failures]
        super().__init__(
            f"材料（DOCX）已写入 {out_dir}，但有 {len(lines)} 份 PDF 没能生成：\n"
            + "\n".join(lines)
            + "\n可用 Word/WPS 检查这些文件，再运行 huiwu pdf 单独转换。"
        )


@dataclass(frozen=True)
class Job:
    """One conversion: a DOCX and the PDF to write; ``name`` is how messages call the document
    (the file the user knows, when ``source`` is a copy in a staging folder)."""

    source: Path
    target: Path
    name: str | None = None

    @property
    def label(self) -> str:
        """The document as messages name it."""
        return self.name or str(self.source)


def find_soffice() -> Path | None:
    """The LibreOffice program: ``HUIWU_SOFFICE``, then the PATH, then the usual install folders."""
    override = os.environ.get("HUIWU_SOFFICE")
    if override:
        return Path(override) if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return Path(found)
    for candidate in _install_locations():
        if candidate.is_file():
            return candidate
    return None


def _install_locations() -> list[Path]:
    if sys.platform.startswith("win"):
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramFiles(x86)")]
        return [Path(r) / "LibreOffice" / "program" / "soffice.exe" for r in roots if r]
    if sys.platform == "darwin":
        return [Path("/Applications/LibreOffice.app/Contents/MacOS/soffice")]
    return [Path("/usr/lib/libreoffice/program/soffice"), Path("/opt/libreoffice/program/soffice")]


def font_warning() -> str | None:
    """A note for the user when PDFs will not have the substitute fonts, else None."""
    if not fonts.needs_mapping() or fonts.fandol_installed():
        return fonts.fallback_warning()
    return (
        "提示：没有找到 Fandol 字体，PDF 里的仿宋、楷体、黑体将用 Noto 字体代替，与打印效果略有出入。"
        "在 huiwu 的源码文件夹里运行 python3 scripts/bootstrap.py --pdf 可安装。"
    )


def convert(jobs: Sequence[Job], *, workers: int | None = None) -> list[Path]:
    """Convert every job's DOCX into its PDF; return the PDFs in job order.

    Uses the process's warm LibreOffice (:mod:`huiwu.publish.office`, kept for later calls:
    a long-running process such as the web page's server converts without a start-up each
    time), or, where that cannot run, LibreOffice started for this batch. Each document is
    bounded in time. Raises :class:`LibreOfficeMissing` without LibreOffice, and
    :class:`ConversionFailed` naming every document that gave no PDF and why, after writing
    the others.
    """
    if not jobs:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing
    count = max(1, min(workers or _default_workers(), len(jobs)))
    failures: list[tuple[Job, str]] = []
    converted: list[Path] = []
    with _terminated_as_exit(), scratch_folder() as scratch:
        copies = [_copy(job.source, scratch / f"{i:05d}.docx") for i, job in enumerate(jobs)]
        outputs = [copy.with_suffix(".pdf") for copy in copies]

        def finish(index: int, *, made_reproducible: bool) -> str | None:
            if not outputs[index].is_file():
                return "LibreOffice 没有生成 PDF"
            target = jobs[index].target
            target.parent.mkdir(parents=True, exist_ok=True)
            data = outputs[index].read_bytes()
            target.write_bytes(data if made_reproducible else make_reproducible(data))
            return None

        pool = warm(soffice)

        def run(pairs: list[tuple[Path, Path]]) -> list[str | None]:
            if pool is not None:
                return pool.convert(pairs)
            return _one_shot(soffice, [source for source, _ in pairs], min(count, len(pairs)))

        pairs = list(zip(copies, outputs, strict=True))
        results = run(pairs)
        _imprints_laid_again(pairs, results, run)
        # The warm LibreOffice's conversion loops make the PDFs reproducible themselves.
        results = [
            why or finish(index, made_reproducible=pool is not None)
            for index, why in enumerate(results)
        ]
        for job, why in zip(jobs, results, strict=True):
            if why is None:
                converted.append(job.target)
            else:
                failures.append((job, why))
    if failures:
        raise ConversionFailed(failures, converted)
    return [job.target for job in jobs]


def _imprints_laid_again(
    pairs: list[tuple[Path, Path]],
    results: list[str | None],
    run: Callable[[list[tuple[Path, Path]]], list[str | None]],
) -> None:
    """Convert again, laid out so (:mod:`huiwu.publish.imprint`), the copies whose PDF has the
    版记 on an odd page or alone on a numbered one; a PDF laid out right replaces the first.
    Most documents are right the first time and converted once."""
    again: dict[int, tuple[Path, Path]] = {}
    for index, ((copy, output), why) in enumerate(zip(pairs, results, strict=True)):
        if why is not None or not output.is_file():
            continue
        relaid = imprint.again(copy.read_bytes(), output)
        if relaid is not None:
            source = copy.with_name(f"{copy.stem}-imprint.docx")
            source.write_bytes(relaid)
            again[index] = (source, source.with_suffix(".pdf"))
    if not again:
        return
    for (index, (source, output)), why in zip(
        again.items(), run(list(again.values())), strict=True
    ):
        if why is None and output.is_file() and imprint.laid_right(source.read_bytes(), output):
            output.replace(pairs[index][1])


def warm(soffice: Path | None = None) -> office.Pool | None:
    """The process's warm LibreOffice (started now if needed), or None where it cannot run
    (``HUIWU_PDF_WARM=0`` turns it off). A long-running process may call this at start-up so
    that its first conversion is already fast; the pool lives until :func:`shutdown` or exit."""
    if os.environ.get("HUIWU_PDF_WARM", "1") == "0":
        return None
    soffice = soffice or find_soffice()
    if soffice is None:
        return None
    return office.shared(soffice, lambda: _setup(soffice), _default_workers(), _kept_profiles)


def shutdown() -> None:
    """Stop the warm LibreOffice now (it also stops when the process exits)."""
    office.shutdown()


def _setup(soffice: Path) -> office.Setup | None:
    python = office.uno_python(soffice)
    return None if python is None else office.Setup(soffice, python, _environment())


def _copy(source: Path, copy: Path) -> Path:
    # Copies under neutral names: two sources may share a name, and LibreOffice names each PDF
    # after its source.
    copy.write_bytes(for_libreoffice(source.read_bytes()))
    return copy


def _default_workers() -> int:
    return min(MAX_WORKERS, os.cpu_count() or 1)


def _one_shot(soffice: Path, copies: list[Path], count: int) -> list[str | None]:
    """Convert with ``count`` LibreOffice processes started for this batch; for each copy,
    None or why it gave no PDF."""
    shares = [list(range(len(copies)))[index::count] for index in range(count)]
    results: list[str | None] = [None] * len(copies)
    with _profiles(count) as profiles:
        runs = [
            _start(soffice, [copies[i] for i in share], profile)
            for share, profile in zip(shares, profiles, strict=True)
        ]
        try:
            for share, run in zip(shares, runs, strict=True):
                why = run.finish()
                for index in share:
                    results[index] = why
        finally:
            for run in runs:
                run.stop()
    return results


class _Run:
    """One LibreOffice process converting its share of the batch."""

    def __init__(self, process: subprocess.Popen[bytes], copies: list[Path]) -> None:
        self.process = process
        self.seconds = office.START_SECONDS + sum(
            office.document_seconds(copy.stat().st_size) for copy in copies
        )

    def finish(self) -> str | None:
        """Wait within the bound; None when LibreOffice finished, else why it was stopped."""
        try:
            self.process.wait(timeout=self.seconds)
        except subprocess.TimeoutExpired:
            self.stop()
            return f"LibreOffice 超过 {self.seconds:.0f} 秒没有转换完，已停止"
        return None

    def stop(self) -> None:
        """Kill LibreOffice (and what it started) if anything of it still runs."""
        office.kill(self.process)


def _start(soffice: Path, copies: list[Path], profile: Profile) -> _Run:
    command = [
        str(soffice),
        f"-env:UserInstallation={profile.folder.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(copies[0].parent),
        *map(str, copies),
    ]
    # LibreOffice inherits the profile's lock: if huiwu is killed, the lock stays held for as
    # long as the orphaned LibreOffice still works in that profile.
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(),
        pass_fds=(profile.lock.fileno(),) if profile.lock is not None else (),
        **office.own_group(),
    )
    return _Run(process, copies)


def _environment() -> dict[str, str]:
    """LibreOffice's environment: the office fonts mapped, and a fixed time zone and locale, so
    that the same documents give the same PDF bytes on any machine."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_") and k != "LANGUAGE"}
    config = fonts.fontconfig_file()
    if config is not None:
        env["FONTCONFIG_FILE"] = str(config)
    env["TZ"] = "UTC"
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    return env


SCRATCH_PREFIX = "huiwu-pdf-"
_LOCK = ".huiwu-lock"
_STALE_SECONDS = 24 * 3600
_YOUNG_SECONDS = 600


@contextlib.contextmanager
def scratch_folder() -> Iterator[Path]:
    """A temporary folder for the copies LibreOffice converts, removed afterwards. Folders left
    by a huiwu that was killed are found and removed first (a live run holds its folder's lock)."""
    sweep_scratch()
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
    lock = try_lock(folder / _LOCK)
    try:
        yield folder
    finally:
        if lock is not None:
            lock.close()
        shutil.rmtree(folder, ignore_errors=True)


def sweep_scratch() -> None:
    """Remove the scratch folders of huiwu runs that are no longer running."""
    for folder in Path(tempfile.gettempdir()).glob(SCRATCH_PREFIX + "*"):
        if folder.is_dir() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)


def _abandoned(folder: Path) -> bool:
    lock_file = folder / _LOCK
    try:
        age = time.time() - folder.stat().st_mtime
    except OSError:
        return False
    if not locks.AVAILABLE:
        return age > _STALE_SECONDS
    if not lock_file.is_file():  # made a moment ago, its lock not taken yet; or very old
        return age > _YOUNG_SECONDS
    lock = try_lock(lock_file)
    if lock is None:
        return False
    lock.close()
    return True


@contextlib.contextmanager
def _terminated_as_exit() -> Iterator[None]:
    """While converting, SIGTERM ends huiwu as an exception does, so that the copies are removed
    and LibreOffice stopped (only where SIGTERM is not handled already)."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@dataclass(frozen=True)
class Profile:
    """A LibreOffice user profile and, for a kept one, the open file that locks it."""

    folder: Path
    lock: IO[bytes] | None = None


@contextlib.contextmanager
def _profiles(count: int) -> Iterator[list[Profile]]:
    """``count`` LibreOffice profiles that no other huiwu run is using, locked until the end."""
    chosen: list[Profile] = []
    try:
        chosen = _acquire_profiles(count)
        yield chosen
    finally:
        _release_profiles(chosen)


def _kept_profiles(count: int) -> tuple[list[tuple[Path, tuple[int, ...]]], Callable[[], None]]:
    """Profiles for the warm LibreOffice: (folder, file descriptors to keep) each, and the
    function that releases them."""
    chosen = _acquire_profiles(count)
    folders = [(p.folder, (p.lock.fileno(),) if p.lock is not None else ()) for p in chosen]
    return folders, lambda: _release_profiles(chosen)


def _acquire_profiles(count: int) -> list[Profile]:
    chosen: list[Profile] = []
    base = fonts.cache_dir() / "libreoffice"
    index = 0
    while len(chosen) < count and locks.AVAILABLE and index < 16:
        lock = try_lock(base / f"profile-{index}.lock")
        if lock is not None:
            chosen.append(Profile(base / f"profile-{index}", lock))
        index += 1
    while len(chosen) < count:  # no file locks, or every kept profile busy
        chosen.append(Profile(Path(tempfile.mkdtemp(prefix="huiwu-lo-"))))
    return chosen


def _release_profiles(chosen: list[Profile]) -> None:
    for profile in chosen:
        if profile.lock is not None:
            profile.lock.close()
        else:
            shutil.rmtree(profile.folder, ignore_errors=True)


_TIGHTENED = f'<w:spacing w:val="{g.BODY_CHAR_SPACING}"/>'.encode()
_SCALED = b'<w:w w:val="98"/>'
_STYLED_PARTS = ("word/styles.xml", "word/document.xml")


def for_libreoffice(data: bytes) -> bytes:
    """The DOCX as LibreOffice should get it: body text tightened by scaling instead of spacing.

    GB/T 9704's 28 characters a line come from −0.25 pt character spacing. LibreOffice 7.4,
    given negative spacing in a justified paragraph, drops a punctuation mark that hangs past
    the line end (a comma after the 28th character vanishes from the PDF). A 98 % character
    width fits the same 28 characters and hangs the mark as Word does, so PDFs are made from
    a copy tightened that way; the DOCX itself keeps the standard's spacing.
    """
    try:
        members = docxzip.read_members(data)
    except zipfile.BadZipFile:
        return data  # LibreOffice will refuse it, and that is reported
    if not any(_TIGHTENED in members.get(name, b"") for name in _STYLED_PARTS):
        return data
    for name in _STYLED_PARTS:
        if name in members:
            members[name] = members[name].replace(_TIGHTENED, _SCALED)
    return docxzip.pack(members)
