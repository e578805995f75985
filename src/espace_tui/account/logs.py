"""The fronts' door to the log (`espace_tui.local.logs`): started once per run, stopped at
its end."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from espace_tui.local import logs


def start_logging(
    secrets: Sequence[str], *, verbosity: int = 0, console: IO[str] | None = None
) -> Path | None:
    """Log to the state folder's file (and to `console`); the file's path, or None when it
    cannot be written. See `espace_tui.local.logs.start`."""
    return logs.start(secrets, verbosity=verbosity, console=console)


def stop_logging() -> None:
    """Close the log file and detach the console."""
    logs.stop()
