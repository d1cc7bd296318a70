"""Open each produced DOCX and check what a reader sees: paragraph order, numbering, styles."""

from __future__ import annotations

import re

import docx
from docx.oxml.ns import qn

from tests.conftest import paragraphs, texts

MEETING_DOCUMENTS = ["会议通知.docx", "会议议程.docx", "主持词.docx", "签到表.docx"]


def test_each_packet_has_the_documents_its_definition_has_data_for(built_examples):
    for name in ("mobilisation", "assessment"):
        assert sorted(p.name for p in built_examples[name].glob("*.docx")) == sorted(
            MEETING_DOCUMENTS
        )
    annual = sorted(p.name for p in built_examples["annual"].glob("*.docx"))
    assert annual == sorted([*MEETING_DOCUMENTS, "工作汇报.docx", "考核结果通报.docx"])
    leading = sorted(p.name for p in built_examples["leading"].glob("*.docx"))
    assert leading == sorted(
        [
            *(d for d in MEETING_DOCUMENTS if d != "会议通知.docx"),
            "领导讲话稿.docx",
            "会议纪要.docx",
            "主席台座次图.docx",
            "桌签.docx",
        ]
    )


def test_notice_follows_the_official_structure(built_examples):
    path = built_examples["mobilisation"] / "会议通知.docx"
    paras = [(style, text) for style, text in paragraphs(path) if text.strip()]
    styles = [s for s, _ in paras]
    lines = [t for _, t in paras]
    title = "".join(t for s, t in paras if s == "公文标题")
    assert title == "关于召开2012年全镇生殖健康进家庭秋季计生优质服务活动动员大会的通知"
    assert styles[:2] == ["公文标题", "公文标题"], "a long title breaks onto two lines"
    assert lines[2] == "各村（社区）党支部、村委会，镇直各单位：" and styles[2] == "主送机关"
    assert lines[3].startswith("经青石镇党委、镇政府研究，决定召开") and lines[3].endswith(
        "现将有关事项通知如下："
    )
    headings = [t for s, t in paras if s == "一级标题"]
    assert headings == [
        "一、会议时间",
        "二、会议地点",
        "三、参会人员",
        "四、会议议程",
        "五、有关要求",
    ]
    after = lines[lines.index("一、会议时间") + 1]
    assert after == "2012年9月20日（星期四）上午9时至11时30分，上午8时30分开始签到。"
    assert lines[lines.index("二、会议地点") + 1] == "镇政府三楼会议室。"
    items = lines[lines.index("五、有关要求") + 1 : lines.index("五、有关要求") + 4]
    assert [i[:2] for i in items] == ["1.", "2.", "3."] and items[-1].endswith("。")
    assert "联系人：周红，联系电话：0715-6612345。" in lines
    assert lines[-2].strip() == "青石镇党政办公室" and lines[-1].strip() == "2012年9月17日"
    assert styles[-2:] == ["落款", "成文日期"]


def test_signature_is_placed_per_seal_rule(built_examples):
    lines = texts(built_examples["mobilisation"] / "会议通知.docx")
    issuer, date = lines[-2], lines[-1]
    date_pad = len(date) - len(date.lstrip("\u3000"))
    issuer_pad = len(issuer) - len(issuer.lstrip("\u3000"))
    # sealed: the date stands four characters from the right of a 28-character line ...
    assert date_pad + 6.5 == 28 - 4 + 0.5  # 2012年9月17日 is 6.5 characters wide (digits half)
    # ... and the issuer is centred over it
    assert abs((issuer_pad + 8 / 2) - (date_pad + 6.5 / 2)) <= 0.5


def test_agenda_lists_time_venue_host_and_items(built_examples):
    lines = texts(built_examples["mobilisation"] / "会议议程.docx")
    assert lines[2] == "议\u3000程"
    assert lines[3] == "时间：2012年9月20日（星期四）上午9时至11时30分"
    assert lines[4] == "地点：镇政府三楼会议室"
    assert lines[5] == "主持：镇党委副书记李文杰"
    assert [line[:2] for line in lines[6:]] == ["一、", "二、", "三、"]
    assert lines[8] == "三、镇党委书记许国华同志作重要讲话"


def test_hosting_script_walks_through_the_meeting(built_examples):
    lines = texts(built_examples["mobilisation"] / "主持词.docx")
    start = lines.index("同志们：")
    assert lines[start + 1].startswith("经青石镇党委、镇政府研究决定，今天召开")
    assert "会议的主要任务是：传达贯彻" in lines[start + 1]
    body = "\n".join(lines)
    assert (
        "出席今天会议的领导有：镇党委书记许国华同志，镇党委副书记、镇长赵志军同志，镇党委委员胡明同志。"
        in body
    )
    assert "我先宣布一下会议纪律：请大家关闭手机或调至静音状态；" in body
    assert "今天会议的议程有三项：第一项，" in body
    steps = [line for line in lines if line.startswith("会议进行")]
    assert [s[:8] for s in steps] == ["会议进行第一项：", "会议进行第二项：", "会议进行第三项："]
    assert (
        steps[0]
        == "会议进行第一项：请镇党委委员胡明同志安排部署我镇2012年生殖健康进家庭秋季计生优质服务活动。"
    )
    assert steps[2] == "会议进行第三项：请镇党委书记许国华同志作重要讲话，大家欢迎！"
    assert "刚才，胡委员安排部署了我镇2012年" in body and "许书记作了重要讲话" in body
    assert "下面，我再强调三点意见。" in lines
    points = [line for line in lines if re.match(r"^[一二三]是", line)]
    assert [p[:2] for p in points] == ["一是", "二是", "三是"]
    assert points[0].startswith("一是要迅速传达，认真贯彻。会后，")
    assert lines[-1] == "（散会）"


def test_hosting_script_introduces_a_visiting_team_and_groups(built_examples):
    lines = texts(built_examples["assessment"] / "主持词.docx")
    body = "\n".join(lines)
    assert lines[lines.index("同志们：") + 1].startswith(
        "按照省委办公厅、省政府办公厅的统一安排，今天，省2012年度党政领导线人口和计划生育工作目标管理责任制考评考核组到我县检查指导工作。"
    )
    roster = lines[lines.index("首先，我向大家介绍考核组的各位领导：") + 1 :][:9]
    assert roster[0] == "组长：省委副秘书长周文彬同志；"
    assert roster[1] == "副组长：省人口计生委党组书记孙立群同志；"
    assert roster[2] == "成员有：省委办公厅综合三处副处长陈晓东同志；"
    assert roster[-1] == "省人口计生委办公室主任科员马骏同志。"
    guests = lines[lines.index("参加今天会议的领导有：") + 1 :][:7]
    assert guests[0] == "市委常委、宣传部长何光明同志；" and guests[-1].endswith("冯静同志。")
    assert "县委书记曹建军同志，县委常委、纪委书记彭立新同志，" in body
    assert (
        "会议进行第一项：请省委副秘书长、考核组组长周文彬同志介绍这次考核的总体安排，大家欢迎！"
        in lines
    )
    assert (
        "会议进行第二项：请县委书记曹建军同志代表县委、县政府汇报我县2012年度人口和计划生育工作综合目标完成情况。"
        in lines
    )
    assert any(line.startswith("会议进行第三项：根据考核组的统一安排") for line in lines)
    assert any(
        line.startswith("第二组（抽查县纪委、县公安局") and "县陪同人员有县委书记曹建军同志" in line
        for line in lines
    )


def test_no_name_is_left_blank_before_tongzhi(built_examples):
    for packet in built_examples.values():
        for document in packet.glob("*.docx"):
            for line in texts(document):
                for match in re.finditer("同志(?!们)", line):
                    before = line[: match.start()]
                    assert before and before[-1] not in " \u3000，、；：（", (document.name, line)


def test_sign_in_sheet_table_repeats_its_header(built_examples):
    document = docx.Document(str(built_examples["mobilisation"] / "签到表.docx"))
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["序号", "单位", "姓名", "职务", "签名"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows[0] == ["1", "青石镇党委", "许国华", "镇党委书记", ""]
    assert [r[1] for r in rows[4:7]] == ["东坪村"] * 3, "three rows for each village"
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert len(rows) >= 4 + 8 * 3 + 5
    lines = texts(built_examples["mobilisation"] / "签到表.docx")
    assert "时间：2012年9月20日上午9时\u3000\u3000地点：镇政府三楼会议室" in lines


def test_every_document_has_a_title_property(built_examples):
    document = docx.Document(str(built_examples["mobilisation"] / "主持词.docx"))
    assert document.core_properties.title.endswith("动员大会主持词")


def test_an_item_made_with_zuo_takes_its_topic_before_the_verb(built_examples):
    lines = texts(built_examples["annual"] / "会议议程.docx")
    assert "一、县人口计生局局长叶文华同志就全县2012年度人口和计划生育工作作工作汇报" in lines


def test_a_bare_date_or_time_in_a_text_is_written_as_an_office_writes_it(tmp_path):
    """``{{ meeting.date }}`` without a filter printed 2012-09-20 and 08:30:00 in a notice."""
    from tests.conftest import EXAMPLES, run_cli

    source = EXAMPLES["mobilisation"].read_text(encoding="utf-8")
    typed = "    - 请于{{ meeting.date }}{{ meeting.checkin_time }}前到会，{{ date | cn_month_day }}散会\n"
    definition = tmp_path / "meeting.yaml"
    definition.write_text(source.replace("  requirements:\n", "  requirements:\n" + typed, 1))
    status, _, err = run_cli("build", definition, "--only", "notice", "-o", tmp_path / "out")
    assert status == 0, err
    body = "\n".join(texts(tmp_path / "out" / "会议通知.docx"))
    # time_style 上下午时分 in this example; the filter still decides where one is written
    assert "请于2012年9月20日上午8时30分前到会，9月20日散会" in body
    assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}", body)
