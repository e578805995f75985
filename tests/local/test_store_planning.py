"""The planning in the local store: what was read comes back for its days, a day read empty is
an empty day (not an unknown one), a file of the previous schema is brought up without losing
its invoices, and the store's rules hold (0600, one transaction, rebuilt when damaged)."""

from __future__ import annotations

import json
import sqlite3
import stat
from datetime import date, datetime, time
from pathlib import Path

import pytest

from espace_tui.core.model import Account, FamilyMember, Invoice
from espace_tui.core.planning import Booking, Kind, Service
from espace_tui.core.serial import to_data
from espace_tui.local import store as store_module
from espace_tui.local.store import Store

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
NOW = datetime(2026, 12, 2, 9, 30)
MONDAY, SUNDAY = date(2026, 11, 30), date(2026, 12, 6)
MEAL = Booking(
    member_id="3",
    member="ECOUFLANT Lucas",
    day=date(2026, 12, 3),
    start=time(11, 45),
    end=time(13, 30),
    activity="Restauration scolaire",
    place="École Jean Moulin",
    kind=Kind.ABSENT,
    service=Service.CANTEEN,
    label="Repas-Abs",
    body="Repas\nMenu",
    actions=("Modifier la réservation",),
    group_id="G12",
    event_id="E1",
)
WEDNESDAY = Booking(member_id="4", member="ECOUFLANT Léa", day=date(2026, 12, 2), event_id="W1")

SCHEMA_1 = """
CREATE TABLE accounts (account TEXT PRIMARY KEY, portal TEXT NOT NULL, username TEXT NOT NULL,
    dashboard TEXT NOT NULL, read_at TEXT NOT NULL);
CREATE TABLE invoices (account TEXT NOT NULL REFERENCES accounts(account) ON DELETE CASCADE,
    id TEXT NOT NULL, position INTEGER NOT NULL, invoice TEXT NOT NULL, detail_read_at TEXT,
    first_seen TEXT NOT NULL, PRIMARY KEY (account, id));
CREATE TABLE checks (account TEXT PRIMARY KEY REFERENCES accounts(account) ON DELETE CASCADE,
    checked_at TEXT NOT NULL);
PRAGMA user_version = 1;
"""
"""The store as espace-tui wrote it before the planning (schema 1)."""


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "cache" / "store.sqlite3")


def test_the_planning_of_a_week_comes_back_for_its_days(store: Store) -> None:
    assert store.load_planning(PORTAL, "demo", MONDAY, SUNDAY) is None
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL, WEDNESDAY], read_at=NOW)
    stored = store.load_planning(PORTAL, "demo", MONDAY, SUNDAY)
    assert stored is not None
    assert stored.bookings == (WEDNESDAY, MEAL)  # by date
    assert stored.read_at == NOW and len(stored.days_read) == 7
    one_day = store.load_planning(PORTAL, "demo", date(2026, 12, 3), date(2026, 12, 3))
    assert one_day is not None and one_day.bookings == (MEAL,)
    assert store.load_planning(PORTAL, "marie", MONDAY, SUNDAY) is None  # accounts apart
    assert store.load(PORTAL, "demo") is None  # no invoices were read: none are made up


def test_reading_a_week_again_replaces_it_and_an_empty_day_stays_known(store: Store) -> None:
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL, WEDNESDAY], read_at=NOW)
    later = datetime(2026, 12, 3, 8, 0)
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [WEDNESDAY], read_at=later)
    stored = store.load_planning(PORTAL, "demo", date(2026, 12, 3), date(2026, 12, 3))
    assert stored is not None and stored.bookings == () and stored.read_at == later


def test_the_oldest_reading_of_the_range_is_the_one_told(store: Store) -> None:
    store.save_planning(PORTAL, "demo", MONDAY, date(2026, 12, 2), [WEDNESDAY], read_at=NOW)
    later = datetime(2026, 12, 5, 8, 0)
    store.save_planning(PORTAL, "demo", date(2026, 12, 3), SUNDAY, [MEAL], read_at=later)
    stored = store.load_planning(PORTAL, "demo", MONDAY, SUNDAY)
    assert stored is not None and stored.read_at == NOW
    assert stored.bookings == (WEDNESDAY, MEAL)


def test_a_store_of_the_previous_schema_is_brought_up_with_its_invoices(store: Store) -> None:
    store.path.parent.mkdir(parents=True)
    account = Account(members=(FamilyMember("3", "ECOUFLANT Lucas", "garcon"),))
    key = f"demo@{PORTAL}"
    with sqlite3.connect(store.path) as connection:  # as the previous version wrote it
        connection.executescript(SCHEMA_1)
        connection.execute(
            "INSERT INTO accounts VALUES (?, ?, ?, ?, ?)",
            (key, PORTAL, "demo", json.dumps(to_data(account)), NOW.isoformat()),
        )
        connection.execute(
            "INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?)",
            (key, "651", 0, json.dumps(to_data(Invoice(id="651"))), None, NOW.isoformat()),
        )
    stored = store.load(PORTAL, "demo")  # opening brings it up
    assert stored is not None and stored.account == account
    assert [i.id for i in stored.invoice_list()] == ["651"]
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
    assert not list(store.path.parent.glob("*.unreadable-*"))  # nothing set aside
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL], read_at=NOW)
    planning = store.load_planning(PORTAL, "demo", MONDAY, SUNDAY)
    assert planning is not None and planning.bookings == (MEAL,)


def test_the_file_stays_the_owners_only(store: Store) -> None:
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL], read_at=NOW)
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_write_is_all_or_nothing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL], read_at=NOW)
    broken = Booking(member_id="3", member="x", day=date(2026, 12, 4), event_id="E9")
    original = store_module.booking_data

    def failing(booking: Booking) -> dict[str, object]:
        if booking is broken:  # the run is stopped half way through the week
            raise KeyboardInterrupt
        return original(booking)

    monkeypatch.setattr(store_module, "booking_data", failing)
    with pytest.raises(KeyboardInterrupt):
        store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [WEDNESDAY, broken], read_at=NOW)
    stored = store.load_planning(PORTAL, "demo", MONDAY, SUNDAY)
    assert stored is not None and stored.bookings == (MEAL,)  # the week as it was


def test_damaged_planning_rows_read_as_nothing_stored(store: Store) -> None:
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL], read_at=NOW)
    with sqlite3.connect(store.path) as connection:
        connection.execute("UPDATE planning SET booking = 'not json'")
    assert store.load_planning(PORTAL, "demo", MONDAY, SUNDAY) is None
    store.save_planning(PORTAL, "demo", MONDAY, SUNDAY, [MEAL], read_at=NOW)  # read again
    stored = store.load_planning(PORTAL, "demo", MONDAY, SUNDAY)
    assert stored is not None and stored.bookings == (MEAL,)
