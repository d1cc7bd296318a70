"""Width-dependent layout rules: title line breaks, signature placement, numbered sections."""

from __future__ import annotations

import itertools

import pytest
from huiwu.documents import blocks
from huiwu.text.cn import text_width
from huiwu.text.typeset import (
    BODY_LINE_CHARS,
    TITLE_LINE_CHARS,
    pack_lines,
    signature_block,
    title_lines,
)


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("关于召开全县工作会议的通知", ["关于召开全县工作会议的通知"]),
        (
            "关于召开2012年全镇生殖健康进家庭秋季计生优质服务活动动员大会的通知",
            ["关于召开2012年全镇生殖健康进家庭", "秋季计生优质服务活动动员大会的通知"],
        ),
        (
            "2012年度党政领导线人口和计划生育目标管理考核汇报会主持词",
            ["2012年度党政领导线人口和计划生育", "目标管理考核汇报会主持词"],
        ),
        ("第一行\n第二行", ["第一行", "第二行"]),
    ],
)
def test_title_lines(title, lines):
    assert title_lines(title) == lines


@pytest.mark.parametrize(
    "title",
    [
        "关于召开2012年度党政领导线人口和计划生育目标管理考核汇报会的通知",
        "省2012年度党政领导线人口和计划生育工作目标管理责任制考评考核组关于对全县各乡镇人口和计划生育工作进行全面检查考核的通知",
        "在全市人口和计划生育工作会议暨目标管理责任书签订仪式上的讲话",
    ],
)
def test_long_titles_break_cleanly(title):
    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(text_width(line) <= TITLE_LINE_CHARS for line in lines)
    for line in lines[:-1]:
        assert line[-1] not in "的和及与或对在为", f"line ends with a dangling word: {lines}"
        assert not (line[-1].isdigit() and lines[lines.index(line) + 1][0] in "年月日"), lines
    widths = [text_width(line) for line in lines]
    assert max(widths) - min(widths) <= 8, f"lines should be roughly balanced: {lines}"


def test_signature_without_seal():
    block = signature_block("青石镇人民政府", "2012年9月17日", seal=False)
    issuer_start = len(block.issuer) - len("青石镇人民政府")
    date_start = len(block.date) - len("2012年9月17日")
    # issuer two characters from the right edge, date two characters right of the issuer
    assert issuer_start + text_width("青石镇人民政府") == BODY_LINE_CHARS - 2
    assert date_start == issuer_start + 2


def test_signature_without_seal_long_date():
    block = signature_block("镇政府", "2012年10月14日", seal=False)
    date_start = len(block.date) - len("2012年10月14日")
    issuer_start = len(block.issuer) - len("镇政府")
    # a date longer than the issuer stands two characters from the right; the issuer moves left
    assert date_start + text_width("2012年10月14日") == pytest.approx(BODY_LINE_CHARS - 2, abs=0.5)
    assert issuer_start == date_start - 2


def test_signature_with_seal_centres_issuer_over_date():
    block = signature_block("青石镇党政办公室", "2012年9月17日", seal=True)
    date_start = len(block.date) - len("2012年9月17日")
    issuer_start = len(block.issuer) - len("青石镇党政办公室")
    assert date_start + 6.5 == pytest.approx(BODY_LINE_CHARS - 4, abs=0.5)
    assert issuer_start + 4 == pytest.approx(date_start + 6.5 / 2, abs=0.5)


def test_number_sections_four_levels():
    tree = [
        blocks.Section(
            "主要工作",
            ["总述。"],
            [
                blocks.Section(
                    "抓组织领导",
                    [],
                    [blocks.Section("深化认识", ["正文"], [blocks.Section("细节", ["x"])])],
                ),
                blocks.Section("抓服务", ["内容一。", "内容二。"], inline=True),
            ],
        ),
        blocks.Section("下步打算"),
    ]
    result = [(b.style, b.head + b.text) for b in blocks.number_sections(tree)]
    assert result == [
        ("h1", "一、主要工作"),
        ("body", "总述。"),
        ("h2", "（一）抓组织领导"),
        ("h3", "1.深化认识"),
        ("body", "正文"),
        ("h4", "（1）细节"),
        ("body", "x"),
        ("lead2", "（二）抓服务。内容一。"),
        ("body", "内容二。"),
        ("h1", "二、下步打算"),
    ]


def test_number_sections_counts_past_ten():
    tree = [blocks.Section(f"事项{i}") for i in range(1, 13)]
    heads = [b.text for b in blocks.number_sections(tree)]
    assert heads[9:] == ["十、事项10", "十一、事项11", "十二、事项12"]


def test_fifth_level_is_refused():
    deep = blocks.Section("5")
    for name in "4321":
        deep = blocks.Section(name, children=[deep])
    with pytest.raises(ValueError, match="最多四级"):
        blocks.number_sections([deep])


@pytest.mark.parametrize(
    "title",
    [
        "关于2012年度全县人口和计划生育工作情况的汇报",
        "关于进一步加强和改进新形势下全县人口和计划生育工作的意见和建议的通知",
        "关于表彰2012年度人口与计划生育工作先进集体及先进个人的决定",
    ],
)
def test_no_title_line_starts_or_ends_with_a_particle(title):
    """``关于2012年度全县人口`` / ``和计划生育…`` splits the phrase 人口和计划生育."""
    lines = title_lines(title)
    assert "".join(lines) == title and len(lines) > 1
    for before, after in itertools.pairwise(lines):
        assert after[0] not in "和与及或的之等", lines
        assert before[-1] not in "和与及或的", lines


def test_no_line_begins_with_a_closing_mark():
    assert title_lines("县委常委、宣传部长", 8) == ["县委常委、", "宣传部长"]
    for line in title_lines("县委常委、县委办主任", 3)[1:]:
        assert line[0] not in "、，。）"


def test_lists_break_between_names_only():
    names = ["韩景明", "陆振华", "苏建平", "贺玉林", "江文斌", "孟庆华", "欧阳春"]
    lines = pack_lines(names, 10)
    assert lines == ["韩景明、陆振华、", "苏建平、贺玉林、", "江文斌、孟庆华、", "欧阳春"]
    assert pack_lines(["一个比一行还长的单位名称"], 5) == ["一个比一行还长的单位名称"]
    assert pack_lines([], 10) == []
