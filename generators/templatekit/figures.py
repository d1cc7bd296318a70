"""Template parts that are drawn rather than typeset: the seating grid and the name card.

Both stay ordinary DOCX content with docxtpl tags in their text (and, for the card's WordArt,
in the shape's size), so users can still restyle them in Word or WPS.

The seating grid is one borderless table. Its first, hair-thin row repeats an empty cell once per
grid column (``ruler``) so that docxtpl, which re-derives the table grid from the widest row after
rendering, spreads the columns evenly over the full width. Every seat then spans two columns and
rows are centred by empty cells spanning the rest — so a row of 7 and a row of 8 share one centre
line, and the ``一号居中`` variant can put seat 1 on it.

Name cards print the name twice on a landscape A4 sheet folded along its long middle: the upper
half turned by 180° so that each face reads upright once folded. A Word text box rotated with
``a:xfrm rot="10800000"`` shows upright text in LibreOffice 7.4 (it turns the box, not its text),
so the name is a VML WordArt (text on a path), which Word, WPS and LibreOffice all rotate. WordArt
stretches its text to the shape, so the context gives each name the shape's width.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from docx.table import Table, _Cell, _Row
from huiwu import gbt9704 as g
from huiwu.templatekit.skeleton import LETTER_NUMBER_LIFT, FirstPage, page_number_paragraph
from huiwu.templatekit.styles import MARK_POINTS, mark_drop, style_id
from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_VML = 'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'

# Template cells of a seat row: for, if, the seat, else, the space, endif, endfor. The ruler and
# label rows span them.
_SEAT_ROW_CELLS = 7


SEAT_SIZES: tuple[str, ...] = ("大", "中", "小")
"""Name sizes of the seating chart: few seats across get names read from the back of the hall."""


def seat_grid(doc: Document, width: int, row_heights: dict[bool, int]) -> None:
    """The seating grid: per rostrum row (back row first) an optional label, then the seats.

    Context: ``columns`` (grid columns), ``ruler`` (a list of that length), ``size`` (大, 中
    or 小: the names' size, by how many seats are across), ``tall`` (few rows: boxes fill the
    page), and ``rows``, each with ``label`` and ``slots``; a slot has ``span`` and, for a seat,
    ``seat`` true, ``name``, ``title`` (lines) and ``host``. ``row_heights`` maps ``tall`` to the
    seat rows' least height in twips.
    """
    grid = doc.add_table(rows=6, cols=_SEAT_ROW_CELLS)
    _full_width(grid, width)
    ruler, start, label, tall, regular, end = grid.rows[:6]
    _ruler_row(ruler)
    _control_row(start, "{%tr for row in rows %}")
    _label_row(label)
    _seat_row(tall, row_heights[True])
    _seat_row(regular, row_heights[False])
    # A tall row for charts of one or two rows, so that the chart fills its page.
    tall._tr.addprevious(_tag_row("{%tr if tall %}"))
    tall._tr.addnext(_tag_row("{%tr else %}"))
    regular._tr.addnext(_tag_row("{%tr endif %}"))
    _control_row(end, "{%tr endfor %}")


def _full_width(grid: Table, width: int) -> None:
    grid.autofit = False
    table_pr = grid._tbl.tblPr
    table_width = table_pr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "pct")
    table_width.set(qn("w:w"), "5000")
    # Half a millimetre each side, so that a name fits a box 1/14 of the page wide.
    margins = "".join(
        f'<w:{side} w:w="{g.SEAT_BOX_MARGIN}" w:type="dxa"/>' for side in ("left", "right")
    )
    cell_margins = parse_xml(f'<w:tblCellMar xmlns:w="{_W}">{margins}</w:tblCellMar>')
    insert_in_schema_order(table_pr, cell_margins)
    for column in grid.columns:
        column.width = Twips(width // _SEAT_ROW_CELLS)
    for cell in grid._cells:
        _drop_width(cell)


def _drop_width(cell: _Cell) -> None:
    """Let the grid, not a per-cell preferred width, size the cell once columns multiply."""
    tc_pr = cell._tc.get_or_add_tcPr()
    width = tc_pr.find(qn("w:tcW"))
    if width is not None:
        tc_pr.remove(width)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _ruler_row(row: _Row) -> None:
    first, middle, last = _merge(row, 1, _SEAT_ROW_CELLS - 1)
    first.paragraphs[0].text = "{%tc for _ in ruler %}"
    middle.paragraphs[0].text = "{% colspan 1 %}"
    middle.paragraphs[0].style = "座次标尺"
    last.paragraphs[0].text = "{%tc endfor %}"
    row.height = Twips(20)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY


def _merge(row: _Row, start: int, stop: int) -> list[_Cell]:
    """The row's cells with those from ``start`` to ``stop`` (exclusive) merged into one."""
    cells = list(row.cells)
    merged = cells[start].merge(cells[stop - 1])
    for paragraph in merged.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    return [*cells[:start], merged, *cells[stop:]]


def _control_row(row: _Row, tag: str) -> None:
    row.cells[0].paragraphs[0].text = tag


def _label_row(row: _Row) -> None:
    (label,) = _merge(row, 0, _SEAT_ROW_CELLS)
    paragraph = label.paragraphs[0]
    paragraph.style = "座次排号"
    paragraph.text = "{% colspan columns %}{{ row.label }}"
    # The label row only appears when there is more than one row to tell apart.
    row._tr.addprevious(_tag_row("{%tr if row.label %}"))
    row._tr.addnext(_tag_row("{%tr endif %}"))


def _tag_row(tag: str):
    return parse_xml(
        f'<w:tr xmlns:w="{_W}"><w:tc><w:tcPr><w:gridSpan w:val="{_SEAT_ROW_CELLS}"/></w:tcPr>'
        f"<w:p><w:r><w:t>{tag}</w:t></w:r></w:p></w:tc></w:tr>"
    )


def _seat_row(row: _Row, height: int) -> None:
    loop, if_seat, seat, otherwise, space, end_if, end_loop = row.cells
    loop.paragraphs[0].text = "{%tc for slot in row.slots %}"
    if_seat.paragraphs[0].text = "{%tc if slot.seat %}"
    otherwise.paragraphs[0].text = "{%tc else %}"
    end_if.paragraphs[0].text = "{%tc endif %}"
    end_loop.paragraphs[0].text = "{%tc endfor %}"
    _box(seat)
    seat.paragraphs[0].text = "{% colspan slot.span %}{%p for line in slot.title %}"
    seat.add_paragraph("{{ line }}", style="座次职务")
    seat.add_paragraph("{%p endfor %}")
    for index, size in enumerate(SEAT_SIZES):
        seat.add_paragraph(f'{{%p {"if" if index == 0 else "elif"} size == "{size}" %}}')
        seat.add_paragraph("{{ slot.name }}", style=f"座次座位（{size}）")
    seat.add_paragraph("{%p endif %}")
    seat.add_paragraph("{%p if slot.host %}")
    seat.add_paragraph("{{ slot.host }}", style="座次主持")
    seat.add_paragraph("{%p endif %}")
    space.paragraphs[0].text = "{% colspan slot.span %}"
    row.height = Twips(height)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _box(cell: _Cell) -> None:
    """Rule all four sides of a seat's cell: the cells around it have none."""
    sides = "".join(
        f'<w:{side} w:val="single" w:sz="8" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right")
    )
    borders = parse_xml(f'<w:tcBorders xmlns:w="{_W}">{sides}</w:tcBorders>')
    tc_pr = cell._tc.get_or_add_tcPr()
    tc_pr.insert(0, borders)


def name_card(doc: Document) -> None:
    """One card: a paragraph anchoring two WordArt names, the upper one turned by 180°.

    Context per card (``card``, in a loop): ``name``, and in millimetres ``left``, ``width``,
    ``height``, ``upper`` and ``lower`` (the tops of the two names, from the page top).
    """
    _default_east_asian_font(doc, g.FONT_HEI)
    paragraph = doc.add_paragraph(style="桌签")
    paragraph.add_run("{%r if loop.first %}")
    paragraph._p.append(_vml_run(_SHAPETYPE))
    paragraph.add_run("{%r endif %}")
    paragraph._p.append(_vml_run(_wordart("card.upper", "Upper", turned=True)))
    paragraph._p.append(_vml_run(_wordart("card.lower", "Lower", turned=False)))


def _default_east_asian_font(doc: Document, font: str) -> None:
    """LibreOffice sets WordArt's Chinese glyphs in the document's default East Asian font,
    ignoring the WordArt's own; Word and WPS use the WordArt's. Make both the same face."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    fonts.set(qn("w:eastAsia"), font)


def _vml_run(content: str):
    return parse_xml(f'<w:r xmlns:w="{_W}"><w:pict {_VML}>{content}</w:pict></w:r>')


def _wordart(top: str, which: str, *, turned: bool) -> str:
    rotation = "rotation:180;" if turned else ""
    return (
        f'<v:shape id="NameCard{which}{{{{ loop.index }}}}" type="#_x0000_t136" '
        'style="position:absolute;margin-left:{{ card.left }}mm;'
        f"margin-top:{{{{ {top} }}}}mm;width:{{{{ card.width }}}}mm;height:{{{{ card.height }}}}mm;"
        f"{rotation}mso-position-horizontal-relative:page;mso-position-vertical-relative:page;"
        'z-index:1" fillcolor="black" stroked="f">'
        f'<v:textpath style="font-family:{g.FONT_HEI};font-size:{g.SIZE_NAME_CARD:g}pt;'
        'v-text-kern:t" trim="t" fitpath="t" string="{{ card.name }}"/></v:shape>'
    )


# The WordArt preset "plain text" (Word's o:spt 136), as Word itself writes it.
_SHAPETYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/>'
    '<v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/>'
    '<v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/>'
    '<v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def imprint(doc: Document, *, letter: bool = False) -> None:
    """The 版记: 抄送 (when there is any) over 印发机关 and 印发日期, between full-width rules;
    for the 信函格式 (``letter``) the 抄送 alone, without rules (§10.1).

    It is a table floating on the bottom edge of the text block, so that it sits at the foot of
    the page its anchor is on, below the last text or attachment: Word, WPS and LibreOffice all
    place such a table, where a framed paragraph at the foot of the page is ignored by
    LibreOffice. The rules are the table's borders: first and last 0.35 mm, middle 0.25 mm.
    Context: ``版记`` with ``抄送``, ``印发机关``, ``印发日期``.
    """
    grid = doc.add_table(rows=3 if letter else 4, cols=2)
    grid.autofit = False
    for column in grid.columns:
        column.width = Twips(g.TEXT_WIDTH // 2)
    for cell in grid._cells:
        _drop_width(cell)
    # As wide as the text block of its page, portrait or landscape.
    table_width = grid._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "pct")
    table_width.set(qn("w:w"), "5000")
    start, copy_to, end = grid.rows[:3]
    (start_cell,) = _merge(start, 0, 2)
    start_cell.paragraphs[0].text = "{%tr if 版记.抄送 %}"
    (copy_cell,) = _merge(copy_to, 0, 2)
    copy_cell.paragraphs[0].style = "抄送"
    copy_cell.paragraphs[0].add_run("抄送：")
    copy_cell.paragraphs[0].add_run("{{ 版记.抄送 }}")
    (end_cell,) = _merge(end, 0, 2)
    end_cell.paragraphs[0].text = "{%tr endif %}"
    if not letter:
        printer, printed_on = grid.rows[3].cells
        printer.paragraphs[0].style = "印发机关"
        printer.paragraphs[0].add_run("{{ 版记.印发机关 }}")
        printed_on.paragraphs[0].style = "印发日期"
        printed_on.paragraphs[0].add_run("{{ 版记.印发日期 }}印发")
    _float_at_foot(grid, ruled=not letter)


def _float_at_foot(grid: Table, *, ruled: bool) -> None:
    # Centred on the page, not the margins (1 mm apart): LibreOffice floats a table as wide as
    # the text block only when its horizontal position is relative to the page.
    table_pr = grid._tbl.tblPr
    position = parse_xml(
        f'<w:tblpPr xmlns:w="{_W}" w:leftFromText="0" w:rightFromText="0" '
        'w:vertAnchor="margin" w:tblpYSpec="bottom" w:horzAnchor="page" w:tblpXSpec="center"/>'
    )
    # Schema order; no vertical lines, and no rules at all for the 信函格式.
    sizes = {"top": 8, "bottom": 8, "insideH": 6} if ruled else {}
    rules = "".join(
        f'<w:{side} w:val="single" w:sz="{sizes[side]}" w:space="0" w:color="000000"/>'
        if side in sizes
        else f'<w:{side} w:val="nil"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    borders = parse_xml(f'<w:tblBorders xmlns:w="{_W}">{rules}</w:tblBorders>')
    margins = parse_xml(
        f'<w:tblCellMar xmlns:w="{_W}"><w:left w:w="0" w:type="dxa"/>'
        '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
    )
    for element in (position, borders, margins):
        insert_in_schema_order(table_pr, element)


_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)
"""The children of w:tblPr in the order ECMA-376 requires."""


def insert_in_schema_order(table_pr, element) -> None:
    """Add ``element`` to a ``w:tblPr`` where the schema wants it (Word rejects other orders)."""
    name = etree.QName(element).localname
    later = set(_TBLPR_ORDER[_TBLPR_ORDER.index(name) + 1 :])
    for child in table_pr:
        if etree.QName(child).localname in later:
            child.addprevious(element)
            return
    table_pr.append(element)


_LETTER = '版头 and 版头.格式 == "信函"'


def letterhead(mark_styles: dict[str, str]) -> FirstPage:
    """The 信函格式 first page (§10.1): in its header the issuer's mark, its top 30 mm from the
    top of the page, and a red double rule 170 mm long 4 mm under it; in its footer the second
    rule instead of the page number. Other documents show the page number there as usual.

    ``mark_styles`` maps the mark's size to its paragraph style (see ``styles.MARK_STYLES``).
    """
    # The header starts at HEADER_DISTANCE; the glyphs' top is a little under the line's top.
    top = g.LETTER_MARK_TOP - g.HEADER_DISTANCE
    marks = []
    for index, (size, style) in enumerate(mark_styles.items()):
        points = MARK_POINTS[size]
        before = top - mark_drop(points)
        keyword = "if" if index == 0 else "elif"
        marks.append(_tag_paragraph(f'{{%p {keyword} 版头.字号 == "{size}" %}}'))
        marks.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style_id(style)}"/><w:spacing w:before="{before}"/>'
            "</w:pPr><w:r><w:t>{{ 行.名称 }}</w:t></w:r></w:p>"
        )
    header = "".join(
        (
            _tag_paragraph(f"{{%p if {_LETTER} %}}"),
            _tag_paragraph("{%p for 行 in 版头.标志 %}"),
            *marks,
            _tag_paragraph("{%p endif %}"),
            _tag_paragraph("{%p endfor %}"),
            '<w:p><w:pPr><w:pStyle w:val="GwLetterRule"/></w:pPr></w:p>',
            _tag_paragraph("{%p endif %}"),
            # A header holds at least one paragraph: a hair-thin one that takes no room.
            '<w:p><w:pPr><w:pStyle w:val="GwImprintAnchor"/></w:pPr></w:p>',
        )
    )
    footer = "".join(
        (
            _tag_paragraph(f"{{%p if {_LETTER} %}}"),
            '<w:p><w:pPr><w:pStyle w:val="GwLetterFootRule"/></w:pPr></w:p>',
            _tag_paragraph("{%p else %}"),
            page_number_paragraph("right", LETTER_NUMBER_LIFT),
            _tag_paragraph("{%p endif %}"),
        )
    )
    return FirstPage(header, footer)


def _tag_paragraph(tag: str) -> str:
    return f"<w:p><w:r><w:t>{escape(tag)}</w:t></w:r></w:p>"


def mark_line(doc: Document, style: str, points: float) -> None:
    """A line of the issuer's mark: ``{{ 行.名称 }}{{ 行.文件 }}``, the word 文件 set half a line
    lower where it stands between two names (joint issuers, see documents.elements.masthead)."""
    paragraph = doc.add_paragraph(style=style)
    paragraph.add_run("{{ 行.名称 }}")
    paragraph.add_run("{%r if 行.下移 %}")
    lowered = paragraph.add_run("{{ 行.文件 }}")
    # Single-spaced lines of 小标宋 are 1.2 times the type size apart: lower by half of that
    # (w:position is in half-points).
    position = parse_xml(f'<w:position xmlns:w="{_W}" w:val="-{round(1.2 * points)}"/>')
    lowered._r.get_or_add_rPr().append(position)
    paragraph.add_run("{%r else %}")
    paragraph.add_run("{{ 行.文件 }}")
    paragraph.add_run("{%r endif %}")
