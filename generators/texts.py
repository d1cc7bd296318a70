"""Expand ``{{ … }}`` expressions in the definition's text fields.

Runs after validation and before any document is built, so that an unknown variable or a
syntax error is reported with its file and line like every other input error. Meeting facts are
expanded first, so other texts may use ``{{ meeting.title }}`` with its year already filled in.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, UndefinedError, meta
from jinja2.exceptions import SecurityError

from .definition import LoadedDefinition
from .errors import Problem, Problems
from .jinja import TooLarge, environment
from .model import Definition
from .model.base import TextField
from .model.walk import iter_marked
from .values import MissingWorkbook, NoData
from .yamlsrc import PathKey, format_path


def base_namespace(definition: Definition) -> dict[str, Any]:
    """Values every text field may use before meeting facts are expanded."""
    return {"year": definition.year, "date": definition.meeting.date}


def expand_texts(loaded: LoadedDefinition, values: Mapping[str, Any] | None = None) -> Definition:
    """A copy of the definition with every text field's expressions evaluated.

    ``values`` adds names (e.g. computed indicators) to what texts may refer to.
    Raises :class:`~generators.errors.InputError` listing every expression that fails.
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
        except UndefinedError as exc:
            self._report(
                path,
                f"文字里引用了不存在的变量（{_undefined_name(exc)}）。可用的有：{_names(namespace)}",
            )
        except MissingWorkbook as exc:
            self._report(path, str(exc))
        except TemplateNotFound as exc:
            self._report(path, f"文字里不能引用其他文件（{exc.name}）")
        except TooLarge as exc:
            self._report(path, f"文字里的{exc}，已拒绝")
        except SecurityError:
            self._report(path, "文字里的表达式试图访问不允许的内容，已拒绝")
        except TemplateError as exc:
            self._report(path, f"文字里的 {{{{ }}}} 表达式写错了：{exc.message or exc}")
        except (TypeError, ValueError, ArithmeticError) as exc:
            self._report(path, f"文字里的表达式无法计算：{exc}")
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
    message = exc.message or ""
    if message.startswith("'") and "' is undefined" in message:
        return message[1 : message.index("' is undefined")]
    if "has no attribute" in message:
        return "没有这一项：" + message.rsplit("attribute", 1)[1].strip(" '")
    return message


def _names(namespace: Mapping[str, Any]) -> str:
    return "、".join(sorted(namespace))


def _assign(data: Any, path: PathKey, value: Any) -> None:
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
