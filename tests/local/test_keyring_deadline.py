"""A keyring that never answers (a locked Secret Service waiting for a prompt nobody sees) is
given up on after a few seconds, and what the user gave explicitly never touches it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import keyring
import pytest

from conftest import Run
from espace_tui.local import credentials
from espace_tui.local.credentials import KeyringTimeout
from support.hanging_keyring import HangingKeyring

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"


@pytest.fixture
def hanging(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    monkeypatch.setattr(credentials, "TIMEOUT", 0.3)
    yield backend
    backend.release.set()


def test_every_keyring_call_has_a_deadline(hanging: HangingKeyring) -> None:
    started = time.monotonic()
    for call in (
        credentials.keyring_available,
        lambda: credentials.get_password(PORTAL, "jean"),
        lambda: credentials.forget_password(PORTAL, "jean"),
        lambda: credentials.store_password(PORTAL, "jean", "s3cret"),
    ):
        with pytest.raises(KeyringTimeout, match="did not answer") as raised:
            call()
        assert "s3cret" not in str(raised.value)
    assert time.monotonic() - started < 10  # four deadlines of 0.3 s, not four hangs


def test_a_password_in_the_environment_never_touches_the_keyring(
    run: Run, hanging: HangingKeyring, mock_portal: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    base = mock_portal.base_url  # type: ignore[attr-defined]
    code, out, err = run("--portal", base, "--username", "demo", "invoices")
    assert code == 0 and "Still to pay" in out
    assert hanging.calls == 0 and err == ""


def test_without_a_password_a_silent_keyring_is_said_so_and_skipped(
    run: Run, hanging: HangingKeyring, mock_portal: object
) -> None:
    base = mock_portal.base_url  # type: ignore[attr-defined]
    code, _out, err = run("--portal", base, "--username", "demo", "invoices")
    assert code == 3
    assert "The system keyring did not answer within 0.3 s" in err
    assert "No password" in err


def test_login_checks_the_password_and_says_the_keyring_kept_nothing(
    run: Run, hanging: HangingKeyring, mock_portal: object
) -> None:
    base = mock_portal.base_url  # type: ignore[attr-defined]
    code, _out, err = run(
        "--portal", base, "--username", "demo", "--password-stdin", "login", stdin="demo\n"
    )
    assert code == 0
    assert "Logged in as demo" in err and "did not answer" in err
    assert "kept in the system keyring" not in err


def test_logout_says_the_keyring_did_not_answer(run: Run, hanging: HangingKeyring) -> None:
    code, _out, err = run("--portal", PORTAL, "--username", "jean", "logout")
    assert code == 2 and "did not answer" in err
