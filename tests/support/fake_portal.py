"""A portal client that serves invoices from memory: the fronts are given it through their
portal factory (`cli.main(..., portal_factory=)`, `EspaceApp(..., portal_factory=)`) to show a
case no portal of the tests serves."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from espace_tui.core.errors import LoginRefused, NothingToDo
from espace_tui.core.model import Account, Invoice, InvoiceDetail, PdfSink
from espace_tui.core.planning import Booking


@dataclass
class FakePortal:
    base_url: str
    invoices_served: list[Invoice]
    password: str = "secret"
    logged_out: bool = False
    requests: list[str] = field(default_factory=list)
    bookings_served: list[Booking] = field(default_factory=list)

    async def login(self, username: str, password: str) -> None:
        self.requests.append("login")
        if password != self.password:
            raise LoginRefused("Identifiant ou mot de passe incorrect.")

    async def account(self) -> Account:
        return Account(greeting="Bonjour Madame Test")

    async def invoices(self, *, details: bool = True) -> list[Invoice]:
        self.requests.append("MonCompte")
        if details:
            return list(self.invoices_served)
        return [replace(i, detail=None) for i in self.invoices_served]

    async def invoice_detail(self, invoice_id: str) -> InvoiceDetail:
        self.requests.append(f"detail {invoice_id}")
        for invoice in self.invoices_served:
            if invoice.id == invoice_id and invoice.detail is not None:
                return invoice.detail
        raise NothingToDo(f"There is no invoice {invoice_id} on the portal.")

    async def pdf_into(self, invoice_id: str, sink: PdfSink) -> str | None:
        sink.restart()
        sink.write(b"%PDF-1.4\n%%EOF\n")
        return None

    async def payment_url(self, invoice_id: str) -> str:
        raise NothingToDo("not payable here")

    async def planning(self) -> list[Booking]:
        self.requests.append("planning")
        return list(self.bookings_served)

    async def logout(self) -> None:
        self.logged_out = True

    async def aclose(self) -> None:
        pass
