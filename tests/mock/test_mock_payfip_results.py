"""The demo PayFiP page sends the payer back with each `resultrans` PayFiP uses: `P` paid,
`R` refused, `A` cancelled (SITE.md §7), and the portal's list words each case."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from espace_tui.core.model import Status
from espace_tui.mock import DEMO_PASSWORD, DEMO_USERNAME, MockPortal

SEED_ID = "318204"  # the help page's invoice 651


@pytest.fixture
def client(mock_portal: MockPortal) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=mock_portal.base_url, follow_redirects=False, timeout=10) as http:
        yield http


def logged_in(http: httpx.Client) -> None:
    """Log in as a browser does (the form's anti-forgery token), then visit MonCompte."""
    page = HTMLParser(http.get("Home/AccueilPublic").text)
    token = page.css_first('form input[name="__RequestVerificationToken"]')
    assert token is not None
    form = {
        "__RequestVerificationToken": str(token.attributes["value"]),
        "username": DEMO_USERNAME,
        "password": DEMO_PASSWORD,
    }
    assert http.post("Home/Logon", data=form).status_code == 302
    assert http.get("MonCompte").status_code == 200


def payfip_form(http: httpx.Client, invoice_id: str) -> dict[str, str]:
    """The fields of the demo PayFiP page's payment form for an invoice."""
    location = http.get(f"MonCompte/PayerFacture?IdFactureUnique={invoice_id}").headers["location"]
    form = HTMLParser(http.get(location).text).css_first("form#formPayer")
    assert form is not None
    return {str(i.attributes["name"]): str(i.attributes["value"]) for i in form.css("input")}


CASES = [  # refused and cancelled first: paying changes the invoice for good
    ("refuser", "R", "Le paiement a été refusé.", Status.TREASURY),
    ("annuler", "A", "Le paiement a été annulé.", Status.TREASURY),
    ("payer", "P", "Votre paiement a été accepté.", Status.PAID),
]


def test_the_return_address_carries_resultrans_and_the_list_words_each_case(
    mock_portal: MockPortal, client: httpx.Client
) -> None:
    logged_in(client)
    for choice, result, words, status in CASES:
        fields = payfip_form(client, SEED_ID)
        answer = client.post(
            mock_portal.root_url + "tpa/paiement.web", data={**fields, "choix": choice}
        )
        assert answer.status_code == 302, choice
        back = answer.headers["location"]
        assert parse_qs(urlsplit(back).query)["resultrans"] == [result]
        listing = HTMLParser(client.get(back).text)
        assert words in " ".join(listing.body.text().split())  # type: ignore[union-attr]
        assert mock_portal.invoice(SEED_ID).status is status
