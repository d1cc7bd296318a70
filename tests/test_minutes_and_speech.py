"""The minutes and the leader's speech as a reader opens them: order, numbering, styles, fonts."""

from __future__ import annotations

import re

import docx
import pytest
from docx.oxml.ns import qn
from huiwu.text.cn import text_width

from tests.conftest import paragraphs, run_cli, texts
from tests.test_validation import VALID, problems_of


@pytest.fixture(scope="module")
def minutes(built_examples):
    return built_examples["leading"] / "会议纪要.docx"


@pytest.fixture(scope="module")
def speech(built_examples):
    return built_examples["leading"] / "领导讲话稿.docx"


def _east_asian_font(document, style_name: str) -> str:
    fonts = document.styles[style_name].element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_minutes_open_with_the_section_10_3_banner(minutes):
    paras = paragraphs(minutes)
    assert [s for s, _ in paras[:4]] == ["纪要标志", "纪要标志", "纪要期数", "纪要版头"]
    assert "".join(t for _, t in paras[:2]) == "岚溪县人口和计划生育工作领导小组会议纪要"
    assert paras[2][1] == "第1期"
    office, date = paras[3][1].split("\t")
    assert (office, date) == ("县人口和计划生育工作领导小组办公室", "2012年2月22日")
    assert text_width(paras[3][1].replace("\t", "")) <= 28 - 2, "one line, 左空一字、右空一字"


def test_minutes_opening_is_composed_from_the_meeting(minutes):
    lines = texts(minutes)
    assert lines[4] == (
        "2月21日，县委副书记、县长陆振华在县委大楼四楼会议室主持召开"
        "2012年全县人口和计划生育工作领导小组（扩大）会议。"
        "会议传达了全省、全市人口和计划生育工作会议精神，"
        "听取了县人口计生局局长严志勇关于全县2011年度人口和计划生育工作及2012年工作安排的汇报，"
        "研究了当前人口和计划生育工作有关问题。现将会议精神纪要如下："
    )
    assert lines[5].startswith("会议认为，2011年，全县各级各部门")
    assert lines[6].startswith("会议强调，今年是完成")
    assert lines[8] == "会议议定了以下事项："


def test_minutes_decisions_keep_counting_past_ten(minutes):
    paras = [(s, t) for s, t in paragraphs(minutes) if t.strip()]
    headings = [t for s, t in paras if s == "一级标题"]
    numbers = [h.split("、", 1)[0] for h in headings]
    assert numbers == ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一"]
    assert all(h.split("、", 1)[1].startswith("关于") for h in headings)
    assert headings[-1] == "十一、关于计划生育协会建设"
    texts_after = {t: paras[i + 1][1] for i, (s, t) in enumerate(paras) if s == "一级标题"}
    assert texts_after["二、关于开展春季人口和计划生育集中服务活动"].startswith("同意于3月至4月")
    assert texts_after["四、关于提高计划生育家庭奖励扶助标准"].startswith("（一）同意将农村")
    eleventh = [t for _, t in paras[paras.index(("一级标题", headings[-1])) + 1 :]][:2]
    assert [t[:3] for t in eleventh] == ["（一）", "（二）"]


def test_minutes_attendance_follows_section_10_3(minutes):
    document = docx.Document(str(minutes))
    body = document.paragraphs
    lists = [p for p in body if p.style.name == "出席名单"]
    assert [p.runs[0].text for p in lists] == ["出席：", "请假：", "列席："]
    before = body[body.index(lists[0]) - 1]
    assert before.text == "", "one blank line after the body"
    assert all(p.runs[0].style.name == "出席标识" for p in lists)
    assert _east_asian_font(document, "出席标识") == "黑体"
    present = lists[0].text.removeprefix("出席：").split("\n")
    assert present[0].startswith("韩景明、陆振华、苏建平")
    names = "".join(present).split("、")
    assert "严志勇" in names and "林晓燕" in names and "唐建国" not in names
    # Lines are broken between names, never inside one, and fit after 出席：
    assert all(text_width(line) <= 28 - 2 - 3 for line in present)
    assert lists[1].text == "请假：唐建国（出差）"
    assert lists[2].text.endswith("县直有关单位主要负责人")


def test_speech_has_its_title_byline_and_salutation(speech):
    paras = paragraphs(speech)
    title = "".join(t for s, t in paras if s == "公文标题")
    assert title == "在2012年全县人口和计划生育工作领导小组（扩大）会议上的讲话"
    byline = [t for s, t in paras if s == "副标题"]
    assert byline == ["县委书记\u3000韩景明", "（2012年2月21日）"]
    assert _east_asian_font(docx.Document(str(speech)), "副标题") == "楷体_GB2312"
    lines = texts(speech)
    assert lines[lines.index("同志们：") + 1].startswith("这次会议是县委、县政府")


def test_speech_sections_are_numbered_on_two_levels(speech):
    document = docx.Document(str(speech))
    paras = [p for p in document.paragraphs if p.text.strip()]
    headings = [p.text for p in paras if p.style.name == "一级标题"]
    assert headings == [
        "一、要深化三点认识",
        "二、要突出三项重点",
        "三、要夯实三大基础",
        "四、要落实三个责任",
    ]
    leads = [p for p in paras if re.match(r"^（[一二三]）", p.text)]
    assert len(leads) == 12, "three points under each of the four parts"
    first = leads[0]
    assert first.runs[0].text == "（一）要认识到人口计生工作责任重大，只能加强、不能削弱。"
    assert first.runs[0].style.name == "二级标题字符", "the lead in 楷体, then the body text"
    assert paras[-1].text == "新的一年已经开始，借此机会，祝同志们身体健康、工作顺利、家庭幸福！"


def test_minutes_and_speech_are_portrait_official_pages(minutes, speech):
    for path in (minutes, speech):
        section = docx.Document(str(path)).sections[0]
        assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
        assert section.top_margin.twips == 2098 and section.left_margin.twips == 1587


def test_speech_without_a_speaker_is_reported(write_yaml):
    text = VALID.replace("    does: 作重要讲话", "    does: 作工作汇报")
    definition = write_yaml(text + "speech:\n  sections:\n    - title: 一\n")
    (problem,) = problems_of(definition)
    assert "[speech]" in problem and "讲话稿要写讲话人 speaker" in problem


def test_minutes_problems_are_all_reported_with_their_lines(write_yaml):
    definition = write_yaml(
        VALID
        + "minutes:\n"
        + "  decisions:\n"
        + "    - title: 开展督查工作\n"
        + "  absent:\n"
        + "    - {person: 张志元, note: 出差}\n"
        + "    - {person: 李娜, text: 县财政局}\n"
        + "  observers: [李那]\n"
    )
    found = problems_of(definition)
    assert len(found) == 4, found
    joined = "\n".join(found)
    assert re.search(
        r"meeting\.yaml:\d+:\d+: 错误：\[minutes\.absent\[1\]\.person\] “张志元”没有在 people",
        joined,
    )
    assert "是不是“张志远”？" in joined
    assert re.search(
        r":\d+:\d+: 错误：\[minutes\.observers\[1\]\.person\] “李那”没有在 people", joined
    )
    assert "议定事项要写正文 text" in joined
    assert "每项写 person（people 里的键）或 text（文字），只写一个" in joined


def test_minutes_without_a_banner_take_an_ordinary_title(write_yaml, tmp_path):
    definition = write_yaml(
        VALID
        + "minutes:\n"
        + "  findings:\n"
        + "    - {verb: 要求, text: 各村要抓好落实}\n"
        + "  decisions:\n"
        + "    - {title: 关于秋季活动, text: 同意镇计生办的活动方案}\n"
        + "  observers: [李娜]\n"
        + "  with_titles: true\n"
    )
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out", "--only", "minutes")
    assert status == 0, err
    paras = [(s, t) for s, t in paragraphs(tmp_path / "out" / "会议纪要.docx") if t.strip()]
    assert [s for s, _ in paras[:2]] == ["公文标题", "副标题"]
    assert paras[0][1] == "2012年全镇工作会议纪要" and paras[1][1] == "（2012年9月20日）"
    lines = [t for _, t in paras]
    assert lines[2] == (
        "9月20日，镇党委副书记王建国在镇政府三楼会议室主持召开2012年全镇工作会议。"
        "现将会议精神纪要如下："
    )
    assert lines[3:6] == ["会议要求，各村要抓好落实。", "会议议定了以下事项：", "一、关于秋季活动"]
    assert lines[-2] == "出席：镇党委书记张志远、镇党委副书记王建国", "by rank, with titles"
    assert lines[-1] == "列席：干事李娜"
