"""The minutes, seating chart and name cards printed through LibreOffice, checked as pages."""

from __future__ import annotations

import pymupdf
import pytest
from huiwu.text.cn import text_width

from tests.conftest import texts, to_pdfs

MM = 72 / 25.4
RED = 0xFF0000


@pytest.fixture(scope="module")
def printed(built_examples, tmp_path_factory) -> dict[str, pymupdf.Document]:
    """The leading-group example's minutes, chart and cards, converted in one LibreOffice run."""
    packet = built_examples["leading"]
    names = ["会议纪要", "主席台座次图", "桌签"]
    pdfs = to_pdfs([packet / f"{name}.docx" for name in names], tmp_path_factory.mktemp("pdf"))
    return {name: pymupdf.open(pdf) for name, pdf in zip(names, pdfs, strict=True)}


def _spans(page: pymupdf.Page):
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            yield from line["spans"]


def test_minutes_banner_is_red_and_35_mm_below_the_text_block(printed):
    page = printed["会议纪要"][0]
    banner = [s for s in _spans(page) if s["text"].strip().startswith("岚溪县人口和计划生育")]
    assert banner and banner[0]["color"] == RED
    assert banner[0]["size"] == pytest.approx(36, abs=0.5)
    top_of_text_block = 37 * MM
    assert banner[0]["bbox"][1] == pytest.approx(top_of_text_block + 35 * MM, abs=4 * MM)


def test_minutes_attendance_wraps_under_the_first_name(printed, built_examples):
    document = printed["会议纪要"]
    page = document[document.page_count - 1]
    lines = texts(built_examples["leading"] / "会议纪要.docx")
    present = next(line for line in lines if line.startswith("出席："))
    first_line, second_line = present.removeprefix("出席：").split("\n")[:2]
    first, second = first_line.split("、")[0], second_line.split("、")[0]
    label = page.search_for("出席：")[0]
    assert label.x0 == pytest.approx(28 * MM + 32, abs=2), "左空二字"
    x_first = page.search_for(first)[0].x0
    x_second = page.search_for(second)[0].x0
    assert x_first == pytest.approx(label.x1, abs=2)
    assert x_second == pytest.approx(x_first, abs=2), "wrapped lines align after the colon"
    assert text_width(first_line) <= 23


def test_chart_is_one_landscape_page_centred_on_the_first_seat(printed):
    chart = printed["主席台座次图"]
    assert chart.page_count == 1
    page = chart[0]
    assert page.rect.width > page.rect.height
    first = page.search_for("韩景明")[0]
    centre_of_text_block = (35 + 225 / 2) * MM
    assert (first.x0 + first.x1) / 2 == pytest.approx(centre_of_text_block, abs=3)
    back_row = page.search_for("曾宪文")[0]
    stage_front = page.search_for("台")[-1]
    assert back_row.y1 < first.y0 < stage_front.y0, "back row on top, the audience at the bottom"
    host_mark = page.search_for("主持")[0]
    host = page.search_for("陆振华")[0]
    assert host_mark.y0 > host.y1 and abs(host_mark.x0 + host_mark.x1 - host.x0 - host.x1) < 6


def _half(page: pymupdf.Page, lower: bool) -> list[list[bool]]:
    """The inked pixels of one half of the page at 30 dpi, as rows."""
    width, height = page.rect.width, page.rect.height
    clip = pymupdf.Rect(0, height / 2 if lower else 0, width, height if lower else height / 2)
    pixmap = page.get_pixmap(dpi=30, colorspace=pymupdf.csGRAY, clip=clip)
    samples = pixmap.samples
    return [
        [samples[row * pixmap.stride + x] < 128 for x in range(pixmap.width)]
        for row in range(pixmap.height)
    ]


def _mismatch(a: list[list[bool]], b: list[list[bool]]) -> int:
    """Pixels inked in one picture and not the other, at the best shift of up to 2 pixels."""
    height, width = len(a), len(a[0])
    best = None
    for dy in range(-2, 3):
        for dx in range(-2, 3):
            count = 0
            for y in range(max(0, dy), min(height, height + dy)):
                row_a, row_b = a[y], b[y - dy]
                for x in range(max(0, dx), min(width, width + dx)):
                    count += row_a[x] != row_b[x - dx]
            best = count if best is None else min(best, count)
    return best or 0


def test_each_card_reads_upright_on_both_faces_once_folded(printed):
    cards = printed["桌签"]
    assert cards.page_count == 14
    for page in (cards[0], cards[13]):
        upper, lower = _half(page, lower=False), _half(page, lower=True)
        inked = sum(map(sum, lower))
        assert inked > 100, "the name is printed large"
        turned = [row[::-1] for row in upper[::-1]]
        # The upper half turned by 180° is the lower half ...
        assert _mismatch(turned, lower) < inked * 0.1
        # ... which an upper half printed upright would not be.
        assert _mismatch(upper, lower) > inked * 0.5
