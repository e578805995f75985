"""The dashboard: what is owed now against the injected day, the family, a line per régie."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import OptionList

from espace_tui.core.formats import format_date
from espace_tui.tui.screens.invoices import InvoicesScreen
from espace_tui.tui.texts import money
from support.tui import SIZE, log_in, make_app, screen_name, text, to_pay, until


async def test_the_dashboard_counts_what_is_owed_and_overdue_against_today(
    mock_portal: Any, tmp_path: Path
) -> None:
    invoices = mock_portal.invoices()
    # A day chosen so that the mock's invoices to pay are split between overdue and not.
    dues = sorted(i.due for i in invoices if i.status.to_pay)
    today = dues[len(dues) // 2]
    overdue = sum(1 for i in invoices if i.status.to_pay and i.due < today)
    next_due = min(d for d in dues if d >= today)
    app = make_app(mock_portal.base_url, tmp_path, today=today)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        owed = text(pilot, "#owed")
        total, count = to_pay(invoices)
        assert f"To pay now: {money(total)} ({count} invoices)" in owed
        assert f"Next due date: {format_date(next_due)}" in owed
        assert overdue > 0
        expected = "1 invoice is overdue." if overdue == 1 else f"{overdue} invoices are overdue."
        assert expected in owed
        assert "ECOUFLANT Lucas" in text(pilot, "#family")


async def test_nothing_is_overdue_long_before_the_due_dates(
    mock_portal: Any, tmp_path: Path
) -> None:
    earliest = min(i.due for i in mock_portal.invoices())
    app = make_app(mock_portal.base_url, tmp_path, today=earliest - timedelta(days=1))
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        assert "overdue" not in text(pilot, "#owed")


async def test_one_line_per_regie_with_what_is_to_pay_there(
    mock_portal: Any, tmp_path: Path
) -> None:
    invoices = mock_portal.invoices()
    app = make_app(mock_portal.base_url, tmp_path, today=date.today())
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        regies = app.screen.query_one("#regies", OptionList)
        lines = [str(regies.get_option_at_index(n).prompt) for n in range(regies.option_count)]
        assert lines[0] == f"All invoices ({len(invoices)})"
        names = list(dict.fromkeys(i.regie.name for i in invoices))
        assert len(lines) == 1 + len(names)
        for name, line in zip(names, lines[1:], strict=True):
            mine = [i for i in invoices if i.regie.name == name]
            total, count = to_pay(mine)
            assert line.startswith(f"{name}: {len(mine)} invoice")
            assert line.endswith(f"{count} to pay ({money(total)})")


async def test_f_opens_every_invoice_and_a_regie_line_opens_that_regie(
    mock_portal: Any, tmp_path: Path
) -> None:
    invoices = mock_portal.invoices()
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        await pilot.press("f")
        await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the list")
        assert len(app.screen.query_one("#table").rows) == len(invoices)
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "back")
        await pilot.press("down", "down", "enter")
        await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the list")
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        second = list(dict.fromkeys(i.regie.name for i in invoices))[1]
        shown = screen.query_one("#table").rows
        assert {i.regie_name for i in shown} == {second}
        assert len(shown) == sum(1 for i in invoices if i.regie.name == second)
