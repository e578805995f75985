"""espace-tui against another Espace Citoyens, written from SITE.md alone (tests/support/
other_portal.py): a hyphenated commune, other data, and the noise of a real ASP.NET site. What a
user sees from every command, and what the client reads, must be right there too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import Run
from espace_tui.core.errors import LoginRefused, NothingToDo
from espace_tui.core.model import FamilyMember, InvoiceLine, PaymentMode, Status
from espace_tui.portal.browser import EspaceCitoyensBrowser
from support.other_expected import EXPECTED
from support.other_portal import (
    BILLS,
    LOCKED_USERNAME,
    PASSWORD,
    ROOT,
    USERNAME,
    OtherPortal,
    payfip_url,
    pdf_bytes,
)

LINES_1042 = [
    {
        "person": "DUPRÉ-LE GALL Léa",
        "service": "Restaurant scolaire",
        "quantity": "12",
        "unit_price": "4.30",
        "amount": "51.60",
    },
    {
        "person": "DUPRÉ-LE GALL Tom",
        "service": "Accueil périscolaire - matin",
        "quantity": "1.5",
        "unit_price": "2.00",
        "amount": "3.00",
    },
    {
        "person": None,
        "service": "Régularisation",
        "quantity": "1",
        "unit_price": "12291.00",
        "amount": "12291.00",
    },
]

SAVED_NAMES = {
    "9104217": "Facture n°1042.pdf",  # filename*=UTF-8''…
    "9104218": "evil.pdf",  # filename="../../evil.pdf": the base name only
    "9104219": "Facture_1044.pdf",
    "9104220": "Facture_1045_août.pdf",  # filename* wins over filename
    "9104221": "Facture_1046.pdf",
    "880031": "Facture.pdf",  # both invoices of the music régie are sent as "Facture.pdf"
    "880032": "Facture (1).pdf",
}


@pytest.fixture
def other() -> Iterator[OtherPortal]:
    portal = OtherPortal()
    portal.start()
    yield portal
    portal.stop()


@pytest.fixture
def account(other: OtherPortal, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD)
    return ["--portal", other.base_url, "--username", USERNAME]


# --- invoices -----------------------------------------------------------------------------------


def test_invoices_json_reads_every_field_of_the_other_portal(run: Run, account: list[str]) -> None:
    code, out, err = run(*account, "invoices", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED


def test_the_pasted_public_home_address_works_too(
    run: Run, other: OtherPortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD)
    portal = other.base_url + "Home/AccueilPublic"
    code, out, _err = run("--portal", portal, "--username", USERNAME, "invoices", "--json")
    assert code == 0 and [item["id"] for item in json.loads(out)] == [e["id"] for e in EXPECTED]


def test_invoices_table_in_french_formats(run: Run, account: list[str]) -> None:
    code, out, _err = run(*account, "invoices")
    assert code == 0
    lines = out.splitlines()
    assert [line for line in lines if line and not line.startswith(" ")] == [
        "PÉRISCOLAIRE & CANTINE",
        "ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON)",
        lines[-1],
    ]

    def row(number: str) -> str:
        return next(line for line in lines if line.split()[:1] == [number])

    first = row("1042")
    for text in ("Novembre 2026", "25/11/2026", "31/12/2026", "12 345,60 €", "À régler"):
        assert text in first
    assert "payable online" in first
    assert "Facture transmise au Trésor Public" in row("1044") and "64,50 €" in row("1044")
    assert "1 234,00 €" in row("1045") and "Prélevée" in row("1045")
    assert "En contentieux" in row("1046")
    assert "1 234,50 €" in row("77") and "Non payée" in row("77")
    assert "210,00 €" in row("78") and "Soldée" in row("78")
    assert lines[-1] == "Still to pay: 13 644,60 € on 3 invoices."


# --- show ---------------------------------------------------------------------------------------


def test_show_json_with_the_lines(run: Run, account: list[str]) -> None:
    code, out, _err = run(*account, "show", "1042", "--json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in EXPECTED[0]} == EXPECTED[0]
    assert data["title"] == "PÉRISCOLAIRE & CANTINE - 1042 - Novembre 2026"
    assert data["pdf_available"] is True
    assert data["lines"] == LINES_1042


def test_show_json_of_a_detail_without_the_adopted_extras(run: Run, account: list[str]) -> None:
    code, out, _err = run(*account, "show", "9104219", "--json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in EXPECTED[2]} == EXPECTED[2]
    assert data["lines"] == []
    assert data["title"] == "PÉRISCOLAIRE & CANTINE - 1044 - Septembre 2026"


def test_show_json_of_a_line_without_quantity_nor_price(run: Run, account: list[str]) -> None:
    code, out, _err = run(*account, "show", "1043", "--json")
    assert code == 0
    assert json.loads(out)["lines"] == [
        {
            "person": "DUPRÉ-LE GALL Léa",
            "service": "Restaurant scolaire",
            "quantity": "19",
            "unit_price": "4.30",
            "amount": "81.70",
        },
        {
            "person": None,
            "service": "Frais de dossier",
            "quantity": None,
            "unit_price": None,
            "amount": "5.45",
        },
    ]


def test_show_sheet_of_the_other_regie(run: Run, account: list[str]) -> None:
    code, out, _err = run(*account, "show", "77")
    assert code == 0
    assert "ÉCOLE DE MUSIQUE - CONSERVATOIRE (COUËRON) - 77 - 3e trimestre 2026" in out
    assert "Monsieur DUPRÉ-LE GALL Yann" in out and "Piano - 1er cycle" in out
    assert "1 234,50 €" in out
    assert "espace-tui pay 880031 --open" in out.splitlines()[-1]


def test_show_a_paid_invoice_without_payer(run: Run, account: list[str]) -> None:
    code, out, _err = run(*account, "show", "78")
    assert code == 0
    assert out.splitlines()[-1] == "Already paid: nothing to do."


# --- download -----------------------------------------------------------------------------------


def test_download_all_keeps_safe_names_inside_the_folder(
    run: Run, account: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "factures"
    code, out, err = run(*account, "download", "--all", "-o", str(folder))
    assert (code, err) == (0, "")
    # Printed as each is saved (in the order they arrive), each under its own safe name.
    saved = [Path(line) for line in out.splitlines()]
    assert sorted(p.name for p in saved) == sorted(SAVED_NAMES.values())
    assert all(p.parent == folder.resolve() for p in saved)
    contents = {path.read_bytes() for path in saved}
    assert contents == {pdf_bytes(bill) for bill in BILLS}
    for bill in BILLS:
        if SAVED_NAMES[bill.id] not in ("Facture.pdf", "Facture (1).pdf"):  # a pair: any order
            assert (folder / SAVED_NAMES[bill.id]).read_bytes() == pdf_bytes(bill)
    assert sorted(tmp_path.iterdir()) == sorted([tmp_path / "home", folder])
    assert sorted(p.name for p in folder.iterdir()) == sorted(SAVED_NAMES.values())


def test_downloading_twice_reuses_the_same_files(
    run: Run, account: list[str], tmp_path: Path
) -> None:
    folder = tmp_path / "factures"
    first = run(*account, "download", "77", "78", "-o", str(folder))
    second = run(*account, "download", "78", "77", "-o", str(folder))
    assert first[0] == second[0] == 0
    # Both are sent as "Facture.pdf": the first to arrive takes the name, the other gets " (1)".
    saved = {Path(line).name: Path(line).read_bytes() for line in first[1].splitlines()}
    assert sorted(saved) == ["Facture (1).pdf", "Facture.pdf"]
    # The second run finds each PDF where the first put it, and writes nothing.
    again = {Path(line).name: Path(line).read_bytes() for line in second[1].splitlines()}
    assert again == saved
    assert second[2].count("already saved") == 2
    assert sorted(p.name for p in folder.iterdir()) == ["Facture (1).pdf", "Facture.pdf"]


# --- pay ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("wanted", ["1044", "880031"])
def test_pay_prints_the_payfip_address(run: Run, account: list[str], wanted: str) -> None:
    bill = next(b for b in BILLS if wanted in (b.id, b.number))
    code, out, err = run(*account, "pay", wanted)
    assert code == 0
    assert out == payfip_url(bill) + "\n"
    assert out.startswith("https://www.payfip.gouv.fr/tpa/paiement.web?")
    assert bill.refdet in err and f"Invoice {bill.number}" in err


def test_pay_tells_the_amount_in_french(run: Run, account: list[str]) -> None:
    code, _out, err = run(*account, "pay", "77")
    assert code == 0 and "1 234,50 €" in err


def test_pay_above_url_modes_limit_goes_by_web_service(run: Run, account: list[str]) -> None:
    # 12 345,60 €: more than URL mode takes, so this portal sends it in web-service mode.
    code, out, err = run(*account, "pay", "1042")
    assert code == 0
    assert out == payfip_url(BILLS[0]) + "\n"
    assert out.startswith("https://www.payfip.gouv.fr/tpa/paiementws.web?idop=")
    assert "Invoice 1042" in err


@pytest.mark.parametrize(
    ("wanted", "reason"),
    [
        ("1043", "Invoice 1043 is already paid."),
        ("1045", "Invoice 1045 is paid by direct debit: nothing to pay online."),
        ("1046", "Invoice 1046 cannot be paid online"),
        ("78", "Invoice 78 is already paid."),
    ],
)
def test_an_invoice_not_payable_online_is_exit_1(
    run: Run, account: list[str], wanted: str, reason: str
) -> None:
    code, out, err = run(*account, "pay", wanted)
    assert code == 1 and out == ""
    assert err.startswith(f"espace-tui: {reason}")


# --- login --------------------------------------------------------------------------------------


def test_a_wrong_password_is_exit_3_with_the_sites_words(
    run: Run, other: OtherPortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD + "x")
    code, out, err = run("--portal", other.base_url, "--username", USERNAME, "invoices")
    assert (code, out) == (3, "")
    assert err == "espace-tui: Identifiant ou mot de passe incorrect.\n"


def test_a_locked_account_gives_the_sites_words(
    run: Run, other: OtherPortal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", PASSWORD)
    code, _out, err = run("--portal", other.base_url, "--username", LOCKED_USERNAME, "invoices")
    assert code == 3
    assert err == (
        "espace-tui: Votre compte est verrouillé suite à 5 tentatives infructueuses. "
        "Veuillez contacter la mairie.\n"
    )


def test_login_by_stdin_remembers_the_hyphenated_commune(run: Run, other: OtherPortal) -> None:
    code, _out, err = run("login", "--portal", other.base_url, "--username", USERNAME,
                          "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    assert code == 0 and f"Logged in as {USERNAME} on ville-coueron." in err
    assert other.logins == 1


# --- a session that ends in the middle of a run -------------------------------------------------


FORMS = ["500", "redirect", "redirect_home", "login_page"]


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("after", [0, 1, 2, 4, 6])
def test_invoices_complete_when_the_session_ends_mid_run(
    run: Run, account: list[str], other: OtherPortal, form: str, after: int
) -> None:
    other.expiry_form, other.expire_after = form, after
    code, out, err = run(*account, "invoices", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED
    assert other.expired >= 1 and other.logins == 2


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("after", [0, 1, 2])  # MonCompte, the detail, PayerFacture
def test_pay_completes_whichever_request_finds_the_session_ended(
    run: Run, account: list[str], other: OtherPortal, form: str, after: int
) -> None:
    other.expiry_form, other.expire_after = form, after
    code, out, _err = run(*account, "pay", "1044")
    assert code == 0 and out == payfip_url(BILLS[2]) + "\n"
    assert other.expired >= 1 and other.logins == 2


@pytest.mark.parametrize("after", [0, 2, 5])
def test_a_passing_server_error_is_repeated(
    run: Run, account: list[str], other: OtherPortal, after: int
) -> None:
    other.fail_once_after = after
    code, out, err = run(*account, "invoices", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED
    assert other.fail_once_after is None  # the 500 was served


@pytest.mark.parametrize("form", FORMS)
def test_a_session_that_ends_twice_in_one_run(
    run: Run, account: list[str], other: OtherPortal, form: str
) -> None:
    other.expiry_form, other.expire_after, other.expire_again_after = form, 3, 3
    code, out, err = run(*account, "invoices", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == EXPECTED
    assert other.logins == 3


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("after", [1, 2])
def test_download_and_pay_complete_when_the_session_ends(
    run: Run, account: list[str], other: OtherPortal, tmp_path: Path, form: str, after: int
) -> None:
    other.expiry_form, other.expire_after = form, after
    code, out, _err = run(*account, "download", "1042", "1044", "-o", str(tmp_path / "f"))
    assert code == 0
    assert sorted(Path(line).name for line in out.splitlines()) == [
        "Facture n°1042.pdf",
        "Facture_1044.pdf",
    ]
    assert other.expired >= 1
    other.expire_after = after
    code, out, _err = run(*account, "pay", "77")
    assert code == 0 and out == payfip_url(BILLS[5]) + "\n"


# --- the client itself --------------------------------------------------------------------------


async def test_the_client_reads_the_dashboard(other: OtherPortal) -> None:
    browser = EspaceCitoyensBrowser(other.base_url)
    try:
        await browser.login(USERNAME, PASSWORD)
        account = await browser.account()
    finally:
        await browser.aclose()
    assert account.greeting == "Bonjour Madame DUPRÉ-LE GALL"
    assert account.last_connection == datetime(2026, 11, 14, 8, 5)
    assert " ".join((account.last_connection_text or "").split()) == (
        "Dernière connexion le 14/11/2026 à 08:05"
    )
    assert account.members == (
        FamilyMember("501", "DUPRÉ-LE GALL Anne-Sophie", "mere"),
        FamilyMember("502", "DUPRÉ-LE GALL Tom", "garcon"),
        FamilyMember("503", "DUPRÉ-LE GALL Léa", "fillette"),
    )


async def test_the_client_reads_the_list_and_the_details(other: OtherPortal) -> None:
    async with EspaceCitoyensBrowser(other.base_url) as browser:
        await browser.login(USERNAME, PASSWORD)
        rows = await browser.invoices(details=False)
        assert [(i.id, i.number, i.label) for i in rows] == [
            (b.id, b.number, b.label) for b in BILLS
        ]
        by_id = {i.id: i for i in rows}
        assert by_id["9104217"].row_amount == Decimal("12345.60")
        assert by_id["9104217"].row_issued_on == date(2026, 11, 25)
        assert by_id["880031"].row_amount == Decimal("1234.50")
        assert by_id["880032"].row_amount is None  # the empty cell
        assert by_id["880032"].status is Status.PAID
        assert by_id["9104219"].status is Status.TREASURY  # "Transmise au  Trésor public"
        assert by_id["9104221"].status is Status.UNKNOWN
        assert by_id["9104217"].regie is not None
        assert by_id["9104217"].regie.name == "PÉRISCOLAIRE & CANTINE"

        bare = await browser.invoice_detail("9104219")
        assert (bare.remaining, bare.payment_mode_label, bare.lines) == (None, None, ())
        assert bare.payment_mode is PaymentMode.UNKNOWN
        assert bare.payable_online and bare.pdf_available and bare.number == "1044"

        music = await browser.invoice_detail("880031")
        assert music.number == "77"  # the régie's own " - " does not fool the reading
        assert music.total == music.remaining == Decimal("1234.50")
        assert music.due_on == date(2026, 11, 15)

        big = await browser.invoice_detail("9104217")
        assert big.lines[2] == InvoiceLine(
            None, "Régularisation", Decimal("1"), Decimal("12291.00"), Decimal("12291.00")
        )
        assert (big.total, big.remaining) == (Decimal("12345.60"), Decimal("12345.60"))

        with pytest.raises(NothingToDo):
            await browser.invoice_detail("123")

        pdf = await browser.pdf("9104218")
        assert pdf.content == pdf_bytes(BILLS[1]) and pdf.server_filename == "../../evil.pdf"
        named = await browser.pdf("9104217")
        assert named.server_filename == "Facture n°1042.pdf"

        url = await browser.payment_url("880031")
        query = parse_qs(urlsplit(url).query)
        assert query["montant"] == ["123450"] and query["refdet"] == ["2026000077000007"]
        await browser.logout()
    assert any(seen.path.endswith("Home/LogOff") for seen in other.seen)


async def test_the_client_sends_what_the_site_expects(other: OtherPortal) -> None:
    async with EspaceCitoyensBrowser(other.base_url) as browser:
        await browser.login(USERNAME, PASSWORD)
        await browser.invoices(details=True)
    details = [s for s in other.seen if "DetailFacture" in s.path]
    assert len(details) == len(BILLS)
    assert all(s.headers.get("X-Requested-With") == "XMLHttpRequest" for s in details)
    after_login = [s for s in other.seen if s.method == "GET" and "Home" not in s.path][1:]
    assert all("BIGipServer~EC~pool_ec_https=" in s.headers.get("Cookie", "") for s in after_login)
    (post,) = [s for s in other.seen if s.method == "POST"]
    assert post.path == ROOT + "Home/Logon"
    form = parse_qs(post.body)
    assert form["username"] == [USERNAME] and form["password"] == [PASSWORD]
    assert post.headers.get("Referer", "").startswith(other.base_url)


async def test_the_client_says_refused_with_the_sites_words(other: OtherPortal) -> None:
    async with EspaceCitoyensBrowser(other.base_url) as browser:
        with pytest.raises(LoginRefused) as refused:
            await browser.login(USERNAME, "nope")
    assert refused.value.message == "Identifiant ou mot de passe incorrect."
    assert other.logins == 0
