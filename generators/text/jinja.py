"""The one place huiwu makes Jinja environments: sandboxed, strict, with the Chinese filters.

Templates and definitions travel between offices; neither may run code. The immutable sandbox
blocks attribute access to Python internals and calls that change data, and ``StrictUndefined``
turns a misspelt variable into an error instead of a silent blank in a printed document. On top
of that, an expression may not build a text or list of more than :data:`MAX_SIZE` characters or
items (``{{ "x" * 10**9 }}``, ``{{ "x" | center(999999999) }}``), so a hostile template cannot
make huiwu exhaust the machine's memory.

Every evaluation is also bounded as a whole (:class:`Budget`, one per rendered text or document):
at most :data:`MAX_STEPS` loop iterations and calls, :data:`MAX_DEPTH` nested macro calls,
:data:`MAX_OUTPUT` characters written and :data:`MAX_SECONDS` of time, and no integer of more
than :data:`MAX_INT_BITS` bits. A real county packet stays far below each (its largest document,
a sign-in sheet of 500 rows, takes a few thousand steps and about a megabyte of XML). Nothing
random is reachable: ``lipsum`` and ``|random`` are removed, so the same input gives the same
documents.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import operator
import re
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from huiwu.text.filters import FILTERS
from jinja2 import (
    BaseLoader,
    Environment,
    StrictUndefined,
    Template,
    TemplateNotFound,
    UndefinedError,
    nodes,
    pass_context,
)
from jinja2.runtime import Context, LoopContext, Macro, new_context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_SIZE = 100_000
"""The largest text (characters) or list (items) an expression may build."""
MAX_EXPONENT = 100
MAX_INT_BITS = 4096
"""The largest integer (in bits, about 1200 digits) an expression may compute."""
MAX_STEPS = 1_000_000
"""Loop iterations and calls one text or document may take."""
MAX_DEPTH = 64
"""Macros calling macros (or themselves) this deep at most."""
MAX_OUTPUT = 30_000_000
"""Characters one text or document (its XML) may come to."""
MAX_SECONDS = 20.0
"""Time one text or document may take to evaluate."""
MAX_TOTAL_SECONDS = 300.0
"""Time all renders of one environment may take together — every text field of a definition,
or one template for every unit of a batch: ten thousand letters take about half a minute."""


class TooLarge(SecurityError):
    """An expression would build something far larger than any document needs, or take far
    longer; the message (Chinese) names the bound."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or f"表达式会生成过大的内容（超过 {MAX_SIZE} 个字符或项）")


class Budget:
    """What one render may still spend: steps, output characters, macro depth and time."""

    def __init__(self, spent_before: float = 0.0) -> None:
        self.steps = 0
        self.output = 0
        self.depth = 0
        now = time.monotonic()
        self.deadline = now + MAX_SECONDS
        self.total_deadline = now + MAX_TOTAL_SECONDS - spent_before

    def step(self, output: int = 0) -> None:
        """Charge one step (a loop iteration or a call) writing ``output`` characters."""
        self.steps += 1
        self.output += output
        if self.steps > MAX_STEPS:
            raise TooLarge(f"表达式的计算步数过多（循环和调用超过 {MAX_STEPS} 次）")
        if self.output > MAX_OUTPUT:
            raise TooLarge(f"表达式生成的文字过长（超过 {MAX_OUTPUT} 个字符）")
        if self.steps % 64 == 0:
            now = time.monotonic()
            if now > self.deadline:
                raise TooLarge(f"表达式计算时间过长（超过 {MAX_SECONDS:.0f} 秒）")
            if now > self.total_deadline:
                raise TooLarge(_TOO_LONG_IN_ALL)


def budget(context: Context) -> Budget:
    """The budget of the render ``context`` belongs to (made on first use).

    It lives on the context's evaluation context, which every macro of the render shares; a
    mutable object, so that ``{% autoescape %}`` restoring the evaluation context keeps it."""
    found = getattr(context.eval_ctx, "huiwu_budget", None)
    if found is None:
        spent = getattr(context.environment, "huiwu_spent", 0.0)
        found = context.eval_ctx.huiwu_budget = Budget(spent)
    return found


class NoFiles(BaseLoader):
    """Templates may not pull in other files: ``include``, ``import`` and ``extends`` fail."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, None]:
        """Always refuse."""
        raise TemplateNotFound(template)


class BoundedTemplate(Template):
    """A template whose render turns Python's recursion limit into a Chinese refusal, and
    whose refusals carry the text of the line that exceeded a bound."""

    source: str | None = None

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render as Jinja does, adding the time taken to the environment's total."""
        return self._bounded(super().render, *args, **kwargs)

    def render_in(self, namespace: dict[str, Any]) -> str:
        """Render with ``namespace`` as the template's names as it is, not copied: a caller
        rendering many texts with the same names (a letter's texts, each unit's figures) makes
        it once, of the environment's globals and its own names. Names the template sets
        (``{% set %}``) are its own, so the namespace can serve the next one."""
        return self._bounded(self._render_shared, namespace)

    def _render_shared(self, namespace: dict[str, Any]) -> str:
        # Without the template's globals (in the namespace already): Template.new_context
        # would list them again for every render.
        context = new_context(self.environment, self.name, self.blocks, namespace, True)
        try:
            return self.environment.concat(self.root_render_func(context))  # type: ignore[attr-defined, no-any-return]
        except Exception:
            self.environment.handle_exception()
            raise  # handle_exception always raises; this tells type checkers so

    def _bounded(self, render: Callable[..., str], *args: Any, **kwargs: Any) -> str:
        environment = self.environment
        spent = getattr(environment, "huiwu_spent", 0.0)
        if spent > MAX_TOTAL_SECONDS:
            raise TooLarge(_TOO_LONG_IN_ALL)
        started = time.monotonic()
        try:
            result = render(*args, **kwargs)
        except RecursionError:
            exc = TooLarge(_TOO_DEEP)
            raise exc from None
        except TooLarge as exc:
            line = _failing_line(exc, self.source)
            if line and not getattr(exc, "docx_context", None):
                exc.docx_context = [line]  # type: ignore[attr-defined]  # as docxtpl names a paragraph
            raise
        finally:
            environment.huiwu_spent = spent + time.monotonic() - started  # type: ignore[attr-defined]
        found = INTERNAL_ADDRESS.search(result)
        if found and found.group(0) not in (self.source or ""):  # "x ~ cycler()", "%s" % f …
            raise TooLarge(
                "表达式的结果含有程序内部对象的写法（“…at 0x…”），它每次都不同，不能写进文档"
            )
        return result


def _failing_line(exc: BaseException, source: str | None) -> str:
    """The text (tags of XML removed) of the template line the traceback ends in."""
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            line = trace.tb_lineno
        trace = trace.tb_next
    lines = (source or "").splitlines()
    if line is None or not 0 < line <= len(lines):
        return ""
    return re.sub(r"<[^>]*>", "", lines[line - 1]).strip()


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with sizes bounded for ``*``, ``**``, ``%`` and sizing calls."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    template_class = BoundedTemplate

    def call_binop(self, context: Context, op: str, left: Any, right: Any) -> Any:
        """Refuse products, powers, sums and %-formats that would be huge, before computing
        them."""
        if op == "**" and _is_int(right):
            _check_power(left, right)
        if op == "*":
            if _repeated_size(left, right) > MAX_SIZE:
                raise TooLarge
            if _is_int(left) and _is_int(right):
                _check_bits(abs(left).bit_length() + abs(right).bit_length())
        if op == "+" and _sized(left) and _sized(right) and len(left) + len(right) > MAX_SIZE:
            raise TooLarge
        if op == "%" and isinstance(left, str):
            _check_widths(left)
            _check_product(left, right if isinstance(right, tuple) else (right,), {})
            if "*" in left:  # '%0*d' % (10**10, 1): the width is an argument
                _check_sizes(right if isinstance(right, tuple) else (right,), {})
        return _BINOPS[op](left, right)

    def call(self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Refuse calls that size their result (``"x".ljust(10**9)``, ``range(10**9)``,
        ``"-".join(…)``), and charge each call to the render's :class:`Budget`."""
        spent = budget(__context)
        spent.step()
        name = getattr(__obj, "__name__", "")
        owner = getattr(__obj, "__self__", None)
        if name in _SIZING_CALLS:
            _check_sizes(args, kwargs)
        if isinstance(owner, str):  # "{0}{0}".format(x), "\t".expandtabs(n), sep.join(…)
            _check_product(owner, args, kwargs, counts=name == "expandtabs")
            if name in ("join", "replace"):
                _check_joined(owner, name, args)
        if not isinstance(__obj, Macro | LoopContext):  # macros and recursive loops nest
            return super().call(__context, __obj, *args, **kwargs)
        spent.depth += 1
        try:
            if spent.depth > MAX_DEPTH:
                raise TooLarge(f"宏调用的层数过多（超过 {MAX_DEPTH} 层，多半是宏调用了自身）")
            result = super().call(__context, __obj, *args, **kwargs)
        finally:
            spent.depth -= 1
        spent.step(len(result) if isinstance(result, str) else 0)
        return result

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        """Parse, then count every loop iteration against the render's :class:`Budget`, with
        the fixed text the loop body writes each time; ``~`` joins are size-checked."""
        try:
            tree = super()._parse(source, name, filename)
        except RecursionError:
            raise TooLarge(_TOO_DEEP) from None
        except ValueError:  # an integer literal longer than Python converts (4300 digits)
            raise TooLarge(_BIG_NUMBER) from None
        for loop in tree.find_all(nodes.For):
            weight = sum(len(data.data) for data in loop.find_all(nodes.TemplateData))
            loop.iter = nodes.Filter(
                loop.iter, _COUNTED, [nodes.Const(weight)], [], None, None, lineno=loop.lineno
            )
        _wrap_concats(tree)
        return tree

    def from_string(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        """Compile ``source`` as Jinja does, keeping it to quote a line in a refusal."""
        template = super().from_string(source, *args, **kwargs)
        if isinstance(template, BoundedTemplate) and isinstance(source, str):
            template.source = source
        return template

    def _compile(self, source: str, filename: str) -> Any:
        """Python's compiler refuses code nested too deeply (``((((…))))`` in an expression)."""
        try:
            return super()._compile(source, filename)
        except (SyntaxError, RecursionError, MemoryError):
            raise TooLarge(_TOO_DEEP) from None

    def getattr(self, obj: Any, attribute: str) -> Any:
        """``b.text`` on a plain dict: the item, read first.

        Jinja tries the attribute first and, on a dict, catches an AttributeError before it
        reads the item. A plain dict has no attributes of its own, so for a key that is not one
        of dict's methods the item is the only possible answer: reading it first gives the same
        result (and the same Undefined when it is missing) without raising an exception for
        every paragraph of every letter.
        """
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Refuse ``"{:>999999999}".format(…)``: field widths count as sizes, also those given
        as arguments (``'{:x>{}}'.format(1, 10**7)``)."""
        owner = getattr(value, "__self__", None)
        wrapped = super().wrap_str_format(value)
        if not isinstance(owner, str) or getattr(value, "__name__", "") not in (
            "format",
            "format_map",
        ):
            return wrapped
        _check_widths(owner)
        if wrapped is None:
            return wrapped
        nested = _NESTED_FIELD.search(owner) is not None

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_product(owner, args, kwargs)
            if nested:
                _check_sizes(args, kwargs)
                for mapping in (a for a in args if isinstance(a, dict)):
                    _check_sizes((), mapping)
            return wrapped(*args, **kwargs)

        return checked


_BINOPS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "%": operator.mod,
    "+": operator.add,
}
# safe_range is the sandbox's own range(), whose refusal would be an English OverflowError.
_SIZING_CALLS = frozenset({"ljust", "rjust", "center", "zfill", "expandtabs", "safe_range"})
_SIZING_FILTERS = frozenset({"center", "indent", "truncate", "wordwrap", "batch", "slice"})
_WIDTH = re.compile(r"\d{6,}")
_NESTED_FIELD = re.compile(r"\{[^{}]*\{")
DICT_ATTRIBUTES = frozenset(dir(dict))
"""What ``x.name`` finds on a plain dict before its items: its methods."""
_COUNTED = "_huiwu_counted"
_SIZED = "_huiwu_sized"
_TOO_DEEP = "表达式的括号或嵌套层数过多"
_TOO_LONG_IN_ALL = (
    f"表达式计算时间过长（同一份定义的文字或同一个模板累计超过 {MAX_TOTAL_SECONDS:.0f} 秒）"
)
_BIG_NUMBER = f"表达式会算出过大的数（超过 {MAX_INT_BITS} 位二进制，约 1200 位十进制）"
_RANDOM = ("random", "shuffle")
"""Filters whose result changes from run to run: removed, so a build is reproducible."""


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
    for name in list(env.filters):
        env.filters[name] = _bounded(env.filters[name], name)
    env.filters["format"] = _bounded_format(env.filters["format"])
    env.filters["join"] = _bounded_join(env.filters["join"])
    env.filters["replace"] = _bounded_replace(env.filters["replace"])
    env.filters[_COUNTED] = _counted
    env.filters[_SIZED] = _sized_result
    for name in _RANDOM:
        env.filters.pop(name, None)
    env.globals.pop("lipsum", None)
    env.finalize = _charged(finalize)
    return env


def _charged(finalize: Callable[[Any], Any] | None) -> Callable[..., Any]:
    """``finalize`` that also charges what each ``{{ }}`` writes to the render's budget."""

    @pass_context
    def charged(context: Context, value: Any) -> Any:
        if finalize is not None:
            value = finalize(value)
        budget(context).step(_written_size(value))
        if not isinstance(value, _PLAIN):
            _refuse_addresses(value)
        return value

    return charged


_PLAIN = (str, int, float, Decimal, dt.date, dt.time)
INTERNAL_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+")
"""How Python writes an object it knows no text for (``<… object at 0x7f…>``): a different
address on every run, so never written into a document."""


def _refuse_addresses(value: Any) -> None:
    """A value written as Python shows objects (``<generator object … at 0x7f…>``,
    ``<built-in method upper …>``) holds a memory address that changes from run to run:
    the same input must give the same document."""
    text = str(value)
    if INTERNAL_ADDRESS.search(text):
        raise TooLarge(
            f"表达式的结果是程序内部的对象（{type(value).__name__}），不能写进文档"
            "（它每次的写法都不同）；列表请加 | list，方法请加括号调用"
        )


def _written_size(value: Any) -> int:
    """About how many characters ``value`` comes to once written out."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_written_size(k) + _written_size(v) + 4 for k, v in value.items())
    if isinstance(value, list | tuple | set):
        return sum(_written_size(item) + 4 for item in value)
    return 8


@pass_context
def _counted(context: Context, iterable: Any, weight: int) -> Any:
    """Each item of a ``{% for %}`` loop, charged to the render's budget with the fixed text
    the loop body writes."""
    spent = budget(context)
    for item in iterable:
        spent.step(weight)
        yield item


def _sized_result(value: Any) -> Any:
    if _sized(value) and len(value) > MAX_SIZE:
        raise TooLarge
    return value


def _wrap_concats(tree: nodes.Template) -> None:
    """Replace every ``a ~ b`` in ``tree`` by the same join, size-checked."""
    for parent in list(tree.find_all(nodes.Node)):
        for field in parent.fields:
            value = getattr(parent, field, None)
            if isinstance(value, nodes.Concat):
                setattr(parent, field, _sized_node(value))
            elif isinstance(value, list) and any(isinstance(v, nodes.Concat) for v in value):
                wrapped = [_sized_node(v) if isinstance(v, nodes.Concat) else v for v in value]
                setattr(parent, field, wrapped)


def _sized_node(node: nodes.Expr) -> nodes.Filter:
    return nodes.Filter(node, _SIZED, [], [], None, None, lineno=node.lineno)


def _bounded_join(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def checked(context: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        if attribute is None and isinstance(value, list | tuple) and isinstance(d, str):
            _check_joined(d, "join", (value,))
        return function(context, value, d, attribute)

    return checked


def _bounded_replace(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def checked(context: Any, s: Any, old: Any, new: Any, count: Any = None) -> Any:
        if isinstance(s, str):
            _check_joined(s, "replace", (old, new))
        return function(context, s, old, new, count)

    return checked


def _check_joined(owner: str, name: str, args: tuple[Any, ...]) -> None:
    """``sep.join(items)`` and ``text.replace(old, new)`` sized before they are built."""
    if name == "join" and args and isinstance(args[0], list | tuple):
        items = args[0]
        size = sum(len(i) if isinstance(i, str) else 8 for i in items) + len(owner) * len(items)
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], args[1]
        grows = len(new) - len(old) if isinstance(new, str) else 0
        size = len(owner) + max(grows, 0) * (owner.count(old) if old else len(owner) + 1)
    else:
        return
    if size > MAX_SIZE:
        raise TooLarge


def _check_power(base: Any, exponent: int) -> None:
    if abs(exponent) > MAX_EXPONENT:
        raise TooLarge(_BIG_NUMBER)
    if _is_int(base):
        _check_bits(abs(base).bit_length() * exponent)


def _check_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TooLarge(_BIG_NUMBER)


def _sized(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _bounded(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """``function`` (a filter) refusing arguments that would make its result huge: a width
    or count beyond :data:`MAX_SIZE` (``center(999999999)``), or a text that would be
    repeated along a long value (``x | wordwrap(1, wrapstring=x)``, ``x | indent(x)``)."""
    # Jinja passes the environment or context first to filters marked for it.
    skip = 1 if getattr(function, "jinja_pass_arg", None) else 0
    sizing = name in _SIZING_FILTERS
    counts = name == "indent"

    @functools.wraps(function)  # keeps Jinja's pass_context/pass_environment marks
    def checked(*args: Any, **kwargs: Any) -> Any:
        if len(args) > skip:
            value, rest = args[skip], args[skip + 1 :]
            if sizing:
                _check_sizes(rest, kwargs)
            _check_product(value, rest, kwargs, counts=counts)
        return function(*args, **kwargs)

    return checked


def _check_product(owner: Any, args: Any, kwargs: dict[str, Any], *, counts: bool = False) -> None:
    """A text (or list) ``owner`` whose every character (item) may become one of the
    arguments — a format field, a line's indent, a separator — must not make more than
    :data:`MAX_OUTPUT` characters. ``counts``: integer arguments are repeated too
    (``expandtabs(n)``, ``indent(n)``)."""
    if not _sized(owner) or not owner:
        return
    values = (*args, *kwargs.values())
    longest = max((_written_size(v) for v in values if not _is_int(v)), default=0)
    if counts:
        longest = max((longest, *(abs(v) for v in values if _is_int(v))))
    if len(owner) * longest > MAX_OUTPUT:
        raise TooLarge(
            f"表达式会生成过大的内容（可达 {len(owner) * longest} 个字符，上限 {MAX_OUTPUT}）"
        )


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
            if match.group(1) in _RANDOM:
                return (
                    f"不能使用过滤器“{match.group(1)}”：它每次生成的结果不同，"
                    "同样的输入必须得到同样的材料"
                )
            explained += _did_you_mean(match.group(1), set(filters) - set(_RANDOM))
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
        if str(name).startswith("_"):  # huiwu's own helpers, never the user's names
            continue
        candidates.setdefault(str(name), str(name))
        if isinstance(value, Mapping):
            for key in list(value)[:2000]:
                candidates.setdefault(str(key), f"{name}.{key}")
    close = difflib.get_close_matches(missing, list(candidates), n=3, cutoff=0.5)
    return [candidates[name] for name in close]
