"""The Planning screen: the children's week from the dashboard's `b` (or the palette), a column
per child on a wide terminal and a row per child on a narrow one, absences marked, ← → for the
weeks around, t for this week; the dashboard's today and tomorrow; offline from the store; the
site's words shown as they are. Against the bundled mock frozen on a Friday."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button

from espace_tui.account.options import RunOptions
from espace_tui.core.planning import Booking, Kind
from espace_tui.local.store import Store
from espace_tui.mock import Faults
from espace_tui.tui.screens.planning import PlanningScreen
from support.fake_portal import FakePortal
from support.hostile_tui import HOSTILE, LITERALS, hostile, screen_lines, unsafe_segments, visible
from support.tui import SIZE, FakeOpener, RecordingApp, log_in, make_app, screen_name, text, until

DAY = date(2025, 3, 14)  # a Friday
SMALL = (80, 24)


@pytest.fixture
def frozen_mock(make_mock: Any) -> Any:
    return make_mock(today=DAY)


def shown_text(pilot: Pilot[Any]) -> str:
    return "\n".join(screen_lines(pilot.app))


async def open_planning(pilot: Pilot[Any]) -> PlanningScreen:
    await log_in(pilot)
    await pilot.press("b")
    await until(pilot, lambda: screen_name(pilot) == "PlanningScreen", "the planning")
    screen = pilot.app.screen
    assert isinstance(screen, PlanningScreen)
    await until(pilot, lambda: screen.planning is not None, "the week read")
    return screen


async def week_read(pilot: Pilot[Any], screen: PlanningScreen) -> None:
    await until(pilot, lambda: screen.planning is not None, "the week read")
    await pilot.pause()


def test_the_week_at_120x40(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_planning(pilot)
        await pilot.pause()

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_the_week_at_80x24(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_planning(pilot)
        await pilot.pause()

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


async def test_a_column_per_child_when_wide_and_a_row_per_child_when_narrow(
    frozen_mock: Any, tmp_path: Path
) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_planning(pilot)
        heading = next(line for line in screen_lines(app) if "Day" in line)
        assert "ECOUFLANT Lucas" in heading and "ECOUFLANT Léa" in heading
        assert "Week of Monday 10/03/2025 to Sunday 16/03/2025 · this week" in shown_text(pilot)
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SMALL) as pilot:
        await open_planning(pilot)
        heading = next(line for line in screen_lines(app) if "Day" in line)
        assert "Who" in heading and "What" in heading and "Lucas" not in heading
        rows = [line for line in screen_lines(app) if "ECOUFLANT" in line]
        assert "Lucas" in rows[0] and "Léa" in rows[1]  # Monday: one row each


async def test_left_right_and_t_move_between_the_weeks(frozen_mock: Any, tmp_path: Path) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        await pilot.press("right")
        await week_read(pilot, screen)
        assert "Week of Monday 17/03/2025 to Sunday 23/03/2025" in shown_text(pilot)
        assert "this week" not in shown_text(pilot)
        # Lucas's day at the holiday centre, that Wednesday, all day long.
        assert "08:30–17:30 ALSH Mercredis" in shown_text(pilot)
        await pilot.press("left", "left")
        await week_read(pilot, screen)
        assert "Week of Monday 03/03/2025 to Sunday 09/03/2025" in shown_text(pilot)
        # Thursday 06/03: Lucas was absent at the canteen; his meals are struck and marked.
        assert "ABSENT" in shown_text(pilot)
        asked = frozen_mock.stats.calendar_requests
        await pilot.press("t")
        await pilot.pause()
        assert "Week of Monday 10/03/2025 to Sunday 16/03/2025 · this week" in shown_text(pilot)
        assert frozen_mock.stats.calendar_requests == asked  # a week read is not asked again
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "back")


async def test_the_dashboard_shows_today_and_tomorrow(frozen_mock: Any, tmp_path: Path) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        today = app.screen.query_one("#bookings-today")
        await until(pilot, lambda: today.display, "today's bookings")
        # A line a day, the children by their first names (the family's name is shared).
        assert text(pilot, "#bookings-today") == (
            "Today, Friday 14/03: Léa Restauration scolaire · Lucas 11:45 Restauration scolaire"
        )
        assert text(pilot, "#bookings-tomorrow") == "Tomorrow, Saturday 15/03: nothing booked"


async def test_on_80x24_the_dashboard_shows_what_is_owed_and_the_bookings_unscrolled(
    frozen_mock: Any, tmp_path: Path
) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        tomorrow = app.screen.query_one("#bookings-tomorrow")
        await until(pilot, lambda: tomorrow.display, "the bookings")
        await pilot.pause()
        scroll = app.screen.query_one("#dashboard")
        assert scroll.scroll_y == 0  # what is owed is on top, seen
        owed, last = app.screen.query_one("#owed"), tomorrow.region
        assert owed.region.y > 0 and owed.region.height > 0
        assert last.bottom <= scroll.region.bottom  # the last line is on screen too


async def test_the_palette_opens_the_planning(frozen_mock: Any, tmp_path: Path) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Planning")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "PlanningScreen", "the planning")


async def test_offline_the_week_read_before_is_shown_with_when(
    frozen_mock: Any, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store.sqlite3")
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY, demo=False, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await open_planning(pilot)  # read online: kept
    frozen_mock.stop()
    options = RunOptions(
        portal=frozen_mock.base_url,
        username="demo",
        password=None,
        download_dir=tmp_path,
        language="en",
        offline=True,
    )

    def never(url: str) -> Any:
        raise AssertionError("offline: the portal is never built")

    offline = RecordingApp(
        options, portal_factory=never, opener=FakeOpener(), store=store, today=lambda: DAY
    )
    async with offline.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")
        await until(pilot, lambda: offline.screen.query_one("#bookings-today").display, "bookings")
        await pilot.press("b")
        await until(pilot, lambda: screen_name(pilot) == "PlanningScreen", "the planning")
        screen = offline.screen
        assert isinstance(screen, PlanningScreen)
        await week_read(pilot, screen)
        assert "Offline: as read on" in shown_text(pilot)
        assert "11:45–13:30 Restauration scolaire" in shown_text(pilot)
        await pilot.press("right")  # never read: said, not shown as an empty week
        await until(pilot, lambda: screen.query_one("#problem").display, "the problem")
        assert "No planning from 17/03/2025 to 23/03/2025 was read yet" in shown_text(pilot)


async def test_the_sites_words_are_shown_as_they_are(tmp_path: Path) -> None:
    words = Booking(
        member_id="1",
        member=hostile("member:"),
        day=DAY,
        start=time(8, 30),
        end=time(9, 0),
        activity=hostile("activity:"),
        place=hostile("place:"),
        kind=Kind.ABSENT,
    )

    def portal(base_url: str) -> FakePortal:
        return FakePortal(base_url, [], password="demo", bookings_served=[words])

    app = make_app(
        "http://127.0.0.1:8765/ecouflant/espace-citoyens/",
        tmp_path,
        today=DAY,
        portal_factory=portal,
    )
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_planning(pilot)
        await pilot.pause()
        assert unsafe_segments(app) == []
        everything = " ".join(" ".join(line.split()) for line in screen_lines(app))
        for literal in LITERALS:
            assert literal in everything
        assert visible("CANTINE [midi]") in everything
        assert screen.is_current and app.is_running  # [@click=app.quit] did nothing
        assert HOSTILE not in everything  # its control characters never reach the terminal


async def test_a_week_that_cannot_be_read_says_why_and_offers_a_retry(
    frozen_mock: Any, tmp_path: Path
) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_planning(pilot)
        frozen_mock.faults = Faults(maintenance=True)
        await pilot.press("right")
        problem = screen.query_one("#problem")
        await until(pilot, lambda: problem.display, "the problem")
        assert "maintenance" in text(pilot, "#problem-message")
        assert "Week of Monday 17/03/2025 to Sunday 23/03/2025" in shown_text(pilot)
        assert "This week could not be read." in shown_text(pilot)  # nothing made up
        frozen_mock.faults = Faults()
        await pilot.click(screen.query_one("#problem-retry", Button))
        await until(pilot, lambda: not problem.display, "the retry")
        await week_read(pilot, screen)
        assert "08:30–17:30 ALSH Mercredis" in shown_text(pilot)
        assert app.is_running and screen.is_current
