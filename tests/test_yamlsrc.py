"""The YAML reader keeps the user's text and where every value stands."""

from __future__ import annotations

from pathlib import Path

import pytest
from huiwu.definition.yamlsrc import format_path, load_yaml_text
from huiwu.errors import InputError

SOURCE = """\
meeting:
  title: 会议
  time: 9:30
  open: yes
  code: 012
agenda:
  - by: 张三
    topic: "yes"
  - {by: 李四, topic: ~}
"""


def test_scalars_stay_as_typed():
    data = load_yaml_text(SOURCE, Path("m.yaml")).data
    assert data["meeting"] == {"title": "会议", "time": "9:30", "open": "yes", "code": "012"}
    assert data["agenda"][0]["topic"] == "yes"
    assert data["agenda"][1]["topic"] is None


def test_positions_of_values_and_keys():
    source = load_yaml_text(SOURCE, Path("m.yaml")).source
    assert str(source.locate(("meeting", "time"))) == "m.yaml:3:9"
    assert str(source.locate(("meeting", "time"), key=True)) == "m.yaml:3:3"
    assert str(source.locate(("agenda", 1, "by"))) == "m.yaml:9:10"
    assert str(source.locate(("agenda", 1, "nothing_here"))) == "m.yaml:9:5"
    assert str(source.locate(("missing",))) == "m.yaml:1:1"


def test_format_path_counts_from_one():
    assert format_path(("agenda", 0, "by")) == "agenda[1].by"
    assert format_path(("people", "王建国", "rank")) == "people.王建国.rank"


def test_several_documents_are_refused():
    with pytest.raises(InputError, match="多个 YAML 文档"):
        load_yaml_text("a: 1\n---\nb: 2\n", Path("m.yaml"))


def test_recursive_alias_is_refused():
    loaded = load_yaml_text("a: &x [1, *x]\n", Path("m.yaml"))
    assert any("循环" in p.message for p in loaded.problems)


def test_deep_nesting_is_refused():
    with pytest.raises(InputError, match="嵌套层数过多"):
        load_yaml_text("a: " + "[" * 5000 + "]" * 5000 + "\n", Path("m.yaml"))


def test_unclosed_quote():
    with pytest.raises(InputError, match="第 1 行的双引号没有配对"):
        load_yaml_text('a: "未闭合\n', Path("m.yaml"))
