"""The seating chart and the name cards as produced: who sits where, and one card per person."""

from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn

from tests.conftest import EXAMPLES, run_cli
from tests.test_validation import VALID, problems_of

V_NS = "urn:schemas-microsoft-com:vml"


def seat_rows(path) -> list[list[tuple[int, str, bool]]]:
    """Each table row (top to bottom) as (grid span, text, ruled box) per cell."""
    table = docx.Document(str(path)).tables[0]
    rows = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            text = "|".join(p.text for p in docx.table._Cell(tc, table).paragraphs if p.text)
            boxed = tc.tcPr is not None and tc.tcPr.find(qn("w:tcBorders")) is not None
            cells.append((int(span.get(qn("w:val"))) if span is not None else 1, text, boxed))
        rows.append(cells)
    return rows


def seats(row: list[tuple[int, str, bool]]) -> list[str]:
    """The names in the ruled boxes, left to right, without the spacing of two-character names."""
    names = [
        text.split("|")[-2 if text.endswith("（主持）") else -1] for _, text, box in row if box
    ]
    return [name.replace("\u3000", "") for name in names]


def centre_of(row: list[tuple[int, str, bool]], name: str) -> float:
    """The grid position of the middle of ``name``'s seat."""
    start = 0
    for span, text, _ in row:
        if name in text:
            return start + span / 2
        start += span
    raise AssertionError(name)


@pytest.fixture(scope="module")
def chart(built_examples):
    return built_examples["leading"] / "主席台座次图.docx"


def test_chart_shows_back_row_above_front_row_as_seen_from_the_audience(chart):
    ruler, back_label, back, front_label, front = seat_rows(chart)
    columns = len(ruler)
    assert (back_label[0][1], front_label[0][1]) == ("第二排", "第一排")
    # 以左为上: 7 5 3 1 2 4 6 from the audience's left
    assert seats(front) == ["杜晓光", "江文斌", "苏建平", "韩景明", "陆振华", "贺玉林", "孟庆华"]
    assert seats(back) == ["钟国强", "曾宪文", "范丽萍", "欧阳春"]
    assert centre_of(front, "韩景明") == columns / 2, "1 on the centre line"
    assert centre_of(back, "曾宪文") + 1 == columns / 2, "an even row: 1 and 2 share the centre"
    assert all(sum(span for span, _, _ in row) == columns for row in (back, front))


def test_chart_marks_the_host_and_writes_titles(chart):
    front = seat_rows(chart)[-1]
    host = next(text for _, text, _ in front if "陆振华" in text)
    assert host == "县委副书记、|县长|陆振华|（主持）", "titles break between offices"
    assert next(text for _, text, _ in front if "韩景明" in text) == "县委书记|韩景明"


def test_chart_is_read_from_the_rostrum(chart, tmp_path):
    """Few seats across: names in 小一 (24 pt) boxes; two rows fill the landscape page."""
    import pymupdf

    from tests.conftest import to_pdf

    table = docx.Document(str(chart)).tables[0]
    names = [p for cell in table._cells for p in cell.paragraphs if p.text == "韩景明"]
    assert names and names[0].style.font.size.pt == 24
    pdf = pymupdf.open(to_pdf(chart, tmp_path))
    assert pdf.page_count == 1
    page = pdf[0]
    spans = [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    ]
    stage = next(span for span in spans if span["text"].startswith("台"))
    assert stage["bbox"][1] > 0.6 * page.rect.height, "the rostrum fills the page above it"
    name = next(span for span in spans if span["text"] == "韩景明")
    assert name["size"] >= 23


def test_chart_lists_the_seats_for_checking(chart):
    document = docx.Document(str(chart))
    listing = [p.text for p in document.paragraphs if p.style.name == "座次名单"]
    assert listing == [
        "从台下看，自左至右（号数为本排位次）：",
        "第一排：7号杜晓光\u30005号江文斌\u30003号苏建平\u30001号韩景明\u3000"
        "2号陆振华（主持）\u30004号贺玉林\u30006号孟庆华",
        "第二排：3号钟国强\u30001号曾宪文\u30002号范丽萍\u30004号欧阳春",
    ]
    section = document.sections[0]
    assert section.page_width.twips > section.page_height.twips, "landscape"


def test_seats_command_prints_the_same_listing():
    status, out, err = run_cli("seats", EXAMPLES["leading"])
    assert status == 0, err
    assert out.splitlines()[1].startswith("第一排：7号杜晓光")


def test_seats_command_needs_a_rostrum(write_yaml):
    status, _, err = run_cli("seats", write_yaml(VALID))
    assert status == 1 and "rostrum" in err


@pytest.fixture(scope="module")
def cards(built_examples):
    return built_examples["leading"] / "桌签.docx"


def _shapes(path):
    body = docx.Document(str(path)).element.body
    return body.findall(f".//{{{V_NS}}}shape")


def test_one_card_per_rostrum_member_and_named_attendee(cards):
    shapes = _shapes(cards)
    names = [shape.find(f"{{{V_NS}}}textpath").get("string") for shape in shapes]
    assert len(names) == 2 * 14, "11 on the rostrum, 3 named attendees, two halves each"
    assert names[:4] == ["韩景明", "韩景明", "陆振华", "陆振华"], "by rank"
    assert "邱\u3000文" in names, "a two-character name spaced to the width of three"


def test_upper_half_is_turned_and_both_halves_match(cards):
    shapes = _shapes(cards)
    for upper, lower in zip(shapes[::2], shapes[1::2], strict=True):
        up = dict(part.split(":") for part in upper.get("style").split(";") if part)
        down = dict(part.split(":") for part in lower.get("style").split(";") if part)
        assert up.get("rotation") == "180" and "rotation" not in down
        assert up["margin-left"] == down["margin-left"] and up["width"] == down["width"]
        top, bottom = float(up["margin-top"][:-2]), float(down["margin-top"][:-2])
        height = float(up["height"][:-2])
        # mirror images about the fold, 105 mm down the 210 mm sheet
        assert top + height / 2 + bottom + height / 2 == pytest.approx(210, abs=0.2)
    textpath = shapes[0].find(f"{{{V_NS}}}textpath")
    assert "font-family:黑体" in textpath.get("style") and "font-size:72pt" in textpath.get("style")


def test_each_card_starts_a_page(cards):
    document = docx.Document(str(cards))
    holders = [p for p in document.paragraphs if p.style.name == "桌签"]
    assert len(holders) == 14
    assert document.styles["桌签"].element.pPr.find(qn("w:pageBreakBefore")) is not None


ROSTRUM = """\
people:
  王建国: {title: 镇党委副书记, rank: 2}
  张志远: {title: 镇党委书记, rank: 1}
  李娜: {title: 干事}
  赵一: {title: 镇长, rank: 3}
  钱二: {title: 副镇长, rank: 4}
"""


def _with_rostrum(text: str) -> str:
    return (
        VALID.replace(
            "people:\n  王建国: {title: 镇党委副书记, rank: 2}\n"
            "  张志远: {title: 镇党委书记, rank: 1}\n  李娜: {title: 干事}\n",
            ROSTRUM,
        )
        + text
    )


@pytest.mark.parametrize(
    ("options", "order", "centre_person", "offset"),
    [
        ("{}", ["赵一", "张志远", "王建国", "钱二"], "张志远", 1),
        ("{rule: 以右为上}", ["钱二", "王建国", "张志远", "赵一"], "王建国", 1),
        ("{even: 一号居中}", ["赵一", "张志远", "王建国", "钱二"], "张志远", 0),
    ],
)
def test_rules_and_the_even_count_variant(
    write_yaml, tmp_path, options, order, centre_person, offset
):
    definition = write_yaml(
        _with_rostrum(f"rostrum: {options}\n").replace(
            "leaders: [张志远]", "leaders: [张志远, 赵一, 钱二]"
        )
    )
    out = tmp_path / "out"
    status, _, err = run_cli("build", definition, "-o", out, "--only", "seating_chart")
    assert status == 0, err
    ruler, front = seat_rows(out / "主席台座次图.docx")
    assert seats(front) == order
    # 两人居中: the centre line runs between 1 and 2; 一号居中: through the middle of 1
    assert centre_of(front, centre_person) + offset == len(ruler) / 2


def test_more_people_than_seats_is_reported(write_yaml):
    definition = write_yaml(
        _with_rostrum("rostrum:\n  members: [张志远, 王建国, 赵一, 钱二]\n  rows: [2, 1]\n")
    )
    (problem,) = problems_of(definition)
    assert "rostrum.rows" in problem and "主席台共4人，每排座位数合计只有3个" in problem


def test_unknown_rostrum_member_is_reported_with_its_line(write_yaml):
    definition = write_yaml(_with_rostrum("rostrum:\n  members: [张志远, 王建困]\n"))
    (problem,) = problems_of(definition)
    assert re.search(r"meeting\.yaml:\d+:\d+: 错误：\[rostrum\.members\[2\]\]", problem)
    assert "“王建困”没有在 people 里定义" in problem and "王建国" in problem
