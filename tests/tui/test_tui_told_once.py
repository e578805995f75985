"""A portal that dies under the invoice's screen is told once: in the banner, with its Retry,
not again in a notification for each key pressed meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from espace_tui.tui.screens.detail import DetailScreen
from support.tui import SIZE, make_app, open_list, screen_name, until


async def test_a_dead_portal_is_told_once_on_the_invoice(make_mock: Any, tmp_path: Path) -> None:
    portal = make_mock()
    app = make_app(portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        portal.stop()
        await pilot.press("r")
        await until(pilot, lambda: screen.query_one("#problem").message, "the banner")  # type: ignore[attr-defined]
        banner = screen.query_one("#problem").message  # type: ignore[attr-defined]
        assert "Could not reach the portal" in banner
        before = list(app.notices)
        await pilot.press("d")  # save the PDF: the same dead portal
        await until(pilot, lambda: not any(w.is_running for w in screen.workers), "the save")
        await pilot.pause()
        assert [n for n in app.notices[len(before) :] if n == banner] == []
        assert screen.query_one("#problem").message == banner  # type: ignore[attr-defined]
