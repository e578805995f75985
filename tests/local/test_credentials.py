"""The password in the OS keyring only; a machine without one is said so, never worked around."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import chainer, fail, null

from espace_tui.core.errors import KeyringUnavailable
from espace_tui.local import credentials

PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"


def test_store_read_and_forget_a_password() -> None:
    assert credentials.keyring_available()
    assert credentials.get_password(PORTAL, "jean") is None
    credentials.store_password(PORTAL, "jean", "s3cret")
    assert credentials.get_password(PORTAL, "jean") == "s3cret"
    # One entry per portal and username.
    assert keyring.get_keyring().store == {("espace-tui", f"jean@{PORTAL}"): "s3cret"}
    assert credentials.get_password(PORTAL, "marie") is None
    assert credentials.forget_password(PORTAL, "jean") is True
    assert credentials.get_password(PORTAL, "jean") is None
    assert credentials.forget_password(PORTAL, "jean") is False


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A backend that is there but cannot be reached (a Secret Service without D-Bus)."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        # Locked is another story (tests/local/test_keyring_locked.py): this one is not there.
        raise keyring.errors.InitError("Failed to connect to the D-Bus session bus")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("cannot store")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("cannot delete")


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), BrokenKeyring()],
    ids=["fail", "null", "unreachable"],
)
def test_no_usable_keyring_is_said_plainly(backend: keyring.backend.KeyringBackend) -> None:
    keyring.set_keyring(backend)
    assert not credentials.keyring_available()
    assert credentials.get_password(PORTAL, "jean") is None  # never raises for "no keyring"
    assert credentials.forget_password(PORTAL, "jean") is False
    with pytest.raises(KeyringUnavailable, match="No system keyring is available") as raised:
        credentials.store_password(PORTAL, "jean", "s3cret")
    assert "s3cret" not in str(raised.value)
    assert "keyrings.alt" not in str(raised.value)


def test_a_chainer_with_nothing_to_chain_is_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())
    assert not credentials.keyring_available()


def test_a_keyring_that_refuses_to_store_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    store = keyring.get_keyring()

    def refuse(service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError(f"refused {password}")

    monkeypatch.setattr(store, "set_password", refuse)
    with pytest.raises(KeyringUnavailable, match="refused to store") as raised:
        credentials.store_password(PORTAL, "jean", "s3cret")
    assert "s3cret" not in str(raised.value)
