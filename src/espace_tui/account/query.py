"""Which invoices the list shows, and in what order: text filter, "to pay only", régie, child,
sort.

Pure functions over model objects, so the list's behaviour is tested without a screen and a
filter over thousands of invoices costs milliseconds (each invoice's searchable text is folded
once and kept in a `SearchIndex`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from espace_tui.account.owed import is_owed
from espace_tui.core.formats import format_date, format_money
from espace_tui.core.i18n import N_
from espace_tui.core.model import Invoice, fold_words

SORT_KEYS: tuple[str, ...] = ("number", "period", "regie", "issued", "due", "amount", "state")
"""The columns the list can be sorted by, in the order `s` cycles through them."""

SORT_TITLES: dict[str, str] = {
    "number": N_("number"),
    "period": N_("period"),
    "regie": N_("régie"),
    "issued": N_("issue date"),
    "due": N_("due date"),
    "amount": N_("amount"),
    "state": N_("state"),
}
"""How the status line names each sort column (translate where shown)."""


@dataclass(frozen=True, slots=True)
class InvoiceQuery:
    """What the user asked the list to show."""

    text: str = ""
    to_pay_only: bool = False
    regie: str | None = None
    """A régie's name, or None for every régie."""
    person: str | None = None
    """A person named by the invoices' lines (a child), or None for everyone: only the
    invoices with a line for that person are shown."""
    sort: str | None = None
    """One of `SORT_KEYS`, or None for the site's own order."""
    reverse: bool = False


def _number_key(invoice: Invoice) -> tuple[int, str]:
    number = invoice.number or ""
    return (int(number), "") if number.isdigit() else (10**12, number)


_SORTERS: dict[str, Callable[[Invoice], Any]] = {
    "number": _number_key,
    # The period is words (`Septembre 2018`): order it by the invoice's issue date instead.
    "period": lambda i: i.issued_on,
    "regie": lambda i: fold_words(i.regie_name or ""),
    "issued": lambda i: i.issued_on,
    "due": lambda i: i.due_on,
    "amount": lambda i: i.amount,
    "state": lambda i: fold_words(i.status_label or ""),
}


def amount_forms(amount: Decimal | None) -> list[str]:
    """The ways a person types an amount: `1 234,56 €`, `1234,56`, `1234.56`, `1 234.56`
    (so `1234`, `1 234`, `23,20` and `23.20` all find it)."""
    if amount is None:
        return []
    shown = format_money(amount)
    bare = f"{amount.quantize(Decimal('0.01')):f}"
    return [shown, shown.replace(",", "."), bare, bare.replace(".", ",")]


def searchable_text(invoice: Invoice) -> str:
    """Everything the text filter looks into, folded (case, accents and spacing ignored): the
    number, period, régie, state, dates, amounts in every form a person types them, the payer,
    and the names of the children on the invoice's lines."""
    parts: list[str | None] = [
        invoice.number,
        invoice.label,
        invoice.regie_name,
        invoice.status_label,
        format_date(invoice.issued_on, unknown=""),
        format_date(invoice.due_on, unknown=""),
        *amount_forms(invoice.amount),
        *amount_forms(invoice.remaining),
        invoice.payer,
    ]
    if invoice.detail is not None:
        parts.extend(dict.fromkeys(line.person for line in invoice.detail.lines))
    return fold_words(" ".join(p for p in parts if p))


def names(invoice: Invoice, person: str) -> bool:
    """Whether one of the invoice's lines is for `person` (as the site writes the name)."""
    return invoice.detail is not None and any(
        line.person == person for line in invoice.detail.lines
    )


def people(invoices: Iterable[Invoice]) -> list[str]:
    """The persons the invoices' lines name, in the order first met: what the child filter
    cycles through. Invoices whose detail is not read yet name no one."""
    seen: dict[str, None] = {}
    for invoice in invoices:
        for line in invoice.detail.lines if invoice.detail else ():
            if line.person:
                seen.setdefault(line.person, None)
    return list(seen)


def next_person(current: str | None, known: Sequence[str]) -> str | None:
    """The child after `current` (`c`): each person of `known`, then everyone (None)."""
    position = known.index(current) + 1 if current in known else 0
    return known[position] if position < len(known) else None


def priority(invoice: Invoice, today: date) -> int:
    """The list's default order: overdue invoices to pay first, then the other ones to pay,
    then the rest (each group in the site's order)."""
    if not is_owed(invoice):
        return 2
    return 0 if invoice.is_overdue(today) else 1


class SearchIndex:
    """The folded text of each invoice, computed once per invoice object: `update` with a new
    snapshot refolds only the invoices that changed (a detail arrived, a refresh)."""

    def __init__(self, invoices: Iterable[Invoice] = ()) -> None:
        self._entries: dict[str, tuple[Invoice, str]] = {}
        self.update(invoices)

    def update(self, invoices: Iterable[Invoice]) -> None:
        entries = self._entries
        for invoice in invoices:
            entry = entries.get(invoice.id)
            if entry is None or entry[0] is not invoice:
                entries[invoice.id] = (invoice, searchable_text(invoice))

    def matches(self, invoice: Invoice, words: Sequence[str]) -> bool:
        entry = self._entries.get(invoice.id)
        if entry is None or entry[0] is not invoice:
            entry = self._entries[invoice.id] = (invoice, searchable_text(invoice))
        return all(word in entry[1] for word in words)


def apply(
    invoices: Sequence[Invoice],
    query: InvoiceQuery,
    index: SearchIndex | None = None,
    *,
    today: date | None = None,
) -> list[Invoice]:
    """The invoices the query selects, in its order (None values always last). Without a sort
    column and given `today`, what is still to pay comes first (`priority`)."""
    index = index or SearchIndex(invoices)
    words = fold_words(query.text).split()
    selected = [
        invoice
        for invoice in invoices
        if (not query.to_pay_only or is_owed(invoice))
        and (query.regie is None or (invoice.regie_name or "") == query.regie)
        and (query.person is None or names(invoice, query.person))
        and (not words or index.matches(invoice, words))
    ]
    if query.sort is None:
        if today is not None:
            selected.sort(key=lambda invoice: priority(invoice, today))
        return selected[::-1] if query.reverse else selected
    key = _SORTERS[query.sort]
    known = [i for i in selected if key(i) is not None]
    unknown = [i for i in selected if key(i) is None]
    known.sort(key=key, reverse=query.reverse)
    return known + unknown


def next_sort(current: str | None) -> str | None:
    """The sort column after `current` (`s`): through every column, then the site's order."""
    if current is None:
        return SORT_KEYS[0]
    position = SORT_KEYS.index(current) + 1
    return SORT_KEYS[position] if position < len(SORT_KEYS) else None
