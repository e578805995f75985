"""The command line's own words are never cut up by the password: with a two-letter password,
the refusal and the network failure read as written, and only an unexpected error's text (on
stderr and in the log) has the password blanked out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from espace_tui.local import locations

Run = Callable[..., tuple[int, str, str]]


def test_a_refused_login_with_the_password_mot_reads_as_the_site_wrote_it(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "mot")
    code, out, err = run("--portal", mock_portal.base_url, "--username", "demo", "invoices")
    assert code == 3 and out == ""
    assert "Identifiant ou mot de passe incorrect." in err
    assert "********" not in err


def test_a_network_failure_with_the_password_on_says_la_connexion_a_echoue(
    run: Run, make_mock: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = make_mock()
    base_url = portal.base_url
    portal.stop()
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "on")
    code, _out, err = run("--lang", "fr", "--portal", base_url, "--username", "demo", "invoices")
    assert code == 4
    assert "la connexion a échoué" in err
    assert "********" not in err


def test_an_unexpected_error_still_blanks_a_short_password_but_not_inside_words(
    run: Run, mock_portal: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(base_url: str) -> Any:
        raise RuntimeError("connexion lost, password=on")

    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "on")
    argv = ("--portal", mock_portal.base_url, "--username", "demo", "invoices")
    code, _out, err = run(*argv, portal_factory=broken)
    assert code == 1
    assert "connexion lost, password=********" in err
    log = locations.log_file().read_text(encoding="utf-8")
    assert "RuntimeError" in log and "password=on" not in log
