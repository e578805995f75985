"""A family member's planning: the JSON of `FichePersonne/DetailPersonneGetCalendrier` read into
`Booking`s (SITE.md §8). A pure function, no I/O.

Read tolerantly, as [seen] by one client only: a date as a number or as text, hours as `hhmm`
or empty, field names in any case, a missing field unknown (an event without a date cannot be
placed and is skipped). Placeholders (`Bientôt disponible`) are skipped and the day's billing
summary dropped where a timed event of its group exists. Every string goes through
`clean_text`, the body's HTML becomes text with its line breaks. What is not JSON at all, or
not the calendar's shape, is a changed page naming the page.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, time
from typing import Any

from espace_tui.core.errors import ImplausibleValue, PageChanged
from espace_tui.core.formats import clean_text
from espace_tui.core.model import FamilyMember
from espace_tui.core.planning import (
    Booking,
    drop_summaries,
    is_placeholder,
    kind_from_label,
    service_from_group,
)
from espace_tui.portal.urls import Page

PAGE = Page.CALENDAR
EVENTS = "EvenementSystemes"
GROUPS = "EvenementsGroupes"
MAX_EVENTS = 20_000
"""More events than ten years of a child's every day: not a family's calendar."""
MAX_TEXT = 300
"""The longest name, place, label or action kept (the body: `MAX_BODY`)."""
MAX_BODY = 2_000
MAX_ACTIONS = 20

_BREAKS = re.compile(r"<\s*br\s*/?\s*>|<\s*/\s*(?:p|div|li|tr|h[1-6])\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
_HOUR = re.compile(r"^(\d{1,2}):?(\d{2})$")
_DAY = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _field(data: dict[str, Any], name: str) -> Any:
    """A field, its name's case ignored (the site's JSON spells names either way)."""
    if name in data:
        return data[name]
    lowered = name.lower()
    return next((value for key, value in data.items() if key.lower() == lowered), None)


def _string(value: Any, limit: int = MAX_TEXT) -> str | None:
    """A text field, cleaned; a number is read as its digits; anything else is unknown."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = clean_text(value)
    return cleaned[:limit] if cleaned else None


def _id(value: Any) -> str | None:
    return _string(value, 100)


def read_day(value: Any) -> date | None:
    """`20261203` (a number or a string) → date; None when it is not such a day."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if isinstance(value, int | str) else ""
    match = _DAY.match(text)
    if not match:
        return None
    year, month, day = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_hour(value: Any) -> time | None:
    """`0830`, `830`, `08:30` (or the number 830) → 08:30; empty or anything else → None."""
    if isinstance(value, bool) or value is None:
        return None
    text = (f"{value:04d}" if isinstance(value, int) else str(value)).strip()
    match = _HOUR.match(text) if isinstance(value, int | str) else None
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def body_text(value: Any) -> str | None:
    """`LibCorpsEvenement`'s HTML as text: `<br>` and the ends of blocks as line breaks, tags
    dropped, entities read, each line cleaned; None when nothing is left."""
    if not isinstance(value, str):
        return None
    with_breaks = _BREAKS.sub("\n", value[: MAX_BODY * 4])
    text = html.unescape(_TAGS.sub("", with_breaks))
    lines = [line for line in (clean_text(part) for part in text.split("\n")) if line]
    joined = "\n".join(lines)
    return joined[:MAX_BODY] or None


def _actions(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    labels = (_string(_field(item, "LibAction")) for item in value if isinstance(item, dict))
    return tuple(label for label in labels if label)[:MAX_ACTIONS]


def _list(data: dict[str, Any], name: str) -> list[Any]:
    value = _field(data, name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise PageChanged(PAGE, f"JSON {name}")
    return value


def parse_calendar(body: str | bytes, member: FamilyMember) -> list[Booking]:
    """The member's bookings as the calendar's JSON holds them, in the site's order, with the
    site's rules applied (see the module's docstring)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise PageChanged(PAGE, f"JSON {EVENTS}") from None
    if not isinstance(data, dict) or (
        _field(data, EVENTS) is None and _field(data, GROUPS) is None
    ):
        raise PageChanged(PAGE, f"JSON {EVENTS}")
    events = _list(data, EVENTS)
    if len(events) > MAX_EVENTS:
        raise ImplausibleValue(PAGE, EVENTS, f"{len(events)} events")
    groups: dict[str, tuple[str | None, str | None]] = {}
    for group in _list(data, GROUPS)[:MAX_EVENTS]:
        if isinstance(group, dict):
            key = _id(_field(group, "IdGroupeEvt"))
            if key is not None:
                groups[key] = (
                    _string(_field(group, "LibNomGroupeEvt")),
                    _string(_field(group, "LibComplementGroupeEvt")),
                )
    bookings: list[Booking] = []
    for event in events:
        if not isinstance(event, dict):
            continue
        label = _string(_field(event, "LibEvenement"))
        if is_placeholder(label):
            continue
        day = read_day(_field(event, "DateEvenement"))
        if day is None:
            continue  # an event that cannot be placed on a day is no booking to show
        group_id = _id(_field(event, "IdGroupeEvt"))
        activity, place = groups.get(group_id or "", (None, None))
        start = read_hour(_field(event, "HeureDebutEvenement"))
        bookings.append(
            Booking(
                member_id=member.id,
                member=member.name,
                day=day,
                start=start,
                end=read_hour(_field(event, "HeureFinEvenement")) if start else None,
                activity=activity,
                place=place,
                kind=kind_from_label(label),
                service=service_from_group(activity),
                label=label,
                body=body_text(_field(event, "LibCorpsEvenement")),
                actions=_actions(_field(event, "ListeActions")),
                group_id=group_id,
                event_id=_id(_field(event, "IdEvenement")),
            )
        )
    return drop_summaries(bookings)
