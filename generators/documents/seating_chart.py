"""主席台座次图: the rostrum drawn as the audience sees it — back row at the top, front row at
the bottom by the stage front — one box per seat, the host marked, and the seats listed in text
under the chart so that whoever checks it can read them off (``huiwu seats`` prints the same).
"""

from __future__ import annotations

from typing import Any

from huiwu import gbt9704
from huiwu.definition import roles
from huiwu.documents.common import Directory
from huiwu.documents.seating import SeatRow, seat_rows
from huiwu.figures.inputs import Inputs
from huiwu.model import Definition
from huiwu.text import cn
from huiwu.text.cn import text_width
from huiwu.text.typeset import pack_lines, title_lines

HOST_MARK = "（主持）"
LARGE_UP_TO = 8
"""Seats either side of the centre up to which names are set large (小一), read from afar."""
NARROW_ABOVE = 12
"""Seats either side of the centre beyond which names are set a size smaller to fit their boxes."""
TALL_UP_TO = 2
"""Rostrum rows up to which the seat boxes are drawn tall, so that the chart fills its page."""


def arrangement(definition: Definition) -> list[SeatRow]:
    """The rostrum's rows, front row first, each seen from the audience."""
    rostrum = definition.rostrum
    assert rostrum is not None  # guarded by Kind.available
    directory = Directory(definition)
    members = directory.by_rank(roles.rostrum_members(definition))
    return seat_rows(
        members,
        rostrum.rows or [len(members)],
        rule=rostrum.rule,
        even=rostrum.even,
        host=definition.meeting.host,
    )


def build_context(inputs: Inputs) -> dict[str, Any]:
    """The seating chart's template context."""
    definition = inputs.definition
    rostrum = definition.rostrum
    assert rostrum is not None
    directory = Directory(definition)
    rows = arrangement(definition)
    half = max(max(row.centre, 2 * len(row.people) - row.centre) for row in rows)
    title = f"{definition.meeting.title}主席台座次图"
    labelled = len(rows) > 1
    return {
        "doc_title": title,
        "title_lines": title_lines(title),
        "note": _note(rostrum.rule, rostrum.even, rows),
        "columns": 2 * half,
        "size": name_size(half),
        "tall": len(rows) <= TALL_UP_TO,
        "ruler": [""] * (2 * half),
        "rows": [
            {
                "label": row_name(row) if labelled else "",
                "slots": _slots(definition, directory, row, half, titles=rostrum.titles),
            }
            for row in reversed(rows)  # the back row is furthest from the audience: on top
        ],
        "stage_front": "台\u3000\u3000下",
        "listing": listing(definition),
    }


def name_size(half: int) -> str:
    """大, 中 or 小 (a paragraph style of the template) by the seats either side of the centre."""
    if half <= LARGE_UP_TO:
        return "大"
    return "中" if half <= NARROW_ABOVE else "小"


def _title_lines(title: str | None, half: int) -> list[str]:
    """A title broken at word boundaries into balanced lines that fit the seat's box."""
    if not title:
        return []
    box = gbt9704.LANDSCAPE_TEXT_WIDTH / half - 2 * gbt9704.SEAT_BOX_MARGIN
    width = max(2, int(box / (gbt9704.SIZE_XIAO_4 * 20)))
    offices = title.split("、")
    if all(text_width(office) + 1 <= width for office in offices):
        # Several offices (县委副书记、县长) break between offices, never inside one.
        return pack_lines(offices, width)
    return title_lines(title, width)


def _note(rule: str, even: str, rows: list[SeatRow]) -> str:
    centred_on_one = even == "一号居中" and any(len(row.people) % 2 == 0 for row in rows)
    return f"（从台下看，{rule}" + ("，1号居中" if centred_on_one else "") + "）"


def _slots(
    definition: Definition, directory: Directory, row: SeatRow, half: int, *, titles: bool
) -> list[dict[str, Any]]:
    """A row's cells: empty space, then a two-column box per seat, then space, centred."""
    left = half - row.centre
    right = half - (2 * len(row.people) - row.centre)
    seats = [
        {
            "span": 2,
            "seat": True,
            "name": cn.pad_name(directory.name(key)),
            "title": _title_lines(directory.person(key).title, half) if titles else [],
            "host": HOST_MARK if key == definition.meeting.host else "",
        }
        for key in row.people
    ]
    before = [{"span": left, "seat": False}] if left else []
    after = [{"span": right, "seat": False}] if right else []
    return [*before, *seats, *after]


def row_name(row: SeatRow) -> str:
    """``第一排`` for the front row."""
    return f"第{cn.numeral(row.number)}排"


def listing(definition: Definition) -> list[str]:
    """The seats in words, front row first: ``第一排：7号孙伟　5号…　1号韩景明　2号陆振华（主持）…``."""
    directory = Directory(definition)
    lines = ["从台下看，自左至右（号数为本排位次）："]
    for row in arrangement(definition):
        seats = "\u3000".join(
            f"{rank}号{directory.name(key)}" + (HOST_MARK if key == definition.meeting.host else "")
            for rank, key in zip(row.ranks, row.people, strict=True)
        )
        lines.append(f"{row_name(row)}：{seats}")
    return lines
