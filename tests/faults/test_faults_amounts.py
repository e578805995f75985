"""An amount of 27 digits is not a bill a family gets but a page that is wrong: the command
says which page (exit 5), never "Unexpected error"."""

from __future__ import annotations

import pytest

from conftest import Run
from support.hostile_portal import BILLS, account, assert_no_controls, assert_plain_failure, serve


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
def test_huge_amount_in_the_list_names_the_list(
    run: Run,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    json_flag: list[str],
) -> None:
    portal = serve(request, monkeypatch, huge_amount="list")
    code, out, err = run(*account(portal), "invoices", *json_flag)
    assert code == 5, err
    assert "MonCompte" in err
    assert_plain_failure(err)
    assert_no_controls(out, err)


@pytest.mark.parametrize(
    "argv",
    [["show", BILLS[0].id], ["invoices"], ["invoices", "--json"]],
    ids=["show", "invoices", "invoices-json"],
)
def test_huge_total_in_a_detail_names_the_detail(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    portal = serve(request, monkeypatch, huge_amount="detail")
    code, out, err = run(*account(portal), *argv)
    assert code == 5, err
    assert "MonCompte/DetailFacture" in err
    assert_plain_failure(err)
    assert_no_controls(out, err)
