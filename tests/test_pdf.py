"""PDFs as they print: the 22×28 grid, the mapped office fonts, page numbers, the 汇编, huiwu pdf."""

from __future__ import annotations

import itertools
import json
import zipfile

import docx
import pymupdf
import pytest
from huiwu.publish import fonts, pdf

from tests.conftest import EXAMPLES, run_cli, to_pdf

MM = 72 / 25.4
PITCH = 28.95
TOP = 37 * MM
LEFT = 28 * MM
BLOCK_BOTTOM = (297 - 35) * MM
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
HANGING = "，。、；：？！"


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    """The annual example built once with every PDF option."""
    out = tmp_path_factory.mktemp("annual") / "packet"
    status, _, err = run_cli("build", EXAMPLES["annual"], "-o", out, "--merged", "--zip")
    assert status == 0, err
    return out


def body_lines(page: pymupdf.Page) -> list[tuple[float, float, str]]:
    """(baseline, left edge, text) of each line of 3号 (16 pt) text in the text block, top to bottom.

    Title lines (2号) share the grid too, but their glyphs sit differently in the slot, so the
    grid is measured on body lines; the page number is below the block and left out.
    """
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            spans = [span for span in line["spans"] if span["text"].strip()]
            text = "".join(span["text"] for span in spans).strip()
            if text and line["bbox"][1] < BLOCK_BOTTOM and round(spans[0]["size"]) == 16:
                lines.append((spans[0]["origin"][1], line["bbox"][0], text))
    return sorted(lines)


def is_cjk_only(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" or ch in "，。、；：“”（）" for ch in text)


def test_report_pages_hold_22_lines_of_28_characters(annual):
    document = pymupdf.open(annual / "工作汇报.pdf")
    assert document.page_count >= 3, "the example report fills several pages"
    full_pages = 0
    full_lines = 0
    for page in document:
        lines = body_lines(page)
        tops = [top for top, _, _ in lines]
        for previous, current in itertools.pairwise(tops):
            gap = (current - previous) / PITCH
            assert gap == pytest.approx(round(gap), abs=0.02), "every line sits on the grid"
        # slots counted from the top of the text block (page 1 starts with the title lines)
        slots = round((tops[-1] - TOP) / PITCH + 0.5)
        assert slots <= LINES_PER_PAGE
        if tops[-1] > BLOCK_BOTTOM - PITCH:  # the last slot of the block is used
            assert slots == LINES_PER_PAGE, f"page {page.number + 1}"
            assert page.number == 0 or tops[0] < TOP + PITCH, "text starts in the first slot"
            full_pages += 1
        # a line flush with the margin and followed by its paragraph's next line is a full line
        for (top, left, text), (next_top, next_left, _) in itertools.pairwise(lines):
            flush = left == pytest.approx(LEFT, abs=2) and next_left == pytest.approx(LEFT, abs=2)
            if flush and next_top - top < PITCH * 1.5 and is_cjk_only(text):
                # a closing mark after the 28th character hangs in the margin, as in Word
                hanging = len(text) == CHARS_PER_LINE + 1 and text[-1] in HANGING
                assert len(text) == CHARS_PER_LINE or hanging, text
                full_lines += 1
    assert full_pages >= 2 and full_lines >= 5


def test_a_mark_hanging_after_the_28th_character_is_printed(built_examples, tmp_path):
    # LibreOffice drops it when body text is tightened by spacing (see pdf.for_libreoffice)
    produced = to_pdf(built_examples["mobilisation"] / "主持词.docx", tmp_path)
    text = "".join(pymupdf.open(produced)[0].get_text().split())
    assert "活动会议精神，安排部署我镇" in text


def test_office_fonts_are_mapped_to_their_substitutes(annual):
    assert fonts.fandol_installed(), "scripts/bootstrap.py --test installs the Fandol fonts"
    document = pymupdf.open(annual / "工作汇报.pdf")
    used = {font[3].split("+")[-1] for page in document for font in page.get_fonts()}
    # 仿宋 body, 黑体 and 楷体 headings, 小标宋 title (bold 宋体), 宋体 page numbers
    assert {
        "FandolFang-Regular",
        "FandolHei-Regular",
        "FandolKai-Regular",
        "FandolSong-Bold",
        "FandolSong-Regular",
    } <= used
    assert not any("Sans" in name for name in used), used


def test_page_numbers_sit_outside_on_odd_and_even_pages(annual):
    document = pymupdf.open(annual / "工作汇报.pdf")
    text_left, text_right = 28 * MM, (210 - 26) * MM
    for page in document:
        numbers = [
            (text, rect)
            for rect, text in ((pymupdf.Rect(b[:4]), b[4].strip()) for b in page.get_text("blocks"))
            if text.startswith("—") and text.endswith("—")
        ]
        assert len(numbers) == 1
        text, rect = numbers[0]
        assert text.replace(" ", "") == f"—{page.number + 1}—"
        if (page.number + 1) % 2:
            assert rect.x1 == pytest.approx(text_right - 14, abs=3)
        else:
            assert rect.x0 == pytest.approx(text_left + 14, abs=3)
        assert BLOCK_BOTTOM < rect.y0 < BLOCK_BOTTOM + 12 * MM


def test_every_document_has_its_pdf_listed_in_the_manifest(annual):
    manifest = json.loads((annual / "manifest.json").read_text(encoding="utf-8"))
    files = {entry["文件"]: entry for entry in manifest["材料"]}
    for document in annual.glob("*.docx"):
        pdf_name = document.stem + ".pdf"
        assert (annual / pdf_name).is_file()
        assert files[pdf_name]["材料"] == files[document.name]["材料"]
    assert {entry["文件"] for entry in manifest["输入"]} == {"meeting.yaml", "指标.xlsx"}


def test_merged_volume_has_cover_contents_and_each_document_on_an_odd_page(annual):
    volume = pymupdf.open(annual / "会议材料汇编.pdf")
    toc = volume.get_toc()
    manifest_order = [
        entry["材料"]
        for entry in json.loads((annual / "manifest.json").read_text(encoding="utf-8"))["材料"]
    ]
    assert [title for _, title, _ in toc] == [
        "会议通知",
        "会议议程",
        "主持词",
        "签到表",
        "工作汇报",
        "考核结果通报",
    ]
    assert set(manifest_order) >= {title for _, title, _ in toc}
    assert volume[0].get_text().replace("\n", "").startswith("2012 年度全县人口")
    contents = volume[1].get_text()
    assert "目" in contents and "录" in contents and "工作汇报" in contents
    rows = _contents_rows(volume[1])
    for _, title, page in toc:
        assert page % 2 == 1, f"{title} starts on a right-hand page"
        single = pymupdf.open(annual / f"{title}.pdf")
        assert _without_page_number(volume[page - 1]) == _without_page_number(single[0]), title
        # Numbered on through the volume: the contents and the printed numbers agree.
        first, last = page - 2, page - 2 + single.page_count - 1
        assert _printed_number(volume[page - 1]) == first, title
        assert _printed_number(volume[page - 1 + single.page_count - 1]) == last, title
        assert rows[title] == (f"{first}—{last}" if last > first else str(first)), title
    pages = sum(pymupdf.open(annual / f"{title}.pdf").page_count for _, title, _ in toc)
    assert pages + 2 <= volume.page_count <= pages + 2 + len(toc) - 1
    assert len(list(annual.glob("*.docx"))) == len(toc)


def _page_number_text(page: pymupdf.Page) -> str | None:
    for block in page.get_text("blocks"):
        text = block[4].strip()
        if text.startswith("—") and text.endswith("—"):
            return text
    return None


def _printed_number(page: pymupdf.Page) -> int:
    text = _page_number_text(page)
    assert text is not None, f"page {page.number + 1} has no page number"
    return int(text.strip("— ").replace(" ", ""))


def _without_page_number(page: pymupdf.Page) -> str:
    number = _page_number_text(page)
    return page.get_text().replace(number or "\0", "")


def _contents_rows(page: pymupdf.Page) -> dict[str, str]:
    """材料名称 → 页码 of the contents table."""
    words = page.get_text("words")
    lines: dict[int, list] = {}
    for word in words:
        lines.setdefault(round(word[1] / 4), []).append(word)
    rows = {}
    for line in lines.values():
        cells = [w[4] for w in sorted(line, key=lambda w: w[0])]
        if len(cells) >= 3 and cells[0].isdigit():
            rows[cells[1]] = cells[2]
    return rows


def test_zip_holds_the_packet(annual):
    archive = annual.with_name(annual.name + ".zip")
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        assert names == sorted(names)
        assert "packet/manifest.json" in names and "packet/工作汇报.pdf" in names
        assert {info.date_time for info in bundle.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_same_documents_give_the_same_pdf_bytes(annual, tmp_path):
    source = annual / "会议议程.docx"
    first, second = (
        pdf.convert([pdf.Job(source, tmp_path / f"{n}.pdf")])[0].read_bytes() for n in "ab"
    )
    assert first == second == (annual / "会议议程.pdf").read_bytes()


def test_pdf_command_converts_hand_edited_files(annual, tmp_path):
    edited = tmp_path / "改过的通知.docx"
    document = docx.Document(str(annual / "会议通知.docx"))
    document.add_paragraph("（此件公开发布）", style="公文正文")
    document.save(str(edited))
    status, out, err = run_cli("pdf", edited)
    assert status == 0, err
    produced = tmp_path / "改过的通知.pdf"
    assert str(produced) in out
    assert "（此件公开发布）" in "".join(page.get_text() for page in pymupdf.open(produced))
    status, _, err = run_cli("pdf", edited)
    assert status == 1 and "--force" in err


def test_pdf_command_reports_bad_files_at_once(tmp_path):
    (tmp_path / "旧格式.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    status, _, err = run_cli("pdf", tmp_path / "没有这个.docx", tmp_path / "旧格式.doc")
    assert status == 1
    assert "没有这个.docx: 错误：找不到文件" in err and "旧格式.doc: 错误：不是 .docx 文件" in err
    assert "Traceback" not in err


def test_missing_libreoffice_says_how_to_install_it(annual, tmp_path, monkeypatch):
    monkeypatch.setenv("HUIWU_SOFFICE", str(tmp_path / "no-soffice"))
    status, _, err = run_cli(
        "build", EXAMPLES["mobilisation"], "-o", tmp_path / "out", "--pdf", "--only", "agenda"
    )
    assert status == 1
    assert "LibreOffice" in err and "bootstrap.py --pdf" in err
    assert not (tmp_path / "out").exists(), "nothing is written when the PDFs cannot be made"


def test_build_pdf_without_libreoffice_says_so_before_writing_anything(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    out = tmp_path / "材料"
    status, out_text, err = run_cli("build", EXAMPLES["mobilisation"], "-o", out, "--pdf")
    assert status == 1, err
    assert "需要 LibreOffice" in err and "未生成任何文件" in err
    assert "已生成" not in out_text + err
    assert not out.exists()


def test_pdf_refuses_a_file_that_is_not_really_a_docx(tmp_path):
    fake = tmp_path / "通知.docx"
    fake.write_text("这其实是一个文本文件", encoding="utf-8")
    status, _, err = run_cli("pdf", fake)
    assert status == 1, err
    assert f"{fake}" in err and "不是有效的 .docx 文件" in err
    assert not (tmp_path / "通知.pdf").exists()
