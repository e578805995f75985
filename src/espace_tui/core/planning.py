"""The family's planning (bookings) as plain, immutable objects, and its pure rules.

A `Booking` is one event of a family member's calendar on the portal (SITE.md §8): a day, hours
or none (a whole day), the group's name (the activity) and place, and what the site says of it
(booked, attended, absent). The rules here are the site's: the kind after the last `-` of the
event's words, placeholders skipped, the day's billing summary dropped where a timed event of the
same group says the same, the service known from the group's name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Any

from espace_tui.core.i18n import N_
from espace_tui.core.model import fold_words


class Kind(StrEnum):
    """What the site says of a booking: `Résa`, `Prés`, `Abs` (SITE.md §8)."""

    BOOKED = "booked"
    ATTENDED = "attended"
    ABSENT = "absent"
    UNKNOWN = "unknown"


class Service(StrEnum):
    """The service a group is for, known from the group's name (SITE.md §8)."""

    CANTEEN = "canteen"
    PERISCOLAIRE = "periscolaire"
    """Before and after school (`périscolaire`, `garderie`)."""
    HOLIDAY_CENTRE = "holiday_centre"
    """The holiday centre and Wednesdays (`ALSH`, `loisirs`, `vacances`, `mercredis`)."""
    OTHER = "other"


KIND_WORDS: dict[Kind, str] = {
    Kind.BOOKED: N_("booked"),
    Kind.ATTENDED: N_("attended"),
    Kind.ABSENT: N_("absent"),
    Kind.UNKNOWN: N_("state unknown"),
}
"""How each kind is said (marked for translation; the fronts translate)."""
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
"""The days' names, Monday first (marked for translation)."""

SUMMARY_EVENT = "P0"
"""`IdEvenement` of a day's billing summary (SITE.md §8)."""

_SERVICE_WORDS: tuple[tuple[Service, tuple[str, ...]], ...] = (
    (Service.CANTEEN, ("restauration", "repas", "cantine")),
    (Service.PERISCOLAIRE, ("periscolaire", "garderie")),
    (Service.HOLIDAY_CENTRE, ("alsh", "loisirs", "vacances", "mercredis")),
)


@dataclass(frozen=True, slots=True)
class Booking:
    """One event of a family member's planning."""

    member_id: str
    """The member's `idDynamic` (SITE.md §3)."""
    member: str
    """The member's name, as the dashboard shows it."""
    day: date
    start: time | None = None
    """None: a whole day (or hours the site did not give)."""
    end: time | None = None
    activity: str | None = None
    """The group's name (`LibNomGroupeEvt`), e.g. `Restauration scolaire`."""
    place: str | None = None
    """`LibComplementGroupeEvt`, e.g. `École Jean Moulin`."""
    kind: Kind = Kind.UNKNOWN
    service: Service = Service.OTHER
    label: str | None = None
    """The event's own words (`LibEvenement`), e.g. `Journée-Résa`."""
    body: str | None = None
    """`LibCorpsEvenement` as text, its line breaks kept (`Repas\\nMenu…`)."""
    actions: tuple[str, ...] = ()
    """What the site lets the parent do (`Signaler une absence`…), as labels only."""
    group_id: str | None = None
    event_id: str | None = None

    @property
    def whole_day(self) -> bool:
        return self.start is None

    @property
    def is_summary(self) -> bool:
        """The day's billing summary (`P0`), not a booking of its own."""
        return self.event_id == SUMMARY_EVENT

    def hours(self) -> str:
        """`08:30–11:45`, `08:30` alone, or "" for a whole day."""
        if self.start is None:
            return ""
        if self.end is None or self.end == self.start:
            return f"{self.start:%H:%M}"
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


# --- the site's words --------------------------------------------------------------------------


def kind_from_label(label: str | None) -> Kind:
    """`Journée-Résa` → booked, `Matin-Prés` → attended, `Repas-Abs` → absent: the words after
    the last `-`; anything else is unknown (never guessed)."""
    if not label or "-" not in label:
        return Kind.UNKNOWN
    tail = fold_words(label.rsplit("-", 1)[1])
    if tail.startswith("resa") or tail.startswith("reserv"):
        return Kind.BOOKED
    if tail.startswith("pres"):
        return Kind.ATTENDED
    if tail.startswith("abs"):
        return Kind.ABSENT
    return Kind.UNKNOWN


def service_from_group(name: str | None) -> Service:
    """The service of a group, from its name's words (case and accents ignored)."""
    if not name:
        return Service.OTHER
    folded = fold_words(name)
    for service, words in _SERVICE_WORDS:
        if any(word in folded for word in words):
            return service
    return Service.OTHER


def is_placeholder(label: str | None) -> bool:
    """`Bientôt disponible`: an event the site shows before the booking is open."""
    return bool(label) and "bientot disponible" in fold_words(label or "")


# --- the rules over a planning -----------------------------------------------------------------


def drop_summaries(bookings: Iterable[Booking]) -> list[Booking]:
    """Without the billing summaries (`P0`) of a day where a timed event of the same member
    and group exists: the summary is then the same booking twice (SITE.md §8). A summary alone
    on its day is the booking, and is kept."""
    items = list(bookings)
    timed = {
        (b.member_id, b.group_id, b.day) for b in items if not b.is_summary and not b.whole_day
    }
    return [b for b in items if not (b.is_summary and (b.member_id, b.group_id, b.day) in timed)]


def sort_key(booking: Booking) -> tuple[date, time, str, str]:
    """By date, start (a whole day first), member (case and accents aside: Léa before Lucas)."""
    return (booking.day, booking.start or time.min, fold_words(booking.member), booking.member_id)


def ordered(bookings: Iterable[Booking]) -> list[Booking]:
    return sorted(bookings, key=sort_key)


def within(bookings: Iterable[Booking], first: date, last: date) -> list[Booking]:
    """The bookings from `first` to `last`, both included, in order."""
    return ordered(b for b in bookings if first <= b.day <= last)


def week_of(day: date) -> tuple[date, date]:
    """The week holding `day`: its Monday and its Sunday."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def on_day(bookings: Sequence[Booking], day: date, member_id: str | None = None) -> list[Booking]:
    """The bookings of one day (of one member), in order."""
    return ordered(
        b for b in bookings if b.day == day and (member_id is None or b.member_id == member_id)
    )


def uid(booking: Booking, namespace: str) -> str:
    """A calendar UID that stays the same for the same member, day, group and event, however
    often the planning is exported: a calendar that imports it again updates the event instead
    of adding it twice. `namespace` keeps two portals' members apart (the commune)."""
    key = "|".join(
        (
            namespace,
            booking.member_id,
            booking.day.isoformat(),
            booking.group_id or "",
            booking.event_id or "",
            # Without ids from the site, the hours and the activity tell events apart.
            "" if booking.event_id else f"{booking.hours()}|{booking.activity or ''}",
        )
    )
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return f"{digest}@espace-tui"


# --- as plain data (the local store) -----------------------------------------------------------


def booking_data(booking: Booking) -> dict[str, Any]:
    """The booking as JSON's types (hours as `HH:MM`)."""
    return {
        "member_id": booking.member_id,
        "member": booking.member,
        "day": booking.day.isoformat(),
        "start": booking.start.strftime("%H:%M") if booking.start else None,
        "end": booking.end.strftime("%H:%M") if booking.end else None,
        "activity": booking.activity,
        "place": booking.place,
        "kind": booking.kind.value,
        "service": booking.service.value,
        "label": booking.label,
        "body": booking.body,
        "actions": list(booking.actions),
        "group_id": booking.group_id,
        "event_id": booking.event_id,
    }


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} is not text")
    return value


def _hour(value: Any) -> time | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("an hour is not text")
    return time.fromisoformat(value)


def booking_from_data(data: Any) -> Booking:
    """The booking `booking_data` wrote; `ValueError` for data that does not fit."""
    if not isinstance(data, dict):
        raise ValueError("a booking is not an object")
    member_id, member, day = data.get("member_id"), data.get("member"), data.get("day")
    if not isinstance(member_id, str) or not isinstance(member, str) or not isinstance(day, str):
        raise ValueError("a booking lacks its member or its day")
    actions = data.get("actions") or []
    if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
        raise ValueError("actions are not a list of text")
    kind = data.get("kind", Kind.UNKNOWN.value)
    service = data.get("service", Service.OTHER.value)
    return Booking(
        member_id=member_id,
        member=member,
        day=date.fromisoformat(day),
        start=_hour(data.get("start")),
        end=_hour(data.get("end")),
        activity=_text(data, "activity"),
        place=_text(data, "place"),
        kind=Kind(kind) if kind in Kind._value2member_map_ else Kind.UNKNOWN,
        service=Service(service) if service in Service._value2member_map_ else Service.OTHER,
        label=_text(data, "label"),
        body=_text(data, "body"),
        actions=tuple(actions),
        group_id=_text(data, "group_id"),
        event_id=_text(data, "event_id"),
    )
