"""The command palette's own commands (ctrl+p): refresh, log out, language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand
from textual.screen import Screen

from espace_tui.i18n import LANGUAGES, _, current_language
from espace_tui.tui.base import EspaceScreen

if TYPE_CHECKING:
    from espace_tui.tui.app import EspaceApp

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language named in itself, so it can be found whatever the current language."""


def session_commands(app: EspaceApp, screen: Screen[object]) -> Iterable[SystemCommand]:
    """Refresh and log out (once logged in), then one command per other language."""
    if app.session.logged_in and isinstance(screen, EspaceScreen):
        yield SystemCommand(
            _("Refresh"), _("Load everything again from the portal"), screen.action_refresh
        )
        yield SystemCommand(
            _("Log out"), _("End the session and go back to the login form"), app.log_out
        )
    for language in LANGUAGES:
        if language != current_language():
            name = LANGUAGE_NAMES.get(language, language)

            async def switch(language: str = language) -> None:
                await app.switch_language(language)

            yield SystemCommand(
                _("Language: {name}").format(name=name),
                _("Show espace-tui in {language}").format(language=name),
                switch,
            )
