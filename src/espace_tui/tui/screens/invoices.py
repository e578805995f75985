"""The invoice list, "Mes factures": every invoice, filtered (text, to pay, régie, child),
sorted, opened with Enter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Header, Input, Static

from espace_tui.account.owed import regie_name, total_owed
from espace_tui.account.query import (
    SORT_TITLES,
    InvoiceQuery,
    SearchIndex,
    apply,
    next_person,
    next_sort,
    people,
)
from espace_tui.account.session import Snapshot
from espace_tui.core.i18n import N_, _, ngettext
from espace_tui.core.model import Invoice
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.safe import literal
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.texts import loading_text, money
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.invoice_table import InvoiceTable
from espace_tui.tui.widgets.problem_bar import ProblemBar


class InvoicesScreen(EspaceScreen):
    """Shows the snapshot's invoices through an `InvoiceQuery`; posts `OpenInvoice`."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", N_("Filter"), id="filter"),
        Binding("u", "to_pay", N_("To pay only"), id="to-pay"),
        Binding("g", "regie", N_("Régie"), id="regie"),
        # Not in the footer, which 80 columns already cut: the help (?) and README list it.
        Binding("c", "child", N_("Child"), id="child", show=False),
        Binding("s", "sort", N_("Sort"), id="sort"),
        Binding("S", "reverse", N_("Reverse"), id="reverse"),
    ]

    @dataclass
    class OpenInvoice(Message):
        """Open this invoice's detail."""

        invoice_id: str

    def __init__(
        self, context: ScreenContext, *, regie: str | None = None, person: str | None = None
    ) -> None:
        super().__init__(context)
        self.query_state = InvoiceQuery(regie=regie, person=person)
        self._index = SearchIndex()
        self._cursor_id: str | None = None
        """The highlighted invoice, kept across refreshes and re-renders."""
        self._busy = False
        """A refresh is under way: the rows shown stay usable, the status line says so."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="invoices-bar"):
            yield Input(
                self.query_state.text,
                placeholder=_("Filter (/): number, period, régie, state, amount…"),
                id="filter",
                select_on_focus=False,  # typed-ahead keys add to the filter, never replace it
            )
            yield Static(id="query-state")
        # Not a busy target: during a refresh the old rows stay on screen and keep the keys.
        yield InvoiceTable(self.today, id="table")
        yield Static(id="invoices-summary")
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    @property
    def table(self) -> InvoiceTable:
        return self.query_one("#table", InvoiceTable)

    def on_mount(self) -> None:
        self.table.focus()
        self.redraw()

    def redraw(self) -> None:
        self.title = _("My invoices")
        super().redraw()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        super().show_snapshot(snapshot)
        self._index.update(snapshot.invoices)
        self._show()

    def _show(self, *, first: bool = False) -> None:
        """Apply the query to the snapshot; the cursor stays on the same invoice (`first`: a
        new filter, the cursor goes to the first match)."""
        snapshot = self.session.snapshot
        if snapshot is None:
            return
        table = self.table
        rows = apply(snapshot.invoices, self.query_state, self._index, today=self.today())
        if not rows and snapshot.invoices:
            empty = _("No invoice matches this filter (Escape clears it).")
        else:
            empty = _("There are no invoices on this account.")
        if first:
            self._cursor_id = rows[0].id if rows else None
        table.set_rows(rows, keep=self._cursor_id, first=first, empty=empty)
        table.set_sort(self.query_state.sort, self.query_state.reverse)
        self._show_state(snapshot, rows)

    def _show_state(self, snapshot: Snapshot, rows: Sequence[Invoice]) -> None:
        query = self.query_state
        parts: list[str] = []
        if query.to_pay_only:
            parts.append(_("to pay only"))
        if query.regie is not None:
            parts.append(_("régie: {name}").format(name=query.regie or _("(no régie)")))
        if query.person is not None:
            parts.append(_("child: {name}").format(name=query.person))
        if query.sort is not None:
            arrow = "▼" if query.reverse else "▲"
            parts.append(
                _("sorted by {column} {arrow}").format(
                    column=_(SORT_TITLES[query.sort]), arrow=arrow
                )
            )
        if self._busy:
            parts.insert(0, _("⟳ refreshing…"))
        # The régie's name is the site's: shown as it is, never as markup.
        self.query_one("#query-state", Static).update(literal(" · ".join(parts)))
        total = len(snapshot.invoices)
        summary = ngettext(
            "{shown} of {total} invoice", "{shown} of {total} invoices", total
        ).format(shown=len(rows), total=total)
        summary += " · " + _("to pay: {amount}").format(amount=money(total_owed(rows)))
        if not snapshot.complete and not self.session.offline:  # offline: nothing will come
            summary += " · " + loading_text(snapshot.details_loaded, total)
        if any(invoice.is_overdue(self.today()) for invoice in rows):
            summary += " · " + _("! overdue")
        as_of = self.as_of_text()  # shown from the store: when it was read
        if as_of:
            summary = f"{as_of} · {summary}"
        self.query_one("#invoices-summary", Static).update(literal(summary))

    def _change(self, *, first: bool = False, **changes: object) -> None:
        self.query_state = replace(self.query_state, **changes)  # type: ignore[arg-type]
        self._show(first=first)

    def set_busy(self, busy: bool) -> None:
        """A refresh keeps the rows on screen and usable: the status line says it is busy."""
        super().set_busy(busy)
        self._busy = busy
        snapshot = self.session.snapshot
        if snapshot is not None:
            self._show_state(snapshot, self.table.rows)

    # -- keys ---------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_key(self, event: events.Key) -> None:
        # Type a number to filter: digits (numbers, amounts, dates) go to the filter. This also
        # keeps "/651" typed quickly whole: keys read before the "/" action moved the focus are
        # sent to the table, which ignores them (the filter, once focused, stops its own keys).
        # Letters are left alone, so a stray key never traps the user's keys in the filter.
        character = event.character
        if character is None or not character.isdigit() or event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        filter_input = self.query_one("#filter", Input)
        filter_input.focus()
        filter_input.insert_text_at_cursor(character)

    def action_to_pay(self) -> None:
        self._change(to_pay_only=not self.query_state.to_pay_only)

    def action_regie(self) -> None:
        """Cycle through the régies (then every régie again)."""
        snapshot = self.session.snapshot
        names = list(dict.fromkeys(regie_name(i) for i in snapshot.invoices)) if snapshot else []
        current = self.query_state.regie
        position = names.index(current) + 1 if current in names else 0
        self._change(regie=names[position] if position < len(names) else None)

    def action_child(self) -> None:
        """Cycle through the children the loaded lines name (then everyone again)."""
        snapshot = self.session.snapshot
        known = people(snapshot.invoices) if snapshot else []
        self._change(person=next_person(self.query_state.person, known))

    @staticmethod
    def children_named(context: ScreenContext) -> bool:
        """Whether the loaded lines name anyone (the palette offers "Next child" then)."""
        snapshot = context.session.snapshot
        return snapshot is not None and bool(people(snapshot.invoices))

    @staticmethod
    def next_child(app: App[Any], context: ScreenContext) -> None:
        """The palette's "Next child": on the list, the next child; elsewhere, the list of the
        first child's invoices."""
        screen = app.screen
        if isinstance(screen, InvoicesScreen):
            screen.action_child()
            return
        snapshot = context.session.snapshot
        first = next_person(None, people(snapshot.invoices) if snapshot else [])
        app.push_screen(InvoicesScreen(context, person=first))

    def action_sort(self) -> None:
        self._change(sort=next_sort(self.query_state.sort), reverse=False)

    def action_reverse(self) -> None:
        self._change(reverse=not self.query_state.reverse)

    def action_back(self) -> None:
        # Escape in the filter goes back to the list (the filter stays); in the list, it
        # clears the filter first, then goes back.
        filter_input = self.query_one("#filter", Input)
        if self.focused is filter_input:
            self.table.focus()
        elif self.query_state.text:
            filter_input.value = ""
            self._change(first=True, text="")
        else:
            super().action_back()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        if event.value != self.query_state.text:
            self._change(first=True, text=event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.table.focus()

    @on(InvoiceTable.HeaderClicked)
    def header_clicked(self, event: InvoiceTable.HeaderClicked) -> None:
        same = event.key == self.query_state.sort
        self._change(sort=event.key, reverse=not self.query_state.reverse if same else False)

    @on(InvoiceTable.Highlighted)
    def cursor_moved(self, event: InvoiceTable.Highlighted) -> None:
        self._cursor_id = event.invoice.id

    @on(InvoiceTable.Selected)
    def open_invoice(self, event: InvoiceTable.Selected) -> None:
        self._cursor_id = event.invoice.id
        self.post_message(self.OpenInvoice(event.invoice.id))
