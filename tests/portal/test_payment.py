"""Payment addresses: only PayFiP over https (or the loopback demo's own page) is ever opened,
and the user sees what is asked before paying."""

from __future__ import annotations

from decimal import Decimal

import pytest

from espace_tui.core.errors import NothingToDo, UnsafePaymentAddress
from espace_tui.portal.payment import check_payable, check_payment_url, describe_payment

REAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
DEMO = "http://127.0.0.1:8765/ecouflant/espace-citoyens/"
URL_MODE = (
    "https://www.payfip.gouv.fr/tpa/paiement.web?numcli=012345&exer=2018&refdet=2018010000651"
    "&objet=Facture%20651%20Septembre%202018&montant=123456&mel=jean%40example.org"
    "&urlcl=https%3A%2F%2Fexample.org%2Fretour&saisie=X"
)


@pytest.mark.parametrize(
    "url",
    [
        URL_MODE,
        "https://www.payfip.gouv.fr/tpa/paiementws.web?idop=0123abcd",
        "https://www.tipi.budget.gouv.fr/tpa/paiement.web?numcli=000001&refdet=ABC123",
        "https://WWW.PAYFIP.GOUV.FR/tpa/paiement.web?numcli=012345&refdet=2018651",
        "https://www.payfip.gouv.fr:443/tpa/paiement.web?numcli=012345&refdet=2018651",
        "https://www.tipi-client.budget.gouv.fr/tpa/paiement.web?numcli=012345&refdet=2018651"
        "&montant=2320&saisie=T",
        "https://www.tipi-client.budget.gouv.fr/tpa/paiementws.web?idop=abc&saisie=T",
    ],
)
@pytest.mark.parametrize("portal", [REAL, DEMO])
def test_payfip_addresses_are_accepted(url: str, portal: str) -> None:
    assert check_payment_url(url, portal_base_url=portal) == url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://www.payfip.gouv.fr/tpa/paiement.web", "not https"),
        ("https://payfip.gouv.fr/tpa/paiement.web", "is not PayFiP"),
        ("https://www.payfip.gouv.fr.evil.example/tpa/paiement.web", "is not PayFiP"),
        ("https://evil.example/tpa/paiement.web?x=www.payfip.gouv.fr", "is not PayFiP"),
        ("https://www.payfip.gouv.fr@evil.example/tpa/paiement.web", "user name"),
        ("https://user:pw@www.payfip.gouv.fr/tpa/paiement.web", "user name"),
        ("https://www.payfip.gouv.fr:8443/tpa/paiement.web", "port 8443"),
        ("https://www.payfip.gouv.fr/tpa/autre.web", "not a PayFiP payment page"),
        ("https://www.payfip.gouv.fr/", "not a PayFiP payment page"),
        ("https://www.payfip.gouv.fr\\@evil.example/tpa/paiement.web", "backslashes"),
        ("https://www.payfip.gouv.fr/tpa/paiement.web\n", "control characters"),
        ("javascript:alert(1)", "not https"),
        ("https://[::1/tpa/paiement.web", "not a valid address"),
        ("https://www.payfip.gouv.fr:99999/tpa/paiement.web", "not a valid address"),
        ("", "not https"),
    ],
)
def test_other_addresses_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(UnsafePaymentAddress) as caught:
        check_payment_url(url, portal_base_url=REAL)
    assert reason in str(caught.value)
    assert "www.payfip.gouv.fr" in str(caught.value)  # says what would have been accepted


def test_the_demo_page_is_accepted_only_for_a_loopback_portal() -> None:
    demo_page = "http://127.0.0.1:8765/tpa/paiement.web?refdet=1&montant=2320"
    assert check_payment_url(demo_page, portal_base_url=DEMO) == demo_page
    with pytest.raises(UnsafePaymentAddress):
        check_payment_url("https://www.espace-citoyens.net/tpa/paiement.web", portal_base_url=REAL)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9999/tpa/paiement.web",  # another port
        "http://127.0.0.2:8765/tpa/paiement.web",  # another host
        "http://localhost:8765/tpa/paiement.web",  # another name for it
        "https://127.0.0.1:8765/tpa/paiement.web",  # another scheme
        "http://127.0.0.1:8765/ecouflant/espace-citoyens/MonCompte",  # not the payment page
        "http://127.0.0.1:8765/tpa/paiementws.web",
    ],
)
def test_the_demo_exception_is_exactly_the_portals_own_page(url: str) -> None:
    with pytest.raises(UnsafePaymentAddress):
        check_payment_url(url, portal_base_url=DEMO)


def test_messages_are_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("espace_tui.portal.payment._", lambda text: "«" + text + "»")
    with pytest.raises(UnsafePaymentAddress) as caught:
        check_payment_url("http://www.payfip.gouv.fr/tpa/paiement.web", portal_base_url=REAL)
    assert str(caught.value).startswith("«")


def test_describe_payment_shows_reference_and_amount() -> None:
    request = describe_payment(URL_MODE)
    assert request.numcli == "012345"
    assert request.exer == "2018"
    assert request.refdet == "2018010000651"
    assert request.objet == "Facture 651 Septembre 2018"
    assert request.amount == Decimal("1234.56")
    assert request.mel == "jean@example.org"
    assert request.saisie == "X"
    assert request.idop is None
    assert request.url == URL_MODE


@pytest.mark.parametrize(
    ("montant", "amount"),
    [("2320", Decimal("23.20")), ("5", Decimal("0.05")), ("", None), ("12,5", None), ("²", None)],
)
def test_describe_payment_reads_cents(montant: str, amount: Decimal | None) -> None:
    url = f"https://www.payfip.gouv.fr/tpa/paiement.web?montant={montant}"
    assert describe_payment(url).amount == amount


def test_web_service_mode_gives_only_the_operation() -> None:
    request = describe_payment("https://www.payfip.gouv.fr/tpa/paiementws.web?idop=abc123")
    assert request.idop == "abc123"
    assert (request.refdet, request.amount) == (None, None)


# --- PayFiP's own rules (SITE.md §7) ------------------------------------------------------------

PAYFIP = "https://www.payfip.gouv.fr/tpa/paiement.web"
TEST_SITE = "https://www.tipi-client.budget.gouv.fr/tpa/paiement.web"
GOOD = "numcli=012345&refdet=2018010000651&montant=2320"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("numcli=12345&refdet=2018010000651", "numcli"),
        ("numcli=0123456&refdet=2018010000651", "numcli"),
        ("numcli=01234A&refdet=2018010000651", "numcli"),
        ("refdet=2018010000651", "numcli"),
        ("numcli=012345&refdet=12345", "refdet"),
        ("numcli=012345&refdet=" + "1" * 31, "refdet"),
        ("numcli=012345&refdet=2018-651", "refdet"),
        ("numcli=012345&refdet=2018%1b%5b2J", "refdet"),
        ("numcli=012345", "refdet"),
        ("numcli=012345&refdet=2018010000651&montant=23.20", "montant"),
        ("numcli=012345&numcli=999999&refdet=2018010000651", "more than once"),
    ],
)
def test_a_malformed_payfip_address_is_refused(query: str, reason: str) -> None:
    with pytest.raises(UnsafePaymentAddress) as caught:
        check_payment_url(f"{PAYFIP}?{query}", portal_base_url=REAL)
    assert "not a well-formed PayFiP address" in str(caught.value)
    assert reason in str(caught.value)
    assert caught.value.exit_code == 6


def test_numcli_and_refdet_at_their_limits_are_accepted() -> None:
    for refdet in ("A1B2C3", "Z" * 30):
        url = f"{PAYFIP}?numcli=000000&refdet={refdet}&saisie=A"
        assert check_payment_url(url, portal_base_url=REAL) == url


@pytest.mark.parametrize("saisie", ["X", "A", "M", "W", "t", ""])
def test_the_test_site_takes_test_payments_only(saisie: str) -> None:
    with pytest.raises(UnsafePaymentAddress) as caught:
        check_payment_url(f"{TEST_SITE}?{GOOD}&saisie={saisie}", portal_base_url=REAL)
    assert "test payments only (saisie=T)" in str(caught.value)
    with pytest.raises(UnsafePaymentAddress):
        check_payment_url(f"{TEST_SITE}?{GOOD}", portal_base_url=REAL)


@pytest.mark.parametrize(
    ("url", "test"),
    [
        (f"{TEST_SITE}?{GOOD}&saisie=T", True),
        (f"{PAYFIP}?{GOOD}&saisie=T", True),
        (f"{PAYFIP}?{GOOD}&saisie=X", False),
        (f"{PAYFIP}?{GOOD}&saisie=A", False),
        ("https://www.payfip.gouv.fr/tpa/paiementws.web?idop=abc", False),
    ],
)
def test_a_test_payment_is_known_as_one(url: str, test: bool) -> None:
    assert describe_payment(url).is_test is test


@pytest.mark.parametrize("cents", ["100", "2320", "999999"])
def test_amounts_within_url_modes_limits_can_be_paid(cents: str) -> None:
    check_payable(describe_payment(f"{PAYFIP}?numcli=012345&refdet=2018651&montant={cents}"))


@pytest.mark.parametrize(
    ("cents", "shown"), [("99", "0,99 €"), ("5", "0,05 €"), ("1000000", "10 000,00 €")]
)
def test_amounts_outside_url_modes_limits_cannot_be_paid_online(cents: str, shown: str) -> None:
    request = describe_payment(f"{PAYFIP}?numcli=012345&refdet=2018651&montant={cents}")
    with pytest.raises(NothingToDo) as caught:
        check_payable(request)
    message = str(caught.value)
    assert f"PayFiP cannot take {shown} online" in message
    assert "from 1,00 € to 9 999,99 €" in message
    assert "cheque at the trésorerie" in message  # what else to do


def test_web_service_mode_has_no_url_mode_limit() -> None:
    check_payable(describe_payment("https://www.payfip.gouv.fr/tpa/paiementws.web?idop=abc"))
