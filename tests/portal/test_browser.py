"""The HTTP client against a scripted portal (httpx.MockTransport): login, retries, session
renewal under concurrency, PDFs and payment addresses — what the user gets in each case."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from espace_tui.core.errors import (
    ConfigError,
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
from espace_tui.core.model import Invoice, Status
from espace_tui.mock import Faults
from espace_tui.portal.browser import EspaceCitoyensBrowser
from espace_tui.portal.payment import describe_payment

COMMUNE = "ville-coueron"
ROOT = f"/{COMMUNE}/espace-citoyens/"
BASE = f"https://www.espace-citoyens.net{ROOT}"
PASSWORD = "s3cr3t-Pa55"
PAYFIP = (
    "https://www.payfip.gouv.fr/tpa/paiement.web?numcli=012345&exer=2018&refdet=2018651"
    "&objet=Facture+651&montant=2320&mel=jean%40example.org&saisie=X"
)
MAINTENANCE = (Path(__file__).parents[1] / "support" / "pages" / "maintenance.html").read_bytes()

Reply = httpx.Response | Exception


class FakePortal:
    """A scripted Espace Citoyens: the pages of SITE.md, a session cookie, and knobs."""

    def __init__(self, invoices: int = 3, *, latency: float = 0.0) -> None:
        self.invoice_ids = [str(1000 + n) for n in range(invoices)]
        self.latency = latency
        self.session: str | None = None
        self.logins = 0
        self.requests: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.scripted: dict[str, list[Reply]] = {}
        """Replies given, in order, before the normal page of a path."""
        self.expire_at_detail: int | None = None
        """End the session when this (0-based) detail request arrives."""
        self.expiry_form = "500"
        self.pay_location = PAYFIP
        self.posted: list[dict[str, list[str]]] = []
        self.headers_seen: list[httpx.Headers] = []

    def count(self, path: str) -> int:
        return self.requests.count(path)

    def script(self, path: str, *replies: Reply) -> None:
        self.scripted.setdefault(path, []).extend(replies)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    # --- pages ----------------------------------------------------------------------------

    def _login_page(self, error: str | None = None) -> str:
        message = f'<span class="erreurLogin">{error}</span>' if error else ""
        return f"""<html><body><form id="idFormConnexion" action="{ROOT}Home/Logon" method="post">
            <input name="__RequestVerificationToken" type="hidden" value="tok">{message}
            <input name="username"><input name="password" type="password"></form></body></html>"""

    def _list_page(self) -> str:
        rows = "".join(
            f"""<tr class="compte" id="{i}"><td class="ligneCompte">Mois {i}</td>
            <td class="numero_facture">N{i}</td><td class="etatFacture">Non payée</td></tr>"""
            for i in self.invoice_ids
        )
        return f"""<html><head><title>Mes factures</title></head><body>
            <div class="regie" id="regie-1"><h3 class="libelleRegie">RÉGIE</h3>
            <table class="tableCompte"><tbody>{rows}</tbody></table></div></body></html>"""

    def _detail_page(self, invoice_id: str) -> str:
        paid = invoice_id.endswith("1")
        pay = (
            "" if paid else f'<a id="lnkPayerFacture" href="{ROOT}MonCompte/PayerFacture">PAYER</a>'
        )
        return f"""<div><h4 id="hDetailFacture_Facture">RÉGIE - N{invoice_id} - Mois</h4>
            <span id="spanDetailFacture_DatEmissionFacture">04/10/2018</span>
            <span id="spanDetailFacture_MntTotalFacture">{invoice_id[-2:]},50 €</span>
            <span id="spanDetailFacture_DatLimitePaiementFacture">05/11/2018</span>
            <span id="spanDetailFacture_EtatFacture">{"Payée" if paid else "À régler"}</span>
            {pay}</div>"""

    def _expired(self) -> httpx.Response:
        if self.expiry_form == "redirect":
            return httpx.Response(302, headers={"Location": f"{ROOT}Home/Logon"})
        if self.expiry_form == "login-page":
            return httpx.Response(200, html=self._login_page())
        return httpx.Response(500, text="Erreur serveur")

    # --- the handler ----------------------------------------------------------------------

    async def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(ROOT)
        self.requests.append(path)
        self.headers_seen.append(request.headers)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            cookie = request.headers.get("cookie", "")
            authenticated = (
                self.session is not None and f"ASP.NET_SessionIdEC={self.session}" in cookie
            )
            if path == "MonCompte/DetailFacture" and self.count(path) - 1 == self.expire_at_detail:
                self.session = None  # the site ends the session now
                authenticated = False
            for _step in range(3):  # let the other requests in flight arrive
                await asyncio.sleep(self.latency)
            queue = self.scripted.get(path)
            if queue:
                reply = queue.pop(0)
                if isinstance(reply, Exception):
                    raise reply
                return reply
            return self._route(request, path, authenticated)
        finally:
            self.in_flight -= 1

    def _route(self, request: httpx.Request, path: str, authenticated: bool) -> httpx.Response:
        if path in ("", "Home/AccueilPublic"):
            return httpx.Response(
                200,
                html=self._login_page(),
                headers={"Set-Cookie": f"__RequestVerificationToken_L3Z=ctok; path={ROOT}"},
            )
        if path == "Home/Logon" and request.method == "POST":
            form = parse_qs(request.content.decode())
            self.posted.append(form)
            if "ctok" not in request.headers.get("cookie", "") or form.get(
                "__RequestVerificationToken"
            ) != ["tok"]:
                return httpx.Response(500)
            if form.get("username") == ["jean"] and form.get("password") == [PASSWORD]:
                self.logins += 1
                self.session = f"s{self.logins}"
                return httpx.Response(
                    302,
                    headers={
                        "Location": f"{ROOT}CompteCitoyen",
                        "Set-Cookie": f"ASP.NET_SessionIdEC={self.session}; path=/; HttpOnly",
                    },
                )
            return httpx.Response(
                200, html=self._login_page("Identifiant ou mot de passe incorrect.")
            )
        if path == "Home/LogOff":
            self.session = None
            return httpx.Response(302, headers={"Location": ROOT})
        if not authenticated:
            return self._expired()
        invoice_id = request.url.params.get("IdFactureUnique", "")
        if path == "CompteCitoyen":
            return httpx.Response(
                200,
                html=f"""<a href="{ROOT}FichePersonne/DetailPersonne?idDynamic=7">
                <img alt="ECOUFLANT Jean" src="pere.png"></a>""",
            )
        if path == "MonCompte":
            return httpx.Response(200, html=self._list_page())
        if path == "MonCompte/DetailFacture":
            if request.headers.get("x-requested-with") != "XMLHttpRequest":
                return httpx.Response(302, headers={"Location": f"{ROOT}MonCompte"})
            return httpx.Response(200, html=self._detail_page(invoice_id))
        if path == "MonCompte/TelechargerPdfFacture":
            return httpx.Response(
                200,
                content=b"%PDF-1.4 facture " + invoice_id.encode() + b"\n%%EOF\n",
                headers={
                    "Content-Type": "application/pdf",
                    "Content-Disposition": f'attachment; filename="Facture_{invoice_id}.pdf"',
                },
            )
        if path == "MonCompte/PayerFacture":
            return httpx.Response(302, headers={"Location": self.pay_location})
        return httpx.Response(404)


@pytest.fixture
def site() -> FakePortal:
    return FakePortal()


def browser_for(site: FakePortal, **options: object) -> EspaceCitoyensBrowser:
    options.setdefault("backoff", 0)
    return EspaceCitoyensBrowser(BASE, transport=site.transport(), **options)  # type: ignore[arg-type]


async def logged_in(site: FakePortal, **options: object) -> EspaceCitoyensBrowser:
    browser = browser_for(site, **options)
    await browser.login("jean", PASSWORD)
    return browser


# --- Construction and login -----------------------------------------------------------------


def test_plain_http_is_refused_off_loopback() -> None:
    with pytest.raises(ConfigError):
        EspaceCitoyensBrowser("http://www.espace-citoyens.net/ecouflant/espace-citoyens/")


async def test_plain_http_is_accepted_on_loopback() -> None:
    browser = EspaceCitoyensBrowser("http://127.0.0.1:8080/ecouflant/espace-citoyens/")
    assert browser.base_url == "http://127.0.0.1:8080/ecouflant/espace-citoyens/"
    await browser.aclose()


async def test_login_posts_the_form_with_token_referer_and_origin(site: FakePortal) -> None:
    async with await logged_in(site) as browser:
        assert browser.logins == 1
    assert site.logins == 1
    assert site.posted == [
        {"__RequestVerificationToken": ["tok"], "username": ["jean"], "password": [PASSWORD]}
    ]
    post_headers = site.headers_seen[site.requests.index("Home/Logon")]
    assert post_headers["referer"] == BASE + "Home/AccueilPublic"
    assert post_headers["origin"] == "https://www.espace-citoyens.net"
    assert post_headers["user-agent"].startswith("espace-tui/")


async def test_refused_login_shows_the_sites_words(site: FakePortal) -> None:
    browser = browser_for(site)
    with pytest.raises(LoginRefused) as caught:
        await browser.login("jean", "wrong")
    assert str(caught.value) == "Identifiant ou mot de passe incorrect."
    await browser.aclose()


async def test_login_refused_by_token_check_is_reported_without_password(
    site: FakePortal,
) -> None:
    site.script("Home/Logon", httpx.Response(500))
    browser = browser_for(site)
    with pytest.raises(PortalUnreachable) as caught:
        await browser.login("jean", PASSWORD)
    assert "500" in str(caught.value)
    assert PASSWORD not in str(caught.value)
    await browser.aclose()


async def test_login_form_posting_to_another_site_is_refused(site: FakePortal) -> None:
    site.script(
        "Home/AccueilPublic",
        httpx.Response(
            200,
            html="""<form id="idFormConnexion" action="https://evil.example/steal">
            <input name="__RequestVerificationToken" value="t"></form>""",
        ),
    )
    browser = browser_for(site)
    with pytest.raises(PageError) as caught:
        await browser.login("jean", PASSWORD)
    assert "another site" in str(caught.value)
    assert site.posted == []
    await browser.aclose()


# --- Retries --------------------------------------------------------------------------------


async def test_a_502_then_200_is_retried_once(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.script("CompteCitoyen", httpx.Response(502))
    account = await browser.account()
    assert account.members[0].name == "ECOUFLANT Jean"
    assert site.count("CompteCitoyen") == 2
    await browser.aclose()


async def test_timeouts_and_cut_connections_are_retried(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.script(
        "CompteCitoyen",
        httpx.ReadTimeout("slow"),
        httpx.RemoteProtocolError("cut"),
        httpx.Response(504),
    )
    await browser.account()
    assert site.count("CompteCitoyen") == 4
    await browser.aclose()


@pytest.mark.parametrize("retries", [0, 1, 3])
async def test_retries_are_bounded_then_unreachable(site: FakePortal, retries: int) -> None:
    browser = await logged_in(site, retries=retries)
    site.script("CompteCitoyen", *[httpx.Response(503) for _ in range(10)])
    with pytest.raises(PortalUnreachable) as caught:
        await browser.account()
    assert site.count("CompteCitoyen") == retries + 1
    assert "503" in str(caught.value)
    await browser.aclose()


async def test_timeouts_until_the_end_give_a_plain_message(site: FakePortal) -> None:
    browser = await logged_in(site, retries=2)
    site.script("MonCompte", *[httpx.ConnectTimeout("no") for _ in range(5)])
    with pytest.raises(PortalUnreachable) as caught:
        await browser.invoices()
    assert str(caught.value) == (
        "Could not reach the portal at www.espace-citoyens.net: it did not answer in time."
    )
    assert caught.value.__cause__ is None
    assert site.count("MonCompte") == 3
    await browser.aclose()


async def test_connection_failure_at_login_never_shows_the_password(site: FakePortal) -> None:
    site.script("Home/Logon", *[httpx.ConnectError(f"boom {PASSWORD}") for _ in range(5)])
    browser = browser_for(site, retries=1)
    with pytest.raises(PortalUnreachable) as caught:
        await browser.login("jean", PASSWORD)
    assert str(caught.value) == (
        "Could not reach the portal at www.espace-citoyens.net: the connection failed."
    )
    assert caught.value.__cause__ is None  # nothing chained that would hold the request
    await browser.aclose()


async def test_maintenance_page_is_reported_at_once(site: FakePortal) -> None:
    site.script("Home/AccueilPublic", *[httpx.Response(503, content=MAINTENANCE) for _ in range(5)])
    browser = browser_for(site)
    with pytest.raises(Maintenance) as caught:
        await browser.login("jean", PASSWORD)
    assert caught.value.page == "Home/AccueilPublic"
    assert "maintenance" in str(caught.value)
    # Not retried: a maintenance does not end in a second.
    assert site.count("Home/AccueilPublic") == 1
    await browser.aclose()


# --- Invoices -------------------------------------------------------------------------------


async def test_invoices_with_details_in_the_sites_order(site: FakePortal) -> None:
    browser = await logged_in(site)
    invoices = await browser.invoices()
    assert [i.id for i in invoices] == ["1000", "1001", "1002"]
    assert [i.number for i in invoices] == ["N1000", "N1001", "N1002"]
    assert [i.amount for i in invoices] == [Decimal("0.50"), Decimal("1.50"), Decimal("2.50")]
    assert [i.status for i in invoices] == [Status.UNPAID, Status.PAID, Status.UNPAID]
    assert [i.payable_online for i in invoices] == [True, False, True]
    detail_headers = [
        h for p, h in zip(site.requests, site.headers_seen, strict=True) if "Detail" in p
    ]
    assert all(h["x-requested-with"] == "XMLHttpRequest" for h in detail_headers)
    await browser.aclose()


async def test_invoices_without_details(site: FakePortal) -> None:
    browser = await logged_in(site)
    invoices = await browser.invoices(details=False)
    assert [i.detail for i in invoices] == [None, None, None]
    assert site.count("MonCompte/DetailFacture") == 0
    await browser.aclose()


async def test_at_most_six_requests_in_flight() -> None:
    site = FakePortal(invoices=30, latency=0.002)
    browser = await logged_in(site)
    invoices = await browser.invoices()
    assert len(invoices) == 30
    assert site.max_in_flight == 6
    await browser.aclose()


async def test_in_flight_limit_is_a_setting() -> None:
    site = FakePortal(invoices=10, latency=0.002)
    browser = await logged_in(site, max_in_flight=2)
    await browser.invoices()
    assert site.max_in_flight == 2
    await browser.aclose()


async def test_detail_of_an_unknown_id_is_nothing_to_do(site: FakePortal) -> None:
    browser = await logged_in(site)
    with pytest.raises(NothingToDo) as caught:
        await browser.invoice_detail("999")
    assert "999" in str(caught.value)
    await browser.aclose()


async def test_detail_visits_the_list_first(site: FakePortal) -> None:
    browser = await logged_in(site)
    detail = await browser.invoice_detail("1002")
    assert detail.number == "N1002"
    assert site.requests[-2:] == ["MonCompte", "MonCompte/DetailFacture"]
    await browser.aclose()


async def test_a_changed_list_page_names_page_and_element(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.script("MonCompte", httpx.Response(200, html="<html><p>Autre chose</p></html>"))
    with pytest.raises(PageChanged) as caught:
        await browser.invoices()
    assert (caught.value.page, caught.value.element) == ("MonCompte", "tr.compte")
    await browser.aclose()


# --- Session renewal ------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["500", "redirect", "login-page"])
async def test_an_ended_session_is_renewed_once_and_the_request_repeated(
    site: FakePortal, form: str
) -> None:
    browser = await logged_in(site)
    site.session = None  # the site forgot us
    site.expiry_form = form
    account = await browser.account()
    assert account.members[0].id == "7"
    assert site.logins == 2
    assert site.count("CompteCitoyen") == 2
    await browser.aclose()


async def test_exactly_one_renewal_when_six_details_in_flight_see_the_end() -> None:
    site = FakePortal(invoices=40, latency=0.002)
    site.expire_at_detail = 3  # while six are in flight
    browser = await logged_in(site)
    invoices = await browser.invoices()
    assert site.logins == 2  # the first login and exactly one renewal
    assert browser.logins == 2
    assert [i.id for i in invoices] == site.invoice_ids
    assert all(i.detail is not None and i.detail.number == f"N{i.id}" for i in invoices)
    # The renewal visited MonCompte again before the failed details were repeated.
    renewal = site.requests.index("Home/Logon", site.requests.index("Home/Logon") + 1)
    assert site.requests[renewal + 1] == "MonCompte"
    # At most the six in flight were repeated.
    assert 40 < site.count("MonCompte/DetailFacture") <= 46
    await browser.aclose()


async def test_a_session_ending_again_right_after_renewal_is_an_error(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.session = None
    site.script("CompteCitoyen", httpx.Response(500), httpx.Response(500))
    with pytest.raises(SessionExpired) as caught:
        await browser.account()
    assert "again right after" in str(caught.value)
    assert site.logins == 2  # one renewal only, no loop
    assert site.count("CompteCitoyen") == 2
    await browser.aclose()


async def test_renewal_refused_shows_the_sites_words(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.session = None
    browser._credentials = ("jean", "changed")  # the password was changed on the site
    with pytest.raises(LoginRefused):
        await browser.account()
    await browser.aclose()


async def test_without_login_an_ended_session_says_to_log_in(site: FakePortal) -> None:
    browser = browser_for(site)
    with pytest.raises(SessionExpired) as caught:
        await browser.account()
    assert "log in" in str(caught.value)
    await browser.aclose()


# --- PDF --------------------------------------------------------------------------------------


async def test_pdf_gives_the_bytes_and_the_servers_name(site: FakePortal) -> None:
    browser = await logged_in(site)
    pdf = await browser.pdf("1001")
    assert pdf.content == b"%PDF-1.4 facture 1001\n%%EOF\n"
    assert pdf.server_filename == "Facture_1001.pdf"
    assert site.requests[-2:] == ["MonCompte", "MonCompte/TelechargerPdfFacture"]
    await browser.aclose()


async def test_pdf_answered_by_the_login_page_is_an_ended_session(site: FakePortal) -> None:
    browser = await logged_in(site)
    await browser.invoices(details=False)
    site.session = None
    site.expiry_form = "login-page"
    pdf = await browser.pdf("1000")
    assert pdf.content.startswith(b"%PDF-")
    assert site.logins == 2
    await browser.aclose()


async def test_pdf_answered_by_another_page_is_not_a_pdf(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.script(
        "MonCompte/TelechargerPdfFacture",
        httpx.Response(200, html="<html><p>Document indisponible</p></html>"),
    )
    with pytest.raises(NotAPdf) as caught:
        await browser.pdf("1000")
    assert "1000" in str(caught.value)
    await browser.aclose()


async def test_pdf_of_an_unknown_id_is_nothing_to_do(site: FakePortal) -> None:
    browser = await logged_in(site)
    with pytest.raises(NothingToDo):
        await browser.pdf("5")
    await browser.aclose()


# --- Payment --------------------------------------------------------------------------------


async def test_payment_url_is_read_from_the_redirect_and_checked(site: FakePortal) -> None:
    browser = await logged_in(site)
    assert await browser.payment_url("1000") == PAYFIP
    assert site.requests[-1] == "MonCompte/PayerFacture"
    await browser.aclose()


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ("/tpa/paiement.web?refdet=1", None),  # resolved against the portal: not PayFiP
        (
            "//www.payfip.gouv.fr/tpa/paiement.web?numcli=012345&refdet=2018651",
            "https://www.payfip.gouv.fr/tpa/paiement.web?numcli=012345&refdet=2018651",
        ),
        (
            "https://www.tipi.budget.gouv.fr/tpa/paiementws.web?idop=abc",
            "https://www.tipi.budget.gouv.fr/tpa/paiementws.web?idop=abc",
        ),
        ("http://www.payfip.gouv.fr/tpa/paiement.web", None),
        ("https://www.payfip.gouv.fr.evil.example/tpa/paiement.web", None),
    ],
)
async def test_payment_location_is_resolved_relative_to_the_request(
    site: FakePortal, location: str, expected: str | None
) -> None:
    site.pay_location = location
    browser = await logged_in(site)
    if expected is None:
        with pytest.raises(UnsafePaymentAddress):
            await browser.payment_url("1000")
    else:
        assert await browser.payment_url("1000") == expected
    await browser.aclose()


async def test_payment_of_a_paid_invoice_is_nothing_to_do(site: FakePortal) -> None:
    browser = await logged_in(site)
    with pytest.raises(NothingToDo) as caught:
        await browser.payment_url("1001")
    assert "already paid" in str(caught.value)
    assert "MonCompte/PayerFacture" not in site.requests
    await browser.aclose()


async def test_payment_page_that_does_not_redirect_is_a_changed_page(site: FakePortal) -> None:
    browser = await logged_in(site)
    site.script("MonCompte/PayerFacture", httpx.Response(200, html="<p>Paiement</p>"))
    with pytest.raises(PageChanged) as caught:
        await browser.payment_url("1000")
    assert caught.value.page == "MonCompte/PayerFacture"
    await browser.aclose()


# --- End ----------------------------------------------------------------------------------------


async def test_logout_visits_logoff_and_forgets_the_password(site: FakePortal) -> None:
    browser = await logged_in(site)
    await browser.logout()
    assert site.requests[-1] == "Home/LogOff"
    with pytest.raises(SessionExpired):
        await browser.account()  # no silent login again after logout
    await browser.aclose()


async def test_logout_is_best_effort(site: FakePortal) -> None:
    browser = await logged_in(site, retries=0)
    site.script("Home/LogOff", httpx.ConnectError("down"))
    await browser.logout()
    await browser.aclose()


# --- Against the bundled mock portal, over a real loopback socket ------------------------------


def mock_browser(portal: Any, **options: Any) -> EspaceCitoyensBrowser:
    options.setdefault("backoff", 0.01)
    return EspaceCitoyensBrowser(portal.base_url, **options)


async def demo_login(portal: Any, **options: Any) -> EspaceCitoyensBrowser:
    from espace_tui.mock import DEMO_PASSWORD, DEMO_USERNAME

    browser = mock_browser(portal, **options)
    await browser.login(DEMO_USERNAME, DEMO_PASSWORD)
    return browser


def assert_same_as_mock(invoices: list[Invoice], expected: list[Any]) -> None:
    """Every invoice the mock holds, with what the user sees of it."""
    by_id = {invoice.id: invoice for invoice in invoices}
    assert len(by_id) == len(invoices) == len(expected)
    for mock in expected:
        got = by_id[mock.id]
        assert got.detail is not None
        assert (got.number, got.label, got.regie_name) == (mock.number, mock.label, mock.regie.name)
        assert (got.issued_on, got.due_on) == (mock.issued, mock.due)
        assert (got.amount, got.remaining) == (mock.total, mock.remaining)
        assert got.status is mock.status
        assert got.payer == mock.payer
        assert got.payable_online is mock.payable_online
        assert [line.amount for line in got.detail.lines] == [line.amount for line in mock.lines]


async def test_mock_login_and_dashboard(mock_portal: Any) -> None:
    async with await demo_login(mock_portal) as browser:
        account = await browser.account()
    assert mock_portal.stats.logins == 1
    assert [m.name for m in account.members] == [m.name for m in mock_portal.family.members]
    assert account.greeting == mock_portal.family.greeting


@pytest.mark.parametrize(
    ("username", "words"),
    [
        ("demo", "Identifiant ou mot de passe incorrect."),
        ("verrouille", "Votre compte est verrouillé. Veuillez contacter votre mairie."),
    ],
)
async def test_mock_login_refused_with_the_sites_words(
    mock_portal: Any, username: str, words: str
) -> None:
    browser = mock_browser(mock_portal)
    with pytest.raises(LoginRefused) as caught:
        await browser.login(username, "not-the-password")
    assert str(caught.value) == words
    assert mock_portal.stats.logins == 0
    await browser.aclose()


async def test_mock_invoices_with_details_equal_the_mocks_data(mock_portal: Any) -> None:
    async with await demo_login(mock_portal) as browser:
        invoices = await browser.invoices()
    assert_same_as_mock(invoices, mock_portal.invoices())


async def test_mock_at_most_six_requests_in_flight(make_mock: Any) -> None:
    portal = make_mock(invoices=30, latency_ms=20)
    async with await demo_login(portal) as browser:
        invoices = await browser.invoices()
    assert len(invoices) == 30
    assert 1 < portal.stats.max_in_flight <= 6


@pytest.mark.parametrize("every", [3, 10])
async def test_mock_sessions_ending_under_concurrency_are_renewed_once_each(
    make_mock: Any, every: int
) -> None:
    count = 30
    portal = make_mock(invoices=count, latency_ms=5, faults=Faults(expire_every=every))
    async with await demo_login(portal) as browser:
        invoices = await browser.invoices()
    assert_same_as_mock(invoices, portal.invoices())
    # Each session serves `every` pages, then ends. The list, the 30 details and one list per
    # renewal make 1 + count + renewals pages: one renewal per ended session means exactly the
    # fewest renewals whose sessions can serve them all.
    renewals = max(0, -(-(1 + count - every) // (every - 1)))
    assert portal.stats.logins == browser.logins == 1 + renewals
    assert portal.stats.expired_answers >= renewals


async def test_mock_session_that_ends_at_once_is_an_error_not_a_loop(make_mock: Any) -> None:
    portal = make_mock(invoices=8, faults=Faults(expire_every=1))
    async with await demo_login(portal) as browser:
        with pytest.raises(SessionExpired) as caught:
            await browser.invoices()
    assert "right after logging in" in str(caught.value)
    assert portal.stats.logins <= 1 + 8


async def test_mock_flaky_portal_still_gives_everything(make_mock: Any) -> None:
    portal = make_mock(invoices=12, faults=Faults(flaky=True))
    async with await demo_login(portal) as browser:
        invoices = await browser.invoices()
        pdf = await browser.pdf(invoices[0].id)
    assert portal.stats.injected_errors > 0
    assert_same_as_mock(invoices, portal.invoices())
    assert pdf.content.startswith(b"%PDF-")


async def test_mock_flaky_and_expiring_portal_with_many_invoices(make_mock: Any) -> None:
    # Six requests in flight, sessions ending every 5 pages and every 4th page failing once:
    # every detail still arrives, in the site's order.
    portal = make_mock(invoices=300, latency_ms=2, faults=Faults(flaky=True, expire_every=5))
    async with await demo_login(portal) as browser:
        invoices = await browser.invoices()
    assert portal.stats.injected_errors > 0 and portal.stats.logins > 1
    assert portal.stats.max_in_flight <= 6
    assert len(invoices) == 300 and all(i.detail is not None for i in invoices)
    assert_same_as_mock(invoices, portal.invoices())


async def test_mock_maintenance(make_mock: Any) -> None:
    portal = make_mock(faults=Faults(maintenance=True))
    browser = mock_browser(portal)
    with pytest.raises(Maintenance) as caught:
        await browser.login("demo", "demo")
    assert "maintenance" in str(caught.value)
    await browser.aclose()


async def test_mock_pdf_and_its_name(mock_portal: Any) -> None:
    async with await demo_login(mock_portal) as browser:
        invoice = (await browser.invoices(details=False))[0]
        pdf = await browser.pdf(invoice.id)
    assert pdf.content.startswith(b"%PDF-")
    assert pdf.server_filename == f"Facture_{invoice.number}.pdf"


async def test_mock_pdf_answered_by_a_page_is_not_a_pdf(make_mock: Any) -> None:
    portal = make_mock(faults=Faults(pdf_html=True))
    async with await demo_login(portal) as browser:
        invoice = (await browser.invoices(details=False))[0]
        with pytest.raises(NotAPdf):
            await browser.pdf(invoice.id)


def payable(portal: Any) -> Any:
    return next(invoice for invoice in portal.invoices() if invoice.payable_online)


async def test_mock_payment_to_the_wrong_host_is_refused(make_mock: Any) -> None:
    portal = make_mock(faults=Faults(payment_wrong_host=True))
    async with await demo_login(portal) as browser:
        with pytest.raises(UnsafePaymentAddress) as caught:
            await browser.payment_url(payable(portal).id)
    assert "www.payfip.gouv.fr.example.com" in str(caught.value)


async def test_mock_demo_payment_address_is_accepted(mock_portal: Any) -> None:
    invoice = payable(mock_portal)
    async with await demo_login(mock_portal) as browser:
        url = await browser.payment_url(invoice.id)
    assert url.startswith(mock_portal.root_url.rstrip("/") + "/tpa/paiement.web?")
    request = describe_payment(url)
    assert request.amount == invoice.remaining
    assert request.refdet == invoice.refdet


async def test_mock_invoice_not_payable_online_says_why(mock_portal: Any) -> None:
    invoice = next(i for i in mock_portal.invoices() if not i.payable_online)
    async with await demo_login(mock_portal) as browser:
        with pytest.raises(NothingToDo) as caught:
            await browser.payment_url(invoice.id)
    assert invoice.number in str(caught.value)


async def test_mock_logout(mock_portal: Any) -> None:
    browser = await demo_login(mock_portal)
    await browser.invoices(details=False)
    await browser.logout()
    with pytest.raises(SessionExpired):
        await browser.account()
    await browser.aclose()
