"""目标管理责任书 for one unit: title, both parties, preamble, the scored targets (一、), rewards
and penalties (二、), closing paragraphs, and the signature block of both parties; optionally the
allocation table of all units as an attachment.

The texts are expanded by the caller's ``expand`` (the unit's own figures); everything else is
the same for every unit. A batch builds the shared parts once: the allocation table
(:func:`allocation_table`), and each section of targets, whose blocks are cached by its
expanded texts — most sections read the same in every letter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from huiwu.documents.blocks import Block, as_context, body, heading, keep_with_signature
from huiwu.documents.common import ensure_stop
from huiwu.figures.quotas import QuotaTable
from huiwu.model.letters import Letters, TargetItem
from huiwu.text import cn
from huiwu.text.phrasing import number
from huiwu.text.typeset import title_lines

BLANK_DATE = "\u3000" * 4 + "年" + "\u3000" * 2 + "月" + "\u3000" * 2 + "日"
"""Room for the date to be written by hand at the signing."""

Expand = Callable[[str], str]


def default_title(year: int) -> str:
    """The title when the definition gives none."""
    return f"{year}年目标管理责任书"


def build_context(
    letters: Letters,
    year: int,
    unit: str,
    expand: Expand,
    allocation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The letter's template context for ``unit``; ``expand`` expands a text for this unit."""
    title = expand(letters.title) if letters.title else default_title(year)
    content = [body(expand(letters.preamble))] if letters.preamble else []
    content += _targets(letters, expand)
    if letters.rewards:
        content += _rewards(letters.rewards_title, _expanded(letters.rewards, expand))
    content += _closing(_expanded(letters.closing, expand))
    issuer, recipient = expand(letters.issuer), expand(letters.recipient)
    return {
        "doc_title": f"{title}（{unit}）",
        "title_lines": title_lines(title),
        "parties": [f"甲方：{issuer}", f"乙方：{recipient}"],
        "甲方": issuer,
        "乙方": recipient,
        "body": as_context(keep_with_signature(content)),
        "sign": _signature(letters, expand),
        "allocation": allocation,
    }


def _targets(letters: Letters, expand: Expand) -> list[Block]:
    """一、责任目标 and its sections （一）…（N分）, the bonus section last without points."""
    blocks = [heading(1, 1, letters.targets_title)]
    for index, section in enumerate(letters.targets, start=1):
        blocks += _section(
            index,
            expand(section.title),
            section.base_points,
            _expanded(section.text, expand),
            _expanded_items(section.items, expand),
        )
    if letters.bonus is not None:
        bonus = letters.bonus
        blocks += _section(
            len(letters.targets) + 1,
            expand(bonus.title),
            None,
            _expanded(bonus.text, expand),
            _expanded_items(bonus.items, expand),
        )
    return blocks


def _expanded(texts: Iterable[str], expand: Expand) -> tuple[str, ...]:
    return tuple(expand(text) for text in texts)


def _expanded_items(
    items: Iterable[TargetItem], expand: Expand
) -> tuple[tuple[str, Decimal | None], ...]:
    return tuple((expand(item.text), item.points) for item in items)


@lru_cache(maxsize=1024)
def _section(
    index: int,
    title: str,
    points: Decimal | None,
    texts: tuple[str, ...],
    items: tuple[tuple[str, Decimal | None], ...],
) -> tuple[Block, ...]:
    """``（二）标题（10分）``, its paragraphs and its items ``1.…（8分）。``.

    Cached: a batch gives the same expanded texts for most sections of every letter."""
    return (
        heading(2, index, f"{_bare(title)}{_points(points)}"),
        *(body(ensure_stop(text)) for text in texts),
        *(
            body(f"{cn.heading_number(3, n)}{_bare(text)}{_points(item_points)}。")
            for n, (text, item_points) in enumerate(items, start=1)
        ),
    )


@lru_cache(maxsize=256)
def _rewards(title: str, texts: tuple[str, ...]) -> tuple[Block, ...]:
    """二、奖惩办法 and its numbered paragraphs (cached as :func:`_section` is)."""
    return (
        heading(1, 2, title),
        *(body(cn.heading_number(2, n) + ensure_stop(text)) for n, text in enumerate(texts, 1)),
    )


@lru_cache(maxsize=256)
def _closing(texts: tuple[str, ...]) -> tuple[Block, ...]:
    return tuple(body(ensure_stop(text)) for text in texts)


def _points(points: Decimal | None) -> str:
    return f"（{number(points)}分）" if points is not None else ""


def _bare(text: str) -> str:
    """A text without its closing punctuation, so that points and numbering can follow it."""
    return text.rstrip().rstrip("。；;，,.")


def _signature(letters: Letters, expand: Expand) -> dict[str, dict[str, str]]:
    """Both parties' columns of the signature block: seal, signature, date."""
    signature = letters.signature
    date = cn.format_date(signature.date) if signature.date else BLANK_DATE
    signers = (expand(signature.issuer_signer), expand(signature.recipient_signer))
    return {
        side: {
            "party": f"{party}（盖章）" if signature.seal else f"{party}：",
            "signer": f"{signer}（签字）：",
            "date": date,
        }
        for side, party, signer in zip(("first", "second"), ("甲方", "乙方"), signers, strict=True)
    }


def allocation_table(quotas: QuotaTable, year: int, area: str, unit_kind: str) -> dict[str, Any]:
    """The attachment listing every unit's quotas, the same in every letter."""
    names = list(quotas.specs)
    columns = [
        _column_title(name, quotas.specs[name].label, quotas.specs[name].unit) for name in names
    ]
    title = f"{year}年{area}各{unit_kind}配额分配表"
    return {
        "title_lines": title_lines(title),
        "columns": columns,
        "rows": [
            {
                "no": str(index),
                "unit": unit,
                "cells": [number(quotas.values[unit][name]) for name in names],
            }
            for index, unit in enumerate(quotas.units, start=1)
        ],
        "total": [number(quotas.totals[name]) for name in names],
    }


def _column_title(name: str, label: str | None, unit: str) -> str:
    return f"{label or name}（{unit}）" if unit else (label or name)
