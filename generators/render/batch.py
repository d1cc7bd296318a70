"""Render many documents from one template on every core, yielding them in order.

A batch (one letter per unit) prepares its template and its shared data once; then
:func:`render_batch` forks worker processes that inherit all of it, each rendering its share
of the documents (context, render, pack), while the caller writes what comes back, in order.
A document's bytes do not depend on which process rendered it or on how many there are.

Where ``fork`` is not available (Windows, macOS's default), for a small batch, or with one core,
the documents are rendered in this process, one after the other, with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from huiwu.render.prepared import Rendered
from huiwu.render.renderer import Renderer

Key = TypeVar("Key")

MIN_PER_WORKER = 32
"""Below this many documents a worker, starting processes costs more than it saves."""
CHUNK = 16
"""Documents a worker renders per request (fewer round trips, little memory)."""


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


def render_batch(
    renderer: Renderer,
    template: Path,
    keys: Sequence[Key],
    context: Callable[[Key], Mapping[str, Any]],
    *,
    keep_xml: bool = False,
    workers: int | None = None,
) -> Iterator[tuple[Key, Rendered]]:
    """Render ``template`` with ``context(key)`` for each key; yield (key, document) in order.

    ``keep_xml``: also return each main document part (for a print file); without it the
    documents' ``document_xml`` is empty. Errors are raised as the serial loop raises them, at
    the document that fails.
    """
    count = min(workers or default_workers(), max(1, len(keys) // MIN_PER_WORKER))
    if count < 2 or not can_fork():
        for key in keys:
            yield key, renderer.render_document(template, context(key))
        return
    renderer.prepare(template)  # prepared once here, inherited by every worker
    yield from _forked(_Job(renderer, template, keys, context, keep_xml), count)


class _Job(Generic[Key]):
    """What the workers inherit: everything needed to render document ``index``."""

    def __init__(
        self,
        renderer: Renderer,
        template: Path,
        keys: Sequence[Key],
        context: Callable[[Key], Mapping[str, Any]],
        keep_xml: bool,
    ) -> None:
        self.renderer = renderer
        self.template = template
        self.keys = keys
        self.context = context
        self.keep_xml = keep_xml


_job: _Job[Any] | None = None  # set in the parent just before forking; read by the workers


def _render_chunk(start: int, stop: int) -> tuple[list[tuple[bytes, bytes]], list[str]]:
    """In a worker: documents ``start``…``stop`` as (DOCX, main part or b""), and the notices
    the renderer gave meanwhile."""
    job = _job
    assert job is not None, "only called in a forked worker"
    before = len(job.renderer.notices)
    out = []
    for index in range(start, stop):
        rendered = job.renderer.render_document(job.template, job.context(job.keys[index]))
        out.append((rendered.data, rendered.document_xml if job.keep_xml else b""))
    return out, job.renderer.notices[before:]


def _forked(job: _Job[Key], count: int) -> Iterator[tuple[Key, Rendered]]:
    global _job
    _job = job
    chunks = [
        (start, min(start + CHUNK, len(job.keys))) for start in range(0, len(job.keys), CHUNK)
    ]
    pool = multiprocessing.get_context("fork").Pool(count)
    _job = None  # the workers have their copy
    try:
        pending: deque[Any] = deque()
        waiting = iter(chunks)
        for chunk in waiting:  # a bounded number of chunks in flight: memory stays flat
            pending.append((chunk, pool.apply_async(_render_chunk, chunk)))
            if len(pending) >= 2 * count:
                break
        while pending:
            (start, _), result = pending.popleft()
            documents, notices = result.get()
            job.renderer.add_notices(notices)
            next_chunk = next(waiting, None)
            if next_chunk is not None:
                pending.append((next_chunk, pool.apply_async(_render_chunk, next_chunk)))
            for offset, (data, xml) in enumerate(documents):
                yield job.keys[start + offset], Rendered(data, xml)
    finally:
        pool.terminate()
        pool.join()
