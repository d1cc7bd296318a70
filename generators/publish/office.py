"""A warm LibreOffice: started once, kept running, asked to convert one document at a time.

Starting LibreOffice costs about a second; converting a document in a running one well under a
tenth of that. An :class:`Office` starts LibreOffice listening on a pipe of its own, beside a small
loop (``uno_worker.py``) run by a Python that has LibreOffice's ``uno`` module — LibreOffice's own
Python on Windows and macOS, the system one with ``python3-uno`` on Debian — which converts each
document huiwu sends it. huiwu's own interpreter needs no ``uno``.

Every conversion is bounded in time (:func:`document_seconds`); LibreOffice that exceeds the bound,
or dies, is killed with its loop and started again for the next document. :func:`shared` keeps a
small pool of offices for the life of the process (a build, or the web page's server), closed at
exit; :func:`shutdown` closes it earlier.

When no Python with ``uno`` is found, or LibreOffice does not start, :func:`shared` returns None
and :mod:`huiwu.publish.pdf` converts with a LibreOffice started for the batch, as before.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO

START_SECONDS = 60.0
"""How long LibreOffice may take to start and accept the conversion loop."""
DOCUMENT_SECONDS = 30.0
"""How long one document may take, plus :data:`MEGABYTE_SECONDS` for each MB of DOCX."""
MEGABYTE_SECONDS = 30.0

WORKER = Path(__file__).with_name("uno_worker.py")


def document_seconds(size: int) -> float:
    """The time allowed for converting a DOCX of ``size`` bytes (generous: a real packet's
    documents take well under a second each)."""
    return DOCUMENT_SECONDS + MEGABYTE_SECONDS * size / 1_000_000


class OfficeDown(Exception):
    """LibreOffice did not start, or stopped (with why, in Chinese)."""


@dataclass(frozen=True)
class Setup:
    """How to start LibreOffice: its program, the Python with ``uno``, the environment."""

    soffice: Path
    python: Path
    environment: dict[str, str]


class Office:
    """One LibreOffice and its conversion loop; :meth:`convert` restarts them when needed.

    ``profile`` is the LibreOffice user profile folder; ``keep_fds`` are passed to LibreOffice
    (the open file that locks the profile, held as long as LibreOffice runs).
    """

    _names = itertools.count()

    def __init__(self, setup: Setup, profile: Path, keep_fds: Sequence[int] = ()) -> None:
        self._setup = setup
        self._profile = profile
        self._keep_fds = tuple(keep_fds)
        self._soffice: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[str | None] = queue.Queue()

    @property
    def running(self) -> bool:
        """Whether LibreOffice and its loop are both alive."""
        return all(p is not None and p.poll() is None for p in (self._soffice, self._worker))

    def start(self) -> None:
        """Start LibreOffice and the loop; wait until they are connected. Raises OfficeDown."""
        self.stop()
        pipe = f"huiwu-{os.getpid()}-{next(self._names)}-{time.monotonic_ns() % 10**9}"
        self._soffice = subprocess.Popen(
            [
                str(self._setup.soffice),
                f"-env:UserInstallation={self._profile.resolve().as_uri()}",
                "--headless",
                "--invisible",
                "--nocrashreport",
                "--nodefault",
                "--nologo",
                "--norestore",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self._setup.environment,
            pass_fds=self._keep_fds,
            **own_group(),
        )
        self._worker = subprocess.Popen(
            [
                str(self._setup.python),
                str(WORKER),
                pipe,
                str(START_SECONDS),
                str(self._soffice.pid),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=self._setup.environment,
            **own_group(),
        )
        self._answers = queue.Queue()
        threading.Thread(
            target=_read_lines, args=(self._worker.stdout, self._answers), daemon=True
        ).start()
        answer = self._answer(START_SECONDS + 5)
        if answer is None or not answer.get("ready"):
            self.stop()
            raise OfficeDown("LibreOffice 没能启动")

    def convert(self, source: Path, target: Path) -> str | None:
        """Convert ``source`` (a DOCX) into the PDF ``target``; None when done, else why not
        (in Chinese). LibreOffice that takes too long is stopped and started again next time."""
        if not self.running:
            self.start()
        assert self._worker is not None and self._worker.stdin is not None
        seconds = document_seconds(source.stat().st_size)
        try:
            self._worker.stdin.write(
                json.dumps({"source": str(source), "target": str(target)}) + "\n"
            )
            self._worker.stdin.flush()
        except OSError:
            self.stop()
            return "LibreOffice 意外退出了"
        answer = self._answer(seconds)
        if answer is None:
            timed_out = self.running
            self.stop()
            if timed_out:
                return f"LibreOffice 超过 {seconds:.0f} 秒没有转换完，已停止"
            return "LibreOffice 转换时意外退出了（文件可能已损坏）"
        if "error" in answer:
            return f"LibreOffice 无法转换（{answer['error']}）"
        return None

    def stop(self) -> None:
        """Stop the loop and LibreOffice (killed: a profile's work is never kept). The whole
        process group goes, even when the program started has exited already: ``soffice``
        is a launcher whose ``soffice.bin`` can outlive it."""
        for process in (self._worker, self._soffice):
            if process is not None:
                kill(process)
        self._worker = self._soffice = None

    def _answer(self, seconds: float) -> dict[str, object] | None:
        try:
            line = self._answers.get(timeout=seconds)
        except queue.Empty:
            return None
        if line is None:
            return None
        try:
            return json.loads(line)
        except ValueError:
            return None


def _read_lines(stream: IO[str] | None, answers: queue.Queue[str | None]) -> None:
    """Hand each line the loop writes to the waiting caller; None when it stops."""
    if stream is not None:
        for line in stream:
            answers.put(line)
    answers.put(None)


def own_group() -> dict[str, object]:
    """Start a process in a group of its own, so that killing it also kills its children and a
    Ctrl-C meant for huiwu does not reach it first."""
    if sys.platform.startswith("win"):
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}  # type: ignore[attr-defined]
    return {"start_new_session": True}


def kill(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Kill ``process`` and the group it leads (see :func:`own_group`), alive or not."""
    # Once the leader is reaped its number may be reused: then only a group that still has
    # members (which keep the number taken) is ours to kill.
    if not sys.platform.startswith("win") and (
        process.returncode is None or _group_has_members(process.pid)
    ):
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)


def _group_has_members(group: int) -> bool:
    """Whether a live process belongs to process group ``group`` (Linux's /proc; elsewhere
    False, so that nothing is killed by a number that may have been reused)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[0] != "Z" and int(fields[2]) == group:
            return True
    return False


class Pool:
    """Offices converting a batch together, one document at a time each."""

    def __init__(self, offices: list[Office], release: Callable[[], None]) -> None:
        self.offices = offices
        self._release = release
        self._lock = threading.Lock()

    def convert(self, pairs: Sequence[tuple[Path, Path]]) -> list[str | None]:
        """Convert each (DOCX, PDF) pair; for each, None or why it failed."""
        results: list[str | None] = [None] * len(pairs)
        todo: queue.Queue[int] = queue.Queue()
        for index in range(len(pairs)):
            todo.put(index)

        def work(office: Office) -> None:
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = office.convert(*pairs[index])
                except OfficeDown as exc:
                    results[index] = str(exc)

        with self._lock:  # one batch at a time: each office converts one document at a time
            busy = self.offices[: max(1, min(len(self.offices), len(pairs)))]
            threads = [
                threading.Thread(target=work, args=(office,), daemon=True) for office in busy
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        return results

    def close(self) -> None:
        """Stop every office and release their profiles."""
        for office in self.offices:
            office.stop()
        self._release()


_pool: Pool | None = None
_pool_key: object = None
_unavailable: set[object] = set()
_pool_lock = threading.Lock()

Profiles = Callable[[int], tuple[list[tuple[Path, Sequence[int]]], Callable[[], None]]]
"""Takes ``count`` LibreOffice profiles: (folder, file descriptors to keep open) each, and the
function that releases them."""


def shared(
    key: object, setup_for: Callable[[], Setup | None], size: int, profiles: Profiles
) -> Pool | None:
    """The process's pool of ``size`` warm offices for ``key`` (the LibreOffice program),
    started on first use and kept; None when they cannot run here (no Python with ``uno``, or
    LibreOffice does not start) — remembered, so that the next batch does not wait again."""
    global _pool, _pool_key
    with _pool_lock:
        if _pool is not None and _pool_key == key:
            return _pool
        if key in _unavailable:
            return None
        if _pool is not None:
            _pool.close()
            _pool = None
        setup = setup_for()
        if setup is None:
            _unavailable.add(key)
            return None
        chosen, release = profiles(size)
        offices = [Office(setup, folder, fds) for folder, fds in chosen]
        try:
            offices[0].start()  # the others start when first needed, while this one converts
        except OfficeDown:
            offices[0].stop()
            release()
            _unavailable.add(key)
            return None
        except BaseException:  # interrupted: leave no LibreOffice behind
            offices[0].stop()
            release()
            raise
        _pool, _pool_key = Pool(offices, release), key
        return _pool


def shutdown() -> None:
    """Stop the warm offices (they also stop when the process exits) and forget which
    LibreOffice could not start."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None
        _unavailable.clear()


atexit.register(shutdown)


@cache
def uno_python(soffice: Path) -> Path | None:
    """A Python that can ``import uno`` for this LibreOffice: ``HUIWU_UNO_PYTHON``, the Python
    shipped with LibreOffice (Windows, macOS), or the system's ``python3`` (Debian's
    ``python3-uno``); None if there is none."""
    override = os.environ.get("HUIWU_UNO_PYTHON")
    program = soffice.resolve().parent
    candidates = [
        Path(override) if override else None,
        program / "python.exe",
        program / "python",
        program.parent / "Resources" / "python",
        Path("/usr/bin/python3"),
        Path(shutil.which("python3") or "/nonexistent"),
    ]
    for candidate in candidates:
        if candidate is not None and candidate.is_file() and _has_uno(candidate):
            return candidate
    return None


def _has_uno(python: Path) -> bool:
    try:
        done = subprocess.run(
            [str(python), "-c", "import uno"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
