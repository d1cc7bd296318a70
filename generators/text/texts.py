"""Expand ``{{ … }}`` expressions in the definition's text fields.

Runs after validation and before any document is built, so that an unknown variable or a
syntax error is reported with its file and line like every other input error. Meeting facts are
expanded first, so other texts may use ``{{ meeting.title }}`` with its year already filled in.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from typing import Any

from huiwu.definition.load import LoadedDefinition
from huiwu.definition.yamlsrc import PathKey, format_path
from huiwu.errors import InputError, Problem, Problems
from huiwu.figures.values import MissingWorkbook, NoData
from huiwu.model import Definition
from huiwu.model.base import TextField, UnitTextField
from huiwu.model.walk import iter_marked
from huiwu.text.jinja import TooLarge, environment, explain, undefined_name
from jinja2 import Template, TemplateError, TemplateNotFound, UndefinedError, meta, nodes
from jinja2.exceptions import SecurityError


def base_namespace(definition: Definition) -> dict[str, Any]:
    """Values every text field may use before meeting facts are expanded."""
    return {"year": definition.year, "date": definition.meeting.date}


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
    meeting_texts = [(p, v) for p, v in texts if p[0] == "meeting"]
    other_texts = [(p, v) for p, v in texts if p[0] != "meeting"]
    for path, value in meeting_texts:
        _assign(data, path, expander.expand(path, value, namespace))
    namespace["meeting"] = data["meeting"]
    for path, value in other_texts:
        _assign(data, path, expander.expand(path, value, namespace))
    problems.raise_if_errors()
    return Definition.model_validate(data)


class _Expander:
    def __init__(self, loaded: LoadedDefinition, problems: Problems) -> None:
        self.loaded = loaded
        self.problems = problems
        self.env = environment(autoescape=False)

    def expand(self, path: PathKey, value: Any, namespace: Mapping[str, Any]) -> Any:
        if not isinstance(value, str):
            return value
        value = join_folded_lines(value)
        if "{{" not in value and "{%" not in value:
            return value
        missing = self._missing_data(value, namespace)
        if missing is not None:
            self._report(path, missing.message)
            return value
        try:
            return self.env.from_string(value).render(namespace)
        except Exception as exc:
            message = _failure(exc, namespace)
            if message is None:
                raise
            self._report(path, message)
        return value

    def _missing_data(self, value: str, namespace: Mapping[str, Any]) -> NoData | None:
        """The first workbook name the text uses when no workbook was read.

        Found before rendering, because filters given a stand-in would fail with a message
        about types instead of saying that the workbook is missing.
        """
        try:
            names = meta.find_undeclared_variables(self.env.parse(value))
        except TemplateError:
            return None  # reported when rendering
        stand_ins = [namespace[name] for name in sorted(names) if name in namespace]
        return next((item for item in stand_ins if isinstance(item, NoData)), None)

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
        self._env = environment(autoescape=False)
        self._texts: dict[str, Template | str] = {}
        self._paths: dict[str, PathKey] = {}
        for path, value in iter_marked(Definition, model.model_dump(), UnitTextField):
            if isinstance(value, str):
                self._paths.setdefault(value, path)
                self._compile(value)

    def for_unit(self, names: Mapping[str, Any], *, name_unit: bool = True) -> Callable[[str], str]:
        """Expand texts with ``names``; a failure raises :class:`InputError` (naming the unit,
        unless ``name_unit`` is false)."""

        def expand(text: str) -> str:
            compiled = self._texts.get(text)
            if compiled is None:
                compiled = self._compile(text)
            if isinstance(compiled, str):
                return compiled
            try:
                return compiled.render(names)
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

    def _compile(self, text: str) -> Template | str:
        cleaned = join_folded_lines(text)
        compiled: Template | str = cleaned
        if "{{" in cleaned or "{%" in cleaned:
            try:
                compiled = self._env.from_string(cleaned)
            except TemplateError as exc:  # checked when loading, but before the lines were joined
                message = _failure(exc, {}) or str(exc)
                raise InputError([self._problem(text, message)]) from None
        self._texts[text] = compiled
        return compiled

    def _problem(self, text: str, message: str) -> Problem:
        path = self._paths.get(text, ("letters",))
        return Problem(message, self._loaded.source.locate(path), format_path(path))


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


def _constant(node: nodes.Node) -> str | None:
    return node.value if isinstance(node, nodes.Const) and isinstance(node.value, str) else None


def _failure(
    exc: Exception, namespace: Mapping[str, Any], tree: nodes.Template | None = None
) -> str | None:
    """What went wrong in a text's expression, for the user; None for a bug in huiwu."""
    if isinstance(exc, UndefinedError):
        hint = _suggestion(exc, namespace, tree) or f"可用的有：{_names(namespace)}"
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
        return f"文字里的 {{{{ }}}} 表达式写错了：{explain(exc.message or str(exc))}"
    if isinstance(exc, TypeError | ValueError | ArithmeticError | LookupError):
        return f"文字里的表达式无法计算：{exc}"
    return None


_FOLDED_SPACE = re.compile(
    r" +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])|(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’]) +"
)


def join_folded_lines(text: str) -> str:
    """Drop the ASCII spaces YAML folding (``>``) leaves where a Chinese line was wrapped.

    Chinese text has no spaces between words, so a space touching a Chinese character or mark is
    an artefact of wrapping; a full-width space (U+3000), typed on purpose, is kept.
    """
    return _FOLDED_SPACE.sub("", text)


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
