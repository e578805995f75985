"""Opening an address or a file with the system's graphical browser or viewer.

Both functions answer False, without raising, where nothing graphical can open: a Linux/BSD
session with no display (unless BROWSER names a browser), an SSH session with no display, or a
system whose only browser runs in the terminal. Text browsers (lynx, w3m…) are never started:
they would take over the terminal espace-tui is drawn in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _over_ssh() -> bool:
    return bool(os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"))


def can_open_graphically(*, honour_browser_variable: bool = False) -> bool:
    """Whether a graphical program can be shown to the user from here."""
    if sys.platform == "win32":
        return True
    if _has_display():
        return True
    if _over_ssh():
        return False  # an SSH session without a forwarded display: the screen is elsewhere
    if sys.platform == "darwin":
        return True
    return honour_browser_variable and bool(os.environ.get("BROWSER"))


def _is_terminal_browser(controller: webbrowser.BaseBrowser) -> bool:
    """A browser that runs in the foreground of the terminal (lynx, w3m, links, elinks…)."""
    if isinstance(controller, webbrowser.BackgroundBrowser):
        return False
    if isinstance(controller, webbrowser.GenericBrowser):
        return True
    return isinstance(controller, webbrowser.UnixBrowser) and not controller.background


def open_url(url: str) -> bool:
    """Open `url` in the user's graphical browser; False when that cannot be done here."""
    if not can_open_graphically(honour_browser_variable=True):
        return False
    if not os.environ.get("BROWSER") and sys.platform not in ("win32", "darwin"):
        # With a display but no graphical browser installed, webbrowser falls back to a
        # console browser; ask first which one it would pick. (BROWSER is the user's choice.)
        try:
            controller = webbrowser.get()
        except webbrowser.Error:
            return False
        if _is_terminal_browser(controller):
            return False
    try:
        return bool(webbrowser.open(url))
    except Exception:  # a broken browser setup is "could not open", never a crash
        return False


def _file_opener() -> list[str] | None:
    if sys.platform == "darwin":
        return ["open"]
    opener = shutil.which("xdg-open")
    return [opener] if opener else None


def open_file(path: Path) -> bool:
    """Open `path` with the system's viewer (a PDF viewer for an invoice), without waiting for
    it; False when that cannot be done here."""
    if not can_open_graphically():
        return False
    if sys.platform == "win32":
        try:
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        except OSError:
            return False
        return True
    opener = _file_opener()
    if opener is None:
        return False
    try:
        subprocess.Popen(
            [*opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # the viewer outlives espace-tui and ignores its Ctrl+C
        )
    except OSError:
        return False
    return True
