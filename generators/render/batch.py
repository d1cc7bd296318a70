"""Render many documents from one template on every core, yielding them in order.

A batch (one letter per unit) prepares its template and its shared data once; then
:func:`deliver_batch` forks worker processes that inherit all of it. Each takes the next chunk
of documents when it is done with one, renders them (context, render, pack) and delivers each
(writing its file), while the caller takes what comes back, in order. A document's bytes do not depend on which process
rendered it or on how many there are.

Where ``fork`` is not available (Windows, macOS's default), for a small batch, or with one core,
the documents are rendered in this process, one after the other, with the same result.
"""

from __future__ import annotations

import contextlib
import gc

try:
    import fcntl
except ImportError:  # Windows: no fork either
    fcntl = None  # type: ignore[assignment]
import multiprocessing
import os
import pickle
import select
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, BinaryIO, Generic, NoReturn, TypeVar

from huiwu.render.prepared import Rendered
from huiwu.render.renderer import Renderer

Key = TypeVar("Key")
Result = TypeVar("Result")

MIN_PER_WORKER = 32
"""Below this many documents a worker, starting processes costs more than it saves."""
CHUNK = 16
"""Documents a worker renders and sends at a time."""


def default_workers() -> int:
    """The cores this process may use, or ``HUIWU_WORKERS`` (1: render in this process, as a
    server with threads of its own may prefer)."""
    override = os.environ.get("HUIWU_WORKERS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes can inherit the prepared batch (``fork`` start method)."""
    return "fork" in multiprocessing.get_all_start_methods() and os.name == "posix"


def deliver_batch(
    renderer: Renderer,
    template: Path,
    keys: Sequence[Key],
    context: Callable[[Key], Mapping[str, Any]],
    deliver: Callable[[Key, Rendered], Result],
    *,
    workers: int | None = None,
) -> Iterator[tuple[Key, Result]]:
    """Render ``template`` with ``context(key)`` for each key and hand each document to
    ``deliver`` in the process that rendered it; yield (key, what ``deliver`` returned) in
    order. A worker thus writes its documents itself (in parallel, nothing but ``deliver``'s
    result crossing to this process: keep it small). Errors, ``deliver``'s too, are raised as
    the serial loop raises them, at the document that fails.
    """
    count = min(workers or default_workers(), max(1, len(keys) // MIN_PER_WORKER))
    if count < 2 or not can_fork():
        for key in keys:
            yield key, deliver(key, renderer.render_document(template, context(key)))
        return
    renderer.prepare(template)  # prepared once here, inherited by every worker
    yield from _forked(_Job(renderer, template, keys, context, deliver), count)


class _Job(Generic[Key, Result]):
    """What the workers inherit: everything needed to render and deliver document ``index``."""

    def __init__(
        self,
        renderer: Renderer,
        template: Path,
        keys: Sequence[Key],
        context: Callable[[Key], Mapping[str, Any]],
        deliver: Callable[[Key, Rendered], Result],
    ) -> None:
        self.renderer = renderer
        self.template = template
        self.keys = keys
        self.context = context
        self.deliver = deliver


def _forked(job: _Job[Key, Result], count: int) -> Iterator[tuple[Key, Result]]:
    """Fork ``count`` workers that take chunks of documents from a shared pipe of tasks and
    send back what they rendered on a pipe each; yield the documents in order.

    A worker takes the next chunk when it is done with one, so a faster core (or one the
    machine does not share with another program) renders more of the batch. At most a few
    chunks are handed out ahead of the one to be yielded next: what arrives early waits here,
    and memory stays flat however many documents there are."""
    chunks = [
        (start, min(start + CHUNK, len(job.keys))) for start in range(0, len(job.keys), CHUNK)
    ]
    tasks_read, tasks_write = os.pipe()
    tasks = _Tasks(tasks_write, len(chunks), count)
    workers: dict[int, int] = {}  # result pipe → worker pid (0 once reaped)
    try:
        # The collector of a worker would write into every object it inherited, copying the
        # pages this process shares with it; frozen, they are left alone.
        gc.freeze()
        try:
            for _ in range(count):
                read, write = os.pipe()
                _widen(write)
                pid = os.fork()
                if pid == 0:  # the worker: it keeps only where it takes and sends
                    tasks.close()
                    for other in [read, *workers]:
                        os.close(other)
                    _work(job, chunks, tasks_read, write)
                os.close(write)
                workers[read] = pid
        finally:
            gc.unfreeze()
            os.close(tasks_read)
        yield from _collected(job, chunks, tasks, workers)
    finally:
        tasks.close()
        running = []
        for read, pid in workers.items():
            os.close(read)
            if pid != 0:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
                running.append(pid)
        _reap(running)


def _reap(pids: list[int]) -> None:
    """Collect the ended workers in a thread of their own: a process of a hundred megabytes
    takes milliseconds to be taken apart, which the caller (writing the manifest) need not
    wait for."""
    if pids:
        threading.Thread(target=_wait_for, args=(pids,), name="huiwu-reap", daemon=True).start()


def _wait_for(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)


class _Tasks:
    """The pipe the workers take chunk numbers from, kept a few chunks ahead of the reader."""

    def __init__(self, pipe: int, chunks: int, workers: int) -> None:
        self._pipe: int | None = pipe
        self._chunks = chunks
        self._next = 0
        self.give(min(chunks, 2 * workers + 1))

    def give(self, more: int = 1) -> None:
        """Hand out ``more`` chunks; close the pipe after the last, so idle workers stop."""
        stop = min(self._chunks, self._next + more)
        if self._next < stop and self._pipe is not None:
            os.write(self._pipe, b"".join(_TASK.pack(k) for k in range(self._next, stop)))
            self._next = stop
        if self._next == self._chunks:
            self.close()

    def close(self) -> None:
        """Close this end of the pipe (once)."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None


def _collected(
    job: _Job[Key, Result],
    chunks: list[tuple[int, int]],
    tasks: _Tasks,
    workers: dict[int, int],
) -> Iterator[tuple[Key, Result]]:
    """Read what the workers send, in whatever order it comes; yield it in document order."""
    arrived: dict[int, tuple[list[Any], list[str], BaseException | None]] = {}
    streams = {read: _Stream(read) for read in workers}
    for number, (start, _) in enumerate(chunks):
        while number not in arrived:
            if not streams:
                raise RuntimeError(_STOPPED)
            ready, _, _ = select.select(list(streams), [], [])
            for read in ready:
                message = streams[read].message()
                if message is None:  # the worker has exited
                    del streams[read]
                    _, status = os.waitpid(workers[read], 0)
                    workers[read] = 0  # reaped: its number may be another process's now
                    if status != 0:  # killed, or failed, holding a chunk none will render
                        raise RuntimeError(_STOPPED)
                else:
                    chunk, *rest = message
                    arrived[chunk] = tuple(rest)  # type: ignore[assignment]
        documents, notices, error = arrived.pop(number)
        tasks.give()
        job.renderer.add_notices(notices)
        for offset, result in enumerate(documents):
            yield job.keys[start + offset], result
        if error is not None:
            raise error


class _Stream:
    """Messages from one worker: a length, then a pickle."""

    def __init__(self, pipe: int) -> None:
        self._pipe = pipe

    def message(self) -> list[Any] | None:
        """The next message, or None once the worker has closed its end."""
        header = self._exactly(8)
        if header is None:
            return None
        body = self._exactly(int.from_bytes(header, "little"))
        if body is None:
            raise RuntimeError(_STOPPED)
        return pickle.loads(body)  # from our own forked worker

    def _exactly(self, size: int) -> bytes | None:
        parts: list[bytes] = []
        while size:
            part = os.read(self._pipe, min(size, PIPE_BYTES))
            if not part:
                return None
            parts.append(part)
            size -= len(part)
        return b"".join(parts)


_STOPPED = "a worker rendering the batch stopped unexpectedly"
_TASK = struct.Struct("<I")
"""A chunk's number in the pipe of tasks: four bytes, which a pipe hands out whole."""


def _work(job: _Job[Any, Any], chunks: list[tuple[int, int]], tasks: int, pipe: int) -> NoReturn:
    """In a worker: take chunk numbers until there are none, render each chunk, send each
    (number, documents, notices, error) and exit."""
    status = 0
    try:
        with os.fdopen(pipe, "wb") as out:
            while task := os.read(tasks, _TASK.size):
                (number,) = _TASK.unpack(task)
                start, stop = chunks[number]
                before = len(job.renderer.notices)
                documents: list[Any] = []
                error: BaseException | None = None
                try:
                    for index in range(start, stop):
                        key = job.keys[index]
                        rendered = job.renderer.render_document(job.template, job.context(key))
                        documents.append(job.deliver(key, rendered))
                except Exception as exc:  # sent to the parent, raised there at this document
                    error = exc
                _send(out, (number, documents, job.renderer.notices[before:], error))
                if error is not None:
                    break
    except BaseException:  # the parent stopped reading (it failed, or was interrupted)
        status = 1
    finally:
        os._exit(status)  # never run the parent's clean-up (atexit, open files) in a worker


def _send(out: BinaryIO, message: tuple[Any, ...]) -> None:
    try:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # an error that cannot be pickled: its text, as a bug
        number, documents, notices, error = message
        fallback = RuntimeError(f"{type(error).__name__}: {error}") if error else exc
        data = pickle.dumps(
            (number, documents, notices, fallback), protocol=pickle.HIGHEST_PROTOCOL
        )
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)
    out.flush()


PIPE_BYTES = 1 << 20
"""How much a worker may have sent ahead of the reader (Linux's own limit): with the 64 KB a
pipe holds by default a worker waits, its next chunk not begun, while the reader takes another
worker's chunk."""


def _widen(pipe: int) -> None:
    setter = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if setter is not None:
        with contextlib.suppress(OSError):  # a smaller limit set by the system: keep the default
            fcntl.fcntl(pipe, setter, PIPE_BYTES)
