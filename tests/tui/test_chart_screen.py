"""The chart of the last twelve months: reached from the dashboard (`c`) and the palette, the
month cursor shows each month's amounts per régie and in all, Escape goes back; pictures at
120x40 and 80x24 with the demo family frozen on a fixed day."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from espace_tui.tui.keys import Place, keys_for
from espace_tui.tui.screens.dashboard import DashboardScreen
from espace_tui.tui.texts import money
from espace_tui.tui.widgets.month_chart import MonthChart, month_name, nice_top, scale_label
from support.invoiced import invoiced, sums, window
from support.portals import PortalUnderTest, bundled
from support.tui import SIZE, log_in, make_app, screen_name, text, until

DAY = date(2025, 3, 14)
SMALL = (80, 24)
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


@pytest.fixture
def frozen_mock(make_mock: Any) -> Any:
    """The demo portal whose invoices are dated from DAY, not from the real today."""
    return make_mock(today=DAY)


async def open_chart(pilot: Pilot[Any]) -> MonthChart:
    await log_in(pilot)
    await pilot.press("c")
    await until(pilot, lambda: screen_name(pilot) == "ChartScreen", "the chart")
    return pilot.app.screen.query_one(MonthChart)


def expected_lines(portal: PortalUnderTest, today: date, back: int) -> list[str]:
    """What the amounts below the chart say for the month `back` months before today's: its
    name, each régie of the window with its amount, the total (from the portal's own data)."""
    table = sums(invoiced(portal), today)
    regies = sorted({name for month in table.values() for name in month}, key=_folded)
    year, month = window(today)[11 - back]
    amounts = table[(year, month)]
    lines = [f"{MONTH_NAMES[month - 1]} {year}"]
    lines += [f"{name} {money(amounts.get(name, Decimal('0')))}" for name in regies]
    lines.append(f"Total {money(sum(amounts.values(), Decimal('0')))}")
    return lines


def _folded(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if c.isascii()).casefold()


def shown_lines(pilot: Pilot[Any]) -> list[str]:
    """The amounts below the chart, each line's words and figures (swatches and padding out)."""
    lines = text(pilot, "#month-amounts").splitlines()
    return [re.sub(" +", " ", line.replace("█", " ")).strip() for line in lines]


async def test_the_month_cursor_shows_each_month_s_amounts(
    frozen_mock: Any, tmp_path: Path
) -> None:
    portal = bundled(frozen_mock)
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart(pilot)
        assert chart.has_focus
        # The current month first; then back, a month at a time, to the oldest (and no further).
        assert shown_lines(pilot) == expected_lines(portal, DAY, 0)
        for back in range(1, 12):
            await pilot.press("left")
            await pilot.pause()
            assert shown_lines(pilot) == expected_lines(portal, DAY, back), back
        await pilot.press("left")
        await pilot.pause()
        assert shown_lines(pilot)[0] == "April 2024"
        await pilot.press("end")
        await pilot.pause()
        assert shown_lines(pilot) == expected_lines(portal, DAY, 0)
        # January 2025 holds three régies' invoices; the figures are the invoices' totals.
        await pilot.press("left", "left")
        await pilot.pause()
        assert shown_lines(pilot) == [
            "January 2025",
            "ACCUEIL DE LOISIRS 19,20\u00a0€",
            "POST FACTURATION (ECOUFLANT) 48,00\u00a0€",
            "RESTAURATION SCOLAIRE 65,55\u00a0€",
            "Total 132,75\u00a0€",
        ]
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")


async def test_a_click_on_a_bar_selects_its_month(frozen_mock: Any, tmp_path: Path) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart(pilot)
        shape = chart._shape
        assert shape is not None
        x = shape.scale + 1 + shape.slot * 10  # February's bar
        await pilot.click(MonthChart, offset=(x, chart.size.height - 3))
        await pilot.pause()
        assert shown_lines(pilot)[0] == "February 2025"


async def test_the_palette_opens_the_chart(frozen_mock: Any, tmp_path: Path) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Chart" in commands
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Chart")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "ChartScreen", "the chart")


async def test_the_chart_of_each_portal_says_what_it_invoiced(
    portal: PortalUnderTest, tmp_path: Path
) -> None:
    rows = invoiced(portal)
    latest = max(issued for issued, _regie, _total in rows)
    app = make_app(
        portal.base_url,
        tmp_path,
        username=portal.username,
        password=portal.password,
        demo=portal.name == "bundled",
        today=latest,
    )
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart(pilot)
        for back in range(12):
            assert shown_lines(pilot) == expected_lines(portal, latest, back), back
            await pilot.press("left")
            await pilot.pause()
        # The legend names each régie, in the chart's order.
        legend = " ".join(str(line) for line in chart.legend_lines(chart.size.width))
        regies = [line.split(" ", 1)[0] for line in expected_lines(portal, latest, 0)[1:-1]]
        assert all(word in legend for word in regies)


async def test_nothing_in_twelve_months_is_said(frozen_mock: Any, tmp_path: Path) -> None:
    later = date(2027, 1, 1)  # the demo's invoices are all before 2026
    app = make_app(frozen_mock.base_url, tmp_path, today=later)
    async with app.run_test(size=SIZE) as pilot:
        chart = await open_chart(pilot)
        assert "Nothing was invoiced in these twelve months." in str(chart.render())
        assert shown_lines(pilot) == ["January 2027", "Total 0,00\u00a0€"]


async def steady(pilot: Pilot[Any]) -> None:
    await pilot.pause()


def test_chart_screen(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_chart(pilot)
        await pilot.press("left", "left")
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_chart_at_80x24(snap_compare: Any, frozen_mock: Any, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_chart(pilot)
        await pilot.press("left")
        await steady(pilot)

    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


async def test_the_selected_month_stays_across_a_language_switch(
    frozen_mock: Any, tmp_path: Path
) -> None:
    app = make_app(frozen_mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        await open_chart(pilot)
        await pilot.press("left", "left")
        await pilot.pause()
        await app.switch_language("fr")
        await pilot.pause()
        lines = shown_lines(pilot)
        # January still, now in French (`Janvier 2025` once the catalog has the months).
        assert lines[0] == month_name(date(2025, 1, 1))
        assert "ACCUEIL DE LOISIRS 19,20\u00a0€" in lines
        assert lines[-1] == "Montant total 132,75\u00a0€"
        assert pilot.app.screen.query_one(MonthChart).has_focus


@pytest.mark.parametrize(
    ("largest", "intervals", "top", "labels"),
    [
        ("1280.96", 4, "2000", ["500", "1\u00a0000", "1\u00a0500", "2\u00a0000"]),
        ("139.50", 2, "200", ["100", "200"]),
        ("12345.60", 4, "20000", ["5\u00a0000", "10\u00a0000", "15\u00a0000", "20\u00a0000"]),
        ("9.00", 4, "10", ["2,50", "5", "7,50", "10"]),
        ("0", 2, "2", ["1", "2"]),
    ],
)
def test_the_scale_is_round_and_in_french(
    largest: str, intervals: int, top: str, labels: list[str]
) -> None:
    value = nice_top(Decimal(largest), intervals)
    assert value == Decimal(top) and value >= Decimal(largest)
    assert [scale_label(value * k / intervals) for k in range(1, intervals + 1)] == labels


def test_every_key_of_the_chart_is_in_the_help_and_c_opens_it() -> None:
    documented = {key for row in keys_for(Place.CHART) for key in row.keys}
    bound = {b.key for b in MonthChart.BINDINGS if not isinstance(b, tuple)}
    assert bound <= documented
    dashboard = {key for row in keys_for(Place.DASHBOARD) for key in row.keys}
    assert "c" in dashboard
    assert "c" in {b.key for b in DashboardScreen.BINDINGS if not isinstance(b, tuple)}
