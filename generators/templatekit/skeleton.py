"""A minimal, deterministic DOCX package in the GB/T 9704 page setup.

python-docx cannot start from nothing: its ``Document()`` loads a Word 2010 sample carrying a
thumbnail, a Japanese theme language and 300 KB of styles. Templates start from this skeleton
instead — A4, the standard margins, odd/even page-number footers, the huiwu styles — and
python-docx then adds their content.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from huiwu import gbt9704 as g
from huiwu.templatekit.styles import W_NS, StyleSpec, styles_xml

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def skeleton_docx(
    *,
    extra_styles: tuple[StyleSpec, ...] = (),
    landscape: bool = False,
    page_numbers: bool = True,
    first_page: FirstPage | None = None,
) -> bytes:
    """The bytes of an empty document with huiwu's page setup and styles; ``first_page`` gives
    the first page a header and footer of its own (the 信函格式 letterhead)."""
    first = first_page is not None
    parts = {
        "[Content_Types].xml": _content_types(page_numbers, first),
        "_rels/.rels": _package_rels(),
        "docProps/core.xml": _core(),
        "docProps/app.xml": _app(),
        "word/document.xml": _document(landscape, page_numbers, first),
        "word/styles.xml": styles_xml(extra_styles),
        "word/settings.xml": _settings(page_numbers),
        "word/fontTable.xml": _font_table(),
        "word/theme/theme1.xml": _theme(),
        "word/_rels/document.xml.rels": _document_rels(page_numbers, first),
    }
    if page_numbers:
        lift = LETTER_NUMBER_LIFT if first else 0
        parts["word/footer1.xml"] = _footer("right", lift)
        parts["word/footer2.xml"] = _footer("left", lift)
    if first_page is not None:
        parts["word/header1.xml"] = _part("hdr", first_page.header)
        parts["word/footer3.xml"] = _part("ftr", first_page.footer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), text.encode("utf-8"))
    return buffer.getvalue()


@dataclass(frozen=True)
class FirstPage:
    """The paragraphs (``w:p`` elements as XML text) of the first page's header and footer."""

    header: str
    footer: str


def _part(kind: str, paragraphs: str) -> str:
    return f'{_XML_HEAD}<w:{kind} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{paragraphs}</w:{kind}>'


def _content_types(page_numbers: bool, first: bool = False) -> str:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = {
        "/word/document.xml": f"{main}.document.main+xml",
        "/word/styles.xml": f"{main}.styles+xml",
        "/word/settings.xml": f"{main}.settings+xml",
        "/word/fontTable.xml": f"{main}.fontTable+xml",
        "/word/theme/theme1.xml": "application/vnd.openxmlformats-officedocument.theme+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    if page_numbers:
        overrides["/word/footer1.xml"] = f"{main}.footer+xml"
        overrides["/word/footer2.xml"] = f"{main}.footer+xml"
    if first:
        overrides["/word/header1.xml"] = f"{main}.header+xml"
        overrides["/word/footer3.xml"] = f"{main}.footer+xml"
    items = "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides.items()
    )
    return (
        f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f"{items}</Types>"
    )


def _package_rels() -> str:
    return (
        f'{_XML_HEAD}<Relationships xmlns="{PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{REL_TYPE}officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{REL_TYPE}extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )


def _core() -> str:
    # No created/modified dates: the same input must give the same bytes. docxtpl renders the
    # title, so each document gets its own.
    return (
        f"{_XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<dc:title>{{ doc_title }}</dc:title><dc:creator>huiwu</dc:creator>"
        "</cp:coreProperties>"
    )


def _app() -> str:
    return (
        f"{_XML_HEAD}<Properties "
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>huiwu</Application></Properties>"
    )


def _document(landscape: bool, page_numbers: bool, first: bool = False) -> str:
    properties = section_properties(landscape=landscape, page_numbers=page_numbers, first=first)
    return (
        f'{_XML_HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>'
        f"{properties}</w:body></w:document>"
    )


def section_properties(
    *, landscape: bool = False, page_numbers: bool = True, first: bool = False
) -> str:
    """The ``w:sectPr`` of a GB/T 9704 page (A4 portrait, or landscape for tables and cards);
    ``first``: the first page has a header and footer of its own."""
    refs = (
        '<w:footerReference w:type="default" r:id="rIdFooterOdd"/>'
        '<w:footerReference w:type="even" r:id="rIdFooterEven"/>'
        if page_numbers
        else ""
    )
    if first:
        refs += (
            '<w:headerReference w:type="first" r:id="rIdHeaderFirst"/>'
            '<w:footerReference w:type="first" r:id="rIdFooterFirst"/>'
        )
    # With a letterhead the footer starts 20 mm from the foot of the page, where §10.1 puts the
    # second red rule; the page numbers are lifted back to their place (LETTER_NUMBER_LIFT).
    footer = g.LETTER_FOOTER_DISTANCE if first else g.FOOTER_DISTANCE
    if landscape:
        size = f'<w:pgSz w:w="{g.PAGE_HEIGHT}" w:h="{g.PAGE_WIDTH}" w:orient="landscape"/>'
        margins = (
            f'<w:pgMar w:top="{g.MARGIN_LEFT}" w:right="{g.MARGIN_TOP}" '
            f'w:bottom="{g.MARGIN_RIGHT}" w:left="{g.MARGIN_BOTTOM}" '
            f'w:header="{g.HEADER_DISTANCE}" w:footer="{g.HEADER_DISTANCE}" w:gutter="0"/>'
        )
    else:
        size = f'<w:pgSz w:w="{g.PAGE_WIDTH}" w:h="{g.PAGE_HEIGHT}"/>'
        margins = (
            f'<w:pgMar w:top="{g.MARGIN_TOP}" w:right="{g.MARGIN_RIGHT}" '
            f'w:bottom="{g.MARGIN_BOTTOM}" w:left="{g.MARGIN_LEFT}" '
            f'w:header="{g.HEADER_DISTANCE}" w:footer="{footer}" w:gutter="0"/>'
        )
    title_page = "<w:titlePg/>" if first else ""
    return f'<w:sectPr>{refs}{size}{margins}<w:cols w:space="425"/>{title_page}</w:sectPr>'


def _settings(page_numbers: bool) -> str:
    even_odd = "<w:evenAndOddHeaders/>" if page_numbers else ""
    return (
        f'{_XML_HEAD}<w:settings xmlns:w="{W_NS}">'
        f'<w:defaultTabStop w:val="420"/>{even_odd}'
        # Compressing punctuation would break the 28-characters-a-line grid.
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        # A line that ends in a manual break (before a unit moved whole to the next line, see
        # huiwu.text.typeset.keep_units_together) is not stretched: Word and LibreOffice both.
        '<w:compat><w:doNotExpandShiftReturn/><w:useFELayout/><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def _font_table() -> str:
    fonts = [g.FONT_TITLE, g.FONT_BODY, g.FONT_HEI, g.FONT_KAI, g.FONT_SONG]
    items = ""
    for name in fonts:
        alt = g.FONT_ALT_NAMES.get(name)
        alt_xml = f"<w:altName w:val={quoteattr(alt)}/>" if alt else ""
        family = g.FONT_FAMILIES.get(name, "roman")
        items += (
            f'<w:font w:name={quoteattr(name)}>{alt_xml}<w:charset w:val="86"/>'
            f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return f'{_XML_HEAD}<w:fonts xmlns:w="{W_NS}">{items}</w:fonts>'


def _theme() -> str:
    """The smallest theme the schema accepts. Word writes one into every document and the
    Open XML validators require it; its fonts are the body and heading faces, so that text set
    in a theme font (e.g. pasted from elsewhere) still comes out in 仿宋 and 黑体."""
    colors = "".join(
        f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>'
        for name, value in (
            ("dk1", "000000"),
            ("lt1", "FFFFFF"),
            ("dk2", "1F1F1F"),
            ("lt2", "EEEEEE"),
            ("accent1", "C00000"),
            ("accent2", "1F4E79"),
            ("accent3", "548235"),
            ("accent4", "BF8F00"),
            ("accent5", "7030A0"),
            ("accent6", "2E75B6"),
            ("hlink", "0563C1"),
            ("folHlink", "954F72"),
        )
    )

    def font(face: str) -> str:
        quoted = quoteattr(face)
        return f"<a:latin typeface={quoted}/><a:ea typeface={quoted}/><a:cs typeface={quoted}/>"

    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{solid}</a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (
        f'{_XML_HEAD}<a:theme xmlns:a="{A_NS}" name="huiwu"><a:themeElements>'
        f'<a:clrScheme name="huiwu">{colors}</a:clrScheme>'
        f'<a:fontScheme name="huiwu"><a:majorFont>{font(g.FONT_HEI)}</a:majorFont>'
        f"<a:minorFont>{font(g.FONT_BODY)}</a:minorFont></a:fontScheme>"
        f'<a:fmtScheme name="huiwu"><a:fillStyleLst>{solid * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        f"<a:effectStyleLst>{effect * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst></a:fmtScheme>"
        "</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )


def _document_rels(page_numbers: bool, first: bool = False) -> str:
    rels = [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdFontTable", "fontTable", "fontTable.xml"),
        ("rIdTheme", "theme", "theme/theme1.xml"),
    ]
    if page_numbers:
        rels += [
            ("rIdFooterOdd", "footer", "footer1.xml"),
            ("rIdFooterEven", "footer", "footer2.xml"),
        ]
    if first:
        rels += [
            ("rIdHeaderFirst", "header", "header1.xml"),
            ("rIdFooterFirst", "footer", "footer3.xml"),
        ]
    items = "".join(
        f'<Relationship Id="{rid}" Type="{REL_TYPE}{kind}" Target="{target}"/>'
        for rid, kind, target in rels
    )
    return f'{_XML_HEAD}<Relationships xmlns="{PKG_REL_NS}">{items}</Relationships>'


def _footer(side: str, lift: int = 0) -> str:
    """A page-number footer ``— N —``, one character in from the ``side`` edge (§7.5)."""
    return _part("ftr", page_number_paragraph(side, lift))


LETTER_NUMBER_LIFT = g.FOOTER_DISTANCE - g.LETTER_FOOTER_DISTANCE
"""Twips the page numbers stand above a letterhead document's lower footer."""


def page_number_paragraph(side: str, lift: int = 0) -> str:
    """The paragraph ``— N —``, one character in from the ``side`` edge of the block, ``lift``
    twips above the footer's bottom."""
    indent = f'w:{side}="{g.PAGE_NUMBER_INSET}"'
    spacing = f'<w:spacing w:after="{lift}"/>' if lift else ""
    return (
        f'<w:p><w:pPr><w:pStyle w:val="GwPageNumber"/>{spacing}<w:ind {indent}/>'
        f'<w:jc w:val="{side}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    )
