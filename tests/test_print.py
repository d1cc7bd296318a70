"""The printed page, through LibreOffice: pages, page numbers, margins as a reader sees them."""

from __future__ import annotations

import pymupdf
import pytest

from tests.conftest import to_pdf

MM = 72 / 25.4


@pytest.fixture(scope="module")
def notice_pdf(built_examples, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    return pymupdf.open(to_pdf(built_examples["mobilisation"] / "会议通知.docx", out))


def _page_number_span(page: pymupdf.Page) -> tuple[str, pymupdf.Rect]:
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if text.startswith("—") and text.endswith("—"):
                lines.append((text, pymupdf.Rect(line["bbox"])))
    assert len(lines) == 1, lines
    return lines[0]


def test_notice_prints_on_two_pages_with_page_numbers_outside(notice_pdf):
    assert notice_pdf.page_count == 2
    odd_text, odd_box = _page_number_span(notice_pdf[0])
    even_text, even_box = _page_number_span(notice_pdf[1])
    assert odd_text.replace(" ", "") == "—1—" and even_text.replace(" ", "") == "—2—"
    text_left = 28 * MM
    text_right = (210 - 26) * MM
    # odd pages: right-aligned one character (14 pt) in from the edge of the text block
    assert odd_box.x1 == pytest.approx(text_right - 14, abs=3)
    # even pages: left-aligned one character in
    assert even_box.x0 == pytest.approx(text_left + 14, abs=3)
    # the number sits a few millimetres under the text block (bottom margin 35 mm)
    text_bottom = (297 - 35) * MM
    assert text_bottom < odd_box.y0 < text_bottom + 12 * MM


def test_body_text_starts_at_the_margins(notice_pdf):
    page = notice_pdf[0]
    words = page.get_text("words")
    assert min(w[0] for w in words) == pytest.approx(28 * MM, abs=2), "left margin 28 mm"
    body_top = min(w[1] for w in words)
    assert body_top == pytest.approx(37 * MM, abs=4 * MM), "top margin 37 mm"
