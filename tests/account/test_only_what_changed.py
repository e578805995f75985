"""A second run asks the portal only for what can have changed: the list, and the details of
the invoices that are new, changed, or still to pay; everything else comes from the store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from espace_tui.account.owed import is_owed
from espace_tui.account.portals import real_portal
from espace_tui.account.services import FileSettings, KeyringCredentials
from espace_tui.account.session import AccountSession
from espace_tui.local.store import Store


async def read_twice(mock: Any, store: Store, tmp_path: Path, **options: bool) -> list[Any]:
    results = []
    for _run in range(2):
        session = AccountSession(
            real_portal,
            credentials=KeyringCredentials(),
            settings=FileSettings(),
            download_dir=tmp_path,
            remember=False,
        )
        await session.login(mock.base_url, "demo", "demo", remember=None, load=False)
        before = mock.stats.detail_requests
        invoices = await session.all_invoices(store=store, **options)
        results.append((invoices, mock.stats.detail_requests - before))
        await session.logout()
    return results


async def test_the_second_run_reads_only_the_details_still_to_pay(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock(invoices=120)
    store = Store(tmp_path / "store.sqlite3")
    (first, first_details), (second, second_details) = await read_twice(mock, store, tmp_path)
    assert first_details == 120
    owing = [i for i in first if i.status.to_pay or is_owed(i)]
    assert 0 < len(owing) < 120
    assert second_details == len(owing)
    assert second == first  # the same invoices, the same details, from the store or not
    assert [i.detail for i in second] == [i.detail for i in first]


async def test_refresh_all_reads_every_detail_again(make_mock: Any, tmp_path: Path) -> None:
    mock = make_mock(invoices=30)
    store = Store(tmp_path / "store.sqlite3")
    (_first, _), (_second, details) = await read_twice(mock, store, tmp_path, refresh_all=True)
    assert details == 30


async def test_a_paid_invoice_is_read_again_when_its_row_changes(
    make_mock: Any, tmp_path: Path
) -> None:
    mock = make_mock()
    store = Store(tmp_path / "store.sqlite3")
    session = AccountSession(
        real_portal,
        credentials=KeyringCredentials(),
        settings=FileSettings(),
        download_dir=tmp_path,
        remember=False,
    )
    await session.login(mock.base_url, "demo", "demo", remember=None, load=False)
    first = await session.all_invoices(store=store)
    payable = next(i for i in first if i.payable_online)
    mock.mark_paid(payable.id)  # its row now says "Payée": read again, and stored as paid
    second = await session.all_invoices(store=store)
    again = next(i for i in second if i.id == payable.id)
    assert again.status.value == "paid"
    await session.logout()
