"""An 80×24 terminal is a real one: what a new user sees there is whole — the login's refusal,
the list's states, the footer's `?` and `q`, the help's rows, an amount with its `€`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot

from espace_tui.core import i18n
from espace_tui.core.i18n import _
from espace_tui.mock import Faults
from espace_tui.tui.keys import KEYS
from espace_tui.tui.screens.help import HelpScreen
from espace_tui.tui.screens.login import LoginScreen
from support.tui import make_app, open_list, text, until

SMALL = (80, 24)


def screen_lines(app: App[Any]) -> list[str]:
    """What the terminal shows, line by line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def refused_at(size: tuple[int, int], make_mock: Any, tmp_path: Path, **faults: Any) -> str:
    """Log in at `size` and return the screen's text once the form shows a message; the
    button is whole on screen too, above the footer."""
    portal = make_mock(faults=Faults(**faults)) if faults else make_mock()
    app = make_app(portal.base_url, tmp_path, password="wrong")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await until(pilot, lambda: screen.problem, "a message under the form")
        await pilot.pause()
        button = screen.query_one("#login").region
        footer = screen.query_one("Footer").region
        assert button.height >= 1 and button.bottom <= footer.y, (button, footer)
        return "\n".join(screen_lines(app))


async def test_at_80x24_a_wrong_password_is_told_on_screen(make_mock: Any, tmp_path: Path) -> None:
    shown = await refused_at(SMALL, make_mock, tmp_path)
    assert "Identifiant ou mot de passe incorrect." in shown


async def test_at_80x24_a_maintenance_is_told_on_screen(make_mock: Any, tmp_path: Path) -> None:
    shown = await refused_at(SMALL, make_mock, tmp_path, maintenance=True)
    assert "maintenance" in shown.lower()


async def open_small_list(pilot: Pilot[Any]) -> list[str]:
    await open_list(pilot)
    await pilot.pause()
    return screen_lines(pilot.app)


async def test_at_80_columns_the_list_keeps_states_still_due_and_the_footers_help_and_quit(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        lines = await open_small_list(pilot)
        header = next(line for line in lines if "No." in line and "Period" in line)
        assert "Still due" in header and "State" in header
        rows = [line for line in lines if "\u20ac" in line and "/" in line]
        assert rows and all(
            line.rstrip().endswith(("paid", "to pay", "Treasury", "debit", "other"))
            for line in rows
        )
        footer = lines[-1]
        assert "? Help" in footer and "q Quit" in footer
        assert "! overdue" in text(pilot, "#invoices-summary")


async def test_an_amount_never_parts_from_its_euro_sign(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SMALL) as pilot:
        await open_list(pilot)
        summary = text(pilot, "#invoices-summary")
        assert "1\u00a0622,31\u00a0€" in summary
        table_text = "\n".join(screen_lines(app))
        assert "1\u00a0234,56\u00a0€" in table_text


class HelpApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(HelpScreen())


async def test_at_80_columns_the_helps_rows_are_whole_in_french() -> None:
    i18n.set_language("fr")
    app = HelpApp()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        seen: list[str] = []
        for _step in range(6):  # the list scrolls: read it page by page
            seen.extend(screen_lines(app))
            await pilot.press("pagedown")
            await pilot.pause()
        words = set(" ".join(seen).replace("│", " ").split())
        for row in KEYS:
            missing = [word for word in _(row.what).split() if word not in words]
            assert not missing, (row.label, missing)
