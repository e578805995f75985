"""The checks on a payment address before anyone opens it, and what it asks to pay.

The portal answers "Payer la facture" with a redirect to PayFiP (SITE.md §7). espace-tui never
follows it itself: it opens the address in the user's browser, and only when it is https on one
of the two PayFiP hosts (or PayFiP's test host, for a test payment only), on one of its two
payment paths, with PayFiP's parameters in their form. The one exception is the bundled mock in
demo mode, whose own loopback PayFiP page may be opened.

PayFiP's rules (SITE.md §7): in URL mode `numcli` is 6 digits and `refdet` 6 to 30 letters and
digits (else the address is malformed: refused); `saisie=T` is a test payment, and the test host
`www.tipi-client.budget.gouv.fr` takes nothing else; `montant` is whole cents from 1 € to
9 999,99 € (`check_payable`: outside, PayFiP cannot take it online).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from espace_tui.core.errors import NothingToDo, UnsafePaymentAddress
from espace_tui.core.formats import clean_text, format_money, printable
from espace_tui.core.i18n import _
from espace_tui.portal.urls import is_loopback_host

PAYFIP_HOSTS = frozenset({"www.payfip.gouv.fr", "www.tipi.budget.gouv.fr"})
PAYFIP_TEST_HOST = "www.tipi-client.budget.gouv.fr"
"""The DGFiP's qualification site: it takes test payments (`saisie=T`) only."""
URL_MODE_PATH = "/tpa/paiement.web"
PAYFIP_PATHS = frozenset({URL_MODE_PATH, "/tpa/paiementws.web"})
MOCK_PAYFIP_PATH = "/tpa/paiement.web"
TEST_SAISIE = "T"
URL_MODE_MIN = Decimal("1.00")
URL_MODE_MAX = Decimal("9999.99")
"""What PayFiP takes in URL mode (SITE.md §7; 100 000 € in web-service mode)."""
_NUMCLI = re.compile(r"[0-9]{6}")
_REFDET = re.compile(r"[A-Za-z0-9]{6,30}")
_CENTS = re.compile(r"[0-9]{1,12}")
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

    @property
    def test_site(self) -> bool:
        """Whether the address is on PayFiP's test host (`www.tipi-client.budget.gouv.fr`)."""
        return (urlsplit(self.url).hostname or "").lower() == PAYFIP_TEST_HOST

    @property
    def is_test(self) -> bool:
        """A test payment (`saisie=T`, or PayFiP's test host): nothing is really paid, and it
        must never be presented as a real payment."""
        return self.saisie == TEST_SAISIE or self.test_site

    @property
    def url_mode(self) -> bool:
        """PayFiP's URL mode (`/tpa/paiement.web`, every parameter in the address)."""
        return urlsplit(self.url).path == URL_MODE_PATH


def _refuse(url: str, reason: str) -> UnsafePaymentAddress:
    return UnsafePaymentAddress(
        _(
            "The payment address was refused ({reason}): only https addresses on "
            "www.payfip.gouv.fr or www.tipi.budget.gouv.fr are opened. Address: {url}"
        ).format(reason=reason, url=printable(url[:200]))
    )


def _malformed(url: str, reason: str) -> UnsafePaymentAddress:
    return UnsafePaymentAddress(
        _(
            "The payment address was refused: it is not a well-formed PayFiP address "
            "({reason}). Nothing was opened. Address: {url}"
        ).format(reason=reason, url=printable(url[:200]))
    )


def _single(url: str, query: dict[str, list[str]], name: str) -> str | None:
    """A parameter given once (None when absent); twice is an address read two ways."""
    values = query.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise _malformed(url, _("{name} is given more than once").format(name=name))
    return values[0]


def _check_parameters(url: str, query_text: str, path: str, host: str) -> None:
    """PayFiP's own rules on its parameters (SITE.md §7), on a PayFiP host."""
    query = parse_qs(query_text, keep_blank_values=True)
    saisie = _single(url, query, "saisie")
    if host == PAYFIP_TEST_HOST and saisie != TEST_SAISIE:
        raise _malformed(
            url,
            _("PayFiP's test site takes test payments only (saisie=T), not saisie={saisie}").format(
                saisie=printable(saisie or "")[:20] or "?"
            ),
        )
    if path != URL_MODE_PATH:
        return
    numcli = _single(url, query, "numcli")
    if numcli is None or not _NUMCLI.fullmatch(numcli):
        raise _malformed(url, _("numcli, the collectivity's number, is not 6 digits"))
    refdet = _single(url, query, "refdet")
    if refdet is None or not _REFDET.fullmatch(refdet):
        raise _malformed(
            url, _("refdet, the invoice's reference, is not 6 to 30 letters and digits")
        )
    montant = _single(url, query, "montant")
    if montant is not None and not _CENTS.fullmatch(montant):
        raise _malformed(url, _("montant is not a whole number of cents"))


def check_payable(request: PaymentRequest) -> None:
    """Raise `NothingToDo`, saying why and what else to do, when PayFiP cannot take this
    payment online: in URL mode, an amount outside 1 € – 9 999,99 €."""
    amount = request.amount
    if not request.url_mode or amount is None or URL_MODE_MIN <= amount <= URL_MODE_MAX:
        return
    raise NothingToDo(
        _(
            "PayFiP cannot take {amount} online: it takes from {low} to {high} in one payment. "
            "Pay it by cheque at the trésorerie, or ask the régie how to pay it."
        ).format(
            amount=format_money(amount),
            low=format_money(URL_MODE_MIN),
            high=format_money(URL_MODE_MAX),
        )
    )


def _port(scheme: str, port: int | None) -> int | None:
    return port if port is not None else _DEFAULT_PORTS.get(scheme)


def check_payment_url(url: str, *, portal_base_url: str) -> str:
    """Return `url` when it is a PayFiP payment address that may be opened; else raise
    `UnsafePaymentAddress` with a message saying why.

    Safe: https, host exactly `www.payfip.gouv.fr` or `www.tipi.budget.gouv.fr` (or PayFiP's
    test host with `saisie=T`), no user name or password, the default port, path
    `/tpa/paiement.web` or `/tpa/paiementws.web`, and in URL mode a 6-digit `numcli`, a
    `refdet` of 6 to 30 letters and digits and a `montant` in whole cents.
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
    if host not in PAYFIP_HOSTS and host != PAYFIP_TEST_HOST:
        raise _refuse(url, _("host {host} is not PayFiP").format(host=host or "?"))
    if port not in (None, 443):
        raise _refuse(url, _("port {port} is not the default one").format(port=port))
    if parts.path not in PAYFIP_PATHS:
        raise _refuse(url, _("not a PayFiP payment page"))
    _check_parameters(url, parts.query, parts.path, host)
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
