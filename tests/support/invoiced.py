"""What each portal under test invoiced, month by month: the issue date, the régie and the
total of each invoice, read from the portal's own data (the mock's invoices, the independent
portal's hand-written expectations), never from the client, so the chart is checked against
what the site serves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from support.other_expected import EXPECTED
from support.portals import PortalUnderTest

Row = tuple[date, str, Decimal]
"""(issue date, régie, total) of one invoice."""


def invoiced(portal: PortalUnderTest) -> list[Row]:
    """Every invoice the portal serves, as (issue date, régie, total)."""
    if portal.name == "bundled":
        return [(i.issued, i.regie.name, i.total) for i in portal.server.invoices()]
    return [
        (date.fromisoformat(e["issued_on"]), e["regie"], Decimal(e["amount"])) for e in EXPECTED
    ]


def window(today: date) -> list[tuple[int, int]]:
    """(year, month) of the twelve months ending with today's, oldest first, counted here
    from scratch (not with the code under test)."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def sums(rows: list[Row], today: date) -> dict[tuple[int, int], dict[str, Decimal]]:
    """Each month of the window: the totals per régie of the invoices issued in it."""
    result: dict[tuple[int, int], dict[str, Decimal]] = {key: {} for key in window(today)}
    for issued, regie, total in rows:
        month = result.get((issued.year, issued.month))
        if month is not None:
            month[regie] = month.get(regie, Decimal("0")) + total
    return result
