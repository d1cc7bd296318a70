"""How an agenda item's verb (``does``) is worded, in one table for every document.

The notice and the agenda list an item (``孙丽同志就东村工作作表态发言``), the host asks for it
(``请孙丽同志就东村工作作表态发言。``), the host's summary looks back on it (``孙丽同志就东村工作
作了表态发言``) and the minutes name the report heard (``…关于东村工作的汇报``). All four read the
same :class:`Wording`, so a verb is never worded one way on the agenda and another way aloud.

Chinese meeting verbs fall into a few shapes, and the topic goes where the shape wants it:

- ``作X`` / ``进行X`` (作报告, 作工作汇报, 作表态发言, 作重要讲话, 进行安排部署): the topic is
  introduced by 就 before the verb — ``就T作报告``; past ``就T作了报告``.
- verbs without an object (讲话, 发言, 表态发言, 致辞, 讲评): ``就T讲话``; past ``就T作了讲话``.
- verbs with an object (汇报, 通报, 宣读, 传达, 部署, 安排部署, 介绍, 总结): the topic is the
  object — ``宣读《决定》``; past ``宣读了《决定》``. Without a topic the verb takes its usual
  object or noun form (``宣读有关文件``, ``作通报``).
- 签订 (with whom, what): ``与各乡镇签订责任书``; 颁奖 (to whom): ``为先进单位颁奖``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """One agenda item's verb phrase, without the person who does it."""

    now: str
    """As listed and as asked for: ``就东村工作作表态发言``."""
    past: str
    """As the host's summary looks back on it: ``就东村工作作了表态发言``."""
    noun: str
    """What the item produces, for ``关于…的{noun}``: ``表态发言``, ``汇报``."""


# Verbs that take the topic as their object, longest first, with what they say without one:
# (now, past, noun).
_TRANSITIVE: dict[str, tuple[str, str, str]] = {
    "安排部署": ("作工作部署", "作了工作部署", "部署"),
    "宣读": ("宣读有关文件", "宣读了有关文件", "文件"),
    "传达": ("传达上级会议精神", "传达了上级会议精神", "传达"),
    "汇报": ("作汇报", "作了汇报", "汇报"),
    "通报": ("作通报", "作了通报", "通报"),
    "部署": ("作工作部署", "作了工作部署", "部署"),
    "安排": ("作工作安排", "作了工作安排", "安排"),
    "布置": ("布置工作", "布置了工作", "布置"),
    "介绍": ("作介绍", "作了介绍", "介绍"),
    "总结": ("作总结", "作了总结", "总结"),
    "宣布": ("宣布有关事项", "宣布了有关事项", "宣布"),
    "公布": ("公布有关事项", "公布了有关事项", "公布"),
    "解读": ("作解读", "作了解读", "解读"),
    "表彰": ("表彰先进", "表彰了先进", "表彰"),
    "学习": ("学习有关文件", "学习了有关文件", "学习"),
    "领学": ("领学有关文件", "领学了有关文件", "领学"),
    "讲解": ("作讲解", "作了讲解", "讲解"),
}
_TRANSITIVE_ORDER = sorted(_TRANSITIVE, key=len, reverse=True)

# Verbs without an object; the past puts 作了 before them (讲话 → 作了讲话) unless listed here.
_INTRANSITIVE_ENDINGS = ("讲话", "发言", "致辞", "讲评", "点评", "表态", "动员")
_OWN_PAST = {"致辞": "致辞", "动员": "作了动员"}

_LIGHT_VERBS = ("进行", "作出", "做出", "作", "做")


def wording(does: str, topic: str | None = None, parties: str | None = None) -> Wording:
    """The phrase for ``does`` with its topic (and, for 签订/颁奖, the other party)."""
    does = does.strip()
    topic = topic or ""
    if does in ("颁奖", "颁发", "颁发奖牌", "颁发证书") or does.startswith("为"):
        return _award(does, topic, parties)
    if does.startswith(("签订", "签署")):
        return _sign(does, topic, parties)
    light = next((v for v in _LIGHT_VERBS if does.startswith(v) and len(does) > len(v)), None)
    if light is not None:
        noun = does[len(light) :]
        about = f"就{topic}" if topic else ""
        return Wording(f"{about}{does}", f"{about}{light}了{noun}", noun)
    if does.endswith(_INTRANSITIVE_ENDINGS):
        about = f"就{topic}" if topic else ""
        ending = next(e for e in _INTRANSITIVE_ENDINGS if does.endswith(e))
        past = _OWN_PAST.get(does) or (does if ending in _OWN_PAST else f"作了{does}")
        return Wording(f"{about}{does}", f"{about}{past}", does)
    verb = next((v for v in _TRANSITIVE_ORDER if does.startswith(v)), None)
    if verb is not None:
        rest = does[len(verb) :]
        now, past, noun = _TRANSITIVE[verb]
        if topic:  # 传达学习 + T → 传达学习了T: 了 follows the whole verb
            return Wording(f"{does}{topic}", f"{does}了{topic}", noun)
        if rest:  # 宣读表彰决定 → 宣读了表彰决定: the object is in the verb phrase
            return Wording(does, f"{verb}了{rest}", noun)
        return Wording(now, past, noun)
    return Wording(f"{does}{topic}", f"{does}{topic}", does)


def _award(does: str, topic: str, parties: str | None) -> Wording:
    if does.startswith("为"):
        return Wording(f"{does}{topic}", f"{does}{topic}", "颁奖")
    whom = f"为{parties}" if parties else ""
    if does == "颁奖":
        target = whom or (f"为{topic}" if topic else "")
        return Wording(f"{target}颁奖", f"{target}颁了奖", "颁奖")
    thing = topic or does.removeprefix("颁发") or "奖牌和证书"
    return Wording(f"{whom}颁发{thing}", f"{whom}颁发了{thing}", "颁奖")


def _sign(does: str, topic: str, parties: str | None) -> Wording:
    verb, rest = does[:2], does[2:]
    thing = f"{rest}{topic}" or "责任书"
    whom = f"与{parties}" if parties else ""
    return Wording(f"{whom}{verb}{thing}", f"{whom}{verb}了{thing}", thing)
