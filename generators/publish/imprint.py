"""The 版记 on the last, even page of a PDF, and no page number where only the 版记 is (§7.4, §7.5).

The templates float the 版记 table on the bottom edge of the text block, so it lands at the foot
of the page the body ends on, or of the next page when it does not fit there. Whether that page
is even, and whether it holds anything but the 版记, only the layout knows. So a document is
converted as it is; when its PDF shows the 版记 on an odd page, or alone on a page that carries
a page number, the LibreOffice copy is laid out again (:func:`relaid`): the 版记 goes into a
section of its own whose pages have an empty footer, on the next even page — after a blank page
when the body ends on an even one — and is converted once more.

Only the PDF is laid out this way: Word and WPS lay out the DOCX themselves, and the DOCX is
left as it is. Documents whose 版记 already shares an even last page with the body, or that have
no 版记, are converted once.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
from docx.oxml.ns import qn
from huiwu.render import docxzip
from lxml import etree

STYLE_NAMES = ("抄送", "印发机关", "印发日期")
"""The paragraph styles of the 版记's cells, by name: a user's copy of a built-in template keeps
them, whatever ids Word gives them."""

_MAIN = "word/document.xml"
_STYLES = "word/styles.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_FOOTER_ID = "rIdHuiwuNoPageNumber"
_FOOTER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_FLOATING = b"tblpPr"
_PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


@dataclass(frozen=True)
class Imprint:
    """A document's 版记, as its text shows on a page: the text of each of its paragraphs."""

    texts: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """Where a PDF put the 版记: its number of pages, the last page with body text on it (0 when
    none), whether the 版记 is on the last page, and which pages carry a page number."""

    pages: int
    last_body_page: int
    imprint_last: bool
    numbered: frozenset[int]

    @property
    def right(self) -> bool:
        """The 版记 is on the last page, which is even, and a page of the 版记 alone (and a blank
        page before it) carries no page number."""
        unnumbered = range(self.last_body_page + 1, self.pages + 1)
        return (
            self.imprint_last
            and self.pages % 2 == 0
            and self.pages - self.last_body_page <= 2
            and not self.numbered.intersection(unnumbered)
        )

    @property
    def blank_page(self) -> bool:
        """When laid out again, a blank page goes before the 版记's: the body ends on an even page."""
        return self.last_body_page % 2 == 0


def again(docx: bytes, pdf: Path) -> bytes | None:
    """The DOCX laid out again (:func:`relaid`) when the PDF made from it has its 版记 on an
    odd page, or alone on a numbered one; None when the PDF is right, or has no 版记."""
    imprint = find(docx)
    if imprint is None:
        return None
    try:
        placed = layout(pdf, imprint)
    except pypdfium2.PdfiumError:
        return None  # not this module's to report: the PDF is written as LibreOffice made it
    if placed.right or not placed.imprint_last or placed.last_body_page == 0:
        return None
    return relaid(docx, blank_page=placed.blank_page)


def laid_right(docx: bytes, pdf: Path) -> bool:
    """The PDF made from a DOCX has its 版记 as §7.4 wants it (see :attr:`Layout.right`)."""
    imprint = find(docx)
    try:
        return imprint is not None and layout(pdf, imprint).right
    except pypdfium2.PdfiumError:
        return False


def find(docx: bytes) -> Imprint | None:
    """The 版记 of a DOCX: a floating table of the body with paragraphs in the 版记's styles
    (None when there is none, or the file cannot be read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            # A document without the 版记's styles (the letters and their print file, whose
            # main part unpacks to 140 MB for ten thousand letters) is not read any further.
            style_ids = _style_ids(archive.read(_STYLES))
            if not style_ids:
                return None
            main = archive.read(_MAIN)
            # Most documents of a packet have no floating table: not worth parsing.
            if _FLOATING not in main:
                return None
            table = _imprint_table(etree.fromstring(main), style_ids)
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    if table is None:
        return None
    texts = tuple(filter(None, (_squeezed(_text(p)) for p in table.iter(qn("w:p")))))
    return Imprint(texts) if texts else None


def layout(pdf: Path, imprint: Imprint) -> Layout:
    """Where the PDF put the 版记: the page texts read, the 版记's and the page numbers set apart."""
    document = pypdfium2.PdfDocument(pdf)  # PdfiumError for a file that is no PDF
    try:
        texts = [_page_text(document[index]) for index in range(len(document))]
    finally:
        document.close()
    if not texts:
        return Layout(0, 0, False, frozenset())
    numbered = frozenset(
        number
        for number, text in enumerate(texts, start=1)
        if any(_PAGE_NUMBER.match(line.strip()) for line in text.splitlines())
    )
    # Only the last page's 版记 is set apart: the 印发机关 may sign the body too.
    body = [_body_text(text, ()) for text in texts[:-1]] + [_body_text(texts[-1], imprint.texts)]
    last_body = max((n for n, rest in enumerate(body, start=1) if rest), default=0)
    last = _squeezed(texts[-1])
    imprint_last = all(part in last for part in imprint.texts)
    return Layout(len(texts), last_body, imprint_last, numbered)


def relaid(docx: bytes, *, blank_page: bool) -> bytes:
    """The DOCX with its 版记 in a section of its own, on a new page — after a blank one when
    ``blank_page`` — and no page number on those pages. The body's pages keep their numbers."""
    members = docxzip.read_members(docx)
    root = etree.fromstring(members[_MAIN])
    table = _imprint_table(root, _style_ids(members[_STYLES]))
    if table is None:
        raise ValueError("no 版记 table")
    final = root.find(qn("w:body")).find(qn("w:sectPr"))
    table.addprevious(_paragraph(section=copy.deepcopy(final)))
    # The first paragraph of a section carries its page style in LibreOffice: a floating table
    # there takes the style with it, and the page shows the body's footer after all.
    table.addprevious(_paragraph())
    if blank_page:
        table.addprevious(_paragraph(page_break=True))
    _without_page_numbers(final)
    members[_MAIN] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    _add_empty_footer(members)
    return docxzip.pack(members)


def _style_ids(styles_xml: bytes) -> set[str]:
    styles = etree.fromstring(styles_xml)
    return {
        style.get(qn("w:styleId"))
        for style in styles.iter(qn("w:style"))
        if style.find(qn("w:name")) is not None
        and style.find(qn("w:name")).get(qn("w:val")) in STYLE_NAMES
    }


def _imprint_table(root: etree._Element, style_ids: set[str]) -> etree._Element | None:
    """The last table of the body that floats and holds a paragraph in a 版记 style."""
    tables = root.find(qn("w:body")).findall(qn("w:tbl"))
    for table in reversed(tables):
        floats = table.find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}") is not None
        styles = {s.get(qn("w:val")) for s in table.iter(qn("w:pStyle"))}
        if floats and styles & style_ids:
            return table
    return None


def _paragraph(
    *, section: etree._Element | None = None, page_break: bool = False
) -> etree._Element:
    """A hair-thin empty paragraph (it must not push anything onto another page), ending a
    section or starting a new page."""
    paragraph = etree.Element(qn("w:p"))
    properties = etree.SubElement(paragraph, qn("w:pPr"))
    if page_break:
        etree.SubElement(properties, qn("w:pageBreakBefore"))
    spacing = etree.SubElement(properties, qn("w:spacing"))
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "20")
    spacing.set(qn("w:lineRule"), "exact")
    run = etree.SubElement(properties, qn("w:rPr"))
    etree.SubElement(run, qn("w:sz")).set(qn("w:val"), "2")
    if section is not None:
        properties.append(section)
    return paragraph


def _without_page_numbers(section: etree._Element) -> None:
    """The last section starts on a new page, numbers on from the body (no restart) and shows
    an empty footer on every page, odd or even (titlePg off, so no first-page footer either)."""
    for name in ("footerReference", "type", "titlePg"):
        for child in section.findall(qn(f"w:{name}")):
            section.remove(child)
    numbering = section.find(qn("w:pgNumType"))
    if numbering is not None and numbering.get(qn("w:start")) is not None:
        del numbering.attrib[qn("w:start")]
    for kind in ("even", "default"):
        # headerReference/footerReference come first in w:sectPr, in any order among themselves.
        reference = etree.Element(qn("w:footerReference"))
        reference.set(qn("w:type"), kind)
        reference.set(f"{{{_R}}}id", _FOOTER_ID)
        section.insert(0, reference)


def _add_empty_footer(members: dict[str, bytes]) -> None:
    number = 1
    while f"word/footer{number}.xml" in members:
        number += 1
    name = f"footer{number}.xml"
    members[f"word/{name}"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{_W}"><w:p/></w:ftr>'
    ).encode()
    members[_RELS] = members[_RELS].replace(
        b"</Relationships>",
        f'<Relationship Id="{_FOOTER_ID}" Type="{_FOOTER_TYPE}" Target="{name}"/>'
        "</Relationships>".encode(),
    )
    members[_TYPES] = members[_TYPES].replace(
        b"</Types>",
        f'<Override PartName="/word/{name}" ContentType="{_FOOTER_CONTENT}"/></Types>'.encode(),
    )


def _page_text(page: pypdfium2.PdfPage) -> str:
    text_page = page.get_textpage()
    try:
        return text_page.get_text_range()
    finally:
        text_page.close()
        page.close()


def _body_text(text: str, imprint: tuple[str, ...]) -> str:
    """What is on a page besides its page number and the 版记's ``imprint`` texts, without
    white space."""
    lines = [line for line in text.splitlines() if not _PAGE_NUMBER.match(line.strip())]
    rest = _squeezed("".join(lines))
    for part in imprint:
        rest = rest.replace(part, "", 1)
    return rest


def _text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)
