"""Finding an invoice by what the user typed: its ID (IdFactureUnique), else its number."""

from __future__ import annotations

from collections.abc import Sequence

from espace_tui.core.errors import NothingToDo
from espace_tui.core.i18n import _
from espace_tui.core.model import Invoice


def find_in(invoices: Sequence[Invoice], wanted: str) -> Invoice:
    """The invoice whose ID is `wanted`, else the only one with that number."""
    wanted = wanted.strip()
    for invoice in invoices:
        if invoice.id == wanted:
            return invoice
    numbered = [invoice for invoice in invoices if invoice.number == wanted]
    if len(numbered) == 1:
        return numbered[0]
    if numbered:
        raise NothingToDo(
            _("Several invoices have the number {number}: use the ID ({ids}).").format(
                number=wanted, ids=", ".join(invoice.id for invoice in numbered)
            )
        )
    raise NothingToDo(
        _("There is no invoice with ID {id} (see 'espace-tui invoices').").format(id=wanted)
    )
