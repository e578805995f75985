"""What the family has to do for an invoice, in plain sentences: one policy for the commands and
the screens, which only say differently how to pay online (a command line, or a key)."""

from __future__ import annotations

from datetime import date

from espace_tui.core.formats import clean_text, format_date, format_money
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice, PaymentMode, Status


def advice(invoice: Invoice, today: date, *, pay_online: str) -> str:
    """The sentences for `invoice` on `today`. `pay_online` says how to pay it online from
    where it is shown, e.g. "with the key p" (screens) or a command line (commands)."""
    status = invoice.status
    if status is Status.PAID:
        return _("Already paid: nothing to do.")
    if status is Status.DIRECT_DEBIT:
        if invoice.remaining is not None and invoice.remaining > 0:
            # "En cours de prélèvement", "Prélèvement automatique": not paid yet, but the bank
            # will take it; the family only has to keep the account funded.
            return _(
                "A direct debit of {amount} is under way: your bank account will be debited, "
                "there is nothing to pay by hand."
            ).format(amount=format_money(invoice.remaining, no_break=True))
        return _("Paid by direct debit: nothing to do.")
    if status is Status.UNKNOWN:
        return _(
            "The portal shows a state espace-tui does not know ({words}): check it on the site."
        ).format(words=clean_text(invoice.status_label) or "?")
    if invoice.remaining is not None and invoice.remaining <= 0:
        return _("Nothing is left to pay on this invoice.")
    mode = invoice.detail.payment_mode if invoice.detail else PaymentMode.UNKNOWN
    if mode is PaymentMode.DIRECT_DEBIT and not invoice.payable_online:
        return _("It will be paid by direct debit: nothing to do.")

    due = invoice.due_on
    parts = [_("Transmitted to the Trésor Public.")] if status is Status.TREASURY else []
    if invoice.is_overdue(today):
        parts.append(
            _("The due date ({date}) has passed: pay it now.").format(date=format_date(due))
        )
    elif due is not None:
        parts.append(_("To pay before {date}.").format(date=format_date(due)))
    if invoice.payable_online and status is Status.TREASURY:
        parts.append(
            _("Pay it on PayFiP {how}, or by cheque at the trésorerie.").format(how=pay_online)
        )
    elif invoice.payable_online:
        parts.append(_("Pay it online on PayFiP {how}.").format(how=pay_online))
    elif status is Status.TREASURY or mode is PaymentMode.CHEQUE:
        parts.append(_("Pay it by cheque at the trésorerie."))
    else:
        parts.append(_("The portal offers no online payment for it: pay it as the régie says."))
    return " ".join(parts)
