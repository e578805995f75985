"""An invoice's detail: its facts, its lines (grouped by child, with a subtotal for each),
what to do; keys to save, open and pay it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import DataTable, Header, Static

from espace_tui.account.session import PaymentRequest, Snapshot, pay_without_portal
from espace_tui.account.summary import lines_by_person
from espace_tui.core.advice import advice
from espace_tui.core.formats import format_date
from espace_tui.core.i18n import N_, _
from espace_tui.core.model import Invoice
from espace_tui.tui.context import ScreenContext
from espace_tui.tui.safe import literal, literal_markup, literal_text, notify
from espace_tui.tui.screens.base import EspaceScreen
from espace_tui.tui.styles import invoice_style
from espace_tui.tui.texts import is_settled, money, payment_check_text
from espace_tui.tui.widgets.footer import EspaceFooter
from espace_tui.tui.widgets.problem_bar import ProblemBar


def _quantity(value: object) -> str:
    return "" if value is None else f"{value}".replace(".", ",")


class DetailScreen(EspaceScreen):
    """Shows one invoice of the snapshot; `d` saves its PDF, `o` opens it, `p` pays."""

    CSS_PATH = Path(__file__).with_suffix(".tcss")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "save", N_("Save PDF"), id="save"),
        Binding("o", "open", N_("Open PDF"), id="open"),
        Binding("p", "pay", N_("Pay"), id="pay"),
    ]

    @dataclass
    class Pay(Message):
        """The user asked to pay this invoice, and the portal gave this checked address: the
        app opens the payment dialog."""

        invoice: Invoice
        url: str

    def __init__(self, context: ScreenContext, invoice_id: str) -> None:
        super().__init__(context)
        self.invoice_id = invoice_id
        self._rendered: Invoice | None = None
        self._paying = False
        """The payment page was opened: the next refresh says whether the invoice is paid."""
        self.treasury: PaymentRequest | None = None
        """For an invoice sent to the Trésor Public: its payment address's numbers (asked for
        when the invoice is opened), to pay it without the portal."""

    @property
    def invoice(self) -> Invoice:
        snapshot = self.session.snapshot
        found = snapshot.invoice(self.invoice_id) if snapshot else None
        return found or Invoice(id=self.invoice_id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="as-of")  # above the scroll: always seen
        with VerticalScroll(id="detail", classes="busy-target"):
            yield Static(id="detail-title")
            yield Static(id="facts")
            yield Static(id="treasury")
            yield Static(id="advice")
            yield Static(literal(_("Lines")), classes="section-title")
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
        yield ProblemBar(id="problem")
        yield EspaceFooter()

    def on_mount(self) -> None:
        self.query_one("#lines", DataTable).focus()
        self.redraw()
        if self.session.offline:
            return  # what the store holds is all there is: the portal is never asked
        if self.invoice.detail is None:
            self.reload()  # the list came without this detail: fetch it now
        else:
            self.load_treasury()

    def redraw(self) -> None:
        self._rendered = None  # the widgets are new (mount, language switch): fill them
        super().redraw()
        if self._rendered is None:
            self._render_invoice()

    def show_snapshot(self, snapshot: Snapshot) -> None:
        super().show_snapshot(snapshot)
        self._show_as_of()
        # Other invoices' details arriving change nothing here (and keep the lines' cursor).
        if self.invoice is not self._rendered:
            self._render_invoice()

    def _render_invoice(self) -> None:
        # Every value here but the dates and amounts is the site's words: each reaches its
        # widget through `safe` (literal, never markup; the Header's title too, see the app).
        invoice, today = self.invoice, self.today()
        self._rendered = invoice
        detail = invoice.detail
        self.title = (detail.title if detail else None) or _("Invoice {number}").format(
            number=invoice.number or invoice.id
        )
        self.query_one("#detail-title", Static).update(
            literal_markup("[b]$title[/b]", title=self.title)
        )
        state = literal(invoice.status_label or _("unknown"), invoice_style(invoice, today))
        facts: list[tuple[str, Content | str]] = [
            (_("Number"), invoice.number or "—"),
            (_("Period"), invoice.label or "—"),
            (_("Régie"), invoice.regie_name or "—"),
            (_("Payer"), invoice.payer or "—"),
            (_("Issued on"), format_date(invoice.issued_on)),
            (_("Pay before"), format_date(invoice.due_on)),
            (_("Total"), money(invoice.amount)),
            (_("Still due"), money(invoice.remaining)),
            (_("State"), state),
            (_("Payment mode"), (detail.payment_mode_label if detail else None) or "—"),
        ]
        # "{label}:" is translated too: French sets a space before the colon.
        labels = [_("{label}:").format(label=label) for label, _value in facts]
        width = max(len(label) for label in labels) + 1
        text = Content("\n").join(
            literal(label.ljust(width)) + (literal(value) if isinstance(value, str) else value)
            for label, (_label, value) in zip(labels, facts, strict=True)
        )
        self.query_one("#facts", Static).update(text)
        self._render_treasury()
        self.query_one("#advice", Static).update(
            literal(
                advice(invoice, today, pay_online=_("with the key p")),
                invoice_style(invoice, today),
            )
        )
        lines = self.query_one("#lines", DataTable)
        lines.clear(columns=True)
        for title in (_("Person"), _("Service"), _("Quantity"), _("Unit price"), _("Amount")):
            lines.add_column(literal_text(title))
        # A `str` cell of a DataTable is read as markup: every cell is a literal Text.
        groups = lines_by_person(invoice.detail.lines if invoice.detail else ())
        # Grouped by child when the lines are for more than one (a single child's subtotal
        # would only repeat the total), each group closed by its subtotal.
        grouped = len(groups) > 1 and any(group.person for group in groups)
        for group in groups:
            for line in group.lines:
                lines.add_row(
                    literal_text(line.person or ""),
                    literal_text(line.service or ""),
                    literal_text(_quantity(line.quantity), justify="right"),
                    literal_text(money(line.unit_price, unknown=""), justify="right"),
                    literal_text(money(line.amount, unknown=""), justify="right"),
                )
            if grouped:
                lines.add_row(
                    literal_text(group.person or _("(no one named)"), "bold"),
                    literal_text(_("Subtotal"), "bold"),
                    literal_text(""),
                    literal_text(""),
                    literal_text(money(group.subtotal), "bold", justify="right"),
                )

    def _show_as_of(self) -> None:
        text = self.as_of_text()
        mark = self.query_one("#as-of", Static)
        mark.display = bool(text)
        style = "[b $warning]$text[/]" if self.session.offline else "[dim]$text[/]"
        mark.update(literal_markup(style, text=text))

    def _render_treasury(self) -> None:
        treasury, box = self.treasury, self.query_one("#treasury", Static)
        box.display = treasury is not None
        if treasury is None:
            return
        facts = [
            (_("Collectivity number"), treasury.numcli or "—"),
            (_("Reference"), treasury.refdet or "—"),
        ]
        labels = [_("{label}:").format(label=label) for label, _value in facts]
        width = max(len(label) for label in labels) + 1
        box.update(
            Content("\n").join(
                [
                    *(
                        literal(label.ljust(width)) + literal(value)
                        for label, (_label, value) in zip(labels, facts, strict=True)
                    ),
                    literal(pay_without_portal(treasury)),
                ]
            )
        )

    @work(exclusive=True, group="treasury", exit_on_error=False)
    async def load_treasury(self) -> None:
        """The numbers of an invoice sent to the Trésor Public, from its payment address."""
        self.treasury = await self.session.treasury_reference(self.invoice)
        self._render_treasury()

    # -- keys ---------------------------------------------------------------------------

    @work(exclusive=True, group="load", exit_on_error=False)
    async def reload(self) -> None:
        """Fetch this invoice's detail again (key r)."""
        self.clear_problem()
        self.set_busy(True)
        invoice = await self.session.reload_invoice(self.invoice_id)
        self.set_busy(False)
        if self.session.snapshot is not None:
            self.show_snapshot(self.session.snapshot)
        if self._paying:  # back from PayFiP: say what the portal now shows
            self._paying = not is_settled(invoice)
            notify(self, payment_check_text(invoice), timeout=10)
        self.load_treasury()

    @work(exclusive=True, group="pdf", exit_on_error=False)
    async def action_save(self) -> None:
        if self.needs_portal():
            return
        saved = await self.session.save_pdf(self.invoice)
        # The file's name may hold the site's words: `notify` shows them as they are.
        if getattr(self.app, "delivers_to_browser", False):
            notify(self, _("Sent to your browser: {name}").format(name=saved.path.name))
        elif saved.already_there:
            notify(self, _("Already saved: {path}").format(path=saved.path))
        else:
            notify(self, _("Saved: {path}").format(path=saved.path))

    @work(exclusive=True, group="pdf", exit_on_error=False)
    async def action_open(self) -> None:
        if self.needs_portal():
            return
        path = await self.session.pdf_path(self.invoice)
        if self.context.opener.open_file(path):
            if getattr(self.app, "delivers_to_browser", False):
                notify(self, _("Opened in your browser: {name}").format(name=path.name))
            else:
                notify(self, _("Opened {path}").format(path=path))
        else:
            notify(
                self,
                _("No PDF viewer could be started here. The file is saved at {path}").format(
                    path=path
                ),
                severity="warning",
                timeout=10,
            )

    @work(exclusive=True, group="pay", exit_on_error=False)
    async def action_pay(self) -> None:
        if self.needs_portal():
            return
        invoice = self.invoice
        url = await self.session.payment_url(invoice)  # NothingToDo, UnsafePaymentAddress, …
        self.post_message(self.Pay(invoice, url))

    @property
    def paying(self) -> bool:
        """The payment page was opened and the portal does not yet show the invoice paid."""
        return self._paying

    def paid(self, opened: bool | None) -> None:
        """The payment dialog closed (`opened`: the browser took the address)."""
        if opened:
            self._paying = True
            notify(
                self,
                _("The payment page is open in your browser. Press r here once you have paid."),
            )
