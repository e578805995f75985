"""A hostile Espace Citoyens, written from SITE.md, for the fault suite (tests/faults/).

It serves SITE.md's pages for a small account (commune `hostile`, 6 invoices, 2 régies) and,
knob by knob, misbehaves the way a broken, overloaded or malicious portal could: terminal escape
sequences in every text, absurd amounts, sessions that keep ending while other answers are
errors, an answer dripped one byte a second, a huge page, a gzip bomb, a payment address that is
not one, truncated or unfinished PDFs, PDFs that always fail, and file names no disk takes.

Standard library only; it never imports the client nor the bundled mock. Every knob is off by
default, so `HostilePortal()` is a well-behaved portal.

    portal = HostilePortal(Knobs(expire_every=2, errors_503_every=4))
    url = portal.start(); ...; portal.stop()

Everything is bounded: handler sockets time out, the drip stops after `DRIP_MAX_BYTES` bytes,
when the client goes away, after `DRIP_BUDGET_S` seconds of the portal's life or at `stop()`,
and `stop()` closes every open connection. Counters (`requests`, `logins`, `pages_served`, …)
are kept under one lock so that tests can assert bounds on how the client behaved.

The end of the module holds what the fault suite shares: `serve(request, monkeypatch, **knobs)`
(a portal for one test, stopped at its teardown, the password in $ESPACE_TUI_PASSWORD),
`account(portal)` (the command line's `--portal … --username …`) and the checks of what a user
sees (`assert_no_controls`, `assert_plain_failure`, `entries`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html
import re
import secrets
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Protocol
from urllib.parse import parse_qs, quote, urlsplit

COMMUNE = "hostile"
ROOT = f"/{COMMUNE}/espace-citoyens/"
USERNAME = "u"
PASSWORD = "s3cret & sûr=1%"

SESSION_COOKIE = "ASP.NET_SessionIdEC"
TOKEN_COOKIE = "__RequestVerificationToken_" + base64.urlsafe_b64encode(
    ROOT.rstrip("/").encode()
).decode().rstrip("=")

HOSTILE = "X\x1b[2J [bold]Y[/] \x1b]52;c;cm0gLXJmIH4gIw==\x07 \x1b]0;TITLE\x07 \x9b31m \u202eE"
"""Put in every text field with `hostile_text`: clear the screen, Rich markup, an OSC 52
clipboard write (`rm -rf ~ #`), an OSC 0 window title, a C1 CSI (U+009B) and a right-to-left
override. The visible part a correct client keeps is `[bold]Y[/]`."""
HOSTILE_VISIBLE = "[bold]Y[/]"
HOSTILE_URL = "%1b%5b2J%c2%9b"
"""Put in the payment address's `objet` with `hostile_text` (ESC [ 2 J, and the UTF-8 of
U+009B), percent-encoded as in a real address (a `refdet` holding them is a malformed address,
refused before anything is shown: `tests/cli/test_payfip_rules.py`)."""

HUGE_AMOUNT = "123456789012345678901234567,00 €"
HUGE_TOTAL = "123\u00a0456\u00a0789\u00a0012\u00a0345\u00a0678\u00a0901\u00a0234\u00a0567,00&nbsp;€"

DRIP_MAX_BYTES = 120
DRIP_INTERVAL_S = 1.0
DRIP_BUDGET_S = 40.0
"""After this many seconds of the portal's life, dripping answers stop (a test that waits on
a drip cannot last longer than that, whatever the client does)."""
HANDLER_TIMEOUT_S = 30.0


# --- The family's data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    person: str
    service: str
    quantity: str
    unit_price: str
    amount: str


@dataclass(frozen=True)
class Bill:
    id: str
    number: str
    label: str
    regie: str
    issued: date
    due: date
    amount: str
    """As the list and the detail show it."""
    cents: int
    row_state: str
    detail_state: str
    mode: str
    payable: bool
    lines: tuple[Line, ...]
    refdet: str = ""

    @property
    def filename(self) -> str:
        return f"Facture_{self.number}.pdf"


REGIES = {"21": "RESTAURATION SCOLAIRE", "22": "ACCUEIL DE LOISIRS"}
PAYER = "Monsieur DURAND Paul"
MEMBERS = (("601", "DURAND Paul", "pere"), ("602", "DURAND Léo", "garcon"))

BILLS: tuple[Bill, ...] = (
    Bill(
        id="3300011",
        number="910451",
        label="Janvier 2026",
        regie="21",
        issued=date(2026, 1, 31),
        due=date(2026, 3, 2),
        amount="23,20 €",
        cents=2320,
        row_state="Non payée",
        detail_state="Non payée",
        mode="Paiement en ligne",
        payable=True,
        lines=(Line("DURAND Léo", "Restaurant scolaire", "5", "4,64 €", "23,20 €"),),
        refdet="2026910451000021",
    ),
    Bill(
        id="3300012",
        number="910452",
        label="Février 2026",
        regie="21",
        issued=date(2026, 2, 28),
        due=date(2026, 3, 30),
        amount="45,60 €",
        cents=4560,
        row_state="Payée",
        detail_state="Payée",
        mode="Chèque à la trésorerie",
        payable=False,
        lines=(Line("DURAND Léo", "Restaurant scolaire", "10", "4,56 €", "45,60 €"),),
    ),
    Bill(
        id="3300013",
        number="910453",
        label="Mars 2026",
        regie="21",
        issued=date(2026, 3, 31),
        due=date(2026, 4, 30),
        amount="1\u00a0234,56 €",
        cents=123456,
        row_state="Transmise au Trésor Public",
        detail_state="Facture transmise au Trésor Public",
        mode="Paiement en ligne",
        payable=True,
        lines=(
            Line("DURAND Léo", "Séjour neige", "1", "1\u00a0200,00 €", "1\u00a0200,00 €"),
            Line("DURAND Léo", "Assurance", "1", "34,56 €", "34,56 €"),
        ),
        refdet="2026910453000021",
    ),
    Bill(
        id="3300021",
        number="910454",
        label="Vacances d'hiver 2026",
        regie="22",
        issued=date(2026, 3, 15),
        due=date(2026, 4, 15),
        amount="88,00 €",
        cents=8800,
        row_state="Prélevée",
        detail_state="Prélevée",
        mode="Prélèvement automatique",
        payable=False,
        lines=(Line("DURAND Léo", "Accueil de loisirs", "4", "22,00 €", "88,00 €"),),
    ),
    Bill(
        id="3300022",
        number="910455",
        label="Avril 2026",
        regie="22",
        issued=date(2026, 4, 30),
        due=date(2026, 5, 31),
        amount="12,00 €",
        cents=1200,
        row_state="À régler",
        detail_state="À régler",
        mode="Paiement en ligne",
        payable=True,
        lines=(Line("DURAND Léo", "Mercredis", "2", "6,00 €", "12,00 €"),),
        refdet="2026910455000022",
    ),
    Bill(
        id="3300023",
        number="910456",
        label="Mai 2026",
        regie="22",
        issued=date(2026, 5, 31),
        due=date(2026, 6, 30),
        amount="30,00 €",
        cents=3000,
        row_state="Soldée",
        detail_state="Soldée",
        mode="Chèque à la trésorerie",
        payable=False,
        lines=(Line("DURAND Léo", "Mercredis", "5", "6,00 €", "30,00 €"),),
    ),
)
BILLS_BY_ID = {bill.id: bill for bill in BILLS}


def pdf_bytes(bill: Bill) -> bytes:
    """A small, valid one-page PDF naming the invoice: starts `%PDF-1.4`, ends `%%EOF\\n`."""
    text = (
        f"BT /F1 16 Tf 72 770 Td (Facture {bill.number} - {bill.id}) Tj 0 -24 Td "
        f"(Montant {bill.cents / 100:.2f} EUR) Tj ET"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- The knobs ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Knobs:
    """How the portal misbehaves; every knob is off by default."""

    hostile_text: bool = False
    """Every text field holds `HOSTILE` (greeting, last connection, members, régies, labels,
    numbers, states, payer, lines, the login refusal, the maintenance text), and the payment
    address's refdet/objet hold `HOSTILE_URL`."""
    maintenance: bool = False
    """Every address answers HTTP 503 with a maintenance page."""
    huge_amount: bool | str = False
    """True or `"list"`: the first invoice's amount cell in `MonCompte` is `HUGE_AMOUNT`
    (27 digits); `"detail"`: its detail's total is `HUGE_TOTAL` instead."""
    expire_every: int = 0
    """End the session after every K logged-in requests (answered, in turn, HTTP 500, a
    redirect to `Home/Logon`, a 200 login page)."""
    errors_503_every: int = 0
    """Answer HTTP 503 (a plain error, not maintenance) to every Mth logged-in page request
    (the public home, the login and the logout are not counted)."""
    drip: bool = False
    """`MonCompte` answers one byte a second (at most `DRIP_MAX_BYTES`)."""
    big_page_mb: int = 0
    """Pad `MonCompte` to that many MiB."""
    gzip_bomb: bool = False
    """`MonCompte` answers `Content-Encoding: gzip`, ~1 MB inflating to 1 GiB of spaces."""
    pay_location: str | None = None
    """The raw `Location` of every `PayerFacture` answer."""
    pdf_truncated: bool | str = False
    """True (every PDF) or an invoice id: a Content-Length larger than the bytes sent, then
    the connection is closed."""
    pdf_no_eof: bool | str = False
    """True (every PDF) or an invoice id: the PDF body lacks its final `%%EOF`."""
    pdf_fail_ids: frozenset[str] = frozenset()
    """These invoices' PDFs always fail, in the way `pdf_fail_mode` says (never as an ended
    session)."""
    pdf_fail_mode: str = "502"
    """`"502"` (HTTP 502 every time) or `"reset"` (the connection is closed unanswered)."""
    filename: str | None = None
    """The file name every PDF's Content-Disposition gives (RFC 5987 `filename*` when it is
    not ASCII)."""


def _applies(knob: bool | str, bill_id: str) -> bool:
    return knob is True or (isinstance(knob, str) and knob == bill_id)


# --- Markup -------------------------------------------------------------------------------------


class Markup:
    """The pages, with or without the hostile text."""

    def __init__(self, knobs: Knobs) -> None:
        self.knobs = knobs

    def t(self, text: str) -> str:
        """A text field, HTML-escaped, followed by the hostile text when asked for (raw
        characters: the control characters are not entities)."""
        if self.knobs.hostile_text:
            text = f"{text} {HOSTILE}"
        return html.escape(text)

    def page(self, title: str, body: str) -> str:
        return f"""<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>{html.escape(title)} - Espace Citoyens</title>
</head>
<body>
  <div id="bandeau"><a href="{ROOT}">Ville d'Hostile</a></div>
  <div id="contenu">
{body}
  </div>
  <div id="pied">Ville d'Hostile &copy; 2026</div>
</body>
</html>
"""

    def login_page(self, token: str, message: str | None = None) -> str:
        error = (
            f'\n    <span class="erreurLogin">{self.t(message)}</span>'
            if message is not None
            else ""
        )
        return self.page(
            "Accueil",
            f"""  <h2>Connexion</h2>
  <form id="idFormConnexion" action="{ROOT}Home/Logon" method="post">
    <input name="__RequestVerificationToken" type="hidden" value="{token}">{error}
    <input id="username" name="username" type="text">
    <input id="password" name="password" type="password">
    <button type="submit">Se connecter</button>
  </form>""",
        )

    def dashboard(self) -> str:
        people = "\n".join(
            f'    <a href="{ROOT}FichePersonne/DetailPersonne?idDynamic={pid}">'
            f'<img alt="{self.t(name)}" src="{ROOT}Content/images/{role}.png"></a>'
            for pid, name, role in MEMBERS
        )
        return self.page(
            "Mon espace",
            f"""  <span id="spanBonjour">{self.t("Bonjour Monsieur Durand")}</span>
  <span id="spanDerniereConnexion">{self.t("Dernière connexion le 14/11/2026 à 08:05")}</span>
  <div class="famille">
{people}
  </div>
  <a class="tuile" href="{ROOT}MonCompte">Mes factures</a>""",
        )

    def invoices(self, padding_bytes: int = 0) -> str:
        blocks = []
        for regie_id, regie in REGIES.items():
            rows = []
            for bill in (b for b in BILLS if b.regie == regie_id):
                amount = html.escape(bill.amount)
                if bill is BILLS[0] and self.knobs.huge_amount in (True, "list"):
                    amount = HUGE_AMOUNT
                rows.append(
                    f"""        <tr class="compte" id="{bill.id}">
          <td class="ligneCompte">{self.t(bill.label)}</td>
          <td class="numero_facture">{self.t(bill.number)}</td>
          <td class="dateFacture">{bill.issued:%d/%m/%Y}</td>
          <td class="montantFacture">{amount}</td>
          <td class="etatFacture">{self.t(bill.row_state)}</td>
        </tr>"""
                )
            body = "\n".join(rows)
            blocks.append(
                f"""  <div class="regie" id="regie-{regie_id}">
    <h3 class="libelleRegie">{self.t(regie)}</h3>
    <table class="tableCompte"><tbody>
{body}
    </tbody></table>
  </div>"""
            )
        page = self.page("Mes factures", "  <h2>Mes factures</h2>\n" + "\n".join(blocks))
        if padding_bytes > len(page):
            filler = " " * (padding_bytes - len(page.encode()) - 10)
            page = page.replace("</body>", f"<!--{filler}-->\n</body>", 1)
        return page

    def detail(self, bill: Bill) -> str:
        total = html.escape(bill.amount)
        if bill is BILLS[0] and self.knobs.huge_amount == "detail":
            total = HUGE_TOTAL
        title = f"{self.t(REGIES[bill.regie])} - {self.t(bill.number)} - {self.t(bill.label)}"
        lines = "\n".join(
            f"""      <tr>
        <td class="personne">{self.t(line.person)}</td>
        <td class="prestation">{self.t(line.service)}</td>
        <td class="quantite">{line.quantity}</td>
        <td class="prixUnitaire">{html.escape(line.unit_price)}</td>
        <td class="montant">{html.escape(line.amount)}</td>
      </tr>"""
            for line in bill.lines
        )
        pay = (
            f'\n  <a id="lnkPayerFacture" href="{ROOT}MonCompte/PayerFacture?IdFactureUnique='
            f'{bill.id}">PAYER LA FACTURE</a>'
            if bill.payable
            else ""
        )
        remaining = bill.amount if bill.payable else "0,00 €"
        pdf = f"{ROOT}MonCompte/TelechargerPdfFacture?IdFactureUnique={bill.id}"
        return f"""<div class="detailFacture">
  <h4 id="hDetailFacture_Facture">{title}</h4>
  <span id="spanDetailFacture_DatEmissionFacture">{bill.issued:%d/%m/%Y}</span>
  <span id="spanDetailFacture_MntTotalFacture">{total}</span>
  <span id="spanDetailFacture_DatLimitePaiementFacture">{bill.due:%d/%m/%Y}</span>
  <span id="spanDetailFacture_Payeur">{self.t(PAYER)}</span>
  <span id="spanDetailFacture_EtatFacture">{self.t(bill.detail_state)}</span>
  <span id="spanDetailFacture_MntResteAPayer">{html.escape(remaining)}</span>
  <span id="spanDetailFacture_ModePaiement">{self.t(bill.mode)}</span>
  <table id="tableDetailFacture_Lignes">
    <thead><tr><th>Personne</th><th>Prestation</th><th>Quantité</th><th>Prix unitaire</th>
      <th>Montant</th></tr></thead>
    <tbody>
{lines}
    </tbody>
  </table>{pay}
  <a id="lnkTelechargerFacture" href="{pdf}">TÉLÉCHARGER MA FACTURE</a>
</div>
"""

    def maintenance(self) -> str:
        return self.page(
            "Site en maintenance",
            f"""  <h1>Site en maintenance</h1>
  <div id="maintenance"><p>{self.t("Le portail est en maintenance jusqu'à 14 h.")}</p></div>""",
        )

    def payfip_url(self, bill: Bill, origin: str) -> str:
        extra = HOSTILE_URL if self.knobs.hostile_text else ""
        back = quote(f"{origin}{ROOT}MonCompte/RetourPayFiP", safe="")
        return (
            "https://www.payfip.gouv.fr/tpa/paiement.web?numcli=004242&exer=2026"
            f"&refdet={bill.refdet}&objet=Facture%20{bill.number}{extra}"
            f"&montant={bill.cents}&mel=paul.durand%40example.fr&urlcl={back}&saisie=X"
        )


SERVER_ERROR = """<!DOCTYPE html>
<html><head><title>Erreur d'exécution</title></head>
<body><h1>Erreur du serveur dans l'application '/hostile/espace-citoyens'.</h1></body></html>
"""
UNAVAILABLE = """<!DOCTYPE html>
<html><head><title>Service Unavailable</title></head>
<body><h1>Service Unavailable</h1><p>HTTP Error 503. The service is unavailable.</p></body></html>
"""
BAD_GATEWAY = """<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><h1>502 Bad Gateway</h1></body></html>
"""
EXPIRY_FORMS = ("500", "redirect", "login_page")


def gzip_bomb() -> bytes:
    """A gzip member of ~1 MB that inflates to 1 GiB of spaces: one 16 MiB deflate block,
    compressed once and repeated (each ends with a full flush, so each is self-contained)."""
    chunk = b" " * (1 << 24)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(64):
        crc = zlib.crc32(chunk, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    final = b"\x03\x00"  # an empty final block (fixed Huffman)
    return header + block * 64 + final + struct.pack("<II", crc, (1 << 30) & 0xFFFFFFFF)


# --- The server ---------------------------------------------------------------------------------


@dataclass
class Session:
    id: str
    user: str | None = None
    visited_list: bool = False
    served: int = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that goes away is part of the game: nothing on stderr


@dataclass
class HostilePortal:
    """The hostile portal, served by daemon threads on 127.0.0.1 (a free port)."""

    knobs: Knobs = field(default_factory=Knobs)

    requests: int = 0
    """Every request received."""
    logins: int = 0
    """Successful logins (POST Home/Logon with the right token and credentials)."""
    login_attempts: int = 0
    page_requests: int = 0
    """Requests for a logged-in page (what `errors_503_every` counts)."""
    pages_served: int = 0
    """Logged-in requests answered in a live session (what `expire_every` counts)."""
    errors_503: int = 0
    endings: int = 0
    """Requests answered as "session ended"."""
    pdf_requests: dict[str, int] = field(default_factory=dict)

    _sessions: dict[str, Session] = field(default_factory=dict)
    _secret: bytes = field(default_factory=lambda: secrets.token_bytes(16))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _connections: set[socket.socket] = field(default_factory=set)
    _server: _Server | None = None
    _thread: threading.Thread | None = None
    _started_at: float = 0.0
    markup: Markup = field(init=False)

    _bomb: ClassVar[bytes | None] = None
    _bomb_lock: ClassVar[threading.Lock] = threading.Lock()

    def __post_init__(self) -> None:
        self.markup = Markup(self.knobs)

    # -- life ------------------------------------------------------------------------------------

    def start(self) -> str:
        if self.knobs.gzip_bomb:
            self.bomb()  # built before serving, once per test session
        portal = self

        class Handler(_Handler):
            owner = portal

        self._server = _Server(("127.0.0.1", 0), Handler)
        self._started_at = time.monotonic()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        self._stopping.set()
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> HostilePortal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.origin + ROOT

    @classmethod
    def bomb(cls) -> bytes:
        with cls._bomb_lock:
            if cls._bomb is None:
                cls._bomb = gzip_bomb()
            return cls._bomb

    def drip_allowed(self) -> bool:
        return not self._stopping.is_set() and time.monotonic() - self._started_at < DRIP_BUDGET_S

    # -- tokens and sessions ---------------------------------------------------------------------

    def form_token(self, cookie_token: str) -> str:
        salt = secrets.token_hex(6)
        return f"{salt}:{self._sign(salt, cookie_token)}"

    def token_matches(self, form_token: str, cookie_token: str | None) -> bool:
        salt, _, signature = form_token.partition(":")
        return bool(cookie_token) and signature == self._sign(salt, cookie_token or "")

    def _sign(self, salt: str, cookie_token: str) -> str:
        digest = hashlib.sha256(self._secret + salt.encode() + cookie_token.encode())
        return digest.hexdigest()[:40]

    def new_session(self, user: str | None = None) -> Session:
        session = Session(id=secrets.token_hex(12), user=user)
        self._sessions[session.id] = session
        return session

    def admit(self, cookies: dict[str, str]) -> Session | str:
        """A logged-in page request: `"503"`, `"ended"`, or the live session (counted)."""
        knobs = self.knobs
        with self._lock:
            self.page_requests += 1
            if knobs.errors_503_every and self.page_requests % knobs.errors_503_every == 0:
                self.errors_503 += 1
                return "503"
            session = self._sessions.get(cookies.get(SESSION_COOKIE, ""))
            if session is None or session.user is None:
                return "ended"
            if knobs.expire_every and session.served >= knobs.expire_every:
                del self._sessions[session.id]
                return "ended"
            session.served += 1
            self.pages_served += 1
            return session

    def next_expiry_form(self) -> str:
        with self._lock:
            form = EXPIRY_FORMS[self.endings % len(EXPIRY_FORMS)]
            self.endings += 1
            return form


class _Handler(BaseHTTPRequestHandler):
    owner: HostilePortal
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-IIS/10.0"
    sys_version = ""
    timeout = HANDLER_TIMEOUT_S

    def log_message(self, format: str, *args: object) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.owner._lock:
            self.owner._connections.add(self.connection)

    def finish(self) -> None:
        with self.owner._lock:
            self.owner._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:
            self.close_connection = True  # the client went away, or we cut it on purpose

    # -- helpers ---------------------------------------------------------------------------------

    def cookies(self) -> dict[str, str]:
        jar: dict[str, str] = {}
        for header in self.headers.get_all("Cookie") or []:
            for part in header.split(";"):
                name, eq, value = part.strip().partition("=")
                if eq:
                    jar[name] = value
        return jar

    def head(
        self,
        status: int,
        length: int,
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Cache-Control", "private, no-cache")
        self.send_header("Content-Type", content_type)
        for name, value in headers or []:
            self.send_header(name, value)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def reply(
        self,
        status: int,
        body: bytes | str = b"",
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.head(status, len(data), content_type=content_type, headers=headers)
        self.wfile.write(data)

    def redirect(self, location: str, headers: list[tuple[str, str]] | None = None) -> None:
        self.reply(
            302,
            f'<html><body><h2>Object moved to <a href="{html.escape(location)}">here</a>.'
            "</h2></body></html>",
            headers=[("Location", location), *(headers or [])],
        )

    def cut(self) -> None:
        """Close the connection at once, unanswered (a reset where the system allows it)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def route(self) -> tuple[str, dict[str, list[str]]] | None:
        parts = urlsplit(self.path)
        if not parts.path.lower().startswith(ROOT.rstrip("/")):
            return None
        rest = parts.path[len(ROOT) - 1 :].strip("/").lower()
        return rest, parse_qs(parts.query)

    def count(self) -> None:
        with self.owner._lock:
            self.owner.requests += 1

    def session_ended(self) -> None:
        form = self.owner.next_expiry_form()
        if form == "500":
            self.reply(500, SERVER_ERROR)
        elif form == "redirect":
            back = quote(urlsplit(self.path).path, safe="")
            self.redirect(f"{ROOT}Home/Logon?ReturnUrl={back}")
        else:
            self.public_home()

    def public_home(self, *, message: str | None = None) -> None:
        cookies = self.cookies()
        set_cookies: list[tuple[str, str]] = []
        with self.owner._lock:
            if cookies.get(SESSION_COOKIE) not in self.owner._sessions:
                session = self.owner.new_session()
                set_cookies.append(
                    ("Set-Cookie", f"{SESSION_COOKIE}={session.id}; path=/; HttpOnly")
                )
        cookie_token = cookies.get(TOKEN_COOKIE)
        if not cookie_token:
            cookie_token = secrets.token_urlsafe(24)
            set_cookies.append(
                (
                    "Set-Cookie",
                    f"{TOKEN_COOKIE}={cookie_token}; path={ROOT.rstrip('/')}; HttpOnly",
                )
            )
        token = self.owner.form_token(cookie_token)
        self.reply(200, self.owner.markup.login_page(token, message), headers=set_cookies)

    # -- verbs -----------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.count()
        routed = self.route()
        if routed is None:
            self.reply(404, "<html><body>Not Found</body></html>")
            return
        path, query = routed
        knobs = self.owner.knobs
        markup = self.owner.markup
        if knobs.maintenance:
            self.reply(503, markup.maintenance())
            return
        if path in ("", "home/accueilpublic", "home/logon", "home"):
            self.public_home()
            return
        if path == "home/logoff":
            with self.owner._lock:
                self.owner._sessions.pop(self.cookies().get(SESSION_COOKIE, ""), None)
            self.redirect(ROOT)
            return
        admitted = self.owner.admit(self.cookies())
        if admitted == "503":
            self.reply(503, UNAVAILABLE)
            return
        if isinstance(admitted, str):
            self.session_ended()
            return
        session = admitted
        bill_id = (query.get("IdFactureUnique") or [""])[0]
        if path == "comptecitoyen":
            self.reply(200, markup.dashboard())
        elif path == "moncompte":
            session.visited_list = True
            self.invoices()
        elif path == "moncompte/detailfacture":
            if self.headers.get("X-Requested-With") != "XMLHttpRequest" or not (
                session.visited_list
            ):
                self.redirect(f"{ROOT}MonCompte")
                return
            bill = BILLS_BY_ID.get(bill_id)
            if bill is None:
                self.reply(500, SERVER_ERROR)
                return
            self.reply(200, markup.detail(bill), content_type="text/html")
        elif path == "moncompte/telechargerpdffacture":
            self.pdf(session, bill_id)
        elif path == "moncompte/payerfacture":
            bill = BILLS_BY_ID.get(bill_id)
            if not session.visited_list or bill is None or not bill.payable:
                self.redirect(f"{ROOT}MonCompte")
                return
            location = knobs.pay_location
            if location is None:
                location = markup.payfip_url(bill, self.owner.origin)
            self.redirect(location)
        else:
            self.reply(404, "<html><body>La ressource est introuvable.</body></html>")

    def do_POST(self) -> None:
        self.count()
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(min(length, 1 << 20)).decode("utf-8", "replace")
        routed = self.route()
        if self.owner.knobs.maintenance:
            self.reply(503, self.owner.markup.maintenance())
            return
        if routed is None or routed[0] != "home/logon":
            self.reply(404, "<html><body>Not Found</body></html>")
            return
        form = parse_qs(raw, keep_blank_values=True)
        cookies = self.cookies()
        with self.owner._lock:
            self.owner.login_attempts += 1
        token = (form.get("__RequestVerificationToken") or [""])[0]
        if not self.owner.token_matches(token, cookies.get(TOKEN_COOKIE)):
            self.reply(500, SERVER_ERROR)
            return
        username = (form.get("username") or [""])[0]
        password = (form.get("password") or [""])[0]
        if username.strip().lower() != USERNAME or password != PASSWORD:
            self.public_home(message="Identifiant ou mot de passe incorrect.")
            return
        with self.owner._lock:
            self.owner._sessions.pop(cookies.get(SESSION_COOKIE, ""), None)
            session = self.owner.new_session(USERNAME)
            self.owner.logins += 1
        self.redirect(
            f"{self.owner.origin}{ROOT}CompteCitoyen",
            headers=[("Set-Cookie", f"{SESSION_COOKIE}={session.id}; path=/; HttpOnly")],
        )

    # -- pages -----------------------------------------------------------------------------------

    def invoices(self) -> None:
        knobs = self.owner.knobs
        markup = self.owner.markup
        if knobs.gzip_bomb:
            bomb = self.owner.bomb()
            self.head(200, len(bomb), headers=[("Content-Encoding", "gzip")])
            for start in range(0, len(bomb), 1 << 16):
                if self.owner._stopping.is_set():
                    break
                self.wfile.write(bomb[start : start + (1 << 16)])
            return
        if knobs.drip:
            data = markup.invoices().encode("utf-8")
            self.head(200, len(data))
            self.close_connection = True
            for index in range(min(DRIP_MAX_BYTES, len(data))):
                if not self.owner.drip_allowed():
                    break
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
                if self.owner._stopping.wait(DRIP_INTERVAL_S):
                    break
            self.cut()
            return
        padding = knobs.big_page_mb * (1 << 20)
        self.reply(200, markup.invoices(padding))

    def pdf(self, session: Session, bill_id: str) -> None:
        knobs = self.owner.knobs
        with self.owner._lock:
            self.owner.pdf_requests[bill_id] = self.owner.pdf_requests.get(bill_id, 0) + 1
        if not session.visited_list:
            self.redirect(f"{ROOT}MonCompte")
            return
        bill = BILLS_BY_ID.get(bill_id)
        if bill is None:
            self.reply(500, SERVER_ERROR)
            return
        if bill_id in knobs.pdf_fail_ids:
            if knobs.pdf_fail_mode == "reset":
                self.cut()
            else:
                self.reply(502, BAD_GATEWAY)
            return
        data = pdf_bytes(bill)
        if _applies(knobs.pdf_no_eof, bill_id):
            data = data[: data.rindex(b"%%EOF")]
        name = knobs.filename or bill.filename
        if name.isascii():
            disposition = f'attachment; filename="{name}"'
        else:
            disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
        headers = [("Content-Disposition", disposition)]
        if _applies(knobs.pdf_truncated, bill_id):
            self.head(200, len(data) + 4096, content_type="application/pdf", headers=headers)
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.cut()
            return
        self.reply(200, data, content_type="application/pdf", headers=headers)


# --- For the fault suite (tests/faults/) --------------------------------------------------------


class _Finalizers(Protocol):
    def addfinalizer(self, finalizer: Callable[[], object]) -> None: ...


class _Environment(Protocol):
    def setenv(self, name: str, value: str) -> None: ...


def serve(request: _Finalizers, monkeypatch: _Environment, **knobs: Any) -> HostilePortal:
    """Start a hostile portal with these knobs for one test (pytest's `request`: stopped at the
    test's teardown), the account's password in $ESPACE_TUI_PASSWORD (pytest's `monkeypatch`)."""
    portal = HostilePortal(Knobs(**knobs))
    portal.start()
    request.addfinalizer(portal.stop)
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD)
    return portal


def account(portal: HostilePortal) -> list[str]:
    """The global options naming the hostile portal and its user."""
    return ["--portal", portal.base_url, "--username", USERNAME]


FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal: C0 controls but line feed and tab, DEL, C1 controls, the
bidirectional embeddings, overrides and isolates."""


def assert_no_controls(*texts: str) -> None:
    for text in texts:
        found = FORBIDDEN.findall(text)
        assert not found, f"control characters reached the terminal: {found!r} in {text!r}"


def assert_plain_failure(err: str) -> None:
    """A failure told in words: a sentence on stderr, no traceback, no "Unexpected error"."""
    assert re.search(r"[A-Za-z]{4,}", err), f"no words on stderr: {err!r}"
    assert "Traceback" not in err, err
    assert "Unexpected error" not in err, err


def entries(folder: Path) -> set[str]:
    """Every name in the folder (hidden ones too); empty when it does not exist."""
    return {path.name for path in folder.iterdir()} if folder.exists() else set()
