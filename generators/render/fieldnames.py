"""The names a template's fields show: Chinese, as a Word user reads them.

Context builders name the parts of an official document in code's terms (``title_lines``,
``addressee``, ``body``, ``signature``). The built-in templates show them as the parts of the
document are called — 标题, 主送机关, 正文, 附件说明, 署名, 成文日期 — and a template may use
either name, so that a template copied from an earlier huiwu keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FRAME_NAMES: dict[str, str] = {
    "title_lines": "标题",
    "subtitle_lines": "副标题",
    "addressee": "主送机关",
    "body": "正文",
    "attachments": "附件说明",
    # 纪要 (§10.3)
    "banner_lines": "纪要标志",
    "issue": "期数",
    "masthead_office": "纪要机关",
    "masthead_date": "纪要日期",
    "attendance": "出席",
    # 签到表
    "meta_lines": "时间地点",
    "rows": "名单",
}
"""Context key → the name the template shows, for the parts of the documents."""


def named(context: Mapping[str, Any]) -> Mapping[str, Any]:
    """The context under both names of each frame part, whichever the builder gave; the
    ``signature`` lines are ``署名`` (the issuer, after the blank lines) and ``成文日期``."""
    extra: dict[str, Any] = {}
    for english, chinese in FRAME_NAMES.items():
        if english in context and chinese not in context:
            extra[chinese] = context[english]
        elif chinese in context and english not in context:
            extra[english] = context[chinese]
    signature = context.get("signature")
    if isinstance(signature, list) and "署名" not in context:
        extra["署名"] = signature[:-1]
        extra["成文日期"] = signature[-1] if signature else ""
    elif "署名" in context and "signature" not in context:
        date = context.get("成文日期")
        extra["signature"] = [*context["署名"], *([date] if date else [])]
    return {**context, **extra} if extra else context
