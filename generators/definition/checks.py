"""Checks across fields that the schema alone cannot express.

Reference checks run on the raw data, so a misspelt name is reported together with type errors
elsewhere in the file; the remaining checks need a validated :class:`Definition`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from huiwu.definition import roles
from huiwu.definition.yamlsrc import PathKey, SourceMap, format_path
from huiwu.errors import Problem
from huiwu.model import Definition
from huiwu.model.base import PersonRef, UnitTextField
from huiwu.model.letters import FULL_MARKS, Letters
from huiwu.model.walk import iter_marked
from huiwu.text import cn
from huiwu.text.jinja import environment, explain_syntax
from huiwu.text.phrasing import number
from jinja2 import TemplateSyntaxError


def check_references(data: dict[str, Any], source: SourceMap) -> list[Problem]:
    """Every person named anywhere must be defined under ``people``."""
    people = data.get("people")
    known = set(people) if isinstance(people, dict) else set()
    problems = []
    for path, value in iter_marked(Definition, data, PersonRef):
        if isinstance(value, str) and value not in known:
            problems.append(_problem(source, path, _unknown_person(value, known)))
    return problems


def _unknown_person(name: str, known: set[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    hint = f"是不是“{close[0]}”？" if close else ""
    return f"“{name}”没有在 people 里定义。{hint}请在 people 下添加此人并写明职务，或改正名字"


def check_definition(model: Definition, source: SourceMap) -> list[Problem]:
    """Cross-field rules of a definition that passed the schema."""
    problems: list[Problem] = []
    for path, message in _findings(model):
        problems.append(_problem(source, path, message))
    return problems


def _findings(model: Definition) -> Iterator[tuple[PathKey, str]]:
    yield from _check_dates(model)
    yield from _check_agenda(model)
    yield from _check_duplicates(model)
    yield from _check_indicator_names(model)
    yield from _check_weights(model)
    for field in ("report", "speech"):
        document = getattr(model, field)
        if document is not None:
            yield from _check_depth(document.sections, (field, "sections"))
    yield from _check_speech(model)
    yield from _check_rostrum(model)
    yield from _check_times(model)
    yield from _check_roles(model)
    yield from _check_sign_in(model)
    if model.letters is not None:
        yield from _check_points(model.letters)
        yield from _check_unit_texts(model)
    if model.documents is not None and "notice" in model.documents and model.notice is None:
        yield ("documents",), "要生成会议通知，需要写 notice（主送机关 to、成文日期 date 等）"


def _check_dates(model: Definition) -> Iterator[tuple[PathKey, str]]:
    """Dates and times of the meeting's papers that contradict the meeting itself."""
    meeting = model.meeting
    when = cn.format_date(meeting.date)
    if model.notice is not None and model.notice.date > meeting.date:
        yield (
            ("notice", "date"),
            f"通知的成文日期{cn.format_date(model.notice.date)}在会议日期{when}之后；"
            "通知要在开会之前发出，请改正其中一个日期",
        )
    if meeting.checkin_time is not None and meeting.checkin_time > meeting.time:
        yield (
            ("meeting", "checkin_time"),
            f"签到时间{cn.format_time(meeting.checkin_time)}晚于开会时间"
            f"{cn.format_time(meeting.time)}；签到要在开会之前",
        )


def _check_agenda(model: Definition) -> Iterator[tuple[PathKey, str]]:
    for index, item in enumerate(model.agenda):
        if item.resolved_kind == "检查" and not model.inspection_groups:
            yield ("agenda", index), "这一项是分组检查，但没有写 inspection_groups（检查分组）"


def _check_duplicates(model: Definition) -> Iterator[tuple[PathKey, str]]:
    for field in ("leaders", "guests", "units"):
        seen: set[str] = set()
        for index, key in enumerate(getattr(model, field)):
            if key in seen:
                yield (field, index), f"“{key}”重复列出"
            seen.add(key)


def _check_weights(model: Definition) -> Iterator[tuple[PathKey, str]]:
    """Weights, when given, share out the 100 points of the composite score."""
    if model.ranking is None:
        return
    if any(name not in model.indicators for name in model.ranking.indicators):
        return  # the unknown name is reported; a sum without it would only mislead
    ranked = list(model.ranking.indicators)
    weights = [model.indicators[name].weight for name in ranked]
    if not ranked or all(weight is None for weight in weights):
        return
    total = sum((weight or 0 for weight in weights), Decimal(0))
    if total != 100:
        listed = "、".join(
            f"{name}{weight or 0}" for name, weight in zip(ranked, weights, strict=True)
        )
        yield (
            ("ranking", "indicators"),
            f"参评指标的权重（weight）相加为{total.normalize():f}分，应为100分（{listed}）",
        )


def _check_indicator_names(model: Definition) -> Iterator[tuple[PathKey, str]]:
    known = list(model.indicators)

    def unknown(name: str) -> str:
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        hint = f"是不是“{close[0]}”？" if close else "请在 indicators 下定义它。"
        return f"没有名为“{name}”的指标。{hint}"

    if model.ranking is not None:
        for index, name in enumerate(model.ranking.indicators):
            if name not in model.indicators:
                yield ("ranking", "indicators", index), unknown(name)
        for flag_index, flag in enumerate(model.ranking.flags):
            for index, name in enumerate(flag.misses_target):
                path: PathKey = ("ranking", "flags", flag_index, "misses_target", index)
                if name not in model.indicators:
                    yield path, unknown(name)
                elif model.indicators[name].target is None:
                    yield path, f"指标“{name}”没有写目标（target），无法判断是否完成"
        for index, name in enumerate(model.ranking.tie_break):
            if name not in model.indicators:
                yield ("ranking", "tie_break", index), unknown(name)
        if model.ranking.scoring in ("达标", "扣分"):
            scoring = model.ranking.scoring
            for index, name in enumerate(model.ranking.indicators):
                spec = model.indicators.get(name)
                if spec is not None and spec.target is None:
                    yield (
                        ("ranking", "indicators", index),
                        f"按“{scoring}”评分，指标“{name}”要写目标（target）",
                    )
                if spec is not None and scoring == "扣分" and spec.deduct is None:
                    yield (
                        ("indicators", name),
                        f"按“扣分”评分，指标“{name}”要写扣分标准 deduct"
                        "（如“每低于目标1个百分点扣2分”写 deduct: 2）",
                    )
    trees = [("report", model.report), ("speech", model.speech)]
    for field, document in trees:
        if document is None:
            continue
        for path, paragraph in _paragraphs(document.sections, (field, "sections")):
            if paragraph.indicator is not None and paragraph.indicator not in model.indicators:
                yield (*path, "indicator"), unknown(paragraph.indicator)
            if paragraph.table is not None and not model.indicators:
                yield (
                    (*path, "table"),
                    "按单位列表要用指标表：请在 indicators 下定义指标，并写 workbook.file",
                )


def _check_speech(model: Definition) -> Iterator[tuple[PathKey, str]]:
    if model.speech is not None and roles.speaker(model) is None:
        yield ("speech",), "讲话稿要写讲话人 speaker，或在议程里有一项由某人作的讲话"


def _check_rostrum(model: Definition) -> Iterator[tuple[PathKey, str]]:
    rostrum = model.rostrum
    if rostrum is None:
        return
    seen: set[str] = set()
    for index, key in enumerate(rostrum.members or []):
        if key in seen:
            yield ("rostrum", "members", index), f"“{key}”重复列出"
        seen.add(key)
    members = roles.rostrum_members(model)
    seats = sum(rostrum.rows)
    if rostrum.rows and seats < len(members):
        yield (
            ("rostrum", "rows"),
            f"主席台共{len(members)}人，每排座位数合计只有{seats}个，请增加座位或排数",
        )
    if not members:
        yield ("rostrum", "members"), "主席台没有人：请在 members 里列出上主席台的人"
    if len(rostrum.rows) > MAX_ROWS:
        yield (
            ("rostrum", "rows"),
            f"主席台写了{len(rostrum.rows)}排，最多{MAX_ROWS}排（座次图要画在一页上）；"
            "人多时台下另排座次",
        )
    if not rostrum.rows and len(members) > MAX_ROW_SEATS:
        yield (
            ("rostrum",),
            f"主席台共{len(members)}人，不写 rows 时都坐一排，但一排最多{MAX_ROW_SEATS}个座位"
            f"（座次图一页排不下）。请用 rows 分排，如 rows: [{MAX_ROW_SEATS // 2}, {MAX_ROW_SEATS // 2}]",
        )


MAX_ROW_SEATS = 50
"""Seats in one rostrum row: the most a seating chart can show across a page (and what
``rostrum.rows`` allows per row)."""
MAX_ROWS = 10
"""Rostrum rows a seating chart draws on its one page (real rostrums have one to three)."""
MAX_SIGN_IN_ROWS = 5000
"""Rows of a sign-in sheet (about 300 pages): a county-wide meeting has a few hundred."""


def _check_times(model: Definition) -> Iterator[tuple[PathKey, str]]:
    """A meeting ends after it starts (signing in before it starts: :func:`_check_dates`)."""
    meeting = model.meeting
    if meeting.end_time is not None and meeting.end_time <= meeting.time:
        yield (
            ("meeting", "end_time"),
            f"结束时间 {meeting.end_time:%H:%M} 不晚于开始时间 {meeting.time:%H:%M}，"
            "会议不能在开始之前结束（下午请用 24 小时制，如 15:00）",
        )


def _check_roles(model: Definition) -> Iterator[tuple[PathKey, str]]:
    """Nobody is both a leader present and a guest: the hosting script would introduce them
    twice."""
    leaders = set(model.leaders)
    for index, key in enumerate(model.guests):
        if key in leaders:
            yield (
                ("guests", index),
                f"“{key}”同时列在 leaders（出席领导）和 guests（上级领导）里，主持词会介绍两次；"
                "请只保留一处",
            )
    team = model.visiting_team
    for index, member in enumerate(team.members if team else []):
        if member.person in leaders or member.person in model.guests:
            yield (
                ("visiting_team", "members", index, "person"),
                f"“{member.person}”是考核组成员，又列在 leaders 或 guests 里，主持词会介绍两次；"
                "请只保留一处",
            )


def _check_sign_in(model: Definition) -> Iterator[tuple[PathKey, str]]:
    rows = model.sign_in.blank_rows
    for group in model.attendees:
        rows += len(group.people) + len(group.units) * group.per_unit
    if rows > MAX_SIGN_IN_ROWS:
        yield (
            ("attendees",),
            f"签到表会有{rows}行（约{rows // 17}页），超过上限{MAX_SIGN_IN_ROWS}行；"
            "请检查参会单位（units）和每单位人数（per_unit），或是否用别名（*）重复引用了名单",
        )


MAX_HEADING_LEVELS = 4
"""GB/T 9704 numbers headings on four levels: 一、（一）1.（1）."""


def _check_depth(sections: list, path: PathKey, level: int = 1) -> Iterator[tuple[PathKey, str]]:
    """A sections tree may nest four levels deep, no more."""
    for index, section in enumerate(sections):
        below: PathKey = (*path, index, "sections")
        if section.sections and level >= MAX_HEADING_LEVELS:
            yield (
                below,
                "公文的标题最多四级（一、（一）1.（1）），这里是第五级：请把它并入上一级的段落",
            )
        else:
            yield from _check_depth(section.sections, below, level + 1)


def _paragraphs(sections: list, path: PathKey) -> Iterator[tuple[PathKey, Any]]:
    """Every paragraph of a sections tree, at every level, with its path."""
    for index, section in enumerate(sections):
        here = (*path, index)
        for p_index, paragraph in enumerate(section.paragraphs):
            yield (*here, "paragraphs", p_index), paragraph
        yield from _paragraphs(section.sections, (*here, "sections"))


def _check_points(letters: Letters) -> Iterator[tuple[PathKey, str]]:
    """Each section's items add up to its points; the sections add up to exactly 100."""
    for index, section in enumerate(letters.targets):
        scored = [item.points for item in section.items if item.points is not None]
        path: PathKey = ("letters", "targets", index)
        if section.points is None and not scored:
            yield path, "这一节没有分值：请写 points（这一节的分值），或给各条写 points"
        elif section.points is not None and scored and sum(scored) != section.points:
            yield (
                (*path, "points"),
                f"这一节是 {number(section.points)} 分，但各条分值合计为 "
                f"{number(sum(scored))} 分（{_sum_text(scored)}），两者应相等",
            )
    total = letters.base_points
    if total != FULL_MARKS:
        parts = _sum_text([section.base_points for section in letters.targets])
        yield (
            ("letters", "targets"),
            f"责任目标各节的基本分合计为 {number(total)} 分（{parts}），应正好是 "
            f"{number(FULL_MARKS)} 分；奖扣分项目请写在 bonus 里，不计入基本分",
        )


def _sum_text(values: list[Decimal]) -> str:
    return "+".join(number(value) for value in values) or "0"


def _check_unit_texts(model: Definition) -> Iterator[tuple[PathKey, str]]:
    """The {{ }} expressions of the letters' texts must at least be well formed; their names
    are checked with the workbook's figures (huiwu.publish.letters)."""
    env = environment(autoescape=False)
    for path, value in iter_marked(Definition, model.model_dump(), UnitTextField):
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            try:
                env.parse(value)
            except TemplateSyntaxError as exc:
                detail = explain_syntax(exc.message or "", env.filters, env.tests)
                yield path, f"文字里的 {{{{ }}}} 表达式写错了：{detail}"


def _problem(source: SourceMap, path: PathKey, message: str) -> Problem:
    return Problem(message, source.locate(path), format_path(path))
