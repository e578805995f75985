"""What was invoiced each month over the last twelve months, per régie: the chart's figures.

The amount counted is the invoice's total (`Invoice.amount`: the detail's, else the list's),
not what is still due: the chart shows what each month cost, paid or not. An invoice counts in
the month of its issue date. The twelve months end with the current one (the caller's clock,
so tests fix the day); a month with no invoice is there with zero. Régies come in the order of
their folded names, so each keeps its place (and its colour) from one reading to the next.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from espace_tui.account.owed import regie_name
from espace_tui.core.model import Invoice, fold_words

ZERO = Decimal("0.00")
MONTHS = 12


@dataclass(frozen=True, slots=True)
class Month:
    """One month: its first day and what its invoices total in each régie."""

    start: date
    """The first day of the month."""
    amounts: tuple[Decimal, ...]
    """One amount per régie, in the order of `Months.regies`."""

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)


@dataclass(frozen=True, slots=True)
class Months:
    """The last twelve months, oldest first, and the régies they are stacked by."""

    regies: tuple[str, ...]
    """The régies with an invoice in the window ("" for invoices without one)."""
    months: tuple[Month, ...]
    left_out: int = 0
    """Invoices of the window that could not be counted: they have no amount."""
    undated: int = 0
    """Invoices without an issue date: no month to count them in."""

    @property
    def largest(self) -> Decimal:
        """The largest month's total (zero when nothing was invoiced)."""
        return max((month.total for month in self.months), default=ZERO)

    @property
    def total(self) -> Decimal:
        return sum((month.total for month in self.months), ZERO)


def month_starts(today: date, count: int = MONTHS) -> tuple[date, ...]:
    """The first days of the `count` months ending with today's, oldest first."""
    index = today.year * 12 + today.month - 1
    return tuple(
        date(year, month + 1, 1)
        for year, month in (divmod(index - back, 12) for back in range(count - 1, -1, -1))
    )


def _order(name: str) -> tuple[bool, str, str]:
    # Invoices without a régie come last; the folded name orders, the name breaks ties.
    return (name == "", fold_words(name), name)


def monthly_amounts(invoices: Iterable[Invoice], today: date) -> Months:
    """Each of the twelve months ending with today's month, its invoices' totals per régie."""
    starts = month_starts(today)
    sums: dict[date, dict[str, Decimal]] = {start: {} for start in starts}
    regies: set[str] = set()
    left_out = undated = 0
    for invoice in invoices:
        issued = invoice.issued_on
        if issued is None:
            undated += 1
            continue
        month = sums.get(issued.replace(day=1))
        if month is None:  # outside the window
            continue
        amount, name = invoice.amount, regie_name(invoice)
        if amount is None:
            left_out += 1
            continue
        regies.add(name)
        month[name] = month.get(name, ZERO) + amount
    ordered = tuple(sorted(regies, key=_order))
    return Months(
        regies=ordered,
        months=tuple(
            Month(start, tuple(sums[start].get(name, ZERO) for name in ordered)) for start in starts
        ),
        left_out=left_out,
        undated=undated,
    )
