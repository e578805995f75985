"""The planning as both fronts ask for it: only the days of the range, kept in the store for
`--offline` (a store that cannot be written never fails the reading), whose children are shown,
and offline what was kept or a plain "never read"."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest

from espace_tui.account.planning import children, read_planning, stored_planning
from espace_tui.account.session import AccountSession
from espace_tui.core.errors import ConfigError, NothingToDo
from espace_tui.core.model import FamilyMember
from espace_tui.core.planning import Booking
from espace_tui.local.settings import Settings
from espace_tui.local.store import Store
from support.fake_portal import FakePortal

BASE = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
MONDAY, SUNDAY = date(2026, 11, 30), date(2026, 12, 6)


def booking(member_id: str, name: str, day: date, hour: int | None = None) -> Booking:
    start = time(hour) if hour is not None else None
    return Booking(member_id=member_id, member=name, day=day, start=start, event_id=f"E{day}")


BOOKINGS = [
    booking("4", "ECOUFLANT Léa", date(2026, 12, 7)),  # the next Monday: outside the week
    booking("3", "ECOUFLANT Lucas", date(2026, 12, 3), 12),
    booking("4", "ECOUFLANT Léa", date(2026, 12, 3), 8),
    booking("3", "ECOUFLANT Lucas", date(2026, 11, 29)),  # the Sunday before
]


class NoSettings:
    def load(self, warn: object = None) -> Settings:
        return Settings()

    def remember(self, portal: str, username: str) -> None: ...

    def remember_display(
        self, *, theme: str | None = None, language: str | None = None
    ) -> None: ...


class NoKeyring:
    def keyring_available(self) -> bool:
        return False

    def get_password(self, base_url: str, username: str) -> str | None:
        return None

    def store_password(self, base_url: str, username: str, password: str) -> None: ...

    def forget_password(self, base_url: str, username: str) -> bool:
        return False

    def backend_name(self) -> str:
        return "none"


async def logged_in(tmp_path: Path, store: Store | None) -> AccountSession:
    session = AccountSession(
        lambda url: FakePortal(url, [], bookings_served=BOOKINGS),
        credentials=NoKeyring(),
        settings=NoSettings(),
        download_dir=tmp_path,
        remember=False,
        store=store,
    )
    await session.login(BASE, "demo", "secret", remember=None, load=False)
    return session


async def test_only_the_days_of_the_range_sorted_and_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite3")
    session = await logged_in(tmp_path, store)
    planning = await read_planning(session, MONDAY, SUNDAY)
    assert [(b.member, b.start) for b in planning.bookings] == [
        ("ECOUFLANT Léa", time(8)),
        ("ECOUFLANT Lucas", time(12)),
    ]
    assert planning.read_at is None  # the portal's, now
    kept = stored_planning(store, BASE, "demo", MONDAY, SUNDAY)
    assert kept.bookings == planning.bookings
    assert kept.read_at is not None and kept.read_at <= datetime.now()


async def test_a_store_that_cannot_be_written_never_fails_the_reading(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    session = await logged_in(tmp_path, Store(blocked / "store.sqlite3"))
    planning = await read_planning(session, MONDAY, SUNDAY)
    assert len(planning.bookings) == 2


async def test_offline_a_range_never_read_says_so(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite3")
    with pytest.raises(NothingToDo) as raised:
        stored_planning(store, BASE, "demo", MONDAY, SUNDAY)
    assert "No planning from 30/11/2026 to 06/12/2026 was read yet for demo on ecouflant" in str(
        raised.value
    )


async def test_a_range_must_run_forwards_and_last_at_most_a_year(tmp_path: Path) -> None:
    session = await logged_in(tmp_path, None)
    with pytest.raises(ConfigError):
        await read_planning(session, SUNDAY, MONDAY)
    with pytest.raises(ConfigError):
        await read_planning(session, date(2026, 1, 1), date(2027, 6, 1))


def test_the_children_are_shown_and_anyone_else_who_has_bookings() -> None:
    family = [
        FamilyMember("1", "ECOUFLANT Jean", "pere"),
        FamilyMember("2", "ECOUFLANT Marie", "mere"),
        FamilyMember("3", "ECOUFLANT Lucas", "garcon"),
        FamilyMember("4", "ECOUFLANT Léa", "fillette"),
    ]
    assert [m.id for m in children(family, [])] == ["3", "4"]
    parent_booked = [booking("2", "ECOUFLANT Marie", MONDAY, 18)]
    assert [m.id for m in children(family, parent_booked)] == ["2", "3", "4"]
    stranger = [booking("7", "Someone", MONDAY)]
    assert [(m.id, m.name) for m in children(family, stranger)][-1] == ("7", "Someone")
