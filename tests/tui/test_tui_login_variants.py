"""The screens log in the way the portal serves it (SITE.md §1-2 the form, §2b the AJAX
modal), on both portals; the dashboard shows the family without its contacts; an invoice sent
to the Trésor Public shows its two numbers; a test payment says it is one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from espace_tui.tui.screens.login import LoginScreen
from espace_tui.tui.screens.pay import PayScreen
from espace_tui.tui.texts import money
from support.portals import LOGIN_VARIANTS, start_variant
from support.tui import SIZE, log_in, make_app, open_list, screen_name, text, until


@pytest.mark.parametrize(("kind", "login"), LOGIN_VARIANTS)
async def test_the_login_screen_lands_on_what_is_owed_whichever_login(
    make_mock: Any, tmp_path: Path, kind: str, login: str
) -> None:
    portal, stop = start_variant(kind, login, make_mock)
    try:
        app = make_app(
            portal.base_url, tmp_path, username=portal.username, password=portal.password
        )
        async with app.run_test(size=SIZE) as pilot:
            await log_in(pilot)
            total, count = portal.owed()
            assert f"To pay now: {money(total)} ({count} invoices)" in text(pilot, "#owed")
    finally:
        stop()


@pytest.mark.parametrize(("kind", "login"), LOGIN_VARIANTS)
async def test_a_refusal_shows_the_sites_words_whichever_login(
    make_mock: Any, tmp_path: Path, kind: str, login: str
) -> None:
    portal, stop = start_variant(kind, login, make_mock)
    try:
        app = make_app(portal.base_url, tmp_path, username=portal.username, password="wrong")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            screen = app.screen
            assert isinstance(screen, LoginScreen)
            await until(pilot, lambda: screen.problem, "a message under the form")
            assert screen.problem == portal.refusal
    finally:
        stop()


async def test_the_dashboard_shows_the_family_not_its_contact(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        family = text(pilot, "#family")
        for member in mock_portal.family.members:
            assert member.name in family
        assert mock_portal.family.contacts[0].name not in family


async def open_invoice(pilot: Any, number: str) -> None:
    table = await open_list(pilot)
    await pilot.press("slash", *number, "enter")
    await until(pilot, lambda: [i.number for i in table.rows] == [number], f"invoice {number}")
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")


async def test_a_treasury_invoice_shows_how_to_pay_it_without_the_portal(
    mock_portal: Any, tmp_path: Path
) -> None:
    seed = next(i for i in mock_portal.invoices() if i.number == "651")
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "651")
        box = app.screen.query_one("#treasury", Static)
        await until(pilot, lambda: seed.refdet in str(box.content), "the treasury numbers")
        shown = str(box.content)
        assert f"Collectivity number: {seed.regie.numcli}" in shown
        assert f"Reference:           {seed.refdet}" in shown
        assert "www.payfip.gouv.fr" in shown and "approved tobacconist" in shown


async def test_an_unpaid_invoice_shows_no_treasury_numbers(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "3107")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.screen.query_one("#treasury", Static).display
    assert mock_portal.stats.requests_by_path["MonCompte/PayerFacture"] == 0


async def test_the_demo_payment_is_said_to_be_a_test(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_invoice(pilot, "3107")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PayScreen), "the payment screen")
        notice = str(app.screen.query_one("#pay-test", Static).content)
        assert notice == "This is a TEST payment: no real payment is made."
