"""Logging in from the TUI: the demo form, a refusal, a stored password, the keyring checkbox,
a bad portal, a portal in maintenance or out of reach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Button, Checkbox, Input

from espace_tui.local import credentials
from espace_tui.local.settings import load_settings
from espace_tui.mock import Faults
from espace_tui.tui.screens.login import LoginScreen
from espace_tui.tui.texts import money
from support.tui import SIZE, log_in, make_app, screen_name, text, to_pay, until


def field(app: Any, name: str) -> str:
    return str(app.screen.query_one(f"#{name}", Input).value)


async def test_the_demo_form_is_filled_and_enter_lands_on_what_is_owed(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert field(app, "username") == "demo"
        assert field(app, "password") == "demo"
        assert app.focused is app.screen.query_one("#password", Input)
        await log_in(pilot)
        total, count = to_pay(mock_portal.invoices())
        owed = text(pilot, "#owed")
        assert f"To pay now: {money(total)} ({count} invoices)" in owed
        assert text(pilot, "#greeting") == "Bonjour Monsieur Ecouflant"
        assert "Dernière connexion le 09/11/2018 à 15:31" in text(pilot, "#last-connection")
        assert app.screen.sub_title == "demo @ ecouflant"


async def test_the_cursor_starts_in_the_first_empty_field(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path, username=None, password=None, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one("#username", Input)


async def test_a_refusal_shows_the_sites_words_and_keeps_the_fields(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path, password="wrong")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await until(pilot, lambda: screen.problem, "a message under the form")
        assert screen.problem == "Identifiant ou mot de passe incorrect."
        assert (field(app, "username"), field(app, "password")) == ("demo", "wrong")
        assert not screen.query_one("#problem-retry", Button).display
        # Correcting the password and pressing Enter again logs in.
        screen.query_one("#password", Input).value = "demo"
        await log_in(pilot)


async def test_a_locked_account_shows_its_own_message(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path, username="verrouille", password="x")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await until(pilot, lambda: screen.problem, "a message under the form")
        assert "verrouillé" in screen.problem


async def test_a_stored_password_logs_in_straight_away(mock_portal: Any, tmp_path: Path) -> None:
    credentials.store_password(mock_portal.base_url, "demo", "demo")
    app = make_app(mock_portal.base_url, tmp_path, password=None, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        assert mock_portal.stats.logins == 1


async def test_remember_me_stores_the_password_and_the_portal(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path, password=None, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.focused is app.screen.query_one("#password", Input)
        await pilot.press(*"demo")
        app.screen.query_one("#remember", Checkbox).value = True
        await log_in(pilot)
    assert credentials.get_password(mock_portal.base_url, "demo") == "demo"
    remembered = load_settings()
    assert (remembered.portal, remembered.username) == (mock_portal.base_url, "demo")


async def test_without_a_keyring_the_checkbox_says_so_and_is_disabled(
    mock_portal: Any, tmp_path: Path
) -> None:
    class NoKeyring:
        def keyring_available(self) -> bool:
            return False

        def get_password(self, base_url: str, username: str) -> str | None:
            raise AssertionError("no keyring to read")

        def store_password(self, base_url: str, username: str, password: str) -> None:
            raise AssertionError("no keyring to write")

        def forget_password(self, base_url: str, username: str) -> bool:
            raise AssertionError("no keyring to write")

    app = make_app(
        mock_portal.base_url, tmp_path, password=None, demo=False, credentials=NoKeyring()
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.screen.query_one("#remember", Checkbox)
        assert box.disabled
        assert "no system keyring" in str(box.label)
        await pilot.press(*"demo", "enter")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")


async def test_a_portal_that_is_not_one_says_why(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app("Not a commune!", tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await until(pilot, lambda: screen.problem, "a message under the form")
        assert "is not a commune name" in screen.problem


async def test_maintenance_says_so_and_retry_works_once_it_is_over(
    make_mock: Any, tmp_path: Path
) -> None:
    portal = make_mock(faults=Faults(maintenance=True))
    app = make_app(portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await until(pilot, lambda: screen.problem, "a message under the form")
        assert "maintenance" in screen.problem
        retry = screen.query_one("#problem-retry", Button)
        assert retry.display
        portal.faults = Faults()  # the site comes back
        await pilot.click(retry)
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")


async def test_an_unreachable_portal_offers_a_retry(make_mock: Any, tmp_path: Path) -> None:
    portal = make_mock()
    address = portal.base_url
    portal.stop()
    app = make_app(address, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await until(pilot, lambda: screen.problem, "a message under the form")
        assert screen.query_one("#problem-retry", Button).display
        assert field(app, "password") == "demo"
