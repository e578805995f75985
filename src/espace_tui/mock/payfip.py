"""PayFiP addresses as the portal builds them (SITE.md §7, URL mode).

The real portal's `MonCompte/PayerFacture` redirects to `https://www.payfip.gouv.fr/tpa/paiement.web`
with these parameters. The mock redirects to its own loopback page at the same path (demo mode),
or, with the `payment-wrong-host` fault, to a look-alike host that a client must refuse.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from urllib.parse import urlencode

from espace_tui.mock.data import MockInvoice

REAL_PAYFIP = "https://www.payfip.gouv.fr"
WRONG_HOST = "https://www.payfip.gouv.fr.example.com"
PATH = "/tpa/paiement.web"
SAISIE = "T"
"""`T`: test mode, since nothing is ever paid on the mock (production would be `X` or `A`)."""


RESULTS: dict[str, str] = {"payer": "P", "refuser": "R", "annuler": "A"}
"""The payer's choice on the loopback page → PayFiP's `resultrans` on the return address:
`P` paid, `R` refused (as a bank refuses a card), `A` cancelled (SITE.md §7)."""


def return_address(urlcl: str, result: dict[str, str]) -> str:
    """The return address (`urlcl`) with PayFiP's result parameters added."""
    return urlcl + ("&" if "?" in urlcl else "?") + urlencode(result)


def cents(amount: Decimal) -> str:
    """Decimal('23.20') → `2320` (PayFiP's `montant` is in integer cents)."""
    return str(int((amount * 100).to_integral_value()))


def objet(invoice: MockInvoice) -> str:
    """The payment's subject: letters, digits and spaces only (accents folded)."""
    bare = unicodedata.normalize("NFKD", f"Facture {invoice.number} {invoice.label}")
    ascii_text = bare.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9 ]+", " ", ascii_text).strip()[:100]


def parameters(invoice: MockInvoice, email: str, return_url: str) -> dict[str, str]:
    """numcli, exer, refdet, objet, montant, mel, urlcl, saisie for an invoice's amount due."""
    return {
        "numcli": invoice.regie.numcli,
        "exer": str(invoice.issued.year),
        "refdet": invoice.refdet,
        "objet": objet(invoice),
        "montant": cents(invoice.remaining),
        "mel": email,
        "urlcl": return_url,
        "saisie": SAISIE,
    }


def address(host_base: str, params: dict[str, str]) -> str:
    """`{host_base}/tpa/paiement.web?numcli=…`"""
    return f"{host_base.rstrip('/')}{PATH}?{urlencode(params)}"
