"""The one interface to a family portal, as the commands and the screens use it."""

from __future__ import annotations

from typing import Protocol

from espace_tui.core.model import Account, Invoice, InvoiceDetail, PdfSink
from espace_tui.core.planning import Booking


class Portal(Protocol):
    """What espace-tui asks of a portal. `EspaceCitoyensBrowser` implements it over httpx.

    Every method may raise an `espace_tui.core.errors.EspaceError`; nothing else escapes.
    """

    base_url: str
    """The portal's base URL, ending with `/espace-citoyens/`."""

    async def login(self, username: str, password: str) -> None:
        """Log in; raises `LoginRefused` with the site's own message when refused."""
        ...

    async def account(self) -> Account:
        """The dashboard: greeting, last connection, family members."""
        ...

    async def invoices(self, *, details: bool = True) -> list[Invoice]:
        """Every invoice in the site's order; with `details`, each with its detail fetched
        (concurrently, at most 6 requests in flight)."""
        ...

    async def invoice_detail(self, invoice_id: str) -> InvoiceDetail:
        """One invoice's detail; raises `NothingToDo` for an id the list does not hold."""
        ...

    async def pdf_into(self, invoice_id: str, sink: PdfSink) -> str | None:
        """Stream the invoice's PDF into `sink` as it arrives; returns the server's file name
        (cleaned) or None. Raises `NotAPdf` when the body is not a PDF, `IncompletePdf` when it
        did not arrive whole."""
        ...

    async def payment_url(self, invoice_id: str) -> str:
        """The checked PayFiP address for paying this invoice online; raises `NothingToDo` when
        it cannot be paid online, `UnsafePaymentAddress` when the address fails the checks."""
        ...

    async def planning(self) -> list[Booking]:
        """Every family member's planning as the portal's calendars hold it (SITE.md §8: the
        dashboard first, then each member's calendar, concurrently), the site's rules applied
        (placeholders skipped, billing summaries dropped where a timed event says the same)."""
        ...

    async def logout(self) -> None:
        """End the session on the portal (best effort)."""
        ...

    async def aclose(self) -> None:
        """Close the HTTP client."""
        ...
