"""The form of what changes every year — the meeting's facts, the leaders, the agenda — read from
and written back into the definition's YAML text with ruamel.yaml's round trip, so that the
office's comments, key order and quoting survive.

huiwu reads definitions as YAML 1.1 (PyYAML), where ``9:00`` is a number of minutes and ``on`` a
boolean; every text written here is quoted whenever YAML 1.1 would read it as anything but that
text.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import yaml as yaml11
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

FACTS = {
    "title": "会议名称",
    "organizer": "主办单位",
    "date": "会议日期",
    "time": "开始时间",
    "end_time": "结束时间",
    "checkin_time": "签到时间",
    "venue": "会议地点",
    "host": "主持人",
}
"""The meeting facts in the form, with their labels (as in the schema's titles)."""
AGENDA_FIELDS = ("by", "does", "topic")


class FormError(Exception):
    """The text cannot be edited through the form (it does not parse); message in Chinese."""


def _yaml() -> YAML:
    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096  # never fold a long Chinese line the office wrote on one line
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def _parse(text: str) -> CommentedMap:
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        raise FormError(f"定义文件有语法错误，先在编辑器里改好再用表格：{exc}") from None
    if not isinstance(data, CommentedMap):
        raise FormError("定义文件最外层应为“键: 值”形式，表格无法填写。")
    return data


def read_form(text: str) -> dict[str, Any]:
    """The form's values as they are written in the text (everything as text)."""
    data = _parse(text)
    meeting = data.get("meeting") or {}
    agenda = data.get("agenda") or []
    return {
        "facts": {key: _plain(meeting.get(key)) for key in FACTS},
        "labels": FACTS,
        "leaders": [_plain(item) for item in (data.get("leaders") or [])],
        "agenda": [
            {key: _plain(item.get(key)) for key in AGENDA_FIELDS}
            for item in agenda
            if isinstance(item, dict)
        ],
    }


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_form(text: str, form: dict[str, Any]) -> str:
    """``text`` with the form's values written in; everything else as it was."""
    data = _parse(text)
    meeting = data.get("meeting")
    if not isinstance(meeting, CommentedMap):
        meeting = CommentedMap()
        data.insert(0, "meeting", meeting)
    old_date = _plain(meeting.get("date"))
    for key in FACTS:
        value = str(form.get("facts", {}).get(key, "")).strip()
        if value:
            meeting[key] = _scalar(value, meeting.get(key))
        elif key in meeting and key not in ("title", "date", "time", "venue", "host"):
            del meeting[key]
    if _plain(meeting.get("date")) != old_date and "weekday" in meeting:
        del meeting["weekday"]  # huiwu works the weekday out from the new date
    if "leaders" in form:
        _set_list(data, "leaders", [str(v).strip() for v in form["leaders"] if str(v).strip()])
    if "agenda" in form:
        _set_agenda(data, form["agenda"])
    stream = io.StringIO()
    _yaml().dump(data, stream)
    return stream.getvalue()


def _scalar(value: str, old: Any) -> Any:
    """The value to write: a date as a date, else text, quoted when YAML 1.1 would misread it
    or when the office had quoted the old value."""
    if (old is None or isinstance(old, dt.date)) and _is_iso_date(value):
        return dt.date.fromisoformat(value)
    if isinstance(old, DoubleQuotedScalarString) or _misread(value):
        return DoubleQuotedScalarString(value)
    return value


def _is_iso_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _misread(value: str) -> bool:
    try:
        return yaml11.safe_load(value) != value
    except yaml11.YAMLError:
        return True


def _set_list(data: CommentedMap, key: str, values: list[str]) -> None:
    current = data.get(key)
    items = [_scalar(value, None) for value in values]
    if isinstance(current, CommentedSeq):
        del current[:]
        current.extend(items)
    else:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        data[key] = seq


def _set_agenda(data: CommentedMap, rows: list[dict[str, Any]]) -> None:
    agenda = data.get("agenda")
    if not isinstance(agenda, CommentedSeq):
        agenda = CommentedSeq()
        data["agenda"] = agenda
    rows = [row for row in rows if any(str(row.get(k, "")).strip() for k in AGENDA_FIELDS)]
    for index, row in enumerate(rows):
        item = agenda[index] if index < len(agenda) else None
        if not isinstance(item, CommentedMap):
            item = CommentedMap()
            if index < len(agenda):
                agenda[index] = item
            else:
                agenda.append(item)
        for key in AGENDA_FIELDS:
            value = str(row.get(key, "")).strip()
            if value:
                item[key] = _scalar(value, item.get(key))
            elif key in item:
                del item[key]
    del agenda[len(rows) :]
