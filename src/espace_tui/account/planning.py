"""The family's planning for a range of days, for both fronts: read from the portal (every
member's calendar, concurrently within the client's bound) and kept in the local store, or read
from the store alone (`--offline`), saying when it was read. Also its iCalendar file.

The portal's calendars hold what the site has, whatever the range: the range is chosen here,
and only the days of the range are stored (a day read without bookings is an empty day).
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from espace_tui.account.portals import commune_of
from espace_tui.account.session import AccountSession, offline_message
from espace_tui.core.errors import ConfigError, NothingToDo
from espace_tui.core.i18n import _
from espace_tui.core.model import FamilyMember
from espace_tui.core.planning import KIND_WORDS, Booking, Kind, uid, within
from espace_tui.local.files import write_atomically
from espace_tui.local.store import Store
from espace_tui.portal.base import Portal

__all__ = [
    "Planning",
    "children",
    "ics_bytes",
    "is_our_calendar",
    "offline_planning",
    "read_planning",
    "save_ics",
    "stored_planning",
]

PARIS = ZoneInfo("Europe/Paris")
"""The portal's communes are French: its hours are Paris time."""
PRODID = "-//espace-tui//Planning Espace Citoyens//FR"
_OURS = b"PRODID:" + PRODID.encode("ascii")
_CHILDREN = frozenset({"garcon", "fillette"})


@dataclass(frozen=True, slots=True)
class Planning:
    """The bookings of the days `first` to `last`, sorted by date, start, member."""

    first: date
    last: date
    bookings: tuple[Booking, ...]
    read_at: datetime | None = None
    """When the store's planning was read from the portal; None: read from it now."""

    def on(self, day: date, member_id: str | None = None) -> list[Booking]:
        return [
            b
            for b in self.bookings
            if b.day == day and (member_id is None or b.member_id == member_id)
        ]


def children(members: Sequence[FamilyMember], bookings: Iterable[Booking]) -> list[FamilyMember]:
    """Whose planning a screen shows: the family's children (their pictures say so, SITE.md
    §3), and anyone else who has bookings, in the dashboard's order then the bookings'."""
    booked: dict[str, str] = {}
    for booking in bookings:
        booked.setdefault(booking.member_id, booking.member)
    shown = [m for m in members if m.role in _CHILDREN or m.id in booked]
    known = {m.id for m in shown}
    shown += [FamilyMember(id=key, name=name) for key, name in booked.items() if key not in known]
    return shown


def short_names(bookings: Iterable[Booking]) -> dict[str, str]:
    """Each member's name without the words all the members' names share (the family's
    name: `ECOUFLANT Léa` and `ECOUFLANT Lucas` are `Léa` and `Lucas`), where a line is short;
    a name left empty, or a family of one, keeps the whole name."""
    names: dict[str, list[str]] = {}
    for booking in bookings:
        names.setdefault(booking.member_id, booking.member.split())
    if len(names) < 2:
        return {key: " ".join(words) for key, words in names.items()}
    shared = set.intersection(*(set(words) for words in names.values()))
    short = {}
    for key, words in names.items():
        kept = [word for word in words if word not in shared]
        short[key] = " ".join(kept or words)
    return short


def _online(session: AccountSession) -> Portal:
    if session.offline:
        raise NothingToDo(offline_message())
    if session.portal is None:
        raise NothingToDo(_("You are not logged in."))
    return session.portal


def _check_range(first: date, last: date) -> None:
    if last < first:
        raise ConfigError(
            _("The range ends ({last}) before it starts ({first}).").format(
                first=first.strftime("%d/%m/%Y"), last=last.strftime("%d/%m/%Y")
            )
        )
    if (last - first).days > 366:
        raise ConfigError(_("A planning covers at most a year at a time."))


async def read_planning(
    session: AccountSession, first: date, last: date, *, store: Store | None = None
) -> Planning:
    """The planning of `first` to `last` from the portal; kept in `store` (or the session's
    store) for `--offline`. A store that cannot be written only means nothing is kept."""
    _check_range(first, last)
    portal = _online(session)
    bookings = within(await portal.planning(), first, last)
    keep = store if store is not None else session.store
    if keep is not None and session.username is not None:
        with contextlib.suppress(OSError, sqlite3.Error):
            await asyncio.to_thread(
                keep.save_planning,
                portal.base_url,
                session.username,
                first,
                last,
                bookings,
                read_at=datetime.now(),
            )
    return Planning(first, last, tuple(bookings))


def stored_planning(store: Store, portal: str, username: str, first: date, last: date) -> Planning:
    """The planning of `first` to `last` as the store holds it (it reads a file: call it in a
    thread from the screens), marked with when it was read. `NothingToDo` when none of those
    days was read yet."""
    _check_range(first, last)
    stored = store.load_planning(portal, username, first, last)
    if stored is None:
        raise NothingToDo(
            _(
                "No planning from {first} to {last} was read yet for {username} on {commune}: "
                "run once without --offline."
            ).format(
                first=first.strftime("%d/%m/%Y"),
                last=last.strftime("%d/%m/%Y"),
                username=username,
                commune=commune_of(portal),
            )
        )
    return Planning(first, last, tuple(within(stored.bookings, first, last)), stored.read_at)


def offline_planning(session: AccountSession, first: date, last: date) -> Planning:
    """The screens' `--offline`: the session's stored account's planning (in a thread)."""
    if session.store is None or session.username is None:
        raise NothingToDo(offline_message())
    return stored_planning(session.store, session.base_url, session.username, first, last)


# --- iCalendar -----------------------------------------------------------------------------------


def _summary(booking: Booking) -> str:
    first_name = booking.member.split()[-1] if booking.member.split() else booking.member
    what = booking.activity or booking.label or _("Booking")
    text = f"{first_name} – {what}"
    if booking.kind is Kind.ABSENT:
        text += " " + _("(absent)")
    return text


def _description(booking: Booking) -> str:
    lines = [f"{booking.member}: {_(KIND_WORDS[booking.kind])}"]
    if booking.label:
        lines.append(booking.label)
    if booking.body:
        lines.append(booking.body)
    return "\n".join(lines)


def ics_bytes(bookings: Sequence[Booking], *, namespace: str, stamp: datetime) -> bytes:
    """The bookings as an iCalendar file (RFC 5545): one event each, its UID stable for the
    same member, day, group and event (a calendar that imports the file again updates its
    events), hours in Europe/Paris with the zone's definition, whole days as DATE values."""
    from icalendar import Calendar, Event  # only when a file is asked for

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", _("Planning (Espace Citoyens)"))
    calendar.add("x-wr-timezone", "Europe/Paris")
    utc_stamp = stamp.astimezone(UTC)
    for booking in bookings:
        event = Event()
        event.add("uid", uid(booking, namespace))
        event.add("dtstamp", utc_stamp)
        event.add("summary", _summary(booking))
        if booking.start is None:
            event.add("dtstart", booking.day)
            event.add("dtend", booking.day + timedelta(days=1))
        else:
            start = datetime.combine(booking.day, booking.start, PARIS)
            end_time = booking.end if booking.end and booking.end > booking.start else None
            end = (
                datetime.combine(booking.day, end_time, PARIS)
                if end_time
                else start + timedelta(hours=1)
            )
            event.add("dtstart", start)
            event.add("dtend", end)
        if booking.place:
            event.add("location", booking.place)
        event.add("description", _description(booking))
        event.add("status", "CANCELLED" if booking.kind is Kind.ABSENT else "CONFIRMED")
        event.add("transp", "OPAQUE" if booking.start else "TRANSPARENT")
        if booking.activity:
            event.add("categories", [booking.service.value])
        calendar.add_component(event)
    if bookings:  # the zone's rules for the years of the bookings only: a short file
        years = [b.day.year for b in bookings]
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    data: bytes = calendar.to_ical()
    return data


def is_our_calendar(path: Path) -> bool:
    """Whether the file is an iCalendar file espace-tui wrote (its PRODID says so)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
    except OSError:
        return False
    return head.startswith(b"BEGIN:VCALENDAR") and _OURS in head


def save_ics(path: Path, content: bytes) -> bool:
    """Write the calendar file whole or not at all. An earlier planning written by espace-tui
    is replaced (the point of stable UIDs: export again, import again); any other file is
    never overwritten (`ConfigError`). Returns whether a file was replaced."""
    if path.is_dir():
        raise ConfigError(_("{path} is a folder: give a file name for --ics.").format(path=path))
    replaced = path.exists()
    if replaced and not is_our_calendar(path):
        raise ConfigError(
            _(
                "{path} already exists and is not a planning espace-tui wrote: "
                "it was not overwritten. Choose another name."
            ).format(path=path)
        )
    write_atomically(path, content)
    return replaced
