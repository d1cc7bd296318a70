"""The print file (合订本): every letter of a batch in one DOCX, to print them all in one go.

Each letter becomes a section of its own: it starts on a new page and its page numbers start
at 1. The last letter's section is the document's final one, so no empty page follows it. The
document part is streamed into the zip as the letters arrive (one letter is held back, because
only the last one keeps the final section properties), so a print file of ten thousand letters
never sits in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import BinaryIO

from docx.oxml.ns import qn
from huiwu.render.docxzip import Entry, ZipWriter, deflate
from huiwu.render.prepared import PreparedTemplate
from lxml import etree

_W_BODY, _W_P, _W_PPR, _W_SECT = qn("w:body"), qn("w:p"), qn("w:pPr"), qn("w:sectPr")
_W_TYPE, _W_PG_NUM, _W_VAL, _W_START = qn("w:type"), qn("w:pgNumType"), qn("w:val"), qn("w:start")
# The children of w:sectPr that follow w:pgNumType (ECMA-376 CT_SectPr): it goes before them.
_AFTER_PG_NUM = (
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
)


class PrintFile:
    """Writes letters rendered from one prepared template into one DOCX, as they come.

    ``parts`` are the template's changing parts rendered for the print file as a whole (its
    title in the core properties); the main document part is built from the letters.
    """

    def __init__(
        self, template: PreparedTemplate, parts: Mapping[str, bytes], handle: BinaryIO
    ) -> None:
        if template.varying_headers:
            raise ValueError("页眉页脚随单位变化的模板不能合订")
        self._zip = ZipWriter(handle)
        self._pending: etree._Element | None = None
        self._parts = parts
        prefix, self._suffix = template.document_frame()
        entries = list(template.static_entries())
        document = [name for name, _ in entries].index(template.document_name)
        for name, entry in entries[:document]:
            self._write_member(name, entry)
        self._rest = entries[document + 1 :]
        self._document = self._zip.open_member(template.document_name)
        self._document.write(f"{prefix}<w:body>".encode())

    def add(self, document_xml: bytes) -> None:
        """Append one letter (its rendered main document part)."""
        body = etree.fromstring(document_xml).find(_W_BODY)
        if self._pending is not None:
            self._write_letter(self._pending, last=False)
        self._pending = body

    def close(self) -> None:
        """Finish the document part and the archive."""
        if self._pending is not None:
            self._write_letter(self._pending, last=True)
        self._document.write(f"</w:body>{self._suffix}".encode())
        self._document.close()
        for name, entry in self._rest:
            self._write_member(name, entry)
        self._zip.close()

    def _write_member(self, name: str, entry: Entry | None) -> None:
        self._zip.add(entry if entry is not None else deflate(name, self._parts[name]))

    def _write_letter(self, body: etree._Element, *, last: bool) -> None:
        """A letter's paragraphs and tables; its section properties end its own section."""
        sections = body.findall(_W_SECT)
        section = sections[-1] if sections else etree.SubElement(body, _W_SECT)
        _restart_on_new_page(section)
        if not last:
            body.remove(section)
            _end_section_at(body, section)
        xml = etree.tostring(body, encoding="unicode")
        inner = xml[xml.index(">") + 1 : xml.rindex("</")]
        self._document.write(inner.encode("utf-8"))


def _end_section_at(body: etree._Element, section: etree._Element) -> None:
    """Put ``section`` into the last paragraph's properties (a paragraph after a table)."""
    last = body[-1] if len(body) else None
    if last is None or last.tag != _W_P:
        last = etree.SubElement(body, _W_P)
    properties = last.find(_W_PPR)
    if properties is None:
        properties = etree.Element(_W_PPR)
        last.insert(0, properties)
    change = properties.find(qn("w:pPrChange"))
    if change is not None:
        change.addprevious(section)
    else:
        properties.append(section)


def _restart_on_new_page(section: etree._Element) -> None:
    """The section starts on a new page, with page number 1."""
    kind = section.find(_W_TYPE)
    if kind is not None:
        kind.set(_W_VAL, "nextPage")
    number_pages_from(section, 1)


def number_pages_from(section: etree._Element, first: int) -> None:
    """The section ``w:sectPr`` numbers its pages from ``first`` (its ``w:pgNumType`` made, in
    schema order, if it has none)."""
    numbering = section.find(_W_PG_NUM)
    if numbering is None:
        numbering = etree.Element(_W_PG_NUM)
        _insert_before(section, numbering, _AFTER_PG_NUM)
    numbering.set(_W_START, str(first))


def _insert_before(
    parent: etree._Element, child: etree._Element, successors: tuple[str, ...]
) -> None:
    names = {qn(f"w:{name}") for name in successors}
    for existing in parent:
        if existing.tag in names:
            existing.addprevious(child)
            return
    parent.append(child)
