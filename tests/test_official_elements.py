"""版头, 版记, 附件 and the 参会回执 of an official notice (GB/T 9704 §7.2–§7.4), as opened in
Word and as printed."""

from __future__ import annotations

import docx
import pymupdf
import pytest
from docx.oxml.ns import qn
from huiwu.documents.elements import mark_size, masthead
from huiwu.model import Masthead
from openxml_audit import OpenXmlValidator

from tests.conftest import DATA, EXAMPLES, run_cli, to_pdf

MM = 72 / 25.4


def _styled(path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs if p.text]


def test_official_notice_has_masthead_receipt_and_imprint(built_examples):
    path = built_examples["annual"] / "会议通知.docx"
    paragraphs = _styled(path)
    assert paragraphs[0] == ("发文机关标志（小初）", "中共云川县委办公室文件")
    assert paragraphs[1] == ("发文字号", "云委办发〔2012〕58号")
    assert paragraphs[2][0] == "公文标题"
    texts = [text for _, text in paragraphs]
    assert (
        "请各单位于2012年12月18日前将参会回执（见附件）传真至县人口计生局办公室（0715-5123457）。"
        in texts
    )
    assert "附件：2012年度全县人口和计划生育目标管理考核结果通报会参会回执" in texts

    document = docx.Document(str(path))
    label = next(p for p in document.paragraphs if p.text == "附件")
    assert label.style.name == "附件标识" and label.paragraph_format.page_break_before
    receipt, imprint = document.tables
    header = [cell.text for cell in receipt.rows[0].cells]
    assert header == ["单位", "姓名", "职务", "联系电话", "备注"]
    assert len(receipt.rows) == 1 + 6
    assert all(cell.text == "" for row in receipt.rows[1:] for cell in row.cells)

    # 版记: a table floating on the bottom edge of the text block, rules top, middle, bottom.
    rows = [[cell.text for cell in row.cells] for row in imprint.rows]
    assert rows[0][0] == "抄送：县人大常委会办公室，县政协办公室，县纪委办公室。"
    assert rows[1] == ["中共云川县委办公室", "2012年12月17日印发"]
    position = imprint._tbl.tblPr.find(qn("w:tblpPr"))
    assert position.get(qn("w:tblpYSpec")) == "bottom"
    assert position.get(qn("w:vertAnchor")) == "margin"


def test_plain_notice_has_neither_masthead_nor_imprint(built_examples):
    path = built_examples["mobilisation"] / "会议通知.docx"
    styles = {style for style, _ in _styled(path)}
    assert not any(style.startswith(("发文机关标志", "发文字号")) for style in styles)
    assert docx.Document(str(path)).tables == []
    assert _styled(path)[0][0] == "公文标题"


def test_doc_number_is_normalised_or_refused(tmp_path):
    assert Masthead(issuers=["云川县人民政府"], number="云政发[2012]7号").number == (
        "云政发〔2012〕7号"
    )
    source = EXAMPLES["annual"].read_text(encoding="utf-8")
    broken = source.replace("number: 云委办发〔2012〕58号", "number: 云委办发〔2012〕第058号")
    definition = tmp_path / "meeting.yaml"
    definition.write_text(broken, encoding="utf-8")
    (tmp_path / "指标.xlsx").write_bytes((DATA / "annual-assessment" / "指标.xlsx").read_bytes())
    status, _, err = run_cli("check", definition)
    assert status == 1
    line = broken.splitlines().index("    number: 云委办发〔2012〕第058号") + 1
    assert f"meeting.yaml:{line}" in err and "发文字号" in err and "六角括号" in err


def test_joint_issuers_and_signers():
    context = masthead(
        Masthead(
            issuers=["中共云川县委办公室", "云川县人民政府办公室", "县人武部"],
            number="云委办发〔2012〕9号",
            signers=["曹建军", "邓志强"],
        )
    )
    assert context is not None
    # One line per issuer, lead first; 文件 to the right of the middle line; one width (a word
    # joiner keeps trailing blanks from being dropped when the line is centred).
    assert [(line["名称"], line["文件"], line["下移"]) for line in context["标志"]] == [
        ("中共云川县委办公室\u3000", "\u3000\u3000\u2060", False),
        ("云川县人民政府办公室", "文件", False),
        ("县人武部" + "\u3000" * 6, "\u3000\u3000\u2060", False),
    ]
    two = masthead(Masthead(issuers=["县委办公室", "县政府办公室"], number="云委办发〔2012〕9号"))
    assert two is not None
    # An even number: 文件 beside the upper of the two middle lines, set half a line lower.
    assert [(line["文件"], line["下移"]) for line in two["标志"]] == [
        ("文件", True),
        ("\u3000\u3000\u2060", False),
    ]
    assert context["签发人"] == "曹建军\u3000邓志强"
    assert mark_size(10) == "初号" and mark_size(12) == "小初" and mark_size(30) == "二号"


def test_signed_number_line_in_the_template(tmp_path):
    source = EXAMPLES["annual"].read_text(encoding="utf-8")
    edited = source.replace(
        "    number: 云委办发〔2012〕58号\n",
        "    number: 云委办发〔2012〕58号\n    signers: [曹建军]\n",
    )
    definition = tmp_path / "meeting.yaml"
    definition.write_text(edited, encoding="utf-8")
    (tmp_path / "指标.xlsx").write_bytes((DATA / "annual-assessment" / "指标.xlsx").read_bytes())
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "notice")
    assert status == 0, err
    document = docx.Document(str(tmp_path / "out" / "会议通知.docx"))
    line = document.paragraphs[1]
    assert line.style.name == "发文字号（上行文）"
    assert line.text == "云委办发〔2012〕58号\t签发人：曹建军"
    assert line.runs[-1].style.name == "签发人姓名"


@pytest.fixture(scope="module")
def official_pdf(built_examples, tmp_path_factory):
    out = tmp_path_factory.mktemp("official")
    return pymupdf.open(to_pdf(built_examples["annual"] / "会议通知.docx", out))


def test_masthead_positions_as_printed(official_pdf):
    """§7.2: the mark's top 35 mm under the top of the block (37 mm), the red rule 4 mm under
    the 发文字号 and as wide as the block, the title two lines under the rule."""
    page = official_pdf[0]
    spans = [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    ]
    mark = next(s for s in spans if s["text"].startswith("中共云川县委办公室"))
    number = next(s for s in spans if "58" in s["text"])
    assert mark["color"] == 0xFF0000
    assert mark["bbox"][1] == pytest.approx((37 + 35) * MM, abs=1.5 * MM)
    rules = [d for d in page.get_drawings() if d.get("color") == (1.0, 0.0, 0.0)]
    assert rules, "a red rule under the 发文字号"
    rule = rules[0]["rect"]
    assert rule.y0 - number["bbox"][3] == pytest.approx(4 * MM, abs=1 * MM)
    assert rule.x0 == pytest.approx(28 * MM, abs=1 * MM)
    assert rule.x1 == pytest.approx((210 - 26) * MM, abs=1 * MM)
    title = next(s for s in spans if s["text"].startswith("关于召开"))
    assert title["bbox"][1] - rule.y0 == pytest.approx(2 * 28.95, abs=4 * MM)


def test_imprint_sits_on_the_last_page_at_the_foot_of_the_block(official_pdf):
    last = official_pdf[-1]
    text = last.get_text()
    assert "抄送：" in text and "2012年12月17日印发" in text.replace(" ", "")
    assert "参会回执" in text
    # Sharing its even page with the 回执, the 版记 stays where LibreOffice put it, numbered.
    assert official_pdf.page_count == 4 and "— 4 —" in text
    rules = sorted(
        (d["rect"] for d in last.get_drawings() if d["rect"].height < 2 and d["rect"].width > 400),
        key=lambda r: r.y0,
    )
    assert len(rules) >= 3, "rules above, between and under 抄送 and 印发"
    assert rules[-1].y1 == pytest.approx((297 - 35) * MM, abs=2 * MM)


def test_receipt_as_a_workbook(tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "回执.xlsx"
    status, _, err = run_cli("sheet", EXAMPLES["annual"], "--receipt", "-o", out)
    assert status == 0, err
    sheet = load_workbook(out)["参会回执"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "2012年度全县人口和计划生育目标管理考核结果通报会参会回执"
    assert rows[1][0].startswith("请于2012年12月18日前填好，传真至县人口计生局办公室")
    assert rows[2] == ["单位", "姓名", "职务", "联系电话", "备注"]
    assert [row[0] for row in rows[3:]][:2] == ["城关镇", "青石镇"] and len(rows) == 3 + 22

    status, _, err = run_cli("sheet", EXAMPLES["mobilisation"], "--receipt", "-o", out)
    assert status == 1
    assert "meeting.yaml" in err and "notice.receipt" in err


def test_letter_format_as_printed(tmp_path):
    """信函格式 (§10.1): the mark 30 mm from the top of the page, a red double rule 170 mm long
    under it (thick over thin) and another near the foot (thin over thick), the 发文字号 flush
    right under the first, no page number on the first page."""
    source = EXAMPLES["annual"].read_text(encoding="utf-8")
    (tmp_path / "meeting.yaml").write_text(
        source.replace("    form: 文件\n", "    form: 信函\n", 1), encoding="utf-8"
    )
    (tmp_path / "指标.xlsx").write_bytes((DATA / "annual-assessment" / "指标.xlsx").read_bytes())
    status, _, err = run_cli("build", tmp_path / "meeting.yaml", "-o", tmp_path / "out")
    assert status == 0, err
    path = tmp_path / "out" / "会议通知.docx"
    document = docx.Document(str(path))
    assert document.sections[0].different_first_page_header_footer
    header = [p.text for p in document.sections[0].first_page_header.paragraphs if p.text]
    assert header == ["中共云川县委办公室"], "信函: the mark without 文件"
    first = next(p for p in document.paragraphs if p.text)
    assert (first.style.name, first.text) == ("发文字号（信函）", "云委办发〔2012〕58号")
    imprint = {cell.text for cell in document.tables[-1]._cells}
    assert imprint == {"抄送：县人大常委会办公室，县政协办公室，县纪委办公室。"}, "信函: 抄送 only"
    assert OpenXmlValidator().validate(str(path)).errors == []

    page = pymupdf.open(to_pdf(path, tmp_path))[0]
    spans = [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    ]
    mark = next(s for s in spans if s["text"] == "中共云川县委办公室")
    assert mark["color"] == 0xFF0000
    assert mark["bbox"][1] == pytest.approx(30 * MM, abs=1.5 * MM)
    assert not any(s["text"].strip().startswith("—") for s in spans), "no page number"
    # (top, line width, length) of each red line, once each (LibreOffice draws some twice)
    rules = sorted(
        {
            (round(d["rect"].y0, 1), d["width"], round(d["rect"].width, 1))
            for d in page.get_drawings()
            if d.get("color") == (1.0, 0.0, 0.0)
        }
    )
    assert len(rules) == 4, rules
    top, bottom = rules[:2], rules[2:]
    assert top[0][1] > top[1][1], "thick over thin"
    assert bottom[0][1] < bottom[1][1], "thin over thick"
    assert top[0][2] == pytest.approx(170 * MM, abs=1 * MM)
    assert top[0][0] - mark["bbox"][3] == pytest.approx(4 * MM, abs=1.5 * MM)
    assert 297 * MM - bottom[1][0] == pytest.approx(20 * MM, abs=1.5 * MM), "20 mm above the foot"
    number = next(s for s in spans if "58" in s["text"])
    assert number["bbox"][2] == pytest.approx((210 - 26) * MM, abs=2 * MM), "flush right"
