"""The screens never wait on the keyring: the login form is painted and answers keys at once,
and a keyring that never answers is said so after its deadline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from textual.widgets import Checkbox, Input

from espace_tui.local import credentials
from support.hanging_keyring import HangingKeyring
from support.tui import SIZE, make_app, screen_name, until


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(credentials, "TIMEOUT", 0.5)
    yield backend
    backend.release.set()


async def test_the_form_is_usable_while_the_keyring_hangs(
    hanging: HangingKeyring, mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path, password=None, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert screen_name(pilot) == "LoginScreen"
        assert hanging.calls >= 1  # asked, and not answered yet
        await pilot.press("d", "e", "m", "o")
        assert pilot.app.screen.query_one("#password", Input).value == "demo"
        await until(pilot, lambda: app.notices, "the keyring's silence told")
        assert "did not answer within 0.5 s" in app.notices[-1]
        box = pilot.app.screen.query_one("#remember", Checkbox)
        assert box.disabled and not box.value
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")


async def test_a_stored_password_logs_in_once_the_keyring_answers(
    mock_portal: Any, tmp_path: Path
) -> None:
    credentials.store_password(mock_portal.base_url, "demo", "demo")
    app = make_app(mock_portal.base_url, tmp_path, password=None, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
