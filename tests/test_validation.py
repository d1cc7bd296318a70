"""Bad definitions: every problem reported at once, in Chinese, with file:line:column and path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from huiwu.definition.load import load_definition
from huiwu.errors import InputError

from tests.conftest import run_cli

VALID = """\
meeting:
  title: "{{ year }}年全镇工作会议"
  organizer: 示例镇党委、镇政府
  date: 2012-09-20
  weekday: 星期四
  time: "9:00"
  venue: 镇政府三楼会议室
  host: 王建国
people:
  王建国: {title: 镇党委副书记, rank: 2}
  张志远: {title: 镇党委书记, rank: 1}
  李娜: {title: 干事}
leaders: [张志远]
attendees:
  - 机关全体干部职工
agenda:
  - by: 张志远
    does: 作重要讲话
contact:
  person: 李娜
  phone: "0000-1234567"
notice:
  to: 各村
  date: 2012-09-17
"""


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_definition(path)
    return [str(p) for p in caught.value.problems]


def only_problem(path: Path) -> str:
    found = problems_of(path)
    assert len(found) == 1, found
    return found[0]


def test_valid_definition_loads(write_yaml):
    loaded = load_definition(write_yaml(VALID))
    assert loaded.model.meeting.venue == "镇政府三楼会议室"
    assert loaded.model.year == 2012


def test_windows_notepad_file_loads(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    assert load_definition(path).model.meeting.title.endswith("全镇工作会议")


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        # 1 unknown key, with a suggestion and the key's own position
        ("  venue: 镇", "  venu: 镇", 7, r"\[meeting\.venu\] 不认识的字段“venu”，是不是“venue”？"),
        # 2 wrong type: text where an integer is expected
        (
            "rank: 2}",
            "rank: 第二}",
            10,
            r"\[people\.王建国\.rank\] “排序”（rank）应为整数，现在是“第二”",
        ),
        # 3 a person referenced but not defined, with the closest name suggested
        (
            "  host: 王建国",
            "  host: 王建华",
            8,
            r"\[meeting\.host\] “王建华”没有在 people 里定义。是不是“王建国”？",
        ),
        # 4 an impossible date
        ("date: 2012-09-20", "date: 2012-02-30", 4, r"日期不存在：2012年2月只有 29 天，没有 30 日"),
        # 5 a stated weekday that does not match the date
        (
            "weekday: 星期四",
            "weekday: 星期五",
            5,
            r"星期与日期不符：2012年9月20日是星期四，不是“星期五”",
        ),
        # 6 a time that cannot be read
        ('time: "9:00"', 'time: "25:00"', 6, r"时刻不存在：“25:00”"),
        # 7 a date in an unknown format
        ("date: 2012-09-20", "date: 九月二十日", 4, r"日期格式不对：“九月二十日”"),
        # 8 a list where a mapping is expected
        (
            'contact:\n  person: 李娜\n  phone: "0000-1234567"',
            "contact: [李娜]",
            19,
            r"应为“键: 值”形式的映射",
        ),
        # 9 a mapping where a list is expected
        ("leaders: [张志远]", "leaders: {张志远: 1}", 13, r"“出席领导”（leaders）应为列表"),
        # 10 a required field left empty
        (
            "  venue: 镇政府三楼会议室",
            "  venue:",
            7,
            r"\[meeting\.venue\] “会议地点”（venue）不能为空",
        ),
        # 11 an unknown document kind
        ("notice:\n", "documents: [签到]\nnotice:\n", 22, r"不认识的文档种类“签到”"),
        # 12 a speech item that says nobody gives it
        (
            "  - by: 张志远\n    does: 作重要讲话",
            "  - does: 作重要讲话",
            17,
            r"这一项（作重要讲话）要写由谁进行（by）",
        ),
        # 13 a signing item without the other party
        (
            "    does: 作重要讲话",
            "    does: 签订\n    topic: 责任书",
            17,
            r"签订一项要写对方（parties）",
        ),
        # 14 rank below one
        ("rank: 2}", "rank: 0}", 10, r"“排序”（rank）不能小于 1"),
        # 15 a contact without a name
        ("  person: 李娜\n", "", 19, r"联系人要写 person（people 里的键）或 name（姓名）"),
        # 16 a yes/no field with another word
        (
            "  date: 2012-09-17",
            "  date: 2012-09-17\n  seal: 盖章",
            25,
            r"“加盖印章”（seal）应为 是/否",
        ),
        # 17 a duplicate key, which YAML would silently drop
        (
            "  李娜: {title: 干事}",
            "  李娜: {title: 干事}\n  李娜: {title: 主任}",
            13,
            r"键“李娜”重复（第 12 行已经写过）",
        ),
        # 18 the same leader listed twice
        (
            "leaders: [张志远]",
            "leaders: [张志远, 张志远]",
            13,
            r"\[leaders\[2\]\] “张志远”重复列出",
        ),
        # 19 an inspection item with no groups
        (
            "    does: 作重要讲话",
            "    does: 分组检查\n    kind: 检查",
            17,
            r"没有写 inspection_groups",
        ),
        # 20 a missing required field
        (
            "  organizer: 示例镇党委、镇政府\n",
            "",
            1,
            r"\[meeting\.organizer\] 缺少必填项“主办单位”（organizer）",
        ),
        # 21 a value outside a fixed set
        ("  venue: 镇", "  time_style: 12小时\n  venue: 镇", 7, r"“时刻写法”（time_style）只能是"),
    ],
)
def test_each_kind_of_bad_input(write_yaml, old, new, line, expected):
    assert old in VALID
    path = write_yaml(VALID.replace(old, new, 1))
    message = only_problem(path)
    assert re.search(expected, message), message
    assert message.startswith(f"{path}:{line}:"), message
    assert "错误：" in message


def test_every_error_is_reported_at_once_with_its_line(write_yaml):
    broken = (
        VALID.replace("weekday: 星期四", "weekday: 星期五")
        .replace("  host: 王建国", "  host: 王建华")
        .replace("rank: 2}", "rank: 二}")
        .replace("  venue: 镇", "  venu: 镇")
        .replace("  - by: 张志远", "  - by: 张三")
    )
    found = problems_of(write_yaml(broken))
    lines = sorted(int(re.match(r".*?:(\d+):", p).group(1)) for p in found)
    assert lines == [5, 7, 8, 10, 17], found


def test_tab_indentation_is_named(write_yaml):
    message = only_problem(write_yaml(VALID.replace("  venue:", "\tvenue:")))
    assert "制表符（Tab）" in message and ":7:" in message


@pytest.mark.parametrize("tabbed", ["  venue:\t镇", "  venue: 镇\t"])
def test_a_tab_after_a_key_or_a_value_is_named_too(write_yaml, tabbed):
    # libyaml would read these; the definition is refused with the hint, as it always was
    message = only_problem(write_yaml(VALID.replace("  venue: 镇", tabbed, 1)))
    assert "制表符（Tab）" in message and ":7:" in message


def test_full_width_colon_gets_a_hint(write_yaml):
    message = only_problem(
        write_yaml(VALID.replace("  venue: 镇", "  venue：镇").replace("  host:", "  host:"))
    )
    assert "中文冒号“：”" in message


def test_python_tags_are_refused(write_yaml):
    found = problems_of(write_yaml(VALID + "extra: !!python/object/apply:os.system ['echo hi']\n"))
    assert any("不允许使用 YAML 标签" in p for p in found), found


def test_alias_bomb_is_refused(write_yaml):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for index in range(1, 9):
        previous = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        bomb += f"{name}: &{name} [{', '.join(['*' + previous] * 10)}]\n"
    message = only_problem(write_yaml(bomb))
    assert "别名" in message and "过多" in message


def test_gbk_file_is_named_as_such(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_bytes(VALID.encode("gbk"))
    message = only_problem(path)
    assert "GBK" in message and "UTF-8" in message


def test_empty_file_and_top_level_list(write_yaml):
    assert "定义文件是空的" in only_problem(write_yaml("# 只有注释\n"))
    assert "最外层应为" in only_problem(write_yaml("- meeting\n- people\n"))


def test_a_huge_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "meeting.yaml"
    path.write_bytes(b"# " + b"x" * (5 * 1024 * 1024) + b"\n")
    assert "过大" in only_problem(path)


def test_expression_errors_are_reported_with_their_line(write_yaml, tmp_path):
    text = VALID.replace('title: "{{ year }}年全镇工作会议"', 'title: "{{ yaer }}年全镇工作会议"')
    text = text.replace("  to: 各村", "  to: 各村{{ meeting.title")
    status, _out, err = run_cli("build", write_yaml(text), "-o", tmp_path / "out")
    assert status == 1
    assert ":2:" in err and "不存在的变量（yaer）" in err
    assert ":23:" in err and "表达式写错了" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists(), "nothing is written when the definition is invalid"


def test_invalid_definition_writes_nothing(write_yaml, tmp_path):
    path = write_yaml(VALID.replace("  host: 王建国", "  host: 无此人"))
    status, _, err = run_cli("build", path, "-o", tmp_path / "out")
    assert status == 1
    assert "无此人" in err and "共发现 1 处错误，未生成任何文件" in err
    assert not (tmp_path / "out").exists()
