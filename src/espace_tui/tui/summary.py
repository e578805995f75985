"""What the dashboard sums up from the invoices: what is owed now, and a line per régie.

Pure functions over model objects (no Textual), so they are tested without a screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from espace_tui.i18n import ngettext
from espace_tui.model import Invoice


@dataclass(frozen=True, slots=True)
class Owed:
    """What the family still has to pay (invoices unpaid or transmitted to the Trésor Public)."""

    total: Decimal
    count: int
    overdue: int
    """How many of them are past their due date."""
    next_due: date | None
    """The nearest due date from today on, among the invoices still to pay."""


@dataclass(frozen=True, slots=True)
class RegieLine:
    """One billing office: its invoices and what is still to pay there."""

    name: str
    count: int
    to_pay_count: int
    to_pay: Decimal


def _owed_amount(invoice: Invoice) -> Decimal:
    return invoice.remaining if invoice.remaining is not None else Decimal("0.00")


def owed(invoices: Iterable[Invoice], today: date) -> Owed:
    """Total and count of the invoices to pay, how many are overdue, and the next due date."""
    to_pay = [invoice for invoice in invoices if invoice.status.to_pay]
    upcoming = [i.due_on for i in to_pay if i.due_on is not None and i.due_on >= today]
    return Owed(
        total=sum((_owed_amount(i) for i in to_pay), Decimal("0.00")),
        count=len(to_pay),
        overdue=sum(1 for i in to_pay if i.is_overdue(today)),
        next_due=min(upcoming, default=None),
    )


def regie_name(invoice: Invoice) -> str:
    """The invoice's régie name; invoices with none are grouped under an empty name."""
    return invoice.regie_name or ""


def by_regie(invoices: Iterable[Invoice]) -> list[RegieLine]:
    """One line per régie, in the order the site first shows them."""
    lines: dict[str, list[Invoice]] = {}
    for invoice in invoices:
        lines.setdefault(regie_name(invoice), []).append(invoice)
    result: list[RegieLine] = []
    for name, group in lines.items():
        to_pay = [i for i in group if i.status.to_pay]
        result.append(
            RegieLine(
                name=name,
                count=len(group),
                to_pay_count=len(to_pay),
                to_pay=sum((_owed_amount(i) for i in to_pay), Decimal("0.00")),
            )
        )
    return result


def loading_text(done: int, total: int) -> str:
    """Said while a long list's details are still coming (due dates may be missing)."""
    return ngettext(
        "Loading the details: {done} of {total} invoice…",
        "Loading the details: {done} of {total} invoices…",
        total,
    ).format(done=done, total=total)
