"""An invoice's detail: its facts and lines, what to do, saving and opening its PDF, paying."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from espace_tui.core.formats import format_date
from espace_tui.mock import Faults
from espace_tui.tui.screens.pay import PayScreen
from espace_tui.tui.texts import money
from support.tui import SIZE, FakeOpener, make_app, open_list, screen_name, text, until


async def open_invoice(pilot: Any, number: str) -> None:
    """From the login form to the detail of invoice `number` (through the filter)."""
    table = await open_list(pilot)
    await pilot.press("slash", *number, "enter")
    await until(pilot, lambda: [i.number for i in table.rows] == [number], f"invoice {number}")
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")


def mock_invoice(portal: Any, number: str) -> Any:
    return next(i for i in portal.invoices() if i.number == number)


async def test_the_detail_shows_the_invoice_its_lines_and_what_to_do(
    mock_portal: Any, tmp_path: Path
) -> None:
    seed = mock_invoice(mock_portal, "651")  # the help page's own invoice
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "651")
        assert text(pilot, "#detail-title") == "POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018"
        facts = text(pilot, "#facts")
        for expected in (
            "Monsieur ECOUFLANT Jean",
            f"Issued on:    {format_date(seed.issued)}",
            f"Pay before:   {format_date(seed.due)}",
            f"Total:        {money(seed.total)}",
            f"Still due:    {money(seed.remaining)}",
            "Facture transmise au Trésor Public",
            seed.payment_mode,
        ):
            assert expected in facts
        advice = text(pilot, "#advice")
        assert advice.startswith(
            "Transmitted to the Trésor Public. The due date (05/11/2018) has passed"
        )
        assert "Pay it on PayFiP with the key p" in advice
        lines = app.screen.query_one("#lines", DataTable)
        assert lines.row_count == len(seed.lines)
        first = [str(cell) for cell in lines.get_row_at(0)]
        assert first[0] == seed.lines[0].person
        assert first[4] == money(seed.lines[0].amount)


async def test_the_advice_follows_the_state(mock_portal: Any, tmp_path: Path) -> None:
    paid = next(i for i in mock_portal.invoices() if i.status.value == "paid")
    debit = next(i for i in mock_portal.invoices() if i.status.value == "direct_debit")
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, paid.number)
        assert text(pilot, "#advice") == "Already paid: nothing to do."
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the list")
        await pilot.press("slash", *["backspace"] * len(paid.number), *debit.number, "enter")
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        assert "nothing to do" in text(pilot, "#advice")


async def test_d_saves_the_pdf_into_the_download_folder_once(
    mock_portal: Any, tmp_path: Path
) -> None:
    downloads = tmp_path / "downloads"
    app = make_app(mock_portal.base_url, downloads)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "651")
        await pilot.press("d")
        await until(pilot, lambda: any(n.startswith("Saved:") for n in app.notices), "saved")
        files = list(downloads.iterdir())
        assert len(files) == 1
        assert files[0].read_bytes().startswith(b"%PDF-")
        assert f"Saved: {files[0]}" in app.notices
        await pilot.press("d")
        await until(pilot, lambda: any("Already saved" in n for n in app.notices), "again")
        assert list(downloads.iterdir()) == files


async def test_o_saves_then_opens_and_says_where_the_file_is_without_a_viewer(
    mock_portal: Any, tmp_path: Path
) -> None:
    opener = FakeOpener()
    app = make_app(mock_portal.base_url, tmp_path / "dl", opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "651")
        await pilot.press("o")
        await until(pilot, lambda: opener.files, "an attempt to open the PDF")
        path = opener.files[0]
        assert path.parent == tmp_path / "dl" and path.read_bytes().startswith(b"%PDF-")
        await until(pilot, lambda: any("No PDF viewer" in n for n in app.notices), "a notice")
        assert any(str(path) in n for n in app.notices)


async def test_a_body_that_is_not_a_pdf_is_refused_with_a_message(
    make_mock: Any, tmp_path: Path
) -> None:
    portal = make_mock(faults=Faults(pdf_html=True))
    app = make_app(portal.base_url, tmp_path / "dl")
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "651")
        await pilot.press("d")
        await until(pilot, lambda: any("did not send a PDF" in n for n in app.notices), "why")
        assert app.is_running and screen_name(pilot) == "DetailScreen"
        assert not (tmp_path / "dl").exists() or not list((tmp_path / "dl").iterdir())


async def test_p_without_a_browser_shows_the_payment_fallback(
    mock_portal: Any, tmp_path: Path
) -> None:
    payable = next(i for i in mock_portal.invoices() if i.payable_online)
    opener = FakeOpener(answer=False)
    app = make_app(mock_portal.base_url, tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, payable.number)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PayScreen), "the payment screen")
        assert opener.urls == []  # nothing opens before the user confirms
        await pilot.press("y")
        await until(pilot, lambda: opener.urls, "an attempt to open PayFiP")
        assert opener.urls[0].startswith(mock_portal.root_url)
        assert "/tpa/paiement.web" in opener.urls[0]
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)  # the fallback: link, copy, QR code


async def test_p_on_a_paid_invoice_says_there_is_nothing_to_pay(
    mock_portal: Any, tmp_path: Path
) -> None:
    paid = next(i for i in mock_portal.invoices() if i.status.value == "paid")
    opener = FakeOpener()
    app = make_app(mock_portal.base_url, tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, paid.number)
        await pilot.press("p")
        message = f"Invoice {paid.number} is already paid."
        await until(pilot, lambda: message in app.notices, "a message")
        assert screen_name(pilot) == "DetailScreen"
        assert opener.urls == []


async def test_a_payment_address_off_payfip_is_refused(make_mock: Any, tmp_path: Path) -> None:
    portal = make_mock(faults=Faults(payment_wrong_host=True))
    payable = next(i for i in portal.invoices() if i.payable_online)
    opener = FakeOpener(answer=True)
    app = make_app(portal.base_url, tmp_path, opener=opener)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, payable.number)
        await pilot.press("p")
        refused = "The payment address was refused"
        await until(pilot, lambda: any(refused in n for n in app.notices), "a message")
        assert screen_name(pilot) == "DetailScreen"
        assert opener.urls == []


async def test_session_expiry_goes_unnoticed(make_mock: Any, tmp_path: Path) -> None:
    portal = make_mock(faults=Faults(expire_every=3))
    app = make_app(portal.base_url, tmp_path / "dl")
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "651")
        await pilot.press("r")
        await pilot.press("d")
        await until(pilot, lambda: any(n.startswith("Saved:") for n in app.notices), "saved")
        await until(pilot, lambda: not app.screen.workers, "the refresh")
        assert not app.screen.query_one("#problem").display
        assert portal.stats.expired_answers > 0
