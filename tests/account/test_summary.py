"""What the invoices add up to: each invoice in one of four buckets (to pay by the one rule for
what is owed, paid, direct debit, other), per régie and year, and per child from the lines; the
detail's lines grouped by child with their subtotals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from espace_tui.account.owed import owed
from espace_tui.account.summary import fully_settled, lines_by_person, split, summarize
from espace_tui.mock.data import demo_invoices
from support.bills import MUSIC, as_model, bill, line

D = Decimal


def test_each_state_falls_in_its_bucket() -> None:
    assert split(bill("1", "Payée", "40.00", "0.00")).paid == D("40.00")
    assert split(bill("2", "Non payée", "40.00", "40.00")).to_pay == D("40.00")
    partly = split(bill("3", "Transmise au Trésor Public", "48.00", "18.00"))
    assert (partly.to_pay, partly.paid) == (D("18.00"), D("30.00"))
    # Sent to the Trésor Public with nothing left: paid there, owed nothing (the one rule).
    settled = split(bill("4", "Transmise au Trésor Public", "23.20", "0.00"))
    assert (settled.to_pay, settled.paid) == (D("0.00"), D("23.20"))
    # A direct debit under way is the bank's to pay, even while the page says it remains.
    debit = split(bill("5", "En cours de prélèvement", "15.30", "15.30"))
    assert (debit.to_pay, debit.direct_debit) == (D("0.00"), D("15.30"))
    unknown = split(bill("6", "En litige", "19.20", "19.20"))
    assert (unknown.to_pay, unknown.paid, unknown.other) == (D("0"), D("0"), D("19.20"))


def test_to_pay_is_what_the_dashboard_says_is_owed() -> None:
    invoices = [
        bill("1", "Transmise au Trésor Public", "23.20", "0.00"),
        bill("2", "Non payée", "23.20", "23.20"),
        bill("3", "Transmise au Trésor Public", "48.00", "18.00"),
        bill("4", "Prélèvement automatique", "30.00", "30.00"),
    ]
    summary = summarize(invoices)
    assert summary.total.to_pay == owed(invoices, date(2026, 4, 1)).total == D("41.20")


def test_the_buckets_add_up_to_the_amount_over_the_demo_family() -> None:
    today = date(2026, 12, 2)
    invoices = [as_model(i) for i in demo_invoices(today)]
    summary = summarize(invoices)
    total = summary.total
    assert total.count == 14
    assert total.amount == sum((i.amount or D(0) for i in invoices), D("0.00"))
    assert total.to_pay + total.paid + total.direct_debit + total.other == total.amount
    assert total.to_pay == owed(invoices, today).total
    assert list(summary.years) == [2018, 2026]
    assert summary.years[2018].amount == D("54.60")  # the help page's 651 and 612
    for regie in summary.regies.values():
        assert sum((f.amount for f in regie.years.values()), D(0)) == regie.total.amount
    # Per child, from the lines: every line names Lucas or Léa, and they add up to it all.
    assert set(summary.children) == {"ECOUFLANT Lucas", "ECOUFLANT Léa"}
    assert sum((f.amount for f in summary.children.values()), D(0)) == total.amount


def test_a_year_keeps_only_the_invoices_issued_in_it_and_undated_ones_are_said() -> None:
    invoices = [
        bill("1", "Payée", "10.00", "0.00", issued=date(2025, 12, 31)),
        bill("2", "Payée", "20.00", "0.00", issued=date(2026, 1, 1), regie=MUSIC),
        bill("3", "Payée", "40.00", "0.00", issued=None),
    ]
    assert summarize(invoices, 2026).total.amount == D("20.00")
    assert list(summarize(invoices, 2026).regies) == ["CONSERVATOIRE"]
    every = summarize(invoices)
    assert list(every.years) == [2025, 2026, None]
    assert every.years[None].amount == D("40.00")


def test_per_child_figures_come_from_the_lines_and_unnamed_lines_are_apart() -> None:
    invoices = [
        bill(
            "1",
            "Payée",
            "60.00",
            "0.00",
            lines=(
                line("Léa", "Cantine", "40.00"),
                line(None, "Frais", "5.00"),
                line("Tom", "Garderie", "15.00"),
            ),
        ),
        bill("2", "Non payée", "12.00", "12.00", lines=(line("Léa", "Garderie", "12.00"),)),
        bill("3", "Payée", "7.00", "0.00"),  # no lines read
    ]
    summary = summarize(invoices)
    lea, tom, nobody = (summary.children[k] for k in ("Léa", "Tom", None))
    assert (lea.count, lea.amount, lea.paid, lea.to_pay) == (2, D("52"), D("40"), D("12"))
    assert (tom.count, tom.amount, tom.paid) == (1, D("15"), D("15"))
    assert nobody.amount == D("5.00")
    assert summary.without_lines == 1
    assert summary.as_json()["children"][0] == {
        "person": "Léa",
        "count": 2,
        "amount": "52.00",
        "to_pay": "12.00",
        "paid": "40.00",
        "direct_debit": "0.00",
        "other": "0.00",
        "unknown_amounts": 0,
    }


def test_what_is_still_due_on_a_partly_paid_invoice_is_shared_among_its_children() -> None:
    # The demo's invoice 1187: 48,00 € for Lucas (30,00) and Léa (18,00), 18,00 € still due.
    partly = bill(
        "1187",
        "Transmise au Trésor Public",
        "48.00",
        "18.00",
        lines=(line("Lucas", "Garderie", "30.00"), line("Léa", "Garderie", "18.00")),
    )
    thirds = bill(
        "7",
        "Non payée",
        "10.00",
        "1.00",
        lines=(*(line(name, "Cantine", "3.33") for name in "ABC"), line("A", "Frais", "0.01")),
    )
    summary = summarize([partly, thirds])
    lucas, lea = summary.children["Lucas"], summary.children["Léa"]
    assert (lucas.to_pay, lucas.paid) == (D("11.25"), D("18.75"))
    assert (lea.to_pay, lea.paid) == (D("6.75"), D("11.25"))
    # Never more than is owed: the children's "to pay" adds up to the invoices', to the cent.
    children = sum((f.to_pay for f in summary.children.values()), D(0))
    assert children == summary.total.to_pay == D("19.00")
    for figures in summary.children.values():
        assert figures.to_pay + figures.paid == figures.amount


def test_the_children_owe_what_the_dashboard_says_over_the_demo_family() -> None:
    today = date(2026, 12, 2)
    invoices = [as_model(i) for i in demo_invoices(today)]
    summary = summarize(invoices)
    children = sum((f.to_pay for f in summary.children.values()), D(0))
    assert children == owed(invoices, today).total


def test_an_unknown_amount_is_counted_apart_never_as_zero() -> None:
    summary = summarize([bill("1", "Payée", None, None), bill("2", "Payée", "5.00", "0.00")])
    assert (summary.total.count, summary.total.amount) == (2, D("5.00"))
    assert summary.total.unknown_amounts == 1
    assert not fully_settled(bill("1", "Payée", None, None))


def test_the_detail_groups_lines_by_child_with_subtotals() -> None:
    lines = (
        line("Tom", "Cantine", "10.00"),
        line(None, "Frais", "1.00"),
        line("Léa", "Cantine", "8.00"),
        line("Tom", "Garderie", "2.50"),
    )
    groups = lines_by_person(lines)
    assert [g.person for g in groups] == ["Tom", "Léa", None]
    assert [g.subtotal for g in groups] == [D("12.50"), D("8.00"), D("1.00")]
    assert [x.service for x in groups[0].lines] == ["Cantine", "Garderie"]
