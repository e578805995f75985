"""No key is lost, no focus is lost: a refresh keeps the rows shown and usable, and a language
switch from the palette leaves the focus where it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from espace_tui.tui.screens.invoices import InvoicesScreen
from support.tui import SIZE, make_app, open_list, screen_name, text, until


async def test_during_a_refresh_the_rows_stay_and_the_keys_act_on_them(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock(latency_ms=150)
    app = make_app(mock.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        rows = list(table.rows)
        await pilot.press("r")
        await pilot.pause()
        assert any(w.group == "load" and w.is_running for w in screen.workers)
        assert "refreshing" in text(pilot, "#query-state")
        assert not table.loading and list(table.rows) == rows
        await pilot.press("down", "down")
        assert table.cursor == 2
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        assert app.screen.invoice_id == rows[2].id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await until(pilot, lambda: not any(w.is_running for w in screen.workers), "the refresh")
        assert "refreshing" not in text(pilot, "#query-state")
        assert table.highlighted is not None and table.highlighted.id == rows[2].id


async def test_switching_the_language_from_the_palette_keeps_the_lists_focus(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("down")
        chosen = table.highlighted
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Français")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await until(pilot, lambda: "Mes factures" in str(app.screen.title), "the list in French")
        new_table = app.screen.query_one("#table")
        assert app.focused is new_table
        assert new_table.highlighted is chosen  # type: ignore[attr-defined]
        await pilot.press("down")
        assert new_table.cursor == 2  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
