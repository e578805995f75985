"""Errors to messages, in ONE place for every screen.

A worker that fails hands its exception here; the screen shows the `Problem`'s message, and a
"Retry" button when trying again can help (the portal unreachable, in maintenance, a page that
did not look as expected). Nothing here ever shows a traceback or a password.
"""

from __future__ import annotations

import errno
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
from espace_tui.core.i18n import N_, _

Severity = Literal["information", "warning", "error"]

OS_REASONS: dict[int, str] = {
    code: words
    for name, words in (
        ("ENOENT", N_("the file or folder does not exist")),
        ("EACCES", N_("permission denied")),
        ("EPERM", N_("the system does not allow it")),
        ("ENOSPC", N_("the disk is full")),
        ("EDQUOT", N_("the disk quota is used up")),
        ("EROFS", N_("the disk is read-only")),
        ("EEXIST", N_("a file of that name already exists")),
        ("ENOTDIR", N_("a part of the path is not a folder")),
        ("EISDIR", N_("that is a folder, not a file")),
        ("ENAMETOOLONG", N_("the name is too long")),
        ("EIO", N_("the disk could not be read or written")),
    )
    if (code := getattr(errno, name, None)) is not None
}
"""The system's reasons in our words: the system writes them in its own language (English,
"No such file or directory"), whatever the screens speak."""


def os_reason(error: OSError) -> str:
    """Why a file operation failed, in the current language (the system's words when the
    reason is not one of `OS_REASONS`)."""
    words = OS_REASONS.get(error.errno or -1)
    return _(words) if words else error.strerror or type(error).__name__


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
        reason = os_reason(error)
        where = f" ({error.filename})" if error.filename else ""
        return Problem(_("Could not write the file: {reason}.").format(reason=reason) + where)
    # Anything else is a bug: say so plainly rather than crash the screen.
    return Problem(
        _("Something unexpected went wrong ({kind}).").format(kind=type(error).__name__),
        retry=True,
    )
