"""Turn pydantic's validation errors into Chinese problems located in the YAML file."""

from __future__ import annotations

import difflib
from typing import Any, get_args

from huiwu.definition.yamlsrc import PathKey, SourceMap, format_path
from huiwu.errors import Problem
from huiwu.model.walk import model_at
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType


def translate(error: ValidationError, root: type[BaseModel], source: SourceMap) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with file:line:column and the field path.

    A misspelt required field shows up twice in pydantic (unknown ``venu``, missing ``venue``);
    the user made one mistake, so only the "unknown field, did you mean" message is kept.
    """
    details = error.errors(include_url=False)
    explained = {_suggested_path(d, root) for d in details if d["type"] == "extra_forbidden"}
    return [
        _problem(detail, root, source)
        for detail in details
        if not (detail["type"] == "missing" and tuple(detail["loc"]) in explained)
    ]


def _suggested_path(detail: ErrorDetails, root: type[BaseModel]) -> PathKey | None:
    path = tuple(detail["loc"])
    suggestion = _suggestion(root, path)
    return (*path[:-1], suggestion) if suggestion else None


def _problem(detail: ErrorDetails, root: type[BaseModel], source: SourceMap) -> Problem:
    path: PathKey = tuple(detail["loc"])
    kind = detail["type"]
    # Point at the key when the error concerns a whole mapping (a missing field, a rule across
    # fields); at the value when the value itself is wrong.
    whole_node = kind in ("missing", "extra_forbidden") or isinstance(detail.get("input"), dict)
    location = source.locate(path, key=whole_node)
    return Problem(_message(detail, root, path), location, format_path(path))


def _message(detail: ErrorDetails, root: type[BaseModel], path: PathKey) -> str:
    kind = detail["type"]
    value = detail.get("input")
    ctx: dict[str, Any] = dict(detail.get("ctx") or {})
    label = field_label(root, path)
    if kind == "missing":
        return f"缺少必填项{label}"
    if kind == "extra_forbidden":
        return _unknown_field(root, path)
    if value is None and kind.endswith("_type"):
        return f"{label.strip()}不能为空".lstrip()
    simple = _SIMPLE.get(kind)
    if simple is not None:
        return simple.format(label=label, value=_show(value), **ctx)
    if kind in ("literal_error", "enum"):
        return f"{label}只能是 {ctx.get('expected', '')}，现在是“{_show(value)}”"
    if kind == "value_error":
        error = ctx.get("error")
        return str(error) if _chinese(str(error or "")) else _generic(label, value)
    if kind in _PYDANTIC_KINDS:
        # One of pydantic's own checks with no Chinese wording above: never show its English.
        return _generic(label, value)
    # Our own validators raise PydanticCustomError with a finished Chinese message.
    return detail["msg"]


_PYDANTIC_KINDS = frozenset(get_args(ErrorType))


def _chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def _generic(label: str, value: Any) -> str:
    return f"{label}的写法不对，现在是“{_show(value)}”；请对照《定义文件说明》里这一项的说明改正"


_SIMPLE: dict[str, str] = {
    "string_type": "{label}应为一段文字，现在是“{value}”",
    "int_parsing": "{label}应为整数，现在是“{value}”",
    "int_type": "{label}应为整数，现在是“{value}”",
    "int_from_float": "{label}应为整数，不能有小数，现在是“{value}”",
    "float_parsing": "{label}应为数字，现在是“{value}”",
    "float_type": "{label}应为数字，现在是“{value}”",
    "decimal_parsing": "{label}应为数字，现在是“{value}”",
    "decimal_type": "{label}应为数字，现在是“{value}”",
    "bool_parsing": "{label}应为 是/否（写 true 或 false），现在是“{value}”",
    "bool_type": "{label}应为 是/否（写 true 或 false），现在是“{value}”",
    "list_type": "{label}应为列表（每项另起一行，以“- ”开头），现在是“{value}”",
    "dict_type": "{label}应为“键: 值”形式的映射，现在是“{value}”",
    "model_type": "{label}应为“键: 值”形式的映射，现在是“{value}”",
    "model_attributes_type": "{label}应为“键: 值”形式的映射，现在是“{value}”",
    "greater_than_equal": "{label}不能小于 {ge}，现在是“{value}”",
    "greater_than": "{label}应大于 {gt}，现在是“{value}”",
    "less_than_equal": "{label}不能大于 {le}，现在是“{value}”",
    "less_than": "{label}应小于 {lt}，现在是“{value}”",
    "string_too_short": "{label}不能为空",
    "too_short": "{label}至少要有 {min_length} 项",
    "too_long": "{label}最多 {max_length} 项",
    "string_too_long": "{label}太长，最多 {max_length} 个字",
    "finite_number": "{label}应为一个有限的数，现在是“{value}”",
    "decimal_max_digits": "{label}的位数太多，现在是“{value}”",
    "decimal_max_places": "{label}的小数位太多，现在是“{value}”",
    "multiple_of": "{label}应是 {multiple_of} 的倍数，现在是“{value}”",
    "list_too_long": "{label}最多 {max_length} 项",
}


def field_label(root: type[BaseModel], path: PathKey) -> str:
    """``“会议日期”（date）`` for ``meeting.date`` — the field's Chinese title, quoted, or ''."""
    names = [p for p in path if isinstance(p, str)]
    if not names:
        return ""
    parent = model_at(root, path[:-1]) if isinstance(path[-1], str) else None
    if parent is not None and path[-1] in parent.model_fields:
        title = parent.model_fields[path[-1]].title
        if title:
            return f"“{title}”（{path[-1]}）"
    return f"“{names[-1]}”"


def _unknown_field(root: type[BaseModel], path: PathKey) -> str:
    key = str(path[-1])
    parent = model_at(root, path[:-1])
    if parent is None:
        return f"不认识的字段“{key}”"
    suggestion = _suggestion(root, path)
    hint = f"，是不是“{suggestion}”？" if suggestion else "。"
    titles = {name: info.title for name, info in parent.model_fields.items()}
    listing = "、".join(f"{name}（{title}）" if title else name for name, title in titles.items())
    return f"不认识的字段“{key}”{hint}这里可以写：{listing}"


def _suggestion(root: type[BaseModel], path: PathKey) -> str | None:
    """The field an unknown key was probably meant to be: by spelling or by Chinese title."""
    parent = model_at(root, path[:-1])
    if parent is None:
        return None
    key = str(path[-1])
    by_title = [name for name, info in parent.model_fields.items() if info.title == key]
    close = by_title or difflib.get_close_matches(key, list(parent.model_fields), n=1, cutoff=0.6)
    return close[0] if close else None


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "映射"
    if isinstance(value, list):
        return "列表"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"
