"""The list tells what is still due, puts what is to pay first, and its filter behaves: the
cursor on the first match, Escape clearing the filter, an empty result said, amounts found as
a person types them, children found by name."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from textual.widgets import Input

from espace_tui.tui.widgets.invoice_table import InvoiceTable
from support.tui import SIZE, make_app, open_list, screen_name, text, until

DAY = date(2025, 3, 14)


def numbers(table: InvoiceTable) -> list[str]:
    return [i.number or "" for i in table.rows]


def row_text(table: InvoiceTable, number: str) -> str:
    index = numbers(table).index(number)
    return table.render_line(index + 1 - round(table.scroll_y)).text


async def test_the_list_has_a_still_due_column_and_puts_what_is_to_pay_first(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock(today=DAY)
    invoices = {i.number: i for i in mock.invoices()}
    app = make_app(mock.base_url, tmp_path, today=DAY)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        assert "Still due" in table.render_line(0).text
        # 1187 is sent to the Trésor Public: 48,00 € in all, 18,00 € still due.
        assert re.search(r"48,00\u00a0€ +18,00\u00a0€", row_text(table, "1187"))
        owed = [i.status.to_pay and i.remaining > 0 for i in (invoices[n] for n in numbers(table))]
        first_not_owed = owed.index(False)
        assert all(owed[:first_not_owed]) and not any(owed[first_not_owed:])
        overdue = [invoices[n].due < DAY for n in numbers(table)[:first_not_owed]]
        assert overdue == sorted(overdue, reverse=True)  # overdue first, then the others to pay
        assert "! overdue" in text(pilot, "#invoices-summary")


async def test_after_a_filter_the_cursor_is_on_the_first_match(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("end")  # the cursor far down, on an invoice the filter will hide
        last = table.highlighted
        assert last is not None
        await pilot.press("slash", *"restauration", "enter")
        await pilot.pause()
        assert table.rows and last not in table.rows
        assert table.cursor == 0 and table.highlighted is table.rows[0]
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        assert app.screen.invoice_id == table.rows[0].id  # type: ignore[attr-defined]


async def test_escape_clears_the_filter_before_leaving_the_list(
    mock_portal: Any, tmp_path: Path
) -> None:
    total = len(mock_portal.invoices())
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("slash", *"loisirs", "enter")
        await pilot.pause()
        assert len(table.rows) < total and app.focused is table
        await pilot.press("escape")
        await pilot.pause()
        assert screen_name(pilot) == "InvoicesScreen"
        assert len(table.rows) == total
        assert app.screen.query_one("#filter", Input).value == ""
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(pilot) == "DashboardScreen", "the dashboard")


async def test_a_filter_that_matches_nothing_says_so(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("slash", *"zzzz", "enter")
        await pilot.pause()
        assert table.rows == []
        assert "No invoice matches this filter" in table.render_line(1).text


async def test_the_filter_finds_amounts_as_a_person_types_them(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        for typed, expected in (("1234", "3107"), ("1 234", "3107"), ("23.20", "651")):
            await pilot.press("slash", *["backspace"] * 8, *typed, "enter")
            await pilot.pause()
            assert expected in numbers(table), typed
            assert len(table.rows) < len(mock_portal.invoices()), typed
        await pilot.press("slash", *["backspace"] * 8, *"23,20", "enter")
        await pilot.pause()
        assert "651" in numbers(table)


async def test_the_filter_finds_the_children_named_on_the_invoices_lines(
    mock_portal: Any, tmp_path: Path
) -> None:
    invoices = mock_portal.invoices()
    child = invoices[0].lines[0].person.split()[-1]  # a first name, e.g. "Lucas"
    expected = sorted(i.number for i in invoices if any(child in line.person for line in i.lines))
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("slash", *child.lower(), "enter")
        await pilot.pause()
        assert expected and sorted(numbers(table)) == expected
