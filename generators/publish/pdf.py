"""Turn DOCX files into PDF with LibreOffice, a batch at a time, with the office fonts mapped.

Starting LibreOffice costs about a second; converting a document in a running one about a
tenth of that. So a batch is split over a small pool of LibreOffice processes (one per core, at
most :data:`MAX_WORKERS`), each converting its share of the files in one run, each with a profile
of its own that is kept between runs (a profile in use is locked, so two huiwu runs at once never
share one — LibreOffice would hand the second run's files to the first process).

LibreOffice stamps every PDF with the time and a random file identifier;
:func:`make_reproducible` replaces both in place (same lengths, so the cross-reference offsets
stay valid), so that the same documents always give the same PDF bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from huiwu import gbt9704 as g
from huiwu.errors import HuiwuError
from huiwu.publish import fonts, locks
from huiwu.publish.locks import try_lock
from huiwu.render import docxzip

MAX_WORKERS = 2

INSTALL_HINT = (
    "Debian/Ubuntu 上请运行：python3 scripts/bootstrap.py --pdf（或 sudo apt-get install "
    "libreoffice-writer-nogui）；Windows 上请从 https://zh-cn.libreoffice.org 安装 LibreOffice"
)


class LibreOfficeMissing(HuiwuError):
    """PDF was asked for but LibreOffice is not installed."""

    def __init__(self) -> None:
        super().__init__(f"生成 PDF 需要 LibreOffice，但本机没有找到。{INSTALL_HINT}。")


class ConversionFailed(HuiwuError):
    """LibreOffice ran but did not produce some of the PDFs."""


@dataclass(frozen=True)
class Job:
    """One conversion: a DOCX and the PDF to write."""

    source: Path
    target: Path


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
        "运行 python3 scripts/bootstrap.py --pdf 可安装。"
    )


def convert(jobs: Sequence[Job], *, workers: int | None = None) -> list[Path]:
    """Convert every job's DOCX into its PDF; return the PDFs in job order.

    Raises :class:`LibreOfficeMissing` without LibreOffice and :class:`ConversionFailed` naming
    every file LibreOffice could not convert.
    """
    if not jobs:
        return []
    soffice = find_soffice()
    if soffice is None:
        raise LibreOfficeMissing
    count = max(1, min(workers or _default_workers(), len(jobs)))
    shares = [list(jobs[index::count]) for index in range(count)]
    with tempfile.TemporaryDirectory(prefix="huiwu-pdf-") as scratch, _profiles(count) as profiles:
        runs = [
            _start(soffice, share, Path(scratch) / f"w{index}", profile)
            for index, (share, profile) in enumerate(zip(shares, profiles, strict=True))
        ]
        failed: list[Path] = []
        for run in runs:
            failed += run.finish()
    if failed:
        names = "、".join(str(path) for path in failed)
        raise ConversionFailed(
            f"LibreOffice 没能把这些文件转成 PDF：{names}。请用 Word/WPS 打开检查文件是否损坏。"
        )
    return [job.target for job in jobs]


def _default_workers() -> int:
    return min(MAX_WORKERS, os.cpu_count() or 1)


class _Run:
    """One LibreOffice process converting its share of the batch."""

    def __init__(self, process: subprocess.Popen[bytes], jobs: list[Job], folder: Path) -> None:
        self.process = process
        self.jobs = jobs
        self.folder = folder

    def finish(self) -> list[Path]:
        """Wait, move the PDFs to their targets; return the sources that gave no PDF."""
        try:
            self.process.wait(timeout=120 + 30 * len(self.jobs))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        failed = []
        for index, job in enumerate(self.jobs):
            produced = self.folder / f"{index:05d}.pdf"
            if not produced.is_file():
                failed.append(job.source)
                continue
            job.target.parent.mkdir(parents=True, exist_ok=True)
            job.target.write_bytes(make_reproducible(produced.read_bytes()))
        return failed


def _start(soffice: Path, jobs: list[Job], folder: Path, profile: Profile) -> _Run:
    # Copies under neutral names: two sources may share a name, and LibreOffice names each PDF
    # after its source.
    folder.mkdir(parents=True)
    sources = []
    for index, job in enumerate(jobs):
        copy = folder / f"{index:05d}.docx"
        copy.write_bytes(for_libreoffice(job.source.read_bytes()))
        sources.append(str(copy))
    command = [
        str(soffice),
        f"-env:UserInstallation={profile.folder.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(folder),
        *sources,
    ]
    # LibreOffice inherits the profile's lock: if huiwu is killed, the lock stays held for as
    # long as the orphaned LibreOffice still works in that profile.
    process = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_environment(),
        pass_fds=(profile.lock.fileno(),) if profile.lock is not None else (),
    )
    return _Run(process, jobs, folder)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    config = fonts.fontconfig_file()
    if config is not None:
        env["FONTCONFIG_FILE"] = str(config)
    return env


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
        base = fonts.cache_dir() / "libreoffice"
        index = 0
        while len(chosen) < count and locks.AVAILABLE and index < 16:
            lock = try_lock(base / f"profile-{index}.lock")
            if lock is not None:
                chosen.append(Profile(base / f"profile-{index}", lock))
            index += 1
        while len(chosen) < count:  # no file locks, or every kept profile busy
            chosen.append(Profile(Path(tempfile.mkdtemp(prefix="huiwu-lo-"))))
        yield chosen
    finally:
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


_DATE = re.compile(rb"/(?:CreationDate|ModDate)\(D:(\d{14})[^)]*\)")
_ID = re.compile(rb"/ID \[ ?<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)> ?\]")
_CHECKSUM = re.compile(rb"/DocChecksum /([0-9A-Fa-f]+)")


def make_reproducible(data: bytes) -> bytes:
    """Replace the export time, file identifier and checksum of a LibreOffice PDF by values
    derived from its content, keeping every byte offset where it was."""
    data = _DATE.sub(lambda m: m.group(0).replace(m.group(1), b"19800101000000"), data)
    blank = _ID.sub(lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))), data)
    blank = _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), b"0" * len(m.group(1))), blank)
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    data = _ID.sub(lambda m: _same_length(m, digest), data)
    return _CHECKSUM.sub(lambda m: m.group(0).replace(m.group(1), digest[: len(m.group(1))]), data)


def _same_length(match: re.Match[bytes], digest: bytes) -> bytes:
    text = match.group(0)
    for group in (1, 2):
        old = match.group(group)
        text = text.replace(old, (digest * 2)[: len(old)], 1)
    return text
