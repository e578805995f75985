"""What is owed: the one rule the dashboard, the list's footer and the commands all use.

An invoice is owed when its state asks the family to pay (unpaid, or sent to the Trésor Public)
and something is still due on it; what it owes is what is still due, counted once. An invoice
sent to the Trésor Public with 0,00 € left owes nothing, and a direct debit is the bank's to pay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from espace_tui.core.model import Invoice

ZERO = Decimal("0.00")


def still_due(invoice: Invoice) -> Decimal:
    """What this invoice still asks the family to pay (0,00 € when nothing)."""
    remaining = invoice.remaining
    if not invoice.status.to_pay or remaining is None or remaining <= 0:
        return ZERO
    return remaining


def is_owed(invoice: Invoice) -> bool:
    """Whether the family still has something to pay on this invoice."""
    return still_due(invoice) > 0


@dataclass(frozen=True, slots=True)
class Owed:
    """What the family still has to pay."""

    total: Decimal
    count: int
    """How many invoices still ask for something."""
    overdue: int
    """How many of them are past their due date."""
    next_due: date | None
    """The nearest due date from today on, among them."""


def owed(invoices: Iterable[Invoice], today: date) -> Owed:
    """The total and count of what is still to pay, how many are overdue, the next due date."""
    owing = [invoice for invoice in invoices if is_owed(invoice)]
    upcoming = [i.due_on for i in owing if i.due_on is not None and i.due_on >= today]
    return Owed(
        total=sum((still_due(i) for i in owing), ZERO),
        count=len(owing),
        overdue=sum(1 for i in owing if i.is_overdue(today)),
        next_due=min(upcoming, default=None),
    )


def total_owed(invoices: Iterable[Invoice]) -> Decimal:
    """What the given invoices still ask for (the list's footer)."""
    return sum((still_due(i) for i in invoices), ZERO)


@dataclass(frozen=True, slots=True)
class RegieLine:
    """One billing office: its invoices and what is still to pay there."""

    name: str
    count: int
    to_pay_count: int
    to_pay: Decimal


def regie_name(invoice: Invoice) -> str:
    """The invoice's régie name; invoices with none are grouped under an empty name."""
    return invoice.regie_name or ""


def group_by_regie(invoices: Iterable[Invoice]) -> dict[str, list[Invoice]]:
    """The invoices of each régie, régies in the order the site first shows them."""
    groups: dict[str, list[Invoice]] = {}
    for invoice in invoices:
        groups.setdefault(regie_name(invoice), []).append(invoice)
    return groups


def by_regie(invoices: Iterable[Invoice]) -> list[RegieLine]:
    """One line per régie, in the order the site first shows them."""
    return [
        RegieLine(
            name=name,
            count=len(group),
            to_pay_count=sum(1 for i in group if is_owed(i)),
            to_pay=total_owed(group),
        )
        for name, group in group_by_regie(invoices).items()
    ]
