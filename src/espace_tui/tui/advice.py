"""The sentence the detail screen shows under an invoice: what to do for its state."""

from __future__ import annotations

from datetime import date

from espace_tui.formats import format_date
from espace_tui.i18n import _
from espace_tui.model import Invoice, PaymentMode, Status


def advice(invoice: Invoice, today: date) -> str:
    """What the family has to do for this invoice, in one or two plain sentences."""
    status = invoice.status
    due = invoice.due_on
    if status is Status.PAID:
        return _("Already paid: nothing to do.")
    if status is Status.DIRECT_DEBIT:
        return _("Paid by direct debit: nothing to do.")
    if status is Status.TREASURY:
        return _(
            "Transmitted to the Trésor Public: pay it on PayFiP (key p), "
            "or by cheque at the trésorerie."
        )
    if status is Status.UNPAID:
        mode = invoice.detail.payment_mode if invoice.detail else PaymentMode.UNKNOWN
        if mode is PaymentMode.DIRECT_DEBIT:
            return _("It will be paid by direct debit: nothing to do.")
        if invoice.is_overdue(today):
            sentence = _("The due date ({date}) has passed: pay it now.").format(
                date=format_date(due)
            )
        elif due is not None:
            sentence = _("To pay before {date}.").format(date=format_date(due))
        else:
            sentence = _("To pay.")
        if invoice.payable_online:
            return sentence + " " + _("Pay online with the key p.")
        if mode is PaymentMode.CHEQUE:
            return sentence + " " + _("Pay by cheque at the trésorerie.")
        return sentence + " " + _("The portal offers no online payment for it.")
    return _("The portal shows a state espace-tui does not know: check it on the site.")
