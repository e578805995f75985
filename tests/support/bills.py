"""Invoices written out as the client's model holds them once read, for the tests of what they
add up to (summary, statement): no parser in between."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from espace_tui.core.model import Invoice, InvoiceDetail, InvoiceLine, Regie
from espace_tui.mock.data import MockInvoice

SCHOOL = Regie("1", "PÉRISCOLAIRE")
MUSIC = Regie("2", "CONSERVATOIRE")
D = Decimal


def bill(
    number: str,
    words: str,
    total: str | None,
    remaining: str | None,
    *,
    regie: Regie = SCHOOL,
    issued: date | None = date(2026, 3, 31),
    lines: tuple[InvoiceLine, ...] = (),
) -> Invoice:
    row = Invoice(id=f"9{number}", number=number, regie=regie, row_status_label=words)
    return row.with_detail(
        InvoiceDetail(
            id=row.id,
            issued_on=issued,
            total=D(total) if total is not None else None,
            remaining=D(remaining) if remaining is not None else None,
            status_label=words,
            lines=lines,
        )
    )


def line(person: str | None, service: str, amount: str) -> InvoiceLine:
    return InvoiceLine(person=person, service=service, amount=D(amount))


def as_model(mock: MockInvoice) -> Invoice:
    """A mock invoice as the client's model holds it once read (written out here, not parsed)."""
    row = Invoice(
        id=mock.id,
        number=mock.number,
        label=mock.label,
        regie=Regie(mock.regie.id, mock.regie.name),
        row_issued_on=mock.issued,
        row_amount=mock.total,
        row_status_label=mock.state,
    )
    return row.with_detail(
        InvoiceDetail(
            id=mock.id,
            issued_on=mock.issued,
            due_on=mock.due,
            total=mock.total,
            remaining=mock.remaining,
            status_label=mock.detail_state,
            lines=tuple(
                InvoiceLine(x.person, x.service, x.quantity, x.unit_price, x.amount)
                for x in mock.lines
            ),
        )
    )
