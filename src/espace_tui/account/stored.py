"""What a run asks the portal for when the store already holds the account: only what can
have changed.

The list page (`MonCompte`, one request) is always read. The detail of an invoice is fetched
again only when the invoice is new, its row changed (state, amount, date), or something may
still be due on it (what is left can change without the row changing); the others come from
the store. `refresh_all` fetches every detail again.
"""

from __future__ import annotations

from collections.abc import Sequence

from espace_tui.account.owed import is_owed
from espace_tui.account.portals import commune_of
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice
from espace_tui.local.store import StoredAccount

__all__ = ["StoredAccount", "needs_detail", "nothing_stored", "reuse"]


def nothing_stored(portal: str, username: str) -> str:
    """What `--offline` says when no online run has read this account yet."""
    return _(
        "Nothing was read yet for {username} on {commune}: run once without --offline."
    ).format(username=username, commune=commune_of(portal))


def _row(invoice: Invoice) -> tuple[object, ...]:
    return (invoice.row_status_label, invoice.row_amount, invoice.row_issued_on, invoice.number)


def needs_detail(row: Invoice, stored: Invoice | None) -> bool:
    """Whether this row's detail must be read again from the portal."""
    if stored is None or stored.detail is None:
        return True
    if _row(row) != _row(stored):
        return True
    return row.status.to_pay or is_owed(stored)


def reuse(
    rows: Sequence[Invoice], stored: StoredAccount | None, *, refresh_all: bool = False
) -> tuple[list[Invoice], list[str]]:
    """The rows, each with its stored detail where it can be reused, and the ids whose detail
    must be fetched."""
    known = {s.invoice.id: s.invoice for s in stored.invoices} if stored else {}
    merged: list[Invoice] = []
    wanted: list[str] = []
    for row in rows:
        previous = known.get(row.id)
        if refresh_all or needs_detail(row, previous):
            merged.append(row)
            wanted.append(row.id)
        else:
            assert previous is not None and previous.detail is not None
            merged.append(row.with_detail(previous.detail))
    return merged, wanted
