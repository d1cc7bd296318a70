"""会议材料汇编: one print-ready PDF with a cover, a contents page and every document.

The documents' pages are numbered on through the volume (the cover and contents pages carry no
number; the first document starts at ``— 1 —``), so that the page a reader finds under a
document in the contents is the page number printed at its foot. To print those numbers each
document is converted once more with its numbering starting where the volume has got to. Every
document starts on a right-hand (odd) page when the volume is printed on both sides: a blank
page, counted but not numbered, follows a document with an odd number of pages, never the last.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huiwu.model import Definition
from huiwu.publish import pdf
from huiwu.render import docxzip
from huiwu.render.combined import number_pages_from
from huiwu.render.renderer import render
from huiwu.text import cn
from huiwu.text.typeset import title_lines
from lxml import etree
from pypdf import PdfReader, PdfWriter

FILENAME = "会议材料汇编.pdf"
TEMPLATE = "volume"
"""The template stem of the cover and contents pages."""
COVER_TITLE_CHARS = 16
"""一号 (26 pt) characters on a 156 mm line."""


@dataclass(frozen=True)
class Part:
    """A document of the volume: its name, its PDF and the DOCX it was converted from."""

    name: str
    pdf: bytes
    docx: Path | None = None
    """Converted again with its page numbers continuing the volume's; without it the document
    keeps the numbers of its own PDF."""


@dataclass(frozen=True)
class Entry:
    """A line of the contents page."""

    number: int
    name: str
    first_page: int
    pages: int


def compile_volume(definition: Definition, parts: list[Part], template: Path) -> bytes:
    """The whole volume as PDF bytes."""
    counts = [len(PdfReader(io.BytesIO(part.pdf)).pages) for part in parts]
    entries = contents(parts, counts)
    readers = [PdfReader(io.BytesIO(data)) for data in _numbered_on(parts, entries)]
    front = _front_pages(definition, entries, template)
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(front)))
    _pad_to_even(writer)
    for index, reader in enumerate(readers):
        # The documents' own heading bookmarks would drown the one bookmark per document.
        writer.append(reader, import_outline=False)
        if index < len(readers) - 1:
            _pad_to_even(writer)
    writer.add_metadata({"/Title": f"{definition.meeting.title}材料汇编", "/Producer": "huiwu"})
    for entry, part in zip(entries, parts, strict=True):
        writer.add_outline_item(
            title=part.name, page_number=_front_page_count(front) + entry.first_page - 1
        )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def contents(parts: list[Part], page_counts: list[int]) -> list[Entry]:
    """Where each part begins, counting the documents' pages from 1 (blank pages included)."""
    entries = []
    page = 1
    for number, (part, count) in enumerate(zip(parts, page_counts, strict=True), start=1):
        entries.append(Entry(number, part.name, page, count))
        page += count + count % 2
    return entries


def context(definition: Definition, entries: list[Entry]) -> dict[str, Any]:
    """The cover and contents template's context."""
    meeting = definition.meeting
    return {
        "doc_title": f"{meeting.title}材料汇编",
        "title_lines": title_lines(meeting.title, COVER_TITLE_CHARS),
        "organizer": meeting.organizer,
        "date": cn.format_date(meeting.date),
        "rows": [
            {
                "no": str(entry.number),
                "name": entry.name,
                "pages": f"{entry.first_page}—{entry.first_page + entry.pages - 1}"
                if entry.pages > 1
                else str(entry.first_page),
                "count": f"{entry.pages}页",
            }
            for entry in entries
        ],
    }


def _front_pages(definition: Definition, entries: list[Entry], template: Path) -> bytes:
    data = render(template, context(definition, entries))
    with tempfile.TemporaryDirectory(prefix="huiwu-volume-") as folder:
        source = Path(folder) / "front.docx"
        source.write_bytes(data)
        (target,) = pdf.convert([pdf.Job(source, Path(folder) / "front.pdf", "汇编的封面和目录")])
        return target.read_bytes()


def _numbered_on(parts: list[Part], entries: list[Entry]) -> list[bytes]:
    """Each part's PDF with its pages numbered from where it begins in the volume."""
    with tempfile.TemporaryDirectory(prefix="huiwu-volume-") as folder:
        jobs = {}
        for index, (part, entry) in enumerate(zip(parts, entries, strict=True)):
            if part.docx is None or entry.first_page == 1:
                continue
            source = Path(folder) / f"{index}.docx"
            source.write_bytes(start_numbering_at(part.docx.read_bytes(), entry.first_page))
            jobs[index] = pdf.Job(source, Path(folder) / f"{index}.pdf")
        pdf.convert(list(jobs.values()))
        return [
            jobs[index].target.read_bytes() if index in jobs else part.pdf
            for index, part in enumerate(parts)
        ]


def start_numbering_at(document: bytes, first: int) -> bytes:
    """A DOCX whose page numbers start at ``first``: ``w:pgNumType`` in its first section
    (later sections number on from it)."""
    members = docxzip.read_members(document)
    root = etree.fromstring(members[_MAIN])
    number_pages_from(next(root.iter(f"{{{_W}}}sectPr")), first)
    members[_MAIN] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return docxzip.pack(members)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MAIN = "word/document.xml"


def _front_page_count(front: bytes) -> int:
    count = len(PdfReader(io.BytesIO(front)).pages)
    return count + count % 2


def _pad_to_even(writer: PdfWriter) -> None:
    if len(writer.pages) % 2:
        last = writer.pages[-1]
        writer.add_blank_page(float(last.mediabox.width), float(last.mediabox.height))
