"""A payment redirect that is not a PayFiP address, or not an address at all, is refused for
safety (exit 6) and never printed as the address to pay; a portal address that cannot be read
is a configuration error (exit 2)."""

from __future__ import annotations

import pytest

from conftest import Run
from support.hostile_portal import BILLS, account, assert_no_controls, assert_plain_failure, serve

PAYABLE = BILLS[0]


@pytest.mark.parametrize(
    "location",
    [
        "javascript:alert(1)",
        "https://[zz/x",
        "//evil.example/tpa/paiement.web?refdet=1",
        "https://www.payfip.gouv.fr:99999/tpa/paiement.web",
        "data:text/html,<script>alert(1)</script>",
    ],
    ids=["javascript", "broken-ipv6", "scheme-relative", "bad-port", "data"],
)
def test_a_payment_address_off_payfip_is_refused(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, location: str
) -> None:
    portal = serve(request, monkeypatch, pay_location=location)
    code, out, err = run(*account(portal), "pay", PAYABLE.id)
    assert code == 6, err
    assert out.strip() == "", "a refused address is not printed as the one to pay"
    assert_plain_failure(err)
    assert_no_controls(out, err)


def test_a_broken_portal_address_is_a_usage_error(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "secret")
    code, out, err = run(
        "--portal", "https://[zz/x/espace-citoyens/", "--username", "u", "invoices"
    )
    assert code == 2, err
    assert out.strip() == ""
    assert_plain_failure(err)
