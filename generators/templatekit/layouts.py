"""The layout of each built-in template, one function per template file.

Most documents share the official layout — title lines, optional subtitle and addressee, a body
of blocks, an optional attachment note and the signature — so they share :func:`official`; each
still gets a file of its own so that users can restyle one kind without touching the others.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document

from .. import gbt9704 as g
from . import compose as c
from .styles import StyleSpec


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
    "letter": letter,
}
"""Template file stem (``templates/<stem>.docx``) → the function that lays it out."""
