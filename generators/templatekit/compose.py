"""Helpers that write docxtpl template constructs into a python-docx document.

A template is ordinary paragraphs in huiwu's styles whose text holds docxtpl tags: ``{{ x }}``
for a value, ``{%p … %}`` paragraphs that docxtpl removes after using them for control flow, and
``{%tr … %}`` table rows likewise. Users see exactly these paragraphs when they open the template
in Word or WPS, and can restyle them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Twips
from huiwu import gbt9704 as g
from huiwu.documents.blocks import BLOCK_STYLES
from huiwu.templatekit.skeleton import FirstPage, skeleton_docx
from huiwu.templatekit.styles import BLOCK_STYLE_NAMES, LEAD_CHAR_STYLES, StyleSpec


def new_document(
    *,
    extra_styles: tuple[StyleSpec, ...] = (),
    landscape: bool = False,
    page_numbers: bool = True,
    first_page: FirstPage | None = None,
) -> Document:
    """An empty python-docx document on huiwu's skeleton."""
    data = skeleton_docx(
        extra_styles=extra_styles,
        landscape=landscape,
        page_numbers=page_numbers,
        first_page=first_page,
    )
    return docx.Document(io.BytesIO(data))


def para(doc: Document, text: str = "", style: str = "顶格正文") -> None:
    """One paragraph in a named style."""
    doc.add_paragraph(text, style=style)


def control(doc: Document, statement: str) -> None:
    """A ``{%p … %}`` paragraph: docxtpl runs the statement and drops the paragraph."""
    doc.add_paragraph(f"{{%p {statement} %}}", style="顶格正文")


def two_columns(doc: Document, left: str, right: str, style: str) -> None:
    """A paragraph ``{{ left }}`` ⇥ ``{{ right }}``: two columns by the style's tab stop."""
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run(f"{{{{ {left} }}}}")
    paragraph.add_run().add_tab()
    paragraph.add_run(f"{{{{ {right} }}}}")


def lines(doc: Document, variable: str, style: str) -> None:
    """One paragraph in ``style`` for each string of the list ``variable``."""
    control(doc, f"for line in {variable}")
    para(doc, "{{ line }}", style)
    control(doc, "endfor")


def blocks(doc: Document, variable: str = "body", *, tables: bool = False) -> None:
    """The body computed from the definition: one loop over its paragraphs (段), with one
    example paragraph per paragraph style (see huiwu.documents.blocks) — restyle those to
    restyle every paragraph of that kind. ``tables``: the body may hold tables of one row per
    unit (work reports, speeches), with their title, a 序号 and 单位 column, and the area's row."""
    control(doc, f"for 段 in {variable}")
    # Read the style once per block: the sandbox makes every attribute lookup cost, and the
    # chain below would otherwise look it up once per style (half the render time of a letter).
    control(doc, "set 样式 = 段.style")
    for index, style in enumerate(BLOCK_STYLES):
        keyword = "if" if index == 0 else "elif"
        control(doc, f'{keyword} 样式 == "{style}"')
        if style.startswith("lead"):
            paragraph = doc.add_paragraph(style="公文正文")
            paragraph.add_run("{{ 段.head }}", style=LEAD_CHAR_STYLES[int(style[-1])])
            paragraph.add_run("{{ 段.text }}")
        elif style == "blank":
            para(doc, "", BLOCK_STYLE_NAMES[style])
        elif style == "table":
            if tables:
                _unit_table(doc)
        else:
            para(doc, "{{ 段.text }}", BLOCK_STYLE_NAMES[style])
    control(doc, "endif")
    control(doc, "endfor")


def _unit_table(doc: Document) -> None:
    lines(doc, "段.table.title_lines", "居中正文")
    table(
        doc,
        ("序号", "单位", "{%tc for 列 in 段.table.columns %}", "{{ 列 }}", "{%tc endfor %}"),
        (
            "{{ 行.no }}",
            "{{ 行.unit }}",
            "{%tc for 值 in 行.cells %}",
            "{{ 值 }}",
            "{%tc endfor %}",
        ),
        None,
        loop="行 in 段.table.rows",
        row_height=500,
        footer=(
            "",
            "{{ 段.table.total.unit }}",
            "{%tc for 值 in 段.table.total.cells %}",
            "{{ 值 }}",
            "{%tc endfor %}",
        ),
    )


def landscape_section(doc: Document) -> None:
    """Start a new page in landscape, for wide attachment tables; page numbers continue."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    # The first page's own header and footer (a letterhead) belong to the first section only.
    section.different_first_page_header_footer = False
    for reference in section._sectPr.xpath("w:headerReference|w:footerReference"):
        if reference.get(qn("w:type")) == "first":
            section._sectPr.remove(reference)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(g.PAGE_HEIGHT), Twips(g.PAGE_WIDTH)
    # The portrait margins turned with the page: the binding edge (订口) stays at the top.
    section.top_margin = Twips(g.MARGIN_LEFT)
    section.bottom_margin = Twips(g.MARGIN_RIGHT)
    section.left_margin = Twips(g.MARGIN_TOP)
    section.right_margin = Twips(g.MARGIN_BOTTOM)


def table(
    doc: Document,
    headers: Sequence[str],
    cells: Sequence[str],
    widths: Sequence[int] | None,
    *,
    loop: str,
    row_height: int,
    footer: Sequence[str] = (),
) -> None:
    """A bordered table: a header row repeated on every page, then one row per loop item,
    then an optional footer row (e.g. the area's totals).

    ``loop`` is the ``for`` clause (``r in rows``); ``cells`` are the per-row cell texts.
    ``widths`` fixes the column widths (twips); None spreads the table over the full width and
    lets the columns fit their content, for tables whose columns come from a loop.
    """
    grid = doc.add_table(rows=5 if footer else 4, cols=len(headers))
    grid.style = doc.styles["Table Grid"]
    if widths is None:
        _full_width(grid)
    else:
        _fixed_widths(grid, widths)
    header, start, template, end = grid.rows[:4]
    _repeat_header(header)
    if footer:
        for cell, text in zip(grid.rows[4].cells, footer, strict=True):
            _cell_text(cell, text, "表格文字")
    for cell, text in zip(header.cells, headers, strict=True):
        _cell_text(cell, text, "表格标题行")
    _cell_text(start.cells[0], f"{{%tr for {loop} %}}", "表格文字")
    for cell, text in zip(template.cells, cells, strict=True):
        _cell_text(cell, text, "表格文字")
    _cell_text(end.cells[0], "{%tr endfor %}", "表格文字")
    # At least the given height, never exactly: a cell with two lines of text (预否决、黄牌警告)
    # must grow rather than lose its second line.
    for row in (header, template, *grid.rows[4:]):
        row.height = Twips(row_height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _full_width(grid) -> None:
    grid.autofit = True
    width = grid._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")


def _fixed_widths(grid, widths: Sequence[int]) -> None:
    grid.autofit = False
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Twips(width)
        for cell in column.cells:
            cell.width = Twips(width)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _cell_text(cell, text: str, style: str) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)
