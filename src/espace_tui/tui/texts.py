"""Words more than one screen says."""

from __future__ import annotations

from decimal import Decimal

from espace_tui.account.owed import still_due
from espace_tui.core.formats import format_money
from espace_tui.core.i18n import _, ngettext
from espace_tui.core.model import Invoice, Status


def loading_text(done: int, total: int) -> str:
    """Said while a long list's details are still coming (due dates may be missing)."""
    return ngettext(
        "Loading the details: {done} of {total} invoice…",
        "Loading the details: {done} of {total} invoices…",
        total,
    ).format(done=done, total=total)


def money(amount: Decimal | None, *, unknown: str = "—") -> str:
    """An amount as the screens show it: `1 234,56 €` with no-break spaces, so a wrapped
    sentence or a narrow column never parts the figures from their `€`."""
    return format_money(amount, unknown=unknown, no_break=True)


def is_settled(invoice: Invoice) -> bool:
    """Whether the portal now shows nothing left to pay on the invoice (paid, or 0,00 € due)."""
    if invoice.status is Status.PAID:
        return True
    return invoice.status.to_pay and invoice.remaining is not None and still_due(invoice) == 0


def payment_check_text(invoice: Invoice) -> str:
    """What the portal says of an invoice once the user is back from PayFiP."""
    number = invoice.number or invoice.id
    if is_settled(invoice):
        return _("Invoice {number} is now paid.").format(number=number)
    return _(
        "Invoice {number} is not paid yet on the portal ({state}, {amount} still due). A payment "
        "made on PayFiP can take a few minutes to show: press r again later."
    ).format(
        number=number,
        state=invoice.status_label or _("unknown"),
        amount=money(still_due(invoice) or invoice.remaining),
    )
