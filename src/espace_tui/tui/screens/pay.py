"""The payment screen: confirm, then open PayFiP in the browser, or show the address another way.

Nothing is paid here: the screen only hands a checked PayFiP address to the user's browser once
the user confirms. Where no browser can open (no display, an SSH session), the same screen shows
the address as a terminal link, copies it on `c` (OSC 52, through the terminal), and draws it
as a QR code so the parent pays from a phone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import ClassVar
from urllib.parse import urlsplit

from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Button, Static
from textual.worker import Worker, WorkerState

from espace_tui.account.portals import PAYFIP_HOSTS, PaymentRequest, describe_payment
from espace_tui.account.services import Opener
from espace_tui.core.errors import EspaceError
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice
from espace_tui.tui.problems import problem_for
from espace_tui.tui.safe import literal, literal_text, notify, plain
from espace_tui.tui.texts import money, payment_check_text
from espace_tui.tui.widgets.qr import QUIET_ZONES, QRCode

__all__ = ["Opener", "PayScreen"]

# The fallback's frame, in cells; keep in step with DEFAULT_CSS below. The QR code is shown only
# when it fits whole beside a readable text column.
_FRAME_WIDTH = 4  # round border (2) + horizontal padding (2)
_FRAME_HEIGHT = 2  # round border
_TEXT_MIN_WIDTH = 36
_GAP = 1  # margin-left of the QR code


class Step(Enum):
    """Where the payment stands on this screen."""

    CONFIRM = "confirm"
    OPENING = "opening"
    FALLBACK = "fallback"


def amount_due(invoice: Invoice) -> str:
    """What the invoice still asks for (its total when the page does not say), `23,20 €`."""
    due = invoice.remaining if invoice.remaining is not None else invoice.amount
    return money(due)


class PayScreen(ModalScreen[bool]):
    """Confirm a payment on PayFiP, then open it or show it; dismissed with True once a browser
    took the address, False otherwise (cancelled, or closed after the fallback)."""

    DEFAULT_CSS = """
    PayScreen {
        align: center middle;
    }
    PayScreen #pay-dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        padding: 0 1;
        overflow-y: auto;
    }
    PayScreen.-fallback #pay-dialog {
        width: 100%;
    }
    PayScreen #pay-confirm, PayScreen #pay-fallback, PayScreen #pay-text {
        height: auto;
    }
    PayScreen #pay-fallback {
        display: none;
    }
    PayScreen.-fallback #pay-confirm {
        display: none;
    }
    PayScreen.-fallback #pay-fallback {
        display: block;
    }
    PayScreen #pay-text {
        width: 1fr;
        min-width: 36;
    }
    PayScreen #pay-qr {
        margin-left: 1;
    }
    PayScreen #pay-heading {
        text-style: bold;
        margin-bottom: 1;
    }
    PayScreen #pay-link {
        margin: 1 0;
    }
    PayScreen .pay-warning {
        color: $warning;
        text-style: bold;
    }
    PayScreen #pay-too-small {
        color: $warning;
        margin-top: 1;
    }
    PayScreen .pay-note {
        color: $text-muted;
        margin-top: 1;
    }
    PayScreen .pay-buttons {
        height: auto;
        margin-top: 1;
    }
    PayScreen .pay-buttons Button {
        margin-right: 2;
    }
    """

    # No descriptions: a modal screen has no footer; the keys are documented in `keys.py`.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", show=False, id="pay.confirm"),
        Binding("y", "confirm", show=False, id="pay.confirm.yes"),
        Binding("escape", "cancel", show=False, id="pay.cancel"),
        Binding("n", "cancel", show=False, id="pay.cancel.no"),
        Binding("c", "copy", show=False, id="pay.copy"),
        Binding("r", "check", show=False, id="pay.check"),
    ]

    def __init__(
        self,
        invoice: Invoice,
        url: str,
        *,
        opener: Opener,
        check: Callable[[], Awaitable[Invoice]] | None = None,
    ) -> None:
        super().__init__()
        self.check = check
        """Reads the invoice's state again on the portal (key r, once back from PayFiP)."""
        self.invoice = invoice
        """The invoice being paid."""
        self.url = url
        """The PayFiP address, already checked by `check_payment_url`."""
        self.opener = opener
        self.step = Step.CONFIRM
        self.request: PaymentRequest | None
        self.problem: str | None = None
        """Why the address cannot be read, in which case nothing can be confirmed."""
        try:
            self.request = describe_payment(url)
        except (EspaceError, ValueError) as error:
            self.request = None
            self.problem = str(error) or _("The payment address cannot be read.")

    # ---- building -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The invoice's words, the reference and the object are the site's: every text here
        # reaches its widget through `safe` (literal, never markup, no control character).
        with Vertical(id="pay-dialog") as dialog:
            dialog.border_title = literal(_("Pay an invoice"))
            with Vertical(id="pay-confirm"):
                yield Static(self._invoice_title(), id="pay-heading")
                yield Static(self._facts(), id="pay-facts")
                if self.request and self.request.is_test:
                    yield Static(
                        literal(_("This is a TEST payment: no real payment is made.")),
                        classes="pay-warning",
                        id="pay-test",
                    )
                if warning := self._amount_warning():
                    yield Static(literal(warning), classes="pay-warning")
                if self.problem:
                    yield Static(literal(self.problem), classes="pay-warning")
                yield Static(literal(self._what_happens()), classes="pay-note")
                with Horizontal(classes="pay-buttons"):
                    yield Button(
                        literal(_("Pay on PayFiP")),
                        variant="primary",
                        id="pay-confirm-button",
                        disabled=self.problem is not None,
                    )
                    yield Button(literal(_("Cancel")), id="pay-cancel-button")
            with Horizontal(id="pay-fallback"):
                with Vertical(id="pay-text"):
                    yield Static(
                        literal(_("No browser could be opened here.")), id="pay-fallback-heading"
                    )
                    yield Static(
                        literal(
                            _(
                                "Scan the QR code with a phone, or open this address in a "
                                "browser (click it, or press c to copy it):"
                            )
                        )
                    )
                    yield Static(self._link(), id="pay-link")
                    yield Static(self._reminder(), id="pay-reminder")
                    yield Static(id="pay-too-small")
                    yield Static(
                        literal(_("Paid on your phone? Press r to check it on the portal.")),
                        id="pay-status",
                        classes="pay-note",
                    )
                    with Horizontal(classes="pay-buttons"):
                        yield Button(literal(_("Copy the address")), id="pay-copy-button")
                        yield Button(literal(_("Close")), id="pay-close-button")
                yield QRCode(self.url, id="pay-qr")

    def on_mount(self) -> None:
        self.query_one("#pay-too-small").display = False
        button = self.query_one("#pay-confirm-button", Button)
        (self.query_one("#pay-cancel-button") if button.disabled else button).focus()

    def _what_happens(self) -> str:
        """What confirming will do here: open the browser, or show the address and a QR code
        (an opener that cannot tell beforehand gets both said)."""
        can_open = getattr(self.opener, "can_open_url", None)
        if can_open is None:
            return _(
                "PayFiP, the public treasury's payment site, opens in your browser; where no "
                "browser can open here, its address and a QR code are shown instead. Nothing "
                "is paid until you pay there."
            )
        if can_open():
            return _(
                "Your browser will open PayFiP, the public treasury's payment site. "
                "Nothing is paid until you pay there."
            )
        return _(
            "No browser can open here: the PayFiP address will be shown, with a QR code to "
            "scan with a phone. Nothing is paid until you pay there."
        )

    def _invoice_title(self) -> Text:
        parts = [_("Invoice {number}").format(number=self.invoice.number or self.invoice.id)]
        if self.invoice.label:
            parts.append(self.invoice.label)
        return literal_text(" · ".join(parts))

    def _facts(self) -> Table:
        """Amount, reference and address, as a two-column grid (site words kept as they are:
        each cell a literal Text, since Rich reads a `str` cell as markup)."""
        request = self.request
        unknown = _("not stated")
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()

        def row(label: str, value: str, style: str = "") -> None:
            grid.add_row(literal_text(label), literal_text(value, style))

        row(_("Amount due"), amount_due(self.invoice), "bold")
        row(
            _("PayFiP will ask for"),
            money(request.amount if request else None, unknown=_("shown on PayFiP")),
            "bold",
        )
        row(_("Reference"), (request.refdet if request else None) or unknown)
        if request and request.objet:
            row(_("Object"), request.objet)
        row(_("Invoice number"), self.invoice.number or unknown)
        row(_("Régie"), self.invoice.regie_name or unknown)
        row(_("Payment site"), self._site())
        if request and request.is_test:
            row(_("Mode"), _("test: no real payment is made"))
        return grid

    def _site(self) -> str:
        parts = urlsplit(self.url)
        host = (parts.hostname or "").lower()
        if host in PAYFIP_HOSTS:
            return _("{host} (PayFiP)").format(host=parts.netloc)
        if self.request and self.request.test_site:
            return _("{host} (PayFiP's test site)").format(host=parts.netloc)
        return _("{host} (the demo portal's PayFiP page)").format(host=parts.netloc)

    def _amount_warning(self) -> str | None:
        due = self.invoice.remaining if self.invoice.remaining is not None else self.invoice.amount
        asked = self.request.amount if self.request else None
        if due is None or asked is None or due == asked:
            return None
        return _(
            "PayFiP asks for another amount than the invoice shows: check it on PayFiP before "
            "paying."
        )

    def _link(self) -> Content:
        # A terminal hyperlink (OSC 8): the user's own terminal opens it, even over SSH. The
        # whole address is shown too, so it can be read or selected where links do not work.
        # The address was checked (plain ASCII, no control character); were it not, it would
        # be shown as text only, never handed to the terminal inside an escape sequence.
        if plain(self.url) != self.url or not self.url.isascii():
            return literal(self.url)
        return Content.styled(self.url, Style(link=self.url, underline=True))

    def _reminder(self) -> Text:
        reference = (self.request.refdet if self.request else None) or self.invoice.number or ""
        return literal_text(
            _("{amount} · reference {reference}").format(
                amount=amount_due(self.invoice), reference=reference
            )
        )

    # ---- actions --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "check":
            return self.step is Step.FALLBACK and self.check is not None
        if action == "confirm":
            return self.step is Step.CONFIRM and self.problem is None
        if action == "copy":
            return self.step is Step.FALLBACK
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "pay-confirm-button": self.action_confirm,
            "pay-cancel-button": self.action_cancel,
            "pay-copy-button": self.action_copy,
            "pay-close-button": self.action_cancel,
        }
        if event.button.id in actions:
            actions[event.button.id]()

    def action_confirm(self) -> None:
        """The user said yes: hand the address to the browser (once)."""
        if self.step is not Step.CONFIRM or self.problem is not None:
            return
        self.step = Step.OPENING
        self.query_one("#pay-confirm-button", Button).disabled = True
        self._open_in_browser()

    def action_cancel(self) -> None:
        if self.is_current:  # a burst of keys (Escape, n) must not close twice
            self.dismiss(False)

    def action_copy(self) -> None:
        if self.step is not Step.FALLBACK:
            return
        self.app.copy_to_clipboard(self.url)
        notify(self, _("The address was copied to the clipboard."))

    def action_check(self) -> None:
        """Read the invoice's state again and say whether it is now paid (key r)."""
        if self.check is not None and self.step is Step.FALLBACK:
            self.query_one("#pay-status", Static).update(literal(_("Checking on the portal…")))
            self._check()

    @work(exclusive=True, group="pay-check", exit_on_error=False)
    async def _check(self) -> None:
        assert self.check is not None
        invoice = await self.check()
        self.invoice = invoice
        self.query_one("#pay-status", Static).update(literal(payment_check_text(invoice)))

    @work(thread=True, exclusive=True, group="pay-open", exit_on_error=False)
    def _open_in_browser(self) -> bool:
        # In a thread: starting a browser can take a moment, and the screen must stay drawn.
        return self.opener.open_url(self.url)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "pay-check" and event.state is WorkerState.ERROR:
            error = event.worker.error
            message = problem_for(error).message if error is not None else ""
            self.query_one("#pay-status", Static).update(literal(message))
            return
        if event.worker.group != "pay-open":
            return
        if event.state is WorkerState.SUCCESS:
            self._opened(bool(event.worker.result))
        elif event.state is WorkerState.ERROR:
            self._opened(False)  # a broken browser set-up means "not opened": show the fallback

    def _opened(self, opened: bool) -> None:
        if self.step is not Step.OPENING or not self.is_attached:
            return  # closed meanwhile
        if opened:
            notify(self.app, _("The PayFiP page is open in your browser."))
            self.dismiss(True)
            return
        self._show_fallback()

    # ---- fallback -------------------------------------------------------------------------

    def _show_fallback(self) -> None:
        self.step = Step.FALLBACK
        self.query_one("#pay-dialog").border_title = literal(_("Pay on PayFiP"))
        self.add_class("-fallback")
        self._fit_qr(self.size)
        self.query_one("#pay-copy-button", Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.step is Step.FALLBACK:
            self._fit_qr(event.size)

    def _fit_qr(self, screen: Size) -> None:
        """Show the QR code whole, or say plainly why it is not shown."""
        qr = self.query_one("#pay-qr", QRCode)
        notice = self.query_one("#pay-too-small", Static)
        available = Size(
            screen.width - _FRAME_WIDTH - _TEXT_MIN_WIDTH - _GAP, screen.height - _FRAME_HEIGHT
        )
        zone = qr.quiet_zone_to_fit(available)
        if zone is not None:
            qr.quiet_zone = zone
            qr.display = True
            notice.display = False
            return
        qr.display = False
        notice.display = True
        if qr.version is None:
            notice.update(
                literal(_("The address is too long for a QR code: open it or copy it (c) instead."))
            )
            return
        smallest = qr.cells_needed(min(QUIET_ZONES))
        notice.update(
            literal(
                _(
                    "The window is too small for the QR code: it needs {width}×{height} "
                    "characters, this one has {columns}×{rows}. Enlarge the window, or open or "
                    "copy (c) the address above."
                ).format(
                    width=smallest.width + _FRAME_WIDTH + _TEXT_MIN_WIDTH + _GAP,
                    height=smallest.height + _FRAME_HEIGHT,
                    columns=screen.width,
                    rows=screen.height,
                )
            )
        )
