"""The layout of each built-in template, one function per template file.

Most documents share the official layout — title lines, optional subtitle and addressee, a body
of blocks, an optional attachment note and the signature — so they share :func:`official`; each
still gets a file of its own so that users can restyle one kind without touching the others.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from huiwu import gbt9704 as g
from huiwu.templatekit import compose as c
from huiwu.templatekit import figures
from huiwu.templatekit.styles import MINUTES_STYLES, NAME_CARD_STYLES, SEATING_STYLES, StyleSpec


def official() -> Document:
    """Title, subtitle, addressee, body blocks, attachment note, signature and date."""
    doc = c.new_document()
    c.lines(doc, "title_lines", "公文标题")
    c.control(doc, "if subtitle_lines")
    c.lines(doc, "subtitle_lines", "副标题")
    c.control(doc, "endif")
    c.para(doc)
    c.control(doc, "if addressee")
    c.para(doc, "{{ addressee }}", "主送机关")
    c.control(doc, "endif")
    c.blocks(doc, "body")
    c.control(doc, "if attachments")
    c.para(doc, "", "落款")
    c.lines(doc, "attachments", "附件说明")
    c.control(doc, "endif")
    c.control(doc, "for line in signature")
    c.control(doc, "if loop.last")
    c.para(doc, "{{ line }}", "成文日期")
    c.control(doc, "else")
    c.para(doc, "{{ line }}", "落款")
    c.control(doc, "endif")
    c.control(doc, "endfor")
    return doc


SIGN_IN_COLUMNS = ("序号", "单位", "姓名", "职务", "签名")
SIGN_IN_WIDTHS = (800, 2600, 1400, 2445, 1600)  # sums to the 156 mm text block (8845 twips)


def sign_in() -> Document:
    """Title, time and venue, and the sign-in table whose header repeats on every page."""
    doc = c.new_document()
    c.lines(doc, "title_lines", "公文标题")
    c.para(doc)
    c.lines(doc, "meta_lines", "顶格正文")
    c.table(
        doc,
        SIGN_IN_COLUMNS,
        ("{{ r.no }}", "{{ r.unit }}", "{{ r.name }}", "{{ r.title }}", ""),
        SIGN_IN_WIDTHS,
        loop="r in rows",
        row_height=680,
    )
    return doc


def ranking() -> Document:
    """The official notice, then a landscape attachment page with the ranking table."""
    doc = official()
    c.landscape_section(doc)
    c.para(doc, "附件", "附件标识")
    c.para(doc)
    c.lines(doc, "table_title_lines", "公文标题")
    c.para(doc)
    c.table(
        doc,
        (
            "名次",
            "单位",
            "{%tc for name in columns %}",
            "{{ name }}",
            "{%tc endfor %}",
            "综合得分",
            "备注",
        ),
        (
            "{{ r.rank }}",
            "{{ r.unit }}",
            "{%tc for v in r.cells %}",
            "{{ v }}",
            "{%tc endfor %}",
            "{{ r.score }}",
            "{{ r.note }}",
        ),
        None,
        loop="r in rows",
        row_height=500,
        footer=(
            "",
            "{{ total.unit }}",
            "{%tc for v in total.cells %}",
            "{{ v }}",
            "{%tc endfor %}",
            "",
            "",
        ),
    )
    return doc


def minutes() -> Document:
    """The 纪要 banner (or an ordinary title), the body, then 出席/请假/列席 (§10.3)."""
    doc = c.new_document(extra_styles=MINUTES_STYLES)
    c.control(doc, "if banner_lines")
    c.lines(doc, "banner_lines", "纪要标志")
    c.control(doc, "if issue")
    c.para(doc, "{{ issue }}", "纪要期数")
    c.control(doc, "endif")
    c.para(doc, "{{ masthead_office }}\t{{ masthead_date }}", "纪要版头")
    c.control(doc, "else")
    c.lines(doc, "title_lines", "公文标题")
    c.lines(doc, "subtitle_lines", "副标题")
    c.control(doc, "endif")
    c.para(doc)
    c.blocks(doc, "body")
    c.control(doc, "if attendance")
    c.para(doc)
    c.control(doc, "for a in attendance")
    paragraph = doc.add_paragraph(style="出席名单")
    paragraph.add_run("{{ a.label }}", style="出席标识")
    paragraph.add_run("{%r for line in a.lines %}")
    paragraph.add_run("{%r if not loop.first %}")
    paragraph.add_run().add_break()
    paragraph.add_run("{%r endif %}")
    paragraph.add_run("{{ line }}")
    paragraph.add_run("{%r endfor %}")
    c.control(doc, "endfor")
    c.control(doc, "endif")
    return doc


SEAT_ROW_HEIGHT = 1134  # 20 mm: a seat box with a title, the name and the host mark


def seating_chart() -> Document:
    """A landscape page: the rostrum seen from the audience, then the seats listed for checking."""
    doc = c.new_document(extra_styles=SEATING_STYLES, landscape=True, page_numbers=False)
    c.lines(doc, "title_lines", "公文标题")
    c.para(doc, "{{ note }}", "座次说明")
    c.para(doc)
    figures.seat_grid(doc, g.LANDSCAPE_TEXT_WIDTH, SEAT_ROW_HEIGHT)
    c.para(doc, "{{ stage_front }}", "台口")
    c.lines(doc, "listing", "座次名单")
    return doc


def name_cards() -> Document:
    """One landscape page per card, the name on both halves (see :mod:`.figures`)."""
    doc = c.new_document(extra_styles=NAME_CARD_STYLES, landscape=True, page_numbers=False)
    c.control(doc, "for card in cards")
    figures.name_card(doc)
    c.control(doc, "endfor")
    return doc


VOLUME_STYLES = (
    StyleSpec(
        "GwCoverTitle",
        "封面标题",
        font=g.FONT_TITLE,
        size=g.SIZE_1,
        char_spacing=0,
        align="center",
        line=900,
    ),
    StyleSpec(
        "GwCoverSubtitle",
        "封面副标题",
        font=g.FONT_TITLE,
        size=g.SIZE_2,
        char_spacing=0,
        align="center",
        line=900,
    ),
    StyleSpec("GwCoverFoot", "封面落款", font=g.FONT_KAI, size=g.SIZE_3, align="center"),
)
VOLUME_COLUMNS = ("序号", "材料名称", "页码", "页数")
VOLUME_WIDTHS = (1000, 5045, 1600, 1200)  # sums to the 156 mm text block (8845 twips)


def volume() -> Document:
    """The cover and contents pages of 会议材料汇编 (no page numbers: the documents keep theirs)."""
    doc = c.new_document(extra_styles=VOLUME_STYLES, page_numbers=False)
    for _ in range(4):
        c.para(doc)
    c.lines(doc, "title_lines", "封面标题")
    c.para(doc, "材料汇编", "封面副标题")
    for _ in range(9):
        c.para(doc)
    c.para(doc, "{{ organizer }}", "封面落款")
    c.para(doc, "{{ date }}", "封面落款")
    doc.add_page_break()
    c.para(doc, "目\u3000录", "公文标题")
    c.para(doc)
    c.table(
        doc,
        VOLUME_COLUMNS,
        ("{{ r.no }}", "{{ r.name }}", "{{ r.pages }}", "{{ r.count }}"),
        VOLUME_WIDTHS,
        loop="r in rows",
        row_height=640,
    )
    return doc


# The signature block of a responsibility letter: 甲方 from two characters in, 乙方 from the
# sixteenth character, each with twelve characters of room (e.g. 计生办主任（签字）：).
SIGN_TAB = 16 * (g.INDENT_TWO_CHARS // 2 + g.BODY_CHAR_SPACING)
LETTER_STYLES = (
    StyleSpec(
        "GwSignRow", "签署栏", align="left", left=g.INDENT_TWO_CHARS, keep_next=True, tab=SIGN_TAB
    ),
    StyleSpec("GwSignDate", "签署日期", align="left", left=g.INDENT_TWO_CHARS, tab=SIGN_TAB),
)


def letter() -> Document:
    """目标管理责任书: title, both parties, body blocks, the two-column signature block, and
    optionally the allocation table of all units on a page of its own."""
    doc = c.new_document(extra_styles=LETTER_STYLES)
    c.lines(doc, "title_lines", "公文标题")
    c.para(doc)
    c.lines(doc, "parties", "顶格正文")
    c.blocks(doc, "body")
    c.para(doc, "", "落款")
    c.para(doc, "", "落款")
    c.two_columns(doc, "sign.first.party", "sign.second.party", "签署栏")
    c.para(doc, "", "签署栏")
    c.two_columns(doc, "sign.first.signer", "sign.second.signer", "签署栏")
    c.para(doc, "", "签署栏")
    c.two_columns(doc, "sign.first.date", "sign.second.date", "签署日期")
    c.control(doc, "if allocation")
    label = doc.add_paragraph("附件", style="附件标识")
    label.paragraph_format.page_break_before = True
    c.para(doc)
    c.lines(doc, "allocation.title_lines", "公文标题")
    c.para(doc)
    c.table(
        doc,
        ("序号", "单位", "{%tc for name in allocation.columns %}", "{{ name }}", "{%tc endfor %}"),
        ("{{ r.no }}", "{{ r.unit }}", "{%tc for v in r.cells %}", "{{ v }}", "{%tc endfor %}"),
        None,
        loop="r in allocation.rows",
        row_height=500,
        footer=("", "合计", "{%tc for v in allocation.total %}", "{{ v }}", "{%tc endfor %}"),
    )
    c.control(doc, "endif")
    return doc


TEMPLATES: dict[str, Callable[[], Document]] = {
    "notice": official,
    "agenda": official,
    "hosting_script": official,
    "sign_in": sign_in,
    "report": official,
    "ranking": ranking,
    "speech": official,
    "minutes": minutes,
    "seating_chart": seating_chart,
    "name_cards": name_cards,
    "volume": volume,
    "letter": letter,
}
"""Template file stem (``templates/<stem>.docx``) → the function that lays it out."""
