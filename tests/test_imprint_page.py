"""The 版记 on the last page, an even one; no page number on a page of the 版记 alone or on the
blank page before it (GB/T 9704 §7.4, §7.5) — in huiwu's PDFs. The DOCX is left as it was."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pymupdf
import pytest
from docx.oxml.ns import qn
from huiwu.publish import imprint
from huiwu.publish.volume import start_numbering_at
from huiwu.render import docxzip
from lxml import etree

from tests.conftest import DATA, EXAMPLES, run_cli, to_pdfs

IMPRINT = (
    "抄送：县人大常委会办公室，县政协办公室，县纪委办公室。",
    "中共云川县委办公室",
    "2012年12月17日印发",
)
ISSUER = IMPRINT[1]  # also the signature under the body
PAGE_NUMBER = re.compile(r"^—\s*(\d+)\s*—$", re.MULTILINE)
REQUIREMENT = "    - 各乡镇（街道）计生办主任携带本单位考核台账\n"
LONG_REQUIREMENT = (
    "    - 第{}项：请各单位高度重视本次会议，认真组织，按时参会，"
    "不得无故缺席或者委托他人代会，确保会议效果\n"
)
RECEIPT = re.compile(r"  receipt:\n(    .*\n)+")


def _notice(folder: Path, *, requirements: int = 0, receipt_rows: int | None = None) -> Path:
    """The annual example's notice, with more requirements (a longer body) and the 回执 given
    ``receipt_rows`` rows, or none."""
    source = EXAMPLES["annual"].read_text(encoding="utf-8")
    extra = "".join(LONG_REQUIREMENT.format(n) for n in range(1, requirements + 1))
    source = source.replace(REQUIREMENT, REQUIREMENT + extra)
    if receipt_rows is None:
        source = RECEIPT.sub("", source)
    else:
        source = source.replace("    rows: 6\n", f"    rows: {receipt_rows}\n")
    folder.mkdir()
    (folder / "meeting.yaml").write_text(source, encoding="utf-8")
    (folder / "指标.xlsx").write_bytes((DATA / "annual-assessment" / "指标.xlsx").read_bytes())
    status, _, err = run_cli(
        "build", folder / "meeting.yaml", "-o", folder / "out", "--only", "notice"
    )
    assert status == 0, err
    # Named after the case: the PDFs of a batch are written side by side, named after each DOCX.
    return (folder / "out" / "会议通知.docx").rename(folder / f"{folder.name}.docx")


def _pages(path: Path) -> list[str]:
    return [page.get_text() for page in pymupdf.open(path)]


def _numbers(pages: list[str]) -> list[int | None]:
    """The page number printed on each page, or None."""
    found = [PAGE_NUMBER.findall(text) for text in pages]
    return [int(numbers[0]) if numbers else None for numbers in found]


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """Three notices whose 版记 LibreOffice first puts where §7.4 does not want it, converted in
    one batch: name → (DOCX bytes before converting, DOCX path, PDF path)."""
    root = tmp_path_factory.mktemp("imprint")
    notices = {
        # The body ends high on page 3: the 版记 fits under it, on an odd page.
        "fits on an odd page": _notice(root / "odd", requirements=4),
        # The 回执 fills page 4: the 版记 alone on page 5, numbered.
        "alone after an even page": _notice(root / "even", receipt_rows=12),
        # The body fills page 3: the 版记 alone on page 4, numbered.
        "alone on an even page": _notice(root / "alone", requirements=12),
    }
    before = {name: path.read_bytes() for name, path in notices.items()}
    pdfs = to_pdfs(list(notices.values()), root)
    return {
        name: (before[name], notices[name], pdf) for name, pdf in zip(notices, pdfs, strict=True)
    }


@pytest.mark.parametrize(
    ("name", "body_pages", "pages"),
    [
        ("fits on an odd page", 3, 4),
        ("alone after an even page", 4, 6),
        ("alone on an even page", 3, 4),
    ],
)
def test_imprint_on_the_last_even_page_without_a_number(cases, name, body_pages, pages):
    before, source, pdf = cases[name]
    texts = _pages(pdf)
    assert len(texts) == pages
    rest = _squeezed(PAGE_NUMBER.sub("", texts[-1]))
    for part in IMPRINT:
        assert part in rest, "the 版记 is on the last page"
        rest = rest.replace(part, "", 1)
    assert rest == "", "and nothing else"
    assert not any(IMPRINT[0] in _squeezed(text) for text in texts[:-1])
    # The body's pages keep their numbers; the 版记's page, and a blank page before it, have none.
    assert _numbers(texts) == [*range(1, body_pages + 1), *[None] * (pages - body_pages)]
    assert ISSUER in _squeezed(texts[2]), "the signature stays where it was"
    for blank in texts[body_pages:-1]:
        assert blank.strip() == ""
    assert source.read_bytes() == before, "the DOCX is not changed"


def test_the_rules_sit_on_the_foot_of_the_block(cases):
    """The 版记 page laid out again keeps the 版记 on the bottom edge of the text block."""
    last = pymupdf.open(cases["alone after an even page"][2])[-1]
    rules = sorted(
        (d["rect"] for d in last.get_drawings() if d["rect"].height < 2 and d["rect"].width > 400),
        key=lambda r: r.y0,
    )
    assert len(rules) >= 3
    assert rules[-1].y1 == pytest.approx((297 - 35) * 72 / 25.4, abs=2 * 72 / 25.4)


def test_huiwu_pdf_with_libreoffice_started_for_the_batch(cases, tmp_path, monkeypatch):
    """``huiwu pdf`` without the warm LibreOffice lays the 版记 out the same, to the byte."""
    _, source, made = cases["alone after an even page"]
    monkeypatch.setenv("HUIWU_PDF_WARM", "0")
    status, _, err = run_cli("pdf", source, "-o", tmp_path)
    assert status == 0, err
    assert (tmp_path / made.name).read_bytes() == made.read_bytes()


# The layout of the LibreOffice copy, without LibreOffice.

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _main(data: bytes) -> etree._Element:
    return etree.fromstring(docxzip.read_members(data)["word/document.xml"])


def test_relaid_puts_the_imprint_in_a_section_without_page_numbers(built_examples):
    original = (built_examples["annual"] / "会议通知.docx").read_bytes()
    found = imprint.find(original)
    assert found is not None
    assert found.texts == IMPRINT

    numbered_from_9 = start_numbering_at(original, 9)  # as the 汇编 converts it
    relaid = imprint.relaid(numbered_from_9, blank_page=True)
    body = _main(relaid).find(qn("w:body"))
    table = body.findall(qn("w:tbl"))[-1]
    blank, lead, end_of_body = list(table.itersiblings(preceding=True))[:3]
    assert blank.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is not None
    assert lead.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None
    assert not "".join(lead.itertext()) and not "".join(blank.itertext())

    # The body's section is the document's section as it was: its footers and numbering.
    body_section = end_of_body.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
    original_section = _main(numbered_from_9).find(qn("w:body")).find(qn("w:sectPr"))
    assert etree.tostring(body_section) == etree.tostring(original_section)

    # The 版记's section: an empty footer on odd and even pages, numbering on from the body.
    final = body.find(qn("w:sectPr"))
    references = {
        ref.get(qn("w:type")): ref.get(qn("r:id")) for ref in final.findall(qn("w:footerReference"))
    }
    assert set(references) == {"default", "even"} and len(set(references.values())) == 1
    assert final.find(qn("w:titlePg")) is None
    numbering = final.find(qn("w:pgNumType"))
    assert numbering is None or numbering.get(qn("w:start")) is None

    document = docx.Document(io.BytesIO(relaid))
    footer = document.sections[-1].footer
    assert not footer.is_linked_to_previous
    assert "".join(p.text for p in footer.paragraphs) == ""
    assert "PAGE" not in etree.tostring(footer._element).decode()
    # The rest of the document is untouched.
    assert [t.text for t in document.tables[-1]._cells] == [
        t.text for t in docx.Document(io.BytesIO(original)).tables[-1]._cells
    ]


def test_relaid_without_a_blank_page(built_examples):
    original = (built_examples["annual"] / "会议通知.docx").read_bytes()
    body = _main(imprint.relaid(original, blank_page=False)).find(qn("w:body"))
    table = body.findall(qn("w:tbl"))[-1]
    lead, end_of_body = list(table.itersiblings(preceding=True))[:2]
    assert lead.find(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}") is None
    assert end_of_body.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None


def test_documents_without_an_imprint_are_left_alone(built_examples):
    plain = (built_examples["mobilisation"] / "会议通知.docx").read_bytes()
    assert imprint.find(plain) is None
    assert imprint.find(b"not a docx") is None


@pytest.mark.parametrize(
    ("pages", "body", "numbered", "right", "blank"),
    [
        (4, 4, {1, 2, 3, 4}, True, None),  # shares an even page: as it is
        (3, 3, {1, 2, 3}, False, False),  # shares an odd page: to page 4
        (5, 4, {1, 2, 3, 4, 5}, False, True),  # alone on page 5: blank 5, 版记 6
        (4, 3, {1, 2, 3, 4}, False, False),  # alone on page 4, numbered
        (4, 3, {1, 2, 3}, True, None),  # alone on page 4, no number
        (6, 4, {1, 2, 3, 4}, True, None),  # after a blank page
    ],
)
def test_when_to_lay_out_again(pages, body, numbered, right, blank):
    layout = imprint.Layout(pages, body, True, frozenset(numbered))
    assert layout.right is right
    if blank is not None:
        assert layout.blank_page is blank
