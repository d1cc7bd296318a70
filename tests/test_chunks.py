"""Paragraphs deflated once a batch (render/chunks.py): a letter's bytes never depend on what
was rendered before it, and its document part holds exactly the paragraphs it should."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from huiwu.definition.load import load_definition
from huiwu.publish.packet import letter_set
from huiwu.render import docxzip
from huiwu.render.chunks import MARKER, Chunks
from huiwu.render.renderer import Renderer
from lxml import etree

LETTERS = Path(__file__).resolve().parents[1] / "data" / "responsibility-letters" / "meeting.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def letters():
    return letter_set(load_definition(LETTERS))


def _render_all(letters, units: list[str]) -> dict[str, bytes]:
    renderer = Renderer()
    return {
        unit: renderer.render_document(letters.template, letters.context(unit)).data
        for unit in units
    }


def test_a_letter_has_the_same_bytes_alone_and_in_any_order(letters):
    units = letters.units
    forward = _render_all(letters, units)
    backward = _render_all(letters, units[::-1])
    alone = {unit: _render_all(letters, [unit])[unit] for unit in units[:3] + units[-2:]}
    assert forward == backward
    assert all(forward[unit] == data for unit, data in alone.items())


def test_the_paragraphs_come_in_chunks_compressed_apart(letters):
    prepared = Renderer().prepare(letters.template)
    for unit in letters.units[:3]:  # the later letters find the chunks the first one made
        part = prepared.render_parts(letters.context(unit))[prepared.document_name]
    assert isinstance(part, docxzip.Pieces)
    segments = [item for item in part.items if isinstance(item, docxzip.Segment)]
    assert len(segments) >= 5


def test_each_letter_holds_its_own_paragraphs_whole(letters):
    for unit, data in _render_all(letters, letters.units).items():
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None  # every member's CRC is right
        root = etree.fromstring(archive.read("word/document.xml"))
        paragraphs = ["".join(p.itertext()) for p in root.iter(f"{W}p")]
        assert len(paragraphs) > 40
        assert any(unit in text for text in paragraphs)
        assert "\ue000" not in "".join(paragraphs)  # no marker left behind
        assert paragraphs.count("二、奖惩办法") <= 1


def test_items_none_of_which_ends_a_chunk_make_one():
    made: list[str] = []

    def finish(text: str) -> str:
        made.append(text)
        return text

    chunks = Chunks(finish, lambda xml: False)
    chunks.enabled = True
    chunks.start()
    texts = ["<a/>", "<bb/>", "<cccc/>", "<d/>"]  # lengths 4, 5, 8, 4: none a multiple of 6
    assert chunks.gather(texts) == MARKER.format(0)
    assert made == ["".join(texts)]
    assert chunks.segment(MARKER.format(0)).raw == "".join(texts).encode()


def test_items_are_cut_after_each_ending_item_and_chunks_are_kept():
    chunks = Chunks(lambda text: text, lambda xml: False)
    chunks.enabled = True
    six, seven = "<x123/>"[:6], "<x1234/>"[:7]
    assert len(six) % 6 == 0 and len(seven) % 6 != 0
    chunks.start()
    first = chunks.gather([seven, six, seven])
    assert first == MARKER.format(0) + MARKER.format(1)
    kept = chunks.segment(MARKER.format(0))
    chunks.start()
    assert chunks.gather([seven, six]) == MARKER.format(0)
    assert chunks.segment(MARKER.format(0)) is kept  # compressed once


def test_what_the_part_must_still_see_stays_in_its_text():
    chunks = Chunks(lambda text: text, lambda xml: "<w:tbl" in xml)
    chunks.enabled = True
    chunks.start()
    assert chunks.gather(["<w:tbl/>"]) == "<w:tbl/>"
    chunks.enabled = False
    assert chunks.gather(["<a/>", "<b/>"]) == "<a/><b/>"


def test_the_xml_between_the_loops_is_compressed_once_for_every_letter(letters):
    prepared = Renderer().prepare(letters.template)
    parts = [
        prepared.render_parts(letters.context(unit))[prepared.document_name]
        for unit in letters.units[:3]
    ]
    assert all(isinstance(part, docxzip.Pieces) for part in parts)
    last = {id(part.items[-1]) for part in parts}  # the signature and the end of the part
    assert len(last) == 1
    first = {part.items[0].raw for part in parts}  # the title and the parties: each its own
    assert len(first) == len(parts)
    assert all("乙方".encode() in raw for raw in first)
