"""The invoice list: every invoice, the text filter, "to pay only", sorting, opening, refresh."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from textual.widgets import Input

from espace_tui.account.portals import real_portal
from espace_tui.account.session import DETAILS_AT_ONCE
from espace_tui.tui.screens.detail import DetailScreen
from espace_tui.tui.texts import money
from espace_tui.tui.widgets.invoice_table import InvoiceTable
from support.tui import SIZE, log_in, make_app, open_list, screen_name, text, until


def numbers(table: InvoiceTable) -> list[str]:
    return [i.number or "" for i in table.rows]


async def test_every_invoice_is_listed_with_its_amount_and_the_sites_words(
    mock_portal: Any, tmp_path: Path
) -> None:
    invoices = mock_portal.invoices()
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        assert sorted(numbers(table)) == sorted(i.number for i in invoices)
        rendered = "\n".join(table.render_line(y).text for y in range(1, len(invoices) + 1))
        for invoice in invoices:
            assert money(invoice.total) in rendered
        assert "transmise au Trésor Public" in rendered  # the detail's words, whole
        assert f"{len(invoices)} of {len(invoices)} invoices" in text(pilot, "#invoices-summary")


async def test_slash_filters_by_text_and_escape_keeps_the_filter(
    mock_portal: Any, tmp_path: Path
) -> None:
    invoices = mock_portal.invoices()
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("slash")
        assert app.focused is app.screen.query_one("#filter", Input)
        await pilot.press(*"loisirs")
        await pilot.pause()
        expected = sorted(i.number for i in invoices if "LOISIRS" in i.regie.name)
        assert sorted(numbers(table)) == expected
        await pilot.press("escape")
        assert app.focused is table
        assert screen_name(pilot) == "InvoicesScreen"
        assert sorted(numbers(table)) == expected
        # Letters typed in the filter are text, not keys: `u` and `q` did not act.
        await pilot.press("slash", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("backspace", "backspace", "backspace", *"paye")
        await pilot.pause()
        assert all("pay" in (i.status_label or "").lower() for i in table.rows)
        assert app.is_running


async def test_typing_a_number_on_the_list_filters_and_enter_opens_that_invoice(
    mock_portal: Any, tmp_path: Path
) -> None:
    seed = next(i for i in mock_portal.invoices() if i.number == "651")
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        assert app.focused is table
        await pilot.press("x")  # a stray letter does nothing: the keys stay the list's
        assert app.focused is table and app.screen.query_one("#filter", Input).value == ""
        # Digits that reach the table go to the filter, so "/651"
        # typed faster than the focus moves still filters on 651.
        await pilot.press("6", "5", "1")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "651"
        assert numbers(table) == ["651"]
        await pilot.press("enter", "enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.invoice_id == seed.id


async def test_u_shows_only_the_invoices_to_pay(mock_portal: Any, tmp_path: Path) -> None:
    invoices = mock_portal.invoices()
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("u")
        assert sorted(numbers(table)) == sorted(i.number for i in invoices if i.status.to_pay)
        assert "to pay only" in text(pilot, "#query-state")
        await pilot.press("u")
        assert len(table.rows) == len(invoices)


async def test_s_cycles_the_sort_column_and_S_reverses_it(mock_portal: Any, tmp_path: Path) -> None:
    invoices = mock_portal.invoices()
    by_number = sorted((i.number for i in invoices), key=int)
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("s")
        assert numbers(table) == by_number
        assert "sorted by number ▲" in text(pilot, "#query-state")
        await pilot.press("S")
        assert numbers(table) == by_number[::-1]
        await pilot.press("s")  # period: by issue date
        dates = [i.issued_on for i in table.rows]
        assert dates == sorted(dates)


async def test_a_click_on_a_column_title_sorts_by_it(mock_portal: Any, tmp_path: Path) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        header = table.render_line(0).text
        await pilot.click(InvoiceTable, offset=(header.index("Amount"), 0))
        amounts = [i.amount for i in table.rows]
        assert amounts == sorted(amounts)  # type: ignore[type-var]
        await pilot.click(InvoiceTable, offset=(header.index("Amount"), 0))
        assert [i.amount for i in table.rows] == sorted(amounts, reverse=True)  # type: ignore[type-var]


async def test_j_k_and_arrows_move_and_enter_opens_the_highlighted_invoice(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("j", "j", "down", "k")
        assert table.cursor == 2
        wanted = table.rows[2]
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert screen.invoice_id == wanted.id


async def test_the_cursor_and_the_filter_survive_a_refresh(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("u", "down", "down")
        chosen = table.highlighted
        assert chosen is not None
        shown = numbers(table)
        logins = mock_portal.stats.requests_by_path["MonCompte"]
        await pilot.press("r")
        await until(
            pilot,
            lambda: (
                mock_portal.stats.requests_by_path["MonCompte"] > logins
                and app.session.snapshot is not None
                and app.session.snapshot.version == 2
            ),
            "a refresh from the portal",
        )
        assert numbers(table) == shown
        assert table.highlighted is not None and table.highlighted.id == chosen.id
        assert "to pay only" in text(pilot, "#query-state")


class HeldPortal:
    """The real client, whose details after the first `DETAILS_AT_ONCE` wait for `held`: what
    the screens show meanwhile can only be the first ones (whatever the machine's speed)."""

    def __init__(self, inner: Any, held: asyncio.Event) -> None:
        self._inner = inner
        self._held = held
        self._asked = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    async def invoice_detail(self, invoice_id: str) -> Any:
        self._asked += 1
        if self._asked > DETAILS_AT_ONCE:
            await self._held.wait()
        return await self._inner.invoice_detail(invoice_id)


async def test_thousands_of_invoices_are_shown_first_and_completed_in_the_background(
    make_mock: Any, tmp_path: Path
) -> None:
    portal = make_mock(invoices=1500)
    held = asyncio.Event()  # the details after the first ones wait for it: the test says when

    def holding(base_url: str) -> HeldPortal:
        return HeldPortal(real_portal(base_url), held)

    app = make_app(portal.base_url, tmp_path, portal_factory=holding)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        snapshot = app.session.snapshot
        assert snapshot is not None and len(snapshot.invoices) == 1500
        assert snapshot.details_loaded == DETAILS_AT_ONCE  # the dashboard did not wait for all
        await pilot.press("f")
        await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the list")
        table = app.screen.query_one(InvoiceTable)
        await pilot.press("down", "down")
        chosen = table.highlighted
        assert "Loading" in text(pilot, "#invoices-summary")
        held.set()
        await until(pilot, lambda: app.session.snapshot.complete, "every detail")
        await until(pilot, lambda: "Loading" not in text(pilot, "#invoices-summary"), "done")
        assert table.highlighted is chosen or table.highlighted.id == chosen.id
        assert all(i.due_on is not None for i in table.rows)
        await pilot.press("end")
        assert table.highlighted == table.rows[-1]
        assert table.highlighted.number in table.render_line(table.size.height - 1).text
