"""Short units such as （10分） never break across a line end, and the line before a unit moved
whole to the next line is not stretched: checked on the printed letter."""

from __future__ import annotations

import itertools
import re
import shutil
import statistics
from pathlib import Path

import pymupdf
import pytest
from huiwu.documents.blocks import Block, heading
from huiwu.text.cn import text_width
from huiwu.text.typeset import BODY_LINE_CHARS, keep_units_together

from tests.conftest import DATA, run_cli, to_pdf

# Titles whose （10分） falls before, across and after the end of the first line.
_TITLE = "稳定低生育水平综合治理出生人口性别比加强孕情监测依法查处"
_ITEM = "已婚育龄妇女生殖健康服务到位率达到规范要求计划生育基层"


def test_a_unit_that_would_straddle_the_line_end_starts_the_next_line():
    # 2 (indent) + 3 (（一）) + 20 = 25 characters before the unit: （10分） does not fit.
    text = "（一）" + _TITLE[:20] + "（10分）"
    assert keep_units_together(text) == "（一）" + _TITLE[:20] + "\n（10分）"


def test_a_unit_that_fits_stays_on_its_line():
    text = "（一）" + _TITLE[:15] + "（10分）"
    assert keep_units_together(text) == text


def test_a_full_stop_after_the_unit_counts_with_it():
    # 2 + 1 (1.) + 21 = 24, and （3分）。 is 4.5 wide: it would need the last half character.
    text = "1." + _ITEM[:21] + "（3分）。"
    assert keep_units_together(text) == "1." + _ITEM[:21] + "\n（3分）。"


def test_units_on_later_lines_are_laid_out_from_the_wrapped_column():
    # The first line holds 26 characters after the indent; the unit then starts at column 4.
    text = _ITEM[:26] + _ITEM[:4] + "（2分）"
    assert keep_units_together(text) == text
    longer = _ITEM[:26] + _ITEM[:24] + "（2分）"  # column 24 + 3.5 > 28 − 1
    assert keep_units_together(longer) == _ITEM[:26] + _ITEM[:24] + "\n（2分）"


def test_blocks_give_the_laid_out_text_to_the_template():
    block = heading(2, 1, _TITLE[:20] + "（10分）")
    assert block.as_context()["text"].endswith("\n（10分）")
    assert Block("center", _TITLE[:24] + "（10分）").as_context()["text"].count("\n") == 0


def _letters_definition(tmp_path: Path) -> Path:
    """The letters example with sections and items of every length around the line end."""
    folder = tmp_path / "letters"
    shutil.copytree(DATA / "responsibility-letters", folder)
    definition = folder / "meeting.yaml"
    source = definition.read_text(encoding="utf-8")
    start = source.index("  targets:\n")
    end = source.index("\n  bonus:")
    lines = ["  targets:"]
    for length in range(17, 27):
        lines += [f"    - title: {_TITLE[:length]}", "      points: 10", "      items:"]
        for item_length, points in zip((20, 21, 22, 23), (2, 3, 2, 3), strict=True):
            lines.append(f"        - {{text: {_ITEM[:item_length]}, points: {points}}}")
    definition.write_text(source[:start] + "\n".join(lines) + source[end:], encoding="utf-8")
    return definition


@pytest.fixture(scope="module")
def printed_lines(tmp_path_factory) -> list[tuple[str, float]]:
    """(text, width in points) of every printed line of one letter."""
    tmp_path = tmp_path_factory.mktemp("units")
    out = tmp_path / "out"
    status, _, err = run_cli(
        "letters", _letters_definition(tmp_path), "-o", out, "--units", "长桥镇"
    )
    assert status == 0, err
    document = pymupdf.open(to_pdf(next(out.glob("*.docx")), tmp_path))
    lines = []
    for page in document:
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = re.sub(r"\s", "", "".join(span["text"] for span in line["spans"]))
                if text:
                    lines.append((text, line["bbox"][2] - line["bbox"][0]))
    return lines


def test_no_printed_line_breaks_inside_a_unit(printed_lines):
    texts = [text for text, _ in printed_lines]
    assert not [t for t in texts if t.startswith(("分）", "）"))]
    assert not [t for t in texts if re.search(r"（\d+(\.\d+)?$", t)]
    # The break case happened: units were moved whole to a line of their own.
    assert "（10分）" in texts
    assert "（3分）。" in texts


def test_the_line_before_a_moved_unit_is_not_stretched(printed_lines):
    pitches = [width / text_width(text) for text, width in printed_lines if "（" not in text]
    full = statistics.median(
        width / text_width(text)
        for text, width in printed_lines
        if text_width(text) >= BODY_LINE_CHARS - 2
    )
    before_units = [
        (text, width / text_width(text))
        for (text, width), (after, _) in itertools.pairwise(printed_lines)
        if re.fullmatch(r"（\d+分）。?", after)
    ]
    assert before_units and pitches
    stretched = [text for text, pitch in before_units if pitch > full * 1.02]
    assert not stretched, f"stretched lines before a moved unit: {stretched}"
