"""Back from PayFiP: the invoice's state is read again, and the screen says whether it is now
paid — on the payment screen still open (`r`), or on the invoice (`r`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Static

from espace_tui.tui.screens.pay import PayScreen
from support.tui import SIZE, FakeOpener, make_app, open_list, screen_name, until


async def open_payable(pilot: Any, number: str) -> None:
    table = await open_list(pilot)
    await pilot.press("slash", *number, "enter")
    await until(pilot, lambda: [i.number for i in table.rows] == [number], f"invoice {number}")
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")


def status(app: Any) -> str:
    return str(app.screen.query_one("#pay-status", Static).content)


async def test_on_the_payment_screen_still_open_r_says_whether_it_is_now_paid(
    mock_portal: Any, tmp_path: Path
) -> None:
    seed = next(i for i in mock_portal.invoices() if i.number == "651")
    app = make_app(mock_portal.base_url, tmp_path, opener=FakeOpener(answer=False))
    async with app.run_test(size=SIZE) as pilot:
        await open_payable(pilot, "651")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PayScreen), "the payment screen")
        await pilot.press("y")
        await until(pilot, lambda: app.screen.has_class("-fallback"), "the QR code")
        assert "press r" in status(app).lower()
        await pilot.press("r")
        await until(pilot, lambda: "not paid yet" in status(app), "the portal's answer")
        mock_portal.mark_paid(seed.id)  # paid from the phone, on PayFiP
        await pilot.press("r")
        await until(pilot, lambda: "is now paid" in status(app), "the portal's new answer")
        assert status(app) == "Invoice 651 is now paid."
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        assert "Payée" in str(app.screen.query_one("#facts", Static).content)


async def test_on_the_invoice_r_after_the_browser_opened_says_whether_it_is_paid(
    mock_portal: Any, tmp_path: Path
) -> None:
    seed = next(i for i in mock_portal.invoices() if i.number == "651")
    app = make_app(mock_portal.base_url, tmp_path, opener=FakeOpener(answer=True))
    async with app.run_test(size=SIZE) as pilot:
        await open_payable(pilot, "651")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PayScreen), "the payment screen")
        await pilot.press("y")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "back on the invoice")
        await pilot.press("r")
        await until(pilot, lambda: any("not paid yet" in n for n in app.notices), "the answer")
        mock_portal.mark_paid(seed.id)
        await pilot.press("r")
        await until(pilot, lambda: "Invoice 651 is now paid." in app.notices, "paid")


async def test_coming_back_to_the_terminal_after_paying_checks_at_once(
    mock_portal: Any, tmp_path: Path
) -> None:
    seed = next(i for i in mock_portal.invoices() if i.number == "651")
    app = make_app(mock_portal.base_url, tmp_path, opener=FakeOpener(answer=True))
    async with app.run_test(size=SIZE) as pilot:
        await open_payable(pilot, "651")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PayScreen), "the payment screen")
        await pilot.press("y")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "back on the invoice")
        mock_portal.mark_paid(seed.id)  # paid in the browser
        app.post_message(events.AppFocus())  # the user switches back to the terminal
        await until(pilot, lambda: "Invoice 651 is now paid." in app.notices, "paid")
