"""The theme and the language chosen on the screens are there again at the next run, kept with
the portal and the username; `--lang` on the command line wins over the remembered language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from espace_tui.account.options import RunOptions
from espace_tui.account.portals import real_portal
from espace_tui.core import i18n
from espace_tui.local.settings import load_settings
from espace_tui.tui.app import EspaceApp
from support.tui import SIZE, FakeOpener, make_app, until


def login_title(app: EspaceApp) -> str:
    return str(app.screen.query_one("#login-title").content)  # type: ignore[attr-defined]


async def choose_french_from_the_palette(pilot: Any) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"Français")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await until(pilot, lambda: "Connectez" in login_title(pilot.app), "the form in French")


async def test_the_theme_and_the_language_are_there_at_the_next_run(
    mock_portal: Any, tmp_path: Path
) -> None:
    first = make_app(mock_portal.base_url, tmp_path, demo=False, password=None)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        first.theme = "textual-light"  # what the palette's Theme command does
        await choose_french_from_the_palette(pilot)
    kept = load_settings()
    assert (kept.theme, kept.language) == ("textual-light", "fr")

    i18n.set_language("en")  # the next run starts from the environment's language
    second = make_app(mock_portal.base_url, tmp_path, demo=False, password=None)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert second.theme == "textual-light"
        assert "Connectez" in login_title(second)

    i18n.set_language("en")  # `--lang en`: chosen on the command line
    options = RunOptions(
        portal=mock_portal.base_url,
        username="demo",
        password=None,
        download_dir=tmp_path,
        language="en",
        language_chosen=True,
    )
    third = EspaceApp(options, portal_factory=real_portal, opener=FakeOpener())
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Log in to your Espace Citoyens" in login_title(third)
        assert third.theme == "textual-light"
