"""The password, kept in the OS keyring and nowhere else.

Service `espace-tui`, account `{username}@{base_url}` (one entry per portal and username).
Where no keyring backend works (a headless Linux box, keyring's `fail` or `null` backend, a
chainer with nothing to chain, a Secret Service that cannot be reached) nothing is stored:
the user is asked each time. There is deliberately no fallback to a file.

Every call to the keyring has a deadline (`TIMEOUT`): a Secret Service that never answers (a
locked collection waiting for a prompt nobody sees, a D-Bus that hangs) is given up on with
`KeyringTimeout`, and the program goes on without it. The call runs in a daemon thread, so a
keyring that never returns cannot keep the program from ending either.

A keyring that is there but locked, with no way to ask for its password (a Secret Service
daemon whose collection is locked or not yet created, and no display for its prompt), is
`KeyringLocked`: said as locked, with what to do, never as "no keyring".
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from espace_tui.core.errors import KeyringUnavailable
from espace_tui.core.i18n import _

SERVICE = "espace-tui"
_PROBE_ACCOUNT = "espace-tui-probe"
TIMEOUT = 3.0
"""Seconds a keyring call may take before the program goes on without the keyring."""

T = TypeVar("T")


class KeyringTimeout(KeyringUnavailable):
    """The keyring did not answer within `TIMEOUT` seconds."""

    def __init__(self) -> None:
        super().__init__(
            _("The system keyring did not answer within {seconds} s: going on without it.").format(
                seconds=f"{TIMEOUT:g}"
            )
        )


class KeyringLocked(KeyringUnavailable):
    """The keyring is there but locked, and could not ask for its password here."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The system keyring is locked and cannot ask for its password here: unlock it "
                "(log in to the desktop, or run 'gnome-keyring-daemon --unlock' and type the "
                "keyring's password), then try again."
            )
        )


_LOCKED_WORDS = ("locked", "unlock", "prompt dismissed", "create the collection")
"""What keyring's SecretService backend says when the collection is locked (`KeyringLocked`)
or its prompt could not be shown (`InitError: Failed to create the collection: Prompt
dismissed`, `Failed to unlock the collection!`)."""


def _is_locked(error: Exception) -> bool:
    if isinstance(error, keyring.errors.KeyringLocked):
        return True
    if isinstance(error, keyring.errors.KeyringError):
        text = str(error).lower()
        return any(word in text for word in _LOCKED_WORDS)
    return False


def _within_deadline(call: Callable[[], T]) -> T:
    """`call()` in a daemon thread, given up after `TIMEOUT` seconds (`KeyringTimeout`); its
    exception, if any, is raised here."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the caller's thread as it is
            failure.append(error)

    worker = threading.Thread(target=run, name="espace-tui-keyring", daemon=True)
    worker.start()
    worker.join(TIMEOUT)
    if worker.is_alive():
        raise KeyringTimeout
    if failure:
        raise failure[0]
    return outcome[0]


def account_name(base_url: str, username: str) -> str:
    """The keyring account of a username on a portal."""
    return f"{username}@{base_url}"


def _backend() -> KeyringBackend | None:
    """The active backend, or None when it is one that can store nothing."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is "no keyring", not a crash
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    return backend


def _available() -> bool:
    backend = _backend()
    if backend is None:
        return False
    try:
        backend.get_password(SERVICE, _PROBE_ACCOUNT)
    except Exception as error:  # NoKeyringError, D-Bus errors from the Secret Service…
        if _is_locked(error):
            raise KeyringLocked from None
        return False
    return True


def keyring_available() -> bool:
    """Whether a keyring backend can be used here (probed with a harmless read). Raises
    `KeyringTimeout` when the keyring does not answer in time, `KeyringLocked` when it is
    locked and cannot ask for its password."""
    return _within_deadline(_available)


def backend_name() -> str:
    """A short name of the active backend, for messages (e.g. `SecretService Keyring`)."""
    backend = _backend()
    return getattr(backend, "name", type(backend).__name__) if backend else ""


def get_password(base_url: str, username: str) -> str | None:
    """The stored password, or None when none is stored or no keyring works here. Raises
    `KeyringTimeout` when the keyring does not answer in time, `KeyringLocked` when it is
    locked."""

    def read() -> str | None:
        backend = _backend()
        if backend is None:
            return None
        try:
            password = backend.get_password(SERVICE, account_name(base_url, username))
        except Exception as error:  # an unreachable keyring: as if nothing were stored
            if _is_locked(error):
                raise KeyringLocked from None
            return None
        return password or None

    return _within_deadline(read)


def store_password(base_url: str, username: str, password: str) -> None:
    """Store the password in the keyring. Raises `KeyringUnavailable` with a plain message
    when no keyring works here or it refuses to store."""
    if not keyring_available():  # KeyringTimeout when it does not answer
        raise KeyringUnavailable(
            _(
                "No system keyring is available on this machine: the password was not stored; "
                "you will be asked each time."
            )
        )
    backend = _backend()
    assert backend is not None  # keyring_available() checked it
    try:
        _within_deadline(
            lambda: backend.set_password(SERVICE, account_name(base_url, username), password)
        )
    except KeyringTimeout:
        raise
    except Exception as error:  # the error's text never holds the password; its type is enough
        if _is_locked(error):
            raise KeyringLocked from None
        raise KeyringUnavailable(
            _("The system keyring refused to store the password ({reason}).").format(
                reason=type(error).__name__
            )
        ) from None


def forget_password(base_url: str, username: str) -> bool:
    """Delete the stored password; False when none was stored or no keyring works here.
    Raises `KeyringTimeout` when the keyring does not answer in time, `KeyringLocked` when it
    is locked."""

    def delete() -> bool:
        backend = _backend()
        if backend is None:
            return False
        try:
            backend.delete_password(SERVICE, account_name(base_url, username))
        except Exception as error:  # PasswordDeleteError (nothing stored), an unreachable keyring
            if _is_locked(error):
                raise KeyringLocked from None
            return False
        return True

    return _within_deadline(delete)
