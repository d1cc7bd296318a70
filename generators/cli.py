"""huiwu 命令行：只解析参数、调用 generators、报告结果。

Exit status: 0 success, 1 a problem with the user's input, 2 a usage error, 3 a bug in huiwu.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from huiwu import __version__
from huiwu.definition.load import load_definition
from huiwu.definition.roll import roll
from huiwu.definition.scaffold import write_example
from huiwu.documents import KINDS, seating_chart
from huiwu.errors import HuiwuError, InputError, Location, Problem
from huiwu.figures.sheet import write_blank_workbook
from huiwu.model.documents import parse_kind
from huiwu.publish import pdf
from huiwu.publish.letters import LetterOptions, Progress, build_letters
from huiwu.publish.output import read_manifest, write_text_atomically
from huiwu.publish.packet import BuildOptions, build, judge, render_packet
from huiwu.templates import BUILTIN_DIR

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
}


def _translate(message: str) -> str:
    return _ARGPARSE_CN.get(message, message)


# argparse looks its fixed phrases up through gettext at call time; answering in Chinese here
# saves shipping a .mo catalogue for a dozen strings.
argparse._ = _translate  # type: ignore[attr-defined]


def _kinds_text() -> str:
    return "、".join(f"{k}（{kind.name}）" for k, kind in KINDS.items())


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``huiwu`` command."""
    parser = argparse.ArgumentParser(
        prog="huiwu",
        description="会务：由一份会议定义（YAML）生成整套会议材料（GB/T 9704-2012 公文格式的 DOCX）。",
    )
    parser.add_argument(
        "--version", action="version", version=f"huiwu {__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--debug", action="store_true", help="出错时显示完整的技术信息（供开发者排查）"
    )
    commands = parser.add_subparsers(dest="command", metavar="命令", required=True)

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
        "--only", metavar="KINDS", help=f"只生成这几种材料，用逗号分隔：{_kinds_text()}"
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
    roll_cmd.add_argument("--year", type=int, metavar="YYYY", help="新的年份（默认：会议年份加一）")
    roll_cmd.add_argument(
        "-o", "--output", type=Path, required=True, metavar="NEW.yaml", help="写到这个文件"
    )
    roll_cmd.add_argument("--force", action="store_true", help="覆盖已有的文件")

    new_cmd = commands.add_parser("new", help="新建一份带说明的示例会议定义")
    new_cmd.add_argument("folder", type=Path, metavar="DIR", help="在此文件夹里写入 meeting.yaml")

    templates_cmd = commands.add_parser(
        "templates",
        help="把内置模板复制出来，以便用 Word/WPS 修改",
        description="把内置模板复制到指定文件夹。修改后，在定义里写 templates: 文件夹，或 build 时加 --templates 文件夹。",
    )
    templates_cmd.add_argument("folder", type=Path, metavar="DIR", help="复制到此文件夹")
    templates_cmd.add_argument("--force", action="store_true", help="覆盖文件夹里同名的模板")
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
        print("已中断，未写入任何文件。", file=sys.stderr)
        return EXIT_INPUT
    except Exception:
        if args.debug:
            traceback.print_exc()
        else:
            print(
                "huiwu 内部出错了，这不是您的输入造成的。请加 --debug 重新运行，把输出发给维护人员。",
                file=sys.stderr,
            )
        return EXIT_BUG


def _build(args: argparse.Namespace) -> int:
    loaded = load_definition(args.definition)
    only = _parse_only(args.only) if args.only else None
    options = BuildOptions(
        args.output,
        only,
        args.force,
        args.templates,
        args.data,
        pdf=args.pdf,
        merged=args.merged,
        zip=args.zip,
        strict=args.strict,
    )
    built = build(loaded, options, notify=_say)
    _print_notices(built.notices)
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
    jobs = []
    problems = []
    for source in args.files:
        if not source.is_file():
            problems.append(f"{source}: 找不到文件")
        elif source.suffix.lower() != ".docx":
            problems.append(f"{source}: 不是 .docx 文件（.doc 请先用 Word/WPS 另存为 .docx）")
        else:
            folder = args.output or source.parent
            jobs.append(pdf.Job(source, folder / (source.stem + ".pdf")))
    targets = [job.target for job in jobs]
    problems += [
        f"{target}: 有几个同名的 DOCX 要转成这同一个 PDF，请分开转换"
        for target in dict.fromkeys(t for t in targets if targets.count(t) > 1)
    ]
    problems += [
        f"{job.target}: 已有同名 PDF，未覆盖。要覆盖请加 --force"
        for job in jobs
        if job.target.exists() and not args.force
    ]
    if problems:
        raise HuiwuError("\n".join(problems))
    warning = pdf.font_warning()
    if warning:
        _say(warning)
    for path in pdf.convert(jobs):
        print(f"已写入 {path}")
    return 0


def _letters(args: argparse.Namespace) -> int:
    loaded = load_definition(args.definition)
    units = _split_list(args.units) if args.units is not None else None
    if units == []:
        raise HuiwuError("--units：请写出要重新生成的单位名称，多个用逗号分隔")
    options = LetterOptions(
        args.output, args.data, units, args.combined, args.force, args.templates
    )
    with _progress_bar("生成责任书") as progress:
        built = build_letters(loaded, options, progress)
    _print_notices(built.notices)
    print(f"已生成 {built.letters} 份目标管理责任书，位于 {built.out_dir}")
    if built.combined is not None:
        print(f"合订本：{built.combined.name}")
    if args.pdf:
        _letters_pdf(built.out_dir, units)
    return 0


def _letters_pdf(out_dir: Path, units: list[str] | None) -> None:
    """The PDF of each letter just written (and of the print file), beside it."""
    names = [
        entry["文件"]
        for entry in read_manifest(out_dir)
        if entry.get("文件", "").endswith(".docx")
        and (units is None or "单位" not in entry or entry["单位"] in units)
    ]
    jobs = [pdf.Job(out_dir / n, out_dir / (n.removesuffix(".docx") + ".pdf"), n) for n in names]
    warning = pdf.font_warning()
    if warning:
        _say(warning)
    _say(f"正在用 LibreOffice 转换 {len(jobs)} 份 PDF……")
    try:
        pdf.convert(jobs)
    except pdf.ConversionFailed as exc:
        raise HuiwuError(f"责任书（DOCX）已写入 {out_dir}。{exc}") from None
    print(f"已生成 {len(jobs)} 份 PDF，位于 {out_dir}")


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


@contextmanager
def _progress_bar(label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal; nothing otherwise (logs, pipes)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (label, BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


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
    loaded = load_definition(args.definition)
    packet = render_packet(loaded, BuildOptions(templates=args.templates, data=args.data))
    judge(packet.findings, strict=args.strict, notify=_say)
    _print_notices(packet.notices)
    inputs = packet.inputs
    verdict = (
        f"校对发现 {len(packet.findings)} 处可疑的地方（见上）" if packet.findings else "检查通过"
    )
    print(f"{args.definition}: {verdict}。会议：{inputs.definition.meeting.title}")
    if inputs.workbook is not None:
        print(f"{inputs.workbook.path}: 检查通过，{len(inputs.workbook.units)} 个单位。")
    letters = packet.letters
    if letters is not None:
        totals = "，".join(
            f"{name}合计 {total}{letters.quotas.specs[name].unit}"
            for name, total in letters.quotas.totals.items()
        )
        print(f"目标管理责任书：{len(letters.units)} 个单位，检查通过。{totals}")
    return 0


def _sheet(args: argparse.Namespace) -> int:
    loaded = load_definition(args.definition)
    if not loaded.model.indicators:
        raise HuiwuError(
            f"{args.definition}: 定义里没有指标（indicators），不需要指标表。"
            "要由指标表计算比率，先在定义里写 indicators（见 docs/定义文件说明.md）"
        )
    path = write_blank_workbook(loaded.model, args.output, force=args.force)
    print(f"已写入空白指标表 {path}。填好后运行：huiwu build {args.definition} --data {path}")
    return 0


def _seats(args: argparse.Namespace) -> int:
    loaded = load_definition(args.definition)
    if loaded.model.rostrum is None:
        raise InputError(
            [
                Problem(
                    "定义里没有 rostrum（主席台），无法排座次；可以只写 rostrum: {}",
                    Location(loaded.path),
                )
            ]
        )
    for line in seating_chart.listing(loaded.model):
        print(line)
    return 0


def _roll(args: argparse.Namespace) -> int:
    if args.output.exists() and not args.force:
        raise HuiwuError(f"{args.output}: 文件已存在，未覆盖。要覆盖请加 --force")
    rolled = roll(args.definition, args.year)
    write_text_atomically(args.output, rolled.text)
    print(f"已写入 {args.output}（{rolled.year}年）。")
    if rolled.edits:
        print("改动的地方：")
        for edit in rolled.edits:
            print(f"  {edit.describe()}")
    if rolled.to_fill:
        print("请填写（huiwu check 会逐项列出，直到填好）：")
        for edit in rolled.to_fill:
            print(f"  {edit.describe()}")
    if rolled.reminders:
        print("请核对：")
        for note in rolled.reminders:
            print(f"  {note}")
    print(f"填好后运行：huiwu check {args.output}")
    return 0


def _new(args: argparse.Namespace) -> int:
    path = write_example(args.folder)
    print(f"已写入 {path}。请按其中的说明修改，然后运行：huiwu build {path}")
    return 0


def _templates(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(BUILTIN_DIR.glob("*.docx"))
    clashes = [s.name for s in sources if (folder / s.name).exists()]
    if clashes and not args.force:
        raise HuiwuError(
            f"{folder}: 已有同名模板（{'、'.join(clashes)}），未复制。要覆盖请加 --force"
        )
    for source in sources:
        shutil.copyfile(source, folder / source.name)
    print(f"已把 {len(sources)} 个模板复制到 {folder}。")
    print("用 Word/WPS 修改样式或固定文字时，请保留 {{ }} 和 {% %} 标记。")
    return 0


_COMMANDS = {
    "build": _build,
    "letters": _letters,
    "check": _check,
    "new": _new,
    "templates": _templates,
    "sheet": _sheet,
    "seats": _seats,
    "pdf": _pdf,
    "roll": _roll,
}


if __name__ == "__main__":
    sys.exit(main())
