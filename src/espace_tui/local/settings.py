"""Remembered choices: the portal, the username, the theme and the language, in a small JSON
file (never a password).

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from espace_tui.core.i18n import LANGUAGES, _
from espace_tui.local import locations


@dataclass(frozen=True, slots=True)
class Settings:
    """What espace-tui remembers between runs."""

    portal: str | None = None
    """The portal's base URL, as `urls.base_url_for` gives it."""
    username: str | None = None
    """The username used last on `portal`."""
    theme: str | None = None
    """The screens' theme chosen last (a Textual theme's name)."""
    language: str | None = None
    """The screens' language chosen last (`fr`, `en`); an option on the command line wins."""


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
    language = _text(data.get("language"))
    return Settings(
        portal=_text(data.get("portal")),
        username=_text(data.get("username")),
        theme=_text(data.get("theme")),
        language=language if language in LANGUAGES else None,
    )


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write the settings atomically; returns the file's path. Raises OSError when the folder
    cannot be written."""
    path = path or locations.settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, str | None] = {"portal": settings.portal, "username": settings.username}
    # The display choices are written once made, so a file of an older run keeps its shape.
    data.update(
        {k: v for k, v in (("theme", settings.theme), ("language", settings.language)) if v}
    )
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


def _quietly(_message: str) -> None:
    """A broken file is replaced by the next save: nothing to tell."""


def remember(portal: str, username: str, path: Path | None = None) -> Path:
    """Remember the portal and the username used for a successful login (the theme and the
    language remembered stay)."""
    current = load_settings(path, warn=_quietly)
    return save_settings(replace(current, portal=portal, username=username), path)


def remember_display(
    *, theme: str | None = None, language: str | None = None, path: Path | None = None
) -> Path:
    """Remember the theme or the language the user chose on the screens (the rest stays)."""
    current = load_settings(path, warn=_quietly)
    return save_settings(
        replace(current, theme=theme or current.theme, language=language or current.language),
        path,
    )
