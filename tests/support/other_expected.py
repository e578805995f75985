"""What the client must read from the independent portal (support/other_portal.py), written out
by hand from the pages it serves: `invoices --json` must print exactly this."""

from __future__ import annotations

from datetime import date
from typing import Any

TODAY = date.today()


def overdue(due: str) -> bool:
    return date.fromisoformat(due) < TODAY


# What `invoices --json` must print, written out by hand from the pages the portal serves.
EXPECTED: list[dict[str, Any]] = [
    {
        "id": "9104217",
        "number": "1042",
        "label": "Novembre 2026",
        "regie": "PÉRISCOLAIRE & CANTINE",
        "payer": "Madame DUPRÉ-LE GALL Anne-Sophie",
        "issued_on": "2026-11-25",
        "due_on": "2026-12-31",
        "amount": "12345.60",
        "remaining": "12345.60",
        "status": "unpaid",
        "status_label": "À régler",
        "payment_mode": "online",
        "payment_mode_label": "Paiement en ligne (PayFiP)",
        "payable_online": True,
        "overdue": overdue("2026-12-31"),
    },
    {
        "id": "9104218",
        "number": "1043",
        "label": "Octobre 2026",
        "regie": "PÉRISCOLAIRE & CANTINE",
        "payer": "Madame DUPRÉ-LE GALL Anne-Sophie",
        "issued_on": "2026-10-31",
        "due_on": "2026-11-30",
        "amount": "87.15",
        "remaining": "0.00",
        "status": "paid",
        "status_label": "Payée",
        "payment_mode": "cheque",
        "payment_mode_label": "Chèque à la trésorerie",
        "payable_online": False,
        "overdue": False,
    },
    {
        # No remaining amount, no payment mode, no lines on its detail: unknown, not errors.
        "id": "9104219",
        "number": "1044",
        "label": "Septembre 2026",
        "regie": "PÉRISCOLAIRE & CANTINE",
        "payer": "Madame DUPRÉ-LE GALL Anne-Sophie",
        "issued_on": "2026-09-30",
        "due_on": "2026-10-31",
        "amount": "64.50",
        "remaining": "64.50",
        "status": "treasury",
        "status_label": "Facture transmise au Trésor Public",
        "payment_mode": "unknown",
        "payment_mode_label": None,
        "payable_online": True,
        "overdue": overdue("2026-10-31"),
    },
    {
        "id": "9104220",
        "number": "1045",
        "label": "Août 2026",
        "regie": "PÉRISCOLAIRE & CANTINE",
        "payer": "Madame DUPRÉ-LE GALL Anne-Sophie",
        "issued_on": "2026-08-31",
        "due_on": "2026-09-30",
        "amount": "1234.00",
        "remaining": "0.00",
        "status": "direct_debit",
        "status_label": "Prélevée",
        "payment_mode": "direct_debit",
        "payment_mode_label": "Prélèvement automatique",
        "payable_online": False,
        "overdue": False,
    },
    {
        "id": "9104221",
        "number": "1046",
        "label": "Juillet 2026",
        "regie": "PÉRISCOLAIRE & CANTINE",
        "payer": "Madame DUPRÉ-LE GALL Anne-Sophie",
        "issued_on": "2026-07-31",
        "due_on": "2026-08-31",
        "amount": "48.00",
        "remaining": "48.00",
        "status": "unknown",
        "status_label": "En contentieux",
        "payment_mode": "unknown",
        "payment_mode_label": "Titre exécutoire",
        "payable_online": False,
        "overdue": False,
    },
    {
        "id": "880031",
        "number": "77",
        "label": "3e trimestre 2026",
        "regie": "ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON)",
        "payer": "Monsieur DUPRÉ-LE GALL Yann",
        "issued_on": "2026-10-15",
        "due_on": "2026-11-15",
        "amount": "1234.50",
        "remaining": "1234.50",
        "status": "unpaid",
        "status_label": "Non payée",
        "payment_mode": "online",
        "payment_mode_label": "Paiement en ligne",
        "payable_online": True,
        "overdue": overdue("2026-11-15"),
    },
    {
        # An empty amount cell in the list; the detail gives the total. No payer on the detail.
        "id": "880032",
        "number": "78",
        "label": "2e trimestre 2026",
        "regie": "ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON)",
        "payer": None,
        "issued_on": "2026-07-15",
        "due_on": None,  # the span is there, empty
        "amount": "210.00",
        "remaining": "0.00",
        "status": "paid",
        "status_label": "Soldée",
        "payment_mode": "unknown",
        "payment_mode_label": None,
        "payable_online": False,
        "overdue": False,
    },
]
