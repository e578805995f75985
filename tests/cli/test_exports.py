"""A parent's exports on the command line, over both portals: the invoices in a spreadsheet
(CSV read back with the standard library, French and neutral), the totals of `summary`, and the
yearly statement (JSON, text, a PDF read back) whose sums are those of the portal's invoices."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Run
from espace_tui.core.model import Invoice, InvoiceDetail, Regie
from support.fake_portal import FakePortal
from support.pdf_text import pdf_text
from support.portals import TO_PAY, PortalUnderTest

D = Decimal
ZERO = D("0.00")


@dataclass(frozen=True)
class Bill:
    """One invoice as the portal under test serves it, lines included (from its own data)."""

    id: str
    number: str
    regie: str
    issued: date
    amount: Decimal
    remaining: Decimal | None
    status: str
    lines: tuple[tuple[str | None, str, Decimal], ...]

    @property
    def settled(self) -> bool:
        """Paid, left to the bank's debit, or sent to the Trésor Public with nothing left."""
        return self.status in ("paid", "direct_debit") or (
            self.status in TO_PAY and self.remaining == 0
        )


def _euros(cell: str) -> Decimal:
    """`12&nbsp;291,00 €` → Decimal('12291.00'), read here without the client's parser."""
    text = re.sub(r"[^\d,-]", "", html.unescape(cell))
    return D(text.replace(",", "."))


def bills_of(portal: PortalUnderTest) -> list[Bill]:
    truth = {t.id: t for t in portal.invoices}
    if portal.name == "bundled":
        return [
            Bill(
                i.id,
                i.number,
                i.regie.name,
                i.issued,
                i.total,
                i.remaining,
                i.status.value,
                tuple((x.person, x.service, x.amount) for x in i.lines),
            )
            for i in portal.server.invoices()
        ]
    from support.other_portal import BILLS, REGIE_NAMES

    return [
        Bill(
            b.id,
            b.number,
            REGIE_NAMES[b.regie],
            b.issued,
            b.total,
            truth[b.id].remaining,
            truth[b.id].status,
            tuple((x.person or None, x.service, _euros(x.amount)) for x in b.lines or ()),
        )
        for b in BILLS
    ]


def busiest_settled_year(bills: list[Bill]) -> int:
    """The year with the most settled invoices: a statement with something in it."""
    return Counter(b.issued.year for b in bills if b.settled).most_common(1)[0][0]


# --- invoices --csv ------------------------------------------------------------------------------


def test_the_french_csv_opens_in_a_french_spreadsheet(run: Run, portal: PortalUnderTest) -> None:
    code, out, _err = run(*portal.args(), "invoices", "--csv")
    assert code == 0
    assert out.startswith("\ufeff")  # UTF-8 with a BOM: Excel reads the accents
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Régie", "Number", "Period"]
    bills = {b.number: b for b in bills_of(portal)}
    assert sorted(r[1] for r in body) == sorted(bills)
    for row in body:
        bill = bills[row[1]]
        assert row[0] == bill.regie
        assert row[3] == bill.issued.strftime("%d/%m/%Y")
        assert D(row[5].replace(",", ".")) == bill.amount  # decimal comma, no € nor spaces
        assert row[9] == bill.status
    owed_total, owed_count = portal.owed()
    to_pay = [D(r[7].replace(",", ".")) for r in body]
    assert sum(to_pay, ZERO) == owed_total and sum(1 for v in to_pay if v) == owed_count


def test_the_neutral_csv_is_for_scripts(run: Run, portal: PortalUnderTest) -> None:
    code, out, _err = run(*portal.args(), "invoices", "--csv-format", "neutral")
    assert code == 0 and not out.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(out)))
    bills = {b.number: b for b in bills_of(portal)}
    assert sorted(r["number"] for r in rows) == sorted(bills)
    for row in rows:
        bill = bills[row["number"]]
        assert date.fromisoformat(row["issued_on"]) == bill.issued
        assert D(row["amount"]) == bill.amount
        assert row["status"] == bill.status
        assert row["regie"] == bill.regie


def hostile_factory(base_url: str) -> FakePortal:
    row = Invoice(
        id="1",
        number="@SUM(1+1)*cmd|' /C calc'!A0",
        label='=HYPERLINK("http://evil.example/","Septembre")\x1b[31m\nrouge',
        regie=Regie("1", "+CANTINE"),
        row_amount=D("-2.50"),
        row_status_label="-1+1",
    )
    detail = InvoiceDetail(id="1", total=D("-2.50"), remaining=D("0.00"), status_label="-1+1")
    return FakePortal(base_url, [row.with_detail(detail)])


def test_a_cell_from_the_site_is_never_a_formula_nor_a_control_character(run: Run) -> None:
    base = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"
    code, out, _err = run(
        "--portal", base, "--username", "u", "--password-stdin", "invoices", "--csv",
        stdin="secret\n", portal_factory=hostile_factory,
    )  # fmt: skip
    assert code == 0
    (row,) = list(csv.reader(io.StringIO(out.removeprefix("\ufeff")), delimiter=";"))[1:]
    assert row[0] == "'+CANTINE"
    assert row[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row[2] == '\'=HYPERLINK("http://evil.example/","Septembre")\ufffd[31m rouge'
    assert row[8] == "'-1+1"
    assert row[5] == "-2,50"  # our own number, a number for the spreadsheet
    assert "\x1b" not in out


def test_csv_and_json_together_are_refused(run: Run) -> None:
    code, out, err = run("--demo", "invoices", "--csv", "--json")
    assert (code, out) == (2, "")
    assert "--csv or --json" in err


# --- summary ---------------------------------------------------------------------------------


def test_summary_adds_up_the_portals_invoices(run: Run, portal: PortalUnderTest) -> None:
    code, out, _err = run(*portal.args(), "summary", "--json")
    assert code == 0
    shown = json.loads(out)
    bills = bills_of(portal)
    total = shown["total"]
    assert total["count"] == len(bills)
    assert D(total["amount"]) == sum((b.amount for b in bills), ZERO)
    assert D(total["to_pay"]) == portal.owed()[0]
    paid = sum((b.amount for b in bills if b.status == "paid"), ZERO) + sum(
        (
            b.amount - b.remaining
            for b in bills
            if b.status in TO_PAY and b.remaining is not None and b.remaining < b.amount
        ),
        ZERO,
    )
    assert D(total["paid"]) == paid
    assert D(total["direct_debit"]) == sum(
        (b.amount for b in bills if b.status == "direct_debit"), ZERO
    )
    assert D(total["other"]) == sum((b.amount for b in bills if b.status == "unknown"), ZERO)
    per_regie = {r["regie"]: D(r["amount"]) for r in shown["regies"]}
    for regie in {b.regie for b in bills}:
        assert per_regie[regie] == sum((b.amount for b in bills if b.regie == regie), ZERO)
    children = {c["person"]: D(c["amount"]) for c in shown["children"]}
    persons = {p for b in bills for p, _s, _a in b.lines}
    assert set(children) == persons
    for person in persons:
        lines = (a for b in bills for p, _s, a in b.lines if p == person)
        assert children[person] == sum(lines, ZERO)


def test_summary_of_one_year_and_its_table(run: Run, portal: PortalUnderTest) -> None:
    bills = bills_of(portal)
    year = busiest_settled_year(bills)
    code, out, _err = run(*portal.args(), "summary", "--year", str(year), "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["year"] == year
    assert [y["year"] for y in shown["years"]] == [year]
    assert shown["total"]["count"] == sum(1 for b in bills if b.issued.year == year)
    code, out, _err = run(*portal.args(), "summary", "--year", str(year))
    assert code == 0
    assert "All régies" in out and "Per child (from the invoices' lines)" in out
    assert all(b.regie in out for b in bills if b.issued.year == year)


# --- statement -------------------------------------------------------------------------------


def expected_statement(bills: list[Bill], year: int) -> tuple[Decimal, dict[str, Decimal]]:
    counted = [b for b in bills if b.issued.year == year and b.settled]
    per_child: dict[str, Decimal] = {}
    for bill in counted:
        for person, _service, amount in bill.lines:
            if person:
                per_child[person] = per_child.get(person, ZERO) + amount
    return sum((b.amount for b in counted), ZERO), per_child


def test_the_statement_is_the_sum_of_the_years_paid_invoices(
    run: Run, portal: PortalUnderTest
) -> None:
    bills = bills_of(portal)
    year = busiest_settled_year(bills)
    code, out, _err = run(*portal.args(), "statement", "--year", str(year), "--json")
    assert code == 0
    shown = json.loads(out)
    total, per_child = expected_statement(bills, year)
    assert D(shown["total"]) == total
    assert {c["person"]: D(c["total"]) for c in shown["children"]} == per_child
    assert shown["source"]["portal"] == portal.base_url
    assert datetime.fromisoformat(shown["source"]["read_at"]).date() == date.today()
    assert "does not say what the tax office accepts" in shown["notice"]
    # The parts add up to the total: each child, the lines naming no one, what is left over.
    parts = sum((D(c["total"]) for c in shown["children"]), ZERO)
    parts += sum((D(u["amount"]) for u in shown["unnamed"]), ZERO)
    assert parts + D(shown["not_attributed"]["amount"]) == total
    for child in shown["children"]:
        for service in child["services"]:
            words = service["service"].lower()
            if "repas" in words or "restaura" in words:
                assert not service["childcare_like"]  # canteen meals are not childcare
            sources = sum((D(i["part"]) for i in service["invoices"]), ZERO)
            assert sources == D(service["amount"])  # each figure with the invoices it comes from
    not_counted = {i["number"] for i in shown["not_counted"]}
    assert not_counted == {b.number for b in bills if b.issued.year == year and not b.settled}


def test_the_statement_as_text_says_its_source_and_leaves_the_decision(
    run: Run, portal: PortalUnderTest
) -> None:
    year = busiest_settled_year(bills_of(portal))
    code, out, _err = run(*portal.args(), "statement", "--year", str(year))
    assert code == 0
    assert out.startswith(f"Statement of the invoices paid in {year}\n")
    assert f"Source: the invoices of the portal {portal.base_url}, read on " in out
    assert "The decision is yours." in out


def test_the_statement_pdf_is_kept_beside_a_file_of_the_same_name(
    run: Run, portal: PortalUnderTest, tmp_path: Path
) -> None:
    bills = bills_of(portal)
    year = busiest_settled_year(bills)
    total, per_child = expected_statement(bills, year)
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "impots.pdf").write_bytes(b"%PDF-1.4 the parent's own file")
    target = papers / "impots.pdf"
    code, out, err = run(*portal.args(), "statement", "--year", str(year), "--pdf", str(target))
    assert code == 0
    saved = Path(out.strip())
    assert saved == papers.resolve() / "impots (1).pdf"
    assert "impots.pdf was there already" in err
    assert target.read_bytes() == b"%PDF-1.4 the parent's own file"
    text = pdf_text(saved.read_bytes())
    assert f"Statement of the invoices paid in {year}" in text
    assert f"Source: the invoices of the portal {portal.base_url}" in text
    assert "The decision is yours." in text
    from espace_tui.core.formats import format_money

    assert f"Total paid in {year}: {format_money(total)}" in text
    for person, amount in per_child.items():
        assert f"{person}: {format_money(amount)}" in text


def test_the_statement_reads_the_store_offline(run: Run, portal: PortalUnderTest) -> None:
    bills = bills_of(portal)
    year = busiest_settled_year(bills)
    assert run(*portal.args(), "invoices")[0] == 0  # an online run keeps what it read
    code, out, err = run(*portal.args(), "--offline", "statement", "--year", str(year), "--json")
    assert code == 0
    assert "Offline: as read on" in err
    assert D(json.loads(out)["total"]) == expected_statement(bills, year)[0]


@pytest.mark.parametrize("year", ["0", "12345"])
def test_a_year_that_is_not_one_is_refused(run: Run, year: str) -> None:
    code, out, err = run("--demo", "statement", "--year", year)
    assert (code, out) == (2, "")
    assert "--year takes a year" in err


def test_a_statement_that_cannot_be_saved_says_where_and_why(run: Run, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    code, out, err = run("--demo", "statement", "--year", "2026", "--pdf", f"{blocked}/x.pdf")
    assert (code, out) == (2, "")
    assert f"The statement could not be saved in {blocked}: " in err


def test_a_year_without_invoices_says_so(run: Run) -> None:
    code, out, _err = run("--demo", "statement", "--year", "1999")
    assert code == 0
    assert "Total paid in 1999: 0,00 €\nNo invoice of 1999 is paid." in out
    assert run("--demo", "summary", "--year", "1999")[1] == "No invoice was issued in 1999.\n"


def test_a_folder_or_a_name_without_pdf_gets_a_pdf_name(run: Run, tmp_path: Path) -> None:
    code, out, _err = run("--demo", "statement", "--year", "2026", "--pdf", str(tmp_path))
    assert (code, Path(out.strip())) == (0, tmp_path.resolve() / "statement-2026.pdf")
    code, out, _err = run("--demo", "statement", "--year", "2026", "--pdf", f"{tmp_path}/impots")
    assert (code, Path(out.strip())) == (0, tmp_path.resolve() / "impots.pdf")
    assert Path(out.strip()).read_bytes().startswith(b"%PDF-")
