"""A portal whose every text holds terminal escape sequences (clear screen, OSC 52 clipboard
write, window title, C1 CSI, right-to-left override) and Rich markup: what each command prints
holds none of the control characters, and the words themselves are kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import Run
from support.hostile_portal import (
    BILLS,
    FORBIDDEN,
    HOSTILE_VISIBLE,
    account,
    assert_no_controls,
    serve,
)

PAYABLE = BILLS[0]


def assert_kept(text: str) -> None:
    """The visible part of the hostile text is still there, its controls replaced by U+FFFD."""
    assert HOSTILE_VISIBLE in text, text
    assert "\ufffd[2J" in text, text


def strings(data: Any) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


@pytest.fixture
def hostile(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    return account(serve(request, monkeypatch, hostile_text=True))


def test_invoices_table_keeps_the_words_not_the_controls(run: Run, hostile: list[str]) -> None:
    code, out, err = run(*hostile, "invoices")
    assert code == 0, err
    assert_no_controls(out, err)
    assert_kept(out)


def test_invoices_json_is_valid_and_clean(run: Run, hostile: list[str]) -> None:
    code, out, err = run(*hostile, "invoices", "--json")
    assert code == 0, err
    assert_no_controls(out, err)
    data = json.loads(out)
    assert [item["id"] for item in data] == [bill.id for bill in BILLS]
    values = strings(data)
    # Not even as JSON escapes (`\u001b`), which a reader of the JSON would get back.
    assert not [value for value in values if FORBIDDEN.search(value)]
    for field in ("label", "regie", "payer", "status_label", "payment_mode_label"):
        assert HOSTILE_VISIBLE in (data[0][field] or ""), field


def test_show_keeps_the_words_not_the_controls(run: Run, hostile: list[str]) -> None:
    code, out, err = run(*hostile, "show", PAYABLE.id)
    assert code == 0, err
    assert_no_controls(out, err)
    assert_kept(out)


def test_show_json_is_valid_and_clean(run: Run, hostile: list[str]) -> None:
    code, out, err = run(*hostile, "show", PAYABLE.id, "--json")
    assert code == 0, err
    assert_no_controls(out, err)
    data = json.loads(out)
    assert data["id"] == PAYABLE.id
    assert not [value for value in strings(data) if FORBIDDEN.search(value)]
    assert HOSTILE_VISIBLE in data["payer"]
    assert data["lines"], data
    assert HOSTILE_VISIBLE in (data["lines"][0]["person"] or "")
    assert HOSTILE_VISIBLE in (data["lines"][0]["service"] or "")


def test_pay_prints_a_clean_address_and_clean_facts(run: Run, hostile: list[str]) -> None:
    code, out, err = run(*hostile, "pay", PAYABLE.id)
    assert code == 0, err
    assert_no_controls(out, err)
    assert out.strip().startswith("https://www.payfip.gouv.fr/tpa/paiement.web?")
    assert_kept(err)  # "Invoice 910451 X…[bold]Y[/]…": the number cell's words


def test_login_refusal_keeps_the_sites_words_not_the_controls(
    run: Run, hostile: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "not the password")
    code, out, err = run(*hostile, "invoices")
    assert code == 3, err
    assert_no_controls(out, err)
    assert "Identifiant ou mot de passe incorrect." in err
    assert_kept(err)


def test_maintenance_page_keeps_its_words_not_the_controls(
    run: Run, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = serve(request, monkeypatch, hostile_text=True, maintenance=True)
    code, out, err = run(*account(portal), "invoices")
    assert code == 5, err
    assert_no_controls(out, err)
    assert "maintenance" in err
    assert_kept(err)
