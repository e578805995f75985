"""Remembered choices: the portal and the username, in a small JSON file (never a password).

The file is written atomically (a temporary file in the same folder, then `os.replace`), so a
crash never leaves half a file. A missing file means nothing is remembered; a broken one is
ignored with a plain warning, never a crash.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from espace_tui.core.i18n import _
from espace_tui.local import locations


@dataclass(frozen=True, slots=True)
class Settings:
    """What espace-tui remembers between runs."""

    portal: str | None = None
    """The portal's base URL, as `urls.base_url_for` gives it."""
    username: str | None = None
    """The username used last on `portal`."""


def _warn_on_stderr(message: str) -> None:
    print(f"espace-tui: {message}", file=sys.stderr)


def load_settings(
    path: Path | None = None, *, warn: Callable[[str], None] = _warn_on_stderr
) -> Settings:
    """The remembered settings; empty when the file is missing, unreadable or broken
    (then `warn` is called once with a plain sentence)."""
    path = path or locations.settings_file()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        warn(
            _("The settings file {path} could not be read ({error}); it is ignored.").format(
                path=path, error=getattr(error, "strerror", None) or error
            )
        )
        return Settings()
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        warn(_("The settings file {path} is not valid; it is ignored.").format(path=path))
        return Settings()
    return Settings(portal=_text(data.get("portal")), username=_text(data.get("username")))


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically; returns the file's path. Raises OSError when the folder
    cannot be written."""
    path = path or locations.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"portal": settings.portal, "username": settings.username}
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def remember(portal: str, username: str, path: Path | None = None) -> Path:
    """Remember the portal and the username used for a successful login."""
    return save_settings(Settings(portal=portal, username=username), path)
