"""The bundled mock portal: a real HTTP server on loopback serving what SITE.md describes.

It is the demo (`espace-tui --demo`, `espace-tui mock-server`) and the test bench of the client:
login with its anti-forgery pair, dashboard, invoice list, detail fragments, PDFs, and PayFiP.
On the real site `MonCompte/PayerFacture` redirects to https://www.payfip.gouv.fr/tpa/paiement.web
with the same parameters; the mock redirects to its own loopback page at `/tpa/paiement.web`,
where "Payer" marks the invoice paid and "Annuler" does not.

Importing this package is cheap (standard library only); fpdf2 is imported when a PDF is made.
The client never imports it unless the mock is used.
"""

from espace_tui.mock.options import DEMO_COMMUNE, DEMO_PASSWORD, DEMO_USERNAME, Faults, MockOptions
from espace_tui.mock.server import MockPortal

__all__ = [
    "DEMO_COMMUNE",
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "Faults",
    "MockOptions",
    "MockPortal",
]
