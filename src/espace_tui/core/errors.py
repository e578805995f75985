"""The small, typed family of errors that the commands and the screens each map in one place.

Every error carries a message fit for the user (never a password, never a traceback) and the
exit code the commands use for it.
"""

from __future__ import annotations

from espace_tui.core.i18n import _


class EspaceError(Exception):
    """Base of every error espace-tui shows to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NothingToDo(EspaceError):
    """Exit 1: the request names nothing that can be done (unknown id, nothing payable online)."""

    exit_code = 1


class ConfigError(EspaceError):
    """Exit 2: usage or configuration (no portal given, an http portal that is not loopback…)."""

    exit_code = 2


class LoginRefused(EspaceError):
    """Exit 3: the site refused the login; the message is the site's own words."""

    exit_code = 3


class PasswordUnavailable(EspaceError):
    """Exit 3: no password could be found (no keyring entry, no stdin, no env, no terminal)."""

    exit_code = 3


class PortalUnreachable(EspaceError):
    """Exit 4: the portal could not be reached, or kept failing after the retries."""

    exit_code = 4


class PageError(EspaceError):
    """Exit 5: a page is not what SITE.md describes. Names the page (and the element)."""

    exit_code = 5

    def __init__(self, message: str, *, page: str, element: str | None = None) -> None:
        super().__init__(message)
        self.page = page
        self.element = element


class PageChanged(PageError):
    """A [seen] element is missing: the site's markup has changed."""

    def __init__(self, page: str, element: str) -> None:
        super().__init__(
            _("The page {page} has changed: {element} is missing.").format(
                page=page, element=element
            ),
            page=page,
            element=element,
        )


class ImplausibleValue(PageError):
    """A number or a date no family could owe or be billed on (an amount of 27 digits): the
    page is not what it should be, so nothing is shown from it."""

    def __init__(self, page: str, element: str, text: str) -> None:
        super().__init__(
            _("The page {page} shows a value that cannot be right in {element}: {text}").format(
                page=page, element=element, text=text[:60]
            ),
            page=page,
            element=element,
        )


class PageTooLarge(PageError):
    """A page or a file larger than any the portal serves: refused before it fills memory."""

    def __init__(self, page: str, limit: int) -> None:
        super().__init__(
            _("The page {page} is larger than {size} MB: it was refused.").format(
                page=page, size=limit // 1_000_000
            ),
            page=page,
        )


class Maintenance(PageError):
    """The portal answers with a maintenance page."""

    def __init__(self, page: str, text: str | None = None) -> None:
        if text:
            message = _("The portal is in maintenance: “{text}”").format(text=text)
        else:
            message = _("The portal is in maintenance: try again later.")
        super().__init__(message, page=page)


class BadRedirect(PageError):
    """A page redirects to an address that is not an address at all (`javascript:`, broken
    brackets): nothing is followed or opened."""

    def __init__(self, page: str) -> None:
        super().__init__(
            _("The page {page} redirects to an address that is not valid.").format(page=page),
            page=page,
            element="Location",
        )


class IncompletePdf(PortalUnreachable):
    """The PDF did not arrive whole (cut short, or not ending as a PDF ends): nothing saved."""


class SessionExpired(EspaceError):
    """Internal: the session has ended; the client logs in again once and retries."""

    exit_code = 4


class SafetyRefused(EspaceError):
    """Exit 6: refused for safety (a payment address off PayFiP, a body that is not a PDF)."""

    exit_code = 6


class UnsafePaymentAddress(SafetyRefused):
    """The payment address is not https on a PayFiP host (nor the demo mock's own page)."""


class NotAPdf(SafetyRefused):
    """The PDF download answered something that does not start with `%PDF-`."""


class KeyringUnavailable(EspaceError):
    """No working OS keyring on this machine (e.g. headless Linux): nothing is stored."""

    exit_code = 2
