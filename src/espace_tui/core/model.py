"""The portal's data as plain, immutable objects: no I/O, no Textual, no httpx.

Money is `Decimal`, dates are `date`, states are `Status`. The site's own words are kept beside
every value the client maps (`status_label`, `payment_mode_label`), so nothing is guessed away.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol


class Status(StrEnum):
    """The five states of an invoice (SITE.md, "States of an invoice")."""

    PAID = "paid"
    UNPAID = "unpaid"
    TREASURY = "treasury"
    DIRECT_DEBIT = "direct_debit"
    UNKNOWN = "unknown"

    @property
    def to_pay(self) -> bool:
        """Whether the family still has something to do for an invoice in this state."""
        return self in (Status.UNPAID, Status.TREASURY)


class PaymentMode(StrEnum):
    """How an invoice is paid, as far as the detail page says."""

    ONLINE = "online"
    DIRECT_DEBIT = "direct_debit"
    CHEQUE = "cheque"
    UNKNOWN = "unknown"


def fold_words(text: str) -> str:
    """Case-, accent- and spacing-insensitive form of the site's words, for matching only."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split()).strip(" .!")


_STATUS_WORDS: dict[str, Status] = {
    fold_words(words): status
    for status, phrases in {
        Status.PAID: ("Payée", "Soldée", "Réglée"),
        Status.UNPAID: ("Non payée", "À régler", "En attente de paiement"),
        Status.TREASURY: ("Transmise au Trésor Public", "Facture transmise au Trésor Public"),
        Status.DIRECT_DEBIT: ("Prélèvement automatique", "Prélevée", "En cours de prélèvement"),
    }.items()
    for words in phrases
}


@functools.lru_cache(maxsize=1024)
def status_from_words(words: str | None) -> Status:
    """Map the site's words for a state to a `Status`; words not in SITE.md are unknown.

    Cached: `Invoice.status` asks it at every look (sorting, totals, the list's rows), and an
    account has a handful of distinct words for thousands of invoices."""
    if not words:
        return Status.UNKNOWN
    return _STATUS_WORDS.get(fold_words(words), Status.UNKNOWN)


def payment_mode_from_words(words: str | None) -> PaymentMode:
    """Map the detail page's payment mode words (`Prélèvement automatique`, `Chèque…`)."""
    if not words:
        return PaymentMode.UNKNOWN
    folded = fold_words(words)
    if "prelev" in folded:
        return PaymentMode.DIRECT_DEBIT
    if "cheque" in folded:
        return PaymentMode.CHEQUE
    if "ligne" in folded or "payfip" in folded or "carte" in folded or "tipi" in folded:
        return PaymentMode.ONLINE
    return PaymentMode.UNKNOWN


@dataclass(frozen=True, slots=True)
class FamilyMember:
    """A person of the family, as the dashboard links to them."""

    id: str
    name: str
    role: str | None = None
    """The picture's name on the site: `pere`, `mere`, `garcon`, `fillette`, or None."""


@dataclass(frozen=True, slots=True)
class Account:
    """The dashboard ("Mon espace"): greeting, last connection, family."""

    greeting: str | None = None
    last_connection: datetime | None = None
    last_connection_text: str | None = None
    """The site's sentence, e.g. `Dernière connexion le 09/11/2018 à 15:31`."""
    members: tuple[FamilyMember, ...] = ()


@dataclass(frozen=True, slots=True)
class Regie:
    """A billing office (régie) that groups invoices."""

    id: str | None
    name: str


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """One line of an invoice's detail."""

    person: str | None = None
    service: str | None = None
    quantity: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class InvoiceDetail:
    """What the detail fragment (`MonCompte/DetailFacture`) says of one invoice."""

    id: str
    title: str | None = None
    number: str | None = None
    payer: str | None = None
    issued_on: date | None = None
    due_on: date | None = None
    total: Decimal | None = None
    remaining: Decimal | None = None
    """Amount still due (`MntResteAPayer`), None when the page does not say."""
    status_label: str | None = None
    payment_mode_label: str | None = None
    payable_online: bool = False
    """True only when the page holds the pay link `a#lnkPayerFacture`."""
    pdf_available: bool = False
    lines: tuple[InvoiceLine, ...] = ()

    @property
    def status(self) -> Status:
        return status_from_words(self.status_label)

    @property
    def payment_mode(self) -> PaymentMode:
        return payment_mode_from_words(self.payment_mode_label)


@dataclass(frozen=True, slots=True)
class Invoice:
    """One invoice: its row of "Mes factures", and its detail once fetched.

    The effective values prefer the detail page (it is the fuller source) and fall back to the row.
    """

    id: str
    """`IdFactureUnique`, digits."""
    number: str | None = None
    label: str | None = None
    """The period as the site shows it, e.g. `Septembre 2018`."""
    regie: Regie | None = None
    row_issued_on: date | None = None
    row_amount: Decimal | None = None
    row_status_label: str | None = None
    detail: InvoiceDetail | None = field(default=None, compare=False)

    def with_detail(self, detail: InvoiceDetail) -> Invoice:
        return replace(self, detail=detail)

    @property
    def status_label(self) -> str | None:
        if self.detail and self.detail.status_label:
            return self.detail.status_label
        return self.row_status_label

    @property
    def status(self) -> Status:
        return status_from_words(self.status_label)

    @property
    def issued_on(self) -> date | None:
        if self.detail and self.detail.issued_on:
            return self.detail.issued_on
        return self.row_issued_on

    @property
    def due_on(self) -> date | None:
        return self.detail.due_on if self.detail else None

    @property
    def amount(self) -> Decimal | None:
        if self.detail and self.detail.total is not None:
            return self.detail.total
        return self.row_amount

    @property
    def remaining(self) -> Decimal | None:
        """What is still owed: the page's own figure, else the total while the state is to pay."""
        if self.detail and self.detail.remaining is not None:
            return self.detail.remaining
        if self.status.to_pay:
            return self.amount
        if self.status in (Status.PAID, Status.DIRECT_DEBIT):
            return Decimal("0.00")
        return None

    @property
    def payer(self) -> str | None:
        return self.detail.payer if self.detail else None

    @property
    def payable_online(self) -> bool:
        return bool(self.detail and self.detail.payable_online)

    @property
    def regie_name(self) -> str | None:
        return self.regie.name if self.regie else None

    def is_overdue(self, today: date) -> bool:
        """An invoice still to pay whose due date has passed."""
        return self.status.to_pay and self.due_on is not None and self.due_on < today


@dataclass(frozen=True, slots=True)
class PdfFile:
    """A downloaded invoice PDF: the bytes (checked to start with `%PDF-`) and the server's name."""

    content: bytes
    server_filename: str | None = None


class PdfSink(Protocol):
    """Where a PDF is written as it arrives (a temporary file of `local.downloads`, or memory).

    The portal client writes each chunk; a retry or a renewal of the session starts again."""

    def restart(self) -> None:
        """Forget what was written: the download starts again."""
        ...

    def write(self, chunk: bytes) -> None:
        """Append a chunk of the PDF."""
        ...

    @property
    def size(self) -> int:
        """How many bytes were written since the last start."""
        ...

    @property
    def tail(self) -> bytes:
        """The last bytes written (at least the last kilobyte), for the `%%EOF` check."""
        ...


class MemorySink:
    """A `PdfSink` that keeps the PDF in memory (`PdfFile` from it)."""

    def __init__(self) -> None:
        self._chunks = bytearray()

    def restart(self) -> None:
        self._chunks.clear()

    def write(self, chunk: bytes) -> None:
        self._chunks += chunk

    @property
    def size(self) -> int:
        return len(self._chunks)

    @property
    def tail(self) -> bytes:
        return bytes(self._chunks[-1024:])

    @property
    def content(self) -> bytes:
        return bytes(self._chunks)
