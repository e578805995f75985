"""A keyring backend that never answers, as a locked Secret Service waiting for a prompt that
nobody sees."""

from __future__ import annotations

import threading

import keyring


class HangingKeyring(keyring.backend.KeyringBackend):
    """A backend whose every call blocks until the test ends; it counts the calls."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def _hang(self) -> None:
        self.calls += 1
        self.release.wait(30)

    def get_password(self, service: str, username: str) -> str | None:
        self._hang()
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self._hang()

    def delete_password(self, service: str, username: str) -> None:
        self._hang()
