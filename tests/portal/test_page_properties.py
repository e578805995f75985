"""Property tests of the page parsers on damaged copies of the real page files.

Whatever the portal (or something between it and us) sends, a parser gives a model object, or
raises `PageError` naming the page: never another exception (a traceback for the user), never a
control character in a text the screens show, never an amount no family could owe.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from espace_tui.core.errors import PageError
from espace_tui.core.formats import has_controls
from espace_tui.core.model import Account, Invoice, InvoiceDetail
from espace_tui.portal import pages

FIXTURES = Path(__file__).parents[1] / "support" / "pages"
HOME_URL = "https://www.espace-citoyens.net/ville-coueron/espace-citoyens/Home/AccueilPublic"
INVOICE_ID = "987654"
MAX_INTEGER_DIGITS = 12
"""A thousand billion euros: more is not a bill, it is a page that is wrong."""
HUGE_AMOUNT = "123456789012345678901234567,00 €"

PAGE_FILES = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))}


# --- The parsers and what each may give ------------------------------------------------------


def _is_str_or_none(value: object) -> bool:
    return value is None or isinstance(value, str)


def _is_invoice_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, Invoice) for item in value)


Parser = Callable[[bytes | str], object]
PARSERS: dict[str, tuple[Parser, Callable[[object], bool]]] = {
    "parse_login_form": (
        lambda html: pages.parse_login_form(html, HOME_URL),
        lambda value: isinstance(value, pages.LoginForm),
    ),
    "parse_account": (pages.parse_account, lambda value: isinstance(value, Account)),
    "parse_invoice_list": (pages.parse_invoice_list, _is_invoice_list),
    "parse_invoice_detail": (
        lambda html: pages.parse_invoice_detail(html, INVOICE_ID),
        lambda value: isinstance(value, InvoiceDetail),
    ),
    "login_error": (pages.login_error, _is_str_or_none),
    "is_login_page": (pages.is_login_page, lambda value: isinstance(value, bool)),
    "is_maintenance": (pages.is_maintenance, lambda value: isinstance(value, bool)),
    "maintenance_message": (pages.maintenance_message, _is_str_or_none),
}

# The browser asks these of any answer (a refused login, a page that did not parse).
ON_EVERY_PAGE = ("is_login_page", "is_maintenance", "maintenance_message", "login_error")
MATCHING: dict[str, tuple[str, ...]] = {
    "accueil_public.html": ("parse_login_form",),
    "logon_refused.html": ("parse_login_form",),
    "compte_citoyen.html": ("parse_account",),
    "mon_compte.html": ("parse_invoice_list",),
    "mon_compte_empty.html": ("parse_invoice_list",),
    "detail_facture.html": ("parse_invoice_detail",),
    "detail_facture_minimal.html": ("parse_invoice_detail",),
    "maintenance.html": (),
}


def test_each_page_file_is_covered_and_parses_as_it_is() -> None:
    """The damaged-page property covers every real page file; each parses undamaged."""
    assert set(PAGE_FILES) == set(MATCHING)
    for name, parser_names in MATCHING.items():
        for parser_name in parser_names:
            parse, _ = PARSERS[parser_name]
            parse(PAGE_FILES[name])


# --- What a parsed page may hold -------------------------------------------------------------

MONEY_FIELDS = frozenset({"row_amount", "total", "remaining", "amount"})
"""Read with `parse_amount`: Decimals with two decimals."""
NUMBER_FIELDS = frozenset({"quantity", "unit_price"})
"""Read with `parse_decimal`."""
SENT_BACK_AS_THEY_ARE = {pages.LoginForm: frozenset({"fields", "token"})}


def _walk(value: object, path: str) -> Iterator[tuple[str, str, object]]:
    """(path, field name, value) of every leaf of a model object, dataclasses walked into."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        skipped = SENT_BACK_AS_THEY_ARE.get(type(value), frozenset())
        for item in dataclasses.fields(value):
            if item.name not in skipped:
                child = getattr(value, item.name)
                yield from _walk_named(child, f"{path}.{item.name}", item.name)
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            yield from _walk(child, f"{path}[{index}]")
    elif isinstance(value, dict):
        for key, child in value.items():
            yield path, "", key
            yield from _walk(child, f"{path}[{key!r}]")
    else:
        yield path, "", value


def _walk_named(value: object, path: str, name: str) -> Iterator[tuple[str, str, object]]:
    if dataclasses.is_dataclass(value) or isinstance(value, list | tuple | dict):
        yield from _walk(value, path)
    else:
        yield path, name, value


def _integer_digits(value: Decimal) -> int:
    return len(str(int(abs(value)))) if abs(value) >= 1 else 0


def assert_safe_result(result: object) -> None:
    for path, name, value in _walk(result, "result"):
        if isinstance(value, str):
            assert not has_controls(value), f"{path} holds a control character: {value!r}"
        if name in MONEY_FIELDS:
            assert value is None or isinstance(value, Decimal), f"{path} = {value!r}"
            if value is not None:
                assert value.is_finite(), f"{path} = {value!r}"
                assert value.as_tuple().exponent == -2, f"{path} = {value!r}: not in cents"
                assert _integer_digits(value) <= MAX_INTEGER_DIGITS, (
                    f"{path} = {value}: more than {MAX_INTEGER_DIGITS} integer digits"
                )
        if name in NUMBER_FIELDS:
            assert value is None or isinstance(value, Decimal), f"{path} = {value!r}"
            if value is not None:
                assert value.is_finite(), f"{path} = {value!r}"
                assert _integer_digits(value) <= MAX_INTEGER_DIGITS, (
                    f"{path} = {value}: more than {MAX_INTEGER_DIGITS} integer digits"
                )
        if name in ("issued_on", "due_on", "row_issued_on"):
            assert value is None or isinstance(value, date), f"{path} = {value!r}"
        if name == "last_connection":
            assert value is None or isinstance(value, datetime), f"{path} = {value!r}"
    if isinstance(result, list):
        ids = [invoice.id for invoice in result]
        assert all(ids), f"an invoice without id: {ids}"
        assert len(set(ids)) == len(ids), f"an invoice listed twice: {ids}"
    if isinstance(result, pages.LoginForm):
        assert result.token, "a login form without its anti-forgery token"


def run_parser(parser_name: str, html: bytes | str) -> None:
    """The property: a value of the parser's type, safe to show, or a PageError."""
    parse, expected = PARSERS[parser_name]
    try:
        result = parse(html)
    except PageError as error:  # PageChanged, a value no family could owe…: named, no traceback
        assert error.page, f"{parser_name}: a PageError that names no page"
        assert not has_controls(str(error)), f"{parser_name}: {str(error)!r}"
        return
    assert expected(result), f"{parser_name} gave {result!r}"
    assert_safe_result(result)


# --- Damaging a page -------------------------------------------------------------------------

SNIPPETS = [
    "\x1b[2J",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x9b31m",
    "\x00",
    "\x7f",
    "\x85",
    "\r\n",
    "\u202e",
    "\u2066",
    "\u200f",
    "\ufeff",
    "&#x1b;[31m",
    "&#x1B;]0;title&#x07;",
    "&#27;",
    "&#x9b;",
    "&#x202e;",
    "&#0;",
    "&#x110000;",
    "&#xD800;",
    "&#99999999999;",
    "[bold]",
    "[/bold]",
    "[link=https://evil.example]x[/link]",
    "[red on white]",
    "1" * 27,
    HUGE_AMOUNT,
    "-" + "9" * 30 + ",99",
    "999 999 999 999 999,00 €",
    "0000000000000000001,00",
    "1,0000000000000000000000000001",
    "31/02/2018",
    "99/99/9999",
    "00/00/0000",
    "09/11/2018 à 25:61",
    "<",
    ">",
    "</",
    "<!--",
    "-->",
    "<![CDATA[",
    "<script>",
    "</table>",
    "</tr>",
    '<tr class="compte" id="">',
    '<tr class="compte" id="1">',
    '<td class="montantFacture">',
    '<td class="ligneCompte">',
    '<td class="numero_facture">',
    '<div class="regie" id="regie-&#x1b;">',
    '"',
    "'",
    "=",
    " - ",
    "&amp;",
    "&nbsp;",
    "idDynamic=%1b%5b2J",
    "idDynamic=%ff%fe",
    '<a href="FichePersonne/DetailPersonne?idDynamic=%1b"><img alt="x" src="pere.png"></a>',
    'action="//[zz"',
    "http://[",
    "\ufffd",
    "\U0001f600",
    "é",
    "\u00a0",
    "\u202f",
]

_texts = st.one_of(
    st.sampled_from(SNIPPETS),
    st.text(max_size=30),
    st.characters().map(lambda char: f"&#x{ord(char):x};"),
    st.integers(0, 0x11_0010).map(lambda number: f"&#{number};"),
    st.integers(13, 400).map(lambda count: "9" * count),
    st.tuples(st.integers(13, 60), st.integers(0, 99)).map(
        lambda pair: f"{'7' * pair[0]},{pair[1]:02d} €"
    ),
)
TEXTS = st.lists(_texts, min_size=1, max_size=3).map("".join)

_ATTRIBUTE_VALUE = re.compile(rb'="([^"]*)"')
_TEXT_NODE = re.compile(rb">([^<]+)<")


@st.composite
def mutated(draw: st.DrawFn, source: bytes) -> bytes:
    """`source` after one to six random damages."""
    data = bytearray(source)
    for _ in range(draw(st.integers(1, 6))):
        size = len(data)
        start = draw(st.integers(0, size))
        end = draw(st.integers(start, min(size, start + 300)))
        operation = draw(
            st.sampled_from(
                [
                    "delete",
                    "duplicate",
                    "insert_bytes",
                    "insert_text",
                    "truncate",
                    "flip",
                    "replace_attribute",
                    "replace_text",
                ]
            )
        )
        if operation == "delete":
            del data[start:end]
        elif operation == "duplicate":
            data[start:start] = data[start:end] * draw(st.integers(1, 3))
        elif operation == "insert_bytes":
            data[start:start] = draw(st.binary(min_size=1, max_size=20))
        elif operation == "insert_text":
            data[start:start] = draw(TEXTS).encode("utf-8")
        elif operation == "truncate":
            del data[start:]
        elif operation == "flip":
            if start < size:
                data[start] ^= draw(st.integers(1, 255))
        else:
            pattern = _ATTRIBUTE_VALUE if operation == "replace_attribute" else _TEXT_NODE
            spans = [match.span(1) for match in pattern.finditer(data)]
            if spans:
                first, last = draw(st.sampled_from(spans))
                data[first:last] = draw(TEXTS).encode("utf-8")
    return bytes(data)


@st.composite
def damaged_page(draw: st.DrawFn, name: str) -> bytes | str:
    """A damaged copy of a page file, as bytes (what the browser passes) or as text."""
    data = draw(mutated(PAGE_FILES[name]))
    if draw(st.booleans()):
        return data.decode("utf-8", "replace")
    return data


# --- The properties --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(MATCHING))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_damaged_page_gives_a_safe_model_or_a_page_error(name: str, data: st.DataObject) -> None:
    html = data.draw(damaged_page(name), label="html")
    for parser_name in (*MATCHING[name], *ON_EVERY_PAGE):
        run_parser(parser_name, html)


PLACES = [
    # (page file, the place the text replaces (group 1), the parser)
    (
        "accueil_public.html",
        r'<form id="idFormConnexion"[^>]*?action="([^"]*)"',
        "parse_login_form",
    ),
    ("accueil_public.html", r'name="ReturnUrl" value="([^"]*)"', "parse_login_form"),
    ("compte_citoyen.html", r"idDynamic=(101)&amp;", "parse_account"),
    ("compte_citoyen.html", r'<img alt="([^"]*)" src="[^"]*pere.png"', "parse_account"),
    ("compte_citoyen.html", r'src="([^"]*)mere.png', "parse_account"),
    ("compte_citoyen.html", r'<span id="spanDerniereConnexion">([^<]*)<', "parse_account"),
    ("mon_compte.html", r'<tr class="compte ligne-paire" id="([^"]*)"', "parse_invoice_list"),
    ("mon_compte.html", r'<div class="regie actif" id="([^"]*)"', "parse_invoice_list"),
    ("mon_compte.html", r'<h3 class="libelleRegie">([^<]*)<', "parse_invoice_list"),
    ("mon_compte.html", r'<td class="montantFacture">([^<]*)<', "parse_invoice_list"),
    ("mon_compte.html", r'<td class="dateFacture">([^<]*)<', "parse_invoice_list"),
    ("mon_compte.html", r'<td class="numero_facture">([^<]*)<', "parse_invoice_list"),
    ("detail_facture.html", r'id="hDetailFacture_Facture"[^>]*>([^<]*)<', "parse_invoice_detail"),
    (
        "detail_facture.html",
        r'"spanDetailFacture_MntTotalFacture">([^<]*)<',
        "parse_invoice_detail",
    ),
    ("detail_facture.html", r'"spanDetailFacture_MntResteAPayer">([^<]*)<', "parse_invoice_detail"),
    ("detail_facture.html", r'"spanDetailFacture_Payeur">([^<]*)<', "parse_invoice_detail"),
    (
        "detail_facture.html",
        r'"spanDetailFacture_DatEmissionFacture"[^>]*>([^<]*)<',
        "parse_invoice_detail",
    ),
    ("detail_facture.html", r'<td class="quantite">([^<]*)<', "parse_invoice_detail"),
    ("detail_facture.html", r'<td class="prixUnitaire">([^<]*)<', "parse_invoice_detail"),
    ("detail_facture.html", r'<td class="montant">([^<]*)<', "parse_invoice_detail"),
    ("logon_refused.html", r'<span class="erreurLogin"[^>]*>([^<]*)<', "login_error"),
    ("maintenance.html", r'<p class="message">([^<]*)<', "maintenance_message"),
]
URLISH = st.one_of(
    TEXTS,
    st.sampled_from(["//[zz", "https://[zz/", "http://[::1/x", "//evil.example/Logon", "\\x"]),
    st.lists(
        st.sampled_from(["/", "//", ":", "[", "]", "@", "%1b", "&#x1b;", "\x1b", "?", "#", "x"]),
        max_size=8,
    ).map("".join),
)


def test_every_place_is_found() -> None:
    for name, place, _parser in PLACES:
        assert re.search(place, PAGE_FILES[name].decode("utf-8")), (name, place)


@pytest.mark.parametrize(("name", "place", "parser_name"), PLACES)
@settings(max_examples=60, deadline=None)
@given(text=URLISH)
def test_any_text_in_a_field_gives_a_safe_model_or_a_page_error(
    name: str, place: str, parser_name: str, text: str
) -> None:
    """Text landing where the parsers read: cells, spans, attributes, the form's action."""
    html = PAGE_FILES[name].decode("utf-8")
    first, last = re.search(place, html).span(1)  # type: ignore[union-attr]
    damaged = html[:first] + text + html[last:]
    run_parser(parser_name, damaged)
    run_parser(parser_name, damaged.encode("utf-8"))


# --- An amount no family could owe -----------------------------------------------------------

_LIST_AMOUNT = re.compile(r'(<td class="montantFacture">)(.*?)(</td>)')


@pytest.mark.parametrize("cell", [0, 1, 2])
def test_a_27_digit_amount_in_the_list_is_a_page_error_naming_mon_compte(cell: int) -> None:
    html = PAGE_FILES["mon_compte.html"].decode("utf-8")
    first, last = list(_LIST_AMOUNT.finditer(html))[cell].span(2)
    html = html[:first] + HUGE_AMOUNT + html[last:]
    for form in (html, html.encode("utf-8")):
        with pytest.raises(PageError) as caught:
            pages.parse_invoice_list(form)
        assert caught.value.page == "MonCompte"
        assert "MonCompte" in caught.value.message


def test_a_27_digit_total_in_the_detail_is_a_page_error_naming_the_detail() -> None:
    html = PAGE_FILES["detail_facture.html"].decode("utf-8")
    html, count = re.subn(
        r'(<span id="spanDetailFacture_MntTotalFacture">).*?(</span>)',
        lambda match: match.group(1) + HUGE_AMOUNT + match.group(2),
        html,
        flags=re.DOTALL,
    )
    assert count == 1
    for form in (html, html.encode("utf-8")):
        with pytest.raises(PageError) as caught:
            pages.parse_invoice_detail(form, INVOICE_ID)
        assert caught.value.page == "MonCompte/DetailFacture"
        assert "MonCompte/DetailFacture" in caught.value.message
