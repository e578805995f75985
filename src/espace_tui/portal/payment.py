"""The checks on a payment address before anyone opens it, and what it asks to pay.

The portal answers "Payer la facture" with a redirect to PayFiP (SITE.md §7). espace-tui never
follows it itself: it opens the address in the user's browser, and only when it is https on one
of the two PayFiP hosts, on one of its two payment paths. The one exception is the bundled mock
in demo mode, whose own loopback PayFiP page may be opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from espace_tui.core.errors import UnsafePaymentAddress
from espace_tui.core.formats import clean_text, printable
from espace_tui.core.i18n import _
from espace_tui.portal.urls import is_loopback_host

PAYFIP_HOSTS = frozenset({"www.payfip.gouv.fr", "www.tipi.budget.gouv.fr"})
PAYFIP_PATHS = frozenset({"/tpa/paiement.web", "/tpa/paiementws.web"})
MOCK_PAYFIP_PATH = "/tpa/paiement.web"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """What a PayFiP address asks to pay (URL mode parameters), shown before paying.

    In web-service mode (`paiementws.web?idop=…`) the address holds only `idop`, so the other
    fields are None.
    """

    url: str
    numcli: str | None = None
    """The collectivity's PayFiP number (6 digits)."""
    exer: str | None = None
    """The year of the debt."""
    refdet: str | None = None
    """The debt's reference."""
    objet: str | None = None
    amount: Decimal | None = None
    """`montant` (integer cents) as euros, e.g. `2320` → Decimal('23.20')."""
    mel: str | None = None
    saisie: str | None = None
    """`T` test, `X`/`A` production, `M` manual, `W` web-service."""
    idop: str | None = None


def _refuse(url: str, reason: str) -> UnsafePaymentAddress:
    return UnsafePaymentAddress(
        _(
            "The payment address was refused ({reason}): only https addresses on "
            "www.payfip.gouv.fr or www.tipi.budget.gouv.fr are opened. Address: {url}"
        ).format(reason=reason, url=printable(url[:200]))
    )


def _port(scheme: str, port: int | None) -> int | None:
    return port if port is not None else _DEFAULT_PORTS.get(scheme)


def check_payment_url(url: str, *, portal_base_url: str) -> str:
    """Return `url` when it is a PayFiP payment address that may be opened; else raise
    `UnsafePaymentAddress` with a message saying why.

    Safe: https, host exactly `www.payfip.gouv.fr` or `www.tipi.budget.gouv.fr`, no user
    name or password, the default port, path `/tpa/paiement.web` or `/tpa/paiementws.web`.
    Also safe, only when the portal itself is on loopback (the bundled mock): the portal's own
    scheme, host and port with path `/tpa/paiement.web` (the mock's PayFiP page).
    """
    # Browsers read a backslash as a slash and drop control characters: an address holding
    # either could be read differently by them than by us.
    if any(ord(char) < 0x21 or char in "\\\x7f" for char in url):
        raise _refuse(url, _("it holds spaces, control characters or backslashes"))
    if not url.isascii():  # a real address is percent-encoded; C1 controls and look-alikes
        raise _refuse(url, _("it holds characters that are not plain ASCII"))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refuse(url, _("it is not a valid address")) from None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise _refuse(url, _("it holds a user name"))

    portal = urlsplit(portal_base_url)
    portal_scheme = portal.scheme.lower()
    if (
        is_loopback_host(portal.hostname)
        and scheme == portal_scheme
        and host == (portal.hostname or "").lower()
        and _port(scheme, port) == _port(portal_scheme, portal.port)
    ):
        if parts.path == MOCK_PAYFIP_PATH:
            return url
        raise _refuse(url, _("not the demo portal's payment page"))

    if scheme != "https":
        raise _refuse(url, _("not https"))
    if host not in PAYFIP_HOSTS:
        raise _refuse(url, _("host {host} is not PayFiP").format(host=host or "?"))
    if port not in (None, 443):
        raise _refuse(url, _("port {port} is not the default one").format(port=port))
    if parts.path not in PAYFIP_PATHS:
        raise _refuse(url, _("not a PayFiP payment page"))
    return url


def describe_payment(url: str) -> PaymentRequest:
    """The reference and amount a PayFiP address asks to pay, for showing before paying."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)

    def first(name: str) -> str | None:
        # Decoded from the address (`%1b` is ESC): the site's words, cleaned like the pages'.
        values = query.get(name)
        return clean_text(values[0]) if values else None

    cents = first("montant")
    amount = (
        (Decimal(cents) / 100).quantize(Decimal("0.01"))
        if cents and cents.isascii() and cents.isdigit()
        else None
    )
    return PaymentRequest(
        url=url,
        numcli=first("numcli"),
        exer=first("exer"),
        refdet=first("refdet"),
        objet=first("objet"),
        amount=amount,
        mel=first("mel"),
        saisie=first("saisie"),
        idop=first("idop"),
    )
