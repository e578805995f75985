"""A yearly statement: for each child, what was paid in a year per régie and service, with the
invoices it comes from, for the parent's tax papers.

What it counts: the invoices issued in the year (the site gives no payment date) whose whole
amount is paid or left to the bank's direct debit (`summary.fully_settled`); their lines are
added up per person named, régie and service. An invoice still to pay, partly paid, of an
unknown state or amount is listed apart as not counted, with the reason. What a counted invoice's
lines do not cover (no lines read, or lines that do not add up to its total) is shown as not
attributed to anyone, so the statement's total is always the counted invoices' total.

What it does not do: decide what the tax office accepts. The rules for childcare costs depend on
the child's age and the kind of care, so each service is only marked childcare-like or not, from
its words (`service_kind`), and the decision is the parent's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from espace_tui.account.owed import ZERO, regie_name, still_due
from espace_tui.account.summary import fully_settled, split, year_of
from espace_tui.core.formats import amount_for_json
from espace_tui.core.i18n import N_, _
from espace_tui.core.model import Invoice, Status, fold_words


class Kind(StrEnum):
    """What kind of service a line is, as far as its words tell."""

    CHILDCARE = "childcare"
    """Childcare-like: before/after school care, holiday or leisure centre, crèche."""
    CANTEEN = "canteen"
    """Meals (canteen, snacks): not childcare, even at a holiday centre."""
    OTHER = "other"
    """Anything else (music lessons, stays with nights away, fees)."""


_CANTEEN_WORDS = ("repas", "cantine", "restaura", "gouter", "dejeuner")
_CHILDCARE_WORDS = (
    "periscolaire",
    "garderie",
    "accueil de loisirs",
    "centre de loisirs",
    "alsh",
    "loisirs",
    "creche",
    "multi-accueil",
    "multi accueil",
    "halte",
    "accueil du matin",
    "accueil du soir",
    "mercredi",
    "etude surveillee",
)


def service_kind(service: str | None) -> Kind:
    """The kind of a service from its words. Meals win over the rest (`Repas ALSH` is a meal):
    marking a meal as childcare would be the harmful mistake."""
    words = fold_words(service or "")
    if any(word in words for word in _CANTEEN_WORDS):
        return Kind.CANTEEN
    if any(word in words for word in _CHILDCARE_WORDS):
        return Kind.CHILDCARE
    return Kind.OTHER


@dataclass(frozen=True, slots=True)
class Source:
    """An invoice a figure comes from, and the part of the figure it gives."""

    invoice: Invoice
    part: Decimal

    def as_json(self) -> dict[str, Any]:
        return {**invoice_ref_json(self.invoice), "part": amount_for_json(self.part)}


def invoice_ref_json(invoice: Invoice) -> dict[str, Any]:
    """The facts that name an invoice in a statement."""
    return {
        "id": invoice.id,
        "number": invoice.number,
        "label": invoice.label,
        "regie": invoice.regie_name,
        "issued_on": invoice.issued_on.isoformat() if invoice.issued_on else None,
        "amount": amount_for_json(invoice.amount),
        "status": invoice.status.value,
        "status_label": invoice.status_label,
    }


@dataclass(slots=True)
class ServiceLine:
    """One service of one régie for one person: what was paid for it in the year."""

    regie: str
    service: str | None
    kind: Kind
    amount: Decimal = ZERO
    sources: list[Source] = field(default_factory=list)

    @property
    def childcare_like(self) -> bool:
        return self.kind is Kind.CHILDCARE

    def as_json(self) -> dict[str, Any]:
        return {
            "regie": self.regie or None,
            "service": self.service,
            "kind": self.kind.value,
            "childcare_like": self.childcare_like,
            "amount": amount_for_json(self.amount),
            "invoices": [source.as_json() for source in self.sources],
        }


@dataclass(slots=True)
class ChildStatement:
    """What was paid in the year for one person named by the lines."""

    person: str
    services: list[ServiceLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((s.amount for s in self.services), ZERO)

    @property
    def childcare_like(self) -> Decimal:
        """The part of `total` on childcare-like services (for the parent to look at)."""
        return sum((s.amount for s in self.services if s.childcare_like), ZERO)

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "total": amount_for_json(self.total),
            "childcare_like": amount_for_json(self.childcare_like),
            "services": [service.as_json() for service in self.services],
        }


class Reason(StrEnum):
    """Why an invoice of the year is not counted as paid."""

    TO_PAY = "to_pay"
    PARTLY_PAID = "partly_paid"
    UNKNOWN_STATE = "unknown_state"
    UNKNOWN_AMOUNT = "unknown_amount"


REASON_WORDS: dict[Reason, str] = {
    Reason.TO_PAY: N_("still to pay"),
    Reason.PARTLY_PAID: N_("partly paid"),
    Reason.UNKNOWN_STATE: N_("its state is not known"),
    Reason.UNKNOWN_AMOUNT: N_("its amount is not known"),
}
"""How a reason is said (translated where shown)."""


@dataclass(frozen=True, slots=True)
class NotCounted:
    """An invoice of the year left out of the statement, and why."""

    invoice: Invoice
    reason: Reason
    paid: Decimal
    """What was paid of it already (the part of a partly paid invoice; else 0,00 €)."""

    def as_json(self) -> dict[str, Any]:
        return {
            **invoice_ref_json(self.invoice),
            "remaining": amount_for_json(self.invoice.remaining),
            "reason": self.reason.value,
            "paid": amount_for_json(self.paid),
        }


@dataclass(slots=True)
class Statement:
    """The statement of one year, from the invoices read on `read_at` from `portal`."""

    year: int
    portal: str
    """The portal's address (its commune is in it)."""
    read_at: datetime
    children: list[ChildStatement] = field(default_factory=list)
    unnamed: list[ServiceLine] = field(default_factory=list)
    """Lines of counted invoices that name no one (fees, adjustments), per régie and service."""
    not_attributed: list[Source] = field(default_factory=list)
    """Counted invoices whose lines do not cover their total: the part left over."""
    counted: list[Invoice] = field(default_factory=list)
    not_counted: list[NotCounted] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """What the counted invoices add up to."""
        return sum((i.amount or ZERO for i in self.counted), ZERO)

    @property
    def not_attributed_total(self) -> Decimal:
        return sum((s.part for s in self.not_attributed), ZERO)

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "source": {"portal": self.portal, "read_at": self.read_at.isoformat()},
            "notice": notice(),
            "total": amount_for_json(self.total),
            "children": [child.as_json() for child in self.children],
            "unnamed": [line.as_json() for line in self.unnamed],
            "not_attributed": {
                "amount": amount_for_json(self.not_attributed_total),
                "invoices": [source.as_json() for source in self.not_attributed],
            },
            "counted_invoices": [invoice_ref_json(i) for i in self.counted],
            "not_counted": [entry.as_json() for entry in self.not_counted],
        }


def notice() -> str:
    """What the statement says of itself (on every output: text, JSON, PDF)."""
    return _(
        "This statement adds up the invoices of the year that the portal shows as paid or paid "
        "by direct debit. It does not say what the tax office accepts as childcare costs: that "
        "depends on the child's age and the kind of care. Services marked childcare-like are "
        "of that kind (before and after school care, leisure centre, crèche); canteen meals "
        "are not. The decision is yours."
    )


def _reason(invoice: Invoice) -> tuple[Reason, Decimal]:
    parts = split(invoice)
    if invoice.amount is None:
        return Reason.UNKNOWN_AMOUNT, parts.paid
    if invoice.status is Status.UNKNOWN or parts.other > 0:
        return Reason.UNKNOWN_STATE, ZERO
    if still_due(invoice) > 0 and parts.paid > 0:
        return Reason.PARTLY_PAID, parts.paid
    return Reason.TO_PAY, ZERO


def _service_line(
    groups: dict[tuple[str, str | None], ServiceLine], regie: str, service: str | None
) -> ServiceLine:
    key = (regie, service)
    if key not in groups:
        groups[key] = ServiceLine(regie, service, service_kind(service))
    return groups[key]


def _add(line: ServiceLine, invoice: Invoice, amount: Decimal) -> None:
    line.amount += amount
    if line.sources and line.sources[-1].invoice is invoice:
        last = line.sources[-1]
        line.sources[-1] = Source(invoice, last.part + amount)
    else:
        line.sources.append(Source(invoice, amount))


def _ordered(groups: dict[tuple[str, str | None], ServiceLine]) -> list[ServiceLine]:
    return sorted(groups.values(), key=lambda s: (fold_words(s.regie), fold_words(s.service or "")))


def build_statement(
    invoices: Iterable[Invoice], year: int, *, portal: str, read_at: datetime
) -> Statement:
    """The statement of `year` from the invoices as read on `read_at`."""
    statement = Statement(year=year, portal=portal, read_at=read_at)
    per_person: dict[str, dict[tuple[str, str | None], ServiceLine]] = {}
    unnamed: dict[tuple[str, str | None], ServiceLine] = {}
    for invoice in invoices:
        if year_of(invoice) != year:
            continue
        if not fully_settled(invoice):
            reason, paid = _reason(invoice)
            statement.not_counted.append(NotCounted(invoice, reason, paid))
            continue
        statement.counted.append(invoice)
        regie = regie_name(invoice)
        covered = ZERO
        for line in invoice.detail.lines if invoice.detail else ():
            if line.amount is None:
                continue
            groups = per_person.setdefault(line.person, {}) if line.person else unnamed
            _add(_service_line(groups, regie, line.service), invoice, line.amount)
            covered += line.amount
        left = (invoice.amount or ZERO) - covered
        if left != 0:
            statement.not_attributed.append(Source(invoice, left))
    statement.children = [
        ChildStatement(person, _ordered(groups))
        for person, groups in sorted(per_person.items(), key=lambda item: fold_words(item[0]))
    ]
    statement.unnamed = _ordered(unnamed)
    return statement


def statement_years(invoices: Iterable[Invoice]) -> list[int]:
    """The years the invoices were issued in, most recent first (to suggest one)."""
    return sorted({y for y in (year_of(i) for i in invoices) if y is not None}, reverse=True)
