"""The family's planning, a week at a time: what each child does each day, with its hours and
place, absences marked. A column per child on a wide terminal, a row per child on a narrow one;
`←`/`→` for the previous and next week, `t` for this week."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from espace_tui.account.planning import Planning, children, offline_planning, read_planning
from espace_tui.account.session import Snapshot
from espace_tui.core.formats import format_date, format_datetime
from espace_tui.core.i18n import N_, _
from espace_tui.core.model import FamilyMember
from espace_tui.core.planning import KIND_WORDS, WEEKDAYS, Booking, Kind, days, week_of
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.safe import literal, literal_markup, literal_text
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.problem_bar import ProblemBar

WIDE = 100
"""From this many columns on, a column per child; below, a row per child."""


def day_title(day: date) -> str:
    """`Monday 09/03/2026` (`lundi 09/03/2026`)."""
    return f"{_(WEEKDAYS[day.weekday()])} {format_date(day)}"


def booking_text(booking: Booking) -> Text:
    """One booking: its hours (or "whole day"), the activity, the place; an absence struck
    through and said; the site's words shown as they are."""
    absent = booking.kind is Kind.ABSENT
    style = "strike dim" if absent else ""
    text = literal_text(booking.hours() or _("whole day"), "bold")
    text.append_text(literal_text(" " + (booking.activity or booking.label or "—"), style))
    if booking.place:
        text.append_text(literal_text("\n  " + booking.place, "dim"))
    if absent:
        text.append_text(literal_text("\n  " + _(KIND_WORDS[Kind.ABSENT]).upper(), "bold red"))
    elif booking.kind is Kind.ATTENDED:
        text.append_text(literal_text(" ✓", "green"))
    return text


def bookings_cell(bookings: list[Booking]) -> RenderableType:
    if not bookings:
        return literal_text("—", "dim")
    return Group(*(booking_text(b) for b in bookings))


class PlanningScreen(EspaceScreen):
    """Shows one week of the planning, read from the portal (or the store, `--offline`) in a
    worker; weeks already read in this visit are shown again at once."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        # Before the scroll's own left and right (it never scrolls sideways here).
        Binding("left", "previous", N_("Previous week"), id="planning.previous", priority=True),
        Binding("right", "next", N_("Next week"), id="planning.next", priority=True),
        Binding("t", "this_week", N_("This week"), id="planning.this_week"),
    ]

    RETRIES: ClassVar[dict[str, str]] = {"load": "reload"}

    def __init__(self, context: ScreenContext, day: date | None = None) -> None:
        super().__init__(context)
        self.monday = week_of(day or context.today())[0]
        """The Monday of the week shown."""
        self._weeks: dict[date, Planning] = {}
        """The weeks read in this visit, by their Monday."""
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="as-of")
        yield Static(id="week-title")
        with VerticalScroll(id="planning", classes="busy-target"):
            yield Static(id="week")
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def on_mount(self) -> None:
        self.query_one("#planning", VerticalScroll).focus()
        self.redraw()
        self.reload()

    def redraw(self) -> None:
        self.title = _("Planning")
        super().redraw()
        self.show_week()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        super().show_snapshot(snapshot)
        self.show_week()

    def on_resize(self, event: events.Resize) -> None:
        self.show_week()

    # -- keys ---------------------------------------------------------------------------

    def action_previous(self) -> None:
        self._go(self.monday - timedelta(days=7))

    def action_next(self) -> None:
        self._go(self.monday + timedelta(days=7))

    def action_this_week(self) -> None:
        self._go(week_of(self.today())[0])

    def action_refresh(self) -> None:
        self._weeks.pop(self.monday, None)
        self.reload()

    def _go(self, monday: date) -> None:
        if monday == self.monday and monday in self._weeks:
            return
        self.monday = monday
        self.show_week()
        if monday not in self._weeks:
            self.reload()

    # -- data ---------------------------------------------------------------------------

    @work(exclusive=True, group="load", exit_on_error=False)
    async def reload(self) -> None:
        """Read the week shown (from the store when offline)."""
        monday = self.monday
        sunday = monday + timedelta(days=6)
        self.clear_problem()
        self.set_busy(True)
        if self.session.offline:
            planning = await asyncio.to_thread(offline_planning, self.session, monday, sunday)
        else:
            planning = await read_planning(self.session, monday, sunday)
        self.set_busy(False)
        self._weeks[monday] = planning
        if monday == self.monday:
            self.show_week()

    def set_busy(self, busy: bool) -> None:
        # Also called by the one error handler when the reading failed: say so, then.
        self._reading = busy
        super().set_busy(busy)
        if not busy:
            self.show_week()

    @property
    def planning(self) -> Planning | None:
        """The week shown, once read."""
        return self._weeks.get(self.monday)

    def members(self) -> list[FamilyMember]:
        snapshot = self.session.snapshot
        known = snapshot.account.members if snapshot is not None else ()
        planning = self.planning
        return children(known, planning.bookings if planning else ())

    # -- drawing ------------------------------------------------------------------------

    def show_week(self) -> None:
        if not self.is_mounted:
            return
        sunday = self.monday + timedelta(days=6)
        title = _("Week of {first} to {last}").format(
            first=day_title(self.monday), last=day_title(sunday)
        )
        if self.monday == week_of(self.today())[0]:
            title += " · " + _("this week")
        self.query_one("#week-title", Static).update(literal_markup("[b]$title[/b]", title=title))
        planning = self.planning
        mark = self.query_one("#as-of", Static)
        as_of = ""
        if planning is not None and planning.read_at is not None:
            as_of = _("Offline: as read on {date}.").format(date=format_datetime(planning.read_at))
        mark.display = bool(as_of)
        mark.update(literal_markup("[b $warning]$text[/]", text=as_of))
        week = self.query_one("#week", Static)
        if planning is None:
            if self._reading:
                week.update(literal(_("Reading the planning from the portal…")))
            else:
                week.update(literal(_("This week could not be read.")))
            return
        members = self.members()
        if not members:
            week.update(literal(_("Nothing is booked this week.")))
            return
        wide = self.size.width >= WIDE
        week.update(self._by_column(planning, members) if wide else self._by_row(planning, members))

    def _by_column(self, planning: Planning, members: list[FamilyMember]) -> Table:
        """Days down, a column per child."""
        table = Table(expand=True, show_lines=True, header_style="bold")
        table.add_column(literal_text(_("Day")), no_wrap=True, width=20)
        for member in members:
            table.add_column(literal_text(member.name), ratio=1)
        for day in days(planning.first, planning.last):
            table.add_row(
                self._day_cell(day),
                *(bookings_cell(planning.on(day, member.id)) for member in members),
            )
        return table

    def _by_row(self, planning: Planning, members: list[FamilyMember]) -> Table:
        """A row per child and day, a line under each day: narrow terminals."""
        table = Table(expand=True, header_style="bold")
        table.add_column(literal_text(_("Day")), no_wrap=True, width=10)
        table.add_column(literal_text(_("Who")), max_width=18)
        table.add_column(literal_text(_("What")), ratio=1)
        for day in days(planning.first, planning.last):
            for number, member in enumerate(members):
                table.add_row(
                    self._day_cell(day) if number == 0 else Text(""),
                    literal_text(member.name),
                    bookings_cell(planning.on(day, member.id)),
                    end_section=number == len(members) - 1,
                )
        return table

    def _day_cell(self, day: date) -> Text:
        style = "bold reverse" if day == self.today() else "bold"
        text = literal_text(_(WEEKDAYS[day.weekday()]), style)
        text.append_text(literal_text("\n" + format_date(day)))
        return text
