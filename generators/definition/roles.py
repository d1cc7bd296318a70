"""Who plays which part in the meeting, as several documents (and the checks) need to know.

Each answer comes from what the definition states explicitly, else from what it already says
elsewhere — a speech's speaker from the agenda, the rostrum from the leaders present — so that
attendees are written once. Keys are returned without duplicates, in the order first met;
documents sort them by rank.
"""

from __future__ import annotations

from collections.abc import Iterable

from huiwu.model import Definition


def speaker(definition: Definition) -> str | None:
    """The speech's speaker: as given, else whoever gives the last speech on the agenda."""
    if definition.speech is not None and definition.speech.speaker is not None:
        return definition.speech.speaker
    speeches = [item.by for item in definition.agenda if item.resolved_kind == "讲话" and item.by]
    return speeches[-1] if speeches else None


def rostrum_members(definition: Definition) -> list[str]:
    """Who sits on the rostrum: as given, else the visiting team, guests, leaders and host."""
    rostrum = definition.rostrum
    if rostrum is not None and rostrum.members is not None:
        return unique(rostrum.members)
    team = definition.visiting_team
    return unique(
        [
            *(member.person for member in (team.members if team else [])),
            *definition.guests,
            *definition.leaders,
            definition.meeting.host,
        ]
    )


def named_attendees(definition: Definition) -> list[str]:
    """Everyone named among the attendee groups."""
    return unique(key for group in definition.attendees for key in group.people)


def name_card_holders(definition: Definition) -> list[str]:
    """Who gets a name card: the rostrum, optionally the named attendees, and anyone added."""
    cards = definition.name_cards
    attendees = named_attendees(definition) if cards.attendees else []
    return unique([*rostrum_members(definition), *attendees, *cards.people])


def present(definition: Definition) -> list[str]:
    """The minutes' default 出席 list: host, leaders, guests and the named attendees."""
    return unique(
        [
            definition.meeting.host,
            *definition.leaders,
            *definition.guests,
            *named_attendees(definition),
        ]
    )


def unique(keys: Iterable[str]) -> list[str]:
    """``keys`` without repeats, in the order first met."""
    return list(dict.fromkeys(keys))
