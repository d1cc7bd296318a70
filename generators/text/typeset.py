"""Line-level typesetting rules of GB/T 9704 that depend on text width.

Widths are counted in full-width characters of the style's type size (ASCII digits count half),
which is how office staff lay these out by hand in Word.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import rjieba
from huiwu.text.cn import text_width

TITLE_LINE_CHARS = 20
"""2号 (22 pt) characters on a 156 mm line."""

BODY_LINE_CHARS = 28
"""3号 (16 pt) characters on a 156 mm line with −0.25 pt spacing."""

_SPACE = "\u3000"

# Function words a title line must not end with.
_DANGLING = ("的", "和", "及", "与", "或", "对", "在", "为", "把", "将", "于")

# Punctuation that may not begin a line (禁则).
_NO_LINE_START = "、，。；：？！）》〉」』”’…"

# Particles and conjunctions that bind to the word before them: a line never starts with one
# (``人口`` / ``和计划生育`` splits the phrase ``人口和计划生育``).
_NO_LINE_START_WORDS = frozenset("和与及或的之等了着过并而")

# Words that end a title and should stay together on its last line.
_TAIL_WORDS = ("的", "通知", "讲话", "汇报", "报告", "意见", "通报", "决定", "方案", "纪要")


def title_lines(title: str, max_chars: int = TITLE_LINE_CHARS) -> list[str]:
    """Break a long title into lines of a trapezoid or diamond shape, never inside a word.

    Line breaks the user typed (``\\n``) are kept as given. Otherwise a title longer than
    one line is split at the word boundaries (found by the jieba segmenter) that give the most
    balanced lines, avoiding breaks next to single-character words such as ``和`` or ``线``.
    """
    if "\n" in title:
        return [line.strip() for line in title.split("\n") if line.strip()]
    if text_width(title) <= max_chars:
        return [title]
    lines_needed = 2 if text_width(title) <= 2 * max_chars else 3
    if text_width(title) > lines_needed * max_chars:
        # No three lines can hold it: the search over break points (cubic in the length)
        # could only fail, after minutes for a title of some thousand characters.
        return _even_split(title, lines_needed)
    best = _best_split(title, lines_needed, max_chars)
    return best if best is not None else _even_split(title, lines_needed)


def _break_points(title: str) -> list[tuple[int, int]]:
    """Word boundaries of the title with a penalty: 0 for a clean break, more for a poor one."""
    words = rjieba.cut(title)
    points = []
    position = 0
    for before, after in itertools.pairwise(words):
        position += len(before)
        if after[0] in _NO_LINE_START or after in _NO_LINE_START_WORDS:
            continue  # 、 or ） or 和 never begins a line
        penalty = 0
        if before in _DANGLING:
            continue  # a line never ends in 和 or 的: the phrase goes on on the next line
        if before.isascii():
            penalty += 4  # a line ending in a bare number reads broken
        if len(before) == 1 and before != "年":
            penalty += 1
        if len(after) == 1 and after not in _TAIL_WORDS:
            penalty += 1
        points.append((position, penalty))
    return points


def _best_split(title: str, lines: int, max_chars: int) -> list[str] | None:
    candidates = _break_points(title)
    best: tuple[float, list[str]] | None = None
    for split in _combinations(candidates, lines - 1):
        positions = [p for p, _ in split]
        parts = [title[i:j] for i, j in zip([0, *positions], [*positions, len(title)], strict=True)]
        widths = [text_width(part) for part in parts]
        if max(widths) > max_chars:
            continue
        score = _shape_score(widths) + sum(penalty for _, penalty in split) * 0.5
        if best is None or score < best[0]:
            best = (score, parts)
    return best[1] if best else None


def _combinations(items: list[tuple[int, int]], k: int) -> list[list[tuple[int, int]]]:
    if k == 0:
        return [[]]
    out = []
    for i, item in enumerate(items):
        for rest in _combinations(items[i + 1 :], k - 1):
            out.append([item, *rest])
    return out


def _shape_score(widths: list[float]) -> float:
    """Lower is better: balanced lines; for three lines the middle one should be longest."""
    spread = max(widths) - min(widths)
    if len(widths) == 3 and widths[1] < max(widths[0], widths[2]):
        spread += 2
    return spread


def _even_split(title: str, lines: int) -> list[str]:
    size = -(-len(title) // lines)
    parts = [title[i : i + size] for i in range(0, len(title), size)]
    for index in range(1, len(parts)):
        while parts[index] and parts[index][0] in _NO_LINE_START:
            parts[index - 1] += parts[index][0]  # the mark stays at the end of the line before
            parts[index] = parts[index][1:]
    return [part for part in parts if part]


@dataclass(frozen=True)
class SignatureBlock:
    """The issuing authority's name and the date under the body, already padded."""

    issuer: str
    date: str


def signature_block(issuer: str, date: str, *, seal: bool) -> SignatureBlock:
    """Place the issuer and date per GB/T 9704 §7.3.5 with leading full-width spaces.

    With a seal the date stands four characters from the right and the issuer is centred over
    it; without one the issuer stands two characters from the right and the date starts two
    characters further right than the issuer (or both shift left when the date is longer).
    """
    name_width = text_width(issuer)
    date_width = text_width(date)
    if seal:
        date_start = BODY_LINE_CHARS - 4 - date_width
        name_start = date_start + (date_width - name_width) / 2
    else:
        name_start = BODY_LINE_CHARS - 2 - name_width
        date_start = name_start + 2
        if date_width > name_width:
            date_start = BODY_LINE_CHARS - 2 - date_width
            name_start = date_start - 2
    return SignatureBlock(_pad(issuer, name_start), _pad(date, date_start))


def _pad(text: str, start: float) -> str:
    return _SPACE * max(0, round(start)) + text


def pack_lines(items: Sequence[str], width: float, sep: str = "、") -> list[str]:
    """Join ``items`` with ``sep`` into lines at most ``width`` characters wide, breaking only
    between items, so that a name in a list is never split across two lines.

    Each line but the last ends with ``sep``; an item wider than a line stands on its own.
    """
    lines: list[str] = []
    current = ""
    for index, item in enumerate(items):
        piece = item + (sep if index < len(items) - 1 else "")
        if current and text_width(current + piece) > width:
            lines.append(current)
            current = ""
        current += piece
    if current:
        lines.append(current)
    return lines


# A short unit in brackets that reads as one: （10分）, （0.5分）, （5件）.
_SHORT_UNIT = re.compile(r"（\d+(?:\.\d+)?[^\s（）\d]{1,2}）")

UNIT_SLACK = 1.0
"""Characters kept free at a line end before a unit: the faces on an office PC are a little
wider or narrower than the grid says (楷体 digits run wider under LibreOffice)."""


@lru_cache(maxsize=4096)
def keep_units_together(text: str, indent: float = 2, line_chars: float = BODY_LINE_CHARS) -> str:
    """Put a line break (``\n``) before each short unit such as ``（10分）`` that would
    otherwise straddle a line end, so that it never prints as ``（10`` / ``分）``.

    Neither LibreOffice nor Word keeps such a unit together by itself: both break between a
    digit and a Chinese character, and ignore word joiners there. So the paragraph is laid out
    here on the grid (``indent`` characters on the first line, ``line_chars`` a line) and the
    unit moved to the next line by hand when it would not fit with :data:`UNIT_SLACK` to spare.
    The line before the break is not stretched: the templates set ``doNotExpandShiftReturn``.
    """
    if "（" not in text:
        return text
    pieces: list[str] = []
    column = indent
    done = 0
    for match in _SHORT_UNIT.finditer(text):
        column = _advance(text[done : match.start()], column, line_chars)
        # A mark after the unit (。) goes with it: Word does not hang it in the margin.
        trailing = len(text[match.end() :]) - len(text[match.end() :].lstrip(_NO_LINE_START))
        width = text_width(text[match.start() : match.end() + trailing])
        pieces.append(text[done : match.start()])
        if column > 0 and column + width > line_chars - UNIT_SLACK:
            pieces.append("\n")
            column = 0
        pieces.append(match.group())
        column = _advance(match.group(), column, line_chars)
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces)


_PIECES = re.compile(r"[0-9A-Za-z.%]+|.", re.DOTALL)
"""What the grid sets as one: a run of ASCII letters and digits, or one character."""


def _advance(text: str, column: float, line_chars: float) -> float:
    """The column after setting ``text`` from ``column``, wrapping as the grid does: a run of
    ASCII letters and digits moves whole, and a mark that may not begin a line hangs at the
    end of the line instead."""
    for piece in _PIECES.findall(text):
        width = text_width(piece)
        if column + width > line_chars and not (len(piece) == 1 and piece in _NO_LINE_START):
            column = 0
        column += width
        if column >= line_chars:
            column = 0
    return column
