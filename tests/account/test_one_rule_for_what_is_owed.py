"""What is owed has one rule, and both fronts say it: an invoice sent to the Trésor Public with
0,00 € left, beside one unpaid invoice of 23,20 €, is one invoice to pay of 23,20 € on the
command line and on the dashboard alike."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from conftest import Run
from espace_tui.core.model import Invoice, InvoiceDetail, Regie
from support.fake_portal import FakePortal
from support.tui import SIZE, log_in, make_app, text

BASE = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
REGIE = Regie("1", "POST FACTURATION (ECOUFLANT)")


def bill(number: str, words: str, total: str, remaining: str) -> Invoice:
    row = Invoice(
        id=f"9{number}",
        number=number,
        label="Septembre 2026",
        regie=REGIE,
        row_amount=Decimal(total),
        row_status_label=words,
    )
    return row.with_detail(
        InvoiceDetail(
            id=row.id,
            total=Decimal(total),
            remaining=Decimal(remaining),
            status_label=words,
            due_on=date(2026, 12, 31),
        )
    )


INVOICES = [
    bill("651", "Transmise au Trésor Public", "23.20", "0.00"),
    bill("652", "Non payée", "23.20", "23.20"),
]


def factory(base_url: str) -> FakePortal:
    return FakePortal(base_url, INVOICES)


def test_the_command_line_counts_one_invoice(run: Run) -> None:
    code, out, _err = run(
        "--portal", BASE, "--username", "u", "--password-stdin", "invoices",
        stdin="secret\n", portal_factory=factory,
    )  # fmt: skip
    assert code == 0
    assert out.rstrip().endswith("Still to pay: 23,20 € on 1 invoice.")


async def test_the_dashboard_counts_the_same(tmp_path: Path) -> None:
    app = make_app(
        BASE, tmp_path, username="u", password="secret", demo=False, portal_factory=factory
    )
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        assert "To pay now: 23,20\u00a0€ (1 invoice)" in text(pilot, "#owed")
