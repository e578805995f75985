"""The app around the screens: the command palette, logging out, the language, help, quitting,
and failures after login shown with a retry instead of a crash."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Button, Input

from espace_tui.core import i18n
from espace_tui.mock import Faults
from espace_tui.tui.screens.dashboard import DashboardScreen
from espace_tui.tui.screens.help import HelpScreen
from espace_tui.tui.screens.login import LoginScreen
from espace_tui.tui.widgets.invoice_table import InvoiceTable
from support.tui import SIZE, log_in, make_app, open_list, screen_name, text, until


def command_titles(app: Any) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


async def test_the_palette_holds_refresh_logout_theme_and_language(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = command_titles(app)
        assert "Refresh" not in before and "Log out" not in before
        assert {"Theme", "Language: Français"} <= set(before)
        await log_in(pilot)
        assert {"Refresh", "Log out", "Theme", "Language: Français"} <= set(command_titles(app))


async def test_ctrl_p_opens_the_palette_and_f1_the_help_even_while_typing(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the form")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")


async def test_log_out_goes_back_to_the_form_without_the_password(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Log out")
        await command.callback()  # type: ignore[misc]
        await until(pilot, lambda: isinstance(app.screen, LoginScreen), "the login form")
        assert app.screen.query_one("#username", Input).value == "demo"
        assert app.screen.query_one("#password", Input).value == ""
        assert not app.session.logged_in
        assert mock_portal.stats.requests_by_path["Home/LogOff"] == 1
        assert len(app.screen_stack) == 2


class Marked(gettext.NullTranslations):
    """A stand-in catalog that marks every message, so a redraw in it can be seen."""

    def gettext(self, message: str) -> str:
        return f"FR:{message}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"FR:{singular if n == 1 else plural}"


async def test_switching_language_redraws_the_screen_and_keeps_what_was_chosen(
    mock_portal: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(i18n.gettext, "translation", lambda *args, **kwargs: Marked())
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("u", "down")
        chosen = table.highlighted
        assert chosen is not None
        command = next(c for c in app.get_system_commands(app.screen) if "Français" in c.title)
        await command.callback()  # type: ignore[misc]
        await pilot.pause()
        assert i18n.current_language() == "fr"
        assert app.screen.title == "FR:My invoices"
        assert "FR:to pay only" in text(pilot, "#query-state")
        table = app.screen.query_one(InvoiceTable)
        assert table.highlighted is not None and table.highlighted.id == chosen.id
        descriptions = {b.description for _key, b in app.screen._bindings}
        assert "FR:Filter" in descriptions
        assert any(
            c.title == "FR:Language: {name}".format(name="English")
            for c in app.get_system_commands(app.screen)
        )
        await pilot.press("escape")  # the dashboard below follows too
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        assert app.screen.title == "FR:My space"
        assert text(pilot, "#owed").startswith("FR:To pay now")


async def test_question_mark_opens_the_help_and_q_quits(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DashboardScreen), "back")
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert mock_portal.stats.requests_by_path["Home/LogOff"] == 1


async def test_maintenance_after_login_shows_a_message_and_a_retry(
    make_mock: Any, tmp_path: Path
) -> None:
    portal = make_mock()
    app = make_app(portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("down")
        chosen = table.highlighted
        portal.faults = Faults(maintenance=True)
        await pilot.press("r")
        problem = app.screen.query_one("#problem")
        await until(pilot, lambda: problem.display, "a message")
        assert "maintenance" in text(pilot, "#problem-message")
        retry = app.screen.query_one("#problem-retry", Button)
        assert retry.display
        assert table.highlighted == chosen  # what was shown stays
        portal.faults = Faults()
        await pilot.click(retry)
        await until(pilot, lambda: not problem.display, "the retry")
        await until(pilot, lambda: app.session.snapshot.version == 2, "the new data")
        assert screen_name(pilot) == "InvoicesScreen"


async def test_keys_in_one_burst_close_the_help_once_and_leave_the_list(
    mock_portal: Any, tmp_path: Path
) -> None:
    # Escape then q read together both reach the help before it is gone: it must close once,
    # never taking the list below with it.
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot)
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        help_screen.action_close()
        help_screen.action_close()
        await pilot.pause()
        assert screen_name(pilot) == "InvoicesScreen"
        assert app.is_running
