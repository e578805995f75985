"""What a front is given besides its portal: an opener, a password store, a settings store,
and the folders it shows to the user.

Each is a small Protocol, so tests pass fakes (an opener that records and answers "no browser")
and the real program passes the modules `launch`, `credentials` and `settings` of `local`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from espace_tui.local import locations, notify, settings

# `local.credentials` (the keyring: ~35 ms to import, more to find its backend) and
# `local.launch` (webbrowser) are imported when first used: a command given its password,
# or that opens nothing, never loads them.
from espace_tui.local.settings import Settings
from espace_tui.local.store import Store

__all__ = [
    "Settings",
    "Store",
    "can_notify",
    "default_download_dir",
    "desktop_notify",
    "log_file",
    "open_store",
]


def default_download_dir() -> Path:
    """The user's downloads folder (the home folder when the system names none)."""
    return locations.default_download_dir()


def open_store() -> Store:
    """The local store of what was read (the user's cache folder)."""
    return Store()


def can_notify() -> bool:
    """Whether a desktop notification can be shown here."""
    return notify.can_notify()


def desktop_notify(title: str, body: str) -> bool:
    """Show a desktop notification; False when none could be shown."""
    return notify.notify(title, body)


def log_file() -> Path:
    """The log of unexpected errors, in the state folder."""
    return locations.log_file()


class Opener(Protocol):
    """Opens an address in the user's browser, or a file in its viewer."""

    def open_url(self, url: str) -> bool:
        """True when a browser took the address; False when nothing can open it here."""
        ...

    def open_file(self, path: Path) -> bool:
        """True when a viewer took the file; False when nothing can open it here."""
        ...


class Credentials(Protocol):
    """The OS keyring, as `espace_tui.local.credentials` offers it. Every call is bounded in
    time: each call raises `KeyringUnavailable` (`KeyringTimeout`) when it does not answer."""

    def keyring_available(self) -> bool: ...

    def get_password(self, base_url: str, username: str) -> str | None: ...

    def store_password(self, base_url: str, username: str, password: str) -> None:
        """Raises `KeyringUnavailable` when nothing can be stored here."""
        ...

    def forget_password(self, base_url: str, username: str) -> bool: ...

    def backend_name(self) -> str:
        """A short name of the keyring, for messages (e.g. `SecretService Keyring`)."""
        ...


class SettingsStore(Protocol):
    """The remembered portal and username (never a password)."""

    def load(self, warn: Callable[[str], None] | None = None) -> Settings:
        """The remembered settings; a broken file is ignored (told to `warn` when given)."""
        ...

    def remember(self, portal: str, username: str) -> None: ...

    def remember_display(self, *, theme: str | None = None, language: str | None = None) -> None:
        """Keep the theme or the language chosen on the screens, for the next run."""
        ...


class SystemOpener:
    """The real opener: `espace_tui.local.launch` (False where no browser or viewer exists)."""

    def open_url(self, url: str) -> bool:
        from espace_tui.local import launch

        return launch.open_url(url)

    def can_open_url(self) -> bool:
        """Whether a browser can be shown from here at all (no display over SSH: no), so the
        payment screen says beforehand what will happen. Optional for other openers."""
        from espace_tui.local import launch

        return launch.can_open_graphically(honour_browser_variable=True)

    def open_file(self, path: Path) -> bool:
        from espace_tui.local import launch

        return launch.open_file(path)


class KeyringCredentials:
    """The real password store: the OS keyring through `espace_tui.local.credentials`."""

    def keyring_available(self) -> bool:
        from espace_tui.local import credentials

        return credentials.keyring_available()

    def get_password(self, base_url: str, username: str) -> str | None:
        from espace_tui.local import credentials

        return credentials.get_password(base_url, username)

    def store_password(self, base_url: str, username: str, password: str) -> None:
        from espace_tui.local import credentials

        credentials.store_password(base_url, username, password)

    def forget_password(self, base_url: str, username: str) -> bool:
        from espace_tui.local import credentials

        return credentials.forget_password(base_url, username)

    def backend_name(self) -> str:
        from espace_tui.local import credentials

        return credentials.backend_name()


class FileSettings:
    """The real settings store: the JSON file of `espace_tui.local.settings`."""

    def load(self, warn: Callable[[str], None] | None = None) -> Settings:
        # Without `warn` (the TUI has no stderr to warn on) a broken file is ignored silently.
        return settings.load_settings(warn=warn or (lambda _message: None))

    def remember(self, portal: str, username: str) -> None:
        settings.remember(portal, username)

    def remember_display(self, *, theme: str | None = None, language: str | None = None) -> None:
        settings.remember_display(theme=theme, language=language)
