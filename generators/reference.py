"""Generate the field reference for office staff (docs/定义文件说明.md) from the schema.

The page is made from the models' Chinese titles and descriptions, so it cannot drift from what
huiwu accepts; a test regenerates it and compares. Run ``python -m generators.reference`` to
rewrite the file after changing the schema.
"""

from __future__ import annotations

import inspect
import sys
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from .filters import CATALOGUE
from .model import Definition
from .model.base import PersonRef, TextField, UnitTextField

REFERENCE_PATH = Path(__file__).resolve().parents[1] / "docs" / "定义文件说明.md"

_INTRO = """\
# 会议定义文件说明

> 本页由 `python -m generators.reference` 根据 huiwu 的数据结构自动生成，请勿手工修改。

会议定义文件（通常叫 `meeting.yaml`）用 YAML 写成：每行“键: 值”，冒号是英文冒号、后面有一个空格；
下一级内容用空格缩进（不能用 Tab）；列表每项以“- ”开头。可以用 `huiwu new 文件夹` 生成一份带说明的示例。

- **文字**类字段里可以写 `{{ year }}`（会议所在年份）等表达式，明年沿用时不必改年份；见文末“文字里的表达式”。
- **人员**类字段写 `people` 下的键（通常就是姓名）。
- 日期可写 `2012-09-20` 或 `2012年9月20日`；时刻可写 `9:30`、`14:30`（24 小时制）或 `9时30分`。
- “必填”为“是”的字段不能省略；其余可以不写。
"""


def reference_markdown() -> str:
    """The whole reference page as Markdown."""
    sections = [_INTRO]
    for model in _models_in_order(Definition):
        sections.append(_model_section(model))
    sections.append(_filters_section())
    return "\n".join(sections)


def _models_in_order(root: type[BaseModel]) -> list[type[BaseModel]]:
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for info in model.model_fields.values():
            for nested in _nested_models(info.annotation):
                visit(nested)

    visit(root)
    return seen


def _nested_models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in get_args(annotation):
        out.extend(_nested_models(arg))
    return out


def _model_section(model: type[BaseModel]) -> str:
    doc = inspect.getdoc(model) or ""
    lines = [
        f"## {_heading(model)}",
        "",
        doc,
        "",
        "| 字段 | 名称 | 写法 | 必填 | 说明 |",
        "|---|---|---|---|---|",
    ]
    for name, info in model.model_fields.items():
        lines.append(
            f"| `{name}` | {info.title or ''} | {_kind(info)} | {'是' if info.is_required() else ''} "
            f"| {_describe(info)} |"
        )
    return "\n".join(lines) + "\n"


def _heading(model: type[BaseModel]) -> str:
    if model is Definition:
        return "顶层"
    first_sentence = (inspect.getdoc(model) or model.__name__).split("。")[0]
    return f"{first_sentence}（{model.__name__}）"


def _describe(info: FieldInfo) -> str:
    text = (info.description or "").replace("|", "\\|")
    default = info.default
    if default is not PydanticUndefined and default not in (None, "", [], {}):
        text += f" 默认：`{default}`。"
    return text


def _kind(info: FieldInfo) -> str:
    marks = {type(m) for m in info.metadata}
    return _annotation_kind(info.annotation, marks)


def _annotation_kind(annotation: Any, marks: set[type]) -> str:
    if TextField in marks:
        return "文字"
    if UnitTextField in marks:
        return "文字（可用本单位的数）"
    if PersonRef in marks:
        return "人员"
    origin = get_origin(annotation)
    if origin is Annotated:
        args = get_args(annotation)
        inner_marks = marks | {type(m) for m in args[1:]}
        return _annotation_kind(args[0], inner_marks)
    if origin in (Union, types.UnionType):
        kinds = [_annotation_kind(a, marks) for a in get_args(annotation) if a is not type(None)]
        return " 或 ".join(dict.fromkeys(kinds))
    if origin is list:
        return f"列表，每项：{_annotation_kind(get_args(annotation)[0], set())}"
    if origin is dict:
        return f"映射，每项：{_annotation_kind(get_args(annotation)[1], set())}"
    if origin is Literal:
        return "之一：" + "、".join(str(a) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"见 {annotation.__name__}"
    return _SIMPLE_KINDS.get(getattr(annotation, "__name__", ""), str(annotation))


_SIMPLE_KINDS = {
    "str": "文字",
    "int": "整数",
    "bool": "是/否（true/false）",
    "date": "日期",
    "time": "时刻",
    "Decimal": "数字",
    "float": "数字",
}


def _filters_section() -> str:
    lines = [
        "## 文字里的表达式",
        "",
        "“文字”类字段里可以用 `{{ … }}` 引用数值并用过滤器改写成中文写法，例如 "
        "`{{ meeting.date | cn_date }}` 写出 2012年9月20日。可以引用的名称：",
        "",
        "- `year`：会议所在年份（整数，可以计算，如 `{{ year - 1 }}`）；",
        "- `date`：会议日期；",
        "- `meeting`：会议的基本情况，如 `{{ meeting.title }}`、`{{ meeting.venue }}`。",
        "",
        "目标管理责任书（`letters`）里标为“文字（可用本单位的数）”的字段，每个单位展开一次，还可以用：",
        "",
        "- `单位`：本单位名称；",
        "- `配额`：本单位的各项配额，如 `{{ 配额.两非案件 }}`；",
        "- `总额`：各项配额的全辖区合计，如 `{{ 总额.社会抚养费 }}`；",
        "- `分配`：各单位的配额连写，如 `{{ 分配.两非案件 }}` 写出“松山乡5件、柏树镇5件……”；",
        "- `数据`：本单位在指标表里某一列的数，如 `{{ 数据.总人口 }}`。",
        "",
        "| 过滤器 | 作用 | 例子 |",
        "|---|---|---|",
    ]
    for name, item in CATALOGUE.items():
        lines.append(f"| `{name}` | {item.doc} | `{item.example}` |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Rewrite the reference page."""
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE_PATH.write_text(reference_markdown(), encoding="utf-8")
    print(REFERENCE_PATH, file=sys.stdout)


if __name__ == "__main__":
    main()
