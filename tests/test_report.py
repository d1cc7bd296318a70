"""The work report as a reader sees it: four numbered heading levels in their official faces,
headings run into their paragraph, the closing, and the signature."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from tests.conftest import MEETING_HEAD, paragraphs, run_cli

REPORT = (
    MEETING_HEAD
    + """\
report:
  title: 关于2012年计划生育工作情况的汇报
  reporter: 青石镇人民政府
  lead: 现将有关情况汇报如下：
  sections:
    - title: 主要工作
      sections:
        - title: 抓组织领导
          sections:
            - title: 深化认识
              sections:
                - title: 签订责任书
                  paragraphs: [与各村签订责任书。]
                - title: 定期调度
            - title: 严格问责
              inline: true
              paragraphs: [每月召开问责调度会。, 对排名靠后的村进行约谈。]
        - title: 抓优质服务
    - title: 存在问题
      inline: true
      paragraphs: [基层基础仍然薄弱。]
"""
)


def build(tmp_path, write_yaml, extra: str = "") -> list[tuple[str, str]]:
    definition = write_yaml(REPORT + extra)
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    return [(style, text) for style, text in paragraphs(tmp_path / "out" / "工作汇报.docx")]


def test_sections_are_numbered_on_four_levels(tmp_path, write_yaml):
    body = [(s, t) for s, t in build(tmp_path, write_yaml) if t.strip()]
    start = body.index(("公文正文", "现将有关情况汇报如下："))
    assert body[:start] == [
        ("公文标题", "关于2012年计划生育工作情况的汇报"),
        ("副标题", "青石镇人民政府"),
    ]
    assert body[start + 1 :] == [
        ("一级标题", "一、主要工作"),
        ("二级标题", "（一）抓组织领导"),
        ("三级标题", "1.深化认识"),
        ("四级标题", "（1）签订责任书"),
        ("公文正文", "与各村签订责任书。"),
        ("四级标题", "（2）定期调度"),
        ("公文正文", "2.严格问责。每月召开问责调度会。"),
        ("公文正文", "对排名靠后的村进行约谈。"),
        ("二级标题", "（二）抓优质服务"),
        ("公文正文", "二、存在问题。基层基础仍然薄弱。"),
        ("公文正文", "特此汇报。"),
    ]


def _east_asian_font(style) -> str | None:
    """The East Asian face a style resolves to, following its base styles."""
    while style is not None:
        fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
        if fonts is not None and fonts.get(qn("w:eastAsia")):
            return fonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def test_heading_faces_follow_the_standard(tmp_path, write_yaml):
    build(tmp_path, write_yaml)
    document = docx.Document(str(tmp_path / "out" / "工作汇报.docx"))
    faces = {
        p.text: _east_asian_font(p.style)
        for p in document.paragraphs
        if p.style.name[1:] == "级标题"
    }
    assert faces == {
        "一、主要工作": "黑体",
        "（一）抓组织领导": "楷体_GB2312",
        "1.深化认识": "仿宋_GB2312",
        "（1）签订责任书": "仿宋_GB2312",
        "（2）定期调度": "仿宋_GB2312",
        "（二）抓优质服务": "楷体_GB2312",
    }
    # A heading run into its paragraph keeps its level's face; the text after it is body type.
    inline = next(p for p in document.paragraphs if p.text.startswith("二、存在问题"))
    head, rest = inline.runs[0], inline.runs[1]
    assert (head.text, _east_asian_font(head.style)) == ("二、存在问题。", "黑体")
    assert rest.text == "基层基础仍然薄弱。"
    assert _east_asian_font(inline.style) == "仿宋_GB2312"


def test_closing_and_signature(tmp_path, write_yaml):
    lines = [t for _, t in build(tmp_path, write_yaml, "  signature: true\n") if t.strip()]
    assert lines[-3] == "特此汇报。"
    # No date written: the report is signed on the meeting's day, 右空二字 below the body.
    assert lines[-2] == "\u3000" * 19 + "青石镇人民政府"
    assert lines[-1] == "\u3000" * 21 + "2012年10月14日"


def test_without_signature_the_closing_ends_the_report(tmp_path, write_yaml):
    lines = [
        t for _, t in build(tmp_path, write_yaml, "  closing: 以上汇报，请审议。\n") if t.strip()
    ]
    assert lines[-1] == "以上汇报，请审议。"


def test_a_fifth_heading_level_is_an_input_error(tmp_path, write_yaml):
    deeper = REPORT.replace(
        "                  paragraphs: [与各村签订责任书。]\n",
        "                  paragraphs: [与各村签订责任书。]\n"
        "                  sections: [{title: 第五级}]\n",
    )
    definition = write_yaml(deeper)
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "report")
    assert status == 1 and not (tmp_path / "out").exists()
    assert "meeting.yaml:23:" in err
    assert "[report.sections[1].sections[1].sections[1].sections[1].sections]" in err
    assert "公文的标题最多四级" in err


@pytest.mark.parametrize("inline", [True, False])
def test_inline_heading_without_paragraphs_stands_alone(tmp_path, write_yaml, inline):
    text = REPORT.replace(
        "        - title: 抓优质服务\n",
        f"        - {{title: 抓优质服务, inline: {str(inline).lower()}}}\n",
    )
    definition = write_yaml(text)
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "report")
    assert status == 0, err
    assert ("二级标题", "（二）抓优质服务") in paragraphs(tmp_path / "out" / "工作汇报.docx")
