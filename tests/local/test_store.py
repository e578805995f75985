"""The local store: what was read comes back the same, the file is the owner's only, a damaged
or unknown file is started again without a word of error, and a write is all or nothing."""

from __future__ import annotations

import sqlite3
import stat
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from espace_tui.core.model import Account, FamilyMember, Invoice, InvoiceDetail, InvoiceLine, Regie
from espace_tui.local import store as store_module
from espace_tui.local.store import Store

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
NOW = datetime(2026, 12, 2, 9, 30)
ACCOUNT = Account(
    greeting="Bonjour Monsieur Ecouflant",
    last_connection=datetime(2018, 11, 9, 15, 31),
    members=(FamilyMember("101", "ECOUFLANT Léa", "fillette"),),
)
INVOICE = Invoice(
    id="318204",
    number="651",
    label="Septembre 2018",
    regie=Regie("1", "POST FACTURATION (ECOUFLANT)"),
    row_issued_on=date(2018, 10, 4),
    row_amount=Decimal("23.20"),
    row_status_label="Transmise au Trésor Public",
).with_detail(
    InvoiceDetail(
        id="318204",
        total=Decimal("23.20"),
        remaining=Decimal("23.20"),
        due_on=date(2018, 11, 5),
        lines=(InvoiceLine("ECOUFLANT Léa", "Garderie", Decimal("1.5"), Decimal("3.20")),),
    )
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "cache" / "store.sqlite3")


def test_what_is_saved_comes_back_the_same(store: Store) -> None:
    assert store.load(PORTAL, "jean") is None
    store.save(PORTAL, "jean", ACCOUNT, [INVOICE], read_at=NOW, details_read={INVOICE.id})
    stored = store.load(PORTAL, "jean")
    assert stored is not None
    assert stored.account == ACCOUNT and stored.read_at == NOW
    (kept,) = stored.invoices
    assert kept.invoice == INVOICE and kept.invoice.detail == INVOICE.detail
    assert kept.detail_read_at == NOW and kept.first_seen == NOW
    assert store.load(PORTAL, "marie") is None  # accounts are kept apart


def test_the_file_is_the_owners_only_and_holds_no_secret(store: Store) -> None:
    store.save(PORTAL, "jean", ACCOUNT, [INVOICE], read_at=NOW, details_read=set())
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert b"password" not in store.path.read_bytes().lower()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "future schema", "older schema"])
def test_a_damaged_or_unknown_file_is_started_again(store: Store, damage: str) -> None:
    store.save(PORTAL, "jean", ACCOUNT, [INVOICE], read_at=NOW, details_read=set())
    if damage == "garbage":
        store.path.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        store.path.write_bytes(store.path.read_bytes()[:1500])
    else:
        with sqlite3.connect(store.path) as connection:
            connection.execute(f"PRAGMA user_version = {99 if damage == 'future schema' else 0}")
    assert store.load(PORTAL, "jean") is None  # never an error: read again from the portal
    store.save(PORTAL, "jean", ACCOUNT, [INVOICE], read_at=NOW, details_read=set())
    assert store.load(PORTAL, "jean") is not None
    assert list(store.path.parent.glob("store.sqlite3.unreadable-*"))  # kept aside, not lost


def test_a_write_is_all_or_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save(PORTAL, "jean", ACCOUNT, [INVOICE], read_at=NOW, details_read=set())
    newer = [INVOICE, Invoice(id="2", number="652")]

    real = store_module.to_data

    def killed_on_the_second(value: object) -> object:
        if isinstance(value, Invoice) and value.id == "2":
            raise KeyboardInterrupt  # the run is killed half way through the write
        return real(value)

    with monkeypatch.context() as patch:
        patch.setattr(store_module, "to_data", killed_on_the_second)
        with pytest.raises(KeyboardInterrupt):
            store.save(PORTAL, "jean", None, newer, read_at=NOW, details_read=set())
    stored = store.load(PORTAL, "jean")
    assert stored is not None and [s.invoice.id for s in stored.invoices] == [INVOICE.id]
    assert stored.account == ACCOUNT
