"""What the command line hands to the interactive screen (no Textual here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The choices made on the command line, the environment and the remembered settings."""

    portal: str | None
    """The portal's base URL (after `urls.base_url_for`); None: the screen asks for it."""
    username: str | None
    """The username to log in with; None: the screen asks for it."""
    password: str | None
    """Only in memory: the demo's password or `ESPACE_TUI_PASSWORD`. None: the screen looks in
    the keyring (`credentials.get_password`) and then asks."""
    download_dir: Path
    """Where PDFs are saved (`--download-dir`, else the user's downloads folder)."""
    language: str
    """`fr` or `en`, already applied with `i18n.set_language`."""
    language_chosen: bool = False
    """`--lang` was given: it wins over the language remembered from the screens."""
    demo: bool = False
    """The portal is the bundled mock, started by the command line (its loopback PayFiP page
    may be opened; nothing is remembered)."""
    remember: bool = True
    """After a successful login, remember the portal and username (`settings.remember`) and
    offer to keep the password in the keyring (`credentials.store_password`). False in demo."""
    offline: bool = False
    """`--offline`: the screens show what the store holds for `portal` and `username`, without
    logging in; what needs the portal (refresh, save a PDF, pay) says so."""
