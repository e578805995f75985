"""French everywhere in French: Textual's own words (the Ctrl+C notice, the palette's
placeholders) and the system's reasons go through the catalog like every other message.

The catalog's French is the translator's: these tests install a stand-in translation that marks
every message it translates (`«…»`), so they check that each word goes through it."""

from __future__ import annotations

import errno
import gettext
from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandInput

from espace_tui.core import i18n
from espace_tui.tui.problems import problem_for
from support.tui import SIZE, log_in, make_app, until


class Marking(gettext.NullTranslations):
    """A translation that shows which messages were translated."""

    def gettext(self, message: str) -> str:
        return f"«{message}»"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"«{singular if n == 1 else plural}»"


@pytest.fixture
def marking(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_translations", Marking())


async def test_ctrl_c_says_in_the_users_language_how_to_quit(
    mock_portal: Any, tmp_path: Path, marking: None
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: app.notices, "a notice")
        assert app.notices[-1] == "«Do you want to quit? Press q to quit espace-tui.»"
        assert all("quit the app" not in notice for notice in app.notices)


async def test_the_palettes_placeholders_are_translated(
    mock_portal: Any, tmp_path: Path, marking: None
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.query(CommandInput), "the palette")
        assert app.screen.query_one(CommandInput).placeholder == "«Search for commands…»"
        await pilot.press("escape")
        await pilot.pause()
        app.search_themes()
        await until(pilot, lambda: app.screen.query(CommandInput), "the theme list")
        assert app.screen.query_one(CommandInput).placeholder == "«Search for themes…»"


def test_a_file_error_is_told_in_our_words_not_the_systems() -> None:
    missing = FileNotFoundError(errno.ENOENT, "No such file or directory", "/tmp/x.pdf")
    message = problem_for(missing).message
    assert "No such file or directory" not in message
    assert "the file or folder does not exist" in message and "/tmp/x.pdf" in message
    full = problem_for(OSError(errno.ENOSPC, "No space left on device")).message
    assert "the disk is full" in full and "No space left" not in full
