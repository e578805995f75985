"""One picture per screen, against the mock with its demo family frozen on a fixed day.

Update with `pytest tests/test_tui_snapshots.py --snapshot-update` after a deliberate change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from support.tui import SIZE, log_in, make_app, open_list, screen_name, until

DAY = date(2025, 3, 14)


@pytest.fixture
def frozen_mock(make_mock: Any) -> Any:
    """The demo portal whose invoices are dated from DAY, not from the real today."""
    return make_mock(today=DAY)


async def steady(pilot: Pilot[Any]) -> None:
    """No blinking cursor, nothing pending: the same picture every time."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_login_screen(snap_compare: Any, tmp_path: Path) -> None:
    app = make_app(
        "https://www.espace-citoyens.net/ecouflant/espace-citoyens/",
        tmp_path,
        password=None,
        demo=False,
        today=DAY,
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=steady)


def test_dashboard_screen(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await log_in(pilot)
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_invoice_list_screen(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_list(pilot)
        await pilot.press("down", "down")
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_invoice_detail_screen(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_list(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


SMALL = (80, 24)
"""A real terminal's default size: what a new user often has."""


def test_login_refused_at_80x24(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.screen.problem, "the refusal")  # type: ignore[attr-defined]
        # The mock's address holds a random port: show the commune, as a user types it.
        pilot.app.screen.query_one("#portal", Input).value = "ecouflant"
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, password="wrong", today=DAY)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_invoice_list_at_80x24(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_list(pilot)
        await pilot.press("down", "down")
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_help_at_80x24(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_list(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)
