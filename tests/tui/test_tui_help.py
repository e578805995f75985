"""The help screen lists every key of the TUI, from the one table the README uses too."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App
from textual.strip import Strip

from espace_tui.core.i18n import _
from espace_tui.tui.keys import KEYS, Place, keys_for, markdown_table, places_text
from espace_tui.tui.screens.help import HelpScreen


class HelpApp(App[None]):
    """A bare app that shows the help and keeps what it was dismissed with."""

    def __init__(self) -> None:
        super().__init__()
        self.closed: list[None] = []

    def on_mount(self) -> None:
        self.push_screen(HelpScreen(), callback=self.closed.append)


def screen_lines(app: App[Any]) -> list[str]:
    strips: list[Strip] = app.screen._compositor.render_strips()
    return [" ".join(strip.text.split()) for strip in strips]


async def test_the_help_lists_every_key_with_where_and_what_it_does() -> None:
    app = HelpApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        for row in KEYS:
            # Each row of the table is one line: the key, where, and what it does.
            expected = f"{row.label} {places_text(row, _)} {_(row.what)}"
            assert any(expected in line for line in lines), expected
        text = " ".join(lines)
        for heading in ("Key", "Where", "What it does"):
            assert heading in text
        assert "Escape, ? or q close this help." in text


def test_the_table_holds_the_keys_of_the_issue() -> None:
    labels = {(row.label, place) for row in KEYS for place in row.places}
    for label, place in [
        ("Enter", Place.LOGIN),
        ("Enter", Place.LIST),
        ("Enter", Place.DASHBOARD),
        ("Escape", Place.ANY),
        ("f", Place.DASHBOARD),
        ("/", Place.LIST),
        ("u", Place.LIST),
        ("s", Place.LIST),
        ("S", Place.LIST),
        ("d", Place.DETAIL),
        ("o", Place.DETAIL),
        ("p", Place.DETAIL),
        ("r", Place.AFTER_LOGIN),
        ("?", Place.ANY),
        ("q", Place.ANY),
        ("Ctrl+P", Place.ANY),
        ("c", Place.PAYMENT),
    ]:
        assert (label, place) in labels


@pytest.mark.parametrize("key", ["escape", "question_mark", "q"])
async def test_escape_question_mark_and_q_close_the_help(key: str) -> None:
    app = HelpApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.closed == [None]
        assert app.is_running  # q closes the help, it does not quit


def test_every_key_of_the_help_screen_is_in_the_table() -> None:
    documented = {key for row in keys_for(Place.HELP) for key in row.keys}
    bound = {binding.key for binding in HelpScreen.BINDINGS if not isinstance(binding, tuple)}
    assert bound and bound <= documented


def test_the_readme_table_has_one_row_per_key() -> None:
    table = markdown_table().splitlines()
    assert table[0] == "| Key | Where | What it does |"
    assert len(table) == 2 + len(KEYS)
    assert "| `Ctrl+P` | Everywhere | Commands: refresh, log out, theme, language |" in table
    assert "| `/` | Invoices | Filter the invoices by text |" in table
