"""主席台座次图: the rostrum drawn as the audience sees it — back row at the top, front row at
the bottom by the stage front — one box per seat, the host marked, and the seats listed in text
under the chart so that whoever checks it can read them off (``huiwu seats`` prints the same).
"""

from __future__ import annotations

from typing import Any

from .. import cn, roles
from ..inputs import Inputs
from ..model import Definition
from ..seating import SeatRow, seat_rows
from ..typeset import title_lines
from .common import Directory

HOST_MARK = "（主持）"


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
        "note": f"（从台下看，{rostrum.rule}）",
        "columns": 2 * half,
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
            "title": (directory.person(key).title or "") if titles else "",
            "host": HOST_MARK if key == definition.meeting.host else "",
        }
        for key in row.people
    ]
    space = [{"span": span, "seat": False} for span in (left,) if span]
    after = [{"span": span, "seat": False} for span in (right,) if span]
    return [*space, *seats, *after]


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
