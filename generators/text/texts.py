"""Expand ``{{ … }}`` expressions in the definition's text fields.

Runs after validation and before any document is built, so that an unknown variable or a
syntax error is reported with its file and line like every other input error. Meeting facts are
expanded first, so other texts may use ``{{ meeting.title }}`` with its year already filled in.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from huiwu.definition.load import LoadedDefinition
from huiwu.definition.yamlsrc import PathKey, format_path
from huiwu.errors import InputError, Problem, Problems, raised_by_huiwu
from huiwu.figures.values import MissingWorkbook, NoData
from huiwu.model import Definition
from huiwu.model.base import TextField, UnitTextField
from huiwu.model.walk import iter_marked
from huiwu.text import cn
from huiwu.text.filters import FILTERS
from huiwu.text.jinja import (
    DICT_ATTRIBUTES,
    INTERNAL_ADDRESS,
    TooLarge,
    close_names,
    environment,
    explain_runtime,
    explain_syntax,
    undefined_name,
)
from huiwu.text.phrasing import Figure
from jinja2 import Template, TemplateError, TemplateNotFound, UndefinedError, meta, nodes
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.exceptions import SecurityError


def base_namespace(definition: Definition) -> dict[str, Any]:
    """Values every text field may use before meeting facts are expanded."""
    return {
        "year": definition.year,
        "date": definition.meeting.date,
        "考核年度": definition.assessment_year,
    }


def expand_texts(loaded: LoadedDefinition, values: Mapping[str, Any] | None = None) -> Definition:
    """A copy of the definition with every text field's expressions evaluated.

    ``values`` adds names (e.g. computed indicators) to what texts may refer to.
    Raises :class:`~huiwu.errors.InputError` listing every expression that fails.
    """
    model = loaded.model
    data = model.model_dump()
    namespace = {**base_namespace(model), **(values or {})}
    problems = Problems()
    expander = _Expander(loaded, problems)
    texts = list(iter_marked(Definition, data, TextField))
    repeated = list(_repeated_sections(data))
    per_unit = [(p, v) for p, v in texts if _under(p, repeated) or _in_unit_section(data, p)]
    later = {path for path, _ in per_unit}
    texts = [(p, v) for p, v in texts if p not in later]
    meeting_texts = [(p, v) for p, v in texts if p[0] == "meeting"]
    other_texts = [(p, v) for p, v in texts if p[0] != "meeting"]
    for path, value in meeting_texts:
        _assign(data, path, expander.expand(path, value, namespace))
    namespace["meeting"] = data["meeting"]
    for path, value in other_texts:
        _assign(data, path, expander.expand(path, value, namespace))
    _expand_unit_sections(data, repeated, per_unit, namespace, expander, model)
    problems.raise_if_errors()
    return Definition.model_validate(data)


_SECTION_TREES = ("report", "speech")


def _repeated_sections(data: Any) -> Iterator[PathKey]:
    """Paths of the sections marked ``for_each_unit``, deepest last."""

    def walk(sections: Any, path: PathKey) -> Iterator[PathKey]:
        for index, section in enumerate(sections or []):
            here = (*path, index)
            if section.get("for_each_unit"):
                yield here
            else:
                yield from walk(section.get("sections"), (*here, "sections"))

    for tree in _SECTION_TREES:
        if isinstance(data.get(tree), dict):
            yield from walk(data[tree].get("sections"), (tree, "sections"))


def _under(path: PathKey, roots: list[PathKey]) -> bool:
    return any(path[: len(root)] == root for root in roots)


def _in_unit_section(data: Any, path: PathKey) -> bool:
    """Whether ``path`` lies inside a section written for one unit (``unit:``)."""
    if not path or path[0] not in _SECTION_TREES:
        return False
    node = data
    for part in path[:-1]:
        node = node[part]
        if isinstance(node, dict) and node.get("unit") and "paragraphs" in node:
            return True
    return False


def _expand_unit_sections(
    data: Any,
    repeated: list[PathKey],
    per_unit: list[tuple[PathKey, Any]],
    namespace: dict[str, Any],
    expander: _Expander,
    model: Definition,
) -> None:
    """Expand the texts of one-unit sections with that unit's names, then replace each
    ``for_each_unit`` section by one copy per unit (last first, so earlier paths stay valid)."""
    figures = namespace.get("各单位")
    tables = figures if isinstance(figures, Mapping) else {}
    units = list(tables) or list(model.units)
    for path, value in per_unit:
        root = next((r for r in repeated if path[: len(r)] == r), None)
        if root is None:
            unit = _section_unit(data, path)
            if unit not in units:
                expander.report(path[:-1], _unknown_unit(unit, units))
                continue
            names = {**namespace, "单位": unit, "本单位": tables.get(unit, {})}
            _assign(data, path, expander.expand(path, value, names))
    for root in sorted(repeated, reverse=True):
        if not units:
            expander.report(root, "每个单位一节（for_each_unit）要有单位：请写 units 或指标表")
            continue
        original = copy.deepcopy(_get(data, root))
        copies = []
        for unit in units:
            section = copy.deepcopy(original)
            section["for_each_unit"], section["unit"] = False, unit
            names = {**namespace, "单位": unit, "本单位": tables.get(unit, {})}
            before = len(expander.problems.items)
            for path, value in per_unit:
                if path[: len(root)] == root:
                    relative = path[len(root) :]
                    _assign(section, relative, expander.expand(path, value, names))
            copies.append(section)
            if len(expander.problems.items) > before:
                break  # the same mistake in every unit's copy is said once
        parent, index = _get(data, root[:-1]), root[-1]
        parent[index : index + 1] = copies


def _section_unit(data: Any, path: PathKey) -> str:
    node, unit = data, ""
    for part in path[:-1]:
        node = node[part]
        if isinstance(node, dict) and node.get("unit"):
            unit = node["unit"]
    return unit


def _unknown_unit(unit: str, units: list[str]) -> str:
    close = difflib.get_close_matches(unit, units, n=1, cutoff=0.5)
    hint = f"是不是“{close[0]}”？" if close else f"可用的有：{'、'.join(units[:30])}"
    return f"没有单位“{unit}”。{hint}"


def _get(data: Any, path: PathKey) -> Any:
    for part in path:
        data = data[part]
    return data


def as_office_writes(style: cn.TimeStyle) -> Callable[[Any], Any]:
    """Jinja ``finalize`` for the definition's texts: a date or time written out bare (``{{
    meeting.date }}``, ``{{ meeting.time }}``) reads 2012年9月20日 and 9时, never 2012-09-20 or
    09:00:00 in a notice; the cn_date and cn_time filters still choose other forms."""

    def finalize(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return f"{cn.format_date(value.date())}{cn.format_time(value.time(), style)}"
        if isinstance(value, dt.date):
            return cn.format_date(value)
        if isinstance(value, dt.time):
            return cn.format_time(value, style)
        return value

    return finalize


class _Expander:
    def __init__(self, loaded: LoadedDefinition, problems: Problems) -> None:
        self.loaded = loaded
        self.problems = problems
        self.env = environment(
            autoescape=False, finalize=as_office_writes(loaded.model.meeting.time_style)
        )

    def expand(self, path: PathKey, value: Any, namespace: Mapping[str, Any]) -> Any:
        if not isinstance(value, str):
            return value
        value = join_folded_lines(value)
        if "{{" not in value and "{%" not in value:
            return value
        tree = _tree(self.env, value)  # None: not Jinja; compiled below to say why
        missing = self._missing_data(tree, namespace)
        if missing is not None:
            self._report(path, missing.message)
            return value
        try:
            return self.env.from_string(value if tree is None else tree).render(namespace)
        except Exception as exc:
            message = _failure(exc, namespace, _tree(self.env, value))
            if message is None:
                raise
            self._report(path, message)
        return value

    def _missing_data(
        self, tree: nodes.Template | None, namespace: Mapping[str, Any]
    ) -> NoData | None:
        """The first workbook name the text uses when no workbook was read.

        Found before rendering, because filters given a stand-in would fail with a message
        about types instead of saying that the workbook is missing.
        """
        if tree is None or not any(isinstance(item, NoData) for item in namespace.values()):
            return None  # a text that is no Jinja is reported when rendering
        names = meta.find_undeclared_variables(tree)
        stand_ins = [namespace[name] for name in sorted(names) if name in namespace]
        return next((item for item in stand_ins if isinstance(item, NoData)), None)

    def report(self, path: PathKey, message: str) -> None:
        """Record a problem at the definition line of ``path``."""
        self._report(path, message)

    def _report(self, path: PathKey, message: str) -> None:
        location = self.loaded.source.locate(path)
        self.problems.add(Problem(message, location, format_path(path)))


class UnitTexts:
    """The texts expanded once per unit (:class:`~huiwu.model.base.UnitTextField`, the
    responsibility letters): each compiled once, then rendered with every unit's figures.

    ``for_unit(names)`` gives the function a document builder calls on each of its texts.
    """

    def __init__(self, loaded: LoadedDefinition, model: Definition) -> None:
        self._loaded = loaded
        self._env = environment(
            autoescape=False, finalize=as_office_writes(model.meeting.time_style)
        )
        self._texts: dict[str, _Text | str] = {}
        """Each text compiled (a text without tags: itself)."""
        self._paths: dict[str, PathKey] = {}
        for path, value in iter_marked(Definition, model.model_dump(), UnitTextField):
            if isinstance(value, str):
                self._paths.setdefault(value, path)
                self._compile(value)

    def for_unit(self, names: Mapping[str, Any], *, name_unit: bool = True) -> Callable[[str], str]:
        """Expand texts with ``names``; a failure raises :class:`InputError` (naming the unit,
        unless ``name_unit`` is false)."""
        namespace = {**self._env.globals, **names}  # one for all the unit's texts

        def expand(text: str) -> str:
            compiled = self._texts.get(text)
            if compiled is None:
                compiled = self._compile(text)
            if type(compiled) is str:
                return compiled
            try:
                return compiled.expand(names, namespace)  # type: ignore[union-attr]
            except Exception as exc:
                message = _failure(exc, names, self._env.parse(join_folded_lines(text)))
                if message is None:
                    raise
                unit = names.get("单位") if name_unit else None
                problem = self._problem(text, f"{unit}：{message}" if unit else message)
                raise InputError([problem]) from None

        return expand

    def check(self, names: Mapping[str, Any]) -> None:
        """Expand every text with one unit's ``names``; raise with every problem found."""
        problems = Problems()
        expand = self.for_unit(names, name_unit=False)
        for text in self._paths:
            try:
                expand(text)
            except InputError as exc:
                problems.extend(exc.problems)
        problems.raise_if_errors()

    def references(self, name: str) -> list[str]:
        """The keys looked up on ``name`` in any text (``数据.总人口`` → ``总人口``), in order."""
        found: dict[str, None] = {}
        for compiled_source in self._paths:
            if "{" not in compiled_source:
                continue
            tree = self._env.parse(join_folded_lines(compiled_source))
            for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
                if isinstance(node.node, nodes.Name) and node.node.name == name:
                    key = node.attr if isinstance(node, nodes.Getattr) else _constant(node.arg)
                    if key is not None:
                        found[key] = None
        return list(found)

    def _compile(self, text: str) -> _Text | str:
        cleaned = join_folded_lines(text)
        compiled: _Text | str = cleaned
        if "{{" in cleaned or "{%" in cleaned:
            try:
                tree = self._env.parse(cleaned)
                template = self._env.from_string(tree)
                template.source = cleaned  # type: ignore[attr-defined]  # quoted in refusals
                compiled = _Text(template, meta.find_undeclared_variables(tree), _Fill.of(tree))
            except TemplateError as exc:  # checked when loading, but before the lines were joined
                message = _failure(exc, {}) or str(exc)
                raise InputError([self._problem(text, message)]) from None
        self._texts[text] = compiled
        return compiled

    def _problem(self, text: str, message: str) -> Problem:
        path = self._paths.get(text, ("letters",))
        return Problem(message, self._loaded.source.locate(path), format_path(path))


class _Text:
    """A text with tags, compiled: expanded again only when a name it reads has changed."""

    __slots__ = ("_fill", "_last", "_read", "_template")

    def __init__(self, template: Template, names: set[str], fill: _Fill | None) -> None:
        self._template = template
        read = sorted(names)
        # An absent name is told from one holding None: the render of the one fails.
        self._read: Callable[[Mapping[str, Any]], tuple[Any, ...]] = lambda values: tuple(
            values.get(name, _ABSENT) for name in read
        )
        if len(read) == 1:  # the usual text: a name or two of one table
            (only,) = read
            self._read = lambda values: (values.get(only, _ABSENT),)
        self._fill = fill
        self._last: tuple[tuple[Any, ...], str] | None = None
        """The values of the names read last time, and what the text expanded to then."""

    def expand(self, names: Mapping[str, Any], namespace: Mapping[str, Any]) -> str:
        """The text with ``names`` (``namespace``: the same, with the environment's globals)."""
        values = self._read(names)
        last = self._last
        if last is not None and all(map(operator.is_, last[0], values)):
            return last[1]  # the very same values: a text naming no figure of the unit
        expanded = self._fill.filled(names) if self._fill is not None else None
        if expanded is None:
            expanded = self._template.render_in(namespace)  # type: ignore[attr-defined]  # a BoundedTemplate
        self._last = (values, expanded)
        return expanded


_FILLED = frozenset({str, int, Decimal, Figure})
"""Values a :class:`_Fill` writes as Jinja would (the definition's ``finalize`` leaves them, and
Jinja writes their ``str``: a quota, a :class:`~huiwu.text.phrasing.Figure`, prints ``46``)."""
_ABSENT = object()


@dataclass(frozen=True)
class _Fill:
    """A text that only puts names (``{{ 单位 }}``) and entries of tables (``{{ 配额.两非案件 }}``)
    between its words: most unit texts. Filled in directly, it costs a tenth of a render; for
    any value but a text or a number, or a name or entry that is not there, it says nothing
    (None) and Jinja renders the text as always, its refusals and messages included."""

    parts: tuple[str | tuple[str, str | None], ...]

    @classmethod
    def of(cls, tree: nodes.Template) -> _Fill | None:
        """The fill for a parsed text, if it is one of those."""
        if len(tree.body) != 1 or not isinstance(tree.body[0], nodes.Output):
            return None
        parts: list[str | tuple[str, str | None]] = []
        for node in tree.body[0].nodes:
            part = _filled_part(node)
            if part is None:
                return None
            parts.append(part)
        return cls(tuple(parts))

    def filled(self, names: Mapping[str, Any]) -> str | None:
        """The text with ``names`` filled in, or None where Jinja must render it."""
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            name, key = part
            value = names.get(name, _ABSENT)
            if key is not None:
                if type(value) is not dict or key not in value or key in DICT_ATTRIBUTES:
                    return None  # Jinja looks for an attribute first: let it decide
                value = value[key]
            if type(value) not in _FILLED:
                return None
            out.append(str(value))
        text = "".join(out)
        return None if INTERNAL_ADDRESS.search(text) else text


def _filled_part(node: nodes.Node) -> str | tuple[str, str | None] | None:
    if isinstance(node, nodes.TemplateData):
        return node.data
    if isinstance(node, nodes.Name) and node.ctx == "load":
        return node.name, None
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name):
        return node.node.name, node.attr
    return None


def _suggestion(
    exc: UndefinedError, namespace: Mapping[str, Any], tree: nodes.Template | None
) -> str | None:
    """``是不是“配额.两非案件”？`` for a misspelt key of a table the text looked it up in."""
    if "has no attribute" not in (exc.message or "") or tree is None:
        return None
    missing = undefined_name(exc)
    owners = {
        node.node.name
        for node in tree.find_all(nodes.Getattr)
        if node.attr == missing and isinstance(node.node, nodes.Name)
    }
    found = [
        f"{owner}.{key}"
        for owner in sorted(owners)
        if isinstance(namespace.get(owner), Mapping)
        for key in difflib.get_close_matches(missing, [str(k) for k in namespace[owner]], 3)
    ]
    return f"是不是“{'”或“'.join(found)}”？" if found else None


def _tree(env: Any, value: str) -> nodes.Template | None:
    try:
        return env.parse(value)
    except TemplateError:
        return None


def _constant(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _failure(
    exc: Exception, namespace: Mapping[str, Any], tree: nodes.Template | None = None
) -> str | None:
    """What went wrong in a text's expression, for the user; None for a bug in huiwu."""
    if isinstance(exc, UndefinedError):
        hint = _suggestion(exc, namespace, tree) or _close(exc, namespace)
        return f"文字里引用了不存在的变量（{_undefined_name(exc)}）。{hint}"
    if isinstance(exc, MissingWorkbook):
        return str(exc)
    if isinstance(exc, TemplateNotFound):
        return f"文字里不能引用其他文件（{exc.name}）"
    if isinstance(exc, TooLarge):
        return f"文字里的{exc}，已拒绝"
    if isinstance(exc, SecurityError):
        return "文字里的表达式试图访问不允许的内容，已拒绝"
    if isinstance(exc, TemplateError):
        detail = explain_syntax(
            exc.message or "", DEFAULT_FILTERS.keys() | FILTERS.keys(), DEFAULT_TESTS
        )
        return f"文字里的 {{{{ }}}} 表达式写错了：{detail}"
    if isinstance(
        exc, TypeError | ValueError | ArithmeticError | LookupError
    ) and not raised_by_huiwu(exc):
        return f"文字里的表达式无法计算：{explain_runtime(exc)}"
    return None


def _close(exc: UndefinedError, namespace: Mapping[str, Any]) -> str:
    close = close_names(undefined_name(exc), namespace)
    if close:
        return f"是不是“{'”或“'.join(close)}”？"
    return f"可用的有：{_names(namespace)}"


_FOLDED_SPACE = re.compile(
    r" +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])|(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]) +"
)


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def join_folded_lines(text: str) -> str:
    """Drop the ASCII spaces YAML folding (``>``) leaves where a Chinese line was wrapped.

    Chinese text has no spaces between words, so a space touching a Chinese character or mark is
    an artefact of wrapping; a full-width space (U+3000), typed on purpose, is kept. Inside
    ``{{ }}``, ``{% %}`` and ``{# #}`` spaces are Jinja's token separators (``for 单位 in 各单位``,
    ``x if 单位 else y``) and are left alone.
    """
    pieces = []
    position = 0
    for tag in _TAG.finditer(text):
        pieces.append(_FOLDED_SPACE.sub("", text[position : tag.start()]))
        pieces.append(tag.group(0))
        position = tag.end()
    pieces.append(_FOLDED_SPACE.sub("", text[position:]))
    return "".join(pieces)


def _undefined_name(exc: UndefinedError) -> str:
    name = undefined_name(exc)
    return f"没有这一项：{name}" if "has no attribute" in (exc.message or "") else name


def _names(namespace: Mapping[str, Any]) -> str:
    return "、".join(sorted(namespace))


def _assign(data: Any, path: PathKey, value: Any) -> None:
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
