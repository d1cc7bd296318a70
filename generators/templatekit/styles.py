"""The named styles every huiwu template carries, and their ``styles.xml``.

Styles have ASCII ids (stable for code) and Chinese names (what users see in Word's style
gallery). Every font is set on all four ``w:rFonts`` slots: with ``w:eastAsia`` alone, Word and
WPS render digits and quotes in a Western fallback, and with ``w:ascii`` alone they render
Chinese in 宋体.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import quoteattr

from huiwu import gbt9704 as g

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

StyleType = Literal["paragraph", "character", "table"]


@dataclass(frozen=True)
class StyleSpec:
    """One named style."""

    style_id: str
    name: str
    type: StyleType = "paragraph"
    based_on: str | None = "Normal"
    font: str | None = None
    size: float | None = None
    bold: bool = False
    color: str | None = None
    char_spacing: int | None = None
    align: str | None = None
    first_line: int | None = None
    left: int | None = None
    right: int | None = None
    line: int | None = None
    line_rule: str = "exact"
    space_before: int | None = None
    space_after: int | None = None
    outline_level: int | None = None
    keep_next: bool = False
    linked: str | None = None
    hanging: int | None = None
    page_break_before: bool = False
    contextual_spacing: bool = False
    """Drop the space before/after between paragraphs of this same style."""
    borders: tuple[str, ...] = ()
    """Sides (``top``, ``left``, ``bottom``, ``right``) with a paragraph border."""
    border_color: str = "000000"
    border_size: int = 4
    """Eighths of a point."""
    border_space: int = 1
    """Points between the text and the border."""
    border_sizes: tuple[tuple[str, int], ...] = ()
    """Sides whose border differs from ``border_size``: (side, eighths of a point)."""
    border_style: str = "single"
    """``single``, or e.g. ``thickThinSmallGap`` for the 信函 double rule."""
    right_tab: int | None = None
    """A right-aligned tab stop at this many twips from the left margin."""
    tab: int | None = None
    """A left tab stop, in twips from the left margin (for two-column lines)."""


BODY_INDENT = g.INDENT_TWO_CHARS

STYLES: tuple[StyleSpec, ...] = (
    StyleSpec(
        "GwTitle", "公文标题", font=g.FONT_TITLE, size=g.SIZE_2, char_spacing=0, align="center"
    ),
    StyleSpec("GwSubtitle", "副标题", font=g.FONT_KAI, size=g.SIZE_3, align="center"),
    StyleSpec("GwAddressee", "主送机关", align="left"),
    StyleSpec("GwBody", "公文正文", first_line=BODY_INDENT),
    StyleSpec("GwBodyTail", "正文末段", first_line=BODY_INDENT, keep_next=True),
    StyleSpec("GwPlain", "顶格正文", align="left"),
    StyleSpec("GwCenter", "居中正文", align="center"),
    StyleSpec("GwRight", "居右正文", align="right"),
    # Blank lines and the issuer keep with the date, so the date never stands alone on a page.
    StyleSpec("GwSignature", "落款", align="left", keep_next=True),
    StyleSpec("GwDate", "成文日期", align="left"),
    StyleSpec("GwAttachmentLabel", "附件标识", font=g.FONT_HEI, align="left"),
    # 附件：name — a wrapped line aligns under the name, after 附件： (§7.3.4).
    StyleSpec(
        "GwAttachmentNote",
        "附件说明",
        left=BODY_INDENT + 3 * BODY_INDENT // 2,
        hanging=3 * BODY_INDENT // 2,
        keep_next=True,
    ),
    StyleSpec(
        "GwHeading1",
        "一级标题",
        font=g.FONT_HEI,
        first_line=BODY_INDENT,
        outline_level=0,
        keep_next=True,
        linked="GwHeading1Char",
    ),
    StyleSpec(
        "GwHeading2",
        "二级标题",
        font=g.FONT_KAI,
        first_line=BODY_INDENT,
        outline_level=1,
        keep_next=True,
        linked="GwHeading2Char",
    ),
    StyleSpec(
        "GwHeading3",
        "三级标题",
        first_line=BODY_INDENT,
        outline_level=2,
        keep_next=True,
        linked="GwHeading3Char",
    ),
    StyleSpec(
        "GwHeading4",
        "四级标题",
        first_line=BODY_INDENT,
        outline_level=3,
        keep_next=True,
        linked="GwHeading4Char",
    ),
    StyleSpec("GwHeading1Char", "一级标题字符", type="character", based_on=None, font=g.FONT_HEI),
    StyleSpec("GwHeading2Char", "二级标题字符", type="character", based_on=None, font=g.FONT_KAI),
    StyleSpec("GwHeading3Char", "三级标题字符", type="character", based_on=None, font=g.FONT_BODY),
    StyleSpec("GwHeading4Char", "四级标题字符", type="character", based_on=None, font=g.FONT_BODY),
    StyleSpec(
        "GwTableText",
        "表格文字",
        size=g.SIZE_XIAO_4,
        char_spacing=0,
        align="center",
        line=240,
        line_rule="auto",
    ),
    StyleSpec(
        "GwTableHead",
        "表格标题行",
        font=g.FONT_HEI,
        size=g.SIZE_4,
        char_spacing=0,
        align="center",
        line=240,
        line_rule="auto",
    ),
    StyleSpec(
        "GwPageNumber",
        "页码",
        font=g.FONT_SONG,
        size=g.SIZE_4,
        char_spacing=0,
        line=240,
        line_rule="auto",
    ),
)
"""Styles shared by all templates; document kinds may add their own with :func:`styles_xml`."""

BLOCK_STYLE_NAMES: dict[str, str] = {
    "h1": "一级标题",
    "h2": "二级标题",
    "h3": "三级标题",
    "h4": "四级标题",
    "body": "公文正文",
    "tail": "正文末段",
    "plain": "顶格正文",
    "center": "居中正文",
    "right": "居右正文",
    "blank": "顶格正文",
}
"""Paragraph style of each block style (see :mod:`huiwu.documents.blocks`); leadN use 公文正文."""

LEAD_CHAR_STYLES: dict[int, str] = {
    1: "一级标题字符",
    2: "二级标题字符",
    3: "三级标题字符",
    4: "四级标题字符",
}


def mark_drop(points: float) -> int:
    """Twips from the top of a mark's line (exactly 1.2 times the type size) to the top of its
    glyphs, as LibreOffice sets 小标宋 there: about 0.057 mm a point."""
    return round(points * 0.057 * g.TWIPS_PER_MM)


def style_id(name: str) -> str:
    """The id of the style named ``name`` (for XML written without python-docx)."""
    for spec in (*STYLES, *OFFICIAL_STYLES):
        if spec.name == name:
            return spec.style_id
    raise KeyError(name)


def styles_xml(extra: tuple[StyleSpec, ...] = ()) -> str:
    """The whole ``word/styles.xml``: document defaults, Normal, and the given styles."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">',
        _doc_defaults(),
        _normal(),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        _table_normal(),
        _table_grid(),
        *(_style(spec) for spec in (*STYLES, *extra)),
        "</w:styles>",
    ]
    return "".join(parts)


def _doc_defaults() -> str:
    return (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'{_fonts(g.FONT_BODY)}<w:sz w:val="{_half(g.SIZE_3)}"/>'
        f'<w:szCs w:val="{_half(g.SIZE_3)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        f'<w:spacing w:before="0" w:after="0" w:line="{g.LINE_PITCH}" w:lineRule="exact"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )


def _normal() -> str:
    return (
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        "<w:qFormat/><w:pPr><w:widowControl/>"
        f'<w:spacing w:before="0" w:after="0" w:line="{g.LINE_PITCH}" w:lineRule="exact"/>'
        '<w:jc w:val="both"/>'
        f'</w:pPr><w:rPr>{_fonts(g.FONT_BODY)}<w:spacing w:val="{g.BODY_CHAR_SPACING}"/>'
        f'<w:sz w:val="{_half(g.SIZE_3)}"/><w:szCs w:val="{_half(g.SIZE_3)}"/></w:rPr></w:style>'
    )


def _table_normal() -> str:
    return (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr>'
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )


def _table_grid() -> str:
    borders = "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    return (
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        f"<w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr></w:style>"
    )


def _style(spec: StyleSpec) -> str:
    head = f'<w:style w:type="{spec.type}" w:customStyle="1" w:styleId="{spec.style_id}">'
    head += f"<w:name w:val={quoteattr(spec.name)}/>"
    if spec.based_on and spec.type == "paragraph":
        head += f'<w:basedOn w:val="{spec.based_on}"/><w:next w:val="{_next(spec)}"/>'
    if spec.linked:
        head += f'<w:link w:val="{spec.linked}"/>'
    head += "<w:qFormat/>"
    ppr = _ppr(spec) if spec.type == "paragraph" else ""
    return f"{head}{ppr}{_rpr(spec)}</w:style>"


def _next(spec: StyleSpec) -> str:
    return "GwBody" if spec.style_id.startswith("GwHeading") else spec.style_id


def _ppr(spec: StyleSpec) -> str:
    inner = ""
    if spec.keep_next:
        inner += "<w:keepNext/>"
    if spec.page_break_before:
        inner += "<w:pageBreakBefore/>"
    if spec.borders:
        sizes = dict(spec.border_sizes)
        sides = "".join(
            f'<w:{side} w:val="{spec.border_style}" w:sz="{sizes.get(side, spec.border_size)}"'
            f' w:space="{spec.border_space}" w:color="{spec.border_color}"/>'
            for side in ("top", "left", "bottom", "right")
            if side in spec.borders
        )
        inner += f"<w:pBdr>{sides}</w:pBdr>"
    stops = [("left", spec.tab), ("right", spec.right_tab)]
    tabs = "".join(
        f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in stops if pos is not None
    )
    if tabs:
        inner += f"<w:tabs>{tabs}</w:tabs>"
    if spec.line is not None or spec.space_before is not None or spec.space_after is not None:
        attrs = ""
        if spec.space_before is not None:
            attrs += f' w:before="{spec.space_before}"'
        if spec.space_after is not None:
            attrs += f' w:after="{spec.space_after}"'
        if spec.line is not None:
            attrs += f' w:line="{spec.line}" w:lineRule="{spec.line_rule}"'
        inner += f"<w:spacing{attrs}/>"
    ind = ""
    if spec.left is not None:
        ind += f' w:left="{spec.left}"'
    if spec.right is not None:
        ind += f' w:right="{spec.right}"'
    if spec.first_line is not None:
        ind += f' w:firstLine="{spec.first_line}"'
    if spec.hanging is not None:
        ind += f' w:hanging="{spec.hanging}"'
    if ind:
        inner += f"<w:ind{ind}/>"
    if spec.contextual_spacing:
        inner += "<w:contextualSpacing/>"
    if spec.align is not None:
        inner += f'<w:jc w:val="{spec.align}"/>'
    if spec.outline_level is not None:
        inner += f'<w:outlineLvl w:val="{spec.outline_level}"/>'
    return f"<w:pPr>{inner}</w:pPr>" if inner else ""


def _rpr(spec: StyleSpec) -> str:
    inner = _fonts(spec.font) if spec.font else ""
    if spec.bold:
        inner += "<w:b/><w:bCs/>"
    if spec.color:
        inner += f'<w:color w:val="{spec.color}"/>'
    if spec.char_spacing is not None:
        inner += f'<w:spacing w:val="{spec.char_spacing}"/>'
    if spec.size is not None:
        inner += f'<w:sz w:val="{_half(spec.size)}"/><w:szCs w:val="{_half(spec.size)}"/>'
    return f"<w:rPr>{inner}</w:rPr>" if inner else ""


def _fonts(name: str) -> str:
    quoted = quoteattr(name)
    return (
        f"<w:rFonts w:ascii={quoted} w:eastAsia={quoted} w:hAnsi={quoted} w:cs={quoted}"
        ' w:hint="eastAsia"/>'
    )


def _half(points: float) -> int:
    return round(points * 2)


_SINGLE_LINE = {"line": 240, "line_rule": "auto"}

MINUTES_STYLES: tuple[StyleSpec, ...] = (
    StyleSpec(
        "GwMinutesBanner",
        "纪要标志",
        font=g.FONT_TITLE,
        size=g.SIZE_XIAO_CHU,
        color=g.COLOR_RED,
        char_spacing=0,
        align="center",
        line=900,
        space_before=g.MINUTES_BANNER_TOP,
        contextual_spacing=True,  # the 35 mm stand above the first line only
    ),
    StyleSpec("GwMinutesIssue", "纪要期数", char_spacing=0, align="center", space_before=240),
    StyleSpec(
        "GwMinutesMasthead",
        "纪要版头",
        align="left",
        # 左空一字, and the date ends one character from the right (a tab stop at the right
        # indent itself makes LibreOffice wrap the date).
        left=g.INDENT_TWO_CHARS // 2,
        right_tab=g.TEXT_WIDTH - g.INDENT_TWO_CHARS // 2,
        borders=("bottom",),
        border_color=g.COLOR_RED,
        border_size=12,
        border_space=6,
    ),
    # 出席：names — wrapped lines align after the colon (§10.3): a hanging indent of 3 characters.
    # Left-aligned: the lines are broken between names (never inside one), and Word would
    # stretch a justified line that ends in a line break.
    StyleSpec(
        "GwAttendance",
        "出席名单",
        align="left",
        left=g.INDENT_TWO_CHARS + 3 * g.INDENT_TWO_CHARS // 2,
        hanging=3 * g.INDENT_TWO_CHARS // 2,
    ),
    StyleSpec("GwAttendanceLabel", "出席标识", type="character", based_on=None, font=g.FONT_HEI),
)
"""The 纪要 banner and masthead, and the 出席/请假/列席 lists."""

SEATING_STYLES: tuple[StyleSpec, ...] = (
    StyleSpec("GwSeatNote", "座次说明", font=g.FONT_KAI, size=g.SIZE_4, align="center"),
    StyleSpec(
        "GwSeatRow", "座次排号", font=g.FONT_HEI, size=g.SIZE_XIAO_4, align="left", **_SINGLE_LINE
    ),
    # Names read from the back of the hall: 小一 when few seats are across, then 三号, then 四号
    # (three characters of 四号 fit a 15 mm box in rows of more than a dozen seats).
    *(
        StyleSpec(
            f"GwSeat{index}",
            f"座次座位（{size}）",
            font=g.FONT_HEI,
            size=points,
            char_spacing=0,
            align="center",
            **_SINGLE_LINE,
        )
        for index, (size, points) in enumerate(
            (("大", g.SIZE_XIAO_1), ("中", g.SIZE_3), ("小", g.SIZE_4))
        )
    ),
    StyleSpec(
        "GwSeatTitle",
        "座次职务",
        size=g.SIZE_XIAO_4,
        char_spacing=0,
        align="center",
        **_SINGLE_LINE,
    ),
    StyleSpec(
        "GwSeatHost",
        "座次主持",
        font=g.FONT_KAI,
        size=g.SIZE_XIAO_4,
        color=g.COLOR_RED,
        char_spacing=0,
        align="center",
        **_SINGLE_LINE,
    ),
    StyleSpec("GwSeatRuler", "座次标尺", size=1, char_spacing=0, line=20),
    StyleSpec(
        "GwStageFront",
        "台口",
        font=g.FONT_HEI,
        size=g.SIZE_4,
        char_spacing=0,
        align="center",
        borders=("top",),
        border_size=12,
        border_space=8,
        space_before=480,
        **_SINGLE_LINE,
    ),
    # 第一排：names — wrapped lines align after the colon.
    StyleSpec(
        "GwSeatListing",
        "座次名单",
        size=g.SIZE_XIAO_4,
        align="left",
        left=4 * 240,
        hanging=4 * 240,
        **_SINGLE_LINE,
    ),
)
"""The seating chart: seat boxes, row labels, the stage front and the listing under it."""

NAME_CARD_STYLES: tuple[StyleSpec, ...] = (
    StyleSpec("GwNameCard", "桌签", char_spacing=0, page_break_before=True, **_SINGLE_LINE),
)
"""One card a page: the paragraph that anchors the card's two names."""


# 版头 (§7.2): the issuer's mark in red 小标宋 at the largest size that fits the block, its top
# 35 mm under the top of the block; the 发文字号 two lines under it with the red rule 4 mm below.
_MARK = {
    "font": g.FONT_TITLE,
    "color": g.COLOR_RED,
    "char_spacing": 0,
    "align": "center",
    "contextual_spacing": True,  # joint issuers: the 35 mm stand above the first line only
}
MARK_STYLES: dict[str, str] = {
    "初号": "发文机关标志",
    "小初": "发文机关标志（小初）",
    "一号": "发文机关标志（一号）",
    "小一": "发文机关标志（小一）",
    "二号": "发文机关标志（二号）",
}
"""The mark's size (see :data:`huiwu.documents.elements.MARK_SIZES`) → its paragraph style."""
MARK_POINTS = {"初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0}
_RED_RULE = {
    "borders": ("bottom",),
    "border_color": g.COLOR_RED,
    "border_size": 12,
    "border_space": g.MASTHEAD_RULE_SPACE,
}
_IMPRINT_INSET = 280  # 左右各空一字 of 4号 type
OFFICIAL_STYLES: tuple[StyleSpec, ...] = (
    *(
        StyleSpec(
            f"GwMark{i}",
            name,
            size=MARK_POINTS[size],
            # Exactly 1.2 times the type size apart: 文件 set half a line lower between two
            # joint issuers must not push the lines apart.
            line=round(1.2 * MARK_POINTS[size] * 20),
            line_rule="exact",
            # Start the line above 35 mm by the glyphs' drop, so the mark's top edge is at 35 mm.
            space_before=g.MASTHEAD_MARK_TOP - mark_drop(MARK_POINTS[size]),
            **_MARK,
        )
        for i, (size, name) in enumerate(MARK_STYLES.items())
    ),
    StyleSpec(
        "GwDocNumber",
        "发文字号",
        char_spacing=0,
        align="center",
        space_before=2 * g.LINE_PITCH,
        **_RED_RULE,
    ),
    # With a 签发人 the number stands 左空一字 and the signer 右空一字 on the same line (§7.2.5).
    StyleSpec(
        "GwDocNumberSigned",
        "发文字号（上行文）",
        char_spacing=0,
        align="left",
        left=g.INDENT_TWO_CHARS // 2,
        right_tab=g.TEXT_WIDTH - g.INDENT_TWO_CHARS // 2,
        space_before=2 * g.LINE_PITCH,
        **_RED_RULE,
    ),
    StyleSpec("GwSignerName", "签发人姓名", type="character", based_on=None, font=g.FONT_KAI),
    # 信函格式 (§10.1): the mark and a red double rule 170 mm long in the first page's header
    # (thick over thin, 4 mm under the mark), the number flush right 7/8 of a character under
    # it, and a second rule (thin over thick) in the first page's footer.
    StyleSpec(
        "GwLetterNumber",
        "发文字号（信函）",
        char_spacing=0,
        align="right",
        space_before=g.LETTER_NUMBER_GAP,
    ),
    StyleSpec(
        "GwLetterRule",
        "信函分隔线",
        size=1,
        char_spacing=0,
        line=20,
        left=-g.LETTER_RULE_OVERHANG,
        right=-g.LETTER_RULE_OVERHANG,
        space_before=g.LETTER_RULE_GAP,
        borders=("bottom",),
        border_color=g.COLOR_RED,
        border_size=24,
        border_space=0,
        border_style="thickThinSmallGap",
    ),
    StyleSpec(
        "GwLetterFootRule",
        "信函底线",
        size=1,
        char_spacing=0,
        line=20,
        left=-g.LETTER_RULE_OVERHANG,
        right=-g.LETTER_RULE_OVERHANG,
        borders=("top",),
        border_color=g.COLOR_RED,
        border_size=24,
        border_space=0,
        # A top border's pair is named from the text outwards: thickThin prints thin over
        # thick (as LibreOffice draws it; the header's bottom border prints thick over thin).
        border_style="thickThinSmallGap",
    ),
    # 版记 (§7.4): 4号 in a table whose rules are the table's borders (see layouts._imprint).
    StyleSpec(
        "GwCopyTo",
        "抄送",
        size=g.SIZE_4,
        char_spacing=0,
        align="left",
        left=_IMPRINT_INSET + 3 * _IMPRINT_INSET,
        hanging=3 * _IMPRINT_INSET,  # a wrapped line aligns after 抄送：
        right=_IMPRINT_INSET,
    ),
    StyleSpec(
        "GwPrinter", "印发机关", size=g.SIZE_4, char_spacing=0, align="left", left=_IMPRINT_INSET
    ),
    StyleSpec(
        "GwPrintedOn",
        "印发日期",
        size=g.SIZE_4,
        char_spacing=0,
        align="right",
        right=_IMPRINT_INSET,
    ),
    StyleSpec("GwImprintAnchor", "版记锚点", size=1, char_spacing=0, line=20),
)
"""版头 and 版记 of the notice and the assessment notice."""
