"""Errors to messages, in ONE place for every screen.

A worker that fails hands its exception here; the screen shows the `Problem`'s message, and a
"Retry" button when trying again can help (the portal unreachable, in maintenance, a page that
did not look as expected). Nothing here ever shows a traceback or a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from espace_tui.core.errors import (
    EspaceError,
    KeyringUnavailable,
    LoginRefused,
    Maintenance,
    NothingToDo,
    PageError,
    PortalUnreachable,
    SessionExpired,
)
from espace_tui.core.i18n import _

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Problem:
    """What the user is told about a failure."""

    message: str
    retry: bool = False
    """Whether trying the same thing again may work (offer a Retry action)."""
    severity: Severity = "error"
    """How Textual's notifications show it."""


def problem_for(error: BaseException) -> Problem:
    """The message (and whether to offer a retry) for any exception a worker raised."""
    if isinstance(error, LoginRefused):
        return Problem(error.message)
    if isinstance(error, Maintenance):
        return Problem(error.message, retry=True, severity="warning")
    if isinstance(error, PortalUnreachable | SessionExpired):
        return Problem(error.message, retry=True)
    if isinstance(error, PageError):
        return Problem(
            error.message + " " + _("espace-tui may need an update if this goes on."), retry=True
        )
    if isinstance(error, NothingToDo | KeyringUnavailable):
        return Problem(error.message, severity="warning")
    if isinstance(error, EspaceError):  # ConfigError, SafetyRefused, PasswordUnavailable…
        return Problem(error.message)
    if isinstance(error, OSError):
        reason = error.strerror or type(error).__name__
        where = f" ({error.filename})" if error.filename else ""
        return Problem(_("Could not write the file: {reason}.").format(reason=reason) + where)
    # Anything else is a bug: say so plainly rather than crash the screen.
    return Problem(
        _("Something unexpected went wrong ({kind}).").format(kind=type(error).__name__),
        retry=True,
    )
