"""A view per child, over both portals: `c` on the list shows one child's invoices after the
other (then everyone's), the palette does the same from anywhere, and an invoice for two
children shows its lines grouped by child with a subtotal for each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.widgets import DataTable

from espace_tui.tui.texts import money
from espace_tui.tui.widgets.invoice_table import InvoiceTable
from support.portals import PortalUnderTest
from support.tui import SIZE, log_in, make_app, open_list, screen_name, text, until

DAY = date(2025, 3, 14)


def lines_of(portal: PortalUnderTest) -> dict[str, set[str]]:
    """Each invoice's id → the persons its lines name, from the portal's own data."""
    if portal.name == "bundled":
        return {i.id: {x.person for x in i.lines} for i in portal.server.invoices()}
    from support.other_portal import BILLS

    return {b.id: {x.person for x in b.lines or () if x.person} for b in BILLS}


def app_for(portal: PortalUnderTest, tmp_path: Path) -> Any:
    return make_app(
        portal.base_url,
        tmp_path,
        username=portal.username,
        password=portal.password,
        demo=portal.name == "bundled",
    )


async def loaded_list(pilot: Any) -> InvoiceTable:
    table = await open_list(pilot)
    session = pilot.app.session
    await until(pilot, lambda: session.snapshot and session.snapshot.complete, "every detail")
    return table


async def test_c_shows_each_childs_invoices_then_everyones(
    portal: PortalUnderTest, tmp_path: Path
) -> None:
    named = lines_of(portal)
    children = list(dict.fromkeys(p for i in portal.invoices for p in sorted(named[i.id])))
    app = app_for(portal, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await loaded_list(pilot)
        seen: list[str] = []
        for _child in children:
            await pilot.press("c")
            await pilot.pause()
            state = text(pilot, "#query-state")
            assert state.startswith("child: ")
            child = state.removeprefix("child: ")
            seen.append(child)
            shown = {i.id for i in table.rows}
            assert shown == {i for i, persons in named.items() if child in persons}
            assert f"{len(shown)} of {len(named)} invoices" in text(pilot, "#invoices-summary")
        assert sorted(seen) == sorted(children)
        await pilot.press("c")  # after the last child: everyone again
        await pilot.pause()
        assert "child:" not in text(pilot, "#query-state")
        assert len(table.rows) == len(named)


async def test_the_palette_opens_the_first_childs_invoices(
    mock_portal: Any, tmp_path: Path
) -> None:
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        session = app.session
        await until(pilot, lambda: session.snapshot and session.snapshot.complete, "the details")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Next child")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "InvoicesScreen", "the list")
        await pilot.pause()
        child = text(pilot, "#query-state").removeprefix("child: ")
        assert child in ("ECOUFLANT Lucas", "ECOUFLANT Léa")
        rows = app.screen.query_one(InvoiceTable).rows
        assert rows and all(
            any(line.person == child for line in invoice.detail.lines) for invoice in rows
        )


def cells(table: DataTable[Any]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def open_1187(pilot: Any) -> DataTable[Any]:
    table = await open_list(pilot)
    await pilot.press("slash", *"1187", "enter")
    await until(pilot, lambda: [i.number for i in table.rows] == ["1187"], "invoice 1187")
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
    return pilot.app.screen.query_one("#lines", DataTable)


async def test_an_invoice_for_two_children_groups_its_lines_with_subtotals(
    mock_portal: Any, tmp_path: Path
) -> None:
    bill = next(i for i in mock_portal.invoices() if i.number == "1187")
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        rows = cells(await open_1187(pilot))
    expected: list[list[str]] = []
    for person in dict.fromkeys(x.person for x in bill.lines):
        mine = [x for x in bill.lines if x.person == person]
        expected += [
            [x.person, x.service, "12", money(x.unit_price), money(x.amount)] for x in mine
        ]
        subtotal = sum((x.amount for x in mine), Decimal("0.00"))
        expected.append([person, "Subtotal", "", "", money(subtotal)])
    assert rows == expected


async def test_one_childs_invoice_has_no_subtotal(mock_portal: Any, tmp_path: Path) -> None:
    bill = next(i for i in mock_portal.invoices() if i.number == "651")  # Lucas alone
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        table = await open_list(pilot)
        await pilot.press("slash", *"651", "enter")
        await until(pilot, lambda: [i.number for i in table.rows] == ["651"], "invoice 651")
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        rows = cells(app.screen.query_one("#lines", DataTable))
    assert [r[1] for r in rows] == [x.service for x in bill.lines]


def test_the_grouped_detail(snap_compare: Any, make_mock: Any, tmp_path: Path) -> None:
    mock = make_mock(today=DAY)

    async def run_before(pilot: Any) -> None:
        await open_1187(pilot)
        # Sent to the Trésor Public: its payment numbers come a moment after the detail.
        await until(pilot, lambda: pilot.app.screen.treasury is not None, "the numbers")

    app = make_app(mock.base_url, tmp_path, today=DAY)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def two_children_with_markup(base_url: str) -> Any:
    from espace_tui.core.model import Invoice, InvoiceDetail, InvoiceLine, Regie
    from support.fake_portal import FakePortal

    lines = (
        InvoiceLine("[b]Tom[/b]", "Cantine", Decimal("2"), Decimal("3.00"), Decimal("6.00")),
        InvoiceLine("[@click=app.quit]Léa[/]", "Garderie", None, None, Decimal("4.00")),
        InvoiceLine("[b]Tom[/b]", "Garderie", None, None, Decimal("1.50")),
    )
    row = Invoice(id="77", number="77", regie=Regie("1", "ÉCOLE"), row_status_label="Payée")
    detail = InvoiceDetail(id="77", total=Decimal("11.50"), status_label="Payée", lines=lines)
    return FakePortal(base_url, [row.with_detail(detail)])


async def test_the_childrens_names_in_the_subtotals_are_shown_as_written(tmp_path: Path) -> None:
    app = make_app(
        "https://www.espace-citoyens.net/ecouflant/espace-citoyens/",
        tmp_path,
        username="u",
        password="secret",
        demo=False,
        portal_factory=two_children_with_markup,
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_list(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert text(pilot, "#query-state") == "child: [b]Tom[/b]"
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(pilot) == "DetailScreen", "the detail")
        rows = cells(app.screen.query_one("#lines", DataTable))
        assert screen_name(pilot) == "DetailScreen"  # the name's [@click] did nothing
    assert [(r[0], r[1], r[4]) for r in rows] == [
        ("[b]Tom[/b]", "Cantine", money(Decimal("6.00"))),
        ("[b]Tom[/b]", "Garderie", money(Decimal("1.50"))),
        ("[b]Tom[/b]", "Subtotal", money(Decimal("7.50"))),
        ("[@click=app.quit]Léa[/]", "Garderie", money(Decimal("4.00"))),
        ("[@click=app.quit]Léa[/]", "Subtotal", money(Decimal("4.00"))),
    ]
