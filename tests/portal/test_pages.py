"""The portal's pages read into what the user sees: every field, the state words, and plain
errors naming the page and the element when the site's markup changes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from espace_tui.core.errors import PageChanged
from espace_tui.core.model import PaymentMode, Status
from espace_tui.portal import pages

FIXTURES = Path(__file__).parents[1] / "support" / "pages"
HOME_URL = "https://www.espace-citoyens.net/ville-coueron/espace-citoyens/Home/AccueilPublic"


def page(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- Login ----------------------------------------------------------------------------------


def test_login_form_gives_the_absolute_action_the_token_and_the_other_fields() -> None:
    form = pages.parse_login_form(page("accueil_public.html"), HOME_URL)
    assert form.action_url == (
        "https://www.espace-citoyens.net/ville-coueron/espace-citoyens/Home/Logon"
    )
    assert form.token == "CfDJ8Nq-Tok3n_with+special/chars=="
    # Hidden fields and checked boxes are sent back; buttons, unchecked boxes, the
    # credentials and the token (sent on its own) are not.
    assert form.fields == {
        "ReturnUrl": "/ville-coueron/espace-citoyens/CompteCitoyen",
        "AccepteCookies": "oui",
    }


def test_login_form_is_read_from_bytes_too() -> None:
    form = pages.parse_login_form(page("accueil_public.html").encode(), HOME_URL)
    assert form.token == "CfDJ8Nq-Tok3n_with+special/chars=="


def test_login_form_without_its_id_is_the_first_form_with_a_password() -> None:
    html = page("accueil_public.html").replace('id="idFormConnexion"', 'id="autre"')
    html = html.replace("<main>", '<main><form action="/x"><input name="q"></form>')
    form = pages.parse_login_form(html, HOME_URL)
    assert form.action_url.endswith("/ville-coueron/espace-citoyens/Home/Logon")


def test_a_home_without_login_form_is_a_changed_page() -> None:
    with pytest.raises(PageChanged) as caught:
        pages.parse_login_form(page("compte_citoyen.html"), HOME_URL)
    assert caught.value.page == "Home/AccueilPublic"
    assert caught.value.element == "form#idFormConnexion"
    assert "Home/AccueilPublic" in str(caught.value)
    assert "form#idFormConnexion" in str(caught.value)


def test_a_login_form_without_token_is_a_changed_page() -> None:
    html = page("accueil_public.html").replace("__RequestVerificationToken", "jeton")
    with pytest.raises(PageChanged) as caught:
        pages.parse_login_form(html, HOME_URL)
    assert caught.value.element is not None
    assert "__RequestVerificationToken" in caught.value.element


def test_refused_login_gives_the_sites_own_words() -> None:
    assert pages.login_error(page("logon_refused.html")) == (
        "Identifiant ou mot de passe incorrect."
    )
    assert pages.login_error(page("accueil_public.html")) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("accueil_public.html", True),
        ("logon_refused.html", True),
        ("compte_citoyen.html", False),
        ("mon_compte.html", False),
        ("detail_facture.html", False),
        ("maintenance.html", False),
    ],
)
def test_login_page_is_recognised(name: str, expected: bool) -> None:
    assert pages.is_login_page(page(name)) is expected
    assert pages.is_login_page(page(name).encode()) is expected


def test_a_pdf_is_not_a_login_page() -> None:
    assert pages.is_login_page(b"%PDF-1.4\n% password \x00\xff") is False


def test_maintenance_page_is_recognised_with_its_message() -> None:
    assert pages.is_maintenance(page("maintenance.html"))
    assert pages.maintenance_message(page("maintenance.html")) == (
        "Le site est actuellement en maintenance. Merci de réessayer plus tard."
    )
    for name in ("accueil_public.html", "mon_compte.html", "detail_facture.html"):
        assert not pages.is_maintenance(page(name))


# --- Dashboard ------------------------------------------------------------------------------


def test_dashboard_gives_greeting_last_connection_and_family() -> None:
    account = pages.parse_account(page("compte_citoyen.html"))
    assert account.greeting == "Bonjour Monsieur Ecouflant"
    assert account.last_connection_text == "Dernière connexion le 09/11/2018 à 15:31"
    assert account.last_connection == datetime(2018, 11, 9, 15, 31)
    assert [(m.id, m.name, m.role) for m in account.members] == [
        ("101", "ECOUFLANT Jean", "pere"),
        ("102", "ECOUFLANT Marie", "mere"),
        ("103", "ECOUFLANT Léo", "garcon"),
        ("104", "ECOUFLANT Chloé", "fillette"),
    ]


def test_dashboard_without_the_adopted_spans_has_unknown_greeting() -> None:
    html = page("compte_citoyen.html").replace("spanBonjour", "x").replace("spanDerniere", "y")
    account = pages.parse_account(html)
    assert account.greeting is None
    assert account.last_connection is None
    assert account.last_connection_text is None
    assert len(account.members) == 4


def test_dashboard_without_family_links_is_a_changed_page() -> None:
    html = page("compte_citoyen.html").replace("FichePersonne/DetailPersonne", "Autre/Page")
    with pytest.raises(PageChanged) as caught:
        pages.parse_account(html)
    assert caught.value.page == "CompteCitoyen"
    assert caught.value.element is not None
    assert "FichePersonne/DetailPersonne" in caught.value.element


def test_unknown_picture_gives_no_role() -> None:
    html = page("compte_citoyen.html").replace("fillette.png", "avatar.png")
    account = pages.parse_account(html)
    assert account.members[3].role is None


def test_a_text_link_to_a_person_before_their_picture_does_not_name_them() -> None:
    # Found by the independent portal: "Modifier mes coordonnées" links to the holder's page
    # before the family's pictures do.
    edit = '<a href="FichePersonne/DetailPersonne?idDynamic=101&amp;onglet=2">Modifier</a>'
    html = page("compte_citoyen.html").replace("<body>", "<body>" + edit, 1)
    assert edit in html
    account = pages.parse_account(html)
    first = account.members[0]
    assert (first.id, first.name, first.role) == ("101", "ECOUFLANT Jean", "pere")
    assert len(account.members) == 4


def test_a_text_link_to_a_page_of_no_pictured_person_is_not_a_member() -> None:
    other = '<a href="FichePersonne/DetailPersonne?idDynamic=999">Ajouter un enfant</a>'
    html = page("compte_citoyen.html").replace("<body>", "<body>" + other, 1)
    account = pages.parse_account(html)
    assert "999" not in [member.id for member in account.members]
    assert len(account.members) == 4


# --- Invoice list ---------------------------------------------------------------------------


def test_invoice_list_gives_every_row_in_order_with_its_regie() -> None:
    invoices = pages.parse_invoice_list(page("mon_compte.html"))
    assert [i.id for i in invoices] == ["987654", "987655", "987700", "987800"]
    first = invoices[0]
    assert first.number == "651"
    assert first.label == "Septembre 2018"
    assert first.regie is not None
    assert (first.regie.id, first.regie.name) == ("12", "POST FACTURATION (ECOUFLANT)")
    assert first.row_issued_on == date(2018, 10, 4)
    assert first.row_amount == Decimal("23.20")
    assert first.row_status_label == "Transmise au Trésor Public"
    assert first.status is Status.TREASURY


def test_invoice_list_reads_narrow_spaces_and_the_first_label_cell() -> None:
    second = pages.parse_invoice_list(page("mon_compte.html"))[1]
    assert second.label == "Octobre 2018"
    assert second.row_amount == Decimal("1234.56")
    assert second.status is Status.PAID
    third = pages.parse_invoice_list(page("mon_compte.html"))[2]
    assert third.row_amount == Decimal("12345.00")
    assert third.regie is not None
    assert third.regie.name == "CANTINE - GARDERIE (ECOUFLANT)"
    assert third.status is Status.DIRECT_DEBIT


def test_row_outside_any_regie_counts_with_unknown_adopted_fields() -> None:
    last = pages.parse_invoice_list(page("mon_compte.html"))[3]
    assert (last.id, last.number, last.label) == ("987800", "900", "Décembre 2018")
    assert last.regie is None
    assert last.row_issued_on is None
    assert last.row_amount is None
    assert last.row_status_label is None
    assert last.status is Status.UNKNOWN


def test_empty_invoice_list_is_not_an_error() -> None:
    assert pages.parse_invoice_list(page("mon_compte_empty.html")) == []


def test_empty_regie_block_is_an_empty_list() -> None:
    html = '<div class="regie" id="regie-1"><h3 class="libelleRegie">X</h3></div>'
    assert pages.parse_invoice_list(html) == []


@pytest.mark.parametrize("name", ["compte_citoyen.html", "accueil_public.html", "maintenance.html"])
def test_a_page_that_is_not_the_invoice_list_is_a_changed_page(name: str) -> None:
    with pytest.raises(PageChanged) as caught:
        pages.parse_invoice_list(page(name))
    assert (caught.value.page, caught.value.element) == ("MonCompte", "tr.compte")


@pytest.mark.parametrize(
    ("old", "new", "element"),
    [
        ('id="987655"', "", "tr.compte[id]"),
        ('<td class="ligneCompte">Décembre 2018</td>', "<td>x</td>", "tr.compte .ligneCompte"),
        ('<td class="numero_facture">88</td>', "<td>88</td>", "tr.compte .numero_facture"),
    ],
)
def test_a_row_without_a_seen_element_is_a_changed_page(old: str, new: str, element: str) -> None:
    html = page("mon_compte.html")
    assert old in html
    with pytest.raises(PageChanged) as caught:
        pages.parse_invoice_list(html.replace(old, new))
    assert (caught.value.page, caught.value.element) == ("MonCompte", element)
    assert element in str(caught.value)


STATE_WORDS = [
    ("Payée", Status.PAID),
    ("PAYÉE", Status.PAID),
    ("payee", Status.PAID),
    ("Soldée", Status.PAID),
    ("SOLDEE", Status.PAID),
    ("Réglée", Status.PAID),
    ("reglée.", Status.PAID),
    ("Non payée", Status.UNPAID),
    ("  NON&nbsp;&nbsp;PAYEE ", Status.UNPAID),
    ("À régler", Status.UNPAID),
    ("A REGLER", Status.UNPAID),
    ("En attente de paiement", Status.UNPAID),
    ("en attente\n   de paiement", Status.UNPAID),
    ("Transmise au Trésor Public", Status.TREASURY),
    ("TRANSMISE AU TRESOR PUBLIC", Status.TREASURY),
    ("Facture transmise au Trésor Public", Status.TREASURY),
    ("facture transmise au trésor&#8239;public", Status.TREASURY),
    ("Prélèvement automatique", Status.DIRECT_DEBIT),
    ("PRELEVEMENT AUTOMATIQUE", Status.DIRECT_DEBIT),
    ("Prélevée", Status.DIRECT_DEBIT),
    ("En cours de prélèvement", Status.DIRECT_DEBIT),
    ("en  cours de prelevement", Status.DIRECT_DEBIT),
    ("Annulée", Status.UNKNOWN),
    ("Payée partiellement", Status.UNKNOWN),
    ("", Status.UNKNOWN),
]


@pytest.mark.parametrize(("words", "status"), STATE_WORDS)
def test_state_words_of_a_row_map_to_a_state_and_are_kept(words: str, status: Status) -> None:
    html = page("mon_compte.html").replace(
        '<td class="etatFacture">Payée</td>', f'<td class="etatFacture">{words}</td>'
    )
    invoice = pages.parse_invoice_list(html)[1]
    assert invoice.status is status
    if status is not Status.UNKNOWN:
        assert invoice.row_status_label is not None
        assert "  " not in invoice.row_status_label
        assert "\n" not in invoice.row_status_label


@pytest.mark.parametrize(("words", "status"), STATE_WORDS)
def test_state_words_of_a_detail_map_to_a_state(words: str, status: Status) -> None:
    html = page("detail_facture.html").replace(
        "Facture transmise au   Trésor Public", words.replace("&nbsp;", "\u00a0")
    )
    assert pages.parse_invoice_detail(html, "987654").status is status


# --- Invoice detail -------------------------------------------------------------------------


def test_detail_gives_every_field() -> None:
    detail = pages.parse_invoice_detail(page("detail_facture.html"), "987654")
    assert detail.id == "987654"
    assert detail.title == "POST FACTURATION (ECOUFLANT) - 651 - Septembre 2018"
    assert detail.number == "651"
    assert detail.payer == "Monsieur ECOUFLANT Jean"
    assert detail.issued_on == date(2018, 10, 4)
    assert detail.due_on == date(2018, 11, 5)
    assert detail.total == Decimal("1234.56")
    assert detail.remaining == Decimal("1234.56")
    assert detail.status_label == "Facture transmise au Trésor Public"
    assert detail.status is Status.TREASURY
    assert detail.payment_mode_label == "Paiement en ligne"
    assert detail.payment_mode is PaymentMode.ONLINE
    assert detail.payable_online is True
    assert detail.pdf_available is True
    assert len(detail.lines) == 2  # the header row is not a line
    first, second = detail.lines
    assert first.person == "ECOUFLANT Léo"
    assert first.service == "Restauration scolaire"
    assert first.quantity == Decimal("12")
    assert first.unit_price == Decimal("3.175")
    assert first.amount == Decimal("38.10")
    assert second.quantity == Decimal("1.5")
    assert second.unit_price == Decimal("1196.46")
    assert second.amount == Decimal("1196.46")


def test_detail_number_is_found_when_the_regie_name_holds_a_dash() -> None:
    html = page("detail_facture.html").replace(
        "POST FACTURATION (ECOUFLANT)", "CANTINE - GARDERIE (ECOUFLANT)"
    )
    assert pages.parse_invoice_detail(html, "987654").number == "651"


def test_detail_without_pay_link_is_not_payable_online() -> None:
    html = page("detail_facture.html").replace('id="lnkPayerFacture"', 'id="autre"')
    detail = pages.parse_invoice_detail(html, "987654")
    assert detail.payable_online is False
    assert detail.pdf_available is True


def test_detail_with_only_the_seen_elements_has_unknown_adopted_fields() -> None:
    detail = pages.parse_invoice_detail(page("detail_facture_minimal.html"), "987655")
    assert detail.number == "652"
    assert detail.issued_on == date(2018, 11, 5)
    assert detail.total == Decimal("12.00")
    assert detail.due_on is None  # present but empty
    assert detail.payer is None
    assert detail.remaining is None
    assert detail.status_label is None
    assert detail.status is Status.UNKNOWN
    assert detail.payment_mode_label is None
    assert detail.payable_online is False
    assert detail.pdf_available is False
    assert detail.lines == ()


@pytest.mark.parametrize(
    "element",
    [
        "#hDetailFacture_Facture",
        "#spanDetailFacture_DatEmissionFacture",
        "#spanDetailFacture_MntTotalFacture",
        "#spanDetailFacture_DatLimitePaiementFacture",
    ],
)
def test_detail_without_a_seen_element_is_a_changed_page(element: str) -> None:
    html = page("detail_facture.html").replace(element[1:], "renamed")
    with pytest.raises(PageChanged) as caught:
        pages.parse_invoice_detail(html, "987654")
    assert (caught.value.page, caught.value.element) == ("MonCompte/DetailFacture", element)


# --- PDF file name --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('attachment; filename="Facture_651.pdf"', "Facture_651.pdf"),
        ("attachment; filename=Facture_651.pdf", "Facture_651.pdf"),
        ('attachment;filename = "a;b.pdf" ; size=3', "a;b.pdf"),
        ('attachment; filename="Fac\\"ture.pdf"', 'Fac"ture.pdf'),
        ("attachment; filename*=UTF-8''Facture%20n%C2%B0651.pdf", "Facture n°651.pdf"),
        (
            "attachment; filename=\"Facture.pdf\"; filename*=utf-8''Facture%E2%82%AC.pdf",
            "Facture€.pdf",
        ),
        ("attachment; filename*=ISO-8859-1'fr'Re%E7u.pdf", "Reçu.pdf"),
        ('attachment; FILENAME="../../etc/passwd"', "../../etc/passwd"),  # made safe later
        ("inline", None),
        ('attachment; filename=""', None),
        ("", None),
        (None, None),
    ],
)
def test_pdf_filename_reads_the_header(header: str | None, expected: str | None) -> None:
    assert pages.pdf_filename(header) == expected
