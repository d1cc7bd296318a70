"""Generate the field reference for office staff (docs/定义文件说明.md) from the schema.

The page is made from the models' Chinese titles and descriptions, so it cannot drift from what
huiwu accepts; a test regenerates it and compares. Run ``python -m huiwu.definition.reference`` to
rewrite the file after changing the schema.
"""

from __future__ import annotations

import inspect
import sys
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from huiwu.model import Definition
from huiwu.model.base import PersonRef, TextField, UnitTextField
from huiwu.text.filters import CATALOGUE
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

REFERENCE_PATH = Path(__file__).resolve().parents[2] / "docs" / "定义文件说明.md"

_INTRO = """\
# 会议定义文件说明

> 本页由 `python -m huiwu.definition.reference` 根据 huiwu 的数据结构自动生成，请勿手工修改。

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
    sections.append(_INDICATORS)
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


_INDICATORS = """\
## 指标和指标表：例子

报告里的每个比率都由 huiwu 从指标表的原始数算出，不要在表里填比率。全辖区（全县）的比率是把各单位的数
先合计再计算，不是各单位比率的平均；结果按指标的小数位数四舍五入；两个比率之差写成“个百分点”（千分率
写“个千分点”，性别比等比值写“个单位值”），相等时写“持平”。

```yaml
workbook:
  file: 指标.xlsx          # 也可以 build 时用 --data 指定
  sheet: 数据
  area: 全县
units: [城关镇, 青石镇, 柳河镇]
indicators:
  出生政策符合率:          # 百分率：政策内出生人数 ÷ 出生人数 × 100%
    compute: percent
    numerator: {column: 政策内出生人数, label: 政策内出生}
    denominator: {column: 出生人数, label: 上报出生}
    target: {floor: 90}    # 不低于 90%
    base: 前三年平均       # 与“前三年平均”工作表比较
    weight: 40             # 综合得分中占 40 分
  政策外多孩率:
    compute: percent
    numerator: 政策外多孩出生人数
    denominator: 出生人数
    better: lower          # 越低越好
    target: {ceiling: 2}   # 不高于 2%
    base: [{value: 1.45, label: 前三年平均值}, 上年]
  出生人口性别比:          # 比值 × 100
    compute: ratio100
    numerator: {column: 出生男孩数, label: 出生男孩}
    denominator: {column: 出生女孩数, label: 出生女孩}
    better: lower
    base: 上年
    colon_form: true       # 写成 100:124.54
  出生率:                  # 千分率
    compute: permille
    numerator: 出生人数
    denominator: 户籍人口
    target: {ceiling: 13.8}
  社会抚养费征收额:        # 直接取一列
    compute: value
    column: {column: 社会抚养费, unit: 万元}
    decimals: 1
  四术总数:                # 几列相加
    compute: sum
    columns: [{column: 上环, unit: 例}, {column: 结扎, unit: 例}]
    decimals: 0
```

写出的句子（`{{ 指标名 | sentence }}`，或工作汇报里的 `- indicator: 指标名`）：

| 指标 | 句子 |
|---|---|
| 出生政策符合率 | 出生政策符合率为91.24%，与前三年平均值比高0.91个百分点，高于90%的目标值1.24个百分点 |
| 政策外多孩率 | 政策外多孩率为1.05%，与前三年平均值比低0.4个百分点，与上年同比下降0.2个百分点，低于2%的控制目标0.95个百分点 |
| 出生人口性别比 | 出生人口性别比为100:124.54，与上年同比下降5.28个单位值 |
| 出生率 | 出生率为13.28‰，低于13.8‰的控制目标0.52个千分点 |
| 社会抚养费征收额 | 社会抚养费征收额为2200.1万元 |

指标表（.xlsx）的写法，`huiwu sheet meeting.yaml -o 指标.xlsx` 可以生成一份列好表头和单位的空白表：

- **数据工作表**：第一行是表头，第一列“单位”，其余各列的表头与定义里的列名一字不差；每个单位一行。
  可以有一行“合计”（huiwu 自己合计，不用它）；多出的备注列不影响。
- **基期工作表**“上年”“同期”“前三年平均”：每个单位一行，填基期的比率（表头写指标名，如“出生人口性别比”，
  不带%），或与数据表相同的原始数列（由 huiwu 计算）；最后一行“合计”填全辖区的基期值。
- **目标工作表**“目标”（可不要）：表头写指标名，为个别单位另定目标；没写的单位用定义里的 target。
- 表里有错时（文字、空格子、没有保存结果的公式、错误值、百分比格式、合并的表头、缺少或多出的单位……），
  huiwu 一次列出全部问题，每条写明“工作表!格子”和应当怎么改，不生成任何文件。
"""


def _filters_section() -> str:
    lines = [
        "## 文字里的表达式",
        "",
        "“文字”类字段里可以用 `{{ … }}` 引用数值并用过滤器改写成中文写法，例如 "
        "`{{ meeting.date | cn_date }}` 写出 2012年9月20日。可以引用的名称：",
        "",
        "- `year`：会议所在年份（整数，可以计算，如 `{{ year - 1 }}`）；",
        "- `考核年度`：会议总结、考核的年度（`meeting.assessment_year`，不写时同 `year`），"
        "如次年1月的会议写 `{{ 考核年度 }}年度考核结果`；",
        "- `date`：会议日期；",
        "- `meeting`：会议的基本情况，如 `{{ meeting.title }}`、`{{ meeting.venue }}`；",
        "- 各项指标的名称：全辖区的值，如 `{{ 出生政策符合率 }}` 写出 91.24%；",
        "- `各单位`：各单位的指标，如 `{{ 各单位.城关镇.出生政策符合率 }}`；",
        "- `合计`：指标表各列的合计，如 `{{ 合计.出生人数 }}`；`单位数`：指标表里的单位个数；",
        "- `排名`（写了 ranking 时）：`排名.前三名`、`排名.第一名`、`排名.末位`（单位名单），"
        "`排名.标记['预否决']`（带这个标记的单位）。",
        "",
        "用到指标的文字需要指标表（`--data` 或 `workbook.file`）。"
        "过滤器和 `+ - * /` 同时用时，先算的部分加括号："
        "`{{ (合计.政策内出生人数 / 合计.出生人数 * 100) | percent }}`。",
        "",
        "还可以用 `{% for %}` 和 `if` 逐个列出或按条件选词，如 "
        "`{% for 单位 in 排名.前三名 %}{{ 单位 }}{{ '、' if not loop.last }}{% endfor %}`、"
        "`{{ '完成' if 出生政策符合率.meets_target else '未完成' }}`。"
        '以 `{{` 或 `{%` 开头的文字要用引号括起来（`title: "{{ 考核年度 }}年度…"`），'
        "否则 YAML 会把它当成映射。",
        "",
        "工作汇报、讲话稿的一节写了 `for_each_unit: true` 时，这一节按单位重复，每个单位一节；"
        "写了 `unit: 城关镇` 时只写这一个单位。这样的节里还可以用 `单位`（单位名称）和 "
        "`本单位`（本单位的指标，如 `{{ 本单位.出生政策符合率 }}`），指标段落写本单位的数字。",
        "",
        "要把各单位的数字列成一张表，在一节的段落里写 `table`（按单位列表）："
        "`- table: {title: 各乡镇主要指标完成情况, columns: [出生人数, 出生政策符合率]}`。"
        "表格每个单位一行（序号、单位，再是各列），末行是全县合计；列写指标名就写指标的值，"
        "写指标表的列名就写这一列的数。见 `data/deduction-scoring/meeting.yaml`。",
        "",
        "目标管理责任书（`letters`）里标为“文字（可用本单位的数）”的字段，每个单位展开一次，还可以用：",
        "",
        "- `单位`：本单位名称；",
        "- `配额`：本单位的各项配额，如 `{{ 配额.两非案件 }}`；",
        "- `总额`：各项配额的全辖区合计，如 `{{ 总额.社会抚养费 }}`；",
        "- `分配`：各单位的配额连写，如 `{{ 分配.两非案件 }}` 写出“松山乡5件、柏树镇5件……”；",
        "- `数据`：本单位在指标表里某一列的数，如 `{{ 数据.总人口 }}`；"
        "`workbook.text_columns` 里的列是文字，如 `{{ 数据.乙方全称 }}`。",
        "",
        "| 过滤器 | 作用 | 例子 |",
        "|---|---|---|",
    ]
    for name, item in CATALOGUE.items():
        # A bare | would end the table cell, even inside backticks.
        example = item.example.replace("|", "\\|")
        lines.append(f"| `{name}` | {item.doc} | `{example}` |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Rewrite the reference page."""
    REFERENCE_PATH.parent.mkdir(parents=True, exist_ok=True)
    REFERENCE_PATH.write_text(reference_markdown(), encoding="utf-8")
    print(REFERENCE_PATH, file=sys.stdout)


if __name__ == "__main__":
    main()
