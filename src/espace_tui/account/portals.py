"""What a front needs to know of the portal's addresses and of payment addresses, without
reaching into the client layer: the fronts ask this module, and it asks `portal`.

`real_portal` builds the real HTTP client; it is imported only when called, so `--help`,
`logout` and the first paint of the screens do not load httpx.
"""

from __future__ import annotations

from collections.abc import Callable

from espace_tui.portal.base import Portal
from espace_tui.portal.payment import PAYFIP_HOSTS, PaymentRequest, describe_payment
from espace_tui.portal.urls import PORTAL_HOST, SLUG, base_url_for, commune_of

__all__ = [
    "PAYFIP_HOSTS",
    "PORTAL_HOST",
    "SLUG",
    "PaymentRequest",
    "Portal",
    "PortalFactory",
    "base_url_for",
    "commune_of",
    "describe_payment",
    "prepare_connections",
    "real_portal",
]

PortalFactory = Callable[[str], Portal]
"""Builds a portal client for a base URL (the real one: `real_portal`). Both fronts are given
one, so their tests pass a client of their choice instead of patching."""


def prepare_connections() -> None:
    """Start making what connections to a portal need (the TLS context) in the background,
    for a command that will log in: it is then ready when the first request goes."""
    from espace_tui.portal import tls

    tls.prepare()


def real_portal(base_url: str) -> Portal:
    """The HTTP client of the real portal (or of a loopback mock) at `base_url`."""
    from espace_tui.portal.browser import EspaceCitoyensBrowser

    return EspaceCitoyensBrowser(base_url)
