"""The dashboard, "Mon espace": greeting, family, what is owed now, a line per régie."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from espace_tui.account.owed import by_regie, owed
from espace_tui.account.session import Snapshot
from espace_tui.core.formats import format_date, format_datetime
from espace_tui.core.i18n import N_, _, ngettext
from espace_tui.tui.safe import literal, literal_markup
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.texts import loading_text, money
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.problem_bar import ProblemBar

ALL_INVOICES = "*all*"


class DashboardScreen(EspaceScreen):
    """Shows a `Snapshot` in short; posts `OpenInvoices` (Enter on a line, or `f`)."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    ROOT = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "invoices", N_("My invoices"), id="invoices")
    ]

    @dataclass
    class OpenInvoices(Message):
        """Open the invoice list, for one régie or (None) for all."""

        regie: str | None = None

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
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def on_mount(self) -> None:
        self._regies = {}
        self.query_one("#regies", OptionList).focus()
        self.redraw()

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

    @on(OptionList.OptionSelected, "#regies")
    def open_regie(self, event: OptionList.OptionSelected) -> None:
        self.post_message(self.OpenInvoices(self._regies.get(event.option.id or "")))
