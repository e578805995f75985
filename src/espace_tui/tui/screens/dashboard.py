"""The dashboard, "Mon espace": greeting, family, what is owed now, a line per régie."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from espace_tui.account.owed import by_regie, owed
from espace_tui.account.planning import Planning, offline_planning, read_planning, short_names
from espace_tui.account.session import Snapshot
from espace_tui.core.errors import EspaceError
from espace_tui.core.formats import format_date, format_datetime
from espace_tui.core.i18n import N_, _, ngettext
from espace_tui.core.planning import KIND_WORDS, WEEKDAYS, Kind, days
from espace_tui.tui.safe import literal, literal_markup
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.texts import loading_text, money
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.problem_bar import ProblemBar

ALL_INVOICES = "*all*"


log = logging.getLogger(__name__)


class DashboardScreen(EspaceScreen):
    """Shows a `Snapshot` in short; posts `OpenInvoices` (Enter on a line, or `f`)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    ROOT = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "invoices", N_("My invoices"), id="invoices"),
        Binding("b", "planning", N_("Planning"), id="planning"),  # planning: the bookings
        Binding("c", "chart", N_("Chart"), id="chart"),  # chart: the twelve months
        Binding("a", "profiles", N_("All profiles"), id="profiles", show=False),
    ]

    @dataclass
    class OpenInvoices(Message):
        """Open the invoice list, for one régie or (None) for all."""

        regie: str | None = None

    class OpenPlanning(Message):
        """Open the week's planning (key `b`)."""

    class OpenChart(Message):
        """Open the chart of the last twelve months (key `c`)."""

    class OpenProfiles(Message):
        """Show every profile with what is owed there, as last read (key `a`)."""

    _regies: dict[str, str]
    """Option id → régie name, for the lines shown."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="as-of")  # above the scroll: always seen
        with VerticalScroll(id="dashboard", classes="busy-target"):
            yield Static(id="greeting")
            yield Static(id="last-connection")
            yield Static(id="family")
            yield Static(id="owed")
            yield Static(literal(_("My invoices")), id="regies-title", classes="section-title")
            yield OptionList(id="regies")
            # planning: today's and tomorrow's bookings, a line a day, under the régies
            yield Static(id="bookings-today", classes="bookings")
            yield Static(id="bookings-tomorrow", classes="bookings")
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def on_mount(self) -> None:
        self._regies = {}
        # Not scrolled to: on a small terminal what is owed stays on top, the bookings below.
        self.query_one("#regies", OptionList).focus(scroll_visible=False)
        for line in self.query(".bookings"):
            line.display = False
        self.redraw()
        self.load_bookings()

    SHORT = 30
    """Rows below which what is owed loses its blank lines, so that an 80×24 terminal shows
    the bookings under the régies without scrolling."""

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.height < self.SHORT, "-short")

    def redraw(self) -> None:
        self.title = _("My space")
        super().redraw()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        super().show_snapshot(snapshot)
        account, invoices = snapshot.account, snapshot.invoices
        self.show_as_of()
        # The greeting, the last connection, the names and the régies are the site's words:
        # shown as they are (`literal`), never as markup.
        self.query_one("#greeting", Static).update(literal(account.greeting or _("Welcome")))
        last = account.last_connection_text or (
            format_datetime(account.last_connection) if account.last_connection else ""
        )
        self.query_one("#last-connection", Static).update(literal(last))
        names = ", ".join(member.name for member in account.members)
        self.query_one("#family", Static).update(
            literal(_("Family: {names}").format(names=names) if names else "")
        )
        self.query_one("#owed", Static).update(self._owed_text(snapshot))
        regies = self.query_one("#regies", OptionList)
        highlighted = regies.highlighted
        regies.clear_options()
        regies.add_option(
            Option(
                literal(_("All invoices ({count})").format(count=len(invoices))),
                id=ALL_INVOICES,
            )
        )
        self._regies = {}
        for number, line in enumerate(by_regie(invoices)):
            text = ngettext(
                "{name}: {count} invoice, {to_pay_count} to pay ({amount})",
                "{name}: {count} invoices, {to_pay_count} to pay ({amount})",
                line.count,
            ).format(
                name=line.name or _("(no régie)"),
                count=line.count,
                to_pay_count=line.to_pay_count,
                amount=money(line.to_pay),
            )
            self._regies[f"regie-{number}"] = line.name
            regies.add_option(Option(literal(text), id=f"regie-{number}"))
        regies.highlighted = min(highlighted or 0, regies.option_count - 1)

    def show_as_of(self) -> None:
        """The mark of a dashboard shown from the store (none once the portal was read)."""
        text = self.as_of_text()
        mark = self.query_one("#as-of", Static)
        mark.display = bool(text)
        style = "[b $warning]$text[/]" if self.session.offline else "[dim]$text[/]"
        mark.update(literal_markup(style, text=text))

    def _owed_text(self, snapshot: Snapshot) -> Content:
        content = self._owed_summary(snapshot)
        if not snapshot.complete and not self.session.offline:  # offline: nothing will come
            content += literal_markup(
                "\n[dim]$text[/]",
                text=loading_text(snapshot.details_loaded, len(snapshot.invoices)),
            )
        return content

    def _owed_summary(self, snapshot: Snapshot) -> Content:
        summary = owed(snapshot.invoices, self.today())
        if summary.count == 0:
            return literal_markup(
                "[$success]$text[/]", text=_("Nothing to pay: every invoice is settled.")
            )
        lines = [
            ngettext(
                "To pay now: {total} ({count} invoice)",
                "To pay now: {total} ({count} invoices)",
                summary.count,
            ).format(total=money(summary.total), count=summary.count)
        ]
        if summary.next_due is not None:
            lines.append(_("Next due date: {date}").format(date=format_date(summary.next_due)))
        content = literal_markup("[b]$text[/b]", text="\n".join(lines))
        if summary.overdue:
            overdue = ngettext(
                "{count} invoice is overdue.", "{count} invoices are overdue.", summary.overdue
            ).format(count=summary.overdue)
            content += literal_markup("\n[b $error]$text[/]", text=overdue)
        return content

    def action_invoices(self) -> None:
        self.post_message(self.OpenInvoices(None))

    def action_planning(self) -> None:
        self.post_message(self.OpenPlanning())

    # planning: today's and tomorrow's bookings, read in a worker (the store's, offline)

    @on(EspaceScreen.Loaded)
    def _reload_bookings(self) -> None:
        self.load_bookings()  # the message goes on to the app

    @work(exclusive=True, group="bookings", exit_on_error=False)
    async def load_bookings(self) -> None:
        """Today's and tomorrow's bookings. They are an extra of the dashboard: a portal that
        serves no planning, or fails to, leaves them out without a word (the Planning screen
        says why), and what is owed is never held up by them."""
        today = self.today()
        tomorrow = today + timedelta(days=1)
        try:
            if self.session.offline:
                planning = await asyncio.to_thread(offline_planning, self.session, today, tomorrow)
            elif self.session.logged_in:
                planning = await read_planning(self.session, today, tomorrow)
            else:
                return
        except EspaceError as error:
            log.info("the dashboard shows no bookings: %s", error)
            return
        self.show_bookings(planning)

    def show_bookings(self, planning: Planning) -> None:
        """A line a day, cut to the screen's width: `Today, Wednesday 02/12: Léa 08:30 ALSH
        Mercredis · Lucas …`; nothing at all when neither day has a booking."""
        names = short_names(planning.bookings)
        lines = list(self.query(".bookings").results(Static))
        shown = days(planning.first, planning.last)[: len(lines)]
        for number, (line, day) in enumerate(zip(lines, shown, strict=True)):
            line.display = bool(planning.bookings)
            when = _("Today") if number == 0 else _("Tomorrow")
            title = f"{when}, {_(WEEKDAYS[day.weekday()])} {format_date(day)[:5]}"
            content = literal_markup("[b]$title[/b]", title=_("{when}:").format(when=title))
            booked = planning.on(day)
            if not booked:
                content += literal_markup(" [dim]$text[/]", text=_("nothing booked"))
            for index, booking in enumerate(booked):
                words = [names.get(booking.member_id, booking.member)]
                if booking.start is not None:
                    words.append(f"{booking.start:%H:%M}")
                words.append(booking.activity or booking.label or "—")
                content += Content(" · " if index else " ") + literal(" ".join(words))
                if booking.kind is Kind.ABSENT:
                    absent = _(KIND_WORDS[Kind.ABSENT]).upper()
                    content += literal_markup(" [b $error]$absent[/]", absent=absent)
            line.update(content)

    def action_profiles(self) -> None:
        self.post_message(self.OpenProfiles())

    def action_chart(self) -> None:
        self.post_message(self.OpenChart())

    @on(OptionList.OptionSelected, "#regies")
    def open_regie(self, event: OptionList.OptionSelected) -> None:
        self.post_message(self.OpenInvoices(self._regies.get(event.option.id or "")))
