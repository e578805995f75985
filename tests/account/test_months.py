"""The chart's figures: what each of the last twelve months invoiced, per régie, over both
portals (each month's sums equal the invoices' totals), and the window's rules."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from espace_tui.account.months import Months, month_starts, monthly_amounts
from espace_tui.account.portals import real_portal
from espace_tui.account.services import FileSettings, KeyringCredentials
from espace_tui.account.session import AccountSession
from espace_tui.core.model import Invoice, InvoiceDetail, Regie
from support.invoiced import invoiced, sums, window
from support.portals import PortalUnderTest


async def read(portal: PortalUnderTest, tmp_path: Path) -> list[Invoice]:
    """Log in as the user would and load every invoice with its detail."""
    session = AccountSession(
        real_portal,
        credentials=KeyringCredentials(),
        settings=FileSettings(),
        download_dir=tmp_path,
        remember=False,
    )
    await session.login(portal.base_url, portal.username, portal.password, remember=None)
    assert session.snapshot is not None and session.snapshot.complete
    invoices = list(session.snapshot.invoices)
    await session.logout()
    return invoices


def as_table(months: Months) -> dict[tuple[int, int], dict[str, Decimal]]:
    """The chart's figures in the shape of `support.invoiced.sums` (régies with nothing out)."""
    return {
        (month.start.year, month.start.month): {
            name: amount
            for name, amount in zip(months.regies, month.amounts, strict=True)
            if amount
        }
        for month in months.months
    }


async def test_each_month_sums_the_totals_of_the_invoices_issued_in_it(
    portal: PortalUnderTest, tmp_path: Path
) -> None:
    invoices = await read(portal, tmp_path)
    rows = invoiced(portal)
    latest = max(issued for issued, _regie, _total in rows)
    # The clock at the latest invoice, then half a year on (the window cuts the older ones),
    # then a year on (nothing left in the window: twelve months at zero).
    for today in (latest, latest + timedelta(days=183), latest + timedelta(days=366)):
        months = monthly_amounts(invoices, today)
        expected = sums(rows, today)
        assert as_table(months) == expected, today
        assert [(m.start.year, m.start.month) for m in months.months] == window(today)
        in_window = sum((t for d, _r, t in rows if (d.year, d.month) in expected), Decimal(0))
        assert months.total == in_window
        assert all(isinstance(a, Decimal) for m in months.months for a in m.amounts)
    assert monthly_amounts(invoices, latest).total > 0
    assert monthly_amounts(invoices, latest + timedelta(days=366)).total == 0


async def test_the_regies_keep_one_order_whatever_the_list_s_order(
    portal: PortalUnderTest, tmp_path: Path
) -> None:
    invoices = await read(portal, tmp_path)
    latest = max(i.issued_on for i in invoices if i.issued_on)
    forward = monthly_amounts(invoices, latest)
    backward = monthly_amounts(invoices[::-1], latest)
    assert forward == backward
    assert forward.regies == ORDER[portal.name]


ORDER = {
    "bundled": ("ACCUEIL DE LOISIRS", "POST FACTURATION (ECOUFLANT)", "RESTAURATION SCOLAIRE"),
    "independent": ("ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON)", "PÉRISCOLAIRE & CANTINE"),
}
"""Each portal's régies in the chart's order: by name, accents and case aside."""


def test_the_twelve_months_end_with_the_current_one() -> None:
    starts = month_starts(date(2025, 3, 14))
    assert len(starts) == 12
    assert (starts[0], starts[-1]) == (date(2024, 4, 1), date(2025, 3, 1))
    assert month_starts(date(2025, 12, 31))[0] == date(2025, 1, 1)
    assert month_starts(date(2026, 1, 1))[-2:] == (date(2025, 12, 1), date(2026, 1, 1))


SCHOOL, LEISURE = Regie("1", "RESTAURATION SCOLAIRE"), Regie("2", "accueil de loisirs")


def bill(number: str, issued: date | None, amount: str | None, regie: Regie | None) -> Invoice:
    row = Invoice(
        id=number,
        number=number,
        regie=regie,
        row_issued_on=issued,
        row_amount=Decimal(amount) if amount else None,
    )
    return row


def test_a_month_counts_totals_credits_and_says_what_it_could_not_count() -> None:
    today = date(2025, 3, 14)
    with_detail = bill("3", date(2025, 3, 1), "99.00", SCHOOL).with_detail(
        InvoiceDetail(id="3", total=Decimal("12.30"), remaining=Decimal("0"))
    )
    months = monthly_amounts(
        [
            bill("1", date(2025, 3, 31), "10.10", SCHOOL),
            bill("2", date(2025, 3, 2), "-4.10", SCHOOL),  # a credit note
            with_detail,  # the detail's total, not the list's
            bill("4", date(2024, 3, 31), "500.00", SCHOOL),  # thirteen months ago
            bill("5", date(2024, 4, 1), "7.00", None),  # the window's first day, no régie
            bill("6", None, "8.00", LEISURE),
            bill("7", date(2025, 1, 5), None, LEISURE),
        ],
        today,
    )
    assert months.regies == ("RESTAURATION SCOLAIRE", "")  # régies of the window only
    assert months.months[-1].amounts == (Decimal("18.30"), Decimal("0"))
    assert months.months[0].amounts == (Decimal("0"), Decimal("7.00"))
    assert months.total == Decimal("25.30")
    assert (months.left_out, months.undated) == (1, 1)
    assert [m.total for m in months.months[1:-1]] == [Decimal("0")] * 10


def test_the_regies_are_ordered_by_name_accents_and_case_aside() -> None:
    day = date(2025, 3, 1)
    names = ["ÉCOLE DE MUSIQUE", "accueil", "Restauration", "ecole de danse"]
    invoices = [bill(str(n), day, "1", Regie(str(n), name)) for n, name in enumerate(names)]
    assert monthly_amounts(invoices, day).regies == (
        "accueil",
        "ecole de danse",
        "ÉCOLE DE MUSIQUE",
        "Restauration",
    )
