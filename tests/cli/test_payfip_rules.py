"""PayFiP's rules (SITE.md §7), as the user meets them on the command line: a test payment is
said to be one, the test site takes nothing else, an amount PayFiP cannot take online is
explained with what else to do, a malformed address is refused (exit 6), and an invoice sent to
the Trésor Public shows the two numbers to pay it without the portal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import Run
from support.other_portal import BILLS, PASSWORD, PAYFIP_NUMCLI, USERNAME, OtherPortal, payfip_url

TREASURY = BILLS[2]  # 1044, "Facture transmise au Trésor Public", payable online
MUSIC = BILLS[5]  # 77, 1 234,50 €, unpaid


@pytest.fixture
def other(monkeypatch: pytest.MonkeyPatch) -> Iterator[OtherPortal]:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD)
    portal = OtherPortal()
    portal.start()
    yield portal
    portal.stop()


def args(other: OtherPortal) -> list[str]:
    return ["--portal", other.base_url, "--username", USERNAME]


# --- test payments ----------------------------------------------------------------------------


def test_a_test_payment_is_said_to_be_one(run: Run, other: OtherPortal) -> None:
    other.payfip_overrides = {"saisie": "T"}
    code, out, err = run(*args(other), "pay", MUSIC.number)
    assert code == 0
    assert "saisie=T" in out
    assert "TEST payment" in err and "no real payment is made" in err


def test_the_test_site_is_accepted_for_a_test_payment(run: Run, other: OtherPortal) -> None:
    other.payfip_host = "www.tipi-client.budget.gouv.fr"
    other.payfip_overrides = {"saisie": "T"}
    code, out, err = run(*args(other), "pay", MUSIC.number)
    assert code == 0
    assert out.startswith("https://www.tipi-client.budget.gouv.fr/tpa/paiement.web?")
    assert "TEST payment" in err


def test_a_real_payment_is_not_called_a_test(run: Run, other: OtherPortal) -> None:
    code, _out, err = run(*args(other), "pay", MUSIC.number)
    assert code == 0 and "TEST" not in err


@pytest.mark.parametrize("saisie", ["X", "A"])
def test_the_test_site_refuses_anything_but_a_test_payment(
    run: Run, other: OtherPortal, saisie: str
) -> None:
    other.payfip_host = "www.tipi-client.budget.gouv.fr"
    other.payfip_overrides = {"saisie": saisie}
    code, out, err = run(*args(other), "pay", MUSIC.number)
    assert (code, out) == (6, "")
    assert "test payments only (saisie=T)" in err


# --- amounts ----------------------------------------------------------------------------------


def test_an_amount_above_url_modes_limit_cannot_be_paid_online(
    run: Run, other: OtherPortal
) -> None:
    other.payfip_url_mode_only = True  # 1042, 12 345,60 €, in URL mode
    code, out, err = run(*args(other), "pay", "1042")
    assert (code, out) == (1, "")
    assert "PayFiP cannot take 12 345,60 € online" in err
    assert "from 1,00 € to 9 999,99 €" in err
    assert "cheque at the trésorerie" in err


def test_an_amount_below_one_euro_cannot_be_paid_online(run: Run, other: OtherPortal) -> None:
    other.payfip_overrides = {"montant": "50"}
    code, _out, err = run(*args(other), "pay", MUSIC.number)
    assert code == 1 and "PayFiP cannot take 0,50 € online" in err


# --- malformed addresses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"numcli": "4512"}, "numcli"),
        ({"numcli": "004512X"}, "numcli"),
        ({"refdet": "77"}, "refdet"),
        ({"refdet": "2026-000077"}, "refdet"),
        ({"refdet": "R" * 31}, "refdet"),
    ],
)
def test_a_malformed_payment_address_is_refused(
    run: Run, other: OtherPortal, overrides: dict[str, str], reason: str
) -> None:
    other.payfip_overrides = overrides
    code, out, err = run(*args(other), "pay", MUSIC.number)
    assert (code, out) == (6, "")
    assert "not a well-formed PayFiP address" in err and reason in err


# --- paying without the portal ----------------------------------------------------------------


def test_show_gives_a_treasury_invoices_numbers_and_how_to_pay_without_the_portal(
    run: Run, other: OtherPortal
) -> None:
    code, out, _err = run(*args(other), "show", TREASURY.number)
    assert code == 0
    assert PAYFIP_NUMCLI in out and TREASURY.refdet in out
    assert "www.payfip.gouv.fr" in out and "approved tobacconist" in out
    assert "espace-tui pay" in out.splitlines()[-1]  # what to do stays the last line
    payer = [s.path for s in other.seen if "PayerFacture" in s.path]
    assert len(payer) == 1 and TREASURY.id in payer[0]  # asked for this invoice only


def test_show_json_gives_the_treasury_numbers(run: Run, other: OtherPortal) -> None:
    code, out, _err = run(*args(other), "show", TREASURY.number, "--json")
    assert code == 0
    treasury = json.loads(out)["treasury"]
    assert (treasury["numcli"], treasury["refdet"]) == (PAYFIP_NUMCLI, TREASURY.refdet)
    assert "approved tobacconist" in treasury["advice"]


def test_an_invoice_not_sent_to_the_treasury_has_no_numbers(run: Run, other: OtherPortal) -> None:
    code, out, _err = run(*args(other), "show", MUSIC.number, "--json")
    assert code == 0 and json.loads(out)["treasury"] is None
    assert not [s for s in other.seen if "PayerFacture" in s.path]


def test_the_demo_seed_invoice_shows_its_numbers(run: Run, mock_portal: Any) -> None:
    seed = mock_portal.invoice("318204")
    code, out, _err = run(
        "--portal",
        mock_portal.base_url,
        "--username",
        "demo",
        "--password-stdin",
        "show",
        "651",
        stdin="demo",
    )
    assert code == 0
    assert seed.regie.numcli in out and seed.refdet in out


def test_the_payment_address_is_exactly_the_portals(run: Run, other: OtherPortal) -> None:
    code, out, _err = run(*args(other), "pay", MUSIC.number)
    assert code == 0 and out == payfip_url(MUSIC) + "\n"
