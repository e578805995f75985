"""`check`'s verdict: overdue, due within N days, new since the last check."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from espace_tui.account.check import check
from espace_tui.core.model import Invoice, InvoiceDetail
from espace_tui.local.store import Store

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
TODAY = date(2026, 12, 2)


def bill(number: str, words: str, due: date, remaining: str = "10.00") -> Invoice:
    return Invoice(id=number, number=number, row_status_label=words).with_detail(
        InvoiceDetail(id=number, due_on=due, remaining=Decimal(remaining), status_label=words)
    )


def test_overdue_due_soon_and_new_since_the_last_check(tmp_path: Path) -> None:
    store = Store(tmp_path / "store.sqlite3")
    first = [
        bill("1", "Non payée", date(2026, 11, 30)),  # overdue
        bill("2", "À régler", date(2026, 12, 6)),  # due within 7 days
        bill("3", "À régler", date(2027, 1, 30)),  # later
        bill("4", "Payée", date(2026, 11, 1), "0.00"),  # settled
        bill("5", "Transmise au Trésor Public", date(2026, 12, 3), "0.00"),  # nothing left
    ]
    store.save(PORTAL, "u", None, first, read_at=datetime(2026, 12, 1, 8), details_read=set())
    stored = store.load(PORTAL, "u")
    assert stored is not None
    report = check(stored, TODAY, 7)
    assert [i.id for i in report.overdue] == ["1"]
    assert [i.id for i in report.due_soon] == ["2"]
    assert report.new == () and report.anything  # the first check: nothing is "new"
    store.mark_checked(PORTAL, "u", datetime(2026, 12, 1, 9))
    store.save(
        PORTAL, "u", None, [*first, bill("6", "Non payée", date(2027, 2, 1))],
        read_at=datetime(2026, 12, 2, 8), details_read=set(),
    )  # fmt: skip
    stored = store.load(PORTAL, "u")
    assert stored is not None
    assert [i.id for i in check(stored, TODAY, 7).new] == ["6"]
    assert check(stored, date(2026, 1, 1), 0).anything  # invoice 6 is new
