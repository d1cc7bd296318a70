"""Rendering a batch on several cores gives the documents of the serial loop, in order."""

from __future__ import annotations

import os
import signal
import time

import docx
import pytest
from huiwu.render import batch
from huiwu.render.prepared import Rendered
from huiwu.render.renderer import Renderer, TemplateProblem

needs_fork = pytest.mark.skipif(not batch.can_fork(), reason="needs the fork start method")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    document = docx.Document()
    document.core_properties.title = "{{ name }}"
    document.add_paragraph("{{ name }}：{{ text }}")
    document.add_paragraph("{%p for item in items %}")
    document.add_paragraph("{{ loop.index }}. {{ item }}")
    document.add_paragraph("{%p endfor %}")
    path = tmp_path_factory.mktemp("batch") / "batch.docx"
    document.save(str(path))
    return path


def _context(number: int) -> dict:
    if number == 77:
        return {"name": "坏", "text": "x", "items": 5}  # looping over a number fails
    return {
        "name": f"第{number}号",
        "text": "正文" * (number % 7),
        "items": list(range(number % 5)),
    }


def _whole(key: int, rendered: Rendered) -> Rendered:
    """Each document sent back whole: its bytes and its main part."""
    return Rendered(rendered.data, rendered.document_xml)


@needs_fork
@pytest.mark.parametrize("workers", [2, 3])
def test_workers_give_the_serial_documents_in_order(template, workers):
    keys = list(range(150))
    serial = [Renderer().render(template, _context(key)) for key in keys if key != 77]
    keys.remove(77)
    got = list(batch.deliver_batch(Renderer(), template, keys, _context, _whole, workers=workers))
    assert [key for key, _ in got] == keys
    assert [rendered.data for _, rendered in got] == serial


@needs_fork
def test_the_main_part_comes_back_when_asked_for(template):
    keys = list(range(70))
    got = list(batch.deliver_batch(Renderer(), template, keys, _context, _whole, workers=2))
    assert all(b"<w:body" in rendered.document_xml for _, rendered in got)
    assert "第69号".encode() in got[-1][1].document_xml


@needs_fork
def test_an_error_in_a_worker_is_raised_at_its_document(template):
    keys = list(range(120))
    seen = []
    with pytest.raises(TemplateProblem, match=r"batch\.docx"):
        for key, _ in batch.deliver_batch(Renderer(), template, keys, _context, _whole, workers=2):
            seen.append(key)
    assert seen == list(range(len(seen))) and len(seen) <= 77, "only documents before it came out"


def test_a_small_batch_renders_in_this_process(template, monkeypatch):
    monkeypatch.setattr(batch, "_forked", None)  # would fail if called
    got = list(batch.deliver_batch(Renderer(), template, [1, 2, 3], _context, _whole, workers=4))
    assert [key for key, _ in got] == [1, 2, 3]


def _slow_first(number: int) -> dict:
    if number == 0:  # the worker that takes the first chunk is held up
        time.sleep(1.0)
    return _context(number + 1000)  # none of them the broken one


def _process(key: int, rendered: Rendered) -> int:
    return os.getpid()


@needs_fork
def test_a_held_up_worker_leaves_the_rest_of_the_batch_to_the_others(template):
    keys = list(range(160))  # ten chunks
    got = list(batch.deliver_batch(Renderer(), template, keys, _slow_first, _process, workers=2))
    assert [key for key, _ in got] == keys
    held_up = got[0][1]
    done_by = [pid for _, pid in got]
    assert done_by.count(held_up) < done_by.count(next(p for p in done_by if p != held_up))


def test_only_a_few_chunks_are_handed_out_ahead_of_the_reader():
    read, write = os.pipe()
    try:
        tasks = batch._Tasks(write, chunks=100, workers=2)
        assert len(os.read(read, 4096)) == 5 * batch._TASK.size  # 2 × workers + 1
        tasks.give()
        (number,) = batch._TASK.unpack(os.read(read, 4096))
        assert number == 5
        tasks.give(1000)  # the rest, then the pipe is closed: idle workers stop
        assert len(os.read(read, 4096)) == 94 * batch._TASK.size
        assert os.read(read, 4096) == b""
        tasks.close()  # closing again is harmless
    finally:
        os.close(read)


def _killed_at_first(number: int) -> dict:
    if number == 0:  # the worker rendering it dies, holding its chunk
        os.kill(os.getpid(), signal.SIGKILL)
    return _context(number + 1000)


@needs_fork
def test_a_worker_that_dies_stops_the_batch_with_an_error(template):
    keys = list(range(400))
    with pytest.raises(RuntimeError, match="stopped unexpectedly"):
        list(batch.deliver_batch(Renderer(), template, keys, _killed_at_first, _whole, workers=2))


@needs_fork
def test_the_workers_are_collected_once_the_batch_is_done(template):
    if not os.path.isdir("/proc"):
        pytest.skip("needs /proc to see the processes")
    keys = list(range(96))
    got = list(batch.deliver_batch(Renderer(), template, keys, _context_ok, _process, workers=2))
    workers = {pid for _, pid in got} - {os.getpid()}
    assert len(workers) == 2
    deadline = time.monotonic() + 30
    while any(_exists(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_exists(pid) for pid in workers), "no worker is left behind, not even a zombie"


def _context_ok(number: int) -> dict:
    return _context(number + 1000)


def _exists(pid: int) -> bool:
    return os.path.exists(f"/proc/{pid}")
