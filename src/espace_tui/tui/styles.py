"""The one mapping from an invoice's state to how it looks.

The styles are Textual style strings over theme variables, so a theme change recolours every
screen at once: the dashboard and the detail screen use them in `Content`, the invoice table
resolves them to Rich styles. No screen picks a state colour of its own.
"""

from __future__ import annotations

from datetime import date

from espace_tui.core.model import Invoice, Status

STATE_STYLES: dict[Status, str] = {
    Status.PAID: "$text-success",
    Status.UNPAID: "$text-error",
    Status.TREASURY: "$text-warning",
    Status.DIRECT_DEBIT: "$text-primary",
    Status.UNKNOWN: "dim",
}
"""paid green, unpaid red-ish, treasury orange, direct debit blue, unknown grey."""

OVERDUE_STYLE = "bold $text-error"
"""An invoice still to pay whose due date has passed: bold, so it stands out."""


def state_style(status: Status) -> str:
    """The style of a state."""
    return STATE_STYLES[status]


def invoice_style(invoice: Invoice, today: date) -> str:
    """The style of an invoice's state, overdue first."""
    if invoice.is_overdue(today):
        return OVERDUE_STYLE
    return state_style(invoice.status)
