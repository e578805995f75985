"""The French catalog: complete, compiled, faithful to its sources' placeholders; the language
chosen from `--lang` or the environment; the CLI and the TUI actually shown in French."""

from __future__ import annotations

import gettext
import importlib.util
import re
import string
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from rich.table import Table
from textual.widgets import Button, Checkbox, Footer, Label, Static
from textual.widgets._footer import FooterKey

from espace_tui.cli import main as cli
from espace_tui.core import i18n
from espace_tui.core.formats import format_money
from espace_tui.tui.screens.help import HelpScreen
from espace_tui.tui.screens.login import LoginScreen
from support.tui import SIZE, make_app, to_pay, until

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "src" / "espace_tui" / "locale" / "fr" / "LC_MESSAGES" / "espace_tui.po"
MO = PO.with_suffix(".mo")
SEED_ID = "318204"  # invoice number 651, the commune's help page's own example


def load_update_catalog() -> ModuleType:
    """scripts/update_catalog.py, the one that writes the catalog (not an importable package)."""
    spec = importlib.util.spec_from_file_location(
        "update_catalog", ROOT / "scripts" / "update_catalog.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_catalog() -> Catalog:
    with PO.open("rb") as handle:
        return read_po(handle, locale="fr")


def messages() -> Iterator[Message]:
    """Every message of the .po but the header."""
    return (message for message in read_catalog() if message.id)


def pairs(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: one per plural form (French form 0 ↔ singular)."""
    if isinstance(message.id, tuple | list):
        singular, plural = message.id
        forms = tuple(message.string or ())
        return [(singular, forms[0]), *((plural, form) for form in forms[1:])]
    return [(str(message.id), str(message.string or ""))]


# --- the catalog ---------------------------------------------------------------------------


def test_every_source_string_has_a_french_translation() -> None:
    update_catalog = load_update_catalog()
    template = update_catalog.extract()
    catalog = read_catalog()
    wanted = {message.id for message in template if message.id}
    assert len(wanted) > 250  # the extraction finds the UI's strings (argparse's, N_'s...)
    missing = sorted(str(key) for key in wanted if catalog.get(key) is None)
    assert not missing, "run scripts/update_catalog.py, then translate: " + "; ".join(missing)
    assert update_catalog.untranslated(catalog) == []
    obsolete = sorted(str(m.id) for m in catalog if m.id and m.id not in wanted)
    assert not obsolete, "run scripts/update_catalog.py: " + "; ".join(obsolete)


def test_the_extraction_reads_n_marks_plurals_and_argparse_words() -> None:
    template = load_update_catalog().extract()
    ids = {message.id for message in template}
    assert "Open the selected invoice" in ids  # N_ in tui/keys.py
    assert ("{count} invoice is overdue.", "{count} invoices are overdue.") in ids  # ngettext
    assert "show this help message and exit" in ids  # argparse's own, marked in cli.py
    assert "Press Ctrl-C to stop." in ids  # the mock-server command line is ours too
    assert not any("Bonjour" in str(i) for i in ids)  # the mock's site pages are not


def test_french_plural_forms() -> None:
    catalog = read_catalog()
    assert catalog.num_plurals == 2
    assert catalog.plural_expr == "(n > 1)"
    compiled = gettext.GNUTranslations(MO.open("rb"))
    one, many = "{count} invoice is overdue.", "{count} invoices are overdue."
    assert compiled.ngettext(one, many, 0) == "{count} facture est en retard."
    assert compiled.ngettext(one, many, 1) == "{count} facture est en retard."
    assert compiled.ngettext(one, many, 2) == "{count} factures sont en retard."


def test_the_shipped_mo_says_what_the_po_says() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    count = 0
    for message in messages():
        count += 1
        if isinstance(message.id, tuple | list):
            singular, plural = message.id
            forms = tuple(message.string or ())
            assert compiled.ngettext(singular, plural, 1) == forms[0], singular
            assert compiled.ngettext(singular, plural, 2) == forms[1], plural
        else:
            assert compiled.gettext(str(message.id)) == message.string, message.id
    ids_in_mo = {
        key[0] if isinstance(key, tuple) else key
        for key in compiled._catalog  # type: ignore[attr-defined]
        if key not in ("", ("", 0))
    }
    assert len(ids_in_mo) == count, "the .mo is stale: run scripts/update_catalog.py"


BRACES = string.Formatter()
PRINTF = re.compile(r"%(?:\([a-z_]+\))?[sdr]")
MARKUP = re.compile(r"\[/?(?:[a-z$@#][^\[\]]*)?\]")
LITERAL = re.compile(r"`[^`]+`|--[a-z][a-z-]*|\$?ESPACE_TUI_[A-Z]+|https?://\S*")


def kept(text: str) -> Counter[str]:
    """What a translation must keep from its source: placeholders, markup, commands, options."""
    fields = [f"{{{name}}}" for _text, name, _spec, _conv in BRACES.parse(text) if name is not None]
    return Counter(
        fields + PRINTF.findall(text) + MARKUP.findall(text) + LITERAL.findall(text.rstrip(".)"))
    )


@pytest.mark.parametrize(
    ("source", "translation"),
    [pair for message in messages() for pair in pairs(message)],
    ids=lambda value: value[:40],
)
def test_a_translation_keeps_placeholders_markup_and_commands(
    source: str, translation: str
) -> None:
    assert translation.strip()
    assert kept(translation) == kept(source)
    # The same spaces and line ends at both ends ("Username: " is a prompt), and plain spaces
    # only: a no-break space would make French lines longer than they look.
    assert len(translation) - len(translation.lstrip()) == len(source) - len(source.lstrip())
    assert len(translation) - len(translation.rstrip()) == len(source) - len(source.rstrip())
    assert "\u00a0" not in translation and "\u202f" not in translation


def test_the_checks_above_see_a_lost_placeholder() -> None:
    assert kept("Facture {numero}") != kept("Invoice {number}")
    assert kept("payez avec espace-tui pay") != kept("pay with `espace-tui pay {id} --open`")
    assert kept("[b]Total[/]") != kept("[b]Total[/b]")


# --- choosing the language -------------------------------------------------------------------


def test_set_language_switches_the_words() -> None:
    assert i18n.set_language("fr") == "fr"
    assert i18n._("Username") == "Identifiant"
    assert i18n._("My invoices") == "Mes factures"
    assert i18n.ngettext("{shown} of {total} invoice", "{shown} of {total} invoices", 3) == (
        "{shown} sur {total} factures"
    )
    assert i18n.set_language("en") == "en"
    assert i18n._("Username") == "Username"
    assert i18n.set_language("de") == "fr"  # an unknown language: the portal's own


@pytest.mark.parametrize(
    ("environment", "language"),
    [
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANGUAGE": "en_US:fr", "LANG": "fr_FR.UTF-8"}, "en"),
        ({"LC_ALL": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"}, "fr"),
    ],
)
def test_the_language_from_the_environment(
    environment: dict[str, str], language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.language_from_environment() == language
    i18n.set_language(None)
    assert i18n._("Password") == ("Password" if language == "en" else "Mot de passe")


# --- the command line in French -------------------------------------------------------------


@pytest.fixture
def demo(mock_portal: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("ESPACE_TUI_PASSWORD", "demo")
    return ["--lang", "fr", "--portal", mock_portal.base_url, "--username", "demo"]


def test_the_invoices_table_in_french(
    demo: list[str], mock_portal: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([*demo, "invoices"]) == 0
    out = capsys.readouterr().out
    heading = out.splitlines()[1].split()
    assert heading[:4] == ["Numéro", "Période", "Émise", "le"]
    assert "Reste à payer" in out and "État" in out
    assert "(payable en ligne, en retard)" in out
    total, count = to_pay(mock_portal.invoices())
    assert f"Reste à payer : {format_money(total)} sur {count} factures." in out


def test_an_invoice_sheet_in_french(demo: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([*demo, "show", SEED_ID]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^À régler avant le +05/11/2018$", out, re.MULTILINE)
    assert "Payeur" in out and "Lignes :" in out and "Prestation" in out
    assert "L'échéance (05/11/2018) est dépassée" in out
    assert f"avec `espace-tui pay {SEED_ID} --open`" in out


def test_help_and_usage_errors_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fr", "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : espace-tui ")
    assert "afficher ce message d'aide et quitter" in out
    assert "lister toutes les factures, groupées par régie" in out
    assert "options communes à toutes les commandes" in out
    assert cli.main(["--lang", "fr", "show"]) == 2
    err = capsys.readouterr().err
    assert "espace-tui show: erreur : les arguments suivants sont obligatoires : ID" in err
    assert cli.main(["--lang=fr", "--portal", "x", "--commune", "y", "invoices"]) == 2
    assert "interdit avec l'argument --portal" in capsys.readouterr().err
    assert cli.main(["--lang", "fr", "mock-server", "--help"]) == 0
    assert "ne pas afficher une ligne par requête" in capsys.readouterr().out
    assert cli.main(["--lang", "en", "show"]) == 2  # and back in English
    assert "error: the following arguments are required: ID" in capsys.readouterr().err


def test_an_error_in_french(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fr", "--commune", "Pas une commune", "invoices"]) == 2
    err = capsys.readouterr().err
    assert "« Pas une commune » n'est pas un nom de commune" in err


# --- the TUI in French ----------------------------------------------------------------------


def shown(widget: Any) -> str:
    if isinstance(widget, Button | Checkbox):  # a Checkbox is a Static whose words are its label
        return str(widget.label)
    return str(widget.content)


async def test_the_login_screen_in_french(mock_portal: Any, tmp_path: Path) -> None:
    i18n.set_language("fr")
    app = make_app(mock_portal.base_url, tmp_path, password=None, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        labels = [shown(label) for label in screen.query(Label)]
        assert "Identifiant" in labels and "Mot de passe" in labels
        assert shown(screen.query_one("#login-title", Static)) == (
            "Connectez-vous à votre Espace Citoyens"
        )
        assert shown(screen.query_one("#login", Button)) == "Se connecter"
        assert shown(screen.query_one("#remember", Checkbox)).startswith("Se souvenir de moi")
        assert screen.sub_title == "Se connecter"
        footer = {key.description for key in screen.query_one(Footer).query(FooterKey)}
        assert "Aide" in footer and "Help" not in footer
        # An empty password: the form says so in French.
        await pilot.press("enter")
        await until(pilot, lambda: screen.problem, "a message under the form")
        assert screen.problem == "Saisissez votre mot de passe."
        # The help (F1, as `?` is typed in the fields) is in French too.
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        help_screen = app.screen
        table = help_screen.query_one("#help-keys", Static).content
        assert isinstance(table, Table)
        headings = [str(column.header) for column in table.columns]
        assert headings == ["Touche", "Où", "Action"]
        rows = [[str(cell) for cell in column.cells] for column in table.columns]
        by_row = [list(row) for row in zip(*rows, strict=True)]
        assert ["Enter", "Connexion", "Se connecter"] in by_row
        assert ["/", "Factures", "Filtrer les factures par un texte"] in by_row
        close = shown(help_screen.query_one("#help-close", Static))
        assert close == "Escape, ? ou q ferment cette aide."
        assert help_screen.query_one("#help-dialog").border_title == "Touches"


async def test_the_palette_speaks_french_too(mock_portal: Any, tmp_path: Path) -> None:
    i18n.set_language("fr")
    app = make_app(mock_portal.base_url, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert {"Thème", "Quitter", "Touches", "Langue : English"} <= titles
        assert "Theme" not in titles
