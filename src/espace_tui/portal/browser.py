"""`EspaceCitoyensBrowser`: the `Portal` over HTTP — the site's navigation, in woob's sense.

It knows which page to ask for and in which order (the public home before the login, `MonCompte`
before a detail, a PDF or a payment), reads the pages with `pages` and checks payment addresses
with `payment`. HTTP itself (cookies, retries, redirects, session renewal) is `session`'s.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import httpx

from espace_tui.core.errors import (
    BadRedirect,
    ConfigError,
    EspaceError,
    IncompletePdf,
    LoginRefused,
    Maintenance,
    NotAPdf,
    NothingToDo,
    PageChanged,
    PageError,
    PortalUnreachable,
    SessionExpired,
    UnsafePaymentAddress,
)
from espace_tui.core.i18n import _
from espace_tui.core.model import (
    Account,
    FamilyMember,
    Invoice,
    InvoiceDetail,
    MemorySink,
    PaymentMode,
    PdfFile,
    PdfSink,
    Status,
)
from espace_tui.core.planning import Booking
from espace_tui.core.tasks import gather_all
from espace_tui.portal import pages
from espace_tui.portal.base import Portal
from espace_tui.portal.payment import check_payment_url
from espace_tui.portal.planning import parse_calendar
from espace_tui.portal.session import (
    DEADLINE,
    MAX_PAGE_BYTES,
    MAX_PDF_BYTES,
    PortalSession,
    is_redirect,
    location,
    redirect_target,
)
from espace_tui.portal.urls import Page, base_url_for

T = TypeVar("T")

_XHR = {"X-Requested-With": "XMLHttpRequest"}
AT_ONCE = 12
"""Details started at a time: twice the requests in flight, so a place that frees up is
taken at once, without thousands of tasks waiting for one."""


class EspaceCitoyensBrowser:
    """The Espace Citoyens portal over httpx: one session, one cookie jar.

    `base_url` is what `portal.urls.base_url_for` gives (a slug or a pasted address is accepted
    too). Plain http is refused unless the portal is on loopback (`ConfigError`). The password
    is kept in memory only, to log in again when the site ends the session.
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 20,
        max_in_flight: int = 6,
        retries: int = 3,
        backoff: float = 0.2,
        deadline: float = DEADLINE,
        max_page_bytes: int = MAX_PAGE_BYTES,
        max_pdf_bytes: int = MAX_PDF_BYTES,
    ) -> None:
        self.base_url = base_url_for(base_url)  # refuses http off loopback (ConfigError)
        if timeout <= 0:
            raise ConfigError(_("The timeout must be a positive number of seconds."))
        self._session = PortalSession(
            self.base_url,
            transport=transport,
            timeout=timeout,
            max_in_flight=max_in_flight,
            retries=retries,
            backoff=backoff,
            deadline=deadline,
            max_page_bytes=max_page_bytes,
            max_pdf_bytes=max_pdf_bytes,
        )
        self._credentials: tuple[str, str] | None = None
        self._list_visited = False
        """Whether `MonCompte` was visited in the current session (details, PDFs and payments
        need it)."""
        self._index: dict[str, Invoice] | None = None
        self._account_visited = False
        """Whether `CompteCitoyen` was visited in the current session (the calendars need it,
        SITE.md §8)."""
        self._account: Account | None = None
        """What it said (the family whose calendars are asked for)."""
        self._list_lock = asyncio.Lock()
        self.logins = 0
        """How many times this browser posted the login form (the first login and renewals)."""
        self.login_kind: str | None = None
        """How the portal served its login the last time: `"form"` (the public home's form,
        SITE.md §1-2) or `"ajax"` (the modal, §2b)."""

    async def __aenter__(self) -> EspaceCitoyensBrowser:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- Login ------------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> None:
        """Log in; `LoginRefused` carries the site's own message when it refuses."""
        self._credentials = None
        self._session.renew = None
        await self._log_in(username, password, gate=True)
        self._credentials = (username, password)
        self._session.renew = self._renew
        self._session.reset()

    async def _log_in(self, username: str, password: str, *, gate: bool) -> None:
        """Log in the way the portal serves it: the public home's form, posted with its token
        (SITE.md §1-2), or, when the home shows a "Se connecter" button instead, the modal's
        form posted by XHR to `Home/LogonAjax` (§2b). The home is asked for again on every
        login, renewals included, so a renewal logs in the way the portal serves now."""
        self._list_visited = False
        self._account_visited = False
        home = await self._public_home(gate=gate)
        if pages.has_login_form(home.content):
            self.login_kind = "form"
            await self._log_in_form(home, username, password, gate=gate)
        else:
            self.login_kind = "ajax"
            await self._log_in_ajax(home, username, password, gate=gate)

    async def _public_home(self, *, gate: bool) -> httpx.Response:
        """`Home/AccueilPublic`, as the clients of the real site ask for it since 2024; the
        base URL itself when that address is not found."""
        home = await self._session.get(Page.HOME, page=Page.HOME, check_session=False, gate=gate)
        if home.status_code == 404:
            home = await self._session.get("", page=Page.HOME, check_session=False, gate=gate)
        if home.status_code == 404:
            raise ConfigError(
                _("There is no Espace Citoyens portal at {url} (HTTP 404).").format(
                    url=self.base_url
                )
            )
        self._expect(home, Page.HOME)
        return home

    def _origin_headers(self, referer: httpx.URL) -> dict[str, str]:
        origin = httpx.URL(self.base_url)
        return {
            "Referer": str(referer),
            "Origin": f"{origin.scheme}://{origin.netloc.decode('ascii')}",
        }

    async def _log_in_form(
        self, home: httpx.Response, username: str, password: str, *, gate: bool
    ) -> None:
        """The public home's form, posted to its action with the token (SITE.md §1-2)."""
        form = pages.parse_login_form(home.content, str(home.url))
        if not self._session.same_origin(form.action_url):
            # Never send the password anywhere but the portal itself.
            raise PageError(
                _("The login form of {page} posts to another site; refused.").format(
                    page=Page.HOME
                ),
                page=Page.HOME,
                element="form#idFormConnexion[action]",
            )
        data = {
            **form.fields,
            "__RequestVerificationToken": form.token,
            "username": username,
            "password": password,
        }
        answer = await self._session.send(
            "POST",
            form.action_url,
            page=Page.LOGON,
            data=data,
            headers=self._origin_headers(home.url),
            gate=gate,
        )
        self.logins += 1
        if is_redirect(answer):
            target = redirect_target(answer)
            if target is None:
                raise BadRedirect(Page.LOGON)
            if not self._session.is_login_address(target):
                return  # 302 to CompteCitoyen: logged in
            answer = await self._session.get(
                target, page=Page.LOGON, check_session=False, gate=gate
            )
        if answer.status_code == 500:
            raise PortalUnreachable(
                _("The portal failed to process the login (HTTP 500). Try again.")
            )
        self._expect(answer, Page.LOGON)
        message = pages.login_error(answer.content)
        if message:
            raise LoginRefused(message)
        if pages.is_login_page(answer.content):
            raise LoginRefused(_("The portal refused the login without saying why."))
        # A 200 page that is not the login form: the site let us in without a redirect.

    async def _log_in_ajax(
        self, home: httpx.Response, username: str, password: str, *, gate: bool
    ) -> None:
        """The site's modal: `Home/RecupererModaleConnexion` answers the form, which is posted
        by XHR to `Home/LogonAjax`, answered in JSON (SITE.md §2b)."""
        headers = self._origin_headers(home.url)
        modal = await self._session.send(
            "POST",
            self._session.url(Page.LOGIN_MODAL),
            page=Page.LOGIN_MODAL,
            headers={**headers, **_XHR},
            gate=gate,
        )
        if modal.status_code == 404 or is_redirect(modal):
            # Neither the form nor the modal: the public home is not what SITE.md describes.
            if pages.is_maintenance(home.content):
                raise Maintenance(Page.HOME, pages.maintenance_message(home.content))
            raise PageChanged(Page.HOME, "form#idFormConnexion")
        self._expect(modal, Page.LOGIN_MODAL)
        form = pages.parse_login_form(
            modal.content, str(modal.url), Page.LOGIN_MODAL, need_token=False
        )
        # What SITE.md §2b names, and the modal's token as the site's script sends it.
        data = {"username": username, "password": password, "returnUrl": ""}
        if form.token:
            data = {"__RequestVerificationToken": form.token, **data}
        answer = await self._session.send(
            "POST",
            self._session.url(Page.LOGON_AJAX),
            page=Page.LOGON_AJAX,
            data=data,
            headers={**headers, **_XHR, "Accept": "application/json"},
            gate=gate,
        )
        self.logins += 1
        if answer.status_code == 500:
            raise PortalUnreachable(
                _("The portal failed to process the login (HTTP 500). Try again.")
            )
        self._expect(answer, Page.LOGON_AJAX)
        result = pages.parse_logon_json(answer.content)
        if not result.ok:
            raise LoginRefused(
                result.message or _("The portal refused the login without saying why.")
            )

    async def _renew(self) -> None:
        """Log in again with the kept credentials, and visit `MonCompte` again when the session
        had been there (details, PDFs and payments need it)."""
        if self._credentials is None:
            raise SessionExpired(_("The portal session has ended: log in again."))
        had_list, had_account = self._list_visited, self._account_visited
        await self._log_in(*self._credentials, gate=False)
        if had_account:
            response = await self._session.get(
                Page.ACCOUNT, page=Page.ACCOUNT, renew=False, gate=False
            )
            self._expect(response, Page.ACCOUNT)
            self._account_visited = True
        if had_list:
            response = await self._session.get(
                Page.INVOICES, page=Page.INVOICES, renew=False, gate=False
            )
            self._expect(response, Page.INVOICES)
            self._list_visited = True

    # --- Pages ------------------------------------------------------------------------------

    def _expect(self, response: httpx.Response, page: str) -> None:
        """A page must answer 200; anything else is reported plainly."""
        if response.status_code != 200:
            raise PortalUnreachable(
                _("The portal answered HTTP {status} to {page}.").format(
                    status=response.status_code, page=page
                )
            )

    def _read(self, response: httpx.Response, page: str, parse: Callable[[bytes], T]) -> T:
        """Parse a page; a page that is not the expected one but says "maintenance" is the
        maintenance it says."""
        self._expect(response, page)
        try:
            return parse(response.content)
        except PageChanged:
            if pages.is_maintenance(response.content):
                raise Maintenance(page, pages.maintenance_message(response.content)) from None
            raise

    async def account(self) -> Account:
        """The dashboard (`CompteCitoyen`)."""
        response = await self._session.get(Page.ACCOUNT, page=Page.ACCOUNT)
        account = self._read(response, Page.ACCOUNT, pages.parse_account)
        self._account_visited = True
        self._account = account
        return account

    async def planning(self) -> list[Booking]:
        """Every family member's planning (SITE.md §8): `CompteCitoyen` (unless this session
        read it already), then each member's calendar by XHR, concurrently (at most
        `max_in_flight` requests at once); a session that ends meanwhile is renewed and
        `CompteCitoyen` visited again first."""
        # The family read with the dashboard of this session is still the family.
        account = self._account if self._account_visited and self._account else None
        account = account or await self.account()
        calendars = await gather_all([self._calendar(member) for member in account.members])
        return [booking for calendar in calendars for booking in calendar]

    async def _calendar(self, member: FamilyMember) -> list[Booking]:
        response = await self._session.get(
            Page.CALENDAR,
            page=Page.CALENDAR,
            params={"idDynamic": member.id},
            headers={**_XHR, "Accept": "application/json"},
        )
        return self._read(response, Page.CALENDAR, lambda body: parse_calendar(body, member))

    async def _load_list(self) -> list[Invoice]:
        response = await self._session.get(Page.INVOICES, page=Page.INVOICES)
        invoices = self._read(response, Page.INVOICES, pages.parse_invoice_list)
        self._list_visited = True
        self._index = {invoice.id: invoice for invoice in invoices}
        return invoices

    async def invoices(self, *, details: bool = True) -> list[Invoice]:
        """Every invoice in the site's order; with `details`, each with its detail, fetched
        concurrently (at most `max_in_flight` requests at once)."""
        invoices = await self._load_list()
        if not details or not invoices:
            return invoices
        fetched = await gather_all(
            [self._fetch_detail(invoice.id) for invoice in invoices], at_once=AT_ONCE
        )
        return [
            invoice.with_detail(detail) for invoice, detail in zip(invoices, fetched, strict=True)
        ]

    async def _require_listed(self, invoice_id: str) -> Invoice:
        """The invoice of this id, after `MonCompte` was visited in this session."""
        fresh = False
        if self._index is None or not self._list_visited:
            # Many PDFs or details ask at once after a renewal: one of them reads the list,
            # the others wait for it instead of asking the portal for it again each.
            async with self._list_lock:
                if self._index is None or not self._list_visited:
                    await self._load_list()
                    fresh = True
        assert self._index is not None
        if invoice_id not in self._index and not fresh:
            await self._load_list()  # it may be new since the list was read
        if invoice_id not in self._index:
            raise NothingToDo(_("There is no invoice {id} on the portal.").format(id=invoice_id))
        return self._index[invoice_id]

    def _named(self, invoice_id: str) -> str:
        """How the user knows an invoice: its number, else its id."""
        listed = (self._index or {}).get(invoice_id)
        return (listed.number if listed else None) or invoice_id

    async def _fetch_detail(self, invoice_id: str) -> InvoiceDetail:
        response = await self._session.get(
            Page.DETAIL,
            page=Page.DETAIL,
            params={"IdFactureUnique": invoice_id},
            headers=_XHR,
        )
        return self._read(
            response, Page.DETAIL, lambda html: pages.parse_invoice_detail(html, invoice_id)
        )

    async def invoice_detail(self, invoice_id: str) -> InvoiceDetail:
        """One invoice's detail; `NothingToDo` for an id the list does not hold."""
        await self._require_listed(invoice_id)
        return await self._fetch_detail(invoice_id)

    async def pdf(self, invoice_id: str) -> PdfFile:
        """The invoice's PDF in memory (`pdf_into` a `MemorySink`)."""
        sink = MemorySink()
        name = await self.pdf_into(invoice_id, sink)
        return PdfFile(content=sink.content, server_filename=name)

    async def pdf_into(self, invoice_id: str, sink: PdfSink) -> str | None:
        """Stream the invoice's PDF into `sink` as it arrives; returns the server's file name
        (cleaned, or None). `NotAPdf` when the body is not a PDF; `IncompletePdf` when it is
        not whole (shorter than its Content-Length, or not ending with `%%EOF`)."""
        await self._require_listed(invoice_id)
        response = await self._session.get(
            Page.PDF,
            page=Page.PDF,
            params={"IdFactureUnique": invoice_id},
            sink=sink,
        )
        self._expect(response, Page.PDF)
        if not response.content.startswith(b"%PDF-"):
            raise NotAPdf(
                _("The portal did not send a PDF for invoice {id}: nothing was saved.").format(
                    id=self._named(invoice_id)
                )
            )
        declared = response.headers.get("content-length")
        identity = response.headers.get("content-encoding", "identity").lower() == "identity"
        cut = (
            identity and declared is not None and declared.isdigit() and int(declared) != sink.size
        )
        if cut or not sink.tail.rstrip().endswith(b"%%EOF"):
            raise IncompletePdf(
                _("The PDF of invoice {id} arrived incomplete: nothing was saved.").format(
                    id=self._named(invoice_id)
                )
            )
        return pages.pdf_filename(response.headers.get("content-disposition"))

    async def payment_url(self, invoice_id: str) -> str:
        """The checked PayFiP address to pay this invoice online.

        `NothingToDo` (saying why) when the detail has no pay link; `UnsafePaymentAddress` when
        the portal's redirect fails the checks of `payment.check_payment_url`.
        """
        invoice = await self._require_listed(invoice_id)
        detail = await self._fetch_detail(invoice_id)
        if not detail.payable_online:
            raise NothingToDo(self._why_not_payable(invoice.with_detail(detail)))
        try:
            response = await self._session.get(
                Page.PAY,
                page=Page.PAY,
                params={"IdFactureUnique": invoice_id},
                follow=False,
            )
        except BadRedirect:
            raise UnsafePaymentAddress(
                _(
                    "The payment address was refused (it is not a valid address): only https "
                    "addresses on www.payfip.gouv.fr or www.tipi.budget.gouv.fr are opened."
                )
            ) from None
        where = location(response)
        if not is_redirect(response) or not where:
            raise PageChanged(Page.PAY, "302 Location")
        # Read, never followed: the address is for the user's browser, after the checks.
        address = redirect_target(response) or where.strip()
        return check_payment_url(address, portal_base_url=self.base_url)

    @staticmethod
    def _why_not_payable(invoice: Invoice) -> str:
        name = invoice.number or invoice.id
        if invoice.status is Status.PAID:
            return _("Invoice {number} is already paid.").format(number=name)
        if invoice.status is Status.DIRECT_DEBIT or (
            invoice.detail is not None and invoice.detail.payment_mode is PaymentMode.DIRECT_DEBIT
        ):
            return _("Invoice {number} is paid by direct debit: nothing to pay online.").format(
                number=name
            )
        return _(
            "Invoice {number} cannot be paid online: the portal offers no payment link."
        ).format(number=name)

    # --- End --------------------------------------------------------------------------------

    async def logout(self) -> None:
        """`Home/LogOff` (best effort: a failure here changes nothing for the user)."""
        try:
            if self._credentials is not None:
                await self._session.get(
                    Page.LOGOFF, page=Page.LOGOFF, follow=False, check_session=False
                )
        except EspaceError:
            pass
        finally:
            self._credentials = None
            self._session.renew = None
            self._list_visited = False
            self._account_visited = False

    async def aclose(self) -> None:
        """Close the HTTP client and forget the credentials."""
        self._credentials = None
        self._session.renew = None
        await self._session.aclose()


def _implements_portal(browser: EspaceCitoyensBrowser) -> Portal:
    """Never called: lets the type checker prove that the browser is a `Portal`."""
    return browser
