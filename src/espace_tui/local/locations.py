"""Where espace-tui keeps its few files: tiny path functions over platformdirs.

Nothing is created here; the callers create a folder when they first write into it.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "espace-tui"


def config_dir() -> Path:
    """The folder of the settings file (e.g. `~/.config/espace-tui`)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def settings_file() -> Path:
    """The JSON file of remembered choices (portal, username; never a password)."""
    return config_dir() / "settings.json"


def state_dir() -> Path:
    """The folder of the log written when something unexpected happens."""
    return Path(platformdirs.user_state_dir(APP_NAME, appauthor=False))


def log_file() -> Path:
    """The log of unexpected errors (tracebacks, never a password)."""
    return state_dir() / "espace-tui.log"


def cache_dir() -> Path:
    """A folder for throw-away files (e.g. a PDF opened for viewing)."""
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def default_download_dir() -> Path:
    """The user's downloads folder; the home folder when the system names none."""
    try:
        folder = platformdirs.user_downloads_dir()
    except Exception:  # an odd platform or a broken user-dirs file must not stop a download
        folder = ""
    return Path(folder) if folder else Path.home()
