"""Every agenda verb a real meeting uses, with and without a topic, worded alike in the
notice, the agenda, the host's request, the host's summary and the minutes (read from the DOCX)."""

from __future__ import annotations

from pathlib import Path

import pytest
from huiwu.definition.load import load_definition

from tests.conftest import DATA, run_cli, texts

T = "东村2025年人口计生工作"
WHO = "东村党支部书记孙丽同志"

# (does, topic, parties, as listed and asked for, as looked back on) — written by hand.
FORMS = [
    ("讲话", T, None, f"就{T}讲话", f"就{T}作了讲话"),
    ("讲话", None, None, "讲话", "作了讲话"),
    ("作重要讲话", T, None, f"就{T}作重要讲话", f"就{T}作了重要讲话"),
    ("作重要讲话", None, None, "作重要讲话", "作了重要讲话"),
    ("发言", T, None, f"就{T}发言", f"就{T}作了发言"),
    ("发言", None, None, "发言", "作了发言"),
    ("作表态发言", T, None, f"就{T}作表态发言", f"就{T}作了表态发言"),
    ("作表态发言", None, None, "作表态发言", "作了表态发言"),
    ("作典型发言", T, None, f"就{T}作典型发言", f"就{T}作了典型发言"),
    ("作报告", T, None, f"就{T}作报告", f"就{T}作了报告"),
    ("作报告", None, None, "作报告", "作了报告"),
    ("作工作汇报", T, None, f"就{T}作工作汇报", f"就{T}作了工作汇报"),
    ("作工作汇报", None, None, "作工作汇报", "作了工作汇报"),
    ("汇报", T, None, f"汇报{T}", f"汇报了{T}"),
    ("汇报", None, None, "作汇报", "作了汇报"),
    ("通报", T, None, f"通报{T}", f"通报了{T}"),
    ("通报", None, None, "作通报", "作了通报"),
    ("宣读", "《表彰决定》", None, "宣读《表彰决定》", "宣读了《表彰决定》"),
    ("宣读", None, None, "宣读有关文件", "宣读了有关文件"),
    ("签订", "目标管理责任书", "各村", "与各村签订目标管理责任书", "与各村签订了目标管理责任书"),
    ("签订", None, "各村", "与各村签订责任书", "与各村签订了责任书"),
    ("颁奖", "先进单位", None, "为先进单位颁奖", "为先进单位颁了奖"),
    ("颁奖", None, "受表彰的村", "为受表彰的村颁奖", "为受表彰的村颁了奖"),
    ("部署", T, None, f"部署{T}", f"部署了{T}"),
    ("部署", None, None, "作工作部署", "作了工作部署"),
    ("安排部署", T, None, f"安排部署{T}", f"安排部署了{T}"),
    ("进行安排部署", T, None, f"就{T}进行安排部署", f"就{T}进行了安排部署"),
    ("传达", "全省会议精神", None, "传达全省会议精神", "传达了全省会议精神"),
    ("传达", None, None, "传达上级会议精神", "传达了上级会议精神"),
    ("总结", T, None, f"总结{T}", f"总结了{T}"),
    ("总结", None, None, "作总结", "作了总结"),
    ("介绍", T, None, f"介绍{T}", f"介绍了{T}"),
    ("致辞", None, None, "致辞", "致辞"),
    ("传达学习", "全省会议精神", None, "传达学习全省会议精神", "传达学习了全省会议精神"),
    ("宣读表彰决定", None, None, "宣读表彰决定", "宣读了表彰决定"),
    ("作动员讲话", T, None, f"就{T}作动员讲话", f"就{T}作了动员讲话"),
]
IDS = [f"{does}{'+' if topic else '-'}" for does, topic, *_ in FORMS]


def _item(does: str, topic: str | None, parties: str | None) -> str:
    lines = [f"  - by: 孙丽\n    does: {does}"]
    if topic:
        lines.append(f'    topic: "{topic}"')
    if parties:
        lines.append(f"    parties: {parties}")
    return "\n".join(lines)


DEFINITION = f"""\
meeting:
  title: 全乡人口计生工作会议
  organizer: 青石乡党委、乡政府
  date: 2026-01-10
  time: "9:00"
  venue: 乡政府会议室
  host: 王强
people:
  王强: {{title: 乡长}}
  孙丽: {{title: 东村党支部书记, call: 孙丽同志}}
notice:
  to: 各村党支部、村委会
  issuer: 青石乡党委
  date: 2026-01-05
minutes:
  studied: [全乡人口计生工作]
  findings:
    - {{verb: 强调, text: 各村要抓好落实}}
agenda:
{chr(10).join(_item(d, t, p) for d, t, p, *_ in FORMS)}
"""


@pytest.fixture(scope="module")
def packet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("forms")
    (folder / "meeting.yaml").write_text(DEFINITION, encoding="utf-8")
    status, _, err = run_cli("build", folder / "meeting.yaml", "-o", folder / "out")
    assert status == 0, err
    return folder / "out"


def _numbered(lines: list[str], start: str) -> list[str]:
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    return lines[first : first + len(FORMS)]


@pytest.mark.parametrize(("does", "topic", "parties", "now", "past"), FORMS, ids=IDS)
def test_the_notice_lists_the_item(packet, does, topic, parties, now, past):
    lines = _numbered(texts(packet / "会议通知.docx"), "1.")
    index = FORMS.index((does, topic, parties, now, past))
    assert lines[index][len(f"{index + 1}.") :].rstrip("；。") == WHO + now


@pytest.mark.parametrize(("does", "topic", "parties", "now", "past"), FORMS, ids=IDS)
def test_the_agenda_lists_the_item(packet, does, topic, parties, now, past):
    lines = _numbered(texts(packet / "会议议程.docx"), "一、")
    index = FORMS.index((does, topic, parties, now, past))
    assert lines[index].split("、", 1)[1] == WHO + now


@pytest.mark.parametrize(("does", "topic", "parties", "now", "past"), FORMS, ids=IDS)
def test_the_host_asks_for_the_item(packet, does, topic, parties, now, past):
    steps = [line for line in texts(packet / "主持词.docx") if line.startswith("会议进行")]
    index = FORMS.index((does, topic, parties, now, past))
    request = steps[index].split("：", 1)[1]
    ending = "，大家欢迎！" if "讲话" in does or does in ("致辞", "介绍") else "。"
    assert request == f"请{WHO}{now}{ending}"


@pytest.mark.parametrize(("does", "topic", "parties", "now", "past"), FORMS, ids=IDS)
def test_the_host_looks_back_on_the_item(packet, does, topic, parties, now, past):
    summary = next(line for line in texts(packet / "主持词.docx") if "刚才，" in line)
    recaps = summary.split("刚才，", 1)[1].split("。", 1)[0].split("；")
    index = FORMS.index((does, topic, parties, now, past))
    assert recaps[index] == f"孙丽同志{past}"


REPORTS = [
    (d, t, next(n for n in ("报告", "工作汇报", "汇报") if d.endswith(n)))
    for d, t, *_ in FORMS
    if d.endswith(("报告", "汇报"))
]


def test_the_minutes_say_what_the_agenda_conveyed(packet):
    opening = next(line for line in texts(packet / "会议纪要.docx") if "听取了" in line)
    assert "会议传达了全省会议精神，听取了" in opening


@pytest.mark.parametrize(("does", "topic", "noun"), REPORTS, ids=[f"{d}{t}" for d, t, _ in REPORTS])
def test_the_minutes_name_the_report_heard(packet, does, topic, noun):
    opening = next(line for line in texts(packet / "会议纪要.docx") if "听取了" in line)
    about = f"关于{topic}" if topic else ""
    assert f"东村党支部书记孙丽{about}的{noun}" in opening


def test_an_item_without_a_person_is_announced_not_asked_for(tmp_path):
    text = DEFINITION.replace("agenda:\n", "agenda:\n  - does: 全体起立，奏国歌\n", 1)
    (tmp_path / "meeting.yaml").write_text(text, encoding="utf-8")
    status, _, err = run_cli(
        "build", tmp_path / "meeting.yaml", "-o", tmp_path / "out", "--only", "hosting_script"
    )
    assert status == 0, err
    steps = [
        line for line in texts(tmp_path / "out" / "主持词.docx") if line.startswith("会议进行")
    ]
    assert steps[0] == "会议进行第一项：全体起立，奏国歌。"


EVERY_EXAMPLE = sorted(DATA.glob("*/meeting.yaml"))


@pytest.mark.parametrize("definition", EVERY_EXAMPLE, ids=[p.parent.name for p in EVERY_EXAMPLE])
def test_every_examples_hosting_script_walks_through_its_agenda(definition, tmp_path):
    """One ``会议进行第X项`` per agenda item, in order, naming the person who does it."""
    model = load_definition(definition).model
    assert len(model.agenda) >= 3, "an example meeting has a real agenda"
    status, _, err = run_cli(
        "build", definition, "-o", tmp_path / "out", "--only", "hosting_script"
    )
    assert status == 0, err
    lines = texts(tmp_path / "out" / "主持词.docx")
    steps = [line for line in lines if line.startswith("会议进行")]
    assert [step.split("：", 1)[0] for step in steps] == [
        f"会议进行第{'一二三四五六七八九十'[i]}项" for i in range(len(model.agenda))
    ]
    for step, item in zip(steps, model.agenda, strict=True):
        if item.by is not None and item.say is None:
            person = model.people[item.by]
            assert f"{person.name or item.by}同志" in step, step
    assert lines[-1] == "（散会）"


def test_the_letters_example_is_a_signing_meeting(tmp_path):
    definition = DATA / "responsibility-letters" / "meeting.yaml"
    status, _, err = run_cli("build", definition, "-o", tmp_path / "out")
    assert status == 0, err
    agenda = texts(tmp_path / "out" / "会议议程.docx")
    assert any("签订2012年人口和计划生育工作目标管理责任书" in line for line in agenda)
    script = texts(tmp_path / "out" / "主持词.docx")
    assert (
        "会议进行第五项：请长桥镇党委书记石红霞同志就长桥镇2012年人口和计划生育工作作表态发言。"
        in script
    )
    assert len(list((tmp_path / "out" / "目标管理责任书").glob("*.docx"))) >= 14
