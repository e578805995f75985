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
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from espace_tui.account.find import find_in
from espace_tui.account.portals import PortalFactory
from espace_tui.account.services import Credentials, SettingsStore
from espace_tui.account.stored import reuse
from espace_tui.core.errors import EspaceError, KeyringUnavailable, NothingToDo, SafetyRefused
from espace_tui.core.i18n import _
from espace_tui.core.model import Account, Invoice, Status
from espace_tui.core.tasks import gather_all
from espace_tui.local.downloads import PartFile, SavedPdf, remove_stale_parts
from espace_tui.local.store import Store
from espace_tui.portal.base import Portal
from espace_tui.portal.payment import PaymentRequest, check_payable, describe_payment
from espace_tui.portal.urls import base_url_for, commune_of


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the portal said at the last load; `version` grows with every change."""

    account: Account
    invoices: tuple[Invoice, ...]
    version: int
    details_loaded: int = field(init=False, compare=False, repr=False)
    """How many invoices have their detail (due date, payer, lines) yet: counted once, when
    the snapshot is made (the screens ask at every redraw while a long account loads)."""

    def __post_init__(self) -> None:
        loaded = sum(1 for i in self.invoices if i.detail is not None)
        object.__setattr__(self, "details_loaded", loaded)

    def invoice(self, invoice_id: str) -> Invoice | None:
        return next((i for i in self.invoices if i.id == invoice_id), None)

    @property
    def complete(self) -> bool:
        return self.details_loaded == len(self.invoices)


__all__ = [
    "AccountSession",
    "KeyringAnswer",
    "PaymentRequest",
    "SavedPdf",
    "Snapshot",
    "offline_message",
    "pay_without_portal",
]


@dataclass(frozen=True, slots=True)
class KeyringAnswer:
    """What the keyring said before a login: whether it works, the stored password, and the
    words to show when it did not answer."""

    available: bool
    password: str | None = None
    problem: str | None = None


def pay_without_portal(reference: PaymentRequest) -> str:
    """How to pay an invoice sent to the Trésor Public without the portal, with the numbers of
    its payment address (SITE.md §7); the same words on the screens and in `show`."""
    return _(
        "Without the portal: pay it on www.payfip.gouv.fr with the collectivity's number "
        "{numcli} and the reference {refdet}, or in cash or by card at an approved tobacconist "
        "(paiement de proximité)."
    ).format(numcli=reference.numcli, refdet=reference.refdet)


def offline_message() -> str:
    """What an action that needs the portal says when the screens show the store alone."""
    return _(
        "This needs the portal: espace-tui shows what was last read, offline. "
        "Start it without --offline to refresh, save a PDF or pay."
    )


DETAILS_AT_ONCE = 200
"""Details fetched before a list is shown, and then per step of `load_details`. A family's
account (tens of invoices) is complete at once; thousands are shown first and completed in
the background (5 000 details take ~20 s even from the loopback mock)."""


AT_ONCE = 12
"""Details or PDFs started at a time: twice what the portal client sends at once (6), so it
always has the next one ready, without a task per invoice of a long account waiting."""
LOADING_STEPS = 10
"""At most this many steps (each one shown) complete a long account in the background."""


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
        store: Store | None = None,
    ) -> None:
        self._factory = portal_factory
        self.store = store
        """Where what `refresh` reads is kept, for the next start and for `--offline` (None:
        nothing is kept, as in the demo)."""
        self.read_at: datetime | None = None
        """When the snapshot was read, while it is the store's and not yet the portal's (None:
        it is what the portal said in this run)."""
        self.offline = False
        """The snapshot is the store's alone (`--offline`): the portal is never asked."""
        self._stored_base = ""
        """The portal of the stored account shown offline."""
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
        return self.portal.base_url if self.portal is not None else self._stored_base

    @property
    def label(self) -> str:
        """`username @ commune`, for the header."""
        if not self.base_url or self.username is None:
            return ""
        return f"{self.username} @ {commune_of(self.base_url)}"

    # -- the store ----------------------------------------------------------------------

    def load_stored(self, portal_text: str, username: str) -> Snapshot | None:
        """Show what the store holds for this account (it reads a file: call it in a thread
        from the screens), marked with when it was read (`read_at`); None when nothing is
        stored (the snapshot is then left as it was)."""
        if self.store is None:
            return None
        stored = self.store.load(base_url_for(portal_text), username)
        if stored is None:
            return None
        self._generation += 1
        self._version += 1
        self.snapshot = Snapshot(stored.account, tuple(stored.invoice_list()), self._version)
        self.read_at = stored.read_at
        return self.snapshot

    def open_offline(self, portal_text: str, username: str) -> Snapshot | None:
        """`--offline`: the stored account alone; the portal is never asked (every action
        that needs it says so). None when nothing is stored for the account."""
        snapshot = self.load_stored(portal_text, username)
        if snapshot is not None:
            self.offline = True
            self.username = username
            self._stored_base = base_url_for(portal_text)
            self._saved.clear()
        return snapshot

    async def _keep_read(self, *, details_read: set[str]) -> None:
        """Store the snapshot just read from the portal (never a reason to fail the load:
        a cache folder that cannot be written only means nothing is kept)."""
        store, snapshot, portal = self.store, self.snapshot, self.portal
        if store is None or snapshot is None or portal is None or self.username is None:
            return
        with contextlib.suppress(OSError, sqlite3.Error):
            await asyncio.to_thread(
                store.save,
                portal.base_url,
                self.username,
                snapshot.account,
                snapshot.invoices,
                read_at=datetime.now(),
                details_read=details_read,
            )

    # -- logging in and out -------------------------------------------------------------

    async def login(
        self,
        portal_text: str,
        username: str,
        password: str,
        *,
        remember: bool | None,
        load: bool = True,
        from_store: bool = False,
    ) -> list[str]:
        """Log in and, with `load`, load the account and the invoices (`refresh`); with
        `from_store` too, what the store holds for the account is shown instead when there is
        some (`read_at` says when it was read; the caller refreshes it in the background).

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
        self.read_at = None
        self.offline = False
        self._stored_base = ""
        await self.portal.login(username, password)
        self.username = username
        if load:
            stored = None
            if from_store:
                stored = await asyncio.to_thread(self.load_stored, base_url, username)
            if stored is None:
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
        self.read_at = None
        self.offline = False
        self._stored_base = ""
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
        if self.offline:
            raise NothingToDo(offline_message())
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
        details = await gather_all([portal.invoice_detail(i.id) for i in first], at_once=AT_ONCE)
        invoices = [i.with_detail(d) for i, d in zip(first, details, strict=True)]
        self._version += 1
        self.snapshot = Snapshot(account, (*invoices, *rows[len(first) :]), self._version)
        self.read_at = None
        await self._keep_read(details_read={i.id for i in first})
        return self.snapshot

    async def load_details(self, progress: Callable[[Snapshot], None]) -> Snapshot | None:
        """Fetch the details the snapshot still lacks, `DETAILS_AT_ONCE` at a time or a tenth
        of the account if more (`LOADING_STEPS`), calling `progress` with each new snapshot.
        Stops (None) when a refresh or a logout replaced the list meanwhile."""
        generation = self._generation
        read: set[str] = set()
        # Each step is shown, and showing costs time in the size of the account (the list is
        # filtered, sorted and totalled again): in at most `LOADING_STEPS` steps, so loading
        # stays linear in the account however long it is, and the keys answer meanwhile.
        per_step = DETAILS_AT_ONCE
        if self.snapshot is not None:
            per_step = max(per_step, -(-len(self.snapshot.invoices) // LOADING_STEPS))
        while self.snapshot is not None and not self.snapshot.complete:
            portal = self._portal()
            missing = [i.id for i in self.snapshot.invoices if i.detail is None]
            step = missing[:per_step]
            details = await gather_all([portal.invoice_detail(i) for i in step], at_once=AT_ONCE)
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
            read.update(step)
        if read:  # stored once whole (a refresh already stored its first details)
            await self._keep_read(details_read=read)
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
        if self.read_at is None:  # the snapshot is the portal's: keep its new state
            await self._keep_read(details_read={invoice_id})
        return updated

    async def listed(self) -> list[Invoice]:
        """Every invoice as the list page shows it (no details: one request)."""
        return await self._portal().invoices(details=False)

    async def all_invoices(
        self, *, store: Store | None = None, refresh_all: bool = False
    ) -> list[Invoice]:
        """Every invoice with its detail, in the site's order. With a `store`, only what can
        have changed is asked for (`account.stored`), and what was read is stored (one
        transaction) for the next run and for `--offline`."""
        portal = self._portal()
        if store is None:
            return await portal.invoices(details=True)
        username = self.username or ""
        rows = await portal.invoices(details=False)
        previous = await asyncio.to_thread(store.load, portal.base_url, username)
        merged, wanted = reuse(rows, previous, refresh_all=refresh_all)
        details = await gather_all(
            [portal.invoice_detail(invoice_id) for invoice_id in wanted], at_once=AT_ONCE
        )
        fresh = dict(zip(wanted, details, strict=True))
        invoices = [i.with_detail(fresh[i.id]) if i.id in fresh else i for i in merged]
        await asyncio.to_thread(
            store.save,
            portal.base_url,
            username,
            None,
            invoices,
            read_at=datetime.now(),
            details_read=set(wanted),
        )
        return invoices

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
        places = asyncio.Semaphore(AT_ONCE)  # no temporary file long before its PDF comes

        async def one(invoice: Invoice) -> SavedPdf | BaseException:
            async with places:
                return await saved(invoice)

        async def saved(invoice: Invoice) -> SavedPdf | BaseException:
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
        """The checked PayFiP address of the invoice (`NothingToDo`, `UnsafePaymentAddress`),
        which PayFiP can take online (`check_payable`: its amount within PayFiP's limits)."""
        url = await self._portal().payment_url(invoice.id)
        check_payable(describe_payment(url))
        return url

    async def treasury_reference(self, invoice: Invoice) -> PaymentRequest | None:
        """For an invoice sent to the Trésor Public, what its payment address says: the
        collectivity's number (`numcli`) and the invoice's reference (`refdet`), with which it
        can be paid without the portal (SITE.md §7). The address is asked for now, for this
        invoice only. None for any other invoice, when there is no pay link, when the address
        is refused, or when it holds neither number."""
        if invoice.status is not Status.TREASURY or not invoice.payable_online:
            return None
        try:
            request = describe_payment(await self._portal().payment_url(invoice.id))
        except (NothingToDo, SafetyRefused):
            return None
        return request if request.numcli and request.refdet else None
