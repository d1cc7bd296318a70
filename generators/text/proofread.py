"""Proofread a packet before it is written: the defects of copied-and-edited meeting files.

Reused Word files carry last year's mistakes: ``20xx年`` and ``×××`` left in, a title followed by
``同志`` with the name missing, a weekday that no longer matches its date, a rate typed in that
does not follow from the counts beside it, quota parts that do not add up to the total, scores
that do not add up to 100, half-width commas in Chinese text. huiwu's own sentences cannot have
these faults, but texts typed into the definition and edited templates can. Every finding names
the document, the paragraph and the text around it; they are warnings, which ``--strict`` turns
into errors.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from huiwu.definition.load import LoadedDefinition
from huiwu.definition.yamlsrc import PathKey, format_path
from huiwu.errors import InputError, Location, Problem, Severity
from huiwu.figures.quotas import read_letter_sheet
from huiwu.figures.workbook import Sheet
from huiwu.render.docxtext import paragraph_texts
from huiwu.render.docxzip import read_members
from huiwu.text import cn
from huiwu.text.texts import join_folded_lines

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)

_EXCERPT = 24


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a produced document (table cells included), numbered from 1."""

    document: str
    number: int
    text: str


def paragraphs(name: str, data: bytes) -> list[Paragraph]:
    """The text of every paragraph of a DOCX, in reading order."""
    texts = paragraph_texts(read_members(data)["word/document.xml"])
    return [Paragraph(name, n, text) for n, text in enumerate(texts, start=1) if text.strip()]


def proofread(
    documents: Iterable[tuple[str, bytes]],
    loaded: LoadedDefinition,
    letter_sheet: tuple[Path, Sheet] | None = None,
) -> list[Problem]:
    """Every finding in the documents (name, DOCX bytes) and in the definition's unit lists.

    A finding in text that was typed into the definition also names that text's file and line;
    one in text from the workbook names its cell (``letter_sheet``: the letters' workbook and
    sheet when the caller has read them already, else they are read if a finding needs them).
    """
    findings: list[Problem] = []
    origins = Origins(loaded, letter_sheet)
    documents = list(documents)
    findings.extend(check_agenda(loaded, [name for name, _ in documents]))
    for name, data in documents:
        items = paragraphs(name, data)
        for paragraph in items:
            for check in PARAGRAPH_CHECKS:
                findings.extend(origins.trace(finding) for finding in check(paragraph))
        findings.extend(check_points(items))
        if name.startswith("会议通知"):
            findings.extend(origins.trace(finding) for finding in check_dates(items, loaded))
    findings.extend(check_units(loaded))
    findings.extend(check_typed_spaces(loaded))
    return _once(findings)


@dataclass(frozen=True)
class Finding(Problem):
    """A warning about a span of a paragraph, kept so it can be traced to the definition."""

    span: tuple[str, str, str] = ("", "", "")
    """The text found wrong, with up to :data:`_CONTEXT` characters either side."""


def _finding(paragraph: Paragraph, start: int, message: str, length: int = 1) -> Finding:
    text = paragraph.text
    left = max(0, start - _EXCERPT // 2)
    excerpt = ("…" if left else "") + text[left : left + _EXCERPT].strip()
    excerpt += "…" if left + _EXCERPT < len(text) else ""
    return Finding(
        f"{paragraph.document} 第 {paragraph.number} 段“{excerpt}”：{message}",
        Location(paragraph.document),
        severity=Severity.WARNING,
        span=(
            text[max(0, start - _CONTEXT) : start].lstrip(_SPACES),
            text[start : start + max(length, 1)],
            text[start + max(length, 1) : start + max(length, 1) + _CONTEXT].rstrip(_SPACES),
        ),
    )


_CONTEXT = 4
_SPACES = " \u3000\t"


class Origins:
    """Finds the text field of the definition a span of a document was written from.

    Only the literal parts of a text are searched (what lies outside ``{{ }}`` and ``{% %}``):
    a fault there is the user's to fix in that line, while a fault in an expanded value is not.
    """

    def __init__(
        self, loaded: LoadedDefinition, letter_sheet: tuple[Path, Sheet] | None = None
    ) -> None:
        self._loaded = loaded
        self._texts: list[tuple[PathKey, list[str]]] = []
        for path, value in _strings(loaded.model.model_dump(exclude_defaults=True), ()):
            pieces = _TAG.split(join_folded_lines(value))
            self._texts.append((path, [piece for piece in pieces if piece]))
        self._letter_sheet = letter_sheet

    @functools.cached_property
    def _cells(self) -> tuple[Path, Sheet] | None:
        """The workbook's text cells, read the first time a finding is not in the definition."""
        return self._letter_sheet or _text_sheet(self._loaded)

    def locate(self, span: tuple[str, str, str]) -> tuple[PathKey, Location] | None:
        """The field whose literal text holds the found text with the most context around it."""
        before, found, after = span
        extents = sorted(
            ((left, right) for left in range(len(before) + 1) for right in range(len(after) + 1)),
            key=lambda extent: -(extent[0] + extent[1]),
        )
        for left, right in extents:
            window = before[len(before) - left :] + found + after[:right]
            # A text that is exactly the window (a unit name in a table cell) before one that
            # merely contains it (the organizer's name inside a sentence).
            exact = (path for path, pieces in self._texts if window in pieces)
            within = (path for path, pieces in self._texts if any(window in p for p in pieces))
            path = next(exact, None) or next(within, None)
            if path is not None:
                return path, self._loaded.source.locate(path)
            location = self._cell_holding(window)
            if location is not None:
                return (), location
        return None

    def _cell_holding(self, window: str) -> Location | None:
        if self._cells is None:
            return None
        path, sheet = self._cells
        columns = list(sheet.text_values.items())  # read as stored: no mapping made a unit
        for unit, at in sheet.positions.items():
            for column, texts in columns:
                text = texts[at]
                if text and window in text:
                    name, cell = sheet.cell(unit, column).split("!", 1)
                    return Location(path, sheet=name, cell=cell)
        return None

    def trace(self, problem: Problem) -> Problem:
        """``problem`` located at the definition line its text came from, if there is one."""
        if not isinstance(problem, Finding) or not problem.span[1].strip():
            return problem
        found = self.locate(problem.span)
        if found is None:
            message = problem.message.removeprefix(f"{problem.location.file} ")
            return Problem(message, problem.location, problem.path, problem.severity)
        path, location = found
        return Problem(problem.message, location, format_path(path), problem.severity)


def _text_sheet(loaded: LoadedDefinition) -> tuple[Path, Sheet] | None:
    """The workbook and the letters' sheet with its text columns (``workbook.text_columns``),
    for a finding in text that came from a cell rather than from the definition."""
    model = loaded.model
    columns = model.workbook.text_columns
    if not columns or model.letters is None or not model.workbook.file:
        return None
    try:
        path = loaded.resolve(model.workbook.file, ("workbook", "file"))
        return path, read_letter_sheet(model, path, columns)
    except (InputError, OSError):
        return None  # the workbook's own problems are reported where it is read


def _strings(data: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Every text the user wrote in the definition, with its path (people's titles, phone
    numbers and unit names too: all of them reach the papers)."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))


def _once(findings: list[Problem]) -> list[Problem]:
    """The same finding in the same text is said once, however many documents repeat it."""
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for finding in findings:
        plain = (
            Problem(finding.message, finding.location, finding.path, finding.severity)
            if isinstance(finding, Finding)
            else finding
        )
        key = (str(plain.location), plain.path, plain.message.split("”：", 1)[-1])
        if plain.path and key in seen:
            continue
        seen.add(key)
        kept.append(plain)
    return kept


_PLACEHOLDER = re.compile(
    r"(?:19|20)[xX×＊*]{2}|[×Ｘ＊*]{2,}|(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])|○{2,}|某某|□{2,}"
)
_SAMPLE = re.compile(r"示例[省市县区乡镇村街]?|(?<!\d)0000-?\d{7,8}(?!\d)|(?<!\d)1234567(?!\d)")
"""What ``huiwu new``'s example fills in (示例镇党委, 0000-1234567) for the user to replace."""


def check_placeholders(paragraph: Paragraph) -> Iterator[Problem]:
    """``20xx``, ``XX``, ``×××``, ``○○``, ``某某`` left from a template; huiwu new's samples."""
    for match in _PLACEHOLDER.finditer(paragraph.text):
        yield _finding(
            paragraph, match.start(), f"“{match.group(0)}”像是没有替换的占位符", len(match.group(0))
        )
    for match in _SAMPLE.finditer(paragraph.text):
        yield _finding(
            paragraph,
            match.start(),
            f"“{match.group(0)}”是 huiwu new 示例里的值，请改成本单位的",
            len(match.group(0)),
        )


_BLANK_NAME = re.compile(r"(?:^|(?<=[\s\u3000，、；：。（“:]))同志(?!们)")


def check_blank_names(paragraph: Paragraph) -> Iterator[Problem]:
    """``组长：省委副秘书长 同志`` — a title and ``同志`` with the name left out."""
    for match in _BLANK_NAME.finditer(paragraph.text):
        yield _finding(paragraph, match.start(), "“同志”前面缺少姓名")


_DATED_WEEKDAY = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[（(]?\s*((?:星期|周)[一二三四五六日天])"
)


def check_weekdays(paragraph: Paragraph) -> Iterator[Problem]:
    """``2012年9月20日（星期五）`` when 20 September 2012 was a Thursday."""
    for match in _DATED_WEEKDAY.finditer(paragraph.text):
        year, month, day = (int(g) for g in match.groups()[:3])
        try:
            actual = cn.weekday(dt.date(year, month, day))
        except ValueError:
            yield _finding(paragraph, match.start(), f"日期不存在：{year}年{month}月{day}日")
            continue
        written = match.group(4).replace("周", "星期").replace("星期天", "星期日")
        if written != actual:
            yield _finding(
                paragraph,
                match.start(),
                f"{year}年{month}月{day}日是{actual}，不是{match.group(4)}",
            )


# A number starts where a digit run starts: tried at every digit of a long run, the patterns
# below would take time quadratic in its length (40,000 digits: minutes).
_NUMBER = r"(?<![\d.])(\d+(?:\.\d+)?)"
_RATE_FROM_COUNTS = re.compile(
    rf"{_NUMBER}\s*(人|例|户|对|个)，其中[^，。；]*?{_NUMBER}\s*\2，[^，。；]*?(?:率|比例)(?:为|是|达)?{_NUMBER}\s*(%|‰)"
)


def check_rates(paragraph: Paragraph) -> Iterator[Problem]:
    """``上报出生571人，其中政策内出生521人，出生政策符合率为91.42%`` — 521/571 is 91.24%."""
    for match in _RATE_FROM_COUNTS.finditer(paragraph.text):
        whole, part, written, sign = match.group(1), match.group(3), match.group(4), match.group(5)
        if Decimal(whole) == 0:
            continue
        scale = Decimal(100 if sign == "%" else 1000)
        places = len(written.split(".")[1]) if "." in written else 0
        computed = cn.round_half_up(Decimal(part) / Decimal(whole) * scale, places)
        if computed != Decimal(written):
            yield _finding(
                paragraph,
                match.start(),
                f"{part}÷{whole}应为{computed}{sign}，文中写的是{written}{sign}",
            )


_QUOTA_TOTAL = re.compile(
    rf"(?:共计|共|合计|总计|不少于)[^，。；\d（）()]{{0,20}}?{_NUMBER}\s*(件|例|万元|元|人|个|户)"
)
_QUOTA_LEAD = re.compile(r"[^。；]{0,8}?[，（(]?其中")
_QUOTA_PART = r"([^、，。；\d（）()]{{1,12}}?){number}\s*{unit}"


def check_quota_sums(paragraph: Paragraph) -> Iterator[Problem]:
    """``不少于94件，其中甲乡5件、乙镇6件…`` — the parts must add up to the total.

    The total is the one nearest before ``其中`` (``不少于5件（全县共101件，其中…）`` lists the
    parts of 101), and a part may end the list at a closing bracket.
    """
    text = paragraph.text
    totals = list(_QUOTA_TOTAL.finditer(text))
    for index, match in enumerate(totals):
        later = totals[index + 1].start() if index + 1 < len(totals) else len(text)
        lead = _QUOTA_LEAD.match(text, match.end())
        if lead is None or lead.end() > later:
            continue
        total, unit = Decimal(match.group(1)), match.group(2)
        parts = _parts(text, lead.end(), unit)
        if len(parts) >= 2 and sum(parts) != total:
            yield _finding(
                paragraph,
                match.start(),
                f"其中各项相加为{_plain(sum(parts))}{unit}，与总数{_plain(total)}{unit}不符",
                match.end() - match.start(),
            )


def _parts(text: str, position: int, unit: str) -> list[Decimal]:
    part = re.compile(
        _QUOTA_PART.format(number=_NUMBER, unit=re.escape(unit)) + r"(?=[、，。；（(）)]|$)"
    )
    parts = []
    while True:
        found = part.match(text, position)
        if found is None:
            return parts
        parts.append(Decimal(found.group(2)))
        position = found.end()
        if position < len(text) and text[position] in "、，":
            position += 1
        else:
            return parts


_POINTS_HEADING = re.compile(r"^（([一二三四五六七八九十]+)）.*?[（(](\d+(?:\.\d+)?)\s*分[）)]")
_BONUS = re.compile(r"奖扣|奖惩|加分|扣分|奖分|奖励分|加减分")
"""Words of a bonus or deduction section's heading (not 奖励扶助, a target like any other)."""


def check_points(items: list[Paragraph]) -> Iterator[Problem]:
    """Scored target sections ``（一）…（10分）`` of a responsibility letter must add up to 100."""
    scored: list[tuple[Paragraph, Decimal]] = []
    for paragraph in items:
        match = _POINTS_HEADING.match(paragraph.text)
        if match and not _BONUS.search(paragraph.text[: match.start(2)]):
            try:
                scored.append((paragraph, Decimal(match.group(2))))
            except InvalidOperation:
                continue
    total = sum((points for _, points in scored), Decimal(0))
    if len(scored) >= 3 and total != 100:
        first, last = scored[0][0], scored[-1][0]
        parts = "+".join(_plain(points) for _, points in scored)
        yield Problem(
            f"第 {first.number}—{last.number} 段各项目标的基本分相加为{_plain(total)}分"
            f"（{parts}），应为100分",
            Location(first.document),
            severity=Severity.WARNING,
        )


def check_half_width(paragraph: Paragraph) -> Iterator[Problem]:
    """``会议,通知`` — half-width punctuation inside Chinese text."""
    for index in cn.find_halfwidth_punct(paragraph.text)[:3]:
        mark = paragraph.text[index]
        fixed = cn.to_fullwidth_punct(paragraph.text[max(0, index - 1) : index + 2])
        yield _finding(paragraph, index, f"中文里用了半角标点“{mark}”，应为全角（如“{fixed}”）")


PARAGRAPH_CHECKS = (
    check_placeholders,
    check_blank_names,
    check_weekdays,
    check_rates,
    check_quota_sums,
    check_half_width,
)


def check_units(loaded: LoadedDefinition) -> Iterator[Problem]:
    """An attendee group listing the assessed units must list each unit of ``units`` once."""
    known = loaded.model.units
    for index, group in enumerate(loaded.model.attendees):
        path = ("attendees", index, "units")
        units = group.units
        for unit in dict.fromkeys(u for u in units if units.count(u) > 1):
            yield _unit_problem(loaded, path, f"单位“{unit}”重复")
        if not known or len(set(units) & set(known)) * 2 < len(known):
            continue  # not the group of the assessed units
        missing = [u for u in known if u not in units]
        extra = [u for u in units if u not in known]
        if missing:
            yield _unit_problem(loaded, path, f"缺少单位名单（units）里的：{'、'.join(missing)}")
        if extra:
            yield _unit_problem(loaded, path, f"有单位名单（units）里没有的：{'、'.join(extra)}")


def _unit_problem(loaded: LoadedDefinition, path: tuple[str | int, ...], message: str) -> Problem:
    return Problem(
        message, loaded.source.locate(path), format_path(path), severity=Severity.WARNING
    )


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_agenda(loaded: LoadedDefinition, names: list[str]) -> Iterator[Problem]:
    """A hosting script with no agenda to walk through (opening, 同志们 and 散会 only)."""
    if loaded.model.agenda or not any(name.startswith("主持词") for name in names):
        return
    yield Problem(
        "定义里没有议程（agenda），主持词只有开场白和“散会”。请在 agenda 下逐项写明"
        "谁（by）、做什么（does）、关于什么（topic）",
        loaded.source.locate(()),
        severity=Severity.WARNING,
    )


_DEADLINE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[（(][^）)]*[）)])?\s*(?:前|之前|以前)"
)


def check_dates(items: list[Paragraph], loaded: LoadedDefinition) -> Iterator[Problem]:
    """``请于9月25日前报送`` in the notice of a meeting held on 20 September: a deadline for
    something due before the meeting that falls after it (last year's date, a typing slip).

    Only the notice is read: minutes and speeches set deadlines after the meeting on purpose."""
    meeting = loaded.model.meeting.date
    for paragraph in items:
        for match in _DEADLINE.finditer(paragraph.text):
            year = int(match.group(1)) if match.group(1) else meeting.year
            try:
                due = dt.date(year, int(match.group(2)), int(match.group(3)))
            except ValueError:
                continue  # an impossible date is check_weekdays' finding
            if due > meeting and _due_before_meeting(_clause(paragraph.text, match)):
                yield _finding(
                    paragraph,
                    match.start(),
                    f"截止日期{cn.format_date(due)}在会议日期{cn.format_date(meeting)}之后",
                    match.end() - match.start(),
                )


def _clause(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(mark, 0, match.start()) for mark in "。；")
    ends = [i for i in (text.find(mark, match.end()) for mark in "。；") if i >= 0]
    return text[start + 1 : min(ends, default=len(text))]


def _due_before_meeting(clause: str) -> bool:
    """Deadlines in a notice's requirements are for things due before the meeting (报送、报名、
    回执); a date for later work (``年底前完成``) is not one of them."""
    return bool(
        re.search(
            r"报送|报名|上报|回执|报到|报[^，。；]{0,6}办|传真|发送|提交|确定.{0,4}人员", clause
        )
    )


_TYPED_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \t]+同志(?!们)")


def check_typed_spaces(loaded: LoadedDefinition) -> Iterator[Problem]:
    """``组长：省委副秘书长 同志`` typed in the definition: the name left out. The space itself is
    dropped when the text is joined, so the document would read ``省委副秘书长同志`` and
    hide the gap; the definition's own line is therefore read."""
    try:
        lines = loaded.path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return
    for number, line in enumerate(lines, start=1):
        code = line.split(" #", 1)[0]
        for match in _TYPED_SPACE.finditer(code):
            found = re.search(r"[^\s：:，、；。“”]{1,12}$", code[: match.start()])
            before = found.group(0) if found else ""
            yield Problem(
                f"“{before} 同志”：“同志”前面缺少姓名（生成时空格会被去掉，读起来成了“{before}同志”）",
                Location(loaded.path, number, match.start() + 1),
                severity=Severity.WARNING,
            )
