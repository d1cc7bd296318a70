"""The numbers of GB/T 9704-2012《党政机关公文格式》 that huiwu's templates are built from.

Sizes are in the units OOXML takes: twips (1/20 pt) for lengths, points for type. Where the
standard is silent the value is established practice (see shared/GBT9704.md).
"""

from __future__ import annotations

from typing import Final

TWIPS_PER_MM: Final = 1440 / 25.4

PAGE_WIDTH: Final = 11906  # A4 210 mm
PAGE_HEIGHT: Final = 16838  # A4 297 mm
MARGIN_TOP: Final = 2098  # 37 mm 天头
MARGIN_BOTTOM: Final = 1984  # 35 mm
MARGIN_LEFT: Final = 1587  # 28 mm 订口
MARGIN_RIGHT: Final = 1474  # 26 mm
HEADER_DISTANCE: Final = 851  # 15 mm
FOOTER_DISTANCE: Final = 1361  # 24 mm: puts the page number about 7 mm under the text block

LINE_PITCH: Final = 579  # exact 28.95 pt: 22 lines in the 225 mm text block
BODY_CHAR_SPACING: Final = -5  # −0.25 pt, in twentieths of a point: 28 characters a line
INDENT_TWO_CHARS: Final = 640  # 左空二字 at 16 pt

# 号 → points
SIZE_1: Final = 26.0  # 一号: covers
SIZE_2: Final = 22.0  # 二号: titles
SIZE_3: Final = 16.0  # 三号: body
SIZE_4: Final = 14.0  # 四号: page numbers, tables
SIZE_XIAO_1: Final = 24.0  # 小一: names on a seating chart with few seats across
SIZE_XIAO_4: Final = 12.0  # 小四
SIZE_5: Final = 10.5  # 五号

FONT_TITLE: Final = "方正小标宋简体"
FONT_BODY: Final = "仿宋_GB2312"
FONT_HEI: Final = "黑体"
FONT_KAI: Final = "楷体_GB2312"
FONT_SONG: Final = "宋体"

# Windows ships 仿宋/楷体/黑体/宋体 but not the _GB2312 faces nor 小标宋 that office PCs add:
# Word and WPS fall back by these names (fontTable.xml's w:altName) rather than a face of their
# own choosing.
FONT_ALT_NAMES: Final = {
    FONT_TITLE: "宋体",
    FONT_BODY: "仿宋",
    FONT_KAI: "楷体",
    FONT_HEI: "SimHei",
    FONT_SONG: "SimSun",
}
FONT_FAMILIES: Final = {FONT_HEI: "swiss"}
"""The font table's generic family of a face, for a fallback of the same style; else roman."""

PAGE_NUMBER_INSET: Final = 280  # one 四号 character in from the edge of the text block

SIZE_XIAO_CHU: Final = 36.0  # 小初: the 纪要 banner
SIZE_NAME_CARD: Final = 72.0  # names on folded desk cards
COLOR_RED: Final = "FF0000"  # banners and the rule under a 纪要 masthead

MASTHEAD_MARK_TOP: Final = 1984  # 35 mm from the top of the text block to the issuer's mark
MASTHEAD_RULE_SPACE: Final = 8  # points from the 发文字号's line to the red rule: about 4 mm
LETTER_RULE_OVERHANG: Final = 397  # 7 mm each side: the 信函 rules are 170 mm, the block 156
LETTER_FOOTER_DISTANCE: Final = 1134  # 20 mm: the 信函's second rule above the foot (§10.1)
LETTER_MARK_TOP: Final = 1701  # 30 mm from the top of the page to the 信函 mark (§10.1)
LETTER_RULE_GAP: Final = 227  # 4 mm from the mark to the 信函 double rule
LETTER_NUMBER_GAP: Final = 280  # 7/8 of a 3号 character from the rule to the 发文字号

MINUTES_BANNER_TOP: Final = 1984  # 35 mm from the top of the text block to the 纪要 banner (§10.3)

# Landscape pages (seating chart, name cards, wide tables) turn the portrait margins with the
# page, so the text block is 297 − 37 − 35 mm wide.
LANDSCAPE_TEXT_WIDTH: Final = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
TEXT_WIDTH: Final = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT

SEAT_BOX_MARGIN: Final = 28  # twips each side of the text in a seating-chart box: 0.5 mm
