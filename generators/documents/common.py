"""Phrasing shared by several document kinds: how people, times and lists are written."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from huiwu.documents.blocks import Block, body
from huiwu.model import AgendaItem, Definition, Meeting, Person
from huiwu.text import cn
from huiwu.text.agenda_words import Wording, wording
from huiwu.text.typeset import signature_block


class Directory:
    """Looks people up by their key and writes them the way official texts do."""

    def __init__(self, definition: Definition) -> None:
        self._people = definition.people
        self._order = {key: index for index, key in enumerate(definition.people)}

    def person(self, key: str) -> Person:
        """The person filed under ``key``."""
        return self._people[key]

    def name(self, key: str) -> str:
        """The person's name (the key unless ``name`` is given)."""
        return self._people[key].name or key

    def title_name(self, key: str) -> str:
        """``镇党委副书记王建国``."""
        person = self._people[key]
        return f"{person.title or ''}{self.name(key)}"

    def comrade(self, key: str, role: str | None = None) -> str:
        """``镇党委副书记王建国同志``; with a role: ``省委副秘书长、考核组组长王建国同志``."""
        person = self._people[key]
        titles = "、".join(t for t in (person.title, role) if t)
        return f"{titles}{self.name(key)}同志"

    def short(self, key: str) -> str:
        """How the host refers back to someone: their ``call`` (祁书记) or ``王建国同志``."""
        person = self._people[key]
        return person.call or f"{self.name(key)}同志"

    def by_rank(self, keys: Iterable[str]) -> list[str]:
        """``keys`` ordered by rank (1 first), then by their order under ``people``."""
        return sorted(keys, key=self._rank_key)

    def _rank_key(self, key: str) -> tuple[int, int]:
        rank = self._people[key].rank
        return (rank if rank is not None else 10**6, self._order.get(key, 0))


def meeting_time(meeting: Meeting, *, with_year: bool = True) -> str:
    """``2012年9月20日（星期四）上午9时`` with the configured time style and end time."""
    date = cn.format_date(meeting.date, with_weekday=True)
    if not with_year:
        date = date.split("年", 1)[1]
    start = cn.format_time(meeting.time, meeting.time_style)
    if meeting.end_time is None:
        return f"{date}{start}"
    end = cn.format_time(meeting.end_time, meeting.time_style)
    return f"{date}{start}至{_drop_shared_period(start, end)}"


def _drop_shared_period(start: str, end: str) -> str:
    """``上午9时至上午11时`` reads ``上午9时至11时``."""
    for period in ("凌晨", "上午", "中午", "下午", "晚上"):
        if start.startswith(period) and end.startswith(period):
            return end[len(period) :]
    return end


def agenda_line(directory: Directory, item: AgendaItem) -> str:
    """An agenda item as a notice or agenda lists it: ``镇党委委员胡明同志安排部署…``."""
    who = directory.comrade(item.by) if item.by else ""
    return who + behalf(item) + item_wording(item).now


def item_wording(item: AgendaItem) -> Wording:
    """The item's verb phrase from the one table of agenda wordings."""
    return wording(item.does, item.topic, item.parties)


def behalf(item: AgendaItem) -> str:
    """``代表县委、县政府`` before the verb, with a comma when a 就-phrase follows."""
    if not item.on_behalf:
        return ""
    return f"代表{item.on_behalf}" + ("，" if item_wording(item).now.startswith("就") else "")


def numbered_items(texts: Sequence[str], *, level: int = 3) -> list[Block]:
    """List items as body paragraphs ``1.…；`` … ``N.…。`` (one item: no number)."""
    if len(texts) == 1:
        return [body(ensure_stop(texts[0]))]
    blocks = []
    for index, text in enumerate(texts, start=1):
        end = "。" if index == len(texts) else "；"
        blocks.append(body(cn.heading_number(level, index) + _strip_stop(text) + end))
    return blocks


def ensure_stop(text: str) -> str:
    """End a sentence with 。 unless it already ends with sentence punctuation."""
    text = text.rstrip()
    return text if text.endswith(("。", "！", "？", "：", "…", "”")) else _strip_stop(text) + "。"


def _strip_stop(text: str) -> str:
    return text.rstrip().rstrip("。；;，,.")


def signature_lines(issuer: str, date: str, *, seal: bool) -> list[str]:
    """Blank lines below the body, then the issuer and the date, placed per §7.3.5."""
    block = signature_block(issuer, date, seal=seal)
    gap = ["", ""] if seal else [""]
    return [*gap, block.issuer, block.date]


def quantity(n: int) -> str:
    """A count before a measure word: ``三项``, but ``两点`` (never ``二点``)."""
    return "两" if n == 2 else cn.numeral(n)
