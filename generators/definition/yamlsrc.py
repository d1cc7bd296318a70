"""Read a YAML file into plain Python data and remember where every value came from.

PyYAML's own loaders silently keep the last of two duplicate keys, turn ``yes`` into ``True`` and
``9:30`` into ``570``, expand alias bombs, and forget line numbers. huiwu needs the opposite: the
user's text exactly as typed and the line of every field, so that validation can say
``meeting.yaml:12:9``. So we only let PyYAML *compose* the node graph and build the data
ourselves: mappings become dicts, sequences lists, and scalars stay strings (``None`` for a plain
null) — converting types is the schema's job, where the field says what it expects.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from huiwu.errors import InputError, Location, Problem, Problems, os_reason

PathKey = tuple[str | int, ...]

MAX_DEFINITION_BYTES = 4 * 1024 * 1024
# Counts every value built, alias expansions included: a real definition has a few thousand.
MAX_NODES = 200_000
MAX_EXPANDED_CHARS = 2 * MAX_DEFINITION_BYTES
"""Characters of text once every alias (``*名称``) is expanded: a file without aliases holds at
most :data:`MAX_DEFINITION_BYTES`; aliases may repeat a list, not multiply the file."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}
_NULL_TAG = "tag:yaml.org,2002:null"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class SourceMap:
    """Where each value of a loaded YAML file stands: ``path -> (line, column)``, 1-based."""

    file: Path
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    origins: dict[PathKey, Path] = field(default_factory=dict)
    """The file of each position that comes from another file (through ``extends``)."""

    def file_of(self, path: PathKey) -> Path:
        """The file that ``path`` (or its nearest written ancestor) was written in."""
        for depth in range(len(path), -1, -1):
            prefix = tuple(path[:depth])
            if prefix in self.values or prefix in self.keys:
                return self.origins.get(prefix, self.file)
        return self.file

    def locate(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest ancestor that exists in the file.

        With ``key=True`` prefer the key's own position (for "unknown field" messages).
        """
        for depth in range(len(path), -1, -1):
            prefix = tuple(path[:depth])
            if key and prefix in self.keys:
                return self._at(prefix, self.keys[prefix])
            if prefix in self.values:
                return self._at(prefix, self.values[prefix])
        return Location(self.file)

    def _at(self, path: PathKey, position: tuple[int, int]) -> Location:
        return Location(self.origins.get(path, self.file), position[0], position[1])


@dataclass
class LoadedYaml:
    """The data of one YAML file, its source map, and problems that did not stop reading.

    Duplicate keys and forbidden tags are reported here rather than raised, so that the caller
    can report them together with what validation finds.
    """

    data: Any
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)


def read_text(path: Path, *, max_bytes: int = MAX_DEFINITION_BYTES, what: str = "文件") -> str:
    """Read a UTF-8 text file as Windows tools save it (BOM, CRLF) or fail with a Chinese message.

    GBK files, the default "ANSI" of Chinese Windows, are recognised and named as such.
    """
    try:
        status = path.stat()
    except FileNotFoundError:
        raise InputError([Problem(f"找不到{what}：{path}", Location(path))]) from None
    except OSError as exc:
        raise InputError([Problem(f"无法读取{what}：{os_reason(exc)}", Location(path))]) from None
    size = status.st_size
    if path.is_dir():
        raise InputError([Problem(f"这是一个文件夹，应为{what}", Location(path))])
    if not stat.S_ISREG(status.st_mode):  # /dev/zero, a named pipe: reading would never end
        raise InputError([Problem(f"这不是一个普通文件，应为{what}", Location(path))])
    if size > max_bytes:
        raise InputError(
            [
                Problem(
                    f"{what}过大（{size / 1024 / 1024:.1f} MB），上限为 {max_bytes // 1024 // 1024} MB；"
                    "请检查是否选错了文件",
                    Location(path),
                )
            ]
        )
    raw = path.read_bytes()
    return decode_text(raw, path, what)


def decode_text(raw: bytes, path: Path, what: str = "文件") -> str:
    """Decode bytes as UTF-8 (with or without BOM) and normalise line ends to ``\\n``."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            [Problem(f"{what}是 UTF-16 编码，请另存为 UTF-8 编码后再试", Location(path))]
        )
    if b"\x00" in raw:
        raise InputError([Problem(f"{what}含有二进制内容，不是文本文件", Location(path))])
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError([_not_utf8(raw, exc, path, what)]) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf8(raw: bytes, exc: UnicodeDecodeError, path: Path, what: str) -> Problem:
    line = raw.count(b"\n", 0, exc.start) + 1
    try:
        raw.decode("gbk")
    except UnicodeDecodeError:
        return Problem(f"{what}不是 UTF-8 编码，无法读取", Location(path, line))
    return Problem(
        f"{what}是 GBK（ANSI）编码，huiwu 只读 UTF-8。请用记事本或 WPS 打开，"
        "“另存为”时把编码选为 UTF-8",
        Location(path, line),
    )


def load_yaml(path: Path, *, max_bytes: int = MAX_DEFINITION_BYTES) -> LoadedYaml:
    """Load one YAML document from ``path`` as plain data with a :class:`SourceMap`.

    Raises :class:`InputError` for a file that cannot be read or parsed at all.
    """
    text = read_text(path, max_bytes=max_bytes, what="定义文件")
    return load_yaml_text(text, path)


def load_yaml_text(text: str, path: Path) -> LoadedYaml:
    """Like :func:`load_yaml` for text already read; ``path`` is only used in messages."""
    node = _compose(text, path)
    source = SourceMap(path)
    if node is None:
        return LoadedYaml(None, source)
    builder = _Builder(source)
    data = builder.build(node, ())
    return LoadedYaml(data, source, builder.problems.items)


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)
"""libyaml's parser, when PyYAML was built with it: ten times faster than PyYAML's own, with
the same nodes and marks for what both read. A text it refuses is read again by PyYAML's own,
whose messages the hints below know."""
_READ_APART = re.compile(r"[\t!]|[>|][-+0-9]*#")
"""What libyaml reads where PyYAML refuses or reads it otherwise: a tab after a key or a value
(PyYAML's refusal has a hint of its own), a comment right after ``>`` or ``|``, a bare ``!``
tag. A text holding any of them is left to PyYAML's parser alone."""


def _compose(text: str, path: Path) -> yaml.Node | None:
    fast = _FAST_LOADER is not None and _READ_APART.search(text) is None
    documents = _compose_fast(text) if fast else None
    if documents is None:
        documents = _compose_checked(text, path)
    if len(documents) > 1:
        second = documents[1].start_mark
        raise InputError(
            [
                Problem(
                    "文件里有多个 YAML 文档（用“---”分隔），一个定义文件只能有一个",
                    Location(path, second.line + 1, second.column + 1),
                )
            ]
        )
    return documents[0] if documents else None


def _compose_fast(text: str) -> list[yaml.Node] | None:
    try:
        return list(yaml.compose_all(text, Loader=_FAST_LOADER))
    except (yaml.YAMLError, RecursionError, ValueError):
        return None


def _compose_checked(text: str, path: Path) -> list[yaml.Node]:
    try:
        return list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        raise InputError([_syntax_problem(exc, path, text)]) from None
    except yaml.YAMLError:
        raise InputError([Problem(f"YAML 格式错误：{_GENERIC_HINT}", Location(path))]) from None
    except RecursionError:
        raise InputError([Problem("嵌套层数过多，无法读取", Location(path))]) from None


_SYNTAX_HINTS: list[tuple[str, str]] = [
    (
        "found character '\\t' that cannot start any token",
        "此处有制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成空格",
    ),
    (
        "mapping values are not allowed here",
        "这里不能出现“键: 值”。常见原因：缩进不对齐，或值里含有“: ”（这时要给整个值加引号）",
    ),
    ("could not find expected ':'", "缺少冒号“:”，或上一行的缩进不对"),
    ("did not find expected key", "缩进不对齐，或列表项前缺少“- ”"),
    ("did not find expected '-' indicator", "列表项缩进不对齐，或缺少“- ”"),
    ("did not find expected node content", "这里缺少内容，或有多余的符号"),
    ("found unexpected end of stream", "引号或括号没有配对，文件在找到结尾前就结束了"),
    ("found undefined alias", "引用了未定义的锚点（*名称 前面需要有 &名称）"),
    (
        "found unknown escape character",
        "双引号里的反斜杠“\\”后面跟了无法识别的字符；路径请用单引号或改用“/”",
    ),
    ("expected <block end>, but found", "缩进不对齐：这一行比同一层的其他行缩进多或少"),
    ("found a tab character", "此处有制表符（Tab）。YAML 只能用空格缩进，请把 Tab 换成空格"),
    (
        "expected alphabetic or numeric character",
        "锚点或别名（& 或 *）后面缺少名称；若是普通文字，请给整个值加引号",
    ),
    ("found character '@' that cannot start any token", "“@”不能出现在值的开头，请给整个值加引号"),
    ("found character '`' that cannot start any token", "“`”不能出现在值的开头，请给整个值加引号"),
    ("found character '%' that cannot start any token", "“%”不能出现在值的开头，请给整个值加引号"),
]


_GENERIC_HINT = (
    "这一行的写法 YAML 读不懂。请检查缩进是否与同一层的键对齐、冒号“:”后面是否有空格；"
    "文字里含有 : # { } [ ] , & * ! | > % @ ` 等符号时，把这段文字用引号括起来"
)
_QUOTE_EXPRESSION = (
    "以“{{”或“{%”开头的文字，YAML 会当成映射来读。把这段文字用引号括起来，"
    '如 title: "{{ year - 1 }}年度考核会"'
)
_EXPRESSION_START = re.compile(r"(?:^|[:\-\[,]\s*)[{][{%]")


def _syntax_problem(exc: yaml.MarkedYAMLError, path: Path, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    detail = f"{exc.context or ''} {exc.problem or ''}"
    expression_line = _unquoted_expression(text, exc)
    if expression_line is not None:
        return Problem(_QUOTE_EXPRESSION, Location(path, expression_line, None))
    special = _half_quoted(text, line) or _colon_in_value(exc, text)
    if special is not None:
        return Problem(special, Location(path, line, column))
    message = next((hint for key, hint in _SYNTAX_HINTS if key in detail), None)
    if message is None:
        message = f"YAML 格式错误：{_GENERIC_HINT}"
    alignment = _alignment(exc, text)
    if alignment:
        message += alignment
    quote_line = _unbalanced_quote(text, line)
    if quote_line is not None:
        # An unclosed quote swallows the lines after it; the parser then trips over a later line
        # and blames its indentation. The quote is what the user must fix.
        message = f'第 {quote_line} 行的双引号没有配对：引号里的文字要用另一个英文双引号“"”结束'
        return Problem(message, Location(path, quote_line, None))
    for candidate in (line, line - 1 if line else None):
        source_line = _line_of(text, candidate)
        code = (source_line or "").split("#")[0]
        if "：" in code and ":" not in code:
            message += f"。第 {candidate} 行用的是中文冒号“：”，键后面要用英文冒号“:”再加一个空格"
            break
    return Problem(message, Location(path, line, column))


def _unquoted_expression(text: str, exc: yaml.MarkedYAMLError) -> int | None:
    """The line, from the one the parser was reading to the error, where an unquoted value
    starts with ``{{`` or ``{%`` — YAML reads ``{`` there as the start of a mapping."""
    marks = [m for m in (exc.context_mark, exc.problem_mark) if m is not None]
    if not marks:
        return None
    first, last = min(m.line for m in marks), max(m.line for m in marks)
    lines = text.split("\n")
    for number in range(max(first, last - 3), last + 1):
        code = lines[number] if number < len(lines) else ""
        if _EXPRESSION_START.search(code.strip()) and not _quoted(code):
            return number + 1
    return None


def _quoted(code: str) -> bool:
    value = code.split(":", 1)[-1].strip().lstrip("- ")
    return value[:1] in ("'", '"')


_HALF_QUOTED = re.compile(r"""^\s*(?:-\s+)?[^#'"]*?:\s+(["'])(?:(?!\1).)*\1\s*[^\s#]""")


def _half_quoted(text: str, line: int | None) -> str | None:
    """``title: "{{ year }}"年度会议``: the quotes close before the text ends."""
    code = _line_of(text, line) or ""
    if not _HALF_QUOTED.match(code):
        return None
    return (
        "引号只括住了这段文字的前一部分，后面的文字在引号外面。引号要括住整段文字，"
        '如 title: "{{ year }}年度会议"'
    )


def _colon_in_value(exc: yaml.MarkedYAMLError, text: str) -> str | None:
    """``title: 会议: 动员``: a second “: ” in the same line is read as another key."""
    if "mapping values" not in (exc.problem or "") or exc.problem_mark is None:
        return None
    code = _line_of(text, exc.problem_mark.line + 1) or ""
    first = code.find(": ")
    if first < 0 or exc.problem_mark.column <= first:
        return None
    return (
        "这一行的值里含有“: ”（冒号加空格），YAML 会把它读成又一个键。"
        '请给整个值加引号，如 title: "会议: 动员"，或把冒号改成中文冒号“：”'
    )


def _alignment(exc: yaml.MarkedYAMLError, text: str) -> str:
    """``这一行缩进 3 格，同一层的键缩进 2 格`` when a key is out of line with its siblings."""
    if exc.problem_mark is None:
        return ""
    if "block end" not in (exc.problem or "") and "mapping values" not in (exc.problem or ""):
        return ""
    number = exc.problem_mark.line + 1
    line = _line_of(text, number) or ""
    indent = len(line) - len(line.lstrip(" "))
    if exc.context_mark is not None:
        expected = exc.context_mark.column
    else:
        above = [
            code
            for code in text.split("\n")[: number - 1]
            if code.strip() and not code.lstrip().startswith("#")
        ]
        if not above or above[-1].rstrip().endswith(":"):
            return ""  # the line above opens this block: nothing to align with
        expected = len(above[-1]) - len(above[-1].lstrip(" "))
    if indent == expected or not line.strip():
        return ""
    return f"。这一行缩进 {indent} 格，同一层的键缩进 {expected} 格，请对齐"


def _unbalanced_quote(text: str, error_line: int | None) -> int | None:
    """The first line before the error with an odd number of double quotes, if any."""
    if error_line is None:
        return None
    for number, source in enumerate(text.split("\n")[:error_line], start=1):
        code = source.replace('\\"', "")
        if code.lstrip().startswith("#"):
            continue
        if code.count('"') % 2:
            return number if number < error_line else None
    return None


def _line_of(text: str, line: int | None) -> str | None:
    if line is None:
        return None
    lines = text.split("\n")
    return lines[line - 1] if 0 < line <= len(lines) else None


class _Builder:
    """Turns a composed node graph into plain data, recording positions and problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems = Problems()
        self.count = 0
        self.chars = 0
        self.active: set[int] = set()

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise InputError(
                [
                    Problem(
                        f"内容过多（超过 {MAX_NODES} 项）；多半是别名（&/*）层层展开造成的，请检查",
                        self._loc(node),
                    )
                ]
            )
        self.source.values.setdefault(path, _position(node))
        if not self._tag_allowed(node):
            return None
        if id(node) in self.active:
            self.problems.add(Problem("别名（*）引用了自身，形成循环", self._loc(node)))
            return None
        if isinstance(node, yaml.ScalarNode):
            return None if node.tag == _NULL_TAG else self._scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            return self._mapping(node, path)
        finally:
            self.active.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, path: PathKey) -> str:
        self.chars += len(node.value)
        if self.chars > MAX_EXPANDED_CHARS:
            raise InputError(
                [
                    Problem(
                        f"展开后的文字过多（超过 {MAX_EXPANDED_CHARS} 个字符）；"
                        "多半是别名（&/*）层层引用造成的，请检查",
                        self._loc(node),
                    )
                ]
            )
        if "\x00" in node.value:  # "\0" in quotes: no file name or document can hold it
            self.problems.add(
                Problem("含有空字符（\\0），请删去", self._loc(node), format_path(path))
            )
            return node.value.replace("\x00", "")
        return node.value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node)
            if key is None:
                continue
            if key in first_seen:
                earlier = first_seen[key].start_mark.line + 1
                self.problems.add(
                    Problem(
                        f"键“{key}”重复（第 {earlier} 行已经写过）。YAML 只会保留后一个，"
                        "请删去或合并多余的一处",
                        self._loc(key_node),
                        format_path((*path, key)),
                    )
                )
                continue
            first_seen[key] = key_node
            self.source.keys[(*path, key)] = _position(key_node)
            result[key] = self.build(value_node, (*path, key))
        return result

    def _key(self, node: yaml.Node) -> str | None:
        if node.tag == _MERGE_TAG:
            self.problems.add(
                Problem("不支持“<<”合并键；要沿用另一份定义，请用顶层的 extends", self._loc(node))
            )
            return None
        if isinstance(node, yaml.MappingNode) and node.flow_style:
            self.problems.add(Problem(_QUOTE_EXPRESSION, self._loc(node)))
            return None
        if not isinstance(node, yaml.ScalarNode) or not self._tag_allowed(node):
            self.problems.add(Problem("键必须是一段文字", self._loc(node)))
            return None
        if node.tag == _NULL_TAG or node.value == "":
            self.problems.add(Problem("键不能为空", self._loc(node)))
            return None
        return node.value

    def _tag_allowed(self, node: yaml.Node) -> bool:
        if node.tag in _STANDARD_TAGS or node.tag == _MERGE_TAG:
            return True
        if isinstance(node, yaml.ScalarNode) and node.tag.startswith("tag:yaml.org,2002:"):
            # Plain scalars resolved as e.g. bool/float: still just text to us.
            return not node.tag.startswith("tag:yaml.org,2002:python/")
        self.problems.add(
            Problem(
                f"不允许使用 YAML 标签“{node.tag}”。定义文件只能写文字、列表和映射",
                self._loc(node),
            )
        )
        return False

    def _loc(self, node: yaml.Node) -> Location:
        line, column = _position(node)
        return Location(self.source.file, line, column)


def _position(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def format_path(path: PathKey) -> str:
    """Show a field path the way a user finds it in the file: ``agenda[2].by``.

    Indexes are shown 1-based, matching the "第几项" a user counts.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + part
    return out
