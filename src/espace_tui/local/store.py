"""The local store of what was read from the portal: one SQLite file per user, in the cache
folder (it can always be rebuilt from the portal).

It holds, per account (a portal and a username), the dashboard, every invoice with its detail,
the family's planning (bookings) of the days read, and when each was read; never a password, a
cookie or PDF bytes. The file is created readable
by its owner only (0600). Every write is one transaction, so a run killed half way leaves the
last complete state. A file whose schema this version does not know, or that is damaged, is
moved aside and started again empty: the next run online fills it; it never stops the program.
A file of the previous schema (1: no planning) is brought to this one in one transaction.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from espace_tui.core.model import Account, Invoice
from espace_tui.core.planning import Booking, booking_data, booking_from_data, ordered
from espace_tui.core.serial import SerialError, from_data, to_data
from espace_tui.local import locations

SCHEMA_VERSION = 2
TIMEOUT = 5.0
"""Seconds to wait for another espace-tui that is writing the same file."""

_SCHEMA = """
CREATE TABLE accounts (
    account TEXT PRIMARY KEY,
    portal TEXT NOT NULL,
    username TEXT NOT NULL,
    dashboard TEXT NOT NULL,
    read_at TEXT NOT NULL
);
CREATE TABLE invoices (
    account TEXT NOT NULL REFERENCES accounts(account) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    invoice TEXT NOT NULL,
    detail_read_at TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (account, id)
);
CREATE TABLE checks (
    account TEXT PRIMARY KEY REFERENCES accounts(account) ON DELETE CASCADE,
    checked_at TEXT NOT NULL
);
"""
_PLANNING = """
CREATE TABLE IF NOT EXISTS planning (
    account TEXT NOT NULL,
    day TEXT NOT NULL,
    position INTEGER NOT NULL,
    booking TEXT NOT NULL,
    PRIMARY KEY (account, day, position)
);
CREATE TABLE IF NOT EXISTS planning_days (
    account TEXT NOT NULL,
    day TEXT NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (account, day)
);
"""
"""Schema 2. The planning has no reference to `accounts`: it can be read before the invoices
ever were. `planning_days` says which days were read, and when: a day read without bookings
is an empty day, not an unknown one."""


def account_key(portal: str, username: str) -> str:
    """One account: a username on a portal (as the keyring names it)."""
    return f"{username}@{portal}"


@dataclass(frozen=True, slots=True)
class StoredInvoice:
    """An invoice as last read, when its detail was read, and when it was first seen."""

    invoice: Invoice
    detail_read_at: datetime | None
    first_seen: datetime


@dataclass(frozen=True, slots=True)
class StoredAccount:
    """What the store holds for one account."""

    portal: str
    username: str
    account: Account
    read_at: datetime
    """When the portal was last read for this account."""
    invoices: tuple[StoredInvoice, ...]
    checked_at: datetime | None = None
    """When `check` last looked (what came since is "new")."""

    def invoice_list(self) -> list[Invoice]:
        return [stored.invoice for stored in self.invoices]


@dataclass(frozen=True, slots=True)
class StoredPlanning:
    """The stored planning of some days."""

    bookings: tuple[Booking, ...]
    read_at: datetime
    """When the oldest of those days was read from the portal."""
    days_read: frozenset[date]
    """The days that were read (the others of the range never were)."""


class Store:
    """The store's file (opened for each operation; nothing stays open between them)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or locations.cache_dir() / "store.sqlite3"

    def _write(self, write: Callable[[], None]) -> None:
        """One write; a file damaged beyond what opening sees is set aside and written anew."""
        try:
            write()
        except sqlite3.DatabaseError:
            self._set_aside()
            write()

    # -- opening ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """A connection to a file of this schema; a file that is not is moved aside first."""
        try:
            connection = self._open()
        except sqlite3.DatabaseError:
            self._set_aside()
            connection = self._open()
        try:
            yield connection
        finally:
            connection.close()

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.path.exists():
            # Created 0600 before SQLite opens it: it names the family and its amounts.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        connection = sqlite3.connect(self.path, timeout=TIMEOUT)
        try:
            connection.execute("PRAGMA foreign_keys = ON")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and not self._tables(connection):
                with connection:
                    connection.executescript(_SCHEMA + _PLANNING)
                    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            elif version == 1:
                # The planning's tables and the new version in one transaction: a run killed
                # half way leaves schema 1, which the next run brings up again.
                connection.executescript(
                    f"BEGIN; {_PLANNING} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
                )
            elif version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema {version}, not {SCHEMA_VERSION}")
            connection.execute("SELECT count(*) FROM invoices").fetchone()
            connection.execute("SELECT count(*) FROM planning_days").fetchone()
        except sqlite3.DatabaseError:
            connection.close()
            raise
        return connection

    @staticmethod
    def _tables(connection: sqlite3.Connection) -> list[str]:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return [row[0] for row in rows]

    def _set_aside(self) -> None:
        """Keep the unreadable file beside, for whoever wants to look; start a new one."""
        aside = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
        for suffix in ("", "-journal", "-wal", "-shm"):
            source = Path(f"{self.path}{suffix}")
            if source.exists():
                with contextlib.suppress(OSError):
                    source.replace(Path(f"{aside}{suffix}"))
        with contextlib.suppress(OSError):
            self.path.unlink()

    # -- reading ----------------------------------------------------------------------------

    def load(self, portal: str, username: str) -> StoredAccount | None:
        """What was stored for this account, or None (never read, or unreadable)."""
        key = account_key(portal, username)
        try:
            with self._connection() as connection:
                head = connection.execute(
                    "SELECT dashboard, read_at FROM accounts WHERE account = ?", (key,)
                ).fetchone()
                if head is None:
                    return None
                rows = connection.execute(
                    "SELECT invoice, detail_read_at, first_seen FROM invoices "
                    "WHERE account = ? ORDER BY position",
                    (key,),
                ).fetchall()
                checked = connection.execute(
                    "SELECT checked_at FROM checks WHERE account = ?", (key,)
                ).fetchone()
            return StoredAccount(
                portal=portal,
                username=username,
                account=from_data(Account, json.loads(head[0])),
                read_at=datetime.fromisoformat(head[1]),
                invoices=tuple(
                    StoredInvoice(
                        invoice=from_data(Invoice, json.loads(data)),
                        detail_read_at=datetime.fromisoformat(read) if read else None,
                        first_seen=datetime.fromisoformat(seen),
                    )
                    for data, read, seen in rows
                ),
                checked_at=datetime.fromisoformat(checked[0]) if checked else None,
            )
        except (sqlite3.DatabaseError, SerialError, ValueError):
            # Rows this version cannot read: as if nothing were stored (rebuilt online).
            return None

    # -- writing ----------------------------------------------------------------------------

    def save(
        self,
        portal: str,
        username: str,
        account: Account | None,
        invoices: Sequence[Invoice],
        *,
        read_at: datetime,
        details_read: set[str],
    ) -> None:
        """Replace what is stored for this account, in one transaction. `account`: the
        dashboard as read now, or None to keep the stored one. `details_read`: the ids whose
        detail was read now (the others keep the time they were read)."""
        self._write(lambda: self._save(portal, username, account, invoices, read_at, details_read))

    def _save(
        self,
        portal: str,
        username: str,
        account: Account | None,
        invoices: Sequence[Invoice],
        read_at: datetime,
        details_read: set[str],
    ) -> None:
        key = account_key(portal, username)
        stamp = read_at.isoformat()  # to the microsecond: "new since the last check" compares them
        with self._connection() as connection, connection:
            before = {
                row[0]: (row[1], row[2])
                for row in connection.execute(
                    "SELECT id, detail_read_at, first_seen FROM invoices WHERE account = ?",
                    (key,),
                )
            }
            if account is None:
                kept = connection.execute(
                    "SELECT dashboard FROM accounts WHERE account = ?", (key,)
                ).fetchone()
                dashboard = kept[0] if kept else json.dumps(to_data(Account()))
            else:
                dashboard = json.dumps(to_data(account), ensure_ascii=False)
            connection.execute(
                "INSERT INTO accounts (account, portal, username, dashboard, read_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(account) DO UPDATE SET "
                "dashboard = excluded.dashboard, read_at = excluded.read_at",
                (key, portal, username, dashboard, stamp),
            )
            connection.execute("DELETE FROM invoices WHERE account = ?", (key,))
            connection.executemany(
                "INSERT INTO invoices "
                "(account, id, position, invoice, detail_read_at, first_seen) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        key,
                        invoice.id,
                        position,
                        json.dumps(to_data(invoice), ensure_ascii=False),
                        stamp
                        if invoice.id in details_read
                        else (before.get(invoice.id, (None, None))[0] if invoice.detail else None),
                        before.get(invoice.id, (None, stamp))[1],
                    )
                    for position, invoice in enumerate(invoices)
                ],
            )

    def mark_checked(self, portal: str, username: str, at: datetime) -> None:
        """`check` looked now: what comes later is new."""
        key = account_key(portal, username)
        with self._connection() as connection, connection:
            connection.execute(
                "INSERT INTO checks (account, checked_at) VALUES (?, ?) ON CONFLICT(account) "
                "DO UPDATE SET checked_at = excluded.checked_at",
                (key, at.isoformat()),
            )

    # -- the planning -----------------------------------------------------------------------

    def save_planning(
        self,
        portal: str,
        username: str,
        first: date,
        last: date,
        bookings: Sequence[Booking],
        *,
        read_at: datetime,
    ) -> None:
        """Replace the stored planning of the days `first` to `last` (both included) with
        `bookings`, in one transaction; those days are marked read at `read_at`."""
        self._write(lambda: self._save_planning(portal, username, first, last, bookings, read_at))

    def _save_planning(
        self,
        portal: str,
        username: str,
        first: date,
        last: date,
        bookings: Sequence[Booking],
        read_at: datetime,
    ) -> None:
        key = account_key(portal, username)
        stamp = read_at.isoformat()
        span = (key, first.isoformat(), last.isoformat())
        kept = [b for b in ordered(bookings) if first <= b.day <= last]
        every_day = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        with self._connection() as connection, connection:
            connection.execute(
                "DELETE FROM planning WHERE account = ? AND day BETWEEN ? AND ?", span
            )
            connection.executemany(
                "INSERT INTO planning (account, day, position, booking) VALUES (?, ?, ?, ?)",
                [
                    (
                        key,
                        booking.day.isoformat(),
                        position,
                        json.dumps(booking_data(booking), ensure_ascii=False),
                    )
                    for position, booking in enumerate(kept)
                ],
            )
            connection.executemany(
                "INSERT INTO planning_days (account, day, read_at) VALUES (?, ?, ?) "
                "ON CONFLICT(account, day) DO UPDATE SET read_at = excluded.read_at",
                [(key, day.isoformat(), stamp) for day in every_day],
            )

    def load_planning(
        self, portal: str, username: str, first: date, last: date
    ) -> StoredPlanning | None:
        """The stored planning of the days `first` to `last`, or None when none of those days
        was ever read (or the file cannot be read)."""
        key = account_key(portal, username)
        span = (key, first.isoformat(), last.isoformat())
        try:
            with self._connection() as connection:
                read = connection.execute(
                    "SELECT day, read_at FROM planning_days "
                    "WHERE account = ? AND day BETWEEN ? AND ?",
                    span,
                ).fetchall()
                if not read:
                    return None
                rows = connection.execute(
                    "SELECT booking FROM planning WHERE account = ? AND day BETWEEN ? AND ? "
                    "ORDER BY day, position",
                    span,
                ).fetchall()
            return StoredPlanning(
                bookings=tuple(booking_from_data(json.loads(row[0])) for row in rows),
                read_at=min(datetime.fromisoformat(stamp) for _day, stamp in read),
                days_read=frozenset(date.fromisoformat(day) for day, _stamp in read),
            )
        except (sqlite3.DatabaseError, ValueError):
            return None
