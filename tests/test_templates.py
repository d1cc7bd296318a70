"""The built-in templates: what the script makes, in the GB/T 9704 page setup and styles."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from huiwu import gbt9704
from huiwu.render import docxzip
from huiwu.templatekit import build
from huiwu.templatekit.layouts import TEMPLATES
from huiwu.templates import BUILTIN_DIR

STEMS = sorted(TEMPLATES)


@pytest.mark.parametrize("stem", STEMS)
def test_committed_template_is_what_the_script_makes(stem):
    committed = docxzip.read_members((BUILTIN_DIR / f"{stem}.docx").read_bytes())
    regenerated = docxzip.read_members(build(stem))
    assert committed.keys() == regenerated.keys()
    for name in committed:
        assert committed[name] == regenerated[name], (
            f"{stem}.docx:{name} is stale: run python -m huiwu.templatekit"
        )


def test_template_bytes_are_deterministic():
    assert build("notice") == build("notice")


def _fonts(style) -> dict[str, str]:
    fonts = style.element.rPr.find(qn("w:rFonts"))
    return {slot: fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "eastAsia", "hAnsi")}


@pytest.mark.parametrize(
    ("style_name", "font", "size"),
    [
        ("公文标题", "方正小标宋简体", 22),
        ("一级标题字符", "黑体", None),
        ("二级标题字符", "楷体_GB2312", None),
        ("三级标题字符", "仿宋_GB2312", None),
        ("四级标题字符", "仿宋_GB2312", None),
        ("一级标题", "黑体", None),
        ("二级标题", "楷体_GB2312", None),
        ("副标题", "楷体_GB2312", 16),
        ("页码", "宋体", 14),
    ],
)
def test_styles_set_east_asian_fonts_and_sizes(style_name, font, size):
    styles = docx.Document(str(BUILTIN_DIR / "notice.docx")).styles
    style = styles[style_name]
    assert _fonts(style) == {"ascii": font, "eastAsia": font, "hAnsi": font}
    if size is not None:
        assert style.font.size == Pt(size)


def test_body_text_grid_settings():
    document = docx.Document(str(BUILTIN_DIR / "notice.docx"))
    normal = document.styles["Normal"]
    assert _fonts(normal)["eastAsia"] == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    spacing = normal.element.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact")
    assert normal.element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    body = document.styles["公文正文"].element.pPr.find(qn("w:ind"))
    assert body.get(qn("w:firstLine")) == "640"
    for level in ("一级标题", "二级标题", "三级标题", "四级标题"):
        indent = document.styles[level].element.pPr.find(qn("w:ind"))
        assert indent.get(qn("w:firstLine")) == "640", level
    assert document.styles["公文标题"].element.rPr.find(qn("w:spacing")).get(qn("w:val")) == "0"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


FIGURES = {"seating_chart", "name_cards"}
"""Drawn on landscape sheets with no page numbers: a chart and cards are not read page by page."""

UNNUMBERED = {"volume", *FIGURES}
"""Templates printed without page numbers (the 汇编's cover and contents, the figures)."""


@pytest.mark.parametrize("stem", sorted(set(STEMS) - FIGURES))
def test_page_setup(stem):
    section = docx.Document(str(BUILTIN_DIR / f"{stem}.docx")).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.top_margin.twips == gbt9704.MARGIN_TOP == 2098
    assert section.bottom_margin.twips == gbt9704.MARGIN_BOTTOM == 1984
    assert section.left_margin.twips == gbt9704.MARGIN_LEFT == 1587
    assert section.right_margin.twips == gbt9704.MARGIN_RIGHT == 1474


def test_unnumbered_templates_have_no_footer():
    for stem in UNNUMBERED:
        section = docx.Document(str(BUILTIN_DIR / f"{stem}.docx")).sections[0]
        assert not section._sectPr.findall(qn("w:footerReference")), stem


@pytest.mark.parametrize("stem", sorted(set(STEMS) - UNNUMBERED))
def test_page_number_footers(stem):
    document = docx.Document(str(BUILTIN_DIR / f"{stem}.docx"))
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for paragraph, side in ((odd, "right"), (even, "left")):
        xml = paragraph._p.xml
        assert "PAGE" in xml and "— " in paragraph.text and " —" in paragraph.text
        assert paragraph._p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert paragraph._p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "280"
        assert paragraph.style.name == "页码"


@pytest.mark.parametrize("stem", sorted(FIGURES))
def test_figures_are_landscape(stem):
    section = docx.Document(str(BUILTIN_DIR / f"{stem}.docx")).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (16838, 11906)


def test_minutes_styles_follow_section_10_3():
    styles = docx.Document(str(BUILTIN_DIR / "minutes.docx")).styles
    banner = styles["纪要标志"]
    assert _fonts(banner)["eastAsia"] == "方正小标宋简体"
    assert banner.font.color.rgb == RGBColor(0xFF, 0x00, 0x00)
    assert banner.element.pPr.find(qn("w:spacing")).get(qn("w:before")) == "1984", "35 mm"
    masthead = styles["纪要版头"].element.pPr
    rule = masthead.find(f"{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule.get(qn("w:color")) == "FF0000"
    attendance = styles["出席名单"].element.pPr.find(qn("w:ind"))
    # 左空二字, then the names hang three characters in, after 出席：
    assert (attendance.get(qn("w:left")), attendance.get(qn("w:hanging"))) == ("1600", "960")
    assert _fonts(styles["出席标识"])["eastAsia"] == "黑体"
