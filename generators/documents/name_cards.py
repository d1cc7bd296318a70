"""桌签: one folded card per person — A4 landscape, folded along its long middle, the name on
both halves in 黑体 of about 72 pt, the upper half turned so that each face reads upright.

The template draws each name as WordArt, which stretches text to its shape; so the shape's size
here is the name's natural size, and two-character names are spaced to the width of three.
"""

from __future__ import annotations

from typing import Any

from huiwu import gbt9704
from huiwu.definition import roles
from huiwu.documents.common import Directory
from huiwu.figures.inputs import Inputs
from huiwu.text import cn

PAGE_WIDTH_MM = 297.0
HALF_HEIGHT_MM = 105.0  # the fold runs across the middle of the 210 mm sheet
EM_MM = gbt9704.SIZE_NAME_CARD * 25.4 / 72  # one character of 72 pt
MAX_WIDTH_MM = 250.0  # longer names shrink to stay clear of the edges
# The ink of a line of CJK text fills about 0.9 of its em box each way; WordArt stretches the ink
# to the shape, so a shape of these proportions keeps the glyphs undistorted.
INK_HEIGHT = 0.9
INK_WIDTH_LOSS = 0.1


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The name cards' template context."""
    definition = inputs.definition
    directory = Directory(definition)
    keys = directory.by_rank(roles.name_card_holders(definition))
    return {
        "doc_title": f"{definition.meeting.title}桌签",
        "cards": [card(directory.name(key)) for key in keys],
    }


def card(name: str) -> dict[str, str]:
    """One card: the padded name and where its two copies go on the page, in millimetres."""
    text = cn.pad_name(name)
    chars = cn.text_width(text)
    em = min(EM_MM, MAX_WIDTH_MM / chars)
    width = (chars - INK_WIDTH_LOSS) * em
    height = INK_HEIGHT * em
    top = (HALF_HEIGHT_MM - height) / 2
    return {
        "name": text,
        "left": _mm((PAGE_WIDTH_MM - width) / 2),
        "width": _mm(width),
        "height": _mm(height),
        "upper": _mm(top),
        "lower": _mm(HALF_HEIGHT_MM + top),
    }


def _mm(value: float) -> str:
    return f"{value:.1f}"
