"""Every command logs in the way the portal serves it (SITE.md §1-2: the public home's form;
§2b: a "Se connecter" button, the modal `Home/RecupererModaleConnexion` and `Home/LogonAjax`),
on the bundled mock and on the independent portal: the same output, the same exit 3 with the
site's own words, and a session that ends is renewed the same way."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import Run
from espace_tui.core.formats import format_money
from espace_tui.mock import Faults
from support.other_portal import LOCKED_USERNAME, PASSWORD, USERNAME, OtherPortal
from support.portals import LOGIN_VARIANTS, PortalUnderTest, start_variant


@pytest.fixture(params=LOGIN_VARIANTS, ids=lambda v: f"{v[0]}-{v[1]}")
def variant(
    request: pytest.FixtureRequest,
    make_mock: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[PortalUnderTest]:
    kind, login = request.param
    portal, stop = start_variant(kind, login, make_mock)
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", portal.password)
    try:
        yield portal
    finally:
        stop()


def start_args(other: OtherPortal) -> tuple[list[str], str]:
    """The options and the password for the independent portal's account."""
    return ["--portal", other.base_url, "--username", USERNAME], PASSWORD


def posted(portal: PortalUnderTest) -> list[str]:
    """The login addresses the client posted to, in order."""
    if isinstance(portal.server, OtherPortal):
        return [s.path.rsplit("/", 1)[-1] for s in portal.server.seen if s.method == "POST"]
    counts = portal.server.stats.requests_by_path
    return [
        p.rsplit("/", 1)[-1]
        for p in ("Home/Logon", "Home/RecupererModaleConnexion", "Home/LogonAjax")
        for _ in range(counts[p])
    ]


def test_invoices_json_is_the_same_whichever_login(run: Run, variant: PortalUnderTest) -> None:
    code, out, err = run(*variant.args(), "invoices", "--json")
    assert (code, err) == (0, "")
    listed = {i["id"]: i for i in json.loads(out)}
    assert sorted(listed) == sorted(t.id for t in variant.invoices)
    for truth in variant.invoices:
        assert Decimal(listed[truth.id]["amount"]) == truth.amount


def test_the_login_is_the_one_the_portal_serves(
    run: Run, variant: PortalUnderTest, request: pytest.FixtureRequest
) -> None:
    code, _out, _err = run(*variant.args(), "invoices")
    assert code == 0
    login = request.node.callspec.params["variant"][1]
    if login == "form":
        assert posted(variant) == ["Logon"]
    else:
        # The password goes to LogonAjax only, never to a form the home does not hold.
        assert posted(variant) == ["RecupererModaleConnexion", "LogonAjax"]


def test_the_table_ends_with_what_is_owed(run: Run, variant: PortalUnderTest) -> None:
    code, out, _err = run(*variant.args(), "invoices")
    total, count = variant.owed()
    assert code == 0
    noun = "invoice" if count == 1 else "invoices"
    assert out.rstrip().endswith(f"Still to pay: {format_money(total)} on {count} {noun}.")


def test_show_download_and_pay_work_whichever_login(
    run: Run, variant: PortalUnderTest, tmp_path: Path
) -> None:
    truth = variant.payable()
    code, out, _err = run(*variant.args(), "show", truth.id, "--json")
    assert code == 0 and json.loads(out)["id"] == truth.id
    code, out, _err = run(*variant.args(), "download", truth.id, "-o", str(tmp_path))
    assert code == 0 and Path(out.strip()).read_bytes().startswith(b"%PDF-")
    code, out, err = run(*variant.args(), "pay", truth.id)
    assert code == 0 and "/tpa/paiement" in out and f"Invoice {truth.number}" in err


def test_a_wrong_password_gets_the_sites_words_and_exit_3(
    run: Run, variant: PortalUnderTest
) -> None:
    code, out, err = run(*variant.args(), "--password-stdin", "invoices", stdin="wrong\n")
    assert (code, out) == (3, "")
    assert variant.refusal in err
    assert "wrong" not in err


def test_a_locked_account_gets_the_sites_words(run: Run, variant: PortalUnderTest) -> None:
    locked = LOCKED_USERNAME if variant.name == "independent" else "verrouille"
    code, _out, err = run("--portal", variant.base_url, "--username", locked, "invoices")
    assert code == 3
    assert "verrouillé" in err


def test_login_checks_and_keeps_the_password(run: Run, variant: PortalUnderTest) -> None:
    code, _out, err = run(*variant.args(), "--password-stdin", "login", stdin=variant.password)
    assert code == 0, err


@pytest.mark.parametrize("every", [1, 2, 3])
def test_an_ended_session_is_renewed_with_the_ajax_login(
    run: Run, make_mock: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, every: int
) -> None:
    # The mock's sessions end every few requests, in each of SITE.md's three ways.
    mock = make_mock(login="ajax", faults=Faults(expire_every=every + 2))
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    code, out, err = run("--portal", mock.base_url, "--username", "demo", "invoices", "--json")
    assert (code, err) == (0, "")
    assert len(json.loads(out)) == len(mock.invoices())
    stats = mock.stats
    assert stats.logins > 1 and stats.requests_by_path["Home/Logon"] == 0
    assert stats.requests_by_path["Home/LogonAjax"] == stats.logins


@pytest.mark.parametrize("form", ["500", "redirect", "redirect_home", "login_page"])
def test_the_independent_portal_renews_an_ajax_session(
    run: Run, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    other = OtherPortal(login="ajax", expire_after=3, expiry_form=form)
    other.start()
    try:
        args, password = start_args(other)
        monkeypatch.setenv("ESPACE_TUI_PASSWORD", password)
        code, _out, err = run(*args, "invoices", "--json")
    finally:
        other.stop()
    assert (code, err) == (0, "")
    assert other.expired >= 1 and other.logins == 2
    assert [s.path.rsplit("/", 1)[-1] for s in other.seen if s.method == "POST"] == [
        "RecupererModaleConnexion",
        "LogonAjax",
    ] * 2


# --- The public home is asked for at Home/AccueilPublic (SITE.md §1) ---------------------------


def test_the_login_page_is_read_from_accueil_public(run: Run, variant: PortalUnderTest) -> None:
    code, _out, _err = run(*variant.args(), "invoices")
    assert code == 0
    if isinstance(variant.server, OtherPortal):
        gets = [s.path for s in variant.server.seen if s.method == "GET"]
        assert gets[0].endswith("/espace-citoyens/Home/AccueilPublic")
    else:
        stats = variant.server.stats.requests_by_path
        assert stats["Home/AccueilPublic"] == 1 and stats[""] == 0


def test_the_base_url_is_the_fallback_for_the_public_home(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = OtherPortal(home_at_base_only=True)
    other.start()
    try:
        args, password = start_args(other)
        monkeypatch.setenv("ESPACE_TUI_PASSWORD", password)
        code, out, err = run(*args, "invoices", "--json")
    finally:
        other.stop()
    assert (code, err) == (0, "")
    assert json.loads(out)
    gets = [s.path.split("/espace-citoyens/")[-1] for s in other.seen if s.method == "GET"]
    assert gets[:2] == ["Home/AccueilPublic", ""]
