"""A parent's story in the screens, over both portals (the bundled mock and the independent
one): log in, see what is owed, open the list, open an invoice."""

from __future__ import annotations

from pathlib import Path

from espace_tui.tui.texts import money
from espace_tui.tui.widgets.invoice_table import InvoiceTable
from support.portals import PortalUnderTest
from support.tui import SIZE, log_in, make_app, screen_name, text, until


async def test_log_in_see_what_is_owed_and_open_an_invoice(
    portal: PortalUnderTest, tmp_path: Path
) -> None:
    app = make_app(
        portal.base_url,
        tmp_path,
        username=portal.username,
        password=portal.password,
        demo=portal.name == "bundled",
    )
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        total, count = portal.owed()
        noun = "invoice" if count == 1 else "invoices"
        assert f"To pay now: {money(total)} ({count} {noun})" in text(pilot, "#owed")
        await pilot.press("f")
        await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the invoice list")
        shown = f"{len(portal.invoices)} of {len(portal.invoices)} invoices"
        assert shown in text(pilot, "#invoices-summary")
        highlighted = pilot.app.screen.query_one(InvoiceTable).highlighted
        assert highlighted is not None
        truth = next(i for i in portal.invoices if i.id == highlighted.id)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the invoice")
        facts = text(pilot, "#facts")
        assert truth.number in facts and money(truth.amount) in facts
