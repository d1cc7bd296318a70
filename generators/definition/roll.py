"""``huiwu roll``: next year's definition from this year's, without this year's leftovers.

The definition's own text is edited in place, so the office's comments and layout survive:
years written into text fields are advanced (``2011.10.1—2012.9.30`` → ``2012.10.1—2013.9.30``),
every date is replaced by ``待填`` so that ``huiwu check`` lists each one with its line until it
is filled in, and a stated weekday is removed (huiwu works it out from the new date). What a
program cannot know — the new workbook, base values from last year, changed posts — is listed as
a reminder. Texts written with ``{{ year }}`` need no change at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from huiwu.definition.load import LoadedDefinition, load_definition
from huiwu.definition.schema_errors import field_label
from huiwu.definition.yamlsrc import PathKey, format_path, load_yaml_text, read_text
from huiwu.errors import HuiwuError, InputError, Location, Problem
from huiwu.model import Definition
from huiwu.model.base import MAX_YEAR, TO_FILL, DateField, TextField
from huiwu.model.walk import iter_marked

WEEKDAY: PathKey = ("meeting", "weekday")
ASSESSMENT_YEAR: PathKey = ("meeting", "assessment_year")
YEAR_WINDOW = 6
"""Only numbers within this many years of the meeting's year are taken for years."""


@dataclass(frozen=True)
class Edit:
    """One change made to the text: where, and from what to what."""

    line: int
    path: PathKey
    old: str
    new: str

    def describe(self) -> str:
        """``第 12 行 meeting.date“会议日期”（date）：2012-09-20 → 待填``."""
        label = field_label(Definition, self.path)
        return f"第 {self.line} 行 {format_path(self.path)}{label}：{self.old} → {self.new}"


@dataclass
class Rolled:
    """Next year's definition text and what the user must look at."""

    text: str
    year: int
    edits: list[Edit] = field(default_factory=list)
    to_fill: list[Edit] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)


def roll(path: Path, year: int | None = None) -> Rolled:
    """Roll the definition at ``path`` to ``year`` (default: the year after its meeting)."""
    loaded = load_definition(path)
    old_year = loaded.model.year
    new_year = old_year + 1 if year is None else year
    if new_year <= old_year:
        raise HuiwuError(f"{path}: 新的年份应晚于会议所在的 {old_year} 年，现在是 {new_year}")
    if new_year > MAX_YEAR:
        raise HuiwuError(f"{path}: 新的年份 {new_year} 不合常理，应不晚于 {MAX_YEAR} 年")
    text = read_text(path, what="定义文件")
    own = load_yaml_text(text, path).data
    nodes = _scalar_nodes(text)
    rolled = Rolled(text, new_year)
    replacements: list[tuple[int, int, str]] = []
    for field_path, _ in iter_marked(Definition, own, DateField):
        node = nodes.get(field_path)
        if node is not None:
            blank = f"{TO_FILL}（{new_year}年）"
            replacements.append((*_span(node), blank))
            rolled.to_fill.append(_edit(node, field_path, blank))
    weekday = nodes.get(WEEKDAY)
    if weekday is not None and weekday.value:
        replacements.append((*_span(weekday), ""))
        rolled.edits.append(_edit(weekday, WEEKDAY, "（删去，由日期算出）"))
    assessed = nodes.get(ASSESSMENT_YEAR)
    if assessed is not None and assessed.value.strip().isdigit():
        moved = str(int(assessed.value) + new_year - old_year)
        replacements.append((*_span(assessed), moved))
        rolled.edits.append(_edit(assessed, ASSESSMENT_YEAR, moved))
    for field_path, _ in iter_marked(Definition, own, TextField):
        node = nodes.get(field_path)
        if node is None:
            continue
        start, end = _span(node)
        shifted = advance_years(text[start:end], old_year, new_year)
        if shifted != text[start:end]:
            replacements.append((start, end, shifted))
            new_value = advance_years(node.value, old_year, new_year)
            rolled.edits.append(_edit(node, field_path, new_value))
    rolled.text = _apply(text, replacements)
    rolled.reminders = _reminders(loaded, path, old_year, new_year)
    _check_still_yaml(rolled.text, path)
    return rolled


_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?=年|\.\d|-\d|—|～|至)")


def advance_years(text: str, old_year: int, new_year: int) -> str:
    """Advance every year near ``old_year`` written in ``text`` by ``new_year - old_year``."""
    shift = new_year - old_year

    def replace(match: re.Match[str]) -> str:
        value = int(match.group(1))
        return str(value + shift) if abs(value - old_year) <= YEAR_WINDOW else match.group(1)

    return _YEAR.sub(replace, text)


def _scalar_nodes(text: str) -> dict[PathKey, yaml.ScalarNode]:
    """Every scalar of the document by its path (keys of mappings, indexes of lists)."""
    found: dict[PathKey, yaml.ScalarNode] = {}

    def walk(node: yaml.Node, path: PathKey) -> None:
        if isinstance(node, yaml.ScalarNode):
            found[path] = node
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    walk(value, (*path, key.value))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return found


def _span(node: yaml.ScalarNode) -> tuple[int, int]:
    return node.start_mark.index, node.end_mark.index


def _edit(node: yaml.ScalarNode, path: PathKey, new: str) -> Edit:
    return Edit(node.start_mark.line + 1, path, node.value, new)


def _apply(text: str, replacements: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def _reminders(loaded: LoadedDefinition, path: Path, old_year: int, new_year: int) -> list[str]:
    model = loaded.model
    notes = []
    # The figures are those of the year assessed, which trails the meeting's when they differ.
    assessed = model.meeting.assessment_year
    old_data, new_data = (
        (old_year, new_year) if assessed is None else (assessed, assessed + new_year - old_year)
    )
    if model.workbook.file:
        notes.append(
            f"指标表（workbook.file：{model.workbook.file}）要换成{new_data}年的数据；"
            f"可用 huiwu sheet 生成一份空白表"
        )
    for name, spec in model.indicators.items():
        for base in spec.base:
            if base.value is not None:
                notes.append(f"指标“{name}”的基期数值 {base.value} 是按{old_data}年写的，请核对")
    if model.people:
        notes.append("人员（people）的职务、排序可能已有变动，请逐一核对")
    for date_path, _ in iter_marked(Definition, model.model_dump(), DateField):
        origin = loaded.source.file_of(date_path)
        if origin != path and origin.resolve() != path.resolve():
            notes.append(
                f"{format_path(date_path)}{field_label(Definition, date_path)}沿用自 {origin}，"
                "请在本文件里写上新的日期"
            )
    return notes


def _check_still_yaml(text: str, path: Path) -> None:
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:  # a bug of ours, but say it in the user's terms
        raise InputError(
            [Problem(f"滚动后的定义无法解析（{exc}），请反馈给维护人员", Location(path))]
        ) from None
