"""One HTTP session with the portal: the cookie jar, retries, redirects and session renewal.

`PortalSession` knows HTTP and the site's session rules (SITE.md, "Session"), not its pages'
content: the browser gives it a `renew` coroutine (log in again) and asks it for pages.

- One `httpx.AsyncClient`, so one cookie jar; TLS verification stays on; every request has a
  timeout; at most `max_in_flight` requests at once.
- Redirects are never followed blindly: only to the portal's own origin, and a redirect to the
  login page is a session that has ended.
- Idempotent requests are retried on connection errors, timeouts and 502/503/504, with bounded
  exponential backoff. A 503 maintenance page is reported as such at once.
- Every wait and every size has a bound: a timeout per read, a deadline per request (connect,
  send and read together), a maximum size per page and per PDF, counted after decompression
  (a page is read as a stream and refused past its limit).
- A PDF is streamed into a sink (a temporary file) as it arrives, never held whole in memory.
- httpx is never asked to follow a redirect, and never sees a `Location` header: it would build
  the next request of every redirect and fail on one that is no address (`javascript:`) before
  the client could refuse it. `location()` reads it.
- A session that has ended (HTTP 500, a redirect to `Home/Logon` or `Home/AccueilPublic`, a
  200 page holding the login form) is renewed exactly once however many requests in flight see
  it: a lock and a generation counter, and a gate that holds new requests while it happens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from urllib.parse import urljoin, urlsplit

import httpx

from espace_tui import __version__
from espace_tui.core.errors import (
    BadRedirect,
    EspaceError,
    Maintenance,
    PageTooLarge,
    PortalUnreachable,
    SessionExpired,
)
from espace_tui.core.i18n import _
from espace_tui.core.model import PdfSink
from espace_tui.portal.network import AsyncioTransport
from espace_tui.portal.pages import is_login_page, is_maintenance, maintenance_message

log = logging.getLogger(__name__)

USER_AGENT = f"espace-tui/{__version__} (terminal client for Espace Citoyens; httpx)"
RETRY_STATUSES = frozenset({502, 503, 504})
MAX_BACKOFF = 5.0
MAX_REDIRECTS = 5
MAX_RENEWALS_PER_REQUEST = 32
"""How many separate endings of the session one request may live through. Each renewal is
only made after the renewed session served some answer, so this is a last bound, not a rule."""
DEADLINE = 60.0
"""Seconds one request may take in all (connect, send, every read)."""
MAX_PAGE_BYTES = 5_000_000
"""The largest page read (decompressed): a list of 10 000 invoices is about 3 MB."""
MAX_PDF_BYTES = 50_000_000
_LOGIN_PATHS = ("/home/logon", "/home/accueilpublic")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
"""httpx's own defaults: the portal is asked at most `max_in_flight` requests at once anyway."""
LOCATION = "x-espace-tui-location"
"""Where a redirect's `Location` is kept aside (see the module's docstring)."""


async def _hold_location(response: httpx.Response) -> None:
    if "location" in response.headers:
        response.headers[LOCATION] = response.headers.pop("location")


def location(response: httpx.Response) -> str | None:
    """The `Location` a redirect answered (its text as the site sent it), or None."""
    value: str | None = response.headers.get(LOCATION)
    return value


def is_redirect(response: httpx.Response) -> bool:
    return response.status_code in _REDIRECTS and LOCATION in response.headers


def redirect_target(response: httpx.Response) -> str | None:
    """Where a redirect points, made absolute; None when its `Location` is no address."""
    try:
        return urljoin(str(response.url), (location(response) or "").strip())
    except ValueError:  # broken brackets and the like
        return None


def _origin(url: str | httpx.URL) -> tuple[str, str, int | None] | None:
    try:
        parts = httpx.URL(str(url))
    except (httpx.InvalidURL, ValueError):
        return None  # no address at all: the origin of nothing
    return parts.scheme, parts.host, parts.port


def transport_error(exc: httpx.HTTPError, host: str) -> PortalUnreachable:
    """The one place where httpx's exceptions become a plain message for the user."""
    if isinstance(exc, httpx.TimeoutException):
        reason = _("it did not answer in time")
    elif isinstance(exc, httpx.ConnectError) and (
        isinstance(exc.__context__, ssl.SSLCertVerificationError)
        or "CERTIFICATE_VERIFY_FAILED" in str(exc)
    ):
        reason = _("its TLS certificate could not be verified")
    elif isinstance(exc, httpx.ConnectError):
        reason = _("the connection failed")
    elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        reason = _("the connection was cut")
    else:
        reason = type(exc).__name__
    return PortalUnreachable(
        _("Could not reach the portal at {host}: {reason}.").format(host=host, reason=reason)
    )


def _retryable(exc: httpx.HTTPError) -> bool:
    """Connection errors and timeouts are worth another try; a certificate that fails
    verification is not."""
    if isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc):
        return False
    return isinstance(exc, httpx.TransportError)


class PortalSession:
    """The HTTP session with one portal (see the module's docstring)."""

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
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.deadline = deadline
        self.max_page_bytes = max_page_bytes
        self.max_pdf_bytes = max_pdf_bytes
        self.client = httpx.AsyncClient(
            # httpx's transport on asyncio's sockets (`network`): less CPU per request.
            transport=transport or AsyncioTransport(limits=LIMITS),
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT, "Accept-Language": "fr-FR,fr;q=0.9"},
            event_hooks={"response": [_hold_location]},
        )
        self._timeout = httpx.Timeout(timeout).as_dict()
        self._cookie_headers: dict[httpx.URL, str] = {}
        """The `Cookie` header of each address, until an answer sets a cookie."""
        self._addresses: dict[str, httpx.URL] = {}
        self.renew: Callable[[], Awaitable[None]] | None = None
        """Logs in again; set by the browser once it has credentials."""
        self.generation = 0
        """Bumped by every renewal, so that requests that saw the same ended session renew it
        only once."""
        self.renewals = 0
        self._ok_since_renewal = 0
        self._semaphore = asyncio.Semaphore(max(1, max_in_flight))
        self._renew_lock = asyncio.Lock()
        self._state = asyncio.Condition()
        """Guards `_renewing` and `_retries_waiting`, which decide who may send."""
        self._renewing = False
        self._retries_waiting = 0
        self._pending = 0
        """Requests sent or about to be, whose answer is not judged yet."""
        """Requests to repeat after a renewal: they go before new ones, so that a session that
        ends after a few pages still serves the repeats first."""

    def url(self, path: str) -> str:
        """An address relative to the base URL."""
        return urljoin(self.base_url, path)

    def same_origin(self, url: str | httpx.URL) -> bool:
        here = _origin(url)
        return here is not None and here == _origin(self.base_url)

    def is_login_address(self, url: str) -> bool:
        """`Home/Logon`, `Home/AccueilPublic` or the base URL itself (the public home)."""
        path = urlsplit(url).path.rstrip("/").lower()
        base_path = urlsplit(self.base_url).path.rstrip("/").lower()
        return path == base_path or path.endswith(_LOGIN_PATHS)

    def reset(self) -> None:
        """After a fresh login: the session is new."""
        self._ok_since_renewal = 0

    async def aclose(self) -> None:
        await self.client.aclose()

    # --- one request, retried ---------------------------------------------------------------

    async def send(
        self,
        method: str,
        url: str,
        *,
        page: str,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        gate: bool = True,
    ) -> httpx.Response:
        """One request, retried on connection errors, timeouts and 502/503/504 (every request
        sent here is safe to repeat: GETs, and the login POST, which changes nothing).

        Raises `Maintenance` for a 503 maintenance page, `PortalUnreachable` when every try
        failed or the deadline passed, `PageTooLarge` past the size limit.
        """
        response, _generation = await self._send(
            method, url, page=page, params=params, data=data, headers=headers, gate=gate
        )
        return response

    async def _send(
        self,
        method: str,
        url: str,
        *,
        page: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        gate: bool,
        priority: bool = False,
        sink: PdfSink | None = None,
    ) -> tuple[httpx.Response, int]:
        """`send`, also giving the session generation the request was sent in. With `sink`, a
        body that starts as a PDF is streamed into it (restarted at each try)."""
        failure: EspaceError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                delay = min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF)
                log.debug("retrying %s %s in %.2fs (try %d)", method, page, delay, attempt + 1)
                await asyncio.sleep(delay)
            try:
                async with self._slot(gate, priority):
                    generation = self.generation
                    response = await self._exchange(
                        method, url, page=page, params=params, data=data, headers=headers, sink=sink
                    )
            except httpx.InvalidURL:
                raise BadRedirect(page) from None
            except httpx.HTTPError as exc:
                # `from None`: the chained exception would hold the request, and the login
                # request's body holds the password.
                if not _retryable(exc):
                    raise transport_error(exc, self.host) from None
                failure = transport_error(exc, self.host)
                continue
            if response.status_code in RETRY_STATUSES:
                if response.status_code == 503 and is_maintenance(response.content):
                    raise Maintenance(page, maintenance_message(response.content))
                if generation == self.generation:
                    # An answer of the session, though not a page: it had not ended when it
                    # gave it (an "ended right after logging in" verdict must not count it).
                    self._ok_since_renewal += 1
                failure = PortalUnreachable(
                    _("The portal kept answering HTTP {status} to {page}.").format(
                        status=response.status_code, page=page
                    )
                )
                continue
            return response, generation
        assert failure is not None
        raise failure

    async def _exchange(
        self,
        method: str,
        url: str,
        *,
        page: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        sink: PdfSink | None,
    ) -> httpx.Response:
        """Send one request and read its body within the deadline and the size limits."""
        try:
            async with asyncio.timeout(self.deadline):
                request = self._build(method, url, params=params, data=data, headers=headers)
                started = time.monotonic()
                response = await self.client.send(request, stream=True)
                if "set-cookie" in response.headers:  # httpx has put them in the jar
                    self._cookie_headers.clear()
                try:
                    await self._read_body(response, page, sink)
                finally:
                    await response.aclose()
                # The method, the path and the answer only: never the query, a form, a header.
                if log.isEnabledFor(logging.DEBUG):  # the path is decoded for nothing else
                    log.debug(
                        "%s %s %d %.0f ms",
                        method,
                        request.url.path,
                        response.status_code,
                        (time.monotonic() - started) * 1000,
                    )
                return response
        except TimeoutError:
            raise PortalUnreachable(
                _("The portal did not answer {page} within {seconds} s.").format(
                    page=page, seconds=f"{self.deadline:g}"
                )
            ) from None

    def _build(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        """What `client.build_request` builds, less its two copies of the cookie jar and its
        walk through the jar's rules at every request: the `Cookie` header of an address is
        made once, and again only after an answer set a cookie."""
        address = self._address(url)
        cookie = self._cookie_headers.get(address)
        if cookie is None:
            probe = httpx.Request(method, address)
            self.client.cookies.set_cookie_header(probe)
            cookie = self._cookie_headers[address] = probe.headers.get("cookie", "")
        merged = self.client.headers.copy()
        if headers:
            merged.update(headers)
        if cookie:
            merged["Cookie"] = cookie
        return httpx.Request(
            method,
            address,
            params=params,
            data=data,
            headers=merged,
            extensions={"timeout": self._timeout},
        )

    def _address(self, url: str) -> httpx.URL:
        """The parsed address (kept: the same few pages are asked for again and again)."""
        address = self._addresses.get(url)
        if address is None:
            address = httpx.URL(url)
            if len(self._addresses) < 256:
                self._addresses[url] = address
        return address

    async def _read_body(self, response: httpx.Response, page: str, sink: PdfSink | None) -> None:
        """Read the body as a stream: a PDF into the sink, anything else into memory, each
        refused past its limit (decompressed bytes are counted: a gzip bomb stops early)."""
        limit = self.max_page_bytes
        body = bytearray()
        streaming = False
        if sink is not None and sink.size:  # a try after a failed one: start the file again
            sink.restart()
        async for chunk in response.aiter_bytes():
            if streaming:
                assert sink is not None
                if sink.size + len(chunk) > self.max_pdf_bytes:
                    raise PageTooLarge(page, self.max_pdf_bytes)
                sink.write(chunk)
                continue
            body += chunk
            if sink is not None and response.status_code == 200 and body.startswith(b"%PDF-"):
                streaming = True
                sink.write(bytes(body))
                body = bytearray(body[:5])  # what the session rules look at
                continue
            if len(body) > limit:
                raise PageTooLarge(page, limit)
        # httpx's own `aread` keeps the body here too; a streamed PDF keeps only its start.
        response._content = bytes(body)

    def _may_send(self, priority: bool) -> bool:
        return not self._renewing and (priority or self._retries_waiting == 0)

    @contextlib.asynccontextmanager
    async def _slot(self, gate: bool, priority: bool) -> AsyncIterator[None]:
        """One of the `max_in_flight` places. With `gate`, only while no renewal is under way
        (a request sent then would only meet the ended session) and, unless it is a repeat
        (`priority`), while no repeat is waiting."""
        while True:
            if gate:
                async with self._state:
                    await self._state.wait_for(lambda: self._may_send(priority))
            await self._semaphore.acquire()
            if not gate or self._may_send(priority):
                break
            self._semaphore.release()  # things changed while we queued: wait again
        try:
            yield
        finally:
            self._semaphore.release()

    async def _notify(self) -> None:
        async with self._state:
            self._state.notify_all()

    # --- a page, with the session rules ------------------------------------------------------

    def _ended(self, response: httpx.Response) -> bool:
        """SITE.md's three signs of a session that has ended."""
        status = response.status_code
        if status == 500:
            return True
        if is_redirect(response):
            target = redirect_target(response)
            return target is not None and self.same_origin(target) and self.is_login_address(target)
        if status == 200:
            body = response.content
            return not body.startswith(b"%PDF-") and is_login_page(body)
        return False

    async def _get_following(
        self,
        url: str,
        *,
        page: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
        follow: bool,
        gate: bool,
        priority: bool = False,
        sink: PdfSink | None = None,
    ) -> tuple[httpx.Response, int]:
        """GET, following redirects only within the portal's origin and never to the login
        page (the caller sees that redirect: it means the session has ended). Also gives the
        session generation the last request was sent in."""
        response, generation = await self._send(
            "GET",
            url,
            page=page,
            params=params,
            data=None,
            headers=headers,
            gate=gate,
            priority=priority,
            sink=sink,
        )
        for _hop in range(MAX_REDIRECTS):
            if not (follow and is_redirect(response)) or self._ended(response):
                break
            target = redirect_target(response)
            if target is None or not self.same_origin(target):
                break
            response, generation = await self._send(
                "GET",
                target,
                page=page,
                params=None,
                data=None,
                headers=headers,
                gate=gate,
                priority=priority,
                sink=sink,
            )
        return response, generation

    async def get(
        self,
        path_or_url: str,
        *,
        page: str,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        follow: bool = True,
        check_session: bool = True,
        renew: bool = True,
        gate: bool = True,
        sink: PdfSink | None = None,
    ) -> httpx.Response:
        """GET a page of the portal (with `sink`, a PDF: its bytes go there as they arrive).

        With `check_session`, an ended session is renewed (once for all the requests that saw
        it) and the request repeated, ahead of new requests. A repeat that finds the session
        ended again right after the renewal (before any other request got an answer in it)
        fails with `SessionExpired`. A later, separate ending (the new session served other
        requests, then ended) is renewed again, up to `MAX_RENEWALS_PER_REQUEST` times.
        """
        url = self.url(path_or_url)
        renewals = 0
        repeat = False  # a repeat after a renewal, counted in `_retries_waiting`
        try:
            while True:
                if gate:
                    self._pending += 1
                try:
                    response, generation = await self._get_following(
                        url,
                        page=page,
                        params=params,
                        headers=headers,
                        follow=follow,
                        gate=gate,
                        priority=repeat,
                        sink=sink,
                    )
                    alive = not check_session or not self._ended(response)
                    if alive and gate:
                        self._ok_since_renewal += 1
                finally:
                    # Counted before anyone is told, so that a request judging "right after"
                    # (below) sees this answer.
                    if gate:
                        self._pending -= 1
                    if repeat:
                        repeat = False
                        self._retries_waiting -= 1
                    await self._notify()
                if alive:
                    return response
                log.debug("session ended at %s (HTTP %d)", page, response.status_code)
                if not renew or self.renew is None:
                    raise SessionExpired(_("The portal session has ended: log in again."))
                renewals += 1
                if renewals > MAX_RENEWALS_PER_REQUEST or (
                    renewals > 1 and await self._ended_right_after(generation)
                ):
                    raise SessionExpired(
                        _(
                            "The portal ended the session again right after logging in "
                            "({page}). Try again later."
                        ).format(page=page)
                    )
                repeat = True
                self._retries_waiting += 1
                await self._renew(generation)
        finally:
            if repeat:  # the renewal failed: this request will not be repeated
                self._retries_waiting -= 1
                await self._notify()

    async def _ended_right_after(self, generation: int) -> bool:
        """Whether the session renewed as `generation` ended before serving any request.

        Answers arrive in any order, so the requests still under way are awaited first: one of
        them may have been served by that session.
        """
        async with self._state:
            await self._state.wait_for(
                lambda: (
                    self._pending == 0
                    or self.generation != generation
                    or self._ok_since_renewal > 0
                )
            )
        return self.generation == generation and self._ok_since_renewal == 0

    async def _renew(self, seen_generation: int) -> None:
        """Log in again, unless another request already did since `seen_generation`."""
        async with self._renew_lock:
            if self.generation != seen_generation or self.renew is None:
                return
            self._renewing = True  # hold the other requests: they would meet the ended session
            try:
                log.debug("logging in again (renewal %d)", self.renewals + 1)
                await self.renew()
            finally:
                # Bumped even when the renewal failed, so that the requests waiting on the lock
                # do not each try again: they repeat once and report.
                self.generation += 1
                self.renewals += 1
                self._ok_since_renewal = 0
                self._renewing = False
                await self._notify()
