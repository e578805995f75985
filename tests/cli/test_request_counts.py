"""What each command asks the portal, counted at the mock: nothing more than the command
needs, and never more than 6 requests at once (issue 11's contract; counts, never times)."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import Run

LOGIN = {"Home/AccueilPublic": 1, "Home/Logon": 1}
"""A login with the public home's form: the home (for its token), then the form posted."""
IN_FLIGHT = 6


@pytest.fixture
def account(make_mock: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    """An account of 30 invoices answering after 30 ms (so that requests overlap), with the
    password in the environment as a script gives it."""
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    mock = make_mock(invoices=30, latency_ms=30)
    return mock, ["--portal", mock.base_url, "--username", "demo"]


def asked(mock: Any, since: Counter[str]) -> dict[str, int]:
    """The requests the mock served since `since`, by path. The log-off's answer is not
    awaited by the client: the mock may still be reading it when the command returns."""
    deadline = time.monotonic() + 5
    stats = mock.stats
    while time.monotonic() < deadline and (
        stats.in_flight
        or stats.requests_by_path["Home/LogOff"] < stats.requests_by_path["Home/Logon"]
    ):
        time.sleep(0.01)
    now = Counter(mock.stats.requests_by_path)
    now.subtract(since)
    return {path: count for path, count in now.items() if count}


def test_the_first_listing_asks_the_list_and_each_detail_once(
    run: Run, account: tuple[Any, list[str]]
) -> None:
    mock, options = account
    code, out, _err = run(*options, "invoices", "--json")
    assert code == 0 and len(json.loads(out)) == 30
    assert asked(mock, Counter()) == {
        **LOGIN,
        "MonCompte": 1,
        "MonCompte/DetailFacture": 30,
        "Home/LogOff": 1,
    }
    assert 1 < mock.stats.max_in_flight <= IN_FLIGHT


def test_the_second_listing_asks_only_the_details_still_to_pay(
    run: Run, account: tuple[Any, list[str]]
) -> None:
    mock, options = account
    code, out, _err = run(*options, "invoices", "--json")
    first = json.loads(out)
    to_pay = [i["id"] for i in first if i["status"] in ("unpaid", "treasury")]
    assert 0 < len(to_pay) < len(first)
    before = Counter(mock.stats.requests_by_path)
    code, out, _err = run(*options, "invoices", "--json")
    assert code == 0 and json.loads(out) == first  # the same answer, mostly from the store
    assert asked(mock, before) == {
        **LOGIN,
        "MonCompte": 1,
        "MonCompte/DetailFacture": len(to_pay),
        "Home/LogOff": 1,
    }


def test_download_all_asks_the_list_once_and_each_pdf_once(
    run: Run, account: tuple[Any, list[str]], tmp_path: Path
) -> None:
    mock, options = account
    folder = tmp_path / "pdfs"
    code, out, _err = run(*options, "download", "--all", "--output", str(folder))
    assert code == 0
    assert len(out.splitlines()) == 30 == len(list(folder.glob("*.pdf")))
    assert asked(mock, Counter()) == {
        **LOGIN,
        "MonCompte": 1,
        "MonCompte/TelechargerPdfFacture": 30,
        "Home/LogOff": 1,
    }
    assert 1 < mock.stats.max_in_flight <= IN_FLIGHT


def test_pay_asks_the_list_the_detail_and_the_payment_address_once(
    run: Run, account: tuple[Any, list[str]]
) -> None:
    mock, options = account
    payable = next(i for i in mock.invoices() if i.payable_online)
    code, out, _err = run(*options, "pay", payable.id)
    assert code == 0 and "paiement.web?" in out  # the mock's PayFiP stand-in, on loopback
    assert asked(mock, Counter()) == {
        **LOGIN,
        "MonCompte": 1,
        "MonCompte/DetailFacture": 1,
        "MonCompte/PayerFacture": 1,
        "Home/LogOff": 1,
    }
