"""The hostile portal itself misbehaves as its knobs say (so that a fault test that passes
does not pass because the portal behaved): checked with plain httpx, not with espace-tui."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from support.hostile_portal import (
    BILLS,
    HOSTILE,
    PASSWORD,
    USERNAME,
    HostilePortal,
    Knobs,
    pdf_bytes,
)

BILL = BILLS[0]


@contextmanager
def logged_in(portal: HostilePortal) -> Iterator[httpx.Client]:
    """A client logged in the way SITE.md says (the public home's token, then the form)."""
    with httpx.Client(base_url=portal.base_url, follow_redirects=False, timeout=10) as client:
        yield log_in(client)


def log_in(client: httpx.Client) -> httpx.Client:
    home = client.get("Home/AccueilPublic")
    token = re.search(r'name="__RequestVerificationToken" type="hidden" value="([^"]+)"', home.text)
    assert token, home.text
    answer = client.post(
        "Home/Logon",
        data={
            "__RequestVerificationToken": token.group(1),
            "username": USERNAME,
            "password": PASSWORD,
        },
    )
    assert answer.status_code == 302, answer.text
    assert answer.headers["location"].endswith("/CompteCitoyen")
    return client


Start = Callable[..., HostilePortal]


@pytest.fixture
def start() -> Iterator[Start]:
    """`start(**knobs)`: a started portal, stopped at the test's teardown."""
    started: list[HostilePortal] = []

    def make(**knobs: Any) -> HostilePortal:
        portal = HostilePortal(Knobs(**knobs))
        portal.start()
        started.append(portal)
        return portal

    yield make
    for portal in started:
        portal.stop()


def test_a_well_behaved_portal_follows_site_md(start: Start) -> None:
    portal = start()
    with logged_in(portal) as client:
        assert client.get(
            "MonCompte/DetailFacture", params={"IdFactureUnique": BILL.id}
        ).is_redirect
        assert client.get("MonCompte").status_code == 200
        detail = client.get(
            "MonCompte/DetailFacture",
            params={"IdFactureUnique": BILL.id},
            headers={"X-Requested-With": "XMLHttpRequest"},
        )
        assert 'id="lnkPayerFacture"' in detail.text
        pdf = client.get("MonCompte/TelechargerPdfFacture", params={"IdFactureUnique": BILL.id})
        assert pdf.content.startswith(b"%PDF-1.4") and pdf.content.endswith(b"%%EOF\n")
        assert pdf.content == pdf_bytes(BILL)
        assert int(pdf.headers["content-length"]) == len(pdf.content)
        assert pdf.headers["content-disposition"] == f'attachment; filename="{BILL.filename}"'
        pay = client.get("MonCompte/PayerFacture", params={"IdFactureUnique": BILL.id})
        assert pay.status_code == 302
        assert pay.headers["location"].startswith("https://www.payfip.gouv.fr/tpa/paiement.web?")
        assert client.get("Home/LogOff").is_redirect
        assert client.get("MonCompte").status_code in (200, 302, 500)
    assert portal.logins == 1


def test_hostile_text_is_raw_in_the_pages(start: Start) -> None:
    portal = start(hostile_text=True)
    with logged_in(portal) as client:
        body = client.get("MonCompte").content
        assert HOSTILE.encode("utf-8") in body
        assert b"\x1b[2J" in body and b"\xc2\x9b31m" in body and "\u202e".encode() in body
        pay = client.get("MonCompte/PayerFacture", params={"IdFactureUnique": BILL.id})
        assert "%1b%5b2J%c2%9b" in pay.headers["location"]


def test_sessions_end_and_503s_come_as_asked(start: Start) -> None:
    portal = start(expire_every=2, errors_503_every=3)
    with logged_in(portal) as client:
        statuses = [client.get("MonCompte").status_code for _ in range(4)]
    # served, served, 503 (not counted), ended (HTTP 500 first)
    assert statuses == [200, 200, 503, 500]
    assert (portal.pages_served, portal.errors_503, portal.endings) == (2, 1, 1)


@pytest.mark.parametrize("knob", ["pdf_truncated", "pdf_no_eof", "pdf_fail_ids"])
def test_pdfs_fail_as_asked(start: Start, knob: str) -> None:
    value: object = frozenset({BILL.id}) if knob == "pdf_fail_ids" else BILL.id
    portal = start(**{knob: value})
    with logged_in(portal) as client:
        client.get("MonCompte")
        other = client.get("MonCompte/TelechargerPdfFacture", params={"IdFactureUnique": "3300012"})
        assert other.content.endswith(b"%%EOF\n")
        if knob == "pdf_truncated":
            with pytest.raises(httpx.RemoteProtocolError):
                client.get("MonCompte/TelechargerPdfFacture", params={"IdFactureUnique": BILL.id})
            return
        pdf = client.get("MonCompte/TelechargerPdfFacture", params={"IdFactureUnique": BILL.id})
        if knob == "pdf_no_eof":
            assert pdf.content.startswith(b"%PDF-") and b"%%EOF" not in pdf.content
        else:
            assert pdf.status_code == 502


def test_the_gzip_bomb_is_small_on_the_wire(start: Start) -> None:
    portal = start(gzip_bomb=True)
    with (
        logged_in(portal) as client,
        client.stream("GET", "MonCompte") as answer,
    ):
        assert answer.headers["content-encoding"] == "gzip"
        assert int(answer.headers["content-length"]) < 1_100_000
        inflated = 0
        for chunk in answer.iter_bytes():
            inflated += len(chunk)
            if inflated > 20_000_000:
                break
        assert inflated > 20_000_000


def test_the_portal_stops(start: Start) -> None:
    portal = start()
    url = portal.base_url
    portal.stop()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2)
