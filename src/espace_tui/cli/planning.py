"""`espace-tui planning`: the family's bookings for a range of days (this week by default), as
text grouped by day, as JSON, or as an iCalendar file for a phone's calendar; `--offline` reads
what the last run kept."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from espace_tui.account.planning import (
    Planning,
    ics_bytes,
    read_planning,
    save_ics,
    stored_planning,
)
from espace_tui.account.portals import commune_of
from espace_tui.account.services import open_store
from espace_tui.cli.commands import (
    CommandContext,
    _json,
    logged_in,
    note,
    out,
    require_portal,
    require_username,
)
from espace_tui.core.formats import format_date, format_datetime
from espace_tui.core.i18n import _
from espace_tui.core.planning import (
    KIND_WORDS,
    WEEKDAYS,
    Booking,
    Kind,
    booking_data,
    days,
    week_of,
)

LIST_EVERY_DAY = 14
"""Up to this many days, every day is listed (an empty one says so); beyond, only the days
with bookings."""


def chosen_range(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    """The days asked for: this week by default; one end alone gives a week from or to it."""
    if first is None and last is None:
        return week_of(today)
    if first is None:
        assert last is not None
        return last - timedelta(days=6), last
    if last is None:
        return first, first + timedelta(days=6)
    return first, last


def day_title(day: date) -> str:
    """`Monday 09/03/2026` (`lundi 09/03/2026` in French)."""
    return f"{_(WEEKDAYS[day.weekday()])} {format_date(day)}"


def _hours(booking: Booking) -> str:
    return booking.hours() or _("whole day")


def booking_line(booking: Booking, width: int = 0, hours_width: int = 0) -> str:
    """One booking of a day: who, when, what, where, and what the site says of it (the names
    and the hours padded to `width` and `hours_width`)."""
    what = booking.activity or booking.label or "—"
    if booking.place:
        what = f"{what}, {booking.place}"
    kind = _(KIND_WORDS[booking.kind])
    if booking.kind is Kind.ABSENT:
        kind = kind.upper()
    return f"  {booking.member:<{width}}  {_hours(booking):<{hours_width}}  {what}  ({kind})"


def planning_text(planning: Planning) -> str:
    """The planning grouped by day."""
    span = days(planning.first, planning.last)
    width = max((len(b.member) for b in planning.bookings), default=0)
    hours_width = max((len(_hours(b)) for b in planning.bookings), default=0)
    lines: list[str] = []
    for day in span:
        booked = planning.on(day)
        if not booked and len(span) > LIST_EVERY_DAY:
            continue
        lines.append(day_title(day))
        lines.extend(booking_line(b, width, hours_width) for b in booked)
        if not booked:
            lines.append("  " + _("nothing booked"))
    if not planning.bookings:
        lines.append(
            _("No booking from {first} to {last}.").format(
                first=format_date(planning.first), last=format_date(planning.last)
            )
        )
    return "\n".join(lines)


JSON_FIELDS = (
    ("member", "member"),
    ("member_id", "member_id"),
    ("date", "day"),
    ("start", "start"),
    ("end", "end"),
    ("activity", "activity"),
    ("place", "place"),
    ("kind", "kind"),
    ("service", "service"),
    ("label", "label"),
    ("details", "body"),
    ("actions", "actions"),
)
"""The JSON output's names, in its order, and the booking's plain data each comes from."""


def booking_json(booking: Booking) -> dict[str, object]:
    """One booking as the JSON output gives it (hours `HH:MM`, null for a whole day)."""
    data = booking_data(booking)
    return {name: data[source] for name, source in JSON_FIELDS}


async def planning_command(context: CommandContext) -> int:
    args = context.args
    first, last = chosen_range(args.first, args.last, date.today())
    if getattr(args, "offline", False):
        base_url = require_portal(context)
        username = require_username(context, base_url)
        planning = stored_planning(open_store(), base_url, username, first, last)
        assert planning.read_at is not None
        note(_("Offline: as read on {date}.").format(date=format_datetime(planning.read_at)))
    else:
        async with logged_in(context) as session:
            store = None if context.demo else open_store()
            planning = await read_planning(session, first, last, store=store)
            base_url = session.base_url
    if args.ics is not None:
        path = args.ics.expanduser()
        content = ics_bytes(planning.bookings, namespace=commune_of(base_url), stamp=datetime.now())
        replaced = save_ics(path, content)
        if replaced:
            note(_("The planning written there before was replaced."))
        out(str(path))
    if args.json:
        _json([booking_json(booking) for booking in planning.bookings])
    elif args.ics is None:
        out(planning_text(planning))
    return 0
