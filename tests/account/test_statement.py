"""The yearly statement: for each child, what was paid in the year per régie and service, with
the invoices it comes from; what is not counted said with its reason; childcare-like services
marked, canteen meals not; its sums those of the invoices; its PDF readable back."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from espace_tui.account.statement import Kind, Reason, build_statement, service_kind
from espace_tui.account.statement_pdf import drawable, save_statement_pdf, statement_pdf
from espace_tui.mock.data import demo_invoices
from support.bills import as_model, bill, line
from support.pdf_text import page_count, pdf_text

D = Decimal
READ = datetime(2027, 1, 15, 9, 30)
PORTAL = "https://www.espace-citoyens.net/ecouflant/espace-citoyens/"


@pytest.mark.parametrize(
    ("service", "kind"),
    [
        ("Garderie du soir", Kind.CHILDCARE),
        ("Accueil périscolaire - matin", Kind.CHILDCARE),
        ("Mercredi loisirs (journée)", Kind.CHILDCARE),
        ("ALSH vacances d'hiver", Kind.CHILDCARE),
        ("Crèche municipale", Kind.CHILDCARE),
        ("Restaurant scolaire", Kind.CANTEEN),
        ("Repas sans viande", Kind.CANTEEN),
        ("Goûter", Kind.CANTEEN),
        ("Repas ALSH", Kind.CANTEEN),  # a meal, even at the holiday centre
        ("Piano - 1er cycle", Kind.OTHER),
        ("Séjour d'été (2 semaines)", Kind.OTHER),
        (None, Kind.OTHER),
    ],
)
def test_services_are_marked_by_their_words(service: str | None, kind: Kind) -> None:
    assert service_kind(service) is kind


def test_what_was_paid_is_added_up_per_child_service_and_regie() -> None:
    invoices = [
        bill(
            "1",
            "Payée",
            "60.00",
            "0.00",
            lines=(
                line("Léa", "Cantine", "40.00"),
                line(None, "Frais de dossier", "5.00"),
                line("Tom", "Garderie", "15.00"),
            ),
        ),
        bill(
            "2",
            "Prélevée",
            "30.00",
            "0.00",
            lines=(line("Léa", "Cantine", "20.00"), line("Léa", "Garderie du soir", "10.00")),
        ),
        bill("3", "Payée", "50.00", "0.00", lines=(line("Tom", "Garderie", "45.00"),)),
        bill("4", "Non payée", "12.00", "12.00", lines=(line("Léa", "Garderie", "12.00"),)),
        bill("5", "Transmise au Trésor Public", "48.00", "18.00"),
        bill("6", "En litige", "19.20", "19.20"),
        bill("7", "Payée", "99.00", "0.00", issued=date(2025, 6, 1)),
        bill("8", "Transmise au Trésor Public", "23.20", "0.00"),  # paid there
    ]
    statement = build_statement(invoices, 2026, portal=PORTAL, read_at=READ)
    assert [i.number for i in statement.counted] == ["1", "2", "3", "8"]
    assert statement.total == D("163.20")
    lea, tom = statement.children
    assert (lea.person, lea.total, lea.childcare_like) == ("Léa", D("70.00"), D("10.00"))
    assert [(s.service, s.amount) for s in lea.services] == [
        ("Cantine", D("60.00")),
        ("Garderie du soir", D("10.00")),
    ]
    assert [src.invoice.number for src in lea.services[0].sources] == ["1", "2"]
    assert (tom.total, tom.childcare_like) == (D("60.00"), D("60.00"))
    assert [(s.service, s.amount) for s in statement.unnamed] == [("Frais de dossier", D("5"))]
    # What the lines do not cover is shown, so that the parts add up to the total.
    assert [(s.invoice.number, s.part) for s in statement.not_attributed] == [
        ("3", D("5.00")),
        ("8", D("23.20")),
    ]
    parts = sum((c.total for c in statement.children), D(0))
    parts += sum((s.amount for s in statement.unnamed), D(0)) + statement.not_attributed_total
    assert parts == statement.total
    reasons = {n.invoice.number: (n.reason, n.paid) for n in statement.not_counted}
    assert reasons == {
        "4": (Reason.TO_PAY, D("0")),
        "5": (Reason.PARTLY_PAID, D("30.00")),
        "6": (Reason.UNKNOWN_STATE, D("0")),
    }


def test_the_demo_familys_statement_adds_up_to_its_settled_invoices() -> None:
    today = date(2026, 12, 2)
    invoices = [as_model(i) for i in demo_invoices(today)]
    statement = build_statement(invoices, 2026, portal=PORTAL, read_at=READ)
    settled = [
        i
        for i in demo_invoices(today)
        if i.issued.year == 2026 and (i.remaining == 0 or i.status.value == "direct_debit")
    ]
    assert sorted(i.number for i in statement.counted) == sorted(i.number for i in settled)
    assert statement.total == sum((i.total for i in settled), D("0.00"))
    for child in statement.children:
        expected = sum(
            (x.amount for i in settled for x in i.lines if x.person == child.person), D(0)
        )
        assert child.total == expected
    assert not statement.not_attributed  # the mock's lines always add up to the total
    json = statement.as_json()
    assert json["source"] == {"portal": PORTAL, "read_at": "2027-01-15T09:30:00"}
    assert "does not say what the tax office accepts" in json["notice"]


def test_the_pdf_says_its_source_the_notice_and_each_childs_lines(tmp_path: Path) -> None:
    invoices = [
        bill(
            "1",
            "Payée",
            "55.00",
            "0.00",
            lines=(
                line("DUPRÉ-LE GALL Léa", "Accueil périscolaire", "40.00"),
                line("DUPRÉ-LE GALL Tom", "Restaurant scolaire", "15.00"),
            ),
        ),
    ]
    statement = build_statement(invoices, 2026, portal=PORTAL, read_at=READ)
    content = statement_pdf(statement)
    text = pdf_text(content)
    assert page_count(content) == 1
    assert "Statement of the invoices paid in 2026" in text
    assert f"Source: the invoices of the portal {PORTAL}, read on 15/01/2027 à 09:30." in text
    assert "It does not say what the tax office accepts" in text
    assert "DUPRÉ-LE GALL Léa: 40,00 € (childcare-like: 40,00 €)" in text
    assert "Accueil périscolaire yes 40,00 € 1" in text
    assert "Restaurant scolaire no 15,00 € 1" in text
    assert statement_pdf(statement) == content  # the same statement, the same bytes


def test_saving_never_overwrites_a_file(tmp_path: Path) -> None:
    statement = build_statement(
        [bill("1", "Payée", "5.00", "0.00", lines=(line("Léa", "Garderie", "5.00"),))],
        2026,
        portal=PORTAL,
        read_at=READ,
    )
    folder = tmp_path / "papers"
    folder.mkdir()
    target = folder / "releve.pdf"
    target.write_bytes(b"the parent's own file")
    saved = save_statement_pdf(statement, target)
    assert saved.path == folder.resolve() / "releve (1).pdf" and not saved.already_there
    assert target.read_bytes() == b"the parent's own file"
    again = save_statement_pdf(statement, target)
    assert again.path == saved.path and again.already_there
    assert {p.name for p in folder.iterdir()} == {"releve.pdf", "releve (1).pdf"}


def test_names_outside_the_pdf_fonts_are_drawn_without_failing() -> None:
    # Œ and € are in windows-1252; Ș loses its comma; Ł and 名前 have no drawable form.
    assert drawable("Ștefan Œuvre\u202f€\x1b[2J") == "Stefan Œuvre €[2J"
    assert drawable("Łukasz 名前") == "?ukasz ??"
    statement = build_statement(
        [bill("1", "Payée", "5.00", "0.00", lines=(line("Ștefan 名前", "Garderie", "5.00"),))],
        2026,
        portal=PORTAL,
        read_at=READ,
    )
    assert "Stefan ??: 5,00 €" in pdf_text(statement_pdf(statement))
