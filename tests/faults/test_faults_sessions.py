"""A portal that ends the session every few requests (answering, in turn, HTTP 500, a redirect
to the login page and a 200 login page) while it also answers 503 to every Mth request: a
correct client renews the session each time, repeats what failed, and still lists every
invoice with its detail and saves every PDF, without a storm of logins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Run
from support.hostile_portal import (
    BILLS,
    PAYER,
    account,
    assert_no_controls,
    entries,
    pdf_bytes,
    serve,
)

RUNS = 5


def expected_invoice(bill_index: int) -> dict[str, str]:
    bill = BILLS[bill_index]
    return {
        "id": bill.id,
        "number": bill.number,
        "payer": PAYER,
        "issued_on": bill.issued.isoformat(),
        "due_on": bill.due.isoformat(),
        "amount": f"{bill.cents // 100}.{bill.cents % 100:02d}",
    }


@pytest.mark.parametrize(
    ("expire_every", "errors_503_every"), [(2, 4), (3, 5)], ids=["K2-M4", "K3-M5"]
)
def test_invoices_with_details_survive_endings_and_503s(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    expire_every: int,
    errors_503_every: int,
) -> None:
    portal = serve(
        request, monkeypatch, expire_every=expire_every, errors_503_every=errors_503_every
    )
    expected = [expected_invoice(index) for index in range(len(BILLS))]
    for attempt in range(RUNS):
        logins_before, served_before = portal.logins, portal.pages_served
        code, out, err = run(*account(portal), "invoices", "--json")
        assert code == 0, f"run {attempt + 1}: {err}"
        assert_no_controls(out, err)
        data = json.loads(out)
        assert [{key: item[key] for key in expected[0]} for item in data] == expected
        logins = portal.logins - logins_before
        served = portal.pages_served - served_before
        assert 1 <= logins <= served, f"run {attempt + 1}: {logins} logins for {served} pages"
    # The portal did misbehave all along (the test tests something).
    assert portal.endings >= RUNS
    assert portal.errors_503 >= RUNS


def test_download_all_survives_endings_and_503s(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    portal = serve(request, monkeypatch, expire_every=2, errors_503_every=4)
    folder = tmp_path / "Factures"
    code, out, err = run(*account(portal), "download", "--all", "-o", str(folder))
    assert code == 0, err
    assert_no_controls(out, err)
    printed = [Path(line) for line in out.splitlines() if line.strip()]
    assert sorted(path.name for path in printed) == sorted(bill.filename for bill in BILLS)
    assert entries(folder) == {bill.filename for bill in BILLS}
    for bill in BILLS:
        assert (folder / bill.filename).read_bytes() == pdf_bytes(bill)
    assert portal.logins <= portal.pages_served
    assert portal.endings > 0
