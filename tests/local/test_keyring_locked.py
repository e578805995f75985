"""A keyring that is there but locked, with no way to ask for its password here (a Secret
Service whose collection is locked and no display for its prompt), is said to be locked, with
what to do — never "no keyring"."""

from __future__ import annotations

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend

from conftest import Run
from espace_tui.local import credentials
from espace_tui.local.credentials import KeyringLocked

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"


class LockedKeyring(KeyringBackend):
    """What keyring's SecretService backend raises on a locked collection, or on one it could
    not create because the prompt was dismissed."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


LOCKED = [
    keyring.errors.KeyringLocked("Failed to unlock the collection!"),
    keyring.errors.InitError("Failed to create the collection: Prompt dismissed.."),
]


@pytest.fixture(params=LOCKED, ids=["locked collection", "prompt dismissed"])
def locked(request: pytest.FixtureRequest) -> None:
    keyring.set_keyring(LockedKeyring(request.param))


@pytest.mark.usefixtures("locked")
def test_every_keyring_call_says_it_is_locked() -> None:
    for call in (
        credentials.keyring_available,
        lambda: credentials.get_password(PORTAL, "jean"),
        lambda: credentials.forget_password(PORTAL, "jean"),
        lambda: credentials.store_password(PORTAL, "jean", "s3cret"),
    ):
        with pytest.raises(KeyringLocked) as raised:
            call()
        assert "The system keyring is locked" in raised.value.message
        assert "gnome-keyring-daemon --unlock" in raised.value.message
        assert "s3cret" not in raised.value.message


@pytest.mark.usefixtures("locked")
def test_login_on_a_locked_keyring_logs_in_and_says_what_to_do(
    run: Run, mock_portal: object
) -> None:
    portal = mock_portal.base_url  # type: ignore[attr-defined]
    login = ("--portal", portal, "--username", "demo", "--password-stdin", "login")
    code, _out, err = run(*login, stdin="demo\n")
    assert code == 0
    assert "Logged in as demo on ecouflant." in err
    assert "The system keyring is locked" in err
    assert "No system keyring is available" not in err

    code, _out, err = run("logout")
    assert code == 2
    assert "The system keyring is locked" in err
