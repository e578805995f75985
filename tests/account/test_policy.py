"""The policy both fronts share: which invoices the list shows, what is owed (the dashboard,
the list's footer and the commands say the same), and the advice sentence."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from espace_tui.account.owed import by_regie, owed
from espace_tui.account.query import SORT_KEYS, InvoiceQuery, apply, next_sort
from espace_tui.core.advice import advice
from espace_tui.core.model import Invoice, InvoiceDetail, Regie

TODAY = date(2025, 3, 14)
SCHOOL, LEISURE = Regie("1", "RESTAURATION SCOLAIRE"), Regie("2", "ACCUEIL DE LOISIRS")


def invoice(
    number: str,
    words: str,
    amount: str,
    due: date | None,
    regie: Regie = SCHOOL,
    *,
    remaining: str | None = None,
    online: bool = False,
    mode: str | None = None,
) -> Invoice:
    row = Invoice(
        id=f"9{number}",
        number=number,
        label="Mars 2025",
        regie=regie,
        row_issued_on=date(2025, 1, int(number) % 28 + 1),
        row_amount=Decimal(amount),
        row_status_label=words,
    )
    detail = InvoiceDetail(
        id=row.id,
        due_on=due,
        total=Decimal(amount),
        remaining=Decimal(remaining) if remaining else None,
        status_label=words,
        payable_online=online,
        payment_mode_label=mode,
    )
    return row.with_detail(detail)


INVOICES = [
    invoice("12", "Payée", "10.00", date(2025, 1, 1)),
    invoice("3", "Non payée", "20.00", date(2025, 3, 1), online=True),
    invoice("7", "Transmise au Trésor Public", "30.00", date(2025, 4, 2), LEISURE, remaining="5"),
    invoice("5", "À régler", "40.00", None, LEISURE),
    invoice("9", "Prélevée", "50.00", date(2025, 5, 1)),
]


def numbers(invoices: list[Invoice]) -> list[str | None]:
    return [i.number for i in invoices]


def test_the_text_filter_ignores_case_accents_and_order_of_words() -> None:
    assert numbers(apply(INVOICES, InvoiceQuery(text="A REGLER"))) == ["5"]
    assert numbers(apply(INVOICES, InvoiceQuery(text="loisirs trésor"))) == ["7"]
    assert numbers(apply(INVOICES, InvoiceQuery(text="30,00 €"))) == ["7"]
    assert apply(INVOICES, InvoiceQuery(text="nothing like it")) == []


def test_to_pay_only_and_regie_combine() -> None:
    assert numbers(apply(INVOICES, InvoiceQuery(to_pay_only=True))) == ["3", "7", "5"]
    query = InvoiceQuery(to_pay_only=True, regie="ACCUEIL DE LOISIRS")
    assert numbers(apply(INVOICES, query)) == ["7", "5"]


def test_sorting_is_numeric_for_numbers_and_puts_unknown_values_last() -> None:
    assert numbers(apply(INVOICES, InvoiceQuery(sort="number"))) == ["3", "5", "7", "9", "12"]
    by_due = numbers(apply(INVOICES, InvoiceQuery(sort="due")))
    assert by_due == ["12", "3", "7", "9", "5"]
    assert numbers(apply(INVOICES, InvoiceQuery(sort="due", reverse=True)))[-1] == "5"
    assert numbers(apply(INVOICES, InvoiceQuery(sort="amount", reverse=True)))[0] == "9"


def test_s_goes_through_every_column_then_back_to_the_sites_order() -> None:
    seen, current = [], next_sort(None)
    while current is not None:
        seen.append(current)
        current = next_sort(current)
    assert tuple(seen) == SORT_KEYS


def test_owed_counts_unpaid_and_treasury_with_the_amount_still_due() -> None:
    summary = owed(INVOICES, TODAY)
    assert summary.count == 3
    assert summary.total == Decimal("65.00")  # 20 + 5 still due + 40
    assert summary.overdue == 1  # invoice 3, due on 01/03
    assert summary.next_due == date(2025, 4, 2)


def test_one_line_per_regie_in_the_sites_order() -> None:
    lines = by_regie(INVOICES)
    assert [(r.name, r.count, r.to_pay_count, r.to_pay) for r in lines] == [
        ("RESTAURATION SCOLAIRE", 3, 1, Decimal("20.00")),
        ("ACCUEIL DE LOISIRS", 2, 2, Decimal("45.00")),
    ]


@pytest.mark.parametrize(
    ("words", "online", "mode", "expected"),
    [
        ("Payée", False, None, "Already paid: nothing to do."),
        ("Prélevée", False, None, "Paid by direct debit: nothing to do."),
        (
            "Transmise au Trésor Public",
            True,
            None,
            "Transmitted to the Trésor Public. To pay before 01/04/2025. "
            "Pay it on PayFiP with the key p, or by cheque at the trésorerie.",
        ),
        (
            "Transmise au Trésor Public",
            False,
            None,
            "Transmitted to the Trésor Public. To pay before 01/04/2025. "
            "Pay it by cheque at the trésorerie.",
        ),
        (
            "Non payée",
            True,
            None,
            "To pay before 01/04/2025. Pay it online on PayFiP with the key p.",
        ),
        ("Non payée", False, "Chèque à la trésorerie", "Pay it by cheque at the trésorerie."),
        ("Non payée", False, "Prélèvement automatique", "will be paid by direct debit"),
        ("Non payée", False, None, "no online payment"),
        ("En litige", False, None, "does not know (En litige): check it on the site"),
    ],
)
def test_the_advice_says_what_to_do(
    words: str, online: bool, mode: str | None, expected: str
) -> None:
    subject = invoice("1", words, "10.00", date(2025, 4, 1), online=online, mode=mode)
    assert expected in advice(subject, TODAY, pay_online="with the key p")


def test_an_overdue_invoice_is_told_so() -> None:
    late = invoice("1", "Non payée", "10.00", date(2025, 3, 1), online=True)
    assert advice(late, TODAY, pay_online="with the key p").startswith(
        "The due date (01/03/2025) has passed: pay it now."
    )


def test_a_direct_debit_under_way_is_told_as_such_not_as_nothing_to_do() -> None:
    under_way = invoice(
        "1", "En cours de prélèvement", "15.30", date(2025, 4, 1), remaining="15.30"
    )
    words = advice(under_way, TODAY, pay_online="with the key p")
    assert words.startswith("A direct debit of 15,30\u00a0€ is under way")
    assert "nothing to do" not in words
    done = invoice("2", "Prélevée", "15.30", date(2025, 4, 1), remaining="0.00")
    assert advice(done, TODAY, pay_online="p") == "Paid by direct debit: nothing to do."
