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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from huiwu.definition.load import LoadedDefinition
from huiwu.definition.yamlsrc import format_path
from huiwu.errors import Location, Problem, Severity
from huiwu.render.docxtext import paragraph_texts
from huiwu.render.docxzip import read_members
from huiwu.text import cn

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


def proofread(documents: Iterable[tuple[str, bytes]], loaded: LoadedDefinition) -> list[Problem]:
    """Every finding in the documents (name, DOCX bytes) and in the definition's unit lists."""
    findings: list[Problem] = []
    for name, data in documents:
        items = paragraphs(name, data)
        for paragraph in items:
            for check in PARAGRAPH_CHECKS:
                findings.extend(check(paragraph))
        findings.extend(check_points(items))
    findings.extend(check_units(loaded))
    return findings


def _finding(paragraph: Paragraph, start: int, message: str) -> Problem:
    text = paragraph.text
    left = max(0, start - _EXCERPT // 2)
    excerpt = ("…" if left else "") + text[left : left + _EXCERPT].strip()
    excerpt += "…" if left + _EXCERPT < len(text) else ""
    return Problem(
        f"第 {paragraph.number} 段“{excerpt}”：{message}",
        Location(paragraph.document),
        severity=Severity.WARNING,
    )


_PLACEHOLDER = re.compile(
    r"(?:19|20)[xX×＊*]{2}|[×Ｘ＊*]{2,}|(?<![A-Za-z])[Xx]{2,}(?![A-Za-z])|○{2,}|某某|□{2,}"
)


def check_placeholders(paragraph: Paragraph) -> Iterator[Problem]:
    """``20xx``, ``XX``, ``×××``, ``○○``, ``某某`` left from a template."""
    for match in _PLACEHOLDER.finditer(paragraph.text):
        yield _finding(paragraph, match.start(), f"“{match.group(0)}”像是没有替换的占位符")


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
    rf"(?:共|合计|总计|不少于|共计)[^，。；]{{0,20}}?{_NUMBER}\s*(件|例|万元|元|人|个|户)[^。；]{{0,8}}?，?其中"
)
_QUOTA_PART = r"([^、，。；\d（）()]{{1,12}}?){number}\s*{unit}"


def check_quota_sums(paragraph: Paragraph) -> Iterator[Problem]:
    """``不少于94件，其中甲乡5件、乙镇6件…`` — the parts must add up to the total."""
    text = paragraph.text
    for match in _QUOTA_TOTAL.finditer(text):
        total, unit = Decimal(match.group(1)), match.group(2)
        part = re.compile(
            _QUOTA_PART.format(number=_NUMBER, unit=re.escape(unit)) + r"(?=[、，。；（(]|$)"
        )
        parts = []
        position = match.end()
        while True:
            found = part.match(text, position)
            if found is None:
                break
            parts.append(Decimal(found.group(2)))
            position = found.end()
            if position < len(text) and text[position] in "、，":
                position += 1
            else:
                break
        if len(parts) >= 2 and sum(parts) != total:
            yield _finding(
                paragraph,
                match.start(),
                f"其中各项相加为{_plain(sum(parts))}{unit}，与总数{_plain(total)}{unit}不符",
            )


_POINTS_HEADING = re.compile(r"^（([一二三四五六七八九十]+)）.*?[（(](\d+(?:\.\d+)?)\s*分[）)]")
_BONUS = ("奖", "加分", "扣分")


def check_points(items: list[Paragraph]) -> Iterator[Problem]:
    """Scored target sections ``（一）…（10分）`` of a responsibility letter must add up to 100."""
    scored = []
    for paragraph in items:
        match = _POINTS_HEADING.match(paragraph.text)
        if match and not any(word in paragraph.text[: match.start(2)] for word in _BONUS):
            try:
                scored.append(Decimal(match.group(2)))
            except InvalidOperation:
                continue
    if len(scored) >= 3 and sum(scored) != 100:
        first = items[0]
        yield Problem(
            f"各项目标的基本分相加为{_plain(sum(scored))}分，应为100分",
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
