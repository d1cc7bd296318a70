"""Checks across fields that the schema alone cannot express.

Reference checks run on the raw data, so a misspelt name is reported together with type errors
elsewhere in the file; the remaining checks need a validated :class:`Definition`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from .errors import Problem
from .model import Definition
from .model.base import PersonRef
from .model.walk import iter_marked
from .yamlsrc import PathKey, SourceMap, format_path


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
    yield from _check_agenda(model)
    yield from _check_duplicates(model)
    if model.documents is not None and "notice" in model.documents and model.notice is None:
        yield ("documents",), "要生成会议通知，需要写 notice（主送机关 to、成文日期 date 等）"


def _check_agenda(model: Definition) -> Iterator[tuple[PathKey, str]]:
    for index, item in enumerate(model.agenda):
        if item.resolved_kind == "检查" and not model.inspection_groups:
            yield ("agenda", index), "这一项是分组检查，但没有写 inspection_groups（检查分组）"


def _check_duplicates(model: Definition) -> Iterator[tuple[PathKey, str]]:
    for field in ("leaders", "guests"):
        seen: set[str] = set()
        for index, key in enumerate(getattr(model, field)):
            if key in seen:
                yield (field, index), f"“{key}”重复列出"
            seen.add(key)


def _problem(source: SourceMap, path: PathKey, message: str) -> Problem:
    return Problem(message, source.locate(path), format_path(path))
