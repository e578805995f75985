"""What the app is given besides its portal: an opener, a password store, a settings store.

Each is a small Protocol, so tests pass fakes (an opener that records and answers "no browser")
and the real program passes the modules `launch`, `credentials` and `settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from espace_tui import credentials, launch, settings
from espace_tui.settings import Settings


class Opener(Protocol):
    """Opens an address in the user's browser, or a file in its viewer."""

    def open_url(self, url: str) -> bool:
        """True when a browser took the address; False when nothing can open it here."""
        ...

    def open_file(self, path: Path) -> bool:
        """True when a viewer took the file; False when nothing can open it here."""
        ...


class Credentials(Protocol):
    """The OS keyring, as `espace_tui.credentials` offers it."""

    def keyring_available(self) -> bool: ...

    def get_password(self, base_url: str, username: str) -> str | None: ...

    def store_password(self, base_url: str, username: str, password: str) -> None:
        """Raises `KeyringUnavailable` when nothing can be stored here."""
        ...

    def forget_password(self, base_url: str, username: str) -> bool: ...


class SettingsStore(Protocol):
    """The remembered portal and username (never a password)."""

    def load(self) -> Settings: ...

    def remember(self, portal: str, username: str) -> None: ...


class SystemOpener:
    """The real opener: `espace_tui.launch` (False where no browser or viewer exists)."""

    def open_url(self, url: str) -> bool:
        return launch.open_url(url)

    def open_file(self, path: Path) -> bool:
        return launch.open_file(path)


class KeyringCredentials:
    """The real password store: the OS keyring through `espace_tui.credentials`."""

    def keyring_available(self) -> bool:
        return credentials.keyring_available()

    def get_password(self, base_url: str, username: str) -> str | None:
        return credentials.get_password(base_url, username)

    def store_password(self, base_url: str, username: str, password: str) -> None:
        credentials.store_password(base_url, username, password)

    def forget_password(self, base_url: str, username: str) -> bool:
        return credentials.forget_password(base_url, username)


class FileSettings:
    """The real settings store: the JSON file of `espace_tui.settings`."""

    def load(self) -> Settings:
        # A broken file is ignored; the TUI has no stderr to warn on, so it stays silent.
        return settings.load_settings(warn=lambda _message: None)

    def remember(self, portal: str, username: str) -> None:
        settings.remember(portal, username)
