"""The layout of each built-in template, one function per template file.

Each kind's template shows its document's frame — 版头, 标题, 主送机关, the body, 附件说明, 署名
and 成文日期, its tables, 版记 — with the fields named as a Word user reads them and the wording
that never changes written out (同志们：, 签发人：, 抄送：, 印发, 附件); the body computed from the
definition is one loop over its paragraphs (see :func:`compose.blocks`).
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from huiwu import gbt9704 as g
from huiwu.templatekit import compose as c
from huiwu.templatekit import figures
from huiwu.templatekit.styles import (
    MARK_POINTS,
    MARK_STYLES,
    MINUTES_STYLES,
    NAME_CARD_STYLES,
    OFFICIAL_STYLES,
    SEATING_STYLES,
    StyleSpec,
)


def _title(doc: Document, *, subtitle: bool = False) -> None:
    """标题 (and 副标题: the speaker or reporter, the date), then a blank line."""
    c.lines(doc, "标题", "公文标题")
    if subtitle:
        c.control(doc, "if 副标题")
        c.lines(doc, "副标题", "副标题")
        c.control(doc, "endif")
    c.para(doc)


def agenda() -> Document:
    """会议议程: the meeting's title over 议程, time, place and host, the numbered items."""
    doc = c.new_document()
    _title(doc)
    c.blocks(doc, "正文")
    return doc


def hosting_script() -> Document:
    """主持词: title and date, 同志们：, what the host says, （散会）."""
    doc = c.new_document()
    _title(doc, subtitle=True)
    c.para(doc, "同志们：", "顶格正文")
    c.blocks(doc, "正文")
    c.para(doc, "（散会）", "居中正文")
    return doc


def report() -> Document:
    """工作汇报: title, reporter and date, the sections, and the signature when it has one."""
    doc = c.new_document()
    _title(doc, subtitle=True)
    c.blocks(doc, "正文", tables=True)
    c.control(doc, "if 署名")
    c.lines(doc, "署名", "落款")
    c.para(doc, "{{ 成文日期 }}", "成文日期")
    c.control(doc, "endif")
    return doc


def speech() -> Document:
    """领导讲话稿: title, speaker and date, the salutation and the sections."""
    doc = c.new_document()
    _title(doc, subtitle=True)
    c.blocks(doc, "正文", tables=True)
    return doc


SIGN_IN_COLUMNS = ("序号", "单位", "姓名", "职务", "签名")
SIGN_IN_WIDTHS = (800, 2600, 1400, 2445, 1600)  # sums to the 156 mm text block (8845 twips)


def sign_in() -> Document:
    """Title, time and venue, and the sign-in table whose header repeats on every page."""
    doc = c.new_document()
    c.lines(doc, "标题", "公文标题")
    c.para(doc)
    c.lines(doc, "时间地点", "顶格正文")
    c.table(
        doc,
        SIGN_IN_COLUMNS,
        ("{{ 行.no }}", "{{ 行.unit }}", "{{ 行.name }}", "{{ 行.title }}", ""),
        SIGN_IN_WIDTHS,
        loop="行 in 名单",
        row_height=680,
    )
    return doc


def ranking() -> Document:
    """考核结果通报: the official frame, then the ranking table on a landscape attachment page."""
    doc = c.new_document(extra_styles=OFFICIAL_STYLES, first_page=figures.letterhead(MARK_STYLES))
    _masthead(doc)
    _title_and_addressee(doc)
    c.blocks(doc, "正文")
    _attachment_note_and_signature(doc)
    c.landscape_section(doc)
    c.para(doc, "{{ 附件标识 }}", "附件标识")
    c.para(doc)
    c.lines(doc, "排名表标题", "公文标题")
    c.para(doc)
    c.table(
        doc,
        (
            "名次",
            "单位",
            "{%tc for 指标名 in 指标 %}",
            "{{ 指标名 }}",
            "{%tc endfor %}",
            "综合得分",
            "备注",
        ),
        (
            "{{ 行.名次 }}",
            "{{ 行.单位 }}",
            "{%tc for 值 in 行.数值 %}",
            "{{ 值 }}",
            "{%tc endfor %}",
            "{{ 行.综合得分 }}",
            "{{ 行.备注 }}",
        ),
        None,
        loop="行 in 排名",
        row_height=500,
    )
    _imprint(doc)
    return doc


def notice() -> Document:
    """会议通知: 版头, title, 主送机关, body, 附件说明, signature, the 参会回执 page, 版记."""
    doc = c.new_document(extra_styles=OFFICIAL_STYLES, first_page=figures.letterhead(MARK_STYLES))
    _masthead(doc)
    _title_and_addressee(doc)
    c.blocks(doc, "正文")
    _attachment_note_and_signature(doc)
    c.control(doc, "if 回执")
    _attachment_head(doc, "{{ 回执.标识 }}", "回执.标题")
    c.table(
        doc,
        ("{%tc for 栏 in 回执.栏目 %}", "{{ 栏 }}", "{%tc endfor %}"),
        ("{%tc for 格 in 空格 %}", "{{ 格 }}", "{%tc endfor %}"),
        None,
        loop="空格 in 回执.空行",
        row_height=680,
    )
    c.para(doc, "{{ 回执.截止 }}", "顶格正文")
    c.control(doc, "endif")
    _imprint(doc)
    return doc


def _attachment_head(doc: Document, label: str, title_lines: str) -> None:
    """An attachment's first lines (§7.3.7): its label on a new page, then its title."""
    paragraph = doc.add_paragraph(label, style="附件标识")
    paragraph.paragraph_format.page_break_before = True
    c.para(doc)
    c.lines(doc, title_lines, "公文标题")
    c.para(doc)


def _masthead(doc: Document) -> None:
    """版头 (§7.2): the issuer's mark, the 发文字号 (with the 签发人) and the red rule; or, in
    信函格式 (§10.1), the 发文字号 under the letterhead of the first page's header (see
    figures.letterhead); then two blank lines above the title."""
    c.control(doc, "if 版头")
    c.control(doc, 'if 版头.格式 == "信函"')
    c.para(doc, "{{ 版头.发文字号 }}", "发文字号（信函）")
    c.control(doc, "else")
    c.control(doc, "for 行 in 版头.标志")
    for index, (size, style) in enumerate(MARK_STYLES.items()):
        c.control(doc, f'{"if" if index == 0 else "elif"} 版头.字号 == "{size}"')
        figures.mark_line(doc, style, MARK_POINTS[size])
    c.control(doc, "endif")
    c.control(doc, "endfor")
    c.control(doc, "if 版头.签发人")
    paragraph = doc.add_paragraph(style="发文字号（上行文）")
    paragraph.add_run("{{ 版头.发文字号 }}")
    paragraph.add_run().add_tab()
    paragraph.add_run("签发人：")
    paragraph.add_run("{{ 版头.签发人 }}", style="签发人姓名")
    c.control(doc, "else")
    c.para(doc, "{{ 版头.发文字号 }}", "发文字号")
    c.control(doc, "endif")
    c.control(doc, "endif")
    c.para(doc)  # the title stands two lines under the red rule (§7.3.1)
    c.para(doc)
    c.control(doc, "endif")


def _title_and_addressee(doc: Document) -> None:
    c.lines(doc, "标题", "公文标题")
    c.para(doc)
    c.para(doc, "{{ 主送机关 }}", "主送机关")


def _attachment_note_and_signature(doc: Document) -> None:
    c.control(doc, "if 附件说明")
    c.para(doc, "", "落款")
    c.lines(doc, "附件说明", "附件说明")
    c.control(doc, "endif")
    c.lines(doc, "署名", "落款")
    c.para(doc, "{{ 成文日期 }}", "成文日期")


def _imprint(doc: Document) -> None:
    """版记 (§7.4) on the bottom edge of the last page's text block (see figures.imprint); in
    信函格式 the 抄送 alone, without rules (§10.1)."""
    c.control(doc, "if 版记")
    c.control(doc, 'if 版头 and 版头.格式 == "信函"')
    figures.imprint(doc, letter=True)
    c.control(doc, "else")
    figures.imprint(doc)
    c.control(doc, "endif")
    # A floating table needs a paragraph after it to anchor to; a hair-thin one takes no room.
    c.para(doc, "", "版记锚点")
    c.control(doc, "endif")


def minutes() -> Document:
    """The 纪要 banner (or an ordinary title), the body, then 出席/请假/列席 (§10.3)."""
    doc = c.new_document(extra_styles=MINUTES_STYLES)
    c.control(doc, "if 纪要标志")
    c.lines(doc, "纪要标志", "纪要标志")
    c.control(doc, "if 期数")
    c.para(doc, "{{ 期数 }}", "纪要期数")
    c.control(doc, "endif")
    c.para(doc, "{{ 纪要机关 }}\t{{ 纪要日期 }}", "纪要版头")
    c.control(doc, "else")
    c.lines(doc, "标题", "公文标题")
    c.lines(doc, "副标题", "副标题")
    c.control(doc, "endif")
    c.para(doc)
    c.blocks(doc, "正文")
    c.control(doc, "if 出席")
    c.para(doc)
    c.control(doc, "for 项 in 出席")
    paragraph = doc.add_paragraph(style="出席名单")
    paragraph.add_run("{{ 项.label }}", style="出席标识")
    paragraph.add_run("{%r for 行 in 项.lines %}")
    paragraph.add_run("{%r if not loop.first %}")
    paragraph.add_run().add_break()
    paragraph.add_run("{%r endif %}")
    paragraph.add_run("{{ 行 }}")
    paragraph.add_run("{%r endfor %}")
    c.control(doc, "endfor")
    c.control(doc, "endif")
    return doc


# Seat rows at least 20 mm (a title, the name, the host mark); taller when the rostrum has one
# or two rows (34 mm: two rows, their labels, the stage front and the listing fill the page).
SEAT_ROW_HEIGHTS = {True: 1928, False: 1134}


def seating_chart() -> Document:
    """A landscape page: the rostrum seen from the audience, then the seats listed for checking."""
    doc = c.new_document(extra_styles=SEATING_STYLES, landscape=True, page_numbers=False)
    c.lines(doc, "title_lines", "公文标题")
    c.para(doc, "{{ note }}", "座次说明")
    c.para(doc)
    figures.seat_grid(doc, g.LANDSCAPE_TEXT_WIDTH, SEAT_ROW_HEIGHTS)
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
    """The cover and contents pages of 会议材料汇编 (unnumbered: the documents are numbered on
    through the volume from their first page, see huiwu.publish.volume)."""
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
    _attachment_head(doc, "附件", "allocation.title_lines")
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
    "notice": notice,
    "agenda": agenda,
    "hosting_script": hosting_script,
    "sign_in": sign_in,
    "report": report,
    "ranking": ranking,
    "speech": speech,
    "minutes": minutes,
    "seating_chart": seating_chart,
    "name_cards": name_cards,
    "volume": volume,
    "letter": letter,
}
"""Template file stem (``templates/<stem>.docx``) → the function that lays it out."""
