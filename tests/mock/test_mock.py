"""The bundled mock portal, spoken to over a real loopback socket as a client would (httpx).

Each test checks what SITE.md says the portal serves: the login pair, the pages and their
markup, the session rules, the PDF, the PayFiP redirect and the demo PayFiP page, the faults.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from espace_tui.core.model import Status
from espace_tui.mock import DEMO_PASSWORD, DEMO_USERNAME, Faults, MockOptions, MockPortal
from espace_tui.mock.cli import add_arguments, run

SEED_ID = "318204"  # the help page's invoice 651
XHR = {"X-Requested-With": "XMLHttpRequest"}
MakeMock = Callable[..., MockPortal]


def words(node: Node | None) -> str:
    """A node's text with white space normalised, as a client reads it."""
    assert node is not None
    return " ".join(node.text().split())


def client_for(portal: MockPortal) -> httpx.Client:
    return httpx.Client(base_url=portal.base_url, follow_redirects=False, timeout=10)


@pytest.fixture
def client(mock_portal: MockPortal) -> Iterator[httpx.Client]:
    with client_for(mock_portal) as http:
        yield http


def token_of(page: httpx.Response) -> str:
    node = HTMLParser(page.text).css_first('form input[name="__RequestVerificationToken"]')
    assert node is not None
    return str(node.attributes["value"])


def log_in(http: httpx.Client, password: str = DEMO_PASSWORD, **extra: str) -> httpx.Response:
    page = http.get("Home/AccueilPublic")
    form = {"__RequestVerificationToken": token_of(page), "username": DEMO_USERNAME}
    form |= {"password": password, **extra}
    return http.post("Home/Logon", data=form)


def logged_in(http: httpx.Client, *, visit_account: bool = True) -> httpx.Client:
    assert log_in(http).status_code == 302
    if visit_account:
        assert http.get("MonCompte").status_code == 200
    return http


def pdf_text(content: bytes) -> str:
    """The text drawn in a PDF made by fpdf2 (its page streams are zlib-compressed)."""
    found = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            found.append(zlib.decompress(stream).decode("cp1252", errors="replace"))
        except zlib.error:
            continue
    return " ".join(re.findall(r"\((.*?)\) Tj", "".join(found)))


# ----- login -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", "Home/AccueilPublic"])
def test_public_home_holds_the_login_form_first_with_its_token_pair(
    client: httpx.Client, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    forms = HTMLParser(page.text).css("form")
    assert len(forms) >= 2  # the login form must be found as the first one, not the only one
    first = forms[0]
    assert first.attributes["id"] == "idFormConnexion"
    assert first.attributes["action"] == "/ecouflant/espace-citoyens/Home/Logon"
    assert first.attributes["method"] == "post"
    assert first.css_first("input#username[name=username]") is not None
    assert first.css_first("input#password[type=password]") is not None
    assert token_of(page)
    assert any(name.startswith("__RequestVerificationToken") for name in client.cookies)


def test_demo_credentials_log_in_and_set_the_session_cookie(mock_portal: MockPortal) -> None:
    with client_for(mock_portal) as http:
        answer = log_in(http)
    assert answer.status_code == 302
    assert answer.headers["location"] == "/ecouflant/espace-citoyens/CompteCitoyen"
    session_cookie = next(
        v for k, v in answer.headers.multi_items() if k == "set-cookie" and "SessionIdEC" in v
    )
    assert session_cookie.startswith("ASP.NET_SessionIdEC=")
    assert "HttpOnly" in session_cookie
    assert mock_portal.stats.logins == 1


def test_a_token_that_does_not_match_the_cookie_is_refused_with_500(
    mock_portal: MockPortal,
) -> None:
    with client_for(mock_portal) as first, client_for(mock_portal) as second:
        other_token = token_of(first.get(""))
        second.get("")  # its own cookie, paired with another token
        answer = second.post(
            "Home/Logon",
            data={
                "__RequestVerificationToken": other_token,
                "username": "demo",
                "password": "demo",
            },
        )
        assert answer.status_code == 500
    with client_for(mock_portal) as no_cookie:
        answer = no_cookie.post(
            "Home/Logon",
            data={
                "__RequestVerificationToken": other_token,
                "username": "demo",
                "password": "demo",
            },
        )
        assert answer.status_code == 500
    assert mock_portal.stats.logins == 0


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("demo", "not-the-password", "Identifiant ou mot de passe incorrect."),
        ("verrouille", "demo", "Votre compte est verrouillé"),
    ],
)
def test_a_refused_login_shows_the_site_message_beside_the_form(
    client: httpx.Client, username: str, password: str, message: str
) -> None:
    page = client.get("")
    answer = client.post(
        "Home/Logon",
        data={
            "__RequestVerificationToken": token_of(page),
            "username": username,
            "password": password,
        },
    )
    assert answer.status_code == 200
    assert answer.url.path == "/ecouflant/espace-citoyens/Home/Logon"
    tree = HTMLParser(answer.text)
    assert tree.css_first("#idFormConnexion") is not None
    assert words(tree.css_first("span.erreurLogin")).startswith(message)
    assert "ASP.NET_SessionIdEC" not in client.cookies


# ----- pages of a session ----------------------------------------------------------------------


def test_dashboard_greets_and_shows_the_family(client: httpx.Client) -> None:
    logged_in(client, visit_account=False)
    tree = HTMLParser(client.get("CompteCitoyen").text)
    assert words(tree.css_first("#spanBonjour")) == "Bonjour Monsieur Ecouflant"
    assert (
        words(tree.css_first("#spanDerniereConnexion"))
        == "Dernière connexion le 09/11/2018 à 15:31"
    )
    members = tree.css('a[href*="FichePersonne/DetailPersonne?idDynamic="]')
    pictures = [str(a.css_first("img").attributes["src"]).rsplit("/", 1)[-1] for a in members]
    assert pictures == ["pere.png", "mere.png", "garcon.png", "fillette.png", "agent_fille.png"]
    assert members[0].css_first("img").attributes["alt"] == "ECOUFLANT Jean"
    tile = next(a for a in tree.css("a") if "Mes factures" in a.text())
    assert str(tile.attributes["href"]).endswith("/MonCompte")


def test_invoice_list_shows_every_invoice_in_its_regie(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client, visit_account=False)
    tree = HTMLParser(client.get("MonCompte").text)
    rows = tree.css("div.regie tr.compte")
    assert len(rows) == len(mock_portal.invoices()) == 14
    seed = next(row for row in rows if row.attributes["id"] == SEED_ID)
    assert words(seed.css_first(".ligneCompte")) == "Septembre 2018"
    assert words(seed.css_first(".numero_facture")) == "651"
    assert words(seed.css_first(".dateFacture")) == "04/10/2018"
    assert words(seed.css_first(".montantFacture")) == "23,20 €"
    assert words(seed.css_first(".etatFacture")) == "Transmise au Trésor Public"
    regies = [words(h) for h in tree.css("div.regie h3.libelleRegie")]
    assert regies == ["POST FACTURATION (ECOUFLANT)", "RESTAURATION SCOLAIRE", "ACCUEIL DE LOISIRS"]
    amounts = [seed.css_first(".montantFacture").text() for seed in rows]
    assert "1\u202f234,56\u00a0€" in amounts  # a thousands separator the client must read


def test_detail_fragment_holds_every_element(client: httpx.Client) -> None:
    logged_in(client)
    answer = client.get(f"MonCompte/DetailFacture?IdFactureUnique={SEED_ID}", headers=XHR)
    assert answer.status_code == 200
    assert "<html" not in answer.text  # a fragment
    tree = HTMLParser(answer.text)
    expected = {
        "#hDetailFacture_Facture": "POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018",
        "#spanDetailFacture_DatEmissionFacture": "04/10/2018",
        "#spanDetailFacture_MntTotalFacture": "23,20 €",
        "#spanDetailFacture_DatLimitePaiementFacture": "05/11/2018",
        "#spanDetailFacture_Payeur": "Monsieur ECOUFLANT Jean",
        "#spanDetailFacture_EtatFacture": "Facture transmise au Trésor Public",
        "#spanDetailFacture_MntResteAPayer": "23,20 €",
        "#spanDetailFacture_ModePaiement": "Paiement en ligne",
    }
    assert {selector: words(tree.css_first(selector)) for selector in expected} == expected
    pay = tree.css_first("a#lnkPayerFacture")
    assert pay is not None and f"PayerFacture?IdFactureUnique={SEED_ID}" in str(
        pay.attributes["href"]
    )
    pdf = tree.css_first("a#lnkTelechargerFacture")
    assert pdf is not None and "TelechargerPdfFacture" in str(pdf.attributes["href"])
    lines = [
        [
            words(tr.css_first(f".{cell}"))
            for cell in ("personne", "prestation", "quantite", "prixUnitaire", "montant")
        ]
        for tr in tree.css("table#tableDetailFacture_Lignes tr")
    ]
    assert lines == [
        ["ECOUFLANT Lucas", "Restaurant scolaire", "5", "3,20 €", "16,00 €"],
        ["ECOUFLANT Lucas", "Garderie du soir", "4", "1,80 €", "7,20 €"],
    ]


def test_only_invoices_payable_online_have_a_pay_link(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    for invoice in mock_portal.invoices():
        fragment = client.get(f"MonCompte/DetailFacture?IdFactureUnique={invoice.id}", headers=XHR)
        has_link = HTMLParser(fragment.text).css_first("a#lnkPayerFacture") is not None
        assert has_link == invoice.payable_online, invoice.state
    assert mock_portal.stats.detail_requests == 14


def test_detail_without_the_xhr_header_redirects_to_the_list(client: httpx.Client) -> None:
    logged_in(client)
    answer = client.get(f"MonCompte/DetailFacture?IdFactureUnique={SEED_ID}")
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/MonCompte")


def test_detail_and_pdf_before_the_list_was_visited_are_not_served(client: httpx.Client) -> None:
    logged_in(client, visit_account=False)
    for path in ("DetailFacture", "TelechargerPdfFacture"):
        answer = client.get(f"MonCompte/{path}?IdFactureUnique={SEED_ID}", headers=XHR)
        assert answer.status_code == 302
        assert answer.headers["location"].endswith("/MonCompte")
        assert "hDetailFacture_Facture" not in answer.text and not answer.content.startswith(
            b"%PDF"
        )


@pytest.mark.parametrize("invoice_id", ["999999", "abc", ""])
def test_an_unknown_invoice_is_404(client: httpx.Client, invoice_id: str) -> None:
    logged_in(client)
    assert (
        client.get(f"MonCompte/DetailFacture?IdFactureUnique={invoice_id}", headers=XHR).status_code
        == 404
    )
    assert (
        client.get(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={invoice_id}").status_code
        == 404
    )
    assert client.get(f"MonCompte/PayerFacture?IdFactureUnique={invoice_id}").status_code == 404


def test_pdf_is_a_real_pdf_named_after_the_invoice(client: httpx.Client) -> None:
    logged_in(client)
    answer = client.get(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={SEED_ID}")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == 'attachment; filename="Facture_651.pdf"'
    assert answer.content.startswith(b"%PDF-")
    text = pdf_text(answer.content)
    for shown in (
        "POST FACTURATION (ECOUFLANT)",
        "651",
        "Septembre 2018",
        "Monsieur ECOUFLANT Jean",
    ):
        assert shown.replace("(", "\\(").replace(")", "\\)") in text
    assert "23,20 €" in text


def test_every_demo_invoice_has_a_pdf_even_with_accented_names(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    for invoice in mock_portal.invoices():
        answer = client.get(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={invoice.id}")
        assert answer.content.startswith(b"%PDF-"), invoice.number
    girl_invoice = next(i for i in mock_portal.invoices() if i.lines[0].person == "ECOUFLANT Léa")
    answer = client.get(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={girl_invoice.id}")
    assert "ECOUFLANT Léa" in pdf_text(answer.content)


def test_without_a_session_pages_send_back_to_the_public_home(client: httpx.Client) -> None:
    for path in (
        "CompteCitoyen",
        "MonCompte",
        f"MonCompte/TelechargerPdfFacture?IdFactureUnique={SEED_ID}",
    ):
        answer = client.get(path)
        assert answer.status_code == 302
        assert answer.headers["location"].endswith("/Home/AccueilPublic")


def test_logoff_ends_the_session(client: httpx.Client) -> None:
    logged_in(client)
    answer = client.get("Home/LogOff")
    assert answer.status_code == 302
    assert answer.headers["location"] == "/ecouflant/espace-citoyens/"
    assert client.get("MonCompte").status_code == 302


@pytest.mark.parametrize(
    "path", ["Inconnu", "MonCompte/Autre", "../autre-commune/espace-citoyens/"]
)
def test_unknown_paths_are_404(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_other_communes_are_not_served(mock_portal: MockPortal) -> None:
    answer = httpx.get(mock_portal.root_url + "angers/espace-citoyens/")
    assert answer.status_code == 404


# ----- paying ----------------------------------------------------------------------------------


def test_pay_redirects_to_a_payfip_address_with_its_parameters(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    big = next(i for i in mock_portal.invoices() if i.total >= 1000)
    answer = client.get(f"MonCompte/PayerFacture?IdFactureUnique={big.id}")
    assert answer.status_code == 302
    location = urlsplit(answer.headers["location"])
    assert f"{location.scheme}://{location.netloc}/" == mock_portal.root_url
    assert location.path == "/tpa/paiement.web"
    params = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert re.fullmatch(r"\d{6}", params["numcli"])
    assert params["exer"] == str(big.issued.year)
    assert re.fullmatch(r"[A-Za-z0-9]{6,30}", params["refdet"])
    assert params["montant"] == "123456"
    assert params["mel"] == "jean.ecouflant@example.org"
    assert params["urlcl"] == mock_portal.base_url + "MonCompte"
    assert params["saisie"] in {"T", "X", "A", "M", "W"}
    assert params["objet"]


def test_pay_for_an_invoice_not_payable_online_goes_back_to_the_list(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    debit = next(i for i in mock_portal.invoices() if i.status is Status.DIRECT_DEBIT)
    answer = client.get(f"MonCompte/PayerFacture?IdFactureUnique={debit.id}")
    assert answer.status_code == 302
    assert answer.headers["location"].endswith("/MonCompte")


def _payfip_page(client: httpx.Client, invoice_id: str) -> tuple[httpx.Response, dict[str, str]]:
    location = client.get(f"MonCompte/PayerFacture?IdFactureUnique={invoice_id}").headers[
        "location"
    ]
    page = client.get(location)
    form = HTMLParser(page.text).css_first("form#formPayer")
    assert form is not None
    fields = {str(i.attributes["name"]): str(i.attributes["value"]) for i in form.css("input")}
    return page, fields


def test_paying_on_the_demo_payfip_page_marks_the_invoice_paid(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    page, fields = _payfip_page(client, SEED_ID)
    assert page.status_code == 200
    shown = " ".join(HTMLParser(page.text).body.text().split())  # type: ignore[union-attr]
    assert "23,20 €" in shown and "20180100000651" in shown
    assert "Annuler" in page.text
    answer = client.post(mock_portal.root_url + "tpa/paiement.web", data=fields)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["location"])
    assert answer.headers["location"].startswith(mock_portal.base_url + "MonCompte?")
    assert parse_qs(back.query)["resultrans"] == ["P"]

    paid = mock_portal.invoice(SEED_ID)
    assert (paid.state, paid.status, paid.remaining) == ("Payée", Status.PAID, Decimal("0.00"))
    fragment = HTMLParser(
        client.get(f"MonCompte/DetailFacture?IdFactureUnique={SEED_ID}", headers=XHR).text
    )
    assert words(fragment.css_first("#spanDetailFacture_EtatFacture")) == "Payée"
    assert words(fragment.css_first("#spanDetailFacture_MntResteAPayer")) == "0,00 €"
    assert fragment.css_first("a#lnkPayerFacture") is None
    listing = HTMLParser(client.get("MonCompte?resultrans=P").text)
    row = next(r for r in listing.css("tr.compte") if r.attributes["id"] == SEED_ID)
    assert words(row.css_first(".etatFacture")) == "Payée"
    # Paying twice is refused by the page.
    assert client.post(mock_portal.root_url + "tpa/paiement.web", data=fields).status_code == 400


def test_cancelling_on_the_demo_payfip_page_changes_nothing(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    _page, fields = _payfip_page(client, SEED_ID)
    answer = client.post(
        mock_portal.root_url + "tpa/paiement.web", data={**fields, "choix": "annuler"}
    )
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer.headers["location"]).query)["resultrans"] == ["A"]
    assert mock_portal.invoice(SEED_ID).status is Status.TREASURY


def test_mark_paid_is_what_the_portal_then_serves(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    mock_portal.mark_paid(SEED_ID)
    fragment = client.get(f"MonCompte/DetailFacture?IdFactureUnique={SEED_ID}", headers=XHR)
    assert words(HTMLParser(fragment.text).css_first("#spanDetailFacture_EtatFacture")) == "Payée"


# ----- faults ----------------------------------------------------------------------------------


def test_fault_payment_wrong_host(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(payment_wrong_host=True))
    with client_for(portal) as http:
        logged_in(http)
        location = http.get(f"MonCompte/PayerFacture?IdFactureUnique={SEED_ID}").headers["location"]
    parts = urlsplit(location)
    assert parts.hostname == "www.payfip.gouv.fr.example.com"
    assert parts.path == "/tpa/paiement.web" and "montant=2320" in parts.query


def test_fault_maintenance_answers_503_everywhere(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(maintenance=True))
    with client_for(portal) as http:
        for path in ("", "Home/AccueilPublic", "MonCompte"):
            answer = http.get(path)
            assert answer.status_code == 503
            tree = HTMLParser(answer.text)
            assert "maintenance" in words(tree.css_first("title")).lower()
            assert "Le site est actuellement en maintenance" in words(tree.body)
        assert http.post("Home/Logon", data={}).status_code == 503


def test_faults_can_be_lifted_while_serving(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(maintenance=True))
    with client_for(portal) as http:
        assert http.get("").status_code == 503
        portal.faults = Faults()
        assert http.get("").status_code == 200


def test_fault_flaky_fails_every_fourth_get_never_twice_in_a_row(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(flaky=True))
    with client_for(portal) as http:
        statuses = [http.get("Home/AccueilPublic").status_code for _ in range(14)]
        others = [http.get(f"Home/AccueilPublic?n={n}").status_code for n in range(4)]
    # The address that just failed goes through when asked again (a retry), uncounted.
    assert statuses == [200, 200, 200, 502, 200, 200, 200, 200, 503, 200, 200, 200, 200, 504]
    assert others == [200, 200, 200, 502]
    assert portal.stats.injected_errors == 4


def test_fault_flaky_lets_a_retrying_client_through(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(flaky=True))
    transport = httpx.HTTPTransport(retries=0)
    with httpx.Client(base_url=portal.base_url, transport=transport) as http:

        def get(path: str, **kwargs: Any) -> httpx.Response:
            for _attempt in range(3):
                answer = http.get(path, **kwargs)
                if answer.status_code not in (502, 503, 504):
                    return answer
            return answer

        page = get("")
        form = {
            "__RequestVerificationToken": token_of(page),
            "username": "demo",
            "password": "demo",
        }
        assert http.post("Home/Logon", data=form, follow_redirects=False).status_code == 302
        assert get("MonCompte").status_code == 200
        for invoice in portal.invoices():
            detail = get(f"MonCompte/DetailFacture?IdFactureUnique={invoice.id}", headers=XHR)
            assert detail.status_code == 200
    assert portal.stats.detail_requests == 14 and portal.stats.injected_errors > 0


def test_fault_pdf_html_answers_an_html_page(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(pdf_html=True))
    with client_for(portal) as http:
        logged_in(http)
        answer = http.get(f"MonCompte/TelechargerPdfFacture?IdFactureUnique={SEED_ID}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert not answer.content.startswith(b"%PDF-")


def test_fault_expire_every_rotates_through_the_three_forms(make_mock: MakeMock) -> None:
    portal = make_mock(faults=Faults(expire_every=2))
    seen: list[str] = []
    with client_for(portal) as http:
        for _round in range(6):
            logged_in(http, visit_account=False)
            assert http.get("CompteCitoyen").status_code == 200
            assert http.get("MonCompte").status_code == 200
            answer = http.get("MonCompte")  # the third request of a session of two
            if answer.status_code == 500:
                seen.append("500")
            elif answer.status_code == 302:
                seen.append("redirect " + answer.headers["location"].rsplit("/", 1)[-1])
            else:
                assert answer.status_code == 200
                assert HTMLParser(answer.text).css_first("#idFormConnexion") is not None
                assert HTMLParser(answer.text).css_first("tr.compte") is None
                seen.append("login page")
    assert seen == [
        "500",
        "redirect Logon",
        "login page",
        "500",
        "redirect AccueilPublic",
        "login page",
    ]
    assert portal.stats.logins == 6


def test_a_redirect_to_logon_shows_the_login_form(client: httpx.Client) -> None:
    answer = client.get("Home/Logon")
    assert answer.status_code == 200
    assert HTMLParser(answer.text).css_first("form").attributes["id"] == "idFormConnexion"  # type: ignore[union-attr]


def test_faults_parse() -> None:
    assert Faults.parse("expire-every=3, flaky,pdf-html,maintenance,payment-wrong-host") == Faults(
        expire_every=3, flaky=True, pdf_html=True, maintenance=True, payment_wrong_host=True
    )
    assert Faults.parse("") == Faults()
    assert Faults.parse("flaky").describe() == "flaky"
    with pytest.raises(ValueError, match="unknown fault 'slow'"):
        Faults.parse("slow")
    with pytest.raises(ValueError, match="whole number"):
        Faults.parse("expire-every=often")
    with pytest.raises(ValueError, match="1 or more"):
        Faults.parse("expire-every=0")


# ----- data, scale and concurrency -------------------------------------------------------------


def test_demo_data_covers_every_state_and_payment_mode(mock_portal: MockPortal) -> None:
    invoices = mock_portal.invoices()
    today = date.today()
    assert len(invoices) >= 12
    assert {i.status for i in invoices} == set(Status)
    assert {i.payment_mode for i in invoices} == {
        "Paiement en ligne",
        "Prélèvement automatique",
        "Chèque à la trésorerie",
    }
    assert len({i.regie.name for i in invoices}) >= 3
    assert any(i.total >= 1000 for i in invoices)
    unpaid = [i for i in invoices if i.status.to_pay]
    assert any(i.due < today for i in unpaid) and any(i.due > today for i in unpaid)
    seed = mock_portal.invoice(SEED_ID)
    assert (seed.number, seed.label, seed.issued, seed.due, seed.total) == (
        "651",
        "Septembre 2018",
        date(2018, 10, 4),
        date(2018, 11, 5),
        Decimal("23.20"),
    )
    assert (seed.state, seed.detail_state, seed.payer) == (
        "Transmise au Trésor Public",
        "Facture transmise au Trésor Public",
        "Monsieur ECOUFLANT Jean",
    )


def test_generated_invoices_are_the_same_every_time(make_mock: MakeMock) -> None:
    first, second = make_mock(invoices=300), make_mock(invoices=300)
    assert first.invoices() == second.invoices()
    assert len({i.id for i in first.invoices()}) == 300
    assert {i.status for i in first.invoices()} == set(Status)
    with client_for(first) as http:
        logged_in(http, visit_account=False)
        assert len(HTMLParser(http.get("MonCompte").text).css("tr.compte")) == 300


def test_no_invoice_at_all(make_mock: MakeMock) -> None:
    portal = make_mock(invoices=0)
    with client_for(portal) as http:
        logged_in(http, visit_account=False)
        tree = HTMLParser(http.get("MonCompte").text)
    assert tree.css("tr.compte") == []


def test_requests_are_served_concurrently(make_mock: MakeMock) -> None:
    portal = make_mock(latency_ms=200)
    barrier = threading.Barrier(4)

    def fetch() -> None:
        barrier.wait()
        httpx.get(portal.base_url, timeout=10)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert portal.stats.requests == 4
    assert portal.stats.max_in_flight >= 2


def test_the_mock_refuses_to_listen_beyond_this_machine() -> None:
    with pytest.raises(ValueError, match="only listens on this machine"):
        MockPortal(MockOptions(host="0.0.0.0"))


def test_context_manager_starts_and_stops() -> None:
    with MockPortal() as portal:
        url = portal.base_url
        assert httpx.get(url).status_code == 200
        assert portal.root_url == url.removesuffix("ecouflant/espace-citoyens/")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url)


# ----- command line ----------------------------------------------------------------------------


def test_cli_refuses_a_host_that_is_not_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert run(parser.parse_args(["--host", "0.0.0.0"])) == 2
    assert "only listens on this machine" in capsys.readouterr().err
    assert run(parser.parse_args(["--faults", "slow"])) == 2
    assert "unknown fault" in capsys.readouterr().err


def test_python_m_serves_until_ctrl_c() -> None:
    server = subprocess.Popen(
        [sys.executable, "-m", "espace_tui.mock", "--port", "0", "--quiet", "--invoices", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/ecouflant/espace-citoyens/", first)
        assert url, first
        assert "demo" in server.stdout.readline()
        assert httpx.get(url.group(0)).status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=10)
    assert server.returncode == 0
    assert "Traceback" not in err
