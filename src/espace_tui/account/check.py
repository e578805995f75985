"""`check`: what needs the family's attention now — what is overdue, what falls due within a
few days, and what is new since the last check. Pure, over what the store holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from espace_tui.account.owed import is_owed
from espace_tui.core.model import Invoice
from espace_tui.local.store import StoredAccount


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The invoices to tell about, each list in the site's order."""

    overdue: tuple[Invoice, ...]
    due_soon: tuple[Invoice, ...]
    """Still owed, due from today to `today + days`."""
    new: tuple[Invoice, ...]
    """First seen after the last check (every invoice, at the first check, is not new)."""

    @property
    def anything(self) -> bool:
        return bool(self.overdue or self.due_soon or self.new)


def check(stored: StoredAccount, today: date, days: int) -> CheckReport:
    """What `check` tells about, from what was read (the store, just refreshed online)."""
    horizon = today + timedelta(days=days)
    owed = [s.invoice for s in stored.invoices if is_owed(s.invoice)]
    since: datetime | None = stored.checked_at
    return CheckReport(
        overdue=tuple(i for i in owed if i.is_overdue(today)),
        due_soon=tuple(i for i in owed if i.due_on is not None and today <= i.due_on <= horizon),
        new=tuple(s.invoice for s in stored.invoices if since is not None and s.first_seen > since),
    )
