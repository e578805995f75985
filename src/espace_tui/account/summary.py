"""What the invoices add up to: per régie and year, per year, in all, and per child.

Every figure is a `Decimal` and every invoice falls in exactly one of four buckets, so that
`amount == to_pay + paid + direct_debit + other` whenever the site's figures agree:

- **to pay**: what `account.owed.still_due` says is still owed (the one rule of the dashboard);
- **paid**: the whole amount of an invoice in a paid state (`Payée`, `Soldée`, `Réglée`), and
  the part already paid of an invoice still to pay (its amount less what is still due: an
  invoice sent to the Trésor Public with 0,00 € left was paid there);
- **direct debit**: the amount of an invoice in a direct-debit state (`Prélevée`, `En cours de
  prélèvement`…): the bank pays it, whether it was taken already or is about to be;
- **other**: the amount of an invoice whose state the client does not know (`En litige`): it is
  neither owed nor paid as far as the site says.

An invoice belongs to the year of its issue date (the site gives no payment date); one without
an issue date is counted under the year `None`. Per child, the figures are the sums of the
invoice lines that name that person, in the bucket of their invoice; lines naming no one (fees,
adjustments) are counted under `None`. Of an invoice partly paid, what is still due is shared
among its lines in proportion to their amounts (the site does not say which lines were paid): the
children's "to pay" then adds up to the invoices', to the cent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from espace_tui.account.owed import ZERO, regie_name, still_due
from espace_tui.core.formats import amount_for_json
from espace_tui.core.model import Invoice, InvoiceLine, Status

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Split:
    """One amount cut into the four buckets."""

    to_pay: Decimal = ZERO
    paid: Decimal = ZERO
    direct_debit: Decimal = ZERO
    other: Decimal = ZERO


def split(invoice: Invoice) -> Split:
    """The invoice's amount in the four buckets (see the module's docstring)."""
    amount = invoice.amount
    status = invoice.status
    if status.to_pay:
        owed = still_due(invoice)
        settled = amount - owed if amount is not None and amount > owed else ZERO
        return Split(to_pay=owed, paid=settled)
    if amount is None:
        return Split()
    if status is Status.PAID:
        return Split(paid=amount)
    if status is Status.DIRECT_DEBIT:
        return Split(direct_debit=amount)
    return Split(other=amount)


def fully_settled(invoice: Invoice) -> bool:
    """Whether all of the invoice's amount is paid or left to the bank's direct debit (what
    a yearly statement counts as paid)."""
    if invoice.amount is None:
        return False
    parts = split(invoice)
    return (
        parts.to_pay == ZERO
        and parts.other == ZERO
        and (parts.paid + parts.direct_debit == invoice.amount)
    )


def _bucket(status: Status, amount: Decimal) -> Split:
    """An amount of an invoice not to pay, in its state's bucket."""
    if status is Status.PAID:
        return Split(paid=amount)
    if status is Status.DIRECT_DEBIT:
        return Split(direct_debit=amount)
    return Split(other=amount)


def line_splits(invoice: Invoice, lines: Sequence[InvoiceLine]) -> list[Split]:
    """Each line's amount in its invoice's buckets. Of an invoice partly paid, what is still
    due is shared among the lines in proportion to their amounts (the site does not say which
    lines were paid), to the cent, so that the lines' "to pay" adds up to the invoice's."""
    amounts = [line.amount if line.amount is not None else ZERO for line in lines]
    status = invoice.status
    if not status.to_pay:
        return [Split(paid=a) if status is Status.PAID else _bucket(status, a) for a in amounts]
    owed, base = still_due(invoice), sum(amounts, ZERO)
    if owed <= ZERO:
        return [Split(paid=a) for a in amounts]
    if base <= ZERO or owed >= base:  # all of it is due (or more than the lines say)
        return [Split(to_pay=a) for a in amounts]
    shares = [(a * owed / base).quantize(CENT, rounding=ROUND_DOWN) for a in amounts]
    largest = max(range(len(amounts)), key=lambda i: amounts[i])
    shares[largest] += owed - sum(shares, ZERO)  # the cents the rounding left
    return [Split(to_pay=share, paid=a - share) for a, share in zip(amounts, shares, strict=True)]


@dataclass(slots=True)
class Figures:
    """Sums over some invoices (or some lines): how many, their amount, and its four buckets."""

    count: int = 0
    """Invoices counted (per child: the invoices with a line naming the child)."""
    amount: Decimal = ZERO
    to_pay: Decimal = ZERO
    paid: Decimal = ZERO
    direct_debit: Decimal = ZERO
    other: Decimal = ZERO
    unknown_amounts: int = 0
    """Invoices (per child: lines) whose amount the site did not give (left out of `amount`)."""

    def add(self, amount: Decimal | None, parts: Split, *, count: int = 1) -> None:
        self.count += count
        if amount is None:
            self.unknown_amounts += 1
        else:
            self.amount += amount
        self.to_pay += parts.to_pay
        self.paid += parts.paid
        self.direct_debit += parts.direct_debit
        self.other += parts.other

    def as_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "amount": amount_for_json(self.amount),
            "to_pay": amount_for_json(self.to_pay),
            "paid": amount_for_json(self.paid),
            "direct_debit": amount_for_json(self.direct_debit),
            "other": amount_for_json(self.other),
            "unknown_amounts": self.unknown_amounts,
        }


@dataclass(slots=True)
class RegieSummary:
    """One régie: its figures in all and per year (years in ascending order, None last)."""

    name: str
    total: Figures = field(default_factory=Figures)
    years: dict[int | None, Figures] = field(default_factory=dict)


@dataclass(slots=True)
class Summary:
    """The figures of a set of invoices (one year's, or all of them)."""

    year: int | None
    """The year asked for, or None for every year."""
    total: Figures = field(default_factory=Figures)
    years: dict[int | None, Figures] = field(default_factory=dict)
    regies: dict[str, RegieSummary] = field(default_factory=dict)
    """In the order the site first shows them; the empty name for invoices with no régie."""
    children: dict[str | None, Figures] = field(default_factory=dict)
    """Per person named by the lines, in the order first met; None for lines naming no one."""
    without_lines: int = 0
    """Invoices whose lines were not read (or have none): absent from the per-child figures."""

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "total": self.total.as_json(),
            "years": [{"year": year, **f.as_json()} for year, f in self.years.items()],
            "regies": [
                {
                    "regie": regie.name or None,
                    **regie.total.as_json(),
                    "years": [{"year": year, **f.as_json()} for year, f in regie.years.items()],
                }
                for regie in self.regies.values()
            ],
            "children": [{"person": person, **f.as_json()} for person, f in self.children.items()],
            "invoices_without_lines": self.without_lines,
        }


def year_of(invoice: Invoice) -> int | None:
    """The year an invoice belongs to: its issue date's (None when the site gives none)."""
    issued = invoice.issued_on
    return issued.year if issued else None


def _year_order(years: dict[int | None, Figures]) -> dict[int | None, Figures]:
    return dict(sorted(years.items(), key=lambda item: (item[0] is None, item[0] or 0)))


def summarize(invoices: Iterable[Invoice], year: int | None = None) -> Summary:
    """The figures of the invoices (those issued in `year` only, when given)."""
    summary = Summary(year=year)
    for invoice in invoices:
        invoice_year = year_of(invoice)
        if year is not None and invoice_year != year:
            continue
        amount, parts = invoice.amount, split(invoice)
        summary.total.add(amount, parts)
        summary.years.setdefault(invoice_year, Figures()).add(amount, parts)
        name = regie_name(invoice)
        regie = summary.regies.setdefault(name, RegieSummary(name))
        regie.total.add(amount, parts)
        regie.years.setdefault(invoice_year, Figures()).add(amount, parts)
        lines = invoice.detail.lines if invoice.detail else ()
        if not lines:
            summary.without_lines += 1
            continue
        named: set[str | None] = set()
        for line, parts in zip(lines, line_splits(invoice, lines), strict=True):
            person = line.person or None
            figures = summary.children.setdefault(person, Figures())
            first = person not in named
            named.add(person)
            figures.add(line.amount, parts, count=1 if first else 0)
    summary.years = _year_order(summary.years)
    for regie in summary.regies.values():
        regie.years = _year_order(regie.years)
    return summary


@dataclass(frozen=True, slots=True)
class PersonLines:
    """An invoice's lines for one person (None: the lines naming no one), and their sum."""

    person: str | None
    lines: tuple[InvoiceLine, ...]
    subtotal: Decimal
    """The sum of the lines' known amounts."""


def lines_by_person(lines: Iterable[InvoiceLine]) -> list[PersonLines]:
    """The lines grouped by the person they name, persons in the order first met and the
    lines naming no one last; each line keeps its place within its group."""
    groups: dict[str | None, list[InvoiceLine]] = {}
    for line in lines:
        groups.setdefault(line.person or None, []).append(line)
    ordered = sorted(groups.items(), key=lambda item: item[0] is None)  # stable: order kept
    return [
        PersonLines(
            person,
            tuple(members),
            sum((line.amount for line in members if line.amount is not None), ZERO),
        )
        for person, members in ordered
    ]
