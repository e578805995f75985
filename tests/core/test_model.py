"""The invoice states of SITE.md, mapped from the site's words and never guessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from espace_tui.core.model import (
    Invoice,
    InvoiceDetail,
    PaymentMode,
    Status,
    payment_mode_from_words,
    status_from_words,
)


@pytest.mark.parametrize(
    ("words", "status"),
    [
        ("Payée", Status.PAID),
        ("PAYEE", Status.PAID),
        ("  Soldée ", Status.PAID),
        ("Réglée", Status.PAID),
        ("Non payée", Status.UNPAID),
        ("non   PAYÉE", Status.UNPAID),
        ("À régler", Status.UNPAID),
        ("A regler", Status.UNPAID),
        ("En attente de paiement", Status.UNPAID),
        ("Transmise au Trésor Public", Status.TREASURY),
        ("Facture transmise au\n Trésor\u00a0Public", Status.TREASURY),
        ("Prélèvement automatique", Status.DIRECT_DEBIT),
        ("Prélevée", Status.DIRECT_DEBIT),
        ("En cours de prélèvement", Status.DIRECT_DEBIT),
        ("En contentieux", Status.UNKNOWN),
        ("Payée partiellement", Status.UNKNOWN),
        ("", Status.UNKNOWN),
        (None, Status.UNKNOWN),
    ],
)
def test_state_words_map_to_the_five_states(words: str | None, status: Status) -> None:
    assert status_from_words(words) is status


def test_payment_modes() -> None:
    assert payment_mode_from_words("Prélèvement automatique") is PaymentMode.DIRECT_DEBIT
    assert payment_mode_from_words("Chèque à la trésorerie") is PaymentMode.CHEQUE
    assert payment_mode_from_words("Paiement en ligne") is PaymentMode.ONLINE
    assert payment_mode_from_words("Espèces") is PaymentMode.UNKNOWN


def test_the_detail_page_wins_over_the_row_and_overdue_needs_a_state_to_pay() -> None:
    row = Invoice(
        id="10651",
        number="651",
        label="Septembre 2018",
        row_amount=Decimal("23.20"),
        row_status_label="Transmise au Trésor Public",
    )
    assert row.status is Status.TREASURY
    assert row.due_on is None and not row.is_overdue(date(2030, 1, 1))
    detail = InvoiceDetail(
        id="10651",
        due_on=date(2018, 11, 5),
        total=Decimal("23.20"),
        status_label="Facture transmise au Trésor Public",
        payable_online=True,
    )
    full = row.with_detail(detail)
    assert full.status_label == "Facture transmise au Trésor Public"
    assert full.remaining == Decimal("23.20")
    assert full.is_overdue(date(2018, 11, 6))
    assert not full.is_overdue(date(2018, 11, 5))
    paid = row.with_detail(InvoiceDetail(id="10651", status_label="Payée", due_on=date(2018, 1, 1)))
    assert paid.remaining == Decimal("0.00")
    assert not paid.is_overdue(date(2030, 1, 1))
