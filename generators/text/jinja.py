"""The one place huiwu makes Jinja environments: sandboxed, strict, with the Chinese filters.

Templates and definitions travel between offices; neither may run code. The immutable sandbox
blocks attribute access to Python internals and calls that change data, and ``StrictUndefined``
turns a misspelt variable into an error instead of a silent blank in a printed document. On top
of that, an expression may not build a text or list of more than :data:`MAX_SIZE` characters or
items (``{{ "x" * 10**9 }}``, ``{{ "x" | center(999999999) }}``), so a hostile template cannot
make huiwu exhaust the machine's memory.
"""

from __future__ import annotations

import difflib
import functools
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from huiwu.text.filters import FILTERS
from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateNotFound, UndefinedError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_SIZE = 100_000
"""The largest text (characters) or list (items) an expression may build."""
MAX_EXPONENT = 100


class TooLarge(SecurityError):
    """An expression would build something far larger than any document needs."""

    def __init__(self) -> None:
        super().__init__(f"表达式会生成过大的内容（超过 {MAX_SIZE} 个字符或项）")


class NoFiles(BaseLoader):
    """Templates may not pull in other files: ``include``, ``import`` and ``extends`` fail."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, None]:
        """Always refuse."""
        raise TemplateNotFound(template)


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with sizes bounded for ``*``, ``**``, ``%`` and sizing calls."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        """Refuse products, powers and %-formats that would be huge, before computing them."""
        if op == "**" and _is_int(right) and abs(right) > MAX_EXPONENT:
            raise TooLarge
        if op == "*" and _repeated_size(left, right) > MAX_SIZE:
            raise TooLarge
        if op == "%" and isinstance(left, str):
            _check_widths(left)
        return _BINOPS[op](left, right)

    def call(self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Refuse calls that size their result (``"x".ljust(10**9)``, ``range(10**9)``)."""
        if getattr(__obj, "__name__", "") in _SIZING_CALLS:
            _check_sizes(args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``b.text`` on a plain dict: the item, read first.

        Jinja tries the attribute first and, on a dict, catches an AttributeError before it
        reads the item. A plain dict has no attributes of its own, so for a key that is not one
        of dict's methods the item is the only possible answer: reading it first gives the same
        result (and the same Undefined when it is missing) without raising an exception for
        every paragraph of every letter.
        """
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Refuse ``"{:>999999999}".format(…)``: field widths count as sizes."""
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_widths(owner)
        return super().wrap_str_format(value)


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "%": operator.mod,
}
# safe_range is the sandbox's own range(), whose refusal would be an English OverflowError.
_SIZING_CALLS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "safe_range"})
_SIZING_FILTERS = frozenset({"center", "indent", "truncate", "wordwrap", "batch", "slice"})
_WIDTH = re.compile(r"\d{6,}")
_DICT_ATTRIBUTES = frozenset(dir(dict))


def environment(*, autoescape: bool, finalize: Callable[[Any], Any] | None = None) -> Sandbox:
    """A sandboxed environment with huiwu's filters; autoescape for XML templates.

    ``finalize`` sees every value a ``{{ }}`` writes out (see Jinja's ``finalize``)."""
    env = Sandbox(
        undefined=StrictUndefined,
        autoescape=autoescape,
        keep_trailing_newline=True,
        loader=NoFiles(),
        finalize=finalize,
    )
    env.filters.update(FILTERS)
    for name in _SIZING_FILTERS:
        env.filters[name] = _bounded(env.filters[name])
    env.filters["format"] = _bounded_format(env.filters["format"])
    return env


def _bounded(function: Callable[..., Any]) -> Callable[..., Any]:
    # Jinja passes the environment or context first to filters marked for it.
    skip = 2 if getattr(function, "jinja_pass_arg", None) else 1

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def checked(*args: Any, **kwargs: Any) -> Any:
        _check_sizes(args[skip:], kwargs)
        return function(*args, **kwargs)

    return checked


def _bounded_format(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def checked(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            _check_widths(value)
        return function(value, *args, **kwargs)

    return checked


def _check_sizes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if _is_int(value) and abs(value) > MAX_SIZE:
            raise TooLarge


def _check_widths(form: str) -> None:
    """A format string whose field widths (``%999999d``, ``{:>999999}``) exceed the bound."""
    if any(int(number) > MAX_SIZE for number in _WIDTH.findall(form)):
        raise TooLarge


def _repeated_size(left: Any, right: Any) -> int:
    if isinstance(left, str | list | tuple) and _is_int(right):
        return len(left) * right
    if isinstance(right, str | list | tuple) and _is_int(left):
        return len(right) * left
    return 0


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def undefined_name(exc: UndefinedError) -> str:
    """The name an expression used that has no value: ``会议名称`` for ``'会议名称' is
    undefined``, ``城关镇`` for ``'dict object' has no attribute '城关镇'``."""
    message = exc.message or ""
    match = re.match(r"'(.+)' is undefined$", message) or re.search(
        r"has no attribute '(.+)'$", message
    )
    return match.group(1) if match else message


_SYNTAX_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"No filter named '(.+?)'"), "没有名为“{0}”的过滤器（| 后面的名称）"),
    (re.compile(r"No test named '(.+?)'"), "没有名为“{0}”的判断（is 后面的名称）"),
    (
        re.compile(r"Encountered unknown tag '(.+?)'"),
        "标签名不认识：“{0}”（只能用 for、if、elif、else、endfor、endif、set）",
    ),
    (re.compile(r"expected token '(.+?)', got '(.+?)'"), "这里应当是“{0}”，写的却是“{1}”"),
    (
        re.compile(r"unexpected char '(.+?)'"),
        "表达式里有不能出现的符号“{0}”（表达式里的括号、引号、逗号要用英文半角）",
    ),
    (
        re.compile(r"[Uu]nexpected end of template.*?looking for.*?'(end\w+)'"),
        "缺少结束标签：开始的标签没有对应的 {% {0} %}",
    ),
    (
        re.compile(r"[Uu]nexpected end of template"),
        "表达式没有写完：{{ 要用 }} 结束，{% 要用 %} 结束",
    ),
    (re.compile(r"[Ee]xpected an expression"), "{{ }} 或标签里缺少内容"),
    (re.compile(r"unexpected '(.+?)'"), "多了“{0}”：{{ 要用 }} 结束，{% 要用 %} 结束，括号要配对"),
    (re.compile(r"tag name expected"), "{% 后面缺少标签名（如 for、if）"),
]


# Jinja's names for the tokens it expected or found.
_TOKENS = {
    "end of print statement": "}}",
    "end of statement block": "%}",
    "end of template": "文字的结尾",
    "begin of print statement": "{{",
    "begin of statement block": "{%",
    "name": "名称",
    "integer": "数字",
    "float": "数字",
    "string": "带引号的文字",
    "operator": "运算符",
}


def explain_syntax(message: str, filters: Iterable[str] = (), tests: Iterable[str] = ()) -> str:
    """Jinja's English syntax message as Chinese, with the likely name for a misspelt filter."""
    for pattern, text in _SYNTAX_PATTERNS:
        match = pattern.search(message)
        if match is None:
            continue
        explained = text
        for index, group in enumerate(match.groups()):
            explained = explained.replace(f"{{{index}}}", _TOKENS.get(group, group))
        if "filter" in pattern.pattern:
            explained += _did_you_mean(match.group(1), filters)
        elif "test" in pattern.pattern:
            explained += _did_you_mean(match.group(1), tests)
        return explained
    return "表达式的写法不对：请检查 {{ }} 和 {% %} 是否配对、名称是否写对、符号是否用英文半角"


def explain_runtime(exc: Exception) -> str:
    """A Python error raised while an expression computed, in Chinese (no English text)."""
    if isinstance(exc, ZeroDivisionError | ArithmeticError):
        return "除数为 0 或数值超出范围"
    if isinstance(exc, TypeError):
        return "参与计算的值类型不对（如文字和数字相加、对数字循环）；数字可用 | float 转换"
    if isinstance(exc, ValueError):
        return "值不能转换（如把文字当数字）"
    return "无法计算"


def _did_you_mean(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    return f"。是不是“{'”或“'.join(close)}”？" if close else ""


def close_names(missing: str, namespace: Mapping[str, Any]) -> list[str]:
    """Names in ``namespace`` (and keys of its tables, written ``各单位.城关镇``) that look like
    ``missing``: a misspelt unit or indicator is found wherever it lives."""
    candidates: dict[str, str] = {}
    for name, value in namespace.items():
        candidates.setdefault(str(name), str(name))
        if isinstance(value, Mapping):
            for key in list(value)[:2000]:
                candidates.setdefault(str(key), f"{name}.{key}")
    close = difflib.get_close_matches(missing, list(candidates), n=3, cutoff=0.5)
    return [candidates[name] for name in close]
