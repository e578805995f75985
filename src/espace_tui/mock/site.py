"""The mock portal's behaviour: one request in, one response out, no sockets.

Routes (relative to `/{commune}/espace-citoyens/`, case-insensitive as on ASP.NET):
`` and `Home/AccueilPublic` and `GET Home/Logon` (login page), `POST Home/Logon` (or, with the
AJAX login, `POST Home/RecupererModaleConnexion` and `POST Home/LogonAjax`), `Home/LogOff`,
`CompteCitoyen`, `MonCompte`, `MonCompte/DetailFacture`, `MonCompte/TelechargerPdfFacture`,
`MonCompte/PayerFacture`, `FichePersonne/DetailPersonne`,
`FichePersonne/DetailPersonneGetCalendrier` (the planning's JSON, `mock.planning`); and, outside
the portal, `/tpa/paiement.web`, the loopback stand-in for PayFiP. Anything else is 404.

Choices where SITE.md leaves room, so clients and tests can rely on them:
- An unknown or malformed `IdFactureUnique` answers 404.
- `DetailFacture` and `TelechargerPdfFacture` before `MonCompte` was visited in the session
  redirect to `MonCompte` (as `DetailFacture` does without `X-Requested-With`).
- `PayerFacture` for an invoice that cannot be paid online redirects to `MonCompte`.
- `DetailPersonneGetCalendrier` without `X-Requested-With` redirects to the member's page; before
  `CompteCitoyen` was visited in the session, to `CompteCitoyen`; for an `idDynamic` that is not
  one of the family, 404.
- Without a session, an authenticated page redirects to `Home/AccueilPublic`; with the
  `expire-every` fault the answers rotate: HTTP 500, a redirect (to `Home/Logon`, the next time to
  `Home/AccueilPublic`), a 200 page holding the login form.
- Every authenticated request counts towards `expire-every`, including the `CompteCitoyen` a
  client reaches by following the login redirect. After logging in again a client must visit
  `MonCompte` again before asking for a detail or a PDF.
- With the AJAX login (`MockOptions.login == "ajax"`), the public home shows a "Se connecter"
  button instead of the form, `POST Home/Logon` is not served, the modal and `LogonAjax` answer
  only XHR (others are sent back to the home), and an ended session's 200 page is the home with
  the modal's form open.
- Redirects inside the portal carry a path (`/ecouflant/espace-citoyens/CompteCitoyen`), as
  ASP.NET sends them; the PayFiP redirect carries a whole address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, quote, urlsplit

from espace_tui.mock import pages, payfip, planning
from espace_tui.mock.data import Family, MockInvoice, as_paid, make_family
from espace_tui.mock.options import DEMO_PASSWORD, DEMO_USERNAME, LOCKED_USERNAME, MockOptions

SESSION_COOKIE = "ASP.NET_SessionIdEC"
TOKEN_FIELD = "__RequestVerificationToken"
IDLE_SECONDS = 20 * 60
"""The site ends a session after about 20 minutes idle."""
FLAKY_EVERY = 4
FLAKY_STATUSES = (502, 503, 504)
WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect."
LOCKED = "Votre compte est verrouillé. Veuillez contacter votre mairie."


@dataclass(frozen=True, slots=True)
class Request:
    """What the server read: `path` without the query, `query`/`form` with first values only."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-case names."""
    cookies: dict[str, str]
    form: dict[str, str] = field(default_factory=dict)

    def param(self, name: str) -> str | None:
        """A query parameter, its name matched case-insensitively (as ASP.NET binds them)."""
        lowered = name.lower()
        for key, value in self.query.items():
            if key.lower() == lowered:
                return value
        return None


@dataclass(slots=True)
class Response:
    """What the server writes back."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class VisitorSession:
    """One visitor's session on the mock site (the `ASP.NET_SessionIdEC` cookie's value)."""

    id: str
    last_seen: float
    requests: int = 0
    visited_account: bool = False
    visited_dashboard: bool = False
    """`CompteCitoyen` was served in this session (the calendars need it)."""


@dataclass
class Stats:
    """Counters tests can read. Updated under the site's lock; read them after the requests."""

    requests: int = 0
    requests_by_path: Counter[str] = field(default_factory=Counter)
    """Paths relative to the base URL (`MonCompte/DetailFacture`); others as they are (`/tpa/…`)."""
    statuses: Counter[int] = field(default_factory=Counter)
    logins: int = 0
    """Successful `POST Home/Logon`."""
    failed_logins: int = 0
    detail_requests: int = 0
    """Detail fragments served."""
    pdf_downloads: int = 0
    """PDFs served."""
    expired_answers: int = 0
    injected_errors: int = 0
    """502/503/504 answers of the `flaky` fault."""
    payments: int = 0
    calendar_requests: int = 0
    """Calendars (plannings) served."""
    in_flight: int = 0
    max_in_flight: int = 0
    """The most requests ever being served at the same time."""


def parse_form(body: bytes) -> dict[str, str]:
    """A form-encoded body → first value of each field."""
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items()}


def parse_query(query: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(query, keep_blank_values=True).items()}


def _html(status: int, text: str, *headers: tuple[str, str]) -> Response:
    return Response(status, text.encode("utf-8"), headers=list(headers))


def _json(data: object, *headers: tuple[str, str]) -> Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Response(200, body, "application/json; charset=utf-8", list(headers))


def _redirect(location: str, *headers: tuple[str, str]) -> Response:
    return Response(302, b"", headers=[("Location", location), *headers])


class MockSite:
    """The portal of one commune with one family: data, sessions, faults and counters."""

    def __init__(self, options: MockOptions) -> None:
        self.options = options
        self.faults = options.faults
        self.prefix = f"/{options.commune}/espace-citoyens/"
        self.family: Family = make_family(options.invoices, options.today)
        self.today: date = options.today or date.today()
        """The day the demo's planning is around."""
        self.root_url = ""
        """Set by the server once it knows its port (`http://127.0.0.1:PORT/`)."""
        self.stats = Stats()
        self._lock = threading.Lock()
        self._invoices: dict[str, MockInvoice] = {inv.id: inv for inv in self.family.invoices}
        self._sessions: dict[str, VisitorSession] = {}
        self._secret = secrets.token_bytes(32)
        self._gets = 0
        self._just_failed: set[str] = set()
        self._expiries = 0
        # ASP.NET names its anti-forgery cookie after the application's path.
        app_path = self.prefix.rstrip("/").encode()
        self.token_cookie = (
            f"{TOKEN_FIELD}_{base64.urlsafe_b64encode(app_path).decode().rstrip('=')}"
        )

    # ----- data, for MockPortal -------------------------------------------------------------

    def invoices(self) -> list[MockInvoice]:
        with self._lock:
            return list(self._invoices.values())

    def invoice(self, invoice_id: str) -> MockInvoice:
        with self._lock:
            return self._invoices[invoice_id]

    def mark_paid(self, invoice_id: str) -> MockInvoice:
        with self._lock:
            paid = as_paid(self._invoices[invoice_id])
            self._invoices[invoice_id] = paid
            self.stats.payments += 1
            return paid

    @property
    def base_url(self) -> str:
        return self.root_url.rstrip("/") + self.prefix

    # ----- counters ---------------------------------------------------------------------------

    def begin(self, path: str) -> None:
        """A request starts being served."""
        key = path[len(self.prefix) :] if path.lower().startswith(self.prefix.lower()) else path
        with self._lock:
            self.stats.requests += 1
            self.stats.requests_by_path[key] += 1
            self.stats.in_flight += 1
            self.stats.max_in_flight = max(self.stats.max_in_flight, self.stats.in_flight)

    def end(self, status: int) -> None:
        with self._lock:
            self.stats.in_flight -= 1
            self.stats.statuses[status] += 1

    # ----- routing ----------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request."""
        if self.faults.maintenance:
            return _html(503, pages.maintenance_page(self.prefix))
        if request.path == payfip.PATH:
            return self._payfip(request)
        base = self.prefix.rstrip("/").lower()
        lowered = request.path.lower()
        if lowered != base and not lowered.startswith(base + "/"):
            return self._not_found()
        route = lowered[len(base) :].strip("/")
        flaky = self._flaky_status(request) if request.method == "GET" else None
        if flaky is not None:
            return _html(flaky, pages.simple_page(self.prefix, "Erreur", "Service indisponible."))
        ajax = self.options.login == "ajax"
        if route in ("", "home/accueilpublic", "home/logon") and request.method == "GET":
            return self._login_page(request)
        if route == "home/logon" and request.method == "POST" and not ajax:
            return self._logon(request)
        if route == "home/recuperermodaleconnexion" and request.method == "POST" and ajax:
            return self._login_modal(request)
        if route == "home/logonajax" and request.method == "POST" and ajax:
            return self._logon_ajax(request)
        if route == "home/logoff" and request.method == "GET":
            return self._logoff(request)
        handlers = {
            "comptecitoyen": self._dashboard,
            "moncompte": self._account,
            "moncompte/detailfacture": self._detail,
            "moncompte/telechargerpdffacture": self._pdf,
            "moncompte/payerfacture": self._pay,
            "fichepersonne/detailpersonne": self._person,
            "fichepersonne/detailpersonnegetcalendrier": self._calendar,
        }
        page = handlers.get(route)
        if page is None or request.method != "GET":
            return self._not_found()
        session = self._session(request)
        if session is None:
            return self._expired(request)
        return page(request, session)

    def _flaky_status(self, request: Request) -> int | None:
        """With the `flaky` fault, every 4th GET answers 502, then 503, then 504, and so on;
        an address that has just failed goes through when asked again, so a client that
        retries always gets its page however many requests it has in flight."""
        if not self.faults.flaky:
            return None
        address = f"{request.path}?{sorted(request.query.items())}"
        with self._lock:
            if address in self._just_failed:
                self._just_failed.discard(address)
                return None
            self._gets += 1
            if self._gets % FLAKY_EVERY:
                return None
            self._just_failed.add(address)
            self.stats.injected_errors += 1
            return FLAKY_STATUSES[(self._gets // FLAKY_EVERY - 1) % len(FLAKY_STATUSES)]

    def _not_found(self) -> Response:
        return _html(
            404,
            pages.simple_page(self.prefix, "Page introuvable", "La page demandée n'existe pas."),
        )

    # ----- anti-forgery tokens ----------------------------------------------------------------

    def _form_token(self, cookie_token: str) -> str:
        """A form token bound to the cookie's token; different on every page, as on ASP.NET."""
        salt = secrets.token_bytes(8)
        mac = hmac.new(self._secret, salt + cookie_token.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(salt + mac[:24]).decode()

    def _token_matches(self, form_token: str, cookie_token: str) -> bool:
        try:
            raw = base64.urlsafe_b64decode(form_token.encode())
        except ValueError:
            return False
        salt, mac = raw[:8], raw[8:]
        expected = hmac.new(self._secret, salt + cookie_token.encode(), hashlib.sha256).digest()
        return len(mac) == 24 and hmac.compare_digest(mac, expected[:24])

    def _cookie_token(self, request: Request) -> tuple[str, list[tuple[str, str]]]:
        """The browser's anti-forgery cookie token, and the header setting one when it has
        none."""
        cookie_token = request.cookies.get(self.token_cookie)
        headers: list[tuple[str, str]] = []
        if not cookie_token:
            cookie_token = secrets.token_urlsafe(32)
            headers.append(("Set-Cookie", f"{self.token_cookie}={cookie_token}; path=/; HttpOnly"))
        return cookie_token, headers

    def _login_response(
        self, request: Request, status: int = 200, error: str | None = None
    ) -> Response:
        """The login page, setting the anti-forgery cookie when the browser has none. With the
        AJAX login, the public home shows a "Se connecter" button instead of the form."""
        cookie_token, headers = self._cookie_token(request)
        if self.options.login == "ajax":
            return _html(status, pages.public_home_ajax(self.prefix), *headers)
        page = pages.login_page(self.prefix, self._form_token(cookie_token), error)
        return _html(status, page, *headers)

    # ----- public pages -----------------------------------------------------------------------

    def _login_page(self, request: Request) -> Response:
        return self._login_response(request)

    def _logon(self, request: Request) -> Response:
        cookie_token = next(
            (v for k, v in request.cookies.items() if k.startswith(TOKEN_FIELD)), None
        )
        form_token = request.form.get(TOKEN_FIELD, "")
        if not cookie_token or not self._token_matches(form_token, cookie_token):
            return _html(
                500,
                pages.simple_page(
                    self.prefix,
                    "Erreur",
                    "Une erreur s'est produite lors du traitement de votre demande.",
                ),
            )
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        if username.lower() == LOCKED_USERNAME:
            with self._lock:
                self.stats.failed_logins += 1
            return self._login_response(request, error=LOCKED)
        if username != DEMO_USERNAME or password != DEMO_PASSWORD:
            with self._lock:
                self.stats.failed_logins += 1
            return self._login_response(request, error=WRONG_CREDENTIALS)
        return _redirect(self.prefix + "CompteCitoyen", ("Set-Cookie", self._open_session(request)))

    def _is_xhr(self, request: Request) -> bool:
        return request.headers.get("x-requested-with", "").lower() == "xmlhttprequest"

    def _login_modal(self, request: Request) -> Response:
        """`POST Home/RecupererModaleConnexion` (SITE.md §2b): the modal's HTML, holding the
        same `#idFormConnexion` form. Asked for without XHR, it sends back to the home."""
        if not self._is_xhr(request):
            return _redirect(self.prefix + "Home/AccueilPublic")
        cookie_token, headers = self._cookie_token(request)
        return _html(200, pages.login_modal(self.prefix, self._form_token(cookie_token)), *headers)

    def _logon_ajax(self, request: Request) -> Response:
        """`POST Home/LogonAjax` (SITE.md §2b): JSON, `Status` `OK` and `locationHref` on
        success, `KO` and the site's words in `Message` on refusal."""
        if not self._is_xhr(request):
            return _redirect(self.prefix + "Home/AccueilPublic")
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        refusal = None
        if username.lower() == LOCKED_USERNAME:
            refusal = LOCKED
        elif username != DEMO_USERNAME or password != DEMO_PASSWORD:
            refusal = WRONG_CREDENTIALS
        if refusal is not None:
            with self._lock:
                self.stats.failed_logins += 1
            return _json({"Status": "KO", "Message": refusal})
        cookie = self._open_session(request)
        answer = {"Status": "OK", "locationHref": self.prefix + "CompteCitoyen"}
        return _json(answer, ("Set-Cookie", cookie))

    def _open_session(self, request: Request) -> str:
        """A new logged-in session (the old one of this browser dropped); its cookie."""
        session = VisitorSession(secrets.token_hex(12), time.monotonic())
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
            self._sessions[session.id] = session
            self.stats.logins += 1
        return f"{SESSION_COOKIE}={session.id}; path=/; HttpOnly; SameSite=Lax"

    def _logoff(self, request: Request) -> Response:
        with self._lock:
            self._sessions.pop(request.cookies.get(SESSION_COOKIE, ""), None)
        return _redirect(
            self.prefix,
            ("Set-Cookie", f"{SESSION_COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/"),
        )

    # ----- sessions ---------------------------------------------------------------------------

    def _session(self, request: Request) -> VisitorSession | None:
        """The request's live session, counted; None when there is none or it has just ended."""
        now = time.monotonic()
        session_id = request.cookies.get(SESSION_COOKIE, "")
        every = self.faults.expire_every
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.last_seen > IDLE_SECONDS or (
                every is not None and session.requests >= every
            ):
                del self._sessions[session_id]
                return None
            session.requests += 1
            session.last_seen = now
            return session

    def _expired(self, request: Request) -> Response:
        """The answer to a page asked for without a live session (SITE.md, Session)."""
        with self._lock:
            self.stats.expired_answers += 1
            turn = self._expiries
            if self.faults.expire_every is not None:
                self._expiries += 1
        if self.faults.expire_every is None:
            return _redirect(self.prefix + "Home/AccueilPublic")
        form = turn % 3
        if form == 0:
            return _html(
                500,
                pages.simple_page(
                    self.prefix, "Erreur", "Une erreur s'est produite lors du traitement."
                ),
            )
        if form == 1:
            target = "Home/Logon" if (turn // 3) % 2 == 0 else "Home/AccueilPublic"
            return _redirect(self.prefix + target)
        if self.options.login == "ajax":
            # A 200 page holding the login form: the home with its modal open.
            cookie_token, headers = self._cookie_token(request)
            token = self._form_token(cookie_token)
            return _html(200, pages.public_home_ajax(self.prefix, token), *headers)
        return self._login_response(request)

    # ----- pages of a session -----------------------------------------------------------------

    def _dashboard(self, request: Request, session: VisitorSession) -> Response:
        with self._lock:
            session.visited_dashboard = True
        return _html(200, pages.dashboard(self.prefix, self.family))

    def _calendar(self, request: Request, session: VisitorSession) -> Response:
        member = request.param("idDynamic") or ""
        if not self._is_xhr(request):
            return _redirect(f"{self.prefix}FichePersonne/DetailPersonne?idDynamic={quote(member)}")
        if not session.visited_dashboard:
            return _redirect(self.prefix + "CompteCitoyen")
        if member not in {m.id for m in self.family.members}:
            return self._not_found()
        with self._lock:
            self.stats.calendar_requests += 1
        return _json(planning.calendar(member, self.today))

    def _person(self, request: Request, session: VisitorSession) -> Response:
        page = pages.person_page(self.prefix, self.family, request.param("idDynamic") or "")
        return _html(200, page) if page else self._not_found()

    def _account(self, request: Request, session: VisitorSession) -> Response:
        with self._lock:
            session.visited_account = True
        invoices = sorted(self.invoices(), key=lambda inv: inv.issued, reverse=True)
        result = request.param("resultrans")
        return _html(200, pages.invoice_list(self.prefix, self.family, invoices, result))

    def _find(self, request: Request) -> MockInvoice | None:
        with self._lock:
            return self._invoices.get(request.param("IdFactureUnique") or "")

    def _detail(self, request: Request, session: VisitorSession) -> Response:
        if request.headers.get("x-requested-with", "").lower() != "xmlhttprequest":
            return _redirect(self.prefix + "MonCompte")
        if not session.visited_account:
            return _redirect(self.prefix + "MonCompte")
        invoice = self._find(request)
        if invoice is None:
            return self._not_found()
        with self._lock:
            self.stats.detail_requests += 1
        return _html(200, pages.invoice_detail(self.prefix, invoice))

    def _pdf(self, request: Request, session: VisitorSession) -> Response:
        if not session.visited_account:
            return _redirect(self.prefix + "MonCompte")
        invoice = self._find(request)
        if invoice is None:
            return self._not_found()
        if self.faults.pdf_html:
            return _html(
                200,
                pages.simple_page(
                    self.prefix,
                    "Document indisponible",
                    "Le document demandé n'est pas disponible pour le moment.",
                    self.family,
                ),
            )
        from espace_tui.mock.pdf import invoice_pdf  # fpdf2 only when a PDF is asked for

        body = invoice_pdf(invoice)
        with self._lock:
            self.stats.pdf_downloads += 1
        return Response(
            200,
            body,
            "application/pdf",
            [("Content-Disposition", f'attachment; filename="Facture_{invoice.number}.pdf"')],
        )

    def _pay(self, request: Request, session: VisitorSession) -> Response:
        invoice = self._find(request)
        if invoice is None:
            return self._not_found()
        if not invoice.payable_online:
            return _redirect(self.prefix + "MonCompte")
        params = payfip.parameters(invoice, self.family.email, self.base_url + "MonCompte")
        host = payfip.WRONG_HOST if self.faults.payment_wrong_host else self.root_url
        return _redirect(payfip.address(host, params))

    # ----- the loopback PayFiP page -----------------------------------------------------------

    def _payfip(self, request: Request) -> Response:
        params = dict(request.form if request.method == "POST" else request.query)
        choice = params.pop("choix", "")
        invoice, problem = self._payment_target(params)
        if request.method == "GET":
            montant = params.get("montant", "")
            amount = Decimal(montant) / 100 if re.fullmatch(r"[0-9]{1,12}", montant) else None
            return _html(200 if not problem else 400, pages.payfip_page(params, amount, problem))
        if request.method != "POST" or problem or invoice is None or choice not in payfip.RESULTS:
            page = pages.payfip_page(params, None, problem or "Demande de paiement invalide.")
            return _html(400, page)
        result = {
            "resultrans": payfip.RESULTS[choice],
            "refdet": invoice.refdet,
            "montant": params["montant"],
        }
        if choice == "payer":
            self.mark_paid(invoice.id)
            now = datetime.now()
            result.update(
                resultrans="P",
                numauto=secrets.token_hex(3).upper(),
                dattrans=now.strftime("%d%m%Y"),
                heurtrans=now.strftime("%H%M"),
            )
        return _redirect(payfip.return_address(params["urlcl"], result))

    def _payment_target(self, params: dict[str, str]) -> tuple[MockInvoice | None, str | None]:
        """The invoice a PayFiP request is for, or the reason it cannot be paid here."""
        refdet = params.get("refdet", "")
        invoice = next((inv for inv in self.invoices() if inv.refdet == refdet), None)
        if invoice is None or invoice.regie.numcli != params.get("numcli"):
            return None, "Référence de paiement inconnue."
        urlcl = params.get("urlcl", "")
        own = urlsplit(self.root_url)
        target = urlsplit(urlcl)
        if (target.scheme, target.netloc) != (own.scheme, own.netloc):
            return None, "Adresse de retour refusée."
        if not invoice.payable_online:
            return invoice, "Cette facture ne peut pas être payée en ligne (déjà payée ?)."
        if params.get("montant") != payfip.cents(invoice.remaining):
            return invoice, "Le montant ne correspond pas à la somme due."
        return invoice, None
