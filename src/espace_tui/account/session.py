"""One account on one portal: log in and keep the password, load and keep what was read,
save PDFs, ask for payment addresses. Both fronts use it: the commands for one run, the screens
for the app's life.

The fronts never talk HTTP: they await these methods, which call the `Portal` (any
implementation of `portal.base.Portal`) and return model objects. Every failure is an
`EspaceError` (or an `OSError` when a file cannot be written), which each front maps to words in
its one place (`cli.main`, `tui.problems`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from espace_tui.account.find import find_in
from espace_tui.account.portals import PortalFactory
from espace_tui.account.services import Credentials, SettingsStore
from espace_tui.core.errors import EspaceError, KeyringUnavailable, NothingToDo
from espace_tui.core.i18n import _
from espace_tui.core.model import Account, Invoice
from espace_tui.core.tasks import gather_all
from espace_tui.local.downloads import PartFile, SavedPdf, remove_stale_parts
from espace_tui.portal.base import Portal
from espace_tui.portal.urls import base_url_for, commune_of


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the portal said at the last load; `version` grows with every change."""

    account: Account
    invoices: tuple[Invoice, ...]
    version: int

    def invoice(self, invoice_id: str) -> Invoice | None:
        return next((i for i in self.invoices if i.id == invoice_id), None)

    @property
    def details_loaded(self) -> int:
        """How many invoices have their detail (due date, payer, lines) yet."""
        return sum(1 for i in self.invoices if i.detail is not None)

    @property
    def complete(self) -> bool:
        return self.details_loaded == len(self.invoices)


__all__ = ["AccountSession", "KeyringAnswer", "SavedPdf", "Snapshot"]


@dataclass(frozen=True, slots=True)
class KeyringAnswer:
    """What the keyring said before a login: whether it works, the stored password, and the
    words to show when it did not answer."""

    available: bool
    password: str | None = None
    problem: str | None = None


DETAILS_AT_ONCE = 200
"""Details fetched before a list is shown, and then per step of `load_details`. A family's
account (tens of invoices) is complete at once; thousands are shown first and completed in
the background (5 000 details take ~20 s even from the loopback mock)."""


class AccountSession:
    """The logged-in portal and its last snapshot (shared by every screen of the app; one
    command's run on the command line)."""

    def __init__(
        self,
        portal_factory: PortalFactory,
        *,
        credentials: Credentials,
        settings: SettingsStore,
        download_dir: Path,
        remember: bool = True,
    ) -> None:
        self._factory = portal_factory
        self.remember = remember
        """Whether a login is remembered (settings, keyring); False in the demo."""
        self._credentials = credentials
        self._settings = settings
        self.download_dir = download_dir
        self.portal: Portal | None = None
        self.username: str | None = None
        self.password_kept = False
        """Whether the last login kept the password in the keyring."""
        self.snapshot: Snapshot | None = None
        self._version = 0
        self._generation = 0
        """Grows with every new list (refresh, logout): a slower detail loader then stops."""
        self._saved: dict[str, Path] = {}
        """PDFs saved during this run, by invoice id (so `o` does not download twice)."""

    @property
    def logged_in(self) -> bool:
        return self.portal is not None and self.snapshot is not None

    @property
    def base_url(self) -> str:
        """The portal's base URL ("" before a login)."""
        return self.portal.base_url if self.portal is not None else ""

    @property
    def label(self) -> str:
        """`username @ commune`, for the header."""
        if self.portal is None or self.username is None:
            return ""
        return f"{self.username} @ {commune_of(self.portal.base_url)}"

    # -- logging in and out -------------------------------------------------------------

    async def login(
        self,
        portal_text: str,
        username: str,
        password: str,
        *,
        remember: bool | None,
        load: bool = True,
    ) -> list[str]:
        """Log in and, with `load`, load the account and the invoices (`refresh`).

        `remember`: True stores the password in the keyring, False forgets a stored one, None
        leaves the keyring alone (a login with the stored password). The portal and username
        are remembered when this session remembers at all (not in the demo). Returns warnings
        to show (the keyring or the settings could not keep what was asked). Raises
        `ConfigError` for a portal text that is not a portal, `LoginRefused` with the site's
        words, and the portal's errors.
        """
        base_url = base_url_for(portal_text)
        if self.portal is not None and self.portal.base_url != base_url:
            await self._close_portal()
        if self.portal is None:
            self.portal = self._factory(base_url)
        self.username = None
        self.snapshot = None
        await self.portal.login(username, password)
        self.username = username
        if load:
            await self.refresh()
        return self._keep(base_url, username, password, remember)

    def _keep(
        self, base_url: str, username: str, password: str, remember: bool | None
    ) -> list[str]:
        """Remember the portal and username, and keep or forget the password, as asked."""
        if not self.remember:
            return []
        warnings: list[str] = []
        try:
            self._settings.remember(base_url, username)
        except OSError as error:  # an unwritable config folder must not block a login
            warnings.append(
                _("The portal and username could not be remembered ({reason}).").format(
                    reason=error.strerror or error
                )
            )
        if remember:
            try:
                self._credentials.store_password(base_url, username, password)
                self.password_kept = True
            except KeyringUnavailable as error:
                warnings.append(error.message)
        elif remember is False:
            try:
                self._credentials.forget_password(base_url, username)
            except KeyringUnavailable as error:
                warnings.append(error.message)
        return warnings

    def stored_password(self, portal_text: str | None, username: str | None) -> str | None:
        """The keyring's password for this portal and username, if any (never raises)."""
        if not portal_text or not username:
            return None
        try:
            base_url = base_url_for(portal_text)
        except Exception:  # a bad remembered portal simply means "ask"
            return None
        try:
            return self._credentials.get_password(base_url, username)
        except KeyringUnavailable:  # it did not answer in time: ask
            return None

    def ask_keyring(self, portal_text: str | None, username: str | None) -> KeyringAnswer:
        """Whether the keyring works here and the password it keeps for this account, within
        the keyring's deadline (it blocks: call it in a thread). Never raises."""
        if not self.remember:
            return KeyringAnswer(available=False)
        try:
            if not self._credentials.keyring_available():
                return KeyringAnswer(available=False)
        except KeyringUnavailable as error:  # it did not answer in time
            return KeyringAnswer(available=False, problem=error.message)
        return KeyringAnswer(available=True, password=self.stored_password(portal_text, username))

    async def logout(self, *, log_off: bool = True) -> None:
        """End the session on the portal (best effort; not at all without `log_off`, after a
        failure that must not wait on the network) and forget what was loaded."""
        self._generation += 1
        await self._close_portal(log_off=log_off)
        self.username = None
        self.snapshot = None
        self._saved.clear()

    async def _close_portal(self, *, log_off: bool = True) -> None:
        portal, self.portal = self.portal, None
        if portal is None:
            return
        # Leaving must never hang or fail: the site may be down by now.
        if log_off:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(portal.logout(), timeout=3)
        with contextlib.suppress(Exception):
            await portal.aclose()

    # -- loading ------------------------------------------------------------------------

    def _portal(self) -> Portal:
        if self.portal is None:
            raise NothingToDo(_("You are not logged in."))
        return self.portal

    async def refresh(self) -> Snapshot:
        """Load the account and the invoice list again, with the details of the first
        `DETAILS_AT_ONCE` invoices; `load_details` fetches the others."""
        portal = self._portal()
        account = await portal.account()
        rows = await portal.invoices(details=False)
        self._generation += 1
        first = rows[:DETAILS_AT_ONCE]
        details = await gather_all([portal.invoice_detail(i.id) for i in first])
        invoices = [i.with_detail(d) for i, d in zip(first, details, strict=True)]
        self._version += 1
        self.snapshot = Snapshot(account, (*invoices, *rows[len(first) :]), self._version)
        return self.snapshot

    async def load_details(self, progress: Callable[[Snapshot], None]) -> Snapshot | None:
        """Fetch the details the snapshot still lacks, `DETAILS_AT_ONCE` at a time, calling
        `progress` with each new snapshot. Stops (None) when a refresh or a logout replaced
        the list meanwhile."""
        generation = self._generation
        while self.snapshot is not None and not self.snapshot.complete:
            portal = self._portal()
            missing = [i.id for i in self.snapshot.invoices if i.detail is None]
            step = missing[:DETAILS_AT_ONCE]
            details = await gather_all([portal.invoice_detail(i) for i in step])
            if generation != self._generation or self.snapshot is None:
                return None
            found = dict(zip(step, details, strict=True))
            self._version += 1
            self.snapshot = replace(
                self.snapshot,
                invoices=tuple(
                    i.with_detail(found[i.id]) if i.id in found else i
                    for i in self.snapshot.invoices
                ),
                version=self._version,
            )
            progress(self.snapshot)
        return self.snapshot

    async def reload_invoice(self, invoice_id: str) -> Invoice:
        """Fetch one invoice's detail again and put it in the snapshot."""
        detail = await self._portal().invoice_detail(invoice_id)
        snapshot = self.snapshot
        if snapshot is None:
            raise NothingToDo(_("You are not logged in."))
        current = snapshot.invoice(invoice_id) or Invoice(id=invoice_id)
        updated = current.with_detail(detail)
        self._version += 1
        self.snapshot = replace(
            snapshot,
            invoices=tuple(updated if i.id == invoice_id else i for i in snapshot.invoices),
            version=self._version,
        )
        return updated

    async def listed(self) -> list[Invoice]:
        """Every invoice as the list page shows it (no details: one request)."""
        return await self._portal().invoices(details=False)

    async def all_invoices(self) -> list[Invoice]:
        """Every invoice with its detail, in the site's order."""
        return await self._portal().invoices(details=True)

    async def find(self, wanted: str) -> Invoice:
        """One invoice, found by ID or number (`find_in`), with its detail."""
        invoice = find_in(await self.listed(), wanted)
        return invoice.with_detail(await self._portal().invoice_detail(invoice.id))

    # -- documents and payment ----------------------------------------------------------

    async def download(
        self,
        invoices: list[Invoice],
        folder: Path,
        *,
        each: Callable[[Invoice, SavedPdf | BaseException], None] | None = None,
    ) -> list[SavedPdf | BaseException]:
        """Save the PDFs of these invoices into `folder`, fetched together (the client bounds
        how many at once). Each is written as it arrives and saved as soon as it is whole, so a
        failure loses nothing already received; `each` is told of every outcome when it comes.
        Returns, for each invoice, what was saved or the failure it met (`NotAPdf`,
        `IncompletePdf`, the portal's errors, an `OSError` of the folder). Temporary files that a
        killed earlier run left in the folder are removed first."""
        await asyncio.to_thread(remove_stale_parts, folder)
        portal = self._portal()

        async def one(invoice: Invoice) -> SavedPdf | BaseException:
            outcome: SavedPdf | BaseException
            try:
                part = await asyncio.to_thread(PartFile, folder, invoice)
            except OSError as error:
                outcome = error
            else:
                try:
                    name = await portal.pdf_into(invoice.id, part)
                    outcome = await asyncio.to_thread(part.publish, name)
                except (EspaceError, OSError) as error:
                    outcome = error
                finally:
                    part.discard()
            if isinstance(outcome, SavedPdf):
                self._saved[invoice.id] = outcome.path
            if each is not None:
                each(invoice, outcome)
            return outcome

        return list(await asyncio.gather(*(one(invoice) for invoice in invoices)))

    async def save_pdf(self, invoice: Invoice) -> SavedPdf:
        """Download the invoice's PDF into the download folder."""
        (outcome,) = await self.download([invoice], self.download_dir)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    async def pdf_path(self, invoice: Invoice) -> Path:
        """The saved PDF of the invoice, saving it first when this run has not yet."""
        path = self._saved.get(invoice.id)
        if path is not None and path.is_file():
            return path
        return (await self.save_pdf(invoice)).path

    async def payment_url(self, invoice: Invoice) -> str:
        """The checked PayFiP address of the invoice (`NothingToDo`, `UnsafePaymentAddress`)."""
        return await self._portal().payment_url(invoice.id)
