"""Desktop notifications (freedesktop, through `notify-send`), where there is a desktop."""

from __future__ import annotations

import os
import shutil
import subprocess


def can_notify() -> bool:
    """Whether a desktop notification can be shown here (a session bus and notify-send)."""
    return (
        bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS")) and shutil.which("notify-send") is not None
    )


def notify(title: str, body: str) -> bool:
    """Show a notification; False when none can be shown here (or it failed), within 10 s."""
    program = shutil.which("notify-send")
    if program is None or not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False
    try:
        done = subprocess.run(
            [program, "--app-name=espace-tui", title, body],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0
