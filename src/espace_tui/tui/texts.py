"""Words more than one screen says."""

from __future__ import annotations

from espace_tui.core.i18n import ngettext


def loading_text(done: int, total: int) -> str:
    """Said while a long list's details are still coming (due dates may be missing)."""
    return ngettext(
        "Loading the details: {done} of {total} invoice…",
        "Loading the details: {done} of {total} invoices…",
        total,
    ).format(done=done, total=total)
