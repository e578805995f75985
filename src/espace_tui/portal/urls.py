"""The portal's addresses: the site's pages (one table, `Page`), a commune slug or a pasted URL
→ the base URL, and the loopback rules."""

from __future__ import annotations

import ipaddress
import re
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from espace_tui.core.errors import ConfigError
from espace_tui.core.i18n import _


class Page(StrEnum):
    """The site's pages, as woob's browser declares its URLs: each value is the path relative
    to the base URL (SITE.md), and also the page's name in every error that names a page."""

    HOME = "Home/AccueilPublic"
    LOGON = "Home/Logon"
    LOGIN_MODAL = "Home/RecupererModaleConnexion"
    LOGON_AJAX = "Home/LogonAjax"
    LOGOFF = "Home/LogOff"
    ACCOUNT = "CompteCitoyen"
    INVOICES = "MonCompte"
    DETAIL = "MonCompte/DetailFacture"
    PDF = "MonCompte/TelechargerPdfFacture"
    PAY = "MonCompte/PayerFacture"
    CALENDAR = "FichePersonne/DetailPersonneGetCalendrier"
    """A family member's planning, as JSON (SITE.md §8)."""


PORTAL_HOST = "www.espace-citoyens.net"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PATH = re.compile(r"^/([A-Za-z0-9-]+)/espace-citoyens(?:/|$)", re.IGNORECASE)


def is_loopback_host(host: str | None) -> bool:
    """127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_for(portal: str) -> str:
    """A commune slug (`ecouflant`) or a pasted portal URL → the base URL ending in
    `/{commune}/espace-citoyens/`. Raises `ConfigError` with a plain message otherwise."""
    text = portal.strip()
    if not text:
        raise ConfigError(_("No portal given: use --commune SLUG or --portal URL."))
    if "/" not in text and ":" not in text:
        slug = text.lower()
        if not SLUG.match(slug):
            raise ConfigError(
                _(
                    "'{text}' is not a commune name: lower-case letters, digits and hyphens only."
                ).format(text=text)
            )
        return f"https://{PORTAL_HOST}/{slug}/espace-citoyens/"
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        raise ConfigError(
            _(
                "'{portal}' is not a valid address. A portal's address looks like "
                "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
            ).format(portal=portal)
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise ConfigError(
            _("The portal address must start with https:// (got {scheme}://).").format(
                scheme=scheme
            )
        )
    if not parts.hostname:
        raise ConfigError(_("'{portal}' is not a portal address.").format(portal=portal))
    if scheme == "http" and not is_loopback_host(parts.hostname):
        raise ConfigError(
            _("Plain http:// is refused for a portal that is not on this machine: use https://.")
        )
    match = _PATH.match(parts.path)
    if not match:
        raise ConfigError(
            _(
                "'{portal}' is not an Espace Citoyens address: a portal's address ends in "
                "/COMMUNE/espace-citoyens/, for example "
                "https://www.espace-citoyens.net/ecouflant/espace-citoyens/ or "
                "https://monespace.ivry94.fr/ivry94/espace-citoyens/"
            ).format(portal=portal)
        )
    path = f"/{match.group(1).lower()}/espace-citoyens/"
    return urlunsplit((scheme, parts.netloc, path, "", ""))


def commune_of(base_url: str) -> str:
    """The commune slug of a base URL."""
    match = _PATH.match(urlsplit(base_url).path)
    return match.group(1).lower() if match else ""
