"""User-facing problems and the exceptions that carry them.

Every problem a user can act on (a bad field in the definition, a workbook cell that is not a
number, a template tag with no value) becomes a :class:`Problem` that names where it is and what
was expected, in Chinese. Stages collect problems and raise :class:`InputError` once with all of
them, so a user fixes everything in one pass. Anything else that escapes is a bug in huiwu.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

INTERRUPTED = "已中断，未写入任何文件。"
"""What the command line says when the user presses Ctrl-C or the run is terminated."""


class Severity(Enum):
    """How bad a problem is: errors stop the build, warnings only stop it under ``--strict``."""

    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file and optionally a line/column, or a sheet and cell.

    Lines and columns are 1-based, as editors show them.
    """

    file: Path | str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        parts = [str(self.file) if self.file is not None else ""]
        if self.sheet is not None:
            parts.append(f"{self.sheet}!{self.cell}" if self.cell else self.sheet)
        elif self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(p for p in parts if p)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, ready to print."""

    message: str
    location: Location = field(default_factory=Location)
    path: str = ""
    severity: Severity = Severity.ERROR
    suggestion: str | None = None
    """What to write instead, when known (shown after the message unless it already says it)."""

    def __str__(self) -> str:
        where = str(self.location)
        head = f"{where}: " if where else ""
        field_path = f"[{self.path}] " if self.path else ""
        hint = self.suggestion if self.suggestion and self.suggestion not in self.message else ""
        return f"{head}{self.severity.value}：{field_path}{self.message}{hint}"


class HuiwuError(Exception):
    """Base of every error meant for the user; the CLI prints it without a traceback."""

    def report(self) -> str:
        """The text to show the user."""
        return str(self)


class OutputExists(HuiwuError):
    """Writing would replace a file or folder the user already has, and ``--force`` was not
    given (or even ``--force`` may not replace it)."""


def refuse_existing(
    where: Path | str,
    names: Sequence[str] | None = None,
    *,
    what: str = "文件",
    force: bool = False,
) -> None:
    """Raise :class:`OutputExists` when ``where`` exists (or, given ``names``, the existing
    files ``names`` in it are not empty) and ``force`` is false: the one wording of
    "已存在，未覆盖…--force"."""
    if force:
        return
    head = f"{where}: " if str(where) else ""
    if names is not None:
        if not names:
            return
        listed = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
        raise OutputExists(f"{head}已有同名的{what}（{listed}），未覆盖。要覆盖请加 --force")
    if Path(where).exists():
        raise OutputExists(f"{head}{what}已存在，未覆盖。要覆盖请加 --force")


class InputError(HuiwuError):
    """One or more problems with the user's input, all collected before stopping."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.report())

    def report(self) -> str:
        errors = sum(1 for p in self.problems if p.severity is Severity.ERROR)
        lines = [str(p) for p in self.problems]
        lines.append(f"共发现 {errors} 处错误，未生成任何文件。" if errors else "")
        return "\n".join(line for line in lines if line)


class Problems:
    """A collector: stages add problems as they find them and raise once at the end."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems."""
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build."""
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that only stop a build under ``--strict``."""
        return [p for p in self.items if p.severity is Severity.WARNING]

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` with every problem if any of them is an error."""
        if self.errors:
            raise InputError(sorted(self.items, key=_sort_key))


def _sort_key(problem: Problem) -> tuple[str, int, int]:
    loc = problem.location
    return (str(loc.file or ""), loc.line or 0, loc.column or 0)


class Cancelled(HuiwuError):
    """A build stopped because its caller asked it to (the web page's 取消); nothing written."""


class ValueProblem(ValueError):
    """A value handed to huiwu by a template or a text expression that it cannot take (``{{ -1 |
    cn_num }}``); the message says why, in Chinese. Raised instead of a bare ``ValueError`` so
    that it is told apart from a bug (see :func:`raised_by_huiwu`)."""


_PACKAGE = Path(__file__).resolve().parent
_RUNTIME = frozenset({_PACKAGE / "text" / "jinja.py"})
"""huiwu's Jinja sandbox: it runs the template's own calls, so what it raises is the template's."""


def raised_by_huiwu(exc: BaseException) -> bool:
    """Whether ``exc`` is a bug in huiwu rather than a fault of a template or a text.

    A template's expressions run as Jinja-compiled code (``<template>``); what they call may
    fail on what the template gave it (looping over a number, a string where a number goes).
    But an exception raised inside huiwu's own code below them — a filter, a context object, the
    render engine — is huiwu's, unless it is a :class:`ValueProblem` or a :class:`HuiwuError`,
    which huiwu raises on purpose about the user's input."""
    if isinstance(exc, ValueProblem | HuiwuError):
        return False
    import traceback  # only on the way to an error message

    frames = traceback.extract_tb(exc.__traceback__)
    last_template = max(
        (index for index, frame in enumerate(frames) if frame.filename == "<template>"),
        default=-1,
    )
    return any(_is_huiwu(frame.filename) for frame in frames[last_template + 1 :])


def _is_huiwu(filename: str) -> bool:
    path = Path(filename).resolve()
    return path.suffix == ".py" and path.is_relative_to(_PACKAGE) and path not in _RUNTIME


_OS_ERRORS = {
    errno.ENOENT: "找不到这个文件或文件夹（或它所在的文件夹）",
    errno.EACCES: "没有权限读写（文件夹是只读的，或文件正被其他程序占用）",
    errno.EPERM: "没有权限读写（文件夹是只读的，或文件正被其他程序占用）",
    errno.EROFS: "所在的磁盘或 U 盘是只读的，无法写入",
    errno.ENOSPC: "磁盘空间不足，无法写入；请清理磁盘或换一个位置",
    errno.EDQUOT: "磁盘配额已用完，无法写入；请清理磁盘或换一个位置",
    errno.ENAMETOOLONG: "名称过长，超过了文件系统允许的长度（255 字节，一个汉字占 3～4 字节）；请用短一些的名称",
    errno.EEXIST: "已存在同名的文件或文件夹",
    errno.EISDIR: "这是一个文件夹，这里应为文件",
    errno.ENOTDIR: "路径中有一段是文件而不是文件夹",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EBUSY: "正被其他程序使用，或是当前所在的文件夹",
    errno.ELOOP: "符号链接（快捷方式）层层相互指向，无法打开",
    errno.EIO: "读写出错，磁盘或 U 盘可能有问题",
    errno.EMFILE: "同时打开的文件过多",
    errno.EXDEV: "不能跨磁盘移动",
    errno.ETXTBSY: "正被其他程序使用",
}


def os_reason(exc: OSError) -> str:
    """What the system refused, in Chinese, without the path (for a message that names it)."""
    reason = _OS_ERRORS.get(exc.errno or 0)
    if reason is None:
        return f"系统拒绝了这个操作（错误号 {exc.errno}）" if exc.errno else "系统拒绝了这个操作"
    return reason


def describe_os_error(exc: OSError) -> str:
    """A Chinese message for what the system refused (a read-only folder, a full disk, a name
    too long), naming the path the user knows: a hidden staging name ``.会议材料.x1y2.tmp``
    is shown as the ``会议材料`` it stands for."""
    what = os_reason(exc)
    if isinstance(exc, FileExistsError) and exc.filename and Path(str(exc.filename)).is_file():
        what = "这是一个文件，这里应为文件夹"
    path = _user_path(exc.filename2) or _user_path(exc.filename)
    return f"{path}: {what}" if path else what


def describe_link_loop(exc: RuntimeError) -> str | None:
    """Python before 3.13 reports a symbolic-link loop met by ``Path.resolve`` as a
    RuntimeError; the Chinese message for it, or None for any other RuntimeError (a bug)."""
    match = re.fullmatch(r"Symlink loop from '(.*)'", str(exc))
    if match is None:
        return None
    return f"{_user_path(match.group(1))}: {_OS_ERRORS[errno.ELOOP]}"


def _user_path(name: object) -> str | None:
    """``name`` as the user knows it: a staging or retired name → the file it stands for."""
    if name is None or name == "":
        return None
    path = Path(os.fsdecode(name)) if isinstance(name, str | bytes) else Path(str(name))
    parts = [_STAGING.sub(r"\1", part) for part in path.parts]
    return str(Path(*parts))


_STAGING = re.compile(r"^\.(.+)\.[^.]+\.(?:tmp|old)$")
