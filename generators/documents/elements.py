"""The elements of an official document around its body (GB/T 9704 §7.2–§7.4, §10.1).

版头 (the issuer's mark, the 发文字号, the 签发人), 附件说明 and attachment labels, and 版记 (抄送,
印发机关 and 印发日期), as template context with the names a Word user reads in the template.
"""

from __future__ import annotations

from typing import Any

from huiwu.model import Imprint, Masthead
from huiwu.text import cn
from huiwu.text.cn import text_width

MARK_SIZES: tuple[tuple[str, float], ...] = (
    ("初号", 42.0),
    ("小初", 36.0),
    ("一号", 26.0),
    ("小一", 24.0),
    ("二号", 22.0),
)
"""The type sizes of the issuer's mark, largest first; each is a paragraph style of the template."""

_TEXT_WIDTH_PT = 442.0
"""The 156 mm text block in points: the mark is never wider (§7.2.3)."""

_FULL_SPACE = "\u3000"
_JOINER = "\u2060"


def masthead(config: Masthead | None) -> dict[str, Any] | None:
    """The 版头 as context: ``格式``, ``标志`` (lines), ``字号``, ``发文字号``, ``签发人``.

    Each line of the mark has ``名称`` (an issuer) and ``文件`` (the word, or the blank that
    keeps the lines one width). Joint issuers stand one a line, lead issuer first, with 文件 to
    the right, centred on the names (§7.2.3): on the middle line of an odd number, and for an
    even number on the line above the middle, ``下移`` (set half a line lower).
    """
    if config is None:
        return None
    suffix = "文件" if config.form == "文件" else ""
    lines = _mark_lines(config.issuers, suffix)
    widest = max(text_width((line["名称"] + line["文件"]).replace(_JOINER, "")) for line in lines)
    return {
        "格式": config.form,
        "标志": lines,
        "字号": mark_size(widest),
        "发文字号": config.number,
        "签发人": _FULL_SPACE.join(config.signers),
    }


def _mark_lines(issuers: list[str], suffix: str) -> list[dict[str, Any]]:
    if len(issuers) == 1:
        return [{"名称": issuers[0], "文件": suffix, "下移": False}]
    width = max(len(name) for name in issuers)
    beside = (len(issuers) - 1) // 2
    lowered = len(issuers) % 2 == 0
    lines = []
    for index, name in enumerate(issuers):
        padded = name + _FULL_SPACE * (width - len(name))
        word = suffix if index == beside else _FULL_SPACE * len(suffix)
        if not suffix:
            padded = _unstripped(padded)
        else:
            word = _unstripped(word)
        lines.append({"名称": padded, "文件": word, "下移": lowered and index == beside})
    return lines


def _unstripped(text: str) -> str:
    """Trailing spaces do not count when a line is centred: a word joiner after them keeps
    their width, so that the lines of a joint mark centre as one block."""
    return text + _JOINER if text.endswith(_FULL_SPACE) else text


def mark_size(chars: float) -> str:
    """The largest size at which ``chars`` characters of the mark fit the text block."""
    for name, points in MARK_SIZES:
        if chars * points <= _TEXT_WIDTH_PT:
            return name
    return MARK_SIZES[-1][0]


def imprint(config: Imprint | None) -> dict[str, str] | None:
    """The 版记 as context: ``抄送`` (the names, ending ``。``), ``印发机关``, ``印发日期``;
    the template has the fixed wording around them (``抄送：``, ``印发``)."""
    if config is None:
        return None
    copy_to = ""
    if config.copy_to:
        copy_to = "，".join(n.rstrip("。，,") for n in config.copy_to) + "。"
    return {
        "抄送": copy_to,
        "印发机关": config.printer,
        "印发日期": cn.format_date(config.printed),
    }


def attachment_note(names: list[str]) -> list[str]:
    """``附件：1.…`` with later items aligned under the first name (§7.3.4)."""
    if not names:
        return []
    if len(names) == 1:
        return [f"附件：{names[0]}"]
    indent = _FULL_SPACE * 3
    return [("附件：" if i == 1 else indent) + f"{i}.{name}" for i, name in enumerate(names, 1)]


def attachment_label(number: int, count: int) -> str:
    """``附件1`` — or ``附件`` when the document has only one attachment (§7.3.4)."""
    return "附件" if count == 1 else f"附件{number}"
