"""The invoices table lines up in a terminal whatever the site writes: decomposed accents (no
cell), wide characters and emoji (two cells) keep every column where its heading is."""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal

from rich.cells import cell_len

from conftest import Run
from espace_tui.core.model import Invoice, InvoiceDetail, Regie
from support.fake_portal import FakePortal

BASE = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
REGIE = Regie("1", "RESTAURATION SCOLAIRE")
LABELS = [
    "Septembre 2026",
    "Cantine 🍎🥖 Octobre",  # emoji: two cells each
    "給食 十一月",  # wide characters: two cells each
    "Cours de guarani g\u0303",  # a mark with no precomposed letter: no cell of its own
    "Se\u0301jour d'e\u0301te\u0301",  # decomposed accents
]


def bill(index: int, label: str) -> Invoice:
    row = Invoice(
        id=f"90{index}",
        number=f"65{index}",
        label=label,
        regie=REGIE,
        row_amount=Decimal("23.20"),
        row_status_label="Non payée 🙂" if index == 2 else "Non payée",
    )
    return row.with_detail(
        InvoiceDetail(
            id=row.id,
            total=Decimal("23.20") * (10**index),
            remaining=Decimal("23.20"),
            status_label=row.row_status_label,
            issued_on=date(2026, 9, 1),
            due_on=date(2099, 12, 31),
        )
    )


def factory(base_url: str) -> FakePortal:
    return FakePortal(base_url, [bill(i, label) for i, label in enumerate(LABELS)])


def screen_column(line: str, text: str) -> int:
    """The terminal cell where `text` starts on `line`."""
    return cell_len(line[: line.index(text)])


def test_every_column_starts_where_its_heading_does(run: Run) -> None:
    code, out, _err = run(
        "--portal", BASE, "--username", "u", "--password-stdin", "invoices",
        stdin="secret\n", portal_factory=factory,
    )  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    header = next(line for line in lines if "Number" in line and "Period" in line)
    rows = [line for line in lines if line.startswith("  65")]
    assert len(rows) == len(LABELS)
    issued = screen_column(header, "Issued")
    state = screen_column(header, "State")
    for row in rows:
        assert screen_column(row, "01/09/2026") == issued, row
        assert screen_column(row, "Non payée") == state, row
    # The amounts are right-aligned: they all end on the same cell.
    ends = {screen_column(row, "Non payée") for row in rows}
    assert len(ends) == 1


def test_the_site_words_are_shown_as_written(run: Run) -> None:
    code, out, _err = run(
        "--portal", BASE, "--username", "u", "--password-stdin", "invoices",
        stdin="secret\n", portal_factory=factory,
    )  # fmt: skip
    assert code == 0
    shown = unicodedata.normalize("NFC", out)
    for label in LABELS:
        assert unicodedata.normalize("NFC", label) in shown
