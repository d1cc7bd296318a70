"""huiwu 命令行：只解析参数、调用 :mod:`huiwu.api`、报告结果。

Imports stay light (``huiwu --help`` and ``--version`` load no engine); each command imports the
API, which imports what that command needs.

Exit status: 0 success, 1 a problem with the user's input, 2 a usage error, 3 a bug in huiwu.
"""

from __future__ import annotations

import argparse
import sys
import traceback
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from huiwu import __version__
from huiwu.documents import kinds_text, parse_kind
from huiwu.errors import (
    INTERRUPTED,
    HuiwuError,
    InputError,
    Problem,
    Severity,
    describe_link_loop,
    describe_os_error,
)

if TYPE_CHECKING:
    from huiwu.api import Built, Progress

EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_BUG = 3

_ARGPARSE_CN = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "invalid %(type)s value: %(value)r": "值 %(value)r 无效",
    "ignored explicit argument %r": "不用写值（写了 %r）",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "参数 %s 中必须写一个",
}


def _translate(message: str) -> str:
    return _ARGPARSE_CN.get(message, message)


# argparse looks its fixed phrases up through gettext at call time; answering in Chinese here
# saves shipping a .mo catalogue for a dozen strings.
argparse._ = _translate  # type: ignore[attr-defined]


def _whole_number(text: str) -> int:
    """An option's integer value; a Chinese message (not argparse's ``invalid int value``)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"应为整数，现在是“{text}”") from None


def _width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _tokens(text: str) -> Iterator[str]:
    """Chinese characters one by one; a run of Latin letters, digits and ``_-./`` (an id like
    ``hosting_script``, an option, a path) and the punctuation after it kept whole."""
    word = ""
    for char in text:
        if char.isascii() and not char.isspace():
            word += char
            continue
        if word:
            yield word
            word = ""
        yield char
    if word:
        yield word


_NO_LINE_START = frozenset("，。、；：！？）》”’」』】…")
"""Chinese punctuation that never starts a line (it stays with the character before it)."""


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns (a Chinese character takes two), broken
    between Chinese characters or at spaces, never inside a Latin word."""
    lines: list[str] = []
    line, used = "", 0
    for token in _tokens(" ".join(text.split())):
        size = sum(_width(c) for c in token)
        if used + size > width and line.strip() and token not in _NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0
            if token == " ":
                continue
        line += token
        used += size
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _Formatter(argparse.HelpFormatter):
    """argparse's help, wrapped by display width without breaking words (see :func:`wrap`)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width))


DEBUG_HELP = "出错时显示完整的技术信息（供开发者排查）"


class _Commands:
    """Adds a command with a description, ``--debug`` and the wrapping formatter."""

    def __init__(self, subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser):
        self._subparsers = subparsers
        self._common = common

    def add_parser(self, name: str, *, help: str, description: str) -> argparse.ArgumentParser:
        return self._subparsers.add_parser(
            name,
            help=help,
            description=description,
            parents=[self._common],
            formatter_class=_Formatter,
        )


def _example_names() -> list[str]:
    """The built-in examples' names, read from the package without importing the engine."""
    from importlib import resources

    folder = resources.files("huiwu.examples")
    return sorted(p.name for p in folder.iterdir() if p.joinpath("meeting.yaml").is_file())


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``huiwu`` command."""
    parser = argparse.ArgumentParser(
        prog="huiwu",
        formatter_class=_Formatter,
        description="会务：由一份会议定义（YAML）生成整套会议材料（GB/T 9704-2012 公文格式的 DOCX）。",
    )
    parser.add_argument(
        "--version", action="version", version=f"huiwu {__version__}", help="显示版本号并退出"
    )
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: given after the command it sets debug, absent it leaves the top-level value.
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="命令", required=True)
    commands = _Commands(subparsers, common)

    build_cmd = commands.add_parser(
        "build", help="生成会议材料", description="按会议定义生成会议材料。"
    )
    build_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="会议定义文件")
    build_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="输出文件夹（默认：定义文件旁、以会议名称命名的文件夹）",
    )
    build_cmd.add_argument(
        "--only", metavar="KINDS", help=f"只生成这几种材料，用逗号分隔：{kinds_text()}"
    )
    build_cmd.add_argument("--force", action="store_true", help="覆盖输出文件夹里已有的材料")
    build_cmd.add_argument("--data", type=Path, metavar="WORKBOOK", help="指标表（Excel .xlsx）")
    build_cmd.add_argument(
        "--templates",
        type=Path,
        metavar="DIR",
        help="使用此文件夹里修改过的模板（缺少的用内置模板）",
    )
    build_cmd.add_argument(
        "--pdf", action="store_true", help="同时把每份材料转成 PDF（需要 LibreOffice）"
    )
    build_cmd.add_argument(
        "--merged",
        action="store_true",
        help="另外生成“会议材料汇编.pdf”：封面、目录和全部材料，便于一次打印（含 --pdf）",
    )
    build_cmd.add_argument(
        "--zip", action="store_true", help="另外把整套材料打包成一个 .zip，放在输出文件夹旁"
    )
    build_cmd.add_argument(
        "--strict", action="store_true", help="校对发现的问题也算错误：有问题时不生成任何文件"
    )

    letters_cmd = commands.add_parser(
        "letters",
        help="为每个单位生成一份目标管理责任书",
        description="按定义里的 letters 和指标表，为每个单位生成一份目标管理责任书，"
        "文件名为“{年份}年目标管理责任书-{单位}.docx”，并写清单 manifest.json。",
    )
    letters_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="会议定义文件")
    letters_cmd.add_argument(
        "--data", type=Path, metavar="WORKBOOK", help="指标表（Excel .xlsx），配额的基数在里面"
    )
    letters_cmd.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="DIR",
        help="输出文件夹（默认：定义文件旁的“{年份}年目标管理责任书”文件夹）",
    )
    letters_cmd.add_argument(
        "--units",
        metavar="单位,单位",
        help="只重新生成这几个单位的责任书（用逗号分隔），其余文件保留；合订本随之更新",
    )
    letters_cmd.add_argument(
        "--combined",
        action="store_true",
        help="另生成一份合订本：全部责任书依次排在一个文件里，每份另起一页、页码从 1 起，便于一次打印",
    )
    letters_cmd.add_argument("--force", action="store_true", help="覆盖输出文件夹里已有的文件")
    letters_cmd.add_argument(
        "--pdf", action="store_true", help="同时把责任书（和合订本）转成 PDF（需要 LibreOffice）"
    )
    letters_cmd.add_argument(
        "--templates", type=Path, metavar="DIR", help="使用此文件夹里修改过的 letter.docx 模板"
    )

    check_cmd = commands.add_parser(
        "check",
        help="检查会议定义并校对材料，不生成文件",
        description="检查会议定义和指标表，并把全部材料在内存里生成一遍来校对"
        "（残留的占位符、缺姓名的“同志”、星期与日期不符、比率与人数不符、分项与合计不符、半角标点等）。",
    )
    check_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="会议定义文件")
    check_cmd.add_argument(
        "--data", type=Path, metavar="WORKBOOK", help="同时检查指标表（Excel .xlsx）"
    )
    check_cmd.add_argument(
        "--templates", type=Path, metavar="DIR", help="用此文件夹里修改过的模板来校对"
    )
    check_cmd.add_argument("--strict", action="store_true", help="校对发现的问题也算错误")

    sheet_cmd = commands.add_parser(
        "sheet",
        help="生成空白指标表",
        description="按会议定义里的指标生成一份空白指标表，列好单位和需要填写的列。",
    )
    sheet_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="会议定义文件")
    sheet_cmd.add_argument(
        "-o", "--output", type=Path, required=True, metavar="指标.xlsx", help="写到这个文件"
    )
    sheet_cmd.add_argument("--force", action="store_true", help="覆盖已有的文件")
    sheet_cmd.add_argument(
        "--receipt", action="store_true", help="生成通知所附参会回执的表格，用来收集回执"
    )

    seats_cmd = commands.add_parser(
        "seats",
        help="列出主席台座次，供核对",
        description="按会议定义里的 rostrum（主席台）排座，逐排列出从台下看自左至右的座次。",
    )
    seats_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="会议定义文件")

    pdf_cmd = commands.add_parser(
        "pdf",
        help="把 DOCX 转成 PDF",
        description="把 DOCX 文件（如手工修改过的材料）转成 PDF，字体与 huiwu build --pdf 相同。"
        "PDF 写在每个 DOCX 旁边。",
    )
    pdf_cmd.add_argument("files", type=Path, nargs="+", metavar="FILE.docx", help="要转换的文件")
    pdf_cmd.add_argument("-o", "--output", type=Path, metavar="DIR", help="把 PDF 写到这个文件夹")
    pdf_cmd.add_argument("--force", action="store_true", help="覆盖已有的 PDF")

    roll_cmd = commands.add_parser(
        "roll",
        help="由今年的定义生成明年的定义",
        description="把定义里的年份推到新的一年，清空各个日期留待填写，并列出需要核对的地方。"
        "原文件不变，注释和格式保留。",
    )
    roll_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="今年的会议定义")
    roll_cmd.add_argument(
        "--year", type=_whole_number, metavar="YYYY", help="新的年份（默认：会议年份加一）"
    )
    roll_cmd.add_argument(
        "-o", "--output", type=Path, required=True, metavar="NEW.yaml", help="写到这个文件"
    )
    roll_cmd.add_argument("--force", action="store_true", help="覆盖已有的文件")

    new_cmd = commands.add_parser(
        "new",
        help="新建一份带说明的示例会议定义",
        description="在指定文件夹里写入一份带说明的会议定义 meeting.yaml，照着改即可；"
        "加 --example 则复制一个内置示例（定义和指标表）。",
    )
    new_cmd.add_argument("folder", type=Path, metavar="DIR", help="在此文件夹里写入 meeting.yaml")
    new_cmd.add_argument(
        "--example",
        metavar="NAME",
        help=f"复制这个内置示例：{'、'.join(_example_names())}",
    )
    new_cmd.add_argument("--force", action="store_true", help="覆盖文件夹里已有的同名文件")

    fields_cmd = commands.add_parser(
        "fields",
        help="列出模板里可以用的名称及其取值",
        description="列出某种材料的模板里可以写在 {{ }} 中的全部名称（与定义里文字可用的名称相同），"
        "以及按本定义算出的取值，供把自己的 Word 文件改成模板时参考。不写 KIND 时列出全部可生成的材料。",
    )
    fields_cmd.add_argument("definition", type=Path, metavar="MEETING.yaml", help="会议定义文件")
    fields_cmd.add_argument("kind", nargs="?", metavar="KIND", help=f"材料种类：{kinds_text()}")
    fields_cmd.add_argument("--data", type=Path, metavar="WORKBOOK", help="指标表（Excel .xlsx）")

    templates_cmd = commands.add_parser(
        "templates",
        help="把内置模板复制出来，以便用 Word/WPS 修改",
        description="把内置模板复制到指定文件夹。修改后，在定义里写 templates: 文件夹，或 build 时加 --templates 文件夹。",
    )
    templates_cmd.add_argument("folder", type=Path, metavar="DIR", help="复制到此文件夹")
    templates_cmd.add_argument("--force", action="store_true", help="覆盖文件夹里同名的模板")

    serve_cmd = commands.add_parser(
        "serve",
        help="在浏览器里打开会务页面（不用命令行）",
        description="在本机启动会务页面并用默认浏览器打开。FOLDER 是工作文件夹，每个会议一个子文件夹。",
    )
    serve_cmd.add_argument(
        "folder",
        type=Path,
        nargs="?",
        default=Path("."),
        metavar="FOLDER",
        help="工作文件夹（默认：当前文件夹）",
    )
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="监听的地址（默认 127.0.0.1，只有本机能打开）"
    )
    serve_cmd.add_argument(
        "--port", type=_whole_number, default=0, help="端口（默认：任一空闲端口）"
    )
    serve_cmd.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    serve_cmd.add_argument(
        "--shortcut",
        action="store_true",
        help="不启动，而是在工作文件夹里写一个双击即可打开页面的启动文件（Windows：会务.bat）",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = make_parser()
    if not (sys.argv[1:] if argv is None else argv):
        parser.print_help()  # a first-time user typing just "huiwu" gets the commands listed
        return EXIT_USAGE
    args = parser.parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except HuiwuError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        # The reader went away (``huiwu fields … | head``): nothing more to say to it.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # the machine's refusal (read-only folder, full disk), not a bug
        if args.debug:
            traceback.print_exc()
        print(describe_os_error(exc), file=sys.stderr)
        return EXIT_INPUT
    except MemoryError:
        print("内存不足，无法完成。请关闭其他程序后重试，或检查输入是否异常庞大。", file=sys.stderr)
        return EXIT_INPUT
    except Exception as exc:
        loop = describe_link_loop(exc) if isinstance(exc, RuntimeError) else None
        if loop is not None:  # a symbolic-link loop, as Python before 3.13 reports it
            print(loop, file=sys.stderr)
            return EXIT_INPUT
        if args.debug:
            traceback.print_exc()
        else:
            print(
                "huiwu 内部出错了，这不是您的输入造成的。请加 --debug 重新运行，把输出发给维护人员。",
                file=sys.stderr,
            )
        return EXIT_BUG


def _build(args: argparse.Namespace) -> int:
    from huiwu import api

    options = api.BuildOptions(
        args.output,
        _parse_only(args.only) if args.only else None,
        args.force,
        args.templates,
        args.data,
        pdf=args.pdf,
        merged=args.merged,
        zip=args.zip,
        strict=args.strict,
    )
    with _progress_bar() as progress:
        built = api.build(args.definition, options, progress=progress, notify=_say)
    _print_warnings(built)
    print(f"已写入 {len(built.files)} 个文件，位于 {built.out_dir}：")
    for line in _listing(built.out_dir, built.files):
        print(f"  {line}")
    if built.archive is not None:
        print(f"压缩包：{built.archive}")
    return 0


def _listing(folder: Path, files: Sequence[Path]) -> list[str]:
    """The files of a packet by name; a subfolder (the letters) as one line with its count."""
    lines: list[str] = []
    counts: dict[str, int] = {}
    for path in files:
        parts = path.relative_to(folder).parts
        if len(parts) == 1:
            lines.append(parts[0])
        else:
            if parts[0] not in counts:
                lines.append(parts[0])
            counts[parts[0]] = counts.get(parts[0], 0) + 1
    return [f"{line}/（{counts[line]} 个文件）" if line in counts else line for line in lines]


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _pdf(args: argparse.Namespace) -> int:
    from huiwu import api

    for path in api.to_pdf(args.files, out_dir=args.output, force=args.force, notify=_say):
        print(f"已写入 {path}")
    return 0


def _letters(args: argparse.Namespace) -> int:
    from huiwu import api

    units = _split_list(args.units) if args.units is not None else None
    if units == []:
        raise HuiwuError("--units：请写出要重新生成的单位名称，多个用逗号分隔")
    options = api.BuildOptions(
        args.output,
        force=args.force,
        templates=args.templates,
        data=args.data,
        units=units,
        combined=args.combined,
    )
    with _progress_bar() as progress:
        # No running notes: a terminal shows the progress bar, a log only the outcome.
        built = api.build_letters(args.definition, options, progress=progress)
    _print_warnings(built)
    print(f"已生成 {built.letters} 份目标管理责任书，位于 {built.out_dir}")
    if built.combined is not None:
        print(f"合订本：{built.combined.name}")
    if args.pdf:
        _say("正在用 LibreOffice 把责任书转成 PDF……")
        made = api.letters_to_pdf(built.out_dir, units=units, notify=_say)
        print(f"已生成 {len(made)} 份 PDF，位于 {built.out_dir}")
    return 0


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


@contextmanager
def _progress_bar() -> Iterator[Callable[[Progress], None] | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise (logs, pipes)."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    console = Console(stderr=True)
    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Bar(*columns, console=console, transient=True) as bar:
        tasks: dict[str, object] = {}

        def advance(progress: Progress) -> None:
            if progress.stage not in tasks:
                tasks[progress.stage] = bar.add_task(progress.stage, total=progress.total)
            bar.update(tasks[progress.stage], completed=progress.done, total=progress.total)

        yield advance


def _print_warnings(built: Built) -> None:
    """Proofreading's findings (the build went ahead), then the notes that are not problems."""
    for warning in built.warnings:
        _say(str(warning))
    _print_notices(built.notices)


def _print_notices(notices: Sequence[str]) -> None:
    for notice in notices:
        print(f"提示：{notice}", file=sys.stderr)


def _parse_only(text: str) -> list[str]:
    kinds = []
    for part in text.replace("，", ",").split(","):
        if part.strip():
            try:
                kinds.append(parse_kind(part))
            except ValueError as exc:
                raise HuiwuError(f"--only：{exc}") from None
    return kinds


def _check(args: argparse.Namespace) -> int:
    from huiwu import api

    result = api.checked(args.definition, data=args.data, templates=args.templates)
    errors = [issue for issue in result.issues if issue.severity == "error"]
    if errors or (args.strict and result.issues):
        problems = [issue.problem() for issue in result.issues]
        raise InputError([_as_error(p) if args.strict else p for p in problems])
    for issue in result.issues:
        _say(str(issue))
    _print_notices(result.notices)
    for line in result.summary:
        print(line.replace("处可疑的地方。", "处可疑的地方（见上）。"))
    return 0


def _as_error(problem: Problem) -> Problem:
    from dataclasses import replace

    return replace(problem, severity=Severity.ERROR)


def _sheet(args: argparse.Namespace) -> int:
    from huiwu import api

    if args.receipt:
        path = api.receipt_workbook(args.definition, args.output, force=args.force)
        print(f"已写入参会回执表 {path}。")
        return 0
    path = api.blank_workbook(args.definition, args.output, force=args.force)
    print(f"已写入空白指标表 {path}。填好后运行：huiwu build {args.definition} --data {path}")
    return 0


def _seats(args: argparse.Namespace) -> int:
    from huiwu import api

    for line in api.seats(args.definition):
        print(line)
    return 0


def _roll(args: argparse.Namespace) -> int:
    from huiwu import api

    rolled = api.roll(args.definition, args.output, year=args.year, force=args.force)
    print(f"已写入 {args.output}（{rolled.year}年）。")
    if rolled.edits:
        print("改动的地方：")
        for edit in rolled.edits:
            print(f"  {edit}")
    to_fill = [
        i.message.removeprefix("请填写：") for i in rolled.todo if i.message.startswith("请填写：")
    ]
    to_check = [
        i.message.removeprefix("请核对：") for i in rolled.todo if i.message.startswith("请核对：")
    ]
    if to_fill:
        print("请填写（huiwu check 会逐项列出，直到填好）：")
        for line in to_fill:
            print(f"  {line}")
    if to_check:
        print("请核对：")
        for line in to_check:
            print(f"  {line}")
    print(f"填好后运行：huiwu check {args.output}")
    return 0


def _new(args: argparse.Namespace) -> int:
    from huiwu import api

    path = api.new(args.folder, example=args.example, force=args.force)
    print(f"已写入 {path}。请按其中的说明修改，然后运行：huiwu build {path}")
    return 0


def _templates(args: argparse.Namespace) -> int:
    from huiwu import api

    copied = api.copy_templates(args.folder, force=args.force)
    print(f"已把 {len(copied)} 个模板复制到 {args.folder}。")
    print("用 Word/WPS 修改样式或固定文字时，请保留 {{ }} 和 {% %} 标记。")
    print(
        "模板里可以用哪些名称：huiwu fields 定义文件 种类（如 huiwu fields meeting.yaml letters）"
    )
    return 0


def _fields(args: argparse.Namespace) -> int:
    from huiwu import api

    if args.kind is not None:
        wanted = [args.kind]
    else:
        wanted = [info.id for info in api.kinds(args.definition) if info.available]
    for kind in wanted:
        if len(wanted) > 1:
            print(f"【{kind}】")
        for info in api.fields(args.definition, kind, data=args.data):
            description = f"　——{info.description}" if info.description else ""
            print(f"  {{{{ {info.name} }}}}：{info.example}{description}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from huiwu.web.server import serve, write_shortcut

    folder: Path = args.folder
    if not folder.is_dir():
        raise HuiwuError(f"{folder}: 不是一个文件夹。请写会议所在的工作文件夹")
    if args.shortcut:
        for path in write_shortcut(folder):
            print(f"已写入 {path}")
        print("在 Windows 上双击“会务.bat”即可打开会务页面。")
        return 0
    serve(folder, host=args.host, port=args.port, browser=not args.no_browser)
    return 0


_COMMANDS = {
    "build": _build,
    "letters": _letters,
    "check": _check,
    "new": _new,
    "templates": _templates,
    "fields": _fields,
    "sheet": _sheet,
    "seats": _seats,
    "pdf": _pdf,
    "roll": _roll,
    "serve": _serve,
}


if __name__ == "__main__":
    sys.exit(main())
